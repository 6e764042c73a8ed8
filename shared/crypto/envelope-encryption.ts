import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KMSClient } from '@aws-sdk/client-kms';
import { readConfig } from '../core/config';

/**
 * Envelope encryption of a creator's secret (their own Gemini key, shared/app/creator-ai-key.ts).
 * Every secret gets its own 256-bit data key; the secret is sealed with AES-256-GCM under it
 * (random 12-byte IV, 16-byte tag) with the owner's user id as additional authenticated data, and
 * the data key is stored beside the ciphertext only in wrapped form. Who wraps the data key is
 * configuration, not code in a handler:
 * - AI_KEY_KMS_KEY_ARN (cloud): KMS GenerateDataKey / Decrypt on that customer-managed key, with
 *   the user id as encryption context as well;
 * - AI_KEY_LOCAL_KEY_FILE (local stack): a 32-byte key file in the data folder wraps the data key
 *   with AES-256-GCM (same AAD), so the same code path runs without KMS.
 * A ciphertext copied under another user fails to open: its AAD (and KMS context) name the owner.
 */

export interface Sealed {
  /** `kms:<key arn>` or `local`: which wrapper can unwrap `wrappedKey`. */
  wrappedBy: string;
  wrappedKey: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

export interface DataKey {
  plaintext: Buffer;
  wrapped: Buffer;
}

export interface KeyWrapper {
  readonly id: string;
  generateDataKey(owner: string): Promise<DataKey>;
  unwrap(wrapped: Buffer, owner: string): Promise<Buffer>;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** AES-256-GCM with `aad` bound: [iv, ciphertext, tag]. */
export function aesGcmSeal(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES }).setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Throws when the ciphertext, the tag, the IV or the AAD differ from what was sealed. */
export function aesGcmOpen(key: Buffer, sealed: { iv: Buffer; ciphertext: Buffer; tag: Buffer }, aad: string): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw new Error('Sealed data has a malformed IV or tag');
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES })
    .setAAD(Buffer.from(aad, 'utf8'))
    .setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

const ownerAad = (owner: string) => `crescendo:user:${owner}`;

/** Wraps data keys with a 32-byte master key (the local stack's key file). */
export function localKeyWrapper(masterKey: Buffer): KeyWrapper {
  if (masterKey.length !== KEY_BYTES) throw new Error(`The local key-wrapping key must be ${KEY_BYTES} bytes, not ${masterKey.length}`);
  return {
    id: 'local',
    async generateDataKey(owner) {
      const plaintext = randomBytes(KEY_BYTES);
      const { iv, ciphertext, tag } = aesGcmSeal(masterKey, plaintext, ownerAad(owner));
      return { plaintext, wrapped: Buffer.concat([iv, ciphertext, tag]) };
    },
    async unwrap(wrapped, owner) {
      const sealed = {
        iv: wrapped.subarray(0, IV_BYTES),
        ciphertext: wrapped.subarray(IV_BYTES, -TAG_BYTES),
        tag: wrapped.subarray(-TAG_BYTES),
      };
      return aesGcmOpen(masterKey, sealed, ownerAad(owner));
    },
  };
}

/**
 * KMS data keys under one customer-managed key; the owner is the encryption context. The KMS SDK is
 * imported at the first seal or open (a lazy chunk): most requests of the functions that may open a
 * creator's key find none.
 */
export function kmsKeyWrapper(keyArn: string, kms?: KMSClient): KeyWrapper {
  const context = (owner: string) => ({ userId: owner });
  const sdk = async () => {
    const module = await import('@aws-sdk/client-kms');
    kms ??= new module.KMSClient({});
    return { ...module, kms };
  };
  return {
    id: `kms:${keyArn}`,
    async generateDataKey(owner) {
      const { kms, GenerateDataKeyCommand } = await sdk();
      const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: context(owner) }));
      if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
      return { plaintext: Buffer.from(out.Plaintext), wrapped: Buffer.from(out.CiphertextBlob) };
    },
    async unwrap(wrapped, owner) {
      const { kms, DecryptCommand } = await sdk();
      const out = await kms.send(new DecryptCommand({ KeyId: keyArn, CiphertextBlob: wrapped, EncryptionContext: context(owner) }));
      if (!out.Plaintext) throw new Error('KMS Decrypt returned no key');
      return Buffer.from(out.Plaintext);
    },
  };
}

let configured: KeyWrapper | undefined;

/** The wrapper this container's configuration names (read once): the KMS key when set, else the local key file. */
export function configuredKeyWrapper(): KeyWrapper {
  if (configured) return configured;
  const { AI_KEY_KMS_KEY_ARN, AI_KEY_LOCAL_KEY_FILE } = readConfig(['AI_KEY_KMS_KEY_ARN', 'AI_KEY_LOCAL_KEY_FILE']);
  if (AI_KEY_KMS_KEY_ARN) configured = kmsKeyWrapper(AI_KEY_KMS_KEY_ARN);
  else if (AI_KEY_LOCAL_KEY_FILE) configured = localKeyWrapper(readFileSync(AI_KEY_LOCAL_KEY_FILE));
  else throw new Error('No key wrapping configured: set AI_KEY_KMS_KEY_ARN (cloud) or AI_KEY_LOCAL_KEY_FILE (local)');
  return configured;
}

const b64 = (bytes: Buffer) => bytes.toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64');

/** Seals `secret` for `owner` under a fresh data key. */
export async function sealSecret(wrapper: KeyWrapper, owner: string, secret: string): Promise<Sealed> {
  const dataKey = await wrapper.generateDataKey(owner);
  try {
    const { iv, ciphertext, tag } = aesGcmSeal(dataKey.plaintext, Buffer.from(secret, 'utf8'), ownerAad(owner));
    return { wrappedBy: wrapper.id, wrappedKey: b64(dataKey.wrapped), iv: b64(iv), ciphertext: b64(ciphertext), tag: b64(tag) };
  } finally {
    dataKey.plaintext.fill(0);
  }
}

/** Opens what sealSecret sealed for the same owner; throws on any tampering or another owner. */
export async function openSecret(wrapper: KeyWrapper, owner: string, sealed: Sealed): Promise<string> {
  if (sealed.wrappedBy !== wrapper.id)
    throw new Error(`The secret was wrapped by ${sealed.wrappedBy.split(':')[0]}, not by this container's key wrapper`);
  const dataKey = await wrapper.unwrap(unb64(sealed.wrappedKey), owner);
  try {
    return aesGcmOpen(
      dataKey,
      { iv: unb64(sealed.iv), ciphertext: unb64(sealed.ciphertext), tag: unb64(sealed.tag) },
      ownerAad(owner),
    ).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}
