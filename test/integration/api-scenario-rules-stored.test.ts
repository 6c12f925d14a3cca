/**
 * Scenarios stored before front ids had to be unique and names not blank (ConfigurationService,
 * GenerationService, JobService and JobRunner over dynalite + fauxqs): nothing stored is lost. A stored
 * configuration stays readable and listed; a new job from it is refused with the path and the rule
 * until its owner saves it again; a job accepted before the rules still runs
 * (memory/fixes/0154-duplicate-front-ids-and-blank-names.md).
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/core/index.js';
import type { ConfigurationBody } from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(async () => {
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `stored-rules-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
});

/** A body the old rules accepted: two fronts with one id, a blank name. */
function oldBody(): ConfigurationBody {
  const base = platform.configurationService.defaultConfiguration();
  const { id: _id, version: _v, created_at: _c, updated_at: _u, parent_config_id: _p, ...body } = base;
  const [front] = body.front_configs;
  return {
    ...body,
    name: '   ',
    total_patients: 40,
    days_of_fighting: 2,
    front_configs: [front, { ...front, name: 'Second front, same id' }],
  };
}

/** Writes the body as a configuration stored before the rules, straight into the table. */
async function storedBeforeTheRules(owner: string, configId: string): Promise<void> {
  const body = oldBody();
  const at = new Date().toISOString();
  await platform.configurationRepository.create(
    {
      config_id: configId,
      owner,
      latest_version: 1,
      name: body.name,
      configuration: body,
      created_at: at,
      updated_at: at,
    },
    { config_id: configId, version: 1, owner, name: body.name, configuration: body, created_at: at },
  );
}

describe('scenarios stored before front ids had to be unique and names not blank', () => {
  it('keeps such a configuration readable and listed, and refuses a job from it with the path and the rule until it is saved again', async () => {
    // Prepare
    const owner = uniqueOwner();
    const configId = `old-${owner}`;
    await storedBeforeTheRules(owner, configId);
    const principal = principalOf(owner);
    // Act
    const read = await platform.configurationService.get(owner, configId);
    const listed = await platform.configurationService.list(owner);
    const versions = await platform.configurationService.listVersions(owner, configId);
    const refused = await platform.generationService
      .create(principal, { configuration_id: configId, seed: 1 })
      .catch((e: unknown) => e);
    const fixed = oldBody();
    const saved = await platform.configurationService.update(owner, configId, {
      ...fixed,
      name: 'Fixed',
      front_configs: [fixed.front_configs[0], { ...fixed.front_configs[1], id: 'second' }],
    });
    const accepted = await platform.generationService.create(principal, {
      configuration_id: configId,
      seed: 1,
    });
    // Assert
    expect(read.front_configs.map((f) => f.name)).toEqual([
      oldBody().front_configs[0].name,
      'Second front, same id',
    ]);
    expect(listed.configurations.map((c) => c.id)).toEqual([configId]);
    expect(versions.versions.map((v) => v.version)).toEqual([1]);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).details).toEqual({
      errors: [
        { path: 'name', message: 'must not be only white space' },
        { path: 'front_configs[1].id', message: 'must be unique' },
      ],
    });
    expect(saved.version).toBe(2);
    expect(accepted.created).toBe(true);
    expect(accepted.job.config.configuration_version).toBe(2);
    expect((await platform.configurationService.listVersions(owner, configId)).versions).toHaveLength(2);
  });

  it('runs a job accepted before the rules to the end, from the scenario it was accepted with', async () => {
    // Prepare: a queued job whose stored scenario the old rules accepted.
    const owner = uniqueOwner();
    const { job } = await platform.generationService.create(principalOf(owner), {
      configuration_id: 'default',
      total_patients: 40,
      seed: 5,
    });
    await platform.jobs.update(job.job_id, { set: { scenario: { ...oldBody(), seed: 5 } } });
    // Act
    const outcome = await platform.runner.run(job.job_id);
    // Assert
    expect(outcome).toBe('completed');
    const done = await platform.jobService.get(owner, job.job_id);
    expect(done.status).toBe('completed');
    expect(done.summary?.total_patients).toBe(40);
  });
});
