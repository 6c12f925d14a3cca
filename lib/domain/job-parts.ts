/**
 * Where a fanned-out job keeps its parts, and the part lists its tasks leave behind
 * (memory/decisions/0906-job-fan-out.md). A chunk writes its range of every file as parts under
 * `jobs/{id}/parts/c{chunk}/`, then its part list `jobs/{id}/parts/c{chunk}.json`; a seal task (an
 * encrypted job) writes `jobs/{id}/parts/s{seal}/{file}` and `jobs/{id}/parts/s{seal}.json`. The
 * finaliser reads only these lists (small) to compose every file; the parts go once the job completes.
 */
import * as z from 'zod';
import { GZIP_LEVEL } from '../output/index.js';
import { jobPrefix } from './job.js';

/**
 * The deflate level of every compressed part a job writes (its .gz files and the ZIP entries of its
 * plain files): the CLI's level 6. Level 3 was measured (scripts/measure-chunk-cost.ts, a 20,000-patient
 * JSON chunk): 15 % less CPU per chunk for 32 % larger files, not worth it (decision 0906). A constant,
 * not a setting: a job's compressed bytes are the same for the same scenario, seed and chunking anywhere.
 */
export const PART_DEFLATE_LEVEL = GZIP_LEVEL;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
const Uint32Schema = z.number().int().min(0).max(0xffffffff);
const SizeSchema = z.number().int().min(0);

/** Size, SHA-256 and CRC-32 of a stored part (lib/output/pieces.ts BytesInfo). */
export const PartBytesSchema = z.object({ size: SizeSchema, sha256: Sha256Schema, crc32: Uint32Schema });

/** CRC-32 and length of the bytes a deflate part was made from (the gzip trailer, a ZIP entry). */
export const DeflateInputSchema = z.object({ crc32: Uint32Schema, length: SizeSchema });

/** One file's share of a chunk. */
export const ChunkFilePartSchema = z.object({
  format: z.string(),
  /** The file as the job lists it (patients.json.gz …), before encryption adds `.enc`. */
  file_name: z.string(),
  /**
   * The part as stored at `chunkPartKey(…, file_name)`: a compressed job's raw-deflate part (full
   * flush; the last chunk ends the stream) or an uncompressed job's plain bytes.
   */
  part: PartBytesSchema,
  /** Compressed jobs: the input of `part`. */
  input: DeflateInputSchema.optional(),
  /**
   * Uncompressed jobs: the same bytes as raw deflate at `chunkPartKey(…, file_name + '.deflate')`,
   * the data of the file's ZIP entry, with its input (= `part`'s bytes).
   */
  deflate: PartBytesSchema.extend({ input: DeflateInputSchema }).optional(),
});
export type ChunkFilePart = z.infer<typeof ChunkFilePartSchema>;

export const ChunkPartsSchema = z.object({
  job_id: z.string(),
  plan_id: z.string(),
  chunk: z.number().int().min(0),
  /** Patients [from, to). */
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  files: z.array(ChunkFilePartSchema),
  /** The chunk's summary counts (lib/output/summary.ts state), merged by the finaliser. */
  summary: z.unknown(),
});
export type ChunkParts = z.infer<typeof ChunkPartsSchema>;

export const SealPartsSchema = z.object({
  job_id: z.string(),
  plan_id: z.string(),
  seal: z.number().int().min(0),
  /** Per encrypted file (name with `.enc`): the sealed bytes at `sealPartKey(…)`. */
  files: z.array(z.object({ file_name: z.string(), part: PartBytesSchema })),
});
export type SealParts = z.infer<typeof SealPartsSchema>;

const index6 = (i: number) => String(i).padStart(6, '0');

export function jobPartsPrefix(jobId: string): string {
  return `${jobPrefix(jobId)}parts/`;
}

export function chunkPartKey(jobId: string, chunk: number, fileName: string): string {
  return `${jobPartsPrefix(jobId)}c${index6(chunk)}/${fileName}`;
}

export function chunkPartsKey(jobId: string, chunk: number): string {
  return `${jobPartsPrefix(jobId)}c${index6(chunk)}.json`;
}

export function sealPartKey(jobId: string, seal: number, fileName: string): string {
  return `${jobPartsPrefix(jobId)}s${index6(seal)}/${fileName}`;
}

export function sealPartsKey(jobId: string, seal: number): string {
  return `${jobPartsPrefix(jobId)}s${index6(seal)}.json`;
}
