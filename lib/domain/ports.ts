/**
 * What the domain needs from the outside world. Adapters (lib/infrastructure) implement these over
 * DynamoDB, SQS and S3; they hold no business rule: the services decide, the adapters store.
 */
import type { Readable } from 'node:stream';
import type { ConfigurationHeadRecord, ConfigurationVersionRecord } from './configuration.js';
import type { ActiveJobStatus, JobRecord, JobStatus, SealerKind, TaskStage } from './job.js';

export interface PageRequest {
  /** Items per page. */
  readonly limit: number;
  /** Opaque cursor from the previous page's `next_cursor`. */
  readonly cursor?: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; null on the last page. */
  readonly next_cursor: string | null;
}

/** When a conditional job update may apply. Every given part must hold. */
export interface JobCondition {
  /** The job's status is one of these... */
  readonly statusIn?: readonly JobStatus[];
  /** ...or it is running and was last updated before this ISO time (a stale run a retry may take over). */
  readonly orRunningStaleBefore?: string;
  /**
   * ...or it failed and a retry may still run it: it ran at least once and fewer times than this
   * (the worker's maxAttempts). Such a job has not ended: it holds its key's running slot
   * (lib/domain/job.ts `awaitsRetry`).
   */
  readonly orFailedAwaitingRetry?: number;
  /** The job was last updated before this ISO time (the sweeper: a job idle that long). */
  readonly updatedBefore?: string;
  /** The job is owned by this worker run. */
  readonly runId?: string;
  /** The job still holds its key's running-job slot (no `slot_released`). */
  readonly slotHeld?: boolean;
}

/** Attributes to set (undefined values are ignored) and attributes to remove. */
export interface JobChanges {
  readonly set: Partial<Omit<JobRecord, 'job_id' | 'owner' | 'created_at'>>;
  readonly remove?: readonly ('encryption' | 'run_id' | 'error')[];
  /** Adds 1 to `attempts`. */
  readonly incrementAttempts?: boolean;
}

export type IdempotencyClaim =
  | { readonly claimed: true }
  | {
      readonly claimed: false;
      readonly jobId: string;
      readonly fingerprint: string;
      /** True once the claim's job was stored (`confirmIdempotencyKey`): a missing job was then deleted. */
      readonly stored: boolean;
    };

export interface JobRepository {
  /** Stores a new job; ConflictError if the id exists. */
  create(job: JobRecord): Promise<void>;
  get(jobId: string): Promise<JobRecord | undefined>;
  /** Jobs of one owner, newest first. */
  listByOwner(owner: string, page: PageRequest): Promise<Page<JobRecord>>;
  /** Applies the changes if the job exists and the condition holds; the updated job, or undefined if not. */
  update(jobId: string, changes: JobChanges, condition?: JobCondition): Promise<JobRecord | undefined>;
  delete(jobId: string): Promise<void>;
  /**
   * Records that (owner, key) created `jobId`, unless it already did: then returns the job it points
   * to and the fingerprint of the request that claimed it. Claims expire after `ttlSeconds`.
   */
  /**
   * Records, once, that task `index` of `stage` ('chunk': a patient range; 'seal': an encryption range)
   * has finished: one conditional UpdateItem that adds `index` to the stage's done set
   * (`chunks_done` / `seals_done`) and sets `updated_at`, only while the job is `running` with
   * `chunking.plan_id = planId` and `index` is not in the set yet. `applied` is false for a repeat or
   * a job no longer running that plan; `record` is the job after the write (or as it is, when not applied).
   */
  countTaskDone(
    jobId: string,
    stage: TaskStage,
    index: number,
    planId: string,
    at: string,
  ): Promise<{ readonly applied: boolean; readonly record: JobRecord | undefined }>;
  /**
   * Sets `chunk_progress[index] = done` and `updated_at` while the job is `running` with
   * `chunking.plan_id = planId`; false when it is not (cancelled, deleted, ended, re-planned).
   */
  recordChunkProgress(
    jobId: string,
    index: number,
    done: number,
    planId: string,
    at: string,
  ): Promise<boolean>;
  claimIdempotencyKey(
    owner: string,
    key: string,
    jobId: string,
    fingerprint: string,
    ttlSeconds: number,
  ): Promise<IdempotencyClaim>;
  /** Marks an Idempotency-Key's claim: its job is stored (so a replay that finds no job knows it was deleted). */
  confirmIdempotencyKey(owner: string, key: string): Promise<void>;
}

/** A job the idle-job index holds: one that has not ended (pending, queued or running). */
export interface IdleJob {
  readonly job_id: string;
  readonly status: ActiveJobStatus;
  readonly updated_at: string;
}

/**
 * Jobs that have not ended, by status and last update: what the sweeper looks for (the jobs table's
 * sparse index `by-active-status`, memory/decisions/0903-no-stuck-jobs.md).
 */
export interface IdleJobIndex {
  /** Jobs in `status` last updated before `before` (ISO), oldest first, a page at a time. */
  listIdle(status: ActiveJobStatus, before: string, page: PageRequest): Promise<Page<IdleJob>>;
}

export interface ConfigurationRepository {
  /** Writes version `head.latest_version`'s snapshot then the head; ConflictError if the id exists. */
  create(head: ConfigurationHeadRecord, first: ConfigurationVersionRecord): Promise<void>;
  getHead(configId: string): Promise<ConfigurationHeadRecord | undefined>;
  getVersion(configId: string, version: number): Promise<ConfigurationVersionRecord | undefined>;
  /** The highest snapshot actually written (may be ahead of the head after an interrupted update). */
  getLatestVersion(configId: string): Promise<ConfigurationVersionRecord | undefined>;
  /** Writes an immutable snapshot; ConflictError if that version exists. */
  putVersion(version: ConfigurationVersionRecord): Promise<void>;
  /** Points the head at `version` unless it already points at it or later; false when it did not move. */
  advanceHead(version: ConfigurationVersionRecord, updatedAt: string): Promise<boolean>;
  /** Snapshots of one configuration, oldest first. */
  listVersions(configId: string, page: PageRequest): Promise<Page<ConfigurationVersionRecord>>;
  /** Heads of one owner, newest first. */
  listByOwner(owner: string, page: PageRequest): Promise<Page<ConfigurationHeadRecord>>;
  /** Removes the head, then every snapshot. */
  delete(configId: string): Promise<void>;
}

export interface EnqueueOptions {
  /** Travels as the `correlation_id` message attribute into the worker's log lines. */
  readonly correlationId?: string;
}

export interface JobQueue {
  /** Sends `{"job_id": …}` to the generation queue; resolves with the message id. */
  enqueue(jobId: string, options?: EnqueueOptions): Promise<string>;
  /**
   * Sends each body (JSON, e.g. a chunk task `{"job_id", "chunk", …}`) to the generation queue, in
   * batches of up to 10 (SendMessageBatch); rejects naming the first body SQS refused.
   */
  sendTasks(bodies: readonly Readonly<Record<string, unknown>>[], options?: EnqueueOptions): Promise<void>;
}

export interface UploadOptions {
  readonly contentType: string;
  /**
   * Aborting stops the upload and discards what was sent; the call settles only once no request of it
   * is in flight, so nothing it sent can land after the caller moves on.
   */
  readonly signal?: AbortSignal;
}

export interface PresignOptions {
  /** Seconds the URL stays valid (default 300). */
  readonly expiresIn?: number;
  /** Suggested file name for the browser (Content-Disposition: attachment). */
  readonly downloadName?: string;
}

export interface ResultStore {
  /** Streams `body` to `key` (multipart for large bodies); resolves once the object is complete. */
  upload(key: string, body: Readable, options: UploadOptions): Promise<void>;
  /** The object's bytes, from byte `from` (default 0) to its end; NotFoundError if there is none. */
  open(key: string, from?: number, signal?: AbortSignal): Promise<Readable>;
  /** Removes every object under `prefix`; resolves with how many there were. */
  deletePrefix(prefix: string): Promise<number>;
  /** A short-lived GET URL for `key`. */
  presignGet(key: string, options?: PresignOptions): Promise<string>;
  /** Whether an object is stored at `key` (no bytes read). */
  exists(key: string): Promise<boolean>;
  /** Stores small bytes in one PUT (a chunk's part list, a small file). */
  put(key: string, bytes: Buffer, options: UploadOptions): Promise<void>;
  /** Bytes [start, end) of the object (end exclusive); NotFoundError if there is none. */
  readRange(key: string, start: number, end: number, signal?: AbortSignal): Promise<Buffer>;
  /** Object keys under `prefix`, in key order. */
  list(prefix: string): Promise<string[]>;
  /** Copies the object at `sourceKey` to `targetKey` in the store (no bytes through the caller); NotFoundError if there is none. */
  copy(sourceKey: string, targetKey: string): Promise<void>;
  /** Starts a multipart upload to `key`; resolves with its upload id. */
  createMultipart(key: string, options: UploadOptions): Promise<string>;
  /** Uploads part `partNumber` (1..10000) from memory; resolves with its ETag. */
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    bytes: Buffer,
    signal?: AbortSignal,
  ): Promise<string>;
  /** Copies bytes [start, end) of `sourceKey` in as part `partNumber` (UploadPartCopy); resolves with its ETag. */
  copyPart(
    key: string,
    uploadId: string,
    partNumber: number,
    source: { readonly key: string; readonly start: number; readonly end: number },
    signal?: AbortSignal,
  ): Promise<string>;
  /** Completes the upload from its parts in ascending part number order. */
  completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly { readonly partNumber: number; readonly etag: string }[],
  ): Promise<void>;
  /** Aborts the upload and discards its parts (no error if it is already gone). */
  abortMultipart(key: string, uploadId: string): Promise<void>;
}

/**
 * Seals a short secret (a job's encryption password) for its trip from the API to the worker, so it
 * is never stored in clear (KMS in AWS, a local key in the local stack). `context` is bound to the
 * sealed value (KMS encryption context, AES-GCM associated data): unsealing with another context
 * fails. The domain seals with `{ job_id }`.
 */
export interface SecretSealer {
  /** Stored beside the sealed value, so a worker with another kind of sealer fails clearly. */
  readonly kind: SealerKind;
  /** An opaque, versioned string (`v1.<kind>.…`) that holds no plaintext. */
  seal(plaintext: string, context: Record<string, string>): Promise<string>;
  /** The plaintext; rejects when the key, the context or the sealed value is wrong. */
  unseal(sealed: string, context: Record<string, string>): Promise<string>;
}
