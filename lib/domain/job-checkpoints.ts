/**
 * What a run does between two batches of patients (lib/domain/job-runner.ts): see a failure of its
 * output, write its progress (a conditional write, so a cancel, delete or takeover stops the run
 * here) and ask whether the rest still fits in the invocation's time (lib/domain/time-budget.ts).
 */
import type { Logger } from '../core/index.js';
import type { JobPhase } from './job.js';
import type { JobTransitions } from './job-transitions.js';
import { cannotFinish, TimeLimitError } from './time-budget.js';

/** Patients per batch: at most `checkpointEvery` and at most 5% of the job. */
export function batchSize(total: number, checkpointEvery: number): number {
  return Math.max(1, Math.min(checkpointEvery, Math.ceil(total / 20)));
}

export interface RunCheckpointsOptions {
  readonly transitions: JobTransitions;
  readonly jobId: string;
  readonly runId: string;
  readonly total: number;
  /** Time left to the invocation, in ms; without it the run has no time limit of its own. */
  readonly remainingTimeMs?: () => number;
  readonly marginMs: number;
  readonly logger?: Logger;
}

export class RunCheckpoints {
  /** The time limit as the run found it, for the failure's message. */
  private readonly limitSeconds: number;
  private readonly timing = { generatingMs: 0, slowestBatchMs: 0, lastBatchMs: 0, lastBatchPatients: 0 };

  constructor(private readonly options: RunCheckpointsOptions) {
    const remaining = options.remainingTimeMs;
    this.limitSeconds = remaining ? Math.round(remaining() / 1000) : 0;
  }

  /** A batch of `patients` took `ms`: what the time check knows. */
  batchDone(ms: number, patients: number): void {
    this.timing.generatingMs += ms;
    this.timing.slowestBatchMs = Math.max(this.timing.slowestBatchMs, ms);
    this.timing.lastBatchMs = ms;
    this.timing.lastBatchPatients = patients;
  }

  /**
   * Throws the output's failure, a RunStopped when the job is no longer this run's, or a
   * TimeLimitError when the rest cannot finish in time.
   */
  async at(phase: JobPhase, done: number, output?: { throwIfFailed(): Promise<void> }): Promise<void> {
    const { transitions, jobId, runId, total } = this.options;
    await output?.throwIfFailed();
    if (!(await transitions.progress(jobId, runId, phase, done, total))) {
      throw await transitions.stopReason(jobId, runId);
    }
    this.checkTime(done);
  }

  private checkTime(done: number): void {
    const { remainingTimeMs, marginMs, total, logger } = this.options;
    if (!remainingTimeMs) return;
    const budget = { remainingMs: remainingTimeMs(), marginMs, total, done, ...this.timing };
    if (cannotFinish(budget)) {
      logger?.warn('job cannot finish in the time left; stopping', {
        remaining_ms: budget.remainingMs,
        patients_generated: done,
        total_patients: total,
      });
      throw new TimeLimitError(this.limitSeconds, done, total);
    }
  }
}
