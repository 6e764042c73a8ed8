import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { queryContent } from '../../shared/db/workflow-content-store';
import { startFixtures, type Api, type Creator, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

/**
 * A re-plan that fails before its writer runs, after an earlier re-plan rewrote posts: the second
 * re-plan starts from the posts as the first left them, and its failure gives every post it marked
 * its slot back exactly (pillar, format, time, due-index entry), with nothing in its diff, since
 * their text was never rewritten for the new slot.
 */
const control = vi.hoisted(() => ({
  failRewrites: false,
  /** What the failing re-plan had recorded of each post it marked, read when its writer was called. */
  marked: [] as { day: number; replan?: number; replanBefore?: { title?: string; arms: Record<string, string>; dueAt: string } }[],
}));
vi.mock('../../shared/workflow/stages/writer', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../shared/workflow/stages/writer')>();
  return {
    ...original,
    writeBatch: async (...args: Parameters<typeof original.writeBatch>) => {
      if (!control.failRewrites) return original.writeBatch(...args);
      const [table, { week: _week, round: _round, ...ref }] = args;
      control.marked.push(...(await queryContent(table, ref, 1, 90)).filter((item) => item.replan !== undefined && item.replan > 1));
      throw new Error('the model is down');
    },
  };
});

let stack: TestStack;
let api: Api;
let creator: Creator;

beforeAll(async () => {
  const fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator('replan-failure', { profile: { niche: 'home cooking', timeZone: 'UTC' } });
});
afterAll(() => stack?.dispose());

interface Post {
  day: number;
  title: string;
  pillar: string;
  format: string;
  localTime: string;
  dueAt: string;
  version: number;
}

const slotOf = ({ day, title, pillar, format, localTime, dueAt, version }: Post) => ({
  day,
  title,
  pillar,
  format,
  localTime,
  dueAt,
  version,
});

describe('a failed re-plan', () => {
  it('starts from what the last re-plan wrote, and gives the posts it never rewrote their slot back', async () => {
    const startDate = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const { campaignId } = await creator
      .campaign({
        durationDays: 14,
        startDate,
        platforms: [{ platform: 'x', postsPerWeek: 7 }],
        agentConfig: { tone: 'warm', language: 'en', critiqueBar: 7, maxCritiqueRounds: 0 },
      })
      .generated();
    const posts = async () =>
      ((await api('GET', `/campaigns/${campaignId}/content?limit=100`, { token: creator.token })).body.data as Post[])
        .map(slotOf)
        .sort((a, b) => a.day - b.day);
    const generated = await posts();
    for (const [day, likes] of [
      [1, 100],
      [2, 120],
      [3, 90],
      [4, 110],
      [5, 100_000],
      [6, 95],
    ] as const) {
      const confirmed = await api('POST', `/campaigns/${campaignId}/confirm-day`, {
        token: creator.token,
        body: { day, platform: 'x', posted: true, postedAt: generated[day - 1]!.dueAt, metrics: { likes, views: likes * 10 } },
      });
      expect(confirmed.status).toBe(200);
    }
    const replan = async (n: number) => {
      const started = await api('POST', `/campaigns/${campaignId}/replan`, {
        token: creator.token,
        headers: { 'idempotency-key': `replan-${n}` },
        body: {},
      });
      expect(started.status).toBe(202);
      expect(started.body.data.n).toBe(n);
      return pollUntil(
        async () => (await api('GET', `/campaigns/${campaignId}/replans/${n}`, { token: creator.token })).body.data,
        (summary) => summary.status !== 'running',
        `re-plan ${n} to end`,
        60_000,
      );
    };

    const first = await replan(1);
    expect(first.status).toBe('succeeded');
    const rewritten = await posts();

    control.failRewrites = true;
    const second = await replan(2);
    expect(second).toMatchObject({ n: 2, status: 'failed', changed: 0, changes: [] });
    expect(control.marked.length).toBeGreaterThan(0);
    for (const mark of control.marked) {
      const was = rewritten[mark.day - 1]!;
      // What re-plan 2 recorded of the post is the post as re-plan 1 left it.
      expect(mark.replanBefore, `day ${mark.day}`).toMatchObject({ arms: { pillar: was.pillar, format: was.format }, dueAt: was.dueAt });
    }

    expect(await posts()).toEqual(rewritten);
    for (const { day } of control.marked) {
      const { Item } = await dynamo.send(
        new GetCommand({ TableName: stack.tableName, Key: keys.content(creator.userId, campaignId, day, 'x') }),
      );
      expect(Item!.replan, `day ${day}`).not.toBe(2);
      expect(Item!.replanBefore, `day ${day}`).toBeUndefined();
      // Back in the due index at its own time.
      expect(Item!.GSI1SK, `day ${day}`).toMatch(new RegExp(`^${rewritten[day - 1]!.dueAt.slice(11, 16)}#`));
      expect(Item!.readyAt, `day ${day}`).toEqual(expect.any(String));
    }
  });
});
