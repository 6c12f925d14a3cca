/**
 * API benchmark section, called by test/bench/run.ts or run alone:
 *
 *   node --import tsx test/bench/api.bench.ts
 *
 * - the local stack in a child process (test/bench/api-worker.ts: gateway + handlers + queue worker);
 * - per-request cost of the API-key authorizer, sequential p50/p99 (test/bench/api-probe.ts, in the
 *   stack's process): the authorizer handler uncached (valid, refused and malformed key), the GET job
 *   handler with the authorizer's cached context (API Gateway's cache hit: authorizer not invoked),
 *   the DynamoDB calls inside them; then GET job and a public route over HTTP through the gateway;
 * - autocannon p50/p99 of GET /jobs/{id} and POST /generation (small N), idle and while a
 *   100k-patient job runs;
 * - end-to-end time of 10k and 100k-patient jobs (POST → completed);
 * - per handler: minified esbuild bundle size and the import time of the bundle in a fresh node.
 *
 * Targets: 100k-patient job < 30 s; GET job p99 < 25 ms idle and while a job runs (1 connection);
 * each HTTP bundle < 500 KB.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { handlerModule, QUEUE_HANDLERS, ROUTES } from '../../functions/routes.js';
import { type ProbeRequest, type ProbeRow, type Stats, stats } from './api-probe.js';
import { formatTable } from './markdown-table.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);

export const TARGETS = {
  job100kSeconds: 30,
  getJobP99IdleMs: 25,
  getJobP99WhileRunningMs: 25,
  handlerBundleKb: 500,
} as const;

interface AutocannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  '2xx': number;
  '3xx'?: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

export interface LatencyRow {
  name: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rps: number;
  readonly requests: number;
  readonly non2xx: number;
}

export interface JobRow {
  readonly patients: number;
  readonly seconds: number;
  readonly status: string;
  /** Seconds from POST until each progress phase was first seen (polled every 50 ms). */
  readonly phases: Readonly<Record<string, number>>;
}

export interface BundleRow {
  readonly handler: string;
  readonly kind: 'http' | 'queue';
  readonly bytes: number;
  readonly importMs: number;
}

/** Calls per row of the per-request cost table (sequential, after a warm-up). */
export const COST_CALLS = 2_000;

export interface ApiBenchResult {
  /** Per-request cost rows (sequential): in-process probes, then HTTP through the gateway. */
  readonly costs: ProbeRow[];
  /** 1-minute load average before and after the cost rows. */
  readonly costLoad: readonly [number, number];
  readonly latency: LatencyRow[];
  readonly jobs: JobRow[];
  readonly bundles: BundleRow[];
  readonly checks: {
    readonly name: string;
    readonly value: string;
    readonly target: string;
    readonly ok: boolean;
  }[];
}

// ---- the stack in a child process -------------------------------------------------------------------

interface Child {
  readonly url: string;
  /** A second gateway over the same handlers whose authorizer answers from a cache (api-worker.ts). */
  readonly cachedUrl: string;
  readonly apiKey: string;
  readonly process: ChildProcess;
  readonly lines: Interface;
}

async function startChild(): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/api-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; cachedUrl: string; apiKey: string }>(
    (resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error('the local stack did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`the local stack exited with ${code}`)));
      lines.on('line', (line) => {
        if (!line.startsWith('{"url"')) return;
        clearTimeout(timer);
        resolveReady(JSON.parse(line) as { url: string; cachedUrl: string; apiKey: string });
      });
    },
  );
  return { ...ready, process: child, lines };
}

/** Runs the in-process probes in the stack's process (test/bench/api-worker.ts) and reads their rows. */
function probe(child: Child, request: ProbeRequest): Promise<ProbeRow[]> {
  return new Promise((resolveRows, reject) => {
    const onLine = (line: string) => {
      if (!line.startsWith('{"probe"')) return;
      child.lines.off('line', onLine);
      const answer = JSON.parse(line) as { probe: ProbeRow[] | null; error?: string };
      if (answer.probe) resolveRows(answer.probe);
      else reject(new Error(`the cost probe failed in the stack: ${answer.error}`));
    };
    child.lines.on('line', onLine);
    child.process.stdin!.write(`${JSON.stringify({ probe: request })}\n`);
  });
}

/**
 * `calls` sequential GETs of each target, each over its own keep-alive connection, timed from request
 * to last byte; interleaved round-robin (one GET of each target per round) so load drift hits all alike.
 */
async function sequentialGets(
  targets: readonly { url: string; headers: Record<string, string> }[],
  calls: number,
  warm = 200,
): Promise<Stats[]> {
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const once = (t: number) =>
    new Promise<void>((done, fail) => {
      const { url, headers } = targets[t];
      const req = httpRequest(url, { agent: agents[t], headers }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () =>
          res.statusCode === 200 ? done() : fail(new Error(`GET ${url} → ${res.statusCode}`)),
        );
      });
      req.on('error', fail);
      req.end();
    });
  try {
    const samples = targets.map(() => [] as number[]);
    for (let round = 0; round < warm + calls; round++) {
      for (let t = 0; t < targets.length; t++) {
        const started = performance.now();
        await once(t);
        if (round >= warm) samples[t].push(performance.now() - started);
      }
    }
    return samples.map(stats);
  } finally {
    for (const agent of agents) agent.destroy();
  }
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const gone = new Promise<void>((done) => child.process.once('exit', () => done()));
  child.process.kill('SIGTERM');
  await Promise.race([gone, new Promise((done) => setTimeout(done, 15_000))]);
  if (child.process.exitCode === null) child.process.kill('SIGKILL');
}

// ---- HTTP helpers -----------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: API answers of several shapes, read field by field
async function api(child: Child, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${child.url}${path}`, {
    method,
    headers: { 'X-API-Key': child.apiKey, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function scenario(total: number, seed: number) {
  return {
    configuration: {
      name: `bench ${total}`,
      total_patients: total,
      injury_distribution: { Disease: 0.52, 'Non-Battle Injury': 0.33, 'Battle Injury': 0.15 },
      front_configs: [
        {
          id: 'east',
          name: 'Eastern Front',
          casualty_rate: 1,
          nationality_distribution: [
            { nationality_code: 'POL', percentage: 60 },
            { nationality_code: 'USA', percentage: 40 },
          ],
        },
      ],
      days_of_fighting: 8,
    },
    output_formats: ['json'],
    seed,
  };
}

async function waitForStatus(
  child: Child,
  jobId: string,
  statuses: readonly string[],
  timeoutMs: number,
  onPoll?: (job: { status: string; progress_details?: { phase?: string } }) => void,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api(child, 'GET', `/api/v1/jobs/${jobId}`);
    onPoll?.(job);
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function jobSeconds(child: Child, patients: number): Promise<JobRow> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  const created = await api(child, 'POST', '/api/v1/generation', scenario(patients, patients));
  const job = await waitForStatus(
    child,
    created.job_id,
    ['completed', 'failed', 'cancelled'],
    300_000,
    (j) => {
      const phase = j.progress_details?.phase;
      if (phase && phases[phase] === undefined) phases[phase] = (performance.now() - started) / 1000;
    },
  );
  return { patients, seconds: (performance.now() - started) / 1000, status: job.status, phases };
}

/** Waits until the newest jobs are all finished (the POST benchmark queues many small jobs). */
async function drain(child: Child, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await api(child, 'GET', '/api/v1/jobs?limit=100');
    if (list.jobs.every((j: { status: string }) => ['completed', 'failed', 'cancelled'].includes(j.status)))
      return;
    if (Date.now() > deadline) throw new Error('queued benchmark jobs did not finish in time');
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function cannon(name: string, options: Record<string, unknown>): Promise<LatencyRow> {
  const settings: Record<string, unknown> = { connections: 10, duration: 5, ...options };
  // A fixed number of requests replaces the duration.
  if (settings.amount !== undefined) delete settings.duration;
  const result = await autocannon(settings);
  return {
    name,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    rps: Math.round(result.requests.average),
    requests: result.requests.total,
    non2xx: result.non2xx,
  };
}

// ---- bundles ----------------------------------------------------------------------------------------

const BUNDLE_ENV: Record<string, string> = {
  STAGE: 'dev',
  LOG_LEVEL: 'ERROR',
  POWERTOOLS_SERVICE_NAME: 'bench',
  JOBS_TABLE: 'jobs',
  CONFIGURATIONS_TABLE: 'configurations',
  RESULTS_BUCKET: 'results',
  GENERATION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/generation',
  API_KEYS_TABLE: 'api-keys',
  USAGE_TABLE: 'usage',
  SEALING_KEY: Buffer.alloc(32, 7).toString('base64'),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const IMPORT_SCRIPT =
  'const t = performance.now(); const m = await import(process.argv[1]); ' +
  "if (typeof m.handler !== 'function') throw new Error('no handler'); " +
  'console.log(JSON.stringify({ ms: performance.now() - t }));';

async function importMs(file: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--input-type=module', '-e', IMPORT_SCRIPT, pathToFileURL(file).href],
      {
        env: { PATH: process.env.PATH ?? '', ...BUNDLE_ENV },
        cwd: ROOT,
      },
    );
    runs.push((JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number }).ms);
  }
  return runs.sort((a, b) => a - b)[1];
}

export async function bundleHandlers(): Promise<BundleRow[]> {
  // Inside the repository, so the external @aws-sdk/* imports resolve from its node_modules as in Lambda.
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, 'api-bench-bundles-'));
  try {
    const entries = [
      ...ROUTES.map((r) => ({ name: r.name, kind: 'http' as const, module: handlerModule(r) })),
      ...QUEUE_HANDLERS.map((q) => ({ name: q.name, kind: 'queue' as const, module: q.module })),
    ];
    const rows: BundleRow[] = [];
    for (const entry of entries) {
      const outfile = join(out, `${entry.name}.mjs`);
      await build({
        entryPoints: [join(ROOT, entry.module)],
        outfile,
        bundle: true,
        minify: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external: ['@aws-sdk/*'],
        // CommonJS dependencies (archiver, …) call require(); give the ESM bundle one.
        banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
        logLevel: 'silent',
        absWorkingDir: ROOT,
      });
      rows.push({
        handler: entry.name,
        kind: entry.kind,
        bytes: statSync(outfile).size,
        importMs: await importMs(outfile),
      });
    }
    return rows;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---- the section ------------------------------------------------------------------------------------

const ms = (v: number) => (v < 0.1 ? v.toFixed(3) : v.toFixed(2));

export function printApiBench(result: ApiBenchResult): void {
  const [before, after] = result.costLoad;
  console.log(
    `\n## Per-request cost of the API-key authorizer (sequential, one call at a time, idle stack; load average ${before.toFixed(2)} → ${after.toFixed(2)})\n`,
  );
  console.log(
    formatTable(
      ['measure', 'calls', 'p50 ms', 'p99 ms', 'mean ms', 'max ms', 'what is timed'],
      result.costs.map((r) => [
        r.name,
        r.calls,
        ms(r.p50Ms),
        ms(r.p99Ms),
        ms(r.meanMs),
        ms(r.maxMs),
        r.includes,
      ]),
    ),
  );
  const row = (name: string) => result.costs.find((r) => r.name === name);
  const full = row(HTTP_FULL);
  const cached = row(HTTP_CACHED);
  const authorizer = row(AUTHORIZER_VALID);
  if (full && cached && authorizer) {
    console.log(
      `\nGET job over HTTP: uncached − cached authorizer = ${ms(full.p50Ms - cached.p50Ms)} ms at p50 ` +
        `(the authorizer handler alone: ${ms(authorizer.p50Ms)} ms). Deployed, API Gateway caches an Allow ` +
        'per key for 60 s; locally every request runs the authorizer, so a revoked key stops at once.',
    );
  }
  console.log(
    '\n## API latency (local stack, autocannon; 1 connection = unqueued latency, 10 = one saturated process)\n',
  );
  console.log(
    formatTable(
      ['scenario', 'p50 ms', 'p99 ms', 'req/s', 'requests', 'non-2xx'],
      result.latency.map((r) => [r.name, r.p50Ms, r.p99Ms, r.rps, r.requests, r.non2xx]),
    ),
  );
  console.log('\n## End-to-end job time (POST → completed, json output)\n');
  console.log(
    formatTable(
      ['patients', 'seconds', 'patients/s', 'status', 'phase first seen at (s)'],
      result.jobs.map((j) => [
        j.patients,
        j.seconds.toFixed(2),
        Math.round(j.patients / j.seconds),
        j.status,
        Object.entries(j.phases)
          .map(([phase, at]) => `${phase} ${at.toFixed(1)}`)
          .join(', '),
      ]),
    ),
  );
  console.log('\n## Handler bundles (esbuild minify, esm, node20, @aws-sdk external)\n');
  console.log(
    formatTable(
      ['handler', 'kind', 'KB', 'import ms (median of 3)'],
      result.bundles.map((b) => [b.handler, b.kind, (b.bytes / 1024).toFixed(1), b.importMs.toFixed(1)]),
    ),
  );
  console.log('\n## API targets\n');
  console.log(
    formatTable(
      ['check', 'value', 'target', 'ok'],
      result.checks.map((c) => [c.name, c.value, c.target, c.ok ? 'yes' : 'NO']),
    ),
  );
}

const HTTP_FULL = 'GET job over HTTP, authorizer uncached';
const HTTP_CACHED = 'GET job over HTTP, authorizer cached';
const AUTHORIZER_VALID = 'authorizer, valid key (uncached)';

/** The per-request cost rows: probes in the stack's process, then the same GET over HTTP. */
async function costRows(child: Child, jobId: string, headers: Record<string, string>): Promise<ProbeRow[]> {
  const rows = await probe(child, { jobId, apiKey: child.apiKey, calls: COST_CALLS });
  const path = `/api/v1/jobs/${jobId}`;
  const [full, cached, publicRoute] = await sequentialGets(
    [
      { url: `${child.url}${path}`, headers },
      { url: `${child.cachedUrl}${path}`, headers },
      { url: `${child.url}/api/v1/configurations/reference/warfare-types`, headers: {} },
    ],
    COST_CALLS,
  );
  return [
    ...rows,
    {
      name: HTTP_FULL,
      includes:
        'node:http keep-alive client → local gateway → authorizer (no cache, as locally) → GET job handler',
      ...full,
    },
    {
      name: HTTP_CACHED,
      includes:
        'the same through a second, bench-only gateway whose authorizer answers a known X-API-Key from memory (API Gateway cache hit)',
      ...cached,
    },
    {
      name: 'public route over HTTP (reference data)',
      includes: 'the same client and gateway; no authorizer, no rate-limit counting, no DynamoDB',
      ...publicRoute,
    },
  ];
}

export async function run(): Promise<ApiBenchResult> {
  const latency: LatencyRow[] = [];
  let costs: ProbeRow[] = [];
  let costLoad: readonly [number, number] = [0, 0];
  const jobs: ApiBenchResult['jobs'] = [];
  const child = await startChild();
  try {
    const headers = { 'x-api-key': child.apiKey, 'content-type': 'application/json' };
    // Warm every path once, then an idle job to read.
    const small = await api(child, 'POST', '/api/v1/generation', scenario(10, 1));
    await waitForStatus(child, small.job_id, ['completed'], 60_000);
    const getJob = { url: `${child.url}/api/v1/jobs/${small.job_id}`, headers };
    await cannon('warm-up', { ...getJob, duration: 1 });

    const loadBefore = loadavg()[0];
    costs = await costRows(child, small.job_id, { 'x-api-key': child.apiKey });
    costLoad = [loadBefore, loadavg()[0]];

    latency.push(await cannon('GET job, idle, 1 connection', { ...getJob, connections: 1 }));
    latency.push(
      await cannon('GET job, idle, 1 connection, authorizer cached (bench gateway)', {
        ...getJob,
        url: `${child.cachedUrl}/api/v1/jobs/${small.job_id}`,
        connections: 1,
      }),
    );
    latency.push(await cannon('GET job, idle, 10 connections', getJob));
    const post = {
      url: `${child.url}/api/v1/generation`,
      method: 'POST',
      headers,
      body: JSON.stringify(scenario(10, 2)),
    };
    latency.push(
      await cannon('POST generation N=10, idle, 1 connection', { ...post, connections: 1, amount: 100 }),
    );
    latency.push(
      await cannon('POST generation N=10, idle, 4 connections', { ...post, connections: 4, amount: 200 }),
    );
    await drain(child);

    jobs.push(await jobSeconds(child, 10_000));
    jobs.push(await jobSeconds(child, 100_000));

    // A 100k-patient job running while the API is under load.
    const big = await api(child, 'POST', '/api/v1/generation', scenario(100_000, 3));
    await waitForStatus(child, big.job_id, ['running'], 60_000);
    latency.push(
      await cannon('GET job, 100k job running, 1 connection', { ...getJob, connections: 1, duration: 4 }),
    );
    latency.push(await cannon('GET job, 100k job running, 10 connections', { ...getJob, duration: 4 }));
    latency.push(
      await cannon('POST generation N=10, 100k job running, 1 connection', {
        ...post,
        connections: 1,
        amount: 50,
      }),
    );
    const stillRunning = (await api(child, 'GET', `/api/v1/jobs/${big.job_id}`)).status === 'running';
    if (!stillRunning) {
      for (const row of latency)
        if (row.name.includes('100k job running'))
          Object.assign(row, { name: `${row.name} (job ended early)` });
    }
    await waitForStatus(child, big.job_id, ['completed', 'failed', 'cancelled'], 300_000);
    await drain(child);
  } finally {
    await stopChild(child);
  }

  const bundles = await bundleHandlers();
  const job100k = jobs.find((j) => j.patients === 100_000);
  const idle = latency.find((l) => l.name === 'GET job, idle, 1 connection');
  const running = latency.find((l) => l.name.startsWith('GET job, 100k job running, 1 connection'));
  const largestHttp = bundles.filter((b) => b.kind === 'http').sort((a, b) => b.bytes - a.bytes)[0];
  const checks = [
    {
      name: '100k-patient job end to end',
      value: `${job100k?.seconds.toFixed(1)} s`,
      target: `< ${TARGETS.job100kSeconds} s`,
      ok: !!job100k && job100k.status === 'completed' && job100k.seconds < TARGETS.job100kSeconds,
    },
    {
      name: 'GET job p99 idle (1 connection)',
      value: `${idle?.p99Ms} ms`,
      target: `< ${TARGETS.getJobP99IdleMs} ms`,
      ok: !!idle && idle.p99Ms < TARGETS.getJobP99IdleMs,
    },
    {
      name: 'GET job p99 while a 100k job runs (1 connection)',
      value: `${running?.p99Ms} ms`,
      target: `< ${TARGETS.getJobP99WhileRunningMs} ms`,
      ok: !!running && running.p99Ms < TARGETS.getJobP99WhileRunningMs,
    },
    {
      name: `largest HTTP bundle (${largestHttp?.handler})`,
      value: `${((largestHttp?.bytes ?? 0) / 1024).toFixed(1)} KB`,
      target: `< ${TARGETS.handlerBundleKb} KB`,
      ok: !!largestHttp && largestHttp.bytes < TARGETS.handlerBundleKb * 1024,
    },
  ];
  const result: ApiBenchResult = {
    costs,
    costLoad,
    latency: latency.filter((l) => l.name !== 'warm-up'),
    jobs,
    bundles,
    checks,
  };
  printApiBench(result);
  return result;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
