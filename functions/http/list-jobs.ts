/** GET /api/v1/jobs: the caller's jobs, newest first, cursor-paginated. */
import { CursorPageQuerySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { jobs } from '../composition/jobs.js';

export const handler = apiRoute('list-jobs', { query: CursorPageQuerySchema }, async ({ owner, query }) =>
  ok(await jobs.list(owner, { limit: query.limit, cursor: query.cursor })),
);
