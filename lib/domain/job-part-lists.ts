/**
 * Reading the part lists a fanned-out job's tasks left (lib/domain/job-parts.ts), for the seal tasks
 * and the finaliser (memory/decisions/0906-job-fan-out.md). The lists are small JSON objects; each
 * is checked against its schema and against the job's plan (plan id, chunk index and patient range),
 * so a list left by another plan or another job is never assembled into a file.
 */
import { GenerationError } from '../core/index.js';
import { DEFLATE_PART_SUFFIX, encryptedFileName, type StoredChunkFile } from '../output/index.js';
import type { JobChunking, JobRecord } from './job.js';
import {
  type ChunkParts,
  ChunkPartsSchema,
  chunkPartKey,
  chunkPartsKey,
  type SealParts,
  SealPartsSchema,
  sealPartsKey,
} from './job-parts.js';
import { storageError } from './job-run-errors.js';
import { mapLimited } from './map-limited.js';
import type { ResultStore } from './ports.js';

/** Part lists read at once: a job of many chunks reads its lists without a burst of requests. */
const READ_CONCURRENCY = 16;

async function readJson(store: ResultStore, key: string, what: string): Promise<unknown> {
  let text: string;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await store.open(key)) chunks.push(Buffer.from(chunk as Uint8Array));
    text = Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    throw storageError(`Reading ${what}`, error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GenerationError(`${what} is not JSON`, { cause: error });
  }
}

/** The job's plan; GenerationError when it has none. */
export function chunkingOf(record: JobRecord): JobChunking {
  if (!record.chunking) throw new GenerationError(`Job ${record.job_id} has no chunk plan`);
  return record.chunking;
}

/** Every chunk's part list, in chunk order, checked against the plan. */
export async function readChunkPartLists(store: ResultStore, record: JobRecord): Promise<ChunkParts[]> {
  const { plan_id: planId, bounds } = chunkingOf(record);
  const chunks = bounds.length - 1;
  return mapLimited(chunks, READ_CONCURRENCY, async (i) => {
    const what = `the part list of chunk ${i}`;
    const parsed = ChunkPartsSchema.safeParse(await readJson(store, chunkPartsKey(record.job_id, i), what));
    if (!parsed.success) throw new GenerationError(`${what} does not match its schema`);
    const list = parsed.data;
    if (
      list.job_id !== record.job_id ||
      list.plan_id !== planId ||
      list.chunk !== i ||
      list.from !== bounds[i] ||
      list.to !== bounds[i + 1]
    ) {
      throw new GenerationError(`${what} belongs to another job, plan or range`);
    }
    return list;
  });
}

/** Every seal task's part list, in task order, checked against the plan. */
export async function readSealPartLists(
  store: ResultStore,
  record: JobRecord,
  tasks: number,
): Promise<SealParts[]> {
  const { plan_id: planId } = chunkingOf(record);
  return mapLimited(tasks, READ_CONCURRENCY, async (j) => {
    const what = `the part list of seal task ${j}`;
    const parsed = SealPartsSchema.safeParse(await readJson(store, sealPartsKey(record.job_id, j), what));
    if (!parsed.success) throw new GenerationError(`${what} does not match its schema`);
    const list = parsed.data;
    if (list.job_id !== record.job_id || list.plan_id !== planId || list.seal !== j) {
      throw new GenerationError(`${what} belongs to another job or plan`);
    }
    return list;
  });
}

/** One job file across the chunks: its name and format, and each chunk's share where it is stored. */
export interface JobFileParts {
  readonly format: string;
  /** As the chunks wrote it (patients.json.gz, patients.csv), before encryption. */
  readonly fileName: string;
  /** Encrypted jobs: the name of the sealed file (`.enc`); else `fileName`. */
  readonly storedName: string;
  readonly chunks: readonly StoredChunkFile[];
}

/**
 * The job's files in the chunks' order (the requested formats' order), each with its chunks' parts.
 * GenerationError when the chunks do not list the same files.
 */
export function jobFileParts(record: JobRecord, lists: readonly ChunkParts[]): JobFileParts[] {
  if (lists.length === 0) throw new GenerationError(`Job ${record.job_id} has no chunk part lists`);
  const names = lists[0].files.map((f) => f.file_name);
  for (const list of lists) {
    const these = list.files.map((f) => f.file_name);
    if (these.length !== names.length || these.some((name, i) => name !== names[i])) {
      throw new GenerationError(`chunk ${list.chunk} lists other files than chunk 0`);
    }
  }
  const encrypted = record.config.use_encryption;
  return lists[0].files.map((first, f) => ({
    format: first.format,
    fileName: first.file_name,
    storedName: encrypted ? encryptedFileName(first.file_name) : first.file_name,
    chunks: lists.map((list) => {
      const file = list.files[f];
      return {
        key: chunkPartKey(record.job_id, list.chunk, file.file_name),
        ...(file.deflate
          ? { deflateKey: chunkPartKey(record.job_id, list.chunk, file.file_name + DEFLATE_PART_SUFFIX) }
          : {}),
        file,
      };
    }),
  }));
}
