/**
 * Composition root of the authenticated HTTP functions: the validated HTTP environment, the API-key
 * authenticator and the AWS clients, built once at cold start. Service roots (jobs, configurations,
 * generation, health) build on it, so each function bundles only the services it calls.
 */
import type { z } from 'zod';
import {
  createApiKeyAuthenticator,
  HttpEnvSchema,
  type HttpLambdaHandler,
  type HttpRequest,
  type HttpResult,
  httpHandler,
  loadConfig,
} from '../../lib/core/index.js';
import { awsClients } from '../../lib/infrastructure/index.js';
import { corsOrigins, logger, type Output, observe, type RouteSchemas } from './base.js';

export { metrics } from './base.js';

import { routeNamed } from './route.js';

export const env = loadConfig(HttpEnvSchema);
export const clients = awsClients();
export const authenticate = createApiKeyAuthenticator(env.API_KEYS);

/** A handler for an authenticated ('generate') route of the table; `owner` is the caller's tenant. */
export function apiRoute<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  name: string,
  schemas: RouteSchemas<B, P, Q>,
  fn: (request: HttpRequest<Output<B>, Output<P>, Output<Q>>) => Promise<HttpResult> | HttpResult,
): HttpLambdaHandler {
  const route = routeNamed(name, 'generate');
  return observe(
    httpHandler({ name: route.name, auth: 'generate', ...schemas }, { logger, authenticate, corsOrigins }, fn),
  );
}
