/**
 * The generator's time budget (issue #9, memory/decisions/0903-no-stuck-jobs.md): a Lambda invocation
 * that reaches its timeout is killed without a word, leaving its job `running`. So a chunk asks, at
 * each checkpoint (lib/domain/chunk-runner.ts), whether the rest of its range still fits in the time
 * the invocation has; when it does not, it stops and the job fails, with this error, well before the
 * timeout.
 */
import { GenerationError } from '../core/index.js';

/** Kept free at the end of an invocation: stopping the uploads and writing the failure. */
export const DEFAULT_TIME_SAFETY_MARGIN_MS = 20_000;
/**
 * What follows a range's generation, as a share of its generation time so far: a chunk's part list and
 * count, and for the last chunk the next stage (seal task 0 or the finaliser, which copies parts in
 * without reading them: memory/decisions/0906-job-fan-out.md). Kept at half, a wide margin: chunks are
 * sized to a fraction of the generator's timeout.
 */
export const PACKAGING_SHARE = 0.5;

/** What the runner knows at a checkpoint. */
export interface TimeBudget {
  /** Time left to the invocation now (Lambda's context.getRemainingTimeInMillis()). */
  readonly remainingMs: number;
  readonly marginMs: number;
  readonly total: number;
  /** Patients written so far. */
  readonly done: number;
  /** Time spent writing them. */
  readonly generatingMs: number;
  /** The slowest batch so far (0 before the first). */
  readonly slowestBatchMs: number;
  /** Duration and size of the last batch, the best rate once the first (warm-up) batch is behind. */
  readonly lastBatchMs: number;
  readonly lastBatchPatients: number;
}

/**
 * How long the rest of the job is expected to take: the patients left at the last batch's rate, then
 * the upload and ZIP. With no batch measured yet it is 0: nothing is known, only the margin counts.
 * Likewise after the first batch alone: its time carries the run's warm-up (a cold process compiling
 * the writers, the first progress write, the uploads opening), so its rate is not the run's; a chunk
 * of small batches would be failed on it (memory/fixes/0068). The second batch decides.
 */
export function expectedRestMs(budget: TimeBudget): number {
  if (budget.done === 0 || budget.lastBatchPatients === 0 || budget.lastBatchPatients >= budget.done)
    return 0;
  const perPatient = budget.lastBatchMs / budget.lastBatchPatients;
  const rest = Math.max(0, budget.total - budget.done) * perPatient;
  // The next batch alone may be as slow as the slowest one was.
  const next = budget.done < budget.total ? budget.slowestBatchMs : 0;
  const packaging = (budget.generatingMs / budget.done) * budget.total * PACKAGING_SHARE;
  return Math.max(rest, next) + packaging;
}

/** True when the job cannot finish, with the margin kept, in the time left. */
export function cannotFinish(budget: TimeBudget): boolean {
  return budget.remainingMs - budget.marginMs < expectedRestMs(budget);
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
