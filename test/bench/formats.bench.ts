/**
 * Output-format section of `npm run bench`: FHIR and XML throughput (patients/s and MB/s on one
 * core), the cost of gzip and of encryption (MB/s), and peak RSS of a 1M-patient FHIR job to a null
 * sink. Each format run happens in a fresh child process (esbuild bundle on plain node, as in the
 * engine section); the format's own cost is the run's CPU time minus the engine-only run's.
 * CPU time (user + system) is reported next to wall time because shared machines skew the latter.
 * Environment:
 *   BENCH_FORMATS_SIZES=10000,100000   sizes for throughput (default 10k and 100k)
 *   BENCH_FORMATS_RSS_SIZE=1000000     size of the FHIR peak-RSS run (0 skips it)
 *   BENCH_FORMATS_RUNNER=tsx           run the worker through tsx instead of a bundle
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { findPreset, generate, loadScenario, plan, presetScenario } from '../../lib/generation/index.js';
import { fhirFormat } from '../../lib/output/fhir/index.js';
import {
  createDecryptStream,
  createEncryptStream,
  createGzipStream,
  deriveKey,
  xmlFormat,
} from '../../lib/output/index.js';
import { runWorker, workerCommand } from './bench-worker.js';
import type { FormatSample } from './formats-worker.js';
import { NullSink } from './null-sink.js';

const WORKER = fileURLToPath(new URL('./formats-worker.ts', import.meta.url));
const MB = 1024 * 1024;
const TARGET_FHIR_PATIENTS_PER_SECOND = 10_000;

function sizesFromEnv(name: string, fallback: readonly number[]): readonly number[] {
  const text = process.env[name];
  return text ? text.split(',').map((s) => Number(s.trim())) : fallback;
}

/** CPU and wall time of an async job in this process. */
async function timed(job: () => Promise<void>): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await job();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
}

/** Renders a format's whole output for `count` patients into memory, as 64 KiB-ish chunks. */
async function render(format: 'fhir' | 'xml', count: number): Promise<Buffer[]> {
  const scenario = loadScenario({ ...presetScenario(findPreset('nato_article_5')!), total_patients: count });
  const eventPlan = plan(scenario, 20250601);
  const spec = format === 'fhir' ? fhirFormat : xmlFormat;
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(generate(eventPlan)).pipe(spec.createStream({ plan: eventPlan }))) {
    chunks.push(chunk as Buffer);
  }
  return chunks;
}

const mbPerS = (bytes: number, ms: number) => Number((bytes / MB / (ms / 1000)).toFixed(1));
const perS = (n: number, ms: number) => Math.round(n / (ms / 1000));

export interface FormatsBenchResult {
  readonly throughput: ReadonlyArray<Record<string, string | number>>;
  readonly transforms: ReadonlyArray<Record<string, string | number>>;
  readonly peakRss: FormatSample | undefined;
}

export async function run(): Promise<FormatsBenchResult> {
  const sizes = sizesFromEnv('BENCH_FORMATS_SIZES', [10_000, 100_000]);
  const [rssSize] = sizesFromEnv('BENCH_FORMATS_RSS_SIZE', [1_000_000]);
  const dir = await mkdtemp(join(tmpdir(), 'milmed-bench-formats-'));
  const throughput: Array<Record<string, string | number>> = [];
  let peakRss: FormatSample | undefined;
  let runner: string;
  try {
    const command = await workerCommand(WORKER, dir, 'BENCH_FORMATS_RUNNER');
    runner = command.runner;
    for (const size of sizes) {
      process.stderr.write(`formats: engine only, ${size.toLocaleString('en-US')} patients...\n`);
      const engine = await runWorker<FormatSample>(command.args, 'none', String(size));
      for (const format of ['fhir', 'xml']) {
        process.stderr.write(`formats: ${format}, ${size.toLocaleString('en-US')} patients...\n`);
        const s = await runWorker<FormatSample>(command.args, format, String(size));
        const formatCpuMs = Math.max(1, s.cpuMs - engine.cpuMs);
        throughput.push({
          format,
          patients: size,
          'MB out': Number((s.bytes / MB).toFixed(1)),
          'KB/patient': Number((s.bytes / 1024 / size).toFixed(1)),
          'format patients/s (cpu)': perS(size, formatCpuMs),
          'format MB/s (cpu)': mbPerS(s.bytes, formatCpuMs),
          'with engine patients/s (cpu)': perS(size, s.cpuMs),
          'with engine patients/s (wall)': perS(size, s.wallMs),
          'peak RSS MB': Math.round(s.peakRssBytes / MB),
        });
      }
    }
    if (rssSize > 0) {
      process.stderr.write(`formats: fhir, ${rssSize.toLocaleString('en-US')} patients (peak RSS)...\n`);
      peakRss = await runWorker<FormatSample>(command.args, 'fhir', String(rssSize));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // gzip and encryption on real output held in memory (2,000 patients of each format).
  const transforms: Array<Record<string, string | number>> = [];
  for (const format of ['fhir', 'xml'] as const) {
    const chunks = await render(format, 2000);
    const bytes = chunks.reduce((a, c) => a + c.length, 0);
    for (const level of [1, 6]) {
      const sink = new NullSink();
      const t = await timed(() => pipeline(Readable.from(chunks), createGzipStream({ level }), sink));
      transforms.push({
        step: `gzip level ${level}`,
        input: `${format} ${(bytes / MB).toFixed(0)} MB`,
        'MB/s in (cpu)': mbPerS(bytes, t.cpuMs),
        'MB/s in (wall)': mbPerS(bytes, t.wallMs),
        ratio: Number((bytes / sink.bytes).toFixed(1)),
      });
    }
  }
  const block = randomBytes(64 * 1024);
  const total = 256 * MB;
  const source = () =>
    Readable.from(
      (function* () {
        for (let sent = 0; sent < total; sent += block.length) yield block;
      })(),
    );
  const kdf = await timed(() => deriveKey('benchmark password', randomBytes(16)).then(() => undefined));
  const encrypt = await timed(() =>
    pipeline(source(), createEncryptStream('benchmark password'), new NullSink()),
  );
  const roundTrip = await timed(() =>
    pipeline(
      source(),
      createEncryptStream('benchmark password'),
      createDecryptStream('benchmark password'),
      new NullSink(),
    ),
  );
  // The key derivation runs on the libuv pool, so the CPU figures include it; subtract it per stream.
  const encryptMs = Math.max(1, encrypt.cpuMs - kdf.cpuMs);
  const decryptMs = Math.max(1, roundTrip.cpuMs - encrypt.cpuMs - kdf.cpuMs);
  transforms.push(
    {
      step: 'AES-256-GCM encrypt',
      input: '256 MB',
      'MB/s in (cpu)': mbPerS(total, encryptMs),
      'MB/s in (wall)': mbPerS(total, encrypt.wallMs),
      ratio: 1,
    },
    {
      step: 'AES-256-GCM decrypt',
      input: '256 MB',
      'MB/s in (cpu)': mbPerS(total, decryptMs),
      'MB/s in (wall)': '',
      ratio: 1,
    },
    {
      step: 'PBKDF2 600,000 (per file)',
      input: '-',
      'MB/s in (cpu)': `${kdf.cpuMs.toFixed(0)} ms`,
      'MB/s in (wall)': `${kdf.wallMs.toFixed(0)} ms`,
      ratio: '',
    },
  );

  console.log(`Output formats: preset nato_article_5, seed 20250601, null sink, one thread, ${runner!}`);
  console.table(throughput);
  const fhir = throughput.filter((r) => r.format === 'fhir');
  const slowest = Math.min(...fhir.map((r) => Number(r['format patients/s (cpu)'])));
  console.log(
    `FHIR target ≥ ${TARGET_FHIR_PATIENTS_PER_SECOND.toLocaleString('en-US')} patients/s (format, one core): ` +
      `${slowest.toLocaleString('en-US')} → ${slowest >= TARGET_FHIR_PATIENTS_PER_SECOND ? 'met' : 'NOT met'}`,
  );
  console.log('gzip and encryption cost:');
  console.table(transforms);
  if (peakRss) {
    console.log(
      `FHIR ${peakRss.patients.toLocaleString('en-US')} patients to a null sink: peak RSS ` +
        `${Math.round(peakRss.peakRssBytes / MB)} MB, ${(peakRss.bytes / 1024 ** 3).toFixed(1)} GB written, ` +
        `${perS(peakRss.patients, peakRss.cpuMs).toLocaleString('en-US')} patients/s with engine (cpu), ` +
        `${(peakRss.wallMs / 1000).toFixed(0)} s wall`,
    );
  }
  return { throughput, transforms, peakRss };
}
