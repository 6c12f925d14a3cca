/**
 * The console under test: web/dist built from this checkout's sources (so a fresh clone tests its own
 * console), served by one local stack in a child process (stack-process.ts). Used by the browser
 * tests' globalSetup and by the web benchmark.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startChild } from '../../../infra/local/child-process.js';
import type { ConsoleStackInfo } from './stack-process.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

let built: Promise<void> | undefined;
/** `node scripts/build.mjs web`, once per process. */
export function buildConsole(): Promise<void> {
  built ??= run(process.execPath, ['scripts/build.mjs', 'web'], { cwd: ROOT }).then(() => undefined);
  return built;
}

export interface ConsoleStack {
  readonly info: ConsoleStackInfo;
  stop(): Promise<void>;
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  await buildConsole();
  const child = await startChild<ConsoleStackInfo>(resolve(ROOT, 'test/e2e/console/stack-process.ts'), {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeoutMs: 120_000,
  });
  return { info: child.data, stop: () => child.stop() };
}
