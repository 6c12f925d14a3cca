/**
 * SecretSealer in AWS: KMS Encrypt / Decrypt under SEALING_KEY_ID, the context as the KMS encryption
 * context (so IAM can require it and CloudTrail records it). Output: `v1.kms.<base64 ciphertext blob>`.
 * KMS takes at most 4096 bytes of plaintext: passwords are far shorter (the request schema caps them).
 *
 * The SDK client is loaded on first use: every HTTP function imports lib/infrastructure, and only the
 * one that creates jobs (and the worker) ever seals, so no other cold start pays for loading it.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { traced } from '../core/index.js';
import type { SecretSealer } from '../domain/ports.js';
import { SealedSecretError } from './sealed-secret.js';

export const KMS_SEALED_PREFIX = 'v1.kms.';

export interface KmsSealerOptions {
  /** Default: a new KMSClient with the SDK's default configuration (region, credentials, endpoint). */
  readonly client?: KMSClient;
}

type KmsSdk = typeof import('@aws-sdk/client-kms');

export class KmsSealer implements SecretSealer {
  readonly kind = 'kms' as const;
  private readonly givenClient: KMSClient | undefined;
  private loaded: Promise<{ readonly sdk: KmsSdk; readonly client: KMSClient }> | undefined;

  /** `keyId`: key id, key ARN, alias name or alias ARN of a symmetric KMS key. */
  constructor(
    readonly keyId: string,
    options: KmsSealerOptions = {},
  ) {
    if (!keyId.trim()) throw new RangeError('a KMS key id is required');
    this.givenClient = options.client;
  }

  private kms(): Promise<{ readonly sdk: KmsSdk; readonly client: KMSClient }> {
    this.loaded ??= import('@aws-sdk/client-kms').then((sdk) => ({
      sdk,
      client: this.givenClient ?? traced(new sdk.KMSClient({})),
    }));
    return this.loaded;
  }

  async seal(plaintext: string, context: Record<string, string>): Promise<string> {
    const { sdk, client } = await this.kms();
    const out = await client.send(
      new sdk.EncryptCommand({
        KeyId: this.keyId,
        Plaintext: Buffer.from(plaintext, 'utf8'),
        EncryptionContext: context,
      }),
    );
    if (!out.CiphertextBlob) throw new SealedSecretError('KMS Encrypt returned no ciphertext');
    return `${KMS_SEALED_PREFIX}${Buffer.from(out.CiphertextBlob).toString('base64')}`;
  }

  async unseal(sealed: string, context: Record<string, string>): Promise<string> {
    if (!sealed.startsWith(KMS_SEALED_PREFIX)) {
      throw new SealedSecretError(`not a secret sealed by KMS (expected "${KMS_SEALED_PREFIX}…")`);
    }
    const { sdk, client } = await this.kms();
    const out = await client.send(
      new sdk.DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(sealed.slice(KMS_SEALED_PREFIX.length), 'base64'),
        EncryptionContext: context,
      }),
    );
    if (!out.Plaintext) throw new SealedSecretError('KMS Decrypt returned no plaintext');
    return Buffer.from(out.Plaintext).toString('utf8');
  }
}
