/**
 * A key's limits on jobs (issue #8 §3) through GenerationService, JobService and JobRunner over
 * dynalite + fauxqs with the real usage counters: 403 over the patients per job, 429 at the running
 * jobs and the daily quotas, and the running slot given back exactly once by whoever ends the job.
 */

import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AppError, ForbiddenError, RateLimitedError, StorageError } from '../../lib/core/index.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  GenerationService,
  type JobChanges,
  type JobCondition,
  type JobRecord,
  type JobRepository,
  JobRunner,
  JobService,
  type JobStatus,
  type KeyLimits,
  PlanCache,
  type Principal,
  type ResultStore,
} from '../../lib/domain/index.js';
import { createAwsClients, SqsJobQueue } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import {
  activeJobsOf,
  createTestPlatform,
  principalOf,
  ROOMY_LIMITS,
  type TestPlatform,
  uniqueOwner,
} from '../support/platform.js';
import { storeFailingWrites } from '../support/result-stores.js';

type TaskStage = Parameters<JobRepository['countTaskDone']>[1];

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `limits-test-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

function keyWith(limits: Partial<KeyLimits>): Principal {
  return principalOf(uniqueOwner(), { ...ROOMY_LIMITS, ...limits });
}

function request(patients: number, extra: Record<string, unknown> = {}) {
  return {
    configuration: { name: 'Limits test', count: patients, days_of_fighting: 2 },
    seed: 7,
    ...extra,
  };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as AppError;
}

/** The key's jobs queued or running, as the usage table counts them. */
const activeOf = (keyId: string) => activeJobsOf(platform.clients, env.USAGE_TABLE, keyId);

async function today(keyId: string) {
  const [day] = await platform.usage.usage(keyId, [new Date().toISOString().slice(0, 10)]);
  return day;
}

/** A store whose uploads fail: every run of a job fails. */
const brokenStore = (): ResultStore => storeFailingWrites(platform.store, 'bucket on fire');

/** Plans that cannot be made, as a worker that dies while planning: the run fails before its plan. */
const failingPlans = (): PlanCache =>
  new (class extends PlanCache {
    override get(): never {
      throw new Error('the worker ran out of memory');
    }
  })();

describe('Limits on jobs: patients per job', () => {
  it('refuses more patients than max_patients_per_job with 403 naming the limit, and counts nothing', async () => {
    // Prepare
    const key = keyWith({ max_patients_per_job: 50 });
    // Act
    const error = await refusal(platform.generationService.create(key, request(51)));
    const fits = await platform.generationService.create(key, request(50));
    // Assert
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.status).toBe(403);
    expect(error.details).toEqual({ limit: 'max_patients_per_job', value: 50, requested: 51 });
    expect(error.message).toContain('max_patients_per_job');
    expect(fits.created).toBe(true);
    expect(await today(key.keyId)).toMatchObject({ jobs: 1, patients: 50 });
  });
});

describe('Limits on jobs: jobs queued or running', () => {
  it('answers 429 with Retry-After at max_concurrent_jobs, naming the limit and the jobs in progress', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 2 });
    await platform.generationService.create(key, request(5));
    await platform.generationService.create(key, request(5));
    // Act
    const error = await refusal(platform.generationService.create(key, request(5)));
    // Assert
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.status).toBe(429);
    expect(error.details).toEqual({
      limit: 'max_concurrent_jobs',
      value: 2,
      used: 2,
      retry_after_seconds: 30,
    });
    expect(error.headers['Retry-After']).toBe('30');
    expect(await today(key.keyId)).toMatchObject({ jobs: 2, patients: 10 });
    expect(await activeOf(key.keyId)).toBe(2);
  });

  it('gives the slot back when the job completes, so the next job is accepted', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1 });
    const { job } = await platform.generationService.create(key, request(5));
    const blocked = await refusal(platform.generationService.create(key, request(5)));
    // Act
    const outcome = await platform.runner.run(job.job_id);
    const next = await platform.generationService.create(key, request(5));
    // Assert
    expect(blocked).toBeInstanceOf(RateLimitedError);
    expect(outcome).toBe('completed');
    expect(next.created).toBe(true);
    expect(await activeOf(key.keyId)).toBe(1);
  });

  it('gives the slot back before the job shows completed, so a client that sees it end can start the next at once', async () => {
    // Prepare: the key's running jobs as counted the moment the completing write lands.
    const key = keyWith({ max_concurrent_jobs: 1 });
    const { job } = await platform.generationService.create(key, request(5));
    const { jobs, counted } = countedWhen(key.keyId, 'completed');
    const runner = new JobRunner({ jobs, usage: platform.usage, store: platform.store });
    // Act
    const outcome = await runner.run(job.job_id);
    // Assert
    expect(outcome).toBe('completed');
    expect(counted.active).toBe(0);
    expect(await activeOf(key.keyId)).toBe(0);
  });

  it('gives the slot back before the job shows failed for good', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1 });
    const { job } = await platform.generationService.create(key, request(5));
    const { jobs, counted } = countedWhen(key.keyId, 'failed');
    const runner = new JobRunner({ jobs, usage: platform.usage, store: brokenStore() });
    // Act: the queue's last delivery (the worker and JobService share DEFAULT_MAX_ATTEMPTS).
    await runner.run(job.job_id, { receiveCount: DEFAULT_MAX_ATTEMPTS }).catch(() => undefined);
    // Assert
    expect((await platform.jobService.get(key.owner, job.job_id)).status).toBe('failed');
    expect(counted.active).toBe(0);
    expect(await activeOf(key.keyId)).toBe(0);
  });

  it('gives the slot back before a cancelled job shows cancelled', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1 });
    const { job } = await platform.generationService.create(key, request(5));
    const { jobs, counted } = countedWhen(key.keyId, 'cancelled');
    const service = new JobService({ jobs, usage: platform.usage, store: platform.store });
    // Act
    const cancelled = await service.cancel(key.owner, job.job_id);
    // Assert
    expect(cancelled.status).toBe('cancelled');
    expect(counted.active).toBe(0);
    expect(await activeOf(key.keyId)).toBe(0);
  });

  it('gives the slot back once when a cancel lands between the run giving it back and completing the job', async () => {
    // Prepare: a second job holds the key's other slot; the cancel comes right after the release.
    const key = keyWith({ max_concurrent_jobs: 2 });
    const { job } = await platform.generationService.create(key, request(5));
    await platform.generationService.create(key, request(5)); // stays queued
    const jobs = afterUpdates(platform.jobs, async (changes, written) => {
      if (written && changes.set.slot_released) await platform.jobService.cancel(key.owner, job.job_id);
    });
    const runner = new JobRunner({ jobs, usage: platform.usage, store: platform.store });
    // Act
    const outcome = await runner.run(job.job_id);
    // Assert: cancelled, and only the queued job still counted.
    expect(outcome).toBe('cancelled');
    expect((await platform.jobService.get(key.owner, job.job_id)).status).toBe('cancelled');
    expect(await activeOf(key.keyId)).toBe(1);
  });

  it('keeps the slot through a failed run that will be retried, and gives it back when the last run fails', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1 });
    const { job } = await platform.generationService.create(key, request(5));
    const failing = new JobRunner({ jobs: platform.jobs, usage: platform.usage, store: brokenStore() });
    // Act
    await failing.run(job.job_id, { receiveCount: 1 }).catch(() => undefined);
    const afterRetryableFailure = await activeOf(key.keyId);
    const shownBetween = (await platform.jobService.get(key.owner, job.job_id)).status;
    await failing.run(job.job_id, { receiveCount: DEFAULT_MAX_ATTEMPTS }).catch(() => undefined);
    const afterLastFailure = await activeOf(key.keyId);
    const next = await platform.generationService.create(key, request(5));
    // Assert: the failed chunk's retry is still to come, so the job has not ended in between.
    expect(shownBetween).toBe('running');
    expect((await platform.jobService.get(key.owner, job.job_id)).status).toBe('failed');
    expect(afterRetryableFailure).toBe(1);
    expect(afterLastFailure).toBe(0);
    expect(next.created).toBe(true);
  });

  it('gives the slot back when a queued job is cancelled, and when an active job is deleted', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1 });
    const first = await platform.generationService.create(key, request(5));
    // Act
    await platform.jobService.cancel(key.owner, first.job.job_id);
    const second = await platform.generationService.create(key, request(5));
    await platform.jobService.delete(key.owner, second.job.job_id);
    const third = await platform.generationService.create(key, request(5));
    // Assert
    expect(second.created).toBe(true);
    expect(third.created).toBe(true);
    expect(await activeOf(key.keyId)).toBe(1);
  });

  it('gives the slot back once when a running job is cancelled: by the cancel, not by the run that stops', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 2 });
    const running = await platform.generationService.create(key, request(400));
    await platform.generationService.create(key, request(5)); // stays queued
    let cancelled = false;
    const jobs = new CancellingJobs(platform.jobs, async () => {
      if (cancelled) return;
      cancelled = true;
      await platform.jobService.cancel(key.owner, running.job.job_id);
    });
    const runner = new JobRunner({ jobs, usage: platform.usage, store: platform.store, checkpointEvery: 20 });
    // Act
    const outcome = await runner.run(running.job.job_id);
    const afterStop = await activeOf(key.keyId);
    const accepted = await platform.generationService.create(key, request(5));
    const refused = await refusal(platform.generationService.create(key, request(5)));
    // Assert
    expect(outcome).toBe('cancelled');
    expect(afterStop).toBe(1);
    expect(accepted.created).toBe(true);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused.details).toMatchObject({ limit: 'max_concurrent_jobs', used: 2 });
  });

  it('gives the slot back when a failed job waiting for its retry is deleted', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1 });
    const { job } = await platform.generationService.create(key, request(5));
    await new JobRunner({
      jobs: platform.jobs,
      usage: platform.usage,
      store: platform.store,
      plans: failingPlans(),
    })
      .run(job.job_id, { receiveCount: 1 })
      .catch(() => undefined);
    const beforeDelete = await activeOf(key.keyId);
    const shown = await platform.jobService.get(key.owner, job.job_id);
    // Act
    await platform.jobService.delete(key.owner, job.job_id);
    // Assert: shown as not ended (queued, its retry to come: memory/fixes/0153) while it holds the slot.
    expect(await platform.jobs.get(job.job_id)).toBeUndefined();
    expect(shown).toMatchObject({ status: 'queued', completed_at: null, retry: { attempts: 1 } });
    expect(beforeDelete).toBe(1);
    expect(await activeOf(key.keyId)).toBe(0);
  });

  it('releases nothing for a job stored before keys had limits (no key_id)', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 3 });
    const { job } = await platform.generationService.create(key, request(5));
    const stored = (await platform.jobs.get(job.job_id))!;
    const { key_id: _keyId, ...old } = stored;
    const legacy: JobRecord = { ...old, job_id: `${job.job_id}-old` };
    await platform.jobs.create(legacy);
    // Act
    const outcome = await platform.runner.run(legacy.job_id);
    // Assert
    expect(outcome).toBe('completed');
    expect(await activeOf(key.keyId)).toBe(1);
  });
});

describe('Limits on jobs: daily quotas', () => {
  const NOON = new Date('2031-05-20T12:00:00.000Z');
  const clock = () => NOON;
  const service = () =>
    new GenerationService({
      jobs: platform.jobs,
      queue: platform.queue,
      configurations: platform.configurationService,
      usage: platform.usage,
      sealer: platform.sealer,
      clock,
    });

  it('answers 429 after daily_job_quota jobs in a UTC day, Retry-After until midnight UTC', async () => {
    // Prepare
    const key = keyWith({ daily_job_quota: 2 });
    const generation = service();
    await generation.create(key, request(5));
    await generation.create(key, request(5));
    // Act
    const error = await refusal(generation.create(key, request(5)));
    // Assert
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.details).toEqual({
      limit: 'daily_job_quota',
      value: 2,
      used: 2,
      retry_after_seconds: 43_200,
    });
    expect(error.headers['Retry-After']).toBe('43200');
    const [day] = await platform.usage.usage(key.keyId, ['2031-05-20']);
    expect(day).toMatchObject({ jobs: 2, patients: 10 });
    expect(await activeOf(key.keyId)).toBe(2);
  });

  it('answers 429 when a job would pass daily_patient_quota, and still takes a job that fits', async () => {
    // Prepare
    const key = keyWith({ daily_patient_quota: 30 });
    const generation = service();
    await generation.create(key, request(20));
    // Act
    const error = await refusal(generation.create(key, request(11)));
    const fits = await generation.create(key, request(10));
    // Assert
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.details).toMatchObject({ limit: 'daily_patient_quota', value: 30, used: 20 });
    expect(error.message).toContain('daily_patient_quota');
    expect(fits.created).toBe(true);
    const [day] = await platform.usage.usage(key.keyId, ['2031-05-20']);
    expect(day).toMatchObject({ jobs: 2, patients: 30 });
  });

  it('never lets concurrent submissions pass the daily patient quota', async () => {
    // Prepare
    const key = keyWith({ daily_patient_quota: 50 });
    const generation = service();
    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => generation.create(key, request(5))),
    );
    // Assert
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as AppError] : []));
    expect(refused.every((e) => e instanceof RateLimitedError)).toBe(true);
    const [day] = await platform.usage.usage(key.keyId, ['2031-05-20']);
    expect(day).toMatchObject({ jobs: 10, patients: 50 });
  });
});

describe('Limits on jobs: what is not counted', () => {
  it('counts an Idempotency-Key replay once', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1, daily_job_quota: 1 });
    const first = await platform.generationService.create(key, request(5), { idempotencyKey: 'limits-1' });
    // Act
    const replay = await platform.generationService.create(key, request(5), { idempotencyKey: 'limits-1' });
    // Assert
    expect(replay.created).toBe(false);
    expect(replay.job.job_id).toBe(first.job.job_id);
    expect(await today(key.keyId)).toMatchObject({ jobs: 1, patients: 5 });
    expect(await activeOf(key.keyId)).toBe(1);
  });

  it('gives the reservation back when the job cannot be queued', async () => {
    // Prepare
    const key = keyWith({ max_concurrent_jobs: 1 });
    const generation = new GenerationService({
      jobs: platform.jobs,
      queue: new SqsJobQueue(platform.clients.sqs, `${env.GENERATION_QUEUE_URL}-missing`),
      configurations: platform.configurationService,
      usage: platform.usage,
    });
    // Act
    const error = await refusal(generation.create(key, request(5)));
    const next = await platform.generationService.create(key, request(5));
    // Assert
    expect(error).toBeInstanceOf(StorageError);
    expect(next.created).toBe(true);
    expect(await today(key.keyId)).toMatchObject({ jobs: 1, patients: 5 });
    const jobs = await platform.jobService.list(key.owner);
    expect(jobs.jobs.map((j) => j.status).sort()).toEqual(['failed', 'queued']);
  });
});

/** A JobRepository that calls `onProgress` at each progress write of a run (to cancel mid-run). */
class CancellingJobs implements JobRepository {
  constructor(
    private readonly inner: JobRepository,
    private readonly onProgress: () => Promise<void>,
  ) {}
  create(job: JobRecord) {
    return this.inner.create(job);
  }
  get(jobId: string) {
    return this.inner.get(jobId);
  }
  listByOwner(owner: string, page: { limit: number; cursor?: string | null }) {
    return this.inner.listByOwner(owner, page);
  }
  async update(jobId: string, changes: JobChanges, condition?: JobCondition) {
    const details = changes.set.progress_details;
    if (details && changes.set.status === undefined && details.patients_generated > 0)
      await this.onProgress();
    return this.inner.update(jobId, changes, condition);
  }
  delete(jobId: string) {
    return this.inner.delete(jobId);
  }
  countTaskDone(jobId: string, stage: TaskStage, index: number, planId: string, at: string) {
    return this.inner.countTaskDone(jobId, stage, index, planId, at);
  }
  async recordChunkProgress(jobId: string, index: number, done: number, planId: string, at: string) {
    if (done > 0) await this.onProgress();
    return this.inner.recordChunkProgress(jobId, index, done, planId, at);
  }
  claimIdempotencyKey(owner: string, key: string, jobId: string, fingerprint: string, ttl: number) {
    return this.inner.claimIdempotencyKey(owner, key, jobId, fingerprint, ttl);
  }
  confirmIdempotencyKey(owner: string, key: string) {
    return this.inner.confirmIdempotencyKey(owner, key);
  }
}

/**
 * The repository, and the key's running jobs as counted the moment a write gives a job `status`
 * (`counted.active`, unset until such a write lands).
 */
function countedWhen(keyId: string, status: JobStatus) {
  const counted: { active?: number } = {};
  const jobs = afterUpdates(platform.jobs, async (changes, written) => {
    if (written && changes.set.status === status) counted.active = await activeOf(keyId);
  });
  return { jobs, counted };
}

/** The repository, calling `after` with each update's changes and what it wrote (undefined: refused). */
function afterUpdates(
  inner: JobRepository,
  after: (changes: JobChanges, written: JobRecord | undefined) => Promise<void>,
): JobRepository {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'update') {
        return async (jobId: string, changes: JobChanges, condition?: JobCondition) => {
          const written = await target.update(jobId, changes, condition);
          await after(changes, written);
          return written;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
