/**
 * The services over emulator-backed adapters, built the way a function's composition root builds
 * them. Tests (and the e2e gateway) use this instead of mocks.
 */
import {
  ConfigurationService,
  GenerationService,
  type GenerationServiceDeps,
  JobRunner,
  type JobRunnerDeps,
  JobService,
  type SecretSealer,
} from '../../lib/domain/index.js';
import {
  type AwsClients,
  createAwsClients,
  createSealer,
  DynamoConfigurationRepository,
  DynamoJobRepository,
  S3ResultStore,
  SqsJobQueue,
} from '../../lib/infrastructure/index.js';

export interface TestPlatform {
  readonly clients: AwsClients;
  readonly jobs: DynamoJobRepository;
  readonly configurationRepository: DynamoConfigurationRepository;
  readonly queue: SqsJobQueue;
  readonly store: S3ResultStore;
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
  const configurationService = new ConfigurationService({ configurations: configurationRepository });
  const sealer = options.sealer ?? createSealer(env);
  return {
    clients,
    jobs,
    configurationRepository,
    queue,
    store,
    jobService: new JobService({ jobs, store }),
    configurationService,
    generationService: new GenerationService({
      jobs,
      queue,
      configurations: configurationService,
      sealer,
      ...options.generation,
    }),
    runner: new JobRunner({ jobs, store, sealer, ...options.runner }),
    sealer,
  };
}

/** A fresh owner name per test, so tests sharing the emulators never see each other's data. */
export function uniqueOwner(label = 'owner'): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}
