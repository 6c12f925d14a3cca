/** GET /api/v1/configurations/{config_id}: the latest version. */
import { ConfigurationPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'get-configuration',
  { path: ConfigurationPathSchema },
  async ({ owner, path }) => ok(await configurations.get(owner, path.config_id)),
);
