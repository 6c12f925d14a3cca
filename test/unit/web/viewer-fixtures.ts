/** Patients files made by the real engine and writers, and byte streams that arrive in small chunks. */
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  DEFAULT_SCENARIO,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
} from '../../../lib/generation/index.js';
import { writePatients } from '../../../lib/output/index.js';

export function engineRecords(count: number, seed = 7): PatientRecord[] {
  return [...generate(plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: count }), seed))];
}

/** The bytes the product writes for `format` (json: one array, one record per line; ndjson). */
export async function productFile(format: 'json' | 'ndjson', count: number, seed = 7): Promise<Buffer> {
  const p = plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: count }), seed);
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await writePatients(p, { format, sink });
  return Buffer.concat(chunks);
}

export const gzip = (bytes: Uint8Array): Uint8Array => gzipSync(bytes);

/** A stream of `bytes` in pieces of `size` bytes (splits records, strings and UTF-8 sequences). */
export function chunked(bytes: Uint8Array | string, size = 1 << 16): ReadableStream<Uint8Array> {
  const all = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= all.length) {
        controller.close();
        return;
      }
      controller.enqueue(all.slice(at, at + size));
      at += size;
    },
  });
}
