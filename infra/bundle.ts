import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The entry's output in a function's asset: what Lambda loads first (`index.handler`). */
export const ENTRY_FILE = 'index.mjs';

/** The packages of the Gemini SDK (google-auth-library and the rest come in through it). */
const GEMINI_SDK = '@google/genai';

/** Ajv and its formats (130 KB loaded cold), which only the MCP SDK's unused default validator imports: see the stub. */
const AJV_STUB = './infra/stubs/ajv.ts';

// ESM output cannot `require`; some bundled CJS dependencies still do. The alias keeps the banner's
// import from colliding with a handler module that imports createRequire itself.
const REQUIRE_BANNER =
  "import { createRequire as __crescendoCreateRequire } from 'node:module'; const require = __crescendoCreateRequire(import.meta.url);";

export interface BundleSpec {
  /** Handler module relative to the repository root. */
  entry: string;
  /**
   * Whether the function may call Gemini (infra/function.ts decides, from its access and
   * environment). With it the SDK is in a chunk of its own, loaded by the dynamic import of the
   * first Gemini call; without it the SDK is left out altogether (a call would fail to import it).
   */
  gemini: boolean;
}

/**
 * esbuild's options for one function: an ESM bundle for Node 22 with the AWS SDK inside, minified,
 * source maps without the sources (stack traces need only the mappings), and code splitting, so
 * every dynamic import (the Gemini SDK, a remote image provider) is a chunk that costs nothing
 * until it is first imported. Ajv is replaced by a stub (infra/stubs/ajv.ts).
 */
export function bundleOptions({ entry, gemini }: BundleSpec, outdir: string): BuildOptions {
  return {
    entryPoints: { index: join(REPO_ROOT, entry) },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: gemini ? [] : [GEMINI_SDK],
    alias: { ajv: AJV_STUB, 'ajv-formats': AJV_STUB },
    banner: { js: REQUIRE_BANNER },
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
    metafile: true,
  };
}

/** Bundles one function into `outdir`, then runs the shell commands that copy what it reads at run time (fonts, Swagger UI). */
export function bundleFunction(spec: BundleSpec, outdir: string, afterBundling: readonly string[] = []): Metafile {
  const { metafile } = buildSync(bundleOptions(spec, outdir));
  for (const command of afterBundling) execFileSync('bash', ['-c', command], { cwd: REPO_ROOT, stdio: 'inherit' });
  return metafile!;
}
