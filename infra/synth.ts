import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import type { RouteDef } from '../shared/http/routes';
import { createCrescendoStack, type CrescendoStack } from './stack';

export interface CrescendoAppOptions {
  /** Run esbuild for every function (slow); when false, only the template is produced. Default false. */
  bundling?: boolean;
  /** Extra CDK context, e.g. `{ jwtIssuer: 'https://...' }`. */
  context?: Record<string, unknown>;
  /** The HTTP routes to deploy instead of the route table (tests measuring the stacks' headroom). */
  routes?: readonly RouteDef[];
}

/** The one place the app is assembled: used by infra/app.ts (the CDK CLI), the tests and the local stack. */
export function createCrescendoApp(options: CrescendoAppOptions = {}): { app: App; stack: CrescendoStack } {
  const context = { ...options.context, ...(!options.bundling && { 'aws:cdk:bundling-stacks': [] }) };
  const app = new App({ context });
  return { app, stack: createCrescendoStack(app, { routes: options.routes }) };
}

export type Template = Record<string, any>;

/** One synthesized template of the deploy: the stack's own, then one per nested stack (parents first). */
export interface StackTemplate {
  /** The construct path, e.g. `Crescendo` or `Crescendo/ApiStack`. */
  path: string;
  /** The logical id of the AWS::CloudFormation::Stack resource in the parent; none for the top stack. */
  resourceId?: string;
  parentPath?: string;
  template: Template;
}

/** Synthesizes `app` and reads the templates of `stack` and of its nested stacks (`*.nested.template.json`). */
export function stackTemplates(app: App, stack: Stack): StackTemplate[] {
  const assembly = app.synth();
  const nested = stack.node
    .findAll()
    .filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct))
    .map((child) => ({
      path: child.node.path,
      resourceId: Stack.of(child.nestedStackResource!).resolve(child.nestedStackResource!.logicalId) as string,
      parentPath: child.nestedStackParent!.node.path,
      template: JSON.parse(readFileSync(join(assembly.directory, child.templateFile), 'utf8')) as Template,
    }));
  return [{ path: stack.node.path, template: assembly.getStackByName(stack.stackName).template as Template }, ...nested];
}

/**
 * One template with every nested stack's resources merged into its parent's, as the local stack
 * and the tests read it: in a nested template each `{ Ref: <parameter> }` becomes the value the
 * parent passes (its AWS::CloudFormation::Stack `Parameters`), and each
 * `{ Fn::GetAtt: [<nested stack>, Outputs.<name>] }` the nested template's output value, so every
 * reference points at the resource itself. Logical ids are unique across the merged templates or it throws.
 */
export function flattenTemplates(templates: StackTemplate[]): Template {
  const [top, ...nested] = templates;
  const resources: Record<string, any> = { ...top.template.Resources };
  const outputs = new Map<string, Record<string, { Value: unknown }>>();
  for (const child of nested) {
    const stackResource = (templates.find((t) => t.path === child.parentPath)?.template.Resources ?? {})[child.resourceId!];
    const parameters = (stackResource?.Properties?.Parameters ?? {}) as Record<string, unknown>;
    const substituted = substitute(child.template, (value) => {
      const ref = (value as { Ref?: unknown }).Ref;
      return typeof ref === 'string' && ref in parameters ? { value: parameters[ref] } : undefined;
    }) as Template;
    delete resources[child.resourceId!];
    for (const [logicalId, resource] of Object.entries(substituted.Resources ?? {})) {
      if (logicalId in resources) throw new Error(`${child.path} declares ${logicalId}, which another template of the app declares too`);
      resources[logicalId] = resource;
    }
    outputs.set(child.resourceId!, substituted.Outputs ?? {});
  }
  // An output's value may itself be another nested stack's output (a reference between siblings).
  const resolveOutputs = (value: unknown): unknown =>
    substitute(value, (node) => {
      const getAtt = (node as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      const [stackId, attribute] = Array.isArray(getAtt) ? getAtt : [];
      if (!stackId || !outputs.has(stackId) || !attribute?.startsWith('Outputs.')) return undefined;
      const output = outputs.get(stackId)![attribute.slice('Outputs.'.length)];
      if (!output) throw new Error(`The nested stack ${stackId} has no output ${attribute}`);
      return { value: resolveOutputs(output.Value) };
    });
  const nestedIds = new Set(outputs.keys());
  const flat = Object.fromEntries(
    Object.entries(resolveOutputs(resources) as Record<string, any>).map(([logicalId, resource]) => {
      const dependsOn = [resource.DependsOn ?? []].flat().filter((id: string) => !nestedIds.has(id));
      const { DependsOn: _, ...rest } = resource;
      return [logicalId, dependsOn.length ? { ...rest, DependsOn: dependsOn } : rest];
    }),
  );
  return { ...top.template, Resources: flat, Outputs: resolveOutputs(top.template.Outputs ?? {}) };
}

/** A deep copy of `value` in which every node `replace` answers for is replaced by its answer. */
function substitute(value: unknown, replace: (node: object) => { value: unknown } | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  const replaced = replace(value);
  if (replaced) return replaced.value;
  if (Array.isArray(value)) return value.map((item) => substitute(item, replace));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, replace)]));
}

/** The synthesized CloudFormation template of the Crescendo app, built in-process, its nested stacks merged in. */
export function synthesizeTemplate(options: CrescendoAppOptions = {}): Template {
  const { app, stack } = createCrescendoApp(options);
  return flattenTemplates(stackTemplates(app, stack));
}
