/**
 * manifest.json of a job's ZIP: what was generated (generator and record schema versions, the
 * scenario as validated, the seed, the patient count) and each file's name, size and SHA-256, so a
 * recipient can check the files and reproduce them. No wall-clock time: the manifest is reproducible.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { type EventPlan, GENERATOR_NAME, GENERATOR_VERSION, SCHEMA_VERSION } from '../generation/index.js';
import type { PartsChecksum } from './part-checksum.js';

export { GENERATOR_NAME };

export const MANIFEST_FILE_NAME = 'manifest.json';
/** Version of the manifest's own layout. */
export const MANIFEST_VERSION = '1.0.0';

export interface ManifestFile {
  readonly name: string;
  /** Size in bytes of the file as stored (after compression and encryption, if any). */
  readonly size: number;
  /** Lower-case hex SHA-256 of the file as stored (the CLI, which reads each file once more). */
  readonly sha256?: string;
  /**
   * A job's file assembled from parts (memory/decisions/0905-composable-parts.md): the
   * sha256-of-parts checksum, composed without reading the file again.
   */
  readonly checksum?: PartsChecksum;
}

export interface Manifest {
  readonly manifest_version: string;
  /** Version of the patient record schema (lib/generation SCHEMA_VERSION). */
  readonly schema_version: string;
  readonly generator: { readonly name: string; readonly version: string };
  /**
   * The scenario as validated, defaults applied, and the seed: together they reproduce every file.
   * Null when the files are encrypted, since a clear manifest would otherwise undo the encryption.
   */
  readonly scenario: unknown;
  readonly seed: string | number | null;
  readonly withheld?: string;
  readonly patient_count: number;
  readonly files: readonly ManifestFile[];
  readonly [extra: string]: unknown;
}

export interface ManifestInput {
  /** What the manifest states of the plan (a job's finaliser has the scenario, not the whole plan). */
  readonly plan: Pick<EventPlan, 'scenario' | 'seed' | 'totalPatients'>;
  readonly files: readonly ManifestFile[];
  /** Further top-level fields (job id, output options); they cannot replace the fields above. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** True when the files are encrypted: the scenario and seed are then left out. */
  readonly withholdReproduction?: boolean;
}

export function buildManifest({ plan, files, extra, withholdReproduction }: ManifestInput): Manifest {
  return {
    ...extra,
    manifest_version: MANIFEST_VERSION,
    schema_version: SCHEMA_VERSION,
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    scenario: withholdReproduction ? null : plan.scenario.input,
    seed: withholdReproduction ? null : plan.seed,
    ...(withholdReproduction
      ? {
          withheld:
            'scenario and seed are left out because the files are encrypted: they would regenerate them',
        }
      : {}),
    patient_count: plan.totalPatients,
    files: files.map((f) => ({
      name: f.name,
      size: f.size,
      ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}),
      ...(f.checksum !== undefined ? { checksum: f.checksum } : {}),
    })),
  };
}

/** The manifest as written into the ZIP: pretty JSON with a final newline. */
export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** A pass-through that counts and hashes the bytes flowing through it. */
export class DigestStream extends Transform {
  private readonly hash: Hash | undefined;
  private bytes = 0;
  private digest: string | undefined;

  /** `sha256: false` only counts (`bytesPassed`): the CLI's loose files need no hash (lib/output/output-chain.ts). */
  constructor(options: { readonly sha256?: boolean } = {}) {
    super();
    this.hash = options.sha256 === false ? undefined : createHash('sha256');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash?.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash?.digest('hex');
    callback();
  }

  /**
   * Bytes that have passed so far. Not named `size`: the S3 upload reads a body's `size` as its total
   * length, and this stream is the body of every job file's upload (memory/fixes/0065).
   */
  get bytesPassed(): number {
    return this.bytes;
  }

  /** Size and SHA-256 of everything that passed; only once the stream has ended. */
  result(name: string): ManifestFile & { readonly sha256: string } {
    if (this.digest === undefined) {
      throw new Error(
        this.hash
          ? `${name}: the digest is only known once the stream has ended`
          : `${name}: this stream only counts bytes`,
      );
    }
    return { name, size: this.bytes, sha256: this.digest };
  }
}
