/**
 * The console under test: web/dist built from this checkout's sources (so a fresh clone tests its own
 * console), served by one local stack in a child process (stack-process.ts). Used by the browser
 * tests' globalSetup and by the web benchmark.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startChild } from '../../../infra/local/child-process.js';
import type { ConsoleStackInfo } from './stack-process.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

let built: Promise<string> | undefined;

/**
 * `node scripts/build.mjs web`, once per process, then a private copy of web/dist for the stack to
 * serve: `npm start` or another build in the same checkout rewrites web/dist while the tests run.
 * Returns the copy's directory.
 */
export function buildConsole(): Promise<string> {
  built ??= (async () => {
    const copy = resolve(tmpdir(), `milmed-console-${process.pid}`);
    for (let attempt = 1; ; attempt++) {
      await run(process.execPath, ['scripts/build.mjs', 'web'], { cwd: ROOT });
      rmSync(copy, { recursive: true, force: true });
      try {
        cpSync(resolve(ROOT, 'web/dist'), copy, { recursive: true });
        if (complete(copy)) return copy;
      } catch {
        // A concurrent build removed web/dist under the copy: build again.
      }
      if (attempt === 3) throw new Error('web/dist kept changing while it was copied (a concurrent build?)');
    }
  })();
  return built;
}

/** index.html and every asset it refers to are there (not a mix of two builds). */
function complete(dir: string): boolean {
  const index = resolve(dir, 'index.html');
  if (!existsSync(index)) return false;
  const refs = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map(
    (m) => m[1],
  );
  return refs.length > 0 && refs.every((ref) => existsSync(resolve(dir, ref)));
}

export interface ConsoleStack {
  readonly info: ConsoleStackInfo;
  /** The built console the stack serves (a private copy of web/dist). */
  readonly consoleDir: string;
  stop(): Promise<void>;
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  const consoleDir = await buildConsole();
  const child = await startChild<ConsoleStackInfo>(resolve(ROOT, 'test/e2e/console/stack-process.ts'), {
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CONSOLE_DIR: consoleDir,
    },
    timeoutMs: 120_000,
  });
  return {
    info: child.data,
    consoleDir,
    stop: async () => {
      await child.stop();
      rmSync(consoleDir, { recursive: true, force: true });
    },
  };
}
