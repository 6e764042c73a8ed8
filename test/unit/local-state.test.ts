import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredStacks, resolveDataDir, type StackPointer } from '../../dev/state';

const cwd = '/repo';
const stack = (dataDir: string, pid = 100): StackPointer => ({ pid, apiUrl: `http://127.0.0.1:${3000 + pid}`, dataDir });

describe('the data folder of `npm run token`', () => {
  it('is CRESCENDO_DATA_DIR when set, whatever runs', () => {
    expect(resolveDataDir({ CRESCENDO_DATA_DIR: 'mine' }, [stack('/elsewhere')], cwd)).toEqual({ dataDir: '/repo/mine', source: 'env' });
  });

  it("is the running stack's folder when the variable is not set (the token the stack accepts, not a new key pair)", () => {
    expect(resolveDataDir({}, [stack('/tmp/stack-data')], cwd)).toEqual({
      dataDir: '/tmp/stack-data',
      source: 'running-stack',
      apiUrl: 'http://127.0.0.1:3100',
    });
  });

  it('prefers the stack on the default folder among several, and refuses to guess between others', () => {
    expect(resolveDataDir({}, [stack('/tmp/a', 1), stack('/repo/.crescendo', 2)], cwd)).toMatchObject({
      dataDir: '/repo/.crescendo',
      source: 'running-stack',
    });
    const ambiguous = resolveDataDir({}, [stack('/tmp/a', 1), stack('/tmp/b', 2)], cwd);
    expect(ambiguous).toEqual({ error: expect.stringContaining('CRESCENDO_DATA_DIR') });
    expect('error' in ambiguous && ambiguous.error).toContain('/tmp/b');
  });

  it('is the default folder when no stack runs, and says so', () => {
    expect(resolveDataDir({}, [], cwd)).toEqual({ dataDir: '/repo/.crescendo', source: 'default' });
  });
});

describe('the registry of running stacks', () => {
  const registry = mkdtempSync(join(tmpdir(), 'registry-'));
  afterAll(() => rmSync(registry, { recursive: true, force: true }));

  it("lists the pointers of live processes only (a killed stack's pointer is skipped)", () => {
    writeFileSync(join(registry, `${process.pid}.json`), JSON.stringify(stack('/live', process.pid)));
    writeFileSync(join(registry, '999999999.json'), JSON.stringify(stack('/dead', 999_999_999)));
    writeFileSync(join(registry, 'broken.json'), '{');
    expect(registeredStacks(registry).map((pointer) => pointer.dataDir)).toEqual(['/live']);
  });
});
