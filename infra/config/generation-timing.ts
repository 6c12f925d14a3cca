/**
 * The figures the deployed stages and the local stack share, as plain numbers: the generator's
 * timeout, the generation queue's timing derived from it, the stuck-job bounds and the per-job cap.
 * stages.ts turns them into the CDK's Durations; the local stack's processes read them here, so none
 * of them loads aws-cdk-lib (about 0.9 s and 1.2 s of CPU per process at start-up;
 * memory/decisions/0926-local-stack-loads-no-cdk.md).
 */
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_PATIENTS_PER_JOB,
  DEFAULT_WAITING_IDLE_LIMIT_MS,
} from '../../lib/domain/index.js';

/**
 * AWS's rule for a Lambda function fed by an SQS queue: the queue's visibility timeout at least six
 * times the function's timeout (Lambda developer guide, "Using Lambda with Amazon SQS").
 */
export const SQS_VISIBILITY_PER_FUNCTION_TIMEOUT = 6;

/**
 * The generator of every stage: 2 minutes (a chunk takes 20-30 s; before the fan-out one invocation
 * ran a whole job, 15 minutes).
 */
export const GENERATOR_TIMEOUT_SECONDS = 120;

/**
 * Receives of one message before it goes to the DLQ, in every stage: the job runner's attempts
 * (DEFAULT_MAX_ATTEMPTS in lib/domain/job.ts), one figure.
 */
export const MAX_RECEIVE_COUNT = DEFAULT_MAX_ATTEMPTS;

/** The generation queue's visibility timeout for a generator timeout: six times it. */
export function visibilityTimeoutSecondsFor(generatorTimeoutSeconds: number): number {
  return generatorTimeoutSeconds * SQS_VISIBILITY_PER_FUNCTION_TIMEOUT;
}

/** How a queue hands out messages, in seconds and receives. */
export interface QueueTimingSeconds {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/**
 * How long a `running` job may go without an update before the sweeper fails it: every delivery of its
 * last message has come and gone by then (maxReceiveCount × the visibility timeout;
 * memory/decisions/0903-no-stuck-jobs.md).
 */
export function staleRunningAfterSeconds(queue: QueueTimingSeconds): number {
  return queue.visibilityTimeoutSeconds * queue.maxReceiveCount;
}

/** A pending or queued job not started within this long is failed (the domain's bound, an hour). */
export const STALE_WAITING_AFTER_SECONDS = DEFAULT_WAITING_IDLE_LIMIT_MS / 1000;

/** How the local stack's workers renew a running message's visibility (infra/local/queue-poller.ts). */
export interface VisibilityHeartbeatTiming {
  /** Each renewal hides the message this long; below the queue's visibility timeout. */
  readonly windowSeconds: number;
  /** Seconds between renewals; below windowSeconds. */
  readonly everySeconds: number;
}

/**
 * The local stack's stage (`STAGE=local`, infra/local/start.ts): the settings it shares with the
 * deployed stages instead of restating them: the per-job cap, the generator's timeout (its workers'
 * Lambda context) and the queue's timing. Locally a worker process can die outright, so a running
 * message is hidden 60 s at a time, renewed every 20 s (memory/decisions/0902-local-workers.md):
 * a dead worker's message comes back within a minute. test/infra/generation-queue.test.ts holds every
 * deployed stage to the same figures.
 */
export const LOCAL_STAGE: {
  readonly maxPatientsPerJob: number;
  readonly generatorTimeoutSeconds: number;
  readonly generationQueue: QueueTimingSeconds;
  readonly visibilityHeartbeat: VisibilityHeartbeatTiming;
} = {
  maxPatientsPerJob: DEFAULT_MAX_PATIENTS_PER_JOB,
  generatorTimeoutSeconds: GENERATOR_TIMEOUT_SECONDS,
  generationQueue: {
    visibilityTimeoutSeconds: visibilityTimeoutSecondsFor(GENERATOR_TIMEOUT_SECONDS),
    maxReceiveCount: MAX_RECEIVE_COUNT,
  },
  visibilityHeartbeat: { windowSeconds: 60, everySeconds: 20 },
};
