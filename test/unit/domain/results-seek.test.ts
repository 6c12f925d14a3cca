/**
 * Where a results page starts reading (lib/domain/results-seek.ts): the chunk's part, or the start;
 * inside an uncompressed part, the record's own line, found by a few ranged reads.
 */

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  locateFlushPoint,
  locateRecord,
  NEAR_BYTES,
  placePositions,
  placeRecord,
  type ReadRange,
  recordSeek,
  SEPARATE_READ_GAP,
} from '../../../lib/domain/results-seek.js';
import { generate } from '../../../lib/generation/index.js';
import { FLUSH_POINT_EVERY, writeChunkParts } from '../../../lib/output/index.js';
import { patientJson } from '../../../lib/output/patient-json.js';
import { testPlan } from '../output/support.js';

const job = (bounds: number[] | undefined, compressed: boolean) => ({
  chunking: bounds ? { plan_id: 'p', bounds } : undefined,
  config: { use_compression: compressed } as never,
});
const parts = (part_sizes: number[]) => ({
  checksum: { algorithm: 'sha256-of-parts' as const, part_sizes, value: '0'.repeat(64) },
});

/** A JSON array file as the generator writes it (one record per line), with each record's line start. */
function jsonFile(patients: number): { bytes: Buffer; lineStarts: number[] } {
  const lineStarts: number[] = [];
  const pieces: string[] = ['['];
  let size = 1;
  for (const record of generate(testPlan(patients, 5))) {
    const separator = pieces.length === 1 ? '\n' : ',\n';
    const text = patientJson(record);
    lineStarts.push(size + separator.length);
    pieces.push(separator, text);
    size += separator.length + Buffer.byteLength(text);
  }
  pieces.push('\n]\n');
  return { bytes: Buffer.from(pieces.join('')), lineStarts };
}

/** Bytes [start, end) of `bytes`, counting the reads. */
function reader(bytes: Buffer): { read: ReadRange; reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    reads,
    read: async (start, end) => {
      reads.push([start, end]);
      return bytes.subarray(start, end);
    },
  };
}

describe('results seek', () => {
  it('starts at the part of the chunk holding the patient, after the gzip header when compressed', () => {
    // Act + Assert: chunks [0, 250), [250, 500), [500, 600).
    expect(recordSeek(job([0, 250, 500, 600], false), parts([1000, 2000, 400]), 520)).toEqual({
      from: 3000,
      rawDeflate: false,
      to: 3400,
      first: 500,
      end: 600,
    });
    expect(recordSeek(job([0, 250, 500, 600], true), parts([10, 100, 200, 40, 8]), 250)).toEqual({
      from: 110,
      rawDeflate: true,
      to: 310,
      first: 250,
      end: 500,
    });
  });

  it('starts an uncompressed first chunk, or a single chunk, at byte 0 with its range', () => {
    // Act + Assert
    expect(recordSeek(job([0, 250, 500], false), parts([1000, 2000]), 249)).toEqual({
      from: 0,
      rawDeflate: false,
      to: 1000,
      first: 0,
      end: 250,
    });
    expect(recordSeek(job([0, 500], false), parts([3000]), 400)).toMatchObject({
      from: 0,
      to: 3000,
      end: 500,
    });
  });

  it('starts a compressed first chunk after the gzip header, as raw deflate', () => {
    // Act + Assert
    expect(recordSeek(job([0, 250, 500], true), parts([10, 1000, 2000, 8]), 249)).toEqual({
      from: 10,
      rawDeflate: true,
      to: 1010,
      first: 0,
      end: 250,
    });
  });

  it('reads from the start for a whole-file checksum or pieces that do not match the chunks', () => {
    // Act + Assert
    expect(recordSeek(job(undefined, false), parts([3000]), 400)).toBeUndefined();
    expect(recordSeek(job([0, 250, 500], false), { checksum: undefined }, 400)).toBeUndefined();
    expect(recordSeek(job([0, 250, 500], true), parts([1000, 2000]), 400)).toBeUndefined();
    expect(recordSeek(job([0, 250, 500], false), parts([10, 1000, 2000, 8]), 400)).toBeUndefined();
  });
});

describe('locating a record in an uncompressed file', () => {
  const { bytes, lineStarts } = jsonFile(600);
  const whole = { low: { offset: 0, id: 0 }, high: { offset: bytes.length, id: 600 } };

  it('finds the line of every patient, or one within about `nearBytes` before it, in a few 64 KiB reads', async () => {
    // Prepare: 16 KiB as near enough, where the file is 2.9 MB.
    const near = 16 * 1024;
    let worstReads = 0;
    for (let target = 0; target < 600; target++) {
      const { read, reads } = reader(bytes);
      // Act
      const place = await locateRecord(read, whole.low, whole.high, target, near);
      // Assert: a patient's line start before the target, close enough to read from.
      expect(place.id).toBeLessThanOrEqual(target);
      expect(place.offset).toBe(place.id === 0 ? 0 : lineStarts[place.id]);
      expect(lineStarts[target] - place.offset).toBeLessThanOrEqual(2 * near);
      worstReads = Math.max(worstReads, reads.length);
      for (const [start, end] of reads) expect(end - start).toBeLessThanOrEqual(64 * 1024);
    }
    expect(bytes.length).toBeGreaterThan(100 * near);
    expect(worstReads).toBeLessThanOrEqual(4);
  });

  it('reads nothing for a target estimated within 4 MiB (NEAR_BYTES) of the known place', async () => {
    // Prepare: the whole 2.9 MB file is near enough.
    const { read, reads } = reader(bytes);
    // Act
    const place = await locateRecord(read, whole.low, whole.high, 599);
    // Assert
    expect(NEAR_BYTES).toBe(4 * 1024 * 1024);
    expect(place).toEqual({ offset: 0, id: 0 });
    expect(reads).toEqual([]);
  });

  it('places a deep page of a chunk at its own line: the file read from there, skipping what is left', async () => {
    // Prepare: one uncompressed chunk of 1,500 patients (about 7 MB), a target past NEAR_BYTES.
    const big = jsonFile(1_500);
    const seek = recordSeek(job([0, 1_500], false), parts([big.bytes.length]), 1_400)!;
    const { read, reads } = reader(big.bytes);
    // Act
    const place = await placeRecord(seek, read, 1_400);
    // Assert
    const lines = big.bytes.toString('utf8', place.from).split('\n');
    const record = JSON.parse(lines[place.skip].replace(/,$/, '')) as { id: number };
    expect(record.id).toBe(1_400);
    expect(big.lineStarts[1_400] - place.from).toBeLessThanOrEqual(2 * NEAR_BYTES);
    expect(place.from).toBeGreaterThan(big.lineStarts[100]);
    expect(reads.length).toBeGreaterThan(0);
  });

  it('stops at the best known place when the lines are not the generator`s records', async () => {
    // Prepare: 200 lines of another layout, and lines whose ids do not count up.
    const other = Buffer.from(Array.from({ length: 200 }, (_, i) => `{"name":"p${i}"}`).join('\n'));
    const shuffled = Buffer.from(
      Array.from(
        { length: 200 },
        (_, i) => `{"schema_version":"1","id":${(i * 7) % 200},"x":"${'y'.repeat(900)}"}`,
      ).join('\n'),
    );
    // Act
    const a = await locateRecord(
      reader(other).read,
      { offset: 0, id: 0 },
      { offset: other.length, id: 200 },
      150,
    );
    const b = await locateRecord(
      reader(shuffled).read,
      { offset: 0, id: 0 },
      { offset: shuffled.length, id: 200 },
      150,
    );
    // Assert
    expect(a).toEqual({ offset: 0, id: 0 });
    expect(b).toEqual({ offset: 0, id: 0 });
  });

  it('reads a compressed part from its chunk`s start, without a probe, when no flush point lies between', async () => {
    // Prepare
    const seek = recordSeek(job([0, 250, 500], true), parts([10, 100, 200, 8]), 400)!;
    const { read, reads } = reader(Buffer.alloc(0));
    // Act
    const place = await placeRecord(seek, read, 400);
    // Assert
    expect(place).toEqual({ from: 110, skip: 150 });
    expect(reads).toEqual([]);
  });
});

describe('locating a flush point in a compressed part', () => {
  /** Patients [from, to) of a plan as one compressed JSON chunk part, as a job's chunk writes it. */
  async function compressedPart(patients: number, from: number): Promise<Buffer> {
    const pieces: Buffer[] = [];
    await writeChunkParts(testPlan(patients, 5), {
      formats: ['json'],
      compress: true,
      from,
      to: patients,
      last: true,
      sink: async (_target, bytes) => {
        for await (const chunk of bytes) pieces.push(chunk as Buffer);
      },
    });
    return Buffer.concat(pieces);
  }

  /** The id of the record raw deflate from `offset` starts with. */
  function firstId(part: Buffer, offset: number): number {
    const text = inflateRawSync(part.subarray(offset, offset + 4096), { finishFlush: 2 }).toString();
    return Number(/^[\s,[]*\{"schema_version":"[^"]*","id":(\d+),/.exec(text)?.[1]);
  }

  it('finds the flush point before each target in a few reads, where inflating reads on from its record', async () => {
    // Prepare: patients [300, 5300) in one part; flush points at 1000, 2000, 3000, 4000 and 5000.
    const part = await compressedPart(5300, 300);
    const { read, reads } = reader(part);
    const low = { offset: 0, id: 300 };
    const high = { offset: part.length, id: 5300 };
    // Act
    const places = [];
    for (const target of [300, 999, 1000, 2345, 4999, 5000, 5299]) {
      places.push(await locateFlushPoint(read, low, high, target));
    }
    // Assert
    expect(FLUSH_POINT_EVERY).toBe(1000);
    expect(places.map((p) => p.id)).toEqual([300, 300, 1000, 2000, 4000, 5000, 5000]);
    expect(places[0].offset).toBe(0);
    for (const place of places.slice(2)) expect(firstId(part, place.offset)).toBe(place.id);
    // Two targets need no read (no flush point after the part's start); the others a few each.
    expect(reads.length).toBeLessThanOrEqual(5 * 3);
  });

  it('ends at the part`s start in a part without flush points (one written before them)', async () => {
    // Prepare: the same patients deflated in one go, as parts were before flush points.
    const plain = inflateRawSync(await compressedPart(3300, 300));
    const part = deflateRawSync(plain, { level: 6 });
    const { read } = reader(part);
    // Act
    const place = await locateFlushPoint(
      read,
      { offset: 0, id: 300 },
      { offset: part.length, id: 3300 },
      2500,
    );
    // Assert
    expect(place).toEqual({ offset: 0, id: 300 });
  });

  it('reads scattered positions of a page from the flush point before each, nearby ones in one read', async () => {
    // Prepare: one compressed chunk of patients [0, 5300) between a 10-byte header and an 8-byte trailer.
    const part = await compressedPart(5300, 0);
    const file = Buffer.concat([Buffer.alloc(10), part, Buffer.alloc(8)]);
    const { read } = reader(file);

    // Act
    const reads = await placePositions(
      job([0, 5300], true),
      parts([10, part.length, 8]),
      [5, 40, 2345, 2400, 4999],
      read,
    );

    // Assert: [5, 40] from the part's start, [2345, 2400] from the flush point at 2000, 4999 from 4000.
    expect(SEPARATE_READ_GAP).toBe(FLUSH_POINT_EVERY);
    expect(reads.map((r) => r.counted)).toEqual([[5, 40], [345, 400], [999]]);
    expect(reads[0]).toMatchObject({ from: 10, rawDeflate: true });
    expect(reads.map((r) => firstId(file, r.from))).toEqual([0, 2000, 4000]);
  });

  it('keeps one read per chunk for a part without flush points, rather than reading it again', async () => {
    // Prepare: the same kind of chunk deflated in one go, as parts were before flush points.
    const part = deflateRawSync(inflateRawSync(await compressedPart(3300, 0)), { level: 6 });
    const file = Buffer.concat([Buffer.alloc(10), part, Buffer.alloc(8)]);

    // Act
    const reads = await placePositions(
      job([0, 3300], true),
      parts([10, part.length, 8]),
      [5, 2345, 3299],
      reader(file).read,
    );

    // Assert
    expect(reads).toEqual([{ from: 10, rawDeflate: true, counted: [5, 2345, 3299] }]);
  });
});

describe('placing the reads of a page`s positions in an uncompressed file', () => {
  it('starts a read at the line of a position more than SEPARATE_READ_GAP after the one before', async () => {
    // Prepare: one uncompressed chunk of 1,500 patients (about 7 MB).
    const big = jsonFile(1_500);
    const seek = { record: job([0, 1_500], false), file: parts([big.bytes.length]) };

    // Act
    const apart = await placePositions(seek.record, seek.file, [3, 1_400], reader(big.bytes).read);
    const near = await placePositions(seek.record, seek.file, [3, 900], reader(big.bytes).read);
    const unchunked = await placePositions(
      job(undefined, false),
      parts([1]),
      [3, 1_400],
      reader(big.bytes).read,
    );

    // Assert
    expect(apart).toHaveLength(2);
    expect(apart[0]).toEqual({ from: 0, rawDeflate: false, counted: [3] });
    expect(apart[1].from).toBeGreaterThan(big.lineStarts[100]);
    const lines = big.bytes.toString('utf8', apart[1].from).split('\n');
    expect(JSON.parse(lines[apart[1].counted[0]].replace(/,$/, '')).id).toBe(1_400);
    expect(near).toEqual([{ from: 0, rawDeflate: false, counted: [3, 900] }]);
    expect(unchunked).toEqual([{ from: 0, rawDeflate: false, counted: [3, 1_400] }]);
  });
});
