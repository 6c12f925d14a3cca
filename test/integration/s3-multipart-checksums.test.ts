/**
 * CRC32 part checksums on the local S3 (infra/local/multipart-checksums.ts) answer the AWS SDK as S3
 * does for an upload created with the CRC32 algorithm: each part's checksum returned (uploaded or
 * copied), a wrong one sent refused, and a completion that must list every part's checksum; and
 * S3ResultStore assembles through it.
 */
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAwsChunked, parseCompletedParts } from '../../infra/local/multipart-checksums.js';
import type { S3SqsEmulator } from '../../infra/local/s3-sqs-emulator.js';
import { S3ResultStore } from '../../lib/infrastructure/index.js';
import { startLocalS3 } from '../support/local-s3.js';

const BUCKET = 'part-checksums';
const MiB = 1024 * 1024;

let emulator: S3SqsEmulator;
let s3: S3Client;
const source = randomBytes(6 * MiB);

function crc32Of(bytes: Buffer): string {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(crc32(bytes) >>> 0);
  return value.toString('base64');
}

async function createUpload(key: string, checksummed: boolean): Promise<string> {
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      ChecksumAlgorithm: checksummed ? 'CRC32' : undefined,
    }),
  );
  return UploadId!;
}

async function uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer) {
  return s3.send(
    new UploadPartCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: body,
      ChecksumAlgorithm: 'CRC32',
    }),
  );
}

async function copyPart(key: string, uploadId: string, partNumber: number, first: number, last: number) {
  const { CopyPartResult } = await s3.send(
    new UploadPartCopyCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      CopySource: `${BUCKET}/sources/six`,
      CopySourceRange: `bytes=${first}-${last}`,
    }),
  );
  return CopyPartResult!;
}

async function getObject(key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

beforeAll(async () => {
  ({ emulator, s3 } = await startLocalS3(BUCKET));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sources/six', Body: source }));
});

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

describe('CRC32 part checksums on the local S3', () => {
  it("returns each uploaded or copied part's CRC32 and assembles the parts when the completion lists them", async () => {
    // Prepare
    const key = 'assembled/with-checksums.bin';
    const uploadId = await createUpload(key, true);
    const tail = randomBytes(777);
    // Act
    const copied = await copyPart(key, uploadId, 1, 3, 5 * MiB + 2);
    const uploaded = await uploadPart(key, uploadId, 2, tail);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: copied.ETag, ChecksumCRC32: copied.ChecksumCRC32 },
            { PartNumber: 2, ETag: uploaded.ETag, ChecksumCRC32: uploaded.ChecksumCRC32 },
          ],
        },
      }),
    );
    // Assert
    expect(copied.ChecksumCRC32).toBe(crc32Of(source.subarray(3, 5 * MiB + 3)));
    expect(uploaded.ChecksumCRC32).toBe(crc32Of(tail));
    // Buffer.equals: a deep toEqual of megabytes is slow.
    expect((await getObject(key)).equals(Buffer.concat([source.subarray(3, 5 * MiB + 3), tail]))).toBe(true);
  });

  it('refuses a completion missing a part checksum (InvalidRequest naming the part) or with a wrong one (InvalidPart), and keeps the upload', async () => {
    // Prepare
    const key = 'assembled/checked.bin';
    const uploadId = await createUpload(key, true);
    const copied = await copyPart(key, uploadId, 1, 0, 5 * MiB - 1);
    const uploaded = await uploadPart(key, uploadId, 2, Buffer.from('last part'));
    const completeWith = (parts: { PartNumber: number; ETag?: string; ChecksumCRC32?: string }[]) =>
      s3
        .send(
          new CompleteMultipartUploadCommand({
            Bucket: BUCKET,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        )
        .then(
          () => undefined,
          (error: unknown) => error as { name: string; message: string },
        );
    // Act
    const missing = await completeWith([
      { PartNumber: 1, ETag: copied.ETag, ChecksumCRC32: copied.ChecksumCRC32 },
      { PartNumber: 2, ETag: uploaded.ETag },
    ]);
    const wrong = await completeWith([
      { PartNumber: 1, ETag: copied.ETag, ChecksumCRC32: uploaded.ChecksumCRC32 },
      { PartNumber: 2, ETag: uploaded.ETag, ChecksumCRC32: uploaded.ChecksumCRC32 },
    ]);
    const right = await completeWith([
      { PartNumber: 1, ETag: copied.ETag, ChecksumCRC32: copied.ChecksumCRC32 },
      { PartNumber: 2, ETag: uploaded.ETag, ChecksumCRC32: uploaded.ChecksumCRC32 },
    ]);
    // Assert
    expect(missing?.name).toBe('InvalidRequest');
    expect(missing?.message).toMatch(/It was missing for part 2 in the request/);
    expect(wrong?.name).toBe('InvalidPart');
    expect(right).toBeUndefined();
    expect((await getObject(key)).length).toBe(5 * MiB + 9);
  });

  it('refuses a part whose CRC32 does not match its bytes with BadDigest', async () => {
    // Prepare
    const key = 'assembled/bad-digest.bin';
    const uploadId = await createUpload(key, true);
    // Act
    const error = await s3
      .send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: uploadId,
          PartNumber: 1,
          Body: Buffer.from('these bytes'),
          ChecksumCRC32: crc32Of(Buffer.from('other bytes')),
        }),
      )
      .catch((e: unknown) => e as { name: string });
    // Assert
    expect(error).toMatchObject({ name: 'BadDigest' });
  });

  it('accepts checksum elements in a completion of an upload created without an algorithm, in the order the SDK writes them', async () => {
    // Prepare: fauxqs alone reads only <PartNumber> then <ETag> and would drop these parts.
    const key = 'assembled/no-algorithm.bin';
    const uploadId = await createUpload(key, false);
    const body = randomBytes(100);
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: 1, Body: body }),
    );
    // Act
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ ETag, ChecksumCRC32: crc32Of(body), PartNumber: 1 }] },
      }),
    );
    // Assert
    expect(await getObject(key)).toEqual(body);
  });

  it('assembles through S3ResultStore, which lists the checksums S3 returned', async () => {
    // Prepare
    const store = new S3ResultStore(s3, BUCKET);
    const key = 'assembled/store.bin';
    const middle = randomBytes(5 * MiB);
    // Act
    const uploadId = await store.createMultipart(key, { contentType: 'application/octet-stream' });
    const parts = [
      {
        partNumber: 1,
        etag: await store.copyPart(key, uploadId, 1, { key: 'sources/six', start: 0, end: 5 * MiB }),
      },
      { partNumber: 2, etag: await store.uploadPart(key, uploadId, 2, middle) },
      {
        partNumber: 3,
        etag: await store.copyPart(key, uploadId, 3, { key: 'sources/six', start: 5 * MiB, end: 6 * MiB }),
      },
    ];
    await store.completeMultipart(key, uploadId, parts);
    // Assert
    expect(
      (await getObject(key)).equals(
        Buffer.concat([source.subarray(0, 5 * MiB), middle, source.subarray(5 * MiB)]),
      ),
    ).toBe(true);
  });
});

describe('multipart checksum parsing', () => {
  it('reads the parts of a completion whatever the order of their elements, and an aws-chunked body with its trailer', () => {
    // Prepare
    const xml =
      '<CompleteMultipartUpload><Part><ETag>&quot;a&quot;</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32><PartNumber>2</PartNumber></Part>' +
      '<Part><PartNumber>3</PartNumber><ETag>"b"</ETag></Part></CompleteMultipartUpload>';
    const chunked = Buffer.from(
      '5;chunk-signature=x\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:ABCD==\r\n\r\n',
    );
    // Act
    const parts = parseCompletedParts(xml);
    const decoded = decodeAwsChunked(chunked);
    // Assert
    expect(parts).toEqual([
      { partNumber: 2, etag: '"a"', crc32: 'AAAAAA==' },
      { partNumber: 3, etag: '"b"' },
    ]);
    expect(decoded.data.join().toString()).toBe('hello world');
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'ABCD==' });
  });
});
