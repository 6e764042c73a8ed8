import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/function';
import { loadHandler } from '../../infra/local/lambda-runtime';
import { dynamo } from '../../shared/db/client';
import { routes, type RouteDef } from '../../shared/http/routes';
import { apiClient, startTestStack } from '../support/local-stack';
import { fixed, markdownTable, median } from './report';

export interface RouteResult {
  route: RouteDef;
  statuses: number[];
  latencyMs: number[];
  /** DynamoDB requests of the first call, by operation. */
  dynamoRequests: Record<string, number>;
}

interface SampleRequest {
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Sample API Gateway events from events/, by route key (`PATCH /profile/phase2`): concrete path and body. */
function sampleRequests(): Map<string, SampleRequest> {
  const samples = new Map<string, SampleRequest>();
  const dir = join(REPO_ROOT, 'events');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const event = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if (typeof event.routeKey === 'string') samples.set(event.routeKey, { path: event.rawPath, body: event.body, headers: event.headers });
  }
  return samples;
}

// Writes first, so the reads of the same user find a profile.
const METHOD_ORDER: Record<RouteDef['method'], number> = { POST: 0, PUT: 1, PATCH: 2, GET: 3, DELETE: 4 };

/**
 * Drives every route of the route table through the local API Gateway, `repeats` times, each
 * round as a new user (so a POST that creates is not a 409 the second time), and counts the
 * DynamoDB requests the handler sends through the shared client.
 */
export async function measureRequests(repeats: number): Promise<RouteResult[]> {
  const stack = await startTestStack();
  try {
    const api = apiClient(stack.apiUrl);
    const samples = sampleRequests();
    const ordered = [...(routes as readonly RouteDef[])].sort((a, b) => METHOD_ORDER[a.method] - METHOD_ORDER[b.method]);

    // The handlers run in this process and import shared/db/client as this file does: one module
    // instance, so a middleware here sees every request they send. Deserialize is the innermost
    // step: it runs once per HTTP attempt, retries included.
    let counts: Record<string, number> = {};
    dynamo.middlewareStack.add(
      (next, context) => (args) => {
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        counts[operation] = (counts[operation] ?? 0) + 1;
        return next(args);
      },
      { step: 'deserialize', name: 'benchRequestCounter' },
    );
    // Import every handler before timing: the first request should not pay tsx's transpilation.
    await Promise.all(ordered.map((route) => loadHandler(route.entry)));

    const results = ordered.map((route): RouteResult => ({ route, statuses: [], latencyMs: [], dynamoRequests: {} }));
    for (let round = 0; round < repeats; round++) {
      const userId = `bench-user-${round}`;
      const token = await stack.token(userId, { claims: { email: `${userId}@example.com` } });
      for (const result of results) {
        const { route } = result;
        const sample = samples.get(`${route.method} ${route.path}`);
        const path = sample?.path ?? route.path.replace(/\{(\w+)\+?\}/g, 'sample');
        counts = {};
        const start = performance.now();
        const response = await api(route.method, path, {
          token: route.auth === 'jwt' ? token : undefined,
          rawBody: sample?.body,
          headers: sample?.body === undefined ? {} : sample.headers,
        });
        result.latencyMs.push(performance.now() - start);
        result.statuses.push(response.status);
        if (round === 0) result.dynamoRequests = counts;
      }
    }

    const uncounted = results.filter((r) => r.route.access.table !== 'none' && r.statuses[0] < 300 && !Object.keys(r.dynamoRequests).length);
    if (uncounted.length) {
      throw new Error(
        `The DynamoDB counting middleware never fired for ${uncounted.map((r) => r.route.id).join(', ')}, routes that use the table: ` +
          'the handlers are not sending through the shared/db/client instance this script instruments.',
      );
    }
    return results;
  } finally {
    await stack.dispose();
  }
}

export function requestTable(results: RouteResult[]): string {
  const rows = results.map(({ route, statuses, latencyMs, dynamoRequests }) => [
    `${route.method} ${route.path}`,
    route.id,
    [...new Set(statuses)].join(', '),
    Object.entries(dynamoRequests).map(([operation, n]) => `${operation} ${n}`).join(', ') || '—',
    fixed(latencyMs[0]),
    fixed(median(latencyMs)),
  ]);
  return markdownTable(['route', 'id', 'HTTP status', 'DynamoDB requests', 'first ms', `median ms (n=${results[0]?.latencyMs.length})`], rows);
}
