/**
 * S3ResultStore against fauxqs: multipart streaming upload, streamed read, presigned GET, prefix delete;
 * and the primitives a fanned-out job assembles its files with: PUT, ranged reads, listings, and a
 * multipart upload of uploaded and copied (UploadPartCopy, infra/local/upload-part-copy.ts) parts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/core/index.js';
import { createAwsClients, PART_SIZE, S3ResultStore } from '../../lib/infrastructure/index.js';
import { DigestStream } from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';

const env = useAwsEnv();
const store = new S3ResultStore(createAwsClients().s3, env.RESULTS_BUCKET);
const MiB = 1024 * 1024;

/** `size` deterministic pseudo-random bytes, produced lazily in 64 KiB chunks. */
function bytes(size: number): Readable {
  let sent = 0;
  let state = 0x12345678;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(Math.min(65_536, size - sent));
      for (let i = 0; i < chunk.length; i++) {
        state = (state * 1_103_515_245 + 12_345) >>> 0;
        chunk[i] = state >>> 24;
      }
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<{ hash: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { hash: hash.digest('hex'), size };
}

describe('S3ResultStore', () => {
  it('uploads a multi-part stream and gives it back byte for byte, also through a presigned URL', async () => {
    // Prepare
    const size = PART_SIZE + 123_457; // two parts
    const expected = await sha256Of(bytes(size));
    const key = `jobs/store-${Date.now()}/big.bin`;
    // Act
    await store.upload(key, bytes(size), { contentType: 'application/octet-stream' });
    const read = await sha256Of(await store.open(key));
    const url = await store.presignGet(key, { expiresIn: 300, downloadName: 'big file.bin' });
    const response = await fetch(url);
    const fetched = await sha256Of(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    );
    // Assert
    expect(read).toEqual({ hash: expected.hash, size });
    expect(response.status).toBe(200);
    expect(fetched).toEqual({ hash: expected.hash, size });
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('uploads a multi-part body piped through the DigestStream the job files use (its byte count is not read as the total size)', async () => {
    // Prepare: the body every job file's upload gets (lib/domain/job-files.ts), two parts long.
    const size = PART_SIZE + 65_537;
    const expected = await sha256Of(bytes(size));
    const digest = new DigestStream();
    const key = `jobs/store-digest-${Date.now()}/big.bin`;
    // Act
    const uploading = store.upload(key, bytes(size).pipe(digest), {
      contentType: 'application/octet-stream',
    });
    await uploading;
    const read = await sha256Of(await store.open(key));
    // Assert
    expect(read).toEqual({ hash: expected.hash, size });
    expect(digest.result('big.bin')).toEqual({ name: 'big.bin', size, sha256: expected.hash });
  });

  it('deletes every object under a prefix and reports a missing object as not found', async () => {
    // Prepare
    const prefix = `jobs/delete-${Date.now()}/`;
    for (const name of ['a.json', 'b.csv', 'c.zip']) {
      await store.upload(`${prefix}${name}`, Readable.from([Buffer.from(name)]), {
        contentType: 'text/plain',
      });
    }
    expect(await store.exists(`${prefix}a.json`)).toBe(true);
    await store.upload(`jobs/keep-${Date.now()}/a.json`, Readable.from([Buffer.from('keep')]), {
      contentType: 'text/plain',
    });
    // Act
    const deleted = await store.deletePrefix(prefix);
    // Assert
    expect(deleted).toBe(3);
    await expect(store.open(`${prefix}a.json`)).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.exists(`${prefix}a.json`)).toBe(false);
    expect(await store.deletePrefix(prefix)).toBe(0);
  });

  it('stops an upload whose body is still being written when its signal aborts', async () => {
    // Prepare: three parts' worth, written 1 MiB every 5 ms (the abort comes well before the end).
    const controller = new AbortController();
    const key = `jobs/abort-${Date.now()}/never.bin`;
    let written = 0;
    const source = new Readable({
      read() {
        setTimeout(() => {
          written += MiB;
          this.push(written > 3 * PART_SIZE ? null : Buffer.alloc(MiB, 1));
        }, 5);
      },
    });
    // Act
    const upload = store.upload(key, source, {
      contentType: 'application/octet-stream',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    // Assert
    await expect(upload).rejects.toBeDefined();
    await expect(store.open(key)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('settles an aborted upload only once its requests have: nothing it sent lands afterwards', async () => {
    // Prepare: 4 MiB bodies (one PUT each), aborted 2-48 ms in: before, during and after the PUT.
    const prefix = `jobs/abort-race-${Date.now()}/`;
    const outcomes: { key: string; settled: boolean; later: boolean }[] = [];
    // Act
    for (let attempt = 0; attempt < 24; attempt++) {
      const key = `${prefix}part-${attempt}.bin`;
      const controller = new AbortController();
      const upload = store
        .upload(key, Readable.from([randomBytes(4 * 1024 * 1024)]), {
          contentType: 'application/octet-stream',
          signal: controller.signal,
        })
        .catch(() => undefined);
      setTimeout(() => controller.abort(new Error('stop')), 2 + attempt * 2);
      await upload;
      const settled = (await store.list(key)).length > 0;
      await new Promise((resolve) => setTimeout(resolve, 150));
      outcomes.push({ key, settled, later: (await store.list(key)).length > 0 });
    }
    // Assert: what is stored when the upload settles is what stays stored.
    expect(outcomes.filter((o) => o.settled !== o.later)).toEqual([]);
  });
});

describe('S3ResultStore: the parts a job assembles its files from', () => {
  it('stores bytes in one PUT and reads any range back, refusing a range past the end and a missing object', async () => {
    // Prepare
    const key = `jobs/range-${Date.now()}/c000001.json`;
    const data = randomBytes(100_000);
    // Act
    await store.put(key, data, { contentType: 'application/json' });
    const head = await store.readRange(key, 0, 10);
    const middle = await store.readRange(key, 12_345, 67_890);
    const tail = await store.readRange(key, 99_999, 100_000);
    const empty = await store.readRange(key, 500, 500);
    // Assert
    expect(head).toEqual(data.subarray(0, 10));
    expect(middle).toEqual(data.subarray(12_345, 67_890));
    expect(tail).toEqual(data.subarray(99_999));
    expect(empty.length).toBe(0);
    expect(await readAllOf(await store.open(key))).toEqual(data);
    await expect(store.readRange(key, 99_990, 100_001)).rejects.toBeInstanceOf(RangeError);
    await expect(store.readRange(key, 100_000, 100_010)).rejects.toBeInstanceOf(RangeError);
    await expect(store.readRange(key, 10, 5)).rejects.toBeInstanceOf(RangeError);
    await expect(store.readRange(`${key}.missing`, 0, 1)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.readRange(key, 0, 1, AbortSignal.abort())).rejects.toBeDefined();
  });

  it('opens an object from a byte to its end, and from 0 as a whole', async () => {
    // Prepare
    const key = `jobs/open-from-${Date.now()}/patients.json`;
    const data = randomBytes(50_000);
    await store.put(key, data, { contentType: 'application/json' });
    // Act
    const tail = await readAllOf(await store.open(key, 12_345));
    const last = await readAllOf(await store.open(key, 49_999));
    const whole = await readAllOf(await store.open(key, 0));
    // Assert
    expect(tail).toEqual(data.subarray(12_345));
    expect(last).toEqual(data.subarray(49_999));
    expect(whole).toEqual(data);
    await expect(store.open(`${key}.missing`, 10)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lists the keys under a prefix in key order, never another prefix's", async () => {
    // Prepare
    const prefix = `jobs/list-${Date.now()}/parts/`;
    const names = ['c000002.json', 'c000000/patients.json', 'c000010.json', 'c000000.json', 's000001/a.enc'];
    for (const name of names)
      await store.put(`${prefix}${name}`, Buffer.from(name), { contentType: 'text/plain' });
    await store.put(`${prefix.slice(0, -1)}-other/c000000.json`, Buffer.from('x'), {
      contentType: 'text/plain',
    });
    // Act
    const listed = await store.list(prefix);
    const none = await store.list(`${prefix}nothing/`);
    // Assert
    expect(listed).toEqual([...names].sort().map((name) => `${prefix}${name}`));
    expect(none).toEqual([]);
  });

  it('assembles copied ranges and uploaded parts in part number order, whatever order the list comes in', async () => {
    // Prepare: two source objects; the file is a range of each, a 5 MiB upload between them and a short last part.
    const prefix = `jobs/assemble-${Date.now()}/`;
    const first = randomBytes(6 * MiB + 3);
    const second = randomBytes(7 * MiB);
    const uploaded = randomBytes(5 * MiB);
    const last = randomBytes(1000);
    await store.put(`${prefix}parts/first`, first, { contentType: 'application/octet-stream' });
    await store.put(`${prefix}parts/second`, second, { contentType: 'application/octet-stream' });
    const key = `${prefix}patients.json`;
    // Act
    const uploadId = await store.createMultipart(key, { contentType: 'application/json' });
    const etags = [
      {
        partNumber: 3,
        etag: await store.copyPart(key, uploadId, 3, {
          key: `${prefix}parts/second`,
          start: 100,
          end: 100 + 5 * MiB + 7,
        }),
      },
      {
        partNumber: 1,
        etag: await store.copyPart(key, uploadId, 1, {
          key: `${prefix}parts/first`,
          start: 1,
          end: 5 * MiB + 1,
        }),
      },
      { partNumber: 4, etag: await store.uploadPart(key, uploadId, 4, last) },
      { partNumber: 2, etag: await store.uploadPart(key, uploadId, 2, uploaded) },
    ];
    await store.completeMultipart(key, uploadId, etags);
    // Assert
    const expected = Buffer.concat([
      first.subarray(1, 5 * MiB + 1),
      uploaded,
      second.subarray(100, 100 + 5 * MiB + 7),
      last,
    ]);
    const read = await readAllOf(await store.open(key));
    expect(read.length).toBe(expected.length);
    expect(createHash('sha256').update(read).digest('hex')).toBe(
      createHash('sha256').update(expected).digest('hex'),
    );
    expect(await store.readRange(key, 5 * MiB - 2, 5 * MiB + 2)).toEqual(
      expected.subarray(5 * MiB - 2, 5 * MiB + 2),
    );
  });

  it('aborts an upload: no object appears, its parts are gone, and aborting again is no error', async () => {
    // Prepare
    const prefix = `jobs/abort-multipart-${Date.now()}/`;
    const key = `${prefix}patients.csv`;
    await store.put(`${prefix}parts/a`, randomBytes(5 * MiB), { contentType: 'text/csv' });
    const uploadId = await store.createMultipart(key, { contentType: 'text/csv' });
    const parts = [
      {
        partNumber: 1,
        etag: await store.copyPart(key, uploadId, 1, { key: `${prefix}parts/a`, start: 0, end: 5 * MiB }),
      },
      { partNumber: 2, etag: await store.uploadPart(key, uploadId, 2, Buffer.from('tail')) },
    ];
    // Act
    await store.abortMultipart(key, uploadId);
    const again = store.abortMultipart(key, uploadId);
    // Assert
    await expect(again).resolves.toBeUndefined();
    await expect(store.completeMultipart(key, uploadId, parts)).rejects.toBeDefined();
    await expect(store.uploadPart(key, uploadId, 3, Buffer.from('late'))).rejects.toBeDefined();
    await expect(store.open(key)).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.list(prefix)).toEqual([`${prefix}parts/a`]);
  });

  it('refuses to copy from a missing object with not found, and an empty or reversed range as a caller error', async () => {
    // Prepare
    const prefix = `jobs/copy-missing-${Date.now()}/`;
    const key = `${prefix}patients.xml`;
    await store.put(`${prefix}parts/a`, Buffer.from('abc'), { contentType: 'application/xml' });
    const uploadId = await store.createMultipart(key, { contentType: 'application/xml' });
    // Act
    const refusal = (error: unknown) => error;
    const missing = await store
      .copyPart(key, uploadId, 1, { key: `${prefix}parts/none`, start: 0, end: 10 })
      .catch(refusal);
    const empty = await store
      .copyPart(key, uploadId, 1, { key: `${prefix}parts/a`, start: 1, end: 1 })
      .catch(refusal);
    const reversed = await store
      .copyPart(key, uploadId, 1, { key: `${prefix}parts/a`, start: 2, end: 1 })
      .catch(refusal);
    // Assert
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(empty).toBeInstanceOf(RangeError);
    expect(reversed).toBeInstanceOf(RangeError);
    await store.abortMultipart(key, uploadId);
  });
  it('copies an object in the store, a multipart one too, and refuses a missing source with not found', async () => {
    // Prepare: a small object, and one of two multipart parts
    const prefix = `jobs/copy-${Date.now()}/`;
    const size = PART_SIZE + 4_097;
    const expected = await sha256Of(bytes(size));
    await store.put(`${prefix}parts/c000000/small`, Buffer.from('{"id":0}\n'), {
      contentType: 'application/json',
    });
    await store.upload(`${prefix}parts/c000001/big`, bytes(size), {
      contentType: 'application/octet-stream',
    });
    // Act
    await store.copy(`${prefix}parts/c000000/small`, `${prefix}index/c000000`);
    await store.copy(`${prefix}parts/c000001/big`, `${prefix}index/c000001`);
    const missing = await store
      .copy(`${prefix}parts/none`, `${prefix}index/none`)
      .catch((error: unknown) => error);
    await store.deletePrefix(`${prefix}parts/`);
    // Assert: the copies outlive their sources
    expect((await readAllOf(await store.open(`${prefix}index/c000000`))).toString()).toBe('{"id":0}\n');
    expect(await sha256Of(await store.open(`${prefix}index/c000001`))).toEqual({ hash: expected.hash, size });
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(await store.list(prefix)).toEqual([`${prefix}index/c000000`, `${prefix}index/c000001`]);
  });
});

async function readAllOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
