import { fileURLToPath } from 'node:url';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { invokeLocal } from '../../dev/lambda-runtime';
import { dynamo } from '../../shared/db/client';
import { mapLimited } from '../../shared/db/concurrency';
import { allShards } from '../../shared/db/due-posts';
import { dueShard, keys } from '../../shared/db/keys';
import { dayRanges, windowContaining } from '../../shared/domain/due-window';
import {
  DYNAMODB_RRU_USD,
  DYNAMODB_WRU_USD,
  EVENTBRIDGE_EVENT_USD,
  LAMBDA_GB_SECOND_USD,
  LAMBDA_REQUEST_USD,
} from '../../shared/domain/pricing';
import type { ShardReport } from '../../shared/events/posting';
import { startTestStack } from '../support/local-stack';
import { printedByChild } from './child';
import { fixed, markdownTable } from './report';

/**
 * The posting trigger bench: DUE_POSTS content items (CAMPAIGNS campaigns, in_progress, no
 * webhooks) due in one 15-minute window in DynamoDB Local, then the trigger's fan-out: the 16
 * shard workers run at once, as the cloud's asynchronous invocations would (here in one process
 * on this machine's cores, so the wall time is pessimistic). DynamoDB capacity units come from
 * DynamoDB Local's own ReturnConsumedCapacity; cost uses shared/domain/pricing.ts.
 */
export const DUE_POSTS = 10_000;
const CAMPAIGNS = 1_000;
const USERS = 500;
const LAMBDA_GB = 0.5;
const AT = new Date('2026-12-01T18:05:00.000Z');
const PLATFORMS = ['youtube', 'instagram', 'tiktok', 'linkedin', 'x'] as const;

interface Counters {
  requests: Record<string, number>;
  rru: number;
  wru: number;
}

async function seed(table: string) {
  const { start } = windowContaining(AT);
  const items: Record<string, unknown>[] = [];
  for (let c = 0; c < CAMPAIGNS; c++) {
    const userId = `bench-trigger-${c % USERS}`;
    const campaignId = `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`;
    items.push({
      ...keys.campaign(userId, campaignId),
      campaignId,
      userId,
      name: `Campaign ${c}`,
      status: 'in_progress',
      version: 3,
      attempt: 1,
    });
    for (let p = 0; p < DUE_POSTS / CAMPAIGNS; p++) {
      const day = p + 1;
      const platform = PLATFORMS[p % PLATFORMS.length];
      const dueAt = new Date(start.getTime() + (p % 15) * 60_000).toISOString();
      items.push({
        ...keys.content(userId, campaignId, day, platform),
        GSI1PK: keys.duePk(dueAt.slice(0, 10), dueShard(userId, campaignId)),
        GSI1SK: keys.dueSk(dueAt.slice(11, 16), userId, campaignId, platform),
        campaignId,
        day,
        platform,
        dueAt,
        format: 'short video',
        title: `Post ${day} of campaign ${c}`,
        post: 'A post body of typical length. '.repeat(20),
        approval: { state: 'approved' },
        version: 1,
        revisions: [],
      });
    }
  }
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  await mapLimited(batches, 8, (batch) =>
    dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: batch.map((Item) => ({ PutRequest: { Item } })) } })),
  );
}

/** One window through the 16 shard workers, all at once; their summed durations are the billed Lambda time. */
async function run(shardWorker: string) {
  const { start, end } = windowContaining(AT);
  const tasks = dayRanges(start, end).flatMap((range) => allShards().map((shard) => ({ windowStart: start.toISOString(), range, shard })));
  const began = performance.now();
  let workerMs = 0;
  const reports = await Promise.all(
    tasks.map(async (task) => {
      const t0 = performance.now();
      const report = (await invokeLocal('functions/triggers/posting-shard.ts', task, shardWorker)) as ShardReport;
      workerMs += performance.now() - t0;
      return report;
    }),
  );
  return { wallMs: performance.now() - began, workerMs, reports };
}

async function measureTrigger(): Promise<string> {
  const stack = await startTestStack();
  try {
    await seed(stack.tableName);
    let current: Counters | undefined;
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (!current) return next(args);
        const input = args.input as Record<string, unknown>;
        input.ReturnConsumedCapacity = 'TOTAL';
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        current.requests[operation] = (current.requests[operation] ?? 0) + 1;
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
        const units = consumed?.CapacityUnits ?? 0;
        if (['GetItem', 'Query', 'BatchGetItem'].includes(operation)) current.rru += units;
        else current.wru += units;
        return result;
      },
      { step: 'initialize', name: 'benchTriggerCounter' },
    );

    const rows: string[][] = [];
    const published = () => stack.publishedEvents().length;
    for (const label of ['first run', 'same window again']) {
      const before = published();
      const counters: Counters = { requests: {}, rru: 0, wru: 0 };
      current = counters;
      const stats = { ...(await run('PostingShardWorker')), ...counters };
      current = undefined;
      const due = stats.reports.reduce((sum, r) => sum + r.due, 0);
      const notified = stats.reports.reduce((sum, r) => sum + r.notified, 0);
      const events = published() - before;
      const putEvents = stats.reports.reduce((sum, r) => sum + Math.ceil(r.notified / 10), 0);
      const dynamoRequests = Object.values(stats.requests).reduce((a, b) => a + b, 0);
      const lambdaUsd = (stats.workerMs / 1000) * LAMBDA_GB * LAMBDA_GB_SECOND_USD + (stats.reports.length + 1) * LAMBDA_REQUEST_USD;
      const dynamoUsd = stats.wru * DYNAMODB_WRU_USD + stats.rru * DYNAMODB_RRU_USD;
      const eventsUsd = events * EVENTBRIDGE_EVENT_USD;
      const per1k = (usd: number) => `$${((usd / due) * 1000).toFixed(5)}`;
      rows.push([
        label,
        String(due),
        String(notified),
        fixed((stats.wallMs / due) * 1000, 0),
        fixed(dynamoRequests / due, 2),
        Object.entries(stats.requests)
          .map(([op, n]) => `${op} ${n}`)
          .join(', '),
        `${fixed(stats.rru, 0)} / ${fixed(stats.wru, 0)}`,
        String(putEvents),
        per1k(lambdaUsd),
        per1k(dynamoUsd),
        per1k(eventsUsd),
        per1k(lambdaUsd + dynamoUsd + eventsUsd),
      ]);
    }
    return markdownTable(
      [
        'run',
        'due',
        'notified',
        'ms per 1k (wall)',
        'DynamoDB req/post',
        'DynamoDB requests',
        'RRU / WRU',
        'PutEvents',
        'Lambda $/1k',
        'DynamoDB $/1k',
        'EventBridge $/1k',
        'total $/1k',
      ],
      rows,
    );
  } finally {
    await stack.dispose();
  }
}

/** In a child process (see printedByChild). */
export const triggerBench = () => printedByChild(import.meta.url);

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await measureTrigger());
