/**
 * `npm start -- --data-dir DIR` stopped while jobs wait or run, then started again on the same
 * directory, as an operator restarts it: the job records are kept, but the queue and the files were in
 * memory, so no job of the earlier run can go on. Those jobs end at once, failed with a reason that
 * says so, instead of showing `running` or `queued` until the sweeper's bound (36 min, an hour)
 * (memory/fixes/0174); a completed one keeps its record, and its download says its files are gone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** A generate key in the local key format, the same for both runs (LOCAL_API_KEY). */
const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const API_KEY = `mmpg_local_${[...randomBytes(16)].map((b) => KEY_ID_ALPHABET[b % 32]).join('')}_${randomBytes(32).toString('hex')}`;

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** `npm start` on a free port with one worker and the data directory; resolves once it serves. */
function npmStart(dataDir: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/start.ts', '--port', '0', '--workers', '1', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '', LOCAL_API_KEY: API_KEY } },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start did not serve within 120 s:\n${output}`));
    }, 120_000);
    const onData = (text: string) => {
      output += text;
      const url = /Web console\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      if (url && output.includes('Ctrl+C stops everything')) {
        clearTimeout(timer);
        resolve({
          child,
          url,
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.stderr?.setEncoding('utf8').on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

interface JobView {
  readonly job_id: string;
  readonly status: string;
  readonly progress: number;
  readonly error: { code: string; message: string } | null;
}

async function api<T>(url: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'X-API-Key': API_KEY, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('npm start: restarted on the same --data-dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'milmed-restart-'));
  const started: Started[] = [];

  afterAll(async () => {
    for (const stack of started) if (stack.child.exitCode === null) await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails the jobs the earlier run left running or queued at once, saying why, and keeps the ended ones', async () => {
    // Prepare: one job done, one running on the only worker, one queued behind it; then stop.
    const first = await npmStart(dataDir);
    started.push(first);
    const done = await api<JobView>(first.url, '/api/v1/generation', {
      configuration: { total_patients: 20 },
      output_formats: ['json'],
    });
    for (let i = 0; i < 600; i++) {
      if ((await api<JobView>(first.url, `/api/v1/jobs/${done.job_id}`)).status === 'completed') break;
      await sleep(100);
    }
    const running = await api<JobView>(first.url, '/api/v1/generation', {
      configuration: { total_patients: 500_000 },
      output_formats: ['json'],
    });
    for (let i = 0; i < 600; i++) {
      const job = await api<JobView>(first.url, `/api/v1/jobs/${running.job_id}`);
      if (job.status === 'running' && job.progress > 0) break;
      await sleep(100);
    }
    const queued = await api<JobView>(first.url, '/api/v1/generation', {
      configuration: { total_patients: 20 },
      output_formats: ['json'],
    });
    expect(await first.stop()).toBe(0);

    // Act
    const second = await npmStart(dataDir);
    started.push(second);
    const after = await Promise.all(
      [done, running, queued].map((job) => api<JobView>(second.url, `/api/v1/jobs/${job.job_id}`)),
    );

    // Assert
    expect(after.map((job) => job.status)).toEqual(['completed', 'failed', 'failed']);
    for (const job of after.slice(1)) {
      expect(job.error?.code).toBe('GENERATION_ERROR');
      expect(job.error?.message).toMatch(/local stack stopped before this job ended.*Submit it again/);
    }
    expect(second.output()).toContain('2 jobs of the earlier run were failed');
    // The completed job's files were in memory: its download says they are gone (fix 0206), not a dead link.
    const download = await fetch(`${second.url}/api/v1/downloads/${done.job_id}?redirect=false`, {
      headers: { 'X-API-Key': API_KEY },
    });
    expect(download.status).toBe(404);
    expect(((await download.json()) as { error: { message: string } }).error.message).toBe(
      `The files of job ${done.job_id} are no longer stored; generate it again: the same scenario and seed give the same files`,
    );
    // The restarted stack runs new jobs as before.
    const fresh = await api<JobView>(second.url, '/api/v1/generation', {
      configuration: { total_patients: 20 },
      output_formats: ['json'],
    });
    let status = '';
    for (let i = 0; i < 600 && status !== 'completed'; i++) {
      status = (await api<JobView>(second.url, `/api/v1/jobs/${fresh.job_id}`)).status;
      if (status !== 'completed') await sleep(100);
    }
    expect(status).toBe('completed');
    expect(await second.stop()).toBe(0);
  }, 400_000);
});
