/**
 * AWS SDK clients, built once per process (cold start) and shared by every adapter. No endpoint in
 * code: locally and in tests AWS_ENDPOINT_URL_DYNAMODB / _SQS / _S3 redirect them to the emulators.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../core/index.js';

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  /** DocumentClient: plain JS values in and out, undefined attributes dropped. */
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
}

/** New clients; prefer `awsClients()` outside tests. */
export function createAwsClients(): AwsClients {
  // traced(): each call is an X-Ray subsegment when the function traces (a no-op otherwise).
  const dynamodb = traced(new DynamoDBClient({}));
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  // Queue URLs of emulators name hosts such as sqs.us-east-1.localhost: always dial the endpoint.
  const sqs = traced(new SQSClient({ useQueueUrlAsEndpoint: false }));
  // Path-style only against an emulator (bucket names are not host names there); in AWS presigned URLs
  // are virtual-hosted, the origin the web console's CSP and the bucket's CORS rule name.
  const emulated = Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL);
  const s3 = traced(new S3Client({ forcePathStyle: emulated }));
  return { dynamodb, documents, sqs, s3 };
}

let shared: AwsClients | undefined;

/** The process-wide clients, created on first use. */
export function awsClients(): AwsClients {
  shared ??= createAwsClients();
  return shared;
}
