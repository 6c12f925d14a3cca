/**
 * One chunk of a fanned-out job (memory/decisions/0906-job-fan-out.md): patients [bounds[i],
 * bounds[i+1]) of every requested format written as parts by the chunk writer of lib/output
 * (chunk-parts.ts) straight into the store (`jobs/{id}/parts/c{i}/…`), then its part list
 * (`…/c{i}.json`, lib/domain/job-parts.ts) with its summary counts, then counted done once.
 *
 * - Runs only while the job is `running` under the message's plan; a chunk already counted is not
 *   written again (its parts are stored), a repeat that runs anyway (two deliveries at once) writes
 *   the same bytes to the same keys and counts once.
 * - Progress: `recordChunkProgress` at checkpoints (at most every 5% of the chunk, at most every
 *   `checkpointEvery` patients); false means the job was cancelled, deleted, ended or re-planned: the
 *   chunk stops, tearing its uploads down. Each checkpoint also asks the time budget
 *   (time-budget.ts): a chunk that cannot finish in the invocation's time fails with TimeLimitError.
 * - A job that is over (cancelled, failed, deleted, completed) keeps no parts: a chunk that finds it
 *   so deletes `jobs/{id}/parts/`, so every part of a cancelled job goes whichever chunk sees it last.
 * - The chunk whose count completes the done set, or a repeat finding it complete while the job still
 *   runs (a crash between counting and finishing), hands over to the next stage
 *   (`JobCompletion.afterChunks`: seal tasks, or the finaliser).
 */
import type { Logger } from '../core/index.js';
import type { EventPlan } from '../generation/index.js';
import { type ChunkPartSink, OutputStageError, SummaryCollector, writeChunkParts } from '../output/index.js';
import type { JobRecord } from './job.js';
import { jobFormats, runsNextStageInline } from './job-chunk-plan.js';
import {
  type ChunkParts,
  ChunkPartsSchema,
  chunkPartKey,
  chunkPartsKey,
  jobPartsPrefix,
  PART_DEFLATE_LEVEL,
} from './job-parts.js';
import type { PlanCache } from './job-plan-cache.js';
import { RunStopped, storageError } from './job-run-errors.js';
import type { RunOutcome } from './job-runner.js';
import type { JobRepository, ResultStore } from './ports.js';
import { RESULTS_INDEX_PART, ResultsIndexPart } from './results-index.js';
import { cannotFinish, type TimeBudget, TimeLimitError } from './time-budget.js';

/** What happens once every chunk of a job is done (lib/domain/job-completion.ts). */
export interface ChunksCompletion {
  afterChunks(record: JobRecord): Promise<RunOutcome>;
}

export interface ChunkRunnerDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  readonly plans: PlanCache;
  readonly completion: ChunksCompletion;
  readonly clock: () => Date;
  readonly logger?: Logger;
  /** Patients between checkpoints at most. */
  readonly checkpointEvery: number;
  /** Time kept free before the invocation's end. */
  readonly timeSafetyMarginMs: number;
}

export interface ChunkRunOptions {
  /** Time left to the invocation, in ms; without it the chunk has no time limit of its own. */
  readonly remainingTimeMs?: () => number;
}

/** The chunking of a job running under `planId`, or undefined. */
export function runningPlan(record: JobRecord | undefined, planId: string) {
  const chunking = record?.chunking;
  return record?.status === 'running' && chunking?.plan_id === planId ? chunking : undefined;
}

/** Whether every chunk of the job's plan is counted done. */
export function allChunksDone(record: JobRecord): boolean {
  const chunks = (record.chunking?.bounds.length ?? 1) - 1;
  const done = new Set(record.chunks_done ?? []);
  for (let i = 0; i < chunks; i++) if (!done.has(i)) return false;
  return chunks > 0;
}

/** Patients between two checkpoints of a chunk of `size` patients: at most 5% of it. */
export function chunkCheckpointEvery(size: number, checkpointEvery: number): number {
  return Math.max(1, Math.min(checkpointEvery, Math.ceil(size / 20)));
}

export class ChunkRunner {
  constructor(private readonly deps: ChunkRunnerDeps) {}

  /** Runs chunk `index` of the job's plan `planId`. */
  async run(
    record: JobRecord,
    planId: string,
    index: number,
    options: ChunkRunOptions = {},
  ): Promise<RunOutcome> {
    const { logger } = this.deps;
    const chunking = runningPlan(record, planId);
    if (!chunking)
      return this.notRunning(record.job_id, record, 'chunk message of a job not running that plan; ignored');
    const chunks = chunking.bounds.length - 1;
    if (!Number.isInteger(index) || index < 0 || index >= chunks) {
      logger?.warn('chunk message outside the plan; ignored', { chunk: index, chunks });
      return 'skipped';
    }
    if (record.chunks_done?.includes(index)) {
      // Counted: its parts are stored. The next stage may still be owed (a crash after the count).
      if (allChunksDone(record)) return this.deps.completion.afterChunks(record);
      logger?.info('chunk already done; message ignored', { chunk: index });
      return 'skipped';
    }
    const from = chunking.bounds[index];
    const to = chunking.bounds[index + 1];
    logger?.info('chunk started', { chunk: index, chunks, from, to });
    const plan = this.deps.plans.get(record);
    let parts: ChunkParts;
    try {
      parts = await this.writeParts(record, plan, planId, index, from, to, options);
    } catch (error) {
      if (error instanceof RunStopped) return this.stopped(record.job_id, error);
      throw error;
    }
    const at = this.deps.clock().toISOString();
    const counted = await this.deps.jobs.countTaskDone(record.job_id, 'chunk', index, planId, at);
    const current = counted.record;
    if (!runningPlan(current, planId)) {
      // Ended (or re-planned) while this chunk wrote: its parts, and any left, go.
      return this.notRunning(
        record.job_id,
        current,
        'job no longer running its plan once the chunk was written',
      );
    }
    logger?.info(counted.applied ? 'chunk done' : 'chunk done again (a repeat)', {
      chunk: index,
      patients: parts.to - parts.from,
      chunks_done: current?.chunks_done?.length ?? 0,
      chunks,
    });
    if (current && allChunksDone(current)) return this.deps.completion.afterChunks(current);
    return 'completed';
  }

  /** Writes the chunk's parts and part list; RunStopped when the job stops meanwhile. */
  private async writeParts(
    record: JobRecord,
    plan: EventPlan,
    planId: string,
    index: number,
    from: number,
    to: number,
    options: ChunkRunOptions,
  ): Promise<ChunkParts> {
    const { jobs, store, clock } = this.deps;
    const jobId = record.job_id;
    const stop = new AbortController();
    const size = to - from;
    const every = chunkCheckpointEvery(size, this.deps.checkpointEvery);
    // A chunk run again (its worker died, its message came back) starts from its first patient:
    // it reports no less than its earlier run recorded, so the job's progress never goes back.
    const recordedBefore = record.chunk_progress?.[String(index)] ?? 0;
    const checkpoints = new ChunkCheckpoints({
      record: (done) =>
        jobs.recordChunkProgress(jobId, index, Math.max(done, recordedBefore), planId, clock().toISOString()),
      stopReason: () => stopReasonOf(jobs, jobId, planId),
      size,
      from,
      total: plan.totalPatients,
      nextStageInline: runsNextStageInline(record),
      clock,
      remainingTimeMs: options.remainingTimeMs,
      marginMs: this.deps.timeSafetyMarginMs,
      logger: this.deps.logger,
      stop,
    });
    // The first write says the chunk has started (and whether the job still runs) before any work.
    await checkpoints.at(0);
    const collector = new SummaryCollector({ baseDate: plan.scenario.baseDate, days: plan.scenario.days });
    const sink: ChunkPartSink = async (target, bytes, signal) => {
      try {
        await store.upload(chunkPartKey(jobId, index, target.partName), bytes, {
          contentType: target.contentType,
          signal,
        });
      } catch (error) {
        throw signal.aborted ? signal.reason : storageError(`Uploading part ${target.partName}`, error);
      }
    };
    // The patients' filtered fields for GET results (results-index.ts); never for an encrypted job.
    const indexPart = record.config.use_encryption
      ? undefined
      : new ResultsIndexPart(store, chunkPartKey(jobId, index, RESULTS_INDEX_PART), stop.signal);
    let written: Awaited<ReturnType<typeof writeChunkParts>>;
    try {
      written = await writeChunkParts(plan, {
        formats: jobFormats(record),
        compress: record.config.use_compression,
        // An encrypted job's ZIP stores the sealed files: no deflate part for its entries.
        deflatePlain: !record.config.use_encryption,
        from,
        to,
        last: to === plan.totalPatients,
        level: PART_DEFLATE_LEVEL,
        sink,
        onRecord: indexPart
          ? (patient) => {
              collector.add(patient);
              indexPart.add(patient);
            }
          : collector.add,
        onProgress: (done) => checkpoints.passed(done),
        progressEvery: every,
        signal: stop.signal,
      });
    } catch (error) {
      await indexPart?.discard();
      // A checkpoint that stopped the chunk aborted `stop` with its reason.
      await checkpoints.settled();
      if (error instanceof OutputStageError)
        throw storageError(`Writing part ${error.file.fileName}`, error.cause);
      throw error;
    }
    try {
      await indexPart?.finish();
    } catch (error) {
      await checkpoints.settled();
      throw stop.signal.aborted
        ? stop.signal.reason
        : storageError(`Uploading part ${RESULTS_INDEX_PART}`, error);
    }
    await checkpoints.settled();
    await checkpoints.at(size);
    const parts: ChunkParts = ChunkPartsSchema.parse({
      job_id: jobId,
      plan_id: planId,
      chunk: index,
      from,
      to,
      files: written.files,
      summary: collector.state(),
    });
    try {
      await store.put(chunkPartsKey(jobId, index), Buffer.from(JSON.stringify(parts)), {
        contentType: 'application/json',
      });
    } catch (error) {
      throw storageError(`Writing the part list of chunk ${index}`, error);
    }
    return parts;
  }

  /**
   * A task of a job not running its plan: a job that is over keeps no parts (a cancel seen here
   * removes every chunk's; a late repeat of a completed job's chunk removes what it wrote again); a
   * job re-planned keeps them (the new plan's tasks write the same keys).
   */
  private async notRunning(
    jobId: string,
    record: JobRecord | undefined,
    message: string,
  ): Promise<RunOutcome> {
    this.deps.logger?.info(message, { status: record?.status ?? 'deleted' });
    if (record?.status === 'running') return 'skipped';
    await this.deleteParts(jobId);
    if (record?.status === 'cancelled' || !record) return 'cancelled';
    return record.status === 'failed' ? 'failed' : 'skipped';
  }

  private async stopped(jobId: string, reason: RunStopped): Promise<RunOutcome> {
    this.deps.logger?.info('chunk stopped', { reason: reason.reason });
    if (reason.reason === 'superseded') return 'skipped';
    await this.deleteParts(jobId);
    return reason.reason === 'cancelled' ? 'cancelled' : 'failed';
  }

  private async deleteParts(jobId: string): Promise<void> {
    await this.deps.store.deletePrefix(jobPartsPrefix(jobId)).catch((error: unknown) => {
      this.deps.logger?.warn('could not delete the parts of an ended job', { cause: error as Error });
    });
  }
}

/** Why a job no longer runs `planId`. */
export async function stopReasonOf(jobs: JobRepository, jobId: string, planId: string): Promise<RunStopped> {
  const current = await jobs.get(jobId);
  if (current?.status === 'running' && current.chunking?.plan_id !== planId)
    return new RunStopped('superseded');
  if (current?.status === 'failed' || current?.status === 'completed') return new RunStopped('ended');
  return new RunStopped('cancelled');
}

interface ChunkCheckpointsOptions {
  /** Writes the chunk's progress; false when the job no longer runs the chunk's plan. */
  readonly record: (done: number) => Promise<boolean>;
  readonly stopReason: () => Promise<RunStopped>;
  readonly size: number;
  /** The chunk's first patient and the job's total: the time limit's message counts in the job. */
  readonly from: number;
  readonly total: number;
  /** The chunk's invocation runs the job's next stage after it (a short one-chunk job). */
  readonly nextStageInline: boolean;
  readonly clock: () => Date;
  readonly remainingTimeMs?: () => number;
  readonly marginMs: number;
  readonly logger?: Logger;
  /** Aborted with the reason when a checkpoint stops the chunk (tears the writer down). */
  readonly stop: AbortController;
}

/**
 * A chunk's checkpoints. The writer reports progress synchronously (`passed`) and keeps generating
 * while the progress write is in flight (one at a time; a report meanwhile is written right after
 * it, the latest only); a checkpoint that finds the job gone or the time short aborts the writer
 * with its reason, which the writer rejects with.
 */
class ChunkCheckpoints {
  private pending: Promise<void> = Promise.resolve();
  private busy = false;
  private queued: number | undefined;
  private readonly limitSeconds: number;
  private readonly startedAt: number;
  private readonly timing = { generatingMs: 0, slowestBatchMs: 0, bestMsPerPatient: 0 };
  private batches = 0;
  private lastDone = 0;
  private lastAt: number;

  constructor(private readonly options: ChunkCheckpointsOptions) {
    const remaining = options.remainingTimeMs;
    this.limitSeconds = remaining ? Math.round(remaining() / 1000) : 0;
    this.startedAt = options.clock().getTime();
    this.lastAt = this.startedAt;
  }

  /** The writer has written `done` patients of the chunk. */
  passed(done: number): void {
    const now = this.options.clock().getTime();
    const ms = now - this.lastAt;
    this.timing.generatingMs = now - this.startedAt;
    this.timing.slowestBatchMs = Math.max(this.timing.slowestBatchMs, ms);
    const patients = done - this.lastDone;
    // The first batch carries the warm-up: only later ones tell the chunk's best rate.
    if (this.batches++ > 0 && patients > 0) {
      const rate = ms / patients;
      const best = this.timing.bestMsPerPatient;
      this.timing.bestMsPerPatient = best > 0 ? Math.min(best, rate) : rate;
    }
    this.lastAt = now;
    this.lastDone = done;
    if (this.options.stop.signal.aborted || done >= this.options.size) return;
    if (this.busy) {
      // Written as soon as the write in flight is done: progress is never older than one write.
      this.queued = done;
      return;
    }
    this.start(done);
  }

  private start(done: number): void {
    this.busy = true;
    this.pending = this.at(done)
      .catch((error: unknown) => {
        if (!this.options.stop.signal.aborted) this.options.stop.abort(error);
      })
      .finally(() => {
        this.busy = false;
        const next = this.queued;
        this.queued = undefined;
        if (next !== undefined && !this.options.stop.signal.aborted) this.start(next);
      });
  }

  /** Writes progress, then checks the time; throws RunStopped or TimeLimitError. */
  async at(done: number): Promise<void> {
    if (!(await this.options.record(done))) throw await this.options.stopReason();
    this.checkTime(done);
  }

  /** Waits for the checkpoint in flight; throws what stopped the chunk, if anything did. */
  async settled(): Promise<void> {
    this.queued = undefined;
    while (this.busy) await this.pending;
    if (this.options.stop.signal.aborted) throw this.options.stop.signal.reason;
  }

  private checkTime(done: number): void {
    const { remainingTimeMs, marginMs, size, logger } = this.options;
    if (!remainingTimeMs || done >= size) return;
    const budget: TimeBudget = {
      remainingMs: remainingTimeMs(),
      marginMs,
      total: size,
      done,
      ...this.timing,
      // A short one-chunk job runs its next stage in this invocation (job-completion.ts).
      finalisesInline: this.options.nextStageInline,
    };
    if (cannotFinish(budget)) {
      logger?.warn('chunk cannot finish in the time left; stopping', {
        remaining_ms: budget.remainingMs,
        patients_generated: done,
        chunk_patients: size,
        generating_ms: budget.generatingMs,
        slowest_batch_ms: budget.slowestBatchMs,
        best_ms_per_patient: budget.bestMsPerPatient,
      });
      throw new TimeLimitError(this.limitSeconds, this.options.from + done, this.options.total);
    }
  }
}
