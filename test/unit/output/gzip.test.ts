import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGzipStream, GZIP_LEVEL, gzipFileName } from '../../../lib/output/gzip.js';
import { readAll } from '../../support/zip.js';
import { CollectingSink } from './support.js';

/** ~2 MB of compressible text in many small chunks. */
function text(): Buffer[] {
  return Array.from({ length: 2000 }, (_, i) =>
    Buffer.from(`{"id":${i},"name":"patient ${i}","v":[${i % 7},${i % 13}]}\n`.repeat(15)),
  );
}

describe('gzip', () => {
  it('round-trips a stream and names the file .gz', async () => {
    // Prepare
    const chunks = text();
    // Act
    const gz = await readAll(Readable.from(chunks).pipe(createGzipStream()));
    // Assert
    expect(gunzipSync(gz).equals(Buffer.concat(chunks))).toBe(true);
    expect(gz.length).toBeLessThan(Buffer.concat(chunks).length / 5);
    expect(gzipFileName('patients.fhir.ndjson')).toBe('patients.fhir.ndjson.gz');
  });

  it('writes a reproducible header (no time, OS "unknown") and the same bytes for the same input', async () => {
    // Act
    const a = await readAll(Readable.from(text()).pipe(createGzipStream()));
    const b = await readAll(Readable.from([Buffer.concat(text())]).pipe(createGzipStream()));
    // Assert: magic, deflate, no flags, MTIME 0, XFL 0 (level 6), OS 255; chunking does not matter.
    expect([...a.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(a.equals(b)).toBe(true);
    expect(GZIP_LEVEL).toBe(6);
  });

  it('writes a valid member for empty input', async () => {
    const sink = new CollectingSink();
    await pipeline(Readable.from([]), createGzipStream(), sink);
    expect(gunzipSync(sink.bytes()).length).toBe(0);
    expect(sink.bytes()[9]).toBe(0xff);
  });

  it('rejects a level outside 1..9', () => {
    expect(() => createGzipStream({ level: 0 })).toThrow(RangeError);
    expect(() => createGzipStream({ level: 10 })).toThrow(/1 to 9/);
  });
});
