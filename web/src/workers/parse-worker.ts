/// <reference lib="webworker" />
/**
 * Parses a patients file off the main thread: streams it (file or presigned URL), builds the compact
 * model and transfers its buffers to the page, so even 100,000 patients never block the page.
 */
import { LoadError, loadPatients } from '../viewer/load-patients';
import { buildIndex } from '../viewer/timeline-index';
import { transferables } from '../viewer/timeline-model';
import type { ParseReply, ParseRequest } from '../viewer/worker-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: ParseReply, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

async function open(request: ParseRequest): Promise<{ body: ReadableStream<Uint8Array>; size: number }> {
  if (request.type === 'file') return { body: request.file.stream(), size: request.file.size };
  let response: Response;
  try {
    response = await fetch(request.url, { credentials: 'omit' });
  } catch (error) {
    throw new LoadError(`The job's file could not be fetched (${(error as Error).message}).`);
  }
  if (!response.ok || response.body === null)
    throw new LoadError(`The job's file could not be fetched (HTTP ${response.status}).`);
  const length = Number(response.headers.get('content-length'));
  return { body: response.body, size: Number.isFinite(length) && length > 0 ? length : request.size };
}

scope.onmessage = async (event: MessageEvent<ParseRequest>) => {
  const started = performance.now();
  try {
    const { body, size } = await open(event.data);
    const data = await loadPatients(body, size, (progress) => reply({ type: 'progress', progress }));
    const index = buildIndex(data, null);
    const buffers = [index.time, index.from, index.to, index.step, index.checkpoints].map(
      (a) => a.buffer as ArrayBuffer,
    );
    reply({ type: 'loaded', data, index, parseMs: performance.now() - started }, [
      ...transferables(data),
      ...buffers,
    ]);
  } catch (error) {
    const message =
      error instanceof LoadError ? error.message : `The file could not be read: ${(error as Error).message}`;
    reply({ type: 'failed', message });
  }
};
