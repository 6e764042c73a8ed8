import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/function';
import { invocationScope, loadHandler } from '../../dev/lambda-runtime';
import { dynamo } from '../../shared/db/client';
import { routes, type RouteDef, type RouteId } from '../../shared/http/routes';
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

/**
 * The order a creator would call the routes in, so each one runs against data in a realistic state:
 * a profile before reading it, a generated campaign before its content, a fresh shell to delete.
 */
const SCENARIO: RouteId[] = [
  'Health',
  'OpenApiDocument',
  'ApiDocs',
  'ApiDocsAsset',
  'ListPlans',
  'ClerkWebhook',
  'CreateOnboarding',
  'UpdateProfilePhase2',
  'GetProfile',
  'GetProfileCompletion',
  'AnalyzeProfile',
  'CreateCampaign',
  'UpdateCampaignOnboarding',
  'UpdateCampaign',
  'CompleteCampaignOnboarding',
  'ListCampaigns',
  'EstimateCampaign',
  'StartCampaign',
  'GetCampaign',
  'RetryCampaign',
  'ListContent',
  'GetContent',
  'UpdateContent',
  'RegenerateContent',
  'GetSchedule',
  'ConfirmDay',
  'ExportScheduleIcs',
  'ExportScheduleCsv',
  'GetCampaignStats',
  'CompleteCampaign',
  'GetLessons',
  'ApproveLessons',
  'GetProfileInsights',
  'ListJobs',
  'GetJob',
  'GetAccount',
  'UpdateAccountPlan',
  'PutAccountAiKey',
  'GetAccountAiKey',
  'DeleteAccountAiKey',
  'ListNotifications',
  'ReadNotification',
  'ReadAllNotifications',
  'CreateWebhook',
  'ListWebhooks',
  'TestWebhook',
  'ListWebhookDeliveries',
  'DeleteWebhook',
  'CreateApiKey',
  'ListApiKeys',
  'DeleteApiKey',
  'CreateAsset',
  'ListAssets',
  'GetAsset',
  'DeleteAsset',
  'DeleteCampaign',
  'ExportAccount',
  'DeleteAccount',
];

interface ScenarioState {
  token: string;
  params: Record<string, string>;
  jobId?: string;
  webhookId?: string;
}

/** Steps between measured requests: they move the scenario's data along and are not counted. */
async function prepare(routeId: RouteId, api: ReturnType<typeof apiClient>, state: ScenarioState) {
  const call = (method: string, path: string, body?: unknown) => api(method, path, { token: state.token, body });
  if (routeId === 'GetCampaign') {
    for (let i = 0; i < 400; i++) {
      if ((await call('GET', `/campaigns/${state.params.id}`)).body.data.status !== 'generating') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  if (routeId === 'GetLessons') {
    for (let i = 0; i < 400; i++) {
      if ((await call('GET', `/campaigns/${state.params.id}`)).body.data.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  if (routeId === 'GetContent') {
    const [first] = (await call('GET', `/campaigns/${state.params.id}/content?limit=1`)).body.data;
    state.params.day = String(first.day);
    state.params.platform = first.platform;
  }
  if (routeId === 'GetJob') state.params.id = state.jobId ?? 'none';
  if (routeId === 'ListWebhooks') state.params.id = state.webhookId ?? 'none';
  if (routeId === 'DeleteApiKey') state.params.id = (await call('GET', '/api-keys?limit=1')).body.data[0]?.keyId ?? 'none';
  if (routeId === 'GetAsset') state.params.id = (await call('GET', '/assets?limit=1')).body.data[0]?.assetId ?? 'none';
  if (routeId === 'ReadNotification')
    state.params.id = (await call('GET', '/notifications?limit=1')).body.data[0]?.notificationId ?? 'none';
  if (routeId === 'DeleteCampaign') state.params.id = (await call('POST', '/campaigns', { name: 'to delete' })).body.data.campaignId;
}

/**
 * Drives every route of the route table through the local API Gateway in SCENARIO order, `repeats`
 * times, each round as a new user, and counts the DynamoDB requests the handler sends through the
 * shared client.
 */
export async function measureRequests(repeats: number): Promise<RouteResult[]> {
  const missing = routes.filter((route) => !SCENARIO.includes(route.id));
  if (missing.length) throw new Error(`Add ${missing.map((r) => r.id).join(', ')} to the bench SCENARIO`);
  const stack = await startTestStack();
  try {
    const api = apiClient(stack.apiUrl);
    const samples = sampleRequests();
    const ordered = SCENARIO.map((id) => routes.find((route) => route.id === id) as RouteDef);

    // The handlers run in this process and import shared/db/client as this file does: one module
    // instance, so a middleware here sees every request they send. Deserialize is the innermost
    // step: it runs once per HTTP attempt, retries included.
    let counts: Record<string, number> = {};
    let measured = '';
    dynamo.middlewareStack.add(
      (next, context) => (args) => {
        // Only the measured route's own requests: the workflow a start launches runs alongside.
        if (invocationScope.getStore()?.functionName !== measured) return next(args);
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
      const state: ScenarioState = {
        token: await stack.token(userId, { claims: { email: `${userId}@example.com` } }),
        params: { asset: 'swagger-ui.css' },
      };
      for (const result of results) {
        const { route } = result;
        await prepare(route.id as RouteId, api, state);
        const sample = samples.get(`${route.method} ${route.path}`);
        const path = route.path.replace(/\{(\w+)\+?\}/g, (_, name: string) => state.params[name] ?? 'sample');
        counts = {};
        measured = route.id;
        const start = performance.now();
        const response = await api(route.method, path, {
          token: route.auth === 'jwt' ? state.token : undefined,
          rawBody: sample?.body,
          headers: {
            ...(sample?.body === undefined ? {} : sample.headers),
            ...(route.id === 'StartCampaign' ? { 'idempotency-key': `bench-${round}` } : {}),
          },
        });
        result.latencyMs.push(performance.now() - start);
        measured = '';
        result.statuses.push(response.status);
        if (route.id === 'CreateCampaign') state.params.id = response.body.data.campaignId;
        if (route.id === 'RegenerateContent') state.jobId = response.body.data?.jobId;
        if (route.id === 'CreateWebhook') state.webhookId = response.body.data?.webhookId;
        if (round === 0) result.dynamoRequests = counts;
      }
    }

    const uncounted = results.filter(
      (r) => r.route.access.table !== 'none' && r.statuses[0] < 300 && !Object.keys(r.dynamoRequests).length,
    );
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
    Object.entries(dynamoRequests)
      .map(([operation, n]) => `${operation} ${n}`)
      .join(', ') || '—',
    fixed(latencyMs[0]),
    fixed(median(latencyMs)),
  ]);
  return markdownTable(
    ['route', 'id', 'HTTP status', 'DynamoDB requests', 'first ms', `median ms (n=${results[0]?.latencyMs.length})`],
    rows,
  );
}
