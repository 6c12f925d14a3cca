/**
 * Composition root shared by every HTTP function: the validated base environment and the logger,
 * built once at cold start. Public routes need nothing else, so they stay small and start fast.
 */
import type { z } from 'zod';
import {
  BaseEnvSchema,
  countAuthFailures,
  createLogger,
  createMetrics,
  type HttpLambdaHandler,
  type HttpRequest,
  type HttpResult,
  httpHandler,
  loadConfig,
  observed,
} from '../../lib/core/index.js';
import { routeNamed } from './route.js';

export const baseEnv = loadConfig(BaseEnvSchema);

export const logger = createLogger({
  serviceName: baseEnv.POWERTOOLS_SERVICE_NAME,
  logLevel: baseEnv.LOG_LEVEL,
  persistentKeys: { stage: baseEnv.STAGE },
});

/** The stage's web console origins (CORS_ORIGINS); any origin when unset. */
export const corsOrigins = baseEnv.CORS_ORIGINS;

/** EMF metrics of every HTTP function, flushed once per request by `observe`. */
export const metrics = createMetrics({ serviceName: baseEnv.POWERTOOLS_SERVICE_NAME, stage: baseEnv.STAGE });

/** A traced handler whose recorded figures (and any 401 as an auth failure) are flushed per request. */
export function observe(handler: HttpLambdaHandler): HttpLambdaHandler {
  return observed(handler, { metrics, onResult: countAuthFailures });
}

export type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSchemas<B, P, Q> {
  readonly body?: B;
  readonly path?: P;
  readonly query?: Q;
}

/** A handler for a public route of the table. */
export function publicRoute<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  name: string,
  schemas: RouteSchemas<B, P, Q>,
  fn: (request: HttpRequest<Output<B>, Output<P>, Output<Q>>) => Promise<HttpResult> | HttpResult,
): HttpLambdaHandler {
  const route = routeNamed(name, 'public');
  return observe(httpHandler({ name: route.name, auth: 'public', ...schemas }, { logger, corsOrigins }, fn));
}
