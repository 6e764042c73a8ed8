import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { invokeLocal } from '../../dev/lambda-runtime';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { scheduledEvent } from '../../dev/scheduler';
import { keys } from '../../shared/db/keys';
import { windowContaining } from '../../shared/domain/due-window';
import { completeCampaign, type Api, type Fixtures, type TestStack } from './fixtures';

/**
 * One creator's journey on a connected platform, as the per-platform import tests start it: a
 * generated campaign on that platform alone, the account connected, `auto` publishing, and the
 * first `published` posts approved and published by the posting trigger in their windows.
 */
export type ConnectedPlatform = 'x' | 'bluesky';

export interface JourneyPost {
  day: number;
  dueAt: string;
}

export const tableClient = (stack: TestStack) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS }),
  );

/** The OAuth round trip against the local X server: start, the consent (already given), the callback. */
export async function connectX(api: Api, token: string): Promise<void> {
  const started = await api('POST', '/connections/x', { token, body: {} });
  const consent = await fetch(started.body.data.authorizationUrl, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location')!);
  expect((await api('GET', callback.pathname + callback.search)).status).toBe(200);
}

/** A new account on the local PDS, connected with its app password; its DID. */
export async function connectBluesky(stack: TestStack, api: Api, token: string, handle: string): Promise<string> {
  const account = await stack.bluesky!.createAccount(handle);
  expect((await api('POST', '/connections/bluesky', { token, body: { handle, appPassword: account.appPassword } })).status).toBe(200);
  return account.did;
}

export const runPostingTrigger = async (stack: TestStack, at: Date) => {
  await invokeLocal('functions/triggers/posting-trigger.ts', scheduledEvent('PostingSchedule', at), 'PostingTrigger');
  await stack.asyncIdle();
};

export const runPlatformImport = async (stack: TestStack, at: Date) => {
  const report = await invokeLocal('functions/triggers/platform-import.ts', scheduledEvent('PlatformImportSchedule', at), 'PlatformImport');
  await stack.asyncIdle();
  return report as { due: number; imported: number; passed: number; retried: number; followers: Record<string, number> };
};

export async function publishedJourney(
  fixtures: Fixtures,
  options: {
    userId: string;
    campaignName: string;
    platform: ConnectedPlatform;
    connect: (token: string) => Promise<unknown>;
    published?: number;
  },
) {
  const { stack, api } = fixtures;
  const { platform } = options;
  const db = tableClient(stack);
  const creator = await fixtures.creator(options.userId);
  const { token, userId } = creator;
  const { campaignId } = await creator.campaign({ name: options.campaignName, platforms: [{ platform, postsPerWeek: 5 }] }).generated();
  await options.connect(token);
  expect((await api('PUT', `/campaigns/${campaignId}/publishing/${platform}`, { token, body: { mode: 'auto' } })).status).toBe(200);
  const execution = async (post: JourneyPost) =>
    (await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.execution(userId, campaignId, post.day, platform) }))).Item!;
  const schedule = (await api('GET', `/campaigns/${campaignId}/schedule`, { token })).body.data.days.flatMap(
    (day: { posts: JourneyPost[] }) => day.posts,
  ) as JourneyPost[];
  const published = schedule.sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, options.published ?? 2);
  for (const post of published) {
    await api('PATCH', `/campaigns/${campaignId}/content/${post.day}/${platform}`, { token, body: { approval: { state: 'approved' } } });
    await runPostingTrigger(stack, new Date(windowContaining(new Date(post.dueAt)).start.getTime() + 60_000));
    expect((await execution(post)).source).toBe('published');
  }
  return {
    token,
    userId,
    campaignId,
    published,
    execution,
    stats: async () => (await api('GET', `/campaigns/${campaignId}/stats`, { token })).body.data,
    runImport: (at: Date) => runPlatformImport(stack, at),
    /** Completes the campaign (a job) and returns its outcome report. */
    complete: async () => {
      const campaign = await completeCampaign(api, token, campaignId);
      expect(campaign.status).toBe('completed');
      return campaign.outputs.outcome;
    },
    /** The follower counts the import kept for this platform. */
    followerCounts: async () =>
      (
        await db.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.followerCountPrefix(platform) },
          }),
        )
      ).Items,
  };
}
