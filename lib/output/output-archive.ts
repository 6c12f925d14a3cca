/**
 * The ZIP + manifest step of the CLI and the job runner (memory/decisions/0904-one-output-chain.md):
 * the chain's files, read back from wherever the caller stored them, plus manifest.json, streamed
 * through size and SHA-256 into the caller's sink. The manifest's `output` says how the files were
 * written, the same way for both callers.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EventPlan } from '../generation/index.js';
import { ENCRYPTION_DESCRIPTION } from './crypto-segments.js';
import { DigestStream } from './manifest.js';
import {
  ChainFailures,
  type ChainFile,
  type ChainSink,
  type OutputChoice,
  type StoredFile,
} from './output-chain.js';
import { createZipStream, ZIP_CONTENT_TYPE, ZIP_FILE_NAME } from './zip.js';

const ARCHIVE_FILE: ChainFile = {
  format: 'zip',
  fileName: ZIP_FILE_NAME,
  contentType: ZIP_CONTENT_TYPE,
};

export interface OutputArchiveOptions extends Omit<OutputChoice, 'formats'> {
  readonly plan: EventPlan;
  /** The chain's files, in its order: the entries, and the manifest's `output.formats`. */
  readonly files: readonly ChainFile[];
  /** True when the files are encrypted: the manifest then withholds the scenario and seed. */
  readonly encrypted: boolean;
  /** Opens one file's bytes when the archive gets to it (the caller's partial file, stored object). */
  readonly open: (file: ChainFile) => Readable;
  readonly sink: ChainSink;
  /** Manifest fields before `output` (the job's id and name). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
}

/**
 * The manifest's `output`: formats, the FHIR bundle type when asked for, compression, encryption.
 * Also the job finaliser's (lib/domain/job-finaliser.ts), which builds its ZIP from pieces.
 */
export function outputManifestFields(
  options: Pick<OutputArchiveOptions, 'files' | 'formatOptions' | 'compress' | 'encrypted'>,
): Record<string, unknown> {
  const formats = options.files.map((f) => f.format);
  const bundleType = options.formatOptions?.fhir?.bundleType;
  return {
    formats,
    ...(bundleType !== undefined && formats.includes('fhir') ? { fhir_bundle: bundleType } : {}),
    compression: options.compress ? 'gzip' : null,
    encryption: options.encrypted ? ENCRYPTION_DESCRIPTION : null,
  };
}

/**
 * Streams patients.zip into the sink and resolves with its size and SHA-256. On failure (a source, the
 * sink, the signal) the archive is torn down and the promise rejects once the sink has settled.
 */
export async function writeOutputArchive(options: OutputArchiveOptions): Promise<StoredFile> {
  const entries = options.files.map((file) => ({ name: file.fileName, source: () => options.open(file) }));
  const zip = createZipStream(entries, {
    plan: options.plan,
    withholdReproduction: options.encrypted,
    extra: { ...options.extra, output: outputManifestFields(options) },
  });
  const digest = new DigestStream();
  const failures = new ChainFailures(options.signal, () => [zip, digest]);
  await Promise.all([
    pipeline(zip, digest).catch((error: unknown) => failures.fail(error)),
    failures.store(options.sink, ARCHIVE_FILE, digest),
  ]);
  failures.dispose();
  if (failures.failed) throw failures.error();
  const { size, sha256 } = digest.result(ZIP_FILE_NAME);
  return { ...ARCHIVE_FILE, size, sha256 };
}
