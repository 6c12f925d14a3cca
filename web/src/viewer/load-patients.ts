/**
 * Reads a patients file as a stream into the viewer's compact model (DOM-free; runs in the parse
 * worker and in unit tests under Node). Accepts a JSON array (this product writes one record per
 * line), {"patients": [...]}, elements wrapped as {"patient": {...}}, or NDJSON; gzip is recognised by
 * its magic bytes, whatever the file is called.
 */
import { JsonRecordSplitter, JsonSyntaxError } from './json-splitter.js';
import { EXPECTED_FIELDS, type ViewerData, ViewerDataBuilder } from './timeline-model.js';
import { decodeUtf8 } from './utf8.js';

export interface LoadProgress {
  /** Bytes read of the file as stored (compressed bytes for a .gz). */
  readonly loaded: number;
  /** Its size, 0 when unknown. */
  readonly total: number;
  readonly patients: number;
}

export class LoadError extends Error {
  override name = 'LoadError';
}

const PROGRESS_EVERY_MS = 100;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Replays the first chunk, then the rest of the reader, counting bytes. */
function counted(
  first: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onBytes: (n: number) => void,
): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        onBytes(first.byteLength);
        controller.enqueue(first);
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      onBytes(value.byteLength);
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function addParsed(builder: ViewerDataBuilder, value: unknown, where: string): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) addParsed(builder, value[i], `${where}[${i}]`);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.patients)) {
      for (let i = 0; i < o.patients.length; i++) addParsed(builder, o.patients[i], `patients[${i}]`);
      return;
    }
    if (typeof o.patient === 'object' && o.patient !== null && !Array.isArray(o.patient)) {
      builder.add(o.patient, where);
      return;
    }
  }
  builder.add(value, where);
}

/**
 * Parses a patients file. `total` is its size for progress (0 if unknown). Throws a LoadError with a
 * message for the planner when the file cannot be read or holds no valid patient.
 */
export async function loadPatients(
  stream: ReadableStream<Uint8Array>,
  total: number,
  onProgress: (p: LoadProgress) => void = () => undefined,
): Promise<ViewerData> {
  const reader = stream.getReader();
  let first: Uint8Array | undefined;
  while (first === undefined || first.byteLength === 0) {
    const { done, value } = await reader.read();
    if (done) throw new LoadError('The file is empty.');
    first = value;
  }
  if (startsWith(first, [0x4d, 0x4d, 0x50, 0x47]))
    throw new LoadError(
      'This file is encrypted: decrypt it first (npm run decrypt), then open the decrypted file.',
    );
  if (startsWith(first, [0x50, 0x4b, 0x03, 0x04]))
    throw new LoadError('This is a ZIP archive: open patients.json or patients.ndjson from inside it.');

  let loaded = 0;
  const builder = new ViewerDataBuilder();
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = now;
    onProgress({ loaded, total, patients: builder.accepted });
  };
  let body = counted(first, reader, (n) => {
    loaded += n;
  });
  if (startsWith(first, [0x1f, 0x8b])) {
    // The DOM and Node typings of DecompressionStream differ; both are byte streams.
    const gunzip = new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
    body = body.pipeThrough(gunzip);
  }

  // Treatments and vital signs are not shown by the viewer: never decoded nor parsed.
  const splitter = new JsonRecordSplitter(['treatments', 'vital_signs']);
  let ordinal = 0;
  const emit = (record: Uint8Array) => {
    ordinal++;
    let value: unknown;
    try {
      value = JSON.parse(decodeUtf8(record));
    } catch {
      builder.records++;
      builder.reject(`record ${ordinal}: not valid JSON`);
      return;
    }
    addParsed(builder, value, `record ${ordinal}`);
  };
  const textReader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await textReader.read();
      if (done) break;
      splitter.feed(value, emit);
      report(false);
    }
    splitter.end(emit);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new LoadError(`Not a patients file: ${error.message}.`);
    if (error instanceof TypeError || (error as Error)?.name === 'TypeError')
      throw new LoadError(`The file could not be read: ${(error as Error).message}`);
    throw error;
  }
  report(true);
  if (builder.accepted === 0) {
    const why = builder.reasons.length > 0 ? ` First problems: ${builder.reasons.join('; ')}.` : '';
    throw new LoadError(
      `No valid patient in this file (${builder.records} ${builder.records === 1 ? 'record' : 'records'} read).${why} ${EXPECTED_FIELDS}`,
    );
  }
  return builder.build();
}
