/**
 * THE middy stack every HTTP handler runs in (memory/decisions/0301-http-middleware-stack.md), so routes differ only in their schemas and
 * their one service call:
 *
 *   Powertools Logger context → header normaliser → event normaliser → request context (request id,
 *   access log, X-Request-Id) → security headers → CORS → body-size limit → JSON body parser (body
 *   routes only) → error handler (last: its onError runs first and sets the response the others decorate)
 *
 * First of all the X-API-Key header is removed from the event: the key was checked by the API-key
 * authorizer (functions/authorizer), which hands the handler a principal in
 * event.requestContext.authorizer instead. Inside, on non-public routes: the principal (none → 401),
 * the request counted against the key's requests per minute (over → 429 with Retry-After; RateLimit-*
 * headers on every authenticated response, errors included), the route's scope (missing → 403), then
 * zod validation of path, query and body with field paths, then the route function. A GET runs while
 * it is counted (its answer is dropped if the count refuses); a write runs only once counted. Every failure leaves through
 * `toErrorResponse`: one envelope, the API Gateway request id in it and in X-Request-Id, never a stack
 * trace, never a 500 for bad input.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import {
  AppError,
  ErrorCode,
  type FieldIssue,
  ForbiddenError,
  MalformedRequestError,
  PayloadTooLargeError,
  RateLimitedError,
  StorageError,
  toAppError,
  toErrorResponse,
  UnauthorizedError,
  ValidationError,
  zodIssues,
} from './errors.js';
import {
  type Principal,
  principalFromAuthorizerContext,
  type RateAllowance,
  type RequestCounter,
  rateLimitHeaders,
} from './http-auth.js';
import { locateJsonError } from './json-error.js';
import { appendLogContext, type Logger } from './logger.js';

/** Largest request body a handler accepts (bytes, after base64 decoding): 1 MiB. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** A request still running this long before the function's timeout answers 503 and is aborted. */
export const ANSWER_BEFORE_TIMEOUT_MS = 500;

/** The API key header (matched case-insensitively). */
export const API_KEY_HEADER = 'x-api-key';
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** The CORS lists, one definition for the handlers, the deployed preflight and the local gateway. */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'X-API-Key', 'Idempotency-Key'] as const;
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'Location',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  // POST /api/v1/generation's mark of an Idempotency-Key replay.
  'Idempotent-Replayed',
] as const;

export const MISSING_API_KEY = 'Missing API Key';
export const INVALID_API_KEY = 'Invalid API Key';

/** A route's access (functions/routes.ts): public, or the key scope it needs. */
export type RouteAuth = 'public' | 'generate' | 'admin';

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HttpRouteSpec<B, P, Q> {
  /** Route name (functions/routes.ts), for logs. */
  readonly name: string;
  readonly auth: RouteAuth;
  /** Body schema; only routes with one parse a JSON body. */
  readonly body?: B;
  /** Path parameter schema (values are strings). */
  readonly path?: P;
  /** Query string schema (values are strings; use z.coerce for numbers). */
  readonly query?: Q;
  readonly maxBodyBytes?: number;
  /** An absent or empty body is parsed as `{}` (a body whose every field has a default). */
  readonly bodyOptional?: boolean;
}

export interface HttpDependencies {
  readonly logger: Logger;
  /**
   * Counts a request against its key's requests per minute (the usage table); required on non-public
   * routes.
   */
  readonly countRequest?: RequestCounter;
  /** Allowed CORS origins; '*' when empty. */
  readonly corsOrigins?: readonly string[];
}

export interface HttpRequest<B, P, Q> {
  readonly body: B;
  readonly path: P;
  readonly query: Q;
  /** Request headers with lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The API key's owner (the tenant); '' on public routes. */
  readonly owner: string;
  /** The verified caller (from the authorizer's context); undefined on public routes. */
  readonly principal: Principal | undefined;
  /** API Gateway's request id: in every log line, in error envelopes and in X-Request-Id. */
  readonly requestId: string;
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
  /**
   * Aborted when the function answers 503 because its time is nearly up: work still running for this
   * request (S3 reads above all) stops instead of going on unseen, into the next invocation in Lambda.
   */
  readonly signal: AbortSignal;
}

export interface HttpResult {
  readonly statusCode: number;
  /** Serialised as JSON unless `raw` is set. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A body that is already text (sent as is). */
  readonly raw?: string;
}

export function json(statusCode: number, body: unknown, headers?: Record<string, string>): HttpResult {
  return { statusCode, body, headers };
}
export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => json(200, body, headers);
export const created = (body: unknown, headers?: Record<string, string>): HttpResult =>
  json(201, body, headers);
export const noContent = (): HttpResult => ({ statusCode: 204 });
export function redirect(location: string, statusCode = 302): HttpResult {
  return { statusCode, headers: { Location: location, 'Cache-Control': 'no-store' } };
}

export type HttpLambdaHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

type MiddyRequest = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

function requestIdOf(event: APIGatewayProxyEvent | undefined, context: Context | undefined): string {
  return event?.requestContext?.requestId || context?.awsRequestId || 'unknown';
}

/**
 * Body-size limit, applied before parsing; an empty body on a body route is a 400, or `{}` when the
 * route's body is optional.
 */
function bodyLimit(
  maxBytes: number,
  body: 'none' | 'required' | 'optional',
): middy.MiddlewareObj<APIGatewayProxyEvent> {
  return {
    before: async ({ event }) => {
      const text = event.body;
      if (text === null || text === undefined || text === '') {
        if (body === 'required') {
          throw new MalformedRequestError('Request body is required (a JSON object)');
        }
        if (body === 'optional') {
          event.body = '{}';
          event.isBase64Encoded = false;
        }
        return;
      }
      const bodyText = text;
      const bytes = event.isBase64Encoded
        ? Buffer.byteLength(bodyText, 'base64')
        : Buffer.byteLength(bodyText, 'utf8');
      if (bytes > maxBytes) {
        throw new PayloadTooLargeError(`Request body is ${bytes} bytes; the limit is ${maxBytes} bytes`, {
          details: { limit_bytes: maxBytes, received_bytes: bytes },
        });
      }
    },
  };
}

/**
 * Maps middy's body-parser failures (it reports malformed JSON as 415) to a 400 VALIDATION_ERROR
 * that says where the body stops being JSON (memory/fixes/0209-api-malformed-json-said-not-where.md).
 */
async function fromBodyParser(error: unknown, event: APIGatewayProxyEvent): Promise<unknown> {
  const cause = (error as { cause?: { package?: string; message?: string } } | undefined)?.cause;
  if (cause?.package !== '@middy/http-json-body-parser') return error;
  // The parser's own message quotes the body, which may hold a password: never pass it on. The place
  // is told in words only (a stray word is "unexpected text", not quoted).
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const place = await locateJsonError(text).catch(() => undefined);
  return new MalformedRequestError(
    place
      ? `Malformed JSON in request body at line ${place.line}, column ${place.column}: ${place.problem}`
      : 'Malformed JSON in request body: it does not parse as JSON',
  );
}

/** Request id into the logger, X-Request-Id on the response, one access line per request. */
function requestContext(
  logger: Logger,
  name: string,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const started = new WeakMap<object, number>();
  const finish = (request: MiddyRequest) => {
    const requestId = requestIdOf(request.event, request.context);
    const response = request.response;
    if (response) {
      response.headers = { ...response.headers, [REQUEST_ID_HEADER]: requestId };
    }
    const status = response?.statusCode ?? 500;
    const ms = Math.round((performance.now() - (started.get(request) ?? performance.now())) * 10) / 10;
    logger.info('request', {
      route: name,
      method: request.event?.httpMethod,
      path: request.event?.path,
      status,
      duration_ms: ms,
    });
  };
  return {
    before: async (request) => {
      started.set(request, performance.now());
      const requestId = requestIdOf(request.event, request.context);
      appendLogContext(logger, { request_id: requestId, correlation_id: requestId });
    },
    after: async (request) => finish(request),
    onError: async (request) => finish(request),
  };
}

/** Whether a request came with an X-API-Key header (before it was stripped): 401 says missing or invalid. */
const presentedKey = new WeakMap<object, boolean>();
/** The rate-limit answer of a request, for the RateLimit-* headers of its response. */
const allowances = new WeakMap<object, RateAllowance>();

function withoutApiKey<V>(map: Record<string, V> | null | undefined): boolean {
  if (!map) return false;
  let found = false;
  for (const name of Object.keys(map)) {
    if (name.toLowerCase() === API_KEY_HEADER) {
      delete map[name];
      found = true;
    }
  }
  return found;
}

/**
 * First in the stack: the key leaves the event before anything (logger, handler, a log of the event)
 * can see it. Handlers know the caller by the authorizer's principal only.
 */
function stripApiKey(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: async ({ event }) => {
      if (!event || typeof event !== 'object') return;
      const inHeaders = withoutApiKey(event.headers);
      const inMulti = withoutApiKey(event.multiValueHeaders);
      presentedKey.set(event, inHeaders || inMulti);
    },
  };
}

/** RateLimit-Limit, -Remaining and -Reset on every response of a counted request, errors included. */
function rateLimitResponseHeaders(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const decorate = (request: MiddyRequest) => {
    const allowance = request.event ? allowances.get(request.event) : undefined;
    if (!allowance || !request.response) return;
    request.response.headers = { ...request.response.headers, ...rateLimitHeaders(allowance) };
  };
  return { after: async (request) => decorate(request), onError: async (request) => decorate(request) };
}

/** The authorizer's principal of a non-public route's request, or the 401. */
function callerOf(event: APIGatewayProxyEvent): Principal {
  const principal = principalFromAuthorizerContext(event.requestContext?.authorizer);
  if (!principal) {
    throw new UnauthorizedError(presentedKey.get(event) ? INVALID_API_KEY : MISSING_API_KEY);
  }
  return principal;
}

/** Methods that change nothing: their work may run while the request is being counted. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Counts one request of the principal against its minute window; past the limit, the 429. */
async function countOrRefuse(
  event: APIGatewayProxyEvent,
  principal: Principal,
  countRequest: RequestCounter,
): Promise<void> {
  const allowance = await countRequest(principal);
  allowances.set(event, allowance);
  if (!allowance.allowed) {
    throw new RateLimitedError(
      `Rate limit exceeded: this key may make ${allowance.limit} requests per minute`,
      allowance.resetSeconds,
      { details: { limit: 'requests_per_minute', value: allowance.limit } },
    );
  }
}

function requireScope(principal: Principal, scope: string): void {
  if (!principal.scopes.includes(scope)) {
    throw new ForbiddenError(`This route needs an API key with the "${scope}" scope`, {
      details: { required_scope: scope },
    });
  }
}

/** Last in the stack: every error becomes the one error envelope (README, HTTP API). */
function errorHandler(logger: Logger): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const error = await fromBodyParser(request.error, request.event);
      const appError = toAppError(error);
      if (appError.status >= 500) {
        logger.error('request failed', { error: request.error as Error, code: appError.code });
      } else {
        // `message` is Powertools' own key (the line's text): the reason goes under another name.
        logger.info('request rejected', {
          code: appError.code,
          status: appError.status,
          reason: appError.message,
        });
      }
      const response = toErrorResponse(appError, requestIdOf(request.event, request.context));
      request.response = { ...response, headers: { ...response.headers } };
    },
  };
}

/** Query parameters whose value is a comma-separated list (repeatableQueryParameter). */
const REPEATABLE_QUERY_PARAMETERS = new WeakSet<z.ZodType>();

/**
 * Marks a query parameter's schema as a comma-separated list that may also come as the parameter
 * repeated (`triage=T1&triage=T2`, as clients that encode a list by repeating its name send it): its
 * values are then joined with commas. Returns the schema.
 */
export function repeatableQueryParameter<S extends z.ZodType>(schema: S): S {
  REPEATABLE_QUERY_PARAMETERS.add(schema);
  return schema;
}

/**
 * The query as the route's schema reads it. API Gateway keeps only the last value of a repeated
 * parameter in queryStringParameters; multiValueQueryStringParameters has them all. A list parameter
 * takes every value; any other one given with different values is refused, naming it, instead of the
 * last silently winning (`per_page=10&per_page=500`). The same value repeated is that value.
 */
function queryOf(schema: z.ZodType, event: APIGatewayProxyEvent): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = { ...(event.queryStringParameters ?? {}) };
  const shape = (schema as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const issues: FieldIssue[] = [];
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (!values || values.length < 2) continue;
    // A parameter the route does not know is the schema's to refuse, by name.
    const field = Object.hasOwn(shape, name) ? shape[name] : undefined;
    if (!field) continue;
    if (REPEATABLE_QUERY_PARAMETERS.has(field)) query[name] = values.join(',');
    else if (new Set(values).size > 1) {
      issues.push({
        path: `query.${name}`,
        message: `${name} is given ${values.length} times; give it once`,
      });
    }
  }
  if (issues.length > 0) throw ValidationError.fromIssues(issues);
  return query;
}

function parsePart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'path' | 'query',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw ValidationError.fromIssues(zodIssues(result.error, where === 'body' ? [] : [where]));
}

function serialise(result: HttpResult): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...result.headers };
  let body = '';
  if (result.raw !== undefined) {
    body = result.raw;
  } else if (result.body !== undefined) {
    body = JSON.stringify(result.body);
    headers['Content-Type'] ??= 'application/json';
  }
  headers['Cache-Control'] ??= 'no-store';
  return { statusCode: result.statusCode, headers, body };
}

/**
 * Builds a Lambda handler for one route. `fn` receives the validated request and returns an
 * HttpResult; it throws AppErrors (or anything: unknown errors become a generic 500).
 */
export function httpHandler<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  spec: HttpRouteSpec<B, P, Q>,
  deps: HttpDependencies,
  fn: (request: HttpRequest<Output<B>, Output<P>, Output<Q>>) => Promise<HttpResult> | HttpResult,
): HttpLambdaHandler {
  const { logger, countRequest } = deps;
  if (spec.auth !== 'public' && !countRequest) {
    throw new Error(`route ${spec.name} needs a request counter (countRequest) for its rate limit`);
  }

  // The answer before Lambda's own timeout: a 503 with the error envelope, and the request's work
  // aborted. Each request has its own deadline: middy's timeoutEarly aborts one controller shared by
  // every request of the process, which would stop the others served at once by the local gateway.
  const core = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const deadline = new AbortController();
    const remaining = context.getRemainingTimeInMillis?.();
    const timer =
      remaining === undefined
        ? undefined
        : setTimeout(
            () => deadline.abort(new StorageError('The request did not complete in time; retry later')),
            Math.max(0, remaining - ANSWER_BEFORE_TIMEOUT_MS),
          );
    const timedOut = new Promise<never>((_, reject) =>
      deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true }),
    );
    try {
      return await Promise.race([routed(event, context, deadline.signal), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  const routed = async (
    event: APIGatewayProxyEvent,
    context: Context,
    signal: AbortSignal,
  ): Promise<APIGatewayProxyResult> => {
    if (spec.auth === 'public') return work(event, context, undefined, signal);
    const principal = callerOf(event);
    appendLogContext(logger, {
      tenant: principal.owner,
      key_id: principal.keyId,
      source_ip: event.requestContext?.identity?.sourceIp,
    });
    // Every answer of a counted request carries the RateLimit headers, a scope refusal's too: the
    // count comes first. A read runs while it is counted (one DynamoDB round trip less per poll)
    // and its answer is dropped if the count refuses; a write waits, so a refused write has no effect.
    const counting = countOrRefuse(event, principal, countRequest!);
    const checkedWork = async () => {
      if (!SAFE_METHODS.has(event.httpMethod)) await counting;
      requireScope(principal, spec.auth);
      return work(event, context, principal, signal);
    };
    const [counted, worked] = await Promise.allSettled([counting, checkedWork()]);
    if (counted.status === 'rejected') throw counted.reason;
    if (worked.status === 'rejected') throw worked.reason;
    return worked.value;
  };

  const work = async (
    event: APIGatewayProxyEvent,
    context: Context,
    principal: Principal | undefined,
    signal: AbortSignal,
  ): Promise<APIGatewayProxyResult> => {
    const headers = (event.headers ?? {}) as Record<string, string | undefined>;
    const path = spec.path ? parsePart(spec.path, event.pathParameters ?? {}, 'path') : undefined;
    const query = spec.query ? parsePart(spec.query, queryOf(spec.query, event), 'query') : undefined;
    const body = spec.body ? parsePart(spec.body, event.body, 'body') : undefined;
    const result = await fn({
      body: body as Output<B>,
      path: path as Output<P>,
      query: query as Output<Q>,
      headers,
      owner: principal?.owner ?? '',
      principal,
      requestId: requestIdOf(event, context),
      event,
      context,
      signal,
    });
    return serialise(result);
  };

  const origins = deps.corsOrigins && deps.corsOrigins.length > 0 ? [...deps.corsOrigins] : ['*'];
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>({
    timeoutEarlyInMillis: 0,
  })
    .use(stripApiKey())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(httpEventNormalizer())
    .use(requestContext(logger, spec.name))
    .use(rateLimitResponseHeaders())
    // No Reporting-Endpoints (we have none: the header would be empty) and no Server/X-Powered-By
    // entries (the middleware would add them as undefined values, which a proxy prints as "undefined").
    .use(
      httpSecurityHeaders({
        poweredBy: false,
        // The middleware reads this option, its types do not list it.
        ...({ reportingEndpoints: false } as Record<string, boolean>),
      }),
    )
    .use(
      httpCors({
        origins,
        headers: CORS_ALLOWED_HEADERS.join(','),
        exposeHeaders: CORS_EXPOSED_HEADERS.join(','),
        maxAge: 600,
      }),
    )
    .use(
      bodyLimit(
        spec.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES,
        spec.body === undefined ? 'none' : spec.bodyOptional ? 'optional' : 'required',
      ),
    );
  if (spec.body !== undefined) {
    // Parse whatever the content type says (curl -d sends a form type); malformed JSON becomes a 400.
    stack.use(
      httpJsonBodyParser({ disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0]),
    );
  }
  stack.use(errorHandler(logger)).handler(core);
  return stack as unknown as HttpLambdaHandler;
}

/** The 413 envelope the local gateway answers with when a body exceeds its own limit. */
export function payloadTooLargeResponse(requestId: string, limit: number): APIGatewayProxyResult {
  const response = toErrorResponse(
    new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds the limit of ${limit} bytes`, {
      details: { limit_bytes: limit },
    }),
    requestId,
  );
  return { ...response, headers: { ...response.headers } };
}
