/**
 * The bin when its standard output cannot be written: redirected to a full disk (Linux's /dev/full
 * answers every write with ENOSPC).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from './support.js';

const BIN = 'bin/milmed.js';

/** Runs the bin with its standard output on /dev/full; exit code and stderr. */
function intoFullDisk(...args: string[]): { status: number | null; stderr: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const run = spawnSync(process.execPath, [BIN, ...args], {
      stdio: ['ignore', full, 'pipe'],
      encoding: 'utf8',
    });
    return { status: run.status, stderr: run.stderr };
  } finally {
    closeSync(full);
  }
}

describe('milmed with a standard output that cannot be written', () => {
  it('says in one line that presets could not be written to a full disk, exit 1, no stack trace', () => {
    // Act
    const run = intoFullDisk('presets');
    // Assert
    expect(run.stderr).toBe('error: cannot write to standard output: no space left on the device\n');
    expect(run.status).toBe(1);
  });

  it('keeps the files of a generate whose summary could not be written, and exits 1 in one line', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = intoFullDisk(
        'generate',
        '--preset',
        'training_exercise',
        '--count',
        '5',
        '--seed',
        '1',
        '--out',
        join(dir, 'out'),
      );
      // Assert
      expect(run.stderr).toBe('error: cannot write to standard output: no space left on the device\n');
      expect(run.status).toBe(1);
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(['patients.csv', 'patients.json']);
    });
  });
});
