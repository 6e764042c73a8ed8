import { ArnFormat, AssetHashType, DockerImage, Duration, Names, RemovalPolicy, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Policy, PolicyDocument, PolicyStatement, Role, ServicePrincipal, type AddToPrincipalPolicyResult } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type CfnFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import { UPLOADS_PREFIX } from '../shared/db/keys';
import type { RouteDef } from '../shared/http/routes';
import { bundleFunction, REPO_ROOT } from './bundle';
import { ENTRY_METADATA_KEY, GEMINI_METADATA_KEY } from './metadata';
import { ASYNC_RETRIES, reservedConcurrencyOf, type FunctionGroup } from './operations';

export { REPO_ROOT } from './bundle';

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const OBJECT_READ = ['s3:GetObject'];
const OBJECT_WRITE = ['s3:PutObject', 's3:DeleteObject'];

/** The stateful resources a function may be granted access to. */
export interface CrescendoResources {
  table: ITable;
  /** Indexes of the table, by name: grants list each index ARN, so no policy needs a wildcard. */
  tableIndexNames: readonly string[];
  bucket: IBucket;
  /** Absent while the workflow's own task functions are being built. */
  stateMachine?: IStateMachine;
  /** Where creator events go (functions with `emitEvents`): the bus and the webhook delivery worker. */
  events?: { bus: IEventBus; deliveryWorker: IFunction };
  /** The KMS key that wraps the data keys of creators' own Gemini keys (functions with `creatorAiKeys`). */
  aiKeys?: IKey;
  /** Crescendo's apps at the platforms (functions with `platformConnections`): the credentials' secret and the redirect URIs allowed. */
  platformApps?: { xAppSecretArn?: string; redirectUris: readonly string[] };
}

export type FunctionAccess = RouteDef['access'];

/**
 * The one place that decides whether a function may call Gemini, so every route and function
 * inherits it: it runs agents on creators' own keys or stores one after checking it with Gemini
 * (`creatorAiKeys`), or it is given the platform's key (GEMINI_API_KEY_SECRET_ARN: the thumbnails'
 * image provider). Any other function is bundled without the SDK.
 */
export function mayCallGemini(access: FunctionAccess, environment: Record<string, string>): boolean {
  return access.creatorAiKeys !== undefined || environment.GEMINI_API_KEY_SECRET_ARN !== undefined;
}

/**
 * A function's role whose every statement (its own grants and those other constructs add, such
 * as grantInvoke) lands in one inline policy of the role instead of a separate AWS::IAM::Policy
 * resource: CloudFormation caps a stack at 500 resources, and a resource per function adds up.
 * The permissions are the same; the role holds them itself.
 */
class FunctionRole extends Role {
  private readonly document: PolicyDocument;

  constructor(scope: Construct, id: string) {
    const document = new PolicyDocument();
    super(scope, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), inlinePolicies: { function: document } });
    this.document = document;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

export interface CrescendoFunctionProps {
  /** Handler module relative to the repository root, e.g. `functions/api/health.ts`; exports `handler`. */
  entry: string;
  access: FunctionAccess;
  resources: CrescendoResources;
  /** Variables beyond the ones derived from `access`. */
  environment?: Record<string, string>;
  description?: string;
  timeout?: Duration;
  memorySize?: number;
  commandHooks?: ICommandHooks;
  /** Its concurrency budget and its alarms (infra/operations.ts). */
  group: FunctionGroup;
  /** Invoked asynchronously (by a function, S3 or EventBridge): retried twice, then this queue (Lambda's on-failure destination). */
  deadLetters?: IQueue;
}

/**
 * A Lambda function with the project defaults (Node 22 on arm64, ESM bundle with the AWS SDK
 * inside and code splitting (infra/bundle.ts), source maps, X-Ray, its own log group) and
 * least-privilege grants derived from `access`: explicit actions only, never a wildcard action,
 * and only the environment variables it needs.
 */
export class CrescendoFunction extends Construct {
  readonly handler: LambdaFunction;
  readonly group: FunctionGroup;
  /** Reserved concurrency (its group's budget); undefined: the account's unreserved pool. */
  readonly reservedConcurrency?: number;

  constructor(scope: Construct, id: string, props: CrescendoFunctionProps) {
    super(scope, id);
    const { access, resources } = props;
    this.group = props.group;
    this.reservedConcurrency = reservedConcurrencyOf(this, props.group);

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole, which may write to any log group.
    const role = new FunctionRole(this, 'Role');
    logGroup.grantWrite(role);

    const environment = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'crescendo',
      ...(access.table !== 'none' && { TABLE_NAME: resources.table.tableName }),
      ...((access.bucket !== 'none' || access.signUploads) && { MEDIA_BUCKET_NAME: resources.bucket.bucketName }),
      ...(access.startWorkflow && { STATE_MACHINE_ARN: requireStateMachine(this, resources).stateMachineArn }),
      ...(access.emitEvents && {
        EVENT_BUS_NAME: requireEvents(this, resources).bus.eventBusName,
        WEBHOOK_DELIVERY_FUNCTION_NAME: requireEvents(this, resources).deliveryWorker.functionName,
      }),
      ...(access.creatorAiKeys && { AI_KEY_KMS_KEY_ARN: requireAiKeys(this, resources).keyArn }),
      ...(access.platformConnections && {
        CONNECTION_REDIRECT_URIS: (resources.platformApps?.redirectUris ?? []).join(','),
        ...(resources.platformApps?.xAppSecretArn && { X_APP_SECRET_ARN: resources.platformApps.xAppSecretArn }),
      }),
      ...props.environment,
    };
    const bundle = { entry: props.entry, gemini: mayCallGemini(access, environment) };
    this.handler = new LambdaFunction(this, 'Function', {
      // esbuild runs here, in this process (never Docker); the image is never pulled.
      code: Code.fromAsset(REPO_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: DockerImage.fromRegistry('local-bundling-only'),
          // Never run; it tells the bundles apart in CDK's asset cache, whose key ignores `local`.
          command: [
            'bundle',
            props.entry,
            bundle.gemini ? 'with-gemini' : 'without-gemini',
            ...(props.commandHooks?.afterBundling('.', '.') ?? []),
          ],
          local: {
            tryBundle: (outputDir) => {
              bundleFunction(bundle, outputDir, props.commandHooks?.afterBundling(REPO_ROOT, outputDir));
              return true;
            },
          },
        },
      }),
      // ENTRY_FILE's `handler` export.
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: this.reservedConcurrency,
      role,
      logGroup,
      environment,
    });
    (this.handler.node.defaultChild as CfnFunction).addMetadata(ENTRY_METADATA_KEY, props.entry);
    (this.handler.node.defaultChild as CfnFunction).addMetadata(GEMINI_METADATA_KEY, bundle.gemini);
    if (props.deadLetters) this.handler.configureAsyncInvoke({ ...ASYNC_RETRIES, onFailure: new SqsDestination(props.deadLetters) });

    this.grantTable(access.table, resources);
    this.grantBucket(access.bucket, resources.bucket);
    if (access.signUploads) this.grantUploadSigning(resources.bucket);
    if (access.startWorkflow) requireStateMachine(this, resources).grantStartExecution(this.handler);
    if (access.emitEvents) {
      const { bus, deliveryWorker } = requireEvents(this, resources);
      bus.grantPutEventsTo(this.handler);
      grantWorkerInvoke(this, deliveryWorker);
    }
    // Sealing needs a new data key, opening only its Decrypt: neither may do the other.
    if (access.creatorAiKeys) {
      const actions = { seal: ['kms:GenerateDataKey'], open: ['kms:Decrypt'], both: ['kms:GenerateDataKey', 'kms:Decrypt'] }[
        access.creatorAiKeys
      ];
      this.handler.addToRolePolicy(new PolicyStatement({ actions, resources: [requireAiKeys(this, resources).keyArn] }));
    }

    if (access.platformConnections && resources.platformApps?.xAppSecretArn) {
      this.handler.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [resources.platformApps.xAppSecretArn] }),
      );
    }

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
    Validations.of(this.handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x, the Node version the same handlers run on locally (npm start, tests); both move together.',
    });
  }

  private grantTable(level: FunctionAccess['table'], { table, tableIndexNames }: CrescendoResources) {
    if (level === 'none') return;
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: level === 'readwrite' ? [...TABLE_READ, ...TABLE_WRITE] : TABLE_READ,
        resources: [table.tableArn, ...tableIndexNames.map((name) => `${table.tableArn}/index/${name}`)],
      }),
    );
  }

  /** A presigned POST is authorized by its signer's permissions: PutObject, under `uploads/` only. */
  private grantUploadSigning(bucket: IBucket) {
    this.handler.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)] }),
    );
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(bucket, this)}/${UPLOADS_PREFIX}*]`,
      reason: 'Upload keys are per user and asset, chosen at request time; the grant is PutObject under the uploads/ prefix only.',
    });
  }

  private grantBucket(level: FunctionAccess['bucket'], bucket: IBucket) {
    if (level === 'none') return;
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: level === 'readwrite' ? [...OBJECT_READ, ...OBJECT_WRITE] : OBJECT_READ,
        resources: [bucket.arnForObjects('*')],
      }),
    );
    this.handler.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(bucket, this)}/*]`,
      reason: 'Media object keys are per user and chosen at request time; the grant is limited to the objects of this one bucket.',
    });
  }
}

/**
 * How cdk-nag spells the ARN of a resource in a finding id of `consumer`'s stack: `<LogicalId.Arn>`
 * in the resource's own stack; in a nested stack, the parameter CDK passes it through
 * (`reference-to-<unique id><attribute>`, so `<referenceto…Arn>`).
 */
export function nagArn(resource: IConstruct, consumer: IConstruct = resource): string {
  return nagReference(resource.node.defaultChild as CfnResource, 'Arn', consumer);
}

function nagReference(resource: CfnResource, attribute: string, consumer: IConstruct): string {
  const own = Stack.of(resource);
  const consuming = Stack.of(consumer);
  if (consuming === own) return `<${own.resolve(resource.logicalId)}.${attribute}>`;
  const reference = `${Names.nodeUniqueId(resource.node)}${attribute}`;
  if (consuming.nestedStackParent === own) return `<referenceto${reference}>`;
  // A sibling nested stack's value arrives through that stack's output `<unique id><attribute>`.
  if (own.nestedStackResource && own.nestedStackParent === consuming.nestedStackParent) {
    return `<referenceto${Names.nodeUniqueId(own.nestedStackResource.node)}Outputs${reference}>`;
  }
  throw new Error(`${consumer.node.path}: no cdk-nag name for a reference to ${resource.node.path}`);
}

/**
 * lambda:InvokeFunction on the function itself (its unqualified ARN only): the account data worker
 * hands a long deletion to its next invocation. A policy of its own, not the role's default policy
 * the function depends on, so the function's ARN in it makes no dependency cycle.
 */
export function grantSelfInvoke(scope: CrescendoFunction) {
  new Policy(scope, 'SelfInvoke', {
    roles: [scope.handler.role!],
    statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [scope.handler.functionArn] })],
  });
}

/** lambda:InvokeFunction on one worker function (and, as grantInvoke does, its versions and aliases). */
export function grantWorkerInvoke(scope: CrescendoFunction, worker: IFunction) {
  worker.grantInvoke(scope.handler);
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(worker, scope)}:*]`,
    reason: 'grantInvoke also covers the versions and aliases (<arn>:*) of this one worker function, nothing else.',
  });
}

function requireEvents(scope: Construct, resources: CrescendoResources) {
  if (!resources.events) throw new Error(`${scope.node.path}: emitEvents access needs the event bus and the delivery worker`);
  return resources.events;
}

function requireAiKeys(scope: Construct, resources: CrescendoResources): IKey {
  if (!resources.aiKeys) throw new Error(`${scope.node.path}: creatorAiKeys access needs the key-wrapping KMS key`);
  return resources.aiKeys;
}

function requireStateMachine(scope: Construct, resources: CrescendoResources): IStateMachine {
  if (!resources.stateMachine) throw new Error(`${scope.node.path}: startWorkflow access needs the state machine`);
  return resources.stateMachine;
}

/**
 * What only the account deletion needs beyond readwrite: every object version and delete marker
 * (s3:ListBucketVersions, s3:DeleteObjectVersion) and stopping the creator's running executions of
 * the one state machine (states:StopExecution on its executions).
 */
export function grantAccountDeletion(scope: CrescendoFunction, bucket: IBucket, stateMachine: IStateMachine) {
  scope.handler.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [bucket.bucketArn] }));
  scope.handler.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObjectVersion'], resources: [bucket.arnForObjects('*')] }));
  const stack = Stack.of(stateMachine);
  const machine = stateMachine.node.defaultChild as CfnResource;
  scope.handler.addToRolePolicy(
    new PolicyStatement({
      actions: ['states:StopExecution'],
      resources: [
        stack.formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${machine.getAtt('Name').toString()}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${nagReference(machine, 'Name', scope)}:*]`,
    reason:
      "Execution names are per campaign attempt and known only at run time; the grant covers the executions of this one state machine (stopping a deleted creator's runs).",
  });
}
