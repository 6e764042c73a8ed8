import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { apiClient, startTestStack } from '../support/local-stack';
import { pollUntil } from '../support/poll';

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.dispose());

describe('learning memory', () => {
  it("a new campaign's strategy cites the approved memory of an earlier campaign with the same goal", async () => {
    const api = apiClient(stack.apiUrl);
    const token = await stack.token('repeat-creator');
    const profile = { userName: 'Sam', creatorType: 'coach', niche: 'home workouts', targetAudienceNiche: 'busy parents', timeZone: 'America/New_York' };
    expect((await api('POST', '/onboarding', { token, body: profile })).status).toBe(201);
    const memoryId = `${keys.memoryPrefix('followers')}youtube#old-campaign`;
    await dynamo.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          PK: keys.userPk('repeat-creator'),
          SK: memoryId,
          goalType: 'followers',
          platform: 'youtube',
          niche: 'home workouts',
          whatWorked: ['10-minute follow-along videos posted before 7 am'],
          whatFailed: ['long equipment reviews'],
          recommendations: ['open every video with the workout timer on screen'],
        },
      }),
    );

    const id = (await api('POST', '/campaigns', { token, body: { name: 'Second season' } })).body.data.campaignId;
    const onboarding = {
      goal: { type: 'followers', metric: 'YouTube subscribers', target: 3000 },
      durationDays: 7,
      startDate: '2026-12-07',
      platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
    };
    expect((await api('PATCH', `/campaigns/${id}/onboarding`, { token, body: onboarding })).status).toBe(200);
    expect((await api('POST', `/campaigns/${id}/complete-onboarding`, { token })).status).toBe(200);
    expect((await api('POST', `/campaigns/${id}/start`, { token })).status).toBe(202);

    const campaign = await pollUntil(
      async () => (await api('GET', `/campaigns/${id}`, { token })).body.data,
      (current) => current.status !== 'generating',
      'generation',
    );
    expect(campaign.status).toBe('in_progress');
    const applied = campaign.outputs.strategy.appliedMemories as { id: string; how: string }[];
    expect(applied.map((memory) => memory.id)).toContain(memoryId);
    expect(JSON.stringify(campaign.outputs.strategy)).toMatch(/workout timer|follow-along/);
  });
});
