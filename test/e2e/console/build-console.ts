/** Builds web/dist from this checkout's sources, once per process, so a fresh clone tests its own console. */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

let built: Promise<void> | undefined;
export function buildConsole(): Promise<void> {
  built ??= run(process.execPath, ['scripts/build.mjs', 'web'], { cwd: ROOT }).then(() => undefined);
  return built;
}
