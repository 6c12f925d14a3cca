/**
 * globalSetup of the `console` vitest project: builds the console from this checkout's sources
 * (scripts/build.mjs web) and starts one local stack for every browser test file.
 */
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startChild } from '../../../infra/local/child-process.js';
import { buildConsole, ROOT } from './build-console.js';
import type { ConsoleStackInfo } from './stack-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local stack serving the console: its URL and development API key. */
    consoleStack: ConsoleStackInfo;
  }
}

export async function startConsoleStack(): Promise<{ info: ConsoleStackInfo; stop(): Promise<void> }> {
  await buildConsole();
  const child = await startChild<ConsoleStackInfo>(resolve(ROOT, 'test/e2e/console/stack-process.ts'), {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeoutMs: 120_000,
  });
  return { info: child.data, stop: () => child.stop() };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startConsoleStack();
  project.provide('consoleStack', stack.info);
  return () => stack.stop();
}
