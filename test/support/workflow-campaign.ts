import { DescribeExecutionCommand, StartExecutionCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { keys } from '../../shared/db/keys';

const SEEDED_AT = '2027-03-01T10:00:00.000Z';

/**
 * A campaign header as the start route leaves it for the workflow: generating, attempt 1, the
 * frozen profile; 14 days of youtube 3 + instagram 5 + x 7 posts a week. Its id seeds every
 * offline agent, so the same id gives the same campaign.
 */
export function generatingCampaignHeader(userId: string, campaignId: string, overrides: Record<string, unknown> = {}) {
  return {
    ...keys.campaign(userId, campaignId),
    GSI1PK: keys.campaignListPk(userId),
    GSI1SK: keys.campaignListSk(SEEDED_AT, campaignId),
    userId,
    campaignId,
    name: 'Spring speedruns',
    status: 'generating',
    version: 4,
    attempt: 1,
    goal: { type: 'followers', metric: 'YouTube subscribers', target: 1000 },
    durationDays: 14,
    startDate: '2027-03-22',
    platforms: [
      { platform: 'youtube', postsPerWeek: 3 },
      { platform: 'instagram', postsPerWeek: 5 },
      { platform: 'x', postsPerWeek: 7 },
    ],
    profileSnapshot: {
      userId,
      userName: 'Kei',
      creatorType: 'gamer',
      niche: 'speedruns',
      targetAudienceNiche: 'retro gamers',
      timeZone: 'Asia/Tokyo',
    },
    competitors: ['@fastestkid'],
    progress: { step: 'queued' },
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    ...overrides,
  };
}

/** Starts an execution of the state machine and polls it (50 ms, at most a minute) until it ends. */
export async function runExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  input: Record<string, unknown>,
  name?: string,
): Promise<DescribeExecutionCommandOutput> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }));
  for (let i = 0; i < 1200; i++) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${executionArn} still running`);
}
