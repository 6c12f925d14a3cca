/**
 * The generator worker's domain service over dynalite + fauxqs: real jobs, end to end, from the
 * stored job to the files in S3 and the job's final state.
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/core/index.js';
import {
  type EncryptStreamFactory,
  type JobChanges,
  type JobCondition,
  type JobRecord,
  type JobRepository,
  JobRunner,
  jobObjectKey,
  type ResultStore,
} from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, type TestPlatform, uniqueOwner } from '../support/platform.js';
import { readAll, unzip } from '../support/zip.js';

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
  claimIdempotencyKey(owner: string, key: string, jobId: string, fingerprint: string, ttl: number) {
    return this.inner.claimIdempotencyKey(owner, key, jobId, fingerprint, ttl);
  }
}

async function createJob(owner: string, total: number, extra: Record<string, unknown> = {}) {
  const { job } = await platform.generationService.create(owner, {
    configuration: { name: 'Runner test', count: total, days_of_fighting: 3 },
    output_formats: ['json', 'ndjson', 'csv'],
    seed: 1234,
    ...extra,
  });
  return job;
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
    const runner = new JobRunner({ jobs, store: platform.store, checkpointEvery: 50 });
    // Act
    const outcome = await runner.run(job.job_id, { correlationId: 'req-1' });
    // Assert
    expect(outcome).toBe('completed');
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.status).toBe('completed');
    expect(done.progress).toBe(100);
    expect(done.progress_details).toEqual({ phase: 'done', patients_generated: 237, total_patients: 237 });
    expect(done.summary?.total_patients).toBe(237);
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
    expect(jsonFile.sha256).toBe(createHash('sha256').update(json).digest('hex'));

    const generating = jobs.progress.filter((p) => p.phase === 'generating').map((p) => p.done);
    const steps = [...generating, 237].slice(1).map((d, i) => d - generating[i]);
    expect(Math.max(...steps)).toBeLessThanOrEqual(Math.ceil(237 / 20));
    expect(jobs.progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['uploading', 'packaging']));

    const zip = await unzip(
      await readAll(await platform.store.open(jobObjectKey(job.job_id, 'patients.zip'))),
    );
    expect([...zip.keys()]).toEqual(['patients.json', 'patients.ndjson', 'patients.csv', 'manifest.json']);
    expect(zip.get('patients.json')?.toString('utf8')).toBe(json);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ job_id: job.job_id, seed: 1234, total_patients: 237 });
    expect(manifest.files[0]).toMatchObject({ file_name: 'patients.json', sha256: jsonFile.sha256 });
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
    expect(a.output_files[0].sha256).toBe(b.output_files[0].sha256);
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
    const runner = new JobRunner({ jobs, store: platform.store, checkpointEvery: 20 });
    // Act
    const outcome = await runner.run(job.job_id);
    // Assert
    expect(outcome).toBe('cancelled');
    const after = await platform.jobService.get(owner, job.job_id);
    expect(after.status).toBe('cancelled');
    expect(after.progress_details.patients_generated).toBeLessThan(400);
    expect(jobs.progress.filter((p) => p.phase === 'generating').length).toBeLessThanOrEqual(3);
    await expect(platform.store.open(jobObjectKey(job.job_id, 'patients.json'))).rejects.toBeInstanceOf(
      NotFoundError,
    );
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

  it('marks the job failed with a storage error and rethrows, and a retried message then completes it', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 30);
    const broken: ResultStore = {
      upload: async (_key, body) => {
        body.resume();
        throw new Error('bucket on fire');
      },
      open: (key) => platform.store.open(key),
      deletePrefix: (prefix) => platform.store.deletePrefix(prefix),
      presignGet: (key) => platform.store.presignGet(key),
    };
    // Act
    const failure = await new JobRunner({ jobs: platform.jobs, store: broken })
      .run(job.job_id)
      .catch((e: unknown) => e);
    const failed = await platform.jobService.get(owner, job.job_id);
    const retried = await platform.runner.run(job.job_id);
    // Assert
    expect(failure).toBeInstanceOf(Error);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('STORAGE_ERROR');
    expect(failed.error?.message).toMatch(/^Uploading patients\.\w+ failed \(.*bucket on fire\)$/);
    expect(retried).toBe('completed');
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.status).toBe('completed');
    expect(done.error).toBeNull();
  });

  it('fails a job whose stored scenario is invalid with GENERATION_ERROR', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 10);
    await platform.jobs.update(job.job_id, { set: { scenario: { name: 'broken' } } });
    // Act
    const failure = await platform.runner.run(job.job_id).catch((e: unknown) => e);
    // Assert
    expect(failure).toBeInstanceOf(Error);
    const failed = await platform.jobService.get(owner, job.job_id);
    expect(failed.status).toBe('failed');
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

  it('encrypts every file with the key derived at request time, which the password alone re-derives', async () => {
    // Prepare: a minimal salt || iv || ciphertext || tag layout stands in for lib/output's cipher.
    const encryptStream: EncryptStreamFactory = ({ salt, key }) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv);
      let started = false;
      return new Transform({
        transform(chunk, _encoding, callback) {
          if (!started) {
            started = true;
            this.push(Buffer.concat([Buffer.from(salt, 'base64'), iv]));
          }
          callback(null, cipher.update(chunk));
        },
        flush(callback) {
          if (!started) this.push(Buffer.concat([Buffer.from(salt, 'base64'), iv]));
          this.push(cipher.final());
          callback(null, cipher.getAuthTag());
        },
      });
    };
    const owner = uniqueOwner();
    const job = await createJob(owner, 15, {
      output_formats: ['json'],
      use_encryption: true,
      encryption_password: 'a long enough secret',
    });
    const withoutCipher = await platform.runner.run(job.job_id).catch((e: unknown) => e);
    // Act
    const outcome = await new JobRunner({ jobs: platform.jobs, store: platform.store, encryptStream }).run(
      job.job_id,
    );
    // Assert
    expect((withoutCipher as Error).message).toContain('no encryption stream configured');
    expect(outcome).toBe('completed');
    const stored = await readAll(await platform.store.open(jobObjectKey(job.job_id, 'patients.json.enc')));
    const salt = stored.subarray(0, 16);
    const key = pbkdf2Sync('a long enough secret', salt, 600_000, 32, 'sha256');
    const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(16, 28));
    decipher.setAuthTag(stored.subarray(stored.length - 16));
    const plain = Buffer.concat([decipher.update(stored.subarray(28, stored.length - 16)), decipher.final()]);
    expect(JSON.parse(plain.toString('utf8'))).toHaveLength(15);
    expect((await platform.jobs.get(job.job_id))?.encryption).toBeUndefined();
  });
});
