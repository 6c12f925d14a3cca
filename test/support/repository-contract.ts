/**
 * The repository behaviour every DynamoDB backend must show (dynalite, DynamoDB Local): one suite,
 * run by each backend's test file.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError, PayloadTooLargeError, ValidationError } from '../../lib/core/index.js';
import type {
  ConfigurationHeadRecord,
  ConfigurationVersionRecord,
  JobRecord,
} from '../../lib/domain/index.js';
import {
  DynamoConfigurationRepository,
  DynamoJobRepository,
  itemSize,
  MAX_ITEM_BYTES,
} from '../../lib/infrastructure/index.js';
import { uniqueOwner } from './platform.js';

export interface RepositoryBackend {
  readonly documents: DynamoDBDocumentClient;
  readonly jobsTable: string;
  readonly configurationsTable: string;
}

let counter = 0;

export function jobRecord(owner: string, overrides: Partial<JobRecord> = {}): JobRecord {
  counter++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString();
  return {
    job_id: `job-${Math.random().toString(36).slice(2)}-${counter}`,
    owner,
    status: 'pending',
    progress: 0,
    progress_details: { phase: 'queued', patients_generated: 0, total_patients: 10 },
    config: {
      configuration_id: null,
      configuration_version: null,
      configuration: { name: 'test' },
      name: 'test',
      total_patients: 10,
      output_formats: ['json'],
      use_compression: false,
      use_encryption: false,
      priority: 'normal',
      seed: 42,
    },
    error: null,
    output_files: [],
    summary: null,
    seed: 42,
    created_at: at,
    updated_at: at,
    completed_at: null,
    scenario: { name: 'test' },
    run_id: null,
    attempts: 0,
    ...overrides,
  };
}

function body(name: string) {
  return { name, total_patients: 10 } as unknown as ConfigurationVersionRecord['configuration'];
}

function configRecords(owner: string, configId: string, createdAt: string) {
  const head: ConfigurationHeadRecord = {
    config_id: configId,
    owner,
    latest_version: 1,
    name: 'v1',
    configuration: body('v1'),
    created_at: createdAt,
    updated_at: createdAt,
  };
  const first: ConfigurationVersionRecord = {
    config_id: configId,
    version: 1,
    owner,
    name: 'v1',
    configuration: body('v1'),
    created_at: createdAt,
  };
  return { head, first };
}

export function describeRepositoryContract(label: string, backend: () => RepositoryBackend): void {
  const jobsRepo = () => new DynamoJobRepository(backend().documents, backend().jobsTable);
  const configsRepo = () =>
    new DynamoConfigurationRepository(backend().documents, backend().configurationsTable);

  describe(`DynamoJobRepository (${label})`, () => {
    it('stores a job and reads it back, and refuses a second job with the same id', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = jobRecord(uniqueOwner());
      // Act
      await repo.create(job);
      const read = await repo.get(job.job_id);
      // Assert
      expect(read).toEqual(job);
      await expect(repo.create(job)).rejects.toBeInstanceOf(ConflictError);
      expect(await repo.get('no-such-job')).toBeUndefined();
    });

    it('refuses a job above the 400 KB item limit with a 413 and writes nothing, and stores one just below it', async () => {
      // Prepare
      const repo = jobsRepo();
      const owner = uniqueOwner();
      const big = jobRecord(owner, { scenario: { name: 'x'.repeat(MAX_ITEM_BYTES) } });
      const fitting = jobRecord(owner);
      const room = MAX_ITEM_BYTES - itemSize(fitting) - 100;
      const near = { ...fitting, scenario: { name: 'test', pad: 'y'.repeat(room) } };
      // Act
      const refused = await repo.create(big).catch((error: unknown) => error);
      await repo.create(near);
      // Assert
      expect(refused).toBeInstanceOf(PayloadTooLargeError);
      expect((refused as PayloadTooLargeError).status).toBe(413);
      expect(await repo.get(big.job_id)).toBeUndefined();
      expect(itemSize(near)).toBeGreaterThan(MAX_ITEM_BYTES - 200);
      expect((await repo.get(near.job_id))?.scenario).toEqual(near.scenario);
    });

    it('applies a transition only from the allowed states, so a completed job never goes back to running', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = jobRecord(uniqueOwner());
      await repo.create(job);
      // Act
      const running = await repo.update(
        job.job_id,
        { set: { status: 'running', run_id: 'run-1' }, incrementAttempts: true },
        { statusIn: ['pending', 'queued'] },
      );
      const completed = await repo.update(
        job.job_id,
        { set: { status: 'completed', progress: 100 }, remove: ['run_id'] },
        { statusIn: ['running'], runId: 'run-1' },
      );
      const backToRunning = await repo.update(
        job.job_id,
        { set: { status: 'running', run_id: 'run-2' } },
        { statusIn: ['pending', 'queued', 'failed'], orRunningStaleBefore: new Date().toISOString() },
      );
      // Assert
      expect(running?.status).toBe('running');
      expect(running?.attempts).toBe(1);
      expect(completed?.status).toBe('completed');
      expect(completed?.run_id).toBeUndefined();
      expect(backToRunning).toBeUndefined();
      expect((await repo.get(job.job_id))?.status).toBe('completed');
    });

    it('refuses an update from another run and lets a retry take over only a stale running job', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = jobRecord(uniqueOwner(), {
        status: 'running',
        run_id: 'old',
        updated_at: '2026-01-01T00:00:00.000Z',
      });
      await repo.create(job);
      // Act
      const wrongRun = await repo.update(job.job_id, { set: { progress: 50 } }, { runId: 'other' });
      const notStale = await repo.update(
        job.job_id,
        { set: { run_id: 'new' } },
        { statusIn: ['pending'], orRunningStaleBefore: '2025-12-31T00:00:00.000Z' },
      );
      const takeover = await repo.update(
        job.job_id,
        { set: { run_id: 'new', updated_at: '2026-01-02T00:00:00.000Z' } },
        { statusIn: ['pending'], orRunningStaleBefore: '2026-01-01T12:00:00.000Z' },
      );
      // Assert
      expect(wrongRun).toBeUndefined();
      expect(notStale).toBeUndefined();
      expect(takeover?.run_id).toBe('new');
      expect(await repo.update('missing-job', { set: { progress: 1 } })).toBeUndefined();
    });

    it("lists one owner's jobs newest first across pages with an opaque cursor, never another owner's", async () => {
      // Prepare
      const repo = jobsRepo();
      const owner = uniqueOwner('lister');
      const other = uniqueOwner('other');
      const mine = [];
      for (let i = 0; i < 7; i++) mine.push(jobRecord(owner));
      for (const job of mine) await repo.create(job);
      await repo.create(jobRecord(other));
      await repo.create(jobRecord(other));
      // Act
      const pages = [];
      let cursor: string | null = null;
      do {
        const page = await repo.listByOwner(owner, { limit: 3, cursor });
        pages.push(page.items.map((j) => j.job_id));
        cursor = page.next_cursor;
      } while (cursor);
      // Assert
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(mine.map((j) => j.job_id).reverse());
      const first = await repo.listByOwner(owner, { limit: 3 });
      expect(first.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      await expect(repo.listByOwner(other, { limit: 3, cursor: first.next_cursor })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(repo.listByOwner(owner, { limit: 3, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it('remembers an idempotency key per owner and returns the job it first created', async () => {
      // Prepare
      const repo = jobsRepo();
      const owner = uniqueOwner();
      const key = `key-${Math.random()}`;
      // Act
      const first = await repo.claimIdempotencyKey(owner, key, 'job-a', 'fp-1', 60);
      const second = await repo.claimIdempotencyKey(owner, key, 'job-b', 'fp-2', 60);
      const otherOwner = await repo.claimIdempotencyKey(uniqueOwner(), key, 'job-c', 'fp-1', 60);
      // Assert
      expect(first).toEqual({ claimed: true });
      expect(second).toEqual({ claimed: false, jobId: 'job-a', fingerprint: 'fp-1', stored: false });
      expect(otherOwner).toEqual({ claimed: true });
    });

    it('marks a claim once its job is stored, for that owner only', async () => {
      // Prepare
      const repo = jobsRepo();
      const owner = uniqueOwner();
      const other = uniqueOwner();
      const key = `key-${Math.random()}`;
      await repo.claimIdempotencyKey(owner, key, 'job-a', 'fp-1', 60);
      await repo.claimIdempotencyKey(other, key, 'job-b', 'fp-1', 60);
      // Act
      await repo.confirmIdempotencyKey(owner, key);
      await repo.confirmIdempotencyKey(owner, `never-claimed-${Math.random()}`);
      const mine = await repo.claimIdempotencyKey(owner, key, 'job-c', 'fp-1', 60);
      const theirs = await repo.claimIdempotencyKey(other, key, 'job-d', 'fp-1', 60);
      // Assert
      expect(mine).toEqual({ claimed: false, jobId: 'job-a', fingerprint: 'fp-1', stored: true });
      expect(theirs).toEqual({ claimed: false, jobId: 'job-b', fingerprint: 'fp-1', stored: false });
    });

    it('deletes a job', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = jobRecord(uniqueOwner());
      await repo.create(job);
      // Act
      await repo.delete(job.job_id);
      // Assert
      expect(await repo.get(job.job_id)).toBeUndefined();
    });
  });

  describe(`DynamoJobRepository, fanned-out tasks (${label})`, () => {
    const PLAN = 'plan-1';
    const AT = '2026-02-01T00:00:00.000Z';
    /** A job running under PLAN, split in ten chunks. */
    const runningJob = (overrides: Partial<JobRecord> = {}) =>
      jobRecord(uniqueOwner(), {
        status: 'running',
        chunking: { plan_id: PLAN, bounds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
        ...overrides,
      });
    /** The job's item as the table holds it (the DocumentClient gives a number set as a Set). */
    const rawItem = async (jobId: string) =>
      (
        await backend().documents.send(
          new GetCommand({ TableName: backend().jobsTable, Key: { job_id: jobId }, ConsistentRead: true }),
        )
      ).Item;

    it('counts 50 concurrent reports of 10 chunk indexes exactly once each: 10 applied, and the done set holds all 10', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = runningJob();
      await repo.create(job);
      const reports = Array.from({ length: 50 }, (_, n) => n % 10);
      // Act
      const results = await Promise.all(
        reports.map((index) => repo.countTaskDone(job.job_id, 'chunk', index, PLAN, AT)),
      );
      const stored = await repo.get(job.job_id);
      // Assert
      const appliedIndexes = reports.filter((_, n) => results[n].applied).sort((a, b) => a - b);
      expect(appliedIndexes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(stored?.chunks_done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(stored?.updated_at).toBe(AT);
      // Each applied count returns the job with its own index in; exactly one saw the set complete.
      for (const [n, result] of results.entries()) {
        if (result.applied) expect(result.record?.chunks_done).toContain(reports[n]);
        else expect(result.record?.job_id).toBe(job.job_id);
      }
      const completing = results.filter((r) => r.applied && r.record?.chunks_done?.length === 10);
      expect(completing).toHaveLength(1);
      expect((await rawItem(job.job_id))?.chunks_done).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    });

    it('counts nothing for another plan, a job no longer running, a job never planned or no job, and returns the job as it is', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = runningJob({ chunks_done: [4] });
      const cancelled = runningJob({ status: 'cancelled' });
      const unplanned = jobRecord(uniqueOwner(), { status: 'running' });
      for (const j of [job, cancelled, unplanned]) await repo.create(j);
      // Act
      const otherPlan = await repo.countTaskDone(job.job_id, 'chunk', 1, 'plan-2', AT);
      const repeat = await repo.countTaskDone(job.job_id, 'chunk', 4, PLAN, AT);
      const ended = await repo.countTaskDone(cancelled.job_id, 'chunk', 1, PLAN, AT);
      const neverPlanned = await repo.countTaskDone(unplanned.job_id, 'chunk', 1, PLAN, AT);
      const missing = await repo.countTaskDone('no-such-job', 'chunk', 1, PLAN, AT);
      // Assert
      expect(otherPlan).toEqual({ applied: false, record: job });
      expect(repeat).toEqual({ applied: false, record: job });
      expect(ended).toEqual({ applied: false, record: cancelled });
      expect(neverPlanned).toEqual({ applied: false, record: unplanned });
      expect(missing).toEqual({ applied: false, record: undefined });
      expect((await repo.get(cancelled.job_id))?.chunks_done).toBeUndefined();
      await expect(repo.countTaskDone(job.job_id, 'chunk', -1, PLAN, AT)).rejects.toBeInstanceOf(RangeError);
    });

    it('counts chunks and seal tasks in their own sets', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = runningJob();
      await repo.create(job);
      // Act
      const chunk = await repo.countTaskDone(job.job_id, 'chunk', 0, PLAN, AT);
      const seal = await repo.countTaskDone(job.job_id, 'seal', 0, PLAN, AT);
      const sealAgain = await repo.countTaskDone(job.job_id, 'seal', 0, PLAN, AT);
      const seal2 = await repo.countTaskDone(job.job_id, 'seal', 2, PLAN, AT);
      // Assert
      expect([chunk.applied, seal.applied, sealAgain.applied, seal2.applied]).toEqual([
        true,
        true,
        false,
        true,
      ]);
      expect(seal2.record).toMatchObject({ chunks_done: [0], seals_done: [0, 2] });
    });

    it('stores done lists as number sets read back sorted, drops an empty one, and counts on after a reset', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = runningJob({ chunks_done: [7, 2], chunk_progress: { '2': 1 } });
      await repo.create(job);
      const created = await repo.get(job.job_id);
      const raw = await rawItem(job.job_id);
      // Act: a new plan resets the list (an empty list is no attribute), then a set list is a set again.
      const reset = await repo.update(job.job_id, {
        set: { chunks_done: [], chunking: { plan_id: 'plan-2', bounds: [0, 10] } },
      });
      const rawReset = await rawItem(job.job_id);
      const counted = await repo.countTaskDone(job.job_id, 'chunk', 0, 'plan-2', AT);
      const listed = await repo.update(job.job_id, { set: { seals_done: [3, 1] } });
      const afterList = await repo.countTaskDone(job.job_id, 'seal', 2, 'plan-2', AT);
      // Assert
      expect(created?.chunks_done).toEqual([2, 7]);
      expect(created?.chunk_progress).toEqual({ '2': 1 });
      expect(raw?.chunks_done).toEqual(new Set([2, 7]));
      expect(reset?.chunks_done).toBeUndefined();
      expect(rawReset).not.toHaveProperty('chunks_done');
      expect(counted).toMatchObject({ applied: true, record: { chunks_done: [0] } });
      expect(listed?.seals_done).toEqual([1, 3]);
      expect(afterList.record?.seals_done).toEqual([1, 2, 3]);
    });

    it('records chunk progress in a map made by the first write, while the job runs under the plan only', async () => {
      // Prepare
      const repo = jobsRepo();
      const job = runningJob();
      await repo.create(job);
      // Act: ten chunks report at once on a job with no map yet, then chunk 3 reports again.
      const firsts = await Promise.all(
        Array.from({ length: 10 }, (_, i) => repo.recordChunkProgress(job.job_id, i, i * 10, PLAN, AT)),
      );
      const again = await repo.recordChunkProgress(job.job_id, 3, 95, PLAN, '2026-02-01T00:00:01.000Z');
      const otherPlan = await repo.recordChunkProgress(job.job_id, 3, 1, 'plan-2', AT);
      await repo.update(job.job_id, { set: { status: 'cancelled' } });
      const cancelled = await repo.recordChunkProgress(job.job_id, 4, 1, PLAN, AT);
      const missing = await repo.recordChunkProgress('no-such-job', 0, 1, PLAN, AT);
      const stored = await repo.get(job.job_id);
      // Assert
      expect(firsts).toEqual(Array(10).fill(true));
      expect(again).toBe(true);
      expect([otherPlan, cancelled, missing]).toEqual([false, false, false]);
      expect(stored?.chunk_progress).toEqual({
        '0': 0,
        '1': 10,
        '2': 20,
        '3': 95,
        '4': 40,
        '5': 50,
        '6': 60,
        '7': 70,
        '8': 80,
        '9': 90,
      });
      expect(stored?.updated_at).toBe('2026-02-01T00:00:01.000Z');
    });

    it('reads a job stored before chunking existed unchanged, with none of the new fields', async () => {
      // Prepare: the item as an older version wrote it (no chunking, done sets or progress map).
      const repo = jobsRepo();
      const job = jobRecord(uniqueOwner(), { status: 'running' });
      await repo.create(job);
      // Act
      const read = await repo.get(job.job_id);
      const progress = await repo.recordChunkProgress(job.job_id, 0, 1, PLAN, AT);
      // Assert
      expect(read).toEqual(job);
      expect(read).not.toHaveProperty('chunks_done');
      expect(read).not.toHaveProperty('chunking');
      expect(progress).toBe(false);
    });
  });

  describe(`DynamoConfigurationRepository (${label})`, () => {
    it('creates version 1 and its head, and refuses an existing id', async () => {
      // Prepare
      const repo = configsRepo();
      const owner = uniqueOwner();
      const { head, first } = configRecords(owner, `cfg-${Math.random()}`, '2026-01-01T00:00:00.000Z');
      // Act
      await repo.create(head, first);
      // Assert
      expect(await repo.getHead(head.config_id)).toEqual(head);
      expect(await repo.getVersion(head.config_id, 1)).toEqual(first);
      await expect(repo.create(head, first)).rejects.toBeInstanceOf(ConflictError);
    });

    it('refuses a configuration above the 400 KB item limit with a 413 and writes no version or head', async () => {
      // Prepare
      const repo = configsRepo();
      const { head, first } = configRecords(
        uniqueOwner(),
        `cfg-${Math.random()}`,
        '2026-01-01T00:00:00.000Z',
      );
      const huge = { ...body('v1'), description: 'z'.repeat(MAX_ITEM_BYTES) } as typeof first.configuration;
      // Act
      const refused = await repo
        .create({ ...head, configuration: huge }, { ...first, configuration: huge })
        .catch((error: unknown) => error);
      // Assert
      expect(refused).toBeInstanceOf(PayloadTooLargeError);
      expect(await repo.getVersion(head.config_id, 1)).toBeUndefined();
      expect(await repo.getHead(head.config_id)).toBeUndefined();
    });

    it('keeps versions immutable and moves the head only forwards', async () => {
      // Prepare
      const repo = configsRepo();
      const { head, first } = configRecords(
        uniqueOwner(),
        `cfg-${Math.random()}`,
        '2026-01-01T00:00:00.000Z',
      );
      await repo.create(head, first);
      const second = {
        ...first,
        version: 2,
        name: 'v2',
        configuration: body('v2'),
        created_at: '2026-01-02T00:00:00.000Z',
      };
      // Act
      await repo.putVersion(second);
      const duplicate = await repo
        .putVersion({ ...second, name: 'overwrite' })
        .catch((error: unknown) => error);
      const moved = await repo.advanceHead(second, second.created_at);
      const movedAgain = await repo.advanceHead(second, second.created_at);
      const backwards = await repo.advanceHead(first, '2026-01-03T00:00:00.000Z');
      // Assert
      expect(duplicate).toBeInstanceOf(ConflictError);
      expect([moved, movedAgain, backwards]).toEqual([true, false, false]);
      const current = await repo.getHead(head.config_id);
      expect(current?.latest_version).toBe(2);
      expect(current?.name).toBe('v2');
      expect((await repo.getVersion(head.config_id, 1))?.name).toBe('v1');
      expect((await repo.getVersion(head.config_id, 2))?.name).toBe('v2');
      expect((await repo.getLatestVersion(head.config_id))?.version).toBe(2);
    });

    it('lists versions oldest first across pages', async () => {
      // Prepare
      const repo = configsRepo();
      const { head, first } = configRecords(
        uniqueOwner(),
        `cfg-${Math.random()}`,
        '2026-01-01T00:00:00.000Z',
      );
      await repo.create(head, first);
      for (let v = 2; v <= 5; v++) await repo.putVersion({ ...first, version: v, name: `v${v}` });
      // Act
      const page1 = await repo.listVersions(head.config_id, { limit: 2 });
      const page2 = await repo.listVersions(head.config_id, { limit: 2, cursor: page1.next_cursor });
      const page3 = await repo.listVersions(head.config_id, { limit: 2, cursor: page2.next_cursor });
      // Assert
      expect([page1, page2, page3].map((p) => p.items.map((v) => v.version))).toEqual([[1, 2], [3, 4], [5]]);
      expect(page3.next_cursor).toBeNull();
      await expect(
        repo.listVersions('another', { limit: 2, cursor: page1.next_cursor }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it("lists one owner's configurations newest first by cursor, without versions or other owners", async () => {
      // Prepare
      const repo = configsRepo();
      const owner = uniqueOwner();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { head, first } = configRecords(
          owner,
          `cfg-${Math.random()}`,
          `2026-02-0${i + 1}T00:00:00.000Z`,
        );
        await repo.create(head, first);
        await repo.putVersion({ ...first, version: 2 });
        ids.push(head.config_id);
      }
      const foreign = configRecords(uniqueOwner(), `cfg-${Math.random()}`, '2026-02-09T00:00:00.000Z');
      await repo.create(foreign.head, foreign.first);
      // Act
      const page1 = await repo.listByOwner(owner, { limit: 3 });
      const page2 = await repo.listByOwner(owner, { limit: 3, cursor: page1.next_cursor });
      // Assert
      expect([...page1.items, ...page2.items].map((c) => c.config_id)).toEqual([...ids].reverse());
      expect(page2.next_cursor).toBeNull();
      expect(page1.items[0]).not.toHaveProperty('list_owner');
    });

    it('deletes the head and every version', async () => {
      // Prepare
      const repo = configsRepo();
      const { head, first } = configRecords(
        uniqueOwner(),
        `cfg-${Math.random()}`,
        '2026-01-01T00:00:00.000Z',
      );
      await repo.create(head, first);
      for (let v = 2; v <= 30; v++) await repo.putVersion({ ...first, version: v });
      // Act
      await repo.delete(head.config_id);
      // Assert
      expect(await repo.getHead(head.config_id)).toBeUndefined();
      expect(await repo.getLatestVersion(head.config_id)).toBeUndefined();
    });
  });
}
