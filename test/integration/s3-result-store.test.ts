/** S3ResultStore against fauxqs: multipart streaming upload, streamed read, presigned GET, prefix delete. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/core/index.js';
import { createAwsClients, PART_SIZE, S3ResultStore } from '../../lib/infrastructure/index.js';
import { DigestStream } from '../../lib/output/index.js';
import { useAwsEnv } from '../support/aws-env.js';

const env = useAwsEnv();
const store = new S3ResultStore(createAwsClients().s3, env.RESULTS_BUCKET);

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
    await store.upload(`jobs/keep-${Date.now()}/a.json`, Readable.from([Buffer.from('keep')]), {
      contentType: 'text/plain',
    });
    // Act
    const deleted = await store.deletePrefix(prefix);
    // Assert
    expect(deleted).toBe(3);
    await expect(store.open(`${prefix}a.json`)).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.deletePrefix(prefix)).toBe(0);
  });

  it('stops an upload when its signal aborts', async () => {
    // Prepare
    const controller = new AbortController();
    const key = `jobs/abort-${Date.now()}/never.bin`;
    const source = bytes(3 * PART_SIZE);
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
});
