import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BEARER_AUTHORIZER, routes } from '../../shared/http/routes';
import { ENTRY_METADATA_KEY } from '../../infra/metadata';
import { synthesizeTemplate } from '../../infra/synth';

const ISSUER = 'https://issuer.crescendo.test';
const context = {
  jwtIssuer: ISSUER,
  jwtAudience: 'crescendo-web, crescendo-mobile',
  authorizedParties: 'https://app.crescendo.test',
  corsOrigins: 'https://app.crescendo.test,http://localhost:5173',
};

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };
let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (type: string) => {
  const [[id]] = ofType(type);
  return id;
};
const getAttArn = (arn: unknown) => (arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

/** The function behind an HTTP route, found through its integration. */
function routeFunction(routeKey: string): [string, Resource] {
  const [, route] = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === routeKey)!;
  const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[]).find((part) => typeof part === 'object') as {
    Ref: string;
  };
  const functionId = getAttArn(resources[integrationId.Ref].Properties.IntegrationUri);
  return [functionId, resources[functionId]];
}

/** Every Allow statement in the policies attached to a function's role. */
function allowStatements(fn: Resource): { Action: string | string[]; Resource: unknown }[] {
  const roleId = getAttArn(fn.Properties.Role);
  return [
    ...((resources[roleId].Properties.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[]),
    ...ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .map(([, p]) => p.Properties),
  ]
    .flatMap((p) => p.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[])
    .filter((s) => s.Effect === 'Allow');
}
const actionsOf = (statement: { Action: string | string[] }) => [statement.Action].flat();

beforeAll(() => {
  template = Template.fromJSON(synthesizeTemplate({ context }));
  resources = template.toJSON().Resources;
});

describe('table', () => {
  it('is the single table: PK/SK strings, GSI1, TTL, PITR, on demand, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
          { AttributeName: 'GSI1PK', AttributeType: 'S' },
          { AttributeName: 'GSI1SK', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      },
    });
  });
});

describe('media bucket', () => {
  it('is private, encrypted, versioned, retained, with browser CORS for presigned uploads', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        CorsConfiguration: {
          CorsRules: [
            Match.objectLike({
              AllowedMethods: ['GET', 'PUT', 'POST', 'HEAD'],
              AllowedOrigins: ['https://app.crescendo.test', 'http://localhost:5173'],
            }),
          ],
        },
      },
    });
  });

  it('cleans up abandoned uploads, incomplete multipart uploads and old versions', () => {
    const [[, bucket]] = ofType('AWS::S3::Bucket');
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 2, Status: 'Enabled' }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
      ]),
    );
  });

  it('denies every request that does not use TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of the route table', () => {
    const routeKeys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('guards JWT-only routes with the JWT authorizer, routes with an API key scope with the bearer authorizer, public routes with none', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(2);
    const [[jwtId]] = authorizers.filter(([, a]) => a.Properties.AuthorizerType === 'JWT');
    const [[bearerId, bearer]] = authorizers.filter(([, a]) => a.Properties.AuthorizerType === 'REQUEST');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: ['crescendo-web', 'crescendo-mobile'] },
    });
    expect(bearer.Properties).toMatchObject({
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: BEARER_AUTHORIZER.cacheTtlSeconds,
    });
    expect(BEARER_AUTHORIZER.cacheTtlSeconds).toBeLessThanOrEqual(300);
    const keyRoutes = routes.filter((route) => 'apiKeyScope' in route);
    expect(keyRoutes.map((route) => route.id)).toEqual(
      expect.arrayContaining(['ListCampaigns', 'StartCampaign', 'GetSchedule', 'CreateWebhook']),
    );
    for (const route of routes) {
      const routeKey = `${route.method} ${route.path}`;
      const expected =
        route.auth !== 'jwt'
          ? { RouteKey: routeKey, AuthorizationType: 'NONE' }
          : 'apiKeyScope' in route
            ? { RouteKey: routeKey, AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: bearerId } }
            : { RouteKey: routeKey, AuthorizationType: 'JWT', AuthorizerId: { Ref: jwtId } };
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', expected);
    }
    // Keys never reach key management, the account, plans, exports or deletion.
    for (const id of [
      'CreateApiKey',
      'ListApiKeys',
      'DeleteApiKey',
      'GetAccount',
      'UpdateAccountPlan',
      'ExportAccount',
      'DeleteAccount',
      'GetJob',
    ]) {
      expect(routes.find((route) => route.id === id)).not.toHaveProperty('apiKeyScope');
    }
  });

  it('gives the bearer authorizer GetItem on API key lookup items only, and the JWT issuer, audience and JWKS', () => {
    const [fnId, fn] = ofType('AWS::Lambda::Function').find(([, f]) => f.Metadata?.[ENTRY_METADATA_KEY] === BEARER_AUTHORIZER.entry)!;
    const tableStatements = allowStatements(fn).filter((s) => actionsOf(s).some((action) => action.startsWith('dynamodb:')));
    expect(tableStatements).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:GetItem',
        Resource: { 'Fn::GetAtt': [logicalIdOf('AWS::DynamoDB::Table'), 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] } },
      }),
    ]);
    expect(
      allowStatements(fn)
        .flatMap(actionsOf)
        .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:')),
    ).toEqual(['dynamodb:GetItem']);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: 'crescendo-web,crescendo-mobile',
      JWT_JWKS_URL: `${ISSUER}/.well-known/jwks.json`,
      TABLE_NAME: { Ref: logicalIdOf('AWS::DynamoDB::Table') },
    });
    // API Gateway may invoke it.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
  });

  it('serves one default stage, auto-deployed, throttled and access-logged', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context.requestId'),
      },
    });
  });
});

describe('functions', () => {
  it('runs one function per route, with the route entry as metadata', () => {
    const routeFunctionIds = routes.map((route) => {
      const [id, fn] = routeFunction(`${route.method} ${route.path}`);
      expect(fn.Metadata?.[ENTRY_METADATA_KEY]).toBe(route.entry);
      return id;
    });
    expect(new Set(routeFunctionIds).size).toBe(routes.length);
  });

  it('uses Node 22 on arm64 with tracing, source maps and an own log group for every function', () => {
    const all = ofType('AWS::Lambda::Function');
    const functions = all.filter(([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY]);
    // + posting trigger and its shard worker, the platform import, the eleven workflow tasks (ReplanPlanner the eleventh), the regeneration, webhook delivery, report and account data workers, the upload checker, the bearer authorizer, the workflow status handler
    expect(functions.length).toBe(routes.length + 21);
    // The only other function is CDK's own deploy-time handler of the bucket's notification configuration.
    expect(all.filter(([, fn]) => !fn.Metadata?.[ENTRY_METADATA_KEY]).map(([id]) => id)).toEqual([
      expect.stringMatching(/^BucketNotificationsHandler/),
    ]);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        Environment: {
          Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'crescendo', APP_VERSION: expect.any(String) },
        },
      });
      expect(resources[fn.Properties.LoggingConfig.LogGroup.Ref]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'Delete',
      });
    }
  });

  it('gives each route function only the variables its access needs', () => {
    for (const route of routes) {
      const [, fn] = routeFunction(`${route.method} ${route.path}`);
      const variables = Object.keys(fn.Properties.Environment.Variables);
      expect(variables.includes('TABLE_NAME'), route.id).toBe(route.access.table !== 'none');
      expect(variables.includes('MEDIA_BUCKET_NAME'), route.id).toBe(
        route.access.bucket !== 'none' || Boolean((route.access as { signUploads?: boolean }).signUploads),
      );
      expect(variables.includes('STATE_MACHINE_ARN'), route.id).toBe(Boolean((route.access as { startWorkflow?: boolean }).startWorkflow));
      expect(variables.includes('AUTH_AUTHORIZED_PARTIES'), route.id).toBe(route.auth !== 'public');
      // The MCP server checks bearer tokens itself; the metadata route names the issuer.
      expect(variables.includes('JWT_JWKS_URL'), route.id).toBe(Boolean((route.access as { jwtIssuer?: boolean }).jwtIssuer));
      const estimates = Boolean((route.access as { estimates?: boolean }).estimates);
      expect(variables.includes('LLM_MODELS') && variables.includes('IMAGE_PROVIDER'), route.id).toBe(estimates);
      if (route.auth === 'jwt') expect(fn.Properties.Environment.Variables.AUTH_AUTHORIZED_PARTIES).toBe('https://app.crescendo.test');
    }
  });
});

describe('IAM least privilege', () => {
  const tableId = () => logicalIdOf('AWS::DynamoDB::Table');
  const bucketId = () => logicalIdOf('AWS::S3::Bucket');
  const touches = (statement: { Resource: unknown }, logicalId: string) => JSON.stringify(statement.Resource).includes(`"${logicalId}"`);

  it('grants no wildcard action on the table or the bucket', () => {
    const statements = [
      ...ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement),
      ...ofType('AWS::IAM::Role').flatMap(([, r]) =>
        (r.Properties.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement),
      ),
    ];
    const onData = statements.filter((s) => touches(s, tableId()) || touches(s, bucketId()));
    expect(onData.length).toBeGreaterThan(0);
    for (const statement of onData) for (const action of actionsOf(statement)) expect(action).not.toContain('*');
  });

  it('follows each route access level: read routes cannot write, no-table routes cannot touch the table', () => {
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    for (const route of routes) {
      const [, fn] = routeFunction(`${route.method} ${route.path}`);
      const tableActions = allowStatements(fn)
        // The rate limiter's counter write, conditioned to its own partitions (tested below).
        .filter((s) => touches(s, tableId()) && !(s as { Condition?: unknown }).Condition)
        .flatMap(actionsOf);
      if (route.access.table === 'none') expect(tableActions, route.id).toEqual([]);
      if (route.access.table === 'read') {
        expect(tableActions, route.id).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
        expect(
          tableActions.filter((a) => writes.includes(a)),
          route.id,
        ).toEqual([]);
      }
      if (route.access.table === 'readwrite') expect(tableActions, route.id).toEqual(expect.arrayContaining(writes));
      const onBucket = allowStatements(fn).filter((s) => touches(s, bucketId()));
      if (route.access.bucket === 'none' && !(route.access as { signUploads?: boolean }).signUploads)
        expect(onBucket, route.id).toEqual([]);
    }
  });

  it('lets only the account data worker delete object versions and stop executions', () => {
    const deletion = ['s3:ListBucketVersions', 's3:DeleteObjectVersion', 'states:StopExecution'];
    const holders = ofType('AWS::Lambda::Function')
      .filter(([, fn]) =>
        allowStatements(fn)
          .flatMap(actionsOf)
          .some((action) => deletion.includes(action)),
      )
      .map(([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY]);
    expect(holders).toEqual(['functions/workers/account-data.ts']);
    const [[, worker]] = ofType('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/workers/account-data.ts',
    );
    const stop = allowStatements(worker).find((statement) => actionsOf(statement).includes('states:StopExecution'))!;
    expect(JSON.stringify(stop.Resource)).toContain(':execution:');
    expect(JSON.stringify(stop.Resource)).toContain(logicalIdOf('AWS::StepFunctions::StateMachine'));
  });

  it('lets the account data worker invoke itself (a deletion handing off), and that one function only', () => {
    const [[workerId, worker]] = ofType('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/workers/account-data.ts',
    );
    const invokes = allowStatements(worker).filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invokes).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [workerId, 'Arn'] } })]);
  });

  it("keeps creators' own Gemini keys under a rotated KMS key: PUT may only generate data keys, the agents only decrypt (and the connections' functions as they need)", () => {
    const [[keyId, key]] = ofType('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect((key as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    const kmsHolders = ofType('AWS::Lambda::Function')
      .map(
        ([, fn]) =>
          [fn.Metadata?.[ENTRY_METADATA_KEY], allowStatements(fn).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))] as const,
      )
      .filter(([, statements]) => statements.length > 0);
    for (const [, statements] of kmsHolders) {
      for (const statement of statements) expect(statement.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    const actionsByEntry = Object.fromEntries(kmsHolders.map(([entry, statements]) => [entry, statements.flatMap(actionsOf)]));
    expect(actionsByEntry).toEqual({
      'functions/api/account-ai-key-put.ts': ['kms:GenerateDataKey'],
      'functions/agents/regenerate.ts': ['kms:Decrypt'],
      'functions/agents/reporter.ts': ['kms:Decrypt'],
      'functions/agents/context.ts': ['kms:Decrypt'],
      'functions/agents/forensics.ts': ['kms:Decrypt'],
      'functions/agents/strategist.ts': ['kms:Decrypt'],
      'functions/agents/planner.ts': ['kms:Decrypt'],
      'functions/agents/writer.ts': ['kms:Decrypt'],
      'functions/agents/critic.ts': ['kms:Decrypt'],
      // Connections' tokens: sealed when connected, opened to revoke, both where a refresh re-seals them.
      'functions/api/connection-start.ts': ['kms:GenerateDataKey'],
      'functions/api/connection-callback.ts': ['kms:GenerateDataKey'],
      'functions/api/connection-delete.ts': ['kms:Decrypt'],
      'functions/workers/account-data.ts': ['kms:Decrypt'],
      'functions/triggers/posting-shard.ts': ['kms:GenerateDataKey', 'kms:Decrypt'],
      'functions/triggers/platform-import.ts': ['kms:GenerateDataKey', 'kms:Decrypt'],
    });
    const [, put] = routeFunction('PUT /account/ai-key');
    expect(put.Properties.Environment.Variables.AI_KEY_KMS_KEY_ARN).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  it('lets the upload-signing route put objects under uploads/ only, and nothing else in the bucket', () => {
    const [, fn] = routeFunction('POST /assets');
    const onBucket = allowStatements(fn).filter((s) => touches(s, bucketId()));
    expect(onBucket).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/uploads/*']] },
      }),
    ]);
  });

  it('names the GSI1 index ARN instead of a wildcard', () => {
    const [, health] = routeFunction('GET /health');
    const [tableStatement] = allowStatements(health).filter((s) => touches(s, tableId()));
    expect(tableStatement.Resource).toEqual([
      { 'Fn::GetAtt': [tableId(), 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId(), 'Arn'] }, '/index/GSI1']] },
    ]);
  });
});

describe('upload checker', () => {
  it('is notified of objects created under uploads/ only, retried twice, then the dead-letter queue', () => {
    const [[checkerId]] = ofType('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/triggers/asset-upload.ts',
    );
    const [[, notifications]] = ofType('Custom::S3BucketNotifications');
    expect(notifications.Properties.NotificationConfiguration.LambdaFunctionConfigurations).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
        LambdaFunctionArn: { 'Fn::GetAtt': [checkerId, 'Arn'] },
      },
    ]);
    const [[, invokeConfig]] = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => c.Properties.FunctionName.Ref === checkerId);
    expect(invokeConfig.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
  });
});

describe('rate limiter grants', () => {
  it("lets a read-only route write the limiter's RATE# partitions and nothing else; write routes need no extra grant", () => {
    const [, readOnly] = routeFunction('GET /campaigns');
    const limiter = allowStatements(readOnly).filter((statement) => actionsOf(statement).includes('dynamodb:UpdateItem'));
    expect(limiter).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:UpdateItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATE#*'] } },
      }),
    ]);
    const [, publicRoute] = routeFunction('GET /plans');
    expect(allowStatements(publicRoute).flatMap(actionsOf)).not.toContain('dynamodb:UpdateItem');
  });
});

describe('posting schedule', () => {
  it('runs the posting trigger every 15 minutes with retries and a dead-letter queue', () => {
    const [[triggerId]] = ofType('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/triggers/posting-trigger.ts',
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [triggerId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('PostingTriggerDeadLetters'))![0], 'Arn'] },
          },
        }),
      ],
    });
  });

  it('runs the platform import every hour with retries and a dead-letter queue', () => {
    const [[importId]] = ofType('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/triggers/platform-import.ts',
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [importId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('PostingTriggerDeadLetters'))![0], 'Arn'] },
          },
        }),
      ],
    });
  });

  it('keeps dead letters encrypted and reachable over TLS only', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });
});

describe('workflow', () => {
  it('is a Standard state machine with full logging and X-Ray tracing', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
  });

  it('stays in JSONPath and never writes ResultPath "$" (the local runner supports neither)', () => {
    const [[, machine]] = ofType('AWS::StepFunctions::StateMachine');
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).not.toContain('QueryLanguage');
    expect(definition).not.toMatch(/\\"ResultPath\\":\\"\$\\"/);
  });
});

it('exports the API URL, table, bucket and state machine', () => {
  for (const name of ['ApiUrl', 'TableName', 'BucketName', 'StateMachineArn']) template.hasOutput(name, {});
});
