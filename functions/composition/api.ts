/**
 * Composition root of the authenticated HTTP functions: the validated HTTP environment, the AWS
 * clients and the usage counters (each request counts against its key's requests per minute), built
 * once at cold start. Service roots (jobs, configurations, generation, api keys) build on it, so each
 * function bundles only the services it calls.
 *
 * The key itself never reaches a handler: the API-key authorizer (functions/authorizer) verified it and
 * put the principal in the request context; `apiRoute` hands it to the route as the domain's
 * Principal (scopes and limits checked against the key model).
 */
import type { z } from 'zod';
import {
  HttpEnvSchema,
  type HttpLambdaHandler,
  type HttpRequest,
  type HttpResult,
  httpHandler,
  INVALID_API_KEY,
  loadConfig,
  type RequestCounter,
  type Principal as RequestPrincipal,
  UnauthorizedError,
} from '../../lib/core/index.js';
import { KeyLimitsSchema, KeyScopeSchema, type Principal } from '../../lib/domain/index.js';
import { awsClients, DynamoUsageCounters } from '../../lib/infrastructure/index.js';
import { corsOrigins, logger, type Output, observe, type RouteSchemas } from './base.js';

export { metrics } from './base.js';

import { routeNamed } from './route.js';

export const env = loadConfig(HttpEnvSchema);
export const clients = awsClients();
export const usageCounters = new DynamoUsageCounters(clients.documents, env.USAGE_TABLE);

const countRequest: RequestCounter = (principal) =>
  usageCounters.countRequest(principal.keyId, principal.limits.requests_per_minute, new Date());

/** What an authenticated route receives: the request with the caller as the key model's Principal. */
export type ApiRequest<B, P, Q> = Omit<HttpRequest<B, P, Q>, 'principal'> & {
  readonly principal: Principal;
};

/**
 * The request principal as the key model's: unknown scopes are dropped, limits must be a whole
 * KeyLimits. A context the authorizer did not write (it always writes whole limits) is a 401.
 */
export function keyPrincipal(principal: RequestPrincipal | undefined): Principal {
  const limits = KeyLimitsSchema.safeParse(principal?.limits);
  if (!principal || !limits.success) throw new UnauthorizedError(INVALID_API_KEY);
  const scopes = principal.scopes.flatMap((s) => {
    const scope = KeyScopeSchema.safeParse(s);
    return scope.success ? [scope.data] : [];
  });
  return { owner: principal.owner, keyId: principal.keyId, scopes, limits: limits.data };
}

/**
 * A handler for an authenticated route of the table ('generate' or 'admin': the table says which
 * scope it needs); `owner` is the caller's tenant, `principal` the verified key.
 */
export function apiRoute<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  name: string,
  schemas: RouteSchemas<B, P, Q> & { readonly bodyOptional?: boolean },
  fn: (request: ApiRequest<Output<B>, Output<P>, Output<Q>>) => Promise<HttpResult> | HttpResult,
): HttpLambdaHandler {
  const route = routeNamed(name);
  if (route.auth === 'public') {
    throw new Error(`route ${name} is public in functions/routes.ts: use publicRoute`);
  }
  return observe(
    httpHandler(
      { name: route.name, auth: route.auth, ...schemas },
      { logger, countRequest, corsOrigins },
      (request) => fn({ ...request, principal: keyPrincipal(request.principal) }),
    ),
  );
}
