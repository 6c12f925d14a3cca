/**
 * The generator worker's domain service: one message of the generation queue
 * (memory/decisions/0906-job-fan-out.md), routed by kind (lib/domain/job-messages.ts):
 *
 * - `{job_id}`: the planner (job-planner.ts): conditional start, plan, chunk bounds, chunk tasks
 *   1..k-1 sent, chunk 0 run here (a small job is one chunk: nothing else is sent).
 * - `{job_id, plan_id, chunk}`: a chunk (chunk-runner.ts): its patient range of every file as parts,
 *   counted done once; the last one hands over to the next stage (job-completion.ts: seal tasks for
 *   an encrypted job, else the finalise task that assembles the files and the ZIP and completes the
 *   job).
 * - `{job_id, plan_id, seal}`: a seal task of an encrypted job (job-completion.ts).
 * - `{job_id, plan_id, finalise: true}`: the finaliser of a job of several chunks, in an invocation of
 *   its own (job-completion.ts, memory/decisions/0908-finaliser-task.md).
 *
 * Failures: a task's error is thrown, so SQS delivers its message again (the job keeps running and
 * its other tasks go on); on the message's last delivery (`RunOptions.receiveCount` ≥ maxAttempts)
 * or when the rest cannot finish in the invocation's time (TimeLimitError) the job is failed for
 * good (job-transitions.ts: conditional on its plan's run, the slot given back by the write that
 * applies) and its parts deleted. A time limit consumes the message (outcome `failed`); a last
 * delivery's error is still thrown, so the message reaches the DLQ, whose consumer finds the job
 * ended. Before the job is planned a failure marks the run failed as a single run did.
 *
 * Cancel and delete (JobService) are seen by every task at its next checkpoint (at most 5% of its
 * chunk) and by every task that comes later; a task that finds its job over deletes its parts.
 * Outcomes (the SQS handler logs them): `completed` (the task did its work; the job may have
 * completed), `cancelled`, `failed` (the job failed for good, or had), `skipped` (nothing to do).
 */
import { type AppMetrics, type Logger, withLogContext } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import { ChunkRunner, type ChunksCompletion, runningPlan } from './chunk-runner.js';
import { DEFAULT_MAX_ATTEMPTS, type JobRecord } from './job.js';
import { JobCompletion } from './job-completion.js';
import type { FinaliseMessage, GenerationMessage } from './job-messages.js';
import { jobPartsPrefix } from './job-parts.js';
import { PlanCache } from './job-plan-cache.js';
import { JobPlanner } from './job-planner.js';
import { jobErrorOf } from './job-run-errors.js';
import { JobTransitions } from './job-transitions.js';
import type { JobQueue, JobRepository, ResultStore, SecretSealer } from './ports.js';
import { DEFAULT_TIME_SAFETY_MARGIN_MS, TimeLimitError } from './time-budget.js';

/** Patients between checkpoints at most. */
export const DEFAULT_CHECKPOINT_EVERY = 5000;
/** A running job not updated for this long belongs to a dead worker; a retried message may take it over. */
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

/** What runs once every chunk is done, the seal tasks and the finalise task (lib/domain/job-completion.ts). */
export interface TaskCompletion extends ChunksCompletion {
  runSeal(record: JobRecord, seal: number, options: RunOptions): Promise<RunOutcome>;
  runFinalise(record: JobRecord, options: RunOptions, message?: FinaliseMessage): Promise<RunOutcome>;
}

export interface JobRunnerDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  /** Gives back the running-job slot of the job's API key when the job ends. */
  readonly usage: UsageCounters;
  /** Where the planner sends chunk tasks (and the completion seal tasks); jobs of one chunk need none. */
  readonly queue?: JobQueue;
  readonly logger?: Logger;
  readonly clock?: () => Date;
  readonly newRunId?: () => string;
  readonly checkpointEvery?: number;
  readonly staleAfterMs?: number;
  /** Unseals the password of jobs with use_encryption; required only for those. */
  readonly sealer?: SecretSealer;
  /** Deliveries of a message before a failure is final (the queue's maxReceiveCount). */
  readonly maxAttempts?: number;
  /** Completed and failed jobs (the caller flushes them). */
  readonly metrics?: Pick<AppMetrics, 'jobCompleted' | 'jobFailed'>;
  /** Time kept free before the invocation's end (default DEFAULT_TIME_SAFETY_MARGIN_MS). */
  readonly timeSafetyMarginMs?: number;
  /** The process's plans (one per worker process, shared by its invocations); default a new one. */
  readonly plans?: PlanCache;
  /** The next stage after the chunks; default a JobCompletion over these deps. */
  readonly completion?: TaskCompletion;
  /** Patients per chunk instead of the cost model's (tests, benchmarks). */
  readonly patientsPerChunk?: number;
  /** The longest one-chunk job that runs its next stage inline (INLINE_STAGE_MAX_CHUNK_SECONDS; tests). */
  readonly inlineStageMaxChunkSeconds?: number;
}

/** `failed`: the job failed for good (or had) and the message is done with. */
export type RunOutcome = 'completed' | 'cancelled' | 'failed' | 'skipped';

export interface RunOptions {
  readonly correlationId?: string;
  /**
   * Time left to the invocation, in ms (the Lambda context's getRemainingTimeInMillis). Without it
   * the run has no time limit of its own.
   */
  readonly remainingTimeMs?: () => number;
  /** The message's ApproximateReceiveCount: at maxAttempts this delivery is its last. */
  readonly receiveCount?: number;
}

export class JobRunner {
  private readonly jobs: JobRepository;
  private readonly store: ResultStore;
  private readonly logger: Logger | undefined;
  private readonly maxAttempts: number;
  private readonly metrics: JobRunnerDeps['metrics'];
  private readonly transitions: JobTransitions;
  private readonly completion: TaskCompletion;
  private readonly chunks: ChunkRunner;
  private readonly planner: JobPlanner;

  constructor(deps: JobRunnerDeps) {
    this.jobs = deps.jobs;
    this.store = deps.store;
    this.logger = deps.logger;
    const clock = deps.clock ?? (() => new Date());
    this.maxAttempts = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.metrics = deps.metrics;
    this.transitions = new JobTransitions({
      jobs: deps.jobs,
      usage: deps.usage,
      clock,
      logger: deps.logger,
      maxAttempts: this.maxAttempts,
      staleAfterMs: deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    });
    const plans = deps.plans ?? new PlanCache();
    this.completion =
      deps.completion ??
      new JobCompletion({
        jobs: deps.jobs,
        store: deps.store,
        queue: deps.queue,
        usage: deps.usage,
        sealer: deps.sealer,
        logger: deps.logger,
        clock,
        metrics: deps.metrics,
        maxAttempts: this.maxAttempts,
        timeSafetyMarginMs: deps.timeSafetyMarginMs,
      });
    this.chunks = new ChunkRunner({
      jobs: deps.jobs,
      store: deps.store,
      plans,
      completion: this.completion,
      clock,
      logger: deps.logger,
      checkpointEvery: Math.max(1, deps.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY),
      timeSafetyMarginMs: Math.max(0, deps.timeSafetyMarginMs ?? DEFAULT_TIME_SAFETY_MARGIN_MS),
    });
    this.planner = new JobPlanner({
      jobs: deps.jobs,
      queue: deps.queue,
      transitions: this.transitions,
      plans,
      chunks: this.chunks,
      completion: this.completion,
      clock,
      newRunId: deps.newRunId,
      logger: deps.logger,
      maxAttempts: this.maxAttempts,
      metrics: deps.metrics,
      patientsPerChunk: deps.patientsPerChunk,
      inlineStageMaxChunkSeconds: deps.inlineStageMaxChunkSeconds,
    });
  }

  /** Runs one message: a job id alone is the job message. */
  async run(message: string | GenerationMessage, options: RunOptions = {}): Promise<RunOutcome> {
    const parsed: GenerationMessage =
      typeof message === 'string' ? { kind: 'job', job_id: message } : message;
    const record = await this.jobs.get(parsed.job_id);
    if (!record) {
      this.logger?.warn('job not found; message ignored', { job_id: parsed.job_id });
      return 'skipped';
    }
    if (!this.logger) return this.route(parsed, record, options);
    // The caller (the SQS handler) may already carry the correlation id; then it stays its key.
    const hasCorrelation = Boolean(this.logger.getCorrelationId());
    const context = {
      job_id: parsed.job_id,
      tenant: record.owner,
      correlation_id: hasCorrelation
        ? undefined
        : (options.correlationId ?? record.correlation_id ?? undefined),
      ...(parsed.kind === 'chunk' ? { chunk: parsed.chunk } : {}),
      ...(parsed.kind === 'seal' ? { seal: parsed.seal } : {}),
      ...(parsed.kind === 'finalise' ? { finalise: true } : {}),
    };
    return withLogContext(this.logger, context, () => this.route(parsed, record, options));
  }

  private async route(
    message: GenerationMessage,
    record: JobRecord,
    options: RunOptions,
  ): Promise<RunOutcome> {
    const lastDelivery = options.receiveCount !== undefined && options.receiveCount >= this.maxAttempts;
    if (message.kind === 'job') {
      // The planner fails a job it could not plan itself; errors after the plan are a task's.
      return this.task(record.job_id, undefined, options, () =>
        this.planner.run(record, { ...options, lastDelivery }),
      );
    }
    if (message.kind === 'chunk') {
      return this.task(record.job_id, message.plan_id, options, () =>
        this.chunks.run(record, message.plan_id, message.chunk, options),
      );
    }
    if (!runningPlan(record, message.plan_id)) {
      this.logger?.info(`${message.kind} message of a job not running that plan; ignored`, {
        status: record.status,
      });
      return 'skipped';
    }
    if (message.kind === 'finalise') {
      return this.task(record.job_id, message.plan_id, options, () =>
        this.completion.runFinalise(record, options, message),
      );
    }
    return this.task(record.job_id, message.plan_id, options, () =>
      this.completion.runSeal(record, message.seal, options),
    );
  }

  /**
   * A task's failure policy: thrown for a retry, unless it is final (the time limit, the last
   * delivery): then the job fails for good under its plan (when it still runs it) and its parts go.
   */
  private async task(
    jobId: string,
    /** The message's plan; undefined for the job message (whichever plan the job runs by then). */
    planId: string | undefined,
    options: RunOptions,
    run: () => Promise<RunOutcome>,
  ): Promise<RunOutcome> {
    try {
      return await run();
    } catch (error) {
      const outOfTime = error instanceof TimeLimitError;
      const lastDelivery = options.receiveCount !== undefined && options.receiveCount >= this.maxAttempts;
      const current = await this.jobs.get(jobId).catch(() => undefined);
      const planned = current ? runningPlan(current, planId ?? current.chunking?.plan_id ?? '') : undefined;
      if (!planned || !current || !(outOfTime || lastDelivery)) {
        if (planned) {
          this.logger?.warn('task failed; its message will be delivered again', {
            receive_count: options.receiveCount,
            cause: error as Error,
          });
        }
        if (outOfTime && !planned) return 'failed';
        throw error;
      }
      const jobError = jobErrorOf(error);
      this.logger?.error('job failed', { error: jobError, cause: error as Error });
      this.metrics?.jobFailed();
      // The job's run is its plan's (the planner wrote plan_id = run_id).
      await this.transitions.fail(current, planned.plan_id, jobError, true);
      await this.store.deletePrefix(jobPartsPrefix(jobId)).catch((cause: unknown) => {
        this.logger?.warn('could not delete the parts of a failed job', { cause: cause as Error });
      });
      if (outOfTime) return 'failed';
      throw error;
    }
  }
}
