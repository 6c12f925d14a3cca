/** globalSetup of the `console` vitest project: one built console and local stack for every browser test file. */
import type { TestProject } from 'vitest/node';
import { startConsoleStack } from './console-stack.js';
import type { ConsoleStackInfo } from './stack-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local stack serving the console: its URL and development API key. */
    consoleStack: ConsoleStackInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startConsoleStack();
  project.provide('consoleStack', stack.info);
  return () => stack.stop();
}
