/**
 * The results index: what GET /jobs/{id}/results filters on, one short line per patient, so a filtered
 * page reads about 150 bytes per patient instead of the patient's whole record (about 4.9 KB)
 * (memory/fixes/0211-filtered-results-read-the-whole-file.md).
 *
 * Each chunk writes its range's lines as one more part (`results-index.ndjson.gz` under its prefix,
 * so a job that fails or is cancelled drops it with its parts); the finaliser copies every chunk's
 * into `jobs/{id}/results-index/` before it completes the job. A line is the record's filtered
 * fields under the record's own keys, in one compact JSON object, so the matcher of results-filter.ts
 * reads it exactly as it reads the record's text. An encrypted job has no index: its patients are
 * never stored in the clear.
 */
import { createGunzip, createGzip } from 'node:zlib';
import type { PatientRecord } from '../generation/index.js';
import { inflatedBody } from './inflated-body.js';
import { jobPrefix } from './job.js';
import { recordTextBatches } from './json-records.js';
import type { ResultStore } from './ports.js';
import type { ResultsFilter } from './results-filter.js';

/** The part each chunk writes (lib/domain/job-parts.ts chunkPartKey). */
export const RESULTS_INDEX_PART = 'results-index.ndjson.gz';

export function resultsIndexPrefix(jobId: string): string {
  return `${jobPrefix(jobId)}results-index/`;
}

/** Chunk `chunk`'s index once the job is complete. */
export function resultsIndexKey(jobId: string, chunk: number): string {
  return `${resultsIndexPrefix(jobId)}c${String(chunk).padStart(6, '0')}.ndjson.gz`;
}

/** One patient's line (without its newline): every field a results filter reads, under its record key. */
export function resultsIndexLine(record: PatientRecord): string {
  return JSON.stringify({
    id: record.id,
    uuid: record.uuid,
    given_name: record.demographics.given_name,
    family_name: record.demographics.family_name,
    service_number: record.demographics.service_number,
    nationality: record.nationality,
    front: record.front,
    front_id: record.front_id,
    triage_category: record.triage_category,
    status: record.status,
  });
}

/**
 * Index text gathered before one write to zlib. Each write is a round trip to zlib's thread: one per
 * patient cost a 50,000-patient chunk about 1.6 s of CPU, against 0.05 s in 64 KiB writes
 * (memory/fixes/0215). zlib's output does not depend on how its input is split
 * (memory/decisions/0919-larger-writes-to-zlib.md), so the stored bytes are the same.
 */
export const INDEX_WRITE_CHARS = 64 * 1024;

/**
 * A chunk's index part being written: `add` each record as the chunk writes it, then `finish` (stored)
 * or `discard` (the upload torn down, nothing stored).
 */
export class ResultsIndexPart {
  // Level 1: the index is read by the API only, and its chunk pays for every byte deflated (about
  // 245 bytes per patient: 1.4 µs at level 1, 2.6 µs at level 6 for 11 % fewer bytes).
  readonly #gzip = createGzip({ level: 1 });
  readonly #stored: Promise<void>;

  constructor(store: ResultStore, key: string, signal: AbortSignal) {
    this.#stored = store.upload(key, this.#gzip, { contentType: 'application/gzip', signal });
    // Awaited by finish or discard; a failure meanwhile is theirs to report. The stream's own errors
    // (destroyed by discard, or written to once the upload has given up) end up there too.
    this.#stored.catch(() => undefined);
    this.#gzip.on('error', () => undefined);
  }

  /** Lines not yet handed to zlib. */
  #pending = '';

  /** About 150 bytes per patient, buffered until the upload takes them: a chunk's worth at most. */
  readonly add = (record: PatientRecord): void => {
    this.#pending += `${resultsIndexLine(record)}\n`;
    if (this.#pending.length >= INDEX_WRITE_CHARS) this.#write();
  };

  async finish(): Promise<void> {
    this.#write();
    this.#gzip.end();
    await this.#stored;
  }

  /** Hands the pending lines to zlib in one write. */
  #write(): void {
    if (this.#pending === '') return;
    this.#gzip.write(this.#pending);
    this.#pending = '';
  }

  async discard(): Promise<void> {
    // With a reason: a body that merely ends would be stored as it is.
    this.#gzip.destroy(new Error('the chunk stopped'));
    await this.#stored.catch(() => undefined);
  }
}

/** An index line's record id: each line starts with it (resultsIndexLine). */
const LINE_ID = /^\{"id":(\d+)[,}]/;

/**
 * The ids of every patient a filter matches in a completed job's index, ascending, or undefined when
 * the job has none complete (a job finished before the index existed, or an encrypted one): the
 * caller then reads the file. About 4 bytes per match, so a page and its neighbours are slices.
 * `signal` stops the reads.
 */
export async function readIndexedMatchIds(
  store: ResultStore,
  jobId: string,
  chunks: number,
  matches: (text: string) => boolean,
  signal?: AbortSignal,
): Promise<Uint32Array | undefined> {
  const keys = Array.from({ length: chunks }, (_, chunk) => resultsIndexKey(jobId, chunk));
  const stored = new Set(await store.list(resultsIndexPrefix(jobId)));
  if (!keys.every((key) => stored.has(key))) return undefined;
  const ids: number[] = [];
  for await (const batch of recordTextBatches(indexBytes(store, keys, signal))) {
    for (const text of batch) {
      if (!matches(text)) continue;
      const id = LINE_ID.exec(text);
      if (!id) throw new Error(`results index of job ${jobId}: a line without its id first`);
      ids.push(Number(id[1]));
    }
  }
  return Uint32Array.from(ids);
}

/**
 * The match ids of recent (job, filter) pairs, within a byte budget, least recently used dropped
 * first: a completed job's index never changes, so the next page of the same filter is a slice
 * instead of another pass over the index (fix 0213). Access is checked before every read of it.
 */
export class MatchIdCache {
  readonly #entries = new Map<string, Uint32Array>();
  #bytes = 0;

  constructor(private readonly maxBytes: number) {}

  static key(jobId: string, filter: ResultsFilter): string {
    const { q, triage, status, nationality, front } = filter;
    return JSON.stringify([
      jobId,
      q ?? null,
      triage ?? null,
      status ?? null,
      nationality ?? null,
      front ?? null,
    ]);
  }

  get(key: string): Uint32Array | undefined {
    const ids = this.#entries.get(key);
    if (!ids) return undefined;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, ids);
    return ids;
  }

  set(key: string, ids: Uint32Array): void {
    if (ids.byteLength > this.maxBytes) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#bytes -= old.byteLength;
    }
    for (const [oldest, dropped] of this.#entries) {
      if (this.#bytes + ids.byteLength <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= dropped.byteLength;
    }
    this.#entries.set(key, ids);
    this.#bytes += ids.byteLength;
  }

  get bytes(): number {
    return this.#bytes;
  }
}

/** The index's lines, chunk after chunk, each object opened only once the one before is read. */
async function* indexBytes(
  store: ResultStore,
  keys: readonly string[],
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  for (const key of keys) {
    const lines = inflatedBody(await store.open(key, 0, signal), createGunzip());
    try {
      yield* lines as AsyncIterable<Buffer>;
    } finally {
      lines.destroy();
    }
  }
}
