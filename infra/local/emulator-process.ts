/**
 * Child process of the local stack: one emulator (infra/local/emulators.ts), chosen by
 * LOCAL_EMULATOR_ROLE (`dynamodb` or `queues-and-files`) with the options in LOCAL_EMULATOR_OPTIONS;
 * sends the variables that point the SDK at it when ready.
 */
import { serveChild } from './child-process.js';
import {
  type EmulatorOptions,
  type EmulatorRole,
  startDynamoDbPart,
  startQueuesAndFilesPart,
} from './emulators.js';

const options = JSON.parse(process.env.LOCAL_EMULATOR_OPTIONS ?? '{}') as EmulatorOptions;
const role = process.env.LOCAL_EMULATOR_ROLE as EmulatorRole | undefined;

serveChild(async () => {
  if (role !== 'dynamodb' && role !== 'queues-and-files') {
    throw new Error(`LOCAL_EMULATOR_ROLE must be dynamodb or queues-and-files, got ${role}`);
  }
  const part =
    role === 'dynamodb' ? await startDynamoDbPart(options) : await startQueuesAndFilesPart(options);
  return { data: part.env, stop: part.stop };
});
