/**
 * A job's patients.zip: the archive step of lib/output (the CLI's too), its files read back from the
 * store one at a time, uploaded next to them. An encrypted job's manifest withholds the seed and
 * scenario.
 */
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { AppError } from '../core/index.js';
import type { EventPlan } from '../generation/index.js';
import { type StoredFile, writeOutputArchive } from '../output/index.js';
import { type JobRecord, jobObjectKey } from './job.js';
import { uploadSink } from './job-files.js';
import { storageError } from './job-run-errors.js';
import type { ResultStore } from './ports.js';

/** A stored file's bytes, opened when the archive gets to it; a failed read is a StorageError. */
function readBack(store: ResultStore, jobId: string, fileName: string): Readable {
  const body = new PassThrough();
  store.open(jobObjectKey(jobId, fileName)).then(
    (stored) => pipeline(stored, body, () => undefined),
    (error: unknown) => body.destroy(storageError(`Reading ${fileName}`, error)),
  );
  return body;
}

export async function writeJobArchive(
  store: ResultStore,
  record: JobRecord,
  plan: EventPlan,
  files: readonly StoredFile[],
  signal: AbortSignal,
): Promise<StoredFile> {
  try {
    return await writeOutputArchive({
      plan,
      files,
      compress: record.config.use_compression,
      encrypted: record.config.use_encryption,
      extra: { job_id: record.job_id, name: record.config.name },
      open: (file) => readBack(store, record.job_id, file.fileName),
      sink: uploadSink(store, record.job_id),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error instanceof AppError ? error : storageError('Writing the ZIP', error);
  }
}
