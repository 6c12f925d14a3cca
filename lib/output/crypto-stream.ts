/**
 * Real encryption of output files: AES-256-GCM with a key from PBKDF2-HMAC-SHA256, streaming both
 * ways (memory stays flat whatever the file size). Byte layout (version 1):
 *
 *   offset  size  field
 *   0       4     magic "MMPG" (0x4D 0x4D 0x50 0x47)
 *   4       1     format version, 0x01
 *   5       16    PBKDF2 salt (random per file)
 *   21      12    AES-GCM IV / nonce (random per file)
 *   33      n     ciphertext (n = plaintext length; GCM is a stream mode, no padding)
 *   33+n    16    GCM authentication tag
 *
 * key = PBKDF2-HMAC-SHA256(password as UTF-8 bytes, salt, 600,000 iterations, 32 bytes).
 * No associated data. The tag sits at the end so that encryption can stream; decryption streams too,
 * holding back the last 16 bytes as the tag, and fails at the end if the tag does not match.
 */
import {
  type CipherGCM,
  createCipheriv,
  createDecipheriv,
  type DecipherGCM,
  pbkdf2,
  randomBytes,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const ENCRYPTION_MAGIC = Buffer.from('MMPG', 'ascii');
export const ENCRYPTION_VERSION = 0x01;
export const PBKDF2_ITERATIONS = 600_000;
export const PBKDF2_DIGEST = 'sha256';
export const KEY_BYTES = 32;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
/** magic + version + salt + IV. */
export const HEADER_BYTES = ENCRYPTION_MAGIC.length + 1 + SALT_BYTES + IV_BYTES;
export const ENCRYPTED_EXTENSION = '.enc';
export const ENCRYPTED_CONTENT_TYPE = 'application/octet-stream';
const CIPHER = 'aes-256-gcm';

/** Decryption failed: wrong password, or the file was altered or truncated. */
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

function checkPassword(password: string): void {
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

class EncryptTransform extends Transform {
  private cipher: CipherGCM | undefined;
  private header: Buffer | undefined;
  private readonly ready: Promise<void>;

  constructor(password: string) {
    super();
    checkPassword(password);
    const salt = randomBytes(SALT_BYTES);
    const iv = randomBytes(IV_BYTES);
    this.header = Buffer.concat([ENCRYPTION_MAGIC, Buffer.of(ENCRYPTION_VERSION), salt, iv]);
    this.ready = deriveKey(password, salt).then((key) => {
      this.cipher = createCipheriv(CIPHER, key, iv);
    });
    this.ready.catch(() => {}); // reported through the stream callbacks
  }

  private emitHeader(): void {
    if (this.header) {
      this.push(this.header);
      this.header = undefined;
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const run = () => {
      this.emitHeader();
      const out = this.cipher!.update(chunk);
      if (out.length > 0) this.push(out);
      callback();
    };
    if (this.cipher) run();
    else this.ready.then(run, callback);
  }

  override _flush(callback: TransformCallback): void {
    this.ready.then(() => {
      this.emitHeader();
      const rest = this.cipher!.final();
      if (rest.length > 0) this.push(rest);
      this.push(this.cipher!.getAuthTag());
      callback();
    }, callback);
  }
}

class DecryptTransform extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private decipher: DecipherGCM | undefined;
  /** The last TAG_BYTES bytes seen so far: the tag, if the input ends here. */
  private tail = Buffer.alloc(0);

  constructor(private readonly password: string) {
    super();
    checkPassword(password);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.decipher) {
      this.feed(chunk);
      callback();
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    const head = Buffer.concat(this.head, this.headLength);
    try {
      checkHeaderStart(head);
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (head.length < HEADER_BYTES) {
      callback();
      return;
    }
    this.head = [];
    const salt = head.subarray(5, 5 + SALT_BYTES);
    const iv = head.subarray(5 + SALT_BYTES, HEADER_BYTES);
    deriveKey(this.password, Buffer.from(salt)).then((key) => {
      this.decipher = createDecipheriv(CIPHER, key, Buffer.from(iv));
      this.feed(head.subarray(HEADER_BYTES));
      callback();
    }, callback);
  }

  /** Decrypts all but the last TAG_BYTES bytes seen so far. */
  private feed(data: Buffer): void {
    if (data.length === 0) return;
    let body: Buffer;
    if (data.length >= TAG_BYTES) {
      const head = this.tail.length > 0 ? this.decipher!.update(this.tail) : undefined;
      if (head && head.length > 0) this.push(head);
      body = data.subarray(0, data.length - TAG_BYTES);
      this.tail = Buffer.from(data.subarray(data.length - TAG_BYTES));
    } else {
      const joined = Buffer.concat([this.tail, data]);
      const keep = Math.min(TAG_BYTES, joined.length);
      body = joined.subarray(0, joined.length - keep);
      this.tail = Buffer.from(joined.subarray(joined.length - keep));
    }
    if (body.length > 0) {
      const out = this.decipher!.update(body);
      if (out.length > 0) this.push(out);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (!this.decipher || this.tail.length < TAG_BYTES) {
      callback(
        new EncryptedFileFormatError(
          `not a complete encrypted file: an encrypted file has at least ${HEADER_BYTES + TAG_BYTES} bytes`,
        ),
      );
      return;
    }
    try {
      this.decipher.setAuthTag(this.tail);
      const rest = this.decipher.final();
      if (rest.length > 0) this.push(rest);
      callback();
    } catch (error) {
      callback(new DecryptionError(undefined, { cause: error }));
    }
  }
}

function checkHeaderStart(head: Buffer): void {
  const magicBytes = Math.min(head.length, ENCRYPTION_MAGIC.length);
  if (!head.subarray(0, magicBytes).equals(ENCRYPTION_MAGIC.subarray(0, magicBytes))) {
    throw new EncryptedFileFormatError(
      'not an encrypted file of this generator (the file does not start with "MMPG")',
    );
  }
  if (head.length > ENCRYPTION_MAGIC.length && head[ENCRYPTION_MAGIC.length] !== ENCRYPTION_VERSION) {
    throw new EncryptedFileFormatError(
      `unsupported encrypted file version ${head[ENCRYPTION_MAGIC.length]} (this version reads ${ENCRYPTION_VERSION})`,
    );
  }
}

/** A Transform that encrypts its input (random salt and IV per stream). */
export function createEncryptStream(password: string): Transform {
  return new EncryptTransform(password);
}

/**
 * A Transform that decrypts a stream written by createEncryptStream. It emits plaintext before the
 * tag is checked (that is what streaming means): the output is trustworthy only if the stream ends
 * without error, so write it to a temporary file and rename it on success.
 * Errors: EncryptedFileFormatError (bad magic, version or length), DecryptionError (wrong password or
 * corrupted file; EncryptedFileFormatError is a DecryptionError too).
 */
export function createDecryptStream(password: string): Transform {
  return new DecryptTransform(password);
}

/** "patients.json.gz" → "patients.json.gz.enc" (compress first, then encrypt). */
export function encryptedFileName(fileName: string): string {
  return `${fileName}${ENCRYPTED_EXTENSION}`;
}

/** The byte layout and algorithm, as documentation for users and other implementations. */
export function describeEncryptionFormat(): string {
  return `Encrypted files (.enc), format version ${ENCRYPTION_VERSION}

  offset  size  field
  0       4     magic "MMPG" (hex 4D 4D 50 47)
  4       1     format version (0x01)
  5       ${SALT_BYTES}    PBKDF2 salt, random per file
  21      ${IV_BYTES}    AES-GCM nonce (IV), random per file
  33      n     ciphertext, same length as the plaintext
  33+n    ${TAG_BYTES}    GCM authentication tag

Cipher: AES-256-GCM, no associated data.
Key: PBKDF2-HMAC-SHA256(password as UTF-8 bytes, salt, ${PBKDF2_ITERATIONS.toLocaleString('en-US')} iterations, ${KEY_BYTES} bytes).
Compressed and encrypted files are compressed first: patients.json.gz.enc.
A wrong password and a modified or truncated file both fail the tag check at the end of the file.

Decrypting with the OpenSSL-based Python "cryptography" package, for example:
  data = open(path, "rb").read(); salt, iv = data[5:21], data[21:33]
  key = PBKDF2HMAC(hashes.SHA256(), 32, salt, 600000).derive(password.encode())
  plain = AESGCM(key).decrypt(iv, data[33:], None)   # ciphertext || tag
`;
}
