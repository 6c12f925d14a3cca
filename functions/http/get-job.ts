/** GET /api/v1/jobs/{job_id}: the caller's job with its progress phase and counts. */
import { JobPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { jobs } from '../composition/jobs.js';

export const handler = apiRoute('get-job', { path: JobPathSchema }, async ({ owner, path }) =>
  ok(await jobs.get(owner, path.job_id)),
);
