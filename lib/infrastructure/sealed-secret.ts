/** What the SecretSealer adapters share: their error and the canonical bytes of a sealing context. */

/** A sealed secret could not be opened (wrong key or context, altered, or not ours). Never holds the secret. */
export class SealedSecretError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SealedSecretError';
  }
}

/** `prefix` then the context as JSON with sorted keys: the same context always gives the same bytes. */
export function sealingContextBytes(prefix: string, context: Record<string, string>): Buffer {
  const entries = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  return Buffer.from(`${prefix}${JSON.stringify(entries)}`, 'utf8');
}
