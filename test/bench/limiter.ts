import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext, repoRoot } from '../../dev/lambda-runtime';
import { upsertUser } from '../../shared/db/account-store';
import { plans } from '../../shared/domain/plans';
import { blockSize } from '../../shared/domain/rate-limit';
import { dynamo } from '../../shared/db/client';
import { routeById } from '../../shared/http/routes';
import { startTestStack } from '../support/local-stack';
import { printedByChild } from './child';
import { fixed, markdownTable, median, percentile } from './report';

/**
 * The rate limiter's added latency: the GET /campaigns handler (a read route, so the limiter never
 * creates the user) loaded twice in this process, once with RATE_LIMIT=off and once with on, each
 * sample calling both on the same event, in alternating order, against DynamoDB Local.
 */
const ROUTE = routeById('ListCampaigns');
const WARM_UP = 30;
/** With the warm-up, within the free tier's 600 a minute even when the run takes less than one. */
const STEADY = 450;
const FIRST = 50;

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
type Counts = Record<string, number>;

/** A second module instance per setting: httpRoute reads RATE_LIMIT when the handler module loads. */
async function handlerWith(rateLimit: 'on' | 'off'): Promise<Handler> {
  process.env.RATE_LIMIT = rateLimit;
  const module = await import(`${pathToFileURL(resolve(repoRoot, ROUTE.entry)).href}?rate-limit=${rateLimit}`);
  return module.handler;
}

interface Sample {
  offMs: number;
  onMs: number;
  /** DynamoDB requests of the limited call beyond the unlimited one's, by operation. */
  limiterRequests: Counts;
}

async function measureLimiter(): Promise<string> {
  const stack = await startTestStack();
  try {
    const off = await handlerWith('off');
    const on = await handlerWith('on');
    const template = JSON.parse(readFileSync(resolve(repoRoot, 'events/api-campaign-list.json'), 'utf8'));
    const { requestContext } = template;
    const eventFor = (userId: string) => ({
      ...template,
      requestContext: { ...requestContext, authorizer: { ...requestContext.authorizer, jwt: { claims: { sub: userId }, scopes: [] } } },
    });

    let counts: Counts = {};
    dynamo.middlewareStack.add(
      (next, context) => (args) => {
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        counts[operation] = (counts[operation] ?? 0) + 1;
        return next(args);
      },
      { step: 'deserialize', name: 'benchLimiterCounter' },
    );
    const timed = async (handler: Handler, event: unknown) => {
      counts = {};
      const start = performance.now();
      const response = await handler(event, lambdaContext(ROUTE.id));
      const ms = performance.now() - start;
      if (response.statusCode !== 200) throw new Error(`${ROUTE.id} answered ${response.statusCode}: ${response.body}`);
      return { ms, counts };
    };
    const sample = async (userId: string, index: number): Promise<Sample> => {
      const event = eventFor(userId);
      const [a, b] = index % 2 ? [on, off] : [off, on];
      const first = await timed(a, event);
      const second = await timed(b, event);
      const [unlimited, limited] = index % 2 ? [second, first] : [first, second];
      const limiterRequests = Object.fromEntries(
        Object.entries(limited.counts)
          .map(([operation, n]) => [operation, n - (unlimited.counts[operation] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      return { offMs: unlimited.ms, onMs: limited.ms, limiterRequests };
    };

    // Users exist (as after Clerk's webhook), with the free tier's 600 requests a minute.
    const now = new Date().toISOString();
    const steadyUser = 'bench-limiter-steady';
    const firstUsers = Array.from({ length: FIRST }, (_, i) => `bench-limiter-first-${i}`);
    for (const userId of [steadyUser, ...firstUsers]) await upsertUser(stack.tableName, userId, now);

    // The warm-up opens the steady user's window; from there a request leases a block when the
    // last one is spent (and once more when a minute turns), which the steady figures include.
    for (let i = 0; i < WARM_UP; i++) await sample(steadyUser, i);
    const steady: Sample[] = [];
    for (let i = 0; i < STEADY; i++) steady.push(await sample(steadyUser, WARM_UP + i));
    const first: Sample[] = [];
    for (const [i, userId] of firstUsers.entries()) first.push(await sample(userId, i));

    const requestsPer = (samples: Sample[]) =>
      samples.reduce((total, s) => total + Object.values(s.limiterRequests).reduce((a, b) => a + b, 0), 0) / samples.length;
    const stats = (values: number[]) =>
      `${fixed(median(values))} / ${fixed(percentile(values, 95))} / ${fixed(values.reduce((a, b) => a + b, 0) / values.length)}`;
    const row = (label: string, samples: Sample[]) => {
      const perOperation: Counts = {};
      for (const s of samples)
        for (const [operation, n] of Object.entries(s.limiterRequests)) perOperation[operation] = (perOperation[operation] ?? 0) + n;
      return [
        label,
        String(samples.length),
        stats(samples.map((s) => s.offMs)),
        stats(samples.map((s) => s.onMs)),
        stats(samples.map((s) => s.onMs - s.offMs)),
        Object.entries(perOperation)
          .map(([operation, n]) => `${operation} ${+(n / samples.length).toFixed(2)}`)
          .join(', '),
      ];
    };
    return [
      markdownTable(
        [
          'case',
          'n',
          'limiter off ms (median / p95 / mean)',
          'limiter on ms',
          'added ms (on − off per sample)',
          'DynamoDB requests added per request',
        ],
        [row('steady (window open)', steady), row("window's first request (distinct users)", first)],
      ),
      `\n${WARM_UP} warm-up samples not counted. Steady state: ${fixed(requestsPer(steady), 3)} DynamoDB requests per request (target ≤ 0.1; one lease per block of ${blockSize(plans.free.requestsPerMinute)}).`,
    ].join('\n');
  } finally {
    await stack.dispose();
  }
}

/** In a child process (see printedByChild). */
export const limiterBench = () => printedByChild(import.meta.url);

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await measureLimiter());
