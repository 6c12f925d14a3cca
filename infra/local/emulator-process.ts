/**
 * Child process of the local stack: the emulators (infra/local/emulators.ts); sends their env when ready.
 * LOCAL_EMULATOR_ROLE=dynamodb runs only dynalite with the tables, so DynamoDB answers from its own
 * process: fauxqs holds S3 objects in memory and its large-heap GC pauses (seconds, after a few
 * 100k-patient jobs) would otherwise stall every DynamoDB call behind them.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { serveChild } from './child-process.js';
import { createTables, DEFAULT_NAMES, type EmulatorOptions, startEmulators } from './emulators.js';

const require = createRequire(import.meta.url);
const options = JSON.parse(process.env.LOCAL_EMULATOR_OPTIONS ?? '{}') as EmulatorOptions;
const role = process.env.LOCAL_EMULATOR_ROLE ?? 'all';

async function startDynaliteOnly(): Promise<{ data: Record<string, string>; stop: () => Promise<void> }> {
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  const path = options.dataDir ? join(options.dataDir, 'dynalite') : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.ports?.dynamodb ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await createTables(endpoint, options.region ?? 'us-east-1', { ...DEFAULT_NAMES, ...options.names });
  return {
    data: { AWS_ENDPOINT_URL_DYNAMODB: endpoint, DDB_EMULATOR: 'dynalite' },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

serveChild(async () => {
  if (role === 'dynamodb') return startDynaliteOnly();
  const emulators = await startEmulators(options);
  return { data: emulators.env, stop: () => emulators.stop() };
});
