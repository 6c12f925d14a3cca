/** The job model (memory/reference/v1-compatibility.md, with the original's gaps closed): zod schemas are the types. */
import * as z from 'zod';
import { JobSummarySchema } from './job-summary.js';
import type { JobChanges } from './ports.js';

export const JOB_STATUSES = ['pending', 'queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** States a job never leaves. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];
/** States from which a job may still be cancelled. */
export const CANCELLABLE_STATUSES: readonly JobStatus[] = ['pending', 'queued', 'running'];

/**
 * States of a job that has not ended: it holds its API key's running slot. The jobs table's sparse
 * index `by-active-status` holds exactly the jobs in one of these (memory/decisions/0903-no-stuck-jobs.md).
 */
export const ACTIVE_STATUSES = ['pending', 'queued', 'running'] as const;
export type ActiveJobStatus = (typeof ACTIVE_STATUSES)[number];

export function isActiveStatus(status: unknown): status is ActiveJobStatus {
  return (ACTIVE_STATUSES as readonly unknown[]).includes(status);
}

/**
 * Runs a job gets: the generation queue's maxReceiveCount (memory/reference/platform-contract.md).
 * After the last one no retry comes, so a failure then is final.
 */
export const DEFAULT_MAX_ATTEMPTS = 3;

export const JOB_PHASES = ['queued', 'planning', 'generating', 'uploading', 'packaging', 'done'] as const;
export const JobPhaseSchema = z.enum(JOB_PHASES);
export type JobPhase = z.infer<typeof JobPhaseSchema>;

export const ProgressDetailsSchema = z.object({
  phase: JobPhaseSchema,
  patients_generated: z.number().int().min(0),
  total_patients: z.number().int().min(0),
});
export type ProgressDetails = z.infer<typeof ProgressDetailsSchema>;

export const JobErrorSchema = z.object({ code: z.string(), message: z.string() });
export type JobError = z.infer<typeof JobErrorSchema>;

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A file's checksum composed from the SHA-256 of the pieces it was assembled from, without reading
 * it again (lib/output/part-checksum.ts, memory/decisions/0905-composable-parts.md; README "Verify a
 * download").
 */
export const OutputChecksumSchema = z
  .object({
    algorithm: z.literal('sha256-of-parts'),
    part_sizes: z.array(z.number().int().min(0)).meta({
      description: "Sizes of the file's consecutive parts in bytes, in order; they add up to size_bytes",
    }),
    value: Sha256HexSchema.meta({
      description: "Hex SHA-256 of the parts' raw 32-byte SHA-256 digests, concatenated in order",
    }),
  })
  .meta({ id: 'OutputChecksum' });
export type OutputChecksum = z.infer<typeof OutputChecksumSchema>;

export const OutputFileSchema = z.object({
  /** An output format (json, csv, …) or "zip" for the archive of every file. */
  format: z.string(),
  file_name: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int().min(0),
  sha256: Sha256HexSchema.optional().meta({
    description: 'Hex SHA-256 of the whole file: jobs written in one pass (before the chunked job path)',
  }),
  checksum: OutputChecksumSchema.optional().meta({
    description: 'sha256-of-parts checksum of the file as stored: jobs assembled from chunks',
  }),
});
export type OutputFile = z.infer<typeof OutputFileSchema>;

export const PrioritySchema = z.enum(['low', 'normal', 'high']);
export type Priority = z.infer<typeof PrioritySchema>;

/** The request as stored and echoed: never the encryption password. */
export const JobConfigEchoSchema = z.object({
  configuration_id: z.string().nullable(),
  configuration_version: z.number().int().nullable(),
  configuration: z.record(z.string(), z.unknown()).nullable(),
  name: z.string(),
  total_patients: z.number().int(),
  output_formats: z.array(z.string()),
  use_compression: z.boolean(),
  use_encryption: z.boolean(),
  priority: PrioritySchema,
  seed: z.union([z.string(), z.number()]),
});
export type JobConfigEcho = z.infer<typeof JobConfigEchoSchema>;

export const SeedSchema = z.union([z.string(), z.number().int()]);

/**
 * A job whose run failed while a retry of its message is still to come (`awaitsRetry`): shown
 * `queued`, not `failed`, since the retry starts it again (memory/fixes/0153-failed-shown-while-awaiting-its-retry.md).
 */
export const JobRetrySchema = z
  .object({
    attempts: z.number().int().min(1).meta({ description: 'Runs made so far, each of which failed' }),
    max_attempts: z
      .number()
      .int()
      .min(1)
      .meta({ description: 'Runs the job gets in all; it fails for good when the last one fails' }),
    last_error: JobErrorSchema.meta({ description: 'Why the last run failed' }),
  })
  .meta({
    id: 'JobRetry',
    description: 'Present only while a failed run awaits its automatic retry (status `queued`)',
  });
export type JobRetry = z.infer<typeof JobRetrySchema>;

/** What the API returns for a job (GET /jobs/{id}, list items, cancel). */
export const JobSchema = z.object({
  job_id: z.string(),
  status: JobStatusSchema.meta({
    description:
      '`completed`, `failed` and `cancelled` are final: the job never leaves them. A job whose run ' +
      'failed with an automatic retry still to come is `queued` (phase `queued`, `retry` set, no ' +
      '`completed_at`) until the retry starts it.',
  }),
  progress: z.number().int().min(0).max(100),
  progress_details: ProgressDetailsSchema,
  config: JobConfigEchoSchema,
  error: JobErrorSchema.nullable(),
  output_files: z.array(OutputFileSchema),
  summary: JobSummarySchema.nullable(),
  seed: SeedSchema,
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable().meta({ description: 'When the job ended; null until then' }),
  retry: JobRetrySchema.optional(),
});
export type Job = z.infer<typeof JobSchema>;

/**
 * The exact scenario a job ran (GET /jobs/{id}/scenario), read from the job itself: still there when
 * its stored configuration was deleted or its preset changed since. Sent back inline with its seed
 * (POST /generation `configuration` and `seed`), it gives the job's patients again, byte for byte.
 */
export const JobScenarioSchema = z.object({
  job_id: z.string(),
  seed: SeedSchema,
  configuration_id: z
    .string()
    .nullable()
    .meta({ description: 'The preset or stored configuration it named, if any' }),
  configuration_version: z.number().int().nullable(),
  scenario: z.record(z.string(), z.unknown()).meta({
    description:
      "The validated scenario (a ConfigurationInput with its defaults applied, the request's patient count and the seed)",
  }),
});
export type JobScenario = z.infer<typeof JobScenarioSchema>;

export const SEALER_KINDS = ['kms', 'local'] as const;
export type SealerKind = (typeof SEALER_KINDS)[number];

/**
 * The job's encryption password, sealed (SecretSealer) with the context `{ job_id }` for its trip to
 * the worker: never the password or a key in clear. The worker unseals it once per run and encrypts
 * each file with its own random salt (MMPG v2). Removed when the job completes or is cancelled.
 */
export interface JobEncryption {
  readonly sealed_password: string;
  /** Which sealer sealed it ('kms' in AWS, 'local' in the local stack). */
  readonly sealer: SealerKind;
}

/** The two kinds of fanned-out task of a job (memory/decisions/0906-job-fan-out.md). */
export type TaskStage = 'chunk' | 'seal';

/** How a job was split, written once by the run that planned it. */
export interface JobChunking {
  /** The planning run; every task message carries it, and a task of another plan is ignored. */
  readonly plan_id: string;
  /** Patient ranges: chunk i is [bounds[i], bounds[i + 1]); bounds[0] = 0, last = total. */
  readonly bounds: readonly number[];
  /**
   * The one chunk's invocation runs the next stage (seal, finaliser) after it: a short one-chunk job
   * (plansNextStageInline in job-chunk-plan.ts). Absent in plans written before: one chunk.
   */
  readonly next_stage_inline?: boolean;
  /** Encrypted jobs: each file's MMPG v2 header (base64: salt, segment size, nonce prefix), by file name. */
  readonly encryption_headers?: Readonly<Record<string, string>>;
  /** When the plan was written (ISO): the job's start, from which the finaliser measures JobDuration. */
  readonly planned_at?: string;
}

/** The stored job: the public fields plus what only the platform reads. */
export interface JobRecord extends Job {
  readonly chunking?: JobChunking | null;
  /** Chunks counted done (a set: a repeated chunk counts once). */
  readonly chunks_done?: readonly number[];
  /** Seal tasks counted done (encrypted jobs). */
  readonly seals_done?: readonly number[];
  /** Patients written so far by each chunk, by chunk index: progress is their sum. */
  readonly chunk_progress?: Readonly<Record<string, number>>;
  readonly owner: string;
  /** The validated scenario input (defaults applied) the worker generates from. */
  readonly scenario: Record<string, unknown>;
  readonly encryption?: JobEncryption | null;
  /** Which worker run owns the job while running (a retried message takes over a stale run). */
  readonly run_id?: string | null;
  /**
   * Runs started. A failed job with 1 <= attempts < maxAttempts still awaits a retry (`awaitsRetry`).
   * A job failed for good by anything but its last run (the time limit, the DLQ consumer, the
   * sweeper) is given `attempts = maxAttempts` (`finalFailure`), so no retry starts it again and
   * JobService reads it as ended.
   */
  readonly attempts?: number;
  readonly correlation_id?: string | null;
  /**
   * The API key that created the job: its running-job slot is given back when the job ends
   * (UsageCounters.releaseJob). Absent on jobs created before keys had limits: they release nothing.
   */
  readonly key_id?: string | null;
  /**
   * The key's running-job slot was given back just before the write that ends the job (job-slots.ts):
   * a later ending write gives nothing back.
   */
  readonly slot_released?: boolean;
  /** Epoch seconds: DynamoDB TTL. */
  readonly expires_at?: number;
}

/**
 * The public view of a stored job. A failed job awaiting its retry (`awaitsRetry` under the worker's
 * `maxAttempts`) has not ended: it shows `queued` at phase `queued` with no error and no end time,
 * and `retry` says why and how many runs it has left (memory/fixes/0153-failed-shown-while-awaiting-its-retry.md).
 */
export function toJob(record: JobRecord, maxAttempts: number = DEFAULT_MAX_ATTEMPTS): Job {
  const job = publicFields(record);
  if (!awaitsRetry(record, maxAttempts)) return job;
  const total = record.config.total_patients;
  return {
    ...job,
    status: 'queued',
    progress: 0,
    progress_details: { phase: 'queued', patients_generated: 0, total_patients: total },
    error: null,
    completed_at: null,
    retry: {
      attempts: record.attempts ?? 1,
      max_attempts: maxAttempts,
      last_error: record.error ?? { code: 'GENERATION_ERROR', message: 'The run failed' },
    },
  };
}

function publicFields(record: JobRecord): Job {
  return {
    job_id: record.job_id,
    status: record.status,
    progress: record.progress,
    progress_details: record.progress_details,
    config: record.config,
    error: record.error ?? null,
    output_files: record.output_files ?? [],
    summary: record.summary ?? null,
    seed: record.seed,
    created_at: record.created_at,
    updated_at: record.updated_at,
    completed_at: record.completed_at ?? null,
  };
}

/** S3 layout (platform contract): every object of a job under jobs/{job_id}/. */
export function jobPrefix(jobId: string): string {
  return `jobs/${jobId}/`;
}

export function jobObjectKey(jobId: string, fileName: string): string {
  return `${jobPrefix(jobId)}${fileName}`;
}

/**
 * Whether a failed job has not ended yet: a retry of its message may still run it. It ran at least
 * once (a job whose enqueue failed never ran) and fewer times than the worker's maxAttempts; until
 * then it keeps its sealed password and its key's running slot.
 */
export function awaitsRetry(record: Pick<JobRecord, 'status' | 'attempts'>, maxAttempts: number): boolean {
  const attempts = record.attempts ?? 0;
  return record.status === 'failed' && attempts >= 1 && attempts < maxAttempts;
}

/**
 * The changes that fail a job for good: the error, no sealed password, no run, and `attempts` raised
 * to `maxAttempts` so no retry of its message starts it again. The caller writes them conditionally
 * and, when the write applies, gives the key's running slot back: that write ended the job.
 */
export function finalFailure(error: JobError, at: string, maxAttempts: number): JobChanges {
  return {
    set: { status: 'failed', error, updated_at: at, completed_at: at, attempts: maxAttempts },
    remove: ['encryption', 'run_id'],
  };
}
