import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { functionEntries } from '../../infra/asl';
import { REPO_ROOT } from '../../infra/function';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../dev/scheduler';
import { synthesizeTemplate } from '../../infra/synth';
import { fixed, markdownTable, median, percentile } from './report';

export const REFERENCE_ENTRY = 'test/bench/reference-handler.ts';

/**
 * The esbuild options CDK derives from CrescendoFunction's `bundling` props (aws-lambda-nodejs turns
 * them into `esbuild --bundle --platform=node ...` flags). infra/function.ts does not export them, so
 * they are rebuilt here from the same values, banner included: keep the two in step.
 */
const cloudBuildOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: [],
  banner: {
    js: "import { createRequire as __crescendoCreateRequire } from 'node:module'; const require = __crescendoCreateRequire(import.meta.url);",
  },
  absWorkingDir: REPO_ROOT,
  logLevel: 'warning',
};

/** What the functions find in their environment at load (CrescendoFunction's variables, local values). */
const LOAD_ENV = {
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'crescendo',
  TABLE_NAME: 'crescendo',
  JWT_ISSUER: 'https://clerk.example.com',
  JWT_AUDIENCE: 'crescendo-api',
  JWT_JWKS_URL: 'https://clerk.example.com/.well-known/jwks.json',
  MEDIA_BUCKET_NAME: 'crescendo-media',
  STATE_MACHINE_ARN: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:bench`,
  WORKFLOW_TIMEOUT_SECONDS: '7200',
  REGENERATE_FUNCTION_NAME: 'bench-regenerate-worker',
  REPORT_FUNCTION_NAME: 'bench-report-worker',
  ACCOUNT_DATA_FUNCTION_NAME: 'bench-account-data-worker',
  EVENT_BUS_NAME: 'bench-events',
  WEBHOOK_DELIVERY_FUNCTION_NAME: 'bench-webhook-delivery-worker',
  POSTING_SHARD_FUNCTION_NAME: 'bench-posting-shard-worker',
  AWS_REGION: LOCAL_REGION,
  APP_VERSION: '0.0.0-bench',
};

// Runs in a fresh node: times the import of the bundle only, not node's own start.
const LOADER = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

export interface BundleResult {
  entry: string;
  bytes: number;
  loadMs: number[];
  /** Bytes in the output per npm package ('(own code)' for the repository's modules), largest first. */
  packages: [string, number][];
}

/** Every distinct handler module of the synthesized stack (API routes, workflow tasks, trigger). */
function stackEntries(): string[] {
  const entries = functionEntries(synthesizeTemplate(), { region: LOCAL_REGION, account: LOCAL_ACCOUNT });
  return [...new Set(entries.values())].sort();
}

function packageBytes(output: Metafile['outputs'][string]): [string, number][] {
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(own code)';
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

async function loadTimes(bundle: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  // One at a time: parallel cold starts on 2 cores would measure contention.
  for (let i = 0; i < runs; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', LOADER, pathToFileURL(bundle).href], {
      env: { PATH: process.env.PATH, ...LOAD_ENV },
    });
    times.push(Number(stdout));
  }
  return times;
}

export async function measureBundles(runs: number): Promise<BundleResult[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'crescendo-bench-'));
  try {
    const results: BundleResult[] = [];
    for (const [i, entry] of [REFERENCE_ENTRY, ...stackEntries()].entries()) {
      const outfile = join(outDir, String(i), 'index.mjs');
      const { metafile } = await build({ ...cloudBuildOptions, entryPoints: [entry], outfile, metafile: true });
      const [, output] = Object.entries(metafile.outputs).find(([path]) => path.endsWith('index.mjs'))!;
      results.push({ entry, bytes: output.bytes, loadMs: await loadTimes(outfile, runs), packages: packageBytes(output) });
    }
    return results;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => fixed(bytes / 1024);

export function bundleTable(results: BundleResult[]): string {
  const reference = results.find((r) => r.entry === REFERENCE_ENTRY)!;
  const rows = results.map(({ entry, bytes, loadMs, packages }) => [
    entry === REFERENCE_ENTRY ? `${entry} (reference)` : entry,
    String(bytes),
    kib(bytes),
    `${fixed(bytes / reference.bytes, 2)}×`,
    fixed(median(loadMs)),
    fixed(percentile(loadMs, 90)),
    `${fixed(median(loadMs) / median(reference.loadMs), 2)}×`,
    packages
      .slice(0, 3)
      .map(([name, size]) => `${name} ${kib(size)}`)
      .join(', '),
  ]);
  return markdownTable(
    ['function entry', 'bytes', 'KiB', 'size vs ref', 'load median ms', 'load p90 ms', 'load vs ref', 'largest packages (KiB)'],
    rows,
  );
}
