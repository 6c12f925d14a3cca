/** The middy stack every HTTP handler runs in (lib/core/http-handler.ts), exercised in-process. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { authorizerContextOf, type RequestCounter } from '../../../lib/core/http-auth.js';
import {
  ANSWER_BEFORE_TIMEOUT_MS,
  created,
  httpHandler,
  MAX_REQUEST_BODY_BYTES,
  ok,
} from '../../../lib/core/http-handler.js';
import { createLogger } from '../../../lib/core/logger.js';

const logger = createLogger({ logLevel: 'SILENT' });
/** What the API-key authorizer puts in the request context for team-a's generate key. */
const AUTHORIZED = authorizerContextOf({
  owner: 'team-a',
  keyId: 'aaaaaaaaaaaaaaaa',
  scopes: ['generate'],
  limits: { requests_per_minute: 1000 },
});
/** Every request allowed (the rate limit has its own tests: http-auth-stack.test.ts). */
const countRequest: RequestCounter = async (p) => ({
  allowed: true,
  limit: p.limits.requests_per_minute,
  remaining: p.limits.requests_per_minute - 1,
  resetSeconds: 60,
});

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/things/{id}',
    path: '/things/1',
    httpMethod: 'POST',
    headers: { 'X-Api-Key': 'key-a', 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id: '1' },
    stageVariables: null,
    body: '{"name":"x","count":2}',
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-123',
      authorizer: AUTHORIZED,
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

const context = {
  awsRequestId: 'lambda-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

const handler = httpHandler(
  {
    name: 'thing',
    auth: 'generate',
    body: z.object({ name: z.string().min(1), count: z.number().int().max(5, 'count must be at most 5') }),
    path: z.object({ id: z.string() }),
    query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
  },
  { logger, countRequest },
  async ({ body, path, query, owner }) => created({ ...body, id: path.id, page: query.page, owner }),
);

const publicHandler = httpHandler({ name: 'health', auth: 'public' }, { logger }, () =>
  ok({ status: 'healthy' }),
);

const failing = httpHandler({ name: 'boom', auth: 'public' }, { logger }, () => {
  throw new Error('secret /var/task/internal path');
});

describe('http handler stack', () => {
  it("validates and passes the authorizer's owner", async () => {
    const res = await handler(event({ queryStringParameters: { page: '3' } }), context);
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ name: 'x', count: 2, id: '1', page: 3, owner: 'team-a' });
    expect(res.headers?.['X-Request-Id']).toBe('req-123');
    expect(res.headers?.['Content-Type']).toBe('application/json');
    expect(res.headers?.['X-Content-Type-Options'] ?? res.headers?.['x-content-type-options']).toBe(
      'nosniff',
    );
  });

  it('401 without an authorizer principal: missing key, or a key the authorizer did not pass', async () => {
    // Prepare
    const unauthorized = { requestId: 'req-123' } as APIGatewayProxyEvent['requestContext'];
    // Act
    const missing = await handler(
      event({ headers: { 'content-type': 'application/json' }, requestContext: unauthorized }),
      context,
    );
    const wrong = await handler(
      event({ headers: { 'X-API-KEY': 'nope' }, requestContext: unauthorized }),
      context,
    );
    // Assert
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body).error).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Missing API Key',
    });
    expect(wrong.statusCode).toBe(401);
    expect(JSON.parse(wrong.body).error.message).toBe('Invalid API Key');
  });

  it('422 with field paths for rule violations', async () => {
    const res = await handler(event({ body: '{"name":"","count":9}' }), context);
    expect(res.statusCode).toBe(422);
    const body = JSON.parse(res.body);
    expect(body.request_id).toBe('req-123');
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details.errors.map((e: { path: string }) => e.path)).toEqual(['name', 'count']);
    expect(body.error.message).toContain('count must be at most 5');
  });

  it('422 for a bad query parameter, path prefixed', async () => {
    const res = await handler(event({ queryStringParameters: { page: '0' } }), context);
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body).error.details.errors[0].path).toBe('query.page');
  });

  it('reads a query parameter API Gateway lists once, or repeated with one value; refuses one repeated with two', async () => {
    // Prepare: API Gateway lists every parameter in multiValueQueryStringParameters, a repeated one with each value
    const query = (values: string[]) =>
      event({
        queryStringParameters: { page: values.at(-1)! },
        multiValueQueryStringParameters: { page: values },
      });

    // Act
    const once = await handler(query(['3']), context);
    const sameTwice = await handler(query(['3', '3']), context);
    const twoValues = await handler(query(['2', '3']), context);

    // Assert
    expect(JSON.parse(once.body).page).toBe(3);
    expect(JSON.parse(sameTwice.body).page).toBe(3);
    expect(twoValues.statusCode).toBe(422);
    expect(JSON.parse(twoValues.body).error.details.errors).toEqual([
      { path: 'query.page', message: 'page is given 2 times; give it once' },
    ]);
  });

  it('400 for malformed JSON and for a missing body, whatever the content type', async () => {
    const bad = await handler(event({ body: '{"name": ' }), context);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(JSON.parse(bad.body).error.message).toMatch(/Malformed JSON/);
    const empty = await handler(event({ body: null }), context);
    expect(empty.statusCode).toBe(400);
    const form = await handler(
      event({ headers: { 'x-api-key': 'key-a', 'content-type': 'application/x-www-form-urlencoded' } }),
      context,
    );
    expect(form.statusCode).toBe(201);
  });

  it('413 above the body limit, also for base64 bodies', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_REQUEST_BODY_BYTES), count: 1 });
    const res = await handler(event({ body: big }), context);
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    const b64 = await handler(
      event({ body: Buffer.from(big).toString('base64'), isBase64Encoded: true }),
      context,
    );
    expect(b64.statusCode).toBe(413);
    const smallB64 = await handler(
      event({ body: Buffer.from('{"name":"y","count":1}').toString('base64'), isBase64Encoded: true }),
      context,
    );
    expect(smallB64.statusCode).toBe(201);
  });

  it('public routes skip auth and GET needs no content type', async () => {
    const res = await publicHandler(event({ httpMethod: 'GET', headers: {}, body: null }), context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'healthy' });
  });

  it('unknown errors become a generic 500 without internals', async () => {
    const res = await failing(event({ headers: {}, body: null }), context);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('/var/task');
    expect(res.body).not.toContain('secret');
    expect(JSON.parse(res.body).request_id).toBe('req-123');
    expect(res.headers?.['X-Request-Id']).toBe('req-123');
  });

  it('CORS headers on success and on errors', async () => {
    const res = await handler(event({ headers: { origin: 'http://x.test' } }), context);
    expect(res.statusCode).toBe(201);
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe('*');
    const error = await handler(event({ headers: { origin: 'http://x.test' }, body: '{' }), context);
    expect(error.statusCode).toBe(400);
    expect(error.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });
});

describe('http handler stack near the function timeout', () => {
  /** A context with `remainingMs` left of the function's time. */
  const contextWith = (remainingMs: number): Context => {
    const end = Date.now() + remainingMs;
    return { ...context, getRemainingTimeInMillis: () => end - Date.now() } as Context;
  };
  /** A route whose work lasts `workMs` unless its signal aborts it first; it reports what it saw. */
  const slowRoute = (workMs: number, seen: { aborted?: unknown }) =>
    httpHandler(
      { name: 'slow', auth: 'public' },
      { logger },
      ({ signal }) =>
        new Promise((resolve, reject) => {
          const done = setTimeout(() => {
            seen.aborted = signal.aborted;
            resolve(ok({ done: true }));
          }, workMs);
          signal.addEventListener('abort', () => {
            clearTimeout(done);
            seen.aborted = signal.reason;
            reject(signal.reason);
          });
        }),
    );

  it(`answers 503 with the error envelope ${ANSWER_BEFORE_TIMEOUT_MS} ms before the timeout and aborts the request's work`, async () => {
    // Prepare: 700 ms left, work of 5 s.
    const seen: { aborted?: unknown } = {};
    const slow = slowRoute(5_000, seen);

    // Act
    const started = Date.now();
    const res = await slow(event({ headers: {}, body: null }), contextWith(700));

    // Assert
    expect(Date.now() - started).toBeLessThan(700);
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).error).toMatchObject({
      code: 'STORAGE_ERROR',
      message: expect.stringMatching(/did not complete in time/),
    });
    expect(seen.aborted).toBeInstanceOf(Error);
  });

  it('aborts only the request that ran out of time, not one served at the same time in the process', async () => {
    // Prepare: one route (one module, as the local gateway serves it), two requests at once.
    const seen: { aborted?: unknown } = {};
    const slow = slowRoute(400, seen);

    // Act: the first has 600 ms left (answers at 100 ms), the second 30 s (its work ends at 400 ms).
    const [late, onTime] = await Promise.all([
      slow(event({ headers: {}, body: null }), contextWith(600)),
      slow(event({ headers: {}, body: null }), contextWith(30_000)),
    ]);

    // Assert
    expect(late.statusCode).toBe(503);
    expect(onTime.statusCode).toBe(200);
    expect(JSON.parse(onTime.body)).toEqual({ done: true });
    expect(seen.aborted).toBe(false);
  });
});

describe('http handler stack under hostile input', () => {
  it('answers malformed JSON holding a password with a 400 that quotes none of the body', async () => {
    // Prepare
    const body = '{"encryption_password": "Very-Secret-Passphrase", "name": ';
    // Act
    const res = await handler(event({ body }), context);
    // Assert
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('Very-Secret-Passphrase');
    expect(res.body).not.toContain('encryption_password');
    expect(JSON.parse(res.body).error.message).toBe(
      'Malformed JSON in request body at line 1, column 59: a value was expected',
    );
  });

  it('says where a request body stops being JSON, line and column, and never quotes a stray word (fix 0209)', async () => {
    // Prepare: line 3 holds `tru` for true; V8 gives no position for it.
    const body = '{\n  "name": "x",\n  "secret": tru\n}';
    // Act
    const res = await handler(event({ body }), context);
    const encoded = await handler(
      event({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true }),
      context,
    );
    // Assert
    for (const answer of [res, encoded]) {
      expect(answer.statusCode).toBe(400);
      expect(JSON.parse(answer.body).error.message).toBe(
        'Malformed JSON in request body at line 3, column 13: unexpected text',
      );
    }
  });

  it('sends no Server, X-Powered-By or empty Reporting-Endpoints header', async () => {
    // Act
    const responses = [
      await publicHandler(event({ httpMethod: 'GET', headers: {}, body: null }), context),
      await handler(event({ body: '{' }), context),
    ];
    // Assert
    for (const res of responses) {
      const names = Object.keys(res.headers ?? {}).map((n) => n.toLowerCase());
      expect(names).not.toContain('server');
      expect(names).not.toContain('x-powered-by');
      expect(names).not.toContain('reporting-endpoints');
      for (const value of Object.values(res.headers ?? {})) expect(value).toBeDefined();
    }
  });

  it('logs a rejected request with its reason under a key Powertools keeps', async () => {
    // Prepare
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const logged = httpHandler(
      {
        name: 'logged',
        auth: 'public',
        query: z.object({ n: z.coerce.number().max(5, 'n must be at most 5') }),
      },
      { logger: createLogger({ logLevel: 'INFO' }) },
      () => ok({}),
    );
    // Act
    try {
      await logged(
        event({ httpMethod: 'GET', headers: {}, body: null, queryStringParameters: { n: '9' } }),
        context,
      );
    } finally {
      write.mockRestore();
      warn.mockRestore();
    }
    // Assert
    const rejected = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('request rejected'))
      .map((l) => JSON.parse(l));
    expect(rejected).toEqual([
      expect.objectContaining({ status: 422, reason: 'query.n: n must be at most 5' }),
    ]);
    expect(lines.join('')).not.toMatch(/reserved/i);
  });
});
