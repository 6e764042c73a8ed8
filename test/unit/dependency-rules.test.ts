import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm run deps` (part of `npm test`) against small trees in a temp dir with the repository's
 * config, tsconfig and node_modules: an allowed tree passes, and each kind of violation fails it
 * by name. The trees live outside the repository, so tsc and the real check never see them.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const trees: string[] = [];

afterEach(() => {
  for (const tree of trees.splice(0)) rmSync(tree, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'crescendo-deps-'));
  trees.push(root);
  copyFileSync(join(repo, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  copyFileSync(join(repo, 'tsconfig.json'), join(root, 'tsconfig.json'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', '.'],
      { cwd: root },
      (error, stdout, stderr) => {
        resolve({ exitCode: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
}

const allowed = {
  'shared/core/errors.ts': "export const NOT_FOUND = 'NOT_FOUND';\n",
  'shared/schemas/campaign.ts': "import { NOT_FOUND } from '../core/errors';\nexport const campaignError = NOT_FOUND;\n",
  'shared/domain/campaign.ts': "import { campaignError } from '../schemas/campaign';\nexport const rule = () => campaignError;\n",
  'shared/db/client.ts': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
  'shared/schemas/goal.ts': "import * as z from 'zod/mini';\nexport const goal = z.string();\n",
  'shared/crypto/seal.ts': 'export interface Sealed { data: string }\nexport const seal = (data: string): Sealed => ({ data });\n',
  'shared/db/secret-store.ts': "import type { Sealed } from '../crypto/seal';\nexport const stored: Sealed[] = [];\n",
  'shared/app/start.ts':
    "import { client } from '../db/client';\nimport { rule } from '../domain/campaign';\nexport const start = () => [client, rule()];\n",
  'infra/stack.ts': "export const stackName = 'Crescendo';\n",
  'dev/dynamodb.ts': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const local = DynamoDBClient;\n",
  'test/seed.ts': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const seed = DynamoDBClient;\n",
  'functions/api/start.ts': "import { start } from '../../shared/app/start';\nexport const handler = start;\n",
};

describe('the dependency rule (npm run deps)', () => {
  it('passes a tree whose imports follow docs/architecture.md', async () => {
    const { exitCode, output } = await check(tree(allowed));
    expect(output).toContain('no dependency violations found');
    expect(exitCode).toBe(0);
  });

  it('fails on a cycle, even through a type-only import, and on forbidden imports, naming each', async () => {
    const { exitCode, output } = await check(
      tree({
        ...allowed,
        'shared/domain/ring-a.ts': "import { b } from './ring-b';\nexport const a = () => b;\n",
        'shared/domain/ring-b.ts': "import type { a } from './ring-a';\nexport const b = 1;\nexport type A = typeof a;\n",
        'shared/domain/reaches-db.ts': "import { client } from '../db/client';\nexport const leak = client;\n",
        'shared/schemas/reaches-domain.ts': "import { rule } from '../domain/campaign';\nexport const leak = rule;\n",
        'shared/db/seals.ts': "import { seal } from '../crypto/seal';\nexport const leak = seal;\n",
        'shared/app/raw-dynamodb.ts':
          "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const leak = DynamoDBDocumentClient;\n",
        'shared/app/calls-handler.ts': "import { handler } from '../../functions/api/start';\nexport const leak = handler;\n",
        'functions/api/names-stack.ts': "import { stackName } from '../../infra/stack';\nexport const name = stackName;\n",
        'infra/runs-locally.ts': "import { local } from '../dev/dynamodb';\nexport const leak = local;\n",
        'functions/api/other.ts': "import { handler } from './start';\nexport const other = handler;\n",
        'shared/schemas/classic.ts': "import * as z from 'zod';\nexport const name = z.string().min(1);\n",
      }),
    );
    expect(exitCode).not.toBe(0);
    expect(output).toMatch(/no-circular: shared\/domain\/ring-a\.ts →\s+shared\/domain\/ring-b\.ts →\s+shared\/domain\/ring-a\.ts/);
    expect(output).toMatch(/shared-domain-imports: shared\/domain\/reaches-db\.ts → shared\/db\/client\.ts/);
    expect(output).toMatch(/shared-schemas-imports: shared\/schemas\/reaches-domain\.ts → shared\/domain\/campaign\.ts/);
    expect(output).toMatch(/dynamodb-only-in-db: shared\/app\/raw-dynamodb\.ts → .*node_modules\/@aws-sdk\/lib-dynamodb\//);
    expect(output).toMatch(/db-crypto-types-only: shared\/db\/seals\.ts → shared\/crypto\/seal\.ts/);
    expect(output).toMatch(/shared-not-functions: shared\/app\/calls-handler\.ts → functions\/api\/start\.ts/);
    expect(output).toMatch(/runtime-not-infra: functions\/api\/names-stack\.ts → infra\/stack\.ts/);
    expect(output).toMatch(/infra-not-dev: infra\/runs-locally\.ts → dev\/dynamodb\.ts/);
    expect(output).toMatch(/handlers-independent: functions\/api\/other\.ts → functions\/api\/start\.ts/);
    expect(output).toMatch(/zod-mini-only: shared\/schemas\/classic\.ts → .*node_modules\/zod\//);
    expect(output).toContain('10 dependency violations');
  });
});
