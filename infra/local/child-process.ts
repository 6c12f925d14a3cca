/**
 * Parts of the local stack that run in their own Node process (the emulators, the generator), so a
 * CPU-bound job does not stall the API's event loop, as separate Lambdas and managed services would
 * not. Protocol over the IPC channel: the child sends {type:'ready', data} or {type:'error', message};
 * the parent sends {type:'stop'}; the child answers {type:'stopped'} and exits. A child whose parent
 * disappears stops itself.
 */
import { type ChildProcess, fork } from 'node:child_process';

export interface ChildHandle<T> {
  readonly data: T;
  readonly process: ChildProcess;
  stop(timeoutMs?: number): Promise<void>;
}

type Message = { type: 'ready'; data: unknown } | { type: 'error'; message: string } | { type: 'stopped' };

/** Forks a TypeScript module under tsx and waits for its ready message. */
export async function startChild<T>(
  modulePath: string,
  options: { env: NodeJS.ProcessEnv; args?: readonly string[]; timeoutMs?: number },
): Promise<ChildHandle<T>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = fork(modulePath, [...(options.args ?? [])], {
    execArgv: ['--import', 'tsx'],
    env: options.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
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

/** Child side: reports ready (or the start-up error) and runs `stop` when asked or orphaned. */
export function serveChild<T>(start: () => Promise<{ data: T; stop: () => Promise<void> }>): void {
  const send = (message: Message) => {
    if (process.connected) process.send?.(message);
  };
  let stopping = false;
  start().then(
    ({ data, stop }) => {
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        stop()
          .catch((error: unknown) => console.error('local stack child: stop failed', error))
          .finally(() => {
            send({ type: 'stopped' });
            if (process.connected) process.disconnect?.();
            process.exit(0);
          });
      };
      process.on('message', (message: { type?: string }) => {
        if (message?.type === 'stop') shutdown();
      });
      process.once('disconnect', shutdown);
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
