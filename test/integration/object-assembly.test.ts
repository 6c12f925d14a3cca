/**
 * assembleObject (lib/domain/object-assembly.ts) against the local S3 (fauxqs with UploadPartCopy,
 * through S3ResultStore): a file of MB-sized stored objects and small in-memory pieces assembled by
 * copies and small uploads reads back byte for byte, with only the plan's few bytes read; a ZIP of
 * zip-pieces assembled the same way reads in python3's zipfile and `unzip -t`; a small file is one
 * PUT; a missing piece or an abort aborts the multipart upload and leaves no object.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/core/index.js';
import { assembleObject, type ResultStore } from '../../lib/domain/index.js';
import { createAwsClients, S3ResultStore } from '../../lib/infrastructure/index.js';
import {
  bytesInfo,
  bytesPiece,
  combineParts,
  crc32,
  deflatePart,
  gzipHeader,
  gzipTrailer,
  MANIFEST_FILE_NAME,
  objectPiece,
  type Piece,
  planParts,
  S3_MIN_PART_SIZE,
  type ZipPieceEntry,
  zipPieces,
} from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { readAll } from '../support/zip.js';

const env = useAwsEnv();
const store = new S3ResultStore(createAwsClients().s3, env.RESULTS_BUCKET);
const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
let run = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'object-assembly-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh prefix per test. */
function prefix(): string {
  run += 1;
  return `jobs/assembly-${Date.now()}-${run}/`;
}

/** Stores `bytes` as an object and gives it as a piece (fauxqs takes PUT bodies up to 11 MiB). */
async function stored(key: string, bytes: Buffer): Promise<Piece> {
  await store.put(key, bytes, { contentType: 'application/octet-stream' });
  return objectPiece(key, bytesInfo(bytes));
}

async function download(key: string): Promise<Buffer> {
  return readAll(await store.open(key));
}

/** The store as it is, counting parts in flight and remembering the upload ids and aborts. */
function watched(inner: ResultStore, onPart?: (method: string) => void) {
  const seen = { uploadIds: [] as string[], aborted: [] as string[], inFlight: 0, maxInFlight: 0 };
  const proxy = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const method = String(property);
        const isPart = method === 'copyPart' || method === 'uploadPart';
        if (isPart) {
          seen.inFlight += 1;
          seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
        }
        try {
          const result = await value.apply(target, args);
          if (method === 'createMultipart') seen.uploadIds.push(result as string);
          if (method === 'abortMultipart') seen.aborted.push(args[1] as string);
          if (isPart) onPart?.(method);
          return result;
        } finally {
          if (isPart) seen.inFlight -= 1;
        }
      };
    },
  });
  return { store: proxy as ResultStore, seen };
}

describe('assembleObject on the local S3', () => {
  it('assembles MB-sized objects and small pieces by copies and small uploads, reading only the plan bytes', async () => {
    // Prepare
    const at = prefix();
    const blobs = [
      randomBytes(6 * MiB),
      randomBytes(10 * MiB + 5),
      randomBytes(2 * MiB),
      randomBytes(8 * MiB),
    ];
    const small = [randomBytes(10), randomBytes(20), randomBytes(100), randomBytes(8)];
    const objects = await Promise.all(blobs.map((blob, i) => stored(`${at}parts/${i}`, blob)));
    const pieces = [
      bytesPiece(small[0]),
      objects[0],
      bytesPiece(small[1]),
      objects[1],
      objects[2],
      bytesPiece(small[2]),
      objects[3],
      bytesPiece(small[3]),
    ];
    const expected = Buffer.concat([
      small[0],
      blobs[0],
      small[1],
      blobs[1],
      blobs[2],
      small[2],
      blobs[3],
      small[3],
    ]);
    const { store: watchedStore, seen } = watched(store);
    // Act
    const result = await assembleObject(
      watchedStore,
      `${at}file.bin`,
      'application/octet-stream',
      pieces,
      undefined,
      {
        concurrency: 2,
      },
    );
    const back = await download(`${at}file.bin`);
    // Assert
    expect(back.length).toBe(expected.length);
    expect(sha256(back)).toBe(sha256(expected));
    expect(result.size).toBe(expected.length);
    expect(result.parts).toBeGreaterThanOrEqual(4);
    // Each small run reads less than twice the minimum part (plus the 2 MiB object itself).
    expect(result.bytesRead).toBeLessThan(2 * MiB + 3 * 2 * S3_MIN_PART_SIZE);
    expect(result.bytesRead).toBeLessThan(expected.length / 2);
    expect(seen.maxInFlight).toBeLessThanOrEqual(2);
    expect(seen.aborted).toEqual([]);
  });

  it('assembles a ZIP from zip-pieces (a gzip file stored, a deflate entry from full-flush parts, the manifest) that python3 zipfile and unzip -t read', async () => {
    // Prepare: a gzip file of three chunk parts (header, parts, trailer), stored in the ZIP; a JSON
    // file whose ZIP entry is its raw-deflate parts; the manifest last.
    const at = prefix();
    const gzInput = [randomBytes(6 * MiB), randomBytes(MiB), randomBytes(6 * MiB)];
    const gzParts = gzInput.map((input, i) => deflatePart(input, { last: i === gzInput.length - 1 }));
    const gzObjects = await Promise.all(
      gzParts.map((part, i) => stored(`${at}parts/c${i}/patients.json.gz`, part.deflated)),
    );
    const gzPieces = [bytesPiece(gzipHeader()), ...gzObjects, bytesPiece(gzipTrailer(combineParts(gzParts)))];
    const gzFile = Buffer.concat([
      gzipHeader(),
      ...gzParts.map((p) => p.deflated),
      gzipTrailer(combineParts(gzParts)),
    ]);
    const jsonInput = [
      Buffer.from(`[${'{"triage":"T1","ok":true},'.repeat(40_000)}`),
      randomBytes(6 * MiB),
      Buffer.from('{"last":1}]'),
    ];
    const jsonParts = jsonInput.map((input, i) => deflatePart(input, { last: i === jsonInput.length - 1 }));
    const jsonObjects = await Promise.all(
      jsonParts.map((part, i) => stored(`${at}parts/c${i}/patients.json.deflate`, part.deflated)),
    );
    const jsonWhole = combineParts(jsonParts);
    const entries: ZipPieceEntry[] = [
      {
        name: 'patients.json.gz',
        method: 'stored',
        crc32: crc32(gzFile),
        uncompressedSize: gzFile.length,
        compressedSize: gzFile.length,
        data: gzPieces,
      },
      {
        name: 'patients.json',
        method: 'deflate',
        crc32: jsonWhole.crc32,
        uncompressedSize: jsonWhole.length,
        compressedSize: jsonObjects.reduce((sum, p) => sum + p.size, 0),
        data: jsonObjects,
      },
    ];
    const manifest = Buffer.from(JSON.stringify({ files: ['patients.json.gz', 'patients.json'] }));
    const layout = zipPieces(entries, { date: new Date('2026-01-02T03:04:06Z'), manifest });
    // Act
    const result = await assembleObject(store, `${at}patients.zip`, 'application/zip', layout.pieces);
    const zip = await download(`${at}patients.zip`);
    const file = join(dir, `assembled-${run}.zip`);
    await writeFile(file, zip);
    const python = spawnSync(
      'python3',
      [
        '-c',
        `import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"bad": z.testzip(), "entries": {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}}))`,
        file,
      ],
      { encoding: 'utf8', maxBuffer: 16 * MiB },
    );
    const unzip = spawnSync('unzip', ['-tq', file], { encoding: 'utf8' });
    // Assert
    expect(zip.length).toBe(layout.size);
    expect(result.size).toBe(layout.size);
    expect(python.status, python.stderr).toBe(0);
    expect(JSON.parse(python.stdout)).toEqual({
      bad: null,
      entries: {
        'patients.json.gz': sha256(gzFile),
        'patients.json': sha256(Buffer.concat(jsonInput)),
        [MANIFEST_FILE_NAME]: sha256(manifest),
      },
    });
    expect(unzip.status, unzip.stdout + unzip.stderr).toBe(0);
    expect(result.bytesRead).toBe(planParts(layout.pieces).bytesRead);
  });

  it('stores a file under the minimum part with one PUT', async () => {
    // Prepare
    const at = prefix();
    const blob = randomBytes(300_000);
    const pieces = [
      bytesPiece(Buffer.from('head')),
      await stored(`${at}parts/0`, blob),
      bytesPiece(Buffer.from('tail')),
    ];
    const { store: watchedStore, seen } = watched(store);
    // Act
    const result = await assembleObject(watchedStore, `${at}small.bin`, 'text/plain', pieces);
    // Assert
    expect(result).toEqual({ size: blob.length + 8, bytesRead: blob.length, parts: 0 });
    expect(seen.uploadIds).toEqual([]);
    expect(
      (await download(`${at}small.bin`)).equals(
        Buffer.concat([Buffer.from('head'), blob, Buffer.from('tail')]),
      ),
    ).toBe(true);
  });

  it('aborts the multipart upload when a piece is missing, and leaves no object', async () => {
    // Prepare
    const at = prefix();
    const present = await stored(`${at}parts/0`, randomBytes(6 * MiB));
    const missing = objectPiece(`${at}parts/missing`, bytesInfo(randomBytes(7 * MiB)));
    const { store: watchedStore, seen } = watched(store);
    // Act
    const assembling = assembleObject(watchedStore, `${at}broken.bin`, 'application/octet-stream', [
      present,
      bytesPiece(Buffer.from('between')),
      missing,
    ]);
    // Assert
    await expect(assembling).rejects.toBeInstanceOf(NotFoundError);
    expect(seen.uploadIds).toHaveLength(1);
    expect(seen.aborted).toEqual(seen.uploadIds);
    await expect(
      store.uploadPart(`${at}broken.bin`, seen.uploadIds[0], 1, Buffer.from('x')),
    ).rejects.toThrow();
    await expect(store.open(`${at}broken.bin`)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stops on abort: no further parts start, the upload is aborted, the reason is thrown', async () => {
    // Prepare
    const at = prefix();
    const objects = await Promise.all(
      Array.from({ length: 5 }, (_, i) => stored(`${at}parts/${i}`, randomBytes(5 * MiB + i))),
    );
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    let parts = 0;
    const { store: watchedStore, seen } = watched(store, () => {
      parts += 1;
      if (parts === 1) controller.abort(reason);
    });
    // Act
    const assembling = assembleObject(
      watchedStore,
      `${at}aborted.bin`,
      'application/octet-stream',
      objects,
      controller.signal,
      { concurrency: 1 },
    );
    // Assert
    await expect(assembling).rejects.toBe(reason);
    expect(parts).toBe(1);
    expect(seen.aborted).toEqual(seen.uploadIds);
    await expect(store.open(`${at}aborted.bin`)).rejects.toBeInstanceOf(NotFoundError);
  });
});
