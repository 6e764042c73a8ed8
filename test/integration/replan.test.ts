import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { periodOf, plans } from '../../shared/domain/plans';
import { startFixtures, type Api, type Creator, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

/**
 * Re-plan through the local stack: a generated campaign whose first six days are posted with
 * metrics (day 6 far above the rest), day 7 posted, a later post approved and another edited; the
 * estimate prices the open posts; the start (Idempotency-Key) runs the campaign's state machine
 * in re-plan mode once; locked posts stay exactly as they were, changed ones are rewritten with
 * their why, and the diff route shows them. 409 while it runs and before generation; 402 once
 * the month's LLM budget is spent.
 */

let stack: TestStack;
let api: Api;
let creator: Creator;

beforeAll(async () => {
  const fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator('replanner', { profile: { niche: 'personal finance', timeZone: 'UTC' } });
});
afterAll(() => stack?.dispose());

interface Item {
  day: number;
  platform: string;
  dueAt: string;
  title: string;
  pillar: string;
  version: number;
  thumbnailUrl?: string;
  [field: string]: unknown;
}

async function items(campaignId: string): Promise<Item[]> {
  const res = await api('GET', `/campaigns/${campaignId}/content?limit=100`, { token: creator.token });
  expect(res.status).toBe(200);
  return (res.body.data as Item[]).sort((a, b) => a.day - b.day);
}
/** The item as stored: the presigned thumbnail URL changes with every read. */
const stored = ({ thumbnailUrl: _url, ...item }: Item) => item;

describe('re-plan', () => {
  it('re-plans only the open posts, once per Idempotency-Key, leaves locked posts byte-identical and records the diff', async () => {
    const startDate = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const { campaignId } = await creator
      .campaign({
        durationDays: 14,
        startDate,
        platforms: [{ platform: 'x', postsPerWeek: 7 }],
        agentConfig: { tone: 'warm', language: 'en', critiqueBar: 7, maxCritiqueRounds: 0 },
      })
      .generated();
    const generated = await items(campaignId);
    expect(generated).toHaveLength(14);

    const [approved, edited] = [generated[9]!, generated[10]!];
    const patch = (day: number, body: unknown) => api('PATCH', `/campaigns/${campaignId}/content/${day}/x`, { token: creator.token, body });
    expect((await patch(approved.day, { approval: { state: 'approved' } })).status).toBe(200);
    expect((await patch(edited.day, { title: 'My own title' })).status).toBe(200);
    const confirm = (day: number, likes?: number) =>
      api('POST', `/campaigns/${campaignId}/confirm-day`, {
        token: creator.token,
        body: {
          day,
          platform: 'x',
          posted: true,
          ...(likes !== undefined && { postedAt: generated[day - 1]!.dueAt, metrics: { likes, views: likes * 10 } }),
        },
      });
    for (const [day, likes] of [
      [1, 100],
      [2, 120],
      [3, 90],
      [4, 110],
      [5, 100],
      [6, 100_000],
      [7, undefined],
    ] as const)
      expect((await confirm(day, likes)).status).toBe(200);

    // Today is day 7: days 8–14 are open but for the approved and the edited one.
    const estimate = await api('POST', `/campaigns/${campaignId}/replan/estimate`, { token: creator.token });
    expect(estimate.status).toBe(200);
    expect(estimate.body.data).toMatchObject({ openPosts: 5, lockedPosts: 9, posts: 5, images: 5, costMicroUsd: 0 });
    expect(estimate.body.data.llmCalls).toBeGreaterThan(0);

    const before = await items(campaignId);
    const start = (key: string) =>
      api('POST', `/campaigns/${campaignId}/replan`, {
        token: creator.token,
        headers: { 'idempotency-key': key },
        body: { reason: 'Behind the goal' },
      });
    const started = await start('replan-1');
    expect(started.status).toBe(202);
    expect(started.body.data).toEqual({ n: 1, status: 'running', poll: `/campaigns/${campaignId}/replans/1` });
    const repeated = await start('replan-1');
    expect(repeated.status).toBe(202);
    expect(repeated.body.data).toEqual(started.body.data);
    const concurrent = await start('replan-2');
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.error).toMatchObject({ code: 'REPLAN_RUNNING', details: { n: 1 } });

    const done = await pollUntil(
      async () => (await api('GET', `/campaigns/${campaignId}/replans/1`, { token: creator.token })).body.data,
      (replan) => replan.status !== 'running',
      're-plan 1 to finish',
      60_000,
    );
    expect(done).toMatchObject({ n: 1, status: 'succeeded', reason: 'Behind the goal', finishedAt: expect.any(String) });
    expect(done.changes.length).toBeGreaterThan(0);
    expect(done.changed).toBe(done.changes.length);
    // The diff pages: one change a page, in day order.
    const pages: { day: number }[] = [];
    for (let cursor: string | undefined, page = 0; page === 0 || cursor; page++) {
      const res = await api('GET', `/campaigns/${campaignId}/replans/1?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
        token: creator.token,
      });
      expect(res.body.data.changes.length).toBeLessThanOrEqual(1);
      pages.push(...res.body.data.changes);
      cursor = res.body.meta.nextCursor;
    }
    expect(pages).toEqual(done.changes);
    expect(pages.map((change) => change.day)).toEqual([...pages.map((change) => change.day)].sort((a, b) => a - b));

    const notices = await api('GET', '/notifications', { token: creator.token });
    expect(notices.body.data.find((notice: { type: string }) => notice.type === 'campaign.replanned')).toMatchObject({
      campaignId,
      title: 'Your campaign is re-planned',
    });
    const list = await api('GET', `/campaigns/${campaignId}/replans`, { token: creator.token });
    expect(list.body.data.map((replan: { n: number }) => replan.n)).toEqual([1]);

    const after = await items(campaignId);
    const changedDays = new Set(done.changes.map((change: { day: number }) => change.day));
    for (const day of [1, 2, 3, 4, 5, 6, 7, approved.day, edited.day]) {
      expect(changedDays.has(day), `day ${day}`).toBe(false);
      expect(stored(after[day - 1]!), `day ${day}`).toEqual(stored(before[day - 1]!));
    }
    for (const change of done.changes) {
      const [was, now] = [before[change.day - 1]!, after[change.day - 1]!];
      expect(change).toMatchObject({
        contentId: `${change.day}#x`,
        platform: 'x',
        scheduledFor: now.dueAt,
        before: { title: was.title, arms: { pillar: was.pillar, format: 'post' } },
        after: { title: now.title, arms: { pillar: now.pillar } },
        why: expect.stringMatching(/^Re-planned on \d+ scored posts: .+ replaces .+\.$/),
      });
      expect(change.after.arms).not.toEqual(change.before.arms);
      // Rewritten by the re-plan's writer (offline, the same topic may keep its title).
      expect(String(now.updatedAt) > started.body.meta.timestamp).toBe(true);
      // Ready again: back in the due index at its (possibly moved) time.
      const { Item } = await dynamo.send(
        new GetCommand({ TableName: stack.tableName, Key: keys.content(creator.userId, campaignId, change.day, 'x') }),
      );
      expect(Item).toMatchObject({ replan: 1, GSI1SK: expect.stringMatching(new RegExp(`^${now.dueAt.slice(11, 16)}#`)) });
    }

    // Before its first generation has finished, a campaign has nothing to re-plan.
    const generating = await creator.campaign({ durationDays: 7, platforms: [{ platform: 'x', postsPerWeek: 3 }] }).started();
    for (const path of ['replan/estimate', 'replan']) {
      const early = await api('POST', `/campaigns/${generating.campaignId}/${path}`, { token: creator.token, body: {} });
      expect(early.status, path).toBe(409);
      expect(early.body.error, path).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { currentStatus: 'generating' } });
    }
    await creator.generation(generating.campaignId);

    // The month's LLM budget spent: a re-plan is refused before anything runs.
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.usage(creator.userId, periodOf(new Date()).month),
        UpdateExpression: 'ADD costMicroUsd :n',
        ExpressionAttributeValues: { ':n': plans.free.llmBudgetMicroUsd },
      }),
    );
    const refused = await start('replan-3');
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit: 'llmBudgetMicroUsd' } });
    expect((await api('GET', `/campaigns/${campaignId}/replans/2`, { token: creator.token })).status).toBe(404);
  });
});
