import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionEntries, scheduleRules, stateMachinesFromTemplate, type LocalStateMachine } from '../../infra/asl';
import { synthesizeTemplate } from '../../infra/synth';

// asl-validator 4 is CommonJS and ships no type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const context = { region: 'eu-west-1', account: '123456789012' };
const fnArn = (logicalId: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${logicalId}`;

const handmade = {
  Resources: {
    StepFn: { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: { 'crescendo:entry': 'functions/agents/step.ts' } },
    OtherFn: { Type: 'AWS::Lambda::Function', Properties: {} },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Join': [
            '',
            [
              '{"StartAt":"Step","States":{"Step":{"Type":"Task","Resource":"',
              { 'Fn::GetAtt': ['StepFn', 'Arn'] },
              '","Parameters":{"FunctionName":"',
              { Ref: 'OtherFn' },
              '","Where":"',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':',
              { Ref: 'AWS::Partition' },
              '"},"End":true}}}',
            ],
          ],
        },
      },
    },
    Schedule: {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(5 minutes)', Targets: [{ Arn: { 'Fn::GetAtt': ['StepFn', 'Arn'] }, Id: 'T' }] },
    },
    Pattern: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.s3'] } } },
  },
};

describe('stateMachinesFromTemplate', () => {
  it('resolves Fn::Join, Fn::GetAtt Arn, resource Ref and pseudo parameters into plain ASL', () => {
    expect(stateMachinesFromTemplate(handmade, context)).toEqual([
      {
        logicalId: 'Machine',
        name: 'Machine',
        arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Machine',
        definition: {
          StartAt: 'Step',
          States: {
            Step: {
              Type: 'Task',
              Resource: fnArn('StepFn'),
              Parameters: { FunctionName: 'OtherFn', Where: 'eu-west-1:123456789012:aws' },
              End: true,
            },
          },
        },
      },
    ]);
  });

  it('refuses what it cannot resolve instead of producing a broken definition', () => {
    const withSelect = {
      Resources: {
        Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::Select': [0, ['{}']] } } },
      },
    };
    expect(() => stateMachinesFromTemplate(withSelect, context)).toThrow(/Fn::Select/);
    const dangling = {
      Resources: {
        Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: { 'Fn::GetAtt': ['Gone', 'Arn'] } } },
      },
    };
    expect(() => stateMachinesFromTemplate(dangling, context)).toThrow(/Gone/);
  });
});

describe('functionEntries and scheduleRules', () => {
  it('maps local function ARNs to their handler modules', () => {
    expect(functionEntries(handmade, context)).toEqual(new Map([[fnArn('StepFn'), 'functions/agents/step.ts']]));
  });

  it('lists scheduled rules with the handler module of their target', () => {
    expect(scheduleRules(handmade)).toEqual([
      {
        logicalId: 'Schedule',
        scheduleExpression: 'rate(5 minutes)',
        targetFunctionLogicalId: 'StepFn',
        entry: 'functions/agents/step.ts',
      },
    ]);
  });
});

describe('the synthesized campaign workflow', () => {
  let template: Record<string, any>;
  let machine: LocalStateMachine;
  beforeAll(() => {
    template = synthesizeTemplate();
    [machine] = stateMachinesFromTemplate(template, context);
  });

  it('is valid ASL according to asl-validator', () => {
    const result = validateAsl(machine.definition);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('calls local function ARNs that all map to handler modules', () => {
    const entries = functionEntries(template, context);
    type AnyState = {
      Type: string;
      Resource?: string;
      ItemProcessor?: { States: Record<string, AnyState> };
      Branches?: { States: Record<string, AnyState> }[];
    };
    // Tasks inside Map item processors and Parallel branches too.
    const allStates = (states: Record<string, AnyState>): [string, AnyState][] =>
      Object.entries(states).flatMap(([name, state]) => [
        [name, state] as [string, AnyState],
        ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
        ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
      ]);
    const tasks = allStates(machine.definition.States as Record<string, AnyState>).filter(([, state]) => state.Type === 'Task');
    expect(Object.fromEntries(tasks.map(([name, state]) => [name, entries.get(state.Resource!)]))).toEqual({
      LoadContext: 'functions/agents/load-context.ts',
      Context: 'functions/agents/context.ts',
      Forensics: 'functions/agents/forensics.ts',
      Strategist: 'functions/agents/strategist.ts',
      Planner: 'functions/agents/planner.ts',
      Writer: 'functions/agents/writer.ts',
      Critic: 'functions/agents/critic.ts',
      WeekThumbnails: 'functions/agents/thumbnail.ts',
      Finalize: 'functions/agents/finalize.ts',
      ReplanPlanner: 'functions/agents/replan-planner.ts',
      MarkFailed: 'functions/agents/mark-failed.ts',
    });
  });

  it('exposes the posting and import schedules for the local scheduler', () => {
    expect(scheduleRules(template)).toEqual([
      expect.objectContaining({ scheduleExpression: 'rate(15 minutes)', entry: 'functions/triggers/posting-trigger.ts' }),
      expect.objectContaining({ scheduleExpression: 'rate(1 hour)', entry: 'functions/triggers/platform-import.ts' }),
    ]);
  });
});
