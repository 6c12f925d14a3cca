/**
 * The local S3's store keeps a multipart upload's parts as they arrived (infra/local/segmented-s3-store.ts,
 * byte-segments.ts): no byte of an assembled object is copied, its ETag is S3's, and fauxqs's checks
 * and errors still apply.
 */
import { createHash, randomBytes } from 'node:crypto';
import { get as httpGet } from 'node:http';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ByteSegments } from '../../../infra/local/byte-segments.js';
import {
  installSegmentedObjects,
  parseRange,
  SegmentedS3Store,
} from '../../../infra/local/segmented-s3-store.js';

const MiB = 1024 * 1024;

function md5(bytes: Buffer): Buffer {
  return createHash('md5').update(bytes).digest();
}

async function streamed(segments: ByteSegments): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of segments.stream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('ByteSegments', () => {
  it('slices across segment boundaries as the joined bytes would, as views of the same memory', async () => {
    // Prepare
    const pieces = [randomBytes(10), randomBytes(1), randomBytes(7), randomBytes(0), randomBytes(5)];
    const whole = Buffer.concat(pieces);
    const segments = ByteSegments.of(...pieces);
    // Act
    const cuts: Array<[number, number]> = [];
    for (let start = 0; start <= whole.length; start++) {
      for (let end = start; end <= whole.length; end++) cuts.push([start, end]);
    }
    const sliced = cuts.map(([start, end]) => segments.slice(start, end));
    // Assert
    expect(segments.length).toBe(whole.length);
    sliced.forEach((slice, i) => {
      const [start, end] = cuts[i];
      expect(slice.join().equals(whole.subarray(start, end))).toBe(true);
      expect(slice.length).toBe(end - start);
      for (const buffer of slice.buffers) expect(pieces.some((p) => p.buffer === buffer.buffer)).toBe(true);
    });
    expect((await streamed(segments.slice(3, 20))).equals(whole.subarray(3, 20))).toBe(true);
  });

  it('gives the MD5 and CRC-32 of the joined bytes', () => {
    // Prepare
    const pieces = [randomBytes(1000), randomBytes(3), randomBytes(70_000)];
    const whole = Buffer.concat(pieces);
    // Act
    const segments = ByteSegments.of(...pieces);
    // Assert
    expect(segments.md5().equals(md5(whole))).toBe(true);
    expect(segments.crc32()).toBe(ByteSegments.of(whole).crc32());
    expect(segments.crc32()).not.toBe(ByteSegments.of(whole.subarray(1)).crc32());
  });

  it('hashes a range of stored bytes once: every later slice of the same range reuses its digests', () => {
    // Prepare: a stored object and a first copy of one range (as the finaliser copies a chunk's part
    // into the .gz file), hashed; then its memory overwritten, which stored bytes never are, so a
    // digest read again from the memory would differ.
    const pieces = [randomBytes(4000), randomBytes(3000), randomBytes(5000)];
    const stored = ByteSegments.of(...pieces);
    const first = stored.slice(1000, 9000);
    const md5Before = first.md5();
    const crcBefore = first.crc32();
    for (const piece of pieces) piece.fill(0);
    // Act: the same range again (the ZIP's copy), through a slice of a slice, and another range.
    const again = stored.slice(500, 9500).slice(500, 8500);
    const other = stored.slice(1000, 9001);
    // Assert
    expect(again.md5().equals(md5Before)).toBe(true);
    expect(again.crc32()).toBe(crcBefore);
    expect(other.md5().equals(md5(Buffer.alloc(8001)))).toBe(true);
    expect(other.crc32()).toBe(ByteSegments.of(Buffer.alloc(8001)).crc32());
    // A digest handed out is the caller's own copy.
    again.md5().fill(1);
    expect(first.md5().equals(md5Before)).toBe(true);
  });
});

describe('SegmentedS3Store', () => {
  it("assembles an upload from its parts' own memory, with S3's multipart ETag and fauxqs's body on demand", () => {
    // Prepare
    const store = new SegmentedS3Store();
    store.createBucket('b');
    const parts = [randomBytes(5 * MiB + 1), randomBytes(5 * MiB), randomBytes(10)];
    const uploadId = store.createMultipartUpload('b', 'k', 'application/json');
    const etags = parts.map((part, i) => store.uploadPart(uploadId, i + 1, part));
    // Act
    const object = store.completeMultipartUpload(
      uploadId,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })),
    );
    const found = store.segmentsOf('b', 'k');
    // Assert
    const whole = Buffer.concat(parts);
    expect(found?.segments.buffers.map((b) => b.buffer)).toEqual(parts.map((p) => p.buffer));
    expect(object.contentLength).toBe(whole.length);
    expect(object.contentType).toBe('application/json');
    expect(object.etag).toBe(`"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-3"`);
    expect(etags[0]).toBe(`"${md5(parts[0]).toString('hex')}"`);
    expect(store.getObject('b', 'k').body.equals(whole)).toBe(true);
    expect(store.segmentsOf('b', 'missing')).toBeUndefined();
  });

  it('refuses a completion as fauxqs does: parts out of order, a wrong ETag, a small part before the last, an unknown upload', () => {
    // Prepare
    const store = new SegmentedS3Store();
    store.createBucket('b');
    const uploadId = store.createMultipartUpload('b', 'k');
    const small = store.uploadPart(uploadId, 1, randomBytes(100));
    const big = store.uploadPart(uploadId, 2, randomBytes(5 * MiB));
    const complete = (parts: Array<{ partNumber: number; etag: string }>) => () =>
      store.completeMultipartUpload(uploadId, parts);
    // Act and assert
    expect(
      complete([
        { partNumber: 2, etag: big },
        { partNumber: 1, etag: small },
      ]),
    ).toThrow(expect.objectContaining({ code: 'InvalidPartOrder', statusCode: 400 }));
    expect(complete([{ partNumber: 1, etag: big }])).toThrow(
      expect.objectContaining({ code: 'InvalidPart' }),
    );
    expect(complete([{ partNumber: 3, etag: big }])).toThrow(
      expect.objectContaining({ code: 'InvalidPart' }),
    );
    expect(
      complete([
        { partNumber: 1, etag: small },
        { partNumber: 2, etag: big },
      ]),
    ).toThrow(expect.objectContaining({ code: 'EntityTooSmall' }));
    expect(() => store.uploadPart('nope', 1, randomBytes(1))).toThrow(
      expect.objectContaining({ code: 'NoSuchUpload', statusCode: 404 }),
    );
    // The upload survives every refusal.
    expect(store.completeMultipartUpload(uploadId, [{ partNumber: 2, etag: big }]).contentLength).toBe(
      5 * MiB,
    );
  });

  it('reads ranges as fauxqs GetObject does: a-b clamped to the end, a-, -n, and null when not satisfiable', () => {
    // Act and assert
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=40-', 100)).toEqual({ start: 40, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBeNull();
    expect(parseRange('bytes=-0', 100)).toBeNull();
    expect(parseRange('bytes=-101', 100)).toBeNull();
    expect(parseRange('bytes=9-3', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

/** Reads the first bytes of a GET, then hangs up, as a reader that needs only a file's start does. */
function readStartThenHangUp(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { headers }, (response) => {
      response.once('data', (chunk: Buffer) => {
        request.destroy();
        resolve(chunk);
      });
    });
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
  });
}

describe('installSegmentedObjects', () => {
  it("answers a GET the client hangs up on by itself: the route's handler (fauxqs's GetObject, which joins the object) never runs", async () => {
    // Prepare: 24 MiB, more than the loopback socket takes before the reader stops reading.
    const store = new SegmentedS3Store();
    store.createBucket('b');
    const parts = [randomBytes(8 * MiB), randomBytes(8 * MiB), randomBytes(8 * MiB)];
    const uploadId = store.createMultipartUpload('b', 'k', 'application/json');
    const etags = parts.map((part, i) => store.uploadPart(uploadId, i + 1, part));
    store.completeMultipartUpload(
      uploadId,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })),
    );
    const app = Fastify();
    const handled: string[] = [];
    // fauxqs's route, as its router declares it.
    app.route({
      method: 'GET',
      url: '/:bucket/*',
      exposeHeadRoute: false,
      handler: async (request) => {
        handled.push(String(request.headers.range ?? 'whole'));
        return 'answered by the route';
      },
    });
    installSegmentedObjects(app, store);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/b/k`;
    const answersClosed: Promise<void>[] = [];
    app.server.on('request', (_request, response) => {
      answersClosed.push(new Promise((resolve) => response.once('close', () => resolve())));
    });
    try {
      // Act
      const whole = await readStartThenHangUp(url);
      const ranged = await readStartThenHangUp(url, { range: `bytes=${MiB}-` });
      await Promise.all(answersClosed);
      // fastify would run the handler in the ticks after the answer closed.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const after = await fetch(url, { headers: { range: 'bytes=0-15' } });
      // Assert
      expect(whole.equals(parts[0].subarray(0, whole.length))).toBe(true);
      expect(ranged.equals(parts[0].subarray(MiB, MiB + ranged.length))).toBe(true);
      expect(Buffer.from(await after.arrayBuffer()).equals(parts[0].subarray(0, 16))).toBe(true);
      expect(answersClosed).toHaveLength(3);
      expect(handled).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
