/**
 * Parts of the local stack that run in their own Node process (the emulators, the generator), so a
 * CPU-bound job does not stall the API's event loop, as separate Lambdas and managed services would
 * not. Protocol over the IPC channel: the child sends {type:'ready', data} or {type:'error', message};
 * the parent sends {type:'stop'}; the child answers {type:'stopped'} and exits. A child whose parent
 * disappears stops itself.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

export interface ChildHandle<T> {
  readonly data: T;
  readonly process: ChildProcess;
  stop(timeoutMs?: number): Promise<void>;
}

type Message = { type: 'ready'; data: unknown } | { type: 'error'; message: string } | { type: 'stopped' };

export interface StartChildOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
  /**
   * Run the child this much nicer than this process (a lower CPU priority, capped at 19), so its CPU
   * work yields to ours. Under `nice -n` where that exists, so every thread of the child (the libuv
   * pool that compresses, V8's own) starts there; otherwise os.setPriority on the child after the
   * fork. A system that refuses either leaves the child at our priority: nothing else changes.
   */
  readonly nice?: number;
}

/**
 * glibc's allocator settings for every local child, unless the caller's environment sets them: blocks
 * up to 32 MiB (an 8 MiB upload part, a request body) come from the heap, freed memory stays in the
 * process for reuse instead of going back to the system, and the heap asks the kernel for transparent
 * huge pages (`glibc.malloc.hugetlb=1`, glibc 2.35+; a kernel whose THP mode is `madvise`, as here,
 * gives them only to memory that asks). On this kind of machine memory written for the first time
 * runs at about 250-400 MB/s in 4 KiB pages and several GB/s in huge pages, and the local S3 writes
 * every uploaded byte into fresh memory: the 100k JSON job took 14.0-16.0 s with the first two against
 * 15.2-20.6 s without (memory/decisions/0918-local-s3-keeps-parts.md), and 10.0-10.3 s against
 * 11.0-11.7 s with huge pages on top (memory/decisions/0923-local-children-use-huge-pages.md).
 * Other C libraries, and older glibc for the tunable, ignore them.
 */
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(16 * 1024 ** 3),
  GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1',
};

/** The `nice` program of this system, if it has one (Linux, macOS; not Windows). */
const NICE_PROGRAM = ['/usr/bin/nice', '/bin/nice'].find((path) => existsSync(path));

/**
 * Forks a module and waits for its ready message: TypeScript under tsx; a bundle (`.mjs`, such as the
 * generator workers' from scripts/build-local-workers.mjs) as Lambda runs it, with source maps.
 */
export async function startChild<T>(modulePath: string, options: StartChildOptions): Promise<ChildHandle<T>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = startProcess(modulePath, options);
  const data = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${modulePath} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${modulePath} exited with ${code} during start-up`));
    };
    child.once('exit', onExit);
    // A child that cannot be started at all (no executable, no permission).
    child.once('error', (error) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(error);
    });
    child.on('message', (message: Message) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(message.data as T);
      } else if (message.type === 'error') {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.kill('SIGKILL');
        reject(new Error(message.message));
      }
    });
  });
  return {
    data,
    process: child,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The child process: forked, or spawned under `nice` with the same IPC channel. */
function startProcess(modulePath: string, options: StartChildOptions): ChildProcess {
  const execArgv = modulePath.endsWith('.mjs') ? ['--enable-source-maps'] : ['--import', 'tsx'];
  const env = { ...ALLOCATOR_ENV, ...options.env };
  const args = [...(options.args ?? [])];
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
  const increment = options.nice ?? 0;
  if (increment > 0 && NICE_PROGRAM) {
    // nice execs node in the same process: same pid, and the IPC channel's descriptor is inherited.
    return spawn(
      NICE_PROGRAM,
      ['-n', String(increment), process.execPath, ...execArgv, modulePath, ...args],
      {
        env,
        stdio,
        serialization: 'advanced',
      },
    );
  }
  const child = fork(modulePath, args, { execArgv, env, stdio, serialization: 'advanced' });
  if (increment > 0 && child.pid !== undefined) {
    try {
      setPriority(child.pid, Math.min(19, getPriority() + increment));
    } catch {
      // Not permitted or not supported here: the child keeps this process's priority.
    }
  }
  return child;
}

/**
 * Child side: reports ready (or the start-up error) and runs `stop` when asked or orphaned. A parent
 * that disappears while this child still starts (npm start killed during its start-up) is noticed too:
 * the child finishes starting, stops and exits instead of running on with nobody to stop it
 * (memory/fixes/0171).
 */
export function serveChild<T>(start: () => Promise<{ data: T; stop: () => Promise<void> }>): void {
  const send = (message: Message) => {
    if (process.connected) process.send?.(message);
  };
  let stopRunning: (() => Promise<void>) | undefined;
  let stopRequested = false;
  let stopping = false;
  const shutdown = () => {
    stopRequested = true;
    // Still starting: the end of the start-up stops it (below).
    if (!stopRunning || stopping) return;
    stopping = true;
    stopRunning()
      .catch((error: unknown) => console.error('local stack child: stop failed', error))
      .finally(() => {
        send({ type: 'stopped' });
        if (process.connected) process.disconnect?.();
        process.exit(0);
      });
  };
  // Listened to from the first moment: a 'disconnect' during the start-up comes once and is gone.
  process.once('disconnect', shutdown);
  start().then(
    ({ data, stop }) => {
      stopRunning = stop;
      if (stopRequested || !process.connected) {
        shutdown();
        return;
      }
      process.on('message', (message: { type?: string }) => {
        if (message?.type === 'stop') shutdown();
      });
      process.once('SIGTERM', shutdown);
      // Ctrl+C reaches the whole process group: the parent decides when its children stop.
      process.on('SIGINT', () => undefined);
      send({ type: 'ready', data });
    },
    (error: unknown) => {
      send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      process.exit(1);
    },
  );
}
