import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { startFixtures, type Fixtures, type TestStack } from '../support/fixtures';

let fixtures: Fixtures;
let stack: TestStack;

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack } = fixtures);
});
afterAll(() => stack?.dispose());

describe('learning memory', () => {
  it("a new campaign's strategy cites the approved memory of an earlier campaign with the same goal", async () => {
    const creator = await fixtures.creator('repeat-creator', {
      profile: {
        userName: 'Sam',
        creatorType: 'coach',
        niche: 'home workouts',
        targetAudienceNiche: 'busy parents',
        timeZone: 'America/New_York',
      },
    });
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

    const campaign = await creator
      .campaign({
        name: 'Second season',
        goal: { type: 'followers', metric: 'YouTube subscribers', target: 3000 },
        startDate: '2026-12-07',
        agentConfig: undefined,
      })
      .generated();
    const applied = campaign.outputs.strategy.appliedMemories as { id: string; how: string }[];
    expect(applied.map((memory) => memory.id)).toContain(memoryId);
    expect(JSON.stringify(campaign.outputs.strategy)).toMatch(/workout timer|follow-along/);
  });
});
