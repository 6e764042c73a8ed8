import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { imageMicroUsd, llmCallMicroUsd, workflowMicroUsd } from '../../shared/domain/pricing';
import type { Platform } from '../../shared/schemas/common';
import { apiClient, startTestStack } from '../support/local-stack';
import { runBaseline, type BaselineCampaign, type BaselineRun } from './baseline';
import { fixed, markdownTable } from './report';
import { sampleCreator, sampleCreatorDetails } from '../../dev/demo';

/**
 * The campaign-generation bench: a 30-day campaign on youtube, tiktok and instagram at 7 posts a
 * week each, generated (1) by the real workflow — the synthesized state machine on the local
 * Step Functions server, through the API — and (2) by a sequential per-post baseline
 * (./baseline.ts). Both with the offline providers' artificial latency: OFFLINE_LLM_LATENCY_MS per
 * LLM call and OFFLINE_IMAGE_LATENCY_MS per image.
 *
 * The offline provider reads OFFLINE_LLM_LATENCY_MS once per process (the runner is built on the
 * first runAgent call), and the requests bench earlier in `npm run bench` already runs workflows at
 * 0 ms; so this bench runs in a child process with both variables set from the start (the local
 * stack it starts runs its handlers in that process, with that environment).
 */
export const LLM_LATENCY_MS = 1000;
export const IMAGE_LATENCY_MS = 1000;
const LATENCY = { llmMs: LLM_LATENCY_MS, imageMs: IMAGE_LATENCY_MS };
const NO_LATENCY = { llmMs: 0, imageMs: 0 };
const LAMBDA_GB = 0.5;
/** The baseline's timed slice: the campaign's first days (setup agents included). */
const BASELINE_SLICE_DAYS = 3;
/** Top-level states whose first entry splits the generation into phases. */
const PHASES = ['LoadContext', 'Research', 'Strategist', 'Planner', 'Writing', 'Thumbnails', 'Finalize'] as const;
const USER_ID = 'bench-workflow-user';
/**
 * How often the bench reads GET /campaigns/{id} while the campaign generates (what a client's
 * progress bar does). Every request runs in this process, beside the workflow's tasks, so polling
 * faster steals their CPU; the wall time is exact to this interval.
 */
const POLL_MS = 250;
const TARGETS = { llmCalls: 20, speedup: 10, transitions: 150 };

const platforms: { platform: Platform; postsPerWeek: number }[] = [
  { platform: 'youtube', postsPerWeek: 7 },
  { platform: 'tiktok', postsPerWeek: 7 },
  { platform: 'instagram', postsPerWeek: 7 },
];
const campaignBody = (startDate: string) => ({
  name: '30-day bench campaign',
  goal: { type: 'followers' as const, metric: 'YouTube subscribers', target: 2000, baseline: 1200 },
  durationDays: 30,
  startDate,
  platforms,
  competitors: sampleCreatorDetails.competitorAccounts,
  agentConfig: { tone: 'warm, encouraging and concrete', language: 'en' },
});

interface Usage {
  llmCalls: number;
  tokensIn: number;
  tokensOut: number;
  images: number;
}

interface WorkflowResult {
  status: string;
  posts: number;
  stats: Usage;
  header: Partial<Usage> | null;
  transitions: number;
  statesEntered: number;
  retries: number;
  taskInvocations: number;
  taskMs: number;
  wallMs: number;
  /** Seconds from the execution's start to the first entry of each phase, and to its end (`end`). */
  phases: Record<string, number>;
}

interface ChildResult {
  workflow: WorkflowResult;
  /** The baseline's first days with the latencies, and the same days without. */
  slice: BaselineRun;
  sliceBase: BaselineRun;
  full: BaselineRun;
}

// ---------------------------------------------------------------------------------------------
// In the child: the measurements

interface ExecutionProbe {
  statesEntered: number;
  retries: number;
  taskMs: number[];
  timestamps: Record<string, number>;
  /** Resolves when the execution has ended and its event log has been read to the end. */
  done: Promise<void>;
}

/**
 * aws-local-stepfunctions exposes each run's event log (`run().eventLogs`, nested Map and
 * Parallel events forwarded to the root), but the local server (dev/stepfunctions.ts)
 * neither keeps it nor implements GetExecutionHistory. So this wraps StateMachine.prototype.run in
 * this process: for a root run (not a Map iteration or Parallel branch, which the library starts
 * with `_rootAbortSignal`) it reads the event log and times every Task handler.
 */
function probeExecutions(): ExecutionProbe[] {
  const probes: ExecutionProbe[] = [];
  const proto = StateMachine.prototype as unknown as { run: (this: StateMachine, input: unknown, options?: any) => any };
  const original = proto.run;
  proto.run = function (input, options) {
    if (options?._rootAbortSignal) return original.call(this, input, options);
    const probe: ExecutionProbe = { statesEntered: 0, retries: 0, taskMs: [], timestamps: {}, done: Promise.resolve() };
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = options?.overrides?.taskResourceLocalHandlers ?? {};
    const timed = Object.fromEntries(
      Object.entries(handlers).map(([state, handler]) => [
        state,
        async (taskInput: unknown) => {
          const start = performance.now();
          try {
            return await handler(taskInput);
          } finally {
            probe.taskMs.push(performance.now() - start);
          }
        },
      ]),
    );
    const execution = original.call(this, input, { ...options, overrides: { ...options?.overrides, taskResourceLocalHandlers: timed } });
    probe.done = (async () => {
      for await (const event of execution.eventLogs as AsyncGenerator<{ type: string; timestamp: number; state?: { name: string } }>) {
        if (event.type === 'ExecutionStarted') probe.timestamps.start = event.timestamp;
        if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') probe.timestamps.end = event.timestamp;
        if (event.type === 'StateEntered' && event.state) probe.timestamps[event.state.name] ??= event.timestamp;
        if (event.type === 'StateEntered') probe.statesEntered++;
        if (event.type === 'StateRetried') probe.retries++;
      }
    })();
    probes.push(probe);
    return execution;
  };
  return probes;
}

async function measureWorkflow(): Promise<WorkflowResult> {
  const probes = probeExecutions();
  const stack = await startTestStack();
  try {
    const api = apiClient(stack.apiUrl);
    const token = await stack.token(USER_ID, { claims: { email: 'bench-workflow@example.com' } });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await api(method, path, { token, body });
      if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    await call('POST', '/onboarding', sampleCreator);
    await call('PATCH', '/profile/phase2', sampleCreatorDetails);
    const id: string = (await call('POST', '/campaigns', { name: 'bench' })).data.campaignId;
    const startDate = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await call('PATCH', `/campaigns/${id}/onboarding`, campaignBody(startDate));
    await call('POST', `/campaigns/${id}/complete-onboarding`);

    const before = probes.length;
    const started = performance.now();
    await api('POST', `/campaigns/${id}/start`, { token, headers: { 'idempotency-key': 'bench-workflow' } });
    let header: any;
    const deadline = Date.now() + 5 * 60_000;
    do {
      if (Date.now() > deadline) throw new Error('generation did not finish in 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      header = (await call('GET', `/campaigns/${id}`)).data;
    } while (header.status === 'generating');
    const wallMs = performance.now() - started;

    const ours = probes.slice(before);
    await Promise.all(ours.map((probe) => probe.done));
    const stats = (await call('GET', `/campaigns/${id}/stats`)).data;
    // The header's `usage` counters, which the stats route reads: straight from the table.
    const item = (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: keys.campaign(USER_ID, id), ConsistentRead: true })))
      .Item;
    const taskMs = ours.flatMap((probe) => probe.taskMs);
    const statesEntered = ours.reduce((n, probe) => n + probe.statesEntered, 0);
    const retries = ours.reduce((n, probe) => n + probe.retries, 0);
    const times = ours[0]?.timestamps ?? {};
    const phases = Object.fromEntries(
      [...PHASES, 'end']
        .filter((name) => times[name] !== undefined && times.start !== undefined)
        .map((name) => [name, (times[name] - times.start) / 1000]),
    );
    return {
      status: header.status,
      posts: stats.posts.planned,
      stats: { llmCalls: stats.llm.calls, tokensIn: stats.llm.tokensIn, tokensOut: stats.llm.tokensOut, images: stats.images },
      header: (item?.usage as Partial<Usage> | undefined) ?? null,
      transitions: statesEntered + retries,
      statesEntered,
      retries,
      taskInvocations: taskMs.length,
      taskMs: taskMs.reduce((a, b) => a + b, 0),
      wallMs,
      phases,
    };
  } finally {
    await stack.dispose();
  }
}

async function child(resultFile: string) {
  const workflow = await measureWorkflow();
  const baselineCampaign: BaselineCampaign = {
    campaignId: 'baseline-campaign',
    profile: { ...sampleCreator, ...sampleCreatorDetails },
    goal: campaignBody('').goal,
    durationDays: 30,
    startDate: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    platforms,
    competitors: sampleCreatorDetails.competitorAccounts,
    language: 'en',
  };
  // The whole campaign without latency: exact calls, tokens, images and the time of the work itself.
  const full = await runBaseline(baselineCampaign, NO_LATENCY);
  // The timed slice with the same latencies as the workflow, and without, to check the formula.
  const slice = await runBaseline(baselineCampaign, LATENCY, BASELINE_SLICE_DAYS);
  const sliceBase = await runBaseline(baselineCampaign, NO_LATENCY, BASELINE_SLICE_DAYS);
  writeFileSync(resultFile, JSON.stringify({ workflow, slice, sliceBase, full } satisfies ChildResult));
}

// ---------------------------------------------------------------------------------------------
// In `npm run bench`: run the child, print the table

function runChild(): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'crescendo-bench-'));
  const resultFile = join(dir, 'result.json');
  return new Promise<ChildResult>((resolve, reject) => {
    const output: Buffer[] = [];
    const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), resultFile], {
      env: {
        ...process.env,
        OFFLINE_LLM_LATENCY_MS: String(LLM_LATENCY_MS),
        OFFLINE_IMAGE_LATENCY_MS: String(IMAGE_LATENCY_MS),
        POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    proc.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    proc.on('error', reject);
    proc.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`The workflow bench exited with ${code}:\n${Buffer.concat(output).toString('utf8').slice(-4000)}`);
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as ChildResult);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

const usd = (micro: number) => `$${(micro / 1_000_000).toFixed(4)}`;
const seconds = (ms: number) => `${fixed(ms / 1000)} s`;
const int = (n: number) => n.toLocaleString('en-US');
const met = (ok: boolean) => (ok ? 'met' : '**NOT met**');

export async function workflowBench(): Promise<string> {
  const { workflow: wf, slice, sliceBase, full } = await runChild();
  // Baseline wall time: every LLM call and every image waits its latency, one after another, plus
  // the time of the work itself, measured at zero latency (the agents' offline work, rendering).
  const modelled = (run: BaselineRun, base: BaselineRun) => run.llmCalls * LLM_LATENCY_MS + run.images * IMAGE_LATENCY_MS + base.wallMs;
  const baselineWallMs = modelled(full, full);
  const sliceModelMs = modelled(slice, sliceBase);
  const speedup = baselineWallMs / wf.wallMs;

  const wfGbSeconds = (wf.taskMs / 1000) * LAMBDA_GB;
  const wfInfra = workflowMicroUsd(wf.transitions, wfGbSeconds, wf.taskInvocations);
  // The baseline's orchestrator ran as one function for the whole generation.
  const blGbSeconds = (baselineWallMs / 1000) * LAMBDA_GB;
  const blInfra = workflowMicroUsd(0, blGbSeconds, 1);
  const llm = (model: string, u: { tokensIn: number; tokensOut: number }) => llmCallMicroUsd(model, u.tokensIn, u.tokensOut);
  const cost = (model: string, u: Usage, infra: number) => usd(llm(model, u) + infra);

  const rows: string[][] = [
    ['Posts', int(wf.posts), int(full.posts)],
    [
      'LLM calls (target ≤ ' + TARGETS.llmCalls + ')',
      `${int(wf.stats.llmCalls)} — ${met(wf.stats.llmCalls <= TARGETS.llmCalls)}`,
      int(full.llmCalls),
    ],
    [
      'Tokens in / out (offline estimates)',
      `${int(wf.stats.tokensIn)} / ${int(wf.stats.tokensOut)}`,
      `${int(full.tokensIn)} / ${int(full.tokensOut)}`,
    ],
    [`Images (offline title cards, ${IMAGE_LATENCY_MS} ms each)`, int(wf.stats.images), int(full.images)],
    [
      'Campaign header `usage` (the table item the stats route reads)',
      wf.header
        ? `${wf.header.llmCalls} calls, ${wf.header.tokensIn} / ${wf.header.tokensOut} tokens, ${wf.header.images} images`
        : 'not found',
      '—',
    ],
    [
      `State transitions (target ≤ ${TARGETS.transitions})`,
      `${int(wf.transitions)} (${wf.statesEntered} states entered + ${wf.retries} retries) — ${met(wf.transitions <= TARGETS.transitions)}`,
      '0 (not a state machine)',
    ],
    ['Lambda invocations (workflow tasks)', int(wf.taskInvocations), '1 (one orchestrator run, modelled)'],
    [
      `Lambda GB-seconds (${LAMBDA_GB} GB)`,
      `${fixed(wfGbSeconds, 2)} (Σ measured task durations ${seconds(wf.taskMs)} × ${LAMBDA_GB} GB)`,
      `${fixed(blGbSeconds, 2)} (baseline wall time × ${LAMBDA_GB} GB)`,
    ],
    [
      `Wall time of the generation (target: ≥ ${TARGETS.speedup}× shorter than the baseline)`,
      `${seconds(wf.wallMs)} measured, start → in_progress — ${fixed(speedup)}× shorter, ${met(speedup >= TARGETS.speedup)}`,
      `${seconds(baselineWallMs)} extrapolated = ${int(full.llmCalls)} calls × ${LLM_LATENCY_MS / 1000} s + ${int(full.images)} images × ${IMAGE_LATENCY_MS / 1000} s + ${seconds(full.wallMs)} of work (measured at 0 ms latency)`,
    ],
    [
      'Workflow phases (s from the execution start to the first entry of each top-level state; event log)',
      Object.entries(wf.phases)
        .map(([name, at]) => `${name} ${fixed(at)}`)
        .join(', ') || 'not recorded',
      '—',
    ],
    [
      `Baseline timed slice (days 1–${BASELINE_SLICE_DAYS}, ${LLM_LATENCY_MS} ms per call and per image)`,
      '—',
      `${slice.posts} posts, ${slice.llmCalls} calls, ${slice.images} images: ${seconds(slice.wallMs)} measured vs ${seconds(sliceModelMs)} by the same formula`,
    ],
    ['Step Functions + Lambda cost', usd(wfInfra), usd(blInfra)],
    [
      'Cost per campaign at gemini-2.5-flash (LLM + SFN + Lambda)',
      cost('gemini-2.5-flash', wf.stats, wfInfra),
      cost('gemini-2.5-flash', full, blInfra),
    ],
    [
      'Cost per campaign at gemini-2.5-flash-lite (LLM + SFN + Lambda)',
      cost('gemini-2.5-flash-lite', wf.stats, wfInfra),
      cost('gemini-2.5-flash-lite', full, blInfra),
    ],
    [
      'Images if rendered by Gemini (not included above)',
      usd(wf.stats.images * imageMicroUsd('gemini')),
      usd(full.images * imageMicroUsd('gemini')),
    ],
  ];
  const notes = [
    '',
    `- Both sides: offline LLM provider with OFFLINE_LLM_LATENCY_MS=${LLM_LATENCY_MS} per call, offline title cards with OFFLINE_IMAGE_LATENCY_MS=${IMAGE_LATENCY_MS} per image (rendered for real after the wait). The workflow side ran in a child process so the latencies apply from its first call; its status at the end: ${wf.status}.`,
    `- Workflow: the synthesized state machine on the local Step Functions server, driven through the local API (onboard, create, onboarding, complete, start, poll every ${POLL_MS} ms until in_progress, so the wall time is exact to ${POLL_MS} ms). LLM calls, tokens and images from GET /campaigns/{id}/stats.`,
    "- State transitions: StateEntered + StateRetried events of the execution, read from aws-local-stepfunctions' event log (Map iterations and Parallel branches included) by wrapping StateMachine.run in the bench process — the local server has no GetExecutionHistory.",
    `- Lambda: GB-seconds = Σ measured Task handler durations (the LLM and image waits included) × ${LAMBDA_GB} GB; requests = Task invocations. Costs from shared/domain/pricing.ts (llmCallMicroUsd on the summed tokens, workflowMicroUsd); the offline token counts are estimates and carry no thinking tokens.`,
    `- Baseline (test/bench/baseline.ts): context, forensics, strategist, planner, then per post one writer call and one critic call (single-post inputs, the real agent specs through createAgentRunner, as runAgent builds it) and one image, strictly one after another. Its full-campaign wall time is not measured: it is the calls and images times their latencies plus the work measured at zero latency; days 1–${BASELINE_SLICE_DAYS} (setup agents included) are run with the latencies and without to check that formula.`,
  ];
  return markdownTable(['', 'Workflow', 'Sequential baseline'], rows) + '\n' + notes.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  await child(process.argv[2]);
  process.exit(0);
}
