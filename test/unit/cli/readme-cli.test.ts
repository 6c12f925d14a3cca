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
});
