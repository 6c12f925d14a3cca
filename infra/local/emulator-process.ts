/**
 * Child process of the local stack: one emulator server (emulator-servers.ts), chosen and configured
 * by LOCAL_EMULATOR_SERVER (`EmulatorServer`, as JSON); sends the variables that point
 * the SDK at it when ready. It loads only the servers, none of lib/ (the parent makes the tables).
 */
import { serveChild } from './child-process.js';
import { type EmulatorServer, startServer } from './emulator-servers.js';

serveChild(async () => {
  const server = JSON.parse(process.env.LOCAL_EMULATOR_SERVER ?? '{}') as Partial<EmulatorServer>;
  if (server.role !== 'dynamodb' && server.role !== 'queues-and-files') {
    throw new Error(`LOCAL_EMULATOR_SERVER's role must be dynamodb or queues-and-files, got ${server.role}`);
  }
  const part = await startServer(server as EmulatorServer);
  return { data: part.env, stop: part.stop };
});
