import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../lib/data/index.js';
import { DEFAULT_SCENARIO } from '../../../lib/generation/index.js';
import { runCli, withTempDir } from './support.js';

describe('milmed presets', () => {
  it('lists the 8 presets with id, name, category, difficulty, patients, days and warfare types', async () => {
    // Act
    const run = await runCli(['presets']);
    // Assert
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+Name\s+Category\s+Difficulty\s+Patients\s+Days\s+Warfare types$/);
    expect(lines.slice(2)).toHaveLength(8);
    expect(PRESETS).toHaveLength(8);
    for (const p of PRESETS)
      expect(run.stdout).toMatch(new RegExp(`^${p.id}\\s+${p.name}\\s+${p.category}\\s`, 'm'));
  });

  it('prints the presets as JSON with --json', async () => {
    // Act
    const run = await runCli(['presets', '--json']);
    // Assert
    const list = JSON.parse(run.stdout) as { id: string; total_patients: number }[];
    expect(list.map((p) => p.id)).toEqual(PRESETS.map((p) => p.id));
  });
});

describe('milmed validate', () => {
  it('prints OK and a short summary for a valid scenario file', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await writeFile(join(dir, 'ok.json'), JSON.stringify(DEFAULT_SCENARIO));
      // Act
      const run = await runCli(['validate', 'ok.json'], dir);
      // Assert
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^OK: ok.json\n/);
      expect(run.stdout).toContain('1,440 over 8 days from 2025-06-01');
      expect(run.stdout).toContain('Poland Front 60.0% [POL LTU NLD ESP]');
    });
  });

  it('prints one "path: message" line per problem and exits 2 for an invalid scenario', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      const bad = {
        ...DEFAULT_SCENARIO,
        total_patients: -10,
        days_of_fighting: 0,
        front_configs: [{ ...DEFAULT_SCENARIO.front_configs[0], casualty_rate: -1 }],
      };
      await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));
      // Act
      const run = await runCli(['validate', 'bad.json'], dir);
      // Assert
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        'total_patients: must be at least 1',
        expect.stringMatching(/^front_configs\[0\]\.casualty_rate: /),
        'days_of_fighting: must be at least 1',
      ]);
    });
  });

  it('needs exactly one file', async () => {
    // Act
    const none = await runCli(['validate']);
    // Assert
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('validate needs a FILE: milmed validate scenario.json\n');
  });
});

describe('milmed help', () => {
  it('prints usage for no arguments, help, --help, help --help and help COMMAND', async () => {
    // Act
    const runs = await Promise.all([
      runCli([]),
      runCli(['help']),
      runCli(['--help']),
      runCli(['generate', '--help']),
      runCli(['help', '--help']),
      runCli(['help', '-h']),
    ]);
    // Assert
    for (const run of runs) expect(run.code).toBe(0);
    expect(runs[0].stdout).toContain('milmed generate (--preset ID | --scenario FILE)');
    expect(runs[1].stdout).toBe(runs[0].stdout);
    expect(runs[3].stdout).toMatch(/^Usage: milmed generate/);
    expect(runs[4].stdout).toBe(runs[0].stdout);
    expect(runs[5].stdout).toBe(runs[0].stdout);
  });

  it('reads --help COMMAND as help COMMAND and refuses what follows --help or --version otherwise with exit 2 (fix 0205)', async () => {
    // Act
    const [helpGenerate, helpUnknown, helpTwo, versionExtra] = await Promise.all([
      runCli(['--help', 'generate']),
      runCli(['-h', 'extra']),
      runCli(['--help', 'generate', 'presets']),
      runCli(['--version', 'extra']),
    ]);
    // Assert
    expect(helpGenerate.code).toBe(0);
    expect(helpGenerate.stdout).toMatch(/^Usage: milmed generate/);
    expect([helpUnknown.code, helpUnknown.stdout]).toEqual([2, '']);
    expect(helpUnknown.stderr).toBe(
      'unknown command "extra"; valid commands: generate, presets, validate, decrypt, keys, help\n',
    );
    expect([helpTwo.code, helpTwo.stderr]).toEqual([
      2,
      'help takes at most one command, got: generate presets\n',
    ]);
    expect([versionExtra.code, versionExtra.stdout]).toEqual([2, '']);
    expect(versionExtra.stderr).toBe('--version takes no argument, got: extra\n');
  });

  it('runs as a script and sets the exit code', () => {
    // Act
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'presets'], {
      encoding: 'utf8',
    });
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'nope'], {
      encoding: 'utf8',
    });
    // Assert
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('nato_article_5');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'unknown command "nope"; valid commands: generate, presets, validate, decrypt, keys, help\n',
    );
  });
});
