/**
 * A chunk's parts (lib/output/chunk-parts.ts): what each part holds and reports, one pass over every
 * format, the domain's part list accepting the result, teardown on a failing sink and on abort.
 * Whole files from many chunks: file-pieces.test.ts.
 */
import type { Readable } from 'node:stream';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ChunkFilePart, ChunkFilePartSchema } from '../../../lib/domain/job-parts.js';
import {
  bytesInfo,
  CHUNK_SIZE,
  type ChunkPartSink,
  crc32,
  FLUSH_POINT_EVERY,
  OUTPUT_FORMATS,
  OutputStageError,
  writeChunkParts,
} from '../../../lib/output/index.js';
import { readAll } from '../../support/zip.js';
import { chunkKey, mapSink, type ObjectMap } from './parts-support.js';
import { render, testPlan } from './support.js';

const N = 120;
const plan = testPlan(N, 5);
/** The end of a full flush: an empty stored block's LEN and NLEN. */
const FULL_FLUSH_TAIL = Buffer.from([0, 0, 0xff, 0xff]);

describe('chunk parts', () => {
  it('writes a compressed chunk as one raw deflate part per format whose input is the range’s bytes', async () => {
    // Prepare
    const objects: ObjectMap = new Map();
    // Act
    const result = await writeChunkParts(plan, {
      formats: OUTPUT_FORMATS,
      compress: true,
      from: 30,
      to: 70,
      last: false,
      sink: mapSink(objects, 1),
    });
    // Assert
    expect(result.patients).toBe(40);
    expect([...objects.keys()].sort()).toEqual(result.files.map((f) => chunkKey(1, f.file_name)).sort());
    for (const file of result.files) {
      const stored = objects.get(chunkKey(1, file.file_name))!;
      const plain = await render(plan, file.format, 30, 70);
      expect(file.file_name).toMatch(/\.gz$/);
      expect(file.part).toEqual(bytesInfo(stored));
      expect(file.input).toEqual({ crc32: crc32(plain), length: plain.length });
      expect(file.deflate).toBeUndefined();
      // A non-last part ends on a full flush: an empty stored block, byte-aligned.
      expect(stored.subarray(-4).equals(FULL_FLUSH_TAIL)).toBe(true);
      expect(
        inflateRawSync(stored, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).equals(plain),
        file.file_name,
      ).toBe(true);
    }
  });

  it('full-flushes a compressed JSON or NDJSON part before every 1,000th patient: raw inflate from there reads on from that record', async () => {
    // Prepare
    const big = testPlan(2100, 5);
    const objects: ObjectMap = new Map();
    // Act
    const result = await writeChunkParts(big, {
      formats: OUTPUT_FORMATS,
      compress: true,
      from: 900,
      to: 2100,
      last: true,
      sink: mapSink(objects, 0),
    });
    // Assert
    expect(FLUSH_POINT_EVERY).toBe(1000);
    for (const file of result.files) {
      const stored = objects.get(chunkKey(0, file.file_name))!;
      const plain = await render(big, file.format, 900, 2100);
      expect(inflateRawSync(stored).equals(plain), file.file_name).toBe(true);
      if (file.format !== 'json' && file.format !== 'ndjson') {
        // No flush points where no results page reads: the bytes of one deflate of the range.
        expect(stored.equals(deflateRawSync(plain, { level: 6 })), file.file_name).toBe(true);
        continue;
      }
      // Where the full flushes' empty stored blocks (LEN 0, NLEN 0xFFFF) end.
      const afterFlushes: number[] = [];
      for (
        let at = stored.indexOf(FULL_FLUSH_TAIL);
        at !== -1;
        at = stored.indexOf(FULL_FLUSH_TAIL, at + 1)
      ) {
        afterFlushes.push(at + FULL_FLUSH_TAIL.length);
      }
      // The head of what each inflates to (the whole part is checked above).
      const heads = afterFlushes.map((at) =>
        inflateRawSync(stored.subarray(at, at + 4096), { finishFlush: 2 /* Z_SYNC_FLUSH */ }),
      );
      for (const point of [1000, 2000]) {
        const rest = plain.subarray((await render(big, file.format, 900, point)).length);
        expect(
          heads.some((head) => head.length >= 1024 && head.equals(rest.subarray(0, head.length))),
          `${file.file_name} at patient ${point}`,
        ).toBe(true);
      }
    }
  });

  it('writes the ZIP entry data of an uncompressed chunk without flush points', async () => {
    // Prepare
    const big = testPlan(2600, 5);
    const objects: ObjectMap = new Map();
    // Act
    const result = await writeChunkParts(big, {
      formats: ['json'],
      compress: false,
      from: 500,
      to: 2600,
      last: true,
      sink: mapSink(objects, 0),
    });
    // Assert: the same bytes as one deflate of the plain part.
    const [file] = result.files;
    const plain = objects.get(chunkKey(0, file.file_name))!;
    const deflated = objects.get(chunkKey(0, `${file.file_name}.deflate`))!;
    expect(deflated.equals(deflateRawSync(plain, { level: 6 }))).toBe(true);
  });

  it('ends the deflate stream in the chunk that holds the files’ end', async () => {
    // Prepare
    const objects: ObjectMap = new Map();
    // Act
    const result = await writeChunkParts(plan, {
      formats: ['json', 'xml'],
      compress: true,
      from: 100,
      to: N,
      last: true,
      sink: mapSink(objects, 4),
    });
    // Assert: a complete raw deflate stream (inflateRawSync refuses a stream without its final block).
    for (const file of result.files) {
      const stored = objects.get(chunkKey(4, file.file_name))!;
      expect(inflateRawSync(stored).equals(await render(plan, file.format, 100, N))).toBe(true);
    }
  });

  it('writes an uncompressed chunk as the plain bytes and, for the ZIP, the same bytes deflated', async () => {
    // Prepare
    const objects: ObjectMap = new Map();
    // Act
    const result = await writeChunkParts(plan, {
      formats: OUTPUT_FORMATS,
      from: 0,
      to: N,
      last: true,
      sink: mapSink(objects, 0),
    });
    // Assert
    expect(objects.size).toBe(2 * OUTPUT_FORMATS.length);
    for (const file of result.files) {
      const plain = objects.get(chunkKey(0, file.file_name))!;
      const deflated = objects.get(chunkKey(0, `${file.file_name}.deflate`))!;
      expect(plain.equals(await render(plan, file.format)), file.file_name).toBe(true);
      expect(file.part).toEqual(bytesInfo(plain));
      expect(file.input).toBeUndefined();
      expect(file.deflate).toEqual({
        ...bytesInfo(deflated),
        input: { crc32: crc32(plain), length: plain.length },
      });
      expect(inflateRawSync(deflated).equals(plain)).toBe(true);
    }
  });

  it('leaves the deflate part out when asked (an encrypted job’s ZIP stores the sealed file)', async () => {
    // Prepare
    const objects: ObjectMap = new Map();
    // Act
    const result = await writeChunkParts(plan, {
      formats: ['csv'],
      from: 0,
      to: 10,
      last: false,
      deflatePlain: false,
      sink: mapSink(objects, 0),
    });
    // Assert
    expect([...objects.keys()]).toEqual([chunkKey(0, 'patients.csv')]);
    expect(result.files[0].deflate).toBeUndefined();
  });

  it('tells the sink each part’s name, role and content type', async () => {
    // Prepare
    const seen: string[] = [];
    const sink: ChunkPartSink = async (target, bytes) => {
      seen.push(`${target.fileName} ${target.partName} ${target.role} ${target.contentType}`);
      await readAll(bytes);
    };
    // Act
    await writeChunkParts(plan, { formats: ['json'], from: 0, to: 5, last: false, sink });
    await writeChunkParts(plan, { formats: ['json'], compress: true, from: 0, to: 5, last: false, sink });
    // Assert
    expect(seen).toEqual([
      'patients.json patients.json data application/json',
      'patients.json patients.json.deflate deflate application/octet-stream',
      'patients.json.gz patients.json.gz data application/octet-stream',
    ]);
  });

  it('gives file entries the domain’s chunk part list accepts as they are', async () => {
    // Prepare
    const objects: ObjectMap = new Map();
    // Act
    const packed = await writeChunkParts(plan, {
      formats: ['fhir'],
      compress: true,
      from: 0,
      to: 9,
      last: false,
      sink: mapSink(objects, 0),
    });
    const plain = await writeChunkParts(plan, {
      formats: ['ndjson'],
      from: 0,
      to: 9,
      last: false,
      sink: mapSink(objects, 0),
    });
    // Assert
    const entries: ChunkFilePart[] = [...packed.files, ...plain.files];
    for (const entry of entries) expect(ChunkFilePartSchema.parse(entry)).toEqual(entry);
  });

  it('rejects a range outside the plan before calling any sink', async () => {
    // Prepare
    const called: string[] = [];
    const sink: ChunkPartSink = async (target, bytes) => {
      called.push(target.partName);
      bytes.resume();
    };
    // Act
    const outside = await writeChunkParts(plan, {
      formats: ['json'],
      from: 10,
      to: N + 1,
      last: true,
      sink,
    }).catch((e: unknown) => e);
    const reversed = await writeChunkParts(plan, {
      formats: ['json'],
      from: 10,
      to: 9,
      last: false,
      sink,
    }).catch((e: unknown) => e);
    // Assert
    expect(outside).toBeInstanceOf(RangeError);
    expect(reversed).toBeInstanceOf(RangeError);
    expect(called).toEqual([]);
  });

  it('rejects with a failing sink’s error after every other sink has settled, aborted', async () => {
    // Prepare
    const big = testPlan(3000, 5);
    const settled: string[] = [];
    const sink: ChunkPartSink = async (target, bytes, signal) => {
      try {
        if (target.role === 'deflate' && target.format === 'csv') {
          bytes.resume();
          throw new Error('disk full');
        }
        await readAll(bytes);
      } finally {
        settled.push(`${target.partName}${signal.aborted ? ' aborted' : ''}`);
      }
    };
    // Act
    const failure = await writeChunkParts(big, {
      formats: ['json', 'csv'],
      from: 0,
      to: 3000,
      last: true,
      sink,
    }).catch((e: unknown) => e);
    // Assert
    expect((failure as Error).message).toBe('disk full');
    expect(settled.sort()).toEqual([
      'patients.csv aborted',
      'patients.csv.deflate',
      'patients.json aborted',
      'patients.json.deflate aborted',
    ]);
  });

  it('reports a deflater failure as the stage’s error, naming the file', async () => {
    // Prepare: a sink that hands back a stream failing like a broken stage would.
    const sink: ChunkPartSink = async (target, bytes) => {
      if (target.role === 'data') {
        const broken = new Error('zlib exploded');
        bytes.destroy(broken);
        return;
      }
      await readAll(bytes);
    };
    // Act
    const failure = await writeChunkParts(plan, {
      formats: ['xml'],
      compress: true,
      from: 0,
      to: N,
      last: true,
      sink,
    }).catch((e: unknown) => e);
    // Assert: the sink returned without an error of its own, so the stage's failure is what is reported.
    expect(failure).toBeInstanceOf(OutputStageError);
    expect((failure as Error).message).toBe('writing patients.xml.gz failed');
  });

  it('stops on abort: rejects with the reason and aborts every sink', async () => {
    // Prepare
    const big = testPlan(5000, 5);
    const stop = new AbortController();
    const reason = new Error('cancelled');
    const aborted: boolean[] = [];
    const sink: ChunkPartSink = async (_target, bytes, signal) => {
      await readAll(bytes).catch(() => undefined);
      aborted.push(signal.aborted);
    };
    let seen = 0;
    // Act
    const failure = await writeChunkParts(big, {
      formats: ['json', 'csv'],
      compress: true,
      from: 0,
      to: 5000,
      last: true,
      sink,
      signal: stop.signal,
      onRecord: () => {
        seen += 1;
        if (seen === 200) stop.abort(reason);
      },
    }).catch((e: unknown) => e);
    // Assert
    expect(failure).toBe(reason);
    expect(aborted).toEqual([true, true]);
    expect(seen).toBeLessThan(1000);
  });

  it('keeps pace with a slow sink without buffering the chunk (back-pressure)', async () => {
    // Prepare: a sink that reads one piece at a time with a pause; the writer must wait for it.
    const big = testPlan(2000, 5);
    const total = (await render(big, 'json')).length;
    const perPatient = total / 2000;
    let maxAhead = 0;
    let generated = 0;
    let consumed = 0;
    const sink: ChunkPartSink = async (_target, bytes) => {
      for await (const chunk of bytes as Readable) {
        consumed += (chunk as Buffer).length;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    // Act
    await writeChunkParts(big, {
      formats: ['json'],
      from: 0,
      to: 2000,
      last: true,
      sink,
      deflatePlain: false,
      onRecord: () => {
        generated += 1;
        maxAhead = Math.max(maxAhead, generated * perPatient - consumed);
      },
    });
    // Assert: the writer never ran more than a few stream buffers of CHUNK_SIZE ahead of the sink
    // (about 4 measured), a fraction of the ~10 MB it writes.
    expect(consumed).toBe(total);
    expect(total).toBeGreaterThan(20 * CHUNK_SIZE);
    expect(maxAhead).toBeLessThan(6 * CHUNK_SIZE);
  });
});
