import { S3Client } from '@aws-sdk/client-s3';
import { type S3SqsEmulator, startS3SqsEmulator } from '../../infra/local/s3-sqs-emulator.js';

/** An SDK client of the local S3 as the product's adapters configure one (path-style, any credentials). */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** The local S3/SQS emulator with these buckets, and a client of it. */
export async function startLocalS3(
  ...buckets: readonly string[]
): Promise<{ emulator: S3SqsEmulator; s3: S3Client }> {
  const emulator = await startS3SqsEmulator();
  for (const bucket of buckets) await emulator.createBucket(bucket);
  return { emulator, s3: localS3Client(emulator.endpoint) };
}
