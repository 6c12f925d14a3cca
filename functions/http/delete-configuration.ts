/** DELETE /api/v1/configurations/{config_id}: 204; 404 if the caller has no such configuration. */
import { ConfigurationPathSchema } from '../../lib/api/index.js';
import { noContent } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { configurations } from '../composition/configurations.js';

export const handler = apiRoute(
  'delete-configuration',
  { path: ConfigurationPathSchema },
  async ({ owner, path }) => {
    await configurations.delete(owner, path.config_id);
    return noContent();
  },
);
