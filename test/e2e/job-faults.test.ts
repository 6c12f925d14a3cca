/**
 * Faults of the fanned-out job path through the local stack (issue #9 §2,
 * memory/decisions/0906-job-fan-out.md): two generator workers, small chunks (the stack's
 * `patientsPerChunk`), a short visibility heartbeat so a failed delivery comes back in seconds.
 * Every job that completes is checked against the CLI's one output chain for the same scenario and
 * seed (each decompressed file and each ZIP entry, exactly N patients) and leaves no part behind:
 *
 * - a worker SIGKILLed mid-chunk: the pool releases its message, the chunk runs again, the job completes;
 * - every chunk message delivered twice (and again once the job is done): each chunk counts once;
 * - a poison task message: to the DLQ after its deliveries, its job failed with GENERATION_ERROR;
 * - cancel mid-job: every chunk stops at its next checkpoint, no part or file is left;
 * - a finaliser killed while it runs: its finalise task (memory/decisions/0908-finaliser-task.md)
 *   comes back and finalises again;
 * - five jobs at once (compressed and not, every format, two of the same request: same bytes).
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_OWNER, type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import type { WorkerPoolStatus } from '../../infra/local/worker-pool.js';
import { chunkMessage, type JobRecord } from '../../lib/domain/index.js';
import { jobPrefix } from '../../lib/domain/job.js';
import { jobPartsPrefix } from '../../lib/domain/job-parts.js';
import { loadScenario, plan } from '../../lib/generation/index.js';
import {
  createAwsClients,
  DynamoJobRepository,
  S3ResultStore,
  SqsJobQueue,
} from '../../lib/infrastructure/index.js';
import { formatSpec, type OutputFormat, runOutputChain } from '../../lib/output/index.js';
import { jobRecord } from '../support/repository-contract.js';
import { readAll, unzip } from '../support/zip.js';
import { ApiClient, type Json, smallScenario } from './client.js';

/** Patients per chunk in this stack: a job of a few thousand patients is several chunks. */
const CHUNK = 1500;
/** A failed delivery comes back after this window (the deployed stages keep 60 s renewals). */
const HEARTBEAT = { windowSeconds: 4, everySeconds: 1 } as const;
/** Generous for a loaded 2-core machine; on a quiet one each test takes a few seconds. */
const TEST_TIMEOUT = 300_000;

let stack: LocalStack;
let api: ApiClient;
let sqs: SQSClient;
let jobs: DynamoJobRepository;
let store: S3ResultStore;
let queue: SqsJobQueue;
const events: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    logLevel: 'ERROR',
    workers: 2,
    patientsPerChunk: CHUNK,
    heartbeat: HEARTBEAT,
    onWorkerEvent: (line) => events.push(line),
  });
  api = new ApiClient(stack.url, stack.apiKey);
  const clients = createAwsClients();
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  jobs = new DynamoJobRepository(clients.documents, stack.env.JOBS_TABLE);
  store = new S3ResultStore(clients.s3, stack.env.RESULTS_BUCKET);
  queue = new SqsJobQueue(sqs, stack.env.GENERATION_QUEUE_URL);
  // Both workers run a chunk of every format once, so the tests' first batches are not a cold
  // process's (the chunk's time budget extrapolates from its batches).
  const warmUp = await submit({
    total: 2 * CHUNK,
    seed: 9000,
    formats: ['json', 'ndjson', 'csv', 'fhir', 'xml'],
  });
  const warm = await api.waitForJob(warmUp, undefined, TEST_TIMEOUT);
  expect(warm.status, JSON.stringify(warm.error)).toBe('completed');
}, TEST_TIMEOUT);

afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
});

// ---- helpers -------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface JobRequest {
  readonly total: number;
  readonly seed: number;
  readonly formats: readonly OutputFormat[];
  readonly compress?: boolean;
}

function body(request: JobRequest): Json {
  return {
    configuration: smallScenario({ total_patients: request.total, days_of_fighting: 3 }),
    seed: request.seed,
    output_formats: [...request.formats],
    use_compression: request.compress ?? true,
  };
}

async function submit(request: JobRequest): Promise<string> {
  const res = await api.post('/api/v1/generation', body(request));
  expect(res.status, res.text).toBe(201);
  return res.json.job_id as string;
}

async function record(jobId: string): Promise<JobRecord> {
  const found = await jobs.get(jobId);
  if (!found) throw new Error(`job ${jobId} is gone`);
  return found;
}

/**
 * Polls the job record (DynamoDB, every 5 ms) until `predicate` holds; a job that ends otherwise fails
 * the wait at once with its error.
 */
async function recordWhen(
  jobId: string,
  predicate: (job: JobRecord) => boolean,
  timeoutMs = TEST_TIMEOUT,
): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await record(jobId);
    if (predicate(job)) return job;
    if (['completed', 'failed', 'cancelled'].includes(job.status)) {
      throw new Error(`job ${jobId} ended ${job.status} first: ${JSON.stringify(job.error)}`);
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId}: condition not met, status ${job.status}`);
    await sleep(5);
  }
}

/**
 * Polls the store until the job has an assembled file (a key outside its parts) while it still runs:
 * its finaliser is mid-way. False when the job stopped running first.
 */
async function fileAssembledWhileRunning(jobId: string, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const parts = jobPartsPrefix(jobId);
  while (Date.now() < deadline) {
    const keys = await store.list(jobPrefix(jobId));
    if ((await record(jobId)).status !== 'running') return false;
    if (keys.some((key) => !key.startsWith(parts))) return true;
    await sleep(2);
  }
  return false;
}

async function workers(): Promise<WorkerPoolStatus> {
  const res = await api.get('/health', { key: null });
  return res.json.local_workers as WorkerPoolStatus;
}

async function messagesIn(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

/** Both queues empty, every worker up and idle: nothing is left to run. */
async function settled(timeout = TEST_TIMEOUT): Promise<void> {
  await vi.waitUntil(
    async () => {
      const status = await workers();
      return (
        status.status === 'ok' &&
        status.workers.every((w) => !w.busy) &&
        (await messagesIn(stack.env.GENERATION_QUEUE_URL)) === 0 &&
        (await messagesIn(stack.env.GENERATION_DLQ_URL)) === 0
      );
    },
    { timeout, interval: 100 },
  );
}

/** The CLI's bytes (its one output chain, uncompressed) for the job's stored scenario and seed. */
const cliCache = new Map<string, Promise<Map<string, Buffer>>>();
function cliFiles(job: JobRecord): Promise<Map<string, Buffer>> {
  const formats = job.config.output_formats as OutputFormat[];
  const key = JSON.stringify([job.scenario, job.seed, formats]);
  let files = cliCache.get(key);
  if (!files) {
    files = (async () => {
      const out = new Map<string, Buffer>();
      await runOutputChain(plan(loadScenario(job.scenario), job.seed), {
        formats,
        compress: false,
        password: null,
        sha256: false,
        sink: async (file, bytes: Readable) => {
          out.set(file.format, await readAll(bytes));
        },
      });
      return out;
    })();
    cliCache.set(key, files);
  }
  return files;
}

/** Patients in a decompressed file of this format. */
function patientsIn(format: OutputFormat, bytes: Buffer): number {
  const text = bytes.toString('utf8');
  if (format === 'json') return (JSON.parse(text) as unknown[]).length;
  if (format === 'ndjson') return text.trimEnd().split('\n').length;
  if (format === 'csv') return text.trimEnd().split('\n').length - 1;
  // FHIR: one Bundle a line (the shared resources first, then one per patient).
  if (format === 'fhir') return (text.match(/"resourceType":"Patient"/g) ?? []).length;
  return (text.match(/<patient[\s>]/g) ?? []).length;
}

interface CompletedFiles {
  /** Each file as downloaded (compressed or not). */
  readonly downloads: Map<string, Buffer>;
  readonly zip: Map<string, Buffer>;
}

/**
 * The completed job's files and ZIP against the CLI's: every decompressed file and ZIP entry equal,
 * exactly N patients, the manifest listing every file, no part left in the store once the workers
 * are idle.
 */
async function expectCliBytes(jobId: string, patients: number): Promise<CompletedFiles> {
  const job = await record(jobId);
  expect(job.status, JSON.stringify(job.error)).toBe('completed');
  expect(job.progress_details).toEqual({
    phase: 'done',
    patients_generated: patients,
    total_patients: patients,
  });
  expect(job.summary?.total_patients).toBe(patients);
  const formats = job.config.output_formats as OutputFormat[];
  const compressed = job.config.use_compression;
  const cli = await cliFiles(job);
  const downloads = new Map<string, Buffer>();
  const zip = await unzip((await api.download(jobId)).bytes);
  for (const format of formats) {
    const raw = (await api.download(jobId, format)).bytes;
    downloads.set(format, raw);
    const plain = compressed ? gunzipSync(raw) : raw;
    const expected = cli.get(format)!;
    expect(plain.length, format).toBe(expected.length);
    expect(plain.equals(expected), `${format} equals the CLI's bytes`).toBe(true);
    expect(patientsIn(format, plain), format).toBe(patients);
    const name = formatSpec(format).fileName;
    const entry = compressed ? zip.get(`${name}.gz`) : zip.get(name);
    expect(entry, `ZIP entry of ${format}`).toBeDefined();
    expect((compressed ? gunzipSync(entry!) : entry!).equals(expected), `ZIP entry of ${format}`).toBe(true);
    if (compressed) expect(entry!.equals(raw), `ZIP stores the .gz of ${format} as downloaded`).toBe(true);
  }
  const manifest = JSON.parse(String(zip.get('manifest.json'))) as Json;
  expect(manifest.job_id).toBe(jobId);
  expect(zip.size).toBe(formats.length + 1);
  // The finaliser removes the parts just after it completes the job, and a repeat still running
  // removes what it wrote again once it finds the job completed: none is left once the workers are idle.
  await settled();
  expect(await store.list(jobPartsPrefix(jobId))).toEqual([]);
  return { downloads, zip };
}

// ---- the faults ----------------------------------------------------------------------------------

describe('fanned-out jobs under faults (local stack, 2 workers, small chunks)', () => {
  it(
    'a poison task message reaches the DLQ and its job is failed with GENERATION_ERROR and the reason',
    async () => {
      // Prepare: a queued job of the local key whose only message is a task message nobody can read.
      const job = jobRecord(LOCAL_OWNER, { status: 'queued', job_id: randomUUID() });
      await jobs.create(job);

      // Act
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.env.GENERATION_QUEUE_URL,
          MessageBody: JSON.stringify({ job_id: job.job_id, plan_id: 'p', chunk: 'first' }),
        }),
      );
      const failed = await recordWhen(job.job_id, (j) => j.status === 'failed');

      // Assert: failed by the DLQ consumer after the message's deliveries, with a reason; nothing left.
      const shown = await api.get(`/api/v1/jobs/${job.job_id}`);
      expect(shown.status, shown.text).toBe(200);
      expect(shown.json.status).toBe('failed');
      expect(shown.json.error.code).toBe('GENERATION_ERROR');
      expect(shown.json.error.message).toMatch(/^The generator did not (start|finish) this job/);
      expect(failed.attempts).toBe(3);
      await settled();
    },
    TEST_TIMEOUT,
  );

  it(
    'a worker SIGKILLed mid-chunk: its chunk runs again within a minute, exactly N patients, the CLI bytes',
    async () => {
      // Prepare: four chunks of three formats, each long enough to be caught running; wait until both
      // workers are inside a chunk (each chunk's progress between 0 and half), so the killed one's
      // chunk has progress to lose.
      const total = 4 * CHUNK;
      await settled();
      const jobId = await submit({ total, seed: 9101, formats: ['json', 'csv', 'fhir'] });
      const inside = (j: JobRecord) =>
        Object.entries(j.chunk_progress ?? {}).filter(
          ([i, done]) => done > 0 && done < CHUNK / 2 && !j.chunks_done?.includes(Number(i)),
        );
      const midChunk = await recordWhen(jobId, (j) => inside(j).length >= 2);
      const busy = (await workers()).workers.find((w) => w.busy && w.pid);
      expect(busy, 'a worker runs a chunk').toBeDefined();

      // Act
      process.kill(busy!.pid!, 'SIGKILL');
      const killedAt = Date.now();
      const atKill = await record(jobId);
      const unfinished = Object.entries(atKill.chunk_progress ?? {}).filter(
        ([i]) => !atKill.chunks_done?.includes(Number(i)),
      );
      // Its chunk runs again from the start, its recorded progress kept (fix 0117) until the new run
      // passes it: every chunk unfinished at the kill is then past its count or done. Meanwhile the
      // job's progress never goes back.
      const sums: number[] = [];
      await recordWhen(jobId, (j) => {
        sums.push(Object.values(j.chunk_progress ?? {}).reduce((a, b) => a + b, 0));
        return unfinished.every(
          ([i, done]) => j.chunks_done?.includes(Number(i)) || (j.chunk_progress?.[i] ?? 0) > done,
        );
      });
      const rerunAfterMs = Date.now() - killedAt;
      const done = await api.waitForJob(jobId, undefined, TEST_TIMEOUT);

      // Assert
      expect(midChunk.status).toBe('running');
      expect(rerunAfterMs).toBeLessThan(60_000);
      expect(sums).toEqual([...sums].sort((a, b) => a - b));
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      const log = events.join('\n');
      expect(log).toContain(`(pid ${busy!.pid}) died (signal SIGKILL) while running`);
      expect(log).toMatch(/released \S+ to the queue/);
      expect((await record(jobId)).chunks_done).toEqual([0, 1, 2, 3]);
      await expectCliBytes(jobId, total);
      await settled();
    },
    TEST_TIMEOUT,
  );

  it(
    'every chunk message delivered twice, and again after the job completed: each chunk counts once, the CLI bytes',
    async () => {
      // Prepare
      const total = 3 * CHUNK;
      const jobId = await submit({ total, seed: 9102, formats: ['json', 'csv'] });
      const planned = await recordWhen(jobId, (j) => j.chunking !== undefined);
      const planId = planned.chunking!.plan_id;
      const duplicates = [0, 1, 2].map((i) => chunkMessage(jobId, planId, i));

      // Act: a second delivery of every chunk while the job runs, and a third once it is done.
      await queue.sendTasks(duplicates);
      const done = await api.waitForJob(jobId, undefined, TEST_TIMEOUT);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      const first = await expectCliBytes(jobId, total);
      await queue.sendTasks(duplicates);
      await settled();

      // Assert: counted once each; the late repeats change nothing and keep the files.
      const after = await record(jobId);
      expect(after.chunks_done).toEqual([0, 1, 2]);
      expect(after.status).toBe('completed');
      const again = await expectCliBytes(jobId, total);
      for (const [format, bytes] of first.downloads) {
        expect(again.downloads.get(format)?.equals(bytes), format).toBe(true);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'cancel mid-job: every chunk stops at its next checkpoint, nothing is counted after, no part or file is left',
    async () => {
      // Prepare: ten chunks; cancel once the first is done.
      const total = 10 * CHUNK;
      await settled();
      const jobId = await submit({ total, seed: 9103, formats: ['json', 'csv'] });
      await recordWhen(jobId, (j) => (j.chunks_done?.length ?? 0) >= 1);

      // Act
      const cancelledAt = Date.now();
      const res = await api.post(`/api/v1/jobs/${jobId}/cancel`);
      expect(res.status, res.text).toBe(200);
      const atCancel = await record(jobId);
      await settled();
      const stoppedAfterMs = Date.now() - cancelledAt;

      // Assert: no chunk wrote progress or counted itself after the cancel; everything deleted.
      const after = await record(jobId);
      expect(after.status).toBe('cancelled');
      expect(after.chunks_done).toEqual(atCancel.chunks_done);
      expect(after.chunk_progress).toEqual(atCancel.chunk_progress);
      expect(after.chunks_done!.length).toBeLessThan(10);
      expect(await store.list(jobPrefix(jobId))).toEqual([]);
      const shown = await api.get(`/api/v1/jobs/${jobId}`);
      expect(shown.json).toMatchObject({ status: 'cancelled', output_files: [] });
      expect(stoppedAfterMs).toBeLessThan(60_000);
    },
    TEST_TIMEOUT,
  );

  it(
    'a finaliser killed while it runs: its finalise task comes back and finalises, exactly N, the CLI bytes',
    async () => {
      // Prepare / Act: the finaliser runs as a task of its own once the last chunk has sent it (phase
      // `packaging`). Kill every busy worker the moment it has assembled a first file while the job
      // still runs (the finaliser is mid-way, the only task left); a kill that lands after the job
      // completed is tried again.
      const total = 3 * CHUNK;
      let jobId = '';
      let crashed = false;
      for (let attempt = 0; attempt < 3 && !crashed; attempt++) {
        await settled();
        jobId = await submit({
          total,
          seed: 9104 + attempt,
          formats: ['json', 'ndjson', 'csv', 'xml', 'fhir'],
        });
        await recordWhen(jobId, (j) => j.status === 'completed' || j.progress_details.phase === 'packaging');
        const midway = await fileAssembledWhileRunning(jobId);
        const busy = (await workers()).workers.filter((w) => w.busy && w.pid);
        for (const w of busy) process.kill(w.pid!, 'SIGKILL');
        crashed = midway && busy.length > 0 && (await record(jobId)).status === 'running';
      }
      expect(crashed, 'a kill landed while the finaliser was assembling the files').toBe(true);
      const done = await api.waitForJob(jobId, undefined, TEST_TIMEOUT);

      // Assert
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      expect(events.join('\n')).toMatch(/died \(signal SIGKILL\) while running/);
      expect((await record(jobId)).chunks_done).toEqual([0, 1, 2]);
      await expectCliBytes(jobId, total);
      await settled();
    },
    TEST_TIMEOUT,
  );

  it(
    'five jobs at once, compressed and not, every format: each exactly N with the CLI bytes; the same request gives the same bytes',
    async () => {
      // Prepare
      const total = 2 * CHUNK + 100;
      const requests: JobRequest[] = [
        { total, seed: 9201, formats: ['json', 'csv'] },
        { total, seed: 9202, formats: ['ndjson', 'xml'] },
        { total, seed: 9203, formats: ['fhir'] },
        { total, seed: 9204, formats: ['json', 'csv'], compress: false },
        { total, seed: 9201, formats: ['json', 'csv'] },
      ];
      await settled();

      // Act
      const ids = await Promise.all(requests.map(submit));
      const finished = await Promise.all(ids.map((id) => api.waitForJob(id, undefined, TEST_TIMEOUT)));

      // Assert
      for (const job of finished) expect(job.status, JSON.stringify(job.error)).toBe('completed');
      const files = [];
      for (const id of ids) files.push(await expectCliBytes(id, total));
      // Same scenario, seed and chunking: the same compressed bytes too.
      for (const format of ['json', 'csv']) {
        expect(files[4].downloads.get(format)?.equals(files[0].downloads.get(format)!), format).toBe(true);
      }
      await settled();
    },
    TEST_TIMEOUT,
  );
});
