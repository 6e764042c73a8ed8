import { NestedStack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createCrescendoApp } from '../../infra/synth';

// cdk-nag 3 is a CDK validation plugin: findings come back in its report (and fail `cdk synth`),
// acknowledgments are `Validations.of(construct).acknowledge({ id, reason })` metadata.
describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning, in the stack and its nested stacks', () => {
    const { app, stack } = createCrescendoApp();
    app.synth();
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  it('lets the app synthesize with the checks registered, as infra/app.ts does', () => {
    const { app, stack } = createCrescendoApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
    expect(stack.node.findAll().filter((construct) => NestedStack.isNestedStack(construct))).toHaveLength(3);
    // A nested stack is no artifact of its own: its annotations are reported in its parent's.
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('gives every acknowledgment a specific reason', () => {
    const { stack } = createCrescendoApp();
    const acknowledgments = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgments) {
      expect(id).toMatch(/AwsSolutions-/);
      expect(reason.length, id).toBeGreaterThan(60);
    }
  });
});
