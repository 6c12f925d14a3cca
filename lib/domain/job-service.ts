/**
 * Jobs as their owner sees them: get, list, cancel, delete, paginated results and download links.
 * Every read is scoped to the caller: another owner's job is indistinguishable from a missing one.
 * Cancelling (or deleting) a job that has not ended gives its API key's running-job slot back: the
 * conditional write that ends the job is the one place that does (lib/domain/job-runner.ts).
 */
import type { Readable } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { ConflictError, type Logger, NotFoundError } from '../core/index.js';
import type { UsageCounters } from './api-key.js';
import { inflatedBody } from './inflated-body.js';
import {
  awaitsRetry,
  CANCELLABLE_STATUSES,
  DEFAULT_MAX_ATTEMPTS,
  type Job,
  type JobRecord,
  type JobScenario,
  jobObjectKey,
  jobPrefix,
  type OutputFile,
  toJob,
} from './job.js';
import { JobSlots } from './job-slots.js';
import { readFilteredPage, readRecordPage, readRecordsAt } from './json-records.js';
import { mapLimited } from './map-limited.js';
import type { JobRepository, ResultStore } from './ports.js';
import { type ResultsFilter, recordMatcher } from './results-filter.js';
import { MatchIdCache, readIndexedMatchIds } from './results-index.js';
import { placePositions, placeRecord, type ReadRange, recordSeek } from './results-seek.js';

/** Reads of one page's records at once (results-seek.ts `placePositions`). */
const POSITION_READ_CONCURRENCY = 8;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_RESULTS_PER_PAGE = 500;
/** Download links live five minutes. */
export const DOWNLOAD_URL_TTL_SECONDS = 300;

export interface JobServiceDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  /** Gives back the running-job slot of a cancelled job's API key. */
  readonly usage: UsageCounters;
  readonly clock?: () => Date;
  /** Runs a job gets (the worker's maxAttempts): a failed job with fewer still holds its slot. */
  readonly maxAttempts?: number;
  /** Where a slot that could not be given back is reported. */
  readonly logger?: Logger;
  /** Bytes of filter matches kept for the next pages (MatchIdCache); default 32 MiB, 0 keeps none. */
  readonly matchIdCacheBytes?: number;
}

/** 8 million match ids: a few filters of the largest jobs (1,000,000 patients at most each). */
const MATCH_ID_CACHE_BYTES = 32 * 1024 * 1024;

export interface JobList {
  readonly jobs: readonly Job[];
  readonly next_cursor: string | null;
}

export interface JobResults {
  readonly job_id: string;
  readonly total: number;
  readonly page: number;
  readonly per_page: number;
  readonly total_pages: number;
  readonly patients: readonly unknown[];
}

export interface DownloadLink {
  readonly url: string;
  readonly format: string;
  readonly file_name: string;
  /** The name the browser saves the file under (the presigned URL's Content-Disposition). */
  readonly download_name: string;
  readonly content_type: string;
  readonly size_bytes: number;
  readonly expires_in: number;
  readonly expires_at: string;
}

export interface DeleteResult {
  readonly success: true;
  readonly message: string;
  readonly deleted_id: string;
  readonly timestamp: string;
}

const PROGRESS_FROM_CHUNKS: ReadonlySet<JobRecord['status']> = new Set(['running', 'cancelled', 'failed']);

/**
 * The job as its owner sees it: a running fanned-out job's progress is the sum of its chunks'
 * patients (`chunk_progress`, each chunk's own write: memory/decisions/0906-job-fan-out.md), at most
 * 99% until it completes; its phase is `generating` once planned, or the finaliser's own.
 */
export function withChunkProgress(record: JobRecord): JobRecord {
  // A cancelled or failed job keeps what its chunks had reached (their writes stop with it).
  if (!record.chunking || !PROGRESS_FROM_CHUNKS.has(record.status)) return record;
  const total = record.config.total_patients;
  const written = Object.values(record.chunk_progress ?? {}).reduce((sum, n) => sum + n, 0);
  const done = Math.min(total, written);
  const stored = record.progress_details?.phase;
  const phase = stored === 'planning' || stored === 'queued' || !stored ? 'generating' : stored;
  return {
    ...record,
    progress: total === 0 ? 99 : Math.min(99, Math.floor((done * 100) / total)),
    progress_details: { phase, patients_generated: done, total_patients: total },
  };
}

export function notFound(jobId: string): NotFoundError {
  return new NotFoundError(`Job ${jobId} not found`);
}

/**
 * A completed job whose files are no longer stored: they expired (S3's lifecycle may remove them
 * before DynamoDB's TTL removes the record), or a local stack, which keeps files in memory only,
 * restarted (memory/fixes/0206-completed-job-without-files-gave-a-dead-link.md).
 */
function filesGone(jobId: string): NotFoundError {
  return new NotFoundError(
    `The files of job ${jobId} are no longer stored; generate it again: the same scenario and seed give the same files`,
  );
}

/** Names keep letters, digits, space, "-" and "_" (memory/reference/v1-compatibility.md). */
export function downloadName(job: Pick<Job, 'job_id' | 'config'>, extension: string): string {
  const base = (job.config.name ?? '').replace(/[^A-Za-z0-9 _-]/g, '').trim();
  return base ? `${base}_${job.job_id}${extension}` : `patient_data_${job.job_id}${extension}`;
}

export class JobService {
  private readonly jobs: JobRepository;
  private readonly store: ResultStore;
  private readonly slots: JobSlots;
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly logger: Logger | undefined;
  private readonly matchIds: MatchIdCache;

  constructor(deps: JobServiceDeps) {
    this.jobs = deps.jobs;
    this.store = deps.store;
    this.slots = new JobSlots(deps);
    this.clock = deps.clock ?? (() => new Date());
    this.maxAttempts = Math.max(1, deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.logger = deps.logger;
    this.matchIds = new MatchIdCache(deps.matchIdCacheBytes ?? MATCH_ID_CACHE_BYTES);
  }

  /** What the owner sees: chunk progress summed, a failed run awaiting its retry shown `queued`. */
  private view(record: JobRecord): Job {
    return toJob(withChunkProgress(record), this.maxAttempts);
  }

  /** The stored job if `owner` owns it; NotFoundError otherwise. */
  async getRecord(owner: string, jobId: string): Promise<JobRecord> {
    const record = await this.jobs.get(jobId);
    if (!record || record.owner !== owner) throw notFound(jobId);
    return record;
  }

  async get(owner: string, jobId: string): Promise<Job> {
    return this.view(await this.getRecord(owner, jobId));
  }

  /** The scenario the job ran, as it ran (JobScenarioSchema). */
  async scenario(owner: string, jobId: string): Promise<JobScenario> {
    const record = await this.getRecord(owner, jobId);
    return {
      job_id: record.job_id,
      seed: record.seed,
      configuration_id: record.config.configuration_id,
      configuration_version: record.config.configuration_version,
      scenario: record.scenario,
    };
  }

  /** The owner's jobs, newest first, a page at a time. */
  async list(owner: string, options: { limit?: number; cursor?: string | null } = {}): Promise<JobList> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.jobs.listByOwner(owner, { limit, cursor: options.cursor ?? null });
    return {
      jobs: page.items.map((record) => this.view(record)),
      next_cursor: page.next_cursor,
    };
  }

  /**
   * Cancels a pending, queued or running job; the worker sees it between batches and stops. A failed
   * job whose retry is still to come is cancelled too: the retry would start it again, and then finds
   * it cancelled (memory/fixes/0150-cancel-refused-a-job-awaiting-its-retry.md).
   */
  async cancel(owner: string, jobId: string): Promise<Job> {
    const record = await this.getRecord(owner, jobId);
    const now = this.clock().toISOString();
    const updated = await this.slots.end(
      jobId,
      {
        set: {
          status: 'cancelled',
          completed_at: now,
          updated_at: now,
          error: { code: 'CANCELLED', message: 'Job cancelled by user' },
        },
        remove: ['encryption'],
      },
      { statusIn: CANCELLABLE_STATUSES, orFailedAwaitingRetry: this.maxAttempts },
    );
    if (updated) return this.view(updated);
    const current = await this.jobs.get(jobId);
    if (!current) throw notFound(jobId);
    throw new ConflictError(`Cannot cancel job ${jobId} with status ${current.status ?? record.status}`, {
      details: { status: current.status },
    });
  }

  /**
   * Deletes the job and its files; a job still in progress is cancelled first so the worker stops. A
   * failed job whose retry is still to come is cancelled too: its retry then finds no job, so the
   * slot it holds is given back here.
   */
  async delete(owner: string, jobId: string): Promise<DeleteResult> {
    const record = await this.getRecord(owner, jobId);
    if (CANCELLABLE_STATUSES.includes(record.status) || awaitsRetry(record, this.maxAttempts)) {
      const now = this.clock().toISOString();
      // The condition, not the record read above, decides: a job another writer ended meanwhile
      // (the worker, the DLQ consumer, the sweeper) gave its slot back there.
      await this.slots.end(
        jobId,
        { set: { status: 'cancelled', completed_at: now, updated_at: now }, remove: ['encryption'] },
        { statusIn: CANCELLABLE_STATUSES, orFailedAwaitingRetry: this.maxAttempts },
      );
    }
    await this.store.deletePrefix(jobPrefix(jobId));
    await this.jobs.delete(jobId);
    return {
      success: true,
      message: 'Job deleted successfully',
      deleted_id: jobId,
      timestamp: this.clock().toISOString(),
    };
  }

  /** The 409 of a job without results: still under way ("yet"), or ended without any. */
  private completed(record: JobRecord): void {
    if (record.status === 'completed') return;
    // The status named is the one GET /jobs/{id} shows (a failed run awaiting its retry is queued).
    const { status } = this.view(record);
    const over = status === 'cancelled' || status === 'failed';
    const message = over
      ? `Job ${record.job_id} is not completed: it ${status === 'cancelled' ? 'was cancelled' : 'failed'} and has no results. Create a new job.`
      : `Job ${record.job_id} is not completed yet. Current status: ${status}`;
    throw new ConflictError(message, { details: { status } });
  }

  /**
   * One page of the job's patients, read from its NDJSON or JSON output. Without filters, reading stops
   * after the page; with filters, one streaming pass counts the matches (`total`) and keeps the page.
   * `signal` stops every read of the job's objects (the request ran out of time).
   */
  async results(
    owner: string,
    jobId: string,
    options: { page?: number; per_page?: number } & ResultsFilter = {},
    signal?: AbortSignal,
  ): Promise<JobResults> {
    try {
      const page = await this.resultsPage(owner, jobId, options, signal);
      // An abort can cut a read short in ways that look like an end (a gunzip's "unexpected end"):
      // the reason wins, and no page read while it came is answered.
      signal?.throwIfAborted();
      return page;
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  }

  private async resultsPage(
    owner: string,
    jobId: string,
    options: { page?: number; per_page?: number } & ResultsFilter,
    signal: AbortSignal | undefined,
  ): Promise<JobResults> {
    const page = options.page ?? 1;
    const perPage = options.per_page ?? 50;

    const record = await this.getRecord(owner, jobId);
    this.completed(record);
    if (record.config.use_encryption) {
      throw new ConflictError(
        `Job ${jobId} is encrypted; its patients cannot be read through the API. Download the files and decrypt them.`,
      );
    }
    const file =
      record.output_files.find((f) => f.format === 'ndjson') ??
      record.output_files.find((f) => f.format === 'json');
    if (!file) {
      // The job is there and complete: what it was asked to write is what stands in the way, as for
      // an encrypted job, so a 409 rather than a 404.
      throw new ConflictError(
        `Job ${jobId} wrote no JSON or NDJSON file (its formats: ${record.config.output_formats.join(', ')}), ` +
          'and its patients are read from one. Generate its scenario and seed again with the json or ndjson ' +
          `format (GET /api/v1/jobs/${jobId}/scenario) to read the same patients here.`,
        { details: { output_formats: record.config.output_formats } },
      );
    }
    const offset = (page - 1) * perPage;
    const key = jobObjectKey(jobId, file.file_name);
    const gone = (error: unknown) => {
      throw error instanceof NotFoundError ? filesGone(jobId) : error;
    };
    // From byte `from`: a gzip member at 0, raw deflate at a chunk's part (results-seek.ts).
    const open = async (from = 0, rawDeflate = false) => {
      const raw = await this.store.open(key, from, signal).catch(gone);
      const inflate = rawDeflate
        ? createInflateRaw()
        : record.config.use_compression
          ? createGunzip()
          : undefined;
      return inflate ? inflatedBody(raw, inflate) : raw;
    };
    const read: ReadRange = (start, end) => this.store.readRange(key, start, end, signal).catch(gone);
    const matches = recordMatcher(options);
    let total: number;
    let patients: unknown[] = [];
    const bounds = record.chunking?.bounds;
    // A filter reads the job's results index (results-index.ts), or the matches kept from an earlier
    // page, then only the page's records; a job without a complete index is read whole, as before.
    const ids =
      matches && bounds
        ? await this.matchIdsOf(jobId, bounds.length - 1, options, matches, signal)
        : undefined;
    if (ids) {
      total = ids.length;
      patients = await this.readPositions(
        record,
        file,
        [...ids.subarray(offset, offset + perPage)],
        open,
        read,
      );
    } else if (matches) {
      const found = await readFilteredPage(await open(), offset, perPage, matches);
      total = found.total;
      patients = found.records;
    } else {
      total = numberOf(record.summary?.total_patients) ?? record.config.total_patients;
      // A deep page starts at its own record (or its chunk, compressed), not at the file's first byte.
      const seek = offset < total ? recordSeek(record, file, offset) : undefined;
      if (seek) {
        const place = await placeRecord(seek, read, offset);
        patients = await readRecordPage(await open(place.from, seek.rawDeflate), place.skip, perPage);
      } else if (offset < total) patients = await readRecordPage(await open(), offset, perPage);
    }
    const totalPages = Math.ceil(total / perPage);
    return { job_id: jobId, total, page, per_page: perPage, total_pages: totalPages, patients };
  }

  /** Every match of `filter` in a completed job's index (kept for its next pages), or undefined: none. */
  private async matchIdsOf(
    jobId: string,
    chunks: number,
    filter: ResultsFilter,
    matches: (text: string) => boolean,
    signal?: AbortSignal,
  ): Promise<Uint32Array | undefined> {
    const key = MatchIdCache.key(jobId, filter);
    const kept = this.matchIds.get(key);
    if (kept) return kept;
    const ids = await readIndexedMatchIds(this.store, jobId, chunks, matches, signal);
    if (ids) this.matchIds.set(key, ids);
    return ids;
  }

  /**
   * The records at job positions `positions` (ascending) of `file`, in order: each run of nearby
   * positions read from its first one's place (results-seek.ts `placePositions`: at or near its own
   * line in an uncompressed file, the flush point before it in a compressed one), a few runs at once.
   */
  private async readPositions(
    record: JobRecord,
    file: OutputFile,
    positions: readonly number[],
    open: (from?: number, rawDeflate?: boolean) => Promise<Readable>,
    readRange: ReadRange,
  ): Promise<unknown[]> {
    const reads = await placePositions(record, file, positions, readRange);
    const pages = await mapLimited(reads.length, POSITION_READ_CONCURRENCY, async (i) =>
      readRecordsAt(await open(reads[i].from, reads[i].rawDeflate), reads[i].counted),
    );
    const records = pages.flat();
    if (records.length !== positions.length) {
      throw new Error(
        `results index of job ${record.job_id}: ${positions.length} positions, ${records.length} records read`,
      );
    }
    return records;
  }

  /** A presigned GET URL, valid five minutes: the ZIP of every file by default, or one format's file. */
  async downloadLink(owner: string, jobId: string, format?: string | null): Promise<DownloadLink> {
    // The route's query schema has checked the format; an unknown one is simply not among the files.
    const wanted = format?.trim().toLowerCase() || 'zip';
    const record = await this.getRecord(owner, jobId);
    this.completed(record);
    let file: OutputFile | undefined = record.output_files.find((f) => f.format === wanted);
    // Without an archive (a job with a single file), the default download is the JSON file.
    if (!file && !format)
      file = record.output_files.find((f) => f.format === 'json') ?? record.output_files[0];
    if (!file) {
      const available = record.output_files.map((f) => f.format).join(', ');
      throw new NotFoundError(`Job ${jobId} has no ${wanted} output; available: ${available || 'none'}`);
    }
    const extension = file.file_name.slice(file.file_name.indexOf('.'));
    const savedAs = downloadName(record, extension);
    const key = jobObjectKey(jobId, file.file_name);
    // A link to nothing would open S3's own error page: say here that the files are gone.
    if (!(await this.store.exists(key))) throw filesGone(jobId);
    const url = await this.store.presignGet(key, {
      expiresIn: DOWNLOAD_URL_TTL_SECONDS,
      downloadName: savedAs,
    });
    const expiresAt = new Date(this.clock().getTime() + DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString();
    return {
      url,
      format: file.format,
      file_name: file.file_name,
      download_name: savedAs,
      content_type: file.content_type,
      size_bytes: file.size_bytes,
      expires_in: DOWNLOAD_URL_TTL_SECONDS,
      expires_at: expiresAt,
    };
  }
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
