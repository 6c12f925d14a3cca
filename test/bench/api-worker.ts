/**
 * Child process of the API benchmark: runs the local stack (the code `npm start` runs) and prints one
 * JSON line {url, apiKey} once it is ready; SIGTERM stops it.
 */
import { startLocalStack } from '../../infra/local/start.js';

const stack = await startLocalStack({
  port: 0,
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'ERROR',
  maxPatientsPerJob: 1_000_000,
});
process.stdout.write(`${JSON.stringify({ url: stack.url, apiKey: stack.apiKey, pid: process.pid })}\n`);

const stop = () => {
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
