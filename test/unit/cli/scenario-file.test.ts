import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, withTempDir } from './support.js';

/** Exit 2, nothing on stdout, and exactly one stderr line free of control characters. */
function expectOneLine(run: { code: number; stdout: string; stderr: string }): string {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  const line = run.stderr.slice(0, -1);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is checked
  expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  return line;
}

describe('milmed scenario files that are not JSON', () => {
  it('reports a multi-line text file that is not JSON on one line, its line breaks escaped', async () => {
    await withTempDir(async (dir) => {
      // Prepare: YAML given for JSON; V8's message quotes the start of the text, line breaks and all
      await writeFile(join(dir, 'scenario.yaml'), 'name: x\ntotal_patients: 5\n');
      // Act
      const line = expectOneLine(await runCli(['validate', 'scenario.yaml'], dir));
      // Assert
      expect(line).toMatch(/^scenario\.yaml: not valid JSON: Unexpected token .*"name: x\\ntot/);
    });
  });

  it('never copies a file’s terminal escapes or NUL bytes to stderr', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a binary file whose first bytes would move the cursor and clear the screen
      await writeFile(join(dir, 'bin.json'), Buffer.from('\u001b[2J\u001b[H\u0000\u0007zz', 'utf8'));
      // Act
      const line = expectOneLine(await runCli(['generate', '--scenario', 'bin.json'], dir));
      // Assert
      expect(line).toMatch(/^--scenario "bin\.json": not valid JSON: .*\\u001b\[2J/);
    });
  });
});
