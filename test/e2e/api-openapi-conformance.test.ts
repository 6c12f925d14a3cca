/**
 * The OpenAPI document as an integrator reads it, checked against the real answers of the local stack:
 * a tour of every operation of the route table, with its successes and its usual refusals, where each
 * answer's status must be one the document lists for that operation, with the documented content type
 * and a body that its documented JSON Schema accepts (ajv, the document's own components). A client
 * generated from the document (web/src/api/schema.d.ts is one) then never meets an answer it was not
 * told about (memory/fixes/0151-openapi-left-out-answers-the-api-gives.md).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { ApiClient, type ApiResponse, type Json, smallScenario } from './client.js';

let stack: LocalStack;
let api: ApiClient;
let admin: ApiClient;
// biome-ignore lint/suspicious/noExplicitAny: the document is walked by path
let document: any;
let ajv: Ajv2020;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', workers: 1 });
  api = new ApiClient(stack.url, stack.apiKey);
  admin = new ApiClient(stack.url, stack.adminKey);
  document = (await api.get('/openapi.json', { key: null })).json;
  // Formats (date-time, uri) are checked by the schemas' own tests; here the shapes and bounds count.
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...document, $id: 'openapi' });
});

afterAll(async () => {
  await stack?.stop();
});

/** A JSON Pointer token. */
const token = (text: string) => text.replaceAll('~', '~0').replaceAll('/', '~1');

/** What the document says of one answer of `method template`; an empty list when all is as documented. */
function mismatches(method: string, template: string, res: ApiResponse): string[] {
  const label = `${method} ${template} → ${res.status}`;
  const operation = document.paths[template]?.[method.toLowerCase()];
  if (!operation) return [`${label}: the document has no such operation`];
  const documented = operation.responses[String(res.status)];
  if (!documented) {
    return [`${label}: not among the documented statuses ${Object.keys(operation.responses).join(', ')}`];
  }
  const types = Object.keys(documented.content ?? {});
  if (types.length === 0) return res.text === '' ? [] : [`${label}: a body where none is documented`];
  const contentType = res.headers.get('content-type') ?? '';
  if (!types.some((type) => contentType.startsWith(type))) {
    return [`${label}: content type ${contentType}, documented ${types.join(', ')}`];
  }
  const pointer = `/paths/${token(template)}/${method.toLowerCase()}/responses/${res.status}/content/application~1json/schema`;
  const validate = ajv.getSchema(`openapi#${pointer}`) ?? ajv.compile({ $ref: `openapi#${pointer}` });
  if (validate(res.json)) return [];
  return [`${label}: the body does not match the documented schema: ${ajv.errorsText(validate.errors)}`];
}

/** Every answer of the tour, with the route template it was sent to. */
const answers: Array<{ method: string; template: string; res: ApiResponse }> = [];

async function send(
  client: ApiClient,
  method: string,
  template: string,
  values: Record<string, string> = {},
  options: { query?: string; body?: unknown; rawBody?: string; key?: string | null } = {},
): Promise<ApiResponse> {
  let path = template;
  for (const [name, value] of Object.entries(values)) path = path.replace(`{${name}}`, value);
  const res = await client.call(method, `${path}${options.query ?? ''}`, {
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(options.rawBody === undefined ? {} : { headers: { 'Content-Type': 'application/json' } }),
  });
  answers.push({ method, template, res });
  return res;
}

async function tour(): Promise<void> {
  const jobs = '/api/v1/jobs/{job_id}';
  const configurations = '/api/v1/configurations/{config_id}';
  const keys = '/api/v1/admin/keys/{key_id}';
  // Generation, then the job's routes while it is unfinished and once it is completed.
  const created = await send(
    api,
    'POST',
    '/api/v1/generation',
    {},
    {
      body: { configuration: smallScenario({ total_patients: 8 }), output_formats: ['json', 'csv'], seed: 5 },
    },
  );
  const job = { job_id: created.json.job_id as string };
  await send(
    api,
    'POST',
    '/api/v1/generation',
    {},
    { body: { configuration_id: 'no-such', total_patients: 3 } },
  );
  await send(
    api,
    'POST',
    '/api/v1/generation',
    {},
    { body: { configuration_id: 'default', total_patients: 0 } },
  );
  await send(api, 'POST', '/api/v1/generation', {}, { rawBody: '{' });
  await send(api, 'POST', '/api/v1/generation', {}, { body: {}, key: null });
  await api.waitForJob(job.job_id);
  await send(api, 'GET', '/api/v1/jobs', {}, { query: '?limit=1' });
  await send(api, 'GET', '/api/v1/jobs', {}, { query: '?limit=0' });
  await send(api, 'GET', '/api/v1/jobs', {}, { query: '?cursor=forged' });
  await send(api, 'GET', jobs, job);
  await send(api, 'GET', jobs, { job_id: 'no-such-job' });
  await send(api, 'GET', `${jobs}/scenario`, job);
  await send(api, 'GET', `${jobs}/scenario`, { job_id: 'no-such-job' });
  await send(api, 'GET', `${jobs}/results`, job, { query: '?per_page=2&triage=T1,T2,T3' });
  await send(api, 'GET', `${jobs}/results`, job, { query: '?per_page=501' });
  await send(api, 'GET', '/api/v1/downloads/{job_id}', job);
  await send(api, 'GET', '/api/v1/downloads/{job_id}', job, { query: '?format=csv&redirect=false' });
  await send(api, 'GET', '/api/v1/downloads/{job_id}', job, { query: '?format=xml' });
  await send(api, 'POST', `${jobs}/cancel`, job);
  await send(api, 'DELETE', jobs, job);
  await send(api, 'DELETE', jobs, job);
  // Configurations: CRUD, versions, validation, the built-in default.
  const configuration = await send(api, 'POST', '/api/v1/configurations', {}, { body: smallScenario() });
  const config = { config_id: configuration.json.id as string };
  await send(api, 'POST', '/api/v1/configurations', {}, { body: smallScenario({ total_patients: -1 }) });
  await send(api, 'GET', '/api/v1/configurations', {}, { query: '?limit=1' });
  await send(api, 'GET', configurations, config);
  await send(api, 'GET', configurations, { config_id: 'default' });
  await send(api, 'PUT', configurations, config, { body: smallScenario({ name: 'Second' }) });
  await send(api, 'PUT', configurations, { config_id: 'default' }, { body: smallScenario() });
  await send(api, 'GET', `${configurations}/versions`, config);
  await send(api, 'GET', `${configurations}/versions/{version}`, { ...config, version: '2' });
  await send(api, 'GET', `${configurations}/versions/{version}`, { ...config, version: '9' });
  await send(api, 'GET', `${configurations}/versions/{version}`, { ...config, version: '0' });
  await send(api, 'POST', '/api/v1/configurations/validate', {}, { body: smallScenario() });
  await send(api, 'POST', '/api/v1/configurations/validate', {}, { body: { name: 'x' } });
  await send(api, 'DELETE', configurations, config);
  await send(api, 'DELETE', configurations, config);
  await send(api, 'DELETE', configurations, { config_id: 'default' });
  // Reference data, presets, health and the document itself.
  for (const route of ROUTES.filter((r) => r.path.startsWith('/api/v1/configurations/reference/'))) {
    await send(api, 'GET', route.path, {}, { key: null });
  }
  await send(api, 'GET', '/api/v1/presets');
  await send(api, 'GET', '/api/v1/presets', {}, { query: '?difficulty=impossible' });
  await send(api, 'GET', '/api/v1/presets/categories/list');
  await send(api, 'GET', '/api/v1/presets/{preset_id}', { preset_id: 'nato_article_5' });
  await send(api, 'GET', '/api/v1/presets/{preset_id}', { preset_id: 'no_such_preset' });
  await send(api, 'GET', '/api/v1/presets/{preset_id}', { preset_id: 'p'.repeat(129) });
  await send(api, 'GET', '/health', {}, { key: null });
  await send(api, 'GET', '/api/v1/health', {}, { key: null });
  await send(api, 'GET', '/openapi.json', {}, { key: null });
  // The admin routes: a key's whole life, and the refusals of each step.
  const issued = await send(
    admin,
    'POST',
    '/api/v1/admin/keys',
    {},
    { body: { owner: 'tour', name: 'Tour' } },
  );
  const key = { key_id: issued.json.key_id as string };
  await send(admin, 'POST', '/api/v1/admin/keys', {}, { body: { owner: '', name: 'Tour' } });
  await send(api, 'POST', '/api/v1/admin/keys', {}, { body: { owner: 'tour', name: 'Tour' } });
  await send(admin, 'GET', '/api/v1/admin/keys', {}, { query: '?owner=tour' });
  await send(admin, 'GET', keys, key, { query: '?days=2' });
  await send(admin, 'GET', keys, { key_id: 'abcdefghijk23456' });
  await send(admin, 'POST', `${keys}/rotate`, key, { body: { grace_period_hours: 1 } });
  await send(admin, 'DELETE', keys, key);
  await send(admin, 'DELETE', keys, key);
  await send(admin, 'POST', `${keys}/rotate`, key);
}

describe('the OpenAPI document and the answers of every operation', () => {
  it('lists the status, content type and body shape of every answer of a tour of the routes', async () => {
    // Act
    await tour();
    // Assert
    const toured = new Set(answers.map((a) => `${a.method} ${a.template}`));
    expect(ROUTES.filter((r) => !toured.has(`${r.method} ${r.path}`)).map((r) => r.name)).toEqual([]);
    expect(answers.flatMap(({ method, template, res }) => mismatches(method, template, res))).toEqual([]);
  }, 120_000);

  it('documents the 409 of rotating a revoked key and the 422 of a preset id past its bound', async () => {
    // Prepare
    const issued = await admin.post('/api/v1/admin/keys', { owner: 'tour', name: 'Revoked' });
    await admin.delete(`/api/v1/admin/keys/${issued.json.key_id}`);
    // Act
    const rotated = await admin.post(`/api/v1/admin/keys/${issued.json.key_id}/rotate`);
    const preset = await api.get(`/api/v1/presets/${'p'.repeat(129)}`);
    // Assert
    expect(rotated.status).toBe(409);
    expect(preset.status).toBe(422);
    const statuses = (path: string, method: string): Json =>
      Object.keys(document.paths[path][method].responses);
    expect(statuses('/api/v1/admin/keys/{key_id}/rotate', 'post')).toContain('409');
    expect(statuses('/api/v1/presets/{preset_id}', 'get')).toContain('422');
  });
});
