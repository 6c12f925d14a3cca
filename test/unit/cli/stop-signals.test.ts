/**
 * A long `generate` stopped by a signal, through the bin as a shell runs it: Ctrl-C (SIGINT) and
 * SIGTERM (kill, timeout, a cancelled CI job) both remove the partial files and exit 128 + the
 * signal's number.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from './support.js';

/**
 * Starts a run too long to finish, waits for its partial files, sends the signals a few ms apart;
 * its exit and stderr.
 */
async function stopMidRun(
  dir: string,
  ...signals: NodeJS.Signals[]
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      'bin/milmed.js',
      'generate',
      '--preset',
      'nato_article_5',
      '--count',
      '2000000',
      '--seed',
      '1',
      '--format',
      'json,csv',
      '--out',
      dir,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((settle) => child.on('exit', (code) => settle(code)));
  for (let waited = 0; waited < 60_000; waited += 50) {
    const names = await readdir(dir).catch(() => []);
    if (names.some((n) => n.endsWith('.partial'))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const [i, signal] of signals.entries()) {
    // Apart, as two key presses are: one pending signal would absorb the same signal sent with it.
    if (i > 0) await new Promise((r) => setTimeout(r, 5));
    child.kill(signal);
  }
  return { code: await exited, stderr };
}

describe('milmed generate stopped by a signal', () => {
  it.each([
    ['SIGINT', 130, 'interrupted'],
    ['SIGTERM', 143, 'terminated'],
  ] as const)(
    'removes the partial files on %s and exits %i',
    async (signal, expectedCode, word) => {
      await withTempDir(async (dir) => {
        // Prepare
        const out = join(dir, 'out');
        // Act
        const run = await stopMidRun(out, signal);
        // Assert
        expect(run.code, run.stderr).toBe(expectedCode);
        expect(run.stderr).toMatch(new RegExp(`\\n${word}; partial files removed\\n$`));
        expect(await readdir(out)).toEqual([]);
      });
    },
    90_000,
  );

  it.each([
    ['SIGINT', 'SIGINT', 130, 'interrupted'],
    // The same signal twice: of two different signals pending at once the kernel delivers SIGINT
    // first, whichever was sent first.
    ['SIGTERM', 'SIGTERM', 143, 'terminated'],
  ] as const)(
    'still removes the partial files when %s is followed at once by %s, and exits as the first said',
    async (first, second, expectedCode, word) => {
      await withTempDir(async (dir) => {
        // Prepare: an impatient second Ctrl-C, or a second kill, while the run stops
        const out = join(dir, 'out');
        // Act
        const run = await stopMidRun(out, first, second);
        // Assert
        expect(run.code, run.stderr).toBe(expectedCode);
        expect(run.stderr).toMatch(new RegExp(`\\n${word}; partial files removed\\n$`));
        expect(await readdir(out)).toEqual([]);
      });
    },
    90_000,
  );
});
