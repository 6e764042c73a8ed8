// postinstall (runs on the Node that runs npm): native modules are compiled for that Node, but every
// npm script runs on the project's Node 22 (the `node` devDependency). Rebuild better-sqlite3 (the
// Bluesky PDS's SQLite binding) for Node 22, offline: the `node` package ships Node 22's headers.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const archPackages = join(root, 'node_modules', 'node', 'node_modules');
const archPackage = existsSync(archPackages)
  ? readdirSync(archPackages).find((name) => name === `node-${process.platform}-${process.arch}`)
  : undefined;
if (!existsSync(join(root, 'node_modules', 'better-sqlite3'))) process.exit(0); // production install: no PDS
const nodeDir = archPackage && join(archPackages, archPackage);
// `npm ci` lays Node 22 out with its headers in the arch package; an incremental `npm install` may copy the bare binary to node/bin.
const node22 = nodeDir ? join(nodeDir, 'bin', 'node') : join(root, 'node_modules', 'node', 'bin', 'node');
const loads = () =>
  spawnSync(node22, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, stdio: 'ignore' }).status === 0;

if (loads()) process.exit(0);
if (!nodeDir) {
  console.error(`rebuild-native: no Node 22 headers (node_modules/node/node_modules/node-${process.platform}-${process.arch}); run npm ci`);
  process.exit(1);
}
console.log(`rebuild-native: compiling better-sqlite3 for ${spawnSync(node22, ['--version']).stdout.toString().trim()}`);
const rebuild = spawnSync('npm', ['rebuild', 'better-sqlite3', `--nodedir=${nodeDir}`], {
  cwd: root,
  stdio: 'inherit',
  // build_from_source: no attempt to download a prebuilt binary (no network but the registry).
  env: { ...process.env, npm_config_build_from_source: 'true', PATH: `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH}` },
});
if (rebuild.status !== 0 || !loads()) {
  console.error('rebuild-native: better-sqlite3 does not load under the project Node; the Bluesky PDS cannot start');
  process.exit(1);
}
