/**
 * GET /api/v1/jobs/{id}/results with filters, through the local gateway and the real generator: q,
 * triage, status, nationality and front select the same patients as filtering the whole file does,
 * total and total_pages count the matches, and bad values answer 422 VALIDATION_ERROR (the API's status for a
 * query that reads but breaks a rule) naming the parameter and the rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import type { PatientRecord } from '../../lib/generation/index.js';
import { ApiClient, expectError, type Json, smallScenario } from './client.js';

let stack: LocalStack;
let api: ApiClient;
/** Job id per storage variant: NDJSON plain, JSON gzipped. */
const jobs: Record<'ndjson' | 'gzip', string> = { ndjson: '', gzip: '' };
let all: PatientRecord[] = [];

const scenario = smallScenario({
  total_patients: 160,
  front_configs: [
    {
      id: 'north',
      name: 'Northern Front',
      casualty_rate: 0.6,
      nationality_distribution: [
        { nationality_code: 'NOR', percentage: 60 },
        { nationality_code: 'DEU', percentage: 40 },
      ],
    },
    {
      id: 'east',
      name: 'Eastern Front',
      casualty_rate: 0.4,
      nationality_distribution: [
        { nationality_code: 'POL', percentage: 70 },
        { nationality_code: 'CZE', percentage: 30 },
      ],
    },
  ],
});

async function generateJob(options: Record<string, unknown>): Promise<string> {
  const job = await api.post('/api/v1/generation', { configuration: scenario, seed: 99, ...options });
  expect(job.status, job.text).toBe(201);
  const done = await api.waitForJob(job.json.job_id);
  expect(done.status).toBe('completed');
  return job.json.job_id;
}

async function results(jobId: string, query: string): Promise<Json> {
  const res = await api.get(`/api/v1/jobs/${jobId}/results?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', workers: 1 });
  api = new ApiClient(stack.url, stack.apiKey);
  [jobs.ndjson, jobs.gzip] = await Promise.all([
    generateJob({ output_formats: ['ndjson', 'csv'] }),
    generateJob({ output_formats: ['json'], use_compression: true }),
  ]);
  all = (await results(jobs.ndjson, 'per_page=500')).patients;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('results filters', () => {
  it('without filters pages through every patient, total = the job size', async () => {
    // Act
    const page = await results(jobs.ndjson, 'page=2&per_page=50');
    // Assert
    expect(all).toHaveLength(160);
    expect(page).toMatchObject({ total: 160, page: 2, per_page: 50, total_pages: 4 });
    expect(page.patients.map((p: PatientRecord) => p.id)).toEqual(all.slice(50, 100).map((p) => p.id));
  });

  it.each(['ndjson', 'gzip'] as const)(
    'triage and status lists select exactly the matching patients, counted in total (%s file)',
    async (variant) => {
      // Prepare
      const expected = all.filter(
        (p) => ['T1', 'T2'].includes(p.triage_category) && ['KIA', 'DOW', 'RTD'].includes(p.status),
      );
      // Act
      const page = await results(jobs[variant], 'triage=t1,T2&status=KIA,dow,RTD&per_page=10&page=2');
      // Assert
      expect(expected.length).toBeGreaterThan(10);
      expect(page.total).toBe(expected.length);
      expect(page.total_pages).toBe(Math.ceil(expected.length / 10));
      expect(page.patients.map((p: PatientRecord) => p.id)).toEqual(expected.slice(10, 20).map((p) => p.id));
    },
  );

  it('nationality and front (by name or id) combine with AND', async () => {
    // Prepare
    const expected = all.filter((p) => p.front === 'Eastern Front' && p.nationality === 'POL');
    // Act
    const byName = await results(
      jobs.ndjson,
      `front=${encodeURIComponent('Eastern Front')}&nationality=pol&per_page=500`,
    );
    const byId = await results(jobs.gzip, 'front=east&nationality=POL&per_page=500');
    // Assert
    expect(expected.length).toBeGreaterThan(0);
    expect(byName.total).toBe(expected.length);
    expect(byName.patients.map((p: PatientRecord) => p.id)).toEqual(expected.map((p) => p.id));
    expect(byId.patients.map((p: PatientRecord) => p.id)).toEqual(expected.map((p) => p.id));
  });

  it('q finds a patient by id, uuid start, family name or service number, case-insensitively', async () => {
    // Prepare
    const target = all[37];
    // Act
    const byId = await results(jobs.ndjson, 'q=37');
    const byUuid = await results(jobs.ndjson, `q=${target.uuid.slice(0, 13).toUpperCase()}`);
    const byName = await results(
      jobs.gzip,
      `q=${encodeURIComponent(`${target.demographics.given_name.toLowerCase()} ${target.demographics.family_name.toUpperCase()}`)}`,
    );
    const byService = await results(jobs.ndjson, `q=${target.demographics.service_number}`);
    const none = await results(jobs.ndjson, 'q=zzzz-no-such-person');
    // Assert
    expect(byId.patients.map((p: PatientRecord) => p.id)).toContain(37);
    expect(byUuid.patients.map((p: PatientRecord) => p.id)).toEqual([37]);
    expect(byName.patients.map((p: PatientRecord) => p.id)).toContain(37);
    expect(byService.patients.map((p: PatientRecord) => p.id)).toEqual([37]);
    expect(none).toMatchObject({ total: 0, total_pages: 0, patients: [] });
  });

  it('a page past the last match is empty and still reports the total', async () => {
    // Act
    const page = await results(jobs.ndjson, 'triage=T1&page=999&per_page=500');
    // Assert
    expect(page.total).toBe(all.filter((p) => p.triage_category === 'T1').length);
    expect(page.patients).toEqual([]);
  });

  it('refuses a parameter it does not know with 422 naming it and the valid ones, instead of every patient (fix 0185)', async () => {
    // Act
    const res = await api.get(`/api/v1/jobs/${jobs.ndjson}/results?triage_category=T1&page=1`);
    // Assert
    const body = expectError(res, 422, 'VALIDATION_ERROR');
    expect(body.error.details.errors).toEqual([
      expect.objectContaining({
        message:
          'unknown query parameter "triage_category"; valid names: page, per_page, q, triage, status, nationality, front',
      }),
    ]);
  });

  it('takes a list filter repeated as its values comma-separated, as clients that repeat a list parameter send it', async () => {
    // Act
    const repeated = await results(jobs.ndjson, 'triage=T1&triage=T2&status=KIA&status=DOW&status=RTD');
    const joined = await results(jobs.ndjson, 'triage=T1,T2&status=KIA,DOW,RTD');

    // Assert: both triages and the three outcomes, not the last value of each
    const expected = all.filter(
      (p) => ['T1', 'T2'].includes(p.triage_category) && ['KIA', 'DOW', 'RTD'].includes(p.status),
    );
    expect(repeated.total).toBe(expected.length);
    const lastValuesOnly = all.filter((p) => p.triage_category === 'T2' && p.status === 'RTD').length;
    expect(repeated.total).toBeGreaterThan(lastValuesOnly);
    expect(repeated).toEqual(joined);
  });

  it('refuses any other parameter given twice with different values, naming it, instead of the last winning', async () => {
    // Act
    const twice = await api.get(`/api/v1/jobs/${jobs.ndjson}/results?per_page=10&q=a&per_page=500&q=b`);
    const same = await results(jobs.ndjson, 'per_page=7&per_page=7');
    const download = await api.get(
      `/api/v1/downloads/${jobs.ndjson}?format=csv&format=ndjson&redirect=false`,
    );

    // Assert
    const body = expectError(twice, 422, 'VALIDATION_ERROR');
    expect(body.error.details.errors).toEqual([
      { path: 'query.per_page', message: 'per_page is given 2 times; give it once' },
      { path: 'query.q', message: 'q is given 2 times; give it once' },
    ]);
    expect(same.patients).toHaveLength(7);
    expectError(download, 422, 'VALIDATION_ERROR', 'query.format: format is given 2 times; give it once');
  });

  it.each([
    ['triage=T4', 'triage', 'triage must be one or more of T1, T2, T3, comma-separated'],
    ['status=DEAD', 'status', 'status must be one or more of KIA, DOW, RTD, Remains_Role4, comma-separated'],
    ['status=,', 'status', 'status must be one or more of KIA, DOW, RTD, Remains_Role4, comma-separated'],
    ['nationality=XYZ', 'nationality', 'nationality must be one or more of ISO 3166 alpha-3 codes'],
    [`q=${'a'.repeat(101)}`, 'q', 'q must be at most 100 characters'],
    [`front=${'f'.repeat(101)}`, 'front', 'front must be at most 100 characters'],
    ['per_page=501', 'per_page', 'per_page must be at most 500'],
  ])('%s → 422 naming the parameter and the rule, not echoing the value', async (query, field, message) => {
    // Act
    const res = await api.get(`/api/v1/jobs/${jobs.ndjson}/results?${query}`);
    // Assert
    const body = expectError(res, 422, 'VALIDATION_ERROR');
    expect(body.error.details.errors).toEqual([
      expect.objectContaining({ path: `query.${field}`, message: expect.stringContaining(message) }),
    ]);
    expect(res.text).not.toContain('DEAD');
    expect(res.text).not.toContain('XYZ');
  });
});

describe('results pages over time', () => {
  it('keeps answering after 80 pages of the gzipped job: each page lets go of its connection to S3 (fix 0219)', async () => {
    // Prepare: more early-ending reads of a compressed file than the S3 client has sockets (50).
    const statuses: number[] = [];

    // Act
    for (let i = 0; i < 80; i++) {
      const res = await api.get(`/api/v1/jobs/${jobs.gzip}/results?page=${1 + (i % 3)}&per_page=5`);
      statuses.push(res.status);
      if (res.status !== 200) break;
    }
    const last = await results(jobs.gzip, 'page=2&per_page=5');

    // Assert
    expect(statuses).toEqual(Array(80).fill(200));
    expect(last.patients.map((p: { id: number }) => p.id)).toEqual([5, 6, 7, 8, 9]);
  }, 90_000);
});
