/** GET /api/v1/jobs/{job_id}/results: one page of a completed job's patients. */
import { JobPathSchema, ResultsQuerySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { jobs } from '../composition/jobs.js';

export const handler = apiRoute(
  'get-job-results',
  { path: JobPathSchema, query: ResultsQuerySchema },
  async ({ owner, path, query, signal }) => ok(await jobs.results(owner, path.job_id, query, signal)),
);
