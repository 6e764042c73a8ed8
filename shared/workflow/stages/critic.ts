import type { ContextAnalysis } from '../../agents/context';
import { criticAgent, critique, type CriticPost } from '../../agents/critic';
import type { Strategy } from '../../agents/strategist';
import { mapLimited } from '../../db/concurrency';
import { keys } from '../../db/keys';
import { ZERO_USAGE } from '../../domain/usage';
import { batchOutputName, requireOutput, runStoredAgent } from '../agent-output';
import { queryContent, queryEarlierPosts, updateIfExists } from '../../db/workflow-content-store';
import { weekDays } from '../batch';
import { storeWithUsage } from '../../db/metering-store';
import {
  WRITE_CONCURRENCY,
  type BatchInput,
  nicheOf,
  goalOf,
  critiqueSettings,
  generating,
  generated,
  postsOfRound,
  inScope,
} from './common';

export async function critiqueBatch(table: string, batch: BatchInput, now: string) {
  const { week, round, ...ref } = batch;
  const campaign = await generating(table, ref);
  const { critiqueBar, maxRounds } = critiqueSettings(campaign);
  // Only what is settled whatever the order the weeks run in: this week's posts and the earlier
  // campaigns. Other weeks' posts, written in parallel, may be unwritten, first drafts or rewrites
  // when this runs (docs/architecture.md, "Weeks in parallel").
  const [strategy, context, items, earlierCampaigns] = await Promise.all([
    requireOutput<Strategy>(table, ref, 'strategy'),
    requireOutput<ContextAnalysis>(table, ref, 'context'),
    queryContent(table, ref, ...weekDays(week)),
    queryEarlierPosts(table, ref),
  ]);
  const judged = postsOfRound(inScope(campaign, items), round, critiqueBar).filter((item) => item.title && item.post && item.cta);
  const restOfWeek = items.filter((item) => item.title && !judged.includes(item));
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
    const input = {
      strategy: { summary: strategy.summary, pillars: strategy.pillars },
      goal: writerGoal,
      niche: nicheOf(campaign),
      audience: context.audienceInsight,
      bar: critiqueBar,
      posts,
    };
    const result = await runStoredAgent(
      table,
      campaign,
      ref,
      { name: batchOutputName('critique', week, round), spec: criticAgent, input, seed: `${ref.campaignId}#w${week}#r${round}` },
      now,
    );
    const final = critique(result.output.reviews, posts, restOfWeek, writerGoal, {
      niche: nicheOf(campaign),
      ...(campaign.durationDays !== undefined && { durationDays: campaign.durationDays }),
      earlierCampaigns,
    });
    await mapLimited(final, WRITE_CONCURRENCY, async ({ day, platform, score, reasons }) => {
      scores.set(`${day}|${platform}`, score);
      await updateIfExists(
        table,
        keys.content(ref.userId, ref.campaignId, day, platform),
        { critique: { score, reasons, rounds: round + 1 } },
        'version = :generatedVersion',
      );
    });
  }

  const generatedScores = inScope(campaign, items)
    .filter(generated)
    .map((item) => scores.get(`${item.day}|${item.platform}`) ?? 0);
  const minScore = generatedScores.length > 0 ? Math.min(...generatedScores) : 10;
  if (minScore >= critiqueBar || round >= maxRounds) {
    // The batch's end is counted once per attempt: a marker item, written with the progress counts.
    await storeWithUsage(
      table,
      ref,
      {
        Put: {
          TableName: table,
          Item: {
            ...keys.agentOutput(ref.userId, ref.campaignId, `~batch#w${String(week).padStart(2, '0')}`),
            doneAttempt: ref.attempt,
            rounds: round + 1,
            minScore,
            updatedAt: now,
          },
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
