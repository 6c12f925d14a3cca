import { createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  createDecryptStream,
  createEncryptStream,
  DecryptionError,
  describeEncryptionFormat,
  EncryptedFileFormatError,
  encryptedFileName,
  HEADER_BYTES,
  PBKDF2_ITERATIONS,
  TAG_BYTES,
} from '../../../lib/output/crypto-stream.js';
import { readAll } from '../../support/zip.js';

const PASSWORD = 'correct horse battery staple ✓';

/** Splits a buffer into chunks of irregular sizes, to exercise the header and tag boundaries. */
function chunked(data: Buffer, sizes = [1, 3, 7, 16, 17, 31, 33, 64, 1000, 65536]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const size = sizes[i % sizes.length];
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

const encrypt = (data: Buffer, password = PASSWORD) =>
  readAll(Readable.from(chunked(data)).pipe(createEncryptStream(password)));
const decrypt = async (data: Buffer, password = PASSWORD) => {
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from(chunked(data)),
    createDecryptStream(password),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(chunks);
};

describe('encryption (AES-256-GCM, PBKDF2-HMAC-SHA256)', () => {
  it('round-trips data through streams with any chunking', async () => {
    // Prepare
    const plain = randomBytes(300_000);
    // Act
    const sealed = await encrypt(plain);
    const opened = await decrypt(sealed);
    // Assert
    expect(opened.equals(plain)).toBe(true);
    expect(sealed.length).toBe(HEADER_BYTES + plain.length + TAG_BYTES);
  });

  it('writes the documented layout, readable by a plain node:crypto implementation', async () => {
    // Prepare
    const plain = Buffer.from('{"patients":[]}\n');
    // Act
    const sealed = await encrypt(plain);
    // Assert: MMPG | 0x01 | salt 16 | IV 12 | ciphertext | tag 16, key = PBKDF2-SHA256 600,000 × 32 bytes.
    expect(sealed.subarray(0, 4).toString('ascii')).toBe('MMPG');
    expect(sealed[4]).toBe(1);
    const salt = sealed.subarray(5, 21);
    const iv = sealed.subarray(21, 33);
    const tag = sealed.subarray(sealed.length - 16);
    const key = pbkdf2Sync(Buffer.from(PASSWORD, 'utf8'), salt, 600_000, 32, 'sha256');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const opened = Buffer.concat([
      decipher.update(sealed.subarray(33, sealed.length - 16)),
      decipher.final(),
    ]);
    expect(opened.equals(plain)).toBe(true);
    expect(PBKDF2_ITERATIONS).toBe(600_000);
    expect(describeEncryptionFormat()).toMatch(/MMPG[\s\S]*600,000 iterations/);
    expect(encryptedFileName('patients.json.gz')).toBe('patients.json.gz.enc');
  });

  it('uses a fresh salt and IV for every file, so equal inputs give different ciphertexts', async () => {
    const plain = Buffer.from('same input');
    const [a, b] = await Promise.all([encrypt(plain), encrypt(plain)]);
    expect(a.subarray(5, 33).equals(b.subarray(5, 33))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('round-trips an empty input (header and tag only)', async () => {
    const sealed = await encrypt(Buffer.alloc(0));
    expect(sealed.length).toBe(HEADER_BYTES + TAG_BYTES);
    expect((await decrypt(sealed)).length).toBe(0);
  });

  it('fails with DecryptionError "wrong password or corrupted file" for a wrong password', async () => {
    const sealed = await encrypt(Buffer.from('secret casualty list'));
    const failure = decrypt(sealed, 'wrong password');
    await expect(failure).rejects.toBeInstanceOf(DecryptionError);
    await expect(failure).rejects.toThrow('wrong password or corrupted file');
  });

  it('detects one flipped bit anywhere: magic, version, salt, IV, ciphertext, tag', async () => {
    // Prepare
    const sealed = await encrypt(randomBytes(5000));
    const positions = {
      magic: 0,
      version: 4,
      salt: 10,
      iv: 25,
      ciphertext: 33 + 2500,
      tag: sealed.length - 1,
    };
    // Act
    const results = await Promise.all(
      Object.entries(positions).map(async ([field, at]) => {
        const bad = Buffer.from(sealed);
        bad[at] ^= 0x01;
        return decrypt(bad).then(
          () => `${field}: no error`,
          (error: Error) => `${field}: ${error.constructor.name}`,
        );
      }),
    );
    // Assert: the header fields fail the format check, the rest the authentication.
    expect(results).toEqual([
      'magic: EncryptedFileFormatError',
      'version: EncryptedFileFormatError',
      'salt: DecryptionError',
      'iv: DecryptionError',
      'ciphertext: DecryptionError',
      'tag: DecryptionError',
    ]);
  });

  it('rejects truncated, foreign and too-short inputs with a clear error', async () => {
    const sealed = await encrypt(Buffer.from('some data'));
    await expect(decrypt(sealed.subarray(0, sealed.length - 1))).rejects.toBeInstanceOf(DecryptionError);
    await expect(decrypt(sealed.subarray(0, 40))).rejects.toThrow(/not a complete encrypted file/);
    await expect(decrypt(Buffer.alloc(0))).rejects.toBeInstanceOf(EncryptedFileFormatError);
    await expect(decrypt(Buffer.from('PK\u0003\u0004 a zip, not ours'))).rejects.toThrow(
      /does not start with "MMPG"/,
    );
    const v2 = Buffer.from(sealed);
    v2[4] = 2;
    await expect(decrypt(v2)).rejects.toThrow(/unsupported encrypted file version 2/);
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
