/**
 * The v1 API contract (the original service's v1 paths and fields, with the one error envelope) through the local
 * API Gateway: error cases, tenants, body limits, trailing slashes, status codes, configuration CRUD
 * with versions, validation, reference data, the OpenAPI document and unknown routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { LOCAL_STAGE } from '../../infra/config/index.js';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { ApiClient, expectError, smallScenario } from './client.js';

let stack: LocalStack;
let api: ApiClient;
let other: ApiClient;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', workers: 1 });
  api = new ApiClient(stack.url, stack.apiKey);
  other = new ApiClient(stack.url, (await stack.createKey({ owner: 'other-tenant' })).api_key);
});

afterAll(async () => {
  await stack?.stop();
});

const inline = { configuration: { count: 5 } };

describe('generation request validation (the original v1 messages)', () => {
  it('invalid output format → 422 "Invalid output format"', async () => {
    const res = await api.post('/api/v1/generation', { ...inline, output_formats: ['json', 'pdf'] });
    const body = expectError(res, 422, 'VALIDATION_ERROR', 'Invalid output format');
    expect(body.error.details.errors).toEqual([expect.objectContaining({ path: 'output_formats[1]' })]);
  });

  it('use_encryption without a password → 422 mentioning encryption_password', async () => {
    const res = await api.post('/api/v1/generation', { ...inline, use_encryption: true });
    expectError(res, 422, 'VALIDATION_ERROR', 'encryption_password');
  });

  it('a short password → 422 mentioning 8', async () => {
    const res = await api.post('/api/v1/generation', {
      ...inline,
      use_encryption: true,
      encryption_password: 'short',
    });
    expectError(res, 422, 'VALIDATION_ERROR', '8');
  });

  it('neither or both configuration sources → 422', async () => {
    expectError(
      await api.post('/api/v1/generation', {}),
      422,
      'VALIDATION_ERROR',
      'Either configuration_id or configuration must be provided',
    );
    expectError(
      await api.post('/api/v1/generation', { configuration_id: 'default', configuration: {} }),
      422,
      'VALIDATION_ERROR',
      'not both',
    );
  });

  it('an unknown top-level field (a typo of total_patients) → 422 naming it, and no job', async () => {
    // Prepare (memory/fixes/0155-generation-request-ignored-unknown-fields.md)
    const before = await api.get('/api/v1/jobs?limit=100');
    // Act
    const res = await api.post('/api/v1/generation', { configuration_id: 'default', total_patient: 5 });
    // Assert
    const body = expectError(res, 422, 'VALIDATION_ERROR', 'unknown field "total_patient"; valid names: ');
    expect(body.error.details.errors).toEqual([{ path: '', message: body.error.message }]);
    expect(body.error.message).toContain('total_patients');
    const after = await api.get('/api/v1/jobs?limit=100');
    expect(after.json.jobs.length).toBe(before.json.jobs.length);
  });

  it('an invalid inline scenario → 422 with paths under configuration', async () => {
    const res = await api.post('/api/v1/generation', {
      configuration: smallScenario({ days_of_fighting: 0, intensity: 'apocalyptic' }),
    });
    const body = expectError(res, 422, 'VALIDATION_ERROR');
    const paths = body.error.details.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['configuration.days_of_fighting', 'configuration.intensity']),
    );
  });

  it("total_patients above the stage's cap (1,000,000) → 422 naming the cap; unknown configuration_id → 404", async () => {
    const body = expectError(
      await api.post('/api/v1/generation', { ...inline, total_patients: 1_000_001 }),
      422,
      'VALIDATION_ERROR',
    );
    expect(body.error.details.errors).toEqual([
      { path: 'total_patients', message: 'total_patients must be at most 1000000' },
    ]);
    expectError(
      await api.post('/api/v1/generation', { configuration_id: 'no-such-config' }),
      404,
      'NOT_FOUND',
    );
  });

  it('malformed JSON → 400; an empty body → 400', async () => {
    const res = await api.call('POST', '/api/v1/generation', {
      rawBody: '{"configuration": {"count": 5',
      headers: { 'Content-Type': 'application/json' },
    });
    expectError(res, 400, 'VALIDATION_ERROR', /Malformed JSON/);
    expectError(await api.call('POST', '/api/v1/generation'), 400, 'VALIDATION_ERROR', /body is required/);
    expectError(
      await api.call('PUT', '/api/v1/configurations/x', { rawBody: 'not json' }),
      400,
      'VALIDATION_ERROR',
      /Malformed JSON/,
    );
  });

  it('a body over 1 MiB → 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ configuration: { count: 5, description: 'x'.repeat(1_100_000) } });
    expectError(
      await api.call('POST', '/api/v1/generation', {
        rawBody: big,
        headers: { 'Content-Type': 'application/json' },
      }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    // Beyond the gateway's own limit the request is refused before any handler runs, same envelope.
    const huge = Buffer.alloc(11 * 1024 * 1024, 0x20);
    const res = await api.call('POST', '/api/v1/configurations', { rawBody: huge });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('authentication and tenants', () => {
  it('no key → 401 Missing API Key; wrong key → 401 Invalid API Key', async () => {
    const missing = await api.get('/api/v1/jobs', { key: null });
    expectError(missing, 401, 'UNAUTHORIZED', 'Missing API Key');
    expect(missing.headers.get('www-authenticate')).toContain('X-API-Key');
    expectError(await api.get('/api/v1/jobs', { key: 'wrong' }), 401, 'UNAUTHORIZED', 'Invalid API Key');
    expectError(await api.post('/api/v1/generation', inline, { key: null }), 401, 'UNAUTHORIZED');
  });

  it('the header name is case-insensitive', async () => {
    const res = await api.get('/api/v1/jobs', { key: null, headers: { 'x-api-key': stack.apiKey } });
    expect(res.status).toBe(200);
  });

  it('unknown job → 404 with the envelope', async () => {
    const res = expectError(
      await api.get('/api/v1/jobs/00000000-0000-4000-8000-000000000000'),
      404,
      'NOT_FOUND',
    );
    expect(res.error.message).toBe('Job 00000000-0000-4000-8000-000000000000 not found');
  });

  it("another tenant's job and configuration are 404, and not listed", async () => {
    const job = await api.post('/api/v1/generation', inline);
    expect(job.status).toBe(201);
    const id = job.json.job_id;
    await api.waitForJob(id);
    expectError(await other.get(`/api/v1/jobs/${id}`), 404, 'NOT_FOUND');
    expectError(await other.get(`/api/v1/jobs/${id}/results`), 404, 'NOT_FOUND');
    expectError(await other.get(`/api/v1/jobs/${id}/scenario`), 404, 'NOT_FOUND');
    expectError(await other.get(`/api/v1/downloads/${id}`), 404, 'NOT_FOUND');
    expectError(await other.post(`/api/v1/jobs/${id}/cancel`), 404, 'NOT_FOUND');
    expectError(await other.delete(`/api/v1/jobs/${id}`), 404, 'NOT_FOUND');
    const listed = await other.get('/api/v1/jobs');
    expect(listed.status).toBe(200);
    expect(listed.json.jobs.map((j: { job_id: string }) => j.job_id)).not.toContain(id);
    expect((await api.get(`/api/v1/jobs/${id}`)).status).toBe(200);

    const config = await api.post('/api/v1/configurations', smallScenario());
    expectError(await other.get(`/api/v1/configurations/${config.json.id}`), 404, 'NOT_FOUND');
    expectError(
      await other.put(`/api/v1/configurations/${config.json.id}`, smallScenario()),
      404,
      'NOT_FOUND',
    );
    expectError(await other.delete(`/api/v1/configurations/${config.json.id}`), 404, 'NOT_FOUND');
    expectError(
      await other.post('/api/v1/generation', { configuration_id: config.json.id }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('paths and status codes', () => {
  it('paths work with and without a trailing slash', async () => {
    for (const path of [
      '/api/v1/jobs',
      '/api/v1/jobs/',
      '/api/v1/presets/',
      '/health/',
      '/api/v1/configurations/',
    ]) {
      expect((await api.get(path)).status, path).toBe(200);
    }
    const created = await api.post('/api/v1/generation/', inline);
    expect(created.status).toBe(201);
    expect((await api.get(`/api/v1/jobs/${created.json.job_id}/`)).status).toBe(200);
    expect((await api.post('/api/v1/configurations/validate/', smallScenario())).json.valid).toBe(true);
  });

  it('unknown routes and methods → 404 with the error envelope (as the deployed API)', async () => {
    for (const [method, path] of [
      ['GET', '/api/generate'],
      ['POST', '/api/generate'],
      ['GET', '/api/v1/nothing'],
      ['PATCH', '/api/v1/jobs'],
      ['DELETE', '/api/v1/presets'],
      ['GET', '/api'],
      ['POST', '/'],
    ] as const) {
      const res = await api.call(method, path, { key: null });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((res.json as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });

  it('GET / serves the web console (HTML with its CSP) and GET /config.json points it at this origin', async () => {
    // Act
    const page = await fetch(`${stack.url}/`);
    const config = await fetch(`${stack.url}/config.json`);

    // Assert
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="app">');
    expect(await config.json()).toEqual({ api_base_url: '', stage: 'local' });
  });

  it('CORS preflight on a known path', async () => {
    const res = await fetch(`${stack.url}/api/v1/generation`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5174', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('every response carries X-Request-Id and security headers', async () => {
    const res = await api.get('/api/v1/presets');
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('configurations', () => {
  it('CRUD round trip with versions: 201, 200, 200 (v2), history, 204, 404', async () => {
    const create = await api.post('/api/v1/configurations/', smallScenario({ name: 'Version one' }));
    expect(create.status, create.text).toBe(201);
    expect(create.json).toMatchObject({ version: 1, name: 'Version one', parent_config_id: null });
    const id = create.json.id as string;
    expect(create.headers.get('location')).toBe(`/api/v1/configurations/${id}`);

    const got = await api.get(`/api/v1/configurations/${id}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id, version: 1, total_patients: 25 });

    // v1 clients send the server fields back: they are ignored.
    const update = await api.put(`/api/v1/configurations/${id}`, {
      ...got.json,
      name: 'Version two',
      total_patients: 30,
    });
    expect(update.status, update.text).toBe(200);
    expect(update.json).toMatchObject({ id, version: 2, name: 'Version two', total_patients: 30 });

    const versions = await api.get(`/api/v1/configurations/${id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.json).toMatchObject({ config_id: id, latest_version: 2 });
    expect(versions.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = await api.get(`/api/v1/configurations/${id}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.json).toMatchObject({ version: 1, name: 'Version one', total_patients: 25 });
    expectError(await api.get(`/api/v1/configurations/${id}/versions/3`), 404, 'NOT_FOUND');
    expectError(
      await api.get(`/api/v1/configurations/${id}/versions/zero`),
      422,
      'VALIDATION_ERROR',
      'version',
    );

    const list = await api.get('/api/v1/configurations');
    expect(list.json.configurations.map((c: { id: string }) => c.id)).toContain(id);

    // A job from the configuration records the version it used.
    const job = await api.post('/api/v1/generation', { configuration_id: id, total_patients: 3 });
    expect(job.status).toBe(201);
    const done = await api.waitForJob(job.json.job_id);
    expect(done.config).toMatchObject({ configuration_id: id, configuration_version: 2 });

    const removed = await api.delete(`/api/v1/configurations/${id}`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expectError(
      await api.get(`/api/v1/configurations/${id}`),
      404,
      'NOT_FOUND',
      `Configuration ${id} not found`,
    );
    expectError(await api.delete(`/api/v1/configurations/${id}`), 404, 'NOT_FOUND');
  });

  it('create with an invalid body → 422 with field paths', async () => {
    const res = await api.post(
      '/api/v1/configurations',
      smallScenario({ total_patients: -10, front_configs: [] }),
    );
    const body = expectError(res, 422, 'VALIDATION_ERROR', 'total_patients');
    const paths = body.error.details.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['total_patients', 'front_configs']));
    expectError(await api.post('/api/v1/configurations', [1, 2]), 422, 'VALIDATION_ERROR', 'JSON object');
  });

  it('refuses repeated front ids and blank names with 422 naming each path and rule: create, validate, generation', async () => {
    // Prepare (memory/fixes/0154-duplicate-front-ids-and-blank-names.md)
    const [north] = smallScenario().front_configs as Record<string, unknown>[];
    const scenario = smallScenario({
      name: '  ',
      front_configs: [north, { ...north, name: 'Also north' }],
      facility_configs: [{ id: 'r1', name: 'Role 1', front_id: 'north', kia_rate: 0.02, rtd_rate: 0.3 }],
    });
    const expected = [
      { path: 'name', message: 'must not be only white space' },
      { path: 'front_configs[1].id', message: 'must be unique' },
    ];
    // Act
    const created = await api.post('/api/v1/configurations', scenario);
    const checked = await api.post('/api/v1/configurations/validate', scenario);
    const generated = await api.post('/api/v1/generation', { configuration: scenario });
    // Assert
    expect(expectError(created, 422, 'VALIDATION_ERROR').error.details.errors).toEqual(expected);
    expect(checked.status).toBe(200);
    expect(checked.json).toEqual({ valid: false, errors: expected });
    expect(expectError(generated, 422, 'VALIDATION_ERROR').error.details.errors).toEqual(
      expected.map((e) => ({ ...e, path: `configuration.${e.path}` })),
    );
  });

  it('validate: {valid true, errors []} and errors with paths', async () => {
    const ok = await api.post('/api/v1/configurations/validate', smallScenario());
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ valid: true, errors: [] });
    const bad = await api.post(
      '/api/v1/configurations/validate',
      smallScenario({ total_patients: -10, injury_distribution: { disease: 1 } }),
    );
    expect(bad.status).toBe(200);
    expect(bad.json.valid).toBe(false);
    const paths = bad.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['total_patients', 'injury_distribution']));
    for (const e of bad.json.errors) expect(e.message).toEqual(expect.any(String));
  });
  it('GET /configurations/default answers the built-in default scenario, which validates', async () => {
    // Prepare
    const path = '/api/v1/configurations/default';

    // Act
    const res = await api.get(path);
    const check = await api.post('/api/v1/configurations/validate', {
      ...res.json,
      id: undefined,
      version: undefined,
    });

    // Assert
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: 'default', version: 1, total_patients: expect.any(Number) });
    expect(res.json.front_configs.length).toBeGreaterThan(0);
    expect(check.json).toEqual({ valid: true, errors: [] });
  });
});

describe('reference data, presets, health and the OpenAPI document', () => {
  it('reference data needs no key', async () => {
    const nations = await api.get('/api/v1/configurations/reference/nationalities/', { key: null });
    expect(nations.status).toBe(200);
    expect(nations.json).toHaveLength(32);
    for (const n of nations.json) expect(n.code).toMatch(/^[A-Z]{3}$/);
    expect(nations.json).toContainEqual({ code: 'USA', name: 'United States' });

    const types = await api.get('/api/v1/configurations/reference/condition-types', { key: null });
    expect(types.json).toEqual(['DISEASE', 'NON_BATTLE', 'BATTLE_TRAUMA']);

    const facilities = await api.get('/api/v1/configurations/reference/facility-types', { key: null });
    expect(facilities.json.map((f: { id: string; name: string }) => [f.id, f.name])).toEqual([
      ['POI', 'Point of Injury'],
      ['R1', 'Role 1'],
      ['R2', 'Role 2'],
      ['R3', 'Role 3'],
      ['R4', 'Role 4'],
    ]);

    const conditions = await api.get('/api/v1/configurations/reference/conditions', { key: null });
    expect(conditions.json.length).toBeGreaterThan(10);
    expect(conditions.json[0]).toMatchObject({
      code: expect.stringMatching(/^\d+$/),
      system: 'http://snomed.info/sct',
    });
    expect(conditions.json.find((c: { code: string }) => c.code === '61462000')).toMatchObject({
      name: 'Malaria',
      endemic_disease: 'malaria',
    });

    const warfare = await api.get('/api/v1/configurations/reference/warfare-types', { key: null });
    expect(warfare.json.map((w: { id: string }) => w.id)).toContain('artillery');

    const fronts = await api.get('/api/v1/configurations/reference/static-fronts', { key: null });
    expect(fronts.json.length).toBeGreaterThan(0);
    expect(fronts.json[0]).toMatchObject({
      name: expect.any(String),
      ratio: expect.any(Number),
      nations: expect.any(Array),
    });
  });

  it('presets: list, filter, categories, get → {preset, generation_config}, 404', async () => {
    const list = await api.get('/api/v1/presets');
    expect(list.status).toBe(200);
    expect(list.json.total_count).toBe(list.json.presets.length);
    expect(list.json.presets.map((p: { id: string }) => p.id)).toContain('nato_article_5');
    const filtered = await api.get('/api/v1/presets?difficulty=low');
    expect(filtered.json.presets.every((p: { difficulty: string }) => p.difficulty === 'low')).toBe(true);
    const categories = await api.get('/api/v1/presets/categories/list');
    expect(categories.json.total_categories).toBe(categories.json.categories.length);
    const preset = await api.get('/api/v1/presets/nato_article_5');
    expect(preset.status).toBe(200);
    expect(preset.json.preset.id).toBe('nato_article_5');
    expect(preset.json.generation_config.total_patients).toBe(2500);
    // The generation_config is accepted as an inline configuration and validates as a configuration.
    const valid = await api.post('/api/v1/configurations/validate', preset.json.generation_config);
    expect(valid.json).toEqual({ valid: true, errors: [] });
    expectError(await api.get('/api/v1/presets/nope'), 404, 'NOT_FOUND', "Preset 'nope' not found");
    expectError(await api.get('/api/v1/presets', { key: null }), 401, 'UNAUTHORIZED');
  });

  it('health endpoints', async () => {
    // The product's answer; the local stack adds only its workers' state (worker-supervision.test.ts).
    const { local_workers, ...liveness } = (await api.get('/health', { key: null })).json;
    expect(liveness).toEqual({ status: 'healthy' });
    expect(local_workers).toMatchObject({ status: 'ok' });
    const health = await api.get('/api/v1/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({
      status: 'healthy',
      checks: { jobs_table: { status: 'healthy' }, configurations_table: { status: 'healthy' } },
    });
  });

  it('GET /openapi.json documents every route of the table', async () => {
    const res = await api.get('/openapi.json', { key: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const op = res.json.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(Object.keys(op.responses).length).toBeGreaterThan(1);
    }
    for (const path of Object.keys(res.json.paths)) {
      if (path.startsWith('/api/')) expect(path.startsWith('/api/v1/')).toBe(true);
    }
    // npm start uses the stages' per-job cap (LOCAL_STAGE.maxPatientsPerJob) as the request's maximum.
    const total = res.json.components.schemas.GenerationRequest.properties.total_patients;
    expect(total.anyOf.find((s: { type?: string }) => s.type === 'integer').maximum).toBe(
      LOCAL_STAGE.maxPatientsPerJob,
    );
    expect(LOCAL_STAGE.maxPatientsPerJob).toBe(1_000_000);
  });
});
