/** POST /api/v1/jobs/{job_id}/cancel: 200 with the cancelled job; 409 once the job has ended. */
import { JobPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute, metrics } from '../composition/api.js';
import { jobs } from '../composition/jobs.js';

export const handler = apiRoute('cancel-job', { path: JobPathSchema }, async ({ owner, path }) => {
  const job = await jobs.cancel(owner, path.job_id);
  metrics.jobCancelled();
  return ok(job);
});
