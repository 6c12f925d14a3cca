/**
 * Helpers for the encryption tests: streams with irregular chunking, and reference implementations of
 * both layouts written from the README's "Encrypted files" with plain node:crypto (not the product's
 * code), so a test can build a v1 file (the product no longer writes v1) and read a v2 file independently.
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream, createEncryptStream } from '../../../lib/output/index.js';

export const PASSWORD = 'correct horse battery staple ✓';

/** Splits a buffer into chunks of irregular sizes, to exercise the header, segment and tag boundaries. */
export function chunked(data: Buffer, sizes = [1, 3, 7, 16, 17, 31, 33, 64, 1000, 65536, 70001]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const size = sizes[i % sizes.length];
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

export async function encrypt(
  data: Buffer,
  password = PASSWORD,
  options: { segmentSize?: number } = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from(chunked(data)), createEncryptStream(password, options), collect(chunks));
  return Buffer.concat(chunks);
}

/** Decrypts; on failure the error carries what the stream emitted before it (`emitted`). */
export async function decrypt(data: Buffer, password = PASSWORD): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    await pipeline(Readable.from(chunked(data)), createDecryptStream(password), collect(chunks));
  } catch (error) {
    (error as { emitted?: Buffer }).emitted = Buffer.concat(chunks);
    throw error;
  }
  return Buffer.concat(chunks);
}

/** "ok", or the error's class name: for tables of outcomes. */
export function outcome(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => 'ok',
    (error: Error) => error.constructor.name,
  );
}

function collect(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  });
}

const key = (password: string, salt: Buffer) =>
  pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 600_000, 32, 'sha256');

/** A version 1 file: MMPG | 0x01 | salt 16 | IV 12 | ciphertext | tag 16, no associated data. */
export function referenceEncryptV1(plain: Buffer, password = PASSWORD): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(password, salt), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from('MMPG\u0001', 'latin1'), salt, iv, body, cipher.getAuthTag()]);
}

/**
 * Reads a version 2 file whole: MMPG | 0x02 | salt 16 | segment size u32 BE | nonce prefix 7, then
 * segments of S + 16 bytes (the last shorter), nonce = prefix | index u32 BE | last flag, AAD = header.
 */
export function referenceDecryptV2(
  file: Buffer,
  password = PASSWORD,
): { segmentSize: number; plain: Buffer } {
  const header = file.subarray(0, 32);
  if (header.subarray(0, 5).toString('latin1') !== 'MMPG\u0002') throw new Error('not MMPG v2');
  const segmentSize = header.readUInt32BE(21);
  const aesKey = key(password, header.subarray(5, 21));
  const sealedSize = segmentSize + 16;
  const out: Buffer[] = [];
  for (let at = 32, index = 0; ; at += sealedSize, index++) {
    const sealed = file.subarray(at, at + sealedSize);
    const last = at + sealedSize >= file.length;
    const nonce = Buffer.concat([header.subarray(25, 32), Buffer.alloc(5)]);
    nonce.writeUInt32BE(index, 7);
    nonce[11] = last ? 1 : 0;
    const decipher = createDecipheriv('aes-256-gcm', aesKey, nonce);
    decipher.setAAD(header);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    out.push(decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final());
    if (last) break;
  }
  return { segmentSize, plain: Buffer.concat(out) };
}
