/** GET /api/v1/configurations/{config_id}/versions: the version history, oldest first. */
import { ConfigurationPathSchema, CursorPageQuerySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'list-configuration-versions',
  { path: ConfigurationPathSchema, query: CursorPageQuerySchema },
  async ({ owner, path, query }) =>
    ok(
      await configurations.listVersions(owner, path.config_id, { limit: query.limit, cursor: query.cursor }),
    ),
);
