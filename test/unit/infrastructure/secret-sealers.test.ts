/**
 * The SecretSealer adapters without AWS: LocalKeySealer end to end, createSealer's choice and its
 * config errors, and KmsSealer only as far as it goes without the network (no KMS emulator, no SDK mock).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/core/index.js';
import {
  createSealer,
  generateSealingKey,
  KmsSealer,
  LOCAL_SEALED_PREFIX,
  LocalKeySealer,
  SealedSecretError,
} from '../../../lib/infrastructure/index.js';

const PASSWORD = 'correct horse battery staple';
const CONTEXT = { job_id: 'job-1' };

/** Flips one bit of the base64url body of a sealed value. */
function tamper(sealed: string, at: number): string {
  const body = Buffer.from(sealed.slice(LOCAL_SEALED_PREFIX.length), 'base64url');
  body[at] ^= 0x01;
  return `${LOCAL_SEALED_PREFIX}${body.toString('base64url')}`;
}

describe('LocalKeySealer', () => {
  it('round-trips a password under the same key and context, with a fresh IV each time', async () => {
    // Prepare
    const sealer = new LocalKeySealer(generateSealingKey());
    // Act
    const first = await sealer.seal(PASSWORD, CONTEXT);
    const second = await sealer.seal(PASSWORD, CONTEXT);
    // Assert
    expect(sealer.kind).toBe('local');
    expect(first).toMatch(/^v1\.local\.[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(await sealer.unseal(first, CONTEXT)).toBe(PASSWORD);
    expect(await sealer.unseal(second, { ...CONTEXT })).toBe(PASSWORD);
    expect(await sealer.unseal(await sealer.seal('pässwörd ✓', CONTEXT), CONTEXT)).toBe('pässwörd ✓');
  });

  it('holds no plaintext: neither the password nor its base64 appears in the sealed value', async () => {
    // Prepare
    const sealer = new LocalKeySealer(generateSealingKey());
    // Act
    const sealed = await sealer.seal(PASSWORD, CONTEXT);
    // Assert
    const body = Buffer.from(sealed.slice(LOCAL_SEALED_PREFIX.length), 'base64url');
    expect(sealed).not.toContain(PASSWORD);
    expect(sealed).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(sealed).not.toContain(Buffer.from(PASSWORD).toString('base64url'));
    expect(body.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(body.length).toBe(12 + Buffer.byteLength(PASSWORD) + 16);
  });

  it('refuses another context, another key, a tampered or truncated value, and foreign formats', async () => {
    // Prepare
    const sealer = new LocalKeySealer(generateSealingKey());
    const sealed = await sealer.seal(PASSWORD, CONTEXT);
    const attempts = [
      sealer.unseal(sealed, { job_id: 'job-2' }),
      sealer.unseal(sealed, { ...CONTEXT, extra: 'x' }),
      sealer.unseal(sealed, {}),
      new LocalKeySealer(generateSealingKey()).unseal(sealed, CONTEXT),
      sealer.unseal(tamper(sealed, 0), CONTEXT), // IV
      sealer.unseal(tamper(sealed, 14), CONTEXT), // ciphertext
      sealer.unseal(tamper(sealed, 12 + Buffer.byteLength(PASSWORD) + 3), CONTEXT), // tag
      sealer.unseal(sealed.slice(0, -4), CONTEXT),
      sealer.unseal(`${LOCAL_SEALED_PREFIX}AAAA`, CONTEXT),
      sealer.unseal(`v1.kms.${sealed.slice(LOCAL_SEALED_PREFIX.length)}`, CONTEXT),
    ];
    // Act
    const results = await Promise.allSettled(attempts);
    // Assert
    for (const [i, result] of results.entries()) {
      expect(result.status, `attempt ${i}`).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as Error;
      expect(reason, `attempt ${i}`).toBeInstanceOf(SealedSecretError);
      expect(reason.message).not.toContain(PASSWORD);
    }
  });

  it('binds the context whatever the order of its keys', async () => {
    // Prepare
    const sealer = new LocalKeySealer(generateSealingKey());
    // Act
    const sealed = await sealer.seal(PASSWORD, { a: '1', b: '2' });
    // Assert
    expect(await sealer.unseal(sealed, { b: '2', a: '1' })).toBe(PASSWORD);
  });

  it('takes exactly 32 bytes of key, raw or base64', () => {
    expect(() => new LocalKeySealer(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(() => new LocalKeySealer(Buffer.alloc(32).toString('base64'))).not.toThrow();
    expect(Buffer.from(generateSealingKey(), 'base64')).toHaveLength(32);
  });
});

describe('createSealer', () => {
  it('chooses KMS when SEALING_KEY_ID is set, else the local key', () => {
    const key = generateSealingKey();
    const kms = createSealer({ SEALING_KEY_ID: 'alias/milmed-dev-job-secrets', SEALING_KEY: key });
    expect(kms).toBeInstanceOf(KmsSealer);
    expect(kms.kind).toBe('kms');
    expect((kms as KmsSealer).keyId).toBe('alias/milmed-dev-job-secrets');
    const local = createSealer({ SEALING_KEY: key, SEALING_KEY_ID: '' });
    expect(local).toBeInstanceOf(LocalKeySealer);
    expect(local.kind).toBe('local');
  });

  it('stops with one ConfigError naming the variables when neither is set, or the key is not 32 bytes', () => {
    const missing = () => createSealer({});
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/SEALING_KEY_ID \/ SEALING_KEY: is missing/);
    for (const bad of [
      Buffer.alloc(31).toString('base64'),
      Buffer.alloc(33).toString('base64'),
      'not base64 at all!',
    ]) {
      const error = (() => {
        try {
          createSealer({ SEALING_KEY: bad });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error?.message).toMatch(/SEALING_KEY: must be 32 bytes in base64/);
      expect(error?.message).not.toContain(bad);
    }
  });
});

describe('KmsSealer (no network)', () => {
  it('refuses an empty key id, and a value it did not seal before calling KMS', async () => {
    expect(() => new KmsSealer('  ')).toThrow(/key id/);
    const sealer = new KmsSealer(
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    expect(sealer.kind).toBe('kms');
    await expect(sealer.unseal('v1.local.AAAA', CONTEXT)).rejects.toBeInstanceOf(SealedSecretError);
  });
});
