/** lib/core/make-directory.ts: `mkdir -p` that refuses what cannot be made instead of looping. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../../lib/core/make-directory.js';

const scratch = mkdtempSync(join(tmpdir(), 'make-directory-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The error code thrown by `makeDirectory(path)`, or undefined when it made the directory. */
function codeOf(path: string): string | undefined {
  try {
    makeDirectory(path);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('makeDirectory', () => {
  it('makes a directory and every missing parent, and accepts one that exists', () => {
    // Prepare
    const deep = join(scratch, 'a', 'b', 'c');
    // Act
    makeDirectory(deep);
    makeDirectory(deep);
    // Assert
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('refuses a file of that name with EEXIST and a path under a file with ENOTDIR', () => {
    // Prepare
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'x');
    // Act / Assert
    expect(codeOf(file)).toBe('EEXIST');
    expect(codeOf(join(file, 'sub', 'dir'))).toBe('ENOTDIR');
  });

  it.runIf(existsSync('/proc/self'))(
    'refuses a directory that cannot be made in /proc at once, where Node`s recursive mkdir never returns (fix 0202)',
    () => {
      // Prepare: a child process, so that a loop fails the test by its timeout instead of hanging it.
      const script = `import { makeDirectory } from './lib/core/make-directory.js';
        try { makeDirectory('/proc/no-such-dir/sub'); console.log('made'); } catch (e) { console.log(e.code); }`;
      // Act
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      // Assert
      expect(run.signal, 'still running after 20 s').toBeNull();
      expect(run.stdout.trim()).toBe('ENOENT');
    },
  );
});
