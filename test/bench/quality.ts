import { critique, reviewOffline, type CriticPost } from '../../shared/agents/critic';
import { writeOffline, type WriterGoal } from '../../shared/agents/writer';
import { type ContentCheckCode, REPEAT_SIMILARITY, sentencesOf, similarity } from '../../shared/domain/content-checks';
import { EARLIER_POSTS } from '../../shared/db/workflow-content-store';
import { hookOf, normalizeForComparison } from '../../shared/domain/platform-rules';
import { CLEAN_POSTS, OFFLINE_BEFORE, PLANTED_POSTS } from '../fixtures/content/planted';
import type { FixturePost } from '../fixtures/content/types';
import { SAMPLE_CREATORS, sampleCampaign } from '../support/sample-campaigns';

/**
 * The content quality bench (issue 19): campaigns for the four sample creators, each a first
 * campaign (`days` days) and a second one (14 days) on three platforms, every post judged by the
 * critic's checks. "Before" is the offline writer's output captured at a04c7a7
 * (test/fixtures/content/offline-before.json); "after" is today's writer on the same plans.
 */

export interface WrittenCampaign {
  creator: string;
  durationDays: number;
  goal: WriterGoal;
  niche: string;
  pillars: readonly string[];
  posts: CriticPost[];
}

/**
 * Today's offline writer on the sample plans: per creator a `days`-day campaign (seed -1, then `run`) and a
 * 14-day one (seed -2), the second kept apart from the first's titles and hooks as the workflow
 * does (queryEarlierPosts: at most EARLIER_POSTS of them).
 */
export function writeSampleCampaigns(days = 30, postsPerWeek = 7, run = ''): WrittenCampaign[] {
  return SAMPLE_CREATORS.flatMap((creator) => {
    const written: WrittenCampaign[] = [];
    for (const { durationDays, seed } of [
      { durationDays: days, seed: `${creator.id}-1${run}` },
      { durationDays: 14, seed: `${creator.id}-2${run}` },
    ]) {
      const { input } = sampleCampaign(creator, durationDays, seed, postsPerWeek);
      const briefs = new Map(input.posts.map((brief) => [`${brief.day}|${brief.platform}`, brief]));
      const earlier = written.flatMap((campaign) => campaign.posts).slice(0, EARLIER_POSTS);
      const earlierInput = earlier.length ? { earlier: { titles: earlier.map((post) => post.title), hooks: earlier.map(hookOf) } } : {};
      written.push({
        creator: creator.id,
        durationDays,
        goal: input.goal,
        niche: input.niche,
        pillars: input.strategy.pillars,
        posts: writeOffline({ ...input, ...earlierInput }, seed).posts.map((post) => ({
          ...post,
          ...briefs.get(`${post.day}|${post.platform}`)!,
        })),
      });
    }
    return written;
  });
}

export function capturedCampaigns(): WrittenCampaign[] {
  return OFFLINE_BEFORE.campaigns.map((campaign) => ({
    ...campaign,
    posts: campaign.posts.map((post) => ({ ...post, thumbnailPrompt: post.title })),
  }));
}

const CLASSES: Record<string, readonly ContentCheckCode[]> = {
  promise: ['undelivered-count', 'unstated-claim'],
  horizon: ['claim-beyond-horizon'],
  hashtag: ['tag-fragment', 'tags-miss-niche', 'tags-miss-topic', 'tag-count'],
  cta: ['cta-off-goal'],
  repetition: ['repeated-title', 'repeated-hook', 'repeated-sentences'],
};

export interface QualityNumbers {
  posts: number;
  /** Distinct sentences over all sentences (five words or more, CTAs and hashtag lines left out), pooled per campaign, lowest campaign. */
  distinctSentences: number;
  /** Posts with at least one violation of the class. */
  violations: Record<keyof typeof CLASSES, number>;
  /** Titles of each creator's second campaign close to (Jaccard ≥ 0.6) or the same as a title of the first. */
  crossCampaignTitleRepeats: number;
  secondCampaignTitles: number;
  /** The critic's final scores (offline review, capped by the checks). */
  scores: { mean: number; under4: number; from4to7: number; from7to9: number; from9: number };
}

function distinctRatio(posts: readonly CriticPost[]): number {
  const sentences = posts.flatMap((post) => {
    const cta = new Set(sentencesOf(post.cta));
    // A post's script and its caption say the same things by design: each sentence counted once per post.
    return [...new Set([...sentencesOf(post.post), ...sentencesOf(post.script?.body ?? '')])].filter((sentence) => !cta.has(sentence));
  });
  return sentences.length ? new Set(sentences).size / sentences.length : 1;
}

export function measureQuality(campaigns: readonly WrittenCampaign[]): QualityNumbers {
  const violations = Object.fromEntries(Object.keys(CLASSES).map((name) => [name, 0])) as QualityNumbers['violations'];
  const scores: number[] = [];
  let repeats = 0;
  let secondTitles = 0;
  for (const [i, campaign] of campaigns.entries()) {
    const earlier = campaigns.slice(0, i).filter((other) => other.creator === campaign.creator);
    const critiques = critique(
      reviewOffline(
        { strategy: { summary: '', pillars: campaign.pillars }, goal: campaign.goal, niche: campaign.niche, posts: campaign.posts },
        'bench',
      ).reviews,
      campaign.posts,
      [],
      campaign.goal,
      { niche: campaign.niche, durationDays: campaign.durationDays, earlierCampaigns: earlier.flatMap((other) => other.posts) },
    );
    for (const result of critiques) {
      scores.push(result.score);
      const codes = new Set(result.violations.map((violation) => violation.code));
      for (const [name, members] of Object.entries(CLASSES)) if (members.some((code) => codes.has(code))) violations[name]++;
    }
    if (earlier.length) {
      const before = earlier.flatMap((other) => other.posts.map((post) => post.title));
      secondTitles += campaign.posts.length;
      repeats += campaign.posts.filter((post) =>
        before.some(
          (title) =>
            normalizeForComparison(title) === normalizeForComparison(post.title) || similarity(title, post.title) >= REPEAT_SIMILARITY,
        ),
      ).length;
    }
  }
  const count = (test: (score: number) => boolean) => scores.filter(test).length;
  return {
    posts: scores.length,
    distinctSentences: Math.min(...campaigns.map((campaign) => distinctRatio(campaign.posts))),
    violations,
    crossCampaignTitleRepeats: repeats,
    secondCampaignTitles: secondTitles,
    scores: {
      mean: scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length),
      under4: count((s) => s < 4),
      from4to7: count((s) => s >= 4 && s < 7),
      from7to9: count((s) => s >= 7 && s < 9),
      from9: count((s) => s >= 9),
    },
  };
}

/** The critic's verdict on a fixture, its model review a generous 9 (as live critics give). */
export function judgeFixture(fixture: FixturePost) {
  const [result] = critique(
    [{ day: fixture.post.day, platform: fixture.post.platform, score: 9, reasons: ['Clear and on topic.'] }],
    [fixture.post],
    fixture.others.filter((other) => !other.earlier),
    fixture.campaign.goal,
    {
      niche: fixture.campaign.niche,
      durationDays: fixture.campaign.durationDays,
      historyDays: fixture.campaign.historyDays,
      earlierCampaigns: fixture.others.filter((other) => other.earlier),
    },
  );
  return result!;
}

export function calibration() {
  const flagged = PLANTED_POSTS.filter((fixture) => judgeFixture(fixture).violations.length > 0).length;
  const passed = CLEAN_POSTS.filter((fixture) => judgeFixture(fixture).violations.length === 0).length;
  return { planted: PLANTED_POSTS.length, flagged, clean: CLEAN_POSTS.length, passed };
}

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

export function qualityTable(before: QualityNumbers, after: QualityNumbers): string {
  const row = (label: string, pick: (numbers: QualityNumbers) => string, goal: string) =>
    `| ${label} | ${pick(before)} | ${pick(after)} | ${goal} |`;
  const posts = (n: number, q: QualityNumbers) => `${n} (${percent(n, q.posts)})`;
  return [
    '| | before (a04c7a7) | after | goal |',
    '|---|---:|---:|---|',
    row('posts', (q) => String(q.posts), ''),
    row('distinct sentences (lowest campaign)', (q) => percent(q.distinctSentences, 1), '≥ 90 %'),
    row('posts breaking a promise (count or stance)', (q) => posts(q.violations.promise, q), '0'),
    row('posts claiming beyond the campaign', (q) => posts(q.violations.horizon, q), '0'),
    row('posts with hashtag faults', (q) => posts(q.violations.hashtag, q), '0'),
    row('posts with a CTA off the goal', (q) => posts(q.violations.cta, q), '0'),
    row('posts repeating a title, hook or sentences', (q) => posts(q.violations.repetition, q), ''),
    row('second-campaign titles repeating the first', (q) => `${q.crossCampaignTitleRepeats} of ${q.secondCampaignTitles}`, ''),
    row('critic score: mean', (q) => q.scores.mean.toFixed(1), ''),
    row(
      'critic score: < 4 / 4–7 / 7–9 / ≥ 9',
      (q) => `${q.scores.under4} / ${q.scores.from4to7} / ${q.scores.from7to9} / ${q.scores.from9}`,
      '',
    ),
  ].join('\n');
}

export function qualityBench(): string {
  const before = measureQuality(capturedCampaigns());
  const after = measureQuality(writeSampleCampaigns());
  const { planted, flagged, clean, passed } = calibration();
  return [
    qualityTable(before, after),
    '',
    `Planted-defect set (test/fixtures/content): ${flagged} of ${planted} defects flagged (${percent(flagged, planted)}, goal ≥ 95 %); ${passed} of ${clean} clean posts passed (${percent(passed, clean)}, goal ≥ 95 %).`,
  ].join('\n');
}
