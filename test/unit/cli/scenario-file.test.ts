import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { MAX_SCENARIO_FILE_BYTES } from '../../../lib/cli/scenario-source.js';
import { MAX_REQUEST_BODY_BYTES } from '../../../lib/core/index.js';
import { DEFAULT_SCENARIO } from '../../../lib/generation/index.js';
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
  it('reports a multi-line text file that is not JSON on one line, with where the parser stopped', async () => {
    await withTempDir(async (dir) => {
      // Prepare: YAML given for JSON
      await writeFile(join(dir, 'scenario.yaml'), 'name: x\ntotal_patients: 5\n');
      // Act
      const line = expectOneLine(await runCli(['validate', 'scenario.yaml'], dir));
      // Assert: where the parser stopped (fix 0208), not V8's quote of the text's first lines
      expect(line).toBe('scenario.yaml: not valid JSON: unexpected "name" at line 1, column 1');
    });
  });

  it('never copies a file’s terminal escapes or NUL bytes to stderr', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a binary file whose first bytes would move the cursor and clear the screen
      await writeFile(join(dir, 'bin.json'), Buffer.from('\u001b[2J\u001b[H\u0000\u0007zz', 'utf8'));
      // Act
      const line = expectOneLine(await runCli(['generate', '--scenario', 'bin.json'], dir));
      // Assert
      expect(line).toBe('--scenario "bin.json": not valid JSON: unexpected "\\u001b" at line 1, column 1');
    });
  });
});

describe('milmed scenario files that are too large', () => {
  it('takes the same size of scenario as the API takes in a request body', () => {
    // Assert: the CLI restates the constant (not importing the HTTP stack); this keeps them equal.
    expect(MAX_SCENARIO_FILE_BYTES).toBe(MAX_REQUEST_BODY_BYTES);
  });

  it('refuses a scenario file over 1 MiB by its size, in one line naming the limit', async () => {
    await withTempDir(async (dir) => {
      // Prepare: valid JSON padded with spaces to 1 MiB and one byte
      const json = JSON.stringify({ ...DEFAULT_SCENARIO, total_patients: 5 });
      await writeFile(join(dir, 'big.json'), json + ' '.repeat(1024 * 1024 + 1 - json.length));
      // Act
      const line = expectOneLine(await runCli(['generate', '--scenario', 'big.json', '--out', 'o'], dir));
      // Assert
      expect(line).toBe(
        '--scenario "big.json": too large: more than 1,048,576 bytes (1 MiB), the most a scenario file may have',
      );
    });
  });

  it('still reads a valid scenario file of exactly 1 MiB', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const json = JSON.stringify({ ...DEFAULT_SCENARIO, name: 'padded', total_patients: 5 });
      await writeFile(join(dir, 'full.json'), json + ' '.repeat(1024 * 1024 - json.length));
      // Act
      const run = await runCli(['validate', 'full.json'], dir);
      // Assert
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^OK: full\.json\n {2}name: {8}padded\n/);
    });
  });

  it('stops reading an endless source such as /dev/zero at the limit instead of filling memory', async () => {
    // Act
    const line = expectOneLine(await runCli(['validate', '/dev/zero']));
    // Assert
    expect(line).toBe(
      '/dev/zero: too large: more than 1,048,576 bytes (1 MiB), the most a scenario file may have',
    );
  });

  it('reads a scenario from a pipe (FIFO) that ends within the limit', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a named pipe whose writer sends a valid scenario and closes
      const fifo = join(dir, 'scenario.fifo');
      execFileSync('mkfifo', [fifo]);
      const writer = createWriteStream(fifo);
      writer.end(JSON.stringify({ ...DEFAULT_SCENARIO, name: 'piped', total_patients: 5 }));
      // Act
      const run = await runCli(['validate', 'scenario.fifo'], dir);
      // Assert
      await finished(writer);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^OK: scenario\.fifo\n {2}name: {8}piped\n/);
    });
  });
});

describe("milmed scenario files saved from a job's scenario", () => {
  it('reads a saved GET /jobs/{id}/scenario answer as its scenario and seed: the same bytes as the scenario file', async () => {
    await withTempDir(async (dir) => {
      // Prepare: one scenario with its seed, as a scenario file and as the API's answer for a job
      const scenario = { ...DEFAULT_SCENARIO, total_patients: 25, seed: 'job-seed-9' };
      const answer = {
        job_id: '9c1f3a52-4f7e-4d51-9d7b-5a3c2e1f0b6d',
        seed: 'job-seed-9',
        configuration_id: 'nato_article_5',
        configuration_version: null,
        scenario,
      };
      await writeFile(join(dir, 'scenario.json'), JSON.stringify(scenario));
      await writeFile(join(dir, 'job-scenario.json'), JSON.stringify(answer));

      // Act
      const plain = await runCli(
        ['generate', '--scenario', 'scenario.json', '--format', 'json', '--out', 'a'],
        dir,
      );
      const saved = await runCli(
        ['generate', '--scenario', 'job-scenario.json', '--format', 'json', '--out', 'b'],
        dir,
      );
      const validated = await runCli(['validate', 'job-scenario.json'], dir);

      // Assert
      expect(plain.code, plain.stderr).toBe(0);
      expect(saved.code, saved.stderr).toBe(0);
      const [a, b] = await Promise.all([
        readFile(join(dir, 'a', 'patients.json')),
        readFile(join(dir, 'b', 'patients.json')),
      ]);
      expect(JSON.parse(a.toString('utf8'))).toHaveLength(25);
      expect(b.equals(a)).toBe(true);
      expect(validated.code, validated.stderr).toBe(0);
      expect(validated.stdout).toContain('OK: job-scenario.json');
    });
  });

  it('refuses a saved GET /jobs/{id} answer in one line that names the scenario route to save instead', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a job as GET /api/v1/jobs/{id} answers it (it names its configuration, it does not hold it)
      const job = {
        job_id: '9c1f3a52-4f7e-4d51-9d7b-5a3c2e1f0b6d',
        status: 'completed',
        config: { configuration_id: 'nato_article_5', configuration: null, total_patients: 40 },
        output_files: [],
      };
      await writeFile(join(dir, 'job.json'), JSON.stringify(job));

      // Act
      const generated = expectOneLine(
        await runCli(['generate', '--scenario', 'job.json', '--format', 'json', '--out', 'o'], dir),
      );
      const validated = expectOneLine(await runCli(['validate', 'job.json'], dir));

      // Assert: one line, not five about missing scenario fields
      const route = `/api/v1/jobs/${job.job_id}`;
      expect(generated).toBe(
        `--scenario "job.json": a job (the answer of GET ${route}), not a scenario: save the answer of GET ${route}/scenario and give that file`,
      );
      expect(validated).toBe(
        `job.json: a job (the answer of GET ${route}), not a scenario: save the answer of GET ${route}/scenario and give that file`,
      );
    });
  });
});
