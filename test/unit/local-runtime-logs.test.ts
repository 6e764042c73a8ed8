import { afterEach, describe, expect, it, vi } from 'vitest';
import { invokeLocal } from '../../dev/lambda-runtime';
import { logger } from '../../shared/core/logger';

const ENTRY = 'test/support/handlers/log-twice.ts';

describe('log lines of functions sharing the local process', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    logger.setLogLevel('SILENT');
  });

  it('name their own function and keep their own keys, even when invocations interleave', async () => {
    logger.setLogLevel('INFO');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    // The export job starts first and finishes last: the onboarding route's context is set in between.
    const results = await Promise.all([
      invokeLocal(ENTRY, { label: 'export', waitMs: 40 }, 'AccountDataWorker'),
      invokeLocal(ENTRY, { label: 'onboarding', waitMs: 5 }, 'CreateOnboarding'),
    ]);
    vi.restoreAllMocks();
    expect(results).toEqual(['export', 'onboarding']);
    const logs = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs).toHaveLength(4);
    expect(logs.map((log) => `${String(log.message)} ${String(log.label)} ${String(log.function_name)}`)).toEqual([
      'started export AccountDataWorker',
      'started onboarding CreateOnboarding',
      'finished onboarding CreateOnboarding',
      'finished export AccountDataWorker',
    ]);
    expect(new Set(logs.map((log) => log.function_request_id)).size).toBe(2);
  });
});
