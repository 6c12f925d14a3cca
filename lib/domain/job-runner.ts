/**
 * The generator worker's domain service: runs one job, given its id (one SQS message).
 *
 * - Start: a conditional write moves the job to running, only from pending, queued or failed (a
 *   retried message after a failure), or from a running job whose run went silent (a killed
 *   worker). A completed or cancelled job is never run again: a retried message is a no-op.
 * - One pass over the patients through the output chain of lib/output, shared with the CLI
 *   (job-files.ts): each record goes to every requested format, each format streams (gzip,
 *   encryption) into a multipart upload; sizes and SHA-256 are taken on the way.
 * - Encryption: the job's sealed password is unsealed once per run (job-password.ts) and each file
 *   gets its own MMPG v2 stream, so its own random salt and nonce prefix. The password lives only in
 *   this run's memory and is never logged.
 * - Progress (phase, patients done, percent) is written at least every 5% and at most every
 *   `checkpointEvery` patients (job-checkpoints.ts); each write is conditional on the job still being
 *   this run's (job-transitions.ts), so a cancel (or a deleted job) is seen at the next checkpoint and
 *   the run stops, leaving it cancelled.
 * - Then a streamed ZIP of every file plus manifest.json (job-archive.ts, the CLI's archive step),
 *   and the job completes with its files.
 * - Any failure marks the job failed with a code and a message, then rethrows so SQS retries the
 *   message and finally moves it to the DLQ (whose consumer ends a job its runs never ended).
 * - Time limit: given the invocation's remaining time (`RunOptions.remainingTimeMs`), each checkpoint
 *   asks whether the rest still fits with a safety margin (lib/domain/time-budget.ts); when it does
 *   not, the run stops and fails the job for good with a TimeLimitError (a retry would hit the same
 *   limit), so a Lambda timeout never leaves the job `running`. The message is then consumed.
 * - The API key's running-job slot (UsageCounters) is given back by whoever moves the job to its end:
 *   this runner when it completes the job or fails it for good (its last run, or the time limit);
 *   JobService when it cancels; the DLQ consumer and the sweeper (lib/domain/stuck-jobs.ts) when they
 *   fail it (a run that then stops gives nothing back). A failed run that will be retried keeps the slot.
 * - A run starts only a job that has not ended: pending, queued, failed awaiting a retry
 *   (lib/domain/job.ts awaitsRetry) or running in a run gone silent; never one failed for good.
 */

import { randomUUID } from 'node:crypto';
import { type AppMetrics, type Logger, withLogContext } from '../core/index.js';
import { plan as buildPlan, loadScenario } from '../generation/index.js';
import { SummaryCollector } from '../output/index.js';
import type { UsageCounters } from './api-key.js';
import { DEFAULT_MAX_ATTEMPTS, type JobRecord, jobPrefix } from './job.js';
import { writeJobArchive } from './job-archive.js';
import { batchSize, RunCheckpoints } from './job-checkpoints.js';
import { jobFormats, outputFileOf, writeJobFiles } from './job-files.js';
import { unsealJobPassword } from './job-password.js';
import { JobBusyError, jobErrorOf, RunStopped } from './job-run-errors.js';
import type { JobSummary } from './job-summary.js';
import { JobTransitions } from './job-transitions.js';
import type { JobRepository, ResultStore, SecretSealer } from './ports.js';
import { DEFAULT_TIME_SAFETY_MARGIN_MS, TimeLimitError } from './time-budget.js';

/** Patients between checkpoints at most (a "batch"). */
export const DEFAULT_CHECKPOINT_EVERY = 5000;
/** A running job not updated for this long belongs to a dead worker; a retried message may take it over. */
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

export interface JobRunnerDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  /** Gives back the running-job slot of the job's API key when the job ends. */
  readonly usage: UsageCounters;
  readonly logger?: Logger;
  readonly clock?: () => Date;
  readonly newRunId?: () => string;
  readonly checkpointEvery?: number;
  readonly staleAfterMs?: number;
  /** Unseals the password of jobs with use_encryption; required only for those. */
  readonly sealer?: SecretSealer;
  /** Runs before a failure is final (default DEFAULT_MAX_ATTEMPTS). */
  readonly maxAttempts?: number;
  /** Completed and failed runs (the caller flushes them). */
  readonly metrics?: Pick<AppMetrics, 'jobCompleted' | 'jobFailed'>;
  /** Time kept free before the invocation's end (default DEFAULT_TIME_SAFETY_MARGIN_MS). */
  readonly timeSafetyMarginMs?: number;
}

/** `failed`: the run failed the job for good and the message is done with (the time limit). */
export type RunOutcome = 'completed' | 'cancelled' | 'failed' | 'skipped';

export interface RunOptions {
  readonly correlationId?: string;
  /**
   * Time left to the invocation, in ms (the Lambda context's getRemainingTimeInMillis). Without it
   * the run has no time limit of its own.
   */
  readonly remainingTimeMs?: () => number;
}

export class JobRunner {
  private readonly jobs: JobRepository;
  private readonly store: ResultStore;
  private readonly logger: Logger | undefined;
  private readonly clock: () => Date;
  private readonly newRunId: () => string;
  private readonly checkpointEvery: number;
  private readonly sealer: SecretSealer | undefined;
  private readonly maxAttempts: number;
  private readonly metrics: JobRunnerDeps['metrics'];
  private readonly timeSafetyMarginMs: number;
  private readonly transitions: JobTransitions;

  constructor(deps: JobRunnerDeps) {
    this.jobs = deps.jobs;
    this.store = deps.store;
    this.logger = deps.logger;
    this.clock = deps.clock ?? (() => new Date());
    this.newRunId = deps.newRunId ?? randomUUID;
    this.checkpointEvery = Math.max(1, deps.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
    this.sealer = deps.sealer;
    this.maxAttempts = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.metrics = deps.metrics;
    this.timeSafetyMarginMs = Math.max(0, deps.timeSafetyMarginMs ?? DEFAULT_TIME_SAFETY_MARGIN_MS);
    this.transitions = new JobTransitions({
      jobs: deps.jobs,
      usage: deps.usage,
      clock: this.clock,
      logger: deps.logger,
      maxAttempts: this.maxAttempts,
      staleAfterMs: deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    });
  }

  async run(jobId: string, options: RunOptions = {}): Promise<RunOutcome> {
    const record = await this.jobs.get(jobId);
    if (!record) {
      this.logger?.warn('job not found; message ignored', { job_id: jobId });
      return 'skipped';
    }
    if (!this.logger) return this.runRecord(record, options);
    // The caller (the SQS handler) may already carry the correlation id; then it stays its key.
    const hasCorrelation = Boolean(this.logger.getCorrelationId());
    const context = {
      job_id: jobId,
      tenant: record.owner,
      correlation_id: hasCorrelation
        ? undefined
        : (options.correlationId ?? record.correlation_id ?? undefined),
    };
    return withLogContext(this.logger, context, () => this.runRecord(record, options));
  }

  private async runRecord(record: JobRecord, options: RunOptions): Promise<RunOutcome> {
    const jobId = record.job_id;
    if (record.status === 'completed' || record.status === 'cancelled') {
      this.logger?.info('job already ended; message ignored', { status: record.status });
      return 'skipped';
    }
    const runId = this.newRunId();
    const started = await this.transitions.start(record, runId);
    if (!started) {
      const current = await this.jobs.get(jobId);
      if (current?.status === 'running') throw new JobBusyError(jobId);
      this.logger?.info('job not runnable; message ignored', { status: current?.status ?? 'deleted' });
      return 'skipped';
    }
    this.logger?.info('job started', {
      attempt: started.attempts,
      total_patients: record.config.total_patients,
    });
    try {
      const outcome = await this.execute(started, runId, options.remainingTimeMs);
      this.logger?.info(outcome === 'completed' ? 'job completed' : 'job stopped', { outcome });
      return outcome;
    } catch (error) {
      const jobError = jobErrorOf(error);
      this.logger?.error('job failed', { error: jobError, cause: error as Error });
      this.metrics?.jobFailed();
      // A run out of time would be out of time again: no retry, the job fails for good now.
      const outOfTime = error instanceof TimeLimitError;
      // A retry still needs the sealed password; after the last run the job has ended, so it goes.
      const final = outOfTime || (started.attempts ?? 1) >= this.maxAttempts;
      await this.transitions.fail(started, runId, jobError, final);
      // The message is done with: the job has failed for good and says why.
      if (outOfTime) return 'failed';
      throw error;
    }
  }

  /** Plan, files, archive, completion; a stopped run ends here, a failure is thrown. */
  private async execute(
    record: JobRecord,
    runId: string,
    remainingTimeMs?: () => number,
  ): Promise<RunOutcome> {
    const jobId = record.job_id;
    const plan = buildPlan(loadScenario(record.scenario), record.seed);
    const total = plan.totalPatients;
    const formats = jobFormats(record);
    const password = record.config.use_encryption
      ? await unsealJobPassword(record, this.sealer, this.logger)
      : null;
    // Aborted when the run ends early: tears down the output chain and the uploads.
    const stop = new AbortController();
    const checkpoints = new RunCheckpoints({
      transitions: this.transitions,
      jobId,
      runId,
      total,
      remainingTimeMs,
      marginMs: this.timeSafetyMarginMs,
      logger: this.logger,
    });
    try {
      await checkpoints.at('generating', 0);
      const collector = new SummaryCollector({ baseDate: plan.scenario.baseDate, days: plan.scenario.days });
      const startedAt = this.clock().getTime();
      const stored = await writeJobFiles({
        store: this.store,
        record,
        plan,
        formats,
        password,
        checkpoints,
        batch: batchSize(total, this.checkpointEvery),
        clock: this.clock,
        onRecord: collector.add,
        signal: stop.signal,
      });
      await checkpoints.at('packaging', total);
      const archive = await writeJobArchive(this.store, record, plan, stored, stop.signal);
      const durationMs = this.clock().getTime() - startedAt;
      const files = [...stored, archive].map(outputFileOf);
      if (!(await this.transitions.complete(record, runId, files, summaryOf(collector, total, durationMs)))) {
        return this.stopped(jobId, await this.transitions.stopReason(jobId, runId));
      }
      this.metrics?.jobCompleted({ patients: total, durationMs, files });
      return 'completed';
    } catch (error) {
      stop.abort(error);
      if (error instanceof RunStopped) return this.stopped(jobId, error);
      throw error;
    }
  }

  /**
   * A cancelled, deleted or otherwise ended job keeps no partial files; a superseded run leaves them
   * to the new run.
   */
  private async stopped(jobId: string, reason: RunStopped): Promise<RunOutcome> {
    if (reason.reason !== 'superseded') {
      await this.store.deletePrefix(jobPrefix(jobId)).catch((error: unknown) => {
        this.logger?.warn('could not delete the files of an ended job', { cause: error as Error });
      });
    }
    this.logger?.info('job run stopped', { reason: reason.reason });
    if (reason.reason === 'cancelled') return 'cancelled';
    return reason.reason === 'ended' ? 'failed' : 'skipped';
  }
}

function summaryOf(collector: SummaryCollector, total: number, durationMs: number): JobSummary {
  const result = collector.result();
  const summary: JobSummary = { total_patients: result.total, requested_patients: total };
  for (const dimension of result.dimensions) {
    summary[dimension.field] = Object.fromEntries(dimension.rows.map((r) => [r.value, r.count]));
  }
  summary.generation_ms = durationMs;
  // The charts' time series (lib/domain/job-summary.ts); bounded bins keep the item small.
  if (result.series) summary.series = result.series;
  return summary;
}
