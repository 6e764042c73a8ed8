import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../dev/stack';
import type { Template } from '../../infra/synth';
import { openApiValidator } from './openapi-validator';

export type TestStackOptions = Pick<LocalStackOptions, 'bearerCacheTtlSeconds' | 'webhookPrivateUrls' | 'bluesky'>;

/**
 * What test/support/global-setup.ts started for this vitest run: the synthesized template, and a
 * table of this stack's own in the run's DynamoDB Local. None in the benches, whose stack starts its own.
 */
async function startedForTheRun(): Promise<Pick<LocalStackOptions, 'template' | 'dynamodb'>> {
  if (!process.env.VITEST) return {};
  const { inject } = await import('vitest');
  const file = inject('synthesizedTemplateFile');
  const endpoint = inject('dynamodbEndpoint');
  return {
    ...(file && { template: JSON.parse(readFileSync(file, 'utf8')) as Template }),
    ...(endpoint && { dynamodb: { endpoint, tableName: `crescendo-${randomUUID()}` } }),
  };
}

/**
 * The whole local stack for one test file: its own table in the run's DynamoDB Local (in memory),
 * s3rver and keys in a temp folder, running the template synthesized once for the run.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<LocalStack & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crescendo-test-'));
  const stack = await startLocalStack({
    dataDir,
    persist: false,
    apiPort: 0,
    schedule: false,
    retryIntervalMs: 10,
    webhookRetryBaseMs: 10,
    asyncRetryDelayMs: 10,
    ...(await startedForTheRun()),
    ...options,
  });
  return {
    ...stack,
    dispose: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

const validators = new Map<string, Promise<ReturnType<typeof openApiValidator>>>();

/** The stack's own /openapi.json, fetched once per stack. */
function validatorFor(baseUrl: string) {
  let validator = validators.get(baseUrl);
  if (!validator) {
    validator = fetch(`${baseUrl}/openapi.json`).then(async (response) => openApiValidator(await response.json()));
    validators.set(baseUrl, validator);
  }
  return validator;
}

/**
 * Requests to the stack's API. Every response is checked against the OpenAPI document the stack
 * serves (status, content type, body, declared headers): a mismatch fails the request.
 */
export function apiClient(baseUrl: string) {
  return async function request(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const problems = (await validatorFor(baseUrl))(method, path, { status: response.status, headers: response.headers, text });
    if (problems.length > 0) throw new Error(`The response disagrees with /openapi.json:\n${problems.join('\n')}`);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}
