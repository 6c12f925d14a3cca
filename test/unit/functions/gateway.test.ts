/** The local API Gateway: routing from the table, the authorizer, REST v1 events, responses, limits. */
import { request } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.js';
import {
  ensurePortFree,
  type Gateway,
  type GatewayAuthorizer,
  type GatewayRoute,
  startGateway,
} from '../../../infra/local/gateway.js';
import { toSqsRecord } from '../../../infra/local/queue-poller.js';

const seen: APIGatewayProxyEvent[] = [];
const authorized: APIGatewayRequestAuthorizerEvent[] = [];
let gateway: Gateway;

/**
 * Refuses the key "refused" as the API-key authorizer does, fails on "broken", allows only the jobs
 * routes for "narrow", and allows anything else on the whole API with a context.
 */
const authorizer: GatewayAuthorizer = async (event) => {
  authorized.push(event);
  const key = Object.entries(event.headers ?? {}).find(([h]) => h.toLowerCase() === 'x-api-key')?.[1];
  if (key === undefined || key === 'refused') throw new Error('Unauthorized');
  if (key === 'broken') throw new Error('keys table unreachable');
  const [api, stage] = event.methodArn.split('/');
  return {
    principalId: 'kid',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: key === 'narrow' ? `${api}/${stage}/GET/api/v1/jobs` : `${api}/${stage}/*`,
        },
      ],
    },
    context: { owner: 'team-a', key_id: 'kid' },
  };
};

beforeAll(async () => {
  const routes: GatewayRoute[] = ROUTES.map((route) => ({
    route,
    handler: async (event) => {
      seen.push(event);
      if (route.name === 'health') throw new Error('boom');
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'application/json' },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
        body: JSON.stringify({ route: route.name, path: event.pathParameters }),
      };
    },
  }));
  routes.push({
    route: { name: 'binary', method: 'GET', path: '/binary', auth: 'public', access: {} },
    handler: async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'application/zip' },
      body: Buffer.from([0x50, 0x4b, 0, 1]).toString('base64'),
      isBase64Encoded: true,
    }),
  });
  gateway = await startGateway({ routes, port: 0, maxBodyBytes: 1000, authorizer });
});

afterAll(() => gateway.close());

async function call(method: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${gateway.url}${path}`, { method, ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('local API Gateway', () => {
  it('routes by method and template, static segments first, slash optional', async () => {
    const key = { headers: { 'X-API-Key': 'k' } };
    expect(JSON.parse((await call('GET', '/api/v1/presets/categories/list', key)).body).route).toBe(
      'list-preset-categories',
    );
    expect(JSON.parse((await call('GET', '/api/v1/presets/abc/', key)).body)).toEqual({
      route: 'get-preset',
      path: { preset_id: 'abc' },
    });
    expect(JSON.parse((await call('POST', '/api/v1/configurations/validate', key)).body).route).toBe(
      'validate-configuration',
    );
    expect(JSON.parse((await call('GET', '/api/v1/configurations/c%201/versions/2', key)).body)).toEqual({
      route: 'get-configuration-version',
      path: { config_id: 'c 1', version: '2' },
    });
  });

  it('builds a REST v1 event with the authorizer context and without the key', async () => {
    seen.length = 0;
    authorized.length = 0;
    await call('POST', '/api/v1/jobs/j1/cancel?a=1&a=2&b=x', {
      headers: { 'X-API-Key': 'k', 'Content-Type': 'application/json' },
      body: '{"x":1}',
    });
    const event = seen[0];
    expect(event.resource).toBe('/api/v1/jobs/{job_id}/cancel');
    expect(event.path).toBe('/api/v1/jobs/j1/cancel');
    expect(event.httpMethod).toBe('POST');
    expect(event.headers['X-API-Key']).toBeUndefined();
    expect(event.multiValueHeaders['X-API-Key']).toBeUndefined();
    expect(event.headers['Content-Type']).toBe('application/json');
    expect(event.requestContext.authorizer).toEqual({ owner: 'team-a', key_id: 'kid', principalId: 'kid' });
    expect(authorized).toHaveLength(1);
    expect(authorized[0]).toMatchObject({
      type: 'REQUEST',
      methodArn: expect.stringMatching(
        /^arn:aws:execute-api:[a-z0-9-]+:\d{12}:local\/local\/POST\/api\/v1\/jobs\/j1\/cancel$/,
      ),
      headers: expect.objectContaining({ 'X-API-Key': 'k' }),
      pathParameters: { job_id: 'j1' },
    });
    expect(event.queryStringParameters).toEqual({ a: '2', b: 'x' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['x'] });
    expect(event.pathParameters).toEqual({ job_id: 'j1' });
    expect(event.body).toBe('{"x":1}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(event.requestContext.resourcePath).toBe('/api/v1/jobs/{job_id}/cancel');
  });

  it('passes binary bodies base64-encoded and writes base64 and multi-value responses', async () => {
    seen.length = 0;
    const res = await call('PUT', '/api/v1/configurations/c1', {
      headers: { 'Content-Type': 'application/octet-stream', 'X-API-Key': 'k' },
      body: Buffer.from([1, 2, 3]),
    });
    expect(seen[0].isBase64Encoded).toBe(true);
    expect(Buffer.from(seen[0].body!, 'base64')).toEqual(Buffer.from([1, 2, 3]));
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    const bin = await fetch(`${gateway.url}/binary`);
    expect(Buffer.from(await bin.arrayBuffer())).toEqual(Buffer.from([0x50, 0x4b, 0, 1]));
  });

  it('404 NOT_FOUND envelope for unknown paths and methods, readable cross-origin, as the deployed API answers', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['PATCH', '/api/v1/jobs'],
      ['GET', '/api/v1/jobs/a/b/c'],
    ]) {
      // Act
      const res = await call(method, path);
      // Assert
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body).error.code).toBe('NOT_FOUND');
      expect(res.headers.get('access-control-allow-origin'), `${method} ${path}`).toBe('*');
    }
  });

  it('502 when a handler throws; 413 above the payload limit, readable cross-origin as the deployed gateway response', async () => {
    // Act
    const failed = await call('GET', '/health');
    const res = await call('POST', '/api/v1/generation', { body: 'x'.repeat(1001) });
    // Assert
    expect(failed.status).toBe(502);
    expect(res.status).toBe(413);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('local API Gateway authorizer', () => {
  it('answers 401 with the envelope, before the handler, for a missing and for a refused key', async () => {
    // Prepare
    seen.length = 0;
    // Act
    const missing = await call('GET', '/api/v1/jobs');
    const refused = await call('GET', '/api/v1/jobs', { headers: { 'X-API-Key': 'refused' } });
    // Assert
    for (const [res, message] of [
      [missing, 'Missing API Key'],
      [refused, 'Invalid API Key'],
    ] as const) {
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'UNAUTHORIZED', message });
      expect(res.headers.get('www-authenticate')).toContain('X-API-Key');
    }
    expect(seen).toEqual([]);
  });

  it('answers the generic 500 envelope when the authorizer fails, 403 when its policy does not cover the route', async () => {
    // Act
    const broken = await call('GET', '/api/v1/jobs', { headers: { 'X-API-Key': 'broken' } });
    const narrowOk = await call('GET', '/api/v1/jobs', { headers: { 'X-API-Key': 'narrow' } });
    const narrowDenied = await call('GET', '/api/v1/configurations', { headers: { 'X-API-Key': 'narrow' } });
    // Assert
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain('keys table');
    expect(JSON.parse(broken.body).error.code).toBe('GENERATION_ERROR');
    expect(narrowOk.status).toBe(200);
    expect(narrowDenied.status).toBe(403);
    expect(JSON.parse(narrowDenied.body).error.code).toBe('FORBIDDEN');
  });

  it('runs no authorizer on public routes, and every time on the others (no cache)', async () => {
    // Prepare
    authorized.length = 0;
    // Act
    await call('GET', '/api/v1/configurations/reference/nationalities');
    await call('GET', '/api/v1/jobs', { headers: { 'X-API-Key': 'k' } });
    await call('GET', '/api/v1/jobs', { headers: { 'X-API-Key': 'k' } });
    // Assert
    expect(authorized.map((e) => e.path)).toEqual(['/api/v1/jobs', '/api/v1/jobs']);
  });

  it('refuses to start with a non-public route and no authorizer', async () => {
    // Act
    const start = startGateway({
      routes: [{ route: ROUTES[0], handler: async () => ({ statusCode: 200, body: '' }) }],
      port: 0,
    });
    // Assert
    await expect(start).rejects.toThrow(/needs an authorizer/);
  });
});

describe('local API Gateway port', () => {
  it('refuses a port already in use with one line naming the port and how to choose another', async () => {
    // Prepare: something else listens on the port
    const other = await startGateway({ routes: [], port: 0 });
    const expected = new RegExp(
      `^port ${other.port} on 127\\.0\\.0\\.1 is already in use \\(another npm start\\?\\): .*npm start -- --port N`,
    );
    try {
      // Act
      const probed = ensurePortFree('127.0.0.1', other.port);
      const started = startGateway({ routes: [], port: other.port });
      // Assert
      await expect(probed).rejects.toThrow(expected);
      await expect(started).rejects.toThrow(expected);
    } finally {
      await other.close();
    }
  });

  it('finds a free port free, and leaves it free', async () => {
    // Prepare: a port known to be free (taken, then given back)
    const taken = await startGateway({ routes: [], port: 0 });
    const port = taken.port;
    await taken.close();
    // Act
    await ensurePortFree('127.0.0.1', port);
    const started = await startGateway({ routes: [], port });
    // Assert
    expect(started.port).toBe(port);
    await started.close();
  });
});

/** A GET through node:http, which sends any header name (fetch drops `__proto__`). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.url}${path}`, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local API Gateway with hostile names', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'passes a query parameter and a header named %s to the handler as plain names',
    async (name) => {
      // Prepare
      seen.length = 0;
      // Act
      const res = await rawGet(`/api/v1/jobs?${name}=x&${name}=y`, { [name]: 'h', 'X-API-Key': 'k' });
      // Assert
      expect(res.status).toBe(200);
      const event = seen[0];
      expect(event.queryStringParameters?.[name]).toBe('y');
      expect(event.multiValueQueryStringParameters?.[name]).toEqual(['x', 'y']);
      const header = Object.keys(event.headers).find((k) => k.toLowerCase() === name.toLowerCase());
      expect(header && event.headers[header]).toBe('h');
    },
  );

  it('leaves out response headers whose value is undefined or null instead of sending "undefined"', async () => {
    // Prepare
    const routes: GatewayRoute[] = [
      {
        route: { name: 'health', method: 'GET', path: '/health', auth: 'public', access: {} },
        handler: async () => ({
          statusCode: 200,
          headers: { Server: undefined, 'X-Powered-By': null, 'X-Kept': 'yes' } as unknown as Record<
            string,
            string
          >,
          body: '{}',
        }),
      },
    ];
    const local = await startGateway({ routes, port: 0 });
    try {
      // Act
      const res = await fetch(`${local.url}/health`);
      // Assert
      expect(res.headers.get('server')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-kept')).toBe('yes');
    } finally {
      await local.close();
    }
  });
});

describe('queue poller records', () => {
  it('maps an SDK message to a Lambda SQS record with message attributes', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm1',
        ReceiptHandle: 'r1',
        Body: '{"job_id":"j"}',
        Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1' },
        MessageAttributes: { correlation_id: { DataType: 'String', StringValue: 'req-1' } },
      },
      'http://127.0.0.1:1/000000000000/milmed-local-generation',
    );
    expect(record).toMatchObject({
      messageId: 'm1',
      receiptHandle: 'r1',
      body: '{"job_id":"j"}',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:milmed-local-generation',
      attributes: { ApproximateReceiveCount: '2' },
      messageAttributes: { correlation_id: { dataType: 'String', stringValue: 'req-1' } },
    });
  });
});
