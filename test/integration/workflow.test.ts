import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, DescribeStateMachineCommand, SFNClient, StartExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateMachinesFromTemplate } from '../../infra/asl';
import { localClient } from '../../infra/local/dynamodb';
import { invokeLocal } from '../../infra/local/lambda-runtime';
import { LOCAL_ACCOUNT, LOCAL_REGION, scheduledEvent } from '../../infra/local/scheduler';
import { synthesizeTemplate } from '../../infra/synth';
import { dueShard, keys } from '../../shared/db/keys';
import { apiClient, startTestStack } from '../support/local-stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let sfn: SFNClient;

beforeAll(async () => {
  stack = await startTestStack();
  // The handlers' own way of reaching Step Functions: the SDK reads AWS_ENDPOINT_URL_SFN.
  sfn = new SFNClient({});
  const api = apiClient(stack.apiUrl);
  const res = await api('POST', '/onboarding', {
    token: await stack.token('creator-1'),
    body: { userName: 'C', creatorType: 'gamer', niche: 'speedruns', targetAudienceNiche: 'retro fans', timeZone: 'Asia/Tokyo' },
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  sfn?.destroy();
  await stack?.dispose();
});

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 200; i++) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${executionArn} still running`);
}

describe('the campaign workflow on the local Step Functions endpoint', () => {
  it('runs the definition synthesized by CDK, unchanged', async () => {
    const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stack.stateMachineArn }));
    const [synthesized] = stateMachinesFromTemplate(synthesizeTemplate(), { region: LOCAL_REGION, account: LOCAL_ACCOUNT });
    expect(JSON.parse(definition!)).toEqual(synthesized.definition);
    expect(process.env.AWS_ENDPOINT_URL_SFN).toBe(stack.sfnEndpoint);
  });

  it('StartExecution → DescribeExecution: LoadContext reads the profile from DynamoDB Local', async () => {
    const input = JSON.stringify({ userId: 'creator-1', campaignId: 'camp-1', attempt: 1 });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.stateMachineArn, name: 'camp-1-1', input }));
    const execution = await finished(executionArn!);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({
      userId: 'creator-1',
      campaignId: 'camp-1',
      attempt: 1,
      profile: { timeZone: 'Asia/Tokyo', niche: 'speedruns', phase2Completed: false },
    });
  });

  it('a failing task is caught, MarkFailed runs, and the execution fails with the named error', async () => {
    const input = JSON.stringify({ userId: 'nobody', campaignId: 'camp-2', attempt: 1 });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.stateMachineArn, input }));
    const execution = await finished(executionArn!);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ProfileNotFound');
    expect(execution.cause).toBe('User nobody has no profile');
  });
});

describe('the posting trigger', () => {
  it('finds the posts due in its window through the sharded GSI1, across creators', async () => {
    const client = localClient(stack.dynamodbEndpoint);
    const due = [
      ['creator-1', 'camp-1', 'youtube', '09:05'],
      ['creator-2', 'camp-9', 'tiktok', '09:14'],
      ['creator-3', 'camp-7', 'x', '09:15'], // next window
    ];
    for (const [userId, campaignId, platform, time] of due) {
      await client.send(
        new PutItemCommand({
          TableName: stack.tableName,
          Item: {
            PK: { S: keys.userPk(userId) },
            SK: { S: `CAMP#${campaignId}#DAY#01#${platform}` },
            GSI1PK: { S: keys.duePk('2026-11-23', dueShard(userId, campaignId)) },
            GSI1SK: { S: `${time}#${userId}#${campaignId}#${platform}` },
          },
        }),
      );
    }
    client.destroy();
    const result = await invokeLocal('functions/triggers/posting-trigger.ts', scheduledEvent('PostingSchedule', new Date('2026-11-23T09:07:00Z')));
    expect(result).toEqual({ windowStart: '2026-11-23T09:00:00.000Z', windowEnd: '2026-11-23T09:15:00.000Z', due: 2 });
    expect(stack.scheduleRules.map((rule) => rule.scheduleExpression)).toEqual(['rate(15 minutes)']);
  });
});
