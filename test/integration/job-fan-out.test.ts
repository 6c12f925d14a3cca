/**
 * A fanned-out job (memory/decisions/0906-job-fan-out.md) over dynalite and the local S3/SQS: the job
 * message plans it and runs chunk 0, the chunk tasks travel through a real queue, the last chunk's
 * count sends the finalise task (decision 0908), which completes the job in a run of its own. Chunks
 * are made small (patientsPerChunk) so a small job has several.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type GenerationMessage,
  type JobRepository,
  type JobRunner,
  type JobRunnerDeps,
  jobObjectKey,
  jobPrefix,
  parseGenerationMessage,
  type RunOutcome,
} from '../../lib/domain/index.js';
import { chunkPartKey, chunkPartsKey, jobPartsPrefix } from '../../lib/domain/job-parts.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import {
  createTestPlatform,
  fanOutRunner,
  principalOf,
  type TestPlatform,
  uniqueOwner,
} from '../support/platform.js';
import { readAll } from '../support/zip.js';

const env = useAwsEnv();
const sqs = createAwsClients().sqs;
let platform: TestPlatform;
let queueUrl: string;

beforeAll(async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `fan-out-test-${Date.now()}` }));
  queueUrl = QueueUrl!;
  platform = createTestPlatform(env, { queueUrl });
});

/** A runner over the platform's adapters (its own queue), chunks of `perChunk` patients. */
function runnerWith(perChunk: number, deps: Partial<JobRunnerDeps> = {}): JobRunner {
  return fanOutRunner(platform, perChunk, deps);
}

async function createJob(owner: string, total: number, extra: Record<string, unknown> = {}) {
  const { job } = await platform.generationService.create(principalOf(owner), {
    configuration: { name: 'Fan-out test', count: total, days_of_fighting: 3 },
    output_formats: ['json', 'ndjson', 'csv'],
    seed: 4321,
    ...extra,
  });
  return job;
}

/** The task messages of `jobId` on the platform's queue (others' are left alone), deleted once read. */
async function takeTasks(jobId: string, expected: number): Promise<GenerationMessage[]> {
  const tasks: GenerationMessage[] = [];
  for (let round = 0; round < 30 && tasks.length < expected; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
      }),
    );
    for (const message of Messages) {
      const parsed = parseGenerationMessage(message.Body ?? '');
      if (parsed.job_id !== jobId) {
        // Another job's: back on the queue at once.
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        );
        continue;
      }
      // The job message POST /generation sent is run by the test itself.
      if (parsed.kind !== 'job') tasks.push(parsed);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return tasks.sort((a, b) => (a.kind === 'chunk' && b.kind === 'chunk' ? a.chunk - b.chunk : 0));
}

/** Takes the job's finalise task from the queue (it must be there) and runs it. */
async function finalise(runner: JobRunner, jobId: string): Promise<RunOutcome> {
  const [task, ...more] = await takeTasks(jobId, 1);
  expect(task?.kind).toBe('finalise');
  expect(more).toEqual([]);
  return runner.run(task, { receiveCount: 1 });
}

async function objectText(key: string): Promise<Buffer> {
  return readAll(await platform.store.open(key));
}

describe('fanned-out job', () => {
  it('splits a job in balanced chunks sent as tasks, and completes with exactly N patients in every file', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 1_000, { use_compression: true });
    const runner = runnerWith(300);
    // Act
    const first = await runner.run(job.job_id, { receiveCount: 1 });
    const planned = (await platform.jobs.get(job.job_id))!;
    const midway = await platform.jobService.get(owner, job.job_id);
    const tasks = await takeTasks(job.job_id, 3);
    const outcomes: RunOutcome[] = [];
    for (const task of tasks) outcomes.push(await runner.run(task, { receiveCount: 1 }));
    const beforeFinalise = await platform.jobService.get(owner, job.job_id);
    const [finaliseTask] = await takeTasks(job.job_id, 1);
    const finalised = await runner.run(finaliseTask, { receiveCount: 1 });
    // Assert: the plan and its tasks.
    const planId = planned.chunking!.plan_id;
    expect(planned.chunking!.bounds).toEqual([0, 250, 500, 750, 1_000]);
    expect(tasks).toEqual(
      [1, 2, 3].map((chunk) => ({ kind: 'chunk', job_id: job.job_id, plan_id: planId, chunk })),
    );
    expect(first).toBe('completed');
    expect(midway).toMatchObject({
      status: 'running',
      progress: 25,
      progress_details: { phase: 'generating', patients_generated: 250, total_patients: 1_000 },
    });
    expect(outcomes).toEqual(['completed', 'completed', 'completed']);
    // Assert: the last chunk only sent the finalise task; the job completes when it runs.
    expect(beforeFinalise).toMatchObject({
      status: 'running',
      progress: 99,
      progress_details: { phase: 'packaging', patients_generated: 1_000, total_patients: 1_000 },
    });
    expect(finaliseTask).toEqual({ kind: 'finalise', job_id: job.job_id, plan_id: planId, finalise: true });
    expect(finalised).toBe('completed');
    // Assert: the job and its files.
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.status).toBe('completed');
    expect(done.progress).toBe(100);
    expect(done.summary?.total_patients).toBe(1_000);
    expect(done.output_files.map((f) => f.file_name)).toEqual([
      'patients.json.gz',
      'patients.ndjson.gz',
      'patients.csv.gz',
      'patients.zip',
    ]);
    const json = JSON.parse(
      gunzipSync(await objectText(jobObjectKey(job.job_id, 'patients.json.gz'))).toString(),
    );
    expect(json.map((p: { id: number }) => p.id)).toEqual([...Array(1_000).keys()]);
    const ndjson = gunzipSync(await objectText(jobObjectKey(job.job_id, 'patients.ndjson.gz'))).toString();
    expect(ndjson.trim().split('\n')).toHaveLength(1_000);
    const csv = gunzipSync(await objectText(jobObjectKey(job.job_id, 'patients.csv.gz'))).toString();
    expect(
      new Set(
        csv
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => line.split(',')[0]),
      ).size,
    ).toBe(1_000);
    // No part is left once the job has completed.
    expect(await platform.store.list(jobPartsPrefix(job.job_id))).toEqual([]);
  });

  it('keeps a small job in one chunk: no task is sent', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 120);
    // Act
    const outcome = await runnerWith(10_000).run(job.job_id, { receiveCount: 1 });
    // Assert
    expect(outcome).toBe('completed');
    expect((await platform.jobs.get(job.job_id))!.chunking!.bounds).toEqual([0, 120]);
    expect((await platform.jobService.get(owner, job.job_id)).status).toBe('completed');
    expect(await takeTasks(job.job_id, 0)).toEqual([]);
  });

  it('hands a long one-chunk job`s finaliser on as a task of its own, with the same files as inline (fix 0180)', async () => {
    // Prepare: the same job twice; the second planned as a one-chunk job too long to finalise inline.
    const owner = uniqueOwner();
    const inlineJob = await createJob(owner, 120, { use_compression: true });
    const handedOn = await createJob(owner, 120, { use_compression: true });
    const runner = runnerWith(10_000, { inlineStageMaxChunkSeconds: 0 });
    // Act
    await runnerWith(10_000).run(inlineJob.job_id, { receiveCount: 1 });
    const first = await runner.run(handedOn.job_id, { receiveCount: 1 });
    const midway = await platform.jobService.get(owner, handedOn.job_id);
    const finalised = await finalise(runner, handedOn.job_id);
    // Assert
    expect((await platform.jobs.get(handedOn.job_id))!.chunking).toMatchObject({
      bounds: [0, 120],
      next_stage_inline: false,
    });
    expect((await platform.jobs.get(inlineJob.job_id))!.chunking!.next_stage_inline).toBe(true);
    expect(first).toBe('completed');
    expect(midway).toMatchObject({ status: 'running', progress_details: { phase: 'packaging' } });
    expect(finalised).toBe('completed');
    const [a, b] = await Promise.all(
      [inlineJob, handedOn].map((j) => platform.jobService.get(owner, j.job_id)),
    );
    expect(b.status).toBe('completed');
    // The data files are the same; the ZIP's manifest names its own job, so its size may differ.
    const dataFiles = (job: typeof a) =>
      job.output_files.filter((f) => f.format !== 'zip').map((f) => [f.file_name, f.size_bytes]);
    expect(dataFiles(b)).toEqual(dataFiles(a));
    expect(b.output_files.map((f) => f.file_name)).toEqual(a.output_files.map((f) => f.file_name));
    for (const file of ['patients.json.gz', 'patients.csv.gz']) {
      const [x, y] = await Promise.all(
        [inlineJob, handedOn].map((j) => objectText(jobObjectKey(j.job_id, file))),
      );
      expect(y.equals(x), file).toBe(true);
    }
  });

  it('hands a long encrypted one-chunk job`s seal and finaliser on as tasks of their own (fix 0180)', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 120, { use_encryption: true, encryption_password: 'long chunk pls' });
    const runner = runnerWith(10_000, { inlineStageMaxChunkSeconds: 0 });
    // Act
    const first = await runner.run(job.job_id, { receiveCount: 1 });
    const [seal, ...more] = await takeTasks(job.job_id, 1);
    const sealed = await runner.run(seal, { receiveCount: 1 });
    const finalised = await finalise(runner, job.job_id);
    // Assert
    expect([first, sealed, finalised]).toEqual(['completed', 'completed', 'completed']);
    expect(seal).toMatchObject({ kind: 'seal', seal: 0 });
    expect(more).toEqual([]);
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.status).toBe('completed');
    expect(done.output_files.map((f) => f.file_name)).toContain('patients.json.enc');
  });

  it('counts a chunk delivered twice at once only once, its parts the same bytes as a chunk run once', async () => {
    // Prepare: two jobs of the same scenario and seed, the same chunks.
    const owner = uniqueOwner();
    const once = await createJob(owner, 600);
    const twice = await createJob(owner, 600);
    const runner = runnerWith(200);
    await runner.run(once.job_id, { receiveCount: 1 });
    await runner.run(twice.job_id, { receiveCount: 1 });
    const onceTasks = await takeTasks(once.job_id, 2);
    const twiceTasks = await takeTasks(twice.job_id, 2);
    // Act: chunk 1 of `twice` delivered twice at once (two workers), then chunk 1 of `once`.
    const doubled = await Promise.all([runner.run(twiceTasks[0]), runnerWith(200).run(twiceTasks[0])]);
    await runner.run(onceTasks[0]);
    const afterDouble = (await platform.jobs.get(twice.job_id))!;
    // Assert
    expect(doubled).toEqual(['completed', 'completed']);
    expect(afterDouble.chunks_done).toEqual([0, 1]);
    expect(afterDouble.status).toBe('running');
    for (const name of ['patients.json', 'patients.json.deflate', 'patients.csv', 'patients.csv.deflate']) {
      const a = await objectText(chunkPartKey(once.job_id, 1, name));
      const b = await objectText(chunkPartKey(twice.job_id, 1, name));
      expect(createHash('sha256').update(b).digest('hex'), name).toBe(
        createHash('sha256').update(a).digest('hex'),
      );
    }
    const list = JSON.parse((await objectText(chunkPartsKey(twice.job_id, 1))).toString());
    expect(list).toMatchObject({ chunk: 1, from: 200, to: 400 });
    // Act: the last chunk of each, then a late repeat of chunk 1 of the completed job.
    await runner.run(onceTasks[1]);
    await runner.run(twiceTasks[1]);
    await finalise(runner, once.job_id);
    await finalise(runner, twice.job_id);
    const late = await runner.run(twiceTasks[0]);
    // Assert: both complete with the same files; the late repeat does nothing and leaves no part.
    const [a, b] = await Promise.all([
      platform.jobService.get(owner, once.job_id),
      platform.jobService.get(owner, twice.job_id),
    ]);
    expect(b.status).toBe('completed');
    expect(late).toBe('skipped');
    // The data files are the same (the ZIP's manifest names its own job).
    const files = (job: typeof a) =>
      job.output_files.filter((f) => f.format !== 'zip').map((f) => [f.file_name, f.size_bytes, f.checksum]);
    expect(files(b)).toEqual(files(a));
    expect(b.summary?.total_patients).toBe(600);
    expect(await platform.store.list(jobPartsPrefix(twice.job_id))).toEqual([]);
  });

  it('never takes a job`s progress back when a chunk runs again after a dead worker: it reports from what was recorded', async () => {
    // Prepare: chunk 1 had recorded 150 of its 200 patients when its worker died.
    const owner = uniqueOwner();
    const job = await createJob(owner, 600);
    await runnerWith(200).run(job.job_id, { receiveCount: 1 });
    const [chunk1] = await takeTasks(job.job_id, 2);
    const planId = (await platform.jobs.get(job.job_id))!.chunking!.plan_id;
    await platform.jobs.recordChunkProgress(job.job_id, 1, 150, planId, new Date().toISOString());
    const before = await platform.jobService.get(owner, job.job_id);
    const recorded: number[] = [];
    const jobs: JobRepository = Object.create(platform.jobs);
    jobs.recordChunkProgress = (id, index, done, plan, at) => {
      if (index === 1) recorded.push(done);
      return platform.jobs.recordChunkProgress(id, index, done, plan, at);
    };
    // Act: its message comes again and the chunk runs from its first patient.
    const outcome = await runnerWith(200, { jobs, checkpointEvery: 10 }).run(chunk1, { receiveCount: 2 });
    // Assert
    expect(outcome).toBe('completed');
    expect(before.progress_details?.patients_generated).toBe(200 + 150);
    expect(recorded.length).toBeGreaterThan(2);
    expect(Math.min(...recorded)).toBeGreaterThanOrEqual(150);
    expect(recorded.at(-1)).toBe(200);
  });

  it('stops every chunk when the job is cancelled mid-job, and leaves no part behind', async () => {
    // Prepare: 4 chunks of 500; the cancel comes once chunk 2 has written some patients.
    const owner = uniqueOwner();
    const job = await createJob(owner, 2_000);
    let cancelled: Promise<unknown> | undefined;
    const jobs = cancellingJobs(platform.jobs, (index, done) => {
      if (index === 2 && done > 0 && !cancelled) cancelled = platform.jobService.cancel(owner, job.job_id);
      return cancelled;
    });
    const runner = runnerWith(500, { jobs, checkpointEvery: 25 });
    // Act: chunk 0 (with the job message) and chunks 1-3 run at the same time.
    const planning = runner.run(job.job_id, { receiveCount: 1 });
    const tasks = await takeTasks(job.job_id, 3);
    const outcomes = await Promise.all([
      planning,
      ...tasks.map((task) => runner.run(task, { receiveCount: 1 })),
    ]);
    // Assert
    expect(outcomes.every((o) => o === 'cancelled' || o === 'completed')).toBe(true);
    expect(outcomes).toContain('cancelled');
    const after = await platform.jobService.get(owner, job.job_id);
    expect(after.status).toBe('cancelled');
    expect(after.output_files).toEqual([]);
    expect(await platform.store.list(jobPrefix(job.job_id))).toEqual([]);
    // A chunk task that comes after the cancel does nothing.
    expect(await runner.run(tasks[0], { receiveCount: 1 })).toBe('cancelled');
    expect(await platform.store.list(jobPrefix(job.job_id))).toEqual([]);
  });

  it('keeps the progress a fanned-out job had reached when it is cancelled, in the answer and afterwards', async () => {
    // Prepare: chunk 0 done (200 patients), chunk 1 at 50 of its 200.
    const owner = uniqueOwner();
    const job = await createJob(owner, 600);
    await runnerWith(200).run(job.job_id, { receiveCount: 1 });
    await takeTasks(job.job_id, 2);
    const planId = (await platform.jobs.get(job.job_id))!.chunking!.plan_id;
    await platform.jobs.recordChunkProgress(job.job_id, 1, 50, planId, new Date().toISOString());
    // Act
    const answer = await platform.jobService.cancel(owner, job.job_id);
    const after = await platform.jobService.get(owner, job.job_id);
    // Assert
    for (const seen of [answer, after]) {
      expect(seen.status).toBe('cancelled');
      expect(seen.progress).toBe(41); // 250 of 600
      expect(seen.progress_details).toEqual({
        phase: 'generating',
        patients_generated: 250,
        total_patients: 600,
      });
    }
  });

  it('leaves nothing of a job deleted while a chunk was writing: the chunk removes what it wrote after', async () => {
    // Prepare: the delete lands between the chunk's last write and its count.
    const owner = uniqueOwner();
    const job = await createJob(owner, 400);
    await runnerWith(200).run(job.job_id, { receiveCount: 1 });
    const [task] = await takeTasks(job.job_id, 1);
    const jobs = new Proxy(platform.jobs, {
      get(target, property, receiver) {
        if (property === 'countTaskDone') {
          return async (...args: Parameters<JobRepository['countTaskDone']>) => {
            await platform.jobService.delete(owner, job.job_id);
            return target.countTaskDone(...args);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // Act
    const outcome = await runnerWith(200, { jobs }).run(task, { receiveCount: 1 });
    // Assert
    expect(outcome).toBe('cancelled');
    expect(await platform.jobs.get(job.job_id)).toBeUndefined();
    expect(await platform.store.list(jobPrefix(job.job_id))).toEqual([]);
  });

  it('fails the job for good on a task`s last delivery, deleting its parts; an earlier failure only retries', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 400);
    const runner = runnerWith(200);
    await runner.run(job.job_id, { receiveCount: 1 });
    const [task] = await takeTasks(job.job_id, 1);
    const broken = runnerWith(200, { jobs: failingProgress(platform.jobs, 'table on fire') });
    // Act
    const early = await broken.run(task, { receiveCount: 1 }).catch((e: unknown) => e);
    const afterEarly = (await platform.jobs.get(job.job_id))!;
    const last = await broken.run(task, { receiveCount: 3 }).catch((e: unknown) => e);
    // Assert
    expect((early as Error).message).toContain('table on fire');
    expect(afterEarly.status).toBe('running');
    expect((last as Error).message).toContain('table on fire');
    const failed = await platform.jobService.get(owner, job.job_id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'GENERATION_ERROR' });
    expect(failed.error?.message).toContain('table on fire');
    expect(await platform.store.list(jobPartsPrefix(job.job_id))).toEqual([]);
    // The DLQ's later delivery of the same message finds the job ended.
    expect(await runner.run(task, { receiveCount: 4 })).toBe('failed');
  });

  it('resumes a planned job when its message comes again: chunk 0 runs, no task is sent twice', async () => {
    // Prepare: the job planned and its tasks sent, chunk 0 failing once.
    const owner = uniqueOwner();
    const job = await createJob(owner, 400);
    const failingStore = storeFailingChunkZero();
    const failed = await runnerWith(200, { store: failingStore })
      .run(job.job_id, { receiveCount: 1 })
      .catch((e: unknown) => e);
    const tasks = await takeTasks(job.job_id, 1);
    // Act
    const resumed = await runnerWith(200).run(job.job_id, { receiveCount: 2 });
    const sentAgain = await takeTasks(job.job_id, 0);
    const outcome = await runnerWith(200).run(tasks[0], { receiveCount: 1 });
    const finalised = await finalise(runnerWith(200), job.job_id);
    // Assert
    expect(failed).toBeInstanceOf(Error);
    expect(resumed).toBe('completed');
    expect(sentAgain).toEqual([]);
    expect(outcome).toBe('completed');
    expect(finalised).toBe('completed');
    expect((await platform.jobService.get(owner, job.job_id)).status).toBe('completed');
  });

  it('finalises in a task of its own: a finalise message before the last chunk is ignored, a repeated one completes the job once', async () => {
    // Prepare: two chunks; chunk 0 run by the job message, chunk 1 still to come.
    const owner = uniqueOwner();
    const job = await createJob(owner, 400, { use_compression: true });
    const runner = runnerWith(200);
    await runner.run(job.job_id, { receiveCount: 1 });
    const [chunk1] = await takeTasks(job.job_id, 1);
    const planId = (await platform.jobs.get(job.job_id))!.chunking!.plan_id;
    const early = { kind: 'finalise', job_id: job.job_id, plan_id: planId, finalise: true } as const;
    // Act
    const tooEarly = await runner.run(early, { receiveCount: 1 });
    const lastChunk = await runner.run(chunk1, { receiveCount: 1 });
    const [task] = await takeTasks(job.job_id, 1);
    const [a, b] = await Promise.all([runner.run(task, { receiveCount: 1 }), runnerWith(200).run(task)]);
    const afterBoth = await platform.jobService.get(owner, job.job_id);
    const late = await runner.run(task, { receiveCount: 2 });
    // Assert
    expect(tooEarly).toBe('skipped');
    expect(lastChunk).toBe('completed');
    expect(task).toEqual(early);
    expect([a, b]).toContain('completed');
    expect(afterBoth.status).toBe('completed');
    expect(afterBoth.summary?.total_patients).toBe(400);
    const json = JSON.parse(
      gunzipSync(await objectText(jobObjectKey(job.job_id, 'patients.json.gz'))).toString(),
    );
    expect(json.map((p: { id: number }) => p.id)).toEqual([...Array(400).keys()]);
    expect(late).toBe('skipped');
    expect(await platform.jobService.get(owner, job.job_id)).toEqual(afterBoth);
    expect(await platform.store.list(jobPartsPrefix(job.job_id))).toEqual([]);
  });

  it('writes a chunk of every format, uncompressed (ten part uploads on one signal), with no listener-leak warning', async () => {
    // Prepare: memory/fixes/0074: each upload added its own abort listener to the chunk's signal.
    const owner = uniqueOwner();
    const job = await createJob(owner, 60, {
      output_formats: ['json', 'ndjson', 'csv', 'fhir', 'xml'],
      use_compression: false,
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    // Act
    let outcome: RunOutcome;
    try {
      outcome = await runnerWith(10_000).run(job.job_id, { receiveCount: 1 });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    // Assert
    expect(outcome).toBe('completed');
    expect((await platform.jobService.get(owner, job.job_id)).output_files).toHaveLength(6);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});

/** A repository whose chunk progress writes call `act` first (a cancel mid-job). */
function cancellingJobs(
  inner: JobRepository,
  act: (index: number, done: number) => Promise<unknown> | undefined,
): JobRepository {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'recordChunkProgress') {
        return async (jobId: string, index: number, done: number, planId: string, at: string) => {
          await act(index, done);
          return target.recordChunkProgress(jobId, index, done, planId, at);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A repository whose chunk progress writes fail. */
function failingProgress(inner: JobRepository, message: string): JobRepository {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'recordChunkProgress') return async () => Promise.reject(new Error(message));
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The platform's store, failing the uploads of chunk 0's parts. */
function storeFailingChunkZero() {
  return new Proxy(platform.store, {
    get(target, property, receiver) {
      if (property === 'upload') {
        return async (
          key: string,
          ...rest: Parameters<typeof target.upload> extends [string, ...infer R] ? R : never
        ) => {
          if (key.includes('/parts/c000000/')) {
            rest[0].resume();
            throw new Error('bucket on fire');
          }
          return target.upload(key, ...rest);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
