/**
 * The services over emulator-backed adapters, built the way a function's composition root builds
 * them. Tests (and the e2e gateway) use this instead of mocks.
 */
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConfigurationService,
  GenerationService,
  type GenerationServiceDeps,
  JobRunner,
  type JobRunnerDeps,
  JobService,
  type JobServiceDeps,
  type KeyLimits,
  type Principal,
  type ResultStore,
  type SecretSealer,
} from '../../lib/domain/index.js';
import {
  type AwsClients,
  activeCounterId,
  createAwsClients,
  createSealer,
  DynamoConfigurationRepository,
  DynamoJobRepository,
  DynamoUsageCounters,
  S3ResultStore,
  SqsJobQueue,
} from '../../lib/infrastructure/index.js';

export interface TestPlatform {
  readonly clients: AwsClients;
  readonly jobs: DynamoJobRepository;
  readonly configurationRepository: DynamoConfigurationRepository;
  readonly queue: SqsJobQueue;
  readonly store: S3ResultStore;
  /** The usage table's counters (USAGE_TABLE). */
  readonly usage: DynamoUsageCounters;
  readonly jobService: JobService;
  readonly configurationService: ConfigurationService;
  readonly generationService: GenerationService;
  readonly runner: JobRunner;
  /** The sealer both services share: the emulators' SEALING_KEY, as in the local stack. */
  readonly sealer: SecretSealer;
}

export interface TestPlatformOptions {
  readonly queueUrl?: string;
  readonly runner?: Partial<JobRunnerDeps>;
  readonly generation?: Partial<GenerationServiceDeps>;
  /** Default: createSealer(env), a LocalKeySealer over the globalSetup's SEALING_KEY. */
  readonly sealer?: SecretSealer;
}

export function createTestPlatform(
  env: Record<string, string>,
  options: TestPlatformOptions = {},
): TestPlatform {
  const clients = createAwsClients();
  const jobs = new DynamoJobRepository(clients.documents, env.JOBS_TABLE);
  const configurationRepository = new DynamoConfigurationRepository(
    clients.documents,
    env.CONFIGURATIONS_TABLE,
  );
  const queue = new SqsJobQueue(clients.sqs, options.queueUrl ?? env.GENERATION_QUEUE_URL);
  const store = new S3ResultStore(clients.s3, env.RESULTS_BUCKET);
  const usage = new DynamoUsageCounters(clients.documents, env.USAGE_TABLE);
  const configurationService = new ConfigurationService({ configurations: configurationRepository });
  const sealer = options.sealer ?? createSealer(env);
  return {
    clients,
    jobs,
    configurationRepository,
    queue,
    store,
    usage,
    jobService: new JobService({ jobs, store, usage }),
    configurationService,
    generationService: new GenerationService({
      jobs,
      queue,
      configurations: configurationService,
      usage,
      sealer,
      ...options.generation,
    }),
    runner: new JobRunner({ jobs, store, usage, sealer, ...options.runner }),
    sealer,
  };
}

/** A job service over the platform's tables, reading results through `store` (default the platform's). */
export function jobServiceOver(
  platform: TestPlatform,
  store: ResultStore = platform.store,
  deps: Partial<JobServiceDeps> = {},
): JobService {
  return new JobService({ jobs: platform.jobs, store, usage: platform.usage, ...deps });
}

/** A runner over the platform's adapters that fans jobs out through its queue, `perChunk` patients a chunk. */
export function fanOutRunner(
  platform: TestPlatform,
  perChunk: number,
  deps: Partial<JobRunnerDeps> = {},
): JobRunner {
  return new JobRunner({
    jobs: platform.jobs,
    store: platform.store,
    usage: platform.usage,
    queue: platform.queue,
    sealer: platform.sealer,
    patientsPerChunk: perChunk,
    ...deps,
  });
}

/** A fresh owner name per test, so tests sharing the emulators never see each other's data. */
export function uniqueOwner(label = 'owner'): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Limits no test of the job path reaches unless it means to. */
export const ROOMY_LIMITS: KeyLimits = {
  max_patients_per_job: 1_000_000,
  max_concurrent_jobs: 1_000,
  daily_patient_quota: 1_000_000_000,
  daily_job_quota: 1_000_000,
  requests_per_minute: 1_000_000,
};

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A key id in the key format, the same for the same seed text. */
export function keyIdOf(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < 16; i++) id += BASE32[digest[i] % 32];
  return id;
}

/** A generate key of `owner` (one key per owner and label) with the given limits. */
export function principalOf(owner: string, limits: KeyLimits = ROOMY_LIMITS, label = 'key'): Principal {
  return { owner, keyId: keyIdOf(`${owner}/${label}`), scopes: ['generate'], limits };
}

/** The key's jobs queued or running, as the usage table counts them (read consistently). */
export async function activeJobsOf(clients: AwsClients, usageTable: string, keyId: string): Promise<number> {
  const { Item } = await clients.documents.send(
    new GetCommand({
      TableName: usageTable,
      Key: { counter_id: activeCounterId(keyId) },
      ConsistentRead: true,
    }),
  );
  return (Item?.active as number | undefined) ?? 0;
}
