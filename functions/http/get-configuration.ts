/**
 * GET /api/v1/configurations/{config_id}: the latest version. "default" answers the built-in default
 * scenario (what `configuration_id: "default"` generates), so a client can start editing from it.
 */
import { ConfigurationPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'get-configuration',
  { path: ConfigurationPathSchema },
  async ({ owner, path }) => ok(await configurations.get(owner, path.config_id)),
);
