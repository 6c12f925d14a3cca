/**
 * API keys as a service through the local stack (infra/local/local-stack.ts), as a client and an operator
 * see them: the admin API creates, lists, shows, rotates and revokes keys; the authorizer lets a key in
 * or answers 401 at once (no cache locally); a key's scope, owner and requests per minute hold; the
 * audit lines name keys and callers, never a secret.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { API_KEY_PATTERN } from '../../lib/domain/index.js';
import { ApiClient, type ApiResponse, expectError, type Json, smallScenario } from './client.js';

/** Keys given to the stack, as LOCAL_API_KEY and LOCAL_ADMIN_KEY would be: kept exactly. */
const GIVEN_API_KEY = `mmpg_local_givengeneratekey_${'a1'.repeat(32)}`;
const GIVEN_ADMIN_KEY = `mmpg_local_givenadminkey234_${'b2'.repeat(32)}`;

let stack: LocalStack;
let admin: ApiClient;
let generate: ApiClient;
/** Every line the stack printed while the tests ran (its logs are INFO here, for the audit lines). */
const lines: string[] = [];

const keyIdOf = (key: string) => key.split('_')[2];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const client = (key: string) => new ApiClient(stack.url, key);

/** Parsed audit lines (message "audit"), optionally of one action. */
function auditLines(action?: string): Json[] {
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{') && line.includes('"audit"'))
    .map((line) => JSON.parse(line))
    .filter((line) => line.message === 'audit' && (!action || line.action === action));
}

/** Waits until at least `seconds` are left in this UTC minute, so a per-minute window does not turn. */
async function withinOneMinute(seconds: number): Promise<void> {
  const left = 60 - ((Date.now() / 1000) % 60);
  if (left < seconds) await sleep(left * 1000 + 100);
}

async function createKey(body: Record<string, unknown>): Promise<Json> {
  const res = await admin.post('/api/v1/admin/keys', { name: 'e2e key', scopes: ['generate'], ...body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

function expectRateLimitHeaders(res: ApiResponse, limit: number): void {
  expect(res.headers.get('ratelimit-limit'), `${res.status} ${res.text}`).toBe(String(limit));
  expect(Number(res.headers.get('ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
  expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
  expect(Number(res.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60);
}

beforeAll(async () => {
  // Powertools writes INFO lines to stdout and WARN lines (auth refusals) to stderr.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (c: string | Uint8Array, ...r: unknown[]) => boolean;
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      lines.push(text);
      // The log lines of this file stay out of the test output; anything else passes.
      return text.includes('"level"') ? true : write(chunk, ...rest);
    });
  }
  stack = await startLocalStack({
    port: 0,
    logLevel: 'INFO',
    apiKey: GIVEN_API_KEY,
    adminKey: GIVEN_ADMIN_KEY,
    workers: 1,
  });
  admin = client(stack.adminKey);
  generate = client(stack.apiKey);
});

afterAll(async () => {
  await stack?.stop();
  vi.restoreAllMocks();
});

describe('the local stack keys', () => {
  it('keeps the keys it was given and lets each reach the routes of its scope', async () => {
    // Act
    const jobs = await generate.get('/api/v1/jobs');
    const keys = await admin.get('/api/v1/admin/keys?owner=local');
    // Assert
    expect([stack.apiKey, stack.adminKey]).toEqual([GIVEN_API_KEY, GIVEN_ADMIN_KEY]);
    expect(jobs.status, jobs.text).toBe(200);
    expect(keys.status, keys.text).toBe(200);
    expect(keys.json.keys.map((k: Json) => [k.key_id, k.scopes, k.created_by]).sort()).toEqual(
      [
        [keyIdOf(GIVEN_ADMIN_KEY), ['admin'], 'local-stack'],
        [keyIdOf(GIVEN_API_KEY), ['generate'], 'local-stack'],
      ].sort(),
    );
  });
});

describe('admin API', () => {
  it('creates a key shown once, lists and shows it without a secret, and the key works at once', async () => {
    // Act
    const res = await admin.post('/api/v1/admin/keys', {
      owner: 'team-create',
      name: 'exercise laptop',
      limits_preset: 'demo',
      limits: { requests_per_minute: 30 },
    });
    const issued = res.json;
    const used = await client(issued.api_key).get('/api/v1/jobs');
    const listed = await admin.get('/api/v1/admin/keys?owner=team-create');
    const shown = await admin.get(`/api/v1/admin/keys/${issued.key_id}?days=3`);
    // Assert
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/admin/keys/${issued.key_id}`);
    expect(issued.api_key).toMatch(API_KEY_PATTERN);
    expect(keyIdOf(issued.api_key)).toBe(issued.key_id);
    expect(issued).toMatchObject({
      owner: 'team-create',
      name: 'exercise laptop',
      scopes: ['generate'],
      status: 'active',
      created_by: keyIdOf(stack.adminKey),
      limits: { max_patients_per_job: 50, daily_job_quota: 5, requests_per_minute: 30 },
    });
    expect(used.status, used.text).toBe(200);
    expect(listed.json.keys).toEqual([expect.objectContaining({ key_id: issued.key_id, status: 'active' })]);
    expect(shown.json.usage).toHaveLength(3);
    expect(shown.json.usage[0]).toEqual({
      day: new Date().toISOString().slice(0, 10),
      requests: 1,
      jobs: 0,
      patients: 0,
    });
    const secret = issued.api_key.slice(-64);
    for (const answer of [listed, shown]) {
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toMatch(/secret_hash|api_key/);
    }
  });

  it('pages the list with a cursor and filters it by owner', async () => {
    // Prepare
    for (const name of ['a', 'b', 'c']) await createKey({ owner: 'team-pages', name });
    // Act
    const first = await admin.get('/api/v1/admin/keys?owner=team-pages&limit=2');
    const second = await admin.get(
      `/api/v1/admin/keys?owner=team-pages&limit=2&cursor=${encodeURIComponent(first.json.next_cursor)}`,
    );
    // Assert
    expect(first.json.keys.map((k: Json) => k.name)).toEqual(['c', 'b']);
    expect(second.json.keys.map((k: Json) => k.name)).toEqual(['a']);
    expect(second.json.next_cursor).toBeNull();
  });

  it('answers bad admin input with a 4xx envelope naming the field', async () => {
    // Act
    const badOwner = await admin.post('/api/v1/admin/keys', { owner: '../x', name: 'n' });
    const badScope = await admin.post('/api/v1/admin/keys', { owner: 'o', name: 'n', scopes: ['root'] });
    const past = await admin.post('/api/v1/admin/keys', {
      owner: 'o',
      name: 'n',
      expires_at: '2000-01-01T00:00:00Z',
    });
    const badLimit = await admin.post('/api/v1/admin/keys', {
      owner: 'o',
      name: 'n',
      limits: { requests_per_minute: 0 },
    });
    const badId = await admin.get('/api/v1/admin/keys/NOT-A-KEY-ID');
    const unknown = await admin.get('/api/v1/admin/keys/aaaaaaaaaaaaaaaa');
    const days = await admin.get('/api/v1/admin/keys/aaaaaaaaaaaaaaaa?days=32');
    // Assert
    expect(expectError(badOwner, 422, 'VALIDATION_ERROR').error.details.errors[0].path).toBe('owner');
    expect(expectError(badScope, 422, 'VALIDATION_ERROR').error.details.errors[0].path).toBe('scopes[0]');
    expect(expectError(past, 422, 'VALIDATION_ERROR').error.details.errors[0].path).toBe('expires_at');
    expect(expectError(badLimit, 422, 'VALIDATION_ERROR').error.details.errors[0].path).toMatch(
      /limits\.requests_per_minute/,
    );
    expect(expectError(badId, 422, 'VALIDATION_ERROR').error.details.errors[0].path).toBe('path.key_id');
    expectError(unknown, 404, 'NOT_FOUND');
    expect(expectError(days, 422, 'VALIDATION_ERROR').error.details.errors[0].path).toBe('query.days');
  });

  it('refuses every admin route to a generate key (403) and to no key (401)', async () => {
    // Prepare
    const calls: Array<[string, string, unknown?]> = [
      ['POST', '/api/v1/admin/keys', { owner: 'x', name: 'x' }],
      ['GET', '/api/v1/admin/keys'],
      ['GET', `/api/v1/admin/keys/${keyIdOf(stack.apiKey)}`],
      ['POST', `/api/v1/admin/keys/${keyIdOf(stack.apiKey)}/rotate`, {}],
      ['DELETE', `/api/v1/admin/keys/${keyIdOf(stack.apiKey)}`],
    ];
    for (const [method, path, body] of calls) {
      // Act
      const forbidden = await generate.call(method, path, { body });
      const anonymous = await generate.call(method, path, { body, key: null });
      // Assert
      const refusal = expectError(forbidden, 403, 'FORBIDDEN', 'admin');
      expect(refusal.error.details).toEqual({ required_scope: 'admin' });
      expectRateLimitHeaders(forbidden, 1_000_000);
      expectError(anonymous, 401, 'UNAUTHORIZED', 'Missing API Key');
    }
    // The generate key still works: nothing above rotated or revoked it.
    expect((await generate.get('/api/v1/jobs')).status).toBe(200);
  });

  it('refuses the generate routes to an admin-only key (403)', async () => {
    // Act
    const res = await admin.get('/api/v1/jobs');
    // Assert
    expect(expectError(res, 403, 'FORBIDDEN').error.details).toEqual({ required_scope: 'generate' });
  });
});

describe('rotation, revocation and expiry', () => {
  it('keeps the old secret working during the grace period, next to the new one', async () => {
    // Prepare
    const issued = await createKey({ owner: 'team-rotate' });
    // Act
    const rotated = await admin.post(`/api/v1/admin/keys/${issued.key_id}/rotate`, { grace_period_hours: 1 });
    const old = await client(issued.api_key).get('/api/v1/jobs');
    const fresh = await client(rotated.json.api_key).get('/api/v1/jobs');
    // Assert
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.key_id).toBe(issued.key_id);
    expect(rotated.json.api_key).not.toBe(issued.api_key);
    expect(Date.parse(rotated.json.previous_secret_valid_until) - Date.now()).toBeGreaterThan(3_500_000);
    expect([old.status, fresh.status]).toEqual([200, 200]);
  });

  it('stops the old secret at once with a grace of 0, and after a short grace ends', async () => {
    // Prepare
    const immediate = await createKey({ owner: 'team-rotate' });
    const graced = await createKey({ owner: 'team-rotate' });
    // Act
    const now = await admin.post(`/api/v1/admin/keys/${immediate.key_id}/rotate`, { grace_period_hours: 0 });
    const soon = await admin.post(`/api/v1/admin/keys/${graced.key_id}/rotate`, {
      grace_period_hours: 1.5 / 3600,
    });
    const immediateOld = await client(immediate.api_key).get('/api/v1/jobs');
    const gracedOldDuring = await client(graced.api_key).get('/api/v1/jobs');
    await sleep(2_000);
    const gracedOldAfter = await client(graced.api_key).get('/api/v1/jobs');
    const gracedNew = await client(soon.json.api_key).get('/api/v1/jobs');
    // Assert
    expect(now.status, now.text).toBe(200);
    expectError(immediateOld, 401, 'UNAUTHORIZED', 'Invalid API Key');
    expect((await client(now.json.api_key).get('/api/v1/jobs')).status).toBe(200);
    expect(gracedOldDuring.status).toBe(200);
    expectError(gracedOldAfter, 401, 'UNAUTHORIZED');
    expect(gracedNew.status).toBe(200);
  });

  it('rotates with no body at all (the default grace of 24 hours)', async () => {
    // Prepare
    const issued = await createKey({ owner: 'team-rotate' });
    // Act
    const rotated = await admin.call('POST', `/api/v1/admin/keys/${issued.key_id}/rotate`);
    // Assert
    expect(rotated.status, rotated.text).toBe(200);
    const grace = Date.parse(rotated.json.previous_secret_valid_until) - Date.now();
    expect(grace).toBeGreaterThan(23.9 * 3600_000);
    expect(grace).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('answers 401 at once for a revoked key; a second revoke answers it unchanged, a rotation 409', async () => {
    // Prepare
    const issued = await createKey({ owner: 'team-revoke' });
    const key = client(issued.api_key);
    expect((await key.get('/api/v1/jobs')).status).toBe(200);
    // Act
    const revoked = await admin.delete(`/api/v1/admin/keys/${issued.key_id}`);
    const after = await key.get('/api/v1/jobs');
    const again = await admin.delete(`/api/v1/admin/keys/${issued.key_id}`);
    const rotate = await admin.post(`/api/v1/admin/keys/${issued.key_id}/rotate`, {});
    // Assert
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ key_id: issued.key_id, status: 'revoked' });
    expectError(after, 401, 'UNAUTHORIZED', 'Invalid API Key');
    expect(again.status).toBe(200);
    expect(again.json.revoked_at).toBe(revoked.json.revoked_at);
    expectError(rotate, 409, 'CONFLICT');
  });

  it('answers 401 for a key past its expires_at', async () => {
    // Prepare
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const issued = await createKey({ owner: 'team-expiry', expires_at: expiresAt });
    const key = client(issued.api_key);
    // Act
    const before = await key.get('/api/v1/jobs');
    await sleep(Date.parse(expiresAt) - Date.now() + 300);
    const after = await key.get('/api/v1/jobs');
    const shown = await admin.get(`/api/v1/admin/keys/${issued.key_id}`);
    // Assert
    expect(before.status).toBe(200);
    expectError(after, 401, 'UNAUTHORIZED');
    expect(shown.json.status).toBe('expired');
  });
});

describe('owners', () => {
  it("keeps owner B out of owner A's jobs and configurations (404), and shares them between A's keys", async () => {
    // Prepare
    const a1 = client((await createKey({ owner: 'owner-a' })).api_key);
    const a2 = client((await createKey({ owner: 'owner-a' })).api_key);
    const b = client((await createKey({ owner: 'owner-b' })).api_key);
    const job = await a1.post('/api/v1/generation', {
      configuration: { count: 3 },
      output_formats: ['json'],
    });
    expect(job.status, job.text).toBe(201);
    const jobId = job.json.job_id;
    await a1.waitForJob(jobId);
    const config = await a1.post('/api/v1/configurations', smallScenario({ total_patients: 5 }));
    expect(config.status, config.text).toBe(201);
    const configId = config.json.id;
    // Act
    const seenByB = [
      await b.get(`/api/v1/jobs/${jobId}`),
      await b.get(`/api/v1/jobs/${jobId}/results`),
      await b.get(`/api/v1/downloads/${jobId}`),
      await b.post(`/api/v1/jobs/${jobId}/cancel`),
      await b.delete(`/api/v1/jobs/${jobId}`),
      await b.get(`/api/v1/configurations/${configId}`),
      await b.put(`/api/v1/configurations/${configId}`, smallScenario()),
      await b.delete(`/api/v1/configurations/${configId}`),
    ];
    const listedByB = await b.get('/api/v1/jobs');
    const seenByA2 = [
      await a2.get(`/api/v1/jobs/${jobId}`),
      await a2.get(`/api/v1/configurations/${configId}`),
    ];
    // Assert
    for (const res of seenByB) expectError(res, 404, 'NOT_FOUND');
    expect(listedByB.json.jobs).toEqual([]);
    expect(seenByA2.map((r) => r.status)).toEqual([200, 200]);
    expect((await a1.get(`/api/v1/downloads/${jobId}`)).status).toBe(302);
  });
});

describe('requests per minute', () => {
  it('answers the 6th request of a 5-per-minute key with 429 and Retry-After, RateLimit headers on each', async () => {
    // Prepare
    const key = client((await createKey({ owner: 'team-rpm', limits: { requests_per_minute: 5 } })).api_key);
    await withinOneMinute(8);
    // Act
    const answers: ApiResponse[] = [];
    for (let i = 0; i < 5; i++) answers.push(await key.get('/api/v1/jobs'));
    answers.push(await key.get('/api/v1/jobs/no-such-job'));
    // Assert
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);
    for (const answer of answers) expectRateLimitHeaders(answer, 5);
    const refused = expectError(answers[5], 429, 'RATE_LIMITED', '5 requests per minute');
    expect(refused.error.details).toMatchObject({ limit: 'requests_per_minute', value: 5 });
    const retryAfter = Number(answers[5].headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(answers[5].headers.get('access-control-expose-headers')).toMatch(/RateLimit-Remaining/);
  });

  it('carries the RateLimit headers on authenticated errors too (404, 422)', async () => {
    // Act
    const missing = await generate.get('/api/v1/jobs/00000000-0000-4000-8000-000000000000');
    const invalid = await generate.get('/api/v1/jobs?limit=0');
    // Assert
    expectError(missing, 404, 'NOT_FOUND');
    expectError(invalid, 422, 'VALIDATION_ERROR');
    for (const res of [missing, invalid]) expectRateLimitHeaders(res, 1_000_000);
  });

  it('lets exactly 20 of 100 concurrent requests through a 20-per-minute key', async () => {
    // Prepare
    const key = client(
      (await createKey({ owner: 'team-burst', limits: { requests_per_minute: 20 } })).api_key,
    );
    await withinOneMinute(12);
    // Act
    const answers = await Promise.all(Array.from({ length: 100 }, () => key.get('/api/v1/presets')));
    // Assert
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(80);
    for (const answer of answers) expectRateLimitHeaders(answer, 20);
  });
});

describe('audit lines', () => {
  it('name the key, its owner, the admin key and the source IP of each change and refusal, never a secret', async () => {
    // Prepare
    const adminId = keyIdOf(stack.adminKey);
    const issued = await createKey({ owner: 'team-audit' });
    const rotated = (
      await admin.post(`/api/v1/admin/keys/${issued.key_id}/rotate`, { grace_period_hours: 0 })
    ).json;
    await admin.delete(`/api/v1/admin/keys/${issued.key_id}`);
    // Act
    await client(rotated.api_key).get('/api/v1/jobs');
    await client(`mmpg_local_${'z'.repeat(16)}_${'0'.repeat(64)}`).get('/api/v1/jobs');
    // Assert
    const mine = (action: string) => auditLines(action).filter((l) => l.key_id === issued.key_id);
    const base = { key_id: issued.key_id, owner: 'team-audit', by: adminId, source_ip: '127.0.0.1' };
    expect(mine('key.created')).toEqual([expect.objectContaining({ ...base, outcome: 'success' })]);
    expect(mine('key.rotated')).toEqual([expect.objectContaining(base)]);
    expect(mine('key.revoked')).toEqual([expect.objectContaining(base)]);
    expect(mine('auth.refused')).toEqual([
      expect.objectContaining({ reason: 'revoked', outcome: 'refused', source_ip: '127.0.0.1' }),
    ]);
    expect(auditLines('auth.refused').filter((l) => l.key_id === 'z'.repeat(16))).toEqual([
      expect.objectContaining({ reason: 'unknown-key' }),
    ]);
    const printed = lines.join('');
    for (const key of [issued.api_key, rotated.api_key, stack.apiKey, stack.adminKey]) {
      expect(printed).not.toContain(key.slice(-64));
    }
  });
});
