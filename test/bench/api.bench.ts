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
 * - autocannon p50/p99 of GET /jobs/{id} and POST /generation (small N), idle, and of GET while a
 *   1M-patient job runs;
 * - end-to-end fanned-out jobs (POST → completed; 2 workers, chunks from the cost model of
 *   lib/domain/job-chunk-plan.ts): 10k and 100k JSON, 100k JSON + CSV gzip, 100k of all five formats
 *   gzip, 1M JSON + CSV gzip; per job its chunks and their seconds, the finaliser's seconds and the
 *   bytes it read back (the workers' INFO lines: chunk started/done, finalising, job completed), the
 *   output's size;
 * - the same bytes as the CLI (test/bench/api-verify.ts, in the stack's process): every decompressed
 *   file and ZIP entry of the 100k JSON and the 1M JSON + CSV jobs against the one output chain;
 * - per handler: minified esbuild bundle size and the import time of the bundle in a fresh node.
 *
 * Targets (issue #9 §3): 100k JSON job < 6 s; 1M JSON + CSV job < 60 s; GET job p99 < 25 ms idle and
 * while the 1M job runs (1 connection); the same bytes as the CLI; finaliser reads bounded per object
 * (not by N); each HTTP bundle < 500 KB.
 *
 * BENCH_API_PARTS (comma-separated, default all): `costs` (per-request cost rows), `latency` (idle
 * autocannon rows), `jobs`, `verify`, `results` (result pages of the largest job and the 100k JSON job), `bundles`: a subset for a quick run. BENCH_API_SCALE (0-1]
 * scales every job (with BENCH_API_PATIENTS_PER_CHUNK to keep the chunk counts), BENCH_WORKER_NICE
 * renices the workers (a loaded machine): both change what is measured and are printed with it.
 * BENCH_API_JOBS (comma-separated keys: json-10k, json-100k, gz-100k, five-100k, gz-1M) runs only
 * those jobs (same seeds as in a full run).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg, setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { handlerModule, QUEUE_HANDLERS, ROUTES } from '../../functions/routes.js';
import { type ProbeRequest, type ProbeRow, type Stats, stats } from './api-probe.js';
import type { VerifyRequest, VerifyResult } from './api-verify.js';
import { formatTable } from './markdown-table.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);

export const TARGETS = {
  job100kJsonSeconds: 6,
  job1MSeconds: 60,
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

/** One end-to-end job of the benchmark. */
export interface JobSpec {
  /** Stable id of the row (checks find rows by it); `name` says the size as run. */
  readonly key: string;
  readonly name: string;
  readonly patients: number;
  readonly formats: readonly string[];
  readonly compress: boolean;
}

export interface JobRow extends JobSpec {
  readonly jobId: string;
  readonly seconds: number;
  readonly status: string;
  /** The job's error message, when it did not complete. */
  readonly error: string | null;
  /** Seconds from POST until each progress phase was first seen (polled as pollDelayMs says). */
  readonly phases: Readonly<Record<string, number>>;
  /** Chunks of its plan and each chunk's seconds (started → done, the workers' lines). */
  readonly chunks: number;
  readonly chunkSeconds: readonly number[];
  /** Seconds from the finaliser's start to the job completed. */
  readonly finaliserSeconds: number | null;
  /** Bytes the finaliser read back from the store, and the objects it assembled (files + ZIP). */
  readonly bytesRead: number | null;
  readonly objects: number;
  /** Each output file's size and its pieces (the checksum's part sizes), the ZIP last. */
  readonly files: readonly { readonly name: string; readonly bytes: number; readonly pieces: number }[];
}

export interface BundleRow {
  readonly handler: string;
  readonly kind: 'http' | 'queue';
  readonly bytes: number;
  readonly importMs: number;
}

/** Calls per row of the per-request cost table (sequential, after a warm-up). */
export const COST_CALLS = 2_000;

/** One page of a job's results, filtered or not, timed through the local API. */
export interface ResultsRow {
  readonly job: string;
  readonly query: string;
  readonly total: number;
  /** Each request's time, ms. */
  readonly ms: readonly number[];
}

export interface ApiBenchResult {
  /** Per-request cost rows (sequential): in-process probes, then HTTP through the gateway. */
  readonly costs: ProbeRow[];
  /** 1-minute load average before and after the cost rows. */
  readonly costLoad: readonly [number, number];
  readonly latency: LatencyRow[];
  readonly jobs: JobRow[];
  /** The same bytes as the CLI, per job checked. */
  readonly verified: VerifyResult[];
  readonly bundles: BundleRow[];
  /** Result pages of the largest completed job and the 100k JSON job (GET /jobs/{id}/results). */
  readonly results: ResultsRow[];
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
  /** The generator workers' JSON log lines, by job id. */
  readonly workerLines: Map<string, WorkerLine[]>;
}

/** A generator worker's log line (Powertools JSON) of a job. */
export interface WorkerLine {
  readonly message: string;
  readonly timestamp: string;
  readonly job_id: string;
  readonly [field: string]: unknown;
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
  const workerLines = new Map<string, WorkerLine[]>();
  lines.on('line', (line) => {
    if (!line.startsWith('{"level"') || !line.includes('"job_id"')) return;
    try {
      const parsed = JSON.parse(line) as WorkerLine;
      if (typeof parsed.job_id !== 'string') return;
      const list = workerLines.get(parsed.job_id) ?? [];
      list.push(parsed);
      workerLines.set(parsed.job_id, list);
    } catch {
      // A line cut by another writer: not one of ours.
    }
  });
  return { ...ready, process: child, lines, workerLines };
}

/**
 * BENCH_WORKER_NICE: every thread of the workers to this niceness instead of the stack's nice 19
 * (infra/local/worker-pool.ts), for a run on a machine busy with other work, where nice-10 workers
 * get next to no CPU; lowering it needs root. Reported with the results.
 */
function reniceWorkers(pids: readonly (number | null)[], nice: number): void {
  for (const pid of pids) {
    if (!pid) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), nice);
  }
  console.error(`api bench: workers ${pids.join(', ')} reniced to ${nice} (BENCH_WORKER_NICE)`);
}

/** Checks a completed job's bytes against the CLI's in the stack's process (test/bench/api-verify.ts). */
function verify(child: Child, request: VerifyRequest): Promise<VerifyResult> {
  return new Promise((resolveResult, reject) => {
    const onLine = (line: string) => {
      if (!line.startsWith('{"verify"')) return;
      child.lines.off('line', onLine);
      const answer = JSON.parse(line) as { verify: VerifyResult | null; error?: string };
      if (answer.verify) resolveResult(answer.verify);
      else reject(new Error(`the byte check failed in the stack: ${answer.error}`));
    };
    child.lines.on('line', onLine);
    child.process.stdin!.write(`${JSON.stringify({ verify: request })}\n`);
  });
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

function scenario(total: number, seed: number, formats: readonly string[] = ['json'], compress = false) {
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
    output_formats: [...formats],
    use_compression: compress,
    seed,
  };
}

/**
 * The wait before the next poll of a job: 50 ms, growing with the time already waited (2.5 % of it, so
 * a job's end is seen within 2.5 % of its time) up to 250 ms. Twenty polls a second for a whole 1M
 * job took CPU from its workers (memory/fixes/0079-bench-polled-the-job-it-timed.md).
 */
export function pollDelayMs(waitedMs: number): number {
  return Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, Math.round(waitedMs * POLL_SHARE)));
}
const POLL_MIN_MS = 50;
const POLL_MAX_MS = 250;
const POLL_SHARE = 0.025;

async function waitForStatus(
  child: Child,
  jobId: string,
  statuses: readonly string[],
  timeoutMs: number,
  onPoll?: (job: { status: string; progress_details?: { phase?: string } }) => void,
) {
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const job = await api(child, 'GET', `/api/v1/jobs/${jobId}`);
    onPoll?.(job);
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, pollDelayMs(Date.now() - started)));
  }
}

const at = (line: WorkerLine) => Date.parse(line.timestamp);

/** Chunk seconds, finaliser seconds and bytes read of a job, from its workers' lines. */
export function jobFigures(
  lines: readonly WorkerLine[],
): Pick<JobRow, 'chunks' | 'chunkSeconds' | 'finaliserSeconds' | 'bytesRead'> {
  const planned = lines.find((l) => l.message === 'job planned');
  const started = new Map<number, number>();
  const chunkSeconds: number[] = [];
  for (const line of lines) {
    const chunk = line.chunk as number | undefined;
    if (line.message === 'chunk started' && chunk !== undefined) started.set(chunk, at(line));
    if (line.message === 'chunk done' && chunk !== undefined && started.has(chunk)) {
      chunkSeconds.push((at(line) - started.get(chunk)!) / 1000);
    }
  }
  const last = (message: string) => [...lines].reverse().find((l) => l.message === message);
  const finalising = last('finalising the job');
  const completed = [...lines]
    .reverse()
    .find((l) => l.message === 'job completed' && l.bytes_read !== undefined);
  return {
    chunks: (planned?.chunks as number | undefined) ?? chunkSeconds.length,
    chunkSeconds,
    finaliserSeconds: finalising && completed ? (at(completed) - at(finalising)) / 1000 : null,
    bytesRead: (completed?.bytes_read as number | undefined) ?? null,
  };
}

/**
 * One job end to end (POST → completed), polled as pollDelayMs says; `during` runs once the job is
 * running (the GET latency rows of the 1M job).
 */
async function runJob(
  child: Child,
  spec: JobSpec,
  seed: number,
  during?: (jobId: string) => Promise<void>,
): Promise<JobRow> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  const created = await api(
    child,
    'POST',
    '/api/v1/generation',
    scenario(spec.patients, seed, spec.formats, spec.compress),
  );
  const onPoll = (j: { progress_details?: { phase?: string } }) => {
    const phase = j.progress_details?.phase;
    if (phase && phases[phase] === undefined) phases[phase] = (performance.now() - started) / 1000;
  };
  const terminal = ['completed', 'failed', 'cancelled'];
  if (during) {
    await waitForStatus(child, created.job_id, ['running', ...terminal], 600_000, onPoll);
    const polling = waitForStatus(child, created.job_id, terminal, 1_800_000, onPoll);
    await during(created.job_id);
    await polling;
  }
  const job = await waitForStatus(child, created.job_id, terminal, 1_800_000, onPoll);
  const seconds = (performance.now() - started) / 1000;
  // The workers' last lines (the finaliser's) reach this process just after the job shows completed.
  await new Promise((done) => setTimeout(done, 500));
  const files = (
    (job.output_files ?? []) as {
      file_name: string;
      size_bytes: number;
      checksum?: { part_sizes: number[] };
    }[]
  ).map((f) => ({ name: f.file_name, bytes: f.size_bytes, pieces: f.checksum?.part_sizes.length ?? 1 }));
  return {
    ...spec,
    jobId: created.job_id,
    seconds,
    status: job.status,
    error: job.error?.message ?? null,
    phases,
    ...jobFigures(child.workerLines.get(created.job_id) ?? []),
    objects: files.length,
    files,
  };
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
  if (result.costs.length > 0)
    console.log(
      `\n## Per-request cost of the API-key authorizer (sequential, one call at a time, idle stack; load average ${before.toFixed(2)} → ${after.toFixed(2)})\n`,
    );
  if (result.costs.length > 0)
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
  const MiB = 1024 * 1024;
  const median = (values: readonly number[]) =>
    values.length === 0 ? 0 : [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  console.log(
    "\n## Fanned-out jobs end to end (POST → completed; 2 workers; chunks from the cost model; finaliser from the workers' lines)\n",
  );
  console.log(
    formatTable(
      [
        'job',
        'seconds',
        'patients/s',
        'status',
        'chunks',
        'chunk s (median / max)',
        'finaliser s',
        'finaliser read MiB (per object)',
        'output MiB (ZIP)',
        'phase first seen at (s)',
      ],
      result.jobs.map((j) => {
        const output = j.files.filter((f) => f.name !== 'patients.zip').reduce((sum, f) => sum + f.bytes, 0);
        const zip = j.files.find((f) => f.name === 'patients.zip')?.bytes ?? 0;
        return [
          j.name,
          j.seconds.toFixed(1),
          Math.round(j.patients / j.seconds),
          j.status,
          j.chunks,
          j.chunkSeconds.length
            ? `${median(j.chunkSeconds).toFixed(1)} / ${Math.max(...j.chunkSeconds).toFixed(1)}`
            : '—',
          j.finaliserSeconds === null ? '—' : j.finaliserSeconds.toFixed(2),
          j.bytesRead === null
            ? '—'
            : `${(j.bytesRead / MiB).toFixed(1)} (${(j.bytesRead / MiB / Math.max(1, j.objects)).toFixed(1)})`,
          `${(output / MiB).toFixed(1)} (${(zip / MiB).toFixed(1)})`,
          Object.entries(j.phases)
            .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)}`)
            .join(', '),
        ];
      }),
    ),
  );
  if (result.results.length > 0) {
    console.log(
      '\n## Results pages, filtered and not (GET /jobs/{id}/results, one request at a time, 3 each; ms)\n',
    );
    console.log(
      formatTable(
        ['job', 'query', 'matches', 'ms (each)'],
        result.results.map((r) => [r.job, r.query, r.total, r.ms.map((v) => v.toFixed(0)).join(', ')]),
      ),
    );
  }
  if (result.verified.length > 0) {
    console.log(
      '\n## The same bytes as the CLI (SHA-256 of each decompressed file and ZIP entry vs the one output chain)\n',
    );
    console.log(
      formatTable(
        ['job', 'file', 'MiB', 'CLI sha256', 'download', 'ZIP entry', 'check s'],
        result.verified.flatMap((v) =>
          v.files.map((f) => [
            result.jobs.find((j) => j.jobId === v.jobId)?.name ?? v.jobId,
            f.format,
            (f.cli.bytes / MiB).toFixed(1),
            f.cli.sha256.slice(0, 16),
            f.file.sha256 === f.cli.sha256 && f.file.bytes === f.cli.bytes ? 'same' : 'DIFFERENT',
            f.zipEntry?.sha256 === f.cli.sha256 ? 'same' : 'DIFFERENT',
            v.seconds.toFixed(0),
          ]),
        ),
      ),
    );
  }
  if (result.bundles.length > 0)
    console.log('\n## Handler bundles (esbuild minify, esm, node20, @aws-sdk external)\n');
  if (result.bundles.length > 0)
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

export type ApiCheck = ApiBenchResult['checks'][number];

/**
 * The issue's targets judged on what a run measured; a job, a latency row or the bundles a run left
 * out (BENCH_API_JOBS, BENCH_API_PARTS) are not judged at all, rather than failed.
 */
export function apiTargetChecks(
  measured: Pick<ApiBenchResult, 'jobs' | 'latency' | 'verified' | 'bundles'>,
): ApiCheck[] {
  const { jobs, latency, verified, bundles } = measured;
  const job = (key: string) => jobs.find((j) => j.key === key);
  const json100k = job('json-100k');
  const million = job('gz-1M');
  const gz100k = job('gz-100k');
  const idle = latency.find((l) => l.name === 'GET job, idle, 1 connection');
  const running = latency.find((l) => l.name.includes(' job running, 1 connection'));
  const largestHttp = bundles.filter((b) => b.kind === 'http').sort((a, b) => b.bytes - a.bytes)[0];
  const MiB = 1024 * 1024;
  const perObject = (row: JobRow) =>
    row.bytesRead == null ? undefined : row.bytesRead / Math.max(1, row.objects);
  const readSmall = gz100k && perObject(gz100k);
  const readLarge = million && perObject(million);
  const checks: (ApiCheck | undefined | false)[] = [
    json100k && {
      name: `${json100k.name} job end to end`,
      value: `${json100k.seconds.toFixed(1)} s`,
      target: `< ${TARGETS.job100kJsonSeconds} s`,
      ok: json100k.status === 'completed' && json100k.seconds < TARGETS.job100kJsonSeconds,
    },
    million && {
      name: `${million.name} job end to end`,
      value: `${million.seconds.toFixed(1)} s`,
      target: `< ${TARGETS.job1MSeconds} s`,
      ok: million.status === 'completed' && million.seconds < TARGETS.job1MSeconds,
    },
    idle && {
      name: 'GET job p99 idle (1 connection)',
      value: `${idle.p99Ms} ms`,
      target: `< ${TARGETS.getJobP99IdleMs} ms`,
      ok: idle.p99Ms < TARGETS.getJobP99IdleMs,
    },
    million && {
      name: `GET job p99 while the ${million.name} job runs (1 connection)`,
      value: `${running?.p99Ms} ms`,
      target: `< ${TARGETS.getJobP99WhileRunningMs} ms`,
      ok: !!running && running.p99Ms < TARGETS.getJobP99WhileRunningMs,
    },
    million &&
      gz100k && {
        name: `finaliser bytes read per object, ${gz100k.name} → ${million.name}`,
        value: `${((readSmall ?? Number.NaN) / MiB).toFixed(1)} → ${((readLarge ?? Number.NaN) / MiB).toFixed(1)} MiB`,
        // Each small piece costs under twice S3's minimum part (lib/output/part-plan.ts); N does not count.
        target: 'bounded: ≤ 2 × the 10× smaller job',
        ok: readSmall !== undefined && readLarge !== undefined && readLarge <= 2 * Math.max(readSmall, 1),
      },
    ...verified.map((v) => ({
      name: `same bytes as the CLI: ${jobs.find((j) => j.jobId === v.jobId)?.name}`,
      value: v.same ? 'every file and ZIP entry' : 'DIFFERENT',
      target: 'identical',
      ok: v.same,
    })),
    largestHttp && {
      name: `largest HTTP bundle (${largestHttp.handler})`,
      value: `${(largestHttp.bytes / 1024).toFixed(1)} KB`,
      target: `< ${TARGETS.handlerBundleKb} KB`,
      ok: largestHttp.bytes < TARGETS.handlerBundleKb * 1024,
    },
  ];
  return checks.filter((check): check is ApiCheck => !!check);
}

/**
 * The jobs of the section, in order; the 1M one runs while GET latency is measured. BENCH_API_SCALE
 * (default 1) multiplies every size, for a quick run of the code paths (e.g. 0.01).
 */
export function benchJobs(scale = Number(process.env.BENCH_API_SCALE ?? 1)): JobSpec[] {
  if (!(scale > 0 && scale <= 1)) throw new Error(`BENCH_API_SCALE must be in (0, 1], got ${scale}`);
  const size = (n: number) => Math.max(10, Math.round(n * scale));
  const label = (n: number) =>
    n >= 1_000_000 && n % 1_000_000 === 0
      ? `${n / 1_000_000}M`
      : n >= 1000 && n % 1000 === 0
        ? `${n / 1000}k`
        : String(n);
  const spec = (
    key: string,
    patients: number,
    formats: string[],
    compress: boolean,
    what: string,
  ): JobSpec => ({
    key,
    name: `${label(size(patients))} ${what}`,
    patients: size(patients),
    formats,
    compress,
  });
  return [
    spec('json-10k', 10_000, ['json'], false, 'JSON'),
    spec('json-100k', 100_000, ['json'], false, 'JSON'),
    spec('gz-100k', 100_000, ['json', 'csv'], true, 'JSON + CSV gzip'),
    spec('five-100k', 100_000, ['json', 'ndjson', 'csv', 'fhir', 'xml'], true, 'all five formats gzip'),
    spec('gz-1M', 1_000_000, ['json', 'csv'], true, 'JSON + CSV gzip'),
  ];
}
/** Jobs whose bytes are checked against the CLI's. */
const VERIFIED_JOBS = ['json-100k', 'gz-1M'];

type Part = 'costs' | 'latency' | 'jobs' | 'verify' | 'results' | 'bundles';

function parts(): ReadonlySet<Part> {
  const all: Part[] = ['costs', 'latency', 'jobs', 'verify', 'results', 'bundles'];
  const asked = process.env.BENCH_API_PARTS?.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!asked?.length) return new Set(all);
  const unknown = asked.filter((p) => !all.includes(p as Part));
  if (unknown.length)
    throw new Error(`BENCH_API_PARTS: unknown ${unknown.join(', ')}; parts: ${all.join(', ')}`);
  return new Set(asked as Part[]);
}

/**
 * Pages of a completed job as the console's patient table asks for them: a common filter's first and
 * last page, two filters together, a family name of the job, a full name (rare, its matches scattered),
 * and the last page unfiltered.
 * Each three times, one request at a time: a filter's first request reads the results index, the next
 * ones find its matches kept (fix 0213).
 */
async function resultsPages(child: Child, job: JobRow): Promise<ResultsRow[]> {
  const path = `/api/v1/jobs/${job.jobId}/results`;
  const sample = (await api(child, 'GET', `${path}?page=${Math.floor(job.patients / 2)}&per_page=1`))
    .patients[0];
  let t1LastPage = 1;
  const queries = [
    () => 'triage=T1&per_page=50',
    () => `triage=T1&per_page=50&page=${t1LastPage}`,
    () => 'status=KIA&nationality=POL&per_page=50',
    () => `q=${encodeURIComponent(sample.demographics.family_name)}&per_page=50`,
    // A full name: a few dozen matches scattered through the job, each read from its own place (fix 0218).
    () =>
      `q=${encodeURIComponent(`${sample.demographics.given_name} ${sample.demographics.family_name}`)}&per_page=50`,
    // Unfiltered: the last page, at the end of the last chunk's part.
    () => `per_page=50&page=${Math.ceil(job.patients / 50)}`,
  ];
  const rows: ResultsRow[] = [];
  for (const queryOf of queries) {
    const query = queryOf();
    const ms: number[] = [];
    let answer: { total: number; total_pages: number } = { total: 0, total_pages: 0 };
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      answer = await api(child, 'GET', `${path}?${query}`);
      ms.push(performance.now() - started);
    }
    // The first query's pages count gives the second its last page.
    if (rows.length === 0) t1LastPage = answer.total_pages;
    rows.push({ job: job.name, query, total: answer.total, ms });
  }
  return rows;
}

export async function run(): Promise<ApiBenchResult> {
  const wanted = parts();
  const latency: LatencyRow[] = [];
  let costs: ProbeRow[] = [];
  let costLoad: readonly [number, number] = [0, 0];
  const jobs: JobRow[] = [];
  const verified: VerifyResult[] = [];
  const results: ResultsRow[] = [];
  const child = await startChild();
  try {
    const nice = process.env.BENCH_WORKER_NICE;
    if (nice !== undefined) {
      const health = await api(child, 'GET', '/health');
      reniceWorkers(
        health.local_workers.workers.map((w: { pid: number | null }) => w.pid),
        Number(nice),
      );
    }
    const headers = { 'x-api-key': child.apiKey, 'content-type': 'application/json' };
    // Warm every path once, then an idle job to read.
    const small = await api(child, 'POST', '/api/v1/generation', scenario(10, 1));
    await waitForStatus(child, small.job_id, ['completed'], 120_000);
    const getJob = { url: `${child.url}/api/v1/jobs/${small.job_id}`, headers };
    await cannon('warm-up', { ...getJob, duration: 1 });

    if (wanted.has('costs')) {
      const loadBefore = loadavg()[0];
      costs = await costRows(child, small.job_id, { 'x-api-key': child.apiKey });
      costLoad = [loadBefore, loadavg()[0]];
    }

    latency.push(await cannon('GET job, idle, 1 connection', { ...getJob, connections: 1 }));
    if (wanted.has('latency')) {
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
    }

    if (wanted.has('jobs')) {
      const only = process.env.BENCH_API_JOBS?.split(',').map((k) => k.trim());
      for (const [i, spec] of benchJobs().entries()) {
        if (only && !only.includes(spec.key)) continue;
        const during =
          spec.key === 'gz-1M'
            ? async (jobId: string) => {
                // Measured once the chunks run (the planner has sent them), at the target's one
                // connection only: more would take the CPU from the workers and lengthen the job timed.
                await new Promise((done) => setTimeout(done, 2_000));
                latency.push(
                  await cannon(`GET job, ${spec.name} job running, 1 connection`, {
                    ...getJob,
                    connections: 1,
                    duration: 10,
                  }),
                );
                const still = (await api(child, 'GET', `/api/v1/jobs/${jobId}`)).status === 'running';
                if (!still) {
                  for (const row of latency)
                    if (row.name.includes(' job running,')) row.name = `${row.name} (job ended early)`;
                }
              }
            : undefined;
        const row = await runJob(child, spec, 1000 + i, during);
        jobs.push(row);
        console.error(
          `api bench: ${row.name}: ${row.status} in ${row.seconds.toFixed(1)} s (${row.chunks} chunks; load ${loadavg()[0].toFixed(1)})${row.error ? `: ${row.error}` : ''}`,
        );
      }
      const largest = [...jobs]
        .filter((j) => j.status === 'completed')
        .sort((a, b) => b.patients - a.patients)[0];
      // The largest job (compressed: each chunk read from its start) and the 100k JSON job (plain: each
      // page read from its own line, results-seek.ts).
      const plain = jobs.find((j) => j.key === 'json-100k' && j.status === 'completed');
      if (wanted.has('results')) {
        for (const job of new Set([largest, plain]))
          if (job) results.push(...(await resultsPages(child, job)));
      }
      if (wanted.has('verify')) {
        for (const key of VERIFIED_JOBS) {
          const row = jobs.find((j) => j.key === key && j.status === 'completed');
          if (row) verified.push(await verify(child, { jobId: row.jobId }));
        }
      }
    }
  } finally {
    await stopChild(child);
  }

  const bundles = wanted.has('bundles') ? await bundleHandlers() : [];
  const checks = apiTargetChecks({ jobs, latency, verified, bundles });
  const result: ApiBenchResult = {
    costs,
    costLoad,
    latency: latency.filter((l) => l.name !== 'warm-up'),
    jobs,
    verified,
    bundles,
    results,
    checks,
  };
  printApiBench(result);
  console.log(
    `\n(load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
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
