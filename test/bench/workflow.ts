import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { estimateTokens, readAiConfig, THINKING_BUDGET, type LatencyModel } from '../../shared/ai';
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
 * (./baseline.ts). Both under the offline LLM provider's latency model (shared/ai/offline.ts: first
 * token + (output + thinking tokens) ÷ throughput, the defaults of shared/ai/config.ts) and
 * IMAGE_LATENCY_MS per image.
 *
 * The workflow runs in a child process with the latency settings in its environment from the start
 * (the offline provider reads them once per process, and the local stack runs its handlers in that
 * process), at TIME_SCALE of the modelled time; every time it measures is divided by TIME_SCALE.
 * The baseline's whole campaign is not waited for: its calls' modelled times are summed (plus its
 * work measured without latency), and a slice of it is run with the latencies to check that sum.
 */
const MODEL: LatencyModel = readAiConfig({}).offlineLatency;
/**
 * The share of the modelled time the workflow really waits: 1, real time (about a minute), unless
 * BENCH_TIME_SCALE says less for iteration (the local stack's own work is then stretched by 1 ÷ it,
 * so wall times come out a little long; calls, tokens and the overhead are exact at any scale).
 */
export const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 1);
if (!(TIME_SCALE > 0 && TIME_SCALE <= 1)) throw new Error(`BENCH_TIME_SCALE must be in (0, 1], not ${process.env.BENCH_TIME_SCALE}`);
/** The baseline slice's: a tenth, so its check takes seconds. */
const SLICE_SCALE = 0.1;
export const IMAGE_LATENCY_MS = 1000;
const scaled = (scale: number) => ({ llm: { ...MODEL, timeScale: scale }, imageMs: IMAGE_LATENCY_MS * scale });
const NO_LATENCY = { llm: { ...MODEL, timeScale: 0 }, imageMs: 0 };
/** Prices of the token overhead and the cost rows. */
const PRICED_MODEL = 'gemini-2.5-flash';
const LAMBDA_GB = 0.5;
/** The baseline's timed slice: the campaign's first days (setup agents included). */
const BASELINE_SLICE_DAYS = 3;
/** Top-level states whose first entry splits the generation into phases. */
const PHASES = ['LoadContext', 'Research', 'Strategist', 'Planner', 'Weeks', 'Finalize'] as const;
const USER_ID = 'bench-workflow-user';
/**
 * How often the bench reads GET /campaigns/{id} while the campaign generates (what a client's
 * progress bar does). Every request runs in this process, beside the workflow's tasks, so polling
 * faster steals their CPU; the wall time is exact to this interval.
 */
const POLL_MS = 250;
const TARGETS = { speedup: 10, week1Share: 0.25, tokenOverhead: 1.5, transitions: 150 };

/** The latency model's description, for the table's heading. */
export const LATENCY_LABEL = `${MODEL.firstTokenMs / 1000} s first token + (output + thinking tokens) ÷ ${MODEL.tokensPerSecond} tokens/s per LLM call, thinking = the agent's budget (${THINKING_BUDGET} for context, forensics and strategist, 0 for planner, writer and critic), ${IMAGE_LATENCY_MS / 1000} s per image`;

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

interface Tokens {
  llmCalls: number;
  tokensIn: number;
  tokensOut: number;
  /** Each call's agent's thinking budget (the offline provider's model of thinking), from the stored outputs. */
  tokensThinking: number;
}
interface Usage extends Tokens {
  images: number;
}

/** Every call's cost (thinking priced as output, as Gemini bills it) ÷ the final content's own output tokens' cost. */
const tokenOverhead = (u: Tokens, contentTokens: number) =>
  llmCallMicroUsd(PRICED_MODEL, u.tokensIn, u.tokensOut + u.tokensThinking) / llmCallMicroUsd(PRICED_MODEL, 0, contentTokens);
/** The agent of a stored output's name (shared/workflow/agent-output.ts). */
const agentOfOutput = (name: string) =>
  name.startsWith('~write') ? 'writer' : name.startsWith('~critique') ? 'critic' : name.startsWith('topics-') ? 'planner' : name;
const contentTokensOf = (post: { title?: string; script?: unknown; post?: string; seoTags?: string[]; cta?: string }) =>
  estimateTokens(JSON.stringify({ title: post.title, script: post.script, post: post.post, seoTags: post.seoTags, cta: post.cta }).length);

interface WorkflowResult {
  status: string;
  posts: number;
  stats: Usage;
  /** The stored agent outputs' usage, summed per agent. */
  agents: Record<string, Tokens>;
  header: Partial<Usage> | null;
  transitions: number;
  statesEntered: number;
  retries: number;
  taskInvocations: number;
  taskMs: number;
  wallMs: number;
  /** From the start request until GET /campaigns/{id} listed week 1 in progress.weeksReady. */
  week1Ms: number;
  /** The same for every week, in the order they became ready. */
  weeksReadyMs: [number, number][];
  contentTokens: number;
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
    const weeksReadyMs = new Map<number, number>();
    const deadline = Date.now() + 10 * 60_000;
    do {
      if (Date.now() > deadline) throw new Error('generation did not finish in 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      header = (await call('GET', `/campaigns/${id}`)).data;
      for (const week of (header.progress?.weeksReady ?? []) as number[])
        if (!weeksReadyMs.has(week)) weeksReadyMs.set(week, performance.now() - started);
    } while (header.status === 'generating');
    const wallMs = performance.now() - started;
    const content = (await call('GET', `/campaigns/${id}/content?limit=100`)).data as Parameters<typeof contentTokensOf>[0][];

    const ours = probes.slice(before);
    await Promise.all(ours.map((probe) => probe.done));
    const stats = (await call('GET', `/campaigns/${id}/stats`)).data;
    // The header's `usage` counters, which the stats route reads: straight from the table.
    const item = (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: keys.campaign(USER_ID, id), ConsistentRead: true })))
      .Item;
    const outputs = await dynamo.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': keys.agentOutput(USER_ID, id, '').PK, ':sk': keys.agentOutput(USER_ID, id, '').SK },
      }),
    );
    const agents: Record<string, Tokens> = {};
    for (const output of outputs.Items ?? []) {
      if (output.llmCalls === undefined) continue;
      const sum = (agents[agentOfOutput(String(output.agent))] ??= { llmCalls: 0, tokensIn: 0, tokensOut: 0, tokensThinking: 0 });
      sum.llmCalls += output.llmCalls;
      sum.tokensIn += output.tokensIn;
      sum.tokensOut += output.tokensOut;
      sum.tokensThinking += output.thinkingTokens ?? 0;
    }
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
      stats: {
        llmCalls: stats.llm.calls,
        tokensIn: stats.llm.tokensIn,
        tokensOut: stats.llm.tokensOut,
        tokensThinking: Object.values(agents).reduce((n, agent) => n + agent.tokensThinking, 0),
        images: stats.images,
      },
      agents,
      header: (item?.usage as Partial<Usage> | undefined) ?? null,
      transitions: statesEntered + retries,
      statesEntered,
      retries,
      taskInvocations: taskMs.length,
      taskMs: taskMs.reduce((a, b) => a + b, 0),
      wallMs,
      week1Ms: weeksReadyMs.get(1) ?? wallMs,
      weeksReadyMs: [...weeksReadyMs.entries()],
      contentTokens: content.reduce((sum, post) => sum + contentTokensOf(post), 0),
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
  // The whole campaign without latency: exact calls, tokens, images, modelled times and the time of the work itself.
  const full = await runBaseline(baselineCampaign, NO_LATENCY);
  // The timed slice with the latencies (scaled), and without, to check the formula.
  const slice = await runBaseline(baselineCampaign, scaled(SLICE_SCALE), BASELINE_SLICE_DAYS);
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
        OFFLINE_LLM_TIME_SCALE: String(TIME_SCALE),
        OFFLINE_LLM_FIRST_TOKEN_MS: String(MODEL.firstTokenMs),
        OFFLINE_LLM_TOKENS_PER_SECOND: String(MODEL.tokensPerSecond),
        OFFLINE_IMAGE_LATENCY_MS: String(Math.round(IMAGE_LATENCY_MS * TIME_SCALE)),
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
  const { workflow: measured, slice, sliceBase, full } = await runChild();
  // Back to the model's time: the workflow waited TIME_SCALE of it.
  const wf = {
    ...measured,
    wallMs: measured.wallMs / TIME_SCALE,
    week1Ms: measured.week1Ms / TIME_SCALE,
    taskMs: measured.taskMs / TIME_SCALE,
  };
  // Baseline: every call waits its modelled time and every image its latency, one after another,
  // plus the work itself measured at zero latency (the agents' offline work, rendering).
  const modelled = (run: { llmModelMs: number; images: number; wallMs: number }, scale = 1) =>
    (run.llmModelMs + run.images * IMAGE_LATENCY_MS) * scale + run.wallMs;
  const baselineWallMs = modelled(full);
  const baselineWeek1Ms = modelled(full.week1);
  const sliceModelMs = modelled({ ...slice, wallMs: sliceBase.wallMs }, SLICE_SCALE);
  const speedup = baselineWallMs / wf.wallMs;
  const week1Share = wf.week1Ms / wf.wallMs;
  const wfOverhead = tokenOverhead(wf.stats, wf.contentTokens);
  const blOverhead = tokenOverhead(full, full.contentTokens);

  const wfGbSeconds = (wf.taskMs / 1000) * LAMBDA_GB;
  const wfInfra = workflowMicroUsd(wf.transitions, wfGbSeconds, wf.taskInvocations);
  // The baseline's orchestrator ran as one function for the whole generation.
  const blGbSeconds = (baselineWallMs / 1000) * LAMBDA_GB;
  const blInfra = workflowMicroUsd(0, blGbSeconds, 1);
  const llm = (model: string, u: Tokens) => llmCallMicroUsd(model, u.tokensIn, u.tokensOut + u.tokensThinking);
  const cost = (model: string, u: Usage, infra: number) => usd(llm(model, u) + infra);

  const rows: string[][] = [
    ['Posts', int(wf.posts), int(full.posts)],
    [
      `Wall time of the generation (target: ≥ ${TARGETS.speedup}× shorter than the baseline)`,
      `${seconds(wf.wallMs)} measured, start → in_progress — ${fixed(speedup)}× shorter, ${met(speedup >= TARGETS.speedup)}`,
      `${seconds(baselineWallMs)} = Σ ${int(full.llmCalls)} calls' modelled time ${seconds(full.llmModelMs)} + ${int(full.images)} images × ${IMAGE_LATENCY_MS / 1000} s + ${seconds(full.wallMs)} of work (measured at 0 latency)`,
    ],
    [
      `Time until week 1 is ready (target ≤ ${TARGETS.week1Share * 100} % of the total)`,
      `${seconds(wf.week1Ms)} measured (progress.weeksReady lists week 1) = ${fixed(week1Share * 100, 0)} % of the total — ${met(week1Share <= TARGETS.week1Share)}`,
      `${seconds(baselineWeek1Ms)} (its last post of days 1–7 done) = ${fixed((baselineWeek1Ms / baselineWallMs) * 100, 0)} % of its total`,
    ],
    [
      'Weeks ready (progress.weeksReady, s from the start)',
      wf.weeksReadyMs.map(([week, ms]) => `week ${week} ${fixed(ms / TIME_SCALE / 1000)}`).join(', '),
      '—',
    ],
    ['LLM calls', int(wf.stats.llmCalls), int(full.llmCalls)],
    [
      "Tokens in / out / thinking (offline estimates; thinking: each call's agent's budget)",
      `${int(wf.stats.tokensIn)} / ${int(wf.stats.tokensOut)} / ${int(wf.stats.tokensThinking)}`,
      `${int(full.tokensIn)} / ${int(full.tokensOut)} / ${int(full.tokensThinking)}`,
    ],
    [
      'Per agent: calls, tokens in / out / thinking (stored agent outputs)',
      Object.entries(wf.agents)
        .map(([agent, u]) => `${agent} ${u.llmCalls}: ${int(u.tokensIn)} / ${int(u.tokensOut)} / ${int(u.tokensThinking)}`)
        .join('; '),
      '—',
    ],
    [
      `Token overhead at ${PRICED_MODEL} prices (target ≤ ${TARGETS.tokenOverhead}; 1.0 is the floor)`,
      `${fixed(wfOverhead, 2)} = ${usd(llm(PRICED_MODEL, wf.stats))} ÷ ${usd(llmCallMicroUsd(PRICED_MODEL, 0, wf.contentTokens))} (${int(wf.contentTokens)} content tokens) — ${met(wfOverhead <= TARGETS.tokenOverhead)}`,
      `${fixed(blOverhead, 2)} = ${usd(llm(PRICED_MODEL, full))} ÷ ${usd(llmCallMicroUsd(PRICED_MODEL, 0, full.contentTokens))} (${int(full.contentTokens)} content tokens)`,
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
      'Workflow phases (s from the execution start to the first entry of each top-level state; event log)',
      Object.entries(wf.phases)
        .map(([name, at]) => `${name} ${fixed(at / TIME_SCALE)}`)
        .join(', ') || 'not recorded',
      '—',
    ],
    [
      `Baseline timed slice (days 1–${BASELINE_SLICE_DAYS}, at ${SLICE_SCALE} of the modelled time)`,
      '—',
      `${slice.posts} posts, ${slice.llmCalls} calls, ${slice.images} images: ${seconds(slice.wallMs)} measured vs ${seconds(sliceModelMs)} by the same formula`,
    ],
    ['Step Functions + Lambda cost', usd(wfInfra), usd(blInfra)],
    [
      `Cost per campaign at ${PRICED_MODEL} (LLM with thinking + SFN + Lambda)`,
      cost(PRICED_MODEL, wf.stats, wfInfra),
      cost(PRICED_MODEL, full, blInfra),
    ],
    [
      'Cost per campaign at gemini-2.5-flash-lite (LLM with thinking + SFN + Lambda)',
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
    `- Latency model (both sides): ${LATENCY_LABEL}. The offline provider sleeps that long after writing its answer (OFFLINE_LLM_TIME_SCALE, OFFLINE_LLM_FIRST_TOKEN_MS, OFFLINE_LLM_TOKENS_PER_SECOND); thinking is each agent's thinking budget (AgentSpec.thinkingBudget, THINKING_BUDGET by default) on every call.`,
    `- Workflow: the synthesized state machine on the local Step Functions server, driven through the local API (onboard, create, onboarding, complete, start, poll every ${POLL_MS} ms until in_progress, so the times are exact to ${POLL_MS} ms), in a child process at ${TIME_SCALE} of the modelled time${TIME_SCALE === 1 ? ' (real time: nothing converted)' : `; its times are divided by ${TIME_SCALE}, which also stretches the local stack's own work`}. Its status at the end: ${wf.status}. LLM calls, tokens and images from GET /campaigns/{id}/stats; content tokens from GET /campaigns/{id}/content.`,
    "- Token overhead: the cost of every LLM call of the generation (critiques and rewrites included; input, output and thinking tokens) ÷ the cost of the final content's own output tokens (title, script, post, tags and CTA of each post's final revision, counted by the offline provider's estimator, about 4 characters a token), prices from shared/domain/pricing.ts.",
    "- State transitions: StateEntered + StateRetried events of the execution, read from aws-local-stepfunctions' event log (Map iterations and Parallel branches included) by wrapping StateMachine.run in the bench process — the local server has no GetExecutionHistory.",
    `- Lambda: GB-seconds = Σ measured Task handler durations (the LLM and image waits included) × ${LAMBDA_GB} GB; requests = Task invocations.`,
    `- Baseline (test/bench/baseline.ts): context, forensics, strategist, planner, then per post one writer call and one critic call (single-post inputs, the real agent specs through createAgentRunner, as runAgent builds it) and one image, strictly one after another. Its full-campaign time is not waited for: it is Σ each call's modelled time + the images' latency + the work measured at zero latency; days 1–${BASELINE_SLICE_DAYS} (setup agents included) run with the latencies at ${SLICE_SCALE} of the modelled time and without, to check that formula.`,
  ];
  return markdownTable(['', 'Workflow', 'Sequential baseline'], rows) + '\n' + notes.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  await child(process.argv[2]);
  process.exit(0);
}
