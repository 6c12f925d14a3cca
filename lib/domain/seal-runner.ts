/**
 * A seal task of an encrypted fanned-out job (memory/decisions/0906-job-fan-out.md, 0901): task j of
 * k (one per chunk) encrypts its balanced run of whole 64 KiB segments of every file's plaintext (the
 * file as its chunks' pieces: gzip header, deflate parts, trailer; or the plain parts), reading only
 * that range back (lib/output/seal-parts.ts), and writes the sealed bytes (task 0 first writes the
 * file's 32-byte v2 header) to `jobs/{id}/parts/s{j}/{file}.enc`, then its part list, then counts
 * itself done once. The task whose count completes the done set hands over to the finaliser
 * (`afterSeals`: the finalise task, or the finaliser itself for a one-chunk job: decision 0908).
 *
 * The key: the job's password unsealed (job-password.ts, never logged), each file's key derived from
 * it and the header the planner stored (`chunking.encryption_headers`), so every task of a file
 * seals under the same key material and their outputs in order are the file
 * createEncryptStream would write with it. A task run twice writes the same bytes and counts once.
 */
import { GenerationError, type Logger } from '../core/index.js';
import { filePieces, openFileKey, sealPieces, sealTasks } from '../output/index.js';
import type { JobRecord } from './job.js';
import { chunkingOf, jobFileParts, readChunkPartLists } from './job-part-lists.js';
import {
  jobPartsPrefix,
  PART_DEFLATE_LEVEL,
  type SealParts,
  SealPartsSchema,
  sealPartKey,
  sealPartsKey,
} from './job-parts.js';
import { unsealJobPassword } from './job-password.js';
import { storageError } from './job-run-errors.js';
import type { RunOutcome } from './job-runner.js';
import type { JobRepository, ResultStore, SecretSealer } from './ports.js';

export interface SealRunnerDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  readonly sealer?: SecretSealer;
  readonly clock: () => Date;
  readonly logger?: Logger;
  /** What follows once every seal task is counted (job-completion.ts). */
  readonly afterSeals: (record: JobRecord) => Promise<RunOutcome>;
}

/** Seal tasks of a job: one per chunk. */
export function sealTaskCount(record: JobRecord): number {
  return Math.max(1, (record.chunking?.bounds.length ?? 2) - 1);
}

/** Whether every seal task of the job's plan is counted done. */
export function allSealsDone(record: JobRecord): boolean {
  const done = new Set(record.seals_done ?? []);
  const tasks = sealTaskCount(record);
  for (let j = 0; j < tasks; j++) if (!done.has(j)) return false;
  return true;
}

function runsPlan(record: JobRecord | undefined, planId: string): record is JobRecord {
  return record?.status === 'running' && record.chunking?.plan_id === planId;
}

export class SealRunner {
  constructor(private readonly deps: SealRunnerDeps) {}

  /** Runs seal task `seal` of the plan the job runs. */
  async run(record: JobRecord, seal: number): Promise<RunOutcome> {
    const { logger, jobs } = this.deps;
    const jobId = record.job_id;
    const planId = chunkingOf(record).plan_id;
    if (!runsPlan(record, planId)) return this.notRunning(jobId, record);
    const tasks = sealTaskCount(record);
    if (!Number.isInteger(seal) || seal < 0 || seal >= tasks) {
      logger?.warn('seal message outside the plan; ignored', { seal, seal_tasks: tasks });
      return 'skipped';
    }
    if (record.seals_done?.includes(seal)) {
      // Counted: its parts are stored. The finaliser may still be owed (a crash after the count).
      if (allSealsDone(record)) return this.deps.afterSeals(record);
      logger?.info('seal task already done; message ignored', { seal });
      return 'skipped';
    }
    const parts = await this.writeSealed(record, planId, seal, tasks);
    const counted = await jobs.countTaskDone(
      record.job_id,
      'seal',
      seal,
      planId,
      this.deps.clock().toISOString(),
    );
    if (!runsPlan(counted.record, planId)) return this.notRunning(jobId, counted.record);
    logger?.info(counted.applied ? 'seal task done' : 'seal task done again (a repeat)', {
      seal,
      files: parts.files.length,
      seals_done: counted.record.seals_done?.length ?? 0,
      seal_tasks: tasks,
    });
    if (allSealsDone(counted.record)) return this.deps.afterSeals(counted.record);
    return 'completed';
  }

  /** Seals task `seal`'s share of every file and writes its part list. */
  private async writeSealed(
    record: JobRecord,
    planId: string,
    seal: number,
    tasks: number,
  ): Promise<SealParts> {
    const { store, sealer, logger } = this.deps;
    const jobId = record.job_id;
    const headers = chunkingOf(record).encryption_headers ?? {};
    const password = await unsealJobPassword(record, sealer, logger);
    const files = jobFileParts(record, await readChunkPartLists(store, record));
    const readRange = (key: string, start: number, end: number, signal?: AbortSignal) =>
      store.readRange(key, start, end, signal);
    const written: SealParts['files'] = [];
    for (const file of files) {
      const header = headers[file.storedName];
      if (!header)
        throw new GenerationError(`The job's plan has no encryption header for ${file.storedName}`);
      const fileKey = await openFileKey(password, Buffer.from(header, 'base64'));
      const plaintext = filePieces(file.chunks, PART_DEFLATE_LEVEL);
      const length = plaintext.reduce((sum, piece) => sum + piece.size, 0);
      const task = sealTasks(length, tasks, fileKey.segmentSize)[seal];
      const stop = new AbortController();
      const sealed = sealPieces(fileKey, plaintext, task, readRange, { signal: stop.signal });
      const key = sealPartKey(jobId, seal, file.storedName);
      try {
        await Promise.all([
          store.upload(key, sealed.bytes, { contentType: 'application/octet-stream', signal: stop.signal }),
          sealed.info,
        ]);
      } catch (error) {
        stop.abort(error);
        throw storageError(`Sealing ${file.storedName} (seal task ${seal})`, error);
      }
      written.push({ file_name: file.storedName, part: await sealed.info });
    }
    const parts = SealPartsSchema.parse({ job_id: jobId, plan_id: planId, seal, files: written });
    try {
      await store.put(sealPartsKey(jobId, seal), Buffer.from(JSON.stringify(parts)), {
        contentType: 'application/json',
      });
    } catch (error) {
      throw storageError(`Writing the part list of seal task ${seal}`, error);
    }
    return parts;
  }

  /** A job no longer running the plan: one that is over keeps no parts; a re-planned one keeps them. */
  private async notRunning(jobId: string, record: JobRecord | undefined): Promise<RunOutcome> {
    this.deps.logger?.info('seal task of a job not running its plan; ignored', {
      status: record?.status ?? 'deleted',
    });
    if (record?.status === 'running') return 'skipped';
    await this.deps.store.deletePrefix(jobPartsPrefix(jobId)).catch((error: unknown) => {
      this.deps.logger?.warn('could not delete the parts of an ended job', { cause: error as Error });
    });
    if (!record || record.status === 'cancelled') return 'cancelled';
    return record.status === 'failed' ? 'failed' : 'skipped';
  }
}
