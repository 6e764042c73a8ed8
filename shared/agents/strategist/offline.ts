import { seededRandom } from '../../ai';
import { memoryCampaign } from '../../domain/memories';
import { plural } from '../../domain/wording';
import { parseHandle } from '../forensics/offline';
import {
  bare,
  claimDistinct,
  clip,
  distinctTexts,
  fill,
  formatNumber,
  joinList,
  phrase,
  pick,
  platformNames,
  sentence,
  type Random,
} from '../common/offline-text';
import {
  type CampaignGoal,
  type GoalType,
  type LearningMemory,
  MAX_MEMORIES,
  type StrategistInput,
  weeksIn,
  type WeeklyTheme,
  type Kpi,
  type Strategy,
  postsPerPlatform,
  totalPosts,
} from './schema';

const sameText = (a: string, b: string) => {
  const [x, y] = [bare(a).toLowerCase(), bare(b).toLowerCase()];
  return x.length > 0 && y.length > 0 && (x === y || x.includes(y) || y.includes(x));
};

/** Memories sharing the goal type, a platform or the niche, strongest match first (goal type, then platform, then niche). */
export function relevantMemories(input: Pick<StrategistInput, 'goal' | 'platforms' | 'niche' | 'memories'>): LearningMemory[] {
  const platforms = new Set(input.platforms.map((p) => p.platform));
  return input.memories
    .slice(0, MAX_MEMORIES)
    .filter((memory) => memory.id.length > 0 && memory.id.length <= 200)
    .map((memory, index) => ({
      memory,
      index,
      score:
        (memory.goalType === input.goal.type ? 4 : 0) +
        (platforms.has(memory.platform) ? 2 : 0) +
        (sameText(memory.niche, input.niche) ? 1 : 0),
    }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ memory }) => memory);
}

interface Phase {
  labels: [string, string];
  focus: string;
}

/** Four phases per goal type; the weeks of a campaign walk through them in order. */
const ARCS: Record<GoalType, Phase[]> = {
  followers: [
    {
      labels: ['First impressions', 'Meet the creator'],
      focus: 'Lead with the most shareable {pillar} ideas so a new viewer sees in one post why to follow.',
    },
    {
      labels: ['Consistency', 'Recognisable series'],
      focus: 'Turn {pillar} into a named series on {platforms} and keep the cadence exactly as planned.',
    },
    {
      labels: ['Borrowed reach', 'Collaborations'],
      focus: 'Reply to, duet or collaborate with bigger {niche} accounts around {pillar} to reach their audiences.',
    },
    {
      labels: ['Follow-worthy', 'Series finale'],
      focus: 'Give a reason to follow now: recap {pillar}, tease what comes next and ask for the follow explicitly.',
    },
  ],
  views: [
    {
      labels: ['Hook lab', 'Scroll-stoppers'],
      focus: 'Test two hook styles per {pillar} post and keep the one that holds the first three seconds.',
    },
    {
      labels: ['Search and discovery', 'Searchable answers'],
      focus: 'Title {pillar} posts after what people search for in {niche}, one question per post.',
    },
    { labels: ['Binge-worthy series', 'Part two'], focus: 'Chain {pillar} posts into parts so one view leads to the next on {platforms}.' },
    { labels: ['Double down', 'Best of'], focus: 'Remake the best-performing {pillar} formats with a new example each.' },
  ],
  engagement: [
    {
      labels: ['Start conversations', 'Open questions'],
      focus: 'End every {pillar} post with one specific question the audience can answer in a few words.',
    },
    {
      labels: ['Community questions', 'You asked'],
      focus: 'Build {pillar} posts from real comments and DMs, crediting the people who asked.',
    },
    {
      labels: ['Interactive formats', 'Polls and challenges'],
      focus: 'Use polls, quizzes and small challenges on {pillar} that invite replies on {platforms}.',
    },
    {
      labels: ['Celebrate the community', 'Community spotlight'],
      focus: 'Feature audience results and stories around {pillar} and reply to every comment in the first hour.',
    },
  ],
  leads: [
    {
      labels: ['Name the problem', 'Problem awareness'],
      focus: 'Show the {niche} problem {pillar} solves, in the words the audience uses.',
    },
    { labels: ['Proof', 'Show the method'], focus: 'Demonstrate the method behind {pillar} with a real example and one clear result.' },
    {
      labels: ['Lead magnet', 'The free resource'],
      focus: 'Point each {pillar} post to one free resource that continues it, with a single call to action.',
    },
    {
      labels: ['Follow-up', 'Objections answered'],
      focus: 'Answer the objections that stop people from signing up, one {pillar} post each.',
    },
  ],
  sales: [
    {
      labels: ['Name the problem', 'Why it matters'],
      focus: 'Make the cost of the {niche} problem behind {pillar} concrete before any offer is mentioned.',
    },
    { labels: ['Proof and demos', 'Show it working'], focus: 'Demo the result {pillar} leads to, with real examples and honest limits.' },
    {
      labels: ['Objections', 'Questions before buying'],
      focus: 'Address price, time and trust objections with {pillar} content and testimonials.',
    },
    {
      labels: ['The offer', 'Last call'],
      focus: 'State the offer clearly on {platforms}, with a deadline and one link, alongside {pillar} value posts.',
    },
  ],
  launch: [
    { labels: ['Tease', 'Something is coming'], focus: 'Hint at the launch through {pillar} posts that name the problem it solves.' },
    {
      labels: ['Build anticipation', 'Behind the launch'],
      focus: 'Show the making of the launch through {pillar} and open a waitlist or reminder.',
    },
    { labels: ['Launch', 'It is live'], focus: 'Launch on every platform the same day, with {pillar} posts that show it in use.' },
    { labels: ['Sustain', 'After the launch'], focus: 'Share early reactions and answers to launch questions, keeping {pillar} going.' },
  ],
};

const GOAL_NOUNS: Record<GoalType, string> = {
  followers: 'audience-growth',
  views: 'reach',
  engagement: 'engagement',
  leads: 'lead-generation',
  sales: 'sales',
  launch: 'launch',
};

/** A target rounded to what a creator would write: one decimal below 100, whole numbers above. */
function niceNumber(value: number): number {
  if (value < 100) return Math.round(value * 10) / 10;
  if (value < 1_000) return Math.round(value);
  if (value < 10_000) return Math.round(value / 10) * 10;
  return Math.round(value / 100) * 100;
}

/** Where the goal's metric should be after `week` of `weeks`: an S-shaped path from the baseline to the target. */
function milestone(goal: CampaignGoal, week: number, weeks: number): number {
  const from = goal.baseline ?? 0;
  const progress = week / weeks;
  const eased = progress * progress * (3 - 2 * progress);
  return niceNumber(from + (goal.target - from) * (goal.target > from ? eased : progress));
}

/** The memory's lessons as advice, recommendations first; the weeks a memory shapes take them in turn. */
function memoryLessons(memory: LearningMemory): string[] {
  const lessons = [
    ...memory.recommendations.map(bare).filter(Boolean),
    ...memory.whatWorked
      .map(bare)
      .filter(Boolean)
      .map((worked) => `repeat what worked (${worked})`),
    ...memory.whatFailed
      .map(bare)
      .filter(Boolean)
      .map((failed) => `avoid what failed (${failed})`),
  ];
  return (lessons.length > 0 ? lessons : ['keep the cadence that campaign sustained']).map((lesson) => clip(lesson, 120));
}

function memoryHow(memory: LearningMemory, weeks: number[], input: StrategistInput, random: Random): string {
  const worked = memory.whatWorked.map(bare).filter(Boolean);
  const failed = memory.whatFailed.map(bare).filter(Boolean);
  const recommendations = memory.recommendations.map(bare).filter(Boolean);
  const matches = [
    memory.goalType === input.goal.type ? `the same ${memory.goalType} goal` : '',
    input.platforms.some((p) => p.platform === memory.platform) ? `the same platform (${platformNames[memory.platform]})` : '',
    sameText(memory.niche, input.niche) ? 'the same niche' : '',
  ].filter(Boolean);
  const weekText = weeks.length > 0 ? `week${weeks.length > 1 ? 's' : ''} ${joinList(weeks.map(String))}` : 'the whole campaign';
  const parts = [
    `${pick(random, ['Matched on', 'Relevant because of', 'Chosen for'])} ${joinList(matches)}.`,
    worked.length > 0 ? `Kept what worked ("${clip(worked[0]!, 80)}") in ${weekText}.` : '',
    failed.length > 0 ? `Dropped what failed ("${clip(failed[0]!, 80)}").` : '',
    recommendations.length > 0 ? `Applied its recommendation: ${clip(recommendations[0]!, 100)}.` : '',
    memory.summary ? `The creator's own summary: "${clip(memory.summary, 150)}"` : '',
    worked.length + failed.length + recommendations.length === 0
      ? `It recorded no specific lessons, so it only confirmed the cadence for ${weekText}.`
      : '',
  ];
  return clip(parts.filter(Boolean).join(' '), 400);
}

export function offlineStrategy(input: StrategistInput, seed: string): Strategy {
  const random = seededRandom(`strategist|${seed}`);
  const { goal } = input;
  const weeks = weeksIn(input.durationDays);
  const niche = phrase(input.niche, 60, 'this niche');
  const metric = phrase(goal.metric, 80, goal.type);
  const platforms = [...new Map(input.platforms.map((p) => [p.platform, p])).values()];
  const platformList = joinList(platforms.map((p) => platformNames[p.platform])) || 'the chosen platforms';
  const pillarNames = distinctTexts(input.context.contentPillars.map((p) => clip(p.name, 60))).slice(0, 5);
  const pillars = pillarNames.length > 0 ? pillarNames : [clip(`${niche} essentials`, 60)];
  const counts = postsPerPlatform(input);
  const total = totalPosts(input);
  const memories = relevantMemories(input);

  // Memory i is worked into weeks i+1, i+1+n, … (n = memories applied), so each shapes part of the plan.
  const memoryWeeks = memories.map((_, i) => Array.from({ length: weeks }, (_, w) => w + 1).filter((w) => (w - 1) % memories.length === i));

  const arc = ARCS[goal.type];
  const themeNames = new Set<string>();
  const offset = Math.floor(random() * pillars.length);
  const weeklyThemes: WeeklyTheme[] = Array.from({ length: weeks }, (_, i) => {
    const week = i + 1;
    const phase = arc[Math.min(arc.length - 1, Math.floor((i * arc.length) / weeks))]!;
    const pillar = pillars[(i + offset) % pillars.length]!;
    const nextPillar = pillars[(i + offset + 1) % pillars.length]!;
    const theme = claimDistinct(
      [
        `${phase.labels[0]}: ${pillar}`,
        `${phase.labels[1]}: ${pillar}`,
        `${phase.labels[0]}: ${nextPillar}`,
        `${phase.labels[1]}: ${nextPillar}`,
      ],
      themeNames,
      120,
    );
    const memoryIndex = memoryWeeks.findIndex((ws) => ws.includes(week));
    const memory = memories[memoryIndex];
    const lessons = memory ? memoryLessons(memory) : [];
    const lesson = memory ? ` Lesson from ${memory.id}: ${lessons[memoryWeeks[memoryIndex]!.indexOf(week) % lessons.length]}.` : '';
    const target = ` Milestone: about ${formatNumber(milestone(goal, week, weeks))} ${metric} by the end of week ${week}.`;
    // The lesson (with its memory id) and the milestone are kept whole; the phase's focus gives way.
    const room = Math.max(60, 400 - lesson.length - target.length);
    const base = clip(fill(phase.focus, { pillar: `"${pillar}"`, niche, platforms: platformList }), room);
    return { week, theme, focus: clip(`${base}${lesson}${target}`, 400) };
  });

  const gain = goal.baseline !== undefined ? Math.max(goal.target - goal.baseline, 0) : goal.target;
  const metricPlatform = platforms.find((p) => new RegExp(`\\b${platformNames[p.platform]}\\b`, 'i').test(goal.metric))?.platform;
  const kpis: Kpi[] = [
    { metric: phrase(goal.metric, 120, goal.type), target: goal.target, ...(metricPlatform ? { platform: metricPlatform } : {}) },
  ];
  for (const { platform } of platforms) {
    const name = platformNames[platform];
    kpis.push({ metric: `posts published on ${name}`, target: counts.get(platform) ?? 0, platform });
  }
  for (const { platform } of platforms) {
    const name = platformNames[platform];
    const share = total > 0 ? (counts.get(platform) ?? 0) / total : 0;
    const perPlatform: Record<GoalType, Kpi | undefined> = {
      followers: { metric: `new followers on ${name}`, target: niceNumber(gain * share), platform },
      views: { metric: `views on ${name}`, target: niceNumber(gain * share), platform },
      engagement: { metric: clip(`${metric} on ${name}`, 120), target: goal.target, platform },
      leads: { metric: clip(`${metric} from ${name}`, 120), target: niceNumber(gain * share), platform },
      sales: { metric: clip(`${metric} from ${name}`, 120), target: niceNumber(gain * share), platform },
      launch: { metric: clip(`${metric} from ${name}`, 120), target: niceNumber(gain * share), platform },
    };
    const kpi = perPlatform[goal.type];
    if (kpi && kpi.target > 0 && platforms.length > 1) kpis.push(kpi);
  }

  const from = goal.baseline !== undefined ? `from ${formatNumber(goal.baseline)} ` : '';
  const gap = input.forensics.gaps.map(bare).find(Boolean);
  const rivals = distinctTexts(input.forensics.competitors.map((c) => parseHandle(c.handle).label)).slice(0, 3);
  const opener = pick(random, [
    `A ${weeks}-week ${GOAL_NOUNS[goal.type]} campaign in ${niche} across ${platformList}`,
    `${weeks} weeks of ${niche} content on ${platformList}, built for ${GOAL_NOUNS[goal.type]}`,
    `This ${input.durationDays}-day ${niche} campaign on ${platformList}`,
  ]);
  const summary = [
    `${opener}: ${total} posts on ${joinList(pillars.map((p) => `"${p}"`))}, taking ${metric} ${from}to ${formatNumber(goal.target)}.`,
    gap ? `It opens on a gap competitors leave: ${sentence(gap, 200)}` : '',
    rivals.length > 0 ? `Positioned against ${joinList(rivals)}.` : '',
    memories.length > 0
      ? `Lessons from ${plural(new Set(memories.map((m) => memoryCampaign({ memory: m.id }))).size, 'earlier campaign')} applied (${memories.map((m) => m.id).join(', ')}).`
      : 'No earlier campaign shares this goal, platform or niche, so the plan starts from first principles.',
  ];

  const stance = pick(random, [
    `For the next ${weeks} weeks every post earns ${metric}.`,
    `During this campaign, each post is judged by what it does for ${metric}.`,
  ]);

  return {
    summary: clip(summary.filter(Boolean).join(' '), 900),
    positioning: clip(`${clip(input.context.positioning, 480)} ${stance}`, 600),
    pillars,
    weeklyThemes,
    kpis: kpis.slice(0, 10),
    appliedMemories: memories.map((memory, i) => ({ id: memory.id, how: memoryHow(memory, memoryWeeks[i] ?? [], input, random) })),
  };
}
