import { describe, expect, it } from 'vitest';
import { flattenTemplates, type StackTemplate } from '../../infra/synth';

// A parent with a table and two nested stacks: Workers (a function reading the table's name, given
// as a parameter) and Api (a function given the Workers function's ARN, an output of its sibling).
const parent: StackTemplate = {
  path: 'App',
  template: {
    Parameters: { BootstrapVersion: { Type: 'String' } },
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table' },
      WorkersNested: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { Parameters: { referencetoTableRef: { Ref: 'Table' } } },
      },
      ApiNested: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { Parameters: { referencetoWorkerArn: { 'Fn::GetAtt': ['WorkersNested', 'Outputs.WorkerArn'] } } },
        DependsOn: ['WorkersNested'],
      },
      Permission: {
        Type: 'AWS::Lambda::Permission',
        Properties: { FunctionName: { 'Fn::GetAtt': ['ApiNested', 'Outputs.RouteArn'] } },
        DependsOn: ['ApiNested', 'Table'],
      },
    },
    Outputs: { WorkerArn: { Value: { 'Fn::GetAtt': ['WorkersNested', 'Outputs.WorkerArn'] } } },
  },
};
const workers: StackTemplate = {
  path: 'App/Workers',
  resourceId: 'WorkersNested',
  parentPath: 'App',
  template: {
    Parameters: { referencetoTableRef: { Type: 'String' } },
    Resources: {
      Worker: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { TABLE_NAME: { Ref: 'referencetoTableRef' } } } } },
    },
    Outputs: { WorkerArn: { Value: { 'Fn::GetAtt': ['Worker', 'Arn'] } } },
  },
};
const api: StackTemplate = {
  path: 'App/Api',
  resourceId: 'ApiNested',
  parentPath: 'App',
  template: {
    Parameters: { referencetoWorkerArn: { Type: 'String' } },
    Resources: {
      Route: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { WORKER: { Ref: 'referencetoWorkerArn' } } } } },
    },
    Outputs: { RouteArn: { Value: { 'Fn::GetAtt': ['Route', 'Arn'] } } },
  },
};

describe('flattenTemplates', () => {
  const flat = flattenTemplates([parent, workers, api]);

  it('merges the nested resources in place of their stack resources', () => {
    expect(Object.keys(flat.Resources).sort()).toEqual(['Permission', 'Route', 'Table', 'Worker']);
  });

  it("replaces a nested stack's parameters by what the parent passes, and a nested output by its value, through siblings", () => {
    expect(flat.Resources.Worker.Properties.Environment.Variables.TABLE_NAME).toEqual({ Ref: 'Table' });
    expect(flat.Resources.Route.Properties.Environment.Variables.WORKER).toEqual({ 'Fn::GetAtt': ['Worker', 'Arn'] });
    expect(flat.Resources.Permission.Properties.FunctionName).toEqual({ 'Fn::GetAtt': ['Route', 'Arn'] });
    expect(flat.Outputs.WorkerArn.Value).toEqual({ 'Fn::GetAtt': ['Worker', 'Arn'] });
  });

  it('drops dependencies on the merged stack resources and keeps the others', () => {
    expect(flat.Resources.Permission.DependsOn).toEqual(['Table']);
  });

  it('refuses a logical id two templates declare', () => {
    const clash = { ...api, template: { ...api.template, Resources: { Worker: { Type: 'AWS::Lambda::Function' } } } };
    expect(() => flattenTemplates([parent, workers, clash])).toThrow(/App\/Api declares Worker/);
  });
});
