/**
 * What every version of the encrypted file format (MMPG) shares: the magic, the password-based key
 * (PBKDF2-HMAC-SHA256, 600,000 iterations, 32 bytes, random 16-byte salt per file), AES-256-GCM's
 * nonce and tag sizes, and the two errors. The layouts themselves: version 2 (written) in
 * crypto-segments.ts, version 1 (read only) in crypto-stream.ts; both in the README's "Encrypted files".
 */
import { pbkdf2 } from 'node:crypto';

export const ENCRYPTION_MAGIC = Buffer.from('MMPG', 'ascii');
/** The version written by createEncryptStream. */
export const ENCRYPTION_VERSION = 0x02;
/** Every version createDecryptStream reads. */
export const READABLE_ENCRYPTION_VERSIONS: readonly number[] = [0x01, 0x02];
export const PBKDF2_ITERATIONS = 600_000;
export const PBKDF2_DIGEST = 'sha256';
export const KEY_BYTES = 32;
export const SALT_BYTES = 16;
/** AES-GCM nonce length (v1: random per file; v2: prefix + segment index + last flag). */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const ENCRYPTED_EXTENSION = '.enc';
export const ENCRYPTED_CONTENT_TYPE = 'application/octet-stream';
export const CIPHER = 'aes-256-gcm';

/** Decryption failed: wrong password, or the file was altered, truncated or extended. */
export class DecryptionError extends Error {
  readonly code: string = 'DECRYPTION_FAILED';
  constructor(message = 'decryption failed: wrong password or corrupted file', options?: ErrorOptions) {
    super(message, options);
    this.name = 'DecryptionError';
  }
}

/** The input is not an encrypted file of a format version this code reads (bad magic, version, length). */
export class EncryptedFileFormatError extends DecryptionError {
  override readonly code = 'INVALID_ENCRYPTED_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'EncryptedFileFormatError';
  }
}

export function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0) {
    throw new TypeError('an encryption password is required (a non-empty string)');
  }
}

/** PBKDF2-HMAC-SHA256 of the password's UTF-8 bytes, 600,000 iterations, 32 bytes (libuv thread pool). */
export function deriveKey(password: string, salt: Buffer): Promise<Buffer> {
  checkPassword(password);
  return new Promise((resolve, reject) =>
    pbkdf2(Buffer.from(password, 'utf8'), salt, PBKDF2_ITERATIONS, KEY_BYTES, PBKDF2_DIGEST, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * Checks the first bytes of a file (any prefix, even shorter than the magic) and returns the format
 * version once the byte after the magic is known, else undefined.
 */
export function readEncryptedFileVersion(head: Buffer): number | undefined {
  const magicBytes = Math.min(head.length, ENCRYPTION_MAGIC.length);
  if (!head.subarray(0, magicBytes).equals(ENCRYPTION_MAGIC.subarray(0, magicBytes))) {
    throw new EncryptedFileFormatError(
      'not an encrypted file of this generator (the file does not start with "MMPG")',
    );
  }
  if (head.length <= ENCRYPTION_MAGIC.length) return undefined;
  const version = head[ENCRYPTION_MAGIC.length];
  if (!READABLE_ENCRYPTION_VERSIONS.includes(version)) {
    throw new EncryptedFileFormatError(
      `unsupported encrypted file version ${version} (this version reads ${READABLE_ENCRYPTION_VERSIONS.join(' and ')})`,
    );
  }
  return version;
}
