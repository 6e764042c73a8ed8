import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where `npm start` keeps its data; tools started beside it find the running stack here. */
export const dataDir = () => resolve(process.env.CRESCENDO_DATA_DIR ?? DEFAULT_DATA_DIR);
const DEFAULT_DATA_DIR = '.crescendo';
const stateFile = () => join(dataDir(), 'local-stack.json');

/**
 * Every running `npm start` on this machine also leaves a pointer here (`<pid>.json`), so a tool
 * started in a shell without the stack's CRESCENDO_DATA_DIR still finds the stack's data folder.
 */
export const stackRegistry = () => join(tmpdir(), 'crescendo-stacks');

export interface RunningStack {
  pid: number;
  apiUrl: string;
  /** The configuration the handlers run with, for `npm run invoke` / `trigger` in another process. */
  env: Record<string, string>;
}

/** A registry entry: which data folder a running stack uses. */
export interface StackPointer {
  pid: number;
  apiUrl: string;
  dataDir: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningStack(): RunningStack | undefined {
  if (!existsSync(stateFile())) return undefined;
  const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as RunningStack;
  return isAlive(state.pid) ? state : undefined;
}

export function recordRunningStack(state: RunningStack, registry = stackRegistry()): void {
  writeFileSync(stateFile(), JSON.stringify(state, null, 2));
  mkdirSync(registry, { recursive: true });
  const pointer: StackPointer = { pid: state.pid, apiUrl: state.apiUrl, dataDir: dataDir() };
  writeFileSync(join(registry, `${state.pid}.json`), JSON.stringify(pointer));
}

export function clearRunningStack(registry = stackRegistry()): void {
  rmSync(stateFile(), { force: true });
  rmSync(join(registry, `${process.pid}.json`), { force: true });
}

/** The stacks of the registry whose process is alive (a killed stack's pointer stays behind and is skipped). */
export function registeredStacks(registry = stackRegistry()): StackPointer[] {
  if (!existsSync(registry)) return [];
  return readdirSync(registry)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(registry, name), 'utf8')) as StackPointer];
      } catch {
        return [];
      }
    })
    .filter((pointer) => isAlive(pointer.pid));
}

export type DataDirChoice =
  | { dataDir: string; source: 'env' }
  | { dataDir: string; source: 'running-stack'; apiUrl: string }
  | { dataDir: string; source: 'default' }
  | { error: string };

/**
 * The data folder a tool such as `npm run token` should use: CRESCENDO_DATA_DIR when set; else the
 * running stack's (the one on the default folder first, else the only one running); else the
 * default folder, with no stack to agree with. Several stacks on other folders are ambiguous.
 */
export function resolveDataDir(env: Record<string, string | undefined>, running: StackPointer[], cwd = process.cwd()): DataDirChoice {
  if (env.CRESCENDO_DATA_DIR) return { dataDir: resolve(cwd, env.CRESCENDO_DATA_DIR), source: 'env' };
  const fallback = resolve(cwd, DEFAULT_DATA_DIR);
  const stack = running.find((pointer) => resolve(pointer.dataDir) === fallback) ?? (running.length === 1 ? running[0] : undefined);
  if (stack) return { dataDir: resolve(stack.dataDir), source: 'running-stack', apiUrl: stack.apiUrl };
  if (running.length > 1) {
    const list = running.map((pointer) => `  ${pointer.dataDir} (${pointer.apiUrl}, pid ${pointer.pid})`).join('\n');
    return { error: `Several local stacks are running; set CRESCENDO_DATA_DIR to the data folder of the one you mean:\n${list}` };
  }
  return { dataDir: fallback, source: 'default' };
}

/** Points this process at the running `npm start` stack, or explains how to start one. */
export function attachToRunningStack(): RunningStack {
  const state = runningStack();
  if (!state) {
    console.error('No local stack is running. Start it first with `npm start` (in another terminal).');
    process.exit(1);
  }
  Object.assign(process.env, state.env);
  return state;
}
