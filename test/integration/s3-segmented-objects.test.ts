/**
 * Objects a multipart upload assembled on the local S3 (kept as their parts by
 * infra/local/segmented-s3-store.ts) answer the AWS SDK as any S3 object does: whole and ranged GETs
 * across part boundaries, conditions, HEAD, listing, CopyObject, UploadPartCopy of their ranges,
 * presigned URLs, deletion; and UploadPart refuses a part number S3 refuses.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3SqsEmulator } from '../../infra/local/s3-sqs-emulator.js';
import { startLocalS3 } from '../support/local-s3.js';

const BUCKET = 'segmented';
const MiB = 1024 * 1024;
/** Three parts: 5 MiB + 3, 5 MiB + 1, 1000 bytes. */
const parts = [randomBytes(5 * MiB + 3), randomBytes(5 * MiB + 1), randomBytes(1000)];
const whole = Buffer.concat(parts);
const KEY = 'jobs/j1/patients.json';

let emulator: S3SqsEmulator;
let s3: S3Client;
let etag: string;

function md5(bytes: Buffer): Buffer {
  return createHash('md5').update(bytes).digest();
}

async function assemble(key: string, bodies: readonly Buffer[]): Promise<string> {
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: 'application/json' }),
  );
  const etags: string[] = [];
  for (const [i, Body] of bodies.entries()) {
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body }),
    );
    etags.push(ETag!);
  }
  const { ETag } = await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }),
  );
  return ETag!;
}

async function get(key: string, range?: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: range }));
  return Buffer.from(await Body!.transformToByteArray());
}

async function status(command: GetObjectCommand): Promise<number | string> {
  try {
    await s3.send(command);
    return 200;
  } catch (error) {
    const failed = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return failed.$metadata?.httpStatusCode === 304 ? 304 : failed.name;
  }
}

beforeAll(async () => {
  ({ emulator, s3 } = await startLocalS3(BUCKET));
  etag = await assemble(KEY, parts);
});

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

describe('objects assembled by a multipart upload on the local S3', () => {
  it("answers a GET byte for byte, any range across part boundaries, HEAD and listing with S3's multipart ETag", async () => {
    // Prepare
    const boundary = parts[0].length;
    // Act
    const all = await get(KEY);
    const across = await get(KEY, `bytes=${boundary - 5}-${boundary + 4}`);
    const spanning = await get(KEY, `bytes=100-${whole.length - 2}`);
    const suffix = await get(KEY, 'bytes=-1500');
    const open = await get(KEY, `bytes=${boundary}-`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'jobs/j1/' }));
    // Assert
    expect(all.equals(whole)).toBe(true);
    expect(across.equals(whole.subarray(boundary - 5, boundary + 5))).toBe(true);
    expect(spanning.equals(whole.subarray(100, whole.length - 1))).toBe(true);
    expect(suffix.equals(whole.subarray(whole.length - 1500))).toBe(true);
    expect(open.equals(whole.subarray(boundary))).toBe(true);
    expect(etag).toBe(`"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-3"`);
    expect(head.ETag).toBe(etag);
    expect(head.ContentLength).toBe(whole.length);
    expect(head.ContentType).toBe('application/json');
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([[KEY, whole.length]]);
  });

  it('refuses a range past the end with 416 InvalidRange, and answers its conditions as for any object', async () => {
    // Act
    const beyond = await status(
      new GetObjectCommand({ Bucket: BUCKET, Key: KEY, Range: `bytes=${whole.length}-` }),
    );
    const notModified = await status(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, IfNoneMatch: etag }));
    const otherTag = await status(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, IfMatch: '"other"' }));
    const sameTag = await status(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, IfMatch: etag }));
    const later = await status(
      new GetObjectCommand({ Bucket: BUCKET, Key: KEY, IfModifiedSince: new Date(Date.now() + 60_000) }),
    );
    const earlier = await status(
      new GetObjectCommand({ Bucket: BUCKET, Key: KEY, IfUnmodifiedSince: new Date(Date.now() - 3_600_000) }),
    );
    // Assert
    expect(beyond).toBe('InvalidRange');
    expect(notModified).toBe(304);
    expect(otherTag).toBe('PreconditionFailed');
    expect(sameTag).toBe(200);
    expect(later).toBe(304);
    expect(earlier).toBe('PreconditionFailed');
  });

  it('copies it whole (CopyObject) and its ranges as parts of another upload, and serves it by presigned URL', async () => {
    // Prepare
    const ranges = [
      [3, 5 * MiB + 2],
      [5 * MiB, whole.length - 1],
    ] as const;
    // Act
    await s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copies/whole', CopySource: `${BUCKET}/${KEY}` }),
    );
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'copies/ranges' }),
    );
    const copied: string[] = [];
    for (const [i, [first, last]] of ranges.entries()) {
      const { CopyPartResult } = await s3.send(
        new UploadPartCopyCommand({
          Bucket: BUCKET,
          Key: 'copies/ranges',
          UploadId,
          PartNumber: i + 1,
          CopySource: `${BUCKET}/${KEY}`,
          CopySourceRange: `bytes=${first}-${last}`,
        }),
      );
      copied.push(CopyPartResult!.ETag!);
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'copies/ranges',
        UploadId,
        MultipartUpload: { Parts: copied.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'copies/ranges' }), {
      expiresIn: 60,
    });
    const fetched = Buffer.from(await (await fetch(url)).arrayBuffer());
    // Assert
    expect((await get('copies/whole')).equals(whole)).toBe(true);
    const expected = Buffer.concat(ranges.map(([first, last]) => whole.subarray(first, last + 1)));
    expect(fetched.equals(expected)).toBe(true);
    expect(copied[0]).toBe(`"${md5(whole.subarray(3, 5 * MiB + 3)).toString('hex')}"`);
  });

  it('deletes it like any object, and UploadPart refuses a part number outside 1..10000 as S3 does', async () => {
    // Prepare
    await assemble('gone/soon', [randomBytes(10)]);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'numbers' }));
    // Act
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone/soon' }));
    const deleted = await status(new GetObjectCommand({ Bucket: BUCKET, Key: 'gone/soon' }));
    const refused = await s3
      .send(
        new UploadPartCommand({ Bucket: BUCKET, Key: 'numbers', UploadId, PartNumber: 10_001, Body: 'x' }),
      )
      .then(
        () => 'stored',
        (error: { name: string }) => error.name,
      );
    // Assert
    expect(deleted).toBe('NoSuchKey');
    expect(refused).toBe('InvalidArgument');
  });

  it('stores a part that arrived in many socket chunks byte for byte, and refuses one over the 11 MiB body limit with 413', async () => {
    // Prepare
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'chunks' }));
    const body = randomBytes(9 * MiB + 7);
    const url = (partNumber: number) =>
      `${emulator.endpoint}/${BUCKET}/chunks?partNumber=${partNumber}&uploadId=${UploadId}`;
    // Act: the body sent in 64 KiB pieces, then one too large.
    const sent = await fetch(url(1), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Blob(
        Array.from({ length: Math.ceil(body.length / 65536) }, (_, i) =>
          body.subarray(i * 65536, (i + 1) * 65536),
        ),
      ),
    });
    const tooLarge = await fetch(url(2), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: randomBytes(11 * MiB + 1),
    });
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'chunks',
        UploadId,
        MultipartUpload: { Parts: [{ ETag: sent.headers.get('etag')!, PartNumber: 1 }] },
      }),
    );
    // Assert
    expect(sent.status).toBe(200);
    expect(sent.headers.get('etag')).toBe(`"${md5(body).toString('hex')}"`);
    expect(tooLarge.status).toBe(413);
    expect((await get('chunks')).equals(body)).toBe(true);
  });
});
