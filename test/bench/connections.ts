import { fileURLToPath } from 'node:url';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { invokeLocal } from '../../dev/lambda-runtime';
import { scheduledEvent } from '../../dev/scheduler';
import type { ImportReport } from '../../shared/app/platform-import';
import { configuredKeyWrapper, sealSecret } from '../../shared/crypto/envelope-encryption';
import { dynamo } from '../../shared/db/client';
import { mapLimited } from '../../shared/db/concurrency';
import { putConnection } from '../../shared/db/connection-store';
import { allShards } from '../../shared/db/due-posts';
import { dueShard, keys } from '../../shared/db/keys';
import { dayRanges, windowContaining } from '../../shared/domain/due-window';
import type { ShardReport } from '../../shared/events/posting';
import { startTestStack } from '../support/local-stack';
import { printedByChild } from './child';
import { fixed, markdownTable } from './report';

/**
 * Publishing and importing through the X connector against the local X server: CREATORS creators
 * connected to X, POSTS_EACH approved posts each (within X's daily cap) due in one 15-minute
 * window of `auto` campaigns; the window's 16 shard workers at once, then the hourly import at the
 * 1 h checkpoint. Requests to the platform are the local server's own counts (dev/x-server.ts).
 */
export const CREATORS = 100;
export const POSTS_EACH = 10;

async function seed(stack: Awaited<ReturnType<typeof startTestStack>>, windowStart: Date) {
  await mapLimited(
    Array.from({ length: CREATORS }, (_, c) => c),
    8,
    async (c) => {
      const userId = `bench-connections-${c}`;
      const granted = stack.x.authorizeNewUser();
      const now = new Date().toISOString();
      await putConnection(stack.tableName, userId, {
        platform: 'x',
        accountId: granted.userId,
        handle: granted.username,
        scopes: granted.scope.split(' '),
        status: 'active',
        connectedAt: now,
        updatedAt: now,
        secretVersion: 1,
        sealed: await sealSecret(
          configuredKeyWrapper(),
          userId,
          JSON.stringify({
            accessToken: granted.access_token,
            refreshToken: granted.refresh_token,
            expiresAt: new Date(Date.now() + granted.expires_in * 1000).toISOString(),
          }),
        ),
      });
      const campaignId = `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`;
      const items: Record<string, unknown>[] = [
        { ...keys.campaign(userId, campaignId), campaignId, status: 'in_progress', name: `Bench ${c}`, autoPublish: new Set(['x']) },
      ];
      for (let day = 1; day <= POSTS_EACH; day++) {
        const dueAt = new Date(windowStart.getTime() + ((c + day) % 14) * 60_000).toISOString();
        items.push({
          ...keys.content(userId, campaignId, day, 'x'),
          GSI1PK: keys.duePk(dueAt.slice(0, 10), dueShard(userId, campaignId)),
          GSI1SK: keys.dueSk(dueAt.slice(11, 16), userId, campaignId, 'x'),
          campaignId,
          day,
          platform: 'x',
          dueAt,
          post: `Bench post ${c}/${day}: the one habit that doubled my output this month`,
          title: `Bench ${c}/${day}`,
          approval: { state: 'approved' },
          version: 1,
        });
      }
      for (let i = 0; i < items.length; i += 25)
        await dynamo.send(
          new BatchWriteCommand({ RequestItems: { [stack.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
        );
    },
  );
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function measureConnections(): Promise<string> {
  const stack = await startTestStack();
  try {
    const { start, end } = windowContaining(new Date());
    await seed(stack, start);
    stack.x.resetCounts();
    const tasks = dayRanges(start, end).flatMap((range) =>
      allShards().map((shard) => ({ windowStart: start.toISOString(), range, shard })),
    );
    const began = performance.now();
    const reports = (await Promise.all(
      tasks.map((task) => invokeLocal('functions/triggers/posting-shard.ts', task, 'PostingShardWorker')),
    )) as ShardReport[];
    const publishMs = performance.now() - began;
    const published = reports.reduce((n, report) => n + (report.publishing.published ?? 0), 0);
    const publishCounts = stack.x.requestCounts();

    stack.x.resetCounts();
    const importBegan = performance.now();
    const imported = (await invokeLocal(
      'functions/triggers/platform-import.ts',
      scheduledEvent('PlatformImportSchedule', new Date(Date.now() + 61 * 60_000)),
      'PlatformImport',
    )) as ImportReport;
    const importMs = performance.now() - importBegan;
    const importCounts = stack.x.requestCounts();
    const lookups = importCounts['GET /2/tweets'] ?? 0;

    return markdownTable(
      ['step', 'posts', 'X requests', 'by route', 'requests per post', 'ms per 1k posts (wall)'],
      [
        [
          'publish (16 shard workers)',
          String(published),
          String(sum(publishCounts)),
          JSON.stringify(publishCounts),
          fixed(sum(publishCounts) / published, 2),
          fixed((publishMs / published) * 1000, 0),
        ],
        [
          'import at 1 h (metrics lookups only)',
          String(imported.imported),
          String(lookups),
          `GET /2/tweets ${lookups}`,
          fixed(lookups / imported.imported, 3),
          fixed((importMs / imported.imported) * 1000, 0),
        ],
        [
          'import at 1 h (with the daily follower reads)',
          String(imported.imported),
          String(sum(importCounts)),
          JSON.stringify(importCounts),
          fixed(sum(importCounts) / imported.imported, 3),
          '',
        ],
      ],
    );
  } finally {
    await stack.dispose();
  }
}

/** In a child process (see printedByChild). */
export const connectionsBench = () => printedByChild(import.meta.url);

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await measureConnections());
