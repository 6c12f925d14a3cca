/**
 * POST /api/v1/admin/keys/{key_id}/rotate (admin scope), body optional {grace_period_hours}: the key
 * with a new secret in `api_key`, shown this once; the old one works until the grace ends.
 */
import { KeyPathSchema } from '../../lib/api/index.js';
import { ok } from '../../lib/core/index.js';
import { RotateApiKeyRequestSchema } from '../../lib/domain/index.js';
import { apiRoute } from '../composition/api.js';
import { apiKeys } from '../composition/api-keys.js';

export const handler = apiRoute(
  'rotate-api-key',
  { path: KeyPathSchema, body: RotateApiKeyRequestSchema, bodyOptional: true },
  async ({ path, body, principal }) => ok(await apiKeys.rotate(path.key_id, body, principal.keyId)),
);
