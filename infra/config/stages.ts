/**
 * Typed per-stage configuration: every difference between dev, staging and prod lives here,
 * so constructs never test `stage === 'prod'`. Choose a stage with `cdk synth -c stage=dev|staging|prod`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AUTHORIZER } from '../../functions/routes.js';
import { DEFAULT_MAX_PATIENTS_PER_JOB, type KeyLimits, STANDARD_KEY_LIMITS } from '../../lib/domain/index.js';
import {
  GENERATOR_TIMEOUT_SECONDS,
  MAX_RECEIVE_COUNT,
  STALE_WAITING_AFTER_SECONDS,
  staleRunningAfterSeconds,
  visibilityTimeoutSecondsFor,
} from './generation-timing.js';

/** CloudFormation stack names start with this: `<APP_NAME>-<stage>-stateful`, `<APP_NAME>-<stage>-api`. */
export const APP_NAME = 'MilmedPatientGenerator';
/** Lower-case prefix for physical names (functions, log groups, SSM parameters). */
export const APP_SLUG = 'milmed-patient-generator';
/** Powertools service name in every log line (POWERTOOLS_SERVICE_NAME). */
export const SERVICE_NAME = 'milmed-patient-generator';

export const DEPLOY_STAGES = ['dev', 'staging', 'prod'] as const;
export type DeployStage = (typeof DEPLOY_STAGES)[number];

export interface StageConfig {
  readonly stage: DeployStage;
  /** Unset account/region give environment-agnostic stacks (the CLI fills CDK_DEFAULT_* when it has credentials). */
  readonly env: { readonly account?: string; readonly region?: string };
  /** Tables, bucket and log groups: RETAIN keeps data when a stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection on both tables. */
  readonly deletionProtection: boolean;
  /**
   * How long a job lives: its record's TTL (JOB_RETENTION_DAYS of the job-creating function) and the
   * lifecycle expiry of its files under `jobs/`, one figure so a record never outlives its files.
   */
  readonly jobRetention: Duration;
  readonly logRetention: RetentionDays;
  /** LOG_LEVEL of every function. */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN';
  /** Stage-wide API Gateway throttling; per-key limits come from each key (`defaultKeyLimits`). */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Patients one job may hold through the API (MAX_PATIENTS_PER_JOB of the job-creating and the OpenAPI
   * functions; the request schema's total_patients maximum). A key's `max_patients_per_job` may be lower.
   */
  readonly maxPatientsPerJob: number;
  /** The SQS-triggered generator: timeout, memory, concurrency. */
  readonly generator: GeneratorSizing;
  /**
   * The generation queue's timing, derived from `generator` (`generationQueueTiming`); the local
   * stack's queue reads the same figures (`LOCAL_STAGE` in generation-timing.ts).
   */
  readonly generationQueue: GenerationQueueTiming;
  /** X-Ray tracing on the functions and the API stage. */
  readonly tracing: boolean;
  /** Where alarm notifications go: an email subscription to the stage's SNS topic (none when unset). */
  readonly alarmEmail?: string;
  /** Alarm thresholds (infra/constructs/stage-monitoring.ts). */
  readonly alarms: AlarmThresholds;
  /**
   * How long API Gateway caches the authorizer's answer for one X-API-Key value. A revoked or expired
   * key keeps working at most this long after the change (README, Deploying: API keys).
   */
  readonly authorizerCacheSeconds: number;
  /** Limits of a new key whose request names none (DEFAULT_KEY_LIMITS of the create-api-key function). */
  readonly defaultKeyLimits: KeyLimits;
}

/**
 * The generator function (memory/decisions/0907-stage-timeouts-cap-concurrency.md). Each invocation runs
 * one message: a job's planning and first chunk, a chunk, or a seal task, each sized to take 20-30 s
 * (memory/decisions/0906), so a short timeout still leaves a wide margin and a dead run's message comes
 * back soon (the queue's visibility timeout is derived from this timeout).
 */
export interface GeneratorSizing {
  /** The Lambda timeout; the runner stops cleanly before it (remaining time from the context). */
  readonly timeout: Duration;
  /** MB; 1769 MB is one full vCPU (memory/decisions/0523-generator-memory.md). */
  readonly memorySizeMb: number;
  /**
   * Reserved concurrent executions of the generator, which is also the SQS event source's maximum
   * concurrency (2..1000): how many chunks run at once across all jobs of the stage. Reserved
   * concurrency is taken from the account's pool, which must keep 100 unreserved: an account with a
   * lower concurrency quota cannot deploy a stage asking more than quota - 100.
   */
  readonly reservedConcurrency: number;
}

/**
 * How the generation queue hands out messages (memory/reference/platform-contract.md). The deployed
 * queue (infra/constructs/generation-queue.ts) reads it from here, built from the figures of
 * generation-timing.ts that the local stack's emulated queue (infra/local/emulators.ts) reads.
 */
export interface GenerationQueueTiming {
  /**
   * How long a received message stays hidden from other consumers: at least six times the generator's
   * timeout (AWS's rule for Lambda SQS event sources), so a message is never handed to a second run
   * while the first may still run, and the event source's retries of throttled batches fit in it.
   */
  readonly visibilityTimeout: Duration;
  /**
   * Receives before a message moves to the DLQ. The job runner counts the same runs
   * (DEFAULT_MAX_ATTEMPTS in lib/domain/job.ts, which the stages take).
   */
  readonly maxReceiveCount: number;
}

export interface AlarmThresholds {
  /** Share of API requests answered 5xx over 5 minutes (0.05 = 5%). */
  readonly api5xxRate: number;
  /** p99 of the API's latency over 5 minutes. */
  readonly apiP99Latency: Duration;
  /** Age of the oldest message in the generation queue: jobs waiting for a generator. */
  readonly queueAge: Duration;
}

const DEFAULT_ALARMS: AlarmThresholds = {
  api5xxRate: 0.05,
  apiP99Latency: Duration.seconds(5),
  queueAge: Duration.minutes(30),
};

/** The generation queue's timing for a generator: visibility 6 × its timeout, the given receives. */
export function generationQueueTiming(
  generator: GeneratorSizing,
  maxReceiveCount: number,
): GenerationQueueTiming {
  return {
    visibilityTimeout: Duration.seconds(visibilityTimeoutSecondsFor(generator.timeout.toSeconds())),
    maxReceiveCount,
  };
}

/**
 * How long a `running` job may go without an update before the sweeper fails it: every delivery of its
 * last message has come and gone by then (maxReceiveCount × the visibility timeout;
 * memory/decisions/0903-no-stuck-jobs.md). The deployed sweeper and the local one both take it from here.
 */
export function staleRunningAfter(queue: GenerationQueueTiming): Duration {
  return Duration.seconds(
    staleRunningAfterSeconds({
      visibilityTimeoutSeconds: queue.visibilityTimeout.toSeconds(),
      maxReceiveCount: queue.maxReceiveCount,
    }),
  );
}

/** A pending or queued job not started within this long is failed (the domain's bound, an hour). */
export const STALE_WAITING_AFTER = Duration.seconds(STALE_WAITING_AFTER_SECONDS);

/** The generator of every stage but its concurrency (GENERATOR_TIMEOUT_SECONDS), one vCPU. */
const GENERATOR_TIMEOUT = Duration.seconds(GENERATOR_TIMEOUT_SECONDS);
const GENERATOR_MEMORY_MB = 1769;

/**
 * Generator concurrency per stage: dev 4 (enough to see a job fan out, cheap), staging 10, prod 50
 * (a 1M-patient job in a few chunk waves; 50 + 100 unreserved fits the default account quota of 1,000).
 */
const generatorOf = (reservedConcurrency: number): GeneratorSizing => ({
  timeout: GENERATOR_TIMEOUT,
  memorySizeMb: GENERATOR_MEMORY_MB,
  reservedConcurrency,
});
const DEV_GENERATOR = generatorOf(4);
const STAGING_GENERATOR = generatorOf(10);
const PROD_GENERATOR = generatorOf(50);

/** The route table's authorizer cache time: the longest a revoked or expired key keeps working. */
const AUTHORIZER_CACHE_SECONDS = AUTHORIZER.cacheTtlSeconds;

/** dev runs four generators at a time, so its keys get fewer concurrent jobs and a smaller daily quota. */
const DEV_KEY_LIMITS: KeyLimits = {
  ...STANDARD_KEY_LIMITS,
  max_concurrent_jobs: 2,
  daily_patient_quota: 200_000,
  daily_job_quota: 100,
};

const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

export const STAGE_CONFIGS: Readonly<Record<DeployStage, StageConfig>> = {
  dev: {
    stage: 'dev',
    env,
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    jobRetention: Duration.days(30),
    logRetention: RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
    throttling: { rateLimit: 20, burstLimit: 40 },
    maxPatientsPerJob: DEFAULT_MAX_PATIENTS_PER_JOB,
    generator: DEV_GENERATOR,
    generationQueue: generationQueueTiming(DEV_GENERATOR, MAX_RECEIVE_COUNT),
    tracing: false,
    alarms: DEFAULT_ALARMS,
    authorizerCacheSeconds: AUTHORIZER_CACHE_SECONDS,
    defaultKeyLimits: DEV_KEY_LIMITS,
  },
  staging: {
    stage: 'staging',
    env,
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    jobRetention: Duration.days(30),
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'INFO',
    throttling: { rateLimit: 50, burstLimit: 100 },
    maxPatientsPerJob: DEFAULT_MAX_PATIENTS_PER_JOB,
    generator: STAGING_GENERATOR,
    generationQueue: generationQueueTiming(STAGING_GENERATOR, MAX_RECEIVE_COUNT),
    tracing: true,
    alarmEmail: 'milmed-ops-staging@example.org',
    alarms: DEFAULT_ALARMS,
    authorizerCacheSeconds: AUTHORIZER_CACHE_SECONDS,
    defaultKeyLimits: STANDARD_KEY_LIMITS,
  },
  prod: {
    stage: 'prod',
    env,
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    jobRetention: Duration.days(90),
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    throttling: { rateLimit: 100, burstLimit: 200 },
    maxPatientsPerJob: DEFAULT_MAX_PATIENTS_PER_JOB,
    generator: PROD_GENERATOR,
    generationQueue: generationQueueTiming(PROD_GENERATOR, MAX_RECEIVE_COUNT),
    tracing: true,
    alarmEmail: 'milmed-ops@example.org',
    alarms: { ...DEFAULT_ALARMS, apiP99Latency: Duration.seconds(3), queueAge: Duration.minutes(20) },
    authorizerCacheSeconds: AUTHORIZER_CACHE_SECONDS,
    defaultKeyLimits: STANDARD_KEY_LIMITS,
  },
};

export function isDeployStage(value: unknown): value is DeployStage {
  return typeof value === 'string' && (DEPLOY_STAGES as readonly string[]).includes(value);
}

/** Context keys read from `-c key=value` (or cdk.json) that shape a stage. */
export interface StageContext {
  readonly stage?: unknown;
  /** `-c alarmEmail=ops@example.org`: the address alarm notifications go to. */
  readonly alarmEmail?: unknown;
}

/**
 * The configuration of the stage named in the context, with command-line overrides applied.
 * An unknown or missing stage stops the synth with a message that lists the valid ones.
 */
export function stageConfigFromContext(context: StageContext): StageConfig {
  const { stage } = context;
  if (!isDeployStage(stage)) {
    const given = stage === undefined ? 'no stage' : `unknown stage ${JSON.stringify(stage)}`;
    throw new Error(`${given}: pass -c stage=${DEPLOY_STAGES.join('|')} (cdk.json defaults to dev)`);
  }
  const base = STAGE_CONFIGS[stage];
  return {
    ...base,
    alarmEmail: resolveAlarmEmail(base.alarmEmail, context.alarmEmail),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function resolveAlarmEmail(configured: string | undefined, override: unknown): string | undefined {
  if (override === undefined || override === '') return configured;
  if (typeof override !== 'string' || !EMAIL.test(override)) {
    throw new Error('-c alarmEmail must be one email address (the alarm topic subscribes it)');
  }
  return override;
}
