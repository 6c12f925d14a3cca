/** Composition root of the job routes (get, list, results, cancel, delete, download). */
import { JobService } from '../../lib/domain/index.js';
import { DynamoJobRepository, S3ResultStore } from '../../lib/infrastructure/index.js';
import { clients, env } from './api.js';

export const jobs = new JobService({
  jobs: new DynamoJobRepository(clients.documents, env.JOBS_TABLE),
  store: new S3ResultStore(clients.s3, env.RESULTS_BUCKET),
});
