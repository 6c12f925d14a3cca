/**
 * Child process of the local stack: the emulators (infra/local/emulators.ts); sends their env when ready.
 * LOCAL_EMULATOR_ROLE=dynamodb runs only dynalite with the tables, so DynamoDB answers from its own
 * process: fauxqs holds S3 objects in memory and its large-heap GC pauses (seconds, after a few
 * 100k-patient jobs) would otherwise stall every DynamoDB call behind them.
 */
import { serveChild } from './child-process.js';
import {
  createTables,
  DEFAULT_NAMES,
  type EmulatorOptions,
  startDynalite,
  startEmulators,
} from './emulators.js';

const options = JSON.parse(process.env.LOCAL_EMULATOR_OPTIONS ?? '{}') as EmulatorOptions;
const role = process.env.LOCAL_EMULATOR_ROLE ?? 'all';

async function startDynaliteOnly(): Promise<{ data: Record<string, string>; stop: () => Promise<void> }> {
  const dynamo = await startDynalite(options.ports?.dynamodb ?? 0, options.dataDir);
  await createTables(dynamo.endpoint, options.region ?? 'us-east-1', { ...DEFAULT_NAMES, ...options.names });
  return {
    data: { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, DDB_EMULATOR: 'dynalite' },
    stop: dynamo.stop,
  };
}

serveChild(async () => {
  if (role === 'dynamodb') return startDynaliteOnly();
  const emulators = await startEmulators(options);
  return { data: emulators.env, stop: () => emulators.stop() };
});
