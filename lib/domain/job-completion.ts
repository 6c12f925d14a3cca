/**
 * What follows a fanned-out job's chunks (memory/decisions/0906-job-fan-out.md), called by the chunk
 * that completes the done set (or a repeat that finds it complete while the job still runs):
 *
 * - an unencrypted job: the finaliser (job-finaliser.ts) assembles the files and the ZIP and
 *   completes the job, here, in the same invocation;
 * - an encrypted job: one seal task per chunk (`{job_id, plan_id, seal: j}`, seal-runner.ts) seals
 *   its share of every file; tasks 1..k-1 are sent to the queue (once: the phase `packaging` marks
 *   them sent) and task 0 runs here, so a one-chunk job needs no other message. The seal task whose
 *   count completes its done set runs the finaliser.
 *
 * Every step may run again (a retried message, a repeat): a repeated task writes the same bytes and
 * counts once, the finaliser writes the same objects.
 */
import type { AppMetrics, Logger } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import { DEFAULT_MAX_ATTEMPTS, type JobRecord } from './job.js';
import { JobFinaliser } from './job-finaliser.js';
import { sealMessage } from './job-messages.js';
import type { RunOptions, RunOutcome } from './job-runner.js';
import { JobTransitions } from './job-transitions.js';
import type { AssemblyOptions } from './object-assembly.js';
import type { JobQueue, JobRepository, ResultStore, SecretSealer } from './ports.js';
import { SealRunner, sealTaskCount } from './seal-runner.js';

/** A running job not updated for this long belongs to a dead worker (job-runner.ts's default). */
const STALE_AFTER_MS = 5 * 60_000;

export interface JobCompletionDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  /** Where the seal tasks go; needed only by encrypted jobs of more than one chunk. */
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
      finaliser: this.finaliser,
    });
  }

  /** Every chunk of the job's plan is done: the seal tasks (encrypted) or the finaliser. */
  async afterChunks(record: JobRecord): Promise<RunOutcome> {
    if (!record.config.use_encryption) return this.finaliser.finalise(record);
    const planId = record.chunking?.plan_id;
    if (!planId) throw new Error(`job ${record.job_id} has no chunk plan`);
    const tasks = sealTaskCount(record);
    const done = new Set(record.seals_done ?? []);
    let current = record;
    if (record.progress_details.phase !== 'packaging') {
      const bodies = [];
      for (let j = 1; j < tasks; j++) if (!done.has(j)) bodies.push(sealMessage(record.job_id, planId, j));
      if (bodies.length > 0) {
        if (!this.deps.queue) throw new Error('the job runner has no queue to send seal tasks to');
        await this.deps.queue.sendTasks(bodies, { correlationId: record.correlation_id ?? undefined });
      }
      const total = record.config.total_patients;
      // The mark that the seal tasks were sent (a repeat sends none); a job no longer running its
      // plan is not marked, and seal task 0 below finds it so.
      const marked = await this.deps.jobs.update(
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
      this.deps.logger?.info('seal tasks sent', { tasks: bodies.length, seal_tasks: tasks });
      if (marked) current = marked;
    }
    return this.seals.run(current, 0);
  }

  /**
   * Seal task `seal` of the job's plan (the caller checked the job runs the message's plan). A seal
   * task is short (a chunk's share of the files, read back and sealed at several hundred MB/s): it
   * takes no time budget of its own.
   */
  runSeal(record: JobRecord, seal: number, _options: RunOptions = {}): Promise<RunOutcome> {
    return this.seals.run(record, seal);
  }
}
