import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';

export interface LocalStateMachine {
  arn: string;
  name: string;
  definition: object;
}

export interface LocalStepFunctionsOptions {
  port?: number; // 0 / undefined = a free port
  stateMachines: LocalStateMachine[];
  /** Runs a Task state's Lambda: resource is the Task's Resource (a function ARN), or for
   *  `arn:aws:states:::lambda:invoke` the Parameters.FunctionName after path resolution. */
  invokeFunction: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** Milliseconds override for every Retry interval (fast tests); undefined = real intervals. */
  retryIntervalMs?: number;
  /**
   * A JSON-lines file that records every StartExecution and every terminal status. On start,
   * executions the journal shows started but never ended (the process died) end ABORTED.
   */
  journalFile?: string;
  /** Receives a "Step Functions Execution Status Change" event whenever an execution ends, as AWS sends to EventBridge. */
  onStatusChange?: (event: ExecutionStatusChange) => void;
}

/** The event AWS sends to the default bus when an execution changes status (the fields rules and handlers read). */
export interface ExecutionStatusChange {
  source: 'aws.states';
  'detail-type': 'Step Functions Execution Status Change';
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: ExecutionStatus;
    /** Milliseconds since the epoch, as in AWS's event. */
    startDate: number;
    stopDate: number | null;
    input: string;
    output: string | null;
    error: string | null;
    cause: string | null;
  };
}

type JournalEntry =
  | {
      event: 'started';
      executionArn: string;
      stateMachineArn: string;
      name: string;
      input: string;
      campaignId?: string;
      attempt?: number;
      startDate: number;
    }
  | { event: 'ended'; executionArn: string; status: Exclude<ExecutionStatus, 'RUNNING'>; stopDate: number };

export interface LocalStepFunctions {
  endpoint: string;
  /** Stops the server, aborts the executions still running and waits for them to settle. */
  close(): Promise<void>;
  /** Resolves when every execution has settled and no invokeFunction call is still in flight. */
  idle(): Promise<void>;
  /**
   * Sends the ABORTED status changes of the executions the journal found unfinished at start (once):
   * the caller calls it when whatever reacts to them (rules, handlers' configuration) is ready.
   */
  announceInterrupted(): void;
}

type ExecutionStatusValue = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type RequestBody = Record<string, unknown>;
type ExecutionStatus = ExecutionStatusValue;

interface StateDefinition {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  ResultPath?: string | null;
  Retry?: unknown[];
  Catch?: { ResultPath?: string | null }[];
  Branches?: StatesScope[];
  ItemProcessor?: StatesScope;
  Iterator?: StatesScope;
  QueryLanguage?: string;
  Assign?: unknown;
}

interface StatesScope {
  States: Record<string, StateDefinition>;
  QueryLanguage?: string;
}

interface CompiledStateMachine {
  arn: string;
  name: string;
  definition: object;
  creationDate: number;
  runnable: StateMachine;
  /** Task state name → its Resource, over every nesting level (the library keys local handlers by state name). */
  taskResources: Map<string, string>;
  retryIntervalOverrides?: Record<string, number>;
}

type InvokeLambda = (functionArn: string, payload: Json) => Promise<Json>;

const TARGET_PREFIX = 'AWSStepFunctions.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;
const LAMBDA_INVOKE_ARN = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const STATES_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(stateMachine|execution):([^:]+)(?::([^:]+))?$/;
// The cloud's rule for execution names: 1–80 characters, none of these (ASCII and Unicode whitespace included).
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\p{Cs}\u{10ffff}]{1,80}$/u;
// The library times a Task out after 60 s when TimeoutSeconds is absent; the cloud sets no Task timeout.
// This is the longest delay setTimeout accepts.
const NO_TASK_TIMEOUT_SECONDS = 2_147_483;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A Lambda failure as Step Functions reports it: error = the thrown error's name, cause = the runtime's error JSON. */
class LambdaFunctionError extends Error {
  constructor(thrown: unknown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    super(JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] }));
    this.name = error.name;
  }
}

/** Thrown at Task states an execution still reaches after it was stopped or failed (queued Map iterations,
 *  a Retry woken by the abort); the library reads these two flags, so no Retry or Catch handles it. */
class ExecutionClosedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The execution is no longer running');
    this.name = 'States.Runtime';
  }
}

const nowSeconds = () => Date.now() / 1000;

function toJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

function* allStates(scope: StatesScope): Generator<[string, StateDefinition]> {
  for (const [name, state] of Object.entries(scope.States)) {
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* allStates(branch);
    const iterator = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Map' && iterator) yield* allStates(iterator);
  }
}

function compileStateMachine(stateMachine: LocalStateMachine, retryIntervalMs: number | undefined): CompiledStateMachine {
  const { arn, name } = stateMachine;
  const arnMatch = STATES_ARN.exec(arn);
  if (arnMatch?.[1] !== 'stateMachine' || arnMatch[3] !== undefined || arnMatch[2] !== name) {
    throw new Error(`State machine ${name}: ${arn} is not a state machine ARN ending in :stateMachine:${name}`);
  }
  // Validates the definition as written (throws on an invalid one), on a copy: the library fills in defaults in place.
  new StateMachine(structuredClone(stateMachine.definition) as StateMachineDefinition);

  const definition = structuredClone(stateMachine.definition) as StatesScope;
  const taskResources = new Map<string, string>();
  const retryStates: string[] = [];
  const seen = new Set<string>();
  const unsupported = (what: string, where = 'the definition') =>
    new Error(`State machine ${name}: ${what} (${where}) is not supported locally`);

  if (definition.QueryLanguage === 'JSONata') throw unsupported('QueryLanguage JSONata');
  for (const [stateName, state] of allStates(definition)) {
    if (seen.has(stateName)) throw new Error(`State machine ${name}: duplicate state name "${stateName}"`);
    seen.add(stateName);
    if (state.QueryLanguage === 'JSONata') throw unsupported('QueryLanguage JSONata', stateName);
    if (state.Assign !== undefined) throw unsupported('Assign', stateName);
    if (state.Retry) retryStates.push(stateName);
    // The library writes a literal "$" key for ResultPath "$"; omitting it means the same in the cloud.
    if (state.ResultPath === '$') delete state.ResultPath;
    for (const catcher of state.Catch ?? []) if (catcher.ResultPath === '$') delete catcher.ResultPath;

    if (state.Type !== 'Task') continue;
    const resource = state.Resource ?? '';
    if (LAMBDA_INVOKE_ARN.test(resource)) {
      if (state.Parameters?.FunctionName === undefined && state.Parameters?.['FunctionName.$'] === undefined) {
        throw new Error(`State machine ${name}, state "${stateName}": lambda:invoke needs Parameters.FunctionName`);
      }
    } else if (!LAMBDA_FUNCTION_ARN.test(resource)) {
      throw unsupported(`Task resource ${resource}; only Lambda function ARNs and lambda:invoke run`, stateName);
    }
    taskResources.set(stateName, resource);
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = NO_TASK_TIMEOUT_SECONDS;
    }
  }

  return {
    arn,
    name,
    definition: stateMachine.definition,
    creationDate: nowSeconds(),
    runnable: new StateMachine(definition as StateMachineDefinition, { validationOptions: { noValidate: true } }),
    taskResources,
    retryIntervalOverrides:
      retryIntervalMs === undefined ? undefined : Object.fromEntries(retryStates.map((state) => [state, retryIntervalMs])),
  };
}

async function runTask(resource: string, input: Json, invoke: InvokeLambda): Promise<Json> {
  if (!LAMBDA_INVOKE_ARN.test(resource)) return invoke(resource, input);
  // The library has already resolved Parameters, so the input is { FunctionName, Payload, ... };
  // Lambda hands a function {} when it is invoked without a payload.
  const { FunctionName, Payload = {} } = input as { FunctionName: string; Payload?: Json };
  return { ExecutedVersion: '$LATEST', Payload: await invoke(FunctionName, Payload), StatusCode: 200 };
}

type ExecutionEnded = (execution: LocalExecution) => void;

class LocalExecution {
  readonly startDate = nowSeconds();
  status: ExecutionStatus = 'RUNNING';
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Settles (never rejects) when the run has finished, however it ended. */
  readonly settled: Promise<void>;
  private readonly abortRun: () => void;

  constructor(
    readonly executionArn: string,
    readonly name: string,
    readonly input: string,
    readonly stateMachine: CompiledStateMachine,
    invoke: InvokeLambda,
    private readonly ended: ExecutionEnded,
  ) {
    const handlers = Object.fromEntries(
      [...stateMachine.taskResources].map(([stateName, resource]) => [
        stateName,
        (taskInput: Json) => {
          if (this.status !== 'RUNNING') throw new ExecutionClosedError();
          return runTask(resource, taskInput, invoke);
        },
      ]),
    );
    const run = stateMachine.runnable.run(JSON.parse(input) as Json, {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: stateMachine.retryIntervalOverrides },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: stateMachine.arn, Name: stateMachine.name },
      },
    });
    this.abortRun = run.abort;
    this.settled = run.result.then(
      (output) => this.close('SUCCEEDED', { output: JSON.stringify(output) }),
      (error: unknown) => {
        if (error instanceof ExecutionAbortedError) return; // stop() has closed it already
        if (error instanceof ExecutionTimeoutError) return this.close('TIMED_OUT', { error: 'States.Timeout' });
        const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
        if (failure instanceof Error) return this.close('FAILED', { error: failure.name, cause: failure.message });
        this.close('FAILED', { error: 'States.Runtime', cause: String(failure) });
      },
    );
  }

  get stateMachineArn() {
    return this.stateMachine.arn;
  }

  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.close('ABORTED', { error, cause });
    this.abortRun();
  }

  summary() {
    const { executionArn, stateMachineArn, name, status, startDate, stopDate } = this;
    return { executionArn, stateMachineArn, name, status, startDate, stopDate };
  }

  describe() {
    const { input, output, error, cause } = this;
    return { ...this.summary(), input, output, error, cause };
  }

  private close(status: Exclude<ExecutionStatus, 'RUNNING'>, result: Pick<LocalExecution, 'output' | 'error' | 'cause'>) {
    if (this.status !== 'RUNNING') return;
    Object.assign(this, result, { status, stopDate: nowSeconds() });
    this.ended(this);
  }
}

function statusChange(
  execution: { executionArn: string; stateMachineArn: string; name: string; input: string; startDate: number },
  end: { status: ExecutionStatus; stopDate?: number; output?: string; error?: string; cause?: string },
): ExecutionStatusChange {
  const { executionArn, stateMachineArn, name, input, startDate } = execution;
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn,
      name,
      status: end.status,
      startDate: Math.round(startDate * 1000),
      stopDate: end.stopDate === undefined ? null : Math.round(end.stopDate * 1000),
      input,
      output: end.output ?? null,
      error: end.error ?? null,
      cause: end.cause ?? null,
    },
  };
}

/** The campaign and attempt an execution runs, when its input names them (for a reader of the journal). */
function attemptOf(input: string): { campaignId?: string; attempt?: number } {
  try {
    const { campaignId, attempt } = JSON.parse(input) as { campaignId?: unknown; attempt?: unknown };
    return { ...(typeof campaignId === 'string' && { campaignId }), ...(typeof attempt === 'number' && { attempt }) };
  } catch {
    return {};
  }
}

/**
 * The executions a journal shows started and never ended: the process that ran them died. They are
 * recorded ABORTED now, and their status-change events returned for the caller to send.
 */
function abortUnfinished(journalFile: string): ExecutionStatusChange[] {
  if (!existsSync(journalFile)) return [];
  const text = readFileSync(journalFile, 'utf8');
  // A line the crash cut short must not swallow the next entry.
  if (text && !text.endsWith('\n')) appendFileSync(journalFile, '\n');
  const open = new Map<string, Extract<JournalEntry, { event: 'started' }>>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      continue; // a line cut short by the crash
    }
    if (entry.event === 'started') open.set(entry.executionArn, entry);
    else open.delete(entry.executionArn);
  }
  const stopDate = nowSeconds();
  return [...open.values()].map((started) => {
    appendJournal(journalFile, { event: 'ended', executionArn: started.executionArn, status: 'ABORTED', stopDate });
    return statusChange(started, {
      status: 'ABORTED',
      stopDate,
      error: 'States.Runtime',
      cause: 'The local Step Functions process stopped while the execution ran',
    });
  });
}

function appendJournal(journalFile: string, entry: JournalEntry) {
  // Synchronous: an entry is on disk before StartExecution answers, so a crash cannot lose it.
  appendFileSync(journalFile, `${JSON.stringify(entry)}\n`);
}

function requiredString(body: RequestBody, field: string): string {
  const value = optionalString(body, field);
  if (!value) throw new ApiError('ValidationException', `Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function optionalString(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('SerializationException', `'${field}' must be a string`);
  return value;
}

/** Pages `items` (already in list order). The token names the last item returned, so items added at the
 *  front of the list meanwhile do not shift the next page; it is only valid for the same `scope`. */
function paginate<T>(items: T[], keyOf: (item: T) => string, scope: string, body: RequestBody) {
  const maxResults = body.maxResults ?? 0;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE_SIZE) {
    throw new ApiError('ValidationException', `maxResults must be an integer between 0 and ${MAX_PAGE_SIZE}`);
  }
  const pageSize = maxResults || DEFAULT_PAGE_SIZE;
  let start = 0;
  const token = optionalString(body, 'nextToken');
  if (token !== undefined) {
    const cursor = decodeCursor(token);
    const index = cursor?.scope === scope ? items.findIndex((item) => keyOf(item) === cursor.after) : -1;
    if (index < 0) throw new ApiError('InvalidToken', `Invalid Token: '${token}'`);
    start = index + 1;
  }
  const page = items.slice(start, start + pageSize);
  const nextToken =
    start + pageSize < items.length
      ? Buffer.from(JSON.stringify({ scope, after: keyOf(page[page.length - 1]) })).toString('base64url')
      : undefined;
  return { page, nextToken };
}

function decodeCursor(token: string): { scope?: unknown; after?: unknown } | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { scope?: unknown; after?: unknown } | undefined;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseRequestBody(text: string): RequestBody {
  let body: unknown;
  try {
    body = JSON.parse(text || '{}');
  } catch {
    throw new ApiError('SerializationException', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('SerializationException', 'The request body must be a JSON object');
  }
  return body as RequestBody;
}

function send(response: ServerResponse, statusCode: number, body: object) {
  response.writeHead(statusCode, { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': randomUUID() });
  response.end(JSON.stringify(body));
}

export async function startLocalStepFunctions(options: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const stateMachines = new Map<string, CompiledStateMachine>();
  for (const stateMachine of options.stateMachines) {
    if (stateMachines.has(stateMachine.arn)) throw new Error(`State machine ${stateMachine.arn} is listed twice`);
    stateMachines.set(stateMachine.arn, compileStateMachine(stateMachine, options.retryIntervalMs));
  }
  const executions = new Map<string, LocalExecution>(); // in start order
  const pending = new Set<Promise<unknown>>();
  const { journalFile, onStatusChange } = options;
  if (journalFile) mkdirSync(dirname(journalFile), { recursive: true });
  const interrupted = journalFile ? abortUnfinished(journalFile) : [];

  const executionEnded: ExecutionEnded = (execution) => {
    const { status, stopDate, output, error, cause } = execution;
    if (status === 'RUNNING') return;
    if (journalFile) appendJournal(journalFile, { event: 'ended', executionArn: execution.executionArn, status, stopDate: stopDate! });
    onStatusChange?.(statusChange(execution, { status, stopDate, output, error, cause }));
  };

  const track = (work: Promise<unknown>) => {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    pending.add(settled);
    void settled.then(() => pending.delete(settled));
  };

  const invoke: InvokeLambda = async (functionArn, payload) => {
    try {
      const invocation = options.invokeFunction(functionArn, payload);
      track(invocation);
      return toJson(await invocation);
    } catch (error) {
      throw new LambdaFunctionError(error);
    }
  };

  const findStateMachine = (arn: string) => {
    const match = STATES_ARN.exec(arn);
    if (match?.[1] !== 'stateMachine' || match[3] !== undefined) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    const stateMachine = stateMachines.get(arn);
    if (!stateMachine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return stateMachine;
  };

  const findExecution = (arn: string) => {
    const match = STATES_ARN.exec(arn);
    if (match?.[1] !== 'execution' || match[3] === undefined) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    const execution = executions.get(arn);
    if (!execution) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  };

  const stateMachineSummary = ({ arn, name, creationDate }: CompiledStateMachine) => ({
    stateMachineArn: arn,
    name,
    type: 'STANDARD',
    creationDate,
  });

  const operations = new Map<string, (body: RequestBody) => object>([
    [
      'StartExecution',
      (body) => {
        const stateMachine = findStateMachine(requiredString(body, 'stateMachineArn'));
        const name = optionalString(body, 'name') ?? randomUUID();
        if (!EXECUTION_NAME.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
        const input = optionalString(body, 'input') ?? '{}';
        try {
          JSON.parse(input);
        } catch (error) {
          throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
        }
        const executionArn = `${stateMachine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
        const existing = executions.get(executionArn);
        if (existing) {
          // Idempotent only while the original is open and the input is identical, as in the cloud.
          if (existing.status === 'RUNNING' && existing.input === input) {
            return { executionArn, startDate: existing.startDate };
          }
          throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
        }
        if (journalFile) {
          appendJournal(journalFile, {
            event: 'started',
            executionArn,
            stateMachineArn: stateMachine.arn,
            name,
            input,
            ...attemptOf(input),
            startDate: nowSeconds(),
          });
        }
        const execution = new LocalExecution(executionArn, name, input, stateMachine, invoke, executionEnded);
        executions.set(executionArn, execution);
        track(execution.settled);
        return { executionArn, startDate: execution.startDate };
      },
    ],
    ['DescribeExecution', (body) => findExecution(requiredString(body, 'executionArn')).describe()],
    [
      'StopExecution',
      (body) => {
        const execution = findExecution(requiredString(body, 'executionArn'));
        execution.stop(optionalString(body, 'error'), optionalString(body, 'cause'));
        return { stopDate: execution.stopDate };
      },
    ],
    [
      'ListExecutions',
      (body) => {
        const stateMachine = findStateMachine(requiredString(body, 'stateMachineArn'));
        const statusFilter = optionalString(body, 'statusFilter');
        const matching = [...executions.values()]
          .filter((execution) => execution.stateMachine === stateMachine)
          .filter((execution) => statusFilter === undefined || execution.status === statusFilter)
          .reverse();
        const scope = `ListExecutions ${stateMachine.arn} ${statusFilter ?? ''}`;
        const { page, nextToken } = paginate(matching, (execution) => execution.executionArn, scope, body);
        return { executions: page.map((execution) => execution.summary()), nextToken };
      },
    ],
    [
      'DescribeStateMachine',
      (body) => {
        const stateMachine = findStateMachine(requiredString(body, 'stateMachineArn'));
        return {
          ...stateMachineSummary(stateMachine),
          status: 'ACTIVE',
          definition: JSON.stringify(stateMachine.definition),
        };
      },
    ],
    [
      'ListStateMachines',
      (body) => {
        const { page, nextToken } = paginate([...stateMachines.values()], ({ arn }) => arn, 'ListStateMachines', body);
        return { stateMachines: page.map(stateMachineSummary), nextToken };
      },
    ],
  ]);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const target = request.headers['x-amz-target'];
      const operation =
        typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? operations.get(target.slice(TARGET_PREFIX.length)) : undefined;
      if (!operation) throw new ApiError('UnknownOperationException', `Unsupported operation: ${String(target)}`);
      send(response, 200, operation(parseRequestBody(await readBody(request))));
    } catch (error) {
      if (error instanceof ApiError) send(response, 400, { __type: error.type, message: error.message });
      else send(response, 500, { __type: 'InternalFailure', message: String(error) });
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });

  const idle = async () => {
    while (pending.size > 0) await Promise.all(pending);
  };

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    idle,
    announceInterrupted: () => {
      for (const event of interrupted.splice(0)) onStatusChange?.(event);
    },
    async close() {
      for (const execution of executions.values()) execution.stop();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
      await idle();
    },
  };
}
