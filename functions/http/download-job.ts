/**
 * GET /api/v1/downloads/{job_id}: 302 to a presigned S3 URL valid five minutes; the ZIP of all files
 * by default, `?format=json|ndjson|csv|…` for one file. 409 while the job is not completed.
 * `?redirect=false` answers the link as JSON: a browser cannot follow a 302 with the key in a header
 * and read where it went, so the web console asks for the link and navigates to it.
 */
import { DownloadQuerySchema, JobPathSchema } from '../../lib/api/index.js';
import { ok, redirect } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { jobs } from '../composition/jobs.js';

export const handler = apiRoute(
  'download-job',
  { path: JobPathSchema, query: DownloadQuerySchema },
  async ({ owner, path, query }) => {
    const link = await jobs.downloadLink(owner, path.job_id, query.format);
    return query.redirect ? redirect(link.url) : ok(link, { 'Cache-Control': 'no-store' });
  },
);
