import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../dev/eventbridge';

const statusChange = {
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  resources: ['arn:aws:states:us-east-1:000000000000:execution:M:c-a1'],
  detail: {
    status: 'ABORTED',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:M',
    name: 'c-a1',
    error: null,
    startDate: 1000,
  },
};

describe('matchesPattern (EventBridge event patterns)', () => {
  it.each([
    ['exact values in arrays, nested detail', { source: ['aws.states'], detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'] } }, true],
    ['a value not listed', { detail: { status: ['FAILED', 'TIMED_OUT'] } }, false],
    ['a nested field on a missing object', { detail: { nested: { x: ['y'] } } }, false],
    ['prefix', { detail: { stateMachineArn: [{ prefix: 'arn:aws:states:us-east-1:' }] } }, true],
    ['prefix not matching', { detail: { stateMachineArn: [{ prefix: 'arn:aws:lambda:' }] } }, false],
    ['suffix', { detail: { name: [{ suffix: '-a1' }] } }, true],
    ['anything-but a value', { detail: { status: [{ 'anything-but': 'SUCCEEDED' }] } }, true],
    ['anything-but a list holding it', { detail: { status: [{ 'anything-but': ['ABORTED', 'FAILED'] }] } }, false],
    ['anything-but a prefix', { detail: { name: [{ 'anything-but': { prefix: 'x' } }] } }, true],
    ['exists: true on a present field', { detail: { name: [{ exists: true }] } }, true],
    ['exists: false on a missing field', { detail: { output: [{ exists: false }] } }, true],
    ['exists: true on a missing field', { detail: { output: [{ exists: true }] } }, false],
    ['null matches a null value', { detail: { error: [null] } }, true],
    ['numeric range', { detail: { startDate: [{ numeric: ['>', 0, '<=', 1000] }] } }, true],
    ['numeric out of range', { detail: { startDate: [{ numeric: ['<', 1000] }] } }, false],
    ['an array in the event matches when one element does', { resources: [{ prefix: 'arn:aws:states:' }] }, true],
    ['the top-level detail-type', { 'detail-type': ['Step Functions Execution Status Change'] }, true],
    ['several fields: all must match', { source: ['aws.states'], detail: { status: ['FAILED'] } }, false],
    ['an empty pattern matches everything', {}, true],
  ])('%s', (_, pattern, expected) => {
    expect(matchesPattern(pattern as Record<string, unknown>, statusChange)).toBe(expected);
  });

  it('a pattern listing an event’s own value matches it, and one listing only other values does not', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string()), (value, others) => {
        const rest = others.filter((other) => other !== value);
        expect(matchesPattern({ detail: { field: [...rest, value] } }, { detail: { field: value } })).toBe(true);
        expect(matchesPattern({ detail: { field: rest } }, { detail: { field: value } })).toBe(false);
      }),
    );
  });
});
