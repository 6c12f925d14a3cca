/**
 * The sealer of a function, chosen from its environment at cold start (memory/decisions/0105):
 * SEALING_KEY_ID → KMS (AWS), else SEALING_KEY → local AES-256-GCM key (local stack, tests). Only the
 * functions that seal or unseal build one, so only they require either variable.
 */
import { ConfigError, loadConfig, SealingEnvSchema } from '../core/index.js';
import type { SecretSealer } from '../domain/ports.js';
import { KmsSealer, type KmsSealerOptions } from './kms-sealer.js';
import { LocalKeySealer } from './local-key-sealer.js';

export interface SealerSource {
  readonly SEALING_KEY_ID?: string | undefined;
  readonly SEALING_KEY?: string | undefined;
}

/** Throws one ConfigError when a variable is bad or neither is set; values are never echoed. */
export function createSealer(env: SealerSource = process.env, options: KmsSealerOptions = {}): SecretSealer {
  const config = loadConfig(SealingEnvSchema, {
    SEALING_KEY_ID: env.SEALING_KEY_ID,
    SEALING_KEY: env.SEALING_KEY,
  });
  if (config.SEALING_KEY_ID) return new KmsSealer(config.SEALING_KEY_ID, options);
  if (config.SEALING_KEY) return new LocalKeySealer(config.SEALING_KEY);
  throw new ConfigError([
    'SEALING_KEY_ID / SEALING_KEY: is missing (set SEALING_KEY_ID to a KMS key, or SEALING_KEY to 32 random bytes in base64, to seal job encryption passwords)',
  ]);
}
