/**
 * Encrypting a file in seal tasks (lib/output/seal-parts.ts): the task ranges, reading any range of a
 * file given as pieces, and the tasks' sealed bytes, which in order are the v2 layout of the whole
 * plaintext (header ‖ encryptChunk(key, 0, plaintext, final)) and decrypt with createDecryptStream.
 * End to end: chunk parts → file pieces → k seal tasks → the one-pass output.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BytesInfo,
  bytesInfo,
  bytesPiece,
  type ChainSink,
  createFileKey,
  encryptChunk,
  encryptedLength,
  filePieces,
  OUTPUT_FORMATS,
  objectPiece,
  type Piece,
  type PlaintextReader,
  piecesInfo,
  readPieces,
  runOutputChain,
  type SegmentedFileKey,
  sealedFilePieces,
  sealPieces,
  sealRange,
  sealTaskCount,
  sealTasks,
} from '../../../lib/output/index.js';
import { readAll } from '../../support/zip.js';
import { chunked, decrypt, PASSWORD } from './crypto-support.js';
import {
  assemble,
  mapRangeReader,
  type ObjectMap,
  randomBounds,
  storedChunks,
  writeChunks,
} from './parts-support.js';
import { testPlan } from './support.js';

const S = 1024; // the smallest segment size a reader accepts: many segments from little data

let smallKey: SegmentedFileKey;
let defaultKey: SegmentedFileKey;

beforeAll(async () => {
  [smallKey, defaultKey] = await Promise.all([
    createFileKey(PASSWORD, { segmentSize: S }),
    createFileKey(PASSWORD),
  ]);
});

/** A reader of `plaintext` that gives its range in irregular chunks. */
function bufferReader(plaintext: Buffer): PlaintextReader {
  return (start, end) =>
    Readable.from(chunked(plaintext.subarray(start, end), [1, 700, 3000, 5, 1024, 2048, 9]));
}

/** Every task's sealed bytes in order, and each task's reported info. */
async function sealAll(
  fileKey: SegmentedFileKey,
  plaintext: Buffer,
  k: number,
): Promise<{ file: Buffer; infos: unknown[]; parts: Buffer[] }> {
  const parts: Buffer[] = [];
  const infos: unknown[] = [];
  for (const task of sealTasks(plaintext.length, k, fileKey.segmentSize)) {
    const sealed = sealRange(fileKey, bufferReader(plaintext), task, plaintext.length);
    const bytes = await readAll(sealed.bytes);
    expect(bytes.length).toBe(sealed.length);
    infos.push(await sealed.info);
    parts.push(bytes);
  }
  return { file: Buffer.concat(parts), infos, parts };
}

describe('seal tasks', () => {
  it('cuts a plaintext into balanced runs of whole segments covering it, task 0 first', () => {
    // Prepare
    const cases = [
      [0, 1],
      [0, 3],
      [1, 2],
      [S, 2],
      [S + 1, 2],
      [10 * S, 3],
      [10 * S + 17, 4],
      [5 * S, 7],
    ];
    for (const [length, k] of cases) {
      // Act
      const tasks = sealTasks(length, k, S);
      // Assert
      const n = Math.max(1, Math.ceil(length / S));
      expect(tasks.map((t) => t.index)).toEqual([...Array(k).keys()]);
      expect(tasks[0].start).toBe(0);
      expect(tasks[0].segments).toBeGreaterThan(0);
      expect(tasks.at(-1)!.end).toBe(length);
      expect(tasks.reduce((sum, t) => sum + t.segments, 0)).toBe(n);
      const counts = tasks.map((t) => t.segments);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      for (let j = 0; j < k; j++) {
        const t = tasks[j];
        expect(t.start % S === 0 || t.start === length).toBe(true);
        if (j > 0) expect(t.start).toBe(tasks[j - 1].end);
        expect(t.firstSegment).toBe(j === 0 ? 0 : tasks[j - 1].firstSegment + tasks[j - 1].segments);
      }
      expect(tasks.reduce((sum, t) => sum + t.sealedLength, 0)).toBe(encryptedLength(length, S));
    }
  });

  it('asks for enough tasks that none seals more than the given bytes of the longest file', () => {
    // Prepare, Act, Assert
    expect(sealTaskCount([], 100)).toBe(1);
    expect(sealTaskCount([0, 50], 100)).toBe(1);
    expect(sealTaskCount([100, 101], 100)).toBe(2);
    expect(sealTaskCount([1000, 10], 100)).toBe(10);
  });
});

describe('readPieces', () => {
  it('reads any range across bytes and object pieces, in windows no larger than asked', async () => {
    // Prepare
    const objects: ObjectMap = new Map([
      ['a', randomBytes(5000)],
      ['b', randomBytes(1)],
      ['c', randomBytes(12_345)],
    ]);
    const pieces: Piece[] = [
      bytesPiece(Buffer.from('header')),
      objectPiece('a', bytesInfo(objects.get('a')!)),
      objectPiece('b', bytesInfo(objects.get('b')!)),
      bytesPiece(Buffer.from('middle')),
      objectPiece('c', bytesInfo(objects.get('c')!)),
      bytesPiece(Buffer.from('trailer!')),
    ];
    const whole = assemble(pieces, objects);
    const ranges = [
      [0, whole.length],
      [0, 0],
      [3, 4],
      [5, 5007],
      [6, 5006],
      [5006, 5007],
      [4000, 17_000],
      [whole.length - 9, whole.length],
    ];
    for (const [start, end] of ranges) {
      const reads: Array<[string, number, number]> = [];
      // Act
      const bytes = await readAll(
        readPieces(pieces, start, end, mapRangeReader(objects, reads), { windowBytes: 1000 }),
      );
      // Assert
      expect(bytes.equals(whole.subarray(start, end)), `${start}-${end}`).toBe(true);
      expect(reads.every(([, a, b]) => b - a > 0 && b - a <= 1000)).toBe(true);
    }
  });

  it('refuses a range past the file and a reader that gives the wrong number of bytes', async () => {
    // Prepare
    const objects: ObjectMap = new Map([['a', Buffer.alloc(10)]]);
    const pieces = [objectPiece('a', bytesInfo(objects.get('a')!))];
    const short = async () => Buffer.alloc(3);
    // Act
    const past = await readAll(readPieces(pieces, 0, 11, mapRangeReader(objects))).catch((e: unknown) => e);
    const wrong = await readAll(readPieces(pieces, 0, 10, short)).catch((e: unknown) => e);
    // Assert
    expect(past).toBeInstanceOf(RangeError);
    expect((wrong as Error).message).toMatch(/gave 3 bytes/);
  });
});

describe('sealRange', () => {
  const lengths = [0, 1, S - 1, S, S + 1, 3 * S, 7 * S + 513, 20 * S];
  for (const length of lengths) {
    it(`seals ${length} bytes in 1, 2, 3 and 7 tasks to the whole file's v2 layout, which decrypts`, async () => {
      // Prepare
      const plaintext = randomBytes(length);
      const expected = Buffer.concat([smallKey.header, encryptChunk(smallKey, 0, plaintext, true)]);
      for (const k of [1, 2, 3, 7]) {
        // Act
        const { file, infos, parts } = await sealAll(smallKey, plaintext, k);
        // Assert
        expect(file.equals(expected), `k=${k}`).toBe(true);
        expect(infos).toEqual(parts.map((p) => bytesInfo(p)));
      }
      // Every k gave these same bytes: one decryption (a PBKDF2 each) covers them all.
      expect((await decrypt(expected)).equals(plaintext)).toBe(true);
    });
  }

  it('seals with the default 64 KiB segments to bytes createDecryptStream reads', async () => {
    // Prepare
    const plaintext = randomBytes(5 * 65_536 + 100);
    // Act
    const { file } = await sealAll(defaultKey, plaintext, 3);
    // Assert
    expect(file.length).toBe(encryptedLength(plaintext.length));
    expect((await decrypt(file)).equals(plaintext)).toBe(true);
  });

  it('fails when the reader gives fewer bytes than the task’s range', async () => {
    // Prepare
    const plaintext = randomBytes(3 * S);
    const [task] = sealTasks(plaintext.length, 1, S);
    const short: PlaintextReader = (start, end) => Readable.from([plaintext.subarray(start, end - 1)]);
    // Act
    const sealed = sealRange(smallKey, short, task, plaintext.length);
    const failure = await readAll(sealed.bytes).catch((e: unknown) => e);
    // Assert
    expect((failure as Error).message).toMatch(/gave 3071 of 3072 bytes/);
    await expect(sealed.info).rejects.toThrow(/gave 3071/);
  });

  it('refuses a task of another plaintext length', async () => {
    // Prepare
    const [task] = sealTasks(10 * S, 2, S);
    // Act
    const sealed = sealRange(smallKey, bufferReader(Buffer.alloc(S)), task, S);
    // Assert
    await expect(readAll(sealed.bytes)).rejects.toThrow(/does not belong/);
  });
});

describe('sealed job files', () => {
  for (const compress of [true, false]) {
    it(`seals every format's file assembled from chunk parts in k tasks (gzip ${compress ? 'on' : 'off'}), to the one-pass output once decrypted`, async () => {
      // Prepare
      const plan = testPlan(120, 3);
      const objects: ObjectMap = new Map();
      const onePass = new Map<string, Buffer>();
      const sink: ChainSink = async (file, bytes) => {
        onePass.set(file.fileName, await readAll(bytes));
      };
      await runOutputChain(plan, { formats: OUTPUT_FORMATS, compress, sink });
      const chunks = await writeChunks(
        plan,
        randomBounds(120, 3, 5),
        { formats: OUTPUT_FORMATS, compress, deflatePlain: false },
        objects,
      );
      for (let f = 0; f < OUTPUT_FORMATS.length; f++) {
        const pieces = filePieces(storedChunks(chunks, f));
        const length = piecesInfo(pieces).size;
        const sealedParts: Array<{ key: string; part: BytesInfo }> = [];
        // Act
        for (const task of sealTasks(length, 4, S)) {
          const sealed = sealPieces(smallKey, pieces, task, mapRangeReader(objects), { windowBytes: 5000 });
          const key = `parts/s${task.index}/${f}.enc`;
          objects.set(key, await readAll(sealed.bytes));
          sealedParts.push({ key, part: await sealed.info });
        }
        const encrypted = assemble(sealedFilePieces(sealedParts), objects);
        // Assert
        const name = chunks[0][f].file_name;
        const plaintext = assemble(pieces, objects);
        expect(
          encrypted.equals(Buffer.concat([smallKey.header, encryptChunk(smallKey, 0, plaintext, true)])),
          name,
        ).toBe(true);
        const reference = onePass.get(name)!;
        expect(
          (compress ? gunzipSync(plaintext) : plaintext).equals(compress ? gunzipSync(reference) : reference),
          name,
        ).toBe(true);
        const info = piecesInfo(sealedFilePieces(sealedParts));
        expect([info.size, info.crc32]).toEqual([encrypted.length, bytesInfo(encrypted).crc32]);
        // One real decryption per mode (a PBKDF2 each); the layout check above covers the others.
        if (f === 0) expect((await decrypt(encrypted)).equals(plaintext), name).toBe(true);
      }
    });
  }
});
