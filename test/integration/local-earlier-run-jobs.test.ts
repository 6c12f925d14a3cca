import { beforeAll, describe, expect, it } from 'vitest';
import { EARLIER_RUN_JOB_ERROR, failJobsOfEarlierRun } from '../../infra/local/earlier-run-jobs.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../lib/domain/index.js';
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

beforeAll(() => {
  platform = createTestPlatform(env);
});

const activeOf = (owner: string) => activeJobsOf(platform.clients, env.USAGE_TABLE, principalOf(owner).keyId);

describe('jobs of an earlier local run', () => {
  it('fails a job awaiting its retry for good, with the restart`s reason, and gives its key`s slot back', async () => {
    // Prepare: a job whose first run failed; its retry would have come from the earlier queue.
    const owner = uniqueOwner('earlier');
    const { job } = await platform.generationService.create(principalOf(owner), {
      configuration: { name: 'Earlier run', count: 10, days_of_fighting: 1 },
      output_formats: ['json'],
      seed: 3,
    });
    await platform.jobs.update(job.job_id, {
      set: { status: 'failed', attempts: 1, error: { code: 'GENERATION_ERROR', message: 'worker died' } },
    });
    const before = await platform.jobService.get(owner, job.job_id);
    const slotsBefore = await activeOf(owner);
    // Act
    const failed = await failJobsOfEarlierRun(env);
    // Assert
    expect(before.status).toBe('queued');
    expect(slotsBefore).toBe(1);
    expect(failed).toBeGreaterThanOrEqual(1);
    const after = await platform.jobService.get(owner, job.job_id);
    expect(after).toMatchObject({ status: 'failed', error: EARLIER_RUN_JOB_ERROR });
    expect(after.completed_at).not.toBeNull();
    expect((await platform.jobs.get(job.job_id))!.attempts).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await activeOf(owner)).toBe(0);
  });

  it('leaves a job that failed for good as it was', async () => {
    // Prepare
    const owner = uniqueOwner('ended');
    const { job } = await platform.generationService.create(principalOf(owner), {
      configuration: { name: 'Ended', count: 10, days_of_fighting: 1 },
      output_formats: ['json'],
      seed: 4,
    });
    const error = { code: 'GENERATION_ERROR', message: 'out of retries' };
    await platform.jobs.update(job.job_id, {
      set: {
        status: 'failed',
        attempts: DEFAULT_MAX_ATTEMPTS,
        error,
        completed_at: '2026-12-01T00:00:00.000Z',
      },
    });
    // Act
    await failJobsOfEarlierRun(env);
    // Assert
    expect(await platform.jobService.get(owner, job.job_id)).toMatchObject({
      status: 'failed',
      error,
      completed_at: '2026-12-01T00:00:00.000Z',
    });
  });
});
