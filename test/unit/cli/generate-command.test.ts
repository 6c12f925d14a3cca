import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PatientRecordSchema } from '../../../lib/generation/index.js';
import { parseCsv, sha256 } from '../output/support.js';
import { runCli, withTempDir } from './support.js';

const base = ['generate', '--preset', 'training_exercise'];

describe('milmed generate', () => {
  it('writes one file per format with exactly --count patients each', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([
        ...base,
        '--count',
        '150',
        '--seed',
        '7',
        '--format',
        'json,ndjson,csv',
        '--out',
        dir,
      ]);
      // Assert
      expect(run.code).toBe(0);
      expect((await readdir(dir)).sort()).toEqual(['patients.csv', 'patients.json', 'patients.ndjson']);
      const json = JSON.parse(await readFile(join(dir, 'patients.json'), 'utf8')) as unknown[];
      expect(json).toHaveLength(150);
      expect(json.every((r) => PatientRecordSchema.safeParse(r).success)).toBe(true);
      const ndjson = await readFile(join(dir, 'patients.ndjson'), 'utf8');
      expect(ndjson.trimEnd().split('\n')).toHaveLength(150);
      const csv = parseCsv(await readFile(join(dir, 'patients.csv'), 'utf8'));
      expect(csv).toHaveLength(151);
    });
  });

  it('prints a summary with outcome, triage, injury, nation and front tables, speed and files', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([...base, '--count', '120', '--seed', '7', '--out', dir]);
      // Assert
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Generated 120 patients in [\d.]+ s \([\d,]+ patients\/s\)/);
      for (const title of [
        'Final status',
        'Status',
        'Triage',
        'Injury type',
        'Nationality',
        'Front',
        'File',
      ]) {
        expect(run.stdout).toMatch(new RegExp(`^${title}\\s`, 'm'));
      }
      expect(run.stdout).toMatch(/^DOW\s+\d+\s+[\d.]+%$/m);
      expect(run.stdout).toContain('patients.json');
      expect(run.stdout).toContain('patients.csv');
      expect(run.stdout).not.toContain('patients.ndjson');
    });
  });

  it('gives the same bytes for the same --seed and different bytes for another seed', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const hashes = async (out: string) =>
        Promise.all(['patients.json', 'patients.csv'].map(async (f) => sha256(await readFile(join(out, f)))));
      // Act
      await runCli([...base, '--count', '80', '--seed', 'exercise-7', '--out', join(dir, 'a')]);
      await runCli([...base, '--count', '80', '--seed', 'exercise-7', '--out', join(dir, 'b')]);
      await runCli([...base, '--count', '80', '--seed', 'exercise-8', '--out', join(dir, 'c')]);
      // Assert
      expect(await hashes(join(dir, 'b'))).toEqual(await hashes(join(dir, 'a')));
      expect((await hashes(join(dir, 'c')))[0]).not.toBe((await hashes(join(dir, 'a')))[0]);
    });
  });

  it('picks, prints and honours a random seed when --seed is missing', async () => {
    await withTempDir(async (dir) => {
      // Act
      const first = await runCli([...base, '--count', '40', '--format', 'ndjson', '--out', join(dir, 'a')]);
      const seed = /rerun with --seed (\d+)/.exec(first.stderr)?.[1];
      await runCli([
        ...base,
        '--count',
        '40',
        '--format',
        'ndjson',
        '--seed',
        String(seed),
        '--out',
        join(dir, 'b'),
      ]);
      // Assert
      expect(first.code).toBe(0);
      expect(seed).toMatch(/^\d+$/);
      expect(first.stdout).toContain(`seed:     ${seed} (random; reproduce with --seed ${seed})`);
      const read = (d: string) => readFile(join(dir, d, 'patients.ndjson'));
      expect((await read('b')).equals(await read('a'))).toBe(true);
    });
  });

  it('reads a scenario file and lets --count override its total_patients', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const { DEFAULT_SCENARIO } = await import('../../../lib/generation/index.js');
      await writeFile(join(dir, 'scenario.json'), JSON.stringify({ ...DEFAULT_SCENARIO, seed: 99 }));
      // Act
      const run = await runCli(
        ['generate', '--scenario', 'scenario.json', '--count', '60', '--format', 'ndjson'],
        dir,
      );
      // Assert
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('seed:     99\n');
      const lines = (await readFile(join(dir, 'out', 'patients.ndjson'), 'utf8')).trimEnd().split('\n');
      expect(lines).toHaveLength(60);
    });
  });

  it('drops empty items of --format, so a trailing comma or ", ," still names the formats', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([
        ...base,
        '--count',
        '5',
        '--seed',
        '1',
        '--format',
        'ndjson,,csv,',
        '--out',
        dir,
      ]);
      // Assert
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect((await readdir(dir)).sort()).toEqual(['patients.csv', 'patients.ndjson']);
    });
  });

  it('prints a few plain progress lines, not a bar, when stderr is not a terminal and N >= 10,000', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([...base, '--count', '10000', '--seed', '1', '--format', 'csv', '--out', dir]);
      // Assert
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines.map((l) => /^progress: (\d+)%/.exec(l)?.[1])).toEqual(['25', '50', '75', '100']);
      expect(run.stderr).not.toContain('\u001b');
      expect(run.stderr).not.toContain('\r');
    });
  });

  it('prints no progress for a small run when stderr is not a terminal', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([...base, '--count', '50', '--seed', '1', '--out', dir]);
      // Assert
      expect(run.stderr).toBe('');
    });
  });

  it('exits 1 with one line and leaves no partial file when an output cannot be written', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a directory where the CSV's temporary file must go.
      await mkdir(join(dir, 'patients.csv.partial'));
      // Act
      const run = await runCli([
        ...base,
        '--count',
        '50',
        '--seed',
        '1',
        '--format',
        'json,csv',
        '--out',
        dir,
      ]);
      // Assert
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^error: cannot write the output files in ".*": EISDIR/);
      expect((await readdir(dir)).sort()).toEqual(['patients.csv.partial']);
    });
  });
});
