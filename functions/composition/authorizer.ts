/**
 * Composition root of the API-key authorizer: the key service over the keys table, built once at cold
 * start, behind the authorizer logic (functions/authorizer/request-authorizer.ts), traced and with its
 * AuthFailures flushed per invocation.
 */
import { AuthorizerEnvSchema, createLogger, loadConfig, observed } from '../../lib/core/index.js';
import { ApiKeyService, STANDARD_KEY_LIMITS } from '../../lib/domain/index.js';
import { awsClients, DynamoApiKeyRepository, DynamoUsageCounters } from '../../lib/infrastructure/index.js';
import { type AuthorizerHandler, createAuthorizer } from '../authorizer/request-authorizer.js';
import { auditLine } from './audit.js';
import { metrics } from './base.js';

const env = loadConfig(AuthorizerEnvSchema);
const clients = awsClients();

/** Its own logger: in the local stack the HTTP handlers' logger (base.ts) carries their Lambda context. */
const logger = createLogger({
  serviceName: env.POWERTOOLS_SERVICE_NAME,
  logLevel: env.LOG_LEVEL,
  persistentKeys: { stage: env.STAGE, function: 'api-key-authorizer' },
});

const keys = new ApiKeyService({
  keys: new DynamoApiKeyRepository(clients.documents, env.API_KEYS_TABLE),
  // The authorizer only verifies keys: it never reads usage or creates a key with default limits.
  usage: new DynamoUsageCounters(clients.documents, env.USAGE_TABLE),
  stage: env.STAGE,
  defaultLimits: STANDARD_KEY_LIMITS,
  audit: auditLine(logger),
});

export const authorizer: AuthorizerHandler = observed(
  createAuthorizer({ authenticate: (key) => keys.authenticate(key), logger, metrics }),
  { metrics },
);
