/**
 * POST /api/v1/jobs/{job_id}/cancel of a job whose run failed with its retry still to come (stored
 * `failed` with fewer runs than the queue's deliveries, shown `queued` with `retry`: fix 0153): the retry would start it again, so the cancel
 * must stop it, as a delete does (JobService and JobRunner over dynalite + fauxqs;
 * memory/fixes/0150-cancel-refused-a-job-awaiting-its-retry.md).
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../lib/core/index.js';
import { type JobRecord, JobRunner, PlanCache } from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import {
  createTestPlatform,
  principalOf,
  ROOMY_LIMITS,
  type TestPlatform,
  uniqueOwner,
} from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `cancel-retry-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

/** Plans that fail the first time, as a worker that lost its first run while planning. */
class PlansFailingOnce extends PlanCache {
  private failed = false;

  override get(record: Pick<JobRecord, 'job_id' | 'seed' | 'scenario'>) {
    if (!this.failed) {
      this.failed = true;
      throw new Error('the worker ran out of memory');
    }
    return super.get(record);
  }
}

/** A job of a key with one running slot, whose first run failed and awaits its retry. */
async function jobAwaitingItsRetry() {
  const principal = principalOf(uniqueOwner(), { ...ROOMY_LIMITS, max_concurrent_jobs: 1 });
  const { job } = await platform.generationService.create(principal, {
    configuration: { name: 'Cancel a retry', count: 5, days_of_fighting: 1 },
    seed: 3,
  });
  const firstRun = new JobRunner({
    jobs: platform.jobs,
    store: platform.store,
    usage: platform.usage,
    plans: new PlansFailingOnce(),
  });
  await expect(firstRun.run(job.job_id, { receiveCount: 1 })).rejects.toThrow('out of memory');
  return { principal, jobId: job.job_id };
}

describe('cancelling a job that failed and awaits its retry', () => {
  it('cancels it, so the retry does not run it, and gives its running slot back', async () => {
    // Prepare
    const { principal, jobId } = await jobAwaitingItsRetry();
    const before = await platform.jobService.get(principal.owner, jobId);
    // Act
    const cancelled = await platform.jobService.cancel(principal.owner, jobId).catch((e: unknown) => e);
    const retry = await platform.runner.run(jobId, { receiveCount: 2 });
    const next = await platform.generationService
      .create(principal, { configuration: { name: 'Next', count: 5, days_of_fighting: 1 }, seed: 4 })
      .catch((e: unknown) => e);
    // Assert
    expect(before).toMatchObject({ status: 'queued', completed_at: null, retry: { attempts: 1 } });
    expect(cancelled).not.toBeInstanceOf(ConflictError);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(retry).toBe('skipped');
    const after = await platform.jobService.get(principal.owner, jobId);
    expect(after.status).toBe('cancelled');
    expect(after.output_files).toEqual([]);
    expect(next).toMatchObject({ created: true });
  });

  it('still refuses a job that failed for good with a 409 naming its status', async () => {
    // Prepare
    const { principal, jobId } = await jobAwaitingItsRetry();
    await platform.jobs.update(jobId, { set: { attempts: 3 } });
    // Act
    const refused = await platform.jobService.cancel(principal.owner, jobId).catch((e: unknown) => e);
    // Assert
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toBe(`Cannot cancel job ${jobId} with status failed`);
  });
});
