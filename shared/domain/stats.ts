import type { PostExecution } from '../schemas/execution';
import type { CampaignStats, Engagement } from '../schemas/stats';
import { executionScores, postKey } from './learning';

const ENGAGEMENT_FIELDS = ['views', 'likes', 'comments', 'shares', 'saves', 'followersGained', 'clicks', 'watchTimeSeconds'] as const;

export interface CampaignUsage {
  llmCalls?: number;
  tokensIn?: number;
  tokensOut?: number;
  costMicroUsd?: number;
  images?: number;
  byokLlmCalls?: number;
}

export interface StatsInput {
  campaignId: string;
  status: string;
  usage?: CampaignUsage;
  /** The dry-run stored at start (absent on campaigns started before it existed). */
  estimate?: { llmCalls: number; tokensIn: number; tokensOut: number; images: number; costMicroUsd: number };
  contentApprovals: (string | undefined)[];
  /** Confirmed executions: whether posted, when, and the latest metrics reported. */
  executions: Pick<PostExecution, 'day' | 'platform' | 'posted' | 'postedAt' | 'metrics'>[];
}

export function campaignStats(input: StatsInput): CampaignStats {
  const engagement = Object.fromEntries(ENGAGEMENT_FIELDS.map((field) => [field, 0])) as Engagement;
  let posted = 0;
  for (const execution of input.executions) {
    if (!execution.posted) continue;
    posted += 1;
    for (const field of ENGAGEMENT_FIELDS) engagement[field] += execution.metrics?.[field] ?? 0;
  }
  const usage = input.usage ?? {};
  const scores = executionScores(input.executions as PostExecution[]);
  return {
    campaignId: input.campaignId,
    status: input.status,
    posts: {
      planned: input.contentApprovals.length,
      approved: input.contentApprovals.filter((state) => state === 'approved').length,
      rejected: input.contentApprovals.filter((state) => state === 'rejected').length,
      posted,
    },
    engagement,
    scores: input.executions
      .filter((execution) => scores.has(postKey(execution)))
      .map((execution) => ({ day: execution.day, platform: execution.platform, score: scores.get(postKey(execution))! }))
      .sort((a, b) => a.day - b.day || a.platform.localeCompare(b.platform)),
    llm: {
      calls: usage.llmCalls ?? 0,
      tokensIn: usage.tokensIn ?? 0,
      tokensOut: usage.tokensOut ?? 0,
      costUsd: (usage.costMicroUsd ?? 0) / 1_000_000,
      byokCalls: usage.byokLlmCalls ?? 0,
    },
    images: usage.images ?? 0,
    ...(input.estimate && {
      estimated: {
        llmCalls: input.estimate.llmCalls,
        tokensIn: input.estimate.tokensIn,
        tokensOut: input.estimate.tokensOut,
        images: input.estimate.images,
        costUsd: input.estimate.costMicroUsd / 1_000_000,
      },
    }),
  };
}
