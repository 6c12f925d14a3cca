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
} from '../../lib/domain/index.js';
import {
  type AwsClients,
  createAwsClients,
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
}

export interface TestPlatformOptions {
  readonly queueUrl?: string;
  readonly runner?: Partial<JobRunnerDeps>;
  readonly generation?: Partial<GenerationServiceDeps>;
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
      ...options.generation,
    }),
    runner: new JobRunner({ jobs, store, ...options.runner }),
  };
}

/** A fresh owner name per test, so tests sharing the emulators never see each other's data. */
export function uniqueOwner(label = 'owner'): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}
