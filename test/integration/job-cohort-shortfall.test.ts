/**
 * A cohort too rare to find fails its job for good at planning (lib/domain/job-planner.ts,
 * memory/decisions/0912-cohorts.md): the search is deterministic, so a retry would only repeat it.
 * Over dynalite and fauxqs.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS, JobRunner } from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `cohort-test-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

describe('a cohort too rare at run time', () => {
  it('fails the job for good with GENERATION_ERROR naming the criterion and the count; a redelivery skips it', async () => {
    // Prepare: a nation with a vanishing share, a patient or so among every candidate.
    const owner = uniqueOwner('cohort');
    const { job } = await platform.generationService.create(principalOf(owner), {
      configuration: {
        name: 'Rare cohort',
        total_patients: 10,
        injury_distribution: { Disease: 0.5, 'Non-Battle Injury': 0.3, 'Battle Injury': 0.2 },
        front_configs: [
          {
            id: 'north',
            name: 'North',
            casualty_rate: 1,
            nationality_distribution: [
              { nationality_code: 'NOR', percentage: 100 },
              { nationality_code: 'DEU', percentage: 1e-9 },
            ],
          },
        ],
        days_of_fighting: 2,
        cohort: { nationalities: ['DEU'] },
      },
      output_formats: ['json'],
      seed: 3,
    });
    const runner = new JobRunner({ jobs: platform.jobs, store: platform.store, usage: platform.usage });
    // Act
    const outcome = await runner.run(job.job_id);
    const retried = await runner.run(job.job_id);
    // Assert
    expect(outcome).toBe('failed');
    expect(retried).toBe('skipped');
    expect(await platform.jobs.get(job.job_id)).toMatchObject({
      status: 'failed',
      attempts: DEFAULT_MAX_ATTEMPTS,
      error: {
        code: 'GENERATION_ERROR',
        message: expect.stringMatching(
          /only \d of 10 patients matching among 100000 candidates .*cohort\.nationalities/,
        ),
      },
    });
  });
});
