/**
 * Where a page of a job's results can start reading its patient file, so a deep page does not read
 * the file from its start (memory/fixes/0182-deep-results-pages-read-the-whole-file.md).
 *
 * A fanned-out job's file is its chunks' parts in chunk order (lib/output/file-pieces.ts), and its
 * sha256-of-parts checksum lists exactly those pieces' sizes: the plain parts, or the gzip header, the
 * chunks' raw deflate parts and the trailer. Chunk i holds patients [bounds[i], bounds[i + 1]) and
 * starts at a record's line; a compressed part starts a deflate stream of its own (each chunk deflates
 * its range afresh; the part before ends on a full flush), so raw inflate can start there. Anything
 * else (a file written before the fan-out, an empty chunk left out) reads from the start. Inside a
 * chunk's part, `placeRecord` finds by a few ranged reads the record's own line (uncompressed) or the
 * flush point before it (compressed: a full flush every FLUSH_POINT_EVERY patients).
 */
import { constants, inflateRawSync } from 'node:zlib';
import { FLUSH_POINT_EVERY } from '../output/index.js';
import type { JobRecord, OutputFile } from './job.js';
import { mapLimited } from './map-limited.js';

export interface RecordSeek {
  /** Byte of the stored file where the chunk's part starts. */
  readonly from: number;
  /** The bytes from `from` are raw deflate (a compressed file's chunk part), not a gzip member. */
  readonly rawDeflate: boolean;
  /** The chunk's part ends at byte `to` (exclusive) of the stored file. */
  readonly to: number;
  /** Patients [first, end) are in the chunk's part. */
  readonly first: number;
  readonly end: number;
}

/** The chunk that holds patient `offset`, and where its part starts; undefined: read from the start. */
export function recordSeek(
  record: Pick<JobRecord, 'chunking' | 'config'>,
  file: Pick<OutputFile, 'checksum'>,
  offset: number,
): RecordSeek | undefined {
  const bounds = record.chunking?.bounds;
  const checksum = file.checksum;
  if (!bounds || bounds.length < 2 || checksum?.algorithm !== 'sha256-of-parts') return undefined;
  const chunks = bounds.length - 1;
  const compressed = record.config.use_compression;
  const sizes = checksum.part_sizes;
  // Plain: one piece per chunk. Compressed: the header, one per chunk, the trailer.
  if (sizes.length !== (compressed ? chunks + 2 : chunks)) return undefined;
  let chunk = 0;
  while (chunk + 1 < chunks && bounds[chunk + 1] <= offset) chunk++;
  // A compressed file's first chunk is raw deflate from the end of the gzip header on.
  const firstPart = compressed ? 1 : 0;
  let from = compressed ? sizes[0] : 0;
  for (let i = 0; i < chunk; i++) from += sizes[firstPart + i];
  return {
    from,
    rawDeflate: compressed,
    to: from + sizes[firstPart + chunk],
    first: bounds[chunk],
    end: bounds[chunk + 1],
  };
}

/**
 * Where to read patient `offset` from, and how many records to skip there: in an uncompressed file,
 * its own line or one within about NEAR_BYTES before it (`locateRecord`); in a compressed one, the
 * flush point before it (`locateFlushPoint`), else its chunk's start.
 */
export async function placeRecord(
  seek: RecordSeek,
  read: ReadRange,
  offset: number,
): Promise<{ readonly from: number; readonly skip: number }> {
  const low = { offset: seek.from, id: seek.first };
  const high = { offset: seek.to, id: seek.end };
  const place = seek.rawDeflate
    ? await locateFlushPoint(read, low, high, offset)
    : await locateRecord(read, low, high, offset);
  return { from: place.offset, skip: offset - place.id };
}

/**
 * Positions of one chunk further apart than this are read from places of their own: past it a
 * compressed part has a flush point between them, and an uncompressed one is cheaper to probe
 * (NEAR_BYTES is about 850 records) than to read through.
 */
export const SEPARATE_READ_GAP = FLUSH_POINT_EVERY;
/** Places searched at once for one page: each is a few ranged reads. */
const PLACE_CONCURRENCY = 8;

/** One read of a page's records: from byte `from`, the records `counted` from the first one there. */
export interface PositionsRead {
  readonly from: number;
  readonly rawDeflate: boolean;
  readonly counted: readonly number[];
}

/**
 * The reads that fetch the records at `positions` (ascending) of `file`, in order: positions of one
 * chunk within SEPARATE_READ_GAP of the one before share a read from the first one's place; a
 * position further on starts a read at its own place (unless that place is the one before's: a
 * compressed part without flush points), so a filtered page of matches scattered through a large job
 * reads about a flush point's span per match instead of its chunks from start to end
 * (memory/fixes/0218). Positions whose chunk cannot be told apart are read from the file's start.
 */
export async function placePositions(
  record: Pick<JobRecord, 'chunking' | 'config'>,
  file: Pick<OutputFile, 'checksum'>,
  positions: readonly number[],
  read: ReadRange,
): Promise<PositionsRead[]> {
  const runs: { seek: RecordSeek | undefined; at: number[] }[] = [];
  for (const position of positions) {
    const seek = recordSeek(record, file, position);
    const last = runs[runs.length - 1];
    const joins =
      last !== undefined &&
      last.seek?.from === seek?.from &&
      (seek === undefined || position - last.at[last.at.length - 1] <= SEPARATE_READ_GAP);
    if (joins) last.at.push(position);
    else runs.push({ seek, at: [position] });
  }
  const places = await mapLimited(runs.length, PLACE_CONCURRENCY, async (i) => {
    const { seek, at } = runs[i];
    return seek ? placeRecord(seek, read, at[0]) : { from: 0, skip: at[0] };
  });
  // `first`: the position of the patient whose record the read starts with, at `from`.
  const reads: { from: number; rawDeflate: boolean; first: number; at: number[] }[] = [];
  runs.forEach(({ seek, at }, i) => {
    const { from, skip } = places[i];
    const last = reads[reads.length - 1];
    if (last?.from === from) last.at.push(...at);
    else reads.push({ from, rawDeflate: seek?.rawDeflate ?? false, first: at[0] - skip, at });
  });
  return reads.map(({ from, rawDeflate, first, at }) => ({
    from,
    rawDeflate,
    counted: at.map((position) => position - first),
  }));
}

/** Bytes [start, end) of the file a seek reads. */
export type ReadRange = (start: number, end: number) => Promise<Buffer>;

/** A byte of the file from which the next record read is patient `id`. */
export interface RecordPlace {
  readonly offset: number;
  readonly id: number;
}

/**
 * A target estimated this close to a known place is read from there: one more request (20-30 ms
 * through the local S3 while the API is busy; S3's first byte takes tens of ms) costs about what
 * reading a few MiB does. Measured: probing for targets under 1 MiB away made such pages 25-100 ms
 * slower.
 */
export const NEAR_BYTES = 4 * 1024 * 1024;
/** Bytes read per probe: a dozen records at about 4.9 KB each. */
const PROBE_BYTES = 64 * 1024;
const MAX_PROBES = 8;
/** The head of a record line as the generator writes it: its schema version, then its 0-based id. */
const RECORD_HEAD = /^\{"schema_version":"[^"\\]*","id":(\d+),/;
const HEAD_BYTES = 96;
const NEWLINE = 0x0a;

/**
 * How an interpolation search (`narrowTo`) reads the file: the bytes of each probe and the places it
 * recognises in them.
 */
interface Probing {
  /** A target estimated this close to the best place known is read from there. */
  readonly nearBytes: number;
  /** Bytes read by a probe, given the bytes a patient takes between the places known. */
  readonly windowBytes: (bytesPerPatient: number) => number;
  /** The places that start inside a window read at `start`, ids ascending; none ends the search. */
  readonly placesIn: (window: Buffer, start: number) => RecordPlace[];
}

/**
 * Between `low` (id ≤ target) and `high` (id > target), the place of patient `target` or the best
 * place known before it: probes where the bytes per patient put the target, each centred on the
 * estimate (so a record somewhat larger or smaller than average is still in view), narrow the bounds
 * until the target's place is found, estimated within `nearBytes`, or a probe recognises nothing.
 * The best place known is always correct to read from.
 */
async function narrowTo(
  read: ReadRange,
  low: RecordPlace,
  high: RecordPlace,
  target: number,
  probing: Probing,
): Promise<RecordPlace> {
  let lo = low;
  let hi = high;
  for (let probe = 0; probe < MAX_PROBES; probe++) {
    const estimate = lo.offset + ((target - lo.id) / (hi.id - lo.id)) * (hi.offset - lo.offset);
    if (estimate - lo.offset <= probing.nearBytes) break;
    const size = probing.windowBytes((hi.offset - lo.offset) / (hi.id - lo.id));
    const start = Math.max(lo.offset, Math.min(Math.floor(estimate - size / 2), hi.offset - 1));
    const end = Math.min(start + size, hi.offset);
    const places = probing.placesIn(await read(start, end), start);
    if (places.length === 0) break;
    for (const place of places) {
      if (place.id === target) return place;
      if (place.id < target && place.id > lo.id) lo = place;
      if (place.id > target && place.id < hi.id) hi = place;
    }
  }
  return lo;
}

/**
 * In an uncompressed file of one record per line, a place at or shortly before patient `target`,
 * between `low` (id ≤ target) and `high` (id > target): probes of 64 KiB, each reading the ids that
 * start its lines, until the target's line is found or estimated within `nearBytes` (a few probes
 * instead of reading up to a chunk: fix 0212). Lines that do not read as the generator's records, or
 * ids out of sequence, end the search at the best place known so far.
 */
export function locateRecord(
  read: ReadRange,
  low: RecordPlace,
  high: RecordPlace,
  target: number,
  nearBytes = NEAR_BYTES,
): Promise<RecordPlace> {
  return narrowTo(read, low, high, target, {
    nearBytes,
    windowBytes: () => PROBE_BYTES,
    placesIn: recordLines,
  });
}

/** The record lines that start inside `window` (at `start` of the file): each line's byte and id. */
function recordLines(window: Buffer, start: number): RecordPlace[] {
  const lines: RecordPlace[] = [];
  for (let nl = window.indexOf(NEWLINE); nl !== -1; nl = window.indexOf(NEWLINE, nl + 1)) {
    const head = RECORD_HEAD.exec(
      window.toString('latin1', nl + 1, Math.min(nl + 1 + HEAD_BYTES, window.length)),
    );
    if (!head) continue;
    const line = { offset: start + nl + 1, id: Number(head[1]) };
    // Lines of one file count up by one: anything else is not a layout this search knows.
    const previous = lines.at(-1);
    if (previous && line.id !== previous.id + 1) return [];
    lines.push(line);
  }
  return lines;
}

/** The end of a full flush: its empty stored block's LEN (0) and NLEN (0xFFFF), byte-aligned. */
const FULL_FLUSH_TAIL = Buffer.from([0, 0, 0xff, 0xff]);
/** Compressed bytes read per probe, at least: about one flush point's spacing of JSON (1,000 × 450 B). */
const FLUSH_PROBE_BYTES = 512 * 1024;
/** Compressed bytes inflated after a candidate flush point to read the record it starts with. */
const FLUSH_HEAD_BYTES = 2048;
/** What may stand before a record's text at a flush point: the separator, a JSON array's opening. */
const SEPARATORS = /^[\s,[]*/;

/**
 * In a compressed chunk part (raw deflate, `low` its start, `high` its end), the flush point at or
 * before patient `target`: the place after the full flush that precedes the record of patient
 * `target - target % every`, searched as `narrowTo` does with probes of about two flush points'
 * spacing. A flush point is known by its full flush's empty stored block and verified by inflating
 * the record that follows it, whose id must be the multiple of `every` expected. Parts written before
 * flush points existed have none: the search then ends at `low` (the chunk's start).
 */
export function locateFlushPoint(
  read: ReadRange,
  low: RecordPlace,
  high: RecordPlace,
  target: number,
  every = FLUSH_POINT_EVERY,
): Promise<RecordPlace> {
  return narrowTo(read, low, high, target - (target % every), {
    nearBytes: 0,
    windowBytes: (bytesPerPatient) => Math.max(FLUSH_PROBE_BYTES, Math.ceil(2 * every * bytesPerPatient)),
    placesIn: (window, start) => flushPointsIn(window, start, every),
  });
}

/** The flush points inside `window` (at `start` of the file) whose records could be read, in order. */
function flushPointsIn(window: Buffer, start: number, every: number): RecordPlace[] {
  const places: RecordPlace[] = [];
  for (let at = window.indexOf(FULL_FLUSH_TAIL); at !== -1; at = window.indexOf(FULL_FLUSH_TAIL, at + 1)) {
    const from = at + FULL_FLUSH_TAIL.length;
    if (from >= window.length) break;
    let head: string;
    try {
      head = inflateRawSync(window.subarray(from, from + FLUSH_HEAD_BYTES), {
        finishFlush: constants.Z_SYNC_FLUSH,
      }).toString('latin1', 0, HEAD_BYTES + 8);
    } catch {
      // The four bytes were data, not a flush.
      continue;
    }
    const record = RECORD_HEAD.exec(head.replace(SEPARATORS, ''));
    const id = record ? Number(record[1]) : Number.NaN;
    if (!Number.isSafeInteger(id) || id % every !== 0) continue;
    if (places.length > 0 && id <= places[places.length - 1].id) return [];
    places.push({ offset: start + from, id });
  }
  return places;
}
