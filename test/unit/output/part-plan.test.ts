/**
 * The multipart plan of a file made of pieces (lib/output/part-plan.ts): the parts concatenate to
 * exactly the pieces' bytes, every part but the last is at least the minimum and none above the
 * maximum, large objects are copied, and the bytes read back for small pieces are bounded by a
 * constant per small piece, not by the file's size.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type PartPlan,
  planParts,
  S3_MAX_PART_SIZE,
  S3_MIN_PART_SIZE,
  type UploadSegment,
} from '../../../lib/output/part-plan.js';
import { bytesInfo, bytesPiece, objectPiece, type Piece } from '../../../lib/output/pieces.js';

const MiB = 1024 * 1024;

/** A piece of `size` bytes that no one reads: only the plan's arithmetic is looked at. */
function syntheticObject(key: string, size: number): Piece {
  return objectPiece(key, { size, sha256: '0'.repeat(64), crc32: 0 });
}

function syntheticBytes(size: number): Piece {
  return bytesPiece(Buffer.alloc(size, 1));
}

/** The bytes a plan produces, resolving reads and copies against `objects`. */
function execute(plan: PartPlan, objects: Map<string, Buffer>): Buffer[] {
  const segment = (s: UploadSegment) =>
    s.kind === 'bytes' ? s.bytes : objects.get(s.key)!.subarray(s.start, s.end);
  if (plan.kind === 'put') return [Buffer.concat(plan.segments.map(segment))];
  return plan.parts.map((part) =>
    part.kind === 'copy'
      ? objects.get(part.source.key)!.subarray(part.source.start, part.source.end)
      : Buffer.concat(part.segments.map(segment)),
  );
}

/** Bytes read back (ranged reads) per object key. */
function readsByKey(plan: PartPlan): Map<string, number> {
  const reads = new Map<string, number>();
  const segments =
    plan.kind === 'put' ? plan.segments : plan.parts.flatMap((p) => (p.kind === 'upload' ? p.segments : []));
  for (const s of segments)
    if (s.kind === 'read') reads.set(s.key, (reads.get(s.key) ?? 0) + s.end - s.start);
  return reads;
}

const pieceSpecs = fc.array(
  fc.record({
    kind: fc.constantFrom('bytes' as const, 'object' as const),
    size: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 700 })),
  }),
  { maxLength: 25 },
);

describe('planParts', () => {
  it('gives parts that concatenate to the pieces, within the size rules, with reads bounded per small piece (property)', () => {
    fc.assert(
      fc.property(
        pieceSpecs,
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 300 }),
        (specs, min, extra) => {
          // Prepare
          const max = 2 * min + extra;
          const objects = new Map<string, Buffer>();
          const pieces: Piece[] = specs.map((spec, i) => {
            const bytes = randomBytes(spec.size);
            if (spec.kind === 'bytes') return bytesPiece(bytes);
            objects.set(`o${i}`, bytes);
            return objectPiece(`o${i}`, bytesInfo(bytes));
          });
          const whole = Buffer.concat(
            pieces.map((p) => (p.kind === 'bytes' ? p.bytes : objects.get(p.key)!)),
          );
          // Act
          const plan = planParts(pieces, { minPartSize: min, maxPartSize: max });
          const parts = execute(plan, objects);
          // Assert: the bytes.
          expect(Buffer.concat(parts).equals(whole)).toBe(true);
          expect(plan.size).toBe(whole.length);
          expect(plan.kind).toBe(whole.length < min ? 'put' : 'multipart');
          if (plan.kind === 'put') return;
          // The size rules and numbering.
          plan.parts.forEach((part, i) => {
            expect(part.partNumber).toBe(i + 1);
            expect(part.size).toBe(parts[i].length);
            expect(part.size).toBeLessThanOrEqual(max);
            if (i < plan.parts.length - 1) expect(part.size).toBeGreaterThanOrEqual(min);
            else expect(part.size).toBeGreaterThan(0);
          });
          // Reads: the small pieces' own objects, plus under 2 × min per small piece.
          const small = pieces.filter((p) => p.size > 0 && (p.kind === 'bytes' || p.size < min));
          const smallObjects = small.reduce((sum, p) => sum + (p.kind === 'object' ? p.size : 0), 0);
          expect(plan.bytesRead).toBeLessThanOrEqual(smallObjects + small.length * 2 * min);
          const reads = readsByKey(plan);
          expect(plan.bytesRead).toBe([...reads.values()].reduce((a, b) => a + b, 0));
          for (const piece of pieces) {
            if (piece.kind !== 'object' || piece.size < min) continue;
            // An object of at least the minimum is copied but for a head and a tail (each under min),
            // or read whole when it is under 2 × min.
            expect(reads.get(piece.key) ?? 0).toBeLessThan(2 * min);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("reads the same bytes for a gzip file's header and trailer however many chunk parts it has", () => {
    // Prepare: 8 MiB parts cannot lend a 5 MiB head and still be copied, so the first is read whole
    // (under 2 × 5 MiB) and the header rides on it; every other part is copied; the trailer is last.
    const file = (chunks: number, partSize: number) => [
      syntheticBytes(10),
      ...Array.from({ length: chunks }, (_, i) => syntheticObject(`c${i}`, partSize)),
      syntheticBytes(8),
    ];
    // Act
    const eight = [1, 10, 1000].map((chunks) => planParts(file(chunks, 8 * MiB)));
    const twelve = [1, 10, 1000].map((chunks) => planParts(file(chunks, 12 * MiB)));
    // Assert
    expect(eight.map((plan) => plan.bytesRead)).toEqual([8 * MiB, 8 * MiB, 8 * MiB]);
    expect(twelve.map((plan) => plan.bytesRead)).toEqual(Array(3).fill(S3_MIN_PART_SIZE - 10));
    const big = twelve[2];
    if (big.kind !== 'multipart') throw new Error('expected multipart');
    expect(big.parts.filter((p) => p.kind === 'copy')).toHaveLength(1000);
    expect(big.parts.at(-1)).toMatchObject({ kind: 'upload', size: 8 });
  });

  it.each([
    {
      way: 'join the upload just before them (nothing read)',
      pieces: () => [
        syntheticBytes(10),
        syntheticObject('a', 8 * MiB),
        syntheticBytes(20),
        syntheticObject('b', 8 * MiB),
      ],
      reads: { a: 8 * MiB },
      kinds: ['upload', 'copy'],
    },
    {
      way: "take the next object's head",
      pieces: () => [syntheticBytes(10), syntheticObject('a', 12 * MiB), syntheticBytes(8)],
      reads: { a: S3_MIN_PART_SIZE - 10 },
      kinds: ['upload', 'copy', 'upload'],
    },
    {
      way: 'take the tail held back from the copy before them',
      pieces: () => [
        syntheticObject('a', 20 * MiB),
        syntheticBytes(60),
        syntheticObject('b', 6 * MiB),
        syntheticBytes(8),
      ],
      reads: { a: S3_MIN_PART_SIZE - 60 },
      kinds: ['copy', 'upload', 'copy', 'upload'],
    },
    {
      way: 'read the whole next object when no neighbour can spare enough',
      pieces: () => [
        syntheticObject('a', 6 * MiB),
        syntheticBytes(60),
        syntheticObject('b', 6 * MiB),
        syntheticBytes(8),
      ],
      reads: { b: 6 * MiB },
      kinds: ['copy', 'upload', 'upload'],
    },
  ])('fills small pieces up to a part: $way', ({ pieces, reads, kinds }) => {
    // Act
    const plan = planParts(pieces());
    // Assert
    if (plan.kind !== 'multipart') throw new Error('expected multipart');
    expect(Object.fromEntries(readsByKey(plan))).toEqual(reads);
    expect(plan.parts.map((p) => p.kind)).toEqual(kinds);
    expect(plan.parts.slice(0, -1).every((p) => p.size >= S3_MIN_PART_SIZE)).toBe(true);
  });

  it("keeps a ZIP's reads per entry header under twice the minimum, also with small and mid-sized entries", () => {
    // Prepare: header, 40 MiB gz; header, 3 MiB csv (a small object: read whole); header, 6 MiB xml
    // (too small to lend its head: the headers and csv take the tail of the gz copy instead); header,
    // 12 MiB json (lends its head); manifest + central directory.
    const pieces = [
      syntheticBytes(60),
      syntheticObject('gz', 40 * MiB),
      syntheticBytes(60),
      syntheticObject('csv', 3 * MiB),
      syntheticBytes(60),
      syntheticObject('xml', 6 * MiB),
      syntheticBytes(60),
      syntheticObject('json', 12 * MiB),
      syntheticBytes(4000),
    ];
    // Act
    const plan = planParts(pieces);
    // Assert
    if (plan.kind !== 'multipart') throw new Error('expected multipart');
    expect(Object.fromEntries(readsByKey(plan))).toEqual({
      gz: S3_MIN_PART_SIZE - 60 + (S3_MIN_PART_SIZE - 3 * MiB - 120),
      csv: 3 * MiB,
      json: S3_MIN_PART_SIZE - 60,
    });
    expect(plan.parts.slice(0, -1).every((p) => p.size >= S3_MIN_PART_SIZE)).toBe(true);
  });

  it('splits an object above the largest part into even copies, each between the minimum and the maximum', () => {
    // Prepare
    const size = 2 * S3_MAX_PART_SIZE + 7;
    // Act
    const plan = planParts([syntheticObject('huge', size)]);
    // Assert
    if (plan.kind !== 'multipart') throw new Error('expected multipart');
    expect(plan.parts.map((p) => p.kind)).toEqual(['copy', 'copy', 'copy']);
    expect(plan.parts.reduce((sum, p) => sum + p.size, 0)).toBe(size);
    expect(plan.parts.every((p) => p.size <= S3_MAX_PART_SIZE && p.size >= S3_MIN_PART_SIZE)).toBe(true);
    expect(plan.bytesRead).toBe(0);
  });

  it('puts a file under the minimum part in one PUT, an empty file included', () => {
    // Prepare
    const pieces = [syntheticBytes(10), syntheticObject('small', 4 * MiB), syntheticBytes(8)];
    // Act
    const plan = planParts(pieces);
    const empty = planParts([]);
    // Assert
    expect(plan).toMatchObject({ kind: 'put', size: 4 * MiB + 18, bytesRead: 4 * MiB });
    expect(empty).toEqual({ kind: 'put', size: 0, bytesRead: 0, segments: [] });
  });

  it('refuses a file that needs more than 10,000 parts, and limits that cannot work', () => {
    // Prepare
    const pieces = Array.from({ length: 10_001 }, (_, i) => syntheticObject(`c${i}`, S3_MIN_PART_SIZE));
    // Act / Assert
    expect(() => planParts(pieces)).toThrow(/needs 10001 parts, more than the 10000/);
    expect(planParts(pieces.slice(1))).toMatchObject({ kind: 'multipart', bytesRead: 0 });
    expect(() => planParts([], { minPartSize: 10, maxPartSize: 19 })).toThrow(/maxPartSize/);
    expect(() => planParts([], { minPartSize: 0 })).toThrow(/minPartSize/);
    expect(() => planParts([{ ...syntheticBytes(3), size: 4 }])).toThrow(/holds 3 bytes/);
  });
});
