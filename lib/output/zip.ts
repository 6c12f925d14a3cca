/**
 * A ZIP of a job's output files plus manifest.json, streamed with archiver (deflate): each file is
 * read once, in order, hashed on the way into the archive, and the manifest (sizes and SHA-256 of the
 * files as stored) is written last. Entry times are the scenario's base date, not the clock, so the
 * same files give the same archive.
 */
import type { Readable } from 'node:stream';
import archiver from 'archiver';
import type { EventPlan } from '../generation/index.js';
import {
  buildManifest,
  DigestStream,
  MANIFEST_FILE_NAME,
  type ManifestFile,
  manifestJson,
} from './manifest.js';

export const ZIP_FILE_NAME = 'patients.zip';
export const ZIP_CONTENT_TYPE = 'application/zip';
export const ZIP_LEVEL = 6;

export interface ZipEntry {
  /** Path inside the archive, e.g. "patients.fhir.ndjson.gz". */
  readonly name: string;
  /** The bytes: a stream, or a function that opens it when the archive gets to this entry. */
  readonly source: Readable | (() => Readable);
}

export interface ZipManifestOptions {
  readonly plan: EventPlan;
  /** Further top-level manifest fields (job id, output options). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Leave the scenario and seed out of the manifest (the files are encrypted). */
  readonly withholdReproduction?: boolean;
}

export interface ZipOptions {
  /** Modification time of every entry; default the scenario's base date (or 1980-01-01 without one). */
  readonly date?: Date;
  /** Deflate level 0-9 (default 6). */
  readonly level?: number;
}

/**
 * The ZIP as a stream. `manifest` adds manifest.json (built from the plan and the entries' sizes and
 * SHA-256) as the last entry; pass null for a plain archive. Errors of any source end the archive
 * stream with that error.
 */
export function createZipStream(
  entries: readonly ZipEntry[],
  manifest: ZipManifestOptions | null,
  options: ZipOptions = {},
): Readable {
  const names = new Set<string>();
  for (const e of entries) {
    if (!e.name || e.name.startsWith('/') || e.name.split('/').includes('..')) {
      throw new RangeError(`invalid ZIP entry name "${e.name}"`);
    }
    if (names.has(e.name) || (manifest && e.name === MANIFEST_FILE_NAME)) {
      throw new RangeError(`duplicate ZIP entry name "${e.name}"`);
    }
    names.add(e.name);
  }
  const date =
    options.date ??
    new Date(manifest ? `${manifest.plan.scenario.baseDate}T00:00:00Z` : '1980-01-01T00:00:00Z');
  const archive = archiver('zip', { zlib: { level: options.level ?? ZIP_LEVEL } });
  const fail = (error: Error) => archive.destroy(error);
  // A stream handed in now may fail before its turn: report that as the archive's error.
  for (const entry of entries) if (typeof entry.source !== 'function') entry.source.once('error', fail);

  // archiver starts reading every appended stream at once, so entries are appended one at a time,
  // each when the previous one is written: sources are opened in order, and the manifest is built
  // when every digest is complete.
  const written: ManifestFile[] = [];
  let next = 0;
  let manifestAdded = manifest === null;
  let digest: { name: string; stream: DigestStream } | undefined;
  const step = () => {
    if (digest) written.push(digest.stream.result(digest.name));
    digest = undefined;
    if (next < entries.length) {
      const entry = entries[next++];
      let source: Readable;
      try {
        source = typeof entry.source === 'function' ? entry.source() : entry.source;
      } catch (error) {
        fail(error as Error);
        return;
      }
      const stream = new DigestStream();
      source.once('error', (error) => stream.destroy(error));
      stream.once('error', fail);
      digest = { name: entry.name, stream };
      archive.append(source.pipe(stream), { name: entry.name, date });
    } else if (!manifestAdded) {
      manifestAdded = true;
      const json = manifestJson(
        buildManifest({
          plan: manifest!.plan,
          files: written,
          extra: manifest!.extra,
          withholdReproduction: manifest!.withholdReproduction,
        }),
      );
      archive.append(Buffer.from(json, 'utf8'), { name: MANIFEST_FILE_NAME, date });
    } else {
      archive.finalize().catch(() => {}); // failures are emitted as 'error' on the archive
    }
  };
  archive.on('entry', () => {
    try {
      step();
    } catch (error) {
      fail(error as Error);
    }
  });
  step();
  return archive;
}
