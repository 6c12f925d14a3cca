/**
 * Helpers of the finaliser's integration tests (test/integration/job-finaliser*.test.ts): a job made
 * running under a plan over dynalite, its chunks written by the chunk writer of lib/output as the
 * chunk runner writes them (parts, part list, counted done), the CLI's one-pass bytes for the same
 * scenario and seed, and a ZIP read by python3's zipfile.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AppMetrics } from '../../lib/core/index.js';
import type { JobRecord, UsageCounters } from '../../lib/domain/index.js';
import type { JobChunking } from '../../lib/domain/job.js';
import { ChunkPartsSchema, chunkPartKey, chunkPartsKey } from '../../lib/domain/job-parts.js';
import { type EventPlan, loadScenario, plan } from '../../lib/generation/index.js';
import {
  buildSegmentedHeader,
  encryptedFileName,
  formatSpec,
  gzipFileName,
  NONCE_PREFIX_BYTES,
  type OutputFormat,
  runOutputChain,
  SALT_BYTES,
  SEGMENT_SIZE,
  SummaryCollector,
  writeChunkParts,
} from '../../lib/output/index.js';
import { principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';
import { readAll } from '../support/zip.js';

export const PASSWORD = 'finaliser test password';

export interface JobOptions {
  readonly formats: readonly OutputFormat[];
  readonly total: number;
  readonly compress?: boolean;
  readonly encrypt?: boolean;
  readonly seed?: number;
}

/** A job created through the generation service, then made running under a fresh plan of `bounds`. */
export async function runningJob(
  platform: TestPlatform,
  options: JobOptions,
  bounds: readonly number[],
): Promise<{ record: JobRecord; owner: string; plan: EventPlan; planId: string }> {
  const owner = uniqueOwner('finaliser');
  const { job } = await platform.generationService.create(principalOf(owner), {
    configuration: { name: 'Finaliser test', count: options.total, days_of_fighting: 3 },
    output_formats: [...options.formats],
    seed: options.seed ?? 4242,
    use_compression: options.compress === true,
    use_encryption: options.encrypt === true,
    ...(options.encrypt ? { encryption_password: PASSWORD } : {}),
  });
  const planId = randomUUID();
  const created = (await platform.jobs.get(job.job_id))!;
  const chunking: JobChunking = {
    plan_id: planId,
    bounds: [...bounds],
    planned_at: new Date(Date.now() - 1234).toISOString(),
    ...(options.encrypt ? { encryption_headers: encryptionHeaders(created) } : {}),
  };
  const record = await platform.jobs.update(
    job.job_id,
    {
      set: {
        status: 'running',
        run_id: planId,
        attempts: 1,
        chunking,
        chunks_done: [],
        seals_done: [],
        chunk_progress: {},
        progress_details: { phase: 'generating', patients_generated: 0, total_patients: options.total },
        updated_at: new Date().toISOString(),
      },
    },
    { statusIn: ['pending', 'queued'] },
  );
  if (!record) throw new Error('the job could not be made running');
  return { record, owner, plan: plan(loadScenario(record.scenario), record.seed), planId };
}

/** Each encrypted file's v2 header, as the planner writes them (random salt and nonce prefix). */
function encryptionHeaders(record: JobRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const format of record.config.output_formats as OutputFormat[]) {
    const plain = formatSpec(format).fileName;
    const name = encryptedFileName(record.config.use_compression ? gzipFileName(plain) : plain);
    headers[name] = buildSegmentedHeader({
      salt: Buffer.alloc(SALT_BYTES, 7),
      segmentSize: SEGMENT_SIZE,
      noncePrefix: Buffer.alloc(NONCE_PREFIX_BYTES, 9),
    }).toString('base64');
  }
  return headers;
}

/**
 * Writes chunk `index` as the chunk runner does: every format's parts through writeChunkParts into
 * the store, its part list with the summary state, then counts it done. Resolves with the job after
 * the count.
 */
export async function writeChunk(
  platform: TestPlatform,
  record: JobRecord,
  plan: EventPlan,
  index: number,
): Promise<JobRecord> {
  const { chunking } = record;
  const planId = chunking!.plan_id;
  const from = chunking!.bounds[index];
  const to = chunking!.bounds[index + 1];
  const collector = new SummaryCollector({ baseDate: plan.scenario.baseDate, days: plan.scenario.days });
  const written = await writeChunkParts(plan, {
    formats: record.config.output_formats as OutputFormat[],
    compress: record.config.use_compression,
    deflatePlain: !record.config.use_encryption,
    from,
    to,
    last: to === plan.totalPatients,
    sink: (target, bytes, signal) =>
      platform.store.upload(chunkPartKey(record.job_id, index, target.partName), bytes, {
        contentType: target.contentType,
        signal,
      }),
    onRecord: collector.add,
  });
  const parts = ChunkPartsSchema.parse({
    job_id: record.job_id,
    plan_id: planId,
    chunk: index,
    from,
    to,
    files: written.files,
    summary: collector.state(),
  });
  await platform.store.put(chunkPartsKey(record.job_id, index), Buffer.from(JSON.stringify(parts)), {
    contentType: 'application/json',
  });
  const counted = await platform.jobs.countTaskDone(
    record.job_id,
    'chunk',
    index,
    planId,
    new Date().toISOString(),
  );
  if (!counted.record) throw new Error('the job is gone');
  return counted.record;
}

/** Writes every chunk (in a shuffled order, as parallel workers finish) and returns the job after the last count. */
export async function writeAllChunks(
  platform: TestPlatform,
  record: JobRecord,
  plan: EventPlan,
): Promise<JobRecord> {
  const chunks = record.chunking!.bounds.length - 1;
  const order = [...Array(chunks).keys()].reverse();
  let current = record;
  for (const i of order) current = await writeChunk(platform, record, plan, i);
  return current;
}

/** The CLI's bytes for the plan: one pass through the one output chain, uncompressed, per format. */
export async function cliBytes(
  plan: EventPlan,
  formats: readonly OutputFormat[],
): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  await runOutputChain(plan, {
    formats,
    compress: false,
    password: null,
    sha256: false,
    sink: async (file, bytes: Readable) => {
      files.set(file.format, await readAll(bytes));
    },
  });
  return files;
}

export async function storedBytes(platform: TestPlatform, key: string): Promise<Buffer> {
  return readAll(await platform.store.open(key));
}

export interface PythonZipEntry {
  readonly name: string;
  /** zipfile's compress_type: 0 stored, 8 deflated. */
  readonly method: number;
  readonly size: number;
  readonly sha256: string;
}

/** The ZIP as python3's zipfile reads it (testzip first: every entry's CRC-32 checked). */
export async function pythonZip(
  zip: Buffer,
): Promise<{ entries: PythonZipEntry[]; manifest: Record<string, unknown> }> {
  const dir = await mkdtemp(join(tmpdir(), 'finaliser-zip-'));
  try {
    const path = join(dir, 'patients.zip');
    await writeFile(path, zip);
    const script = [
      'import hashlib, json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'bad = z.testzip()',
      'assert bad is None, bad',
      'entries = [{"name": i.filename, "method": i.compress_type, "size": i.file_size,',
      '            "sha256": hashlib.sha256(z.read(i.filename)).hexdigest()} for i in z.infolist()]',
      'print(json.dumps({"entries": entries, "manifest": json.loads(z.read("manifest.json"))}))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script, path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`python3 zipfile failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Metrics that keep what the finaliser reports. */
export function recordingMetrics() {
  const completed: Parameters<AppMetrics['jobCompleted']>[0][] = [];
  return { completed, jobCompleted: (facts: (typeof completed)[number]) => void completed.push(facts) };
}

/** Usage counters that count the running slots given back (and pass them on). */
export function countingUsage(inner: UsageCounters): UsageCounters & { released: string[] } {
  const released: string[] = [];
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'released') return released;
      if (property === 'releaseJob') {
        return async (keyId: string) => {
          released.push(keyId);
          await target.releaseJob(keyId);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as UsageCounters & { released: string[] };
}
