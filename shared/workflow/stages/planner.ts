import type { ContextAnalysis } from '../../agents/context';
import { plannerAgent, plannerCalls, type PostPlan } from '../../agents/planner';
import type { Strategy } from '../../agents/strategist';
import { mapLimited } from '../../db/concurrency';
import { keys } from '../../db/keys';
import { createPlannedContent, saveAgentOutput, scheduleRequestOf, updateProgress, type AttemptRef } from '../../db/workflow-store';
import { buildSchedule, planSummary } from '../../domain/schedule';
import { logger } from '../../core/logger';
import { requireOutput, runStoredAgent } from '../agent-output';
import { queryContent, updateIfExists } from '../../db/workflow-content-store';
import { weekOf } from '../batch';
import { readyWeeks } from '../weeks';
import { WRITE_CONCURRENCY, generating } from './common';

/**
 * Computes the calendar, creates one content item per post (a re-run creates only what is
 * missing), and asks the planner for each post's pillar, topic and angle: one call per platform and
 * week (plannerCalls), all at once, each given the whole calendar. Weeks a failed attempt
 * left ready are kept as they are (neither planned again nor generated), and posts it planned keep
 * their topics. Returns the Weeks Map's
 * items: the weeks not ready, week 1 first.
 */
export async function planPosts(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  const posts = buildSchedule(scheduleRequestOf(campaign));
  await saveAgentOutput(table, ref, 'plan', planSummary(posts), now);

  const [strategy, context, items] = await Promise.all([
    requireOutput<Strategy>(table, ref, 'strategy'),
    requireOutput<ContextAnalysis>(table, ref, 'context'),
    queryContent(table, ref, 1, 90),
  ]);
  const ready = new Set(readyWeeks(items));
  const pending = posts.filter((post) => !ready.has(weekOf(post.day)));
  // A post an earlier attempt planned keeps its topic: a retry plans nothing again.
  const planned = new Set(items.filter((item) => item.topic).map((item) => `${item.day}|${item.platform}`));
  const unplanned = pending.filter((post) => !planned.has(`${post.day}|${post.platform}`));
  const calendar = posts.map(({ day, platform, format }) => ({ day, platform, format }));
  const batches = plannerCalls(unplanned.map(({ day, platform, format }) => ({ day, platform, format })));
  const topics = new Map<string, PostPlan['posts'][number]>();
  await Promise.all(
    batches.map(async (batch) => {
      // Named after the batch's platform and first week: a retry's batch of the same posts reuses what was stored.
      const name = `topics-${batch[0].platform}-w${String(weekOf(batch[0].day)).padStart(2, '0')}`;
      const result = await runStoredAgent(
        table,
        campaign,
        ref,
        {
          name,
          spec: plannerAgent,
          input: { strategy, pillars: context.contentPillars, posts: batch, calendar },
          // One seed for every call: the offline twin plans the whole calendar alike in each.
          seed: `${ref.campaignId}#topics`,
        },
        now,
      );
      for (const topic of result.output.posts) topics.set(`${topic.day}|${topic.platform}`, topic);
    }),
  );
  const topicOf = ({ day, platform }: { day: number; platform: string }) => {
    const topic = topics.get(`${day}|${platform}`);
    return topic && { pillar: topic.pillar, topic: topic.topic, angle: topic.angle };
  };
  const existing = await createPlannedContent(table, ref, pending, topicOf, now);
  await mapLimited(existing, WRITE_CONCURRENCY, async (post) => {
    const topic = topicOf(post);
    if (topic) await updateIfExists(table, keys.content(ref.userId, ref.campaignId, post.day, post.platform), topic);
  });

  const weeks = [...new Set(posts.map((post) => weekOf(post.day)))].sort((a, b) => a - b);
  const todo = weeks.filter((week) => !ready.has(week));
  // The done counters start absent (LoadContext's fresh progress) and are ADDed by the Critique tasks.
  await updateProgress(
    table,
    ref,
    { step: 'plan', postsTotal: posts.length, batchesTotal: todo.length, weeksTotal: weeks.length, weeksReady: [...ready] },
    now,
  );
  logger.info('posts planned', {
    postsTotal: posts.length,
    created: pending.length - existing.length,
    weeks: todo.length,
    kept: ready.size,
  });
  // The Weeks Map's items, at most 13 weeks.
  return { postsTotal: posts.length, batches: todo.map((week) => ({ week })) };
}
