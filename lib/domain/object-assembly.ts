/**
 * Assembles one stored object from its pieces (a job file from its chunks' parts, the ZIP around
 * them) by S3 multipart, following the part plan of lib/output/part-plan.ts: large ranges copied in
 * by the store (UploadPartCopy), small pieces uploaded with the few bytes of a neighbour read back by
 * ranged reads, so the worker reads a bounded number of bytes whatever the file's size
 * (memory/decisions/0905-composable-parts.md). A file under the minimum part is one PUT. A failure or
 * an abort stops the parts in flight and aborts the multipart upload, so no half-assembled object and
 * no orphaned parts are left; a retry assembles the object again from the start (the pieces are
 * unchanged, so it writes the same bytes).
 */
import {
  type PartPlanOptions,
  type Piece,
  type PlannedPart,
  planParts,
  type UploadSegment,
} from '../output/index.js';
import type { ResultStore } from './ports.js';

/** Parts in flight at once: enough to overlap S3's latency, few enough to bound the memory of uploads. */
export const ASSEMBLY_CONCURRENCY = 4;

export interface AssemblyOptions extends PartPlanOptions {
  /** Parts copied or uploaded at once (default ASSEMBLY_CONCURRENCY). */
  readonly concurrency?: number;
}

export interface AssemblyResult {
  /** Bytes of the object. */
  readonly size: number;
  /** Bytes read back from the store to fill small parts (the plan's bound). */
  readonly bytesRead: number;
  /** Multipart parts (0 for a single PUT). */
  readonly parts: number;
}

/** The bytes of an upload: in-memory segments as they are, stored ranges read back (in parallel). */
async function gather(
  store: ResultStore,
  segments: readonly UploadSegment[],
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const buffers = await Promise.all(
    segments.map(async (segment) => {
      if (segment.kind === 'bytes') return segment.bytes;
      const bytes = await store.readRange(segment.key, segment.start, segment.end, signal);
      // A stored part shorter than its part list says would assemble a wrong file: fail instead.
      if (bytes.length !== segment.end - segment.start) {
        throw new RangeError(
          `${segment.key}: read ${bytes.length} bytes of [${segment.start}, ${segment.end})`,
        );
      }
      return bytes;
    }),
  );
  return buffers.length === 1 ? buffers[0] : Buffer.concat(buffers);
}

/**
 * Runs `task` over `items`, at most `limit` at once, in order of start. The first failure stops new
 * starts and aborts `controller` (the tasks in flight see it through their signal); every started task
 * is waited for before the first failure is thrown, so nothing still writes once this returns.
 */
async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  controller: AbortController,
  task: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && !controller.signal.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index], controller.signal);
      } catch (error) {
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  controller.signal.throwIfAborted();
  return results;
}

/**
 * Stores the concatenation of `pieces` at `key`. `signal` aborts it (the multipart upload is aborted
 * and the abort's reason thrown). Rejects with the first failure after aborting the upload.
 */
export async function assembleObject(
  store: ResultStore,
  key: string,
  contentType: string,
  pieces: readonly Piece[],
  signal?: AbortSignal,
  options: AssemblyOptions = {},
): Promise<AssemblyResult> {
  const concurrency = options.concurrency ?? ASSEMBLY_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('concurrency must be a positive integer');
  }
  const plan = planParts(pieces, options);
  signal?.throwIfAborted();
  if (plan.kind === 'put') {
    const bytes = await gather(store, plan.segments, signal);
    await store.put(key, bytes, { contentType, signal });
    return { size: plan.size, bytesRead: plan.bytesRead, parts: 0 };
  }

  // One controller for the parts: aborted by the caller's signal or by the first failing part.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const uploadId = await store.createMultipart(key, { contentType, signal });
    try {
      const send = async (part: PlannedPart, partSignal: AbortSignal): Promise<string> => {
        if (part.kind === 'copy')
          return store.copyPart(key, uploadId, part.partNumber, part.source, partSignal);
        const bytes = await gather(store, part.segments, partSignal);
        return store.uploadPart(key, uploadId, part.partNumber, bytes, partSignal);
      };
      const etags = await runLimited(plan.parts, concurrency, controller, send);
      await store.completeMultipart(
        key,
        uploadId,
        plan.parts.map((part, i) => ({ partNumber: part.partNumber, etag: etags[i] })),
      );
    } catch (error) {
      // Discards the parts stored so far; its own failure must not hide why the assembly failed.
      await store.abortMultipart(key, uploadId).catch(() => undefined);
      throw signal?.aborted ? signal.reason : error;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { size: plan.size, bytesRead: plan.bytesRead, parts: plan.parts.length };
}
