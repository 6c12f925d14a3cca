/**
 * DELETE /api/v1/admin/keys/{key_id} (admin scope): the revoked key. It stops working within the
 * authorizer's cache time (at once in the local stack); revoking it again answers it unchanged.
 */
import { KeyPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { apiRoute } from '../composition/api.js';
import { apiKeys } from '../composition/api-keys.js';

export const handler = apiRoute('revoke-api-key', { path: KeyPathSchema }, async ({ path, principal }) =>
  ok(await apiKeys.revoke(path.key_id, principal.keyId)),
);
