/**
 * CLI section of `npm run bench`: the shipped `milmed` (bin/milmed.js running the dist/cli bundles),
 * whole process, as a user starts it: wall time from spawn to exit and the process's peak RSS.
 * Each case runs RUNS times in a fresh process; the table shows the median wall and CPU times and
 * the largest peak RSS (bare node is the floor). Environment:
 *   BENCH_CLI_SIZES=1000,10000     generate sizes (default 1k, 10k, 100k)
 *   BENCH_CLI_RUNS=5               runs per case (default 5; 100k and more run twice)
 *   BENCH_CLI_TSX=1                also time the TypeScript sources through tsx, as shipped before
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./cli-rss-probe.mjs', import.meta.url));
const DEFAULT_SIZES = [1_000, 10_000, 100_000];
const TARGET_PRESETS_MS = 200;
const TARGET_GENERATE_1K_MS = 400;
const TARGET_GENERATE_1K_MB = 80;

interface Sample {
  readonly wallMs: number;
  /** CPU time of the process (all its threads), less sensitive than wall time to a busy machine. */
  readonly cpuMs: number;
  readonly peakRssKiB: number;
}

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly runs: number;
}

/** One whole process: node [--import probe] ARGS, from spawn to exit. */
async function runOnce(args: readonly string[], dir: string): Promise<Sample> {
  const rssFile = join(dir, 'rss');
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PROBE, ...args], {
      cwd: ROOT,
      env: { ...process.env, MILMED_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) process.stderr.write(stderr);
      resolve(status);
    });
  });
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`bench: ${args.join(' ')} exited with ${code}`);
  const probe = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRSS: number; cpu: number };
  return { wallMs, cpuMs: probe.cpu / 1000, peakRssKiB: probe.maxRSS };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  const sizes = process.env.BENCH_CLI_SIZES?.split(',').map(Number) ?? DEFAULT_SIZES;
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 5);
  const dir = await mkdtemp(join(tmpdir(), 'milmed-bench-cli-'));
  const out = join(dir, 'out');
  const generate = (size: number) => ['generate', '--preset', 'nato_article_5', '--count', String(size)];
  const cases: Case[] = [
    { name: 'node -e 0 (bare node)', args: ['-e', '0'], runs },
    { name: 'milmed --version', args: ['bin/milmed.js', '--version'], runs },
    { name: 'milmed presets', args: ['bin/milmed.js', 'presets'], runs },
    ...sizes.map((size) => ({
      name: `milmed generate --count ${size.toLocaleString('en-US')}`,
      args: ['bin/milmed.js', ...generate(size), '--seed', '42', '--out', out],
      runs: size >= 100_000 ? Math.min(runs, 2) : runs,
    })),
  ];
  if (process.env.BENCH_CLI_TSX === '1') {
    const tsx = ['--import', 'tsx', 'lib/cli/main.ts'];
    cases.push({ name: 'tsx: milmed presets', args: [...tsx, 'presets'], runs });
    cases.push({
      name: 'tsx: milmed generate --count 1,000',
      args: [...tsx, ...generate(1000), '--seed', '42', '--out', out],
      runs,
    });
  }
  const rows: Array<Record<string, string | number>> = [];
  const results = new Map<string, { wallMs: number; peakMb: number }>();
  try {
    await runOnce(['bin/milmed.js', 'help'], dir); // builds dist/cli if it is missing or stale
    for (const c of cases) {
      process.stderr.write(`cli: ${c.name}...\n`);
      const samples: Sample[] = [];
      for (let i = 0; i < c.runs; i++) {
        samples.push(await runOnce(c.args, dir));
        await rm(out, { recursive: true, force: true });
      }
      const wallMs = median(samples.map((s) => s.wallMs));
      const peakMb = Math.max(...samples.map((s) => s.peakRssKiB)) / 1024;
      results.set(c.name, { wallMs, peakMb });
      rows.push({
        case: c.name,
        runs: c.runs,
        'wall ms (median)': Math.round(wallMs),
        'CPU ms (median)': Math.round(median(samples.map((s) => s.cpuMs))),
        'peak RSS MB (max)': Math.round(peakMb),
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log('CLI: whole process (spawn to exit), bin/milmed.js on the dist/cli bundles, default formats');
  console.table(rows);
  const presets = results.get('milmed presets');
  if (presets) {
    const met = presets.wallMs < TARGET_PRESETS_MS;
    console.log(
      `target milmed presets < ${TARGET_PRESETS_MS} ms: ${met ? 'met' : 'NOT met'} (${Math.round(presets.wallMs)} ms)`,
    );
  }
  const oneK = results.get('milmed generate --count 1,000');
  if (oneK) {
    const met = oneK.wallMs < TARGET_GENERATE_1K_MS && oneK.peakMb < TARGET_GENERATE_1K_MB;
    console.log(
      `target generate --count 1,000 < ${TARGET_GENERATE_1K_MS} ms and < ${TARGET_GENERATE_1K_MB} MB: ` +
        `${met ? 'met' : 'NOT met'} (${Math.round(oneK.wallMs)} ms, ${Math.round(oneK.peakMb)} MB)`,
    );
  }
}
