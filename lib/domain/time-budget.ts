/**
 * The generator's time budget (issue #9, memory/decisions/0903-no-stuck-jobs.md): a Lambda invocation
 * that reaches its timeout is killed without a word, leaving its job `running`. So a chunk asks, at
 * each checkpoint (lib/domain/chunk-runner.ts), whether it can still finish in the time the invocation
 * has; when it cannot, it stops and the job fails, with this error, before the timeout.
 *
 * A chunk stops only at the last safe moment: when the time left, less the margin, no longer holds the
 * next batch (as slow as the slowest so far, warm-up included) and what follows the patients. It never
 * stops earlier on a projection of its rate: a rate measured while the machine was busy says nothing
 * of the rest (memory/fixes/0068, 0071, 0238), and failing a chunk that would have finished is worse
 * than spending the rest of a doomed invocation.
 */
import { GenerationError } from '../core/index.js';

/** Kept free at the end of an invocation: stopping the uploads and writing the failure. */
export const DEFAULT_TIME_SAFETY_MARGIN_MS = 20_000;
/**
 * What a chunk still does once its patients are written, now that the next stage runs as tasks of its
 * own (memory/decisions/0908-finaliser-task.md): its uploads' last parts (at most 4 parts of 8 MiB
 * buffered per upload, lib/infrastructure/s3-result-store.ts, so at most about 400 MiB for the ten
 * uploads of five uncompressed formats: about 10 s at 40 MB/s, 2 s at Lambda's usual 200 MB/s to S3),
 * its part list (one small PUT), its count (one DynamoDB update) and, for the chunk that completes the
 * set, one SendMessageBatch. None of it grows with the job.
 */
export const PACKAGING_MS = 10_000;
/**
 * A one-chunk job still runs its next stage in the chunk's invocation (its seal task and the finaliser:
 * decision 0908), whose time follows the chunk's bytes: kept as this share of the chunk's generation
 * time. Measured: the 1M JSON+CSV job's finaliser took about 40 s locally after 7 chunks of 20-32 s of
 * generation each, about 0.2 of it; half keeps a wide margin.
 */
export const INLINE_STAGE_SHARE = 0.5;

/** What the runner knows at a checkpoint. */
export interface TimeBudget {
  /** Time left to the invocation now (Lambda's context.getRemainingTimeInMillis()). */
  readonly remainingMs: number;
  readonly marginMs: number;
  /** Patients of the chunk. */
  readonly total: number;
  /** Patients written so far. */
  readonly done: number;
  /** Time spent writing them. */
  readonly generatingMs: number;
  /** The slowest batch so far, warm-up included (0 before the first). */
  readonly slowestBatchMs: number;
  /**
   * The best rate of a batch after the first (ms per patient; 0 until there is one): the first batch
   * carries the run's warm-up (a cold process compiling the writers, the first progress write, the
   * uploads opening: memory/fixes/0068), so it never tells what the chunk can do.
   */
  readonly bestMsPerPatient: number;
  /** The chunk runs the next stage in its own invocation (a one-chunk job). */
  readonly finalisesInline?: boolean;
}

/** The chunk's generation time at its best rate: what it has taken plus the rest at the best rate. */
function bestGenerationMs(budget: TimeBudget): number {
  return budget.generatingMs + Math.max(0, budget.total - budget.done) * budget.bestMsPerPatient;
}

/** What follows the chunk's patients in its invocation (see PACKAGING_MS and INLINE_STAGE_SHARE). */
export function afterGenerationMs(budget: TimeBudget): number {
  const inline = budget.finalisesInline ? INLINE_STAGE_SHARE * bestGenerationMs(budget) : 0;
  return PACKAGING_MS + inline;
}

/**
 * True when the chunk must stop now, at the last safe moment: the time left, less the margin, no
 * longer holds the next batch as slow as the slowest so far, and what follows the patients.
 */
export function cannotFinish(budget: TimeBudget): boolean {
  const next = budget.done < budget.total ? budget.slowestBatchMs : 0;
  return budget.remainingMs - budget.marginMs < next + afterGenerationMs(budget);
}

/** The job stopped because it could not finish within the generator's time limit: final, not retried. */
export class TimeLimitError extends GenerationError {
  constructor(
    readonly limitSeconds: number,
    readonly done: number,
    readonly total: number,
  ) {
    super(
      `The job did not finish within the generator's time limit of ${limitSeconds} s; it stopped after ` +
        `${done} of ${total} patients. Ask for fewer patients or formats per job.`,
    );
    this.name = 'TimeLimitError';
  }
}
