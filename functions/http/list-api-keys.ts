/** GET /api/v1/admin/keys?owner=&limit=&cursor= (admin scope): keys newest first, never a secret or hash. */
import { ApiKeyListQuerySchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { apiKeys } from '../composition/api-keys.js';

export const handler = apiRoute('list-api-keys', { query: ApiKeyListQuerySchema }, async ({ query }) => {
  const page = await apiKeys.list({ owner: query.owner, limit: query.limit, cursor: query.cursor });
  return ok({ keys: page.items, next_cursor: page.next_cursor });
});
