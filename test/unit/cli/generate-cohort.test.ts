import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../../../lib/generation/index.js';
import { runCli, withTempDir } from './support.js';

const base = ['generate', '--preset', 'training_exercise', '--format', 'json', '--seed', '5'];

describe('milmed generate --cohort', () => {
  it('writes exactly --count patients that all match the cohort', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([
        ...base,
        '--count',
        '40',
        '--cohort',
        '{"injury_types":["BATTLE_TRAUMA"],"triage":["T1"]}',
        '--out',
        dir,
      ]);
      // Assert
      expect(run.code, run.stderr).toBe(0);
      const json = JSON.parse(await readFile(join(dir, 'patients.json'), 'utf8')) as {
        injury_type: string;
        triage_category: string;
      }[];
      expect(json).toHaveLength(40);
      expect(json.every((r) => r.injury_type === 'BATTLE_TRAUMA' && r.triage_category === 'T1')).toBe(true);
    });
  });

  it('exits 2 naming the criterion when the cohort is impossible for the scenario', async () => {
    await withTempDir(async (dir) => {
      // Act: the preset sets no facility capacity, so nobody is ever expectant.
      const run = await runCli([...base, '--count', '5', '--cohort', '{"triage":["T4"]}', '--out', dir]);
      // Assert
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/cohort\.triage\[0\]: T4 \(expectant\) needs a facility with a capacity/);
    });
  });

  it('exits 2 on a --cohort that is not a JSON object, naming the option', async () => {
    await withTempDir(async (dir) => {
      // Act
      const notJson = await runCli([...base, '--cohort', '{triage', '--out', dir]);
      const notObject = await runCli([...base, '--cohort', '["T1"]', '--out', dir]);
      // Assert
      expect([notJson.code, notObject.code]).toEqual([2, 2]);
      expect(notJson.stderr).toMatch(/--cohort: not valid JSON/);
      expect(notObject.stderr).toMatch(/--cohort: must be a JSON object of criteria/);
    });
  });

  it('exits 1 with one line naming the criterion and the count when the cohort is too rare, writing nothing', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a nation with a vanishing share: a patient or so among every candidate.
      const scenario = {
        ...DEFAULT_SCENARIO,
        front_configs: DEFAULT_SCENARIO.front_configs.map((f) => ({
          ...f,
          nationality_distribution: [
            ...f.nationality_distribution,
            { nationality_code: 'DEU', percentage: 1e-9 },
          ],
        })),
      };
      await writeFile(join(dir, 'scenario.json'), JSON.stringify(scenario));
      // Act
      const run = await runCli(
        [
          'generate',
          '--scenario',
          'scenario.json',
          '--count',
          '10',
          '--cohort',
          '{"nationalities":["DEU"]}',
          '--seed',
          '5',
          '--format',
          'json',
          '--out',
          'out',
        ],
        dir,
      );
      // Assert
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        /only \d of 10 patients matching among 100000 candidates .*cohort\.nationalities/,
      );
      expect(await readdir(join(dir, 'out'))).toEqual([]);
    });
  });

  it('says it is searching before a large cohort search, so its silence is not taken for a hang', async () => {
    await withTempDir(async (dir) => {
      // Act: 10,000 patients in a log (not a terminal): the size that gets progress lines.
      const large = await runCli([
        ...base,
        '--count',
        '10000',
        '--cohort',
        '{"triage":["T1"]}',
        '--out',
        dir,
      ]);
      const small = await runCli([...base, '--count', '40', '--cohort', '{"triage":["T1"]}', '--out', dir]);
      // Assert
      expect(large.code, large.stderr).toBe(0);
      expect(large.stderr.split('\n')[0]).toBe(
        'cohort: finding 10,000 matching patients among up to 2,000,000 candidates (no progress until found)',
      );
      expect(large.stderr.split('\n')[1]).toMatch(/^progress: 25% /);
      expect(small.stderr).toBe('');
    });
  });
});
