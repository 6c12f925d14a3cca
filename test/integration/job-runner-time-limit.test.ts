/**
 * The generator stops cleanly before its Lambda timeout (lib/domain/job-runner.ts, time-budget.ts):
 * given the invocation's remaining time, a run that cannot finish in it fails its job for good, with
 * the time limit in the reason, instead of being killed and leaving the job `running`. Over dynalite
 * and fauxqs, with a fake remaining-time function.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/core/index.js';
import { DEFAULT_MAX_ATTEMPTS, JobRunner, jobObjectKey } from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import {
  activeJobsOf,
  createTestPlatform,
  principalOf,
  type TestPlatform,
  uniqueOwner,
} from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `time-limit-test-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

async function createJob(owner: string, total: number, extra: Record<string, unknown> = {}) {
  const { job } = await platform.generationService.create(principalOf(owner), {
    configuration: { name: 'Time limit test', count: total, days_of_fighting: 3 },
    output_formats: ['json', 'csv'],
    seed: 99,
    ...extra,
  });
  return job;
}

const activeOf = (owner: string) => activeJobsOf(platform.clients, env.USAGE_TABLE, principalOf(owner).keyId);

/** Remaining time that is ample for the first `calls` readings, then drops to `after` ms. */
function remainingTime(calls: number, first: number, after: number): () => number {
  let readings = 0;
  return () => (readings++ < calls ? first : after);
}

describe('JobRunner time limit', () => {
  it('stops between batches when the rest cannot finish in the time left, and fails the job for good with the limit in the reason', async () => {
    // Prepare: 200 patients, checkpoints every 10 (5% of the job); ample time for the limit reading
    // and the first checkpoints, then 15 s left: less than the 20 s margin.
    const owner = uniqueOwner('time');
    const job = await createJob(owner, 200, { use_encryption: true, encryption_password: 'out of time pls' });
    const runner = new JobRunner({
      jobs: platform.jobs,
      store: platform.store,
      usage: platform.usage,
      sealer: platform.sealer,
      timeSafetyMarginMs: 20_000,
    });

    // Act
    const outcome = await runner.run(job.job_id, { remainingTimeMs: remainingTime(4, 600_000, 15_000) });

    // Assert
    expect(outcome).toBe('failed');
    const record = await platform.jobs.get(job.job_id);
    expect(record).toMatchObject({
      status: 'failed',
      error: {
        code: 'GENERATION_ERROR',
        message: expect.stringMatching(
          /^The job did not finish within the generator's time limit of 600 s; it stopped after \d+ of 200 patients\. Ask for fewer patients or formats per job\.$/,
        ),
      },
      attempts: DEFAULT_MAX_ATTEMPTS,
    });
    expect(record?.encryption).toBeUndefined();
    expect(record?.run_id).toBeUndefined();
    expect(record?.completed_at).toEqual(expect.any(String));
    expect(await activeOf(owner)).toBe(0);
    const partial = await platform.store.open(jobObjectKey(job.job_id, 'patients.json.enc')).catch((e) => e);
    expect(partial).toBeInstanceOf(NotFoundError);
  });

  it('is final: a redelivered message does not run the job again', async () => {
    // Prepare
    const owner = uniqueOwner('time');
    const job = await createJob(owner, 40);
    const runner = new JobRunner({ jobs: platform.jobs, store: platform.store, usage: platform.usage });
    await runner.run(job.job_id, { remainingTimeMs: () => 1_000 });
    // Act
    const retried = await runner.run(job.job_id, { remainingTimeMs: () => 900_000 });
    // Assert
    expect(retried).toBe('skipped');
    expect(await platform.jobs.get(job.job_id)).toMatchObject({
      status: 'failed',
      error: { message: expect.stringContaining('it stopped after 0 of 40 patients') },
    });
    expect(await activeOf(owner)).toBe(0);
  });

  it('does not stop a chunk for a slow warm-up batch when the rest fits at its best rate (fix 0071)', async () => {
    // Prepare: one chunk of 200 patients in batches of 10; its first batch appears to take 25 s (the
    // clock jumps once the chunk's first progress is written), the rest run at full speed; 100 s left
    // throughout. The former rule priced the packaging at half the chunk's projected time at its
    // average rate (warm-up included): 0.5 × 25 s × 10 = 125 s, more than the 80 s left after the margin.
    const owner = uniqueOwner('time');
    const job = await createJob(owner, 200);
    let offsetMs = 0;
    const jobs = new Proxy(platform.jobs, {
      get(target, property, receiver) {
        if (property === 'recordChunkProgress') {
          return async (...args: Parameters<typeof target.recordChunkProgress>) => {
            const written = await target.recordChunkProgress(...args);
            if (args[2] === 0) offsetMs = 25_000;
            return written;
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const runner = new JobRunner({
      jobs,
      store: platform.store,
      usage: platform.usage,
      checkpointEvery: 10,
      timeSafetyMarginMs: 20_000,
      clock: () => new Date(Date.now() + offsetMs),
    });
    // Act
    const outcome = await runner.run(job.job_id, { remainingTimeMs: () => 100_000 });
    // Assert
    expect(outcome).toBe('completed');
    expect(await platform.jobs.get(job.job_id)).toMatchObject({ status: 'completed' });
    expect(await activeOf(owner)).toBe(0);
  });

  it('completes a job that fits in the time left, reading the time at every checkpoint', async () => {
    // Prepare
    const owner = uniqueOwner('time');
    const job = await createJob(owner, 100);
    let readings = 0;
    const runner = new JobRunner({ jobs: platform.jobs, store: platform.store, usage: platform.usage });
    // Act
    const outcome = await runner.run(job.job_id, {
      remainingTimeMs: () => {
        readings++;
        return 900_000;
      },
    });
    // Assert
    expect(outcome).toBe('completed');
    expect((await platform.jobs.get(job.job_id))?.status).toBe('completed');
    // The limit, then at the chunk's checkpoints (at most every 5 patients; one in flight at a time).
    expect(readings).toBeGreaterThanOrEqual(3);
    expect(readings).toBeLessThanOrEqual(21);
    expect(await activeOf(owner)).toBe(0);
  });
});
