import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readAiConfig } from '../../shared/ai';

const secrets = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:gemini-AbCdEf';

/** resolveApiKey caches per module instance (per container), so each test gets a fresh one. */
async function freshResolveApiKey() {
  vi.resetModules();
  return (await import('../../shared/ai/api-key')).resolveApiKey;
}

beforeEach(() => {
  secrets.reset();
  vi.stubEnv('GEMINI_API_KEY', '');
  vi.stubEnv('GEMINI_API_KEY_SECRET_ARN', '');
});

afterEach(() => vi.unstubAllEnvs());

describe('readAiConfig', () => {
  it('has defaults for everything', () => {
    expect(readAiConfig({})).toEqual({
      apiKey: undefined,
      apiKeySecretArn: undefined,
      models: undefined,
      timeoutMs: 20_000,
      retryBaseMs: 500,
      offlineLatency: { timeScale: 0, firstTokenMs: 600, tokensPerSecond: 250 },
    });
  });

  it('parses the chain and the numbers, and treats blank values as unset', () => {
    expect(
      readAiConfig({
        GEMINI_API_KEY: ' ',
        LLM_MODELS: 'gemini-2.5-flash, offline',
        LLM_TIMEOUT_MS: '8000',
        LLM_RETRY_BASE_MS: '50',
        OFFLINE_LLM_TIME_SCALE: '0.1',
        OFFLINE_LLM_FIRST_TOKEN_MS: '800',
        OFFLINE_LLM_TOKENS_PER_SECOND: '150',
      }),
    ).toMatchObject({
      apiKey: undefined,
      models: ['gemini-2.5-flash', 'offline'],
      timeoutMs: 8000,
      retryBaseMs: 50,
      offlineLatency: { timeScale: 0.1, firstTokenMs: 800, tokensPerSecond: 150 },
    });
  });

  it('fails loudly on a bad number', () => {
    expect(() => readAiConfig({ LLM_TIMEOUT_MS: 'soon' })).toThrow(/LLM_TIMEOUT_MS/);
    expect(() => readAiConfig({ LLM_TIMEOUT_MS: '0' })).toThrow(/LLM_TIMEOUT_MS/);
  });
});

describe('resolveApiKey', () => {
  it('prefers GEMINI_API_KEY and never calls Secrets Manager then', async () => {
    vi.stubEnv('GEMINI_API_KEY', 'local-key');
    vi.stubEnv('GEMINI_API_KEY_SECRET_ARN', ARN);

    expect(await (await freshResolveApiKey())()).toBe('local-key');
    expect(secrets.calls()).toHaveLength(0);
  });

  it('fetches the secret once per container', async () => {
    vi.stubEnv('GEMINI_API_KEY_SECRET_ARN', ARN);
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'cloud-key\n' });
    const resolveApiKey = await freshResolveApiKey();

    expect(await Promise.all([resolveApiKey(), resolveApiKey()])).toEqual(['cloud-key', 'cloud-key']);
    expect(await resolveApiKey()).toBe('cloud-key');
    expect(secrets.calls()).toHaveLength(1);
  });

  it('does not cache a failed fetch', async () => {
    vi.stubEnv('GEMINI_API_KEY_SECRET_ARN', ARN);
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'cloud-key' });
    const resolveApiKey = await freshResolveApiKey();

    await expect(resolveApiKey()).rejects.toThrow('throttled');
    expect(await resolveApiKey()).toBe('cloud-key');
  });

  it('means offline when neither is configured', async () => {
    expect(await (await freshResolveApiKey())()).toBeUndefined();
  });
});
