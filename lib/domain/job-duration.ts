/**
 * A job's estimated duration (POST /generation's `estimated_duration`), from the same cost model and
 * chunking the planner uses (lib/domain/job-chunk-plan.ts, memory/decisions/0906-job-fan-out.md): the
 * chunks run in waves of the stage's generator concurrency, after the planning pass, and are followed
 * by the seal tasks (encrypted jobs) and the finaliser's copies (decision 0908). A rough figure for a
 * client to pace its polling, never a promise; on a busy machine jobs take longer.
 */
import { isOutputFormat, type OutputFormat } from '../output/index.js';
import type { GenerationRequest } from './generation-request.js';
import {
  chunkWriteMode,
  DEFLATED_BYTES_PER_PATIENT,
  microsPerPatient,
  PLAIN_BYTES_PER_PATIENT,
  PLAN_MICROS_PER_PATIENT,
  planChunks,
} from './job-chunk-plan.js';

/**
 * Generators assumed when the caller does not know the stage's (GENERATOR_CONCURRENCY unset): the
 * local stack's default of one worker per core on the 2-core development machine. The deployed stages
 * reserve 4 (dev), 10 (staging), 50 (prod) (infra/config/stages.ts), so there the estimate is high.
 */
export const ASSUMED_GENERATOR_CONCURRENCY = 2;
/** Queue hops and the first writes before the planner starts, and the last status write. */
export const START_SECONDS = 2;
/**
 * Bytes the finaliser copies per second: the 1M JSON + CSV gzip job's finaliser copied its files and
 * then its ZIP (about 1.1 GB) in about 40 s locally. S3's server-side copies run faster: deployed, the
 * estimate is high.
 */
export const FINALISE_BYTES_PER_SECOND = 27_000_000;
/** Bytes a seal task reads back and seals per second ("several hundred MB/s", decision 0906). */
export const SEAL_BYTES_PER_SECOND = 200_000_000;

export interface DurationOptions {
  /** Generators that run at once in the stage; default ASSUMED_GENERATOR_CONCURRENCY. */
  readonly generatorConcurrency?: number;
}

type DurationRequest = Pick<GenerationRequest, 'output_formats' | 'use_compression' | 'use_encryption'>;

/** Bytes per patient of one stored file of `format`: the .gz or plain file the job lists. */
function fileBytesPerPatient(format: OutputFormat, compress: boolean): number {
  return compress ? DEFLATED_BYTES_PER_PATIENT[format] : PLAIN_BYTES_PER_PATIENT[format];
}

/** Bytes per patient of the file's ZIP entry: the .gz/.enc file stored, or a plain file's deflate parts. */
function entryBytesPerPatient(format: OutputFormat, compress: boolean, encrypted: boolean): number {
  return compress || encrypted ? fileBytesPerPatient(format, compress) : DEFLATED_BYTES_PER_PATIENT[format];
}

/** Seconds a job of `patients` with these options is expected to take, from POST to `completed`. */
export function estimatedDurationSeconds(
  request: DurationRequest,
  patients: number,
  options: DurationOptions = {},
): number {
  const formats = request.output_formats.filter(isOutputFormat);
  if (formats.length === 0 || patients <= 0) return START_SECONDS + 1;
  const compress = request.use_compression;
  const encrypted = request.use_encryption;
  const concurrency = Math.max(1, Math.floor(options.generatorConcurrency ?? ASSUMED_GENERATOR_CONCURRENCY));
  const chunks = planChunks(patients, formats, { compress, encrypted }).length - 1;
  const waves = Math.ceil(chunks / concurrency);
  const perChunk = patients / chunks;

  // The planning pass (job-chunk-plan.ts), paid by the planner and again, at the same time, by each worker's first chunk.
  const planning = (2 * patients * PLAN_MICROS_PER_PATIENT) / 1e6;
  const chunkSeconds = (perChunk * microsPerPatient(formats, chunkWriteMode({ compress, encrypted }))) / 1e6;
  const fileBytes = formats.reduce((sum, f) => sum + fileBytesPerPatient(f, compress), 0) * patients;
  const entryBytes =
    formats.reduce((sum, f) => sum + entryBytesPerPatient(f, compress, encrypted), 0) * patients;
  // Each seal task seals one chunk's share of every file; they run in waves like the chunks.
  const sealing = encrypted ? (waves * fileBytes) / chunks / SEAL_BYTES_PER_SECOND : 0;
  const finalising = (fileBytes + entryBytes) / FINALISE_BYTES_PER_SECOND;
  return Math.max(3, Math.ceil(START_SECONDS + planning + waves * chunkSeconds + sealing + finalising));
}
