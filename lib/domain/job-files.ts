/**
 * A job's files through the output chain of lib/output (memory/decisions/0904-one-output-chain.md):
 * each requested format → gzip (use_compression) → encryption (the run's password, a fresh salt per
 * file) → a multipart upload to jobs/{id}/{file}, with size and SHA-256 taken on the way. Patients are
 * written in batches with a checkpoint (lib/domain/job-checkpoints.ts) between two.
 */
import { GenerationError } from '../core/index.js';
import type { EventPlan } from '../generation/index.js';
import {
  type ChainSink,
  type ChainWriteOptions,
  isOutputFormat,
  type OutputFormat,
  OutputStageError,
  openOutputChain,
  type StoredFile,
} from '../output/index.js';
import { type JobRecord, jobObjectKey, type OutputFile } from './job.js';
import type { RunCheckpoints } from './job-checkpoints.js';
import { storageError } from './job-run-errors.js';
import type { ResultStore } from './ports.js';

/** The job's formats, checked against the registry. */
export function jobFormats(record: JobRecord): OutputFormat[] {
  return record.config.output_formats.map((f) => {
    if (!isOutputFormat(f)) throw new GenerationError(`Unknown output format "${f}"`);
    return f;
  });
}

/** Uploads each file to jobs/{id}/{file}; a failed upload is a StorageError naming the file. */
export function uploadSink(store: ResultStore, jobId: string): ChainSink {
  return async (file, bytes, signal) => {
    try {
      await store.upload(jobObjectKey(jobId, file.fileName), bytes, {
        contentType: file.contentType,
        signal,
      });
    } catch (error) {
      throw signal.aborted ? signal.reason : storageError(`Uploading ${file.fileName}`, error);
    }
  };
}

/** A stored file as the job lists it (the chain of a job always hashes). */
export function outputFileOf(file: StoredFile): OutputFile {
  return {
    format: file.format,
    file_name: file.fileName,
    content_type: file.contentType,
    size_bytes: file.size,
    sha256: file.sha256!,
  };
}

export interface JobFilesInput {
  readonly store: ResultStore;
  readonly record: JobRecord;
  readonly plan: EventPlan;
  readonly formats: readonly OutputFormat[];
  readonly password: string | null;
  readonly checkpoints: RunCheckpoints;
  /** Patients per batch (job-checkpoints.ts batchSize). */
  readonly batch: number;
  readonly clock: () => Date;
  readonly onRecord: ChainWriteOptions['onRecord'];
  /** The run's stop: aborting it tears every chain and upload down. */
  readonly signal: AbortSignal;
}

/**
 * Writes every patient into every file, batch by batch, checkpoints after each batch but the last and
 * once more ('uploading') when every file has ended, and resolves when every upload is complete.
 */
export async function writeJobFiles(input: JobFilesInput): Promise<StoredFile[]> {
  const { plan, checkpoints, batch, clock } = input;
  const total = plan.totalPatients;
  const chain = openOutputChain(plan, {
    formats: input.formats,
    compress: input.record.config.use_compression,
    password: input.password,
    sink: uploadSink(input.store, input.record.job_id),
    signal: input.signal,
  });
  try {
    for (let from = 0; from < total; ) {
      const to = Math.min(total, from + batch);
      const startedAt = clock().getTime();
      await chain.write(from, to, { onRecord: input.onRecord, progressEvery: batch });
      checkpoints.batchDone(clock().getTime() - startedAt, to - from);
      from = to;
      if (from < total) await checkpoints.at('generating', from, chain);
    }
    const stored = chain.end();
    stored.catch(() => undefined); // awaited below, unless the checkpoint stops the run first
    await checkpoints.at('uploading', total, chain);
    return await stored;
  } catch (error) {
    if (error instanceof OutputStageError) throw storageError(`Writing ${error.file.fileName}`, error.cause);
    throw error;
  }
}
