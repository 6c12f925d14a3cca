/**
 * The job message `{job_id}` of a fanned-out job (memory/decisions/0906-job-fan-out.md, "Planning"):
 *
 * 1. Start: the conditional write of job-transitions.ts (pending, queued, failed awaiting a retry, or
 *    running in a run gone silent; never an ended job), with a new run id that becomes the plan id.
 * 2. Plan: the engine's planning pass (kept by the process's PlanCache for its chunks), the chunk
 *    bounds from the cost model (job-chunk-plan.ts), and for an encrypted job each file's MMPG v2
 *    header (random salt and nonce prefix; the key is derived by the seal tasks from the password).
 * 3. `chunking` written once, conditional on this run, with empty done sets and progress.
 * 4. Chunk tasks 1..k-1 sent (`sendTasks`), then the phase `generating` written (the mark that they
 *    were sent), then chunk 0 run here: a one-chunk job needs no other message.
 *
 * A job message for a job already running with a plan (a retry after this invocation died or failed,
 * or a duplicate) resumes it: the tasks again if the mark is missing (a repeated task counts once),
 * then chunk 0 unless it is done, or the next stage when every chunk is done.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../core/index.js';
import { CohortShortfallError } from '../generation/index.js';
import {
  buildSegmentedHeader,
  encryptedFileName,
  formatSpec,
  gzipFileName,
  NONCE_PREFIX_BYTES,
  SALT_BYTES,
  SEGMENT_SIZE,
} from '../output/index.js';
import { allChunksDone, type ChunkRunner, type ChunksCompletion } from './chunk-runner.js';
import type { JobChunking, JobRecord } from './job.js';
import {
  chunkBounds,
  chunkWriteMode,
  jobFormats,
  planChunks,
  plansNextStageInline,
} from './job-chunk-plan.js';
import { chunkMessage } from './job-messages.js';
import type { PlanCache } from './job-plan-cache.js';
import { JobBusyError, jobErrorOf, RunStopped } from './job-run-errors.js';
import type { RunOutcome } from './job-runner.js';
import type { JobTransitions } from './job-transitions.js';
import type { JobQueue, JobRepository } from './ports.js';
import { TimeLimitError } from './time-budget.js';

export interface JobPlannerDeps {
  readonly jobs: JobRepository;
  /** Where the chunk tasks go; needed only by jobs of more than one chunk. */
  readonly queue?: JobQueue;
  readonly transitions: JobTransitions;
  readonly plans: PlanCache;
  readonly chunks: ChunkRunner;
  readonly completion: ChunksCompletion;
  readonly clock: () => Date;
  readonly newRunId?: () => string;
  readonly logger?: Logger;
  /** Runs before a failure is final. */
  readonly maxAttempts: number;
  readonly metrics?: { jobFailed(): void };
  /** Patients per chunk instead of the cost model's (tests, benchmarks). */
  readonly patientsPerChunk?: number;
  /** The longest one-chunk job that runs its next stage inline, instead of the model's (tests). */
  readonly inlineStageMaxChunkSeconds?: number;
}

export interface PlanRunOptions {
  readonly correlationId?: string;
  readonly remainingTimeMs?: () => number;
  /** This delivery is the message's last: a failure now is final. */
  readonly lastDelivery?: boolean;
}

/** Each encrypted file's v2 header (base64), by the file's name with `.enc`. */
export function encryptionHeaders(record: JobRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const format of jobFormats(record)) {
    const plain = formatSpec(format).fileName;
    const name = encryptedFileName(record.config.use_compression ? gzipFileName(plain) : plain);
    const header = buildSegmentedHeader({
      salt: randomBytes(SALT_BYTES),
      segmentSize: SEGMENT_SIZE,
      noncePrefix: randomBytes(NONCE_PREFIX_BYTES),
    });
    headers[name] = header.toString('base64');
  }
  return headers;
}

export class JobPlanner {
  private readonly newRunId: () => string;

  constructor(private readonly deps: JobPlannerDeps) {
    this.newRunId = deps.newRunId ?? randomUUID;
  }

  /**
   * Runs the job message. Errors after the plan is written are thrown to the caller (the task
   * failure policy of job-runner.ts); before that, a failure marks the run failed as a single run did.
   */
  async run(record: JobRecord, options: PlanRunOptions): Promise<RunOutcome> {
    const { logger } = this.deps;
    if (record.status === 'completed' || record.status === 'cancelled') {
      logger?.info('job already ended; message ignored', { status: record.status });
      return 'skipped';
    }
    if (record.status === 'running' && record.chunking) return this.resume(record, options);
    const runId = this.newRunId();
    const started = await this.deps.transitions.start(record, runId);
    if (!started) {
      const current = await this.deps.jobs.get(record.job_id);
      if (current?.status === 'running' && current.chunking) return this.resume(current, options);
      if (current?.status === 'running') throw new JobBusyError(record.job_id);
      logger?.info('job not runnable; message ignored', { status: current?.status ?? 'deleted' });
      return 'skipped';
    }
    logger?.info('job started', { attempt: started.attempts, total_patients: record.config.total_patients });
    let planned: JobRecord;
    try {
      const written = await this.writePlan(started, runId);
      if (written instanceof RunStopped) {
        logger?.info('job run stopped', { reason: written.reason });
        return written.reason === 'cancelled'
          ? 'cancelled'
          : written.reason === 'ended'
            ? 'failed'
            : 'skipped';
      }
      planned = written;
    } catch (error) {
      const jobError = jobErrorOf(error);
      logger?.error('job failed', { error: jobError, cause: error as Error });
      // A cohort too rare fails the same way on every retry (the search is deterministic): final at once.
      const noRetry = error instanceof TimeLimitError || error instanceof CohortShortfallError;
      const final =
        noRetry || options.lastDelivery === true || (started.attempts ?? 1) >= this.deps.maxAttempts;
      if (final) this.deps.metrics?.jobFailed();
      // Not planned yet: the job fails as a single run did (a retry starts it again).
      await this.deps.transitions.fail(started, runId, jobError, final);
      if (noRetry) return 'failed';
      throw error;
    }
    return this.dispatch(planned, options);
  }

  /** Plans the job and writes `chunking`; RunStopped when the job is no longer this run's. */
  private async writePlan(started: JobRecord, runId: string): Promise<JobRecord | RunStopped> {
    const plan = this.deps.plans.get(started);
    const total = plan.totalPatients;
    const formats = jobFormats(started);
    const options = { compress: started.config.use_compression, encrypted: started.config.use_encryption };
    const bounds = this.deps.patientsPerChunk
      ? chunkBounds(total, this.deps.patientsPerChunk)
      : planChunks(total, formats, options);
    const chunking: JobChunking = {
      plan_id: runId,
      bounds,
      next_stage_inline: plansNextStageInline(
        bounds,
        formats,
        chunkWriteMode(options),
        this.deps.inlineStageMaxChunkSeconds,
      ),
      // The job's start: the finaliser measures JobDuration and generation_ms from it.
      planned_at: this.deps.clock().toISOString(),
      ...(started.config.use_encryption ? { encryption_headers: encryptionHeaders(started) } : {}),
    };
    const updated = await this.deps.jobs.update(
      started.job_id,
      {
        set: {
          chunking,
          chunks_done: [],
          seals_done: [],
          chunk_progress: {},
          progress_details: { phase: 'planning', patients_generated: 0, total_patients: total },
          updated_at: this.deps.clock().toISOString(),
        },
      },
      { statusIn: ['running'], runId },
    );
    if (!updated) return this.deps.transitions.stopReason(started.job_id, runId);
    this.deps.logger?.info('job planned', {
      plan_id: runId,
      chunks: bounds.length - 1,
      total_patients: total,
    });
    return updated;
  }

  private resume(record: JobRecord, options: PlanRunOptions): Promise<RunOutcome> {
    this.deps.logger?.info('job message of a planned job; resuming', {
      plan_id: record.chunking?.plan_id,
      chunks_done: record.chunks_done?.length ?? 0,
    });
    return this.dispatch(record, options);
  }

  /** Sends the chunk tasks (unless marked sent), then runs chunk 0 or the next stage. */
  private async dispatch(record: JobRecord, options: PlanRunOptions): Promise<RunOutcome> {
    const chunking = record.chunking!;
    const planId = chunking.plan_id;
    const chunks = chunking.bounds.length - 1;
    const done = new Set(record.chunks_done ?? []);
    let current = record;
    if (chunks > 1 && record.progress_details.phase === 'planning') {
      const tasks = [];
      for (let i = 1; i < chunks; i++) if (!done.has(i)) tasks.push(chunkMessage(record.job_id, planId, i));
      if (tasks.length > 0) {
        if (!this.deps.queue) throw new Error('the job runner has no queue to send chunk tasks to');
        await this.deps.queue.sendTasks(tasks, { correlationId: options.correlationId });
      }
      const marked = await this.deps.jobs.update(
        record.job_id,
        {
          set: {
            progress_details: {
              phase: 'generating',
              patients_generated: 0,
              total_patients: record.config.total_patients,
            },
            updated_at: this.deps.clock().toISOString(),
          },
        },
        { statusIn: ['running'], runId: planId },
      );
      this.deps.logger?.info('chunk tasks sent', { tasks: tasks.length, chunks });
      // A job that stopped meanwhile: chunk 0 sees it and cleans up.
      if (marked) current = marked;
    }
    if (!done.has(0)) return this.deps.chunks.run(current, planId, 0, options);
    if (allChunksDone(current)) return this.deps.completion.afterChunks(current);
    this.deps.logger?.info('chunk 0 already done; job message consumed', { chunks_done: done.size });
    return 'skipped';
  }
}
