/**
 * `npm start` prints the same EMF metric lines as the deployed functions: the local stack runs as its
 * own process (infra/local/start.ts, as `npm start` runs it), a job goes through it, and the test reads
 * the metric lines of the HTTP handlers (parent process) and of the generator (child process) from its
 * stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '../../lib/core/index.js';
import { ApiClient, smallScenario } from './client.js';

interface Emf {
  readonly _aws: {
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
    }>;
  };
  readonly [key: string]: unknown;
}

/** LOCAL_API_KEY: a key in the local stack's format, written at start with exactly this value. */
const LOCAL_API_KEY = `mmpg_local_metricstestkeyaa_${'5e'.repeat(32)}`;

let child: ChildProcess;
let output = '';
let api: ApiClient;

/** Resolves with the first match of `pattern` in the stack's stdout. */
function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = output.match(pattern);
      if (!match) return false;
      clearInterval(timer);
      clearTimeout(timeout);
      resolve(match);
      return true;
    };
    const timer = setInterval(check, 100);
    const timeout = setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no ${pattern} in the local stack's output within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    check();
  });
}

function metricLines(): Emf[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Emf);
}

/** Metric lines that carry `name`, waiting for the generator's flush. */
async function linesWith(name: string, timeoutMs = 30_000): Promise<Emf[]> {
  await waitForOutput(new RegExp(`"Name":"${name}"`), timeoutMs);
  return metricLines().filter((l) => l._aws.CloudWatchMetrics[0].Metrics.some((m) => m.Name === name));
}

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/start.ts', '--port', '0', '--workers', '1'],
    {
      env: { ...process.env, LOG_LEVEL: 'ERROR', LOCAL_API_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const [, url] = await waitForOutput(/Patient generator API\s+(http:\/\/127\.0\.0\.1:\d+)/, 90_000);
  api = new ApiClient(url, LOCAL_API_KEY);
});

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

describe('local stack metrics', () => {
  it('prints JobsCreated, then the generator`s JobsCompleted, PatientsGenerated and per-format bytes', async () => {
    // Prepare
    const request = { configuration: smallScenario({ total_patients: 30 }), output_formats: ['json', 'csv'] };

    // Act
    const job = await api.post('/api/v1/generation', request);
    expect(job.status, job.text).toBe(201);
    const done = await api.waitForJob(job.json.job_id);

    // Assert
    expect(done.status).toBe('completed');
    const [created] = await linesWith('JobsCreated');
    expect(created._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
    expect(created).toMatchObject({ service: 'milmed-patient-generator', stage: 'local', JobsCreated: 1 });
    const [completed] = await linesWith('JobsCompleted');
    expect(completed).toMatchObject({ stage: 'local', JobsCompleted: 1, PatientsGenerated: 30 });
    expect(completed.JobDuration).toEqual(expect.any(Number));
    expect((await linesWith('QueueWait'))[0].QueueWait).toEqual(expect.any(Number));
    const bytes = await linesWith('OutputBytes');
    expect(bytes.map((l) => l.format).sort()).toEqual(['csv', 'json', 'zip']);
    for (const line of bytes) expect(line.OutputBytes).toBeGreaterThan(0);
  });

  it('prints AuthFailures for a request with a wrong API key', async () => {
    // Prepare
    const before = metricLines().filter((l) => 'AuthFailures' in l).length;

    // Act
    const denied = await api.get('/api/v1/jobs', { key: 'not-a-key' });

    // Assert
    expect(denied.status).toBe(401);
    await waitForOutput(/"AuthFailures":1/, 10_000);
    expect(metricLines().filter((l) => 'AuthFailures' in l).length).toBe(before + 1);
  });
});
