import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { bundleFunction, ENTRY_FILE, REPO_ROOT } from '../../infra/bundle';
import { ENTRY_METADATA_KEY, GEMINI_METADATA_KEY } from '../../infra/metadata';
import { synthesizeTemplate } from '../../infra/synth';
import { sampleCreator } from '../../dev/demo';
import { LOCAL_AUTHORIZED_PARTY } from '../../dev/jwt';
import { apiClient, startTestStack } from '../support/local-stack';
import { pollUntil } from '../support/poll';
import { printedByChild } from './child';
import { fixed, markdownTable, median } from './report';

/**
 * Cold load + first offline invocation of every function's bundle, built as `cdk synth` builds it
 * (infra/bundle.ts, the Gemini decision of infra/function.ts, a deploy with a Gemini key secret),
 * each run in a fresh node against the local stack (no Gemini key: agents run offline). Runs are
 * interleaved: each round runs the reference handler, then every function, in a shuffled order.
 */
export const REFERENCE_ENTRY = 'test/bench/reference-handler.ts';
/** Rounds of the timed functions: 30 for the figures; BENCH_BUNDLE_ROUNDS=3 for a quick look while iterating. */
export const ROUNDS = Number(process.env.BENCH_BUNDLE_ROUNDS ?? 30);
const TARGETS = { api: 1.2, agents: 1.5 } as const;
/** The MCP server (SDK, auth, the tool dispatch) has a target of its own (issue 22), in bytes and in time. */
const MCP_ENTRY = 'functions/api/mcp.ts';
const MCP_TARGET = 2;
/** The deploy measured: with a Gemini key secret, so the agents and the thumbnails carry the SDK (lazily). */
const DEPLOY_CONTEXT = { geminiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:gemini-bench' };
const INVOCATION_TIMEOUT_MS = 15_000;

// Runs in a fresh node: times the import of the entry and its first invocation (not node's own start).
const RUNNER = `
const [bundle, eventFile, name] = process.argv.slice(1);
const event = JSON.parse((await import('node:fs')).readFileSync(eventFile, 'utf8'));
const context = { functionName: name, functionVersion: '$LATEST', awsRequestId: 'bench', memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + name, logGroupName: name, logStreamName: name,
  callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 30000 };
const t = performance.now();
const { handler } = await import(bundle);
let outcome;
try { const reply = await handler(event, context); outcome = String(reply?.statusCode ?? 'ok'); }
catch (error) { outcome = error?.name ?? 'error'; if (process.env.BENCH_DEBUG) console.error(error); }
process.exitCode = 0;
process.stdout.write(JSON.stringify({ ms: performance.now() - t, outcome }));
`;

interface Built {
  entry: string;
  gemini: boolean;
  dir: string;
  /** The entry and the chunks it imports statically: what a cold start loads. */
  coldBytes: number;
  /** Every .mjs of the asset, lazy chunks included. */
  assetBytes: number;
  /** Bytes of the lazy chunk holding the Gemini SDK, when the asset has one. */
  geminiChunkBytes?: number;
  topPackages: [string, number][];
}

export interface BundleResult extends Built {
  ms: number[];
  outcomes: Set<string>;
  /** The same bundle timed again under other settings (the floor without its rate limiter). */
  variant?: { label: string; env: NodeJS.ProcessEnv };
}

/** Every distinct (entry, Gemini) pair of the synthesized stack. */
function stackFunctions(): { entry: string; gemini: boolean }[] {
  const template = synthesizeTemplate({ context: DEPLOY_CONTEXT });
  const seen = new Map<string, { entry: string; gemini: boolean }>();
  for (const resource of Object.values(template.Resources as Record<string, { Type: string; Metadata?: Record<string, unknown> }>)) {
    const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
    if (resource.Type !== 'AWS::Lambda::Function' || typeof entry !== 'string') continue;
    const gemini = resource.Metadata?.[GEMINI_METADATA_KEY] === true;
    seen.set(`${entry}:${gemini}`, { entry, gemini });
  }
  return [...seen.values()].sort((a, b) => a.entry.localeCompare(b.entry));
}

export function build(entry: string, gemini: boolean, dir: string): Built {
  const metafile = bundleFunction({ entry, gemini }, dir);
  const outputs = Object.fromEntries(
    Object.entries(metafile.outputs)
      .filter(([path]) => path.endsWith('.mjs'))
      .map(([path, output]) => [relative(dir, join(REPO_ROOT, path)), output] as const),
  );
  const cold = new Set<string>();
  const visit = (file: string) => {
    if (cold.has(file)) return;
    cold.add(file);
    for (const { path, kind } of outputs[file].imports)
      if (kind === 'import-statement' && path.endsWith('.mjs')) visit(relative(dir, join(REPO_ROOT, path)));
  };
  visit(ENTRY_FILE);
  const sum = (files: Iterable<string>) => [...files].reduce((total, file) => total + outputs[file].bytes, 0);
  const geminiChunk = Object.keys(outputs).find((file) =>
    Object.keys(outputs[file].inputs).some((input) => input.includes('node_modules/@google/genai/')),
  );
  return {
    entry,
    gemini,
    dir,
    coldBytes: sum(cold),
    assetBytes: sum(Object.keys(outputs)),
    geminiChunkBytes: geminiChunk ? outputs[geminiChunk].bytes : undefined,
    topPackages: packageBytes([...cold].map((file) => outputs[file])),
  };
}

function packageBytes(outputs: Metafile['outputs'][string][]): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of outputs)
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(own code)';
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/**
 * What is timed (a fresh node per run takes ~1 s on this shared machine, so not all ~85 functions
 * × 30 rounds): every agent function, the three BYOK routes, campaign deletion and POST /assets, the
 * MCP server (its own target: ≤ 2×) and the API routes with the most bytes loaded cold; the others are listed with their bytes.
 */
const LARGEST_API_ROUTES = 5;
/**
 * The floor of an API route under the house rules: JWT identity, rate limit, zod validation, the
 * Powertools logger and one GetItem (a job that does not exist answers 404). No route can load less.
 */
const FLOOR_ENTRY = 'functions/api/job-get.ts';
const CAMPAIGN_DELETE_ENTRY = 'functions/api/campaign-delete.ts';
const DELETION_USER = 'bench-campaign-delete';
const ALWAYS_TIMED = [
  FLOOR_ENTRY,
  'functions/api/account-ai-key-get.ts',
  'functions/api/account-ai-key-delete.ts',
  'functions/api/account-ai-key-put.ts',
  // The two routes issue 21 found over 1.2× (they carried the S3 SDK cold), now far from the largest.
  CAMPAIGN_DELETE_ENTRY,
  'functions/api/asset-create.ts',
  MCP_ENTRY,
];

function timedSelection(results: Built[]): number[] {
  const indexed = results.map((r, i) => ({ r, i }));
  const api = indexed.filter(({ r }) => kind(r.entry) === 'api').sort((a, b) => b.r.coldBytes - a.r.coldBytes);
  const chosen = new Set([
    ...indexed.filter(({ r }) => kind(r.entry) === 'agents' || ALWAYS_TIMED.includes(r.entry)).map(({ i }) => i),
    ...api.slice(0, LARGEST_API_ROUTES).map(({ i }) => i),
  ]);
  return [...chosen].sort((a, b) => a - b);
}

/** The function's sample event (events/<folder>-<name>.json), as `npm run invoke` takes it. */
function sampleEvent(entry: string, scratch: string): string {
  const file = join(REPO_ROOT, 'events', `${basename(dirname(entry))}-${basename(entry, '.ts')}.json`);
  if (existsSync(file)) return file;
  if (entry !== REFERENCE_ENTRY) throw new Error(`No sample event for ${entry} (${file})`);
  const reference = join(scratch, 'reference-event.json');
  writeFileSync(reference, JSON.stringify({ userId: 'bench' }));
  return reference;
}

type Stack = Awaited<ReturnType<typeof startTestStack>>;
type SampleEvent = {
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  rawPath?: string;
  requestContext?: { http?: { path: string }; authorizer?: { jwt?: { claims: Record<string, unknown> } } };
};

/**
 * The sample event as an authorized call of `userId`: its JWT claims carry the local front end's
 * `azp` (the local stack checks AUTH_AUTHORIZED_PARTIES, so without it every route answers 401), and
 * a bearer header (the MCP server checks its own token) a real token.
 */
async function authorizedEvent(sample: string, userId: string, stack: Stack, file: string): Promise<string> {
  const event = JSON.parse(readFileSync(sample, 'utf8')) as SampleEvent;
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (claims) Object.assign(claims, { sub: userId, azp: LOCAL_AUTHORIZED_PARTY });
  if (event.headers?.authorization) event.headers.authorization = `Bearer ${await stack.token(userId)}`;
  writeFileSync(file, JSON.stringify(event));
  return file;
}

/**
 * Campaign deletion's common path is a campaign a workflow ran (it deletes the campaign's media, so
 * it loads the S3 SDK): one campaign is generated and completed through the API, offline, and each
 * round deletes a copy of it (its items and media objects under a new id).
 */
async function generatedCampaigns(stack: Stack, userId: string, rounds: number): Promise<string[]> {
  const api = apiClient(stack.apiUrl);
  const token = await stack.token(userId);
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await api(method, path, { token, body, headers });
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data;
  };
  await call('POST', '/onboarding', sampleCreator);
  const id: string = (await call('POST', '/campaigns', { name: 'bench deletion' })).campaignId;
  await call('PATCH', `/campaigns/${id}/onboarding`, {
    goal: { type: 'followers', metric: 'YouTube subscribers', target: 2000, baseline: 1200 },
    durationDays: 7,
    startDate: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
    agentConfig: { tone: 'warm', language: 'en', critiqueBar: 7, maxCritiqueRounds: 1 },
  });
  await call('POST', `/campaigns/${id}/complete-onboarding`);
  await call('POST', `/campaigns/${id}/start`);
  const generated = (await pollUntil(
    () => call('GET', `/campaigns/${id}`),
    (campaign: { status: string }) => campaign.status !== 'generating',
    'the bench campaign',
    300_000,
  )) as { status: string };
  if (generated.status !== 'in_progress') throw new Error(`the bench campaign ended ${generated.status}`);
  const job = await call('POST', `/campaigns/${id}/complete`, undefined, { 'idempotency-key': `bench-${id}` });
  await pollUntil(
    () => call('GET', `/jobs/${job.jobId}`),
    (current: { status: string }) => current.status === 'succeeded',
    'the completion',
  );

  // Loaded once the stack has set this process's endpoints, bucket and table names.
  const [{ dynamo }, { s3 }, { mediaPrefix }, { QueryCommand, BatchWriteCommand }, { ListObjectsV2Command, CopyObjectCommand }] =
    await Promise.all([
      import('../../shared/db/client'),
      import('../../shared/media/s3'),
      import('../../shared/db/keys'),
      import('@aws-sdk/lib-dynamodb'),
      import('@aws-sdk/client-s3'),
    ]);
  const { Items: items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':sk': `CAMP#${id}` },
    }),
  );
  const { Contents: objects = [] } = await s3.send(
    new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: mediaPrefix.campaign(userId, id) }),
  );
  if (objects.length === 0) throw new Error('the bench campaign has no media: its deletion would not be the common path');
  const copies: string[] = [];
  for (let round = 0; round < rounds; round++) {
    // Same length as a campaign id, so every key and index attribute keeps its shape.
    const copy = randomUUID();
    const renamed = items.map((item) => JSON.parse(JSON.stringify(item).replaceAll(id, copy)));
    for (let i = 0; i < renamed.length; i += 25)
      await dynamo.send(
        new BatchWriteCommand({
          RequestItems: { [stack.tableName]: renamed.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    for (const { Key } of objects)
      await s3.send(
        new CopyObjectCommand({ Bucket: stack.bucketName, CopySource: `${stack.bucketName}/${Key}`, Key: Key!.replace(id, copy) }),
      );
    copies.push(copy);
  }
  return copies;
}

/** Campaign deletion's event for one campaign of `userId`. */
function deletionEvent(sample: string, userId: string, campaignId: string, file: string): string {
  const event = JSON.parse(readFileSync(sample, 'utf8').replaceAll('3f1c2a9e-7b4d-4c1e-9a2b-5d6e7f8a9b0c', campaignId)) as SampleEvent;
  Object.assign(event.requestContext!.authorizer!.jwt!.claims, { sub: userId, azp: LOCAL_AUTHORIZED_PARTY });
  writeFileSync(file, JSON.stringify(event));
  return file;
}

async function run(built: Built, eventFile: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; outcome: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', RUNNER, pathToFileURL(join(built.dir, ENTRY_FILE)).href, eventFile, basename(built.entry, '.ts')],
      { env, cwd: built.dir, timeout: INVOCATION_TIMEOUT_MS },
    );
    return JSON.parse(stdout);
  } catch (error) {
    throw new Error(`${built.entry}: ${String((error as { stderr?: string }).stderr || error).slice(0, 500)}`, { cause: error });
  }
}

async function measureBundles(): Promise<BundleResult[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'crescendo-bench-'));
  const stack = await startTestStack();
  try {
    const functions = [{ entry: REFERENCE_ENTRY, gemini: false }, ...stackFunctions()];
    const results: BundleResult[] = functions.map(({ entry, gemini }, i) => ({
      ...build(entry, gemini, join(scratch, String(i))),
      ms: [],
      outcomes: new Set(),
    }));
    const timed = timedSelection(results);
    // Each function runs as a creator of its own (the rate limiter counts per creator).
    const events = await Promise.all(
      results.map((r, i) =>
        kind(r.entry) === 'api'
          ? authorizedEvent(sampleEvent(r.entry, scratch), `bench-${basename(r.entry, '.ts')}`, stack, join(scratch, `event-${i}.json`))
          : sampleEvent(r.entry, scratch),
      ),
    );
    const deletion = results.findIndex((r) => r.entry === CAMPAIGN_DELETE_ENTRY);
    const deleted = await generatedCampaigns(stack, DELETION_USER, ROUNDS);
    // The floor once more without the limiter (RATE_LIMIT=off): what its first lease adds.
    const floor = results.findIndex((r) => r.entry === FLOOR_ENTRY);
    results.push({ ...results[floor], ms: [], outcomes: new Set(), variant: { label: 'rate limiter off', env: { RATE_LIMIT: 'off' } } });
    events.push(events[floor]);
    timed.push(results.length - 1);
    const eventOf = (i: number, round: number) =>
      i === deletion
        ? deletionEvent(sampleEvent(CAMPAIGN_DELETE_ENTRY, scratch), DELETION_USER, deleted[round], join(scratch, `deletion-${round}.json`))
        : events[i];
    // The local stack's endpoints and names (startTestStack set them here), no Gemini key: offline.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_LOG_LEVEL: 'ERROR' };
    // AWS_LAMBDA_MAX_CONCURRENCY is the local runtime's (Lambda's multi-concurrency mode): a plain Lambda has none.
    for (const name of ['GEMINI_API_KEY', 'GEMINI_API_KEY_SECRET_ARN', 'GOOGLE_GEMINI_BASE_URL', 'AWS_LAMBDA_MAX_CONCURRENCY'])
      delete env[name];
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let round = 0; round < ROUNDS; round++) {
      const order = [...timed];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const i of [0, ...order]) {
        const { ms, outcome } = await run(results[i], eventOf(i, round), { ...env, ...results[i].variant?.env });
        results[i].ms.push(ms);
        results[i].outcomes.add(outcome);
      }
    }
    return results;
  } finally {
    await stack.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => fixed(bytes / 1024);
const rendersThumbnails = (r: Built) => r.topPackages.some(([name]) => name === 'opentype.js');
const kind = (entry: string) => (entry.startsWith('functions/api/') ? 'api' : entry.startsWith('functions/agents/') ? 'agents' : 'other');

export function bundleTable(results: BundleResult[]): string {
  const reference = results.find((r) => r.entry === REFERENCE_ENTRY)!;
  const ratio = (r: BundleResult) => median(r.ms) / median(reference.ms);
  const isTimed = (r: BundleResult) => r.ms.length > 0;
  const rows = results.map((r) => [
    r.entry === REFERENCE_ENTRY ? `${r.entry} (reference)` : r.variant ? `${r.entry} (${r.variant.label})` : r.entry,
    kib(r.coldBytes),
    `${fixed(r.coldBytes / reference.coldBytes, 2)}×`,
    kib(r.assetBytes),
    r.geminiChunkBytes === undefined ? '—' : `${kib(r.geminiChunkBytes)} (lazy)`,
    isTimed(r) ? fixed(median(r.ms)) : 'not timed',
    isTimed(r) ? `${fixed(ratio(r), 2)}×` : '',
    [...r.outcomes].join(', '),
    r.topPackages
      .slice(0, 3)
      .map(([name, size]) => `${name} ${kib(size)}`)
      .join(', '),
  ]);
  const summary = (['api', 'agents'] as const).map((group) => {
    const members = results.filter(
      (r) => kind(r.entry) === group && isTimed(r) && !rendersThumbnails(r) && r.entry !== MCP_ENTRY && !r.variant,
    );
    const worst = members.reduce((a, b) => (ratio(a) >= ratio(b) ? a : b));
    const over = members.filter((r) => ratio(r) > TARGETS[group]);
    return `- ${group}: ${members.length} timed, worst ${fixed(ratio(worst), 2)}× (${worst.entry}), target ≤ ${TARGETS[group]}×: ${
      over.length === 0 ? 'met' : `missed by ${over.map((r) => `${basename(r.entry, '.ts')} ${fixed(ratio(r), 2)}×`).join(', ')}`
    }`;
  });
  return [
    markdownTable(
      [
        'function entry',
        'cold KiB (entry + static chunks)',
        'vs ref',
        'asset KiB (all chunks)',
        'Gemini SDK chunk KiB',
        'cold load + first invocation, median ms',
        'vs ref',
        'first invocation answered',
        'largest packages loaded cold (KiB)',
      ],
      rows,
    ),
    '',
    `Reference: median ${fixed(median(reference.ms))} ms over ${reference.ms.length} runs, ${kib(reference.coldBytes)} KiB.`,
    ...summary,
    ...results
      .filter((r) => r.entry === FLOOR_ENTRY && !r.variant)
      .map((r) => {
        const unlimited = results.find((other) => other.entry === FLOOR_ENTRY && other.variant)!;
        return `- the floor of an API route (${basename(r.entry, '.ts')}: identity, rate limit, validation, logger, one GetItem, as the reference's one): ${fixed(ratio(r), 2)}× the reference's time (${fixed(ratio(unlimited), 2)}× with the rate limiter off: its first lease is one more DynamoDB write), ${fixed(r.coldBytes / reference.coldBytes, 2)}× its cold bytes`;
      }),
    ...results
      .filter((r) => r.entry === MCP_ENTRY)
      .map((r) => {
        const bytes = r.coldBytes / reference.coldBytes;
        const met = bytes <= MCP_TARGET && ratio(r) <= MCP_TARGET;
        return `- MCP server: ${fixed(bytes, 2)}× the reference's cold bytes, ${fixed(ratio(r), 2)}× its time, target ≤ ${MCP_TARGET}×: ${met ? 'met' : 'missed'}`;
      }),
    `- thumbnail functions (they load the font renderer, opentype.js, cold): ${results
      .filter((r) => isTimed(r) && rendersThumbnails(r))
      .map((r) => `${basename(r.entry, '.ts')} ${fixed(ratio(r), 2)}×`)
      .join(', ')}`,
  ].join('\n');
}

/** In a child process (see printedByChild): the local stack sets this process's environment. */
export const bundlesBench = () => printedByChild(import.meta.url);

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(bundleTable(await measureBundles()));
