/**
 * The API benchmark's byte check, run inside the local stack's process (test/bench/api-worker.ts),
 * which holds the emulators' endpoints: a completed job's files and ZIP entries against the CLI's
 * one output chain (lib/output runOutputChain, uncompressed) for the job's stored scenario and seed.
 * Everything streams (a 1M-patient JSON file is about 4 GB): SHA-256 and size of each decompressed
 * file, of each decompressed ZIP entry (the ZIP is spooled to a temporary file for yauzl), and of the
 * CLI's output.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { jobObjectKey } from '../../lib/domain/index.js';
import { loadScenario, plan } from '../../lib/generation/index.js';
import { createAwsClients, DynamoJobRepository, S3ResultStore } from '../../lib/infrastructure/index.js';
import { formatSpec, type OutputFormat, runOutputChain, ZIP_FILE_NAME } from '../../lib/output/index.js';

export interface VerifyRequest {
  readonly jobId: string;
}

export interface Digest {
  readonly sha256: string;
  readonly bytes: number;
}

export interface VerifyFileRow {
  readonly format: string;
  readonly cli: Digest;
  /** The downloaded file, decompressed. */
  readonly file: Digest;
  /** The file's ZIP entry, decompressed. */
  readonly zipEntry: Digest | null;
  readonly same: boolean;
}

export interface VerifyResult {
  readonly jobId: string;
  readonly patients: number;
  readonly files: VerifyFileRow[];
  readonly manifest: boolean;
  readonly same: boolean;
  readonly seconds: number;
}

/** SHA-256 and length of a stream, gunzipped first when asked. */
async function digestOf(source: Readable, gunzip: boolean): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback();
    },
  });
  if (gunzip) await pipeline(source, createGunzip(), sink);
  else await pipeline(source, sink);
  return { sha256: hash.digest('hex'), bytes };
}

/** Each ZIP entry's decompressed digest (.gz entries gunzipped too), by name. */
async function zipDigests(path: string): Promise<Map<string, Digest>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const digests = new Map<string, Digest>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        digestOf(stream, entry.fileName.endsWith('.gz')).then((digest) => {
          digests.set(entry.fileName, digest);
          zip.readEntry();
        }, reject);
      });
    });
    zip.readEntry();
  });
  zip.close();
  return digests;
}

export async function verifyAgainstCli(request: VerifyRequest): Promise<VerifyResult> {
  const started = performance.now();
  const clients = createAwsClients();
  const jobs = new DynamoJobRepository(clients.documents, process.env.JOBS_TABLE!);
  const store = new S3ResultStore(clients.s3, process.env.RESULTS_BUCKET!);
  const dir = await mkdtemp(join(tmpdir(), 'api-bench-verify-'));
  try {
    const job = await jobs.get(request.jobId);
    if (job?.status !== 'completed') throw new Error(`job ${request.jobId} is not completed`);
    const formats = job.config.output_formats as OutputFormat[];
    const compressed = job.config.use_compression;
    const eventPlan = plan(loadScenario(job.scenario), job.seed);
    const cli = new Map<string, Digest>();
    await runOutputChain(eventPlan, {
      formats,
      compress: false,
      password: null,
      sink: async (file, bytes) => {
        cli.set(file.format, await digestOf(bytes, false));
      },
    });
    const zipPath = join(dir, ZIP_FILE_NAME);
    await pipeline(await store.open(jobObjectKey(job.job_id, ZIP_FILE_NAME)), createWriteStream(zipPath));
    const entries = await zipDigests(zipPath);
    const files: VerifyFileRow[] = [];
    for (const format of formats) {
      const name = formatSpec(format).fileName;
      const stored = compressed ? `${name}.gz` : name;
      const file = await digestOf(await store.open(jobObjectKey(job.job_id, stored)), compressed);
      const zipEntry = entries.get(stored) ?? null;
      const expected = cli.get(format)!;
      files.push({
        format,
        cli: expected,
        file,
        zipEntry,
        same: file.sha256 === expected.sha256 && zipEntry?.sha256 === expected.sha256,
      });
    }
    const manifest = entries.has('manifest.json') && entries.size === formats.length + 1;
    return {
      jobId: job.job_id,
      patients: eventPlan.totalPatients,
      files,
      manifest,
      same: manifest && files.every((f) => f.same),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    clients.s3.destroy();
    clients.sqs.destroy();
    clients.dynamodb.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
