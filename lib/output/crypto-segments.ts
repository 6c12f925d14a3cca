/**
 * MMPG version 2: the file is cut into fixed-size plaintext segments, each sealed on its own with
 * AES-256-GCM, so that decryption releases only verified bytes and separate workers can encrypt
 * separate parts of one file (memory/decisions/0901-segmented-encryption-v2.md). Byte layout:
 *
 *   offset  size  field
 *   0       4     magic "MMPG" (0x4D 0x4D 0x50 0x47)
 *   4       1     format version, 0x02
 *   5       16    PBKDF2 salt (random per file)
 *   21      4     segment size S: plaintext bytes per segment, unsigned big-endian (65,536)
 *   25      7     nonce prefix (random per file)
 *   32      ...   segments 0..n-1; segment i = AES-256-GCM(plaintext bytes [i*S, (i+1)*S)) || 16-byte tag
 *
 * key   = PBKDF2-HMAC-SHA256(password as UTF-8 bytes, salt, 600,000 iterations, 32 bytes), as in v1.
 * nonce = nonce prefix (7) || i (4 bytes, unsigned big-endian) || 0x01 for the last segment, else 0x00.
 * associated data of every segment = the 32 header bytes.
 * Every segment but the last holds exactly S plaintext bytes; the last holds 1..S bytes, or 0 when the
 * whole plaintext is empty (the file is then the header and one 16-byte tag). The index in the nonce
 * detects reordering, the last flag truncation at a segment boundary and appended segments, the
 * associated data any change to the header.
 *
 * The functions below are pure given the file's key material (SegmentedFileKey), so a writer can seal
 * segment i anywhere: a file is `header || encryptChunk(k, 0, c0, false) || encryptChunk(k, n0, c1, true)`
 * when c0's length is a multiple of S (n0 = c0.length / S).
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import {
  CIPHER,
  checkPassword,
  DecryptionError,
  deriveKey,
  ENCRYPTION_MAGIC,
  EncryptedFileFormatError,
  IV_BYTES,
  KEY_BYTES,
  PBKDF2_ITERATIONS,
  SALT_BYTES,
  TAG_BYTES,
} from './crypto-format.js';

export const SEGMENTED_VERSION = 0x02;
/** Plaintext bytes per segment written by default (measured: memory/decisions/0901). */
export const SEGMENT_SIZE = 64 * 1024;
/** Bounds on the segment size a reader accepts (it holds one segment in memory). */
export const MIN_SEGMENT_SIZE = 1024;
export const MAX_SEGMENT_SIZE = 16 * 1024 * 1024;
export const NONCE_PREFIX_BYTES = 7;
/** magic + version + salt + segment size + nonce prefix. */
export const HEADER_BYTES = ENCRYPTION_MAGIC.length + 1 + SALT_BYTES + 4 + NONCE_PREFIX_BYTES;
/** The segment index is 4 bytes of the nonce. */
export const MAX_SEGMENTS = 2 ** 32;

const SEGMENT_SIZE_AT = ENCRYPTION_MAGIC.length + 1 + SALT_BYTES;
const NONCE_PREFIX_AT = SEGMENT_SIZE_AT + 4;

/** The fields of a v2 header. */
export interface SegmentedHeader {
  readonly salt: Buffer;
  readonly segmentSize: number;
  readonly noncePrefix: Buffer;
}

/**
 * Everything needed to seal or open any segment of one file: the header (public, written once at
 * offset 0, authenticated by every segment) and the 32-byte key (secret).
 */
export interface SegmentedFileKey extends SegmentedHeader {
  readonly header: Buffer;
  readonly key: Buffer;
}

/** Built once per file key: createCipheriv with a KeyObject skips re-importing the raw key per segment. */
const keyObjects = new WeakMap<SegmentedFileKey, KeyObject>();

function keyObject(fileKey: SegmentedFileKey): KeyObject {
  let object = keyObjects.get(fileKey);
  if (!object) {
    object = createSecretKey(fileKey.key);
    keyObjects.set(fileKey, object);
  }
  return object;
}

/** RangeError unless MIN_SEGMENT_SIZE ≤ segmentSize ≤ MAX_SEGMENT_SIZE (an integer). */
export function checkSegmentSize(segmentSize: number): void {
  if (!Number.isInteger(segmentSize) || segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
    throw new RangeError(
      `the segment size must be an integer from ${MIN_SEGMENT_SIZE} to ${MAX_SEGMENT_SIZE} bytes (got ${segmentSize})`,
    );
  }
}

/** The 32 header bytes of a v2 file. */
export function buildSegmentedHeader({ salt, segmentSize, noncePrefix }: SegmentedHeader): Buffer {
  checkSegmentSize(segmentSize);
  if (salt.length !== SALT_BYTES) throw new RangeError(`the salt must be ${SALT_BYTES} bytes`);
  if (noncePrefix.length !== NONCE_PREFIX_BYTES) {
    throw new RangeError(`the nonce prefix must be ${NONCE_PREFIX_BYTES} bytes`);
  }
  const header = Buffer.alloc(HEADER_BYTES);
  ENCRYPTION_MAGIC.copy(header, 0);
  header[ENCRYPTION_MAGIC.length] = SEGMENTED_VERSION;
  salt.copy(header, ENCRYPTION_MAGIC.length + 1);
  header.writeUInt32BE(segmentSize, SEGMENT_SIZE_AT);
  noncePrefix.copy(header, NONCE_PREFIX_AT);
  return header;
}

/** Reads a v2 header; EncryptedFileFormatError if it is not one, or its segment size is out of bounds. */
export function parseSegmentedHeader(header: Buffer): SegmentedHeader {
  if (
    header.length !== HEADER_BYTES ||
    !header.subarray(0, ENCRYPTION_MAGIC.length).equals(ENCRYPTION_MAGIC) ||
    header[ENCRYPTION_MAGIC.length] !== SEGMENTED_VERSION
  ) {
    throw new EncryptedFileFormatError(`not a version ${SEGMENTED_VERSION} encrypted file header`);
  }
  const segmentSize = header.readUInt32BE(SEGMENT_SIZE_AT);
  if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
    throw new EncryptedFileFormatError(
      `unsupported segment size ${segmentSize} (from ${MIN_SEGMENT_SIZE} to ${MAX_SEGMENT_SIZE} bytes)`,
    );
  }
  return {
    salt: Buffer.from(header.subarray(ENCRYPTION_MAGIC.length + 1, SEGMENT_SIZE_AT)),
    segmentSize,
    noncePrefix: Buffer.from(header.subarray(NONCE_PREFIX_AT, HEADER_BYTES)),
  };
}

/** Key material from a header and an already derived key (no key derivation: for workers given the key). */
export function fileKeyFromHeader(header: Buffer, key: Buffer): SegmentedFileKey {
  if (key.length !== KEY_BYTES) throw new RangeError(`the key must be ${KEY_BYTES} bytes`);
  return { ...parseSegmentedHeader(header), header: Buffer.from(header), key: Buffer.from(key) };
}

/** A new file's key material: random salt and nonce prefix, key derived from the password (PBKDF2). */
export async function createFileKey(
  password: string,
  options: { readonly segmentSize?: number } = {},
): Promise<SegmentedFileKey> {
  checkPassword(password);
  const fields = {
    salt: randomBytes(SALT_BYTES),
    segmentSize: options.segmentSize ?? SEGMENT_SIZE,
    noncePrefix: randomBytes(NONCE_PREFIX_BYTES),
  };
  const header = buildSegmentedHeader(fields);
  return { ...fields, header, key: await deriveKey(password, fields.salt) };
}

/** The key material of an existing file, from its header and the password (PBKDF2). */
export async function openFileKey(password: string, header: Buffer): Promise<SegmentedFileKey> {
  const fields = parseSegmentedHeader(header);
  return { ...fields, header: Buffer.from(header), key: await deriveKey(password, fields.salt) };
}

/** nonce prefix (7) || index (4, big-endian) || last flag (1). */
export function segmentNonce(noncePrefix: Buffer, index: number, last: boolean): Buffer {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SEGMENTS) {
    throw new RangeError(`segment index ${index} is outside [0, ${MAX_SEGMENTS})`);
  }
  const nonce = Buffer.alloc(IV_BYTES);
  noncePrefix.copy(nonce, 0, 0, NONCE_PREFIX_BYTES);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  nonce[IV_BYTES - 1] = last ? 1 : 0;
  return nonce;
}

function checkSegmentLength(fileKey: SegmentedFileKey, index: number, length: number, last: boolean): void {
  if (last ? length > fileKey.segmentSize : length !== fileKey.segmentSize) {
    throw new RangeError(
      last
        ? `the last segment holds at most ${fileKey.segmentSize} bytes (got ${length})`
        : `a segment before the last holds exactly ${fileKey.segmentSize} bytes (got ${length})`,
    );
  }
  if (last && length === 0 && index > 0) {
    throw new RangeError(
      'only an empty file ends with an empty segment: mark the previous segment as the last',
    );
  }
}

/** Seals one segment as [ciphertext, tag] (the stream pushes both without joining them). */
export function sealSegmentParts(
  fileKey: SegmentedFileKey,
  index: number,
  plaintext: Uint8Array,
  last: boolean,
): [Buffer, Buffer] {
  checkSegmentLength(fileKey, index, plaintext.length, last);
  const cipher = createCipheriv(CIPHER, keyObject(fileKey), segmentNonce(fileKey.noncePrefix, index, last));
  cipher.setAAD(fileKey.header);
  const body = cipher.update(plaintext);
  cipher.final(); // GCM: nothing left to emit
  return [body, cipher.getAuthTag()];
}

/**
 * Segment `index` of a file: its plaintext (exactly the segment size, or 0..segment size bytes for
 * the last one) sealed as ciphertext || 16-byte tag. Pure given the key material: the same inputs
 * give the same bytes, so segments sealed apart concatenate into the file the stream writes.
 */
export function encryptSegment(
  fileKey: SegmentedFileKey,
  index: number,
  plaintext: Uint8Array,
  last: boolean,
): Buffer {
  return Buffer.concat(sealSegmentParts(fileKey, index, plaintext, last));
}

/**
 * Segments `firstIndex`, `firstIndex + 1`, ... of a file holding `plaintext` (a run of whole segments
 * starting at byte firstIndex × segment size), sealed and concatenated. Unless `final`, the length
 * must be a positive multiple of the segment size; with `final` the chunk's last segment is the
 * file's last (a final chunk may be empty only for an empty file, firstIndex 0).
 */
export function encryptChunk(
  fileKey: SegmentedFileKey,
  firstIndex: number,
  plaintext: Uint8Array,
  final: boolean,
): Buffer {
  const size = fileKey.segmentSize;
  if (!final && (plaintext.length === 0 || plaintext.length % size !== 0)) {
    throw new RangeError(
      `a chunk before the last is a positive multiple of ${size} bytes (got ${plaintext.length})`,
    );
  }
  const count = final ? Math.max(1, Math.ceil(plaintext.length / size)) : plaintext.length / size;
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const last = final && i === count - 1;
    parts.push(
      ...sealSegmentParts(fileKey, firstIndex + i, plaintext.subarray(i * size, (i + 1) * size), last),
    );
  }
  return Buffer.concat(parts);
}

/**
 * Opens one sealed segment (ciphertext || tag). Returns its plaintext only if the tag verifies for
 * this key, header, index and last flag; else DecryptionError.
 */
export function decryptSegment(
  fileKey: SegmentedFileKey,
  index: number,
  sealed: Uint8Array,
  last: boolean,
): Buffer {
  if (sealed.length < TAG_BYTES || sealed.length > fileKey.segmentSize + TAG_BYTES) {
    throw new DecryptionError();
  }
  if (!last && sealed.length !== fileKey.segmentSize + TAG_BYTES) throw new DecryptionError();
  if (last && sealed.length === TAG_BYTES && index > 0) throw new DecryptionError();
  try {
    const decipher = createDecipheriv(
      CIPHER,
      keyObject(fileKey),
      segmentNonce(fileKey.noncePrefix, index, last),
    );
    decipher.setAAD(fileKey.header);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    decipher.final();
    return plaintext;
  } catch (error) {
    throw new DecryptionError(undefined, { cause: error });
  }
}

/** Length of the v2 file holding `plaintextLength` bytes: header + plaintext + one tag per segment. */
export function encryptedLength(plaintextLength: number, segmentSize = SEGMENT_SIZE): number {
  const segments = Math.max(1, Math.ceil(plaintextLength / segmentSize));
  return HEADER_BYTES + plaintextLength + segments * TAG_BYTES;
}

/** How new files are encrypted, in words: the manifests of the CLI and of jobs state it the same way. */
export const ENCRYPTION_DESCRIPTION =
  `MMPG v${SEGMENTED_VERSION}: AES-256-GCM in ${SEGMENT_SIZE / 1024} KiB segments, key PBKDF2-HMAC-SHA256 ` +
  `${PBKDF2_ITERATIONS} iterations, random salt and nonce prefix per file`;
