import { ENTRY_METADATA_KEY } from './function';

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
