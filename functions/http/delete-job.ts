/** DELETE /api/v1/jobs/{job_id}: 200 {success, message, deleted_id, timestamp}; 404 for an unknown job. */
import { JobPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { jobs } from '../composition/jobs.js';

export const handler = apiRoute('delete-job', { path: JobPathSchema }, async ({ owner, path }) =>
  ok(await jobs.delete(owner, path.job_id)),
);
