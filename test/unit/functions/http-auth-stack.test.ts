/**
 * The authenticated part of the middy stack (lib/core/http-handler.ts): the key stripped from the
 * event, the authorizer's principal, the scope check and the per-key rate limit with its headers.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  authorizerContextOf,
  type Principal,
  type RateAllowance,
  type RequestCounter,
} from '../../../lib/core/http-auth.js';
import { httpHandler, ok, type RouteAuth } from '../../../lib/core/http-handler.js';
import { createLogger } from '../../../lib/core/logger.js';

const logger = createLogger({ logLevel: 'SILENT' });
const KEY = `mmpg_local_aaaaaaaaaaaaaaaa_${'ab'.repeat(32)}`;

const principal = (scopes: string[], requestsPerMinute = 100): Principal => ({
  owner: 'team-a',
  keyId: 'aaaaaaaaaaaaaaaa',
  scopes,
  limits: { requests_per_minute: requestsPerMinute, max_patients_per_job: 10 },
});

function event(
  caller: Principal | undefined,
  overrides: Partial<APIGatewayProxyEvent> = {},
): APIGatewayProxyEvent {
  return {
    resource: '/things',
    path: '/things',
    httpMethod: 'GET',
    headers: { 'X-Api-Key': KEY, Accept: 'application/json' },
    multiValueHeaders: { 'X-Api-Key': [KEY], Accept: ['application/json'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      authorizer: caller ? { ...authorizerContextOf(caller), principalId: caller.keyId } : undefined,
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

const context = { awsRequestId: 'l-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

/** A fixed-window counter in memory, as the usage table's adapter answers. */
function windowCounter(): { count: RequestCounter; seen: Principal[] } {
  const seen: Principal[] = [];
  let used = 0;
  return {
    seen,
    count: async (p): Promise<RateAllowance> => {
      seen.push(p);
      const limit = p.limits.requests_per_minute;
      if (used >= limit) return { allowed: false, limit, remaining: 0, resetSeconds: 42 };
      used += 1;
      return { allowed: true, limit, remaining: limit - used, resetSeconds: 42 };
    },
  };
}

function route(auth: RouteAuth, countRequest: RequestCounter, query?: z.ZodObject) {
  const seen: { headers: Record<string, unknown>; multi: unknown; owner: string; principal?: Principal }[] =
    [];
  const handler = httpHandler({ name: 'things', auth, query }, { logger, countRequest }, (request) => {
    seen.push({
      headers: { ...request.headers },
      multi: request.event.multiValueHeaders,
      owner: request.owner,
      principal: request.principal,
    });
    return ok({ owner: request.owner });
  });
  return { handler, seen };
}

describe('the API key never reaches a handler', () => {
  it.each(['generate', 'public'] as const)(
    'removes X-API-Key (any case) from a %s route event',
    async (auth) => {
      // Prepare
      const { handler, seen } = route(auth, windowCounter().count);
      const input = event(principal(['generate']), {
        headers: { 'x-API-key': KEY, Accept: 'application/json' },
        multiValueHeaders: { 'X-API-KEY': [KEY], Accept: ['application/json'] },
      });
      // Act
      const res = await handler(input, context);
      // Assert
      expect(res.statusCode).toBe(200);
      expect(JSON.stringify(seen)).not.toContain(KEY);
      expect(Object.keys(seen[0].headers).map((h) => h.toLowerCase())).toEqual(['accept']);
      expect(JSON.stringify(input)).not.toContain(KEY);
    },
  );

  it("hands the handler the authorizer's principal and its owner", async () => {
    // Prepare
    const { handler, seen } = route('generate', windowCounter().count);
    // Act
    await handler(event(principal(['generate'])), context);
    // Assert
    expect(seen[0].owner).toBe('team-a');
    expect(seen[0].principal).toEqual(principal(['generate']));
  });

  it('answers 401 when the authorizer context is not one the authorizer writes', async () => {
    // Prepare
    const { handler, seen } = route('generate', windowCounter().count);
    const forged = event(undefined);
    (forged.requestContext as { authorizer: unknown }).authorizer = {
      owner: 'team-a',
      key_id: 'aaaaaaaaaaaaaaaa',
      scopes: 'generate',
      limits: 'not json',
    };
    // Act
    const res = await handler(forged, context);
    // Assert
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Invalid API Key' });
    expect(seen).toEqual([]);
    expect(Object.keys(res.headers ?? {})).not.toContain('RateLimit-Limit');
  });
});

describe('scopes', () => {
  it('answers 403 naming the scope a generate key lacks on an admin route', async () => {
    // Prepare
    const { handler, seen } = route('admin', windowCounter().count);
    // Act
    const res = await handler(event(principal(['generate'])), context);
    // Assert
    expect(res.statusCode).toBe(403);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.message).toContain('"admin" scope');
    expect(body.error.details).toEqual({ required_scope: 'admin' });
    expect(seen).toEqual([]);
  });

  it('lets a key through to the routes of each scope it holds, and only those', async () => {
    // Prepare
    const admin = route('admin', windowCounter().count).handler;
    const generate = route('generate', windowCounter().count).handler;
    // Act
    const both = principal(['generate', 'admin']);
    const adminOnly = principal(['admin']);
    const statuses = [
      (await admin(event(both), context)).statusCode,
      (await generate(event(both), context)).statusCode,
      (await admin(event(adminOnly), context)).statusCode,
      (await generate(event(adminOnly), context)).statusCode,
    ];
    // Assert
    expect(statuses).toEqual([200, 200, 200, 403]);
  });
});

describe('requests per minute', () => {
  it('answers 429 with Retry-After past the limit, and RateLimit headers on every answer', async () => {
    // Prepare
    const counter = windowCounter();
    const { handler } = route('generate', counter.count);
    const caller = principal(['generate'], 2);
    // Act
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await handler(event(caller), context));
    // Assert
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 429]);
    expect(answers.map((a) => a.headers?.['RateLimit-Remaining'])).toEqual(['1', '0', '0']);
    for (const answer of answers) {
      expect(answer.headers).toMatchObject({ 'RateLimit-Limit': '2', 'RateLimit-Reset': '42' });
    }
    const refused = JSON.parse(answers[2].body);
    expect(refused.error.code).toBe('RATE_LIMITED');
    expect(refused.error.details).toMatchObject({ limit: 'requests_per_minute', value: 2 });
    expect(answers[2].headers?.['Retry-After']).toBe('42');
    expect(counter.seen.every((p) => p.keyId === 'aaaaaaaaaaaaaaaa')).toBe(true);
  });

  it('reads while a GET is being counted, and still answers 429 when the count refuses it', async () => {
    // Prepare: a counter that answers only after the handler has run.
    const order: string[] = [];
    let refuse = false;
    const slowCount: RequestCounter = async (p) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('counted');
      const limit = p.limits.requests_per_minute;
      return refuse
        ? { allowed: false, limit, remaining: 0, resetSeconds: 9 }
        : { allowed: true, limit, remaining: 5, resetSeconds: 9 };
    };
    const handler = httpHandler(
      { name: 'things', auth: 'generate' },
      { logger, countRequest: slowCount },
      () => {
        order.push('handled');
        return ok({ done: true });
      },
    );
    const caller = principal(['generate']);
    // Act
    const allowed = await handler(event(caller), context);
    refuse = true;
    const refused = await handler(event(caller), context);
    // Assert
    expect(order).toEqual(['handled', 'counted', 'handled', 'counted']);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers?.['RateLimit-Remaining']).toBe('5');
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body).error.code).toBe('RATE_LIMITED');
  });

  it('runs a write only after its count allowed it: a refused POST has no effect', async () => {
    // Prepare
    const order: string[] = [];
    const refusing: RequestCounter = async (p) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('counted');
      return { allowed: false, limit: p.limits.requests_per_minute, remaining: 0, resetSeconds: 9 };
    };
    const handler = httpHandler(
      { name: 'things', auth: 'generate' },
      { logger, countRequest: refusing },
      () => {
        order.push('handled');
        return ok({ done: true });
      },
    );
    // Act
    const res = await handler(event(principal(['generate']), { httpMethod: 'POST' }), context);
    // Assert
    expect(res.statusCode).toBe(429);
    expect(order).toEqual(['counted']);
  });

  it('puts the RateLimit headers on validation errors and scope refusals too', async () => {
    // Prepare
    const strict = route(
      'generate',
      windowCounter().count,
      z.object({ n: z.coerce.number().max(1) }),
    ).handler;
    const admin = route('admin', windowCounter().count).handler;
    // Act
    const invalid = await strict(
      event(principal(['generate']), { queryStringParameters: { n: '5' } }),
      context,
    );
    const forbidden = await admin(event(principal(['generate'])), context);
    // Assert
    expect(invalid.statusCode).toBe(422);
    expect(forbidden.statusCode).toBe(403);
    for (const res of [invalid, forbidden]) {
      expect(res.headers).toMatchObject({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '99' });
    }
  });

  it('counts nothing and adds no RateLimit header on a public route', async () => {
    // Prepare
    const counter = windowCounter();
    const { handler } = route('public', counter.count);
    // Act
    const res = await handler(event(principal(['generate'])), context);
    // Assert
    expect(res.statusCode).toBe(200);
    expect(counter.seen).toEqual([]);
    expect(Object.keys(res.headers ?? {})).not.toContain('RateLimit-Limit');
  });

  it('refuses to build a non-public route without a request counter', () => {
    // Act
    const build = () => httpHandler({ name: 'things', auth: 'generate' }, { logger }, () => ok({}));
    // Assert
    expect(build).toThrow(/countRequest/);
  });
});
