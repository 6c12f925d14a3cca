/**
 * The repository behaviour every DynamoDB backend must show (dynalite, DynamoDB Local): one suite,
 * run by each backend's test file.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
      expect(second).toEqual({ claimed: false, jobId: 'job-a', fingerprint: 'fp-1' });
      expect(otherOwner).toEqual({ claimed: true });
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
