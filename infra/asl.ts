import { ENTRY_METADATA_KEY } from './metadata';

/**
 * Reads a synthesized CloudFormation template the way the local stack needs it: plain ASL with
 * local ARNs, the handler module behind each function ARN, and the schedules. Pure functions.
 */

export interface ArnContext {
  region: string;
  account: string;
}

export interface LocalStateMachine {
  logicalId: string;
  /** The state machine's name: its logical id. */
  name: string;
  arn: string;
  /** Runnable ASL: every CloudFormation token resolved. */
  definition: Record<string, unknown>;
}

export interface ScheduleRuleInfo {
  logicalId: string;
  scheduleExpression: string;
  targetFunctionLogicalId: string;
  /** Repo-relative handler module of the target function. */
  entry: string;
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, unknown>;
}

const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';
const SCHEDULE_RULE = 'AWS::Events::Rule';

function resourcesOf(template: Record<string, any>): [string, CfnResource][] {
  return Object.entries((template.Resources ?? {}) as Record<string, CfnResource>);
}

/** The local ARN of a function or state machine; its name is its logical id. */
function localArn(type: string, logicalId: string, { region, account }: ArnContext): string {
  if (type === LAMBDA_FUNCTION) return `arn:aws:lambda:${region}:${account}:function:${logicalId}`;
  if (type === STATE_MACHINE) return `arn:aws:states:${region}:${account}:stateMachine:${logicalId}`;
  throw new Error(`No local ARN for ${logicalId} (${type})`);
}

/** Resolves the intrinsic functions CDK emits in definitions (Ref, Fn::GetAtt …Arn, Fn::Join). */
function resolveTokens(value: unknown, template: Record<string, any>, context: ArnContext): unknown {
  const resolve = (v: unknown) => resolveTokens(v, template, context);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;

  const entries = Object.entries(value);
  const [key, argument] = entries.length === 1 ? entries[0] : [];
  const typeOf = (logicalId: string): string => {
    const resource = template.Resources?.[logicalId] as CfnResource | undefined;
    if (!resource) throw new Error(`The template references an unknown resource ${logicalId}`);
    return resource.Type;
  };
  switch (key) {
    case 'Ref': {
      const pseudo: Record<string, string> = {
        'AWS::Region': context.region,
        'AWS::AccountId': context.account,
        'AWS::Partition': 'aws',
        'AWS::URLSuffix': 'amazonaws.com',
      };
      const name = argument as string;
      if (name in pseudo) return pseudo[name];
      // Ref of a state machine is its ARN; of anything else (a function) its name, i.e. its logical id.
      return typeOf(name) === STATE_MACHINE ? localArn(STATE_MACHINE, name, context) : name;
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = argument as [string, string];
      if (attribute !== 'Arn') throw new Error(`Unsupported Fn::GetAtt ${logicalId}.${attribute}`);
      return localArn(typeOf(logicalId), logicalId, context);
    }
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map(resolve).join(separator);
    }
    default:
      if (key?.startsWith('Fn::')) throw new Error(`Unsupported intrinsic function ${key}`);
      return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  }
}

export function stateMachinesFromTemplate(template: Record<string, any>, context: ArnContext): LocalStateMachine[] {
  return resourcesOf(template)
    .filter(([, resource]) => resource.Type === STATE_MACHINE)
    .map(([logicalId, resource]) => {
      const definitionString = resolveTokens(resource.Properties?.DefinitionString, template, context);
      if (typeof definitionString !== 'string') throw new Error(`State machine ${logicalId} has no DefinitionString`);
      return {
        logicalId,
        name: logicalId,
        arn: localArn(STATE_MACHINE, logicalId, context),
        definition: JSON.parse(definitionString) as Record<string, unknown>,
      };
    });
}

function entryOf(resource: CfnResource): string | undefined {
  const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
  return typeof entry === 'string' ? entry : undefined;
}

/** Local function ARN → repo-relative handler module, for every function that declares its entry. */
export function functionEntries(template: Record<string, any>, context: ArnContext): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [logicalId, resource] of resourcesOf(template)) {
    const entry = resource.Type === LAMBDA_FUNCTION ? entryOf(resource) : undefined;
    if (entry) entries.set(localArn(LAMBDA_FUNCTION, logicalId, context), entry);
  }
  return entries;
}

/** Scheduled EventBridge rules and the handler module of each Lambda target. */
export function scheduleRules(template: Record<string, any>): ScheduleRuleInfo[] {
  const rules: ScheduleRuleInfo[] = [];
  for (const [logicalId, resource] of resourcesOf(template)) {
    const scheduleExpression = resource.Properties?.ScheduleExpression;
    if (resource.Type !== SCHEDULE_RULE || typeof scheduleExpression !== 'string') continue;
    for (const target of (resource.Properties?.Targets ?? []) as { Arn?: { 'Fn::GetAtt'?: [string, string] } }[]) {
      const targetFunctionLogicalId = target.Arn?.['Fn::GetAtt']?.[0];
      const targetResource = targetFunctionLogicalId ? template.Resources?.[targetFunctionLogicalId] : undefined;
      const entry = targetResource?.Type === LAMBDA_FUNCTION ? entryOf(targetResource) : undefined;
      if (targetFunctionLogicalId && entry) rules.push({ logicalId, scheduleExpression, targetFunctionLogicalId, entry });
    }
  }
  return rules;
}

export interface BucketNotificationTarget {
  /** Key prefix the notification is filtered on ('' for every key). */
  prefix: string;
  /** S3 event names, e.g. `s3:ObjectCreated:*`. */
  events: string[];
  /** Repo-relative handler module of the target function. */
  entry: string;
  functionLogicalId: string;
}

/** The Lambda targets of the buckets' event notifications (CDK's Custom::S3BucketNotifications). */
export function bucketNotificationTargets(template: Record<string, any>): BucketNotificationTarget[] {
  const targets: BucketNotificationTarget[] = [];
  for (const [, resource] of resourcesOf(template)) {
    if (resource.Type !== 'Custom::S3BucketNotifications') continue;
    const configurations = (resource.Properties?.NotificationConfiguration?.LambdaFunctionConfigurations ?? []) as {
      Events?: string[];
      Filter?: { Key?: { FilterRules?: { Name: string; Value: string }[] } };
      LambdaFunctionArn?: { 'Fn::GetAtt'?: [string, string] };
    }[];
    for (const configuration of configurations) {
      const functionLogicalId = configuration.LambdaFunctionArn?.['Fn::GetAtt']?.[0];
      const target = functionLogicalId ? template.Resources?.[functionLogicalId] : undefined;
      const entry = target?.Type === LAMBDA_FUNCTION ? entryOf(target) : undefined;
      if (!functionLogicalId || !entry) continue;
      const prefix = configuration.Filter?.Key?.FilterRules?.find((rule) => rule.Name.toLowerCase() === 'prefix')?.Value ?? '';
      targets.push({ prefix, events: configuration.Events ?? [], entry, functionLogicalId });
    }
  }
  return targets;
}

/** A state machine definition or a Map/Parallel scope of it, as far as its worst-case duration needs. */
export interface AslScope {
  StartAt: string;
  States: Record<string, AslState>;
}

interface AslRetrier {
  MaxAttempts?: number;
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}

interface AslState {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { Next: string }[];
  Retry?: AslRetrier[];
  TimeoutSeconds?: number;
  Seconds?: number;
  MaxConcurrency?: number;
  Branches?: AslScope[];
  ItemProcessor?: AslScope;
  Iterator?: AslScope;
}

export interface WorstCaseBounds {
  /** The most items any Map iterates over. */
  mapItems: number;
  /** The most times a state on a cycle (a Choice loop) runs. */
  loopIterations: number;
}

/** The longest a state's retries can add: every retrier used up, each wait IntervalSeconds × BackoffRate^k capped by MaxDelaySeconds. */
function retryCost(state: AslState, attemptSeconds: number): number {
  const retriers = (state.Retry ?? []).map((retrier) => ({
    maxAttempts: retrier.MaxAttempts ?? 3,
    interval: retrier.IntervalSeconds ?? 1,
    rate: retrier.BackoffRate ?? 2,
    maxDelay: retrier.MaxDelaySeconds ?? Infinity,
  }));
  // Each retrier counts its own attempts, so different errors in turn can use up every one of them.
  const attempts = 1 + retriers.reduce((sum, retrier) => sum + retrier.maxAttempts, 0);
  const waits = retriers.reduce(
    (sum, { maxAttempts, interval, rate, maxDelay }) =>
      sum + Array.from({ length: maxAttempts }, (_, k) => Math.min(interval * rate ** k, maxDelay)).reduce((a, b) => a + b, 0),
    0,
  );
  return attemptSeconds * attempts + waits;
}

function stateSeconds(name: string, state: AslState, bounds: WorstCaseBounds): number {
  let attempt: number;
  switch (state.Type) {
    case 'Task':
      if (state.TimeoutSeconds === undefined) throw new Error(`Task ${name} has no TimeoutSeconds: its duration has no bound`);
      attempt = state.TimeoutSeconds;
      break;
    case 'Parallel':
      attempt = Math.max(0, ...(state.Branches ?? []).map((branch) => worstCaseSeconds(branch, bounds)));
      break;
    case 'Map': {
      const iteration = state.ItemProcessor ?? state.Iterator;
      if (!iteration) throw new Error(`Map ${name} has no ItemProcessor`);
      const concurrency = state.MaxConcurrency || bounds.mapItems; // 0: all at once
      attempt = Math.ceil(bounds.mapItems / concurrency) * worstCaseSeconds(iteration, bounds);
      break;
    }
    case 'Wait':
      if (state.Seconds === undefined) throw new Error(`Wait ${name} has no fixed Seconds`);
      attempt = state.Seconds;
      break;
    default:
      attempt = 0; // Pass, Choice, Succeed, Fail
  }
  return retryCost(state, attempt);
}

const successors = (state: AslState): string[] =>
  [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next), ...(state.Catch ?? []).map((c) => c.Next)].filter(
    (next): next is string => typeof next === 'string',
  );

/**
 * The longest an execution of `scope` can run, in seconds, on its critical path: every Task its
 * TimeoutSeconds on each attempt with every retrier used up and the backoff waits between them,
 * a Parallel its slowest branch, a Map ⌈items ÷ MaxConcurrency⌉ rounds of its iteration, a state
 * on a cycle (a Choice loop) `loopIterations` times, Catch transitions included. Pure: the CDK
 * code sets the state machine's timeout from it and the infra test recomputes it from the
 * synthesized ASL.
 */
export function worstCaseSeconds(scope: AslScope, bounds: WorstCaseBounds): number {
  const names = Object.keys(scope.States);
  const reach = new Map<string, Set<string>>();
  const reachable = (from: string): Set<string> => {
    const seen = new Set<string>();
    const stack = successors(scope.States[from]);
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...successors(scope.States[next]));
    }
    return seen;
  };
  for (const name of names) reach.set(name, reachable(name));
  // The states mutually reachable with `name` (its strongly connected component); a loop when non-trivial.
  const componentOf = (name: string) =>
    names.filter((other) => other === name || (reach.get(name)!.has(other) && reach.get(other)!.has(name)));
  const memo = new Map<string, number>();
  const longestFrom = (name: string): number => {
    const component = componentOf(name);
    const key = component.join('|');
    const known = memo.get(key);
    if (known !== undefined) return known;
    const looping = reach.get(name)!.has(name);
    const own =
      component.reduce((sum, member) => sum + stateSeconds(member, scope.States[member], bounds), 0) *
      (looping ? bounds.loopIterations : 1);
    const exits = component.flatMap((member) => successors(scope.States[member])).filter((next) => !component.includes(next));
    const total = own + Math.max(0, ...exits.map(longestFrom));
    memo.set(key, total);
    return total;
  };
  return longestFrom(scope.StartAt);
}

export interface EventRuleInfo {
  logicalId: string;
  /** `default`, or the name of the template's bus the rule is on. */
  eventBusName: string;
  /** The event pattern, every token resolved to its local value (e.g. the state machine's ARN). */
  eventPattern: Record<string, unknown>;
  /** The rule's Lambda targets and their handler modules. */
  targets: { entry: string; functionLogicalId: string }[];
}

/** EventBridge rules with an event pattern, and the handler module of each Lambda target. */
export function eventRules(template: Record<string, any>, context: ArnContext): EventRuleInfo[] {
  const rules: EventRuleInfo[] = [];
  for (const [logicalId, resource] of resourcesOf(template)) {
    const pattern = resource.Properties?.EventPattern;
    if (resource.Type !== SCHEDULE_RULE || !pattern) continue;
    const busRef = resource.Properties?.EventBusName as { Ref?: string } | string | undefined;
    const bus = typeof busRef === 'object' && busRef.Ref ? template.Resources?.[busRef.Ref] : undefined;
    const eventBusName = busRef === undefined ? 'default' : typeof busRef === 'string' ? busRef : String(bus?.Properties?.Name);
    const targets = ((resource.Properties?.Targets ?? []) as { Arn?: { 'Fn::GetAtt'?: [string, string] } }[]).flatMap((target) => {
      const functionLogicalId = target.Arn?.['Fn::GetAtt']?.[0];
      const targetResource = functionLogicalId ? template.Resources?.[functionLogicalId] : undefined;
      const entry = targetResource?.Type === LAMBDA_FUNCTION ? entryOf(targetResource) : undefined;
      return functionLogicalId && entry ? [{ entry, functionLogicalId }] : [];
    });
    rules.push({ logicalId, eventBusName, eventPattern: resolveTokens(pattern, template, context) as Record<string, unknown>, targets });
  }
  return rules;
}

/** A queue's local name: its logical id without CDK's hash suffix (`WorkerDeadLetters`). */
export const queueNameOf = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

export interface AsyncInvokeConfig {
  /** Lambda's retries of a failed asynchronous invocation (0–2). */
  maximumRetryAttempts: number;
  /** The local name of the queue its on-failure destination names. */
  onFailureQueue?: string;
}

/** Each function's asynchronous invocation configuration (AWS::Lambda::EventInvokeConfig), by the function's logical id. */
export function asyncInvokeConfigs(template: Record<string, any>): Map<string, AsyncInvokeConfig> {
  const configs = new Map<string, AsyncInvokeConfig>();
  for (const [, resource] of resourcesOf(template)) {
    if (resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const functionLogicalId = (resource.Properties?.FunctionName as { Ref?: string })?.Ref;
    const destination = resource.Properties?.DestinationConfig?.OnFailure?.Destination as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const queueLogicalId = destination?.['Fn::GetAtt']?.[0];
    if (!functionLogicalId) continue;
    configs.set(functionLogicalId, {
      maximumRetryAttempts: Number(resource.Properties?.MaximumRetryAttempts ?? 2),
      ...(queueLogicalId &&
        template.Resources?.[queueLogicalId]?.Type === 'AWS::SQS::Queue' && { onFailureQueue: queueNameOf(queueLogicalId) }),
    });
  }
  return configs;
}

/** The local names of the template's SQS queues. */
export function queueNames(template: Record<string, any>): string[] {
  return resourcesOf(template)
    .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
    .map(([logicalId]) => queueNameOf(logicalId));
}
