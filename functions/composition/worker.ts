/**
 * Composition root of the generator worker (SQS): the job runner over DynamoDB, S3 and the generation
 * queue (where a job's planner sends its chunk tasks, the last chunk the seal or finalise task), built at cold
 * start. The usage table is where a job that ends gives its API key's running-job slot back.
 * JOB_STALE_AFTER_SECONDS (optional; default the runner's DEFAULT_STALE_AFTER_MS) is how long a
 * running job must have gone without an update before a redelivered message takes it over: the local
 * stack sets 0, since there a message comes back only once its worker is gone
 * (memory/decisions/0902-local-workers.md).
 */
import * as z from 'zod';
import {
  createLogger,
  createMetrics,
  type Logger,
  loadConfig,
  WorkerEnvSchema,
} from '../../lib/core/index.js';
import { JobRunner, PlanCache } from '../../lib/domain/index.js';
import {
  awsClients,
  createSealer,
  DynamoJobRepository,
  DynamoUsageCounters,
  S3ResultStore,
  SqsJobQueue,
} from '../../lib/infrastructure/index.js';

export const env = loadConfig(
  WorkerEnvSchema.extend({
    GENERATION_QUEUE_URL: z.url({ error: 'must be the URL of the generation queue' }),
    JOB_STALE_AFTER_SECONDS: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(0, 'must be at least 0')
      .max(86_400, 'must be at most 86400')
      .optional(),
    // Patients per chunk instead of the cost model's (job-chunk-plan.ts): small multi-chunk jobs in
    // the local stack's tests and benchmark (startLocalStack's patientsPerChunk); never set deployed.
    JOB_PATIENTS_PER_CHUNK: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000')
      .optional(),
  }),
);
const staleAfterMs =
  env.JOB_STALE_AFTER_SECONDS === undefined ? undefined : env.JOB_STALE_AFTER_SECONDS * 1000;

export const logger = createLogger({
  serviceName: env.POWERTOOLS_SERVICE_NAME,
  logLevel: env.LOG_LEVEL,
  persistentKeys: { stage: env.STAGE, function: 'generate-patients' },
});

/** EMF metrics of the generator, flushed after each message. */
export const metrics = createMetrics({ serviceName: env.POWERTOOLS_SERVICE_NAME, stage: env.STAGE });

const clients = awsClients();
const jobs = new DynamoJobRepository(clients.documents, env.JOBS_TABLE);
const store = new S3ResultStore(clients.s3, env.RESULTS_BUCKET);
const usage = new DynamoUsageCounters(clients.documents, env.USAGE_TABLE);
const sealer = createSealer(env);
const queue = new SqsJobQueue(clients.sqs, env.GENERATION_QUEUE_URL);
/**
 * The process's last plan (memory/decisions/0906-job-fan-out.md): the chunks of a job that reach this
 * process after the first plan it once. A plan is only read, so invocations may share it.
 */
const plans = new PlanCache();

/**
 * A job runner whose lines go to `log`. The SQS handler builds one per invocation over a logger of
 * its own, so two invocations in one process never share log context (memory/fixes/0064).
 */
export function runnerWith(log: Logger): JobRunner {
  return new JobRunner({
    jobs,
    store,
    usage,
    queue,
    plans,
    // Unseals the passwords of encrypted jobs (SEALING_KEY_ID: KMS, or SEALING_KEY locally).
    sealer,
    logger: log,
    metrics,
    staleAfterMs,
    patientsPerChunk: env.JOB_PATIENTS_PER_CHUNK,
  });
}
