/**
 * Child process of the API benchmark: runs the local stack (the code `npm start` runs) and prints one
 * JSON line {url, cachedUrl, apiKey} once it is ready; SIGTERM stops it.
 *
 * `cachedUrl` is a second gateway, for the benchmark only, over the same handler instances, whose
 * authorizer keeps each Allow for AUTHORIZER.cacheTtlSeconds keyed by the X-API-Key value, as API
 * Gateway's authorizer cache does when deployed: it measures a request that does not invoke the
 * authorizer. The stack's own gateway (`url`, and `npm start`) never caches, so revocation is
 * immediate locally.
 *
 * A line {"probe": ProbeRequest} on stdin runs the in-process cost probes (test/bench/api-probe.ts)
 * against this stack and answers one line {"probe": ProbeRow[]} (or {"probe": null, "error": "…"});
 * a line {"verify": VerifyRequest} checks a completed job's bytes against the CLI's
 * (test/bench/api-verify.ts) and answers {"verify": VerifyResult} (or {"verify": null, "error": "…"}).
 *
 * Two generator workers, the chunk sizes of the cost model (lib/domain/job-chunk-plan.ts; or
 * BENCH_API_PATIENTS_PER_CHUNK for a scaled-down run). The workers
 * log at INFO (BENCH_WORKER_LOG_LEVEL): their JSON lines (chunk started/done, job completed with the
 * finaliser's bytes read) share this process's stdout, where the benchmark reads them.
 */
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { presentedKeyOf } from '../../functions/authorizer/request-authorizer.js';
import { AUTHORIZER, handlerModule, ROUTES } from '../../functions/routes.js';
import { type ApiHandler, type GatewayAuthorizer, startGateway } from '../../infra/local/gateway.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { payloadTooLargeResponse } from '../../lib/core/index.js';
import { type ProbeRequest, probeHandlerCosts } from './api-probe.js';
import { type VerifyRequest, verifyAgainstCli } from './api-verify.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const stack = await startLocalStack({
  port: 0,
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'ERROR',
  workerLogLevel: process.env.BENCH_WORKER_LOG_LEVEL ?? 'INFO',
  workers: 2,
  maxPatientsPerJob: 1_000_000,
  // A smaller run (BENCH_API_SCALE) keeps the chunk count of the full one with smaller chunks.
  ...(process.env.BENCH_API_PATIENTS_PER_CHUNK
    ? { patientsPerChunk: Number(process.env.BENCH_API_PATIENTS_PER_CHUNK) }
    : {}),
});

/** The module the stack imported (same URL, so the same instance). */
async function handlerOf<T>(modulePath: string): Promise<T> {
  return ((await import(pathToFileURL(resolve(ROOT, modulePath)).href)) as { handler: T }).handler;
}

const authorizer = await handlerOf<GatewayAuthorizer>(AUTHORIZER.module);
const allowed = new Map<string, { result: APIGatewayAuthorizerResult; until: number }>();
const cachingAuthorizer: GatewayAuthorizer = async (event, context) => {
  const key = presentedKeyOf(event) ?? '';
  const hit = allowed.get(key);
  if (hit && hit.until > Date.now()) return hit.result;
  const result = await authorizer(event, context);
  allowed.set(key, { result, until: Date.now() + AUTHORIZER.cacheTtlSeconds * 1000 });
  return result;
};
const cachedGateway = await startGateway({
  routes: await Promise.all(
    ROUTES.map(async (route) => ({ route, handler: await handlerOf<ApiHandler>(handlerModule(route)) })),
  ),
  authorizer: cachingAuthorizer,
  port: 0,
  payloadTooLarge: payloadTooLargeResponse,
  onHandlerError: (error, route) => console.error(`handler ${route.name} threw`, error),
});

process.stdout.write(
  `${JSON.stringify({ url: stack.url, cachedUrl: cachedGateway.url, apiKey: stack.apiKey, pid: process.pid })}\n`,
);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.startsWith('{"verify"')) {
    const { verify } = JSON.parse(line) as { verify: VerifyRequest };
    verifyAgainstCli(verify).then(
      (result) => process.stdout.write(`${JSON.stringify({ verify: result })}\n`),
      (error: unknown) =>
        process.stdout.write(
          `${JSON.stringify({ verify: null, error: String((error as Error)?.stack ?? error) })}\n`,
        ),
    );
    return;
  }
  if (!line.startsWith('{"probe"')) return;
  const { probe } = JSON.parse(line) as { probe: ProbeRequest };
  probeHandlerCosts(probe).then(
    (rows) => process.stdout.write(`${JSON.stringify({ probe: rows })}\n`),
    (error: unknown) =>
      process.stdout.write(
        `${JSON.stringify({ probe: null, error: String((error as Error)?.stack ?? error) })}\n`,
      ),
  );
});

const stop = () => {
  Promise.all([cachedGateway.close(), stack.stop()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
