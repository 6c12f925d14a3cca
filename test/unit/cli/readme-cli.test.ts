/**
 * The README's "Command line" section against what the CLI does: statements an integrator relies on
 * and could not otherwise check without reading the code.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzip } from '../../support/zip.js';
import { runCli, withTempDir } from './support.js';

const README = new URL('../../../README.md', import.meta.url);

/** The README's "## Command line" section. */
async function commandLineSection(): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const start = readme.indexOf('\n## Command line\n');
  return readme.slice(start, readme.indexOf('\n## ', start + 1)).replace(/\s+/g, ' ');
}

describe("the README's command line section", () => {
  it('says what the clear manifest of an encrypted --zip withholds, as the CLI writes it', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const section = await commandLineSection();
      // Act
      const run = await runCli(
        [
          'generate',
          '--preset',
          'training_exercise',
          '--count',
          '3',
          '--seed',
          '1',
          '--encrypt',
          '--zip',
          '--out',
          dir,
        ],
        dir,
        { env: { ENCRYPTION_PASSWORD: 'correct horse battery' } },
      );
      // Assert
      expect(run.code, run.stderr).toBe(0);
      const entries = await unzip(await readFile(join(dir, 'patients.zip')));
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      expect([manifest.scenario, manifest.seed]).toEqual([null, null]);
      expect(section).not.toMatch(/with `--encrypt` it still reveals the scenario and the seed/);
      expect(section).toContain('`"scenario": null`, `"seed": null`');
    });
  });

  it('gives the exit code of a --cohort too rare to find (1) in the table and in --help', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const section = await commandLineSection();
      // Act
      const run = await runCli(
        [
          'generate',
          '--preset',
          'training_exercise',
          '--count',
          '50',
          '--seed',
          '1',
          '--cohort',
          '{"outcomes":["DOW"],"triage":["T3"]}',
          '--out',
          dir,
        ],
        dir,
      );
      const help = await runCli(['help']);
      // Assert
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: cohort: only \d+ of 50 patients matching/);
      expect(section).toMatch(/\| 1 \| [^|]*a `--cohort` too rare to find[^|]*\|/);
      expect(help.stdout).toMatch(/Exit codes: 0 success, 1 [^)]*cohort too rare to find/);
    });
  });
});
