/**
 * An encrypted fanned-out job over dynalite + the local S3 and SQS: after the chunks, JobCompletion
 * sends the seal tasks 0..k-1 to the queue; each task (seal-runner.ts) seals its run of segments of
 * every file; the last one sends the finalise task (memory/decisions/0908-finaliser-task.md). The
 * files decrypt (MMPG v2) to the CLI's bytes for the same scenario and seed, the ZIP stores them, the
 * manifest withholds scenario and seed. A one-chunk job seals and finalises in the same run.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobObjectKey } from '../../lib/domain/index.js';
import { JobCompletion } from '../../lib/domain/job-completion.js';
import { jobPartsPrefix } from '../../lib/domain/job-parts.js';
import { createAwsClients, SqsJobQueue } from '../../lib/infrastructure/index.js';
import {
  createDecryptStream,
  HEADER_BYTES,
  type OutputFormat,
  sha256OfPartsOf,
} from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { readAll } from '../support/zip.js';
import {
  cliBytes,
  countingUsage,
  PASSWORD,
  pythonZip,
  runningJob,
  sha256,
  storedBytes,
  writeAllChunks,
} from './finaliser-support.js';

const env = useAwsEnv();
let platform: TestPlatform;
let queueUrl: string;

beforeAll(async () => {
  const { QueueUrl } = await createAwsClients().sqs.send(
    new CreateQueueCommand({ QueueName: `finaliser-seal-test-${Date.now()}` }),
  );
  queueUrl = QueueUrl!;
  platform = createTestPlatform(env, { queueUrl });
});

/** The `kind` task bodies waiting on the test's queue (every message received and deleted). */
async function receiveTasks(kind: 'seal' | 'finalise' = 'seal'): Promise<Record<string, unknown>[]> {
  const sqs = platform.clients.sqs;
  const bodies: Record<string, unknown>[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!Messages || Messages.length === 0) return bodies.filter((body) => kind in body);
    for (const message of Messages) {
      bodies.push(JSON.parse(message.Body!));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
    }
  }
}

async function decrypt(bytes: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from([bytes]), createDecryptStream(PASSWORD), async (source) => {
    for await (const chunk of source) chunks.push(chunk as Buffer);
  });
  return Buffer.concat(chunks);
}

const FORMATS: OutputFormat[] = ['json', 'ndjson', 'csv', 'fhir', 'xml'];

describe('JobCompletion of an encrypted job', () => {
  for (const compress of [false, true]) {
    it(`seals every file in one task per chunk and finalises on the last (gzip ${compress ? 'on' : 'off'})`, async () => {
      // Prepare
      const total = 260;
      const bounds = [0, 90, 170, total];
      const { record, owner, plan, planId } = await runningJob(
        platform,
        { formats: FORMATS, total, compress, encrypt: true },
        bounds,
      );
      const done = await writeAllChunks(platform, record, plan);
      const usage = countingUsage(platform.usage);
      const completion = new JobCompletion({
        jobs: platform.jobs,
        store: platform.store,
        queue: new SqsJobQueue(platform.clients.sqs, queueUrl),
        usage,
        sealer: platform.sealer,
      });
      const expected = await cliBytes(plan, FORMATS);

      // Act
      const first = await completion.afterChunks(done);
      const tasks = await receiveTasks();
      const outcomes = [];
      for (const task of tasks.reverse()) {
        const current = (await platform.jobs.get(record.job_id))!;
        outcomes.push(await completion.runSeal(current, task.seal as number));
      }
      const sealed = await platform.jobService.get(owner, record.job_id);
      const finalise = await receiveTasks('finalise');
      const finalised = await completion.runFinalise((await platform.jobs.get(record.job_id))!);

      // Assert
      expect(first).toBe('completed');
      expect(tasks.map((t) => t.seal).sort()).toEqual([0, 1, 2]);
      expect(tasks.every((t) => t.job_id === record.job_id && t.plan_id === planId)).toBe(true);
      expect(outcomes).toEqual(['completed', 'completed', 'completed']);
      expect(sealed).toMatchObject({ status: 'running', progress_details: { phase: 'packaging' } });
      expect(finalise).toEqual([{ job_id: record.job_id, plan_id: planId, finalise: true }]);
      expect(finalised).toBe('completed');
      const job = await platform.jobService.get(owner, record.job_id);
      expect(job.status).toBe('completed');
      const zip = await pythonZip(await storedBytes(platform, jobObjectKey(record.job_id, 'patients.zip')));
      for (const [i, file] of job.output_files.slice(0, FORMATS.length).entries()) {
        expect(file.file_name).toMatch(compress ? /\.gz\.enc$/ : /\.enc$/);
        expect(file.content_type).toBe('application/octet-stream');
        const bytes = await storedBytes(platform, jobObjectKey(record.job_id, file.file_name));
        expect(bytes.subarray(0, 5).toString('latin1')).toBe('MMPG\u0002');
        expect(bytes.subarray(0, HEADER_BYTES).toString('base64')).toBe(
          record.chunking!.encryption_headers![file.file_name],
        );
        expect(await sha256OfPartsOf(Readable.from([bytes]), file.checksum!.part_sizes)).toBe(
          file.checksum!.value,
        );
        const plain = await decrypt(bytes);
        const content = compress ? gunzipSync(plain) : plain;
        expect(content.equals(expected.get(FORMATS[i])!), file.file_name).toBe(true);
        expect(zip.entries[i]).toMatchObject({ name: file.file_name, method: 0, sha256: sha256(bytes) });
      }
      expect(zip.manifest).toMatchObject({ scenario: null, seed: null, patient_count: total });
      expect((zip.manifest.output as { encryption: string }).encryption).toMatch(/^MMPG v2/);
      expect(usage.released).toEqual([record.key_id]);
      expect(await platform.store.list(jobPartsPrefix(record.job_id))).toEqual([]);
      // The sealed password goes with the completion.
      expect((await platform.jobs.get(record.job_id))?.encryption).toBeUndefined();
    }, 180_000);
  }

  it('a seal task delivered twice writes the same bytes and counts once; a repeat of the stage sends no tasks again', async () => {
    // Prepare
    const total = 120;
    const { record, owner, plan } = await runningJob(
      platform,
      { formats: ['ndjson'], total, encrypt: true },
      [0, 60, total],
    );
    const done = await writeAllChunks(platform, record, plan);
    const completion = new JobCompletion({
      jobs: platform.jobs,
      store: platform.store,
      queue: new SqsJobQueue(platform.clients.sqs, queueUrl),
      usage: platform.usage,
      sealer: platform.sealer,
    });
    await completion.afterChunks(done);
    const sent = await receiveTasks();
    await completion.runSeal((await platform.jobs.get(record.job_id))!, 0);
    const sealed0 = await readAll(
      await platform.store.open(`${jobPartsPrefix(record.job_id)}s000000/patients.ndjson.enc`),
    );

    // Act
    const again = await completion.afterChunks((await platform.jobs.get(record.job_id))!);
    const tasks = await receiveTasks();
    const current = (await platform.jobs.get(record.job_id))!;
    const [a, b] = await Promise.all([completion.runSeal(current, 1), completion.runSeal(current, 1)]);
    const finalise = await receiveTasks('finalise');
    const sealed = (await platform.jobs.get(record.job_id))!;
    const finalised = await Promise.all(finalise.map(() => completion.runFinalise(sealed)));

    // Assert
    expect(sent.map((t) => t.seal)).toEqual([0, 1]);
    expect(again).toBe('skipped');
    expect(tasks).toEqual([]);
    // Both counted the task done (one applied) and sent the finalise task: it ran to completion once,
    // a second run (if any) found the job completed.
    expect([a, b]).toEqual(['completed', 'completed']);
    expect(sealed.seals_done).toEqual([0, 1]);
    expect(finalise.length).toBeGreaterThanOrEqual(1);
    expect(finalised).toContain('completed');
    expect(['completed', 'skipped']).toEqual(expect.arrayContaining(finalised));
    const job = await platform.jobService.get(owner, record.job_id);
    expect(job.status).toBe('completed');
    const file = await storedBytes(platform, jobObjectKey(record.job_id, 'patients.ndjson.enc'));
    expect(file.subarray(0, sealed0.length).equals(sealed0)).toBe(true);
    const expected = await cliBytes(plan, ['ndjson']);
    expect((await decrypt(file)).equals(expected.get('ndjson')!)).toBe(true);
  }, 180_000);

  it('seals and finalises a one-chunk job in the same run: no task is sent', async () => {
    // Prepare
    const total = 50;
    const { record, owner, plan } = await runningJob(
      platform,
      { formats: ['csv'], total, compress: true, encrypt: true },
      [0, total],
    );
    const done = await writeAllChunks(platform, record, plan);
    const completion = new JobCompletion({
      jobs: platform.jobs,
      store: platform.store,
      usage: platform.usage,
      sealer: platform.sealer,
    });

    // Act: no queue at all: sending a task would throw.
    const outcome = await completion.afterChunks(done);

    // Assert
    expect(outcome).toBe('completed');
    const job = await platform.jobService.get(owner, record.job_id);
    expect(job.status).toBe('completed');
    const file = await storedBytes(platform, jobObjectKey(record.job_id, 'patients.csv.gz.enc'));
    expect(gunzipSync(await decrypt(file)).equals((await cliBytes(plan, ['csv'])).get('csv')!)).toBe(true);
  }, 180_000);
});
