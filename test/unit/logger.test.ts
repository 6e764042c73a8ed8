import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '../../shared/core/logger';

const CONTEXT = {
  functionName: 'CreateAsset',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:CreateAsset',
  memoryLimitInMB: '512',
  awsRequestId: 'request-1',
} as Context;

/** The JSON lines written to stdout and stderr while `fn` runs. */
function captured(fn: () => void): { stdout: Record<string, unknown>[]; stderr: Record<string, unknown>[] } {
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  for (const stream of ['stdout', 'stderr'] as const)
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines[stream].push(String(chunk));
      return true;
    });
  fn();
  vi.restoreAllMocks();
  const parse = (written: string[]) => written.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stdout: parse(lines.stdout), stderr: parse(lines.stderr) };
}

describe('logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env._X_AMZN_TRACE_ID;
  });

  it('writes one JSON line with the Lambda context, the trace id, the appended keys and its own attributes', () => {
    const logger = new Logger('crescendo');
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const { stdout, stderr } = captured(() => {
      logger.addContext(CONTEXT);
      logger.appendKeys({ requestId: 'abc', route: 'CreateAsset' });
      logger.info('asset ready', { assetId: 'a1', size: 10n });
    });
    expect(stderr).toEqual([]);
    expect(stdout).toEqual([
      {
        level: 'INFO',
        message: 'asset ready',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'crescendo',
        cold_start: true,
        function_arn: CONTEXT.invokedFunctionArn,
        function_memory_size: 512,
        function_name: 'CreateAsset',
        function_request_id: 'request-1',
        xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
        requestId: 'abc',
        route: 'CreateAsset',
        assetId: 'a1',
        size: '10',
      },
    ]);
  });

  it('serializes errors with their cause and own fields, leaves circular references out, and writes warnings and errors to stderr', () => {
    const logger = new Logger('crescendo');
    const error = Object.assign(new Error('S3 refused', { cause: new TypeError('socket closed') }), { code: 'SlowDown' });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const { stdout, stderr } = captured(() => {
      logger.warn('retrying', { error, circular });
      logger.error('gave up', { error: 'as text' });
    });
    expect(stdout).toEqual([]);
    expect(stderr.map((line) => line.level)).toEqual(['WARN', 'ERROR']);
    expect(stderr[0].error).toEqual({
      name: 'Error',
      location: expect.stringMatching(/logger\.test\.ts:\d+$/),
      message: 'S3 refused',
      stack: expect.stringContaining('Error: S3 refused'),
      cause: { name: 'TypeError', location: expect.any(String), message: 'socket closed', stack: expect.any(String) },
      code: 'SlowDown',
    });
    expect(stderr[0].circular).toEqual({ name: 'loop' });
  });

  it('writes nothing under its level, and resetKeys drops the appended keys but not the context', () => {
    const logger = new Logger('crescendo', 'WARN');
    const { stdout, stderr } = captured(() => {
      logger.addContext(CONTEXT);
      logger.appendKeys({ campaignId: 'c1' });
      logger.info('hidden');
      logger.resetKeys();
      logger.warn('shown');
      logger.setLogLevel('SILENT');
      logger.error('hidden too');
    });
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([expect.objectContaining({ message: 'shown', function_name: 'CreateAsset' })]);
    expect(stderr[0]).not.toHaveProperty('campaignId');
  });

  it('keeps each scope’s keys and context to itself, and cold_start true only on the first context', () => {
    const logger = new Logger('crescendo');
    const { stdout } = captured(() => {
      logger.runInScope(() => {
        logger.addContext(CONTEXT);
        logger.appendKeys({ label: 'first' });
        logger.runInScope(() => {
          logger.addContext({ ...CONTEXT, functionName: 'Other', awsRequestId: 'request-2' });
          logger.info('inner');
        });
        logger.info('outer');
      });
      logger.info('outside');
    });
    expect(stdout.map((line) => [line.message, line.function_name, line.label, line.cold_start])).toEqual([
      ['inner', 'Other', undefined, false],
      ['outer', 'CreateAsset', 'first', true],
      ['outside', undefined, undefined, undefined],
    ]);
  });
});
