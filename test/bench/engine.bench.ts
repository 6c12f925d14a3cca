/**
 * Engine section of `npm run bench`: plan + generate + write to a null sink, per format and size,
 * each measurement in a fresh child process (one generation thread) so its peak RSS is its own.
 *
 * The worker runs as an esbuild bundle on plain node, as the Lambda handlers do; the tsx loader
 * would add its own thread and about 40 MB of RSS that production does not have. Environment:
 *   BENCH_ENGINE_SIZES=10000,100000      sizes (default 10k, 100k, 1M)
 *   BENCH_ENGINE_FORMATS=json,csv,none,json+capacity   formats; none = the engine alone, patients
 *                                       dropped; +capacity = bed capacities set (capacity planning)
 *   BENCH_ENGINE_COHORTS=0               skip the cohort cases (json+cohort at 10k and 100k,
 *                                       json+cohort-records at 10k: lib/generation/cohort-plan.ts)
 *   BENCH_ENGINE_RUNNER=tsx              run `node --import tsx test/bench/engine-worker.ts` instead
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorker, workerCommand } from './bench-worker.js';
import type { EngineSample } from './engine-worker.js';

const WORKER = fileURLToPath(new URL('./engine-worker.ts', import.meta.url));
const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const DEFAULT_FORMATS = ['json', 'json+capacity', 'csv', 'none'];
const TARGET_JSON_PATIENTS_PER_SECOND = 50_000;
/** With bed capacities set (issue 11): the capacity plan runs over the whole job first. */
const TARGET_CAPACITY_JSON_PATIENTS_PER_SECOND = 40_000;
const TARGET_PEAK_RSS_MB_AT_1M = 200;
/** Cohorts: the search plans a candidate population several times N, so each case has its own size. */
const COHORT_CASES: readonly (readonly [string, number])[] = [
  ['json+cohort', 10_000],
  ['json+cohort', 100_000],
  ['json+cohort-records', 10_000],
];

function listFromEnv<T>(name: string, parse: (s: string) => T, fallback: readonly T[]): readonly T[] {
  const text = process.env[name];
  return text ? text.split(',').map((s) => parse(s.trim())) : fallback;
}

const MB = 1024 * 1024;

export async function run(): Promise<void> {
  const sizes = listFromEnv('BENCH_ENGINE_SIZES', Number, DEFAULT_SIZES);
  const formats = listFromEnv('BENCH_ENGINE_FORMATS', String, DEFAULT_FORMATS);
  const dir = await mkdtemp(join(tmpdir(), 'milmed-bench-'));
  const samples: EngineSample[] = [];
  let runner: string;
  let baseline: EngineSample;
  try {
    const command = await workerCommand(WORKER, dir, 'BENCH_ENGINE_RUNNER');
    runner = command.runner;
    baseline = await runWorker<EngineSample>(command.args, 'none', '10');
    for (const size of sizes) {
      for (const format of formats) {
        process.stderr.write(`engine: ${format} ${size.toLocaleString('en-US')} patients...\n`);
        samples.push(await runWorker<EngineSample>(command.args, format, String(size)));
      }
    }
    if (process.env.BENCH_ENGINE_COHORTS !== '0') {
      for (const [format, size] of COHORT_CASES) {
        process.stderr.write(`engine: ${format} ${size.toLocaleString('en-US')} patients...\n`);
        samples.push(await runWorker<EngineSample>(command.args, format, String(size)));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `Engine: preset nato_article_5 scaled by total_patients, seed 20250601, null sink, one thread, ${runner}` +
      ` (a process generating 10 patients peaks at ${Math.round(baseline.peakRssBytes / MB)} MB RSS)`,
  );
  console.table(
    samples.map((s) => ({
      patients: s.patients,
      format:
        s.format === 'none'
          ? '(engine only)'
          : s.format
              .replace('+capacity', ', capacities set')
              .replace('+cohort-records', ', cohort by condition')
              .replace('+cohort', ', cohort by type and triage'),
      candidates: s.candidates ?? '-',
      'patients/s': Math.round((s.patients / s.totalMs) * 1000),
      'MB/s': s.bytes ? Number((s.bytes / MB / (s.totalMs / 1000)).toFixed(1)) : '-',
      'output MB': s.bytes ? Number((s.bytes / MB).toFixed(1)) : '-',
      'plan ms': Math.round(s.planMs),
      'total s': Number((s.totalMs / 1000).toFixed(2)),
      'peak RSS MB': Math.round(s.peakRssBytes / MB),
    })),
  );
  const largest = samples.filter((s) => s.patients === Math.max(...samples.map((x) => x.patients)));
  // Judged at the largest size, as the capacity target is: a 10k run is mostly JIT warm-up.
  const json = samples.filter((s) => s.format === 'json');
  if (json.length > 0) {
    const at = json.reduce((a, b) => (b.patients > a.patients ? b : a));
    const rate = (at.patients / at.totalMs) * 1000;
    console.log(
      `target json >= ${TARGET_JSON_PATIENTS_PER_SECOND.toLocaleString('en-US')} patients/s at ` +
        `${at.patients.toLocaleString('en-US')}: ${rate >= TARGET_JSON_PATIENTS_PER_SECOND ? 'met' : 'NOT met'} ` +
        `(${Math.round(rate).toLocaleString('en-US')})`,
    );
  }
  const capped = samples.filter((s) => s.format === 'json+capacity');
  if (capped.length > 0) {
    const at = capped.reduce((a, b) => (b.patients > a.patients ? b : a));
    const rate = (at.patients / at.totalMs) * 1000;
    console.log(
      `target json with capacities >= ${TARGET_CAPACITY_JSON_PATIENTS_PER_SECOND.toLocaleString('en-US')} patients/s at ` +
        `${at.patients.toLocaleString('en-US')}: ${rate >= TARGET_CAPACITY_JSON_PATIENTS_PER_SECOND ? 'met' : 'NOT met'} ` +
        `(${Math.round(rate).toLocaleString('en-US')}; plan ${Math.round(at.planMs).toLocaleString('en-US')} ms)`,
    );
  }
  if (largest.length > 0 && largest[0].patients >= 1_000_000) {
    const peak = Math.max(...largest.map((s) => s.peakRssBytes)) / MB;
    console.log(
      `target peak RSS < ${TARGET_PEAK_RSS_MB_AT_1M} MB at ${largest[0].patients.toLocaleString('en-US')}: ` +
        `${peak < TARGET_PEAK_RSS_MB_AT_1M ? 'met' : 'NOT met'} (${Math.round(peak)} MB)`,
    );
  }
}
