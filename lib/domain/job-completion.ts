/**
 * What follows a fanned-out job's chunks (memory/decisions/0906-job-fan-out.md, 0908), called by the
 * chunk that completes the done set (or a repeat that finds it complete while the job still runs):
 *
 * - an unencrypted job: the finaliser (job-finaliser.ts) assembles the files and the ZIP and
 *   completes the job. It runs as its own task (`{job_id, plan_id, finalise: true}`), a fresh
 *   invocation with the generator's whole timeout, not after the chunk's work in the chunk's
 *   invocation; a short one-chunk job runs it here (its finaliser a few copies: decision 0908;
 *   `runsNextStageInline` in job-chunk-plan.ts);
 * - an encrypted job: one seal task per chunk (`{job_id, plan_id, seal: j}`, seal-runner.ts) seals
 *   its share of every file, all sent to the queue (once: the phase `packaging` marks them sent); a
 *   short one-chunk job runs its one task here. The seal task whose count completes its done set sends
 *   the finalise task (runs the finaliser here for a short one-chunk job).
 *
 * Every step may run again (a retried message, a repeat): a repeated task writes the same bytes and
 * counts once, the finaliser writes the same objects and completes the job once. The finalise task
 * runs with the invocation's time: out of time, it sends itself again with the objects it stored
 * (memory/decisions/0914-finaliser-hands-on.md).
 */
import type { AppMetrics, Logger } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import { allChunksDone } from './chunk-runner.js';
import { DEFAULT_MAX_ATTEMPTS, type JobRecord } from './job.js';
import { runsNextStageInline } from './job-chunk-plan.js';
import { JobFinaliser } from './job-finaliser.js';
import { type FinaliseMessage, finaliseMessage, sealMessage } from './job-messages.js';
import type { RunOptions, RunOutcome } from './job-runner.js';
import { JobTransitions } from './job-transitions.js';
import type { AssemblyOptions } from './object-assembly.js';
import type { JobQueue, JobRepository, ResultStore, SecretSealer } from './ports.js';
import { allSealsDone, SealRunner, sealTaskCount } from './seal-runner.js';
import { DEFAULT_TIME_SAFETY_MARGIN_MS } from './time-budget.js';

/** A running job not updated for this long belongs to a dead worker (job-runner.ts's default). */
const STALE_AFTER_MS = 5 * 60_000;

export interface JobCompletionDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  /** Where the seal and finalise tasks go; needed only by jobs of more than one chunk. */
  readonly queue?: JobQueue;
  /** Gives back the running-job slot of the job's API key when the job completes. */
  readonly usage: UsageCounters;
  /** Unseals the password of encrypted jobs; required only for those. */
  readonly sealer?: SecretSealer;
  readonly logger?: Logger;
  readonly clock?: () => Date;
  readonly metrics?: Pick<AppMetrics, 'jobCompleted'>;
  /** Deliveries of a message before a failure is final (default DEFAULT_MAX_ATTEMPTS). */
  readonly maxAttempts?: number;
  /** S3 part limits for the finaliser's assembly (tests); default S3's. */
  readonly assembly?: AssemblyOptions;
  /** Time the finalise task keeps free before the invocation's end (default DEFAULT_TIME_SAFETY_MARGIN_MS). */
  readonly timeSafetyMarginMs?: number;
}

export class JobCompletion {
  private readonly finaliser: JobFinaliser;
  private readonly seals: SealRunner;
  private readonly clock: () => Date;

  constructor(private readonly deps: JobCompletionDeps) {
    this.clock = deps.clock ?? (() => new Date());
    const transitions = new JobTransitions({
      jobs: deps.jobs,
      usage: deps.usage,
      clock: this.clock,
      logger: deps.logger,
      maxAttempts: Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      staleAfterMs: STALE_AFTER_MS,
    });
    this.finaliser = new JobFinaliser({
      jobs: deps.jobs,
      store: deps.store,
      transitions,
      clock: this.clock,
      logger: deps.logger,
      metrics: deps.metrics,
      assembly: deps.assembly,
    });
    this.seals = new SealRunner({
      jobs: deps.jobs,
      store: deps.store,
      sealer: deps.sealer,
      clock: this.clock,
      logger: deps.logger,
      afterSeals: (record) => this.afterSeals(record),
    });
  }

  /** Every chunk of the job's plan is done: the seal tasks (encrypted) or the finaliser. */
  async afterChunks(record: JobRecord): Promise<RunOutcome> {
    const chunks = sealTaskCount(record);
    if (!record.config.use_encryption) return this.finaliseNext(record);
    const planId = record.chunking?.plan_id;
    if (!planId) throw new Error(`job ${record.job_id} has no chunk plan`);
    // A short one-chunk job seals here, as the planner runs its chunk 0: no message at all.
    if (runsNextStageInline(record)) return this.seals.run(record, 0);
    if (record.progress_details.phase === 'packaging') {
      this.deps.logger?.info('seal tasks already sent; nothing to do');
      return 'skipped';
    }
    const done = new Set(record.seals_done ?? []);
    const bodies = [];
    for (let j = 0; j < chunks; j++) if (!done.has(j)) bodies.push(sealMessage(record.job_id, planId, j));
    await this.send(record, bodies);
    // The mark that the seal tasks were sent (a repeat sends none); a job no longer running its
    // plan is not marked, and its seal tasks find it so.
    await this.markPackaging(record, planId);
    this.deps.logger?.info('seal tasks sent', { tasks: bodies.length, seal_tasks: chunks });
    return 'completed';
  }

  /**
   * Seal task `seal` of the job's plan (the caller checked the job runs the message's plan). A seal
   * task is short (a chunk's share of the files, read back and sealed at several hundred MB/s): it
   * takes no time budget of its own.
   */
  runSeal(record: JobRecord, seal: number, _options: RunOptions = {}): Promise<RunOutcome> {
    return this.seals.run(record, seal);
  }

  /**
   * The finalise task of the job's plan (the caller checked the job runs the message's plan): the
   * finaliser, once every chunk (and seal task) is counted; a message that comes before is ignored.
   * Given the invocation's remaining time, the finaliser hands what it cannot surely finish on to
   * the same task after the objects it stored (`message.assembled` in the next one).
   */
  async runFinalise(
    record: JobRecord,
    options: RunOptions = {},
    message?: Pick<FinaliseMessage, 'assembled'>,
  ): Promise<RunOutcome> {
    const ready = allChunksDone(record) && (!record.config.use_encryption || allSealsDone(record));
    if (!ready) {
      this.deps.logger?.warn('finalise message of a job whose tasks are not all done; ignored', {
        chunks_done: record.chunks_done?.length ?? 0,
        seals_done: record.seals_done?.length ?? 0,
      });
      return 'skipped';
    }
    const remainingTimeMs = options.remainingTimeMs;
    const planId = record.chunking?.plan_id;
    if (!planId) throw new Error(`job ${record.job_id} has no chunk plan`);
    return this.finaliser.finalise(record, {
      assembled: message?.assembled,
      time: remainingTimeMs && {
        remainingTimeMs,
        marginMs: Math.max(0, this.deps.timeSafetyMarginMs ?? DEFAULT_TIME_SAFETY_MARGIN_MS),
        handOn: (assembled) => this.send(record, [finaliseMessage(record.job_id, planId, assembled)]),
      },
    });
  }

  /** Every seal task is done: the finaliser next. */
  private afterSeals(record: JobRecord): Promise<RunOutcome> {
    return this.finaliseNext(record);
  }

  /**
   * The finaliser: here for a short one-chunk job, else as its own task. A repeat of the stage sends
   * it again: the finaliser writes the same objects and completes the job once.
   */
  private async finaliseNext(record: JobRecord): Promise<RunOutcome> {
    if (runsNextStageInline(record)) return this.finaliser.finalise(record);
    const planId = record.chunking?.plan_id;
    if (!planId) throw new Error(`job ${record.job_id} has no chunk plan`);
    await this.send(record, [finaliseMessage(record.job_id, planId)]);
    if (!record.config.use_encryption) await this.markPackaging(record, planId);
    this.deps.logger?.info('finalise task sent');
    return 'completed';
  }

  private async send(record: JobRecord, bodies: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    if (bodies.length === 0) return;
    if (!this.deps.queue) throw new Error('the job runner has no queue to send the next tasks to');
    await this.deps.queue.sendTasks(bodies, { correlationId: record.correlation_id ?? undefined });
  }

  /** Progress 99 %, phase `packaging`, while the job still runs its plan. */
  private async markPackaging(record: JobRecord, planId: string): Promise<void> {
    const total = record.config.total_patients;
    await this.deps.jobs.update(
      record.job_id,
      {
        set: {
          progress: 99,
          progress_details: { phase: 'packaging', patients_generated: total, total_patients: total },
          updated_at: this.clock().toISOString(),
        },
      },
      { statusIn: ['running'], runId: planId },
    );
  }
}
