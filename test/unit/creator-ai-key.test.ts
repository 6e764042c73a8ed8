import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from '../../shared/schemas/zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as deleteKey } from '../../functions/api/account-ai-key-delete';
import { handler as getKey } from '../../functions/api/account-ai-key-get';
import { handler as putKey } from '../../functions/api/account-ai-key-put';
import { creatorModels, runAgent, type AgentSpec } from '../../shared/ai';
import { withoutSealedKey } from '../../shared/db/ai-key-store';
import { keys } from '../../shared/db/keys';
import { monthlyUsageOf, llmUsage } from '../../shared/domain/usage';
import { checkQuotas } from '../../shared/domain/quotas';
import {
  aesGcmOpen,
  aesGcmSeal,
  kmsKeyWrapper,
  localKeyWrapper,
  openSecret,
  sealSecret,
  type Sealed,
} from '../../shared/crypto/envelope-encryption';
import { apiEvent, call } from '../support/api-event';
import { jsonReply, startFakeGemini, type FakeGemini } from '../support/fake-gemini';

const ddb = mockClient(DynamoDBDocumentClient);
const GOOD_KEY = 'AIzaSyCreatorOwnKey-000000000000000WXYZ';
const BAD_KEY = 'AIzaSyRefusedKey-0000000000000000000BAD';

const flip = (b64: string, index = 0) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[index] ^= 0x01;
  return bytes.toString('base64');
};

describe('envelope encryption', () => {
  const wrapper = localKeyWrapper(randomBytes(32));

  it('opens what it sealed, and the stored form never contains the secret', async () => {
    const sealed = await sealSecret(wrapper, 'alice', GOOD_KEY);
    expect(JSON.stringify(sealed)).not.toContain(GOOD_KEY);
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(await openSecret(wrapper, 'alice', sealed)).toBe(GOOD_KEY);
    // A fresh data key and IV every time.
    const again = await sealSecret(wrapper, 'alice', GOOD_KEY);
    expect(again.wrappedKey).not.toBe(sealed.wrappedKey);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
  });

  it.each<[string, (s: Sealed) => Sealed]>([
    ['the ciphertext', (s) => ({ ...s, ciphertext: flip(s.ciphertext, 3) })],
    ['the tag', (s) => ({ ...s, tag: flip(s.tag) })],
    ['the IV', (s) => ({ ...s, iv: flip(s.iv) })],
    ['the wrapped data key', (s) => ({ ...s, wrappedKey: flip(s.wrappedKey, 20) })],
  ])('refuses a sealed key whose %s was changed', async (_, tamper) => {
    const sealed = await sealSecret(wrapper, 'alice', GOOD_KEY);
    await expect(openSecret(wrapper, 'alice', tamper(sealed))).rejects.toThrow();
  });

  it("refuses a ciphertext copied to another user's item (the user id is the AAD)", async () => {
    const sealed = await sealSecret(wrapper, 'alice', GOOD_KEY);
    await expect(openSecret(wrapper, 'mallory', sealed)).rejects.toThrow();
    // Even with alice's data key in hand, the secret's own AAD names alice.
    const dataKey = randomBytes(32);
    const parts = aesGcmSeal(dataKey, Buffer.from('secret'), 'crescendo:user:alice');
    expect(aesGcmOpen(dataKey, parts, 'crescendo:user:alice').toString()).toBe('secret');
    expect(() => aesGcmOpen(dataKey, parts, 'crescendo:user:mallory')).toThrow();
  });

  it('refuses a key sealed by another wrapper, and a master key of the wrong size', async () => {
    const sealed = await sealSecret(wrapper, 'alice', GOOD_KEY);
    await expect(openSecret(localKeyWrapper(randomBytes(32)), 'alice', sealed)).rejects.toThrow();
    await expect(openSecret(kmsKeyWrapper('arn:aws:kms:us-east-1:0:key/k'), 'alice', sealed)).rejects.toThrow(/wrapped by local/);
    expect(() => localKeyWrapper(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('envelope encryption with KMS', () => {
  const kms = mockClient(KMSClient);
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0f0f0f0f-1111-2222-3333-444444444444';
  const dataKey = randomBytes(32);
  const blob = randomBytes(184);
  beforeEach(() => {
    kms.reset();
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(dataKey), CiphertextBlob: new Uint8Array(blob), KeyId: keyArn });
    kms.on(DecryptCommand, { EncryptionContext: { userId: 'alice' } }).resolves({ Plaintext: new Uint8Array(dataKey) });
    kms.on(DecryptCommand, { EncryptionContext: { userId: 'mallory' } }).rejects(new Error('InvalidCiphertextException'));
  });

  it('seals under a KMS data key bound to the user, and opens with Decrypt of the stored blob', async () => {
    const wrapper = kmsKeyWrapper(keyArn, new KMSClient({}));
    const sealed = await sealSecret(wrapper, 'alice', GOOD_KEY);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0].args[0].input).toEqual({
      KeyId: keyArn,
      KeySpec: 'AES_256',
      EncryptionContext: { userId: 'alice' },
    });
    expect(sealed).toMatchObject({ wrappedBy: `kms:${keyArn}`, wrappedKey: blob.toString('base64') });

    expect(await openSecret(wrapper, 'alice', sealed)).toBe(GOOD_KEY);
    const decrypt = kms.commandCalls(DecryptCommand)[0].args[0].input;
    expect(Buffer.from(decrypt.CiphertextBlob!)).toEqual(blob);
    expect(decrypt).toMatchObject({ KeyId: keyArn, EncryptionContext: { userId: 'alice' } });

    await expect(openSecret(wrapper, 'mallory', sealed)).rejects.toThrow('InvalidCiphertextException');
  });
});

describe('the creator key routes and the LLM layer', () => {
  let gemini: FakeGemini;
  let dir: string;
  let stored: Record<string, unknown> | undefined;

  beforeAll(async () => {
    gemini = await startFakeGemini();
    dir = mkdtempSync(join(tmpdir(), 'crescendo-aikey-'));
    writeFileSync(join(dir, 'wrap.key'), randomBytes(32));
    vi.stubEnv('AI_KEY_LOCAL_KEY_FILE', join(dir, 'wrap.key'));
    vi.stubEnv('GOOGLE_GEMINI_BASE_URL', gemini.baseUrl);
    vi.stubEnv('GEMINI_API_KEY', '');
    vi.stubEnv('LLM_MODELS', '');
    vi.stubEnv('LLM_RETRY_BASE_MS', '1');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await gemini.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    gemini.reset();
    ddb.reset();
    stored = undefined;
    ddb.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
      stored = input.Item;
      return {};
    });
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: keys.aiKey('user-1') }).callsFake(() => ({ Item: stored }));
  });

  it('PUT checks the key with one metadata request, then stores it sealed and answers its last 4 only', async () => {
    const res = await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: GOOD_KEY } }));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ last4: 'WXYZ', addedAt: expect.any(String) });
    expect(gemini.metadataRequests).toHaveLength(1);
    expect(gemini.metadataRequests[0]).toMatchObject({ model: 'gemini-2.5-flash', headers: { 'x-goog-api-key': GOOD_KEY } });
    expect(gemini.requests).toHaveLength(0);
    expect(stored).toMatchObject({ ...keys.aiKey('user-1'), last4: 'WXYZ', sealed: { wrappedBy: 'local' } });
    expect(JSON.stringify(stored)).not.toContain(GOOD_KEY);
    expect(JSON.stringify(res.body)).not.toContain(GOOD_KEY);
  });

  it('PUT answers 422 AI_KEY_INVALID for a key Gemini refuses, storing nothing', async () => {
    gemini.rejectKey(BAD_KEY);
    const res = await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: BAD_KEY } }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('AI_KEY_INVALID');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('PUT answers 503 AI_KEY_UNVERIFIED when Gemini cannot be reached, storing nothing', async () => {
    vi.stubEnv('GOOGLE_GEMINI_BASE_URL', 'http://127.0.0.1:9');
    try {
      const res = await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: GOOD_KEY } }));
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('AI_KEY_UNVERIFIED');
    } finally {
      vi.stubEnv('GOOGLE_GEMINI_BASE_URL', gemini.baseUrl);
    }
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('PUT rejects a malformed body with 400 before any request to Gemini', async () => {
    const res = await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: 'short' } }));
    expect(res.status).toBe(400);
    expect(gemini.metadataRequests).toHaveLength(0);
  });

  it('GET shows last 4 and dates, never the sealed key; 404 AI_KEY_NOT_FOUND without one; DELETE is 204', async () => {
    expect((await call(getKey, apiEvent({ path: '/account/ai-key' }))).body.error.code).toBe('AI_KEY_NOT_FOUND');
    await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: GOOD_KEY } }));
    const res = await call(getKey, apiEvent({ path: '/account/ai-key' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ last4: 'WXYZ', addedAt: stored!.addedAt });
    ddb.on(DeleteCommand).resolves({});
    expect((await call(deleteKey, apiEvent({ method: 'DELETE', path: '/account/ai-key' }))).status).toBe(204);
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input.Key).toEqual(keys.aiKey('user-1'));
  });

  const echo: AgentSpec<{ topic: string }, { answer: string }> = {
    name: 'echo',
    schema: z.object({ answer: z.string() }),
    system: 'Answer.',
    prompt: ({ topic }) => topic,
    offline: ({ topic }) => ({ answer: `offline ${topic}` }),
  };

  it("runs a creator's agent calls on their own key, records the key source and the use", async () => {
    await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: GOOD_KEY } }));
    ddb.on(UpdateCommand).resolves({});
    gemini.script('gemini-2.5-flash', jsonReply({ answer: 'from gemini' }, { promptTokenCount: 40, candidatesTokenCount: 8 }));

    const result = await runAgent(echo, { topic: 't' }, { seed: 's', userId: 'user-1' });
    expect(result).toMatchObject({ output: { answer: 'from gemini' }, model: 'gemini-2.5-flash', keySource: 'creator' });
    expect(gemini.requests[0].headers['x-goog-api-key']).toBe(GOOD_KEY);
    const touch = ddb.commandCalls(UpdateCommand)[0].args[0].input;
    expect(touch).toMatchObject({
      Key: keys.aiKey('user-1'),
      UpdateExpression: 'SET lastUsedAt = :at',
      ExpressionAttributeValues: { ':addedAt': stored!.addedAt },
    });

    // Metered apart, at no cost to the platform's budget.
    expect(llmUsage(result)).toMatchObject({
      llmCalls: 0,
      tokensIn: 0,
      costMicroUsd: 0,
      byokLlmCalls: 1,
      byokTokensIn: 40,
      byokTokensOut: 8,
    });

    // Another creator (no key stored) stays on the platform's chain: offline here, nothing sent.
    const other = await runAgent(echo, { topic: 't' }, { seed: 's', userId: 'user-2' });
    expect(other).toMatchObject({ model: 'offline' });
    expect(other.keySource).toBeUndefined();
    expect(gemini.requests).toHaveLength(1);
  });

  it('a deleted key takes effect at the next call, despite the cached decryption', async () => {
    await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: GOOD_KEY } }));
    ddb.on(UpdateCommand).resolves({});
    gemini.script('gemini-2.5-flash', jsonReply({ answer: 'a' }));
    expect((await runAgent(echo, { topic: 't' }, { seed: 's', userId: 'user-1' })).keySource).toBe('creator');
    stored = undefined;
    const after = await runAgent(echo, { topic: 't' }, { seed: 's', userId: 'user-1' });
    expect(after.model).toBe('offline');
    expect(gemini.requests).toHaveLength(1);
  });

  it("a sealed key copied into another creator's item is not used", async () => {
    await call(putKey, apiEvent({ method: 'PUT', path: '/account/ai-key', body: { apiKey: GOOD_KEY } }));
    ddb.on(GetCommand, { Key: keys.aiKey('mallory') }).resolves({ Item: { ...stored, ...keys.aiKey('mallory') } });
    await expect(runAgent(echo, { topic: 't' }, { seed: 's', userId: 'mallory' })).rejects.toThrow();
    expect(gemini.requests).toHaveLength(0);
  });
});

describe('BYOK in quotas, chains and the export', () => {
  const now = new Date('2026-05-10T12:00:00Z');
  const spent = { ...monthlyUsageOf(undefined), costMicroUsd: 10_000_000_000 };

  it('never refuses a creator with their own key for the LLM budget, and still checks every other limit', () => {
    expect(() =>
      checkQuotas({ tier: 'free', usage: spent, activeCampaigns: 0, webhooks: 0, apiKeys: 0, now }, { costMicroUsd: 1 }),
    ).toThrow(/llmBudgetMicroUsd/);
    expect(() =>
      checkQuotas({ tier: 'free', usage: spent, activeCampaigns: 0, webhooks: 0, apiKeys: 0, ownAiKey: true, now }, { costMicroUsd: 1 }),
    ).not.toThrow();
    expect(() =>
      checkQuotas(
        { tier: 'free', usage: { ...spent, regenerations: 1000 }, activeCampaigns: 0, webhooks: 0, apiKeys: 0, ownAiKey: true, now },
        { regenerations: 1 },
      ),
    ).toThrow(/regenerations/);
  });

  it("puts creators' keys on Gemini even when the platform runs offline", () => {
    expect(creatorModels(undefined)).toEqual(['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'offline']);
    expect(creatorModels(['offline'])).toEqual(['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'offline']);
    expect(creatorModels(['gemini-2.5-flash-lite', 'offline'])).toEqual(['gemini-2.5-flash-lite', 'offline']);
  });

  it('exports the key item without its sealed key', () => {
    const item = { ...keys.aiKey('u'), last4: 'WXYZ', addedAt: '2026-01-01T00:00:00.000Z', sealed: { ciphertext: 'x' } };
    expect(withoutSealedKey(item)).toEqual({ ...keys.aiKey('u'), last4: 'WXYZ', addedAt: '2026-01-01T00:00:00.000Z' });
    const other = { ...keys.profile('u'), sealed: 'a field of the profile' };
    expect(withoutSealedKey(other)).toBe(other);
  });
});
