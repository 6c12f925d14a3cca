/**
 * Composition root shared by the DLQ consumer (functions/queue/dead-letters.ts) and the stale-job
 * sweeper (functions/scheduled/sweep-stale-jobs.ts): the StuckJobService over the jobs table and the
 * usage table, built once at cold start; each function names itself in its log lines.
 */
import {
  type AppMetrics,
  createLogger,
  createMetrics,
  type Logger,
  loadConfig,
  StuckJobsEnvSchema,
} from '../../lib/core/index.js';
import { StuckJobService } from '../../lib/domain/index.js';
import { awsClients, DynamoJobRepository, DynamoUsageCounters } from '../../lib/infrastructure/index.js';

export interface StuckJobsRoot {
  readonly logger: Logger;
  /** Flushed once per invocation by the handler. */
  readonly metrics: AppMetrics;
  readonly stuckJobs: StuckJobService;
}

export function stuckJobsRoot(functionName: string): StuckJobsRoot {
  const env = loadConfig(StuckJobsEnvSchema);
  const logger = createLogger({
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    logLevel: env.LOG_LEVEL,
    persistentKeys: { stage: env.STAGE, function: functionName },
  });
  const metrics = createMetrics({ serviceName: env.POWERTOOLS_SERVICE_NAME, stage: env.STAGE });
  const clients = awsClients();
  const jobs = new DynamoJobRepository(clients.documents, env.JOBS_TABLE);
  const stuckJobs = new StuckJobService({
    jobs,
    idle: jobs,
    usage: new DynamoUsageCounters(clients.documents, env.USAGE_TABLE),
    logger,
    metrics,
    runningIdleLimitMs: env.STALE_RUNNING_AFTER_SECONDS && env.STALE_RUNNING_AFTER_SECONDS * 1000,
    waitingIdleLimitMs: env.STALE_WAITING_AFTER_SECONDS && env.STALE_WAITING_AFTER_SECONDS * 1000,
  });
  return { logger, metrics, stuckJobs };
}
