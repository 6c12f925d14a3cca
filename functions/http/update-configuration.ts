/** PUT /api/v1/configurations/{config_id}: writes version n+1; 200 with the new version. */
import { ConfigurationPathSchema, JsonObjectBodySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'update-configuration',
  { path: ConfigurationPathSchema, body: JsonObjectBodySchema },
  async ({ owner, path, body }) => ok(await configurations.update(owner, path.config_id, body)),
);
