/**
 * In-process cost probes of the API benchmark, run inside the local stack's process
 * (test/bench/api-worker.ts) with the handlers, clients and DynamoDB emulator the gateway uses.
 * Every measure is sequential (one call at a time, nothing else in flight), timed with
 * performance.now() around the awaited call; events are built outside the timed region.
 *
 * - the API-key authorizer handler (functions/authorizer/api-key-authorizer.ts, as the gateway and
 *   API Gateway call it) with a valid key, a refused key (known key id, wrong secret) and a
 *   malformed key: what an uncached request pays;
 * - the GET job handler given the authorizer's context in requestContext.authorizer, the authorizer
 *   not invoked: what a request costs when API Gateway answers from its authorizer cache;
 * - the DynamoDB calls inside them (keys GetItem, usage minute and day UpdateItem, jobs GetItem) and
 *   the context decode, each alone.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { AUTHORIZER, handlerModule, ROUTES } from '../../functions/routes.js';
import { buildEvent } from '../../infra/local/gateway.js';
import { createLambdaContext, LOCAL_ACCOUNT, LOCAL_REGION } from '../../infra/local/lambda-context.js';
import { principalFromAuthorizerContext } from '../../lib/core/index.js';
import { parseApiKey } from '../../lib/domain/index.js';
import { DynamoApiKeyRepository } from '../../lib/infrastructure/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STAGE = 'local';

export interface Stats {
  readonly calls: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

export interface ProbeRow extends Stats {
  readonly name: string;
  /** What the timed call does. */
  readonly includes: string;
}

export interface ProbeRequest {
  readonly jobId: string;
  readonly apiKey: string;
  readonly calls: number;
}

/** Nearest-rank percentiles of a sample in ms. */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return {
    calls: sorted.length,
    p50Ms: rank(0.5),
    p99Ms: rank(0.99),
    meanMs: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    maxMs: sorted[sorted.length - 1],
  };
}

/** One measure: `prepare` builds its input outside the timing, `fn` is the timed call. */
export interface Measure<T = unknown> {
  readonly name: string;
  /** What the timed call does. */
  readonly includes: string;
  readonly prepare: () => T;
  readonly fn: (input: T) => Promise<unknown>;
}

export function measure<T>(
  name: string,
  includes: string,
  prepare: () => T,
  fn: (input: T) => Promise<unknown>,
): Measure {
  return { name, includes, prepare, fn } as Measure;
}

/**
 * Times `calls` sequential runs of each measure after `warm` untimed rounds, interleaved round-robin
 * (one call of each measure per round), so load that changes during the run weighs on every row alike.
 */
export async function timeInterleaved(
  calls: number,
  measures: readonly Measure[],
  warm = Math.min(200, Math.ceil(calls / 10)),
): Promise<ProbeRow[]> {
  const samples = measures.map(() => [] as number[]);
  for (let round = 0; round < warm + calls; round++) {
    for (let m = 0; m < measures.length; m++) {
      const input = measures[m].prepare();
      const started = performance.now();
      await measures[m].fn(input);
      if (round >= warm) samples[m].push(performance.now() - started);
    }
  }
  return measures.map((m, i) => ({ name: m.name, includes: m.includes, ...stats(samples[i]) }));
}

type Authorizer = (
  event: APIGatewayRequestAuthorizerEvent,
  context: Context,
) => Promise<APIGatewayAuthorizerResult>;
type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The module the local stack imported (same URL, so the same instance, clients and connections). */
async function stackModule<T>(modulePath: string): Promise<T> {
  return (await import(pathToFileURL(resolve(ROOT, modulePath)).href)) as T;
}

/** A request as node:http hands it to the gateway: enough for the gateway's own buildEvent. */
function fakeRequest(path: string, headers: Record<string, string>): IncomingMessage {
  return {
    method: 'GET',
    url: path,
    httpVersion: '1.1',
    rawHeaders: Object.entries(headers).flat(),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage;
}

export async function probeHandlerCosts(request: ProbeRequest): Promise<ProbeRow[]> {
  const { jobId, apiKey, calls } = request;
  const authorizer = (await stackModule<{ handler: Authorizer }>(AUTHORIZER.module)).handler;
  const route = ROUTES.find((r) => r.name === 'get-job');
  if (!route) throw new Error('the route table has no get-job route');
  const getJob = (await stackModule<{ handler: ApiHandler }>(handlerModule(route))).handler;
  const api = await stackModule<typeof import('../../functions/composition/api.js')>(
    'functions/composition/api.ts',
  );
  const { jobs } = await stackModule<typeof import('../../functions/composition/jobs.js')>(
    'functions/composition/jobs.ts',
  );
  const keys = new DynamoApiKeyRepository(api.clients.documents, process.env.API_KEYS_TABLE ?? '');

  const path = `/api/v1/jobs/${jobId}`;
  const url = new URL(path, 'http://127.0.0.1');
  const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:local/${STAGE}/GET${path}`;
  const proxyEvent = (headers: Record<string, string>) =>
    buildEvent(
      fakeRequest(path, headers),
      url,
      route,
      { job_id: jobId },
      Buffer.alloc(0),
      randomUUID(),
      STAGE,
    );
  /** The REQUEST authorizer event the gateway (infra/local/gateway.ts authorize) builds from a request. */
  const authorizerEvent = (key: string): APIGatewayRequestAuthorizerEvent => {
    const event = proxyEvent({ Host: '127.0.0.1', 'User-Agent': 'bench', 'X-API-Key': key });
    return {
      type: 'REQUEST',
      methodArn,
      resource: event.resource,
      path: event.path,
      httpMethod: event.httpMethod,
      headers: event.headers as Record<string, string>,
      multiValueHeaders: event.multiValueHeaders as Record<string, string[]>,
      pathParameters: event.pathParameters,
      queryStringParameters: event.queryStringParameters,
      multiValueQueryStringParameters: event.multiValueQueryStringParameters,
      stageVariables: event.stageVariables,
      requestContext: { ...event.requestContext, authorizer: undefined },
    };
  };
  const context = (name: string) => createLambdaContext({ functionName: name, timeoutMs: 29_000 });

  const parsed = parseApiKey(apiKey);
  if (!parsed) throw new Error('the stack key does not parse');
  const wrongSecret =
    apiKey.slice(0, -parsed.secret.length) + (parsed.secret[0] === '0' ? '1' : '0').repeat(64);
  const malformed = 'not-a-key';

  // The context API Gateway caches and hands to the handler (principalId is added by the gateway).
  const allowed = await authorizer(authorizerEvent(apiKey), context('api-key-authorizer'));
  const cachedContext = { ...allowed.context, principalId: allowed.principalId };

  const refused = async (key: string) => {
    try {
      await authorizer(authorizerEvent(key), context('api-key-authorizer'));
    } catch (error) {
      if (error instanceof Error && error.message === 'Unauthorized') return;
      throw error;
    }
    throw new Error('the authorizer allowed a bad key');
  };

  // Private to DynamoUsageCounters; called here so each UpdateItem of countRequest is timed alone.
  const counters = api.usageCounters as unknown as {
    addWithin(counterId: string, limit: number, windowEndMs: number): Promise<number | undefined>;
    addToDay(keyId: string, day: string, amounts: Record<string, number>): Promise<void>;
  };
  if (typeof counters.addWithin !== 'function' || typeof counters.addToDay !== 'function') {
    throw new Error(
      'DynamoUsageCounters changed: update the usage UpdateItem probes in test/bench/api-probe.ts',
    );
  }
  const principal = principalFromAuthorizerContext(cachedContext);
  if (!principal) throw new Error('the authorizer context does not decode');
  const rpm = principal.limits.requests_per_minute;

  return timeInterleaved(calls, [
    measure(
      'authorizer, valid key (uncached)',
      'authorizer handler in-process: parse, keys GetItem (consistent), SHA-256, Allow policy + context',
      () => authorizerEvent(apiKey),
      (e) => authorizer(e, context('api-key-authorizer')),
    ),
    measure(
      'authorizer, refused key (known id, wrong secret)',
      'same GetItem + SHA-256, then AuthFailures EMF line and Error(Unauthorized)',
      () => wrongSecret,
      refused,
    ),
    measure(
      'authorizer, malformed key',
      'parse fails: no DynamoDB call (refusal overhead only)',
      () => malformed,
      refused,
    ),
    measure(
      'GET job handler, authorizer cached',
      'handler in-process with the cached authorizer context, authorizer not invoked: middy, context decode, countRequest, jobs GetItem',
      () => {
        const event = proxyEvent({ Host: '127.0.0.1', 'User-Agent': 'bench' });
        (event.requestContext as { authorizer: unknown }).authorizer = cachedContext;
        return event;
      },
      async (event) => {
        const result = await getJob(event, context('get-job'));
        if (result.statusCode !== 200) throw new Error(`GET job handler answered ${result.statusCode}`);
      },
    ),
    measure(
      '  keys GetItem',
      'DynamoApiKeyRepository.get (consistent read), as the authorizer does',
      () => principal.keyId,
      (id) => keys.get(id),
    ),
    measure(
      '  usage countRequest',
      'minute UpdateItem (conditional) and day UpdateItem, in parallel',
      () => new Date(),
      (now) => api.usageCounters.countRequest(principal.keyId, rpm, now),
    ),
    measure(
      '  usage minute UpdateItem alone',
      'rpm#<key>#<minute> ADD n with the limit condition',
      () => Math.floor(Date.now() / 60_000),
      (minute) => counters.addWithin(`rpm#${principal.keyId}#${minute}`, rpm, (minute + 1) * 60_000),
    ),
    measure(
      '  usage day UpdateItem alone',
      'day#<key>#<day> ADD requests, unconditional',
      () => new Date().toISOString().slice(0, 10),
      (day) => counters.addToDay(principal.keyId, day, { requests: 1 }),
    ),
    measure(
      '  jobs GetItem',
      'JobService.get: GetItem + owner check + job view',
      () => jobId,
      (id) => jobs.get(principal.owner, id),
    ),
    measure(
      '  authorizer context decode',
      'principalFromAuthorizerContext (zod, JSON limits) + keyPrincipal (KeyLimits, scopes)',
      () => cachedContext,
      async (c) => api.keyPrincipal(principalFromAuthorizerContext(c)),
    ),
  ]);
}
