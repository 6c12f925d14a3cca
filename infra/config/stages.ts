/**
 * Typed per-stage configuration: every difference between dev, staging and prod lives here,
 * so constructs never test `stage === 'prod'`. Choose a stage with `cdk synth -c stage=dev|staging|prod`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AUTHORIZER } from '../../functions/routes.js';
import { type KeyLimits, STANDARD_KEY_LIMITS } from '../../lib/domain/index.js';

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
  /** Most concurrent generator invocations the SQS event source starts (>= 2). */
  readonly generatorMaxConcurrency: number;
  /** The generation queue's timing; the local stack's queue reads the same figures (`LOCAL_STAGE`). */
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
 * How the generation queue hands out messages (memory/reference/platform-contract.md). The deployed
 * queue (infra/constructs/generation-queue.ts) and the local stack's emulated queue
 * (infra/local/emulators.ts) both read it from here, so neither restates it.
 */
export interface GenerationQueueTiming {
  /**
   * How long a received message stays hidden from other consumers: longer than the generator's
   * timeout, so a running job is never handed to a second worker while the first may still run.
   */
  readonly visibilityTimeout: Duration;
  /**
   * Receives before a message moves to the DLQ. The job runner counts the same runs
   * (DEFAULT_MAX_ATTEMPTS in lib/domain/job.ts; test/infra holds them equal).
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

/** Every stage: the generator may run 900 s (infra/stacks/api-stack.ts), so a message stays hidden 960 s. */
const GENERATION_QUEUE: GenerationQueueTiming = {
  visibilityTimeout: Duration.seconds(960),
  maxReceiveCount: 3,
};

/** The route table's authorizer cache time: the longest a revoked or expired key keeps working. */
const AUTHORIZER_CACHE_SECONDS = AUTHORIZER.cacheTtlSeconds;

/** dev runs two generators at a time, so its keys get fewer concurrent jobs and a smaller daily quota. */
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
    generatorMaxConcurrency: 2,
    generationQueue: GENERATION_QUEUE,
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
    generatorMaxConcurrency: 5,
    generationQueue: GENERATION_QUEUE,
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
    generatorMaxConcurrency: 10,
    generationQueue: GENERATION_QUEUE,
    tracing: true,
    alarmEmail: 'milmed-ops@example.org',
    alarms: { ...DEFAULT_ALARMS, apiP99Latency: Duration.seconds(3), queueAge: Duration.minutes(20) },
    authorizerCacheSeconds: AUTHORIZER_CACHE_SECONDS,
    defaultKeyLimits: STANDARD_KEY_LIMITS,
  },
};

/**
 * The local stack's stage (`STAGE=local`, infra/local/start.ts): the settings it shares with the
 * deployed stages instead of restating them.
 */
export const LOCAL_STAGE: Pick<StageConfig, 'generationQueue'> = {
  generationQueue: GENERATION_QUEUE,
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
