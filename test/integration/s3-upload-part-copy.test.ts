/**
 * UploadPartCopy on the local S3 (fauxqs behind infra/local/s3-sqs-emulator.ts, the copy in
 * infra/local/upload-part-copy.ts) answers the AWS SDK as S3 does: whole objects and ranges copied in
 * as parts, mixed with uploaded parts, assembled in part order by CompleteMultipartUpload, and S3's
 * errors for a missing source, a missing upload, a bad range, a failed condition and a small part;
 * the copy takes its source by reference without changing what a client GET answers.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3SqsEmulator } from '../../infra/local/s3-sqs-emulator.js';
import { startLocalS3 } from '../support/local-s3.js';

const BUCKET = 'part-copies';
const OTHER_BUCKET = 'part-sources';
const MiB = 1024 * 1024;
/** S3's smallest part but the last. */
const MIN_PART = 5 * MiB;

let emulator: S3SqsEmulator;
let s3: S3Client;
const sources = {
  /** 6 MiB: a whole part. */
  whole: randomBytes(6 * MiB),
  /** 7 MiB + 3: ranges are cut out of it. */
  long: randomBytes(7 * MiB + 3),
  /** 1000 bytes: only good as the last part. */
  small: randomBytes(1000),
  /** In another bucket, under a key that needs URL encoding. */
  elsewhere: randomBytes(2000),
};
const ELSEWHERE_KEY = 'jobs/j 1/chunk-ü+1.json';

function md5Etag(bytes: Buffer): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

/** The x-amz-copy-source of an object: bucket and URL-encoded key. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

async function createUpload(key: string): Promise<string> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  return UploadId!;
}

async function uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string> {
  const { ETag } = await s3.send(
    new UploadPartCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: body,
    }),
  );
  return ETag!;
}

async function copyPart(
  key: string,
  uploadId: string,
  partNumber: number,
  source: string,
  range?: string,
): Promise<{ etag: string; lastModified: Date }> {
  const { CopyPartResult } = await s3.send(
    new UploadPartCopyCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      CopySource: source,
      CopySourceRange: range,
    }),
  );
  return { etag: CopyPartResult!.ETag!, lastModified: CopyPartResult!.LastModified! };
}

async function complete(key: string, uploadId: string, etags: readonly string[]): Promise<void> {
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }),
  );
}

async function getObject(key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

beforeAll(async () => {
  ({ emulator, s3 } = await startLocalS3(BUCKET, OTHER_BUCKET));
  for (const name of ['whole', 'long', 'small'] as const) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `sources/${name}`, Body: sources[name] }));
  }
  await s3.send(new PutObjectCommand({ Bucket: OTHER_BUCKET, Key: ELSEWHERE_KEY, Body: sources.elsewhere }));
});

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

describe('UploadPartCopy on the local S3', () => {
  it('assembles copied objects, copied ranges and uploaded parts in part order, whatever order they arrived in', async () => {
    // Prepare
    const key = 'jobs/mixed/patients.json';
    const uploadId = await createUpload(key);
    const uploaded = randomBytes(MIN_PART + 17);
    const range = { first: 1000, last: 1000 + MIN_PART + 9 };
    // Act: part 3 and 5 before 1, 2 and 4.
    const etag3 = await copyPart(
      key,
      uploadId,
      3,
      copySource(BUCKET, 'sources/long'),
      `bytes=${range.first}-${range.last}`,
    );
    const etag5 = await copyPart(key, uploadId, 5, copySource(BUCKET, 'sources/small'));
    const etag1 = await uploadPart(key, uploadId, 1, uploaded);
    const etag2 = await copyPart(key, uploadId, 2, copySource(BUCKET, 'sources/whole'));
    const tail = await copyPart(
      key,
      uploadId,
      4,
      copySource(BUCKET, 'sources/long'),
      `bytes=${2 * MiB}-${sources.long.length - 1}`,
    );
    await complete(key, uploadId, [etag1, etag2.etag, etag3.etag, tail.etag, etag5.etag]);
    const stored = await getObject(key);
    // Assert
    const expected = Buffer.concat([
      uploaded,
      sources.whole,
      sources.long.subarray(range.first, range.last + 1),
      sources.long.subarray(2 * MiB),
      sources.small,
    ]);
    expect(stored.length).toBe(expected.length);
    expect(stored.equals(expected)).toBe(true);
    expect(etag2.etag).toBe(md5Etag(sources.whole));
    expect(etag3.etag).toBe(md5Etag(sources.long.subarray(range.first, range.last + 1)));
    expect(Math.abs(etag2.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('copies from another bucket under a key that needs URL encoding, and a one-byte range', async () => {
    // Prepare
    const key = 'jobs/elsewhere/patients.csv';
    const uploadId = await createUpload(key);
    const first = randomBytes(MIN_PART);
    // Act
    const etag1 = await uploadPart(key, uploadId, 1, first);
    const copied = await copyPart(key, uploadId, 2, copySource(OTHER_BUCKET, ELSEWHERE_KEY));
    const oneByte = await copyPart(key, uploadId, 3, copySource(OTHER_BUCKET, ELSEWHERE_KEY), 'bytes=7-7');
    // Assert: part 2 (2000 bytes) is not the last, so that upload cannot complete; as the last part it can.
    await expect(complete(key, uploadId, [etag1, copied.etag, oneByte.etag])).rejects.toMatchObject({
      name: 'EntityTooSmall',
    });
    const again = await createUpload(key);
    const etagAgain = await uploadPart(key, again, 1, first);
    const last = await copyPart(key, again, 2, `/${copySource(OTHER_BUCKET, ELSEWHERE_KEY)}`);
    await complete(key, again, [etagAgain, last.etag]);
    expect((await getObject(key)).equals(Buffer.concat([first, sources.elsewhere]))).toBe(true);
    expect(oneByte.etag).toBe(md5Etag(sources.elsewhere.subarray(7, 8)));
  });

  it('copies a source larger than fauxqs accepts as a request body (11 MiB) as one part', async () => {
    // Prepare: a 12 MiB source, itself assembled from two uploaded parts.
    const sourceKey = 'sources/large';
    const halves = [randomBytes(6 * MiB), randomBytes(6 * MiB)];
    const sourceUpload = await createUpload(sourceKey);
    const sourceEtags = [
      await uploadPart(sourceKey, sourceUpload, 1, halves[0]),
      await uploadPart(sourceKey, sourceUpload, 2, halves[1]),
    ];
    await complete(sourceKey, sourceUpload, sourceEtags);
    const key = 'jobs/large/patients.json';
    const uploadId = await createUpload(key);
    // Act
    const copied = await copyPart(key, uploadId, 1, copySource(BUCKET, sourceKey));
    await complete(key, uploadId, [copied.etag]);
    // Assert
    expect((await getObject(key)).equals(Buffer.concat(halves))).toBe(true);
  });

  it('refuses a part below 5 MiB in the middle at completion with EntityTooSmall, and keeps the upload', async () => {
    // Prepare
    const key = 'jobs/small-middle/patients.json';
    const uploadId = await createUpload(key);
    const etag1 = await uploadPart(key, uploadId, 1, randomBytes(MIN_PART));
    const small = await copyPart(key, uploadId, 2, copySource(BUCKET, 'sources/long'), 'bytes=0-99');
    const etag3 = await uploadPart(key, uploadId, 3, randomBytes(10));
    // Act
    const completing = complete(key, uploadId, [etag1, small.etag, etag3]);
    // Assert
    await expect(completing).rejects.toMatchObject({
      name: 'EntityTooSmall',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(copyPart(key, uploadId, 2, copySource(BUCKET, 'sources/whole'))).resolves.toBeDefined();
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
  });

  it('answers NoSuchKey for a missing source and NoSuchBucket for a missing source bucket', async () => {
    // Prepare
    const key = 'jobs/missing-source/patients.json';
    const uploadId = await createUpload(key);
    // Act
    const missingKey = copyPart(key, uploadId, 1, copySource(BUCKET, 'sources/none'));
    const missingBucket = copyPart(key, uploadId, 1, copySource('no-such-bucket', 'sources/whole'));
    // Assert
    await expect(missingKey).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    await expect(missingBucket).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers NoSuchUpload for an upload that never existed or was aborted', async () => {
    // Prepare
    const key = 'jobs/missing-upload/patients.json';
    const aborted = await createUpload(key);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: aborted }));
    // Act
    const unknown = copyPart(key, 'no-such-upload', 1, copySource(BUCKET, 'sources/small'));
    const afterAbort = copyPart(key, aborted, 1, copySource(BUCKET, 'sources/small'));
    // Assert
    await expect(unknown).rejects.toMatchObject({ name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
    await expect(afterAbort).rejects.toMatchObject({
      name: 'NoSuchUpload',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a range past the source as S3 does (400 InvalidArgument naming the size), and a malformed one', async () => {
    // Prepare
    const key = 'jobs/bad-range/patients.json';
    const uploadId = await createUpload(key);
    const size = sources.small.length;
    const source = copySource(BUCKET, 'sources/small');
    // Act
    const pastEnd = copyPart(key, uploadId, 1, source, `bytes=0-${size}`);
    const startPastEnd = copyPart(key, uploadId, 1, source, `bytes=${size}-${size + 5}`);
    const malformed = ['bytes=5-2', 'bytes=0-', 'bytes=-10', '0-10', 'bytes=0-1,3-4'].map((range) =>
      copyPart(key, uploadId, 1, source, range),
    );
    // Assert
    for (const refused of [pastEnd, startPastEnd]) {
      await expect(refused).rejects.toMatchObject({
        name: 'InvalidArgument',
        message: `Range specified is not valid for source object of size: ${size}`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    for (const refused of malformed) {
      await expect(refused).rejects.toMatchObject({
        name: 'InvalidArgument',
        message: expect.stringContaining('must be of the form bytes=first-last'),
      });
    }
  });

  it('refuses a part number outside 1..10000 and a copy source without a key', async () => {
    // Prepare
    const key = 'jobs/bad-request/patients.json';
    const uploadId = await createUpload(key);
    // Act
    const partZero = copyPart(key, uploadId, 0, copySource(BUCKET, 'sources/small'));
    const partTooHigh = copyPart(key, uploadId, 10_001, copySource(BUCKET, 'sources/small'));
    const noKey = copyPart(key, uploadId, 1, `${BUCKET}/`);
    // Assert
    await expect(partZero).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: expect.stringContaining('Part number'),
    });
    await expect(partTooHigh).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(noKey).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: expect.stringContaining('Copy Source'),
    });
  });

  it('copies only when the copy-source conditions hold, else PreconditionFailed', async () => {
    // Prepare
    const key = 'jobs/conditions/patients.json';
    const uploadId = await createUpload(key);
    const etag = md5Etag(sources.small);
    const base = {
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      PartNumber: 1,
      CopySource: copySource(BUCKET, 'sources/small'),
    };
    // Act
    const matching = s3.send(new UploadPartCopyCommand({ ...base, CopySourceIfMatch: etag }));
    const otherEtag = s3.send(new UploadPartCopyCommand({ ...base, CopySourceIfMatch: '"0"' }));
    const noneMatch = s3.send(new UploadPartCopyCommand({ ...base, CopySourceIfNoneMatch: etag }));
    // Assert
    await expect(matching).resolves.toMatchObject({ CopyPartResult: { ETag: etag } });
    await expect(otherEtag).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    await expect(noneMatch).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
  });

  it('keeps a copy source intact when it is read while a client sends the internal read header', async () => {
    // Prepare: a client GET that carries the header name a copy uses internally, with a token of its own.
    const url = `${emulator.endpoint}/${BUCKET}/sources/whole`;
    // Act
    const got = await fetch(url, { headers: { 'x-local-copy-source-read': 'not-a-copy' } });
    const bytes = Buffer.from(await got.arrayBuffer());
    // Assert: the whole body, as any GET gets it.
    expect(got.status).toBe(200);
    expect(bytes.equals(sources.whole)).toBe(true);
  });
});
