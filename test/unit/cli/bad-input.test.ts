import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../../../lib/generation/index.js';
import { runCli, withTempDir } from './support.js';

/** Exit 2, nothing on stdout, and every stderr line free of stack frames. */
function expectUsageError(run: { code: number; stdout: string; stderr: string }): string[] {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  for (const line of lines) expect(line).not.toMatch(/^\s+at |Error:/);
  return lines;
}

describe('milmed bad input', () => {
  it('rejects an unknown preset and lists the valid ids', async () => {
    // Act
    const lines = expectUsageError(await runCli(['generate', '--preset', 'nope']));
    // Assert
    expect(lines).toEqual([
      expect.stringMatching(
        /^--preset: unknown preset "nope"; valid presets: nato_article_5, .*maritime_operation$/,
      ),
    ]);
  });

  it.each([
    ['0', '"0"'],
    ['abc', '"abc"'],
    ['-5', '"-5"'],
    ['1.5', '"1.5"'],
    ['10000001', '"10000001"'],
  ])('rejects --count %s naming --count', async (count, shown) => {
    // Act
    const lines = expectUsageError(
      await runCli(['generate', '--preset', 'training_exercise', `--count=${count}`]),
    );
    // Assert
    expect(lines).toEqual([`--count: must be a whole number from 1 to 10000000, got ${shown}`]);
  });

  it('rejects an unknown format and lists the valid ones', async () => {
    // Act
    const lines = expectUsageError(
      await runCli(['generate', '--preset', 'training_exercise', '--format', 'json,xlsx']),
    );
    // Assert
    expect(lines).toEqual([
      expect.stringMatching(/^--format: unknown format "xlsx"; valid formats: json, ndjson, csv\b/),
    ]);
  });

  it('reports every problem of the command line at once, one per line', async () => {
    // Act
    const lines = expectUsageError(
      await runCli(['generate', '--preset', 'nope', '--count', 'abc', '--format', 'pdf']),
    );
    // Assert
    expect(lines.map((l) => l.split(':')[0])).toEqual(['--count', '--format', '--preset']);
  });

  it('names total_patients when a scenario file sets it to -10', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...DEFAULT_SCENARIO, total_patients: -10 }));
      // Act
      const lines = expectUsageError(await runCli(['generate', '--scenario', 'bad.json', '--out', dir], dir));
      // Assert
      expect(lines).toEqual(['total_patients: must be at least 1']);
    });
  });

  it('reports a malformed JSON scenario file with its line and column', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await writeFile(join(dir, 'broken.json'), '{\n  "name": "x",\n}\n');
      // Act
      const lines = expectUsageError(await runCli(['generate', '--scenario', 'broken.json'], dir));
      // Assert
      expect(lines).toEqual([
        expect.stringMatching(/^--scenario "broken.json": not valid JSON: .* at line 3, column 1$/),
      ]);
    });
  });

  it('reports the line and column of an unexpected token too, which JSON.parse gives no position for (fix 0208)', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a long file whose line 52 holds `tru` for true; a second file that is not JSON at all.
      const lines = Array.from({ length: 50 }, (_, i) => `  "k${i}": ${i},`);
      await writeFile(join(dir, 'typo.json'), `{\n${lines.join('\n')}\n  "b": tru\n}\n`);
      await writeFile(join(dir, 'notes.txt'), 'root:x:0:0\n');
      // Act
      const typo = expectUsageError(await runCli(['validate', 'typo.json'], dir));
      const notes = expectUsageError(await runCli(['validate', 'notes.txt'], dir));
      // Assert: where the parser stopped, not a quote of the file.
      expect(typo).toEqual(['typo.json: not valid JSON: unexpected "tru" at line 52, column 8']);
      expect(notes).toEqual(['notes.txt: not valid JSON: unexpected "root" at line 1, column 1']);
    });
  });

  it('reports a missing scenario file', async () => {
    await withTempDir(async (dir) => {
      // Act
      const lines = expectUsageError(await runCli(['generate', '--scenario', 'missing.json'], dir));
      // Assert
      expect(lines).toEqual(['--scenario "missing.json": cannot read file: no such file']);
    });
  });

  it('rejects --preset together with --scenario, and neither', async () => {
    // Act
    const both = expectUsageError(
      await runCli(['generate', '--preset', 'training_exercise', '--scenario', 'x.json']),
    );
    const neither = expectUsageError(await runCli(['generate']));
    // Assert
    expect(both).toEqual(['--preset and --scenario: give one, not both']);
    expect(neither).toEqual([expect.stringContaining('generate needs --preset ID or --scenario FILE')]);
  });

  it('rejects an unknown command and an unknown option, listing the valid ones', async () => {
    // Act
    const command = expectUsageError(await runCli(['generat']));
    const option = expectUsageError(
      await runCli(['generate', '--preset', 'training_exercise', '--cout', '5']),
    );
    // Assert
    expect(command).toEqual([
      'unknown command "generat"; valid commands: generate, presets, validate, decrypt, keys, help',
    ]);
    expect(option).toEqual([
      expect.stringMatching(/^unknown option "--cout" for "generate"; valid options: --preset, /),
    ]);
  });

  it('rejects an option without its value', async () => {
    // Act
    const lines = expectUsageError(await runCli(['generate', '--preset']));
    // Assert
    expect(lines).toEqual([expect.stringMatching(/^--preset: needs a value/)]);
  });

  it('writes no output directory when the input is bad', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli(
        ['generate', '--preset', 'training_exercise', '--count', '0', '--out', 'never'],
        dir,
      );
      // Assert
      expect(run.code).toBe(2);
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(dir, 'never'))).toBe(false);
    });
  });

  it('says "no format given" for an empty --format, not an unknown format ""', async () => {
    // Act
    const lines = expectUsageError(await runCli(['generate', '--preset', 'training_exercise', '--format=,']));
    // Assert
    expect(lines).toEqual(['--format: no format given; valid formats: json, ndjson, csv, fhir, xml']);
  });

  it('rejects an empty --out instead of writing into the working directory', async () => {
    await withTempDir(async (dir) => {
      // Act
      const lines = expectUsageError(
        await runCli(['generate', '--preset', 'training_exercise', '--count', '3', '--out='], dir),
      );
      // Assert
      expect(lines).toEqual(['--out: must not be empty (a directory; default ./out)']);
      const { readdir } = await import('node:fs/promises');
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('says in words why --out cannot be a directory: a file there, or a file on its path', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await writeFile(join(dir, 'taken'), 'not a directory');
      // Act
      const file = expectUsageError(
        await runCli(['generate', '--preset', 'training_exercise', '--count', '3', '--out', 'taken'], dir),
      );
      const below = expectUsageError(
        await runCli(
          ['generate', '--preset', 'training_exercise', '--count', '3', '--out', 'taken/sub'],
          dir,
        ),
      );
      // Assert
      expect(file).toEqual(['--out: cannot create directory "taken": a file of that name exists']);
      expect(below).toEqual([
        '--out: cannot create directory "taken/sub": a part of its path is a file, not a directory',
      ]);
    });
  });
});
