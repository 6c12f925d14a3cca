/**
 * SecretSealer of the local stack and the tests: AES-256-GCM under a 32-byte key from the environment
 * (SEALING_KEY, base64), the context as associated data. Output: `v1.local.<base64url(iv | ciphertext |
 * tag)>`, a fresh 12-byte IV per seal. The key never leaves the process; KMS plays this role in AWS.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretSealer } from '../domain/ports.js';
import { SealedSecretError, sealingContextBytes } from './sealed-secret.js';

export const LOCAL_SEALED_PREFIX = 'v1.local.';
export const SEALING_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

/** 32 random bytes in base64: a new SEALING_KEY. */
export function generateSealingKey(): string {
  return randomBytes(SEALING_KEY_BYTES).toString('base64');
}

export class LocalKeySealer implements SecretSealer {
  readonly kind = 'local' as const;
  private readonly key: Buffer;

  /** `key`: 32 bytes, or their base64 (SEALING_KEY). */
  constructor(key: Buffer | string) {
    const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key);
    if (bytes.length !== SEALING_KEY_BYTES) {
      throw new RangeError(`a local sealing key has ${SEALING_KEY_BYTES} bytes (got ${bytes.length})`);
    }
    this.key = bytes;
  }

  async seal(plaintext: string, context: Record<string, string>): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.key, iv);
    cipher.setAAD(sealingContextBytes(LOCAL_SEALED_PREFIX, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${LOCAL_SEALED_PREFIX}${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  async unseal(sealed: string, context: Record<string, string>): Promise<string> {
    if (!sealed.startsWith(LOCAL_SEALED_PREFIX)) {
      throw new SealedSecretError(
        `not a secret sealed by the local sealer (expected "${LOCAL_SEALED_PREFIX}…")`,
      );
    }
    const blob = Buffer.from(sealed.slice(LOCAL_SEALED_PREFIX.length), 'base64url');
    if (blob.length < IV_BYTES + TAG_BYTES) throw new SealedSecretError('the sealed secret is truncated');
    const decipher = createDecipheriv(CIPHER, this.key, blob.subarray(0, IV_BYTES));
    decipher.setAAD(sealingContextBytes(LOCAL_SEALED_PREFIX, context));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(blob.subarray(IV_BYTES, blob.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new SealedSecretError(
        'the sealed secret could not be opened: wrong key or context, or it was altered',
        { cause: error },
      );
    }
  }
}
