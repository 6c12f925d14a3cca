/** GET /api/v1/configurations/{config_id}/versions/{version}: one immutable version. */
import { ConfigurationVersionPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'get-configuration-version',
  { path: ConfigurationVersionPathSchema },
  async ({ owner, path }) => ok(await configurations.getVersion(owner, path.config_id, path.version)),
);
