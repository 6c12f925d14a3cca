import { spawn } from 'node:child_process';
import { access, mkdir, readdir, readFile, utimes } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LOCK_STALE_MS, lockOutDir, OUT_LOCK_NAME } from '../../../lib/cli/out-dir-lock.js';
import { runCli, withTempDir } from './support.js';

const generate = ['generate', '--preset', 'training_exercise', '--count', '20', '--format', 'json'];
/** As `generate`, with a run long enough to be caught writing (an option is given once: fix 0162). */
const generateMany = ['generate', '--preset', 'training_exercise', '--count', '40000', '--format', 'json'];
const BIN = resolve('bin/milmed.js');

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('milmed generate: one run at a time per --out', () => {
  it('refuses with exit 2, naming --out, a run into a directory another run holds, and writes nothing', async () => {
    await withTempDir(async (dir) => {
      // Prepare: the lock another run holds.
      const release = await lockOutDir(dir, dir, () => undefined);
      try {
        // Act
        const run = await runCli([...generate, '--seed', '1', '--out', dir]);
        // Assert
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(
          /^--out: another milmed generate is writing into ".*" \(\.milmed\.lock is held\)/,
        );
        expect(await readdir(dir)).toEqual([OUT_LOCK_NAME]);
      } finally {
        await release();
      }
    });
  });

  it('refuses a run with a random seed in one line, announcing no seed for a run that never ran', async () => {
    await withTempDir(async (dir) => {
      // Prepare: the lock another run holds; no --seed, and the preset has none
      const release = await lockOutDir(dir, dir, () => undefined);
      try {
        // Act
        const run = await runCli([...generate, '--out', dir]);
        // Assert
        expect(run.code).toBe(2);
        expect(run.stderr.trimEnd().split('\n')).toEqual([
          expect.stringMatching(/^--out: another milmed generate is writing into /),
        ]);
      } finally {
        await release();
      }
    });
  });

  it('takes over a lock left by a killed run once it is stale, and releases it at the end', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a lock nobody has refreshed for longer than it stays fresh.
      const lock = join(dir, OUT_LOCK_NAME);
      await mkdir(lock);
      const old = new Date(Date.now() - LOCK_STALE_MS - 5_000);
      await utimes(lock, old, old);
      // Act
      const run = await runCli([...generate, '--seed', '1', '--out', dir]);
      // Assert
      expect(run.code).toBe(0);
      expect(await readdir(dir)).toEqual(['patients.json']);
    });
  });

  it('releases the lock when a run fails, so the next run into the directory proceeds', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a directory where the JSON's partial file must go makes the run fail.
      await mkdir(join(dir, 'patients.json.partial'));
      const failed = await runCli([...generate, '--seed', '1', '--out', dir]);
      // Act
      const next = await runCli([...generate, '--seed', '1', '--out', join(dir, 'again')]);
      const retry = await runCli([...generate, '--seed', '1', '--out', dir]);
      // Assert
      expect(failed.code).toBe(1);
      expect(next.code).toBe(0);
      expect(retry.code).toBe(1); // the same EISDIR, not "another run is writing"
      expect(retry.stderr).toMatch(/EISDIR/);
      expect((await readdir(dir)).sort()).toEqual(['again', 'patients.json.partial']);
    });
  });

  it('keeps the first of two concurrent runs into one --out whole: the second exits 2 and the JSON parses', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a run long enough to be caught writing.
      const first = spawn(process.execPath, [BIN, ...generateMany, '--seed', '1', '--out', dir], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const firstExit = new Promise<number | null>((done) => first.on('exit', done));
      while (!(await exists(join(dir, 'patients.json.partial')))) await sleep(20);
      // Act
      const second = await runCli([...generateMany, '--seed', '2', '--out', dir]);
      const firstCode = await firstExit;
      // Assert
      expect(second.code).toBe(2);
      expect(firstCode).toBe(0);
      const patients = JSON.parse(await readFile(join(dir, 'patients.json'), 'utf8')) as unknown[];
      expect(patients).toHaveLength(40000);
      expect(await readdir(dir)).toEqual(['patients.json']);
    });
  }, 60_000);
});
