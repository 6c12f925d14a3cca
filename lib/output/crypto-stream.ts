/**
 * Real encryption of output files, streaming both ways with flat memory. New files are MMPG
 * version 2 (segmented AES-256-GCM, layout in crypto-segments.ts and the README's "Encrypted files");
 * decryption reads version 2 and version 1, chosen by the version byte. Version 1 is read only:
 *
 *   offset  size  field
 *   0       4     magic "MMPG" (0x4D 0x4D 0x50 0x47)
 *   4       1     format version, 0x01
 *   5       16    PBKDF2 salt (random per file)
 *   21      12    AES-GCM IV / nonce (random per file)
 *   33      n     ciphertext (n = plaintext length; GCM is a stream mode, no padding)
 *   33+n    16    GCM authentication tag
 *
 * with the same PBKDF2 key and no associated data. A v1 file has one tag, at its end, so streaming
 * v1 decryption releases plaintext before it is verified; v2 releases each segment only once its tag
 * has verified. test/fixtures/encryption/v1-patients.ndjson.enc was written by the last v1 writer.
 */
import { createDecipheriv, type DecipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import {
  CIPHER,
  checkPassword,
  DecryptionError,
  deriveKey,
  ENCRYPTED_EXTENSION,
  ENCRYPTION_MAGIC,
  ENCRYPTION_VERSION,
  EncryptedFileFormatError,
  IV_BYTES,
  KEY_BYTES,
  PBKDF2_ITERATIONS,
  readEncryptedFileVersion,
  SALT_BYTES,
  TAG_BYTES,
} from './crypto-format.js';
import {
  checkSegmentSize,
  createFileKey,
  decryptSegment,
  HEADER_BYTES,
  NONCE_PREFIX_BYTES,
  openFileKey,
  SEGMENT_SIZE,
  type SegmentedFileKey,
  sealSegmentParts,
} from './crypto-segments.js';

/** magic + version + salt + IV of a version 1 file. */
export const V1_HEADER_BYTES = ENCRYPTION_MAGIC.length + 1 + SALT_BYTES + IV_BYTES;

/** Header bytes of a file of the given version. */
export function encryptedHeaderBytes(version: number): number {
  return version === 1 ? V1_HEADER_BYTES : HEADER_BYTES;
}

/** The shortest complete file of a version: its header and one tag. */
export function minimumEncryptedBytes(version: number): number {
  return encryptedHeaderBytes(version) + TAG_BYTES;
}

export interface EncryptStreamOptions {
  /** Plaintext bytes per segment (default SEGMENT_SIZE, 64 KiB). */
  readonly segmentSize?: number;
}

/**
 * Fills one segment at a time; a full segment is sealed only once a further byte arrives (until then
 * it may be the last), the held one is sealed as the last at the end.
 */
class EncryptTransform extends Transform {
  private fileKey: SegmentedFileKey | undefined;
  private readonly ready: Promise<void>;
  private pending: Buffer | undefined;
  private used = 0;
  private index = 0;

  constructor(password: string, options: EncryptStreamOptions) {
    super();
    checkPassword(password);
    checkSegmentSize(options.segmentSize ?? SEGMENT_SIZE);
    const keyReady = createFileKey(password, options);
    keyReady.catch(() => {}); // reported through the stream callbacks
    this.ready = keyReady.then((fileKey) => {
      this.fileKey = fileKey;
      this.pending = Buffer.allocUnsafe(fileKey.segmentSize);
      this.push(fileKey.header);
    });
    this.ready.catch(() => {});
  }

  private seal(plaintext: Buffer, last: boolean): void {
    const [body, tag] = sealSegmentParts(this.fileKey!, this.index++, plaintext, last);
    if (body.length > 0) this.push(body);
    this.push(tag);
  }

  private consume(chunk: Buffer): void {
    const size = this.fileKey!.segmentSize;
    let at = 0;
    while (at < chunk.length) {
      if (this.used === size) {
        this.seal(this.pending!, false);
        this.used = 0;
      }
      if (this.used === 0 && chunk.length - at > size) {
        // A whole segment with more bytes after it: seal it in place, no copy.
        this.seal(chunk.subarray(at, at + size), false);
        at += size;
        continue;
      }
      const n = Math.min(size - this.used, chunk.length - at);
      chunk.copy(this.pending!, this.used, at, at + n);
      this.used += n;
      at += n;
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const run = () => {
      try {
        this.consume(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    };
    if (this.fileKey) run();
    else this.ready.then(run, callback);
  }

  override _flush(callback: TransformCallback): void {
    this.ready.then(() => {
      try {
        this.seal(this.pending!.subarray(0, this.used), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    }, callback);
  }
}

/** The body of a file after its header: takes ciphertext, pushes plaintext. */
interface BodyReader {
  update(data: Buffer): void;
  final(): void;
}

/** Version 2: holds one sealed segment; releases its plaintext once its tag verifies. */
class SegmentedBody implements BodyReader {
  private readonly pending: Buffer;
  private used = 0;
  private index = 0;
  private readonly sealedSize: number;

  constructor(
    private readonly fileKey: SegmentedFileKey,
    private readonly push: (data: Buffer) => void,
  ) {
    this.sealedSize = fileKey.segmentSize + TAG_BYTES;
    this.pending = Buffer.allocUnsafe(this.sealedSize);
  }

  private open(sealed: Buffer, last: boolean): void {
    const plaintext = decryptSegment(this.fileKey, this.index++, sealed, last);
    if (plaintext.length > 0) this.push(plaintext);
  }

  update(data: Buffer): void {
    const size = this.sealedSize;
    let at = 0;
    while (at < data.length) {
      if (this.used === size) {
        this.open(this.pending, false);
        this.used = 0;
      }
      if (this.used === 0 && data.length - at > size) {
        this.open(data.subarray(at, at + size), false);
        at += size;
        continue;
      }
      const n = Math.min(size - this.used, data.length - at);
      data.copy(this.pending, this.used, at, at + n);
      this.used += n;
      at += n;
    }
  }

  final(): void {
    if (this.index === 0 && this.used < TAG_BYTES) {
      throw new EncryptedFileFormatError(
        `not a complete encrypted file: an encrypted file of version 2 has at least ${minimumEncryptedBytes(2)} bytes`,
      );
    }
    this.open(this.pending.subarray(0, this.used), true);
  }
}

/** Version 1: one GCM stream; the last TAG_BYTES bytes seen so far are held back as the tag. */
class V1Body implements BodyReader {
  private tail = Buffer.alloc(0);

  constructor(
    private readonly decipher: DecipherGCM,
    private readonly push: (data: Buffer) => void,
  ) {}

  update(data: Buffer): void {
    if (data.length === 0) return;
    let body: Buffer;
    if (data.length >= TAG_BYTES) {
      const head = this.tail.length > 0 ? this.decipher.update(this.tail) : undefined;
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
      const out = this.decipher.update(body);
      if (out.length > 0) this.push(out);
    }
  }

  final(): void {
    if (this.tail.length < TAG_BYTES) {
      throw new EncryptedFileFormatError(
        `not a complete encrypted file: an encrypted file of version 1 has at least ${minimumEncryptedBytes(1)} bytes`,
      );
    }
    try {
      this.decipher.setAuthTag(this.tail);
      const rest = this.decipher.final();
      if (rest.length > 0) this.push(rest);
    } catch (error) {
      throw new DecryptionError(undefined, { cause: error });
    }
  }
}

async function openV1(password: string, header: Buffer, push: (data: Buffer) => void): Promise<BodyReader> {
  const salt = header.subarray(ENCRYPTION_MAGIC.length + 1, ENCRYPTION_MAGIC.length + 1 + SALT_BYTES);
  const iv = header.subarray(ENCRYPTION_MAGIC.length + 1 + SALT_BYTES, V1_HEADER_BYTES);
  const key = await deriveKey(password, Buffer.from(salt));
  return new V1Body(createDecipheriv(CIPHER, key, Buffer.from(iv)), push);
}

class DecryptTransform extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private version: number | undefined;
  private body: BodyReader | undefined;

  constructor(private readonly password: string) {
    super();
    checkPassword(password);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.body) {
      try {
        this.body.update(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    const head = Buffer.concat(this.head, this.headLength);
    let opening: Promise<BodyReader>;
    try {
      this.version = readEncryptedFileVersion(head);
      if (this.version === undefined || head.length < encryptedHeaderBytes(this.version)) {
        callback();
        return;
      }
      const header = head.subarray(0, encryptedHeaderBytes(this.version));
      const push = (data: Buffer) => {
        this.push(data);
      };
      // A v2 header is parsed (segment size checked) before the slow key derivation starts.
      opening =
        this.version === 1
          ? openV1(this.password, header, push)
          : openFileKey(this.password, Buffer.from(header)).then(
              (fileKey) => new SegmentedBody(fileKey, push),
            );
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.head = [];
    opening
      .then((body) => {
        this.body = body;
        body.update(head.subarray(encryptedHeaderBytes(this.version!)));
        callback();
      })
      .catch(callback);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.body) {
      const version = this.version ?? ENCRYPTION_VERSION;
      callback(
        new EncryptedFileFormatError(
          `not a complete encrypted file: an encrypted file of version ${version} has at least ${minimumEncryptedBytes(version)} bytes`,
        ),
      );
      return;
    }
    try {
      this.body.final();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

/**
 * A Transform that encrypts its input as MMPG version 2 (random salt and nonce prefix per stream;
 * segments of SEGMENT_SIZE plaintext bytes unless `options.segmentSize`).
 */
export function createEncryptStream(password: string, options: EncryptStreamOptions = {}): Transform {
  return new EncryptTransform(password, options);
}

/**
 * A Transform that decrypts a file of version 2 or 1. Version 2: each segment's plaintext is emitted
 * only after its tag verifies, and a truncated, extended or reordered file fails at the first bad
 * segment or at the end; what was emitted before a failure is authentic but incomplete. Version 1:
 * plaintext is emitted before the single tag at the end is checked. Either way the output is complete
 * and authentic only if the stream ends without error, so write it to a temporary file and rename it
 * on success. Errors: EncryptedFileFormatError (bad magic, version, segment size or length),
 * DecryptionError (wrong password or corrupted file; EncryptedFileFormatError is a DecryptionError too).
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
  return `Encrypted files (.enc), format version ${ENCRYPTION_VERSION} (version 1 is still read)

  offset  size  field
  0       4     magic "MMPG" (hex 4D 4D 50 47)
  4       1     format version (0x02)
  5       ${SALT_BYTES}    PBKDF2 salt, random per file
  21      4     segment size S (plaintext bytes per segment, big-endian; ${SEGMENT_SIZE})
  25      ${NONCE_PREFIX_BYTES}     nonce prefix, random per file
  32      ...   segments: AES-256-GCM(next S plaintext bytes) || ${TAG_BYTES}-byte tag; the last has 0..S bytes

Key: PBKDF2-HMAC-SHA256(password as UTF-8 bytes, salt, ${PBKDF2_ITERATIONS.toLocaleString('en-US')} iterations, ${KEY_BYTES} bytes).
Segment i: nonce = prefix || i (4 bytes, big-endian) || 1 if last else 0; associated data = the ${HEADER_BYTES} header bytes.
Only an empty file has an empty (last) segment.
Compressed and encrypted files are compressed first: patients.json.gz.enc.
A wrong password, a changed, reordered, missing or added segment, or a changed header fails a tag check.

Version 1 (read only): magic, 0x01, salt (16), IV (12), ciphertext, tag (16); same key, no associated data.
`;
}
