import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm start` keeps its data; tools started beside it find the running stack here. */
export const dataDir = () => resolve(process.env.CRESCENDO_DATA_DIR ?? '.crescendo');
const stateFile = () => join(dataDir(), 'local-stack.json');

export interface RunningStack {
  pid: number;
  apiUrl: string;
  /** The configuration the handlers run with, for `npm run invoke` / `trigger` in another process. */
  env: Record<string, string>;
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

export function recordRunningStack(state: RunningStack): void {
  writeFileSync(stateFile(), JSON.stringify(state, null, 2));
}

export function clearRunningStack(): void {
  rmSync(stateFile(), { force: true });
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
