/**
 * The finaliser's own time check (lib/domain/job-finaliser.ts, finaliser-budget.ts,
 * memory/decisions/0914-finaliser-hands-on.md) through JobRunner over dynalite and the local S3/SQS:
 * a finalise task short of time stores what surely fits, sends itself again with the count of
 * objects stored, and the next invocation goes on from there, so the job completes with the bytes of
 * an undisturbed run, each object written once; a task that cannot store even one object in its
 * invocation fails the job with the reason instead of handing on for ever.
 *
 * Time is faked the way an invocation sees it: a clock that the store advances as it completes each
 * job object (in proportion to the object's bytes), and a remaining time read from that clock.
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_ATTEMPTS,
  type FinaliseMessage,
  finaliseMessage,
  type GenerationMessage,
  JobRunner,
  type JobRunnerDeps,
  jobObjectKey,
  parseGenerationMessage,
} from '../../lib/domain/index.js';
import { JobFinaliser } from '../../lib/domain/job-finaliser.js';
import { jobPartsPrefix } from '../../lib/domain/job-parts.js';
import { JobTransitions } from '../../lib/domain/job-transitions.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import type { OutputFormat } from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { storeWith } from '../support/result-stores.js';
import {
  countingUsage,
  recordingMetrics,
  runningJob,
  storedBytes,
  writeAllChunks,
} from './finaliser-support.js';

const env = useAwsEnv();
const sqs = createAwsClients().sqs;
let platform: TestPlatform;
let queueUrl: string;

const FORMATS: OutputFormat[] = ['json', 'ndjson', 'csv'];
/** The generator's timeout and margin, as deployed (infra/config/stages.ts, time-budget.ts). */
const TIMEOUT_MS = 120_000;
const MARGIN_MS = 20_000;

beforeAll(async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `hand-on-test-${Date.now()}` }));
  queueUrl = QueueUrl!;
  platform = createTestPlatform(env, { queueUrl });
});

/** A job of 3 chunks written, its files and ZIP as an undisturbed finaliser stores them. */
async function preparedJob() {
  const total = 150;
  const { record, owner, plan } = await runningJob(platform, { formats: FORMATS, total, compress: true }, [
    0,
    50,
    100,
    total,
  ]);
  const done = await writeAllChunks(platform, record, plan);
  const transitions = new JobTransitions({
    jobs: platform.jobs,
    usage: platform.usage,
    clock: () => new Date(),
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    staleAfterMs: 300_000,
  });
  const undisturbed = await new JobFinaliser({
    jobs: platform.jobs,
    store: platform.store,
    transitions,
    clock: () => new Date(),
  }).assemble(done);
  const expected = new Map<string, Buffer>();
  for (const { file } of undisturbed.files) {
    const key = jobObjectKey(record.job_id, file.file_name);
    expected.set(file.file_name, await storedBytes(platform, key));
    // Gone again, so that only the run under test can store it.
    await platform.store.deletePrefix(key);
  }
  return { record: done, owner, files: undisturbed.files.map((f) => f.file), expected };
}

/** The finalise tasks of `jobId` on the queue, deleted once read (the job message is dropped). */
async function takeFinaliseTasks(jobId: string): Promise<FinaliseMessage[]> {
  const tasks: FinaliseMessage[] = [];
  for (let round = 0; round < 3; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    for (const message of Messages) {
      const parsed: GenerationMessage = parseGenerationMessage(message.Body ?? '');
      if (parsed.job_id !== jobId) {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        );
        continue;
      }
      if (parsed.kind === 'finalise') {
        const { kind: _kind, ...body } = parsed;
        tasks.push(body);
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return tasks;
}

function runnerWith(deps: Partial<JobRunnerDeps>): JobRunner {
  return new JobRunner({
    jobs: platform.jobs,
    store: platform.store,
    usage: platform.usage,
    queue: platform.queue,
    timeSafetyMarginMs: MARGIN_MS,
    ...deps,
  });
}

describe('JobFinaliser time check', () => {
  it('hands the rest on when its invocation cannot hold the next object, and the job completes with the bytes of an undisturbed run, each object stored once', async () => {
    // Prepare: each stored object takes fake time in proportion to its bytes, the ZIP 90 s, so the
    // objects (about 180 s in all) need at least two invocations of 100 s (120 s less the margin).
    const { record, files, expected } = await preparedJob();
    const zipBytes = files[files.length - 1].size_bytes;
    const msPerByte = 90_000 / zipBytes;
    const sizes = new Map(files.map((f) => [jobObjectKey(record.job_id, f.file_name), f.size_bytes]));
    let now = Date.now();
    const stored: string[] = [];
    const stores = (key: string) => {
      const size = sizes.get(key);
      if (size === undefined) return;
      stored.push(key.slice(key.lastIndexOf('/') + 1));
      now += Math.round(size * msPerByte);
    };
    const store = storeWith(platform.store, {
      put: async (key, bytes, options) => {
        await platform.store.put(key, bytes, options);
        stores(key);
      },
      completeMultipart: async (key, uploadId, parts) => {
        await platform.store.completeMultipart(key, uploadId, parts);
        stores(key);
      },
    });
    const usage = countingUsage(platform.usage);
    const metrics = { ...recordingMetrics(), jobFailed: () => undefined };
    const runner = runnerWith({ store, usage, metrics, clock: () => new Date(now) });

    // Act: each finalise task in an invocation of its own, until none is sent.
    const outcomes: string[] = [];
    const messages: FinaliseMessage[] = [];
    let task: FinaliseMessage | undefined = finaliseMessage(record.job_id, record.chunking!.plan_id);
    while (task && outcomes.length < 10) {
      messages.push(task);
      const started = now;
      outcomes.push(
        await runner.run(
          { kind: 'finalise', ...task },
          { receiveCount: 1, remainingTimeMs: () => TIMEOUT_MS - (now - started) },
        ),
      );
      const next = await takeFinaliseTasks(record.job_id);
      expect(next.length).toBeLessThanOrEqual(1);
      task = next[0];
    }

    // Assert: handed on at least once, each time after more objects, never twice the same object.
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(outcomes).toEqual(messages.map(() => 'completed'));
    const counts = messages.map((m) => m.assembled ?? 0);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
    expect(stored).toEqual(files.map((f) => f.file_name));
    const job = await platform.jobs.get(record.job_id);
    expect(job?.status).toBe('completed');
    expect(job?.output_files).toEqual(files);
    for (const [name, bytes] of expected) {
      const now = await storedBytes(platform, jobObjectKey(record.job_id, name));
      expect(now.equals(bytes), `${name}: the undisturbed run's bytes`).toBe(true);
    }
    expect(metrics.completed).toHaveLength(1);
    expect(usage.released).toEqual([record.key_id]);
    expect(await platform.store.list(jobPartsPrefix(record.job_id))).toEqual([]);
  }, 120_000);

  it('fails the job with the reason when a handed-on invocation cannot store even one object, aborting it at the margin', async () => {
    // Prepare: the first object is stored (a previous invocation handed on after it); storing the
    // next hangs until its deadline aborts it, 300 ms before the margin.
    const { record, owner, files } = await preparedJob();
    const aborted: string[] = [];
    const hanging = (key: string, signal: AbortSignal | undefined) =>
      new Promise<never>((_resolve, reject) => {
        signal?.addEventListener('abort', () => {
          aborted.push(key.slice(key.lastIndexOf('/') + 1));
          reject(signal.reason);
        });
      });
    const store = storeWith(platform.store, {
      put: (key, bytes, options) =>
        key.startsWith(jobPartsPrefix(record.job_id))
          ? platform.store.put(key, bytes, options)
          : hanging(key, options.signal),
      createMultipart: (key, options) => hanging(key, options.signal),
    });
    const usage = countingUsage(platform.usage);
    const runner = runnerWith({ store, usage });
    const task = finaliseMessage(record.job_id, record.chunking!.plan_id, 1);

    // Act
    const outcome = await runner.run(
      { kind: 'finalise', ...task },
      { receiveCount: 1, remainingTimeMs: () => MARGIN_MS + 300 },
    );

    // Assert
    expect(outcome).toBe('failed');
    expect(aborted).toEqual([files[1].file_name]);
    const job = await platform.jobs.get(record.job_id);
    expect(job).toMatchObject({ status: 'failed', attempts: DEFAULT_MAX_ATTEMPTS });
    expect(job?.error).toEqual({
      code: 'GENERATION_ERROR',
      message: expect.stringMatching(
        new RegExp(
          `^The job's files could not be assembled within the generator's time limit of 20 s: ` +
            `${files[1].file_name.replaceAll('.', '\\.')} \\(\\d+\\.\\d MiB\\) did not fit in an invocation of ` +
            `its own, after 1 of ${files.length} files\\. Ask for fewer patients or formats per job\\.$`,
        ),
      ),
    });
    expect(await takeFinaliseTasks(record.job_id)).toEqual([]);
    expect(usage.released).toEqual([record.key_id]);
    expect(await platform.store.list(jobPartsPrefix(record.job_id))).toEqual([]);
    await expect(platform.jobService.get(owner, record.job_id)).resolves.toMatchObject({ status: 'failed' });
  }, 60_000);

  it('fails the job without storing anything when the time left is already within the margin', async () => {
    // Prepare
    const { record } = await preparedJob();
    const runner = runnerWith({});
    const task = finaliseMessage(record.job_id, record.chunking!.plan_id);

    // Act
    const outcome = await runner.run(
      { kind: 'finalise', ...task },
      { receiveCount: 1, remainingTimeMs: () => MARGIN_MS },
    );

    // Assert
    expect(outcome).toBe('failed');
    const job = await platform.jobs.get(record.job_id);
    expect(job?.error?.message).toMatch(/^The job's files could not be assembled .* after 0 of 4 files\./);
    const objects = (await platform.store.list(`jobs/${record.job_id}/`)).filter(
      (key) => !key.startsWith(jobPartsPrefix(record.job_id)),
    );
    expect(objects).toEqual([]);
  }, 60_000);
});
