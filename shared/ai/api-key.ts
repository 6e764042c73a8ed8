import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readAiConfig, type AiConfig } from './config';

let pending: Promise<string | undefined> | undefined;

/**
 * The Gemini API key: GEMINI_API_KEY when set (local runs), else the secret named by
 * GEMINI_API_KEY_SECRET_ARN, fetched once per container. `undefined` means no key: offline only.
 * A failed fetch is not cached, so the next invocation tries again.
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
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: apiKeySecretArn }));
  const key = secret.SecretString?.trim();
  if (!key) throw new Error(`Secret ${apiKeySecretArn} has no SecretString with the Gemini API key`);
  return key;
}
