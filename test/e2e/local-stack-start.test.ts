/**
 * `npm start` (infra/local/start.ts) on bad options, a busy port and a data directory another stack
 * uses, as a user meets them: one line that names the option, the port or the directory and what to
 * do, exit 2 for bad options and 1 for a port or data directory in use, before any emulator or worker
 * starts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function npmStart(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    // A stack that started after all would run until stopped: fail the test instead of hanging it.
    // SIGKILL after that: a process stuck in a synchronous loop never runs its SIGTERM handler.
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
    const killer = setTimeout(() => child.kill('SIGKILL'), 35_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start: bad options and a busy port', () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'milmed-start-'));
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });

  it.each([
    [['--bogus'], /^Unknown option '--bogus'.*; valid options: --port, --data-dir, --workers, --help\n$/],
    [['--workers', '0'], /^--workers must be a whole number from 1 to 64, got "0"\n$/],
    [['--port', 'x'], /^--port must be a port number \(0-65535\), got "x"\n$/],
  ])('refuses %j with exit 2 and one line naming the option', async (args, message) => {
    // Act
    const run = await npmStart(args);
    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('refuses a LOG_LEVEL that is not a level with exit 2 and the valid ones, before starting anything', async () => {
    // Act
    const started = Date.now();
    const run = await npmStart(['--port', '0'], { LOG_LEVEL: 'verbose' });
    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, got "verbose"\n',
    );
    expect(run.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a --data-dir that is a file, or under one, with exit 2 and why in words', async () => {
    // Prepare
    const file = join(dir, 'a-file');
    // Act
    const onFile = await npmStart(['--port', '0', '--data-dir', file]);
    const underFile = await npmStart(['--port', '0', '--data-dir', join(file, 'data')]);
    // Assert
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toBe(
      `--data-dir "${file}": cannot use it as a directory: a file of that name exists\n`,
    );
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toBe(
      `--data-dir "${join(file, 'data')}": cannot use it as a directory: a part of its path is a file, not a directory\n`,
    );
  });

  it.runIf(existsSync('/proc/self'))(
    'refuses a --data-dir that cannot be made, such as one in /proc, with exit 2 at once instead of hanging (fix 0202)',
    async () => {
      // Prepare
      const started = Date.now();
      // Act
      const run = await npmStart(['--port', '0', '--data-dir', '/proc/no-such-dir']);
      // Assert
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('--data-dir "/proc/no-such-dir": cannot use it as a directory: no such file\n');
      expect(Date.now() - started).toBeLessThan(15_000);
    },
  );

  it('refuses a --data-dir another npm start is using with exit 1 and a line that says so, before starting anything', async () => {
    // Prepare: a stack serving from the data directory.
    const dataDir = join(dir, 'shared-data');
    const first = spawn(
      process.execPath,
      ['--import', 'tsx', 'infra/local/start.ts', '--port', '0', '--workers', '1', '--data-dir', dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } },
    );
    const firstExit = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    let firstOutput = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the first stack did not start:\n${firstOutput}`)),
        120_000,
      );
      first.stdout.setEncoding('utf8').on('data', (text: string) => {
        firstOutput += text;
        if (firstOutput.includes('Ctrl+C stops everything')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });

    try {
      // Act
      const started = Date.now();
      const run = await npmStart(['--port', '0', '--data-dir', dataDir]);

      // Assert
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `--data-dir "${dataDir}" is in use by another npm start: stop that one, or choose another --data-dir (the lock of a stack that was killed is taken over after 10 s)\n`,
      );
      expect(run.stdout).toBe('');
      expect(Date.now() - started).toBeLessThan(5_000);
      // The first stack's banner counts its one worker in the singular.
      expect(firstOutput).toContain('  Generator workers       1 process, one job at a time each');
    } finally {
      first.kill('SIGTERM');
      expect(await firstExit).toBe(0);
    }
  }, 180_000);

  it('stops with exit 1 and a line naming the busy port and --port, before starting anything', async () => {
    // Act
    const run = await npmStart(['--port', String(busyPort)]);
    // Assert
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `port ${busyPort} on 127.0.0.1 is already in use (another npm start?): stop what listens there, or choose another port: npm start -- --port N (or PORT=N)\n`,
    );
    expect(run.stdout).toBe('');
  });
});
