import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENCRYPTION_MAGIC } from '../../../lib/output/index.js';
import { runCli, withTempDir } from './support.js';

describe('milmed options given twice', () => {
  it('refuses generate --out given twice with different directories, writing into neither', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli(
        ['generate', '--preset', 'training_exercise', '--count', '3', '--out', 'a', '--out', 'b'],
        dir,
      );
      // Assert
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe('--out: given twice with different values ("a", "b"); give it once\n');
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('names every option given twice with different values, each on its line', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli(
        ['generate', '--preset', 'training_exercise', '--seed', '1', '--count=3', '--seed=2', '--count', '4'],
        dir,
      );
      // Assert
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        '--seed: given twice with different values ("1", "2"); give it once',
        '--count: given twice with different values ("3", "4"); give it once',
      ]);
    });
  });

  it('refuses decrypt --in given twice with different files before asking for a password', async () => {
    await withTempDir(async (dir) => {
      // Prepare: two inputs that both start like encrypted files
      await writeFile(join(dir, 'one.enc'), Buffer.concat([ENCRYPTION_MAGIC, Buffer.alloc(64)]));
      await writeFile(join(dir, 'two.enc'), Buffer.concat([ENCRYPTION_MAGIC, Buffer.alloc(64)]));
      // Act
      const run = await runCli(['decrypt', '--in', 'one.enc', '--in', 'two.enc', '--out', 'plain'], dir);
      // Assert
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        '--in: given twice with different values ("one.enc", "two.enc"); give it once\n',
      );
    });
  });

  it('accepts the same value given twice, and repeated flags, as given once', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli(
        [
          'generate',
          '--preset',
          'training_exercise',
          '--count',
          '3',
          '--seed',
          '9',
          '--seed=9',
          '--compress',
          '--compress',
          '--format',
          'json',
          '--format',
          'csv',
          '--out',
          'o',
        ],
        dir,
      );
      // Assert
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((await readdir(join(dir, 'o'))).sort()).toEqual(['patients.csv.gz', 'patients.json.gz']);
    });
  });

  it('shortens a long repeated value in the message', async () => {
    // Prepare
    const long = `{"triage":["T1"],"outcomes":["DOW"],"nationalities":["USA","GBR","DEU","FRA","POL"]}`;
    // Act
    const run = await runCli([
      'generate',
      '--preset',
      'training_exercise',
      '--cohort',
      long,
      '--cohort',
      '{}',
    ]);
    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${String.raw`--cohort: given twice with different values ("{\"triage\":[\"T1\"],\"outcomes\":[\"DOW\"],\"nat…", "{}")`}; give it once\n`,
    );
  });
});
