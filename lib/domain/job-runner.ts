/**
 * The generator worker's domain service: runs one job, given its id (one SQS message).
 *
 * - Start: a conditional write moves the job to running, only from pending, queued or failed (a
 *   retried message after a failure), or from a running job whose run went silent (a killed
 *   worker). A completed or cancelled job is never run again: a retried message is a no-op.
 * - One pass over the patients: each record goes to every requested format's transform, each
 *   format streams (gzip, encryption) into a multipart upload; sizes and SHA-256 are taken on the way.
 * - Encryption: the job's sealed password is unsealed once per run (SecretSealer, context
 *   `{ job_id }`) and each file gets its own MMPG v2 stream, so its own random salt and nonce prefix. The
 *   password lives only in this run's memory and is never logged.
 * - Progress (phase, patients done, percent) is written at least every 5% and at most every
 *   `checkpointEvery` patients; each write is conditional on the job still being this run's, so a
 *   cancel (or a deleted job) is seen at the next checkpoint and the run stops, leaving it cancelled.
 * - Then a streamed ZIP of every file plus manifest.json, and the job completes with its files.
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
import { PassThrough, pipeline, type Transform, Writable } from 'node:stream';
import {
  AppError,
  type AppMetrics,
  ErrorCode,
  GenerationError,
  type Logger,
  StorageError,
  withLogContext,
} from '../core/index.js';
import {
  plan as buildPlan,
  type EventPlan,
  loadScenario,
  ScenarioValidationError,
} from '../generation/index.js';
import {
  createEncryptStream,
  createGzipStream,
  createZipStream,
  DigestStream,
  ENCRYPTED_CONTENT_TYPE,
  ENCRYPTION_DESCRIPTION,
  encryptedFileName,
  formatSpec,
  GZIP_CONTENT_TYPE,
  gzipFileName,
  isOutputFormat,
  type OutputFormat,
  SummaryCollector,
  writePatients,
  ZIP_CONTENT_TYPE,
  ZIP_FILE_NAME,
} from '../output/index.js';
import type { UsageCounters } from './api-key.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  finalFailure,
  type JobError,
  type JobPhase,
  type JobRecord,
  jobObjectKey,
  jobPrefix,
  type OutputFile,
} from './job.js';
import type { JobSummary } from './job-summary.js';
import type { JobRepository, ResultStore, SecretSealer } from './ports.js';
import { cannotFinish, DEFAULT_TIME_SAFETY_MARGIN_MS, TimeLimitError } from './time-budget.js';

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

/** The job's run ended because the job was cancelled, deleted, taken over or ended by another writer. */
class RunStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'superseded' | 'ended') {
    super(`run stopped: ${reason}`);
    this.name = 'RunStopped';
  }
}

/** A job is running in another, live worker: retry the message later. */
export class JobBusyError extends AppError {
  constructor(jobId: string) {
    super(ErrorCode.CONFLICT, `Job ${jobId} is running in another worker`);
    this.name = 'JobBusyError';
  }
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

function storageError(what: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  return new StorageError(`${what} failed (${describe(error)})`, { cause: error });
}

/** The code and message stored on a failed job. */
export function jobErrorOf(error: unknown): JobError {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof ScenarioValidationError) {
    return { code: ErrorCode.GENERATION_ERROR, message: `The job's scenario is invalid: ${error.message}` };
  }
  return { code: ErrorCode.GENERATION_ERROR, message: `Generation failed (${describe(error)})` };
}

interface FileOutput {
  readonly format: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sink: Writable;
  readonly digest: DigestStream;
  readonly uploaded: Promise<void>;
}

export class JobRunner {
  private readonly jobs: JobRepository;
  private readonly store: ResultStore;
  private readonly usage: UsageCounters;
  private readonly logger: Logger | undefined;
  private readonly clock: () => Date;
  private readonly newRunId: () => string;
  private readonly checkpointEvery: number;
  private readonly staleAfterMs: number;
  private readonly sealer: SecretSealer | undefined;
  private readonly maxAttempts: number;
  private readonly metrics: JobRunnerDeps['metrics'];
  private readonly timeSafetyMarginMs: number;

  constructor(deps: JobRunnerDeps) {
    this.jobs = deps.jobs;
    this.store = deps.store;
    this.usage = deps.usage;
    this.logger = deps.logger;
    this.clock = deps.clock ?? (() => new Date());
    this.newRunId = deps.newRunId ?? randomUUID;
    this.checkpointEvery = Math.max(1, deps.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
    this.staleAfterMs = deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.sealer = deps.sealer;
    this.maxAttempts = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.metrics = deps.metrics;
    this.timeSafetyMarginMs = Math.max(0, deps.timeSafetyMarginMs ?? DEFAULT_TIME_SAFETY_MARGIN_MS);
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
    const now = this.clock();
    const total = record.config.total_patients;
    const started = await this.jobs.update(
      jobId,
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
        orFailedAwaitingRetry: this.maxAttempts,
        orRunningStaleBefore: new Date(now.getTime() - this.staleAfterMs).toISOString(),
      },
    );
    if (!started) {
      const current = await this.jobs.get(jobId);
      if (current?.status === 'running') throw new JobBusyError(jobId);
      this.logger?.info('job not runnable; message ignored', { status: current?.status ?? 'deleted' });
      return 'skipped';
    }
    this.logger?.info('job started', { attempt: started.attempts, total_patients: total });
    try {
      const outcome = await this.execute(started, runId, options.remainingTimeMs);
      this.logger?.info(outcome === 'completed' ? 'job completed' : 'job stopped', { outcome });
      return outcome;
    } catch (error) {
      const jobError = jobErrorOf(error);
      this.logger?.error('job failed', { error: jobError, cause: error as Error });
      this.metrics?.jobFailed();
      const at = this.clock().toISOString();
      // A run out of time would be out of time again: no retry, the job fails for good now.
      const outOfTime = error instanceof TimeLimitError;
      // A retry still needs the sealed password; after the last run the job has ended, so it goes.
      const final = outOfTime || (started.attempts ?? 1) >= this.maxAttempts;
      const marked = await this.jobs
        .update(
          jobId,
          final
            ? finalFailure(jobError, at, Math.max(this.maxAttempts, started.attempts ?? 1))
            : {
                set: { status: 'failed', error: jobError, updated_at: at, completed_at: at },
                remove: ['run_id'],
              },
          { statusIn: ['running'], runId },
        )
        .catch((markError: unknown) => {
          this.logger?.error('could not mark the job failed', { cause: markError as Error });
          return undefined;
        });
      // Only the run that marked the job failed for good gives its slot back (a cancel already did).
      if (final && marked) await this.releaseSlot(started);
      // The message is done with: the job has failed for good and says why.
      if (outOfTime) return 'failed';
      throw error;
    }
  }

  private async execute(
    record: JobRecord,
    runId: string,
    remainingTimeMs?: () => number,
  ): Promise<RunOutcome> {
    const jobId = record.job_id;
    const scenario = loadScenario(record.scenario);
    const plan = buildPlan(scenario, record.seed);
    const total = plan.totalPatients;
    const formats = record.config.output_formats.map((f) => {
      if (!isOutputFormat(f)) throw new GenerationError(`Unknown output format "${f}"`);
      return f;
    });
    const password = record.config.use_encryption ? await this.unsealPassword(record) : null;

    const stop = new AbortController();
    // What the time check knows: the time limit as the run found it, and the batches measured.
    const limitSeconds = remainingTimeMs ? Math.round(remainingTimeMs() / 1000) : 0;
    const timing = { generatingMs: 0, slowestBatchMs: 0, lastBatchMs: 0, lastBatchPatients: 0 };
    const checkTime = (done: number) => {
      if (!remainingTimeMs) return;
      const budget = {
        remainingMs: remainingTimeMs(),
        marginMs: this.timeSafetyMarginMs,
        total,
        done,
        ...timing,
      };
      if (cannotFinish(budget)) {
        this.logger?.warn('job cannot finish in the time left; stopping', {
          remaining_ms: budget.remainingMs,
          patients_generated: done,
          total_patients: total,
        });
        throw new TimeLimitError(limitSeconds, done, total);
      }
    };
    const checkpoint = async (phase: JobPhase, done: number) => {
      if (stop.signal.aborted) throw stop.signal.reason;
      if (!(await this.progress(jobId, runId, phase, done, total))) throw await this.stopReason(jobId, runId);
      checkTime(done);
    };

    try {
      await checkpoint('generating', 0);
      const outputs = formats.map((format) => this.openOutput(record, format, stop, password));
      const collector = new SummaryCollector({ baseDate: plan.scenario.baseDate, days: plan.scenario.days });
      // Batches of at most `checkpointEvery` patients and at most 5% of the job: between two
      // batches the progress is written and a cancel is seen.
      const batch = Math.max(1, Math.min(this.checkpointEvery, Math.ceil(total / 20)));
      const startedAt = this.clock().getTime();
      for (let from = 0; from < total; ) {
        const to = Math.min(total, from + batch);
        const batchStartedAt = this.clock().getTime();
        await writePatients(
          plan,
          outputs.map((o) => ({ format: o.format as OutputFormat, sink: forwardTo(o.sink) })),
          { from, to, signal: stop.signal, onRecord: collector.add, progressEvery: batch },
        ).catch((error: unknown) => {
          throw stop.signal.aborted ? stop.signal.reason : error;
        });
        const batchMs = this.clock().getTime() - batchStartedAt;
        timing.generatingMs += batchMs;
        timing.slowestBatchMs = Math.max(timing.slowestBatchMs, batchMs);
        timing.lastBatchMs = batchMs;
        timing.lastBatchPatients = to - from;
        from = to;
        if (from < total) await checkpoint('generating', from);
      }
      for (const output of outputs) output.sink.end();
      await checkpoint('uploading', total);
      await Promise.all(outputs.map((o) => o.uploaded));
      if (stop.signal.aborted) throw stop.signal.reason;

      const files: OutputFile[] = outputs.map((o) => {
        const { size, sha256 } = o.digest.result(o.fileName);
        return {
          format: o.format,
          file_name: o.fileName,
          content_type: o.contentType,
          size_bytes: size,
          sha256,
        };
      });
      await checkpoint('packaging', total);
      const archive = await this.writeArchive(record, plan, files, stop.signal);
      const durationMs = this.clock().getTime() - startedAt;
      const summary = this.summaryOf(collector, total, durationMs);
      const outcome = await this.complete(record, runId, [...files, archive], summary);
      if (outcome === 'completed') {
        this.metrics?.jobCompleted({ patients: total, durationMs, files: [...files, archive] });
      }
      return outcome;
    } catch (error) {
      const reason = stop.signal.aborted ? stop.signal.reason : error;
      if (!stop.signal.aborted) stop.abort(reason);
      if (reason instanceof RunStopped) return this.stopped(jobId, reason);
      throw reason;
    }
  }

  /** The job's password, unsealed with the context it was sealed with. Never logged, never stored. */
  private async unsealPassword(record: JobRecord): Promise<string> {
    const sealed = record.encryption;
    if (!sealed?.sealed_password) {
      throw new GenerationError('The job asks for encryption but its sealed password is missing');
    }
    if (!this.sealer) {
      throw new GenerationError(
        'Encrypted output is not available: this worker has no secret sealer configured',
      );
    }
    if (sealed.sealer !== this.sealer.kind) {
      throw new GenerationError(
        `The job's password was sealed by the '${sealed.sealer}' sealer; this worker unseals '${this.sealer.kind}'`,
      );
    }
    try {
      return await this.sealer.unseal(sealed.sealed_password, { job_id: record.job_id });
    } catch (error) {
      // The job's error is shown to its owner: the sealer's details (key ARNs, roles) go to the log only.
      this.logger?.warn('could not unseal the job password', {
        sealer: sealed.sealer,
        cause: error as Error,
      });
      throw new GenerationError(
        "The job's encryption password could not be unsealed (wrong sealing key, or the key is unavailable)",
        { cause: error },
      );
    }
  }

  /**
   * Opens the chain format transform → gzip? → encryption? → digest → upload for one format. With a
   * password, the file gets its own encrypting stream: a fresh random salt and IV per file.
   */
  private openOutput(
    record: JobRecord,
    format: OutputFormat,
    stop: AbortController,
    password: string | null,
  ): FileOutput {
    const spec = formatSpec(format);
    let fileName = spec.fileName;
    let contentType = spec.contentType;
    const stages: Transform[] = [];
    if (record.config.use_compression) {
      stages.push(createGzipStream());
      fileName = gzipFileName(fileName);
      contentType = GZIP_CONTENT_TYPE;
    }
    if (password !== null) {
      stages.push(createEncryptStream(password));
      fileName = encryptedFileName(fileName);
      contentType = ENCRYPTED_CONTENT_TYPE;
    }
    const digest = new DigestStream();
    const fail = (error: unknown) => {
      if (!stop.signal.aborted) stop.abort(storageError(`Writing ${fileName}`, error));
    };
    if (stages.length > 0) {
      pipeline([...stages, digest], (error) => {
        if (error) fail(error);
      });
    }
    const key = jobObjectKey(record.job_id, fileName);
    const uploaded = this.store
      .upload(key, digest, { contentType, signal: stop.signal })
      .catch((error: unknown) => {
        const wrapped = stop.signal.aborted
          ? stop.signal.reason
          : storageError(`Uploading ${fileName}`, error);
        if (!stop.signal.aborted) stop.abort(wrapped);
        throw wrapped;
      });
    uploaded.catch(() => undefined); // observed through stop.signal while generating
    return { format, fileName, contentType, sink: stages[0] ?? digest, digest, uploaded };
  }

  /**
   * Streams a ZIP of every file (read back from the store, one at a time) plus manifest.json, built
   * by lib/output like the CLI's. An encrypted job's manifest withholds the seed and scenario.
   */
  private async writeArchive(
    record: JobRecord,
    plan: EventPlan,
    files: readonly OutputFile[],
    signal: AbortSignal,
  ): Promise<OutputFile> {
    const entries = files.map((file) => ({
      name: file.file_name,
      source: () => {
        const body = new PassThrough();
        this.store.open(jobObjectKey(record.job_id, file.file_name)).then(
          (stored) => pipeline(stored, body, () => undefined),
          (error: unknown) => body.destroy(storageError(`Reading ${file.file_name}`, error)),
        );
        return body;
      },
    }));
    const manifest = {
      plan,
      withholdReproduction: record.config.use_encryption,
      extra: {
        job_id: record.job_id,
        name: record.config.name,
        output: {
          formats: files.map((f) => f.format),
          compression: record.config.use_compression ? 'gzip' : null,
          encryption: record.config.use_encryption ? ENCRYPTION_DESCRIPTION : null,
        },
      },
    };
    const digest = new DigestStream();
    const zip = createZipStream(entries, manifest);
    const piped = new Promise<void>((resolve, reject) =>
      pipeline(zip, digest, (error) => (error ? reject(error) : resolve())),
    );
    const uploaded = this.store
      .upload(jobObjectKey(record.job_id, ZIP_FILE_NAME), digest, { contentType: ZIP_CONTENT_TYPE, signal })
      .catch((error: unknown) => {
        zip.destroy();
        throw signal.aborted ? signal.reason : storageError(`Uploading ${ZIP_FILE_NAME}`, error);
      });
    try {
      await Promise.all([piped, uploaded]);
    } catch (error) {
      zip.destroy();
      await uploaded.catch(() => undefined);
      throw signal.aborted
        ? signal.reason
        : error instanceof AppError
          ? error
          : storageError('Writing the ZIP', error);
    }
    const { size, sha256 } = digest.result(ZIP_FILE_NAME);
    return {
      format: 'zip',
      file_name: ZIP_FILE_NAME,
      content_type: ZIP_CONTENT_TYPE,
      size_bytes: size,
      sha256,
    };
  }

  private summaryOf(collector: SummaryCollector, total: number, durationMs: number): JobSummary {
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

  private async complete(
    record: JobRecord,
    runId: string,
    files: OutputFile[],
    summary: JobSummary,
  ): Promise<RunOutcome> {
    const total = record.config.total_patients;
    const at = this.clock().toISOString();
    const done = await this.jobs.update(
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
    if (done) {
      await this.releaseSlot(record);
      return 'completed';
    }
    return this.stopped(record.job_id, await this.stopReason(record.job_id, runId));
  }

  /**
   * Gives back the job's running-job slot, once: called only by the write that ended the job. A
   * failure to give it back is logged, not thrown: the job's outcome stands either way.
   */
  private async releaseSlot(record: JobRecord): Promise<void> {
    if (!record.key_id) return; // a job from before keys had limits holds no slot
    try {
      await this.usage.releaseJob(record.key_id);
    } catch (error) {
      this.logger?.warn('could not release the running-job slot', {
        key_id: record.key_id,
        cause: error as Error,
      });
    }
  }

  /** Writes progress if the job is still this run's; false when it is not (cancelled, deleted, taken over). */
  private async progress(
    jobId: string,
    runId: string,
    phase: JobPhase,
    done: number,
    total: number,
  ): Promise<boolean> {
    const percent = total === 0 ? 99 : Math.min(99, Math.floor((done * 100) / total));
    const updated = await this.jobs.update(
      jobId,
      {
        set: {
          progress: percent,
          progress_details: { phase, patients_generated: done, total_patients: total },
          updated_at: this.clock().toISOString(),
        },
      },
      { statusIn: ['running'], runId },
    );
    if (updated) this.logger?.debug('job progress', { phase, patients_generated: done, progress: percent });
    return updated !== undefined;
  }

  private async stopReason(jobId: string, runId: string): Promise<RunStopped> {
    const current = await this.jobs.get(jobId);
    if (current && current.status === 'running' && current.run_id !== runId)
      return new RunStopped('superseded');
    // Failed by another writer: the DLQ consumer or the sweeper took this run for dead.
    if (current?.status === 'failed') return new RunStopped('ended');
    return new RunStopped('cancelled');
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

/**
 * A writable that passes bytes on to `target` (respecting its backpressure) but does not end it, so
 * one batch's writer can finish while the file stays open for the next batch.
 */
function forwardTo(target: Writable): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (target.destroyed) {
        callback(new Error('the output stream was closed'));
        return;
      }
      if (target.write(chunk)) {
        callback();
        return;
      }
      const done = (error?: Error) => {
        target.off('drain', onDrain);
        target.off('close', onClose);
        callback(error);
      };
      const onDrain = () => done();
      const onClose = () => done(new Error('the output stream was closed'));
      target.once('drain', onDrain);
      target.once('close', onClose);
    },
    final(callback) {
      callback();
    },
  });
}
