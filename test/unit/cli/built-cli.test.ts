/**
 * The CLI as shipped: bin/milmed.js runs the JavaScript bundles in dist/cli (scripts/build-cli.mjs,
 * built by npm's prepare step) and rebuilds them when a source is newer.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = 'bin/milmed.js';
const INPUTS = 'dist/cli/inputs.json';
const milmed = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const builtAt = () => (JSON.parse(readFileSync(INPUTS, 'utf8')) as { builtAt: number }).builtAt;

describe('the milmed bin (built CLI)', () => {
  it('runs commands from dist/cli and sets the exit code', () => {
    // Act
    const ok = milmed('presets');
    const bad = milmed('nope');
    const version = milmed('--version');
    // Assert
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^nato_article_5\s+NATO Article 5 Defence\s/m);
    expect(statSync('dist/cli/milmed.mjs').isFile()).toBe(true);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'unknown command "nope"; valid commands: generate, presets, validate, decrypt, keys, help\n',
    );
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('says where a scenario file stops being JSON from the bundle too, its JSON parser bundled with it (fix 0208)', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'milmed-json-'));
    const file = join(dir, 'typo.json');
    writeFileSync(file, '{\n  "b": tru\n}\n');
    // Act
    const run = milmed('validate', file);
    rmSync(dir, { recursive: true, force: true });
    // Assert
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${file}: not valid JSON: unexpected "tru" at line 2, column 8\n`);
  });

  it("exits 2 with the command's one line when a command bundle rejects its input", () => {
    // Prepare: UsageError is thrown in generate-command.mjs and caught in milmed.mjs, two bundles
    // with their own copies of the class (lib/cli/io.ts brands it).
    // Act
    const generate = milmed('generate', '--preset', 'nope');
    const keys = spawnSync(process.execPath, [BIN, 'keys', 'show', 'nope'], {
      encoding: 'utf8',
      env: { ...process.env, MILMED_ADMIN_KEY: '' },
    });
    // Assert
    expect(generate.status).toBe(2);
    expect(generate.stderr).toMatch(/^--preset: unknown preset "nope"; valid presets: /);
    expect(keys.status).toBe(2);
    expect(keys.stderr.split('\n')[0]).toBe(
      'KEY_ID: must be 16 characters of a-z and 2-7 (the key id "milmed keys list" shows)',
    );
  });

  it('rebuilds dist/cli before running when a source is newer than the build', () => {
    // Prepare: a source saved after the build.
    expect(milmed('help').status).toBe(0);
    const before = builtAt();
    const now = new Date();
    utimesSync('lib/cli/text-table.ts', now, now);
    // Act
    const run = milmed('presets');
    // Assert
    expect(run.status, run.stderr).toBe(0);
    expect(builtAt()).toBeGreaterThan(before);
    const inputs = (JSON.parse(readFileSync(INPUTS, 'utf8')) as { inputs: string[] }).inputs;
    expect(inputs).toContain('lib/cli/text-table.ts');
  });

  it('keeps each command in its own bundle: presets loads no engine, generate no ZIP library, keys no AWS SDK but for bootstrap', () => {
    // Prepare
    expect(milmed('help').status).toBe(0);
    const read = (name: string) => readFileSync(`dist/cli/${name}.mjs`, 'utf8');
    // Assert: zod's and archiver's class names (esbuild keeps names) mark where they are bundled.
    expect(read('presets-command')).not.toMatch(/ZodError|ArchiverError/);
    expect(read('presets-command').length).toBeLessThan(32 * 1024);
    expect(read('generate-command')).toMatch(/ZodError/);
    expect(read('generate-command')).not.toMatch(/ArchiverError/);
    expect(read('zip-writer')).toMatch(/ArchiverError/);
    expect(read('keys-command')).not.toMatch(/DynamoDBClient/);
    expect(read('keys-bootstrap')).toMatch(/DynamoDBClient/);
  });

  it('exits 1 with one line, not a stack trace, when it cannot rebuild dist/cli', () => {
    // Prepare: the bin and its build script without a build and without esbuild (no node_modules),
    // as in a copy installed without its development dependencies.
    const root = mkdtempSync(join(tmpdir(), 'milmed-bin-'));
    try {
      for (const file of [BIN, 'scripts/build-cli.mjs', 'scripts/bundle-freshness.mjs']) {
        mkdirSync(join(root, file, '..'), { recursive: true });
        copyFileSync(file, join(root, file));
      }
      // Act
      const run = spawnSync(process.execPath, [join(root, BIN), 'presets'], { encoding: 'utf8' });
      // Assert
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^milmed: cannot build the CLI into dist\/cli \(Cannot find package 'esbuild'.*\); run "npm ci", then "npm run build", in .*\n$/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.runIf(existsSync('/proc/self'))(
    'refuses an --out or decrypt --out that cannot be made, such as one in /proc, with exit 2 at once instead of hanging (fix 0204)',
    () => {
      // Prepare: a run that hangs is stopped by spawnSync's timeout and fails here.
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [BIN, ...args], {
          encoding: 'utf8',
          timeout: 20_000,
          killSignal: 'SIGKILL',
          env: { ...process.env, MILMED_TEST_PASSWORD: 'a long enough password' },
        });
      // Act
      const generate = run(
        'generate',
        '--preset',
        'training_exercise',
        '--count',
        '3',
        '--out',
        '/proc/no-such-dir',
      );
      const decrypt = run(
        'decrypt',
        '--in',
        'test/fixtures/encryption/v1-patients.ndjson.enc',
        '--out',
        '/proc/no-such-dir/patients.ndjson',
        '--password-env',
        'MILMED_TEST_PASSWORD',
      );
      // Assert
      expect([generate.signal, generate.status]).toEqual([null, 2]);
      expect(generate.stderr).toBe('--out: cannot create directory "/proc/no-such-dir": no such file\n');
      expect([decrypt.signal, decrypt.status]).toEqual([null, 2]);
      expect(decrypt.stderr).toBe(
        'decrypt: cannot create the directory of --out "/proc/no-such-dir/patients.ndjson": no such file\n',
      );
    },
  );
});
