/**
 * Composition root of the job routes (get, list, scenario, results, cancel, delete, download). Cancelling or
 * deleting a job in progress gives its key's running-job slot back (the usage table).
 */
import { JobService } from '../../lib/domain/index.js';
import { DynamoJobRepository, S3ResultStore } from '../../lib/infrastructure/index.js';
import { clients, env, usageCounters } from './api.js';
import { logger } from './base.js';

export const jobs = new JobService({
  jobs: new DynamoJobRepository(clients.documents, env.JOBS_TABLE),
  store: new S3ResultStore(clients.s3, env.RESULTS_BUCKET),
  usage: usageCounters,
  logger,
});
