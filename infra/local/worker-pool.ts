/**
 * The local stack's generator workers: several worker processes (worker-process.ts), each one
 * execution environment running one invocation at a time, as the event source mapping runs several
 * Lambda environments. The pool supervises them: a worker that dies is logged, the messages it held
 * are released to the queue at once (visibility 0; had the pool missed them, the poller's heartbeat
 * window would free them within a minute), and a replacement starts. `status()` says which workers
 * run, start or are down, for the local stack's /health (memory/decisions/0902-local-workers.md).
 * Workers run at a lower CPU priority than the stack's own process (WORKER_NICE), so the local API and
 * the emulators stay responsive while jobs use every core (memory/decisions/0907).
 */
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type ChildHandle, startChild } from './child-process.js';
import type { HeldMessage, VisibilityHeartbeat } from './queue-poller.js';
import type { InvocationMessage } from './worker-process.js';

/**
 * How much nicer than the stack's process a worker runs: 19, the lowest priority (the system caps a
 * niceness at 19). Deployed, generators never share a CPU with the API; nice 19 came closest to that
 * here (GET job p99 while a 1M job runs: 23-25 ms against 26-29 at nice 10, the job no slower;
 * memory/decisions/0917-workers-at-lowest-priority.md).
 */
export const WORKER_NICE = 19;

export interface WorkerPoolOptions {
  /** Worker processes (at least 1). */
  readonly size: number;
  /** worker-process.ts (absolute path). */
  readonly workerModule: string;
  /** The SQS handler module, relative to the repository root (functions/routes.ts QUEUE_HANDLERS). */
  readonly handlerModule: string;
  readonly functionName: string;
  readonly env: NodeJS.ProcessEnv;
  readonly queueUrl: string;
  /** Releases the messages of a worker that died. */
  readonly sqs: SQSClient;
  readonly heartbeat: VisibilityHeartbeat;
  /** The generator's Lambda timeout (ms): each invocation's context counts down from it. */
  readonly invocationTimeoutMs: number;
  /** Deaths, releases and replacements, one line each (default console.error). */
  readonly log?: (line: string) => void;
  /** Wait before a replacement starts; doubles after each replacement that fails to start. */
  readonly restartDelayMs?: number;
  readonly maxRestartDelayMs?: number;
}

export type WorkerState = 'starting' | 'running' | 'down';

export interface WorkerStatus {
  /** The worker's place in the pool (1..size); a replacement takes the place of the one it replaces. */
  readonly id: number;
  readonly state: WorkerState;
  /** The process id while it runs. */
  readonly pid: number | null;
  /** Running an invocation now. */
  readonly busy: boolean;
  /** When it entered its state (ISO time). */
  readonly since: string;
  /** Processes that have held this place and died. */
  readonly deaths: number;
  /** How the last process in this place ended ("signal SIGKILL", "exit code 1"), if one did. */
  readonly last_exit: string | null;
}

export interface WorkerPoolStatus {
  /** `ok` when every worker runs; `degraded` while one is down or starting again. */
  readonly status: 'ok' | 'degraded';
  readonly desired: number;
  readonly running: number;
  readonly starting: number;
  readonly down: number;
  /** Workers that died and were replaced since the stack started. */
  readonly replaced: number;
  readonly workers: readonly WorkerStatus[];
}

export interface WorkerPool {
  status(): WorkerPoolStatus;
  stop(): Promise<void>;
}

interface Slot {
  readonly id: number;
  state: WorkerState;
  child: ChildHandle<{ pid: number }> | undefined;
  starting: Promise<void> | undefined;
  held: readonly HeldMessage[];
  since: number;
  deaths: number;
  failedStarts: number;
  lastExit: string | null;
  timer: NodeJS.Timeout | undefined;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

export async function startWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const size = Math.max(1, Math.floor(options.size));
  const log = options.log ?? ((line: string) => console.error(line));
  const baseDelay = options.restartDelayMs ?? 500;
  const maxDelay = options.maxRestartDelayMs ?? 30_000;
  const args = [
    options.handlerModule,
    options.functionName,
    JSON.stringify(options.heartbeat),
    String(options.invocationTimeoutMs),
  ];
  let stopping = false;
  let replaced = 0;

  const slots: Slot[] = Array.from({ length: size }, (_, i) => ({
    id: i + 1,
    state: 'starting',
    child: undefined,
    starting: undefined,
    held: [],
    since: Date.now(),
    deaths: 0,
    failedStarts: 0,
    lastExit: null,
    timer: undefined,
  }));

  const setState = (slot: Slot, state: WorkerState) => {
    slot.state = state;
    slot.since = Date.now();
  };

  /** Makes the messages a dead worker held visible again now, so another worker takes them. */
  const release = async (slot: Slot, held: readonly HeldMessage[]): Promise<void> => {
    if (held.length === 0) return;
    try {
      const out = await options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: held.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      // A message already deleted (the worker died right after finishing it) has nothing to release.
      const released = held.length - (out.Failed?.length ?? 0);
      if (released > 0) {
        log(`local worker ${slot.id}: released ${held.map((m) => m.messageId).join(', ')} to the queue`);
      }
    } catch (error) {
      log(
        `local worker ${slot.id}: could not release ${held.map((m) => m.messageId).join(', ')} (${String(error)}); it returns when its visibility window ends`,
      );
    }
  };

  const watch = (slot: Slot, child: ChildHandle<{ pid: number }>) => {
    child.process.on('message', (message: InvocationMessage | { type?: string }) => {
      if (message?.type !== 'invocation' || slot.child !== child) return;
      const { phase, messages } = message as InvocationMessage;
      slot.held = phase === 'start' ? messages : [];
    });
    child.process.once('exit', (code, signal) => {
      if (slot.child !== child) return;
      slot.child = undefined;
      const held = slot.held;
      slot.held = [];
      if (stopping) return;
      slot.deaths++;
      slot.lastExit = describeExit(code, signal);
      setState(slot, 'down');
      const holding = held.length > 0 ? ` while running ${held.map((m) => m.messageId).join(', ')}` : '';
      log(
        `local worker ${slot.id} (pid ${child.process.pid}) died (${slot.lastExit})${holding}; starting a replacement`,
      );
      void release(slot, held);
      schedule(slot, true);
    });
  };

  const start = async (slot: Slot): Promise<void> => {
    setState(slot, 'starting');
    const child = await startChild<{ pid: number }>(options.workerModule, {
      env: options.env,
      args,
      nice: WORKER_NICE,
    });
    slot.child = child;
    slot.held = [];
    watch(slot, child);
    if (stopping) {
      await child.stop();
      return;
    }
    setState(slot, 'running');
  };

  const schedule = (slot: Slot, replacing: boolean) => {
    const delay = Math.min(maxDelay, baseDelay * 2 ** slot.failedStarts);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (stopping) return;
      slot.starting = start(slot).then(
        () => {
          slot.failedStarts = 0;
          if (stopping) return;
          if (replacing) replaced++;
          log(`local worker ${slot.id} replaced (pid ${slot.child?.process.pid})`);
        },
        (error: unknown) => {
          slot.failedStarts++;
          setState(slot, 'down');
          if (stopping) return;
          log(
            `local worker ${slot.id} did not start (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); trying again`,
          );
          schedule(slot, replacing);
        },
      );
    }, delay);
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    for (const slot of slots) clearTimeout(slot.timer);
    await Promise.allSettled(slots.map((slot) => slot.starting));
    await Promise.allSettled(slots.map((slot) => slot.child?.stop()));
  };

  // The first workers start together; the stack does not start without all of them.
  const first = slots.map((slot) => {
    slot.starting = start(slot);
    return slot.starting;
  });
  const results = await Promise.allSettled(first);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }

  return {
    status() {
      const workers = slots.map(
        (slot): WorkerStatus => ({
          id: slot.id,
          state: slot.state,
          pid: slot.state === 'running' ? (slot.child?.process.pid ?? null) : null,
          busy: slot.held.length > 0,
          since: new Date(slot.since).toISOString(),
          deaths: slot.deaths,
          last_exit: slot.lastExit,
        }),
      );
      const count = (state: WorkerState) => workers.filter((w) => w.state === state).length;
      return {
        status: count('running') === size ? 'ok' : 'degraded',
        desired: size,
        running: count('running'),
        starting: count('starting'),
        down: count('down'),
        replaced,
        workers,
      };
    },
    stop,
  };
}
