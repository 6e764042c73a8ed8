import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { contextAgent, type ContextAnalysis } from '../../agents/context';
import { criticAgent, critique, type CriticPost } from '../../agents/critic';
import { forensicsAgent, type ForensicsReport } from '../../agents/forensics';
import { calendarBatches, plannerAgent, type PostPlan } from '../../agents/planner';
import { strategistAgent, type LearningMemory, type Strategy } from '../../agents/strategist';
import { alignDrafts, writerAgent, type PostBrief, type PostCritique, type WriterInput } from '../../agents/writer';
import { dynamo } from '../../db/client';
import { mapLimited } from '../../db/concurrency';
import { keys } from '../../db/keys';
import {
  createPlannedContent,
  expectGenerating,
  readAttempt,
  saveAgentOutput,
  scheduleRequestOf,
  updateProgress,
  WorkflowError,
  type AttemptRef,
  type WorkflowCampaign,
} from '../../db/workflow-store';
import { brandAssetsInput } from '../../domain/brand-assets';
import { hookOf } from '../../domain/platform-rules';
import { buildSchedule, planSummary } from '../../domain/schedule';
import { ZERO_USAGE } from '../../domain/usage';
import { logger } from '../../logger';
import { goalSchema } from '../../schemas/campaign';
import { platformSchema } from '../../schemas/common';
import { batchOutputName, requireOutput, runStoredAgent } from '../agent-output';
import { parseWeekInput, queryContent, weekDays, weekInputSchema, weekOf, type ContentRecord } from '../batch';
import { storeWithUsage } from '../metering';
import { contextInputOf, freshAnalysis, keepAnalysis } from '../profile-context';

/**
 * The task-side logic of the campaign workflow's agent stages. Each reads its inputs from the
 * table (the header, earlier agent outputs, content items) and writes its outputs there; the state
 * carries ids and a batch's `{ week, round }` only.
 */

const DEFAULT_CRITIQUE_BAR = 7;
const DEFAULT_MAX_CRITIQUE_ROUNDS = 2;
const WRITE_CONCURRENCY = 10;

/** One item of the Writing Map: a week and its critique round. */
export const batchInputSchema = weekInputSchema.extend({ round: z.number().int().min(0).max(3) });
export type BatchInput = z.infer<typeof batchInputSchema>;

export const parseBatchInput = (input: unknown): BatchInput => parseWeekInput(batchInputSchema, input);

interface Snapshot {
  niche?: string;
  targetAudienceNiche?: string;
}
const snapshotOf = (campaign: WorkflowCampaign) => (campaign.profileSnapshot ?? {}) as Snapshot & Record<string, unknown>;
const nicheOf = (campaign: WorkflowCampaign) => snapshotOf(campaign).niche ?? 'general';

function goalOf(campaign: WorkflowCampaign) {
  const parsed = goalSchema.safeParse(campaign.goal);
  if (!parsed.success) throw new WorkflowError('InvalidCampaign', `Campaign ${campaign.campaignId} has no valid goal`);
  return parsed.data;
}

function critiqueSettings(campaign: WorkflowCampaign) {
  return {
    critiqueBar: campaign.agentConfig?.critiqueBar ?? DEFAULT_CRITIQUE_BAR,
    maxRounds: campaign.agentConfig?.maxCritiqueRounds ?? DEFAULT_MAX_CRITIQUE_ROUNDS,
  };
}

async function generating(table: string, ref: AttemptRef) {
  return expectGenerating(await readAttempt(table, ref));
}

async function setStep(table: string, ref: AttemptRef, campaign: WorkflowCampaign, step: string, now: string) {
  if (campaign.progress?.step !== step) await updateProgress(table, ref, { step }, now);
}

// ---------------------------------------------------------------------------------------------
// Research: context analysis and competitor forensics (in parallel), then the strategy

/**
 * The context analysis: the profile's own (POST /profile/analyze, or an earlier campaign) when it
 * is newer than the profile's last update, at no LLM call; else the analyzer runs, and its result
 * is kept on the profile for the next campaign (unless the profile changed since the start).
 */
export async function analyzeContext(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  const profile = snapshotOf(campaign);
  const reused = freshAnalysis(profile);
  if (reused) {
    await saveAgentOutput(table, ref, 'context', reused, now);
    return { model: 'profile', fresh: false };
  }
  const result = await runStoredAgent(table, campaign, ref, { name: 'context', spec: contextAgent, input: contextInputOf(profile), seed: ref.campaignId }, now);
  if (result.fresh) await keepAnalysis(table, ref.userId, profile, result.output, result.model, now);
  return { model: result.model, fresh: result.fresh };
}

export async function analyzeCompetitors(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  const input = {
    niche: nicheOf(campaign),
    competitors: campaign.competitors ?? [],
    platforms: (campaign.platforms ?? []).map((plan) => plan.platform),
  };
  const result = await runStoredAgent(table, campaign, ref, { name: 'forensics', spec: forensicsAgent, input, seed: ref.campaignId }, now);
  return { model: result.model, fresh: result.fresh };
}

const memorySchema = z.object({
  memory: z.string(),
  goalType: goalSchema.shape.type,
  platform: platformSchema,
  niche: z.string().catch(''),
  whatWorked: z.array(z.string()).catch([]),
  whatFailed: z.array(z.string()).catch([]),
  recommendations: z.array(z.string()).catch([]),
});

/** The learning memories frozen into the campaign at start (`insights`); unusable ones are left out. */
function memoriesOf(campaign: WorkflowCampaign): LearningMemory[] {
  const insights = Array.isArray(campaign.insights) ? (campaign.insights as unknown[]) : [];
  return insights.flatMap((insight) => {
    const parsed = memorySchema.safeParse(insight);
    if (!parsed.success) return [];
    const { memory, ...rest } = parsed.data;
    return [{ id: memory, ...rest }];
  });
}

export async function planStrategy(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  await setStep(table, ref, campaign, 'strategy', now);
  const [context, forensics] = await Promise.all([requireOutput<ContextAnalysis>(table, ref, 'context'), requireOutput<ForensicsReport>(table, ref, 'forensics')]);
  const request = scheduleRequestOf(campaign);
  const input = {
    niche: nicheOf(campaign),
    goal: goalOf(campaign),
    durationDays: request.durationDays,
    platforms: request.platforms.map(({ platform, postsPerWeek }) => ({ platform, postsPerWeek })),
    context,
    forensics,
    memories: memoriesOf(campaign),
  };
  const result = await runStoredAgent(table, campaign, ref, { name: 'strategy', spec: strategistAgent, input, seed: ref.campaignId }, now);
  return { model: result.model, fresh: result.fresh };
}

// ---------------------------------------------------------------------------------------------
// Planning: the calendar in code, one topic per post from the planner agent

/**
 * Computes the calendar, asks the planner for each post's pillar, topic and angle (one call per
 * ≤130 posts, whole weeks), and creates one content item per post with them (a re-run creates only
 * what is missing and sets the topics on the items that exist). Returns the Maps' items: the weeks.
 */
export async function planPosts(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  const posts = buildSchedule(scheduleRequestOf(campaign));
  await saveAgentOutput(table, ref, 'plan', planSummary(posts), now);

  const [strategy, context] = await Promise.all([requireOutput<Strategy>(table, ref, 'strategy'), requireOutput<ContextAnalysis>(table, ref, 'context')]);
  const batches = calendarBatches(posts.map(({ day, platform, format }) => ({ day, platform, format })));
  const topics = new Map<string, PostPlan['posts'][number]>();
  for (const [i, batch] of batches.entries()) {
    const result = await runStoredAgent(
      table,
      campaign,
      ref,
      { name: i === 0 ? 'topics' : `topics-${i + 1}`, spec: plannerAgent, input: { strategy, pillars: context.contentPillars, posts: batch }, seed: `${ref.campaignId}#plan#${i}` },
      now,
    );
    for (const topic of result.output.posts) topics.set(`${topic.day}|${topic.platform}`, topic);
  }
  const topicOf = ({ day, platform }: { day: number; platform: string }) => {
    const topic = topics.get(`${day}|${platform}`);
    return topic && { pillar: topic.pillar, topic: topic.topic, angle: topic.angle };
  };
  const existing = await createPlannedContent(table, ref, posts, topicOf, now);
  await mapLimited(existing, WRITE_CONCURRENCY, async (post) => {
    const topic = topicOf(post);
    if (topic) await updateIfExists(table, keys.content(ref.userId, ref.campaignId, post.day, post.platform), topic);
  });

  const weeks = [...new Set(posts.map((post) => Math.ceil(post.day / 7)))].sort((a, b) => a - b);
  // The done counters start absent (LoadContext's fresh progress) and are ADDed by the Critique tasks.
  await updateProgress(table, ref, { step: 'plan', postsTotal: posts.length, batchesTotal: weeks.length }, now);
  logger.info('posts planned', { postsTotal: posts.length, created: posts.length - existing.length, weeks: weeks.length });
  // The two Maps' items (Writing and Thumbnails), at most 13 weeks.
  return { postsTotal: posts.length, batches: weeks.map((week) => ({ week })) };
}

// ---------------------------------------------------------------------------------------------
// Writing: Write → Critique → (rewrite the posts below the bar) per week

/** The titles and hooks the campaign's other posts use by now, which a rewrite must not repeat. */
function takenBy(campaignItems: readonly ContentRecord[], rewritten: readonly ContentRecord[]) {
  const others = campaignItems.filter((item) => item.title && !rewritten.includes(item));
  return { titles: others.map((item) => item.title!), hooks: others.map(hookOf).filter(Boolean) };
}

/** Posts the workflow may (re)write: a creator's edit (version > 1) is never overwritten. */
const generated = (item: ContentRecord) => item.version === 1;

/** The posts a round works on: every generated post in round 0, then those the last critique scored below the bar. */
function postsOfRound(items: ContentRecord[], round: number, critiqueBar: number): ContentRecord[] {
  return items.filter((item) => generated(item) && (round === 0 || (item.critique !== undefined && item.critique.score < critiqueBar)));
}

export async function writeBatch(table: string, batch: BatchInput, now: string) {
  const { week, round, ...ref } = batch;
  const campaign = await generating(table, ref);
  await setStep(table, ref, campaign, 'writing', now);
  const { critiqueBar } = critiqueSettings(campaign);
  const [strategy, context, campaignItems] = await Promise.all([
    requireOutput<Strategy>(table, ref, 'strategy'),
    requireOutput<ContextAnalysis>(table, ref, 'context'),
    queryContent(table, ref, 1, 90),
  ]);
  const items = campaignItems.filter((item) => weekOf(item.day) === week);
  const posts = postsOfRound(items, round, critiqueBar);
  if (posts.length === 0) return { written: 0 };

  const briefOf = (item: ContentRecord): PostBrief => ({
    day: item.day,
    platform: item.platform,
    format: item.format,
    pillar: item.pillar ?? strategy.pillars[0],
    topic: item.topic ?? `${nicheOf(campaign)}, day ${item.day}`,
    angle: item.angle ?? strategy.positioning,
  });
  const briefs = posts.map(briefOf);
  const critiques: PostCritique[] | undefined =
    round === 0 ? undefined : posts.map((item) => ({ day: item.day, platform: item.platform, score: item.critique!.score, reasons: item.critique!.reasons }));
  const goal = goalOf(campaign);
  const input: WriterInput = {
    strategy: { summary: strategy.summary, positioning: strategy.positioning, pillars: strategy.pillars },
    voice: context.voice,
    language: campaign.agentConfig?.language ?? 'en',
    goal: { type: goal.type, metric: goal.metric, target: goal.target },
    niche: nicheOf(campaign),
    audience: snapshotOf(campaign).targetAudienceNiche ?? context.audienceInsight,
    posts: briefs,
    ...(critiques && { critiques }),
    ...brandAssetsInput(campaign),
    // First drafts see the whole plan, so parallel weeks keep titles and hooks apart (and share the
    // seed, see writeOffline); a rewrite avoids what every other post uses by now.
    ...(round === 0 ? { calendar: campaignItems.map(briefOf) } : { taken: takenBy(campaignItems, posts) }),
  };
  const seed = round === 0 ? `${ref.campaignId}#drafts` : `${ref.campaignId}#w${week}#r${round}`;
  const result = await runStoredAgent(table, campaign, ref, { name: batchOutputName('write', week, round), spec: writerAgent, input, seed }, now);
  const { posts: drafts, filled } = alignDrafts(input, result.output, seed, result.model);
  if (filled.length > 0) logger.warn('writer left posts out; the offline twin filled them', { week, round, filled });

  let written = 0;
  await mapLimited(drafts, WRITE_CONCURRENCY, async (draft) => {
    const fields = { title: draft.title, script: draft.script, post: draft.post, seoTags: draft.seoTags, cta: draft.cta, thumbnailPrompt: draft.thumbnailPrompt, language: draft.language, updatedAt: now };
    if (await updateIfExists(table, keys.content(ref.userId, ref.campaignId, draft.day, draft.platform), fields, 'version = :generatedVersion')) written++;
  });
  return { written };
}

export async function critiqueBatch(table: string, batch: BatchInput, now: string) {
  const { week, round, ...ref } = batch;
  const campaign = await generating(table, ref);
  const { critiqueBar, maxRounds } = critiqueSettings(campaign);
  const [strategy, context, items, earlierItems] = await Promise.all([
    requireOutput<Strategy>(table, ref, 'strategy'),
    requireOutput<ContextAnalysis>(table, ref, 'context'),
    queryContent(table, ref, ...weekDays(week)),
    week > 1 ? queryContent(table, ref, 1, weekDays(week)[0] - 1) : [],
  ]);
  const judged = postsOfRound(items, round, critiqueBar).filter((item) => item.title && item.post && item.cta);
  const goal = goalOf(campaign);
  const writerGoal = { type: goal.type, metric: goal.metric, target: goal.target };

  const scores = new Map(items.filter((item) => item.critique).map((item) => [`${item.day}|${item.platform}`, item.critique!.score]));
  if (judged.length > 0) {
    const posts: CriticPost[] = judged.map((item) => ({
      day: item.day,
      platform: item.platform,
      format: item.format,
      pillar: item.pillar,
      topic: item.topic,
      angle: item.angle,
      title: item.title!,
      ...(item.script && { script: item.script }),
      post: item.post!,
      seoTags: item.seoTags ?? [],
      cta: item.cta!,
      thumbnailPrompt: item.thumbnailPrompt ?? item.title!,
    }));
    const input = { strategy: { summary: strategy.summary, pillars: strategy.pillars }, goal: writerGoal, niche: nicheOf(campaign), audience: context.audienceInsight, posts };
    const result = await runStoredAgent(
      table,
      campaign,
      ref,
      { name: batchOutputName('critique', week, round), spec: criticAgent, input, seed: `${ref.campaignId}#w${week}#r${round}` },
      now,
    );
    // Weeks are written in parallel: a title or hook two weeks share counts against the later
    // day only, so only that one is rewritten (the writer avoids every title stored by then).
    const final = critique(result.output.reviews, posts, earlierItems, writerGoal);
    await mapLimited(final, WRITE_CONCURRENCY, async ({ day, platform, score, reasons }) => {
      scores.set(`${day}|${platform}`, score);
      await updateIfExists(table, keys.content(ref.userId, ref.campaignId, day, platform), { critique: { score, reasons, rounds: round + 1 } }, 'version = :generatedVersion');
    });
  }

  const generatedScores = items.filter(generated).map((item) => scores.get(`${item.day}|${item.platform}`) ?? 0);
  const minScore = generatedScores.length > 0 ? Math.min(...generatedScores) : 10;
  if (minScore >= critiqueBar || round >= maxRounds) {
    // The batch's end is counted once per attempt: a marker item, written with the progress counts.
    await storeWithUsage(
      table,
      ref,
      {
        Put: {
          TableName: table,
          Item: { ...keys.agentOutput(ref.userId, ref.campaignId, `~batch#w${String(week).padStart(2, '0')}`), doneAttempt: ref.attempt, rounds: round + 1, minScore, updatedAt: now },
          ConditionExpression: 'attribute_not_exists(PK) OR doneAttempt <> :attempt',
          ExpressionAttributeValues: { ':attempt': ref.attempt },
        },
      },
      ZERO_USAGE,
      { batchesDone: 1, postsDone: items.length, critiqueRounds: round + 1 },
    );
  }
  return { minScore, critiqueBar, maxRounds };
}

// ---------------------------------------------------------------------------------------------

/** SET on an existing item (never recreates a deleted one); false when the condition failed. */
async function updateIfExists(table: string, key: Record<string, string>, fields: Record<string, unknown>, extraCondition?: string): Promise<boolean> {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ConditionExpression: ['attribute_exists(PK)', extraCondition].filter(Boolean).join(' AND '),
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
          ...(extraCondition?.includes(':generatedVersion') && { ':generatedVersion': 1 }),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
