/**
 * The generator worker's domain service over dynalite + fauxqs: real jobs, end to end, from the
 * stored job to the files in S3 and the job's final state.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/core/index.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  type JobChanges,
  type JobCondition,
  type JobRecord,
  type JobRepository,
  JobRunner,
  jobObjectKey,
  jobPrefix,
  type ResultStore,
} from '../../lib/domain/index.js';
import { createAwsClients, generateSealingKey, LocalKeySealer } from '../../lib/infrastructure/index.js';
import { createDecryptStream } from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';
import { storeFailingWrites } from '../support/result-stores.js';
import { readAll, unzip } from '../support/zip.js';
import { runCli, withTempDir } from '../unit/cli/support.js';

type TaskStage = Parameters<JobRepository['countTaskDone']>[1];

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `runner-test-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

/** A JobRepository that records progress writes and can act when one happens. */
class ObservedJobs implements JobRepository {
  readonly progress: Array<{ phase: string; done: number; percent: number }> = [];
  constructor(
    private readonly inner: JobRepository,
    private readonly onProgress?: (done: number) => Promise<void>,
  ) {}
  create(job: JobRecord) {
    return this.inner.create(job);
  }
  get(jobId: string) {
    return this.inner.get(jobId);
  }
  listByOwner(owner: string, page: { limit: number; cursor?: string | null }) {
    return this.inner.listByOwner(owner, page);
  }
  async update(jobId: string, changes: JobChanges, condition?: JobCondition) {
    const details = changes.set.progress_details;
    if (details && changes.set.status === undefined) {
      this.progress.push({
        phase: details.phase,
        done: details.patients_generated,
        percent: changes.set.progress ?? -1,
      });
      await this.onProgress?.(details.patients_generated);
    }
    return this.inner.update(jobId, changes, condition);
  }
  delete(jobId: string) {
    return this.inner.delete(jobId);
  }
  countTaskDone(jobId: string, stage: TaskStage, index: number, planId: string, at: string) {
    return this.inner.countTaskDone(jobId, stage, index, planId, at);
  }
  async recordChunkProgress(jobId: string, index: number, done: number, planId: string, at: string) {
    this.progress.push({ phase: `chunk ${index}`, done, percent: -1 });
    await this.onProgress?.(done);
    return this.inner.recordChunkProgress(jobId, index, done, planId, at);
  }
  claimIdempotencyKey(owner: string, key: string, jobId: string, fingerprint: string, ttl: number) {
    return this.inner.claimIdempotencyKey(owner, key, jobId, fingerprint, ttl);
  }
  confirmIdempotencyKey(owner: string, key: string) {
    return this.inner.confirmIdempotencyKey(owner, key);
  }
}

async function createJob(owner: string, total: number, extra: Record<string, unknown> = {}) {
  const { job } = await platform.generationService.create(principalOf(owner), {
    configuration: { name: 'Runner test', count: total, days_of_fighting: 3 },
    output_formats: ['json', 'ndjson', 'csv'],
    seed: 1234,
    ...extra,
  });
  return job;
}

/** The job's item exactly as DynamoDB holds it (attribute-value JSON), for scanning. */
async function rawJobItem(jobId: string): Promise<string> {
  const { Item } = await platform.clients.dynamodb.send(
    new GetItemCommand({ TableName: env.JOBS_TABLE, Key: { job_id: { S: jobId } }, ConsistentRead: true }),
  );
  return JSON.stringify(Item);
}

async function storedText(jobId: string, fileName: string): Promise<string> {
  return (await readAll(await platform.store.open(jobObjectKey(jobId, fileName)))).toString('utf8');
}

describe('JobRunner', () => {
  it('generates exactly N patients into every format, reports progress every 5%, and completes with a ZIP', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 237);
    const jobs = new ObservedJobs(platform.jobs);
    const runner = new JobRunner({ jobs, usage: platform.usage, store: platform.store, checkpointEvery: 50 });
    // Act
    const outcome = await runner.run(job.job_id, { correlationId: 'req-1' });
    // Assert
    expect(outcome).toBe('completed');
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.status).toBe('completed');
    expect(done.progress).toBe(100);
    expect(done.progress_details).toEqual({ phase: 'done', patients_generated: 237, total_patients: 237 });
    expect(done.summary?.total_patients).toBe(237);
    // The charts' time series survive the trip through the job's DynamoDB item.
    const perDay = done.summary?.series?.casualties_per_day ?? {};
    expect(
      Object.values(perDay)
        .flat()
        .reduce((a, b) => a + b, 0),
    ).toBe(237);
    expect(done.output_files.map((f) => f.file_name)).toEqual([
      'patients.json',
      'patients.ndjson',
      'patients.csv',
      'patients.zip',
    ]);
    const json = await storedText(job.job_id, 'patients.json');
    const patients = JSON.parse(json) as Array<{ id: number }>;
    expect(patients).toHaveLength(237);
    expect(patients.map((p) => p.id)).toEqual([...Array(237).keys()]);
    expect((await storedText(job.job_id, 'patients.ndjson')).trim().split('\n')).toHaveLength(237);
    const jsonFile = done.output_files[0];
    expect(jsonFile.size_bytes).toBe(Buffer.byteLength(json));
    // One chunk: the file is one part, its sha256-of-parts the SHA-256 of that part's digest.
    const digest = createHash('sha256').update(json).digest();
    expect(jsonFile.checksum).toEqual({
      algorithm: 'sha256-of-parts',
      part_sizes: [Buffer.byteLength(json)],
      value: createHash('sha256').update(digest).digest('hex'),
    });

    // A small job is one chunk: its progress written from 0 to the end, at most every 5% of it (a
    // report while a write is in flight waits for it, so a fast run writes fewer).
    const generating = jobs.progress.filter((p) => p.phase === 'chunk 0').map((p) => p.done);
    expect(generating[0]).toBe(0);
    expect(generating.at(-1)).toBe(237);
    expect(generating).toEqual([...generating].sort((a, b) => a - b));
    expect(generating.length).toBeGreaterThanOrEqual(3);
    expect(generating.length).toBeLessThanOrEqual(22);
    expect(jobs.progress.map((p) => p.phase)).toContain('planning');

    const zip = await unzip(
      await readAll(await platform.store.open(jobObjectKey(job.job_id, 'patients.zip'))),
    );
    expect([...zip.keys()]).toEqual(['patients.json', 'patients.ndjson', 'patients.csv', 'manifest.json']);
    expect(zip.get('patients.json')?.toString('utf8')).toBe(json);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ job_id: job.job_id, seed: 1234, patient_count: 237 });
    expect(manifest.scenario.total_patients).toBe(237);
    expect(manifest.files[0]).toMatchObject({ name: 'patients.json', checksum: jsonFile.checksum });
  });

  it('treats a retried message for a completed job as a no-op', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 20);
    await platform.runner.run(job.job_id);
    const before = await platform.jobService.get(owner, job.job_id);
    // Act
    const outcome = await platform.runner.run(job.job_id);
    // Assert
    expect(outcome).toBe('skipped');
    expect(await platform.jobService.get(owner, job.job_id)).toEqual(before);
  });

  it('writes the same bytes for the same scenario and seed', async () => {
    // Prepare
    const owner = uniqueOwner();
    const first = await createJob(owner, 60);
    const second = await createJob(owner, 60);
    // Act
    await platform.runner.run(first.job_id);
    await platform.runner.run(second.job_id);
    // Assert
    const [a, b] = await Promise.all([
      platform.jobService.get(owner, first.job_id),
      platform.jobService.get(owner, second.job_id),
    ]);
    expect(a.output_files[0].checksum).toEqual(b.output_files[0].checksum);
  });

  it('writes the bytes the CLI writes for the same scenario and seed: one output chain', async () => {
    // Prepare
    const owner = uniqueOwner();
    const names = ['patients.json.gz', 'patients.fhir.ndjson.gz', 'patients.xml.gz'];
    const job = await createJob(owner, 90, {
      use_compression: true,
      output_formats: ['json', 'fhir', 'xml'],
    });
    const record = (await platform.jobs.get(job.job_id))!;
    const runner = new JobRunner({
      jobs: platform.jobs,
      usage: platform.usage,
      store: platform.store,
      checkpointEvery: 7,
    });
    // Act: the job in batches of 5 patients, the CLI in one pass.
    await runner.run(job.job_id);
    const cli = await withTempDir(async (dir) => {
      await writeFile(join(dir, 'scenario.json'), JSON.stringify(record.scenario));
      const args = ['--seed', String(record.seed), '--format', 'json,fhir,xml', '--compress', '--out', dir];
      const run = await runCli(['generate', '--scenario', 'scenario.json', ...args], dir);
      expect(run.code, run.stderr).toBe(0);
      return Promise.all(names.map((name) => readFile(join(dir, name))));
    });
    // Assert
    for (const [i, name] of names.entries()) {
      const stored = await readAll(await platform.store.open(jobObjectKey(job.job_id, name)));
      expect(stored.equals(cli[i]), name).toBe(true);
    }
  });

  it('stops between batches when the job is cancelled, leaving it cancelled and without files', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 400);
    let cancelled = false;
    const jobs = new ObservedJobs(platform.jobs, async (done) => {
      if (done > 0 && !cancelled) {
        cancelled = true;
        await platform.jobService.cancel(owner, job.job_id);
      }
    });
    const runner = new JobRunner({ jobs, usage: platform.usage, store: platform.store, checkpointEvery: 20 });
    // Act
    const outcome = await runner.run(job.job_id);
    // Assert
    expect(outcome).toBe('cancelled');
    const after = await platform.jobService.get(owner, job.job_id);
    expect(after.status).toBe('cancelled');
    expect(jobs.progress.filter((p) => p.phase === 'chunk 0').length).toBeLessThanOrEqual(3);
    await expect(platform.store.open(jobObjectKey(job.job_id, 'patients.json'))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await platform.store.list(jobPrefix(job.job_id))).toEqual([]);
  });

  it('does not run a job cancelled before the worker picked it up', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 10);
    await platform.jobService.cancel(owner, job.job_id);
    // Act
    const outcome = await platform.runner.run(job.job_id);
    // Assert
    expect(outcome).toBe('skipped');
    expect((await platform.jobService.get(owner, job.job_id)).status).toBe('cancelled');
  });

  it('rethrows a storage error leaving the job running for the retry, which completes it; the last delivery fails it', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 30);
    const lastOne = await createJob(owner, 30);
    const broken: ResultStore = storeFailingWrites(platform.store, 'bucket on fire');
    const brokenRunner = new JobRunner({ jobs: platform.jobs, usage: platform.usage, store: broken });
    // Act
    const failure = await brokenRunner.run(job.job_id, { receiveCount: 1 }).catch((e: unknown) => e);
    const between = await platform.jobService.get(owner, job.job_id);
    const retried = await platform.runner.run(job.job_id, { receiveCount: 2 });
    const lastFailure = await brokenRunner.run(lastOne.job_id, { receiveCount: 3 }).catch((e: unknown) => e);
    // Assert
    expect(failure).toBeInstanceOf(Error);
    expect(between.status).toBe('running');
    expect(retried).toBe('completed');
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.status).toBe('completed');
    expect(done.error).toBeNull();
    expect(lastFailure).toBeInstanceOf(Error);
    const failed = await platform.jobService.get(owner, lastOne.job_id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('STORAGE_ERROR');
    expect(failed.error?.message).toMatch(/^Uploading part patients\.\w+ failed \(.*bucket on fire\)$/);
  });

  it('keeps the sealed password of an encrypted job through failed deliveries, and drops it when the last one fails', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 10, { use_encryption: true, encryption_password: 'retry me please' });
    const broken: ResultStore = storeFailingWrites(platform.store, 'bucket on fire');
    const runner = new JobRunner({
      jobs: platform.jobs,
      usage: platform.usage,
      store: broken,
      sealer: platform.sealer,
    });
    const afterEach: Array<Record<string, unknown>> = [];
    // Act
    for (let run = 1; run <= DEFAULT_MAX_ATTEMPTS; run++) {
      await runner.run(job.job_id, { receiveCount: run }).catch(() => undefined);
      afterEach.push(JSON.parse(await rawJobItem(job.job_id)));
    }
    // Assert: running (awaiting the next delivery) until the last one fails it.
    expect(afterEach.map((item) => (item.status as { S: string }).S)).toEqual([
      ...Array(DEFAULT_MAX_ATTEMPTS - 1).fill('running'),
      'failed',
    ]);
    expect(afterEach.slice(0, -1).every((item) => item.encryption !== undefined)).toBe(true);
    const last = afterEach[afterEach.length - 1];
    expect(last.encryption).toBeUndefined();
    expect(last.attempts).toEqual({ N: String(DEFAULT_MAX_ATTEMPTS) });
  });

  it('shows a job whose stored scenario is invalid queued with its retry to come, then failed with GENERATION_ERROR on the last run', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 10);
    await platform.jobs.update(job.job_id, { set: { scenario: { name: 'broken' } } });
    // Act
    const failure = await platform.runner.run(job.job_id, { receiveCount: 1 }).catch((e: unknown) => e);
    const awaiting = await platform.jobService.get(owner, job.job_id);
    const listed = (await platform.jobService.list(owner)).jobs.find((j) => j.job_id === job.job_id);
    const results = await platform.jobService.results(owner, job.job_id).catch((e: unknown) => e);
    for (let run = 2; run <= DEFAULT_MAX_ATTEMPTS; run++) {
      await platform.runner.run(job.job_id, { receiveCount: run }).catch(() => undefined);
    }
    // Assert: not ended while a retry is to come (memory/fixes/0153), failed for good after the last run.
    expect(failure).toBeInstanceOf(Error);
    expect(awaiting).toMatchObject({
      status: 'queued',
      progress: 0,
      progress_details: { phase: 'queued', patients_generated: 0, total_patients: 10 },
      error: null,
      completed_at: null,
      retry: {
        attempts: 1,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        last_error: { code: 'GENERATION_ERROR', message: expect.stringContaining('total_patients') },
      },
    });
    expect(listed).toEqual(awaiting);
    expect((results as Error).message).toBe(`Job ${job.job_id} is not completed yet. Current status: queued`);
    const failed = await platform.jobService.get(owner, job.job_id);
    expect(failed.status).toBe('failed');
    expect(failed.completed_at).not.toBeNull();
    expect(failed.retry).toBeUndefined();
    expect(failed.error?.code).toBe('GENERATION_ERROR');
    expect(failed.error?.message).toContain('total_patients');
  });

  it('gzips every file when asked, and the results API still reads them', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 45, { use_compression: true, output_formats: ['json', 'csv'] });
    // Act
    await platform.runner.run(job.job_id);
    const page = await platform.jobService.results(owner, job.job_id, { page: 2, per_page: 20 });
    // Assert
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.output_files.map((f) => f.file_name)).toEqual([
      'patients.json.gz',
      'patients.csv.gz',
      'patients.zip',
    ]);
    expect(page).toMatchObject({ total: 45, page: 2, per_page: 20, total_pages: 3 });
    expect(page.patients.map((p) => (p as { id: number }).id)).toEqual(
      [...Array(20).keys()].map((i) => i + 20),
    );
  });

  it('seals the password on the job, and encrypts each file with its own salt to the bytes of the plain job', async () => {
    // Prepare
    const password = 'a long enough secret';
    const owner = uniqueOwner();
    const formats = { output_formats: ['json', 'csv'] };
    const plain = await createJob(owner, 15, formats);
    const job = await createJob(owner, 15, {
      ...formats,
      use_encryption: true,
      encryption_password: password,
    });
    const queued = await rawJobItem(job.job_id);
    // Act
    const withoutSealer = await new JobRunner({
      jobs: platform.jobs,
      usage: platform.usage,
      store: platform.store,
    })
      .run(job.job_id)
      .catch((e: unknown) => e);
    const otherKey = new LocalKeySealer(generateSealingKey());
    const withOtherKey = await new JobRunner({
      jobs: platform.jobs,
      usage: platform.usage,
      store: platform.store,
      sealer: otherKey,
    })
      .run(job.job_id)
      .catch((e: unknown) => e);
    const failed = await rawJobItem(job.job_id);
    await platform.runner.run(plain.job_id);
    const outcome = await platform.runner.run(job.job_id);
    const completed = await rawJobItem(job.job_id);
    // Assert: only the sealed password is stored, bound to the job, and only until the job completes.
    expect((withoutSealer as Error).message).toContain('no secret sealer configured');
    expect((withOtherKey as Error).message).toContain('could not be unsealed');
    expect((withOtherKey as Error).message).not.toContain(password);
    for (const item of [queued, failed, completed]) {
      expect(item).not.toContain(password);
      expect(item).not.toContain(Buffer.from(password).toString('base64'));
      expect(item).not.toContain(env.SEALING_KEY);
    }
    const encryption = JSON.parse(queued).encryption.M as Record<string, { S: string }>;
    expect(Object.keys(encryption).sort()).toEqual(['sealed_password', 'sealer']);
    expect(encryption.sealer.S).toBe('local');
    const sealed = encryption.sealed_password.S;
    expect(sealed).toMatch(/^v1\.local\.[A-Za-z0-9_-]+$/);
    expect(await platform.sealer.unseal(sealed, { job_id: job.job_id })).toBe(password);
    await expect(platform.sealer.unseal(sealed, { job_id: plain.job_id })).rejects.toThrow();
    expect(JSON.parse(failed)).toMatchObject({
      status: { S: 'running' },
      encryption: { M: expect.anything() },
    });
    expect(outcome).toBe('completed');
    expect(JSON.parse(completed).status).toEqual({ S: 'completed' });
    expect(JSON.parse(completed).encryption).toBeUndefined();

    // Assert: every file is MMPG v2 with its own salt and decrypts to the plain job's bytes.
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.output_files.map((f) => [f.file_name, f.content_type])).toEqual([
      ['patients.json.enc', 'application/octet-stream'],
      ['patients.csv.enc', 'application/octet-stream'],
      ['patients.zip', 'application/zip'],
    ]);
    const salts = new Set<string>();
    for (const name of ['patients.json', 'patients.csv']) {
      const sealedFile = await readAll(await platform.store.open(jobObjectKey(job.job_id, `${name}.enc`)));
      expect(sealedFile.subarray(0, 5)).toEqual(Buffer.from('MMPG\x02', 'latin1'));
      salts.add(sealedFile.subarray(5, 21).toString('hex'));
      const decrypted = await readAll(Readable.from([sealedFile]).pipe(createDecryptStream(password)));
      const expected = await readAll(await platform.store.open(jobObjectKey(plain.job_id, name)));
      expect(decrypted.equals(expected), name).toBe(true);
      expect(JSON.stringify(done)).not.toContain(password);
    }
    expect(salts.size).toBe(2);
    const zip = await unzip(
      await readAll(await platform.store.open(jobObjectKey(job.job_id, 'patients.zip'))),
    );
    expect([...zip.keys()]).toEqual(['patients.json.enc', 'patients.csv.enc', 'manifest.json']);
    expect(zip.get('manifest.json')!.toString('utf8')).not.toContain(password);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString('utf8'));
    expect([manifest.seed, manifest.scenario]).toEqual([null, null]);
  });
});
