/**
 * Hostile input on every route of the OpenAPI document, through the local stack as an attacker sees
 * it: fast-check generates path parameters, query strings (forged cursors among them), headers with
 * names such as `constructor`, and JSON bodies that are valid requests with one value made hostile
 * (numbers at the edges of what DynamoDB and the engine hold, very long strings, long lists, prototype
 * names) or that are not JSON at all. Every answer must be a success or a 4xx with the error
 * envelope, never a 5xx, with a status the OpenAPI document lists for the operation (unless the
 * gateway refused the request before any operation); no answer may carry the encryption password,
 * and no error may quote a long input value back. The admin key routes are fuzzed with the admin key (and now and then with
 * the generate key, which they refuse with a 403).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { ApiClient, type ApiResponse, expectError, type Json, smallScenario } from './client.js';

/** The password every generated request carries: no answer may hold it. */
const SECRET = `Hostile-Secret-${randomUUID()}`;
/** Every long generated string starts with this, so an echo of one is found in any answer. */
const ECHO = 'EchoMarker';
/** Requests per route (FUZZ_RUNS for a longer hunt): 27 routes × 25 stays well under a minute. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
/**
 * More of one generated value than an error may quote: a not-found message names the id it looked for
 * (at most 128 characters, as the original's clients expect), an unknown key is named cut short.
 */
const LONG_ECHO = new RegExp(`${ECHO}[xy]{119,}`);
/**
 * The gateway's own refusals (infra/local/gateway.ts, as API Gateway's): a path no route matches, a
 * request line or headers too large for HTTP. They come before any operation of the document.
 */
const GATEWAY_REFUSALS = new Set([
  'No route matches this method and path',
  'The request line and headers are too large',
  'The request is not valid HTTP',
]);
/** An error answer larger than this repeats its input. */
const MAX_ERROR_BYTES = 16 * 1024;

let stack: LocalStack;
let api: ApiClient;
let operations: Operation[] = [];
let configId = '';
let jobId = '';
let keyId = '';
let admin: ApiClient;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly name: string;
  readonly parameters: readonly Parameter[];
  readonly hasBody: boolean;
  /** The statuses the document lists for it. */
  readonly statuses: readonly string[];
}

interface HostileRequest {
  readonly pathValues: Record<string, string>;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: Record<string, string>;
  /** `other-scope`: a valid key without the route's scope (the generate key on an admin route, and back). */
  readonly key: 'valid' | 'missing' | 'wrong' | 'other-scope';
  readonly body: { readonly json: unknown } | { readonly raw: string } | undefined;
}

// ---- generators ----------------------------------------------------------------------------------

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'prototype'];

const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...PROTOTYPE_NAMES,
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    '%',
    '%00',
    "' OR '1'='1",
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection payload, on purpose
    '${jndi:ldap://x}',
    '\u202e',
    '\ud800',
    'null',
    'NaN',
    'Infinity',
    '-1',
    '0',
    '1e300',
    '1e-320',
    '9007199254740993',
    '2147483648',
    'default',
    'nato_article_5',
  ),
  fc.string({ maxLength: 24 }),
  fc.string({ maxLength: 24, unit: 'grapheme' }),
  fc.integer({ min: 120, max: 4000 }).map((n) => `${ECHO}${'x'.repeat(n)}`),
  fc.constant(`${ECHO}${'y'.repeat(20_000)}`),
);

const hostileNumber = fc.constantFrom(
  1e300,
  -1e300,
  2 ** 53 + 1,
  1e-320,
  -0,
  0,
  -1,
  0.5,
  1.5,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1_000_001,
  2 ** 31,
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileText,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(hostileText, fc.constantFrom(...PROTOTYPE_NAMES)), tie('value'), { maxKeys: 3 }),
    fc.integer({ min: 1000, max: 6000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  ),
})).value;

/** A cursor that decodes, with keys and values of every wrong kind. */
const forgedCursor = fc
  .record({
    v: fc.oneof(fc.constant(1), hostileNumber, hostileText),
    k: fc.dictionary(
      fc.constantFrom(
        'job_id',
        'owner',
        'created_at',
        'config_id',
        'version',
        'list_owner',
        'key_id',
        ...PROTOTYPE_NAMES,
      ),
      fc.oneof(hostileText, hostileNumber, fc.constant(null), fc.constant({ S: 'x' })),
      { maxKeys: 5 },
    ),
  })
  .map((outer) => Buffer.from(JSON.stringify(outer), 'utf8').toString('base64url'));

/** Header values fetch can send: visible ASCII only. */
const headerText = hostileText.map((s) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 8000));

function paramValue(param: Parameter, method: string): fc.Arbitrary<string> {
  if (param.name === 'cursor') return fc.oneof(forgedCursor, hostileText);
  const numeric = hostileNumber.map((n) => String(n));
  // The real ids reach deeper code (versions, cursors); DELETE never gets them, the later tests need them.
  if (param.in === 'path' && method !== 'DELETE') {
    const known =
      param.name === 'config_id'
        ? [configId]
        : param.name === 'job_id'
          ? [jobId]
          : param.name === 'key_id'
            ? [keyId]
            : ['1'];
    return fc.oneof(hostileText, numeric, fc.constantFrom(...known));
  }
  return fc.oneof(hostileText, numeric);
}

function leafPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...leafPaths(v, [...prefix, i]));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...leafPaths(v, [...prefix, k]));
  }
  return out;
}

/** `base` with the value at one of its paths (or a new key beside it) replaced by `value`. */
function mutate(base: unknown, pick: number, value: unknown, newKey: string | undefined): unknown {
  const copy = structuredClone(base) as Json;
  const paths = leafPaths(copy).slice(1);
  const path = paths[pick % paths.length];
  let parent = copy;
  for (const part of path.slice(0, -1)) parent = parent[part];
  const last = path[path.length - 1];
  if (newKey !== undefined && !Array.isArray(parent)) {
    Object.defineProperty(parent, newKey, { value, enumerable: true, configurable: true, writable: true });
  } else parent[last] = value;
  return copy;
}

const isAdmin = (op: Operation) => op.path.startsWith('/api/v1/admin/');

function baseBody(op: Operation): unknown {
  if (op.name === 'createApiKey') {
    return {
      owner: 'fuzz-tenant',
      name: 'fuzzed key',
      scopes: ['generate'],
      limits_preset: 'demo',
      limits: { requests_per_minute: 100 },
      expires_at: '2999-01-01T00:00:00Z',
    };
  }
  if (op.name === 'rotateApiKey') return { grace_period_hours: 1 };
  if (op.name === 'createGenerationJob') {
    return {
      configuration: smallScenario({ total_patients: 5 }),
      output_formats: ['json'],
      use_encryption: true,
      encryption_password: SECRET,
      seed: 7,
    };
  }
  return smallScenario({ total_patients: 5 });
}

function bodyFor(op: Operation): fc.Arbitrary<HostileRequest['body']> {
  if (!op.hasBody) return fc.constant(undefined);
  const base = baseBody(op);
  const manyFronts = fc.integer({ min: 51, max: 5000 }).map((n) => ({
    json: {
      ...(base as object),
      front_configs: Array.from({ length: n }, () => (smallScenario().front_configs as Json[])[0]),
    },
  }));
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.nat(),
          hostileValue,
          fc.option(fc.oneof(hostileText, fc.constantFrom(...PROTOTYPE_NAMES)), { nil: undefined }),
        )
        .map(([pick, value, newKey]) => ({ json: mutate(base, pick, value, newKey) })),
    },
    { weight: 1, arbitrary: hostileValue.map((json) => ({ json })) },
    { weight: 1, arbitrary: manyFronts },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          `{"encryption_password":"${SECRET}",`,
          `{"encryption_password":"${SECRET}" "x"}`,
          `${SECRET}`,
          `{"configuration_id": 1e400, "encryption_password": "${SECRET}"}`,
          `[${'['.repeat(5000)}`,
          `{"configuration": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
          `{"name": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
        )
        .map((raw) => ({ raw })),
    },
  );
}

function requestFor(op: Operation): fc.Arbitrary<HostileRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathValues = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, paramValue(p, op.method)])));
  const declared = queryParams.map((p) =>
    fc.option(
      paramValue(p, op.method).map((v) => [p.name, v] as const),
      { nil: undefined },
    ),
  );
  const extra = fc.array(fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES), hostileText), { maxLength: 2 });
  const query = fc
    .tuple(fc.tuple(...declared), extra)
    .map(([d, e]) => [...d.filter((x): x is readonly [string, string] => x !== undefined), ...e]);
  // A content type the gateway does not treat as text makes it pass the body base64-encoded.
  const contentType = fc.tuple(
    fc.constant('Content-Type'),
    fc.constantFrom(
      'application/octet-stream',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'image/png',
    ),
  );
  const headers = fc
    .array(
      fc.oneof(
        fc.tuple(
          fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf', 'Idempotency-Key'),
          headerText,
        ),
        contentType,
      ),
      { maxLength: 2 },
    )
    .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== '')));
  const key = fc.constantFrom<HostileRequest['key']>(
    'valid',
    'valid',
    'valid',
    'missing',
    'wrong',
    'other-scope',
  );
  return fc.record({ pathValues, query, headers, key, body: bodyFor(op) });
}

// ---- the checks -------------------------------------------------------------------------------------

/** A lone surrogate cannot be put in a URL: it becomes U+FFFD, as a browser would send it. */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

async function send(op: Operation, request: HostileRequest): Promise<ApiResponse> {
  let path = op.path;
  for (const [name, value] of Object.entries(request.pathValues)) {
    path = path.replace(`{${name}}`, encodeURIComponent(wellFormed(value)));
  }
  const search = new URLSearchParams();
  for (const [name, value] of request.query) search.append(wellFormed(name), wellFormed(value));
  const url = search.size > 0 ? `${path}?${search}` : path;
  const key =
    request.key === 'valid'
      ? undefined
      : request.key === 'missing'
        ? null
        : request.key === 'other-scope'
          ? (isAdmin(op) ? api : admin).apiKey
          : `${ECHO}-wrong-key`;
  const body = request.body;
  return (isAdmin(op) ? admin : api).call(op.method, url, {
    key,
    headers: request.headers,
    ...(body === undefined ? {} : 'raw' in body ? { rawBody: body.raw } : { body: body.json }),
  });
}

function problems(op: Operation, res: ApiResponse): string[] {
  const found: string[] = [];
  if (res.status >= 500) found.push(`answered ${res.status}`);
  // A hostile path value (an empty id) or header can be refused by the gateway before any operation.
  const routed = !GATEWAY_REFUSALS.has(res.json?.error?.message);
  if (routed && !op.statuses.includes(String(res.status))) {
    found.push(
      `answered ${res.status}, which the OpenAPI document does not list (${op.statuses.join(', ')})`,
    );
  }
  if (res.text.includes(SECRET)) found.push('the answer holds the encryption password');
  if (res.status >= 400) {
    const envelope = res.json;
    const ok =
      typeof envelope?.error?.code === 'string' &&
      typeof envelope.error.message === 'string' &&
      typeof envelope.request_id === 'string';
    if (!ok) found.push('the error is not the envelope');
    if (LONG_ECHO.test(res.text)) found.push('the error quotes a long input value');
    if (res.text.length > MAX_ERROR_BYTES) found.push(`the error is ${res.text.length} bytes long`);
  }
  return found.map((p) => `${op.method} ${op.path}: ${p}: ${res.text.slice(0, 300)}`);
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', workers: 1, maxPatientsPerJob: 20 });
  api = new ApiClient(stack.url, stack.apiKey);
  admin = new ApiClient(stack.url, stack.adminKey);
  keyId = (await stack.createKey({ owner: 'fuzz-tenant', name: 'fuzzed' })).key_id;
  const created = await api.post('/api/v1/configurations', smallScenario({ total_patients: 5 }));
  expect(created.status, created.text).toBe(201);
  configId = created.json.id;
  const job = await api.post('/api/v1/generation', { configuration_id: configId, output_formats: ['json'] });
  expect(job.status, job.text).toBe(201);
  jobId = job.json.job_id;
  const document = (await api.get('/openapi.json')).json;
  operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(
    ([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        name: op.operationId ?? `${method} ${path}`,
        parameters: (op.parameters ?? []) as Parameter[],
        hasBody: op.requestBody !== undefined,
        statuses: Object.keys(op.responses ?? {}),
      })),
  );
});

afterAll(async () => {
  await stack?.stop();
});

describe('hostile input on every route of the OpenAPI document', () => {
  it('covers every route of the route table', () => {
    // Act
    const documented = new Set(operations.map((op) => `${op.method} ${op.path}`));
    // Assert
    expect(ROUTES.filter((r) => !documented.has(`${r.method} ${r.path}`))).toEqual([]);
  });

  it(
    'answers every generated request with a success or a 4xx envelope, never a 5xx, a secret or an echo',
    async () => {
      // Prepare
      const seen: string[] = [];
      for (const op of operations) {
        // Act
        await fc.assert(
          fc.asyncProperty(requestFor(op), async (request) => {
            const res = await send(op, request);
            seen.push(`${op.method} ${op.path} ${res.status}`);
            // Assert
            expect(problems(op, res)).toEqual([]);
          }),
          { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
        );
      }
      expect(seen.length).toBeGreaterThanOrEqual(operations.length * RUNS);
    },
    Math.max(120_000, RUNS * 6_000),
  );
});

describe('the 5xx answers the first hostile fuzz found, each pinned', () => {
  const forge = (k: Record<string, unknown>, v: unknown = 1) =>
    Buffer.from(JSON.stringify({ v, k }), 'utf8').toString('base64url');

  it.each([
    ['a number where a string belongs', { job_id: 5, owner: 'local', created_at: 'x' }, 1],
    ['an empty string', { job_id: '', owner: 'local', created_at: '' }, 1],
    ['a cursor version of 1e300', { job_id: 'j', owner: 'local', created_at: 'x' }, 1e300],
  ])('answers a forged job cursor with %s with a 400 naming the cursor', async (_what, key, version) => {
    // Act
    const res = await api.get(`/api/v1/jobs?cursor=${forge(key, version)}`);
    // Assert
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.errors).toEqual([
      { path: 'query.cursor', message: 'is not a valid cursor for this list' },
    ]);
  });

  it('answers forged configuration and version cursors with a 400', async () => {
    // Act
    const list = await api.get(
      `/api/v1/configurations?cursor=${forge({ config_id: 7, version: 'x', list_owner: 'local', created_at: '' })}`,
    );
    const versions = await api.get(
      `/api/v1/configurations/${configId}/versions?cursor=${forge({ config_id: configId, version: 1e300 })}`,
    );
    // Assert
    expect([list.status, versions.status]).toEqual([400, 400]);
  });

  it.each([
    ['the jobs', 'generate', '/api/v1/jobs?status=failed', 'status', 'limit, cursor'],
    [
      'a configuration`s versions',
      'generate',
      '/api/v1/configurations/{config}/versions?sort=desc',
      'sort',
      'limit, cursor',
    ],
    ['the presets', 'generate', '/api/v1/presets?categroy=urban', 'categroy', 'category, difficulty'],
    [
      'a download',
      'generate',
      '/api/v1/downloads/{job}?fromat=csv&redirect=false',
      'fromat',
      'format, redirect',
    ],
    ['the keys', 'admin', '/api/v1/admin/keys?ownr=fuzz-tenant', 'ownr', 'owner, limit, cursor'],
    ['a key', 'admin', '/api/v1/admin/keys/{key}?day=3', 'day', 'days'],
  ])(
    'refuses a query parameter %s do not know with 422 naming it and the valid ones, instead of ignoring it (fix 0201)',
    async (_what, scope, template, name, valid) => {
      // Prepare: a misspelt filter or option would otherwise answer the unfiltered list or the ZIP.
      const client = scope === 'admin' ? admin : api;
      const path = template.replace('{config}', configId).replace('{job}', jobId).replace('{key}', keyId);
      // Act
      const res = await client.get(path);
      // Assert
      const body = expectError(res, 422, 'VALIDATION_ERROR');
      expect(body.error.details.errors).toEqual([
        expect.objectContaining({ message: `unknown query parameter "${name}"; valid names: ${valid}` }),
      ]);
    },
  );

  it('keeps answering the version 1 SDK`s skip on the configurations list', async () => {
    // Act: the version 1 Python SDK sends skip and limit to GET /configurations.
    const res = await api.get('/api/v1/configurations?skip=0&limit=100');
    // Assert
    expect(res.status, res.text).toBe(200);
  });

  it('answers a 100,000-character configuration_id with a 422 that does not quote it', async () => {
    // Act
    const res = await api.post('/api/v1/generation', { configuration_id: 'c'.repeat(100_000) });
    // Assert
    expect(res.status).toBe(422);
    expect(res.json.error.details.errors[0].path).toBe('configuration_id');
    expect(res.text.length).toBeLessThan(2000);
  });

  it('answers a configuration with 5,000 fronts (under the 1 MiB body limit) with a 422 on the list size', async () => {
    // Prepare
    const front = (smallScenario().front_configs as Json[])[0];
    const body = smallScenario({ front_configs: Array.from({ length: 5000 }, () => front) });
    // Act
    const res = await api.post('/api/v1/configurations', body);
    // Assert
    expect(res.status).toBe(422);
    expect(res.json.error.details.errors).toEqual([
      { path: 'front_configs', message: 'must list at most 50 fronts' },
    ]);
  });

  it.each([
    ['casualty_rate 1e300', { casualty_rate: 1e300 }],
    ['casualty_rate 2^53+1', { casualty_rate: 2 ** 53 + 1 }],
    ['casualty_rate 1e-320', { casualty_rate: 1e-320 }],
  ])('rejects %s alike in validate, create and generate', async (_what, patch) => {
    // Prepare
    const front = { ...(smallScenario().front_configs as Json[])[0], ...patch };
    const scenario = smallScenario({ front_configs: [front] });
    // Act
    const validated = await api.post('/api/v1/configurations/validate', scenario);
    const stored = await api.post('/api/v1/configurations', scenario);
    const generated = await api.post('/api/v1/generation', { configuration: scenario });
    // Assert
    expect(validated.json.valid).toBe(false);
    expect(validated.json.errors[0].path).toBe('front_configs[0].casualty_rate');
    expect([stored.status, generated.status]).toEqual([422, 422]);
    expect(generated.json.error.details.errors[0].path).toBe('configuration.front_configs[0].casualty_rate');
  });

  it('rejects a triage weight of 1e300 in validate and generate', async () => {
    // Prepare
    const scenario = smallScenario({ triage_overrides: { 'Battle Injury': { T1: 1e300, T2: 1, T3: 1 } } });
    // Act
    const validated = await api.post('/api/v1/configurations/validate', scenario);
    const generated = await api.post('/api/v1/generation', { configuration: scenario });
    // Assert
    expect(validated.json).toEqual({
      valid: false,
      errors: [{ path: 'triage_overrides.Battle Injury.T1', message: 'must be at most 1000000' }],
    });
    expect(generated.status).toBe(422);
  });

  it('answers a query parameter or header named constructor or toString with the envelope, not a 502', async () => {
    // Act
    const answers = [
      await api.get('/api/v1/jobs?constructor=1&toString=2'),
      await api.get('/api/v1/presets', { headers: { constructor: 'x', toString: 'y' } }),
    ];
    // Assert: unknown query parameters are refused by name (fix 0201), headers are ignored.
    expectError(answers[0], 422, 'VALIDATION_ERROR', 'unknown query parameters "constructor", "toString"');
    expect(answers[1].status, answers[1].text).toBe(200);
  });

  it('sends no "undefined" server headers and no empty Reporting-Endpoints', async () => {
    // Act
    const res = await api.get('/api/v1/jobs');
    // Assert
    expect(res.headers.get('server')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('reporting-endpoints')).toBeNull();
  });

  it('answers malformed JSON holding the password with a 400 that does not quote it', async () => {
    // Act
    const res = await api.post('/api/v1/generation', undefined, {
      rawBody: `{"use_encryption": true, "encryption_password": "${SECRET}", `,
      headers: { 'Content-Type': 'application/json' },
    });
    // Assert
    expect(res.status).toBe(400);
    expect(res.text).not.toContain(SECRET);
  });

  it('answers a 200 KB bad value with a short error that names the field and the rule', async () => {
    // Prepare
    const bad = 'Q'.repeat(200_000);
    const scenario = smallScenario({
      name: bad,
      front_configs: [
        {
          ...(smallScenario().front_configs as Json[])[0],
          nationality_distribution: [{ nationality_code: bad, percentage: 100 }],
        },
      ],
    });
    // Act
    const res = await api.post('/api/v1/configurations', scenario);
    // Assert
    expect(res.status).toBe(422);
    expect(res.text.length).toBeLessThan(2000);
    expect(res.text).not.toContain('Q'.repeat(50));
    expect(res.json.error.details.errors.map((e: Json) => e.path)).toEqual([
      'name',
      'front_configs[0].nationality_distribution[0].nationality_code',
    ]);
  });
});

describe('deeply nested JSON', () => {
  it.each([
    ['POST', '/api/v1/generation'],
    ['POST', '/api/v1/configurations'],
    ['POST', '/api/v1/configurations/validate'],
  ])('%s %s answers 100,000 levels of nesting without a 5xx', async (method, path) => {
    // Prepare
    const bodies = [
      `{"configuration": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      `{"name": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    ];
    // Act
    const answers = await Promise.all(
      bodies.map((rawBody) =>
        api.call(method, path, { rawBody, headers: { 'Content-Type': 'application/json' } }),
      ),
    );
    // Assert
    for (const res of answers) {
      expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(200);
    }
  });
});

describe("the stack's per-job cap (maxPatientsPerJob 20 here, MAX_PATIENTS_PER_JOB)", () => {
  it('refuses one patient more with a 422 naming the cap, and the OpenAPI document shows it as the maximum', async () => {
    // Act
    const atCap = await api.post('/api/v1/generation', { configuration: { count: 5 }, total_patients: 20 });
    const over = await api.post('/api/v1/generation', { configuration: { count: 5 }, total_patients: 21 });
    const document = (await api.get('/openapi.json', { key: null })).json;
    // Assert
    expect(atCap.status, atCap.text).toBe(201);
    expect(over.status, over.text).toBe(422);
    expect(over.json.error.details.errors).toEqual([
      { path: 'total_patients', message: 'total_patients must be at most 20' },
    ]);
    const total = document.components.schemas.GenerationRequest.properties.total_patients;
    expect(total.anyOf.find((s: { type?: string }) => s.type === 'integer').maximum).toBe(20);
  });
});
