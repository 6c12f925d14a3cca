/**
 * Jobs as their owner sees them: get, list, cancel, delete, paginated results and download links.
 * Every read is scoped to the caller: another owner's job is indistinguishable from a missing one.
 */
import { createGunzip } from 'node:zlib';
import { ConflictError, NotFoundError } from '../core/index.js';
import {
  CANCELLABLE_STATUSES,
  type Job,
  type JobRecord,
  jobObjectKey,
  jobPrefix,
  type OutputFile,
  toJob,
} from './job.js';
import { readFilteredPage, readRecordPage } from './json-records.js';
import type { JobRepository, ResultStore } from './ports.js';
import { type ResultsFilter, recordMatcher } from './results-filter.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_RESULTS_PER_PAGE = 500;
/** Download links live five minutes. */
export const DOWNLOAD_URL_TTL_SECONDS = 300;

export interface JobServiceDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  readonly clock?: () => Date;
}

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

export function notFound(jobId: string): NotFoundError {
  return new NotFoundError(`Job ${jobId} not found`);
}

/** Names keep letters, digits, space, "-" and "_" (memory/reference/v1-compatibility.md). */
export function downloadName(job: Pick<Job, 'job_id' | 'config'>, extension: string): string {
  const base = (job.config.name ?? '').replace(/[^A-Za-z0-9 _-]/g, '').trim();
  return base ? `${base}_${job.job_id}${extension}` : `patient_data_${job.job_id}${extension}`;
}

export class JobService {
  private readonly jobs: JobRepository;
  private readonly store: ResultStore;
  private readonly clock: () => Date;

  constructor(deps: JobServiceDeps) {
    this.jobs = deps.jobs;
    this.store = deps.store;
    this.clock = deps.clock ?? (() => new Date());
  }

  /** The stored job if `owner` owns it; NotFoundError otherwise. */
  async getRecord(owner: string, jobId: string): Promise<JobRecord> {
    const record = await this.jobs.get(jobId);
    if (!record || record.owner !== owner) throw notFound(jobId);
    return record;
  }

  async get(owner: string, jobId: string): Promise<Job> {
    return toJob(await this.getRecord(owner, jobId));
  }

  /** The owner's jobs, newest first, a page at a time. */
  async list(owner: string, options: { limit?: number; cursor?: string | null } = {}): Promise<JobList> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.jobs.listByOwner(owner, { limit, cursor: options.cursor ?? null });
    return { jobs: page.items.map(toJob), next_cursor: page.next_cursor };
  }

  /** Cancels a pending, queued or running job; the worker sees it between batches and stops. */
  async cancel(owner: string, jobId: string): Promise<Job> {
    const record = await this.getRecord(owner, jobId);
    const now = this.clock().toISOString();
    const updated = await this.jobs.update(
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
      { statusIn: CANCELLABLE_STATUSES },
    );
    if (updated) return toJob(updated);
    const current = await this.jobs.get(jobId);
    if (!current) throw notFound(jobId);
    throw new ConflictError(`Cannot cancel job ${jobId} with status ${current.status ?? record.status}`, {
      details: { status: current.status },
    });
  }

  /** Deletes the job and its files; a job still in progress is cancelled first so the worker stops. */
  async delete(owner: string, jobId: string): Promise<DeleteResult> {
    const record = await this.getRecord(owner, jobId);
    if (CANCELLABLE_STATUSES.includes(record.status)) {
      const now = this.clock().toISOString();
      await this.jobs.update(
        jobId,
        { set: { status: 'cancelled', completed_at: now, updated_at: now }, remove: ['encryption'] },
        { statusIn: CANCELLABLE_STATUSES },
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

  private completed(record: JobRecord): void {
    if (record.status !== 'completed') {
      throw new ConflictError(`Job ${record.job_id} is not completed yet. Current status: ${record.status}`, {
        details: { status: record.status },
      });
    }
  }

  /**
   * One page of the job's patients, read from its NDJSON or JSON output. Without filters, reading stops
   * after the page; with filters, one streaming pass counts the matches (`total`) and keeps the page.
   */
  async results(
    owner: string,
    jobId: string,
    options: { page?: number; per_page?: number } & ResultsFilter = {},
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
      throw new NotFoundError(`Job ${jobId} has no JSON or NDJSON output to read results from`);
    }
    const offset = (page - 1) * perPage;
    const open = async () => {
      const raw = await this.store.open(jobObjectKey(jobId, file.file_name));
      const stream = record.config.use_compression ? raw.pipe(createGunzip()) : raw;
      if (stream !== raw) raw.on('error', (error) => stream.destroy(error));
      return stream;
    };
    const matches = recordMatcher(options);
    let total: number;
    let patients: unknown[] = [];
    if (matches) {
      const found = await readFilteredPage(await open(), offset, perPage, matches);
      total = found.total;
      patients = found.records;
    } else {
      total = numberOf(record.summary?.total_patients) ?? record.config.total_patients;
      if (offset < total) patients = await readRecordPage(await open(), offset, perPage);
    }
    const totalPages = Math.ceil(total / perPage);
    return { job_id: jobId, total, page, per_page: perPage, total_pages: totalPages, patients };
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
    const url = await this.store.presignGet(jobObjectKey(jobId, file.file_name), {
      expiresIn: DOWNLOAD_URL_TTL_SECONDS,
      downloadName: downloadName(record, extension),
    });
    const expiresAt = new Date(this.clock().getTime() + DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString();
    return {
      url,
      format: file.format,
      file_name: file.file_name,
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
