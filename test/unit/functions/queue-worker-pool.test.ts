/**
 * The local stack's worker supervision (infra/local/worker-pool.ts) with stand-in worker processes
 * (queue-worker-pool.fixture.ts): a dead worker's held messages are released (visibility 0) and a
 * replacement starts; a replacement that fails to start is retried while the pool reports it down;
 * the first start fails whole and stops the workers that did start; workers run at a lower CPU
 * priority than the stack. The same pool over the real worker and queue: test/e2e/worker-supervision.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  startWorkerPool,
  WORKER_NICE,
  type WorkerPool,
  type WorkerPoolOptions,
} from '../../../infra/local/worker-pool.js';

const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'queue-worker-pool.fixture.ts');
const pools: WorkerPool[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Records the SQS calls the pool makes (releases); every entry succeeds. */
function recordingSqs(): { sqs: SQSClient; sent: Array<{ name: string; input: Record<string, unknown> }> } {
  const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
  const sqs = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return { Successful: [], Failed: [] };
    },
  } as unknown as SQSClient;
  return { sqs, sent };
}

function options(overrides: Partial<WorkerPoolOptions> & Pick<WorkerPoolOptions, 'sqs'>): WorkerPoolOptions {
  return {
    size: 1,
    workerModule: FIXTURE,
    handlerModule: 'unused',
    functionName: 'generate-patients',
    env: process.env,
    queueUrl: 'http://127.0.0.1/000000000000/test-queue',
    heartbeat: { windowSeconds: 60, everySeconds: 20 },
    invocationTimeoutMs: 120_000,
    restartDelayMs: 50,
    maxRestartDelayMs: 200,
    ...overrides,
  };
}

/** The nice value of every thread of a process (Linux: field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19 - 3]);
  });
}

describe('local worker pool', () => {
  it('runs every worker, all its threads, at a lower CPU priority than the stack, replacements too', async () => {
    // Prepare
    const { sqs } = recordingSqs();
    const parentNice = getPriority();
    const expected = Math.min(19, parentNice + WORKER_NICE);
    const pool = await startWorkerPool(options({ sqs, size: 2 }));
    pools.push(pool);
    const [first] = pool.status().workers;

    // Act: one worker dies and is replaced.
    process.kill(first.pid!, 'SIGKILL');
    await vi.waitUntil(() => pool.status().status === 'ok' && pool.status().replaced === 1, {
      timeout: 30_000,
    });
    const pids = pool.status().workers.map((w) => w.pid!);

    // Assert
    expect(WORKER_NICE).toBe(19);
    expect(pids).not.toContain(first.pid);
    for (const pid of pids) {
      expect(getPriority(pid)).toBe(expected);
      expect(getPriority(pid)).toBeGreaterThan(Math.min(parentNice, 18));
      const threads = threadNiceValues(pid);
      expect(threads.length).toBeGreaterThan(1);
      expect(new Set(threads)).toEqual(new Set([expected]));
    }
    expect(getPriority()).toBe(parentNice);
  });

  it('releases the messages a killed worker held at once and starts a replacement in its place', async () => {
    // Prepare: two workers, each holding one message.
    const { sqs, sent } = recordingSqs();
    const lines: string[] = [];
    const pool = await startWorkerPool(
      options({ sqs, size: 2, env: { ...process.env, FAKE_WORKER_HOLD: '1' }, log: (l) => lines.push(l) }),
    );
    pools.push(pool);
    await vi.waitUntil(() => pool.status().workers.every((w) => w.busy), { timeout: 10_000 });
    const [survivor, victim] = pool.status().workers;

    // Act
    process.kill(victim.pid!, 'SIGKILL');

    // Assert
    await vi.waitUntil(() => sent.length === 1, { timeout: 10_000 });
    expect(sent[0]).toEqual({
      name: 'ChangeMessageVisibilityBatchCommand',
      input: {
        QueueUrl: 'http://127.0.0.1/000000000000/test-queue',
        Entries: [{ Id: '0', ReceiptHandle: `rh-${victim.pid}`, VisibilityTimeout: 0 }],
      },
    });
    await vi.waitUntil(() => pool.status().status === 'ok' && pool.status().replaced === 1, {
      timeout: 30_000,
    });
    const after = pool.status();
    expect(after.workers[0]).toMatchObject({ pid: survivor.pid, deaths: 0 });
    expect(after.workers[1]).toMatchObject({
      id: 2,
      state: 'running',
      deaths: 1,
      last_exit: 'signal SIGKILL',
    });
    expect(after.workers[1].pid).not.toBe(victim.pid);
    expect(lines).toContain(
      `local worker 2 (pid ${victim.pid}) died (signal SIGKILL) while running m-${victim.pid}; starting a replacement`,
    );
    expect(lines).toContain(`local worker 2: released m-${victim.pid} to the queue`);
  });

  it('reports a worker down while its replacement fails to start, and keeps trying until one starts', async () => {
    // Prepare: a worker that starts, then a flag that makes its replacements fail.
    const dir = mkdtempSync(join(tmpdir(), 'pool-'));
    dirs.push(dir);
    const flag = join(dir, 'fail');
    const { sqs } = recordingSqs();
    const lines: string[] = [];
    const pool = await startWorkerPool(
      options({ sqs, env: { ...process.env, FAKE_WORKER_FAIL_FLAG: flag }, log: (l) => lines.push(l) }),
    );
    pools.push(pool);
    const first = pool.status().workers[0];
    writeFileSync(flag, '');

    // Act
    process.kill(first.pid!, 'SIGKILL');
    await vi.waitUntil(() => lines.filter((l) => l.includes('did not start')).length >= 2, {
      timeout: 30_000,
    });
    const failing = pool.status();
    rmSync(flag);

    // Assert: down (or starting once more) while it fails, then running again.
    expect(failing).toMatchObject({ status: 'degraded', running: 0, desired: 1 });
    expect(failing.workers[0].pid).toBeNull();
    await vi.waitUntil(() => pool.status().status === 'ok', { timeout: 30_000 });
    expect(pool.status()).toMatchObject({ running: 1, down: 0, replaced: 1 });
    expect(lines.some((l) => /^local worker 1 did not start \(.*told to fail at start-up/.test(l))).toBe(
      true,
    );
  });

  it('does not start when a first worker cannot, and stops the one that did', async () => {
    // Prepare: of two workers, only the first to start may.
    const dir = mkdtempSync(join(tmpdir(), 'pool-'));
    dirs.push(dir);
    const onlyOne = join(dir, 'started');
    const { sqs } = recordingSqs();

    // Act
    const starting = startWorkerPool(
      options({ sqs, size: 2, env: { ...process.env, FAKE_WORKER_ONLY_ONE: onlyOne } }),
    );

    // Assert
    await expect(starting).rejects.toThrow(/told to fail at start-up/);
    const started = Number(readFileSync(onlyOne, 'utf8'));
    expect(() => process.kill(started, 0)).toThrow(/ESRCH/);
  });
});
