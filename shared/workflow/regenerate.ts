import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ContextAnalysis } from '../agents/context';
import { criticAgent, critique, type CriticPost } from '../agents/critic';
import type { Strategy } from '../agents/strategist';
import { alignDrafts, writerAgent, type WriterInput } from '../agents/writer';
import { getContent } from '../db/content-store';
import { transitionJob } from '../db/job-store';
import { keys } from '../db/keys';
import { readCampaign, type AttemptRef, type WorkflowCampaign } from '../db/workflow-store';
import { brandAssetsInput } from '../domain/brand-assets';
import { expectRegenerable } from '../domain/campaign-status';
import { contentChanges, type ContentRecord } from '../domain/content';
import { progressOf } from '../domain/jobs';
import { imageUsage, llmUsage, USAGE_COUNTERS, ZERO_USAGE, type Usage } from '../domain/usage';
import { DomainError } from '../core/errors';
import { hookOf } from '../domain/platform-rules';
import { logger } from '../core/logger';
import { s3 } from '../media/s3';
import { renderThumbnail } from '../media/thumbnail';
import { goalSchema } from '../schemas/campaign-fields';
import type { ContentPatch } from '../schemas/content';
import type { Job } from '../schemas/jobs';
import { readOutputItem } from '../db/agent-output-store';
import { requireOutput, runStoredAgent } from './agent-output';
import { meterToken, storeWithUsage } from '../db/metering-store';
import { queryContent, type ContentRecord as PlannedPost } from '../db/workflow-content-store';
import { runJob } from './job-run';
import { thumbnailKey, thumbnailRequest } from './thumbnail';

/**
 * Regenerating one post, as a job. The API route checks the request, writes the job `queued` and
 * invokes the worker Lambda asynchronously (InvocationType Event; locally the stack's Lambda
 * endpoint does the same); the worker rewrites the post with the writer agent (the creator's
 * instructions given as a critique), has the critic score it, renders a new thumbnail, and stores
 * the new version with the previous one kept in `revisions`. Every LLM call goes through
 * runStoredAgent (paid once, metered into the campaign's usage) under names of this job, and the
 * job records what it cost.
 */

export type StoredPost = ContentRecord & { thumbnailPrompt?: string };

async function usageOf(table: string, ref: AttemptRef, names: string[]): Promise<Usage> {
  let total: Usage = { ...ZERO_USAGE };
  for (const name of names) {
    const item = (await readOutputItem(table, ref, name)) as
      { model?: string; tokensIn?: number; tokensOut?: number; llmCalls?: number; keySource?: 'creator' } | undefined;
    if (!item?.model) continue;
    total = addUsage(
      total,
      llmUsage({
        model: item.model,
        tokensIn: item.tokensIn ?? 0,
        tokensOut: item.tokensOut ?? 0,
        attempts: item.llmCalls ?? 0,
        keySource: item.keySource,
      }),
    );
  }
  return total;
}

const addUsage = (a: Usage, b: Usage): Usage =>
  Object.fromEntries(USAGE_COUNTERS.map((counter) => [counter, a[counter] + b[counter]])) as Usage;

/** The worker side. Never throws for the job's own failures: they end the job `failed`. */
export function runRegeneration(
  table: string,
  bucket: string,
  input: { userId: string; jobId: string },
  clock: () => string = () => new Date().toISOString(),
  leaseExpiresAt?: string,
) {
  const progress = { first: progressOf('writing'), done: progressOf('done') };
  return runJob(
    table,
    input,
    progress,
    'REGENERATION_FAILED',
    (job) => regenerate(table, bucket, input.userId, job, clock),
    clock,
    leaseExpiresAt,
  );
}

/**
 * The writer's input for one post: the campaign's strategy and voice, the post's plan, the
 * creator's instructions first among the reasons to rewrite, the titles and hooks the other posts
 * use, and the brand assets frozen at the campaign's start (as its writer and thumbnails had them).
 */
export function regenerationWriterInput(
  campaign: WorkflowCampaign,
  post: StoredPost,
  others: readonly PlannedPost[],
  { strategy, context }: { strategy: Strategy; context: ContextAnalysis },
  instructions = 'Write a fresh version of this post with a different hook.',
): WriterInput {
  const { day, platform } = post;
  const snapshot = (campaign.profileSnapshot ?? {}) as { niche?: string; targetAudienceNiche?: string };
  const niche = snapshot.niche ?? 'general';
  const goal = goalSchema.parse(campaign.goal);
  return {
    strategy: { summary: strategy.summary, positioning: strategy.positioning, pillars: strategy.pillars },
    voice: context.voice,
    language: campaign.agentConfig?.language ?? 'en',
    goal: { type: goal.type, metric: goal.metric, target: goal.target },
    niche,
    audience: snapshot.targetAudienceNiche ?? context.audienceInsight,
    posts: [
      {
        day,
        platform,
        format: post.format,
        pillar: post.pillar ?? strategy.pillars[0],
        topic: post.topic ?? `${niche}, day ${day}`,
        angle: post.angle ?? strategy.positioning,
      },
    ],
    // The creator's instructions come first, like the critic's reasons of a rewrite round.
    critiques: [
      { day, platform, score: post.critique?.score ?? 0, reasons: [instructions, ...(post.critique?.reasons ?? [])].slice(0, 10) },
    ],
    // The post's own title and opening too: the regeneration must read differently from it.
    taken: {
      titles: [...others.map((item) => item.title!), ...(post.title ? [post.title] : [])],
      hooks: [...others.map(hookOf), hookOf(post)].filter(Boolean),
    },
    ...brandAssetsInput(campaign),
  };
}

async function regenerate(
  table: string,
  bucket: string,
  userId: string,
  job: Job,
  clock: () => string,
): Promise<Pick<Job, 'cost' | 'result'>> {
  if (job.kind !== 'regenerate') throw new Error(`Job ${job.jobId} is a ${job.kind} job, not a regeneration`);
  const { campaignId, day, platform } = job.target;
  const campaign = await readCampaign(table, userId, campaignId);
  expectRegenerable(campaign, campaignId);
  const ref: AttemptRef = { userId, campaignId, attempt: Number(campaign.attempt ?? 1) };
  const post = (await getContent(table, userId, { id: campaignId, day, platform })) as StoredPost;
  const [strategy, context] = await Promise.all([
    requireOutput<Strategy>(table, ref, 'strategy'),
    requireOutput<ContextAnalysis>(table, ref, 'context'),
  ]);

  const others = (await queryContent(table, ref, 1, 90)).filter(
    (item) => !(item.day === day && item.platform === platform) && item.title && item.post,
  );
  const input = regenerationWriterInput(campaign, post, others, { strategy, context }, job.instructions);
  const { niche, goal: writerGoal } = input;
  const seed = `${campaignId}#regen#${job.jobId}`;
  const names = { write: `~regen#${job.jobId}#write`, critique: `~regen#${job.jobId}#critique` };
  const written = await runStoredAgent(table, campaign, ref, { name: names.write, spec: writerAgent, input, seed }, clock());
  const [{ language, ...draft }] = alignDrafts(input, written.output, seed, written.model).posts;

  await transitionJob(table, userId, job.jobId, 'running', { progress: progressOf('critique') }, clock());
  const judged: CriticPost = { ...draft, format: post.format, pillar: post.pillar, topic: post.topic, angle: post.angle };
  const criticInput = {
    strategy: { summary: strategy.summary, pillars: strategy.pillars },
    goal: writerGoal,
    niche,
    audience: context.audienceInsight,
    posts: [judged],
  };
  const reviewed = await runStoredAgent(
    table,
    campaign,
    ref,
    { name: names.critique, spec: criticAgent, input: criticInput, seed },
    clock(),
  );
  const [score] = critique(reviewed.output.reviews, [judged], others, writerGoal, {
    niche,
    ...(campaign.durationDays !== undefined && { durationDays: campaign.durationDays }),
  });

  await transitionJob(table, userId, job.jobId, 'running', { progress: progressOf('thumbnail') }, clock());
  const request = {
    ...thumbnailRequest(ref, day, platform, { ...draft, topic: post.topic, pillar: post.pillar }, niche, input.brandAssets),
    seed,
  };
  const image = await renderThumbnail(request);
  // A new object per job: the previous version's thumbnail stays where its revision points.
  const imageKey = thumbnailKey(ref, day, platform, image.contentType).replace(/(\.\w+)$/, `-${job.jobId}$1`);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: imageKey,
      Body: image.bytes,
      ContentType: image.contentType,
      Metadata: { job: job.jobId, provider: image.provider.slice(0, 200) },
    }),
  );

  const now = clock();
  const patch = { title: draft.title, script: draft.script, post: draft.post, seoTags: draft.seoTags, cta: draft.cta } as ContentPatch;
  const changes = {
    ...contentChanges(post, patch, now),
    thumbnailPrompt: draft.thumbnailPrompt,
    language,
    thumbnailKey: imageKey,
    thumbnailProvider: image.provider,
    critique: { score: score.score, reasons: score.reasons, rounds: 1 },
    approval: { state: 'pending' as const },
    regeneratedBy: job.jobId,
  };
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  const stored = await storeWithUsage(
    table,
    ref,
    {
      Update: {
        TableName: table,
        Key: keys.content(userId, campaignId, day, platform),
        UpdateExpression: `SET ${entries.map((_, i) => `#r${i} = :r${i}`).join(', ')}`,
        // Only over the version that was read: a concurrent edit or regeneration is never lost.
        ConditionExpression: 'attribute_exists(PK) AND version = :readVersion',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#r${i}`, name])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([, value], i) => [`:r${i}`, value])),
          ':readVersion': post.version,
        },
      },
    },
    imageUsage(image.provider),
    {},
    meterToken('regenerate', job.jobId, 'thumbnail'),
  );
  if (!stored) throw new DomainError('PRECONDITION_FAILED', 'The post changed while it was being regenerated');

  const cost = addUsage(await usageOf(table, ref, [names.write, names.critique]), imageUsage(image.provider));
  logger.info('post regenerated', { jobId: job.jobId, day, platform, version: changes.version, score: score.score });
  return { cost, result: { version: changes.version!, thumbnailKey: imageKey, score: score.score } };
}
