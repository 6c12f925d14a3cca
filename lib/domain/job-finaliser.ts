/**
 * The last stage of a fanned-out job (memory/decisions/0906-job-fan-out.md): its files and its ZIP
 * assembled from the parts its tasks wrote, without reading the data back, then the job completed.
 *
 * 1. The part lists (small JSON) of every chunk, and of every seal task for an encrypted job.
 * 2. Each file as pieces (lib/output/file-pieces.ts: gzip header ‖ the chunks' deflate parts ‖
 *    trailer, or the plain parts; an encrypted file: the seal tasks' sealed parts in order),
 *    assembled at `jobs/{id}/{file}` by S3 multipart (object-assembly.ts: large parts copied in,
 *    small pieces merged with a bounded ranged read of a neighbour).
 * 3. patients.zip the same way (lib/output/zip-pieces.ts): each file an entry (a .gz or .enc file
 *    STORED as its pieces, a plain file DEFLATEd as its chunks' `.deflate` parts), manifest.json
 *    deflated in memory last (the job's id, name and `output` as the CLI's archive step writes them;
 *    an encrypted job withholds the scenario and seed).
 * 4. The job completed, conditional on it still running its plan (the plan id is the run id the
 *    planner started it with), with `output_files` (size + sha256-of-parts checksum) and the summary
 *    merged from the chunks' counts; the write that completes it gives the key's running slot back
 *    (job-transitions.ts). Metrics as a single run wrote them. Then `jobs/{id}/parts/` is deleted.
 *
 * Idempotent: every byte comes from the part lists and the parts (no clock, no randomness), so a run
 * after a crash anywhere writes the same objects again; a job completed meanwhile is left as it is.
 *
 * Its own time check (memory/decisions/0914-finaliser-hands-on.md): given the invocation's remaining
 * time, it asks before each object whether the time left, less the margin, surely holds it
 * (finaliser-budget.ts); when not, it hands the rest on (the finalise task sent again with the count
 * of objects assembled, which the next invocation skips) and returns. An object under way is aborted
 * at the margin (no half-written object). An invocation that cannot assemble even one object fails
 * the job with FinaliserTimeLimitError: it runs alone in its invocation, so no later one could either.
 */
import { type AppMetrics, GenerationError, type Logger, NotFoundError } from '../core/index.js';
import { loadScenario, type Scenario } from '../generation/index.js';
import {
  buildManifest,
  ENCRYPTED_CONTENT_TYPE,
  filePieces,
  formatSpec,
  GZIP_CONTENT_TYPE,
  isOutputFormat,
  manifestJson,
  outputManifestFields,
  type Piece,
  piecesInfo,
  SummaryCollector,
  sealedFilePieces,
  storedZipEntry,
  ZIP_CONTENT_TYPE,
  ZIP_FILE_NAME,
  type ZipEntryData,
  type ZipPieceEntry,
  zipEntryData,
  zipPieces,
} from '../output/index.js';
import { type AssemblyTiming, cannotHoldNext, NO_ASSEMBLY_TIMING, withAssembly } from './finaliser-budget.js';
import { type JobRecord, jobObjectKey, jobPrefix, type OutputFile } from './job.js';
import {
  chunkingOf,
  type JobFileParts,
  jobFileParts,
  readChunkPartLists,
  readSealPartLists,
} from './job-part-lists.js';
import {
  type ChunkParts,
  chunkPartKey,
  jobPartsPrefix,
  PART_DEFLATE_LEVEL,
  type SealParts,
  sealPartKey,
} from './job-parts.js';
import { storageError } from './job-run-errors.js';
import type { RunOutcome } from './job-runner.js';
import type { JobSummary } from './job-summary.js';
import type { JobTransitions } from './job-transitions.js';
import { type AssemblyOptions, assembleObject } from './object-assembly.js';
import type { JobRepository, ResultStore } from './ports.js';
import { RESULTS_INDEX_PART, resultsIndexKey } from './results-index.js';
import { TimeLimitError } from './time-budget.js';

export interface JobFinaliserDeps {
  readonly jobs: JobRepository;
  readonly store: ResultStore;
  readonly transitions: JobTransitions;
  readonly clock: () => Date;
  readonly logger?: Logger;
  readonly metrics?: Pick<AppMetrics, 'jobCompleted'>;
  /** S3 part limits for the assembly (tests use smaller ones); default S3's. */
  readonly assembly?: AssemblyOptions;
}

/** One assembled object: the file as the job lists it, and the bytes its assembly read back. */
export interface AssembledFile {
  readonly file: OutputFile;
  readonly bytesRead: number;
}

/** What the finaliser wrote: every file, the ZIP last, and the summary merged from the chunks. */
export interface AssembledJob {
  readonly files: readonly AssembledFile[];
  /** Bytes read back from the store by every assembly (ranged reads of small neighbours). */
  readonly bytesRead: number;
  readonly summary: SummaryCollector;
  readonly patients: number;
}

/** The invocation's time, for the finalise task (a one-chunk job's inline finaliser has none). */
export interface FinaliserTime {
  /** Time left to the invocation (Lambda's context.getRemainingTimeInMillis()). */
  readonly remainingTimeMs: () => number;
  /** Kept free at the end: aborting an object, completing or failing the job. */
  readonly marginMs: number;
  /** Sends the finalise task again, to go on after the first `assembled` objects. */
  readonly handOn: (assembled: number) => Promise<void>;
}

export interface FinaliseOptions {
  /** Objects (the files in the plan's order, then the ZIP) assembled by earlier invocations. */
  readonly assembled?: number;
  readonly time?: FinaliserTime;
}

/** The invocation stopped before the next object; `assembled` objects are stored. */
interface HandedOn {
  readonly handedOn: true;
  readonly assembled: number;
  readonly bytesRead: number;
}

/** One object the finaliser stores: a file of the job or the ZIP, as the job will list it. */
interface PlannedObject {
  readonly file: OutputFile;
  readonly pieces: readonly Piece[];
}

/**
 * Not even one object could be assembled in an invocation of its own: no later invocation could, so
 * the job fails for good (the runner's policy for a TimeLimitError) with this reason.
 */
export class FinaliserTimeLimitError extends TimeLimitError {
  constructor(
    limitSeconds: number,
    readonly fileName: string,
    readonly sizeBytes: number,
    assembled: number,
    objects: number,
  ) {
    // TimeLimitError's done/total count objects here; the message is the finaliser's own.
    super(limitSeconds, assembled, objects);
    const mib = (sizeBytes / 2 ** 20).toFixed(1);
    this.message =
      `The job's files could not be assembled within the generator's time limit of ${limitSeconds} s: ` +
      `${fileName} (${mib} MiB) did not fit in an invocation of its own, after ${assembled} of ` +
      `${objects} files. Ask for fewer patients or formats per job.`;
    this.name = 'FinaliserTimeLimitError';
  }
}

/** The reason an object's assembly is aborted at the margin. */
class AssemblyDeadline extends Error {
  constructor() {
    super('the invocation reached its time margin');
    this.name = 'AssemblyDeadline';
  }
}

interface FileLayout {
  readonly parts: JobFileParts;
  readonly pieces: readonly Piece[];
  readonly entry: ZipEntryData;
  readonly contentType: string;
}

export class JobFinaliser {
  constructor(private readonly deps: JobFinaliserDeps) {}

  /**
   * Assembles the job's files and ZIP (after the first `options.assembled`), completes the job and
   * deletes its parts; or, out of time, hands the rest on (outcome `completed`: the task did its work).
   */
  async finalise(record: JobRecord, options: FinaliseOptions = {}): Promise<RunOutcome> {
    const { logger, transitions, store } = this.deps;
    const jobId = record.job_id;
    const planId = chunkingOf(record).plan_id;
    logger?.info('finalising the job', { plan_id: planId, assembled: options.assembled ?? 0 });
    let assembled: AssembledJob | HandedOn;
    try {
      assembled = await this.assembleFrom(record, options);
    } catch (error) {
      // Another run of this stage may have completed the job and removed its parts meanwhile, or the
      // job was cancelled or deleted: then that is the outcome, not the failure it caused here.
      const current = await this.deps.jobs.get(jobId).catch(() => undefined);
      if (current?.status === 'running' && current.chunking?.plan_id === planId) throw error;
      return this.notCompleted(jobId, planId);
    }
    if ('handedOn' in assembled) {
      await options.time!.handOn(assembled.assembled);
      logger?.info('finaliser out of time; the rest handed on', {
        assembled: assembled.assembled,
        bytes_read: assembled.bytesRead,
      });
      return 'completed';
    }
    const durationMs = Math.max(0, this.deps.clock().getTime() - startOf(record));
    const files = assembled.files.map((f) => f.file);
    const summary = summaryOf(
      assembled.summary,
      assembled.patients,
      record.config.total_patients,
      durationMs,
    );
    await this.keepResultsIndex(record);
    // The planner started the job with its plan id as the run id: completing under it is
    // completing under the plan.
    if (!(await transitions.complete(record, planId, [...files], summary))) {
      return this.notCompleted(jobId, planId);
    }
    this.deps.metrics?.jobCompleted({ patients: assembled.patients, durationMs, files });
    logger?.info('job completed', {
      files: files.length,
      bytes_read: assembled.bytesRead,
      duration_ms: durationMs,
    });
    await store.deletePrefix(jobPartsPrefix(jobId)).catch((error: unknown) => {
      logger?.warn('could not delete the parts of a completed job', { cause: error as Error });
    });
    return 'completed';
  }

  /**
   * Copies each chunk's results index part out of the parts (results-index.ts), in the store, before
   * the job completes: a completed job has all of it or (its chunks written before the index existed,
   * or an encrypted job) none, and GET results then reads the file. Runs again with the same result.
   */
  private async keepResultsIndex(record: JobRecord): Promise<void> {
    if (record.config.use_encryption) return;
    const jobId = record.job_id;
    const chunks = chunkingOf(record).bounds.length - 1;
    await Promise.all(
      Array.from({ length: chunks }, async (_, chunk) => {
        try {
          await this.deps.store.copy(
            chunkPartKey(jobId, chunk, RESULTS_INDEX_PART),
            resultsIndexKey(jobId, chunk),
          );
        } catch (error) {
          if (error instanceof NotFoundError) return;
          throw storageError('Keeping the results index', error);
        }
      }),
    );
  }

  /**
   * Writes every file and the ZIP from the part lists and returns what was written; the job itself is
   * not changed. Runs again with the same result (the same objects).
   */
  async assemble(record: JobRecord, signal?: AbortSignal): Promise<AssembledJob> {
    // Without the invocation's time nothing is handed on.
    return (await this.assembleFrom(record, {}, signal)) as AssembledJob;
  }

  /**
   * Writes the objects after the first `options.assembled`, each one only when the invocation's time
   * (if given) surely holds it; else stops there (HandedOn), or throws FinaliserTimeLimitError when
   * this invocation has assembled none.
   */
  private async assembleFrom(
    record: JobRecord,
    options: FinaliseOptions,
    signal?: AbortSignal,
  ): Promise<AssembledJob | HandedOn> {
    const { store, clock } = this.deps;
    const jobId = record.job_id;
    const lists = await readChunkPartLists(store, record);
    const scenario = loadScenario(record.scenario);
    const objects = await this.plannedObjects(record, lists, scenario);
    const from = Math.min(options.assembled ?? 0, objects.length);
    const time = options.time;
    const limitSeconds = time ? Math.round(time.remainingTimeMs() / 1000) : 0;
    const bytesRead: number[] = objects.map(() => 0);
    let timing: AssemblyTiming = NO_ASSEMBLY_TIMING;
    // Out of time before object i: hand on from i, unless this invocation has assembled nothing.
    const outOfTime = (i: number): HandedOn => {
      const { file } = objects[i];
      if (i === from) {
        throw new FinaliserTimeLimitError(
          limitSeconds,
          file.file_name,
          file.size_bytes,
          from,
          objects.length,
        );
      }
      return { handedOn: true, assembled: i, bytesRead: sumBytesRead(bytesRead) };
    };

    for (let i = from; i < objects.length; i++) {
      const { file, pieces } = objects[i];
      if (time && cannotHoldNext(time.remainingTimeMs(), time.marginMs, timing, file.size_bytes)) {
        return outOfTime(i);
      }
      const started = clock().getTime();
      const key = jobObjectKey(jobId, file.file_name);
      try {
        const result = time
          ? await this.assembleBeforeDeadline(key, file.content_type, pieces, time)
          : await this.assembleFile(key, file.content_type, pieces, signal);
        bytesRead[i] = result.bytesRead;
      } catch (error) {
        if (error instanceof AssemblyDeadline) return outOfTime(i);
        throw error;
      }
      timing = withAssembly(timing, file.size_bytes, clock().getTime() - started);
    }

    const summary = new SummaryCollector({ baseDate: scenario.baseDate, days: scenario.days });
    for (const list of lists) summary.merge(list.summary as Parameters<SummaryCollector['merge']>[0]);
    return {
      files: objects.map(({ file }, i) => ({ file, bytesRead: bytesRead[i] })),
      bytesRead: sumBytesRead(bytesRead),
      summary,
      patients: patientsOf(lists),
    };
  }

  /**
   * The job's objects in the order they are assembled: each file (as its part lists lay it out), then
   * the ZIP around them. Computed from the part lists alone, so every invocation lists the same.
   */
  private async plannedObjects(
    record: JobRecord,
    lists: readonly ChunkParts[],
    scenario: Scenario,
  ): Promise<PlannedObject[]> {
    const jobId = record.job_id;
    const chunking = chunkingOf(record);
    const encrypted = record.config.use_encryption;
    const seals = encrypted ? await readSealPartLists(this.deps.store, record, lists.length) : [];
    const layouts = jobFileParts(record, lists).map((parts) =>
      encrypted ? this.sealedLayout(jobId, parts, seals) : plainLayout(record, parts),
    );
    const files = layouts.map(
      (layout): PlannedObject => ({
        file: outputFile(layout.parts.format, layout.parts.storedName, layout.contentType, layout.pieces),
        pieces: layout.pieces,
      }),
    );
    const zip = zipPieces(
      layouts.map(
        (layout): ZipPieceEntry => ({
          name: layout.parts.storedName,
          method: layout.entry.method,
          crc32: layout.entry.crc32,
          uncompressedSize: layout.entry.uncompressedSize,
          compressedSize: layout.entry.compressedSize,
          data: layout.entry.pieces,
        }),
      ),
      {
        date: new Date(`${scenario.baseDate}T00:00:00Z`),
        manifest: Buffer.from(manifestJson(this.manifest(record, scenario, chunking.bounds, files)), 'utf8'),
      },
    );
    return [
      ...files,
      { file: outputFile('zip', ZIP_FILE_NAME, ZIP_CONTENT_TYPE, zip.pieces), pieces: zip.pieces },
    ];
  }

  /**
   * Assembles one object, aborted (its multipart upload too) with AssemblyDeadline once the time left
   * reaches the margin: an object that runs long stops cleanly instead of meeting the Lambda timeout.
   */
  private async assembleBeforeDeadline(
    key: string,
    contentType: string,
    pieces: readonly Piece[],
    time: FinaliserTime,
  ): Promise<{ bytesRead: number }> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new AssemblyDeadline()),
      Math.max(0, time.remainingTimeMs() - time.marginMs),
    );
    try {
      return await this.assembleFile(key, contentType, pieces, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** manifest.json of the job's ZIP: as the CLI's archive step writes it, each file's checksum. */
  private manifest(
    record: JobRecord,
    scenario: Scenario,
    bounds: readonly number[],
    files: readonly { readonly file: OutputFile }[],
  ) {
    const encrypted = record.config.use_encryption;
    const total = bounds[bounds.length - 1];
    return buildManifest({
      plan: { scenario, seed: record.seed, totalPatients: total },
      files: files.map(({ file }) => ({
        name: file.file_name,
        size: file.size_bytes,
        checksum: file.checksum!,
      })),
      withholdReproduction: encrypted,
      extra: {
        job_id: record.job_id,
        name: record.config.name,
        output: outputManifestFields({
          files: files.map(({ file }) => ({
            format: file.format,
            fileName: file.file_name,
            contentType: file.content_type,
          })),
          compress: record.config.use_compression,
          encrypted,
        }),
      },
    });
  }

  /** An encrypted file: the seal tasks' sealed parts in order, STORED in the ZIP. */
  private sealedLayout(jobId: string, parts: JobFileParts, seals: readonly SealParts[]): FileLayout {
    const pieces = sealedFilePieces(
      seals.map((list) => {
        const sealed = list.files.find((f) => f.file_name === parts.storedName);
        if (!sealed) throw new GenerationError(`Seal task ${list.seal} wrote no part of ${parts.storedName}`);
        return { key: sealPartKey(jobId, list.seal, parts.storedName), part: sealed.part };
      }),
    );
    return { parts, pieces, entry: storedZipEntry(pieces), contentType: ENCRYPTED_CONTENT_TYPE };
  }

  private async assembleFile(
    key: string,
    contentType: string,
    pieces: readonly Piece[],
    signal: AbortSignal | undefined,
  ): Promise<{ bytesRead: number }> {
    try {
      return await assembleObject(this.deps.store, key, contentType, pieces, signal, this.deps.assembly);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw storageError(`Assembling ${key.slice(key.lastIndexOf('/') + 1)}`, error);
    }
  }

  /**
   * The job did not complete under its plan: completed already (another run of this stage), or
   * cancelled, deleted, failed by another writer, re-planned. A job that is over keeps no parts; a
   * cancelled, deleted or failed one no files either.
   */
  private async notCompleted(jobId: string, planId: string): Promise<RunOutcome> {
    const { store, logger, transitions, jobs } = this.deps;
    const current = await jobs.get(jobId);
    if (current?.status === 'completed') {
      logger?.info('job already completed; its parts go');
      await store.deletePrefix(jobPartsPrefix(jobId)).catch(() => undefined);
      return 'skipped';
    }
    const reason = await transitions.stopReason(jobId, planId);
    logger?.info('job not completed: no longer running its plan', { reason: reason.reason });
    if (reason.reason === 'superseded') return 'skipped';
    await store.deletePrefix(jobPrefix(jobId)).catch((error: unknown) => {
      logger?.warn('could not delete the files of an ended job', { cause: error as Error });
    });
    return reason.reason === 'cancelled' ? 'cancelled' : 'failed';
  }
}

/** An unencrypted file: its gzip member or plain parts; its ZIP entry stored (.gz) or deflated. */
function plainLayout(record: JobRecord, parts: JobFileParts): FileLayout {
  const compressed = record.config.use_compression;
  const format = parts.format;
  const contentType = compressed
    ? GZIP_CONTENT_TYPE
    : isOutputFormat(format)
      ? formatSpec(format).contentType
      : 'application/octet-stream';
  return {
    parts,
    pieces: filePieces(parts.chunks, PART_DEFLATE_LEVEL),
    entry: zipEntryData(parts.chunks, PART_DEFLATE_LEVEL),
    contentType,
  };
}

/** When the job's run started: its plan's time, else its creation. */
function startOf(record: JobRecord): number {
  const planned = record.chunking?.planned_at;
  const at = Date.parse(planned ?? record.created_at);
  return Number.isNaN(at) ? Date.now() : at;
}

/** A file as the job lists it: its size and sha256-of-parts checksum, from its pieces. */
function outputFile(
  format: string,
  fileName: string,
  contentType: string,
  pieces: readonly Piece[],
): OutputFile {
  const info = piecesInfo(pieces);
  return {
    format,
    file_name: fileName,
    content_type: contentType,
    size_bytes: info.size,
    checksum: { ...info.checksum, part_sizes: [...info.checksum.part_sizes] },
  };
}

function sumBytesRead(bytesRead: readonly number[]): number {
  return bytesRead.reduce((sum, bytes) => sum + bytes, 0);
}

function patientsOf(lists: readonly ChunkParts[]): number {
  return lists.reduce((sum, list) => sum + (list.to - list.from), 0);
}

/** The stored summary, as a single run wrote it (lib/domain/job-summary.ts). */
function summaryOf(
  collector: SummaryCollector,
  patients: number,
  requested: number,
  durationMs: number,
): JobSummary {
  const result = collector.result();
  const summary: JobSummary = { total_patients: result.total, requested_patients: requested };
  for (const dimension of result.dimensions) {
    summary[dimension.field] = Object.fromEntries(dimension.rows.map((r) => [r.value, r.count]));
  }
  summary.generation_ms = durationMs;
  if (result.series) summary.series = result.series;
  if (result.total !== patients) {
    throw new GenerationError(`The chunks' summaries count ${result.total} patients of ${patients}`);
  }
  return summary;
}
