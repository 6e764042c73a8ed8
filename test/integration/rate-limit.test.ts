import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable, tableIn, type LocalDynamo } from '../../dev/dynamodb';
import { seededRandom } from '../../shared/ai/offline';
import { blockSize, outstandingCap, WINDOW_SECONDS } from '../../shared/domain/rate-limit';
import { plans } from '../../shared/domain/plans';
import type { AllowanceLeases as Leases, Verdict } from '../../shared/http/rate-limit';

/**
 * Several containers of one creator, each its own AllowanceLeases (what a Lambda container holds),
 * against one window on DynamoDB Local: the bound of shared/domain/rate-limit.ts.
 */
const LIMIT = plans.free.requestsPerMinute;
const MARGIN = Math.max(2 * blockSize(LIMIT), 0.05 * LIMIT);
// A fixed moment inside a window, so no test crosses a minute by accident.
const WINDOW = 29_000_000 * WINDOW_SECONDS;
const NOW = WINDOW + 10;

const TABLE = `crescendo-rate-limit-${randomUUID()}`;

let local: LocalDynamo;
let AllowanceLeases: typeof Leases;
let requests = 0;
beforeAll(async () => {
  // A table of its own in the run's DynamoDB Local (the rate window is one item); the shared client reads the endpoint when first loaded.
  local = tableIn(inject('dynamodbEndpoint'), TABLE);
  await ensureTable(local.endpoint, TABLE, {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    },
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  ({ AllowanceLeases } = await import('../../shared/http/rate-limit'));
  const { dynamo } = await import('../../shared/db/client');
  dynamo.middlewareStack.add(
    (next) => (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'rateLimitTestCounter' },
  );
}, 60_000);
afterAll(() => local?.stop());

let opened = 0;
const limitForOpening = async () => {
  opened++;
  return LIMIT;
};
const containers = (n: number) => Array.from({ length: n }, () => new AllowanceLeases(TABLE));

/** Sends requests until the window has answered 429 `refusals` times; how many were admitted before the first 429 and in all. */
async function drive(userId: string, pick: (sent: number) => Leases[], now = NOW) {
  let admitted = 0;
  let admittedBeforeFirst429: number | undefined;
  let refused = 0;
  const verdicts: Verdict[] = [];
  for (let sent = 0; refused < 20 && sent < 3 * LIMIT;) {
    const round = await Promise.all(pick(sent).map((container) => container.admit(userId, now, limitForOpening)));
    sent += round.length;
    verdicts.push(...round);
    for (const verdict of round) {
      if (verdict.allowed) admitted++;
      else {
        admittedBeforeFirst429 ??= admitted;
        refused++;
      }
    }
  }
  return { admitted, admittedBeforeFirst429, verdicts };
}

describe('the amortized rate limiter across containers (DynamoDB Local)', () => {
  it('admits at most the limit and answers no 429 before limit − max(2 blocks, 5 %) were admitted: 8 containers at random, concurrently', async () => {
    const fleet = containers(8);
    const random = seededRandom('containers');
    const { admitted, admittedBeforeFirst429, verdicts } = await drive('user_random', () =>
      Array.from({ length: 1 + Math.floor(random() * 6) }, () => fleet[Math.floor(random() * fleet.length)]),
    );
    expect(admitted).toBeLessThanOrEqual(LIMIT);
    expect(admittedBeforeFirst429).toBeGreaterThanOrEqual(LIMIT - MARGIN);
    const refusal = verdicts.find((v) => !v.allowed)!;
    expect(refusal).toMatchObject({ limit: LIMIT, remaining: 0, resetSeconds: WINDOW_SECONDS - 10 });
  });

  it('keeps the bound when many containers each lease and go idle, stranding their blocks', async () => {
    const fleet = containers(40);
    // Every container served the creator in the last minute, so knows the limit and leases a block at once.
    for (const container of fleet) await container.admit('user_idle', NOW - WINDOW_SECONDS, limitForOpening);
    // Every container serves the creator once (a block each while the cap allows), then only the first serves.
    const { admitted, admittedBeforeFirst429 } = await drive('user_idle', (sent) => (sent < fleet.length ? [fleet[sent]] : [fleet[0]]));
    expect(admitted).toBeLessThan(LIMIT); // blocks were stranded indeed
    expect(admitted).toBeLessThan(LIMIT); // blocks were stranded indeed
    expect(admitted).toBeLessThanOrEqual(LIMIT);
    expect(admittedBeforeFirst429).toBeGreaterThanOrEqual(LIMIT - outstandingCap(LIMIT));
  });

  it('costs one DynamoDB request per block in steady state, and a new window starts with the full allowance', async () => {
    const [container] = containers(1);
    const openedBefore = opened;
    requests = 0;
    for (let i = 0; i < 300; i++) expect((await container.admit('user_steady', NOW, limitForOpening)).allowed).toBe(true);
    // The window's opening: a count refused (no item), then the opening lease; then a lease per block.
    expect(requests).toBe(2 + Math.ceil((300 - blockSize(LIMIT)) / blockSize(LIMIT)));
    expect(requests / 300).toBeLessThanOrEqual(0.1);
    expect(opened - openedBefore).toBe(1);

    // The next minute: the limit known from the last window sizes the first lease, checked by the table.
    const first = await container.admit('user_steady', NOW + WINDOW_SECONDS, limitForOpening);
    expect(first).toMatchObject({ allowed: true, limit: LIMIT, remaining: LIMIT - 1 });
  });

  it('leases once for concurrent requests of one creator in one container', async () => {
    const [container] = containers(1);
    requests = 0;
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => container.admit('user_burst', NOW, limitForOpening)));
    expect(verdicts.every((v) => v.allowed)).toBe(true);
    expect(new Set(verdicts.map((v) => v.remaining)).size).toBe(10);
    expect(requests).toBe(2);
  });
});
