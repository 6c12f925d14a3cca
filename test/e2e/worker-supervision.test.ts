/**
 * The local stack's generator workers (infra/local/worker-pool.ts, memory/decisions/0902-local-workers.md):
 * several worker processes, reported in /health as `local_workers`; a worker that dies is reported
 * down, its message released, and a replacement started; a job whose worker is SIGKILLed mid-run
 * still completes with exactly N patients and the same bytes as an undisturbed job of the same seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import type { WorkerPoolStatus } from '../../infra/local/worker-pool.js';
import { unzip } from '../support/zip.js';
import { ApiClient, type Json, smallScenario } from './client.js';

let stack: LocalStack;
let api: ApiClient;
const events: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    logLevel: 'ERROR',
    workers: 2,
    maxPatientsPerJob: 100_000,
    onWorkerEvent: (line) => events.push(line),
  });
  api = new ApiClient(stack.url, stack.apiKey);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function localWorkers(path = '/health'): Promise<WorkerPoolStatus> {
  const res = await api.get(path, { key: null });
  expect(res.status, res.text).toBe(200);
  return res.json.local_workers as WorkerPoolStatus;
}

async function waitForWorkers(
  predicate: (status: WorkerPoolStatus) => boolean,
  timeout = 60_000,
): Promise<WorkerPoolStatus> {
  let last: WorkerPoolStatus | undefined;
  await vi.waitUntil(
    async () => {
      last = await localWorkers();
      return predicate(last);
    },
    { timeout, interval: 50 },
  );
  return last!;
}

const PATIENTS = 30_000;

function request(seed: number): Json {
  return {
    configuration: smallScenario({ total_patients: PATIENTS, days_of_fighting: 5 }),
    seed,
    output_formats: ['json', 'csv'],
    use_compression: true,
  };
}

/** Each file of a completed job, decompressed, and the ZIP's entries. */
async function filesOf(jobId: string): Promise<{ json: Buffer; csv: Buffer; zip: Map<string, Buffer> }> {
  const json = gunzipSync((await api.download(jobId, 'json')).bytes);
  const csv = gunzipSync((await api.download(jobId, 'csv')).bytes);
  const zip = await unzip((await api.download(jobId)).bytes);
  return { json, csv, zip };
}

/** The manifest without what differs between two jobs of the same request (id, times). */
function comparableManifest(bytes: Buffer | undefined): unknown {
  const manifest = JSON.parse(String(bytes)) as Record<string, unknown>;
  const { job_id: _id, generated_at: _at, created_at: _created, ...rest } = manifest;
  return rest;
}

describe('local generator workers', () => {
  it('runs the number of workers asked for and shows them in /health and /api/v1/health', async () => {
    // Prepare / Act
    const health = await api.get('/health', { key: null });
    const readiness = await localWorkers('/api/v1/health');

    // Assert: the product's answer is intact, the local section comes on top of it.
    expect(health.json.status).toBe('healthy');
    for (const status of [health.json.local_workers as WorkerPoolStatus, readiness]) {
      expect(status).toMatchObject({ status: 'ok', desired: 2, running: 2, starting: 0, down: 0 });
      expect(status.workers.map((w) => w.state)).toEqual(['running', 'running']);
      expect(new Set(status.workers.map((w) => w.pid)).size).toBe(2);
    }
    expect(stack.workers()).toMatchObject({ desired: 2, running: 2 });
  });

  it.runIf(existsSync('/proc/self'))(
    "runs each worker from the generator Lambda's bundle with source maps, not from TypeScript under tsx",
    async () => {
      // Prepare
      const { workers } = await waitForWorkers((s) => s.status === 'ok');

      // Act: each worker's command line (Linux: NUL-separated /proc/<pid>/cmdline).
      const commandLines = workers.map((w) => readFileSync(`/proc/${w.pid}/cmdline`, 'utf8').split('\0'));

      // Assert
      for (const args of commandLines) {
        expect(args).toContain('--enable-source-maps');
        expect(args).toContain(resolve('dist/local/infra/local/worker-process.mjs'));
        expect(args).toContain(resolve('dist/local/functions/queue/generate-patients.mjs'));
        expect(args.join(' ')).not.toMatch(/tsx|\.ts\b/);
      }
    },
  );

  it('reports a killed idle worker down until its replacement runs, and logs both', async () => {
    // Prepare
    const before = await waitForWorkers((s) => s.status === 'ok');
    const victim = before.workers[0];
    const replacedBefore = before.replaced;

    // Act
    process.kill(victim.pid!, 'SIGKILL');

    // Assert: down (or starting again), then running under a new pid.
    const degraded = await waitForWorkers((s) => s.workers[0].state !== 'running');
    expect(degraded.status).toBe('degraded');
    expect(degraded.workers[0]).toMatchObject({ pid: null, last_exit: 'signal SIGKILL' });
    const after = await waitForWorkers((s) => s.status === 'ok');
    expect(after.workers[0].pid).not.toBe(victim.pid);
    expect(after.workers[0].deaths).toBe(victim.deaths + 1);
    expect(after.replaced).toBe(replacedBefore + 1);
    expect(events.join('\n')).toContain(`local worker 1 (pid ${victim.pid}) died (signal SIGKILL)`);
    expect(events.join('\n')).toContain('local worker 1 replaced');
  });

  it('finishes a job whose worker is SIGKILLed mid-run: exactly N patients, the bytes of an undisturbed job', async () => {
    // Prepare: the same request once undisturbed.
    const undisturbed = await api.post('/api/v1/generation', request(9090));
    expect(undisturbed.status, undisturbed.text).toBe(201);
    const reference = await api.waitForJob(undisturbed.json.job_id, undefined, 120_000);
    expect(reference.status, JSON.stringify(reference.error)).toBe('completed');
    await waitForWorkers((s) => s.status === 'ok' && s.workers.every((w) => !w.busy));

    // Act: the same request again; kill its worker once it has written part of the job.
    const disturbed = await api.post('/api/v1/generation', request(9090));
    expect(disturbed.status, disturbed.text).toBe(201);
    const jobId = disturbed.json.job_id as string;
    await vi.waitUntil(
      async () => {
        const job = (await api.get(`/api/v1/jobs/${jobId}`)).json;
        return job.status === 'running' && job.progress_details.patients_generated >= PATIENTS / 10;
      },
      { timeout: 60_000, interval: 20 },
    );
    const busy = (await localWorkers()).workers.find((w) => w.busy);
    expect(busy?.pid).toBeTruthy();
    process.kill(busy!.pid!, 'SIGKILL');
    const killedAt = Date.now();
    const done = await api.waitForJob(jobId, undefined, 120_000);

    // Assert: completed by a second run, well within a minute of the kill.
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(done.progress_details).toEqual({
      phase: 'done',
      patients_generated: PATIENTS,
      total_patients: PATIENTS,
    });
    const log = events.join('\n');
    expect(log).toContain(`(pid ${busy!.pid}) died (signal SIGKILL) while running`);
    expect(log).toMatch(/released \S+ to the queue/);

    // Same bytes as the undisturbed job: every decompressed file and every ZIP entry.
    const a = await filesOf(undisturbed.json.job_id);
    const b = await filesOf(jobId);
    expect(JSON.parse(a.json.toString('utf8'))).toHaveLength(PATIENTS);
    expect(a.csv.toString('utf8').trimEnd().split('\n')).toHaveLength(PATIENTS + 1);
    expect(b.json.equals(a.json)).toBe(true);
    expect(b.csv.equals(a.csv)).toBe(true);
    expect([...b.zip.keys()].sort()).toEqual([...a.zip.keys()].sort());
    for (const [name, bytes] of a.zip) {
      if (name === 'manifest.json') continue;
      expect(b.zip.get(name)?.equals(bytes), name).toBe(true);
    }
    expect(comparableManifest(b.zip.get('manifest.json'))).toEqual(
      comparableManifest(a.zip.get('manifest.json')),
    );

    // The replacement worker has taken the dead one's place.
    const after = await waitForWorkers((s) => s.status === 'ok');
    expect(after.workers.map((w) => w.pid)).not.toContain(busy!.pid);
  });
});
