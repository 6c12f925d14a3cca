/**
 * The whole product on one machine, no AWS account: `startLocalStack` starts the emulators
 * (infra/local/emulators.ts), points the environment at them, imports every handler of the route table
 * in-process, serves them through the local API Gateway (gateway.ts) and runs the generator from the
 * queue in several worker processes, one invocation at a time each, supervised and replaced when one
 * dies (worker-pool.ts; memory/decisions/0902-local-workers.md). `npm start` (start.ts) runs it; so do
 * the e2e tests and the benchmark.
 * Every non-public route goes through the API-key authorizer first, as deployed; at start the key
 * service writes two keys into the local keys table: an admin key and a generate key, both of owner
 * "local" (local-keys.ts).
 *
 * DynamoDB data persists in a data directory (dynalite); SQS and S3 (fauxqs) are in memory, so queued
 * messages and generated files are lost on restart (job records survive, their downloads do not).
 */
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AUTHORIZER, handlerModule, QUEUE_HANDLERS, ROUTES } from '../../functions/routes.js';
import { makeDirectory, payloadTooLargeResponse } from '../../lib/core/index.js';
import type { IssuedApiKey } from '../../lib/domain/index.js';
import { ensureLocalWorkerBundles } from '../../scripts/build-local-workers.mjs';
import {
  LOCAL_STAGE,
  STALE_WAITING_AFTER_SECONDS,
  staleRunningAfterSeconds,
} from '../config/generation-timing.js';
import { consoleFiles } from './console-files.js';
import { lockDataDir } from './data-dir-lock.js';
import { failJobsOfEarlierRun } from './earlier-run-jobs.js';
import {
  allowResultOrigins,
  type EmulatorOptions,
  queueTimingOf,
  startEmulators,
  startIsolatedEmulators,
} from './emulators.js';
import {
  type ApiHandler,
  ensurePortFree,
  type GatewayAuthorizer,
  type GatewayRoute,
  startGateway,
} from './gateway.js';
import { LOCAL_OWNER, type LocalKeyRequest, LocalKeys } from './local-keys.js';
import { type QueueHandler, startQueuePoller, type VisibilityHeartbeat } from './queue-poller.js';
import { type StuckJobGuardOptions, type StuckJobGuards, startStuckJobGuards } from './stuck-job-guards.js';
import { startWorkerPool, type WorkerPool, type WorkerPoolStatus } from './worker-pool.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** One generator worker process: the queue poller around the generator's handler. */
const WORKER_PROCESS_MODULE = 'infra/local/worker-process.ts';

export const DEFAULT_PORT = 3000;
/**
 * While a worker runs a message, its poller renews the message's visibility to 60 s every 20 s, so a
 * message whose worker died comes back within a minute even if the pool missed the death
 * (`visibilityHeartbeat` of LOCAL_STAGE, infra/config/generation-timing.ts).
 */
export const LOCAL_VISIBILITY_HEARTBEAT: VisibilityHeartbeat = LOCAL_STAGE.visibilityHeartbeat;
/** Routes whose answer gains the `local_workers` section in the local stack. */
const HEALTH_ROUTES: ReadonlySet<string> = new Set(['health', 'api-health']);

export { LOCAL_OWNER, type LocalKeyRequest };

export interface LocalStackOptions {
  /** 0 picks a free port (tests); default 3000. */
  readonly port?: number;
  readonly host?: string;
  /**
   * The generate key (owner "local"), in the key format `mmpg_local_<key id>_<secret>`; a new one is
   * made when absent. The same value on a persisted data dir finds its key again.
   */
  readonly apiKey?: string;
  /** The admin key (scope admin, owner "local"), in the key format; a new one when absent. */
  readonly adminKey?: string;
  /** Persist DynamoDB data here (SQS and S3 stay in memory). */
  readonly dataDir?: string;
  readonly logLevel?: string;
  /** Per-job patient cap (MAX_PATIENTS_PER_JOB); default the stages' cap (LOCAL_STAGE.maxPatientsPerJob). */
  readonly maxPatientsPerJob?: number;
  /**
   * Generator worker processes, each running one invocation at a time (the event source mapping's
   * concurrency); default one per core (os.availableParallelism()).
   */
  readonly workers?: number;
  /** @deprecated the former name of `workers`. */
  readonly workerConcurrency?: number;
  /** Renewal of a running message's visibility (default LOCAL_VISIBILITY_HEARTBEAT). */
  readonly heartbeat?: VisibilityHeartbeat;
  /** The worker pool's lines (a worker died, its message released, a replacement); default stderr. */
  readonly onWorkerEvent?: (line: string) => void;
  /**
   * Run the emulators and the generator in child processes (default), so a running job or the
   * emulators' own work never blocks the API's event loop; false keeps everything in this process,
   * with one in-process worker (no supervision, no `local_workers` in /health).
   */
  readonly isolate?: boolean;
  readonly emulators?: Pick<
    EmulatorOptions,
    'ports' | 'dynamodb' | 'visibilityTimeoutSeconds' | 'maxReceiveCount'
  >;
  /** The built web console served at `/` (web/dist by default). */
  readonly consoleDir?: string;
  /** Gateway access lines (method path status ms) to this function. */
  readonly onRequest?: (line: string) => void;
  /**
   * The DLQ consumer and the stale-job sweeper's timer and bounds (stuck-job-guards.ts); the bounds
   * default to the deployed ones (maxReceiveCount × the queue's visibility timeout, an hour).
   */
  readonly stuckJobs?: StuckJobGuardOptions;
  /**
   * Patients per chunk of a job instead of the cost model's (JOB_PATIENTS_PER_CHUNK of the worker,
   * functions/composition/worker.ts), so tests and benchmarks run jobs of several chunks with few
   * patients; default the cost model's (lib/domain/job-chunk-plan.ts).
   */
  readonly patientsPerChunk?: number;
  /** The generator workers' log level, when it differs from `logLevel` (the benchmark reads their job lines). */
  readonly workerLogLevel?: string;
}

export interface LocalStack {
  readonly url: string;
  readonly port: number;
  /** The generate key of owner "local". */
  readonly apiKey: string;
  /** The admin key (scope admin) of owner "local". */
  readonly adminKey: string;
  /** The environment the handlers run with (emulator endpoints, tables, queue). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Jobs of an earlier run on the same data directory that had not ended (pending, queued, running):
   * failed at start, since their messages and files were in memory (earlier-run-jobs.ts).
   */
  readonly earlierRunJobsFailed: number;
  /** The generator workers (undefined with `isolate: false`); /health shows the same as `local_workers`. */
  workers(): WorkerPoolStatus | undefined;
  /**
   * A new key through the key service, as the admin API makes one (another tenant for isolation
   * tests, small limits, an expiry); the answer holds the key in `api_key`.
   */
  createKey(request: LocalKeyRequest): Promise<IssuedApiKey>;
  stop(): Promise<void>;
}

let running: LocalStack | undefined;

async function importHandler<T>(modulePath: string): Promise<T> {
  const mod = (await import(pathToFileURL(resolve(ROOT, modulePath)).href)) as { handler?: T };
  if (typeof mod.handler !== 'function') throw new Error(`${modulePath} does not export a handler function`);
  return mod.handler;
}

/**
 * Starts emulators, gateway and worker in this process. Handlers read the environment once, at
 * import, so a process holds one stack at a time.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (running) throw new Error(`a local stack is already running in this process at ${running.url}`);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A bad key value stops here, before anything starts (one clear line from main).
  LocalKeys.check({ LOCAL_API_KEY: options.apiKey, LOCAL_ADMIN_KEY: options.adminKey });
  // A port in use stops here too, not after the emulators and workers have started.
  await ensurePortFree(options.host ?? '127.0.0.1', options.port ?? DEFAULT_PORT);

  const isolate = options.isolate ?? true;
  const workerCount = options.workers ?? options.workerConcurrency ?? availableParallelism();
  if (!Number.isInteger(workerCount) || workerCount < 1) {
    throw new Error(`workers must be a whole number of at least 1, got ${workerCount}`);
  }
  const heartbeat = options.heartbeat ?? LOCAL_VISIBILITY_HEARTBEAT;
  const emulatorOptions: EmulatorOptions = { dataDir: options.dataDir, ...options.emulators };
  // The deployed stages' queue timing (infra/config/generation-timing.ts), unless a test asks for its own.
  const queueRun = queueTimingOf(emulatorOptions);
  if (heartbeat.windowSeconds >= queueRun.visibilityTimeoutSeconds) {
    throw new Error(
      `the visibility heartbeat's window (${heartbeat.windowSeconds} s) must be below the queue's visibility timeout (${queueRun.visibilityTimeoutSeconds} s)`,
    );
  }
  // The sweeper's running bound follows the queue this stack runs (memory/decisions/0903).
  const stuckJobs: StuckJobGuardOptions = {
    staleRunningAfterSeconds: staleRunningAfterSeconds(queueRun),
    staleWaitingAfterSeconds: STALE_WAITING_AFTER_SECONDS,
    ...options.stuckJobs,
  };
  // The deployed generator's timeout: each local invocation's context counts down from it.
  const invocationTimeoutMs = LOCAL_STAGE.generatorTimeoutSeconds * 1000;
  // One stack per data directory: a second one is refused here, before anything starts.
  let releaseDataDir: (() => Promise<void>) | undefined;
  if (emulatorOptions.dataDir) {
    makeDirectory(emulatorOptions.dataDir);
    releaseDataDir = await lockDataDir(emulatorOptions.dataDir);
  }
  let emulators: Awaited<ReturnType<typeof startEmulators>>;
  try {
    emulators = isolate
      ? await startIsolatedEmulators(emulatorOptions)
      : await startEmulators(emulatorOptions);
  } catch (error) {
    await releaseDataDir?.();
    throw error;
  }
  const env: Record<string, string> = {
    ...emulators.env,
    LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'INFO',
    POWERTOOLS_SERVICE_NAME: process.env.POWERTOOLS_SERVICE_NAME ?? 'milmed-patient-generator',
    POWERTOOLS_DEV: 'false',
    // The stages' per-job cap unless a test asks for its own: the request schema and /openapi.json follow it.
    MAX_PATIENTS_PER_JOB: String(options.maxPatientsPerJob ?? LOCAL_STAGE.maxPatientsPerJob),
    // The generators that run at once here: the workers (estimated_duration counts the chunks' waves).
    GENERATOR_CONCURRENCY: String(workerCount),
    // A message comes back here only once its worker is gone (the heartbeat stopped or the pool
    // released it), so the retry takes the job over at once (functions/composition/worker.ts).
    JOB_STALE_AFTER_SECONDS: '0',
    ...(options.patientsPerChunk === undefined
      ? {}
      : { JOB_PATIENTS_PER_CHUNK: String(options.patientsPerChunk) }),
  };
  if (options.patientsPerChunk === undefined) delete process.env.JOB_PATIENTS_PER_CHUNK;
  Object.assign(process.env, env);

  const [queue] = QUEUE_HANDLERS;
  // Releases the messages of a worker that died (worker-pool.ts).
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  let pool: WorkerPool | undefined;
  let guards: StuckJobGuards | undefined;
  let keys: LocalKeys | undefined;
  let apiKey: string;
  let adminKey: string;
  let earlierRunJobsFailed = 0;
  try {
    keys = new LocalKeys(env);
    [apiKey, adminKey] = await Promise.all([
      keys.ensure('LOCAL_API_KEY', options.apiKey, ['generate']),
      keys.ensure('LOCAL_ADMIN_KEY', options.adminKey, ['admin']),
    ]);
    // The generator processes start while this one imports the handlers. They run the generator's
    // Lambda bundle, rebuilt first if a source changed (scripts/build-local-workers.mjs).
    const workerStarting = isolate
      ? ensureLocalWorkerBundles([WORKER_PROCESS_MODULE, queue.module]).then(
          ([workerBundle, generatorBundle]) =>
            startWorkerPool({
              size: workerCount,
              workerModule: workerBundle,
              handlerModule: generatorBundle,
              functionName: queue.name,
              env: options.workerLogLevel
                ? { ...process.env, LOG_LEVEL: options.workerLogLevel }
                : process.env,
              queueUrl: env.GENERATION_QUEUE_URL,
              sqs,
              heartbeat,
              invocationTimeoutMs,
              log: options.onWorkerEvent,
            }),
        )
      : undefined;
    workerStarting?.catch(() => undefined);
    const routes: GatewayRoute[] = [];
    let authorizer: GatewayAuthorizer;
    try {
      authorizer = await importHandler<GatewayAuthorizer>(AUTHORIZER.module);
      for (const route of ROUTES) {
        const handler = await importHandler<ApiHandler>(handlerModule(route));
        routes.push({
          route,
          handler: HEALTH_ROUTES.has(route.name) ? withLocalWorkers(handler, () => pool?.status()) : handler,
        });
      }
    } catch (error) {
      await workerStarting?.then((child) => child.stop()).catch(() => undefined);
      throw error;
    }

    if (workerStarting) {
      pool = await workerStarting;
      worker = pool;
    } else {
      const handler = await importHandler<QueueHandler>(queue.module);
      const poller = startQueuePoller({
        sqs,
        queueUrl: env.GENERATION_QUEUE_URL,
        handler,
        functionName: queue.name,
        batchSize: 1,
        waitTimeSeconds: 1,
        heartbeat,
        timeoutMs: invocationTimeoutMs,
        onError: (error, phase) => {
          // A handler that throws leaves the batch for redelivery; the worker logged why.
          if (phase !== 'invoke') console.error(`queue poller ${phase} failed`, error);
        },
      });
      worker = poller;
    }

    // Before anything serves: only jobs of an earlier run on a kept data directory can be met.
    if (emulatorOptions.dataDir) earlierRunJobsFailed = await failJobsOfEarlierRun(env);
    guards = await startStuckJobGuards(sqs, stuckJobs);
    const onRequest = options.onRequest;
    gateway = await startGateway({
      routes,
      authorizer,
      port: options.port ?? DEFAULT_PORT,
      host: options.host ?? '127.0.0.1',
      payloadTooLarge: payloadTooLargeResponse,
      staticFiles: consoleFiles({
        root: options.consoleDir ?? resolve(ROOT, 'web/dist'),
        stage: 'local',
        resultsOrigin: new URL(env.AWS_ENDPOINT_URL_S3).origin,
      }),
      onRequest: onRequest
        ? (e) => onRequest(`${e.method} ${e.path} ${e.status} ${e.ms.toFixed(1)} ms`)
        : undefined,
      onHandlerError: (error, route) => console.error(`handler ${route.name} threw`, error),
    });
    // The console at the gateway's origin reads job files through presigned URLs of the local S3.
    const origins = new Set([new URL(gateway.url).origin, `http://localhost:${gateway.port}`]);
    await allowResultOrigins(env, [...origins]);
  } catch (error) {
    await gateway?.close();
    await worker?.stop();
    await guards?.stop();
    sqs.destroy();
    keys?.close();
    await emulators.stop();
    await releaseDataDir?.();
    throw error;
  }

  const localKeys = keys;
  const stack: LocalStack = {
    url: gateway.url,
    port: gateway.port,
    apiKey,
    adminKey,
    env,
    earlierRunJobsFailed,
    workers: () => pool?.status(),
    createKey: (request) => localKeys.create(request),
    async stop() {
      await gateway?.close();
      await worker?.stop();
      await guards?.stop();
      sqs.destroy();
      localKeys.close();
      await emulators.stop();
      await releaseDataDir?.();
      if (running === stack) running = undefined;
    },
  };
  running = stack;
  return stack;
}

/**
 * /health and /api/v1/health answer as deployed (same status, same fields), plus, only in the local
 * stack, `local_workers`: the generator workers of the pool (running, starting, down), which no
 * Lambda handler can see. An answer that is not a JSON object passes unchanged.
 */
function withLocalWorkers(handler: ApiHandler, workers: () => WorkerPoolStatus | undefined): ApiHandler {
  return async (event, context) => {
    const result = await handler(event, context);
    const status = workers();
    if (!status || result.isBase64Encoded) return result;
    let body: unknown;
    try {
      body = JSON.parse(result.body);
    } catch {
      return result;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return result;
    return { ...result, body: JSON.stringify({ ...body, local_workers: status }) };
  };
}

/** "1 process", "3 processes": the banner's count of generator workers. */
export function workerCount(workers: number): string {
  return workers === 1 ? '1 process' : `${workers} processes`;
}
