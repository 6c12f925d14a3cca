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
 */
import { type AppMetrics, GenerationError, type Logger } from '../core/index.js';
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

interface FileLayout {
  readonly parts: JobFileParts;
  readonly pieces: readonly Piece[];
  readonly entry: ZipEntryData;
  readonly contentType: string;
}

export class JobFinaliser {
  constructor(private readonly deps: JobFinaliserDeps) {}

  /** Assembles the job's files and ZIP, completes the job and deletes its parts. */
  async finalise(record: JobRecord, signal?: AbortSignal): Promise<RunOutcome> {
    const { logger, transitions, store } = this.deps;
    const jobId = record.job_id;
    const planId = chunkingOf(record).plan_id;
    logger?.info('finalising the job', { plan_id: planId });
    let assembled: AssembledJob;
    try {
      assembled = await this.assemble(record, signal);
    } catch (error) {
      // Another run of this stage may have completed the job and removed its parts meanwhile, or the
      // job was cancelled or deleted: then that is the outcome, not the failure it caused here.
      const current = await this.deps.jobs.get(jobId).catch(() => undefined);
      if (current?.status === 'running' && current.chunking?.plan_id === planId) throw error;
      return this.notCompleted(jobId, planId);
    }
    const durationMs = Math.max(0, this.deps.clock().getTime() - startOf(record));
    const files = assembled.files.map((f) => f.file);
    const summary = summaryOf(
      assembled.summary,
      assembled.patients,
      record.config.total_patients,
      durationMs,
    );
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
   * Writes every file and the ZIP from the part lists and returns what was written; the job itself is
   * not changed. Runs again with the same result (the same objects).
   */
  async assemble(record: JobRecord, signal?: AbortSignal): Promise<AssembledJob> {
    const { store } = this.deps;
    const jobId = record.job_id;
    const chunking = chunkingOf(record);
    const scenario = loadScenario(record.scenario);
    const lists = await readChunkPartLists(store, record);
    const encrypted = record.config.use_encryption;
    const seals = encrypted ? await readSealPartLists(store, record, lists.length) : [];
    const layouts = jobFileParts(record, lists).map((parts) =>
      encrypted ? this.sealedLayout(jobId, parts, seals) : plainLayout(record, parts),
    );

    const assembled: AssembledFile[] = [];
    for (const layout of layouts) {
      const { storedName } = layout.parts;
      const result = await this.assembleFile(
        jobObjectKey(jobId, storedName),
        layout.contentType,
        layout.pieces,
        signal,
      );
      const info = piecesInfo(layout.pieces);
      assembled.push({
        file: {
          format: layout.parts.format,
          file_name: storedName,
          content_type: layout.contentType,
          size_bytes: info.size,
          checksum: { ...info.checksum, part_sizes: [...info.checksum.part_sizes] },
        },
        bytesRead: result.bytesRead,
      });
    }

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
        manifest: Buffer.from(
          manifestJson(this.manifest(record, scenario, chunking.bounds, assembled)),
          'utf8',
        ),
      },
    );
    const zipResult = await this.assembleFile(
      jobObjectKey(jobId, ZIP_FILE_NAME),
      ZIP_CONTENT_TYPE,
      zip.pieces,
      signal,
    );
    const zipInfo = piecesInfo(zip.pieces);
    assembled.push({
      file: {
        format: 'zip',
        file_name: ZIP_FILE_NAME,
        content_type: ZIP_CONTENT_TYPE,
        size_bytes: zipInfo.size,
        checksum: { ...zipInfo.checksum, part_sizes: [...zipInfo.checksum.part_sizes] },
      },
      bytesRead: zipResult.bytesRead,
    });

    const summary = new SummaryCollector({ baseDate: scenario.baseDate, days: scenario.days });
    for (const list of lists) summary.merge(list.summary as Parameters<SummaryCollector['merge']>[0]);
    return {
      files: assembled,
      bytesRead: assembled.reduce((sum, f) => sum + f.bytesRead, 0),
      summary,
      patients: patientsOf(lists),
    };
  }

  /** manifest.json of the job's ZIP: as the CLI's archive step writes it, each file's checksum. */
  private manifest(
    record: JobRecord,
    scenario: Scenario,
    bounds: readonly number[],
    files: readonly AssembledFile[],
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
