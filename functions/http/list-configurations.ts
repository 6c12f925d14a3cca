/** GET /api/v1/configurations: the caller's configurations (latest versions), cursor-paginated. */
import { ConfigurationListQuerySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'list-configurations',
  { query: ConfigurationListQuerySchema },
  async ({ owner, query }) =>
    ok(await configurations.list(owner, { limit: query.limit, cursor: query.cursor })),
);
