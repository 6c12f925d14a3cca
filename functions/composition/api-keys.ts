/**
 * Composition root of the admin key routes: the key service over the keys table and the usage
 * counters. DEFAULT_KEY_LIMITS (optional JSON, the stage's; lib/core/config.ts) sets the `standard`
 * preset's limits over the built-in STANDARD_KEY_LIMITS; a bad one stops the function at cold start.
 */
import { ApiKeyService } from '../../lib/domain/index.js';
import { DynamoApiKeyRepository } from '../../lib/infrastructure/index.js';
import { clients, env, usageCounters } from './api.js';
import { auditLine } from './audit.js';
import { logger } from './base.js';
import { defaultKeyLimits } from './default-key-limits.js';

export const apiKeys = new ApiKeyService({
  keys: new DynamoApiKeyRepository(clients.documents, env.API_KEYS_TABLE),
  usage: usageCounters,
  stage: env.STAGE,
  defaultLimits: defaultKeyLimits(env.DEFAULT_KEY_LIMITS),
  audit: auditLine(logger),
});
