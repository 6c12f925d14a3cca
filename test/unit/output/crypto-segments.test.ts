import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildSegmentedHeader,
  DecryptionError,
  decryptSegment,
  EncryptedFileFormatError,
  encryptChunk,
  encryptSegment,
  fileKeyFromHeader,
  HEADER_BYTES,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
  openFileKey,
  parseSegmentedHeader,
  SEGMENT_SIZE,
  type SegmentedFileKey,
  segmentNonce,
  TAG_BYTES,
} from '../../../lib/output/index.js';
import { decrypt, encrypt, PASSWORD } from './crypto-support.js';

const S = SEGMENT_SIZE;

/** The key material of a file the stream wrote: its header and the password. */
const keyOf = (file: Buffer) => openFileKey(PASSWORD, file.subarray(0, HEADER_BYTES));

/** Plaintext segments of `plain`: full ones, then the last (empty only for an empty file). */
function segmentsOf(plain: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < plain.length; at += S) out.push(plain.subarray(at, at + S));
  return out.length > 0 ? out : [Buffer.alloc(0)];
}

/** A key for tests that need no password: a fixed header and a random key. */
function testKey(segmentSize = 4096): SegmentedFileKey {
  const header = buildSegmentedHeader({ salt: randomBytes(16), segmentSize, noncePrefix: randomBytes(7) });
  return fileKeyFromHeader(header, randomBytes(32));
}

describe('encryptSegment and encryptChunk (segments sealed apart)', () => {
  it.each([
    ['empty', 0],
    ['one segment', S],
    ['three segments and 7 bytes', 3 * S + 7],
  ])(
    'give the same bytes as the stream when segments of a %s file are sealed separately',
    async (_n, size) => {
      // Prepare
      const plain = randomBytes(size);
      const streamed = await encrypt(plain);
      const fileKey = await keyOf(streamed);
      const segments = segmentsOf(plain);
      // Act: sealed in reverse order, as independent workers might finish.
      const sealed = segments.map((_, i) => i).reverse();
      const parts = new Map(
        sealed.map((i) => [i, encryptSegment(fileKey, i, segments[i], i === segments.length - 1)]),
      );
      const assembled = Buffer.concat([fileKey.header, ...segments.map((_, i) => parts.get(i)!)]);
      // Assert
      expect(assembled.equals(streamed)).toBe(true);
    },
  );

  it('give the stream bytes for chunks on segment boundaries, and the stream decrypts them', async () => {
    // Prepare: chunks of 2 S, 3 S and a final 1000 bytes.
    const plain = randomBytes(5 * S + 1000);
    const streamed = await encrypt(plain);
    const fileKey = await keyOf(streamed);
    // Act
    const chunks = [
      encryptChunk(fileKey, 0, plain.subarray(0, 2 * S), false),
      encryptChunk(fileKey, 2, plain.subarray(2 * S, 5 * S), false),
      encryptChunk(fileKey, 5, plain.subarray(5 * S), true),
    ];
    const assembled = Buffer.concat([fileKey.header, ...chunks]);
    // Assert
    expect(assembled.equals(streamed)).toBe(true);
    expect((await decrypt(assembled)).equals(plain)).toBe(true);
  });

  it('mark the last full segment of a final chunk, and a whole empty file as one empty segment', async () => {
    // Prepare
    const plain = randomBytes(2 * S);
    const streamed = await encrypt(plain);
    const fileKey = await keyOf(streamed);
    const empty = await encrypt(Buffer.alloc(0));
    const emptyKey = await keyOf(empty);
    // Act
    const whole = Buffer.concat([fileKey.header, encryptChunk(fileKey, 0, plain, true)]);
    const emptyFile = Buffer.concat([emptyKey.header, encryptChunk(emptyKey, 0, Buffer.alloc(0), true)]);
    // Assert
    expect(whole.equals(streamed)).toBe(true);
    expect(emptyFile.equals(empty)).toBe(true);
    expect(emptyFile.length).toBe(HEADER_BYTES + TAG_BYTES);
  });

  it('let a worker given the derived key seal what a worker given the password seals', async () => {
    // Prepare
    const streamed = await encrypt(randomBytes(10));
    const fromPassword = await keyOf(streamed);
    // Act
    const fromKey = fileKeyFromHeader(fromPassword.header, fromPassword.key);
    // Assert
    const plain = randomBytes(S);
    expect(
      encryptSegment(fromKey, 3, plain, false).equals(encryptSegment(fromPassword, 3, plain, false)),
    ).toBe(true);
  });

  it('refuse segments and chunks that would break the layout', () => {
    // Prepare
    const fileKey = testKey(4096);
    const full = randomBytes(4096);
    // Act / Assert
    expect(() => encryptSegment(fileKey, 0, full.subarray(1), false)).toThrow(
      /before the last holds exactly 4096/,
    );
    expect(() => encryptSegment(fileKey, 0, randomBytes(4097), true)).toThrow(/at most 4096/);
    expect(() => encryptSegment(fileKey, 2, Buffer.alloc(0), true)).toThrow(/only an empty file/);
    expect(() => encryptSegment(fileKey, 2 ** 32, full, false)).toThrow(/outside/);
    expect(() => encryptSegment(fileKey, -1, full, false)).toThrow(/outside/);
    expect(() => encryptChunk(fileKey, 0, randomBytes(5000), false)).toThrow(/positive multiple of 4096/);
    expect(() => encryptChunk(fileKey, 0, Buffer.alloc(0), false)).toThrow(/positive multiple/);
    expect(() => encryptChunk(fileKey, 3, Buffer.alloc(0), true)).toThrow(/only an empty file/);
  });
});

describe('decryptSegment', () => {
  it('opens a segment only at its index, with its last flag, under its own header', () => {
    // Prepare
    const fileKey = testKey();
    const plain = randomBytes(4096);
    const sealed = encryptSegment(fileKey, 5, plain, false);
    const otherHeader = fileKeyFromHeader(
      buildSegmentedHeader({ salt: fileKey.salt, segmentSize: 4096, noncePrefix: randomBytes(7) }),
      fileKey.key,
    );
    // Act
    const opened = decryptSegment(fileKey, 5, sealed, false);
    // Assert
    expect(opened.equals(plain)).toBe(true);
    expect(() => decryptSegment(fileKey, 4, sealed, false)).toThrow(DecryptionError);
    expect(() => decryptSegment(fileKey, 5, sealed, true)).toThrow(DecryptionError);
    expect(() => decryptSegment(otherHeader, 5, sealed, false)).toThrow(DecryptionError);
    expect(() => decryptSegment(fileKey, 5, sealed.subarray(0, 100), false)).toThrow(DecryptionError);
  });

  it('refuses an empty last segment after the first, even with a valid tag', () => {
    // Prepare: sealed with the primitive directly, as only a faulty writer holding the key could.
    const fileKey = testKey();
    const index0 = encryptSegment(fileKey, 0, Buffer.alloc(0), true);
    // Act / Assert
    expect(decryptSegment(fileKey, 0, index0, true).length).toBe(0);
    expect(() => decryptSegment(fileKey, 1, index0, true)).toThrow(DecryptionError);
  });
});

describe('v2 header and nonce', () => {
  it('lays the header out as magic, version, salt, segment size (big-endian) and nonce prefix', () => {
    // Prepare
    const salt = Buffer.alloc(16, 0xaa);
    const noncePrefix = Buffer.from('01020304050607', 'hex');
    // Act
    const header = buildSegmentedHeader({ salt, segmentSize: 65_536, noncePrefix });
    // Assert
    expect(header.toString('hex')).toBe(`4d4d504702${'aa'.repeat(16)}00010000${'01020304050607'}`);
    expect(parseSegmentedHeader(header)).toEqual({ salt, segmentSize: 65_536, noncePrefix });
  });

  it('builds the nonce as prefix, index (big-endian) and last flag', () => {
    // Prepare
    const prefix = Buffer.from('a1a2a3a4a5a6a7', 'hex');
    // Act / Assert
    expect(segmentNonce(prefix, 0, false).toString('hex')).toBe('a1a2a3a4a5a6a70000000000');
    expect(segmentNonce(prefix, 258, true).toString('hex')).toBe('a1a2a3a4a5a6a70000010201');
    expect(segmentNonce(prefix, 2 ** 32 - 1, false).toString('hex')).toBe('a1a2a3a4a5a6a7ffffffff00');
  });

  it('rejects a header of another version or with a segment size out of bounds', () => {
    // Prepare
    const header = buildSegmentedHeader({
      salt: randomBytes(16),
      segmentSize: 4096,
      noncePrefix: randomBytes(7),
    });
    const withSize = (size: number) => {
      const h = Buffer.from(header);
      h.writeUInt32BE(size, 21);
      return h;
    };
    const v1 = Buffer.from(header);
    v1[4] = 1;
    // Act / Assert
    expect(parseSegmentedHeader(withSize(MIN_SEGMENT_SIZE)).segmentSize).toBe(1024);
    expect(parseSegmentedHeader(withSize(MAX_SEGMENT_SIZE)).segmentSize).toBe(16 * 1024 * 1024);
    expect(() => parseSegmentedHeader(withSize(MIN_SEGMENT_SIZE - 1))).toThrow(EncryptedFileFormatError);
    expect(() => parseSegmentedHeader(withSize(MAX_SEGMENT_SIZE + 1))).toThrow(/unsupported segment size/);
    expect(() => parseSegmentedHeader(v1)).toThrow(EncryptedFileFormatError);
    expect(() => parseSegmentedHeader(header.subarray(0, 31))).toThrow(EncryptedFileFormatError);
    expect(() =>
      buildSegmentedHeader({ salt: randomBytes(16), segmentSize: 512, noncePrefix: randomBytes(7) }),
    ).toThrow(RangeError);
  });
});
