/**
 * What the job runner reports to the metrics (lib/core/metrics.ts AppMetrics) over dynalite + fauxqs:
 * a completed job's patients, duration and bytes per file; a failed run once.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompletedJobFacts } from '../../lib/core/index.js';
import { JobRunner, type ResultStore } from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';
import { storeFailingWrites } from '../support/result-stores.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `runner-metrics-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

/** Records what the runner reports, as the metrics would. */
function recorder() {
  const completed: CompletedJobFacts[] = [];
  let failed = 0;
  return {
    completed,
    failures: () => failed,
    metrics: {
      jobCompleted: (facts: CompletedJobFacts) => completed.push(facts),
      jobFailed: () => {
        failed += 1;
      },
    },
  };
}

async function createJob(owner: string, total: number) {
  const { job } = await platform.generationService.create(principalOf(owner), {
    configuration: { name: 'Metrics test', count: total, days_of_fighting: 2 },
    output_formats: ['json', 'csv'],
    seed: 99,
  });
  return job;
}

describe('job runner metrics', () => {
  it('reports a completed job with its patient count, duration and the size of every file it wrote', async () => {
    // Prepare
    const owner = uniqueOwner();
    const job = await createJob(owner, 25);
    const seen = recorder();
    const runner = new JobRunner({
      jobs: platform.jobs,
      usage: platform.usage,
      store: platform.store,
      metrics: seen.metrics,
    });

    // Act
    const outcome = await runner.run(job.job_id);

    // Assert
    expect(outcome).toBe('completed');
    expect(seen.failures()).toBe(0);
    expect(seen.completed).toHaveLength(1);
    const [facts] = seen.completed;
    expect(facts.patients).toBe(25);
    expect(facts.durationMs).toBeGreaterThanOrEqual(0);
    const stored = await platform.jobService.get(owner, job.job_id);
    expect(facts.files.map((f) => [f.format, f.size_bytes])).toEqual(
      stored.output_files?.map((f) => [f.format, f.size_bytes]),
    );
    expect(facts.files.map((f) => f.format)).toEqual(['json', 'csv', 'zip']);
  });

  it('reports a job failed for good once, not a failed delivery that will be retried, and no completion', async () => {
    // Prepare
    const job = await createJob(uniqueOwner(), 10);
    const seen = recorder();
    const broken: ResultStore = storeFailingWrites(platform.store, 'bucket on fire');
    const runner = new JobRunner({
      jobs: platform.jobs,
      usage: platform.usage,
      store: broken,
      metrics: seen.metrics,
    });

    // Act
    const retried = await runner.run(job.job_id, { receiveCount: 1 }).catch((e: unknown) => e);
    const afterRetried = seen.failures();
    const last = await runner.run(job.job_id, { receiveCount: 3 }).catch((e: unknown) => e);

    // Assert
    expect(retried).toBeInstanceOf(Error);
    expect(afterRetried).toBe(0);
    expect(last).toBeInstanceOf(Error);
    expect(seen.failures()).toBe(1);
    expect(seen.completed).toEqual([]);
  });
});
