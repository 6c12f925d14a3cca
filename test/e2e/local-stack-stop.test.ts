/**
 * Stopping `npm start` (infra/local/start.ts) as an operator does, with SIGTERM (a supervisor, `kill`)
 * or Ctrl+C: whenever it comes, while the stack starts or once it runs, no emulator or generator worker
 * process it started is left running (memory/fixes/0171). Linux only: processes are read from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Proc {
  readonly pid: number;
  readonly cmd: string;
}

/** Every process whose parent is `pid`, and theirs, read from /proc. */
function descendantsOf(pid: number): Proc[] {
  const children = new Map<number, Proc[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const list = children.get(ppid) ?? [];
      list.push({ pid: Number(entry), cmd });
      children.set(ppid, list);
    } catch {
      // The process ended while being read.
    }
  }
  const found: Proc[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** True while `pid` runs (a zombie counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^[^)]*\)\s+Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function npmStart(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/start.ts', '--port', '0', '--workers', '2'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * Watches the stack's processes until `until` holds (every one seen is remembered, since an orphan
 * leaves the tree), sends `signal`, waits for the stack to exit, then up to 20 s for every process it
 * started to end; answers those still running (and ends them, so a failure leaves nothing behind).
 */
async function stopAndFindLeftovers(
  until: (seen: Proc[], output: string) => boolean,
  signal: NodeJS.Signals,
): Promise<{ seen: Proc[]; leftovers: Proc[]; code: number | null; output: string }> {
  const stack = npmStart();
  const pid = stack.child.pid as number;
  const seen = new Map<number, Proc>();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && stack.child.exitCode === null) {
    for (const proc of descendantsOf(pid)) seen.set(proc.pid, proc);
    if (until([...seen.values()], stack.output())) break;
    await sleep(25);
  }
  stack.child.kill(signal);
  const code = await stack.exited;
  const settle = Date.now() + 20_000;
  let leftovers = [...seen.values()].filter((proc) => alive(proc.pid));
  while (leftovers.length > 0 && Date.now() < settle) {
    await sleep(200);
    leftovers = leftovers.filter((proc) => alive(proc.pid));
  }
  for (const proc of leftovers) process.kill(proc.pid, 'SIGKILL');
  return { seen: [...seen.values()], leftovers, code, output: stack.output() };
}

/** A generator worker: the bundle of infra/local/worker-process.ts (scripts/build-local-workers.mjs). */
const isWorker = (proc: Proc) => proc.cmd.includes('infra/local/worker-process.mjs');
const isEmulator = (proc: Proc) => proc.cmd.includes('emulator-process.ts');

describe.runIf(existsSync('/proc/self/stat'))('npm start: stopping leaves no process behind', () => {
  it('stopped with SIGTERM while its workers start, leaves no emulator or worker running', async () => {
    // Act: the workers are forked once the emulators are ready, while this process loads the handlers.
    const run = await stopAndFindLeftovers((seen) => seen.some(isWorker), 'SIGTERM');

    // Assert
    expect(run.output).not.toContain('Ctrl+C stops everything');
    expect(run.seen.filter(isEmulator)).toHaveLength(2);
    expect(run.seen.some(isWorker)).toBe(true);
    expect(run.leftovers.map((proc) => `${proc.pid} ${proc.cmd}`)).toEqual([]);
  }, 180_000);

  it('stopped with SIGTERM while its emulators start, leaves no emulator running', async () => {
    // Act
    const run = await stopAndFindLeftovers((seen) => seen.filter(isEmulator).length === 2, 'SIGTERM');

    // Assert
    expect(run.output).not.toContain('Ctrl+C stops everything');
    expect(run.leftovers.map((proc) => `${proc.pid} ${proc.cmd}`)).toEqual([]);
  }, 180_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stopped with %s once it runs, says so, exits 0 and leaves no emulator or worker running',
    async (signal) => {
      // Act
      const run = await stopAndFindLeftovers(
        (_seen, output) => output.includes('Ctrl+C stops everything'),
        signal,
      );

      // Assert
      expect(run.output).toContain(`${signal}: stopping the local stack...`);
      expect(run.code).toBe(0);
      expect(run.seen.filter(isEmulator)).toHaveLength(2);
      expect(run.seen.filter(isWorker)).toHaveLength(2);
      expect(run.leftovers.map((proc) => `${proc.pid} ${proc.cmd}`)).toEqual([]);
    },
    180_000,
  );
});
