import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../dev/dynamodb';
import { synthesizeTemplate } from '../../infra/synth';
import { testEnv } from '../../vitest.config';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The app's template, synthesized once for the run (infra/synth.ts), as JSON: every test file's local stack runs it. */
    synthesizedTemplateFile: string;
    /** A DynamoDB Local (in memory) for the run: each test file's stack creates its own table in it. */
    dynamodbEndpoint: string;
  }
}

/**
 * What every test file's local stack would otherwise start again, started once for the run: the
 * app's template, synthesized under the tests' environment (the CDK library's load and a cold
 * synthesis took about 4.5 s a file), and DynamoDB Local (a JVM, about 2.2 s a file).
 */
export default async function setup(project: TestProject) {
  const template = withEnv(testEnv, () => synthesizeTemplate());
  const dir = mkdtempSync(join(tmpdir(), 'crescendo-template-'));
  const file = join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(template));
  project.provide('synthesizedTemplateFile', file);
  const dynamo = await startDynamoLocal();
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** `run`'s result with `env` set, the variables it changed put back after. */
function withEnv<T>(env: Record<string, string>, run: () => T): T {
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  try {
    return run();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
