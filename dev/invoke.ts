import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { routes } from '../shared/http/routes';
import { functionEntries } from '../infra/asl';
import { synthesizeTemplate } from '../infra/synth';
import { invokeLocal } from './lambda-runtime';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './scheduler';
import { runningStack } from './state';

/**
 * `npm run invoke -- <function> <event.json>`: runs one function with a sample event. <function>
 * is a route id (GetProfile), an entry file name (posting-trigger) or path. Against the running
 * `npm start` stack when there is one, else with this shell's configuration (e.g. real AWS).
 */
const [name, eventFile] = process.argv.slice(2);
const entries = [...new Set(functionEntries(synthesizeTemplate(), { region: LOCAL_REGION, account: LOCAL_ACCOUNT }).values())];
const entry =
  routes.find((route) => route.id === name)?.entry ??
  entries.find((candidate) => candidate === name || basename(candidate, '.ts') === name);
if (!entry || !eventFile) {
  console.error(`usage: npm run invoke -- <function> events/<file>.json\nfunctions: ${entries.map((e) => basename(e, '.ts')).join(', ')}`);
  process.exit(2);
}
const stack = runningStack();
if (stack) Object.assign(process.env, stack.env);
const result = await invokeLocal(entry, JSON.parse(readFileSync(eventFile, 'utf8')), basename(entry, '.ts'));
console.log(JSON.stringify(result, null, 2));
