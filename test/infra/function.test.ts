import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CrescendoFunction, type FunctionAccess } from '../../infra/function';
import { ENTRY_METADATA_KEY } from '../../infra/metadata';

/** One CrescendoFunction in a bare stack, bundling skipped. */
function build(access: FunctionAccess, withStateMachine = true) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const table = new Table(stack, 'Table', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
  const bucket = new Bucket(stack, 'Bucket');
  const stateMachine = withStateMachine
    ? new StateMachine(stack, 'Machine', { definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'Pass')) })
    : undefined;
  new CrescendoFunction(stack, 'Fn', {
    entry: 'functions/agents/mark-failed.ts',
    group: 'agents',
    access,
    resources: { table, tableIndexNames: ['GSI1'], bucket, stateMachine },
    environment: { EXTRA: 'yes' },
  });
  const template = Template.fromStack(stack);
  const ids = (type: string) => Object.keys(template.findResources(type));
  const [fnId] = ids('AWS::Lambda::Function');
  const fn = template.toJSON().Resources[fnId];
  // The role holds every statement as its one inline policy (FunctionRole).
  const statements = Object.entries(template.findResources('AWS::IAM::Role'))
    .filter(([id]) => id.includes('FnRole'))
    .flatMap(([, role]) => (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[])
    .flatMap((p) => p.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
  const actionsOn = (logicalId: string) =>
    statements.filter((s) => JSON.stringify(s.Resource).includes(`"${logicalId}"`)).flatMap((s) => [s.Action].flat());
  return {
    stack,
    fn,
    variables: Object.keys(fn.Properties.Environment.Variables).sort(),
    tableActions: actionsOn(ids('AWS::DynamoDB::Table')[0]),
    bucketActions: actionsOn(ids('AWS::S3::Bucket')[0]),
    workflowActions: stateMachine ? actionsOn(ids('AWS::StepFunctions::StateMachine')[0]) : [],
  };
}

const BASE_VARIABLES = ['EXTRA', 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'];

describe('CrescendoFunction', () => {
  it('records the repo-relative entry as CloudFormation metadata', () => {
    const { fn } = build({ table: 'none', bucket: 'none' });
    expect(fn.Metadata[ENTRY_METADATA_KEY]).toBe('functions/agents/mark-failed.ts');
  });

  it('grants nothing and sets no resource variable without access', () => {
    const { variables, tableActions, bucketActions, workflowActions } = build({ table: 'none', bucket: 'none' });
    expect(variables).toEqual(BASE_VARIABLES);
    expect([...tableActions, ...bucketActions, ...workflowActions]).toEqual([]);
  });

  it('grants explicit read actions on the table and its named index, and reads objects', () => {
    const { variables, tableActions, bucketActions } = build({ table: 'read', bucket: 'read' });
    expect(variables).toEqual([...BASE_VARIABLES, 'MEDIA_BUCKET_NAME', 'TABLE_NAME'].sort());
    expect(tableActions.sort()).toEqual(
      ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'].sort(),
    );
    expect(bucketActions.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  it('adds the write actions for readwrite, still without any wildcard action', () => {
    const { tableActions, bucketActions } = build({ table: 'readwrite', bucket: 'readwrite' });
    expect(tableActions).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
    );
    expect(bucketActions.sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    for (const action of [...tableActions, ...bucketActions]) expect(action).not.toContain('*');
  });

  it('may start the workflow: StartExecution on that state machine and its ARN in the environment', () => {
    const { variables, workflowActions } = build({ table: 'none', bucket: 'none', startWorkflow: true });
    expect(variables).toContain('STATE_MACHINE_ARN');
    expect(workflowActions).toEqual(['states:StartExecution']);
  });

  it('refuses startWorkflow access when there is no state machine to grant', () => {
    expect(() => build({ table: 'none', bucket: 'none', startWorkflow: true }, false)).toThrow(/state machine/);
  });

  it('passes AwsSolutions checks with bucket access, its object-level grant acknowledged', () => {
    const { stack } = build({ table: 'readwrite', bucket: 'readwrite' });
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
      .filter((finding) => finding.includes('/Fn/'));
    expect(findings).toEqual([]);
  });
});
