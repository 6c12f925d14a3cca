/** GET /api/v1/admin/keys/{key_id}?days= (admin scope): the key with its use per UTC day, today first. */
import { ApiKeyGetQuerySchema, KeyPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { apiKeys } from '../composition/api-keys.js';

export const handler = apiRoute(
  'get-api-key',
  { path: KeyPathSchema, query: ApiKeyGetQuerySchema },
  async ({ path, query }) => ok(await apiKeys.get(path.key_id, query.days)),
);
