import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../dev/stack';

/** The whole local stack for one test file: DynamoDB Local in memory, s3rver and keys in a temp folder. */
export async function startTestStack(options: Pick<LocalStackOptions, 'bearerCacheTtlSeconds' | 'webhookPrivateUrls'> = {}): Promise<LocalStack & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crescendo-test-'));
  const stack = await startLocalStack({ dataDir, persist: false, apiPort: 0, schedule: false, retryIntervalMs: 10, webhookRetryBaseMs: 10, ...options });
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

export function apiClient(baseUrl: string) {
  return async function request(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}
