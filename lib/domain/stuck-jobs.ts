/**
 * No job stays stuck (issue #9, memory/decisions/0903-no-stuck-jobs.md). Two ways a job that has not
 * ended is ended here, failed with GENERATION_ERROR and a reason:
 *
 * - `failDeadLetter`: the generation message of the job reached the DLQ, so no run of it will come.
 *   The job is failed if it has not ended (pending, queued, running, or failed awaiting a retry that
 *   will now never come); a completed, cancelled or already finally failed job is left alone.
 * - `sweep`: jobs whose last update is older than a bound: `running` ones longer than every delivery
 *   of their message could still take (a dead run), `pending`/`queued` ones longer than a job may wait
 *   for a generator. It reads the sparse index of jobs that have not ended (IdleJobIndex), never the
 *   whole table.
 *
 * Each failure is one conditional write (lib/domain/job.ts finalFailure: no sealed password, no run,
 * attempts raised so no late retry starts it); only when that write applies is the API key's
 * running-job slot given back, so a job racing with its worker, a cancel or another sweep releases its
 * slot once, as JobRunner and JobService do.
 */
import { type AppMetrics, ErrorCode, type Logger } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import {
  ACTIVE_STATUSES,
  type ActiveJobStatus,
  awaitsRetry,
  DEFAULT_MAX_ATTEMPTS,
  finalFailure,
  isActiveStatus,
  type JobError,
  type JobRecord,
} from './job.js';
import { JobSlots } from './job-slots.js';
import type { IdleJobIndex, JobCondition, JobRepository } from './ports.js';

/**
 * A running job not updated for this long has no live run: the generation queue's maxReceiveCount (3)
 * × its visibility timeout (720 s, 6 × the generator's 120 s). Every delivery of its message either
 * takes the run over (and updates the job) or has failed by then (platform contract, SQS). Deployed and
 * local sweepers get it from infra/config/stages.ts (`staleRunningAfter`); this default, for callers
 * without one, is held equal to it by test/infra/generation-queue.test.ts.
 */
export const DEFAULT_RUNNING_IDLE_LIMIT_MS = 3 * 720_000;
/**
 * A pending or queued job not started within this long is failed: an hour is twice the queue-age
 * alarm (infra/config/stages.ts, 30 min), so operators were told long before; the job holds its key's
 * running slot meanwhile, and the owner is better served by a clear failure than by a run days later.
 */
export const DEFAULT_WAITING_IDLE_LIMIT_MS = 60 * 60_000;
/** Jobs read per index page, and at most this many failed per status in one sweep (the next sweep goes on). */
export const SWEEP_PAGE_SIZE = 100;
export const DEFAULT_SWEEP_MAX_JOBS = 1_000;

export interface StuckJobServiceDeps {
  readonly jobs: JobRepository;
  /** The jobs that have not ended, by status and last update (the sweeper's reads). */
  readonly idle: IdleJobIndex;
  /** Gives back the running-job slot of each job failed here. */
  readonly usage: UsageCounters;
  readonly logger?: Logger;
  readonly clock?: () => Date;
  readonly metrics?: Pick<AppMetrics, 'jobFailed'>;
  /** The generator's maxAttempts (the queue's maxReceiveCount). */
  readonly maxAttempts?: number;
  readonly runningIdleLimitMs?: number;
  readonly waitingIdleLimitMs?: number;
  readonly maxJobsPerSweep?: number;
}

/** What became of a dead message's job. */
export type DeadLetterOutcome = 'failed' | 'already-ended' | 'not-found';

export interface SweepReport {
  /** Jobs failed per status they were stuck in. */
  readonly failed: Readonly<Record<ActiveJobStatus, number>>;
  /** Index entries looked at (a job that moved on meanwhile is looked at, not failed). */
  readonly examined: number;
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

export class StuckJobService {
  private readonly jobs: JobRepository;
  private readonly idle: IdleJobIndex;
  private readonly slots: JobSlots;
  private readonly logger: Logger | undefined;
  private readonly clock: () => Date;
  private readonly metrics: StuckJobServiceDeps['metrics'];
  private readonly maxAttempts: number;
  readonly runningIdleLimitMs: number;
  readonly waitingIdleLimitMs: number;
  private readonly maxJobsPerSweep: number;

  constructor(deps: StuckJobServiceDeps) {
    this.jobs = deps.jobs;
    this.idle = deps.idle;
    this.slots = new JobSlots(deps);
    this.logger = deps.logger;
    this.clock = deps.clock ?? (() => new Date());
    this.metrics = deps.metrics;
    this.maxAttempts = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.runningIdleLimitMs = deps.runningIdleLimitMs ?? DEFAULT_RUNNING_IDLE_LIMIT_MS;
    this.waitingIdleLimitMs = deps.waitingIdleLimitMs ?? DEFAULT_WAITING_IDLE_LIMIT_MS;
    this.maxJobsPerSweep = Math.max(1, deps.maxJobsPerSweep ?? DEFAULT_SWEEP_MAX_JOBS);
  }

  /** The reason a job whose message reached the DLQ is failed with. */
  deadLetterError(record: Pick<JobRecord, 'status' | 'error' | 'attempts'>): JobError {
    const runs = typeof record.attempts === 'number' ? record.attempts : 0;
    const last =
      record.status === 'failed' && record.error?.message
        ? `; the last one failed: ${record.error.message}`
        : '';
    const message =
      runs > 0
        ? `The generator did not finish this job after ${runs} attempt${runs === 1 ? '' : 's'}${last}`
        : 'The generator did not start this job: every delivery of its message failed';
    return { code: ErrorCode.GENERATION_ERROR, message };
  }

  /** The reason a job stuck in `status` is failed with by the sweeper. */
  sweepError(status: ActiveJobStatus): JobError {
    const message =
      status === 'running'
        ? `The job made no progress for more than ${minutes(this.runningIdleLimitMs)} minutes: its generator ` +
          'stopped without ending it. Submit it again.'
        : `The job was not started within ${minutes(this.waitingIdleLimitMs)} minutes: no generator took it ` +
          'from the queue. Submit it again.';
    return { code: ErrorCode.GENERATION_ERROR, message };
  }

  /** Fails the job of a message that reached the DLQ, unless it has ended. */
  async failDeadLetter(jobId: string): Promise<DeadLetterOutcome> {
    const record = await this.jobs.get(jobId);
    if (!record) return 'not-found';
    if (!isActiveStatus(record.status) && !awaitsRetry(record, this.maxAttempts)) return 'already-ended';
    // The read chose the reason; the conditional write decides (the job may have moved on since).
    const ended = await this.end(record.job_id, this.deadLetterError(record), 'dead-letter', {
      statusIn: ACTIVE_STATUSES,
      orFailedAwaitingRetry: this.maxAttempts,
    });
    return ended ? 'failed' : 'already-ended';
  }

  /** Fails every job stuck past its bound (at most maxJobsPerSweep per status). */
  async sweep(): Promise<SweepReport> {
    const now = this.clock().getTime();
    const failed: Record<ActiveJobStatus, number> = { pending: 0, queued: 0, running: 0 };
    let examined = 0;
    for (const status of ACTIVE_STATUSES) {
      const limit = status === 'running' ? this.runningIdleLimitMs : this.waitingIdleLimitMs;
      const before = new Date(now - limit).toISOString();
      const error = this.sweepError(status);
      let cursor: string | null = null;
      let seen = 0;
      do {
        const limit = Math.min(SWEEP_PAGE_SIZE, this.maxJobsPerSweep - seen);
        const page = await this.idle.listIdle(status, before, { limit, cursor });
        for (const job of page.items) {
          seen++;
          // Still in that status and still idle since before the bound: a job that moved on is spared.
          if (await this.end(job.job_id, error, 'sweep', { statusIn: [status], updatedBefore: before })) {
            failed[status]++;
          }
        }
        cursor = page.next_cursor;
      } while (cursor && seen < this.maxJobsPerSweep);
      examined += seen;
    }
    return { failed, examined };
  }

  /**
   * One conditional write fails the job for good; the slot is given back just before it, under the
   * same condition (job-slots.ts).
   */
  private async end(
    jobId: string,
    error: JobError,
    by: 'dead-letter' | 'sweep',
    condition: JobCondition,
  ): Promise<boolean> {
    const at = this.clock().toISOString();
    const ended = await this.slots.end(jobId, finalFailure(error, at, this.maxAttempts), condition);
    if (!ended) return false;
    this.metrics?.jobFailed();
    this.logger?.warn('stuck job failed', { job_id: jobId, tenant: ended.owner, by, error });
    return true;
  }
}
