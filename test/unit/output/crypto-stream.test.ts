import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  createDecryptStream,
  createEncryptStream,
  DecryptionError,
  describeEncryptionFormat,
  ENCRYPTION_VERSION,
  EncryptedFileFormatError,
  encryptedFileName,
  encryptedLength,
  HEADER_BYTES,
  PBKDF2_ITERATIONS,
  SEGMENT_SIZE,
  TAG_BYTES,
} from '../../../lib/output/index.js';
import {
  decrypt,
  encrypt,
  outcome,
  PASSWORD,
  referenceDecryptV2,
  referenceEncryptV1,
} from './crypto-support.js';

const S = SEGMENT_SIZE;
const SEALED = S + TAG_BYTES;
/** Byte offset of sealed segment i in a v2 file. */
const segmentAt = (i: number) => HEADER_BYTES + i * SEALED;

const V1_FIXTURE = new URL('../../fixtures/encryption/v1-patients.ndjson.enc', import.meta.url);
const V1_FIXTURE_PLAIN = new URL('../../fixtures/encryption/v1-patients.ndjson', import.meta.url);
const V1_FIXTURE_PASSWORD = 'mmpg v1 fixture password';

describe('encryption v2 (segmented AES-256-GCM, PBKDF2-HMAC-SHA256)', () => {
  it.each([
    ['empty', 0],
    ['1 byte', 1],
    ['one byte short of a segment', S - 1],
    ['exactly one segment', S],
    ['one byte over a segment', S + 1],
    ['several MB', 5 * 1024 * 1024 + 123],
  ])('round-trips %s through streams with any chunking', async (_name, size) => {
    // Prepare
    const plain = randomBytes(size);
    // Act
    const sealed = await encrypt(plain);
    const opened = await decrypt(sealed);
    // Assert
    expect(opened.equals(plain)).toBe(true);
    expect(sealed.length).toBe(encryptedLength(size));
    expect(sealed.length).toBe(HEADER_BYTES + size + Math.max(1, Math.ceil(size / S)) * TAG_BYTES);
  });

  it('writes the documented layout, readable by an independent node:crypto implementation', async () => {
    // Prepare
    const plain = randomBytes(3 * S + 77);
    // Act
    const sealed = await encrypt(plain);
    // Assert: MMPG | 0x02 | salt 16 | segment size u32 BE | nonce prefix 7 | segments.
    expect(sealed.subarray(0, 4).toString('ascii')).toBe('MMPG');
    expect(sealed[4]).toBe(2);
    expect(ENCRYPTION_VERSION).toBe(2);
    expect(HEADER_BYTES).toBe(32);
    const reference = referenceDecryptV2(sealed);
    expect(reference.segmentSize).toBe(65_536);
    expect(reference.plain.equals(plain)).toBe(true);
    expect(PBKDF2_ITERATIONS).toBe(600_000);
    expect(describeEncryptionFormat()).toMatch(
      /format version 2[\s\S]*MMPG[\s\S]*600,000 iterations[\s\S]*Version 1/,
    );
    expect(encryptedFileName('patients.json.gz')).toBe('patients.json.gz.enc');
  });

  it('writes the segment size it is given, and reads it back from the header', async () => {
    // Prepare
    const plain = randomBytes(10_000);
    // Act
    const sealed = await encrypt(plain, PASSWORD, { segmentSize: 4096 });
    // Assert
    expect(sealed.readUInt32BE(21)).toBe(4096);
    expect(sealed.length).toBe(encryptedLength(10_000, 4096));
    expect((await decrypt(sealed)).equals(plain)).toBe(true);
    expect(() => createEncryptStream(PASSWORD, { segmentSize: 100 })).toThrow(/segment size must be/);
  });

  it('uses a fresh salt and nonce prefix for every file, so equal inputs give different ciphertexts', async () => {
    // Prepare
    const plain = Buffer.from('same input');
    // Act
    const [a, b] = await Promise.all([encrypt(plain), encrypt(plain)]);
    // Assert
    expect(a.subarray(5, 21).equals(b.subarray(5, 21))).toBe(false);
    expect(a.subarray(25, 32).equals(b.subarray(25, 32))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('fails with DecryptionError for a wrong password before emitting any plaintext', async () => {
    // Prepare
    const sealed = await encrypt(randomBytes(3 * S));
    // Act
    const failure = decrypt(sealed, 'wrong password');
    // Assert
    await expect(failure).rejects.toBeInstanceOf(DecryptionError);
    await expect(failure).rejects.toThrow('wrong password or corrupted file');
    const error = (await failure.catch((e: unknown) => e)) as { emitted: Buffer };
    expect(error.emitted.length).toBe(0);
  });

  it('detects one flipped bit in every region: each header field, a middle segment, the last tag', async () => {
    // Prepare: four segments, the last one short.
    const sealed = await encrypt(randomBytes(3 * S + 1000));
    const positions = {
      magic: 0,
      version: 4,
      salt: 10,
      'segment size (still in bounds)': 23,
      'segment size (out of bounds)': 21,
      'nonce prefix': 28,
      'middle segment ciphertext': segmentAt(1) + 500,
      'middle segment tag': segmentAt(2) - 1,
      'last segment ciphertext': segmentAt(3) + 10,
      'last segment tag': sealed.length - 1,
    };
    // Act
    const results = await Promise.all(
      Object.entries(positions).map(async ([field, at]) => {
        const bad = Buffer.from(sealed);
        bad[at] ^= field === 'segment size (out of bounds)' ? 0x10 : 0x01;
        return `${field}: ${await outcome(decrypt(bad))}`;
      }),
    );
    // Assert: magic, version and an impossible segment size fail the format check, the rest a tag.
    expect(results).toEqual([
      'magic: EncryptedFileFormatError',
      'version: EncryptedFileFormatError',
      'salt: DecryptionError',
      'segment size (still in bounds): DecryptionError',
      'segment size (out of bounds): EncryptedFileFormatError',
      'nonce prefix: DecryptionError',
      'middle segment ciphertext: DecryptionError',
      'middle segment tag: DecryptionError',
      'last segment ciphertext: DecryptionError',
      'last segment tag: DecryptionError',
    ]);
  });

  it('emits only the segments verified before a tampered one', async () => {
    // Prepare
    const plain = randomBytes(4 * S);
    const sealed = await encrypt(plain);
    sealed[segmentAt(2) + 7] ^= 0x80;
    // Act
    const error = (await decrypt(sealed).catch((e: unknown) => e)) as Error & { emitted: Buffer };
    // Assert
    expect(error).toBeInstanceOf(DecryptionError);
    expect(error.emitted.equals(plain.subarray(0, 2 * S))).toBe(true);
  });

  it('rejects truncation, reordering, a dropped segment and appended data', async () => {
    // Prepare: five segments, the last one short.
    const sealed = await encrypt(randomBytes(4 * S + 100));
    const segment = (i: number) => sealed.subarray(segmentAt(i), Math.min(segmentAt(i + 1), sealed.length));
    const header = sealed.subarray(0, HEADER_BYTES);
    const variants = {
      'cut at a segment boundary': sealed.subarray(0, segmentAt(3)),
      'cut inside a segment': sealed.subarray(0, segmentAt(3) + 100),
      'cut inside the last tag': sealed.subarray(0, sealed.length - 1),
      'two segments swapped': Buffer.concat([
        header,
        segment(0),
        segment(2),
        segment(1),
        segment(3),
        segment(4),
      ]),
      'a middle segment dropped': Buffer.concat([header, segment(0), segment(1), segment(3), segment(4)]),
      'a segment appended': Buffer.concat([sealed, segment(1)]),
      'the last segment repeated': Buffer.concat([sealed, segment(4)]),
      'one byte appended': Buffer.concat([sealed, Buffer.of(0)]),
      '16 bytes appended': Buffer.concat([sealed, sealed.subarray(sealed.length - TAG_BYTES)]),
    };
    // Act
    const results = await Promise.all(
      Object.entries(variants).map(async ([name, bytes]) => `${name}: ${await outcome(decrypt(bytes))}`),
    );
    // Assert
    expect(results).toEqual(Object.keys(variants).map((name) => `${name}: DecryptionError`));
  });

  it('rejects foreign, empty, too-short and unknown-version inputs with a format error', async () => {
    // Prepare
    const sealed = await encrypt(Buffer.from('some data'));
    const v3 = Buffer.from(sealed);
    v3[4] = 3;
    // Act / Assert
    await expect(decrypt(sealed.subarray(0, 40))).rejects.toThrow(
      /not a complete encrypted file: an encrypted file of version 2 has at least 48 bytes/,
    );
    await expect(decrypt(sealed.subarray(0, HEADER_BYTES))).rejects.toBeInstanceOf(EncryptedFileFormatError);
    await expect(decrypt(sealed.subarray(0, 20))).rejects.toBeInstanceOf(EncryptedFileFormatError);
    await expect(decrypt(Buffer.alloc(0))).rejects.toBeInstanceOf(EncryptedFileFormatError);
    await expect(decrypt(Buffer.from('PK\u0003\u0004 a zip, not ours'))).rejects.toThrow(
      /does not start with "MMPG"/,
    );
    await expect(decrypt(v3)).rejects.toThrow(
      /unsupported encrypted file version 3 \(this version reads 1 and 2\)/,
    );
  });

  it('refuses an empty password', () => {
    expect(() => createEncryptStream('')).toThrow(/password is required/);
    expect(() => createDecryptStream('')).toThrow(/password is required/);
  });

  it('streams 200 MB both ways with flat memory', async () => {
    // Prepare: 200 MB produced on the fly (3,200 chunks of 64 KiB), hashed on both ends.
    const CHUNK = 64 * 1024;
    const COUNT = 3200;
    const block = randomBytes(CHUNK);
    const sent = createHash('sha256');
    const received = createHash('sha256');
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced === COUNT) return void this.push(null);
        const chunk = Buffer.from(block);
        chunk.writeUInt32LE(produced++, 0);
        sent.update(chunk);
        this.push(chunk);
      },
    });
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        received.update(chunk);
        bytes += chunk.length;
        cb();
      },
    });
    global.gc?.();
    const memory = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = memory();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory());
    }, 20);
    // Act
    try {
      await pipeline(source, createEncryptStream(PASSWORD), createDecryptStream(PASSWORD), sink);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, memory());
    // Assert
    expect(bytes).toBe(CHUNK * COUNT);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
    expect(peak - baseline).toBeLessThan(50 * 1024 * 1024);
  }, 120_000);
});

describe('encryption v1 (read only)', () => {
  it('decrypts the fixture written by the last v1 writer', async () => {
    // Prepare
    const [sealed, plain] = await Promise.all([readFile(V1_FIXTURE), readFile(V1_FIXTURE_PLAIN)]);
    // Act
    const opened = await decrypt(sealed, V1_FIXTURE_PASSWORD);
    // Assert
    expect(sealed.subarray(0, 5).toString('latin1')).toBe('MMPG\u0001');
    expect(opened.equals(plain)).toBe(true);
  });

  it.each([0, 1, 100_000])('round-trips a %i-byte v1 file built from the documented layout', async (size) => {
    // Prepare
    const plain = randomBytes(size);
    // Act
    const opened = await decrypt(referenceEncryptV1(plain));
    // Assert
    expect(opened.equals(plain)).toBe(true);
  });

  it('detects a wrong password, a flipped bit and truncation in a v1 file', async () => {
    // Prepare
    const sealed = referenceEncryptV1(randomBytes(5000));
    const flipped = (at: number) => {
      const bad = Buffer.from(sealed);
      bad[at] ^= 0x01;
      return bad;
    };
    // Act
    const results = await Promise.all([
      outcome(decrypt(sealed, 'wrong password')),
      outcome(decrypt(flipped(10))), // salt
      outcome(decrypt(flipped(25))), // IV
      outcome(decrypt(flipped(33 + 2500))), // ciphertext
      outcome(decrypt(flipped(sealed.length - 1))), // tag
      outcome(decrypt(sealed.subarray(0, sealed.length - 1))),
      outcome(decrypt(sealed.subarray(0, 40))),
    ]);
    // Assert
    expect(results).toEqual([
      'DecryptionError',
      'DecryptionError',
      'DecryptionError',
      'DecryptionError',
      'DecryptionError',
      'DecryptionError',
      'EncryptedFileFormatError',
    ]);
  });
});
