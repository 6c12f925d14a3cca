/**
 * The local stack (what `npm start` runs, infra/local/local-stack.ts) in a child process of its own, for the
 * browser tests' globalSetup and the web benchmark: its environment stays out of the test runner, and
 * one stack serves every browser test file. Reports {url, apiKey, adminKey} when ready (infra/local/child-process.ts).
 */
import { serveChild } from '../../../infra/local/child-process.js';
import { startLocalStack } from '../../../infra/local/local-stack.js';

export interface ConsoleStackInfo {
  readonly url: string;
  readonly apiKey: string;
  /** The admin key (scope admin): tests make and revoke keys with it. */
  readonly adminKey: string;
}

serveChild<ConsoleStackInfo>(async () => {
  const stack = await startLocalStack({
    port: 0,
    logLevel: 'ERROR',
    // The cancel test needs a job that runs long enough to be cancelled; the viewer benchmark 100k.
    maxPatientsPerJob: 200_000,
    // A private copy of the built console (console-stack.ts), not web/dist that other builds rewrite.
    consoleDir: process.env.CONSOLE_DIR || undefined,
  });
  return {
    data: { url: stack.url, apiKey: stack.apiKey, adminKey: stack.adminKey },
    stop: () => stack.stop(),
  };
});
