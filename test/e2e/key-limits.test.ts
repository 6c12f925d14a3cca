/**
 * A key's limits on jobs through the local stack (issue #8 §3, §5): keys with small limits made through
 * the admin API hit each one: 403 over the patients per job, 429 at the jobs queued or running, the
 * daily patients and the daily jobs, the demo preset (50 patients a job, 5 jobs a day); a running slot
 * comes back when a job is cancelled or the worker completes it; the admin API shows the day's use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { ApiClient, type ApiResponse, expectError, type Json } from './client.js';

let stack: LocalStack;
let admin: ApiClient;
let ownerCount = 0;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', workers: 1 });
  admin = new ApiClient(stack.url, stack.adminKey);
});

afterAll(async () => {
  await stack?.stop();
});

/** A new owner per test: its keys share its jobs, and no other test's. */
function newOwner(): string {
  ownerCount += 1;
  return `limits-${Date.now().toString(36)}-${ownerCount}`;
}

/** A generate key made through the admin API; `api_key` is its value. */
async function createKey(owner: string, body: Record<string, unknown>): Promise<Json> {
  const res = await admin.post('/api/v1/admin/keys', {
    owner,
    name: 'limits e2e',
    scopes: ['generate'],
    ...body,
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** A client of `owner` with roomy limits, to watch jobs without spending the tested key's requests. */
async function watcher(owner: string): Promise<ApiClient> {
  const key = await createKey(owner, { limits: { requests_per_minute: 100_000 } });
  return new ApiClient(stack.url, key.api_key);
}

function submit(client: ApiClient, patients: number): Promise<ApiResponse> {
  return client.post('/api/v1/generation', {
    configuration: { name: 'Key limits', count: patients, days_of_fighting: 2 },
    output_formats: ['json'],
  });
}

async function usageToday(keyId: string): Promise<Json> {
  const res = await admin.get(`/api/v1/admin/keys/${keyId}?days=1`);
  expect(res.status, res.text).toBe(200);
  expect(res.json.usage).toHaveLength(1);
  expect(res.json.usage[0].day).toBe(new Date().toISOString().slice(0, 10));
  return res.json.usage[0];
}

/** Seconds to the next UTC midnight, as a daily quota's Retry-After counts them. */
function secondsToMidnight(): number {
  const now = new Date();
  return (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
}

function expectDailyRetryAfter(res: ApiResponse): void {
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(res.json.error.details.retry_after_seconds).toBe(retryAfter);
  expect(Math.abs(retryAfter - secondsToMidnight())).toBeLessThan(5);
}

describe('limits on jobs through the local stack', () => {
  it('answers 403 FORBIDDEN with the limit in details over max_patients_per_job, counting only the job that fits', async () => {
    // Prepare
    const key = await createKey(newOwner(), { limits: { max_patients_per_job: 20 } });
    const client = new ApiClient(stack.url, key.api_key);
    // Act
    const over = await submit(client, 21);
    const fits = await submit(client, 20);
    // Assert
    const body = expectError(over, 403, 'FORBIDDEN', 'max_patients_per_job');
    expect(body.error.details).toEqual({ limit: 'max_patients_per_job', value: 20, requested: 21 });
    expect(fits.status, fits.text).toBe(201);
    expect(await usageToday(key.key_id)).toEqual({
      day: expect.any(String),
      requests: 2,
      jobs: 1,
      patients: 20,
    });
  });

  it('answers 429 at max_concurrent_jobs with Retry-After, and takes a job again once one is cancelled or completes', async () => {
    // Prepare
    const owner = newOwner();
    const key = await createKey(owner, { limits: { max_concurrent_jobs: 1 } });
    const client = new ApiClient(stack.url, key.api_key);
    const watch = await watcher(owner);
    const long = await submit(client, 10_000);
    expect(long.status, long.text).toBe(201);
    // Act
    const refused = await submit(client, 5);
    const cancel = await client.post(`/api/v1/jobs/${long.json.job_id}/cancel`);
    const afterCancel = await submit(client, 5);
    const done = await watch.waitForJob(afterCancel.json.job_id);
    const afterCompletion = await submit(client, 5);
    // Assert
    const body = expectError(refused, 429, 'RATE_LIMITED', 'max_concurrent_jobs');
    expect(body.error.details).toEqual({
      limit: 'max_concurrent_jobs',
      value: 1,
      used: 1,
      retry_after_seconds: 30,
    });
    expect(refused.headers.get('retry-after')).toBe('30');
    // The big job may have ended on its own first (409): the worker gave the slot back then.
    expect([200, 409], cancel.text).toContain(cancel.status);
    expect(afterCancel.status, afterCancel.text).toBe(201);
    expect(done.status).toBe('completed');
    expect(afterCompletion.status, afterCompletion.text).toBe(201);
  });

  it('answers 429 when a job would pass daily_patient_quota, naming what was used today', async () => {
    // Prepare
    const key = await createKey(newOwner(), {
      limits: { daily_patient_quota: 30, max_concurrent_jobs: 10 },
    });
    const client = new ApiClient(stack.url, key.api_key);
    const first = await submit(client, 20);
    // Act
    const over = await submit(client, 11);
    const rest = await submit(client, 10);
    const none = await submit(client, 1);
    // Assert
    expect(first.status, first.text).toBe(201);
    const body = expectError(over, 429, 'RATE_LIMITED', 'daily_patient_quota');
    expect(body.error.details).toMatchObject({ limit: 'daily_patient_quota', value: 30, used: 20 });
    expectDailyRetryAfter(over);
    expect(rest.status, rest.text).toBe(201);
    expect(none.json.error.details).toMatchObject({ limit: 'daily_patient_quota', used: 30 });
    expect(await usageToday(key.key_id)).toMatchObject({ requests: 4, jobs: 2, patients: 30 });
  });

  it('answers 429 after daily_job_quota jobs in the UTC day', async () => {
    // Prepare
    const key = await createKey(newOwner(), { limits: { daily_job_quota: 2, max_concurrent_jobs: 10 } });
    const client = new ApiClient(stack.url, key.api_key);
    const accepted = [await submit(client, 3), await submit(client, 3)];
    // Act
    const third = await submit(client, 3);
    // Assert
    expect(accepted.map((r) => r.status)).toEqual([201, 201]);
    const body = expectError(third, 429, 'RATE_LIMITED', 'daily_job_quota');
    expect(body.error.details).toMatchObject({ limit: 'daily_job_quota', value: 2, used: 2 });
    expectDailyRetryAfter(third);
    expect(await usageToday(key.key_id)).toMatchObject({ requests: 3, jobs: 2, patients: 6 });
  });

  it('holds a demo key to 50 patients a job and 5 jobs a day', async () => {
    // Prepare
    const owner = newOwner();
    const key = await createKey(owner, { limits_preset: 'demo' });
    const client = new ApiClient(stack.url, key.api_key);
    const watch = await watcher(owner);
    // Act
    const tooBig = await submit(client, 51);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // A demo key runs one job at a time: each is waited for (with the owner's other key).
      const job = await submit(client, 50);
      statuses.push(job.status);
      if (job.status === 201) await watch.waitForJob(job.json.job_id);
    }
    const sixth = await submit(client, 10);
    // Assert
    expect(key.limits).toMatchObject({ max_patients_per_job: 50, daily_job_quota: 5 });
    expect(expectError(tooBig, 403, 'FORBIDDEN').error.details).toMatchObject({
      limit: 'max_patients_per_job',
      value: 50,
    });
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expect(expectError(sixth, 429, 'RATE_LIMITED').error.details).toMatchObject({
      limit: 'daily_job_quota',
      value: 5,
      used: 5,
    });
    expect(await usageToday(key.key_id)).toMatchObject({ requests: 7, jobs: 5, patients: 250 });
  });
});
