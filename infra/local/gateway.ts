/**
 * A local stand-in for API Gateway (REST, payload v1) over node:http, built from the one route table
 * (functions/routes.ts), so local and cloud routing cannot drift. Each request becomes an
 * APIGatewayProxyEvent and is handed to the route's handler in-process; the handler's result is written
 * back as API Gateway would (statusCode, headers, multiValueHeaders, base64 bodies).
 *
 * API Gateway behaviours kept: a non-public route runs the API-key authorizer first
 * (functions/routes.ts AUTHORIZER, the same handler as deployed, without its result cache, so a revoked
 * key stops at once): a refusal answers 401 with the error envelope, an Allow hands its context to the
 * handler in requestContext.authorizer; a handler that throws answers 502 {"message":"Internal server
 * error"}; bodies above the payload limit answer 413. Unknown routes answer the 404 envelope, as the
 * deployed API's gateway response does; the gateway's own answers (401, 403, 404, 413) are readable
 * cross-origin, as the deployed gateway responses are. Added for local use: a trailing slash is optional, and OPTIONS on a known
 * path answers the CORS preflight (the CDK RestApi configures the same preflight).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import type { RouteDefinition } from '../../functions/routes.js';
import {
  API_KEY_HEADER,
  CORS_ALLOWED_HEADERS,
  ForbiddenError,
  INVALID_API_KEY,
  MalformedRequestError,
  MISSING_API_KEY,
  NotFoundError,
  toErrorResponse,
  UnauthorizedError,
} from '../../lib/core/index.js';
import { createLambdaContext, LOCAL_ACCOUNT } from './lambda-context.js';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** A Lambda REQUEST authorizer (functions/authorizer/api-key-authorizer.ts). */
export type GatewayAuthorizer = (
  event: APIGatewayRequestAuthorizerEvent,
  context: Context,
) => Promise<APIGatewayAuthorizerResult>;

export interface GatewayRoute {
  readonly route: RouteDefinition;
  readonly handler: ApiHandler;
}

export interface GatewayOptions {
  readonly routes: readonly GatewayRoute[];
  readonly port?: number;
  readonly host?: string;
  readonly stage?: string;
  /** API Gateway's payload limit (10 MB); the handlers enforce their own, smaller limit. */
  readonly maxBodyBytes?: number;
  /** The response for a body above maxBodyBytes; defaults to API Gateway's. */
  readonly payloadTooLarge?: (requestId: string, limit: number) => APIGatewayProxyResult;
  /** Handler timeout in ms (API Gateway's integration timeout is 29 s). */
  readonly timeoutMs?: number;
  /** Called once per request with its outcome (for logs). */
  readonly onRequest?: (entry: GatewayLogEntry) => void;
  /**
   * Answers a GET or HEAD that matches no route before the 404 envelope (the web console's static files,
   * which CloudFront serves when deployed); undefined lets the 404 through.
   */
  readonly staticFiles?: (method: string, pathname: string) => APIGatewayProxyResult | undefined;
  /** Called when a handler throws (API Gateway then answers 502). */
  readonly onHandlerError?: (error: unknown, route: RouteDefinition) => void;
  /** Runs before the handler of every non-public route; required when there is one. */
  readonly authorizer?: GatewayAuthorizer;
  /** The region in the authorizer's method ARN. */
  readonly region?: string;
}

export interface GatewayLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly route?: string;
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute extends GatewayRoute {
  readonly segments: readonly string[];
  /** Static segments score before parameters, so `/presets/categories/list` beats `/presets/{id}`. */
  readonly specificity: number;
}

export interface RouteMatch<R extends { route: RouteDefinition }> {
  readonly entry: R;
  readonly pathParameters: Record<string, string> | null;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function compile(routes: readonly GatewayRoute[]): CompiledRoute[] {
  return routes
    .map((r) => {
      const segments = splitPath(r.route.path);
      return { ...r, segments, specificity: segments.filter((s) => !isParam(s)).length };
    })
    .sort((a, b) => b.specificity - a.specificity);
}

function matchSegments(
  template: readonly string[],
  actual: readonly string[],
): Record<string, string> | undefined {
  if (template.length !== actual.length) return undefined;
  const params = dictionary<string>();
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    if (isParam(t)) {
      let value: string;
      try {
        value = decodeURIComponent(actual[i]);
      } catch {
        return undefined;
      }
      params[t.slice(1, -1)] = value;
    } else if (t !== actual[i]) {
      return undefined;
    }
  }
  return params;
}

/** Finds the route for a method and path (a trailing slash is optional); `allowed` lists the methods the path has. */
export function matchRoute<R extends CompiledRoute>(
  routes: readonly R[],
  method: string,
  path: string,
): { match?: RouteMatch<R>; allowed: string[] } {
  const actual = splitPath(path);
  const allowed: string[] = [];
  let found: RouteMatch<R> | undefined;
  for (const entry of routes) {
    const params = matchSegments(entry.segments, actual);
    if (!params) continue;
    allowed.push(entry.route.method);
    if (!found && entry.route.method === method) {
      found = { entry, pathParameters: Object.keys(params).length > 0 ? params : null };
    }
  }
  return { match: found, allowed };
}

/**
 * A map without a prototype: a client's header or query name such as `constructor` or `__proto__`
 * is then only a name, never Object's own property.
 */
function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function headerMaps(req: IncomingMessage): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers = dictionary<string>();
  const multiValueHeaders = dictionary<string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    // API Gateway keeps the client's spelling; the last value wins in `headers`.
    const existing = Object.keys(multiValueHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
    const key = existing ?? name;
    multiValueHeaders[key] = [...(multiValueHeaders[key] ?? []), value];
    headers[key] = value;
  }
  return { headers, multiValueHeaders };
}

function queryMaps(url: URL): {
  query: Record<string, string> | null;
  multiQuery: Record<string, string[]> | null;
} {
  const query = dictionary<string>();
  const multiQuery = dictionary<string[]>();
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const empty = Object.keys(query).length === 0;
  return { query: empty ? null : query, multiQuery: empty ? null : multiQuery };
}

const TEXT_TYPES = /^(application\/(.+\+)?(json|xml|x-www-form-urlencoded|x-ndjson|csv)|text\/)/i;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function apiGatewayTooLarge(): APIGatewayProxyResult {
  return {
    statusCode: 413,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Request Too Long"}',
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const headers = dictionary<string | string[]>();
  // A header whose value is undefined or null is absent, as in the JSON API Gateway reads.
  for (const [name, value] of Object.entries(result.multiValueHeaders ?? {})) {
    if (Array.isArray(value)) headers[name.toLowerCase()] = value.filter((v) => v != null).map(String);
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value != null) headers[name.toLowerCase()] = String(value);
  }
  headers['x-amzn-requestid'] = requestId;
  const body =
    result.body === undefined || result.body === null
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (!headers['content-type'] && body.length > 0) headers['content-type'] = 'application/json';
  headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  };
}

function preflight(req: IncomingMessage, allowed: readonly string[]): APIGatewayProxyResult {
  return {
    statusCode: 204,
    headers: {
      'access-control-allow-origin': String(req.headers.origin ?? '*'),
      'access-control-allow-methods': [...new Set([...allowed, 'OPTIONS'])].join(','),
      'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
      'access-control-max-age': '600',
      vary: 'Origin',
    },
    body: '',
  };
}

export function buildEvent(
  req: IncomingMessage,
  url: URL,
  route: RouteDefinition,
  pathParameters: Record<string, string> | null,
  body: Buffer,
  requestId: string,
  stage: string,
): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = headerMaps(req);
  const { query, multiQuery } = queryMaps(url);
  const contentType = String(req.headers['content-type'] ?? '');
  const binary = body.length > 0 && contentType !== '' && !TEXT_TYPES.test(contentType);
  const now = new Date();
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    pathParameters,
    stageVariables: null,
    body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: binary,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      authorizer: undefined,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: req.method ?? 'GET',
      path: `/${stage}${url.pathname}`,
      stage,
      requestId,
      extendedRequestId: requestId,
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: route.name,
      resourcePath: route.path,
      domainName: String(req.headers.host ?? 'localhost'),
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: String(req.headers['user-agent'] ?? ''),
        userArn: null,
      },
    },
  };
}

/**
 * An answer of the gateway itself in the error envelope, readable cross-origin as the deployed
 * gateway responses are (infra/constructs/route-table-api.ts).
 */
function envelope(error: unknown, requestId: string): APIGatewayProxyResult {
  return readableCrossOrigin(toErrorResponse(error, requestId));
}

function readableCrossOrigin(response: APIGatewayProxyResult): APIGatewayProxyResult {
  return { ...response, headers: { ...response.headers, 'Access-Control-Allow-Origin': '*' } };
}

/** API Gateway turns an authorizer's `Error('Unauthorized')` into a 401. */
const AUTHORIZER_REFUSAL = 'Unauthorized';

function withoutApiKeyHeader<V>(map: Record<string, V> | null): void {
  for (const name of Object.keys(map ?? {})) {
    if (name.toLowerCase() === API_KEY_HEADER) delete map![name];
  }
}

/** Whether a policy ARN (with `*` wildcards) covers the invoked method's ARN. */
function arnCovers(pattern: string, arn: string): boolean {
  const expression = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${expression}$`).test(arn);
}

function allows(result: APIGatewayAuthorizerResult, methodArn: string): boolean {
  const statements = result.policyDocument?.Statement ?? [];
  const covers = (statement: (typeof statements)[number], effect: string) => {
    if (statement.Effect !== effect) return false;
    const resources = 'Resource' in statement ? statement.Resource : undefined;
    const list = Array.isArray(resources) ? resources : resources === undefined ? [] : [resources];
    return list.some((r) => arnCovers(String(r), methodArn));
  };
  return statements.some((s) => covers(s, 'Allow')) && !statements.some((s) => covers(s, 'Deny'));
}

/**
 * Runs the authorizer as API Gateway does for a non-public route: undefined when the request may go on
 * (its event then holds the authorizer's context and no X-API-Key), else the gateway's answer.
 */
async function authorize(
  authorizer: GatewayAuthorizer,
  event: APIGatewayProxyEvent,
  region: string,
  stage: string,
  timeoutMs: number,
  onError: (error: unknown) => void,
): Promise<APIGatewayProxyResult | undefined> {
  const { requestId } = event.requestContext;
  const methodArn = `arn:aws:execute-api:${region}:${LOCAL_ACCOUNT}:${event.requestContext.apiId}/${stage}/${event.httpMethod}${event.path}`;
  const request: APIGatewayRequestAuthorizerEvent = {
    type: 'REQUEST',
    methodArn,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: { ...event.headers } as Record<string, string>,
    multiValueHeaders: { ...event.multiValueHeaders } as Record<string, string[]>,
    pathParameters: event.pathParameters,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    stageVariables: event.stageVariables,
    requestContext: { ...event.requestContext, authorizer: undefined },
  };
  const context = createLambdaContext({
    functionName: 'api-key-authorizer',
    timeoutMs,
    requestId: randomUUID(),
  });
  let result: APIGatewayAuthorizerResult;
  try {
    result = await authorizer(request, context);
  } catch (error) {
    if (error instanceof Error && error.message === AUTHORIZER_REFUSAL) {
      const presented = Object.keys(event.headers ?? {}).some((h) => h.toLowerCase() === API_KEY_HEADER);
      return envelope(new UnauthorizedError(presented ? INVALID_API_KEY : MISSING_API_KEY), requestId);
    }
    // API Gateway's AUTHORIZER_FAILURE: the deployed API maps it to the generic 500 envelope.
    onError(error);
    return envelope(error, requestId);
  }
  if (!allows(result, methodArn)) {
    return envelope(new ForbiddenError('This API key may not call this route'), requestId);
  }
  (event.requestContext as { authorizer: unknown }).authorizer = {
    ...result.context,
    principalId: result.principalId,
  };
  withoutApiKeyHeader(event.headers);
  withoutApiKeyHeader(event.multiValueHeaders);
  return undefined;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const routes = compile(options.routes);
  const guarded = options.routes.filter((r) => r.route.auth !== 'public');
  if (guarded.length > 0 && !options.authorizer) {
    throw new Error(`route ${guarded[0].route.name} needs an authorizer (GatewayOptions.authorizer)`);
  }
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const stage = options.stage ?? 'local';
  const limit = options.maxBodyBytes ?? API_GATEWAY_MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? 29_000;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { match, allowed } = matchRoute(routes, method, url.pathname);
    let result: APIGatewayProxyResult;
    if (!match) {
      // Unread request bodies are discarded, as API Gateway does for unknown routes.
      req.resume();
      const file =
        allowed.length === 0 && (method === 'GET' || method === 'HEAD')
          ? options.staticFiles?.(method, url.pathname)
          : undefined;
      result =
        file ??
        (method === 'OPTIONS' && allowed.length > 0
          ? preflight(req, allowed)
          : // The deployed API maps API Gateway's "Missing Authentication Token" to this envelope too.
            envelope(new NotFoundError('No route matches this method and path'), requestId));
    } else {
      let body: Buffer | undefined;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        result = readableCrossOrigin((options.payloadTooLarge ?? apiGatewayTooLarge)(requestId, limit));
        res.setHeader('connection', 'close');
        writeResult(res, result, requestId);
        req.destroy();
        options.onRequest?.({ method, path: url.pathname, status: 413, ms: performance.now() - started });
        return;
      }
      const { route } = match.entry;
      const event = buildEvent(req, url, route, match.pathParameters, body, requestId, stage);
      const refused =
        route.auth === 'public'
          ? undefined
          : await authorize(options.authorizer!, event, region, stage, timeoutMs, (error) =>
              options.onHandlerError?.(error, route),
            );
      if (refused) {
        result = refused;
      } else {
        const context = createLambdaContext({ functionName: route.name, timeoutMs, requestId: randomUUID() });
        try {
          result = await match.entry.handler(event, context);
          if (!result || typeof result.statusCode !== 'number')
            throw new Error('handler returned no statusCode');
        } catch (error) {
          options.onHandlerError?.(error, route);
          result = json(502, { message: 'Internal server error' });
        }
      }
    }
    writeResult(res, result, requestId);
    options.onRequest?.({
      method,
      path: url.pathname,
      status: result.statusCode,
      ms: performance.now() - started,
      route: match?.entry.route.name,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onHandlerError?.(error, {
        name: 'gateway',
        method: 'GET',
        path: '',
        auth: 'public',
        access: {},
      });
      if (!res.headersSent) writeResult(res, json(502, { message: 'Internal server error' }), 'gateway');
      else res.destroy();
    });
  });
  // A request line or headers node:http cannot parse (above its 16 KB, say) still get the envelope.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const response = toErrorResponse(
      new MalformedRequestError(
        tooLarge ? 'The request line and headers are too large' : 'The request is not valid HTTP',
      ),
      randomUUID(),
    );
    const head = Object.entries({ ...response.headers, Connection: 'close' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${response.statusCode} Bad Request\r\n${head}Content-Length: ${Buffer.byteLength(response.body)}\r\n\r\n${response.body}`,
    );
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await listen(server, host, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Fails at once, with a line that says what to do, when `port` cannot be listened on: `npm start`
 * checks this before it starts the emulators and workers, so a port in use costs no wait.
 */
export async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, host, port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** Listens on host:port; a refusal (port in use, no privilege) becomes a line that says what to do. */
function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (error: Error) => reject(explainListenError(error, host, port));
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}

function explainListenError(error: Error, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new Error(
      `port ${port} on ${host} is already in use (another npm start?): stop what listens there, or choose another port: npm start -- --port N (or PORT=N)`,
    );
  }
  if (code === 'EACCES') {
    return new Error(
      `port ${port} on ${host} needs privileges this user does not have: choose a port above 1023: npm start -- --port N`,
    );
  }
  return error;
}
