import type { ContextAnalysis } from '../../agents/context';
import type { Strategy } from '../../agents/strategist';
import { alignDrafts, writerAgent, type PostBrief, type PostCritique, type WriterInput } from '../../agents/writer';
import { chunkTokensOf, writerChunks } from '../../domain/writer-chunks';
import { mapLimited } from '../../db/concurrency';
import { keys } from '../../db/keys';
import { brandAssetsInput } from '../../domain/brand-assets';
import { initialStyles, type HookSet } from '../../domain/hook-styles';
import { hookOf } from '../../domain/platform-rules';
import { logger } from '../../core/logger';
import { batchOutputName, requireOutput, runStoredAgent } from '../agent-output';
import { queryContent, queryEarlierPosts, updateIfExists, type ContentRecord, type EarlierPost } from '../../db/workflow-content-store';
import { weekOf } from '../batch';
import {
  WRITE_CONCURRENCY,
  type BatchInput,
  snapshotOf,
  nicheOf,
  goalOf,
  critiqueSettings,
  generating,
  setStep,
  postsOfRound,
  inScope,
  replanOf,
} from './common';

const titlesAndHooks = (posts: readonly EarlierPost[]) => ({
  titles: posts.map((post) => post.title!),
  hooks: posts.map(hookOf).filter(Boolean),
});

/** The titles and hooks the week's other posts use (their other styles' hooks too), which a rewrite must not repeat. */
function takenBy(weekItems: readonly ContentRecord[], rewritten: readonly ContentRecord[]) {
  const others = weekItems.filter((item) => item.title && !rewritten.includes(item));
  const taken = titlesAndHooks(others);
  return { ...taken, hooks: [...new Set([...taken.hooks, ...others.flatMap((item) => Object.values(item.hooks ?? {}))])] };
}

export async function writeBatch(table: string, batch: BatchInput, now: string) {
  const { week, round, ...ref } = batch;
  const campaign = await generating(table, ref);
  await setStep(table, ref, campaign, 'writing', now);
  const { critiqueBar } = critiqueSettings(campaign);
  const [strategy, context, campaignItems, earlierPosts] = await Promise.all([
    requireOutput<Strategy>(table, ref, 'strategy'),
    requireOutput<ContextAnalysis>(table, ref, 'context'),
    queryContent(table, ref, 1, 90),
    queryEarlierPosts(table, ref),
  ]);
  const items = campaignItems.filter((item) => weekOf(item.day) === week);
  const posts = postsOfRound(inScope(campaign, items), round, critiqueBar);
  if (posts.length === 0) return { written: 0 };

  const styles = campaign.experiments?.hookStyles;
  const plan = styles && initialStyles(campaignItems, styles);
  const styleOf = (item: ContentRecord) => item.hookStyle ?? plan?.get(`${item.day}#${item.platform}`);
  const briefOf = (item: ContentRecord): PostBrief => ({
    day: item.day,
    platform: item.platform,
    format: item.format,
    pillar: item.pillar ?? strategy.pillars[0],
    topic: item.topic ?? `${nicheOf(campaign)}, day ${item.day}`,
    angle: item.angle ?? strategy.positioning,
    ...(plan && { hookStyle: styleOf(item) }),
  });
  const goal = goalOf(campaign);
  const shared: Omit<WriterInput, 'posts'> = {
    strategy: { summary: strategy.summary, positioning: strategy.positioning, pillars: strategy.pillars },
    voice: context.voice,
    language: campaign.agentConfig?.language ?? 'en',
    goal: { type: goal.type, metric: goal.metric, target: goal.target },
    niche: nicheOf(campaign),
    audience: snapshotOf(campaign).targetAudienceNiche ?? context.audienceInsight,
    creator: {
      uniqueAngle: snapshotOf(campaign).uniqueAngle,
      strengths: snapshotOf(campaign).selfStrengths,
      topics: snapshotOf(campaign).selfTopics,
    },
    ...brandAssetsInput(campaign),
    ...(styles && { hookStyles: styles }),
    ...(earlierPosts.length > 0 && { earlier: titlesAndHooks(earlierPosts) }),
    // Every call sees the whole plan, so parallel calls keep titles and hooks apart (and share the
    // seed: the offline twin drafts the calendar once, see writeOffline). A rewrite also avoids
    // what its own week's other posts use now; other weeks' posts are not read, since which of
    // them are written by now depends on timing (docs/architecture.md, "Weeks in parallel").
    calendar: campaignItems.map(briefOf),
    ...(round > 0 && { taken: takenBy(items, posts) }),
  };
  // A re-plan's drafts are new drafts: their own seed, the same for every round.
  const replan = replanOf(campaign);
  const seed = replan === undefined ? `${ref.campaignId}#drafts` : `${ref.campaignId}#replan${replan}#drafts`;
  // The week's calls run at once: the week takes as long as its longest chunk.
  const chunks = writerChunks(posts, chunkTokensOf(week));
  const drafts = (
    await Promise.all(
      chunks.map(async (chunk, i) => {
        const input: WriterInput = {
          ...shared,
          posts: chunk.map(briefOf),
          ...(round > 0 && {
            critiques: chunk.map((item): PostCritique => ({
              day: item.day,
              platform: item.platform,
              score: item.critique!.score,
              reasons: item.critique!.reasons,
            })),
          }),
        };
        const result = await runStoredAgent(
          table,
          campaign,
          ref,
          { name: batchOutputName('write', week, round, i), spec: writerAgent, input, seed },
          now,
        );
        const aligned = alignDrafts(input, result.output, seed, result.model);
        if (aligned.filled.length > 0)
          logger.warn('writer left posts out; the offline twin filled them', { week, round, filled: aligned.filled });
        return aligned.posts;
      }),
    )
  ).flat();

  let written = 0;
  await mapLimited(drafts, WRITE_CONCURRENCY, async (draft) => {
    const item = posts.find((post) => post.day === draft.day && post.platform === draft.platform);
    const hookStyle = item && briefOf(item).hookStyle;
    // The post's opening is its style's hook, whatever the model put under that style.
    const hooks: HookSet | undefined = hookStyle && {
      ...Object.fromEntries(styles!.flatMap((style) => (draft.hooks?.[style] ? [[style, draft.hooks[style]]] : []))),
      [hookStyle]: hookOf(draft),
    };
    const fields = {
      title: draft.title,
      script: draft.script,
      post: draft.post,
      seoTags: draft.seoTags,
      cta: draft.cta,
      thumbnailPrompt: draft.thumbnailPrompt,
      language: draft.language,
      ...(hookStyle && { hookStyle, hooks }),
      updatedAt: now,
    };
    if (
      await updateIfExists(
        table,
        keys.content(ref.userId, ref.campaignId, draft.day, draft.platform),
        fields,
        'version = :generatedVersion',
      )
    )
      written++;
  });
  return { written };
}
