/**
 * Composable gzip (lib/output/gzip-parts.ts): parts deflated apart, each ending on a full flush and the
 * last on the final block, make one gzip member with the header before them and the trailer (CRC-32
 * combined from the parts' CRCs) after them; gunzip and the system's `gzip -t` read it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, gzipSync, crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGzipStream } from '../../../lib/output/gzip.js';
import {
  combineParts,
  crc32,
  crc32Combine,
  DeflatePartStream,
  deflatePart,
  GZIP_HEADER_BYTES,
  GZIP_TRAILER_BYTES,
  gzipFromParts,
  gzipHeader,
  gzipTrailer,
} from '../../../lib/output/gzip-parts.js';
import { readAll } from '../../support/zip.js';
import { render, testPlan } from './support.js';

const hasGzip = spawnSync('gzip', ['--version'], { stdio: 'ignore' }).status === 0;

/** Bytes that compress like a mix of records and noise: repeated text runs and random runs. */
const mixedBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc
        .tuple(fc.string({ maxLength: 40 }), fc.integer({ min: 1, max: 200 }))
        .map(([text, times]) => new Uint8Array(Buffer.from(text.repeat(times)))),
    ),
    { maxLength: 12 },
  )
  .map((pieces) => Buffer.concat(pieces));

/** `data` cut at `cuts` (any numbers; taken modulo the length, sorted, duplicates give empty parts). */
function split(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = cuts.map((cut) => (data.length === 0 ? 0 : cut % (data.length + 1))).sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(data.subarray(start, point));
    start = point;
  }
  parts.push(data.subarray(start));
  return parts;
}

function deflateAll(parts: readonly Buffer[], level?: number) {
  return parts.map((part, i) => deflatePart(part, { last: i === parts.length - 1, level }));
}

/** Deflates one part through the stream, written in `pieces`, into a reader that is slower than zlib. */
async function streamPart(pieces: readonly Buffer[], last: boolean) {
  const stream = new DeflatePartStream({ last });
  const out: Buffer[] = [];
  const slowReader = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      void sleep(0).then(() => callback());
    },
  });
  await pipeline(Readable.from(pieces), stream, slowReader);
  return { deflated: Buffer.concat(out), ...stream.summary, deflatedLength: stream.deflatedLength };
}

describe('composable gzip parts', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'milmed-gzip-parts-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gunzips header + parts + trailer to the input, however the input is split', () => {
    fc.assert(
      fc.property(
        mixedBytes,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (data, cuts, level) => {
          // Prepare
          const parts = split(data, cuts);
          // Act
          const gz = gzipFromParts(deflateAll(parts, level), level);
          // Assert
          expect(gunzipSync(gz).equals(data)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.skipIf(!hasGzip)(
    'writes files the system gzip accepts (gzip -t) and decompresses to the input',
    async () => {
      // Prepare: three shapes of input, each in several parts, some of them empty.
      const inputs = [
        Buffer.concat([Buffer.from('{"id":1}\n'.repeat(50_000)), randomBytes(70_000)]),
        randomBytes(300_000),
        Buffer.alloc(0),
      ];
      for (const [i, input] of inputs.entries()) {
        const parts = split(input, [0, 1, 65_536, 65_536, 200_000, input.length]);
        const file = join(dir, `parts-${i}.gz`);
        // Act
        await writeFile(file, gzipFromParts(deflateAll(parts)));
        const test = spawnSync('gzip', ['-t', file], { encoding: 'utf8' });
        const decompressed = spawnSync('gzip', ['-dc', file], { maxBuffer: 16 * 1024 * 1024 });
        // Assert
        expect(test.status, test.stderr).toBe(0);
        expect(decompressed.status).toBe(0);
        expect(Buffer.from(decompressed.stdout).equals(input)).toBe(true);
      }
    },
  );

  it('composes empty parts anywhere: first, middle, last, and a file of empty parts only', () => {
    // Prepare
    const text = Buffer.from('patient,triage\n1,T1\n2,T3\n'.repeat(100));
    const layouts = [
      [Buffer.alloc(0), text],
      [text.subarray(0, 10), Buffer.alloc(0), Buffer.alloc(0), text.subarray(10)],
      [text, Buffer.alloc(0)],
      [Buffer.alloc(0)],
      [Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)],
    ];
    for (const parts of layouts) {
      // Act
      const deflated = deflateAll(parts);
      const gz = gzipFromParts(deflated);
      // Assert
      expect(gunzipSync(gz).equals(Buffer.concat(parts))).toBe(true);
      const emptyMiddle = deflated.filter((part, i) => part.length === 0 && i < parts.length - 1);
      for (const part of emptyMiddle) expect([...part.deflated]).toEqual([0, 0, 0, 0xff, 0xff]);
    }
  });

  it('gives exactly the bytes of the one-pass gzip stream (gzip.ts) when the file is one part', async () => {
    // Prepare
    const data = Buffer.from(JSON.stringify({ patients: Array.from({ length: 500 }, (_, id) => ({ id })) }));
    for (const level of [1, 6, 9]) {
      // Act
      const onePart = gzipFromParts([deflatePart(data, { last: true, level })], level);
      const oneStream = await readAll(Readable.from([data]).pipe(createGzipStream({ level })));
      // Assert
      expect(onePart.equals(oneStream), `level ${level}`).toBe(true);
    }
  });

  it('writes the same header as createGzipStream for every level, and refuses a level outside 1..9', async () => {
    for (let level = 1; level <= 9; level++) {
      // Act
      const stream = await readAll(Readable.from([Buffer.from('x')]).pipe(createGzipStream({ level })));
      // Assert
      expect(gzipHeader(level).equals(stream.subarray(0, GZIP_HEADER_BYTES)), `level ${level}`).toBe(true);
    }
    expect(() => gzipHeader(0)).toThrow(RangeError);
    expect(() => deflatePart(Buffer.from('x'), { last: true, level: 10 })).toThrow(/1 to 9/);
    expect(() => new DeflatePartStream({ last: false, level: 0.5 })).toThrow(RangeError);
  });

  it('writes CRC-32 and ISIZE = length mod 2^32 in the trailer, little-endian', () => {
    // Act
    const trailer = gzipTrailer({ crc32: 0xcbf43926, length: 2 ** 32 + 7 });
    // Assert
    expect(trailer.length).toBe(GZIP_TRAILER_BYTES);
    expect(trailer.readUInt32LE(0)).toBe(0xcbf43926);
    expect(trailer.readUInt32LE(4)).toBe(7);
    expect(() => gzipTrailer({ crc32: 0, length: -1 })).toThrow(RangeError);
  });

  it('streams a part to the same bytes and summary as deflatePart, through a slow reader', async () => {
    // Prepare: 3 MB in 64 KiB pieces, so zlib's output outruns the reader and has to wait.
    const data = Buffer.concat([
      Buffer.from('{"triage":"T2","role":3}\n'.repeat(80_000)),
      randomBytes(1_000_000),
    ]);
    const pieces = split(
      data,
      Array.from({ length: Math.ceil(data.length / 65_536) }, (_, i) => i * 65_536),
    );
    for (const last of [false, true]) {
      // Act
      const streamed = await streamPart(pieces, last);
      const inMemory = deflatePart(data, { last });
      // Assert
      expect(streamed.deflated.equals(inMemory.deflated), `last ${last}`).toBe(true);
      expect(streamed.deflatedLength).toBe(inMemory.deflated.length);
      expect({ crc32: streamed.crc32, length: streamed.length }).toEqual({
        crc32: inMemory.crc32,
        length: data.length,
      });
    }
  });

  it('round-trips parts streamed from random pieces', async () => {
    await fc.assert(
      fc.asyncProperty(mixedBytes, fc.array(fc.nat(), { maxLength: 4 }), async (data, cuts) => {
        // Prepare
        const parts = split(data, cuts);
        // Act
        const streamed = await Promise.all(
          parts.map((part, i) => streamPart(split(part, [7, 500]), i === parts.length - 1)),
        );
        const gz = gzipFromParts(streamed);
        // Assert
        expect(gunzipSync(gz).equals(data)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('compresses patient JSON written in ranges within 3% of one-pass gzip', async () => {
    // Prepare: 2000 patients (about 7.7 MB of JSON), the document written as 4 and as 10 ranges.
    const patients = 2000;
    const plan = testPlan(patients);
    const whole = await render(plan, 'json');
    const oneShot = gzipSync(whole, { level: 6 }).length;
    for (const count of [4, 10]) {
      const ranges = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          render(plan, 'json', Math.floor((i * patients) / count), Math.floor(((i + 1) * patients) / count)),
        ),
      );
      // Act
      const gz = gzipFromParts(deflateAll(ranges));
      // Assert
      expect(Buffer.concat(ranges).equals(whole)).toBe(true);
      expect(gunzipSync(gz).equals(whole)).toBe(true);
      expect(gz.length / oneShot, `${count} parts: ${gz.length} vs ${oneShot} bytes`).toBeLessThan(1.03);
    }
  });
});

describe('CRC-32 combine', () => {
  it('equals the CRC-32 of the concatenation (zlib.crc32)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.uint8Array({ maxLength: 5000 }), (a, b) => {
        // Act
        const combined = crc32Combine(crc32(a), crc32(b), b.length);
        // Assert
        expect(combined).toBe(zlibCrc32(Buffer.concat([a, b])) >>> 0);
      }),
      { numRuns: 300 },
    );
  });

  it('combines many parts in order, empty ones included, to the CRC-32 and length of the whole', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 10 }), (parts) => {
        // Act
        const whole = combineParts(parts.map((part) => ({ crc32: crc32(part), length: part.length })));
        // Assert
        const all = Buffer.concat(parts);
        expect(whole).toEqual({ crc32: zlibCrc32(all) >>> 0, length: all.length });
      }),
    );
  });

  it('returns the first CRC for an empty second part and knows the check value of "123456789"', () => {
    // Assert
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32Combine(0xcbf43926, 0, 0)).toBe(0xcbf43926);
    expect(crc32Combine(crc32('12345'), crc32('6789'), 4)).toBe(0xcbf43926);
  });

  it('stays associative for lengths past 2^32, where the length no longer fits 32 bits', () => {
    fc.assert(
      fc.property(
        fc.tuple(...Array.from({ length: 3 }, () => fc.integer({ min: 0, max: 0xffffffff }))),
        fc.integer({ min: 2 ** 31, max: 2 ** 33 }),
        fc.integer({ min: 2 ** 31, max: 2 ** 33 }),
        ([x, y, z], m, n) => {
          // Act
          const left = crc32Combine(crc32Combine(x, y, m), z, n);
          const right = crc32Combine(x, crc32Combine(y, z, n), m + n);
          // Assert
          expect(left).toBe(right);
        },
      ),
      { numRuns: 50 },
    );
    expect(() => crc32Combine(0, 0, -1)).toThrow(RangeError);
    expect(() => crc32Combine(0, 0, 1.5)).toThrow(RangeError);
  });
});
