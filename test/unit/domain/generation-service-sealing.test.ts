/**
 * GenerationService and the encryption password (issue #4 §5): sealed with the job id as context, the
 * only form in which it is stored; never in the job, the response or an error. In-memory ports (no AWS).
 */
import { describe, expect, it } from 'vitest';
import { GenerationError, StorageError } from '../../../lib/core/index.js';
import {
  type ConfigurationRepository,
  ConfigurationService,
  GenerationService,
  type IdempotencyClaim,
  type JobChanges,
  type JobCondition,
  type JobQueue,
  type JobRecord,
  type JobRepository,
  type SecretSealer,
} from '../../../lib/domain/index.js';
import { generateSealingKey, LocalKeySealer } from '../../../lib/infrastructure/index.js';
import { MemoryUsageCounters } from '../../support/memory-usage-counters.js';
import { principalOf } from '../../support/platform.js';

const PASSWORD = 'correct horse battery';
const CALLER = principalOf('owner-a');

class MemoryJobs implements JobRepository {
  readonly items = new Map<string, JobRecord>();
  private readonly claims = new Map<string, { jobId: string; fingerprint: string; stored: boolean }>();

  async create(job: JobRecord) {
    this.items.set(job.job_id, structuredClone(job));
  }
  async get(jobId: string) {
    const item = this.items.get(jobId);
    return item && structuredClone(item);
  }
  async listByOwner() {
    return { items: [...this.items.values()], next_cursor: null };
  }
  async update(jobId: string, changes: JobChanges, condition?: JobCondition) {
    const item = this.items.get(jobId);
    if (!item || (condition?.statusIn && !condition.statusIn.includes(item.status))) return undefined;
    const next: Record<string, unknown> = { ...item };
    for (const [k, v] of Object.entries(changes.set)) if (v !== undefined) next[k] = v;
    for (const k of changes.remove ?? []) delete next[k];
    this.items.set(jobId, next as unknown as JobRecord);
    return structuredClone(next) as unknown as JobRecord;
  }
  async delete(jobId: string) {
    this.items.delete(jobId);
  }
  /** As DynamoJobRepository: once per index, only while running under the plan. */
  async countTaskDone(jobId: string, stage: 'chunk' | 'seal', index: number, planId: string, at: string) {
    const item = this.items.get(jobId);
    const attribute = stage === 'chunk' ? 'chunks_done' : 'seals_done';
    const done = item?.[attribute] ?? [];
    if (!item || !this.runs(item, planId) || done.includes(index)) {
      return { applied: false, record: item && structuredClone(item) };
    }
    const next = { ...item, [attribute]: [...done, index].sort((a, b) => a - b), updated_at: at };
    this.items.set(jobId, next);
    return { applied: true, record: structuredClone(next) };
  }
  async recordChunkProgress(jobId: string, index: number, done: number, planId: string, at: string) {
    const item = this.items.get(jobId);
    if (!item || !this.runs(item, planId)) return false;
    const chunk_progress = { ...item.chunk_progress, [String(index)]: done };
    this.items.set(jobId, { ...item, chunk_progress, updated_at: at });
    return true;
  }
  private runs(item: JobRecord, planId: string): boolean {
    return item.status === 'running' && item.chunking?.plan_id === planId;
  }
  async claimIdempotencyKey(
    owner: string,
    key: string,
    jobId: string,
    fingerprint: string,
  ): Promise<IdempotencyClaim> {
    const existing = this.claims.get(`${owner}/${key}`);
    if (existing) return { claimed: false, ...existing };
    this.claims.set(`${owner}/${key}`, { jobId, fingerprint, stored: false });
    return { claimed: true };
  }
  async confirmIdempotencyKey(owner: string, key: string): Promise<void> {
    const existing = this.claims.get(`${owner}/${key}`);
    if (existing) this.claims.set(`${owner}/${key}`, { ...existing, stored: true });
  }
}

class MemoryQueue implements JobQueue {
  readonly sent: string[] = [];
  readonly tasks: Array<Readonly<Record<string, unknown>>> = [];
  async enqueue(jobId: string) {
    this.sent.push(jobId);
    return `m-${this.sent.length}`;
  }
  async sendTasks(bodies: readonly Readonly<Record<string, unknown>>[]) {
    this.tasks.push(...bodies);
  }
}

/** Counts seals; `fail` makes sealing reject the way KMS would, with a message of its own. */
class CountingSealer implements SecretSealer {
  readonly kind = 'local' as const;
  seals = 0;
  constructor(
    private readonly inner: SecretSealer,
    private readonly fail = false,
  ) {}
  async seal(plaintext: string, context: Record<string, string>) {
    this.seals++;
    if (this.fail) throw new Error('AccessDeniedException: not authorized to perform kms:Encrypt');
    return this.inner.seal(plaintext, context);
  }
  unseal(sealed: string, context: Record<string, string>) {
    return this.inner.unseal(sealed, context);
  }
}

function setup(sealer?: SecretSealer) {
  const jobs = new MemoryJobs();
  const queue = new MemoryQueue();
  const configurations = new ConfigurationService({ configurations: {} as ConfigurationRepository });
  const usage = new MemoryUsageCounters();
  const service = new GenerationService({ jobs, queue, configurations, usage, sealer });
  return { jobs, queue, usage, service };
}

const REQUEST = {
  configuration: { name: 'Sealing', total_patients: 5 },
  output_formats: ['json'],
  use_encryption: true,
  encryption_password: PASSWORD,
};

describe('GenerationService: the encryption password', () => {
  it('stores only the password sealed for this job, never the password or a key', async () => {
    // Prepare
    const local = new LocalKeySealer(generateSealingKey());
    const { jobs, service } = setup(local);
    // Act
    const { job, response } = await service.create(CALLER, REQUEST);
    // Assert
    const stored = jobs.items.get(job.job_id)!;
    expect(Object.keys(stored.encryption ?? {}).sort()).toEqual(['sealed_password', 'sealer']);
    expect(stored.encryption?.sealer).toBe('local');
    for (const text of [JSON.stringify(stored), JSON.stringify(job), JSON.stringify(response)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    }
    expect(JSON.stringify(job)).not.toContain('sealed_password');
    expect(await local.unseal(stored.encryption!.sealed_password, { job_id: job.job_id })).toBe(PASSWORD);
    await expect(
      local.unseal(stored.encryption!.sealed_password, { job_id: 'another-job' }),
    ).rejects.toThrow();
  });

  it('stores no encryption attribute without use_encryption, and needs no sealer then', async () => {
    // Prepare
    const { jobs, service } = setup();
    // Act
    const { job } = await service.create(CALLER, { ...REQUEST, use_encryption: false });
    // Assert
    expect(jobs.items.get(job.job_id)?.encryption).toBeNull();
    expect(jobs.items.get(job.job_id)?.status).toBe('queued');
  });

  it('refuses an encrypted job without a sealer, and stores nothing', async () => {
    // Prepare
    const { jobs, queue, service } = setup();
    // Act
    const error = await service.create(CALLER, REQUEST).catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(GenerationError);
    expect((error as Error).message).toContain('no secret sealer');
    expect(jobs.items.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('reports a sealing failure as retryable, without the password, and stores and counts nothing', async () => {
    // Prepare
    const { jobs, queue, usage, service } = setup(
      new CountingSealer(new LocalKeySealer(generateSealingKey()), true),
    );
    // Act
    const error = await service.create(CALLER, REQUEST).catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).not.toContain(PASSWORD);
    expect(jobs.items.size).toBe(0);
    expect(queue.sent).toEqual([]);
    expect(usage.active.get(CALLER.keyId)).toBe(0);
    const [today] = await usage.usage(CALLER.keyId, [new Date().toISOString().slice(0, 10)]);
    expect(today).toMatchObject({ jobs: 0, patients: 0 });
  });

  it('seals once per job: an Idempotency-Key replay returns the stored job untouched', async () => {
    // Prepare
    const sealer = new CountingSealer(new LocalKeySealer(generateSealingKey()));
    const { jobs, service } = setup(sealer);
    const first = await service.create(CALLER, REQUEST, { idempotencyKey: 'k-1' });
    const sealed = jobs.items.get(first.job.job_id)?.encryption;
    // Act
    const replay = await service.create(CALLER, REQUEST, { idempotencyKey: 'k-1' });
    // Assert
    expect(replay.created).toBe(false);
    expect(replay.job.job_id).toBe(first.job.job_id);
    expect(sealer.seals).toBe(1);
    expect(jobs.items.get(first.job.job_id)?.encryption).toEqual(sealed);
  });
});
