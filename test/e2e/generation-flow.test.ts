/**
 * The generation flow through the local API Gateway, the handlers and the queue worker (the same code
 * `npm start` runs): configuration → job → progress → download; inline configurations; seeded
 * reproducibility; cancellation that really stops the work; Idempotency-Key.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import { PatientRecordSchema } from '../../lib/generation/index.js';
import { createDecryptStream } from '../../lib/output/index.js';
import { readAll, unzip } from '../support/zip.js';
import { ApiClient, expectError, smallScenario } from './client.js';

let stack: LocalStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, logLevel: 'ERROR', maxPatientsPerJob: 200_000 });
  api = new ApiClient(stack.url, stack.apiKey);
});

afterAll(async () => {
  await stack?.stop();
});

function parsePatients(bytes: Buffer): unknown[] {
  const patients = JSON.parse(bytes.toString('utf8')) as unknown[];
  expect(Array.isArray(patients)).toBe(true);
  return patients;
}

describe('generation flow', () => {
  it('configuration → job → completed → download: exactly N valid patients', async () => {
    const config = await api.post('/api/v1/configurations', smallScenario({ total_patients: 40 }));
    expect(config.status, config.text).toBe(201);
    expect(config.json).toMatchObject({ id: expect.any(String), version: 1, name: 'E2E exercise' });

    const job = await api.post('/api/v1/generation/', {
      configuration_id: config.json.id,
      output_formats: ['json', 'csv', 'ndjson'],
    });
    expect(job.status, job.text).toBe(201);
    expect(job.json).toMatchObject({
      job_id: expect.any(String),
      status: expect.stringMatching(/^(pending|queued|running)$/),
      message: `Patient generation job '${job.json.job_id}' created successfully`,
      estimated_duration: expect.any(Number),
    });
    expect(job.headers.get('location')).toBe(`/api/v1/jobs/${job.json.job_id}`);

    const done = await api.waitForJob(job.json.job_id);
    expect(done.status).toBe('completed');
    expect(done).toMatchObject({
      progress: 100,
      config: { configuration_id: config.json.id, configuration_version: 1, total_patients: 40 },
      progress_details: { patients_generated: 40, total_patients: 40 },
    });
    expect(JSON.stringify(done)).not.toContain('encryption_password');

    // Default download: the ZIP of every file.
    const zip = await api.download(job.json.job_id);
    expect(zip.location).toMatch(/X-Amz-Expires=300/);
    expect(zip.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const entries = await unzip(zip.bytes);
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining(['patients.json', 'patients.csv', 'patients.ndjson']),
    );

    // One format: exactly N valid patients.
    const file = await api.download(job.json.job_id, 'json');
    const patients = parsePatients(file.bytes);
    expect(patients).toHaveLength(40);
    for (const p of patients) PatientRecordSchema.parse(p);
    expect(entries.get('patients.json')?.equals(file.bytes)).toBe(true);

    // redirect=false: the same link as JSON, for the web console.
    const link = await api.get(`/api/v1/downloads/${job.json.job_id}?format=json&redirect=false`);
    expect(link.status, link.text).toBe(200);
    expect(link.json).toMatchObject({ format: 'json', file_name: 'patients.json', expires_in: 300 });
    expect(Buffer.from(await (await fetch(link.json.url)).arrayBuffer()).equals(file.bytes)).toBe(true);
    expectError(await api.get(`/api/v1/downloads/${job.json.job_id}?redirect=no`), 422, 'VALIDATION_ERROR');

    const csv = await api.download(job.json.job_id, 'csv');
    expect(csv.bytes.toString('utf8').trim().split('\n')).toHaveLength(41);

    const page = await api.get(`/api/v1/jobs/${job.json.job_id}/results?page=2&per_page=15`);
    expect(page.status, page.text).toBe(200);
    expect(page.json).toMatchObject({
      job_id: job.json.job_id,
      total: 40,
      page: 2,
      per_page: 15,
      total_pages: 3,
    });
    expect(page.json.patients).toHaveLength(15);
    expect(page.json.patients[0]).toEqual(patients[15]);

    const listed = await api.get('/api/v1/jobs?limit=100');
    expect(listed.status).toBe(200);
    expect(listed.json.jobs.map((j: { job_id: string }) => j.job_id)).toContain(job.json.job_id);
  });

  it('an inline configuration (the original client shape) completes with the requested count', async () => {
    const job = await api.post('/api/v1/generation', { configuration: { count: 5 } });
    expect(job.status, job.text).toBe(201);
    const done = await api.waitForJob(job.json.job_id);
    expect(done.status).toBe('completed');
    const patients = parsePatients((await api.download(job.json.job_id, 'json')).bytes);
    expect(patients).toHaveLength(5);

    const override = await api.post('/api/v1/generation', {
      configuration: smallScenario({ total_patients: 100 }),
      total_patients: 7,
    });
    expect(override.status, override.text).toBe(201);
    await api.waitForJob(override.json.job_id);
    expect(parsePatients((await api.download(override.json.job_id, 'json')).bytes)).toHaveLength(7);
  });

  it('a preset id works as configuration_id', async () => {
    const job = await api.post('/api/v1/generation', {
      configuration_id: 'training_exercise',
      total_patients: 12,
    });
    expect(job.status, job.text).toBe(201);
    expect((await api.waitForJob(job.json.job_id)).status).toBe('completed');
  });

  it('compressed and encrypted output decrypts to exactly N patients; the password is never echoed', async () => {
    const password = 'correct horse battery';
    const job = await api.post('/api/v1/generation', {
      configuration: smallScenario({ total_patients: 12 }),
      output_formats: ['json'],
      use_compression: true,
      use_encryption: true,
      encryption_password: password,
    });
    expect(job.status, job.text).toBe(201);
    const done = await api.waitForJob(job.json.job_id);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(JSON.stringify(done)).not.toContain(password);
    expect(done.output_files.map((f: { file_name: string }) => f.file_name)).toContain(
      'patients.json.gz.enc',
    );
    const file = await api.download(job.json.job_id, 'json');
    const plain = await readAll(
      Readable.from([file.bytes]).pipe(createDecryptStream(password)).pipe(createGunzip()),
    );
    const patients = parsePatients(plain);
    expect(patients).toHaveLength(12);
    for (const p of patients) PatientRecordSchema.parse(p);
    expectError(await api.get(`/api/v1/jobs/${job.json.job_id}/results`), 409, 'CONFLICT', 'encrypted');
  });

  it('a job that wrote neither JSON nor NDJSON answers its results with a 409 naming its formats and how to read them', async () => {
    // Prepare: a completed CSV + XML job.
    const job = await api.post('/api/v1/generation', {
      configuration: smallScenario({ total_patients: 6 }),
      output_formats: ['csv', 'xml'],
    });
    expect(job.status, job.text).toBe(201);
    const done = await api.waitForJob(job.json.job_id);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');

    // Act
    const results = await api.get(`/api/v1/jobs/${job.json.job_id}/results`);

    // Assert: a conflict of what the job wrote, not a missing job; the scenario route is the way on.
    const body = expectError(
      results,
      409,
      'CONFLICT',
      'wrote no JSON or NDJSON file (its formats: csv, xml)',
    );
    expect(body.error.details).toEqual({ output_formats: ['csv', 'xml'] });
    expect(body.error.message).toContain(`/api/v1/jobs/${job.json.job_id}/scenario`);
  });

  it('the same seed gives the same bytes', async () => {
    const request = {
      configuration: smallScenario({ total_patients: 30 }),
      seed: 4242,
      output_formats: ['json', 'csv'],
    };
    const a = await api.post('/api/v1/generation', request);
    const b = await api.post('/api/v1/generation', request);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json.job_id).not.toBe(b.json.job_id);
    expect(a.json.seed).toBe(4242);
    await api.waitForJob(a.json.job_id);
    await api.waitForJob(b.json.job_id);
    for (const format of ['json', 'csv']) {
      const fa = await api.download(a.json.job_id, format);
      const fb = await api.download(b.json.job_id, format);
      expect(fa.bytes.length).toBeGreaterThan(0);
      expect(fa.bytes.equals(fb.bytes)).toBe(true);
    }
    const other = await api.post('/api/v1/generation', { ...request, seed: 4243 });
    await api.waitForJob(other.json.job_id);
    const fo = await api.download(other.json.job_id, 'json');
    expect(fo.bytes.equals((await api.download(a.json.job_id, 'json')).bytes)).toBe(false);
  });

  it("a job's scenario outlives its deleted configuration; sent back inline, or to the CLI as a file, it gives the same bytes", async () => {
    // Prepare: a job of version 2 of a stored configuration, with its own patient count; then the configuration is deleted.
    const saved = await api.post('/api/v1/configurations', smallScenario({ total_patients: 25 }));
    expect(saved.status, saved.text).toBe(201);
    const configId = saved.json.id as string;
    const v2 = await api.put(`/api/v1/configurations/${configId}`, {
      ...smallScenario({ total_patients: 25 }),
      name: 'E2E exercise, version 2',
    });
    expect(v2.status, v2.text).toBe(200);
    const formats = ['json', 'csv'];
    const first = await api.post('/api/v1/generation', {
      configuration_id: configId,
      total_patients: 30,
      seed: 'replay-7',
      output_formats: formats,
    });
    expect(first.status, first.text).toBe(201);
    expect((await api.waitForJob(first.json.job_id)).status).toBe('completed');
    expect((await api.delete(`/api/v1/configurations/${configId}`)).status).toBe(204);
    expectError(await api.get(`/api/v1/configurations/${configId}/versions/2`), 404, 'NOT_FOUND');

    // Act: the job's own scenario, sent back inline with its seed.
    const ran = await api.get(`/api/v1/jobs/${first.json.job_id}/scenario`);
    expect(ran.status, ran.text).toBe(200);
    const again = await api.post('/api/v1/generation', {
      configuration: ran.json.scenario,
      seed: ran.json.seed,
      output_formats: formats,
    });
    expect(again.status, again.text).toBe(201);
    const done = await api.waitForJob(again.json.job_id);
    const dir = mkdtempSync(join(tmpdir(), 'milmed-scenario-'));
    // The answer saved as it came (curl … > job.json), as the README shows.
    writeFileSync(join(dir, 'job.json'), ran.text);
    const cli = spawnSync(
      process.execPath,
      [
        'bin/milmed.js',
        'generate',
        '--scenario',
        join(dir, 'job.json'),
        '--format',
        'json,csv',
        '--out',
        dir,
      ],
      { encoding: 'utf8' },
    );

    // Assert: the version that ran, the request's patient count and seed; the same patients, byte for byte.
    expect(ran.json).toMatchObject({
      job_id: first.json.job_id,
      seed: 'replay-7',
      configuration_id: configId,
      configuration_version: 2,
      scenario: { name: 'E2E exercise, version 2', total_patients: 30 },
    });
    expect(done).toMatchObject({
      status: 'completed',
      config: { configuration_id: null, total_patients: 30 },
    });
    expect(cli.status, cli.stderr).toBe(0);
    for (const format of formats) {
      const a = await api.download(first.json.job_id, format);
      const b = await api.download(again.json.job_id, format);
      expect(a.bytes.length).toBeGreaterThan(0);
      expect(b.bytes.equals(a.bytes), format).toBe(true);
      expect(readFileSync(join(dir, `patients.${format}`)).equals(a.bytes), `CLI ${format}`).toBe(true);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('cancel stops a running job: status cancelled, fewer than N patients, no output', async () => {
    const total = 100_000;
    const job = await api.post('/api/v1/generation', {
      configuration: smallScenario({ total_patients: total }),
      output_formats: ['json', 'ndjson'],
    });
    expect(job.status, job.text).toBe(201);
    const jobId = job.json.job_id as string;
    await api.waitForJob(jobId, ['running', 'completed'], 30_000);
    const cancelled = await api.post(`/api/v1/jobs/${jobId}/cancel`);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({
      job_id: jobId,
      status: 'cancelled',
      error: { message: 'Job cancelled by user' },
    });

    // The worker notices at its next checkpoint and stops; the job stays cancelled.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await api.get(`/api/v1/jobs/${jobId}`);
    expect(after.json.status).toBe('cancelled');
    expect(after.json.progress_details.patients_generated).toBeLessThan(total);
    expect(after.json.output_files).toEqual([]);

    const s3 = new S3Client({ forcePathStyle: true, endpoint: stack.env.AWS_ENDPOINT_URL_S3 });
    const listing = await s3.send(
      new ListObjectsV2Command({ Bucket: stack.env.RESULTS_BUCKET, Prefix: `jobs/${jobId}/` }),
    );
    s3.destroy();
    expect(listing.KeyCount ?? 0).toBe(0);

    expectError(await api.get(`/api/v1/downloads/${jobId}`), 409, 'CONFLICT', 'not completed');
    expectError(await api.get(`/api/v1/jobs/${jobId}/results`), 409, 'CONFLICT');
    expectError(await api.post(`/api/v1/jobs/${jobId}/cancel`), 409, 'CONFLICT', 'Cannot cancel job');
  });

  it('an Idempotency-Key returns the job it already created', async () => {
    const request = { configuration: smallScenario({ total_patients: 3 }) };
    // A browser reads the replay mark only if the answer exposes it (CORS).
    const headers = { 'Idempotency-Key': `e2e-${Date.now()}`, Origin: 'http://localhost:5173' };
    const first = await api.post('/api/v1/generation', request, { headers });
    const second = await api.post('/api/v1/generation', request, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.job_id).toBe(first.json.job_id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('access-control-expose-headers')?.split(',')).toContain('Idempotent-Replayed');
    const conflict = await api.post(
      '/api/v1/generation',
      { configuration: smallScenario({ total_patients: 4 }) },
      { headers },
    );
    expectError(conflict, 409, 'CONFLICT');
  });

  it('delete: 200 with the original body, then 404', async () => {
    const job = await api.post('/api/v1/generation', { configuration: { count: 2 } });
    await api.waitForJob(job.json.job_id);
    const deleted = await api.delete(`/api/v1/jobs/${job.json.job_id}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.json).toMatchObject({
      success: true,
      message: 'Job deleted successfully',
      deleted_id: job.json.job_id,
      timestamp: expect.stringMatching(/Z$/),
    });
    expectError(await api.get(`/api/v1/jobs/${job.json.job_id}`), 404, 'NOT_FOUND');
    expectError(await api.delete(`/api/v1/jobs/${job.json.job_id}`), 404, 'NOT_FOUND');
  });
});
