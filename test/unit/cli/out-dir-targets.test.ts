import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, withTempDir } from './support.js';

describe('milmed generate into an --out holding a directory of an output file name', () => {
  it('refuses up front with exit 2 when patients.csv is a directory, leaving no patients.json behind', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await mkdir(join(dir, 'out', 'patients.csv'), { recursive: true });
      // Act
      const run = await runCli(
        ['generate', '--preset', 'training_exercise', '--count', '50', '--out', 'out'],
        dir,
      );
      // Assert: one line before any seed or progress line; nothing written
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        '--out: "out/patients.csv" is a directory where this run writes a file; remove or rename it, or choose another --out\n',
      );
      expect(await readdir(join(dir, 'out'))).toEqual(['patients.csv']);
    });
  });

  it('names the ZIP with --zip and the compressed, encrypted names with --compress --encrypt', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await mkdir(join(dir, 'z', 'patients.zip'), { recursive: true });
      await mkdir(join(dir, 'e', 'patients.json.gz.enc'), { recursive: true });
      // Act
      const zipped = await runCli(
        ['generate', '--preset', 'training_exercise', '--count', '5', '--seed', '1', '--zip', '--out', 'z'],
        dir,
      );
      const encrypted = await runCli(
        [
          'generate',
          '--preset',
          'training_exercise',
          '--count',
          '5',
          '--seed',
          '1',
          '--format',
          'json',
          '--compress',
          '--encrypt',
          '--out',
          'e',
        ],
        dir,
        { env: { ENCRYPTION_PASSWORD: 'a long enough password' } },
      );
      // Assert
      expect([zipped.code, encrypted.code]).toEqual([2, 2]);
      expect(zipped.stderr).toMatch(
        /^--out: "z\/patients\.zip" is a directory where this run writes a file;/,
      );
      expect(encrypted.stderr).toMatch(/^--out: "e\/patients\.json\.gz\.enc" is a directory where/);
      expect(await readdir(join(dir, 'z'))).toEqual(['patients.zip']);
      expect(await readdir(join(dir, 'e'))).toEqual(['patients.json.gz.enc']);
    });
  });

  it('still writes when a directory has a name that is not one of the run’s files', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a CSV directory of another run kept beside a JSON-only run
      await mkdir(join(dir, 'out', 'patients.csv'), { recursive: true });
      // Act
      const run = await runCli(
        [
          'generate',
          '--preset',
          'training_exercise',
          '--count',
          '5',
          '--seed',
          '1',
          '--format',
          'json',
          '--out',
          'out',
        ],
        dir,
      );
      // Assert
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['patients.csv', 'patients.json']);
    });
  });

  it('writes a ZIP beside a directory named like a loose file, which --zip alone does not keep', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await mkdir(join(dir, 'out', 'patients.json'), { recursive: true });
      // Act
      const run = await runCli(
        ['generate', '--preset', 'training_exercise', '--count', '5', '--seed', '1', '--zip', '--out', 'out'],
        dir,
      );
      // Assert
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['patients.json', 'patients.zip']);
    });
  });
});
