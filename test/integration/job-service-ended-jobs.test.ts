/**
 * A job without results answers 409 on results and downloads: "not completed yet" only while it may
 * still complete; a cancelled job, or one failed for good, says it has none (JobService over dynalite).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../lib/core/index.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../lib/domain/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(() => {
  platform = createTestPlatform(env);
});

/** A queued job of a fresh owner (no worker runs in this test). */
async function queuedJob(): Promise<{ owner: string; jobId: string }> {
  const principal = principalOf(uniqueOwner());
  const { job } = await platform.generationService.create(principal, {
    configuration: { name: 'Ended jobs', count: 3, days_of_fighting: 1 },
    seed: 1,
  });
  return { owner: principal.owner, jobId: job.job_id };
}

/** The messages of the results and download refusals. */
async function refusals(owner: string, jobId: string): Promise<string[]> {
  const errors = await Promise.all([
    platform.jobService.results(owner, jobId).catch((e: unknown) => e),
    platform.jobService.downloadLink(owner, jobId).catch((e: unknown) => e),
  ]);
  return errors.map((error) => {
    expect(error).toBeInstanceOf(ConflictError);
    return (error as ConflictError).message;
  });
}

describe('results and downloads of a job that has none', () => {
  it('a job still queued is "not completed yet"', async () => {
    // Prepare
    const { owner, jobId } = await queuedJob();
    // Act
    const messages = await refusals(owner, jobId);
    // Assert
    for (const message of messages)
      expect(message).toBe(`Job ${jobId} is not completed yet. Current status: queued`);
  });

  it('a cancelled job says it was cancelled and has no results, not "yet"', async () => {
    // Prepare
    const { owner, jobId } = await queuedJob();
    await platform.jobService.cancel(owner, jobId);
    // Act
    const messages = await refusals(owner, jobId);
    // Assert
    for (const message of messages) {
      expect(message).toBe(
        `Job ${jobId} is not completed: it was cancelled and has no results. Create a new job.`,
      );
    }
  });

  it('a job failed for good says it failed; one awaiting its retry is "not completed yet"', async () => {
    // Prepare
    const final = await queuedJob();
    const retrying = await queuedJob();
    const failed = (attempts: number) => ({
      set: { status: 'failed' as const, attempts, error: { code: 'GENERATION_ERROR', message: 'test' } },
    });
    await platform.jobs.update(final.jobId, failed(DEFAULT_MAX_ATTEMPTS));
    await platform.jobs.update(retrying.jobId, failed(1));
    // Act
    const finalMessages = await refusals(final.owner, final.jobId);
    const retryingMessages = await refusals(retrying.owner, retrying.jobId);
    // Assert
    for (const message of finalMessages) {
      expect(message).toBe(
        `Job ${final.jobId} is not completed: it failed and has no results. Create a new job.`,
      );
    }
    // Awaiting its retry, the job is shown queued (memory/fixes/0153), and its refusals say so.
    for (const message of retryingMessages) {
      expect(message).toBe(`Job ${retrying.jobId} is not completed yet. Current status: queued`);
    }
  });
});
