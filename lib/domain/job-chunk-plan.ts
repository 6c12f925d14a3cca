/**
 * How a job is split into chunks (memory/decisions/0906-job-fan-out.md, "Chunk size"): a cost model
 * of one chunk's CPU time per patient for the requested formats, measured on the development machine
 * with the chunk writer (scripts/measure-chunk-cost.ts), gives the patients a chunk writes in
 * targetChunkSeconds of one core (8 s, or twice the job's planning pass when that is longer); a chunk is made larger when that keeps its smallest compressed
 * part at S3's 5 MiB minimum part size (the finaliser then copies every part in with UploadPartCopy
 * instead of merging it), never past MAX_CHUNK_SECONDS. A job of at most that many patients is one
 * chunk; a larger one is cut into the fewest chunks of that size, of equal sizes (balanced bounds).
 *
 * The split never changes a decompressed byte (the engine writes the same bytes for any split into
 * ranges); compressed bytes depend on it (each part starts a new deflate dictionary), so the model's
 * figures are constants, not measured at run time: the same job gets the same chunks on any machine.
 */
import { GenerationError } from '../core/index.js';
import { isOutputFormat, type OutputFormat } from '../output/index.js';
import type { JobRecord } from './job.js';

/** How a chunk writes a file: deflate parts (compressed jobs), plain + deflate (ZIP entry), or plain alone. */
export type ChunkWriteMode = 'gzip' | 'plain' | 'raw';

/**
 * CPU microseconds per patient on one core (the development machine, 2 cores, Node 20; figures in
 * decision 0906): the engine's share (generating the record, paid once whatever the formats) and each
 * format's share (its writer, SHA-256 and CRC-32 of its parts, and its deflate when the mode has one).
 */
export const ENGINE_MICROS_PER_PATIENT = 28;
export const FORMAT_MICROS_PER_PATIENT: Readonly<
  Record<OutputFormat, Readonly<Record<ChunkWriteMode, number>>>
> = {
  json: { gzip: 121, plain: 131, raw: 36 },
  // The same bytes as json, one record a line.
  ndjson: { gzip: 121, plain: 131, raw: 36 },
  csv: { gzip: 15, plain: 20, raw: 12 },
  xml: { gzip: 194, plain: 194, raw: 101 },
  fhir: { gzip: 620, plain: 620, raw: 245 },
};
/** Deflated bytes per patient of each format (level 6): the size of its compressed part. */
export const DEFLATED_BYTES_PER_PATIENT: Readonly<Record<OutputFormat, number>> = {
  json: 450,
  ndjson: 450,
  csv: 91,
  xml: 518,
  fhir: 3128,
};
/** Plain bytes per patient of each format (an encrypted uncompressed job's part). */
export const PLAIN_BYTES_PER_PATIENT: Readonly<Record<OutputFormat, number>> = {
  json: 4942,
  ndjson: 4941,
  csv: 399,
  xml: 7378,
  fhir: 33628,
};

/**
 * The shortest a chunk is aimed at, in seconds of one core: short chunks spread a job over every
 * worker (a 100k-patient JSON job is two chunks, not one on one core; a 1M job's last wave leaves
 * little idle) and a dead worker's chunk costs little; long enough that its requests are few.
 */
export const MIN_TARGET_CHUNK_SECONDS = 8;
/**
 * What the planning pass costs per patient of the job, in µs of one core (measured with the engine
 * bench: about 0.9 s at 1M without bed capacities, 3.7-4.8 s with them; rounded up). Every worker that
 * runs a chunk plans the whole job once (lib/domain/job-plan-cache.ts).
 */
export const PLAN_MICROS_PER_PATIENT = 5;
/** A chunk is at least this many times its worker's planning pass, so planning stays a small share. */
export const PLAN_TIMES_PER_CHUNK = 2;
/** A chunk is never planned longer than this (a 10M job's chunks), even to reach 5 MiB parts. */
export const MAX_CHUNK_SECONDS = 45;

/** The seconds of one core a chunk of a job of `total` patients is aimed at. */
export function targetChunkSeconds(total: number): number {
  const planSeconds = (total * PLAN_MICROS_PER_PATIENT) / 1e6;
  return Math.min(MAX_CHUNK_SECONDS, Math.max(MIN_TARGET_CHUNK_SECONDS, PLAN_TIMES_PER_CHUNK * planSeconds));
}
/**
 * A one-chunk job runs its next stage (seal, finaliser) in its chunk's invocation only when the chunk
 * is this short at the model's rates: the stage costs about half the chunk's time again
 * (INLINE_STAGE_SHARE in time-budget.ts), and a chunk stretched to MAX_CHUNK_SECONDS for its parts'
 * 5 MiB would then need 1.5 × 45 + 10 s of a 100 s budget and fail on any CPU 1.3 times slower
 * (memory/fixes/0180-one-chunk-jobs-failed-on-a-busy-cpu.md). Longer, it sends the stage as its own
 * tasks, as a job of several chunks does.
 */
export const INLINE_STAGE_MAX_CHUNK_SECONDS = 20;

/**
 * Whether a job of these chunk bounds runs its next stage in its one chunk's invocation: one chunk of
 * at most `maxSeconds` of one core at the model's rates. Decided once, by the planner.
 */
export function plansNextStageInline(
  bounds: readonly number[],
  formats: readonly OutputFormat[],
  mode: ChunkWriteMode,
  maxSeconds = INLINE_STAGE_MAX_CHUNK_SECONDS,
): boolean {
  if (bounds.length !== 2) return false;
  return ((bounds[1] - bounds[0]) * microsPerPatient(formats, mode)) / 1e6 <= maxSeconds;
}

/** What the planner decided (plansNextStageInline); a plan written before it was: one chunk. */
export function runsNextStageInline(record: Pick<JobRecord, 'chunking'>): boolean {
  const chunking = record.chunking;
  return chunking?.next_stage_inline ?? chunking?.bounds.length === 2;
}

/** S3's minimum size of a multipart part (all but the last). */
export const MIN_COPY_PART_BYTES = 5 * 1024 * 1024;
/**
 * Parts are aimed this much above 5 MiB: bytes per patient vary with the job (a 1M job's CSV parts,
 * aimed at 5 MiB exactly by the model's 91 B/patient, came out just under it, and the finaliser read
 * 171 MiB back to merge them).
 */
export const PART_SIZE_MARGIN = 1.2;
/** Below this a chunk's fixed costs (planning the job, a few requests) outweigh its patients. */
export const MIN_PATIENTS_PER_CHUNK = 5_000;
/** At most this many chunks per job: the done set and the progress map stay small items. */
export const MAX_CHUNKS = 1_000;

/** The job's formats, checked against the registry. */
export function jobFormats(record: Pick<JobRecord, 'config'>): OutputFormat[] {
  return record.config.output_formats.map((f) => {
    if (!isOutputFormat(f)) throw new GenerationError(`Unknown output format "${f}"`);
    return f;
  });
}

/** How the chunks of a job with these options write their files (lib/output/chunk-parts.ts). */
export function chunkWriteMode(options: {
  readonly compress: boolean;
  readonly encrypted: boolean;
}): ChunkWriteMode {
  if (options.compress) return 'gzip';
  // An encrypted job's ZIP stores the sealed files: its chunks write no deflate part.
  return options.encrypted ? 'raw' : 'plain';
}

/** CPU microseconds one patient costs a chunk writing these formats. */
export function microsPerPatient(formats: readonly OutputFormat[], mode: ChunkWriteMode): number {
  return formats.reduce((sum, f) => sum + FORMAT_MICROS_PER_PATIENT[f][mode], ENGINE_MICROS_PER_PATIENT);
}

/** Bytes per patient of the smallest part a chunk writes (the one that reaches 5 MiB last). */
export function smallestPartBytesPerPatient(formats: readonly OutputFormat[], mode: ChunkWriteMode): number {
  const perFormat = (f: OutputFormat) =>
    mode === 'raw' ? PLAIN_BYTES_PER_PATIENT[f] : DEFLATED_BYTES_PER_PATIENT[f];
  return Math.min(...formats.map(perFormat));
}

/**
 * Patients per chunk of a job of `total` patients: targetChunkSeconds(total) of one core, raised (up to
 * MAX_CHUNK_SECONDS) so the smallest part reaches 5 MiB, at least MIN_PATIENTS_PER_CHUNK.
 */
export function patientsPerChunk(formats: readonly OutputFormat[], mode: ChunkWriteMode, total = 0): number {
  if (formats.length === 0) throw new GenerationError('A job needs at least one output format');
  const micros = microsPerPatient(formats, mode);
  const byTime = Math.floor((targetChunkSeconds(total) * 1e6) / micros);
  const ceiling = Math.floor((MAX_CHUNK_SECONDS * 1e6) / micros);
  const byPart = Math.ceil(
    (PART_SIZE_MARGIN * MIN_COPY_PART_BYTES) / smallestPartBytesPerPatient(formats, mode),
  );
  return Math.max(MIN_PATIENTS_PER_CHUNK, Math.min(Math.max(byTime, byPart), ceiling));
}

/**
 * Balanced bounds of `total` patients in chunks of at most `perChunk`: the fewest chunks (at most
 * MAX_CHUNKS), sizes differing by at most one. bounds[0] = 0, the last is `total`; chunk i is
 * [bounds[i], bounds[i + 1]). An empty job is one empty chunk.
 */
export function chunkBounds(total: number, perChunk: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`invalid patient total ${total}`);
  if (!Number.isSafeInteger(perChunk) || perChunk < 1) throw new RangeError(`invalid chunk size ${perChunk}`);
  const chunks = Math.min(MAX_CHUNKS, Math.max(1, Math.ceil(total / perChunk)));
  return Array.from({ length: chunks + 1 }, (_, i) => Math.floor((i * total) / chunks));
}

/** The chunk bounds of a job of `total` patients with these formats and options. */
export function planChunks(
  total: number,
  formats: readonly OutputFormat[],
  options: { readonly compress: boolean; readonly encrypted: boolean },
): number[] {
  return chunkBounds(total, patientsPerChunk(formats, chunkWriteMode(options), total));
}
