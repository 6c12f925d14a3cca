/**
 * The finaliser of a fanned-out job over dynalite + the local S3 (lib/domain/job-finaliser.ts via
 * JobCompletion): chunks written by the chunk writer of lib/output, then every file and the ZIP
 * assembled by multipart from their parts. The files decompress to the CLI's bytes for the same
 * scenario and seed, the ZIP reads with python3's zipfile, a second run writes the same objects.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type JobRecord, jobObjectKey } from '../../lib/domain/index.js';
import { JobCompletion } from '../../lib/domain/job-completion.js';
import { JobFinaliser } from '../../lib/domain/job-finaliser.js';
import { chunkPartsKey, jobPartsPrefix } from '../../lib/domain/job-parts.js';
import { JobTransitions } from '../../lib/domain/job-transitions.js';
import { generate } from '../../lib/generation/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { type OutputFormat, SummaryCollector, sha256OfPartsOf } from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { storeWith } from '../support/result-stores.js';
import {
  cliBytes,
  countingUsage,
  pythonZip,
  recordingMetrics,
  runningJob,
  sha256,
  storedBytes,
  writeAllChunks,
} from './finaliser-support.js';

const env = useAwsEnv();
let platform: TestPlatform;

const ALL: OutputFormat[] = ['json', 'ndjson', 'csv', 'fhir', 'xml'];

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `finaliser-test-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

function completion(
  extra: { metrics?: ReturnType<typeof recordingMetrics>; usage?: ReturnType<typeof countingUsage> } = {},
) {
  return new JobCompletion({
    jobs: platform.jobs,
    store: platform.store,
    queue: platform.queue,
    usage: extra.usage ?? platform.usage,
    sealer: platform.sealer,
    metrics: extra.metrics,
  });
}

function finaliser() {
  const transitions = new JobTransitions({
    jobs: platform.jobs,
    usage: platform.usage,
    clock: () => new Date(),
    maxAttempts: 3,
    staleAfterMs: 300_000,
  });
  return new JobFinaliser({
    jobs: platform.jobs,
    store: platform.store,
    transitions,
    clock: () => new Date(),
  });
}

/** Every object the job has, by name (the parts excluded). */
async function jobObjects(jobId: string): Promise<Map<string, Buffer>> {
  const keys = (await platform.store.list(`jobs/${jobId}/`)).filter(
    (k) => !k.startsWith(jobPartsPrefix(jobId)),
  );
  const out = new Map<string, Buffer>();
  for (const key of keys) out.set(key.slice(`jobs/${jobId}/`.length), await storedBytes(platform, key));
  return out;
}

async function gzipTest(bytes: Buffer): Promise<number | null> {
  const dir = await mkdtemp(join(tmpdir(), 'finaliser-gz-'));
  try {
    const path = join(dir, 'file.gz');
    await writeFile(path, bytes);
    return spawnSync('gzip', ['-t', path]).status;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('JobFinaliser', () => {
  it('assembles uncompressed files of every format from 3 chunks into the CLI bytes, with a ZIP python reads, and completes the job', async () => {
    // Prepare
    const total = 301;
    const bounds = [0, 97, 200, total];
    const { record, owner, plan } = await runningJob(platform, { formats: ALL, total }, bounds);
    const done = await writeAllChunks(platform, record, plan);
    const metrics = recordingMetrics();
    const usage = countingUsage(platform.usage);
    const expected = await cliBytes(plan, ALL);

    // Act
    const outcome = await completion({ metrics, usage }).runFinalise(done);

    // Assert
    expect(outcome).toBe('completed');
    const job = await platform.jobService.get(owner, record.job_id);
    expect(job.status).toBe('completed');
    expect(job.progress_details).toEqual({ phase: 'done', patients_generated: total, total_patients: total });
    const names = job.output_files.map((f) => f.file_name);
    expect(names).toEqual([
      'patients.json',
      'patients.ndjson',
      'patients.csv',
      'patients.fhir.ndjson',
      'patients.xml',
      'patients.zip',
    ]);
    for (const file of job.output_files) {
      const bytes = await storedBytes(platform, jobObjectKey(record.job_id, file.file_name));
      expect(file.size_bytes, file.file_name).toBe(bytes.length);
      expect(file.sha256).toBeUndefined();
      expect(file.checksum?.algorithm).toBe('sha256-of-parts');
      expect(file.checksum?.part_sizes.reduce((a, b) => a + b, 0)).toBe(bytes.length);
      expect(await sha256OfPartsOf(Readable.from([bytes]), file.checksum!.part_sizes), file.file_name).toBe(
        file.checksum!.value,
      );
      if (file.format !== 'zip') {
        expect(bytes.equals(expected.get(file.format)!), `${file.file_name} = the CLI's bytes`).toBe(true);
      }
    }
    const zip = await pythonZip(await storedBytes(platform, jobObjectKey(record.job_id, 'patients.zip')));
    expect(zip.entries.map((e) => [e.name, e.method])).toEqual(
      [...names.slice(0, 5), 'manifest.json'].map((n) => [n, 8]),
    );
    for (const [i, format] of ALL.entries()) {
      expect(zip.entries[i].sha256, format).toBe(sha256(expected.get(format)!));
    }
    expect(zip.manifest).toMatchObject({
      job_id: record.job_id,
      name: 'Finaliser test',
      seed: 4242,
      patient_count: total,
      output: { formats: ALL, compression: null, encryption: null },
    });
    expect(
      (zip.manifest.files as { name: string; checksum: unknown }[]).map((f) => [f.name, f.checksum]),
    ).toEqual(job.output_files.slice(0, 5).map((f) => [f.file_name, f.checksum]));
    // The summary merged from the chunks is the one collector over every patient would give.
    const whole = new SummaryCollector({ baseDate: plan.scenario.baseDate, days: plan.scenario.days });
    for (const patient of generate(plan)) whole.add(patient);
    expect(job.summary?.series).toEqual(whole.result().series);
    expect(job.summary?.total_patients).toBe(total);
    expect(job.summary?.generation_ms).toBeGreaterThanOrEqual(1234);
    expect(metrics.completed).toHaveLength(1);
    expect(metrics.completed[0]).toMatchObject({ patients: total });
    expect(metrics.completed[0].files.map((f) => f.format)).toEqual([...ALL, 'zip']);
    expect(usage.released).toEqual([record.key_id]);
    expect(await platform.store.list(jobPartsPrefix(record.job_id))).toEqual([]);
  }, 180_000);

  it('assembles gzip files of every format as one gzip member each, decompressing to the CLI bytes; the ZIP stores them', async () => {
    // Prepare
    const total = 240;
    const { record, owner, plan } = await runningJob(platform, { formats: ALL, total, compress: true }, [
      0,
      80,
      160,
      total,
    ]);
    const done = await writeAllChunks(platform, record, plan);
    const expected = await cliBytes(plan, ALL);

    // Act
    const outcome = await completion().runFinalise(done);

    // Assert
    expect(outcome).toBe('completed');
    const job = await platform.jobService.get(owner, record.job_id);
    const zip = await pythonZip(await storedBytes(platform, jobObjectKey(record.job_id, 'patients.zip')));
    for (const [i, file] of job.output_files.slice(0, 5).entries()) {
      expect(file.file_name).toMatch(/\.gz$/);
      const bytes = await storedBytes(platform, jobObjectKey(record.job_id, file.file_name));
      expect(await gzipTest(bytes), `gzip -t ${file.file_name}`).toBe(0);
      expect(gunzipSync(bytes).equals(expected.get(ALL[i])!), file.file_name).toBe(true);
      // 10-byte header, one deflate part per chunk, 8-byte trailer.
      expect(file.checksum?.part_sizes).toHaveLength(5);
      expect(zip.entries[i]).toMatchObject({ name: file.file_name, method: 0, sha256: sha256(bytes) });
    }
    expect(zip.manifest.output).toMatchObject({ compression: 'gzip' });
  }, 180_000);

  it('writes the same objects when it runs again after a crash, and a repeat on a completed job changes nothing', async () => {
    // Prepare
    const total = 150;
    const { record, owner, plan } = await runningJob(
      platform,
      { formats: ['json', 'csv'], total, compress: true },
      [0, 50, 100, total],
    );
    const done = await writeAllChunks(platform, record, plan);
    // A first run that died after assembling, before completing the job.
    await finaliser().assemble(done);
    const first = await jobObjects(record.job_id);

    // Act
    const outcome = await completion().runFinalise(done);
    const second = await jobObjects(record.job_id);
    const completed = await platform.jobService.get(owner, record.job_id);
    const repeat = await completion().runFinalise(done);

    // Assert
    expect(outcome).toBe('completed');
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [name, bytes] of first) expect(second.get(name)!.equals(bytes), name).toBe(true);
    expect(repeat).toBe('skipped');
    expect(await platform.jobService.get(owner, record.job_id)).toEqual(completed);
  });

  it('fails without completing when the ZIP cannot be stored, and a later run completes the job with the right files', async () => {
    // Prepare
    const total = 90;
    const { record, owner, plan } = await runningJob(platform, { formats: ['csv'], total, compress: true }, [
      0,
      45,
      total,
    ]);
    const done = await writeAllChunks(platform, record, plan);
    const failingZip = storeWith(platform.store, {
      put: async (key, bytes, options) => {
        if (key.endsWith('/patients.zip')) throw new Error('disk on fire');
        return platform.store.put(key, bytes, options);
      },
    });
    const crashing = new JobCompletion({ jobs: platform.jobs, store: failingZip, usage: platform.usage });

    // Act
    const failure = await crashing.runFinalise(done).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    const between = await platform.jobs.get(record.job_id);
    const objects = [...(await jobObjects(record.job_id)).keys()];
    const outcome = await completion().runFinalise(between!);

    // Assert
    expect(failure?.name).toBe('StorageError');
    expect(failure?.message).toBe('Assembling patients.zip failed (disk on fire)');
    expect(between?.status).toBe('running');
    expect(objects).toEqual(['patients.csv.gz']);
    expect(outcome).toBe('completed');
    const job = await platform.jobService.get(owner, record.job_id);
    expect(job.output_files.map((f) => f.file_name)).toEqual(['patients.csv.gz', 'patients.zip']);
    const gz = await storedBytes(platform, jobObjectKey(record.job_id, 'patients.csv.gz'));
    expect(gunzipSync(gz).equals((await cliBytes(plan, ['csv'])).get('csv')!)).toBe(true);
  });

  it('refuses to assemble a part list written under another plan', async () => {
    // Prepare
    const total = 40;
    const { record, plan } = await runningJob(platform, { formats: ['csv'], total }, [0, 20, total]);
    const done = await writeAllChunks(platform, record, plan);
    const key = chunkPartsKey(record.job_id, 1);
    const list = JSON.parse((await storedBytes(platform, key)).toString('utf8'));
    await platform.store.put(key, Buffer.from(JSON.stringify({ ...list, plan_id: 'another-plan' })), {
      contentType: 'application/json',
    });

    // Act
    const failure = await completion()
      .runFinalise(done)
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );

    // Assert
    expect(failure?.message).toBe('the part list of chunk 1 belongs to another job, plan or range');
    expect((await platform.jobs.get(record.job_id))?.status).toBe('running');
    expect([...(await jobObjects(record.job_id)).keys()]).toEqual([]);
  });

  it('does not complete a job cancelled meanwhile, and leaves it no files', async () => {
    // Prepare
    const total = 60;
    const { record, owner, plan } = await runningJob(platform, { formats: ['ndjson'], total }, [
      0,
      30,
      total,
    ]);
    const done = await writeAllChunks(platform, record, plan);
    await platform.jobService.cancel(owner, record.job_id);

    // Act
    const outcome = await completion().runFinalise(done as JobRecord);

    // Assert
    expect(outcome).toBe('cancelled');
    expect((await platform.jobService.get(owner, record.job_id)).status).toBe('cancelled');
    expect(await platform.store.list(`jobs/${record.job_id}/`)).toEqual([]);
  });
});
