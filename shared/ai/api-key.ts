import { readAiConfig, type AiConfig } from './config';

let pending: Promise<string | undefined> | undefined;

/**
 * The Gemini API key: GEMINI_API_KEY when set (local runs), else the secret named by
 * GEMINI_API_KEY_SECRET_ARN, fetched once per container. `undefined` means no key: offline only.
 * A failed fetch is not cached, so the next invocation tries again. The Secrets Manager SDK is
 * imported only then (a lazy chunk), so a function that never resolves a key does not load it.
 */
export function resolveApiKey(): Promise<string | undefined> {
  pending ??= loadApiKey(readAiConfig()).catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function loadApiKey({ apiKey, apiKeySecretArn }: AiConfig): Promise<string | undefined> {
  if (apiKey || !apiKeySecretArn) return apiKey;
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: apiKeySecretArn }));
  const key = secret.SecretString?.trim();
  if (!key) throw new Error(`Secret ${apiKeySecretArn} has no SecretString with the Gemini API key`);
  return key;
}
