/**
 * The conditional writes that move a job through one run (lib/domain/job-runner.ts): start, progress,
 * complete, fail. Each applies only while the job is this run's (`run_id`), so a cancel, a delete, a
 * takeover or another writer that ended the job (the DLQ consumer, the sweeper) wins, and the run
 * learns why from `stopReason`. Only the run that ends the job gives its API key's running slot back,
 * just before its ending write (job-slots.ts).
 */
import type { Logger } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import { finalFailure, type JobError, type JobPhase, type JobRecord, type OutputFile } from './job.js';
import { RunStopped } from './job-run-errors.js';
import { JobSlots } from './job-slots.js';
import type { JobSummary } from './job-summary.js';
import type { JobRepository } from './ports.js';

export interface JobTransitionsDeps {
  readonly jobs: JobRepository;
  readonly usage: UsageCounters;
  readonly clock: () => Date;
  readonly logger?: Logger;
  /** Runs before a failure is final. */
  readonly maxAttempts: number;
  /** A running job not updated for this long belongs to a dead worker: a new run may take it over. */
  readonly staleAfterMs: number;
}

export class JobTransitions {
  private readonly slots: JobSlots;

  constructor(private readonly deps: JobTransitionsDeps) {
    this.slots = new JobSlots(deps);
  }

  /**
   * Moves the job to running for `runId`, only from pending, queued, failed awaiting a retry, or
   * running in a run gone silent; undefined when the job is in none of those.
   */
  start(record: JobRecord, runId: string): Promise<JobRecord | undefined> {
    const now = this.deps.clock();
    const total = record.config.total_patients;
    return this.deps.jobs.update(
      record.job_id,
      {
        set: {
          status: 'running',
          run_id: runId,
          progress: 0,
          progress_details: { phase: 'planning', patients_generated: 0, total_patients: total },
          updated_at: now.toISOString(),
          completed_at: null,
        },
        remove: ['error'],
        incrementAttempts: true,
      },
      {
        statusIn: ['pending', 'queued'],
        orFailedAwaitingRetry: this.deps.maxAttempts,
        orRunningStaleBefore: new Date(now.getTime() - this.deps.staleAfterMs).toISOString(),
      },
    );
  }

  /** Writes progress if the job is still this run's; false when it is not (cancelled, deleted, taken over). */
  async progress(
    jobId: string,
    runId: string,
    phase: JobPhase,
    done: number,
    total: number,
  ): Promise<boolean> {
    const percent = total === 0 ? 99 : Math.min(99, Math.floor((done * 100) / total));
    const updated = await this.deps.jobs.update(
      jobId,
      {
        set: {
          progress: percent,
          progress_details: { phase, patients_generated: done, total_patients: total },
          updated_at: this.deps.clock().toISOString(),
        },
      },
      { statusIn: ['running'], runId },
    );
    if (updated)
      this.deps.logger?.debug('job progress', { phase, patients_generated: done, progress: percent });
    return updated !== undefined;
  }

  /**
   * Completes the job with its files and summary; false when the job is no longer this run's. A
   * fanned-out job is completed by its finaliser under its plan: the planner started it with the plan
   * id as its run id (lib/domain/job-planner.ts), so `runId = plan_id` applies only while the job still
   * runs that plan, and only that write gives the slot back.
   */
  async complete(
    record: JobRecord,
    runId: string,
    files: OutputFile[],
    summary: JobSummary,
  ): Promise<boolean> {
    const total = record.config.total_patients;
    const at = this.deps.clock().toISOString();
    const done = await this.slots.end(
      record.job_id,
      {
        set: {
          status: 'completed',
          progress: 100,
          progress_details: { phase: 'done', patients_generated: total, total_patients: total },
          output_files: files,
          summary,
          updated_at: at,
          completed_at: at,
        },
        remove: ['encryption', 'run_id'],
      },
      { statusIn: ['running'], runId },
    );
    return done !== undefined;
  }

  /**
   * Marks the run failed: `final`, for good (no sealed password kept, attempts at the maximum, the slot
   * given back), else awaiting a retry of the message. A failure to mark is logged, not thrown.
   */
  async fail(started: JobRecord, runId: string, error: JobError, final: boolean): Promise<void> {
    const at = this.deps.clock().toISOString();
    const condition = { statusIn: ['running' as const], runId };
    // Only a failure for good ends the job (and gives its slot back); a retry is still to come otherwise.
    const marking = final
      ? this.slots.end(
          started.job_id,
          finalFailure(error, at, Math.max(this.deps.maxAttempts, started.attempts ?? 1)),
          condition,
        )
      : this.deps.jobs.update(
          started.job_id,
          { set: { status: 'failed', error, updated_at: at, completed_at: at }, remove: ['run_id'] },
          condition,
        );
    await marking.catch((markError: unknown) => {
      this.deps.logger?.error('could not mark the job failed', { cause: markError as Error });
    });
  }

  /** Why the job is no longer this run's. */
  async stopReason(jobId: string, runId: string): Promise<RunStopped> {
    const current = await this.deps.jobs.get(jobId);
    if (current && current.status === 'running' && current.run_id !== runId)
      return new RunStopped('superseded');
    // Failed by another writer: the DLQ consumer or the sweeper took this run for dead.
    if (current?.status === 'failed') return new RunStopped('ended');
    return new RunStopped('cancelled');
  }
}
