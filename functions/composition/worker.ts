/**
 * Composition root of the generator worker (SQS): the job runner over DynamoDB and S3, built at cold
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
import { JobRunner } from '../../lib/domain/index.js';
import {
  awsClients,
  createSealer,
  DynamoJobRepository,
  DynamoUsageCounters,
  S3ResultStore,
} from '../../lib/infrastructure/index.js';

export const env = loadConfig(
  WorkerEnvSchema.extend({
    JOB_STALE_AFTER_SECONDS: z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(0, 'must be at least 0')
      .max(86_400, 'must be at most 86400')
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

/**
 * A job runner whose lines go to `log`. The SQS handler builds one per invocation over a logger of
 * its own, so two invocations in one process never share log context (memory/fixes/0064).
 */
export function runnerWith(log: Logger): JobRunner {
  return new JobRunner({
    jobs,
    store,
    usage,
    // Unseals the passwords of encrypted jobs (SEALING_KEY_ID: KMS, or SEALING_KEY locally).
    sealer,
    logger: log,
    metrics,
    staleAfterMs,
  });
}
