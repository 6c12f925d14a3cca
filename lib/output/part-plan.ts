/**
 * Which S3 multipart parts make a file from its pieces (lib/output/pieces.ts), so the finaliser of a
 * fanned-out job assembles it without reading it back (memory/decisions/0905-composable-parts.md).
 * S3's rules: every part but the last at least 5 MiB, at most 5 GiB, at most 10,000 parts. A stored
 * object of at least the minimum is copied in (UploadPartCopy of a range). Smaller pieces (gzip and
 * ZIP headers, trailers, a small object) are uploaded from memory; when such small pieces come before
 * a large object and are not yet a part of the minimum size, they are, in this order of preference:
 * appended to the upload just before them (no read); or filled up to the minimum with the next
 * object's head (a ranged read of less than the minimum; the rest of the object is copied); or with
 * the tail held back from the copy just before them (the same bound); or, when neither neighbour can
 * spare that much, joined by the whole next object (under twice the minimum). So the bytes read for
 * one small piece are under twice the minimum part size (plus the small object itself), whatever the
 * file's size. A file under the minimum is one PUT.
 * Pure: the plan names ranges; lib/domain/object-assembly.ts executes it.
 */
import type { Piece } from './pieces.js';

const MiB = 1024 * 1024;
/** S3's smallest part but the last. */
export const S3_MIN_PART_SIZE = 5 * MiB;
/** S3's largest part (also the largest UploadPartCopy range). */
export const S3_MAX_PART_SIZE = 5 * 1024 * MiB;
export const S3_MAX_PARTS = 10_000;

export interface PartPlanOptions {
  /** Smallest part but the last (default S3_MIN_PART_SIZE; smaller in tests). */
  readonly minPartSize?: number;
  /** Largest part (default S3_MAX_PART_SIZE); at least twice minPartSize. */
  readonly maxPartSize?: number;
  /** Most parts (default S3_MAX_PARTS). */
  readonly maxParts?: number;
}

/** Some bytes of an uploaded part: in memory, or bytes [start, end) of a stored object read back. */
export type UploadSegment =
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  | { readonly kind: 'read'; readonly key: string; readonly start: number; readonly end: number };

/** A range [start, end) of a stored object. */
export interface ObjectRange {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

export type PlannedPart =
  | {
      readonly kind: 'copy';
      readonly partNumber: number;
      readonly size: number;
      readonly source: ObjectRange;
    }
  | {
      readonly kind: 'upload';
      readonly partNumber: number;
      readonly size: number;
      readonly segments: readonly UploadSegment[];
    };

export type PartPlan =
  /** The whole file in one PUT (it is smaller than the minimum part). */
  | {
      readonly kind: 'put';
      readonly size: number;
      readonly bytesRead: number;
      readonly segments: readonly UploadSegment[];
    }
  | {
      readonly kind: 'multipart';
      readonly size: number;
      readonly bytesRead: number;
      readonly parts: readonly PlannedPart[];
    };

function checkLimits(options: PartPlanOptions): { min: number; max: number; maxParts: number } {
  const min = options.minPartSize ?? S3_MIN_PART_SIZE;
  const max = options.maxPartSize ?? S3_MAX_PART_SIZE;
  const maxParts = options.maxParts ?? S3_MAX_PARTS;
  if (!Number.isSafeInteger(min) || min < 1) throw new RangeError(`minPartSize must be a positive integer`);
  // The whole-object read of a neighbour stays under 2 × min, and a long copy split evenly into
  // ranges of at most max gives ranges of at least max / 2: both fit when max ≥ 2 × min.
  if (!Number.isSafeInteger(max) || max < 2 * min) {
    throw new RangeError(`maxPartSize must be an integer of at least twice minPartSize`);
  }
  if (!Number.isSafeInteger(maxParts) || maxParts < 1)
    throw new RangeError(`maxParts must be a positive integer`);
  return { min, max, maxParts };
}

function segmentSize(segment: UploadSegment): number {
  return segment.kind === 'bytes' ? segment.bytes.length : segment.end - segment.start;
}

/** The first `size` bytes of a segment, and the rest. */
function splitSegment(segment: UploadSegment, size: number): [UploadSegment, UploadSegment] {
  if (segment.kind === 'bytes') {
    return [
      { kind: 'bytes', bytes: segment.bytes.subarray(0, size) },
      { kind: 'bytes', bytes: segment.bytes.subarray(size) },
    ];
  }
  const cut = segment.start + size;
  return [
    { kind: 'read', key: segment.key, start: segment.start, end: cut },
    { kind: 'read', key: segment.key, start: cut, end: segment.end },
  ];
}

function wholePiece(piece: Piece): UploadSegment {
  return piece.kind === 'bytes'
    ? { kind: 'bytes', bytes: piece.bytes }
    : { kind: 'read', key: piece.key, start: 0, end: piece.size };
}

function checkPiece(piece: Piece, index: number): void {
  if (!Number.isSafeInteger(piece.size) || piece.size < 0) {
    throw new RangeError(`piece ${index}: size must be a non-negative safe integer`);
  }
  if (piece.kind === 'bytes' && piece.bytes.length !== piece.size) {
    throw new RangeError(`piece ${index}: holds ${piece.bytes.length} bytes, its size says ${piece.size}`);
  }
}

/** The parts that make the file of `pieces`, in order (see the module comment). */
export function planParts(pieces: readonly Piece[], options: PartPlanOptions = {}): PartPlan {
  const { min, max, maxParts } = checkLimits(options);
  /** Largest upload a small piece may join without a read (parts from memory stay near 2 × min). */
  const upload = Math.min(max, 2 * min);
  pieces.forEach(checkPiece);
  const present = pieces.filter((piece) => piece.size > 0);
  const size = present.reduce((sum, piece) => sum + piece.size, 0);
  const readSize = (segments: readonly UploadSegment[]) =>
    segments.reduce((sum, s) => sum + (s.kind === 'read' ? s.end - s.start : 0), 0);

  if (size < min) {
    const segments = present.map(wholePiece);
    return { kind: 'put', size, bytesRead: readSize(segments), segments };
  }

  // Built mutable (a copy may be shortened, an upload may take more segments), frozen into the plan.
  type Draft =
    | { kind: 'copy'; size: number; source: { key: string; start: number; end: number } }
    | { kind: 'upload'; size: number; segments: UploadSegment[] };
  const parts: Draft[] = [];
  let pending: UploadSegment[] = [];
  let pendingSize = 0;
  const flush = () => {
    if (pendingSize === 0) return;
    parts.push({ kind: 'upload', size: pendingSize, segments: pending });
    pending = [];
    pendingSize = 0;
  };
  /** Adds to the pending upload, starting a new part wherever it would pass the largest part. */
  const add = (segment: UploadSegment) => {
    let rest = segment;
    while (pendingSize + segmentSize(rest) > max) {
      const [head, tail] = splitSegment(rest, max - pendingSize);
      pending.push(head);
      pendingSize = max;
      flush();
      rest = tail;
    }
    if (segmentSize(rest) > 0) {
      pending.push(rest);
      pendingSize += segmentSize(rest);
    }
  };
  /** Copies [start, end) of `key` in as parts of at most `max`, evenly split (each over max / 2 ≥ min). */
  const copy = (key: string, start: number, end: number) => {
    const count = Math.ceil((end - start) / max);
    const base = Math.floor((end - start) / count);
    const longer = (end - start) % count;
    let at = start;
    for (let i = 0; i < count; i++) {
      const length = base + (i < longer ? 1 : 0);
      parts.push({ kind: 'copy', size: length, source: { key, start: at, end: at + length } });
      at += length;
    }
  };

  present.forEach((piece, index) => {
    if (piece.kind !== 'object' || piece.size < min) {
      add(wholePiece(piece));
      // Parts uploaded from memory stay near the minimum (bounded buffers), except one big bytes piece.
      if (pendingSize >= min) flush();
      return;
    }
    // Here pendingSize < min: every addition above flushes at min.
    if (pendingSize === 0) {
      copy(piece.key, 0, piece.size);
      return;
    }
    // Small pieces wait before this object: they must become part of an upload of at least min.
    const need = min - pendingSize;
    const previous = parts.at(-1);
    if (previous?.kind === 'upload' && previous.size + pendingSize <= upload) {
      // The upload just before has room: they join it, nothing is read.
      previous.segments.push(...pending);
      previous.size += pendingSize;
      pending = [];
      pendingSize = 0;
      copy(piece.key, 0, piece.size);
    } else if (piece.size - need >= min || index === present.length - 1) {
      // Filled from the object's head; its rest is still large enough to copy (or is the last part).
      add({ kind: 'read', key: piece.key, start: 0, end: need });
      flush();
      copy(piece.key, need, piece.size);
    } else if (previous?.kind === 'copy' && previous.size - need >= min) {
      // Filled from the tail held back from the copy just before, which stays large enough.
      const { key, end } = previous.source;
      previous.source.end = end - need;
      previous.size -= need;
      pending.unshift({ kind: 'read', key, start: end - need, end });
      pendingSize += need;
      flush();
      copy(piece.key, 0, piece.size);
    } else {
      // Neither neighbour can spare enough: this object (under min + need < 2 × min) is read whole.
      add(wholePiece(piece));
      flush();
    }
  });
  flush();

  if (parts.length > maxParts) {
    throw new RangeError(
      `the file needs ${parts.length} parts, more than the ${maxParts} a multipart upload allows: ` +
        'write fewer, larger pieces',
    );
  }
  const planned: PlannedPart[] = parts.map((part, i) =>
    part.kind === 'copy'
      ? { kind: 'copy', partNumber: i + 1, size: part.size, source: { ...part.source } }
      : { kind: 'upload', partNumber: i + 1, size: part.size, segments: part.segments },
  );
  const bytesRead = parts.reduce(
    (sum, part) => sum + (part.kind === 'upload' ? readSize(part.segments) : 0),
    0,
  );
  return { kind: 'multipart', size, bytesRead, parts: planned };
}
