import { NestedStack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteDef } from '../../shared/http/routes';
import { createCrescendoApp, flattenTemplates, stackTemplates, type StackTemplate } from '../../infra/synth';

/**
 * The logical ids of the stateful resources as the single-stack Crescendo deployed them (taken from
 * its synthesized template before the split): they stay in the top stack under these ids, so a
 * deployed stack upgrades in place and nothing RETAINed is orphaned.
 */
const KEPT_IN_PLACE = {
  TableCD117FA1: 'AWS::DynamoDB::Table',
  MediaBucketBCBB02BA: 'AWS::S3::Bucket',
  MediaBucketPolicy68C27F6B: 'AWS::S3::BucketPolicy',
  CreatorAiKeysD24069CE: 'AWS::KMS::Key',
  CreatorEvents518737A9: 'AWS::Events::EventBus',
  PostingTriggerDeadLetters217E0530: 'AWS::SQS::Queue',
  // The API keeps its id (and so its URL); its routes stay beside it (route keys are unique per API).
  HttpApiF5A9A8A7: 'AWS::ApiGatewayV2::Api',
  HttpApiDefaultStage3EEB07D6: 'AWS::ApiGatewayV2::Stage',
  HttpApiJwtAuthorizer14F16BDB: 'AWS::ApiGatewayV2::Authorizer',
  HttpApiBearerAuthorizer95A39C0A: 'AWS::ApiGatewayV2::Authorizer',
} as const;
const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::SQS::Queue',
  'AWS::Events::EventBus',
];

/** CloudFormation's quotas per template (a nested stack's too). */
const LIMITS = { resources: 500, outputs: 200, parameters: 200 };

const countsOf = ({ template }: StackTemplate) => ({
  resources: Object.keys(template.Resources ?? {}).length,
  outputs: Object.keys(template.Outputs ?? {}).length,
  parameters: Object.keys(template.Parameters ?? {}).length,
});

function synthesize(extraRoutes = 0): StackTemplate[] {
  const model = routes.find((route) => route.id === 'GetProfile')!;
  const dummies: RouteDef[] = Array.from({ length: extraRoutes }, (_, i) => ({
    ...model,
    id: `HeadroomDummy${i}`,
    path: `/headroom-dummy-${i}`,
  }));
  const { app, stack } = createCrescendoApp({ routes: [...routes, ...dummies] });
  return stackTemplates(app, stack);
}

let templates: StackTemplate[];
beforeAll(() => {
  templates = synthesize();
});

describe('the stacks', () => {
  it('are the Crescendo stack and its nested stacks for the workflow, the workers and the API functions', () => {
    expect(templates.map(({ path }) => path)).toEqual([
      'Crescendo',
      'Crescendo/WorkflowStack',
      'Crescendo/WorkersStack',
      'Crescendo/ApiStack',
    ]);
    const [top] = templates;
    const nestedStacks = Object.values(top.template.Resources as Record<string, { Type: string }>).filter(
      (r) => r.Type === 'AWS::CloudFormation::Stack',
    );
    expect(nestedStacks).toHaveLength(3);
  });

  it('keep the table, the bucket, the KMS key, the event bus, the dead letters and the API in the top stack under their logical ids', () => {
    const [top, ...nested] = templates;
    for (const [logicalId, type] of Object.entries(KEPT_IN_PLACE)) expect(top.template.Resources[logicalId]?.Type, logicalId).toBe(type);
    for (const child of nested) {
      const stateful = Object.values(child.template.Resources as Record<string, { Type: string }>).filter((r) =>
        [...STATEFUL_TYPES, 'AWS::ApiGatewayV2::Api'].includes(r.Type),
      );
      expect(stateful, child.path).toEqual([]);
    }
  });

  it('retain exactly the table, the bucket and the key, all in the top stack', () => {
    const retained = templates.flatMap(({ path, template }) =>
      Object.entries(template.Resources as Record<string, { DeletionPolicy?: string }>)
        .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
        .map(([logicalId]) => `${path}/${logicalId}`),
    );
    expect(retained.sort()).toEqual(['Crescendo/CreatorAiKeysD24069CE', 'Crescendo/MediaBucketBCBB02BA', 'Crescendo/TableCD117FA1']);
  });

  it('keep every API route in the top stack with the API (a route moved to another stack would be created before the old one is deleted: a duplicate route key)', () => {
    const [top, ...nested] = templates;
    const routesOf = ({ template }: StackTemplate) =>
      Object.values(template.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routesOf(top)).toHaveLength(routes.length);
    for (const child of nested) expect(routesOf(child), child.path).toEqual([]);
  });

  it('hold at most 300 resources each', () => {
    const counts = Object.fromEntries(templates.map((stack) => [stack.path, countsOf(stack)]));
    console.log('resources per stack', JSON.stringify(counts));
    for (const [path, { resources }] of Object.entries(counts)) expect(resources, path).toBeLessThanOrEqual(300);
    // Nothing was lost or duplicated by the split: the merged template has every function once.
    const flat = flattenTemplates(templates);
    const functions = Object.values(flat.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBe(routes.length + 22); // 11 workflow tasks, 9 workers and triggers, the bearer authorizer, CDK's bucket notifications handler
  });

  it('with 30 more routes, stay at most 450 resources each and within the outputs and parameters limits', () => {
    const grown = synthesize(30);
    const counts = Object.fromEntries(grown.map((stack) => [stack.path, countsOf(stack)]));
    console.log('resources per stack with 30 more routes', JSON.stringify(counts));
    const [top] = grown;
    expect(
      Object.values(top.template.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route'),
    ).toHaveLength(routes.length + 30);
    for (const [path, { resources, outputs, parameters }] of Object.entries(counts)) {
      expect(resources, path).toBeLessThanOrEqual(450);
      expect(outputs, path).toBeLessThanOrEqual(LIMITS.outputs);
      expect(parameters, path).toBeLessThanOrEqual(LIMITS.parameters);
    }
  });

  it('are CDK NestedStacks of the one Crescendo stack (one deploy, parameters instead of exports)', () => {
    const { stack } = createCrescendoApp();
    const nested = stack.node.findAll().filter((construct) => NestedStack.isNestedStack(construct));
    expect(nested).toHaveLength(3);
    const [top] = templates;
    expect(Object.values(top.template.Outputs as Record<string, { Export?: unknown }>).filter((output) => output.Export)).toEqual([]);
  });
});
