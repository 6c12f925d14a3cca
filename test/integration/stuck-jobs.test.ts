/**
 * No job stays stuck (lib/domain/stuck-jobs.ts) over dynalite: the DLQ consumer's failDeadLetter and
 * the sweeper, with the real job repository (its sparse by-active-status index) and the real usage
 * counters. Each test's jobs live in a table of their own, so a sweep never meets another test's
 * jobs (the repository contract's, in the shared table, are dated 2026-01-01 and pending).
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NAMES, tableDefinitions, untilActive } from '../../infra/local/emulators.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  type IdleJobIndex,
  type JobRecord,
  JobRunner,
  JobService,
  StuckJobService,
} from '../../lib/domain/index.js';
import {
  createAwsClients,
  DynamoJobRepository,
  DynamoUsageCounters,
  S3ResultStore,
} from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { activeJobsOf, ROOMY_LIMITS, uniqueOwner } from '../support/platform.js';
import { jobRecord } from '../support/repository-contract.js';

const env = useAwsEnv();
const clients = createAwsClients();
let jobsTable: string;
let jobs: DynamoJobRepository;
let usage: DynamoUsageCounters;

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** A jobs table of its own (the platform contract's definition), so a sweep meets only its test's jobs. */
beforeEach(async () => {
  jobsTable = `stuck-jobs-${randomUUID().slice(0, 8)}`;
  const [definition] = tableDefinitions({ ...DEFAULT_NAMES, jobsTable });
  const dynamodb = new DynamoDBClient({});
  await dynamodb.send(new CreateTableCommand(definition));
  // dynalite answers ResourceNotFound while a new table is CREATING (memory/fixes/0076).
  await untilActive(dynamodb, jobsTable);
  dynamodb.destroy();
  jobs = new DynamoJobRepository(clients.documents, jobsTable);
  usage = new DynamoUsageCounters(clients.documents, env.USAGE_TABLE);
});

function service(overrides: Partial<ConstructorParameters<typeof StuckJobService>[0]> = {}) {
  return new StuckJobService({ jobs, idle: jobs, usage, ...overrides });
}

/** A job of a fresh key that holds one running slot, as GenerationService leaves it. */
async function stored(overrides: Partial<JobRecord>): Promise<JobRecord> {
  const owner = uniqueOwner('stuck');
  const keyId = `key${randomUUID().replaceAll('-', '').slice(0, 13)}`;
  const at = overrides.updated_at ?? new Date().toISOString();
  const job = jobRecord(owner, { key_id: keyId, created_at: at, updated_at: at, ...overrides });
  const reservation = await usage.reserveJob(keyId, ROOMY_LIMITS, 10, new Date());
  expect(reservation.ok).toBe(true);
  await jobs.create(job);
  return job;
}

/** Running jobs of the key, as the usage table counts them. */
const activeOf = (keyId: string | null | undefined) => activeJobsOf(clients, env.USAGE_TABLE, String(keyId));

/** The job's item as stored, index attribute included. */
async function rawItem(jobId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await clients.dynamodb.send(
    new GetItemCommand({ TableName: jobsTable, Key: { job_id: { S: jobId } }, ConsistentRead: true }),
  );
  return Item;
}

describe('the jobs table`s sparse by-active-status index', () => {
  it('holds a job while it has not ended and drops it when it ends, without showing the attribute on the record', async () => {
    // Prepare
    const job = await stored({ status: 'queued', updated_at: ago(10 * MINUTE) });
    // Act
    const whileQueued = await rawItem(job.job_id);
    const listedQueued = await jobs.listIdle('queued', ago(MINUTE), { limit: 100 });
    const running = await jobs.update(job.job_id, {
      set: { status: 'running', updated_at: ago(5 * MINUTE) },
    });
    const listedRunning = await jobs.listIdle('running', ago(MINUTE), { limit: 100 });
    await jobs.update(job.job_id, { set: { status: 'completed', updated_at: ago(4 * MINUTE) } });
    const afterEnd = await rawItem(job.job_id);
    const listedAfter = await jobs.listIdle('running', ago(MINUTE), { limit: 100 });
    // Assert
    expect(whileQueued?.active_status).toEqual({ S: 'queued' });
    expect(listedQueued.items.map((j) => j.job_id)).toContain(job.job_id);
    expect(running).not.toHaveProperty('active_status');
    expect(await jobs.get(job.job_id)).not.toHaveProperty('active_status');
    expect(listedRunning.items).toContainEqual({
      job_id: job.job_id,
      status: 'running',
      updated_at: running?.updated_at,
    });
    expect(afterEnd?.active_status).toBeUndefined();
    expect(listedAfter.items.map((j) => j.job_id)).not.toContain(job.job_id);
  });

  it('lists idle jobs of one status oldest first, only those updated before the bound, a page at a time', async () => {
    // Prepare
    const old = await stored({ status: 'pending', updated_at: ago(90 * MINUTE) });
    const older = await stored({ status: 'pending', updated_at: ago(120 * MINUTE) });
    const fresh = await stored({ status: 'pending', updated_at: ago(MINUTE) });
    // Act
    const first = await jobs.listIdle('pending', ago(60 * MINUTE), { limit: 1 });
    const second = await jobs.listIdle('pending', ago(60 * MINUTE), { limit: 1, cursor: first.next_cursor });
    const all = await jobs.listIdle('pending', ago(60 * MINUTE), { limit: 100 });
    // Assert
    expect(first.items.map((j) => j.job_id)).toEqual([older.job_id]);
    expect(first.next_cursor).not.toBeNull();
    expect(second.items.map((j) => j.job_id)).toEqual([old.job_id]);
    expect(all.items.map((j) => j.job_id)).not.toContain(fresh.job_id);
  });
});

describe('StuckJobService.failDeadLetter (the DLQ consumer)', () => {
  it('fails a queued job with GENERATION_ERROR and the reason, drops its sealed password, and gives its slot back once', async () => {
    // Prepare
    const job = await stored({
      status: 'queued',
      encryption: { sealed_password: 'v1.local.sealed', sealer: 'local' },
    });
    await usage.reserveJob(String(job.key_id), ROOMY_LIMITS, 10, new Date()); // another job of the key
    const stuck = service();
    // Act
    const first = await stuck.failDeadLetter(job.job_id);
    const again = await stuck.failDeadLetter(job.job_id);
    // Assert
    expect([first, again]).toEqual(['failed', 'already-ended']);
    const failed = await jobs.get(job.job_id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: {
        code: 'GENERATION_ERROR',
        message: 'The generator did not start this job: every delivery of its message failed',
      },
      attempts: DEFAULT_MAX_ATTEMPTS,
    });
    expect(failed?.completed_at).toEqual(expect.any(String));
    expect(failed?.encryption).toBeUndefined();
    expect(await activeOf(job.key_id)).toBe(1);
  });

  it('fails a running job and a failed job awaiting its retry, naming the runs and the last error', async () => {
    // Prepare
    const running = await stored({ status: 'running', run_id: 'run-1', attempts: 2 });
    const awaiting = await stored({
      status: 'failed',
      attempts: 1,
      error: { code: 'STORAGE_ERROR', message: 'Uploading patients.json failed (boom)' },
    });
    const stuck = service();
    // Act
    const outcomes = [
      await stuck.failDeadLetter(running.job_id),
      await stuck.failDeadLetter(awaiting.job_id),
    ];
    // Assert
    expect(outcomes).toEqual(['failed', 'failed']);
    expect((await jobs.get(running.job_id))?.error?.message).toBe(
      'The generator did not finish this job after 2 attempts',
    );
    expect(await jobs.get(running.job_id)).not.toHaveProperty('run_id');
    expect((await jobs.get(awaiting.job_id))?.error).toEqual({
      code: 'GENERATION_ERROR',
      message:
        'The generator did not finish this job after 1 attempt; the last one failed: Uploading patients.json failed (boom)',
    });
    expect(await activeOf(running.key_id)).toBe(0);
    expect(await activeOf(awaiting.key_id)).toBe(0);
  });

  it('leaves completed, cancelled and finally failed jobs as they are, with their slots', async () => {
    // Prepare
    const ended = [
      await stored({ status: 'completed', progress: 100 }),
      await stored({ status: 'cancelled' }),
      await stored({
        status: 'failed',
        attempts: DEFAULT_MAX_ATTEMPTS,
        error: { code: 'GENERATION_ERROR', message: 'the last run failed' },
      }),
      await stored({
        status: 'failed',
        attempts: 0,
        error: { code: 'STORAGE_ERROR', message: 'not queued' },
      }),
    ];
    const stuck = service();
    // Act
    const outcomes = [];
    for (const job of ended) outcomes.push(await stuck.failDeadLetter(job.job_id));
    // Assert
    expect(outcomes).toEqual(['already-ended', 'already-ended', 'already-ended', 'already-ended']);
    for (const job of ended) {
      const now = await jobs.get(job.job_id);
      expect({ status: now?.status, error: now?.error }).toEqual({ status: job.status, error: job.error });
      // These test jobs kept the slot they were given: nothing here gave it back.
      expect(await activeOf(job.key_id)).toBe(1);
    }
  });

  it('answers not-found for a job that does not exist', async () => {
    // Act
    const outcome = await service().failDeadLetter(`missing-${randomUUID()}`);
    // Assert
    expect(outcome).toBe('not-found');
  });

  it('leaves a job failed this way to nobody else: a late retry does not start it, a delete gives nothing back', async () => {
    // Prepare
    const job = await stored({ status: 'running', run_id: 'dead-run', attempts: 1 });
    await usage.reserveJob(String(job.key_id), ROOMY_LIMITS, 10, new Date()); // another job of the key
    await service().failDeadLetter(job.job_id);
    const store = new S3ResultStore(clients.s3, env.RESULTS_BUCKET);
    const runner = new JobRunner({ jobs, store, usage });
    const owner = new JobService({ jobs, store, usage });
    // Act
    const retried = await runner.run(job.job_id);
    await owner.delete(job.owner, job.job_id);
    // Assert
    expect(retried).toBe('skipped');
    expect(await activeOf(job.key_id)).toBe(1);
  });
});

describe('StuckJobService.sweep (the stale-job sweeper)', () => {
  it('fails a job left running with an old updated_at and one left queued, with the reason, and spares a healthy running job', async () => {
    // Prepare
    const stuck = service({ runningIdleLimitMs: 48 * MINUTE, waitingIdleLimitMs: 60 * MINUTE });
    const deadRun = await stored({
      status: 'running',
      run_id: 'dead',
      attempts: 1,
      updated_at: ago(49 * MINUTE),
    });
    const neverTaken = await stored({ status: 'queued', updated_at: ago(61 * MINUTE) });
    const neverQueued = await stored({ status: 'pending', updated_at: ago(3 * 60 * MINUTE) });
    const healthy = await stored({ status: 'running', run_id: 'live', attempts: 1, updated_at: ago(MINUTE) });
    const recentlyQueued = await stored({ status: 'queued', updated_at: ago(59 * MINUTE) });
    // Act
    const report = await stuck.sweep();
    // Assert
    expect(report.failed).toEqual({ pending: 1, queued: 1, running: 1 });
    expect(await jobs.get(deadRun.job_id)).toMatchObject({
      status: 'failed',
      error: {
        code: 'GENERATION_ERROR',
        message:
          'The job made no progress for more than 48 minutes: its generator stopped without ending it. Submit it again.',
      },
      attempts: DEFAULT_MAX_ATTEMPTS,
    });
    for (const waiting of [neverTaken, neverQueued]) {
      expect(await jobs.get(waiting.job_id)).toMatchObject({
        status: 'failed',
        error: {
          code: 'GENERATION_ERROR',
          message:
            'The job was not started within 60 minutes: no generator took it from the queue. Submit it again.',
        },
      });
    }
    for (const job of [deadRun, neverTaken, neverQueued]) expect(await activeOf(job.key_id)).toBe(0);
    expect(await jobs.get(healthy.job_id)).toMatchObject({ status: 'running', run_id: 'live', error: null });
    expect(await jobs.get(recentlyQueued.job_id)).toMatchObject({ status: 'queued' });
    for (const job of [healthy, recentlyQueued]) expect(await activeOf(job.key_id)).toBe(1);
  });

  it('spares a job that moved on between the index read and the write: the write is conditional', async () => {
    // Prepare
    const job = await stored({
      status: 'running',
      run_id: 'slow',
      attempts: 1,
      updated_at: ago(50 * MINUTE),
    });
    // The run writes its progress just after the sweeper has listed it.
    const racing: IdleJobIndex = {
      listIdle: async (status, before, page) => {
        const listed = await jobs.listIdle(status, before, page);
        if (listed.items.some((j) => j.job_id === job.job_id)) {
          await jobs.update(job.job_id, { set: { updated_at: new Date().toISOString(), progress: 40 } });
        }
        return listed;
      },
    };
    const stuck = service({ idle: racing, runningIdleLimitMs: 48 * MINUTE });
    // Act
    const report = await stuck.sweep();
    // Assert
    expect(report.failed.running).toBe(0);
    expect(report.examined).toBeGreaterThanOrEqual(1);
    expect(await jobs.get(job.job_id)).toMatchObject({ status: 'running', progress: 40 });
    expect(await activeOf(job.key_id)).toBe(1);
  });

  it('fails at most maxJobsPerSweep jobs of a status per sweep, and the next sweep goes on', async () => {
    // Prepare
    const waiting = [];
    for (let i = 0; i < 3; i++)
      waiting.push(await stored({ status: 'pending', updated_at: ago(500 * MINUTE + i) }));
    const stuck = service({ maxJobsPerSweep: 1 });
    // Act
    const first = await stuck.sweep();
    const second = await stuck.sweep();
    const third = await stuck.sweep();
    // Assert
    expect([first.failed.pending, second.failed.pending, third.failed.pending]).toEqual([1, 1, 1]);
    for (const job of waiting) expect((await jobs.get(job.job_id))?.status).toBe('failed');
  });
});
