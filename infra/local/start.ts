/**
 * `npm start`: the whole product on one machine, no AWS account (local-stack.ts), after the web
 * console is built (scripts/build.mjs). Bad options and environment are answered (exit 2, one line)
 * before the stack's modules load; then the banner lists the URLs and the two keys.
 *
 *   npm start [-- --port 3000] [--data-dir .local-data] [--workers N]
 *   PORT=3000 LOCAL_API_KEY=mmpg_local_<16 a-z2-7>_<64 hex> LOCAL_ADMIN_KEY=… npm start
 */
import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileProblem } from '../../lib/cli/io.js';
import { LOG_LEVELS, makeDirectory } from '../../lib/core/index.js';

function parseWorkers(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const workers = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(workers) || workers < 1 || workers > 64) {
    throw new UsageError(`--workers must be a whole number from 1 to 64, got "${value}"`);
  }
  return workers;
}

function parsePort(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`${what} must be a port number (0-65535), got "${value}"`);
  }
  return port;
}

/** LOG_LEVEL, checked before anything starts (the functions would refuse it only once started). */
function parseLogLevel(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(value.toUpperCase())) {
    throw new UsageError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return value;
}

/** Bad options of `npm start`: exit 2 with the message, as the CLI does. */
class UsageError extends Error {}

const START_OPTIONS = {
  port: { type: 'string', short: 'p' },
  'data-dir': { type: 'string' },
  workers: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseStartArgs() {
  try {
    return parseArgs({ options: START_OPTIONS });
  } catch (error) {
    // node:util's own wording ("Unknown option '--x'", "argument missing") does not list the options.
    const valid = Object.keys(START_OPTIONS)
      .map((name) => `--${name}`)
      .join(', ');
    throw new UsageError(
      `${error instanceof Error ? error.message : String(error)}; valid options: ${valid}`,
    );
  }
}

/** The data directory, created if missing, or a usage error that says why it cannot be used. */
function prepareDataDir(value: string): string {
  const path = resolve(value);
  try {
    makeDirectory(path);
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw new UsageError(`--data-dir "${value}": cannot use it as a directory: ${fileProblem(error)}`);
  }
  return path;
}

async function main(): Promise<void> {
  const { values } = parseStartArgs();
  if (values.help) {
    console.log(
      'Usage: npm start -- [--port N] [--data-dir DIR] [--workers N]\n' +
        '  --port N        listen on N (default $PORT or 3000)\n' +
        '  --data-dir DIR  keep DynamoDB data in DIR across restarts (SQS and S3 stay in memory)\n' +
        `  --workers N     generator worker processes, one job at a time each (default one per core: ${availableParallelism()})\n` +
        'Environment: LOCAL_API_KEY and LOCAL_ADMIN_KEY set the generate and the admin key\n' +
        '  (format mmpg_local_<16 of a-z2-7>_<64 hex>; otherwise new ones are made), LOG_LEVEL.',
    );
    return;
  }
  const port = parsePort(values.port, '--port') ?? parsePort(process.env.PORT, 'PORT');
  const dataDir = values['data-dir'] ? prepareDataDir(values['data-dir']) : undefined;
  const workers = parseWorkers(values.workers);
  const logLevel = parseLogLevel(process.env.LOG_LEVEL) ?? 'WARN';
  // Loaded only once the options are good: a bad one is answered before anything heavy is imported.
  const { DEFAULT_PORT, LOCAL_OWNER, startLocalStack, workerCount } = await import('./local-stack.js');
  const stack = await startLocalStack({
    port: port ?? DEFAULT_PORT,
    dataDir,
    workers,
    apiKey: process.env.LOCAL_API_KEY || undefined,
    adminKey: process.env.LOCAL_ADMIN_KEY || undefined,
    logLevel,
    onRequest: (line) => console.log(line),
  });
  const earlier = stack.earlierRunJobsFailed;
  console.log(
    [
      '',
      `  Web console             ${stack.url}/   (sign in with the key below)`,
      `  Patient generator API   ${stack.url}/api/v1`,
      `  OpenAPI document        ${stack.url}/openapi.json`,
      `  API key (generate)      ${stack.apiKey}   (owner "${LOCAL_OWNER}", header X-API-Key)`,
      `  Admin key (admin)       ${stack.adminKey}   (the /api/v1/admin/keys routes, MILMED_ADMIN_KEY)`,
      `  DynamoDB data           ${dataDir ? `persisted in ${dataDir}` : 'in memory (use --data-dir DIR to keep it)'}`,
      ...(earlier > 0
        ? [
            `  Earlier run             ${earlier === 1 ? '1 job' : `${earlier} jobs`} of the earlier run ${earlier === 1 ? 'was' : 'were'} failed: stopped before ending (queued messages and files live in memory only)`,
          ]
        : []),
      '  SQS queue and S3 files  in memory (fauxqs): lost when the server stops',
      `  Generator workers       ${workerCount(stack.workers()?.desired ?? 1)}, one job at a time each (--workers N; state in /health)`,
      '',
      `  curl -H "X-API-Key: ${stack.apiKey}" ${stack.url}/api/v1/presets`,
      `  MILMED_ADMIN_KEY=${stack.adminKey} npm run cli -- keys list --api ${stack.url}`,
      '',
      '  Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('stop failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
