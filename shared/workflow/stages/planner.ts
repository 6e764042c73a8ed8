import type { ContextAnalysis } from '../../agents/context';
import { calendarBatches, plannerAgent, type PostPlan } from '../../agents/planner';
import type { Strategy } from '../../agents/strategist';
import { mapLimited } from '../../db/concurrency';
import { keys } from '../../db/keys';
import { createPlannedContent, saveAgentOutput, scheduleRequestOf, updateProgress, type AttemptRef } from '../../db/workflow-store';
import { buildSchedule, planSummary } from '../../domain/schedule';
import { logger } from '../../core/logger';
import { requireOutput, runStoredAgent } from '../agent-output';
import { updateIfExists } from '../../db/workflow-content-store';
import { WRITE_CONCURRENCY, generating } from './common';

/**
 * Computes the calendar, asks the planner for each post's pillar, topic and angle (one call per
 * ≤130 posts, whole weeks), and creates one content item per post with them (a re-run creates only
 * what is missing and sets the topics on the items that exist). Returns the Maps' items: the weeks.
 */
export async function planPosts(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  const posts = buildSchedule(scheduleRequestOf(campaign));
  await saveAgentOutput(table, ref, 'plan', planSummary(posts), now);

  const [strategy, context] = await Promise.all([
    requireOutput<Strategy>(table, ref, 'strategy'),
    requireOutput<ContextAnalysis>(table, ref, 'context'),
  ]);
  const batches = calendarBatches(posts.map(({ day, platform, format }) => ({ day, platform, format })));
  const topics = new Map<string, PostPlan['posts'][number]>();
  for (const [i, batch] of batches.entries()) {
    const result = await runStoredAgent(
      table,
      campaign,
      ref,
      {
        name: i === 0 ? 'topics' : `topics-${i + 1}`,
        spec: plannerAgent,
        input: { strategy, pillars: context.contentPillars, posts: batch },
        seed: `${ref.campaignId}#plan#${i}`,
      },
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
