/** GET /api/v1/jobs/{job_id}/scenario: the exact scenario and seed the caller's job ran. */
import { JobPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { jobs } from '../composition/jobs.js';

export const handler = apiRoute('get-job-scenario', { path: JobPathSchema }, async ({ owner, path }) =>
  ok(await jobs.scenario(owner, path.job_id)),
);
