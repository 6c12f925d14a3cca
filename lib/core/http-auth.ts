/**
 * API-key authentication: keys are configured as SHA-256 digests (API_KEYS, platform
 * contract) and never held in clear; a presented key is hashed and looked up, and its owner becomes the
 * tenant every service call is scoped to.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry } from './config.js';

export interface Principal {
  /** The tenant: every job and configuration belongs to exactly one owner. */
  readonly owner: string;
}

export type Authenticator = (apiKey: string) => Principal | undefined;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Resolves a presented key to its owner by SHA-256 digest; unknown keys resolve to undefined. */
export function createApiKeyAuthenticator(
  entries: readonly Pick<ApiKeyEntry, 'owner' | 'sha256'>[],
): Authenticator {
  const byDigest = new Map<string, { owner: string; digest: Buffer }>();
  for (const entry of entries) {
    const hex = entry.sha256.toLowerCase();
    byDigest.set(hex, { owner: entry.owner, digest: Buffer.from(hex, 'hex') });
  }
  return (apiKey) => {
    const hex = sha256Hex(apiKey);
    const found = byDigest.get(hex);
    // The map lookup is on the digest, not the key; the constant-time compare is belt and braces.
    if (!found || !timingSafeEqual(found.digest, Buffer.from(hex, 'hex'))) return undefined;
    return { owner: found.owner };
  };
}
