/**
 * POST /api/v1/admin/keys (admin scope): 201 with the new key in `api_key`, shown this once. The audit
 * line names the admin key that made it.
 */
import { created } from '../../lib/core/index.js';
import { CreateApiKeyRequestSchema } from '../../lib/domain/index.js';
import { apiRoute } from '../composition/api.js';
import { apiKeys } from '../composition/api-keys.js';

export const handler = apiRoute(
  'create-api-key',
  { body: CreateApiKeyRequestSchema },
  async ({ body, principal }) => {
    const issued = await apiKeys.create(body, principal.keyId);
    return created(issued, { Location: `/api/v1/admin/keys/${issued.key_id}` });
  },
);
