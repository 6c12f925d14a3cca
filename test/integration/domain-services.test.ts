/**
 * GenerationService, JobService and ConfigurationService over dynalite + fauxqs: what a caller of
 * the API gets, minus HTTP.
 */
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/core/index.js';
import { getPreset, jobObjectKey, listPresetCategories, listPresets } from '../../lib/domain/index.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';
import { unzip } from '../support/zip.js';

const env = useAwsEnv();
const sqs = createAwsClients().sqs;
let platform: TestPlatform;
let queueUrl = '';

beforeAll(async () => {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: `services-test-${Date.now()}` }));
  queueUrl = created.QueueUrl!;
  platform = createTestPlatform(env, { queueUrl });
});

async function issuesOf(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const SMALL = { configuration: { count: 5 } };

describe('GenerationService', () => {
  it('creates a queued job from an inline configuration, records a random seed and enqueues it with the correlation id', async () => {
    // Prepare
    const owner = uniqueOwner();
    // Act
    const { job, created, response } = await platform.generationService.create(principalOf(owner), SMALL, {
      correlationId: 'req-42',
    });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    // Assert
    expect(created).toBe(true);
    expect(job.status).toBe('queued');
    expect(typeof job.seed).toBe('number');
    expect(job.config).toMatchObject({ total_patients: 5, output_formats: ['json'], priority: 'normal' });
    expect(response).toMatchObject({
      job_id: job.job_id,
      message: `Patient generation job '${job.job_id}' created successfully`,
      seed: job.seed,
    });
    const message = Messages.find((m) => JSON.parse(m.Body ?? '{}').job_id === job.job_id);
    expect(message?.MessageAttributes?.correlation_id?.StringValue).toBe('req-42');
  });

  it('validates the inline configuration at request time and reports each problem with its path', async () => {
    // Prepare
    const owner = uniqueOwner();
    const request = {
      configuration: {
        count: 5,
        intensity: 'apocalyptic',
        front_configs: [
          {
            id: 'f',
            name: 'F',
            casualty_rate: -1,
            nationality_distribution: [{ nationality_code: 'XXX', percentage: 100 }],
          },
        ],
      },
    };
    // Act
    const error = await issuesOf(platform.generationService.create(principalOf(owner), request));
    // Assert
    expect(error.status).toBe(422);
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'configuration.intensity',
        'configuration.front_configs[0].casualty_rate',
        'configuration.front_configs[0].nationality_distribution[0].nationality_code',
      ]),
    );
  });

  it('keeps the original messages for the request fields', async () => {
    // Prepare
    const create = (body: unknown) =>
      issuesOf(platform.generationService.create(principalOf(uniqueOwner()), body));
    // Act
    const neither = await create({});
    const both = await create({ configuration_id: 'x', configuration: {} });
    const format = await create({ ...SMALL, output_formats: ['json', 'xlsx'] });
    const noPassword = await create({ ...SMALL, use_encryption: true });
    const shortPassword = await create({ ...SMALL, use_encryption: true, encryption_password: 'short' });
    const tooMany = await create({ ...SMALL, total_patients: 1_000_001 });
    // Assert
    expect(neither.message).toContain('Either configuration_id or configuration must be provided');
    expect(both.message).toContain('Provide either configuration_id or configuration, not both');
    expect(format.message).toMatch(/Invalid output format: xlsx\. Valid formats: \[.*'json'.*\]/);
    expect(noPassword.message).toContain('encryption_password');
    expect(shortPassword.message).toContain('encryption_password');
    expect(shortPassword.message).toContain('8');
    expect(tooMany.issues[0]).toEqual({
      path: 'total_patients',
      message: 'total_patients must be at most 1000000',
    });
  });

  it('returns the same job for the same Idempotency-Key and owner, and refuses the key for another request', async () => {
    // Prepare
    const owner = uniqueOwner();
    const key = `idem-${Date.now()}`;
    // Act
    const first = await platform.generationService.create(
      principalOf(owner),
      { ...SMALL, seed: 9 },
      { idempotencyKey: key },
    );
    const replay = await platform.generationService.create(
      principalOf(owner),
      { ...SMALL, seed: 9 },
      { idempotencyKey: key },
    );
    const otherOwner = await platform.generationService.create(
      principalOf(uniqueOwner()),
      { ...SMALL, seed: 9 },
      { idempotencyKey: key },
    );
    const different = await platform.generationService
      .create(principalOf(owner), { ...SMALL, seed: 10 }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    // Assert
    expect(replay.job.job_id).toBe(first.job.job_id);
    expect(replay.created).toBe(false);
    expect(otherOwner.job.job_id).not.toBe(first.job.job_id);
    expect(different).toBeInstanceOf(ConflictError);
  });

  it('refuses to replay an Idempotency-Key whose job was deleted (409 naming it), creating no job again', async () => {
    // Prepare
    const owner = uniqueOwner();
    const key = `idem-deleted-${Date.now()}`;
    const first = await platform.generationService.create(
      principalOf(owner),
      { ...SMALL, seed: 21 },
      { idempotencyKey: key },
    );
    await platform.jobService.delete(owner, first.job.job_id);
    // Act
    const replay = await platform.generationService
      .create(principalOf(owner), { ...SMALL, seed: 21 }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    // Assert
    expect(replay).toBeInstanceOf(ConflictError);
    expect((replay as ConflictError).message).toBe(
      `The job this Idempotency-Key created (${first.job.job_id}) was deleted; send a new Idempotency-Key to create another job`,
    );
    expect((await platform.jobService.list(owner)).jobs).toEqual([]);
  });

  it('generates from a stored configuration with the request overrides, and the request seed wins', async () => {
    // Prepare
    const owner = uniqueOwner();
    const config = await platform.configurationService.create(owner, {
      ...platform.configurationService.defaultConfiguration(),
      name: 'Stored',
      total_patients: 50,
      seed: 1,
    });
    // Act
    const { job } = await platform.generationService.create(principalOf(owner), {
      configuration_id: config.id,
      total_patients: 12,
      seed: 'abc',
    });
    const foreign = await platform.generationService
      .create(principalOf(uniqueOwner()), { configuration_id: config.id })
      .catch((e: unknown) => e);
    const preset = await platform.generationService.create(principalOf(owner), {
      configuration_id: 'training_exercise',
    });
    // Assert
    expect(job.config).toMatchObject({
      configuration_id: config.id,
      configuration_version: 1,
      total_patients: 12,
      name: 'Stored',
    });
    expect(job.seed).toBe('abc');
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(preset.job.config.configuration_id).toBe('training_exercise');
  });

  it('never stores or echoes the encryption password', async () => {
    // Prepare
    const owner = uniqueOwner();
    // Act
    const { job } = await platform.generationService.create(principalOf(owner), {
      ...SMALL,
      use_encryption: true,
      encryption_password: 'correct horse battery',
    });
    const stored = await platform.jobs.get(job.job_id);
    // Assert
    expect(JSON.stringify(job)).not.toContain('correct horse');
    expect(JSON.stringify(stored)).not.toContain('correct horse');
    expect(stored?.encryption?.sealer).toBe('local');
    expect(stored?.encryption?.sealed_password).toMatch(/^v1\.local\./);
    expect(await platform.sealer.unseal(stored!.encryption!.sealed_password, { job_id: job.job_id })).toBe(
      'correct horse battery',
    );
  });
});

describe('JobService', () => {
  it("hides another owner's job as not found and lists only the caller's jobs, page by page", async () => {
    // Prepare
    const owner = uniqueOwner();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await platform.generationService.create(principalOf(owner), SMALL)).job.job_id);
    // Act
    const foreign = await platform.jobService.get(uniqueOwner(), ids[0]).catch((e: unknown) => e);
    const page1 = await platform.jobService.list(owner, { limit: 2 });
    const page2 = await platform.jobService.list(owner, { limit: 2, cursor: page1.next_cursor });
    const page3 = await platform.jobService.list(owner, { limit: 2, cursor: page2.next_cursor });
    // Assert
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect((foreign as Error).message).toBe(`Job ${ids[0]} not found`);
    expect([...page1.jobs, ...page2.jobs, ...page3.jobs].map((j) => j.job_id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(page3.next_cursor).toBeNull();
  });

  it('cancels a queued job once and refuses to cancel it again', async () => {
    // Prepare
    const owner = uniqueOwner();
    const { job } = await platform.generationService.create(principalOf(owner), SMALL);
    // Act
    const cancelled = await platform.jobService.cancel(owner, job.job_id);
    const again = await platform.jobService.cancel(owner, job.job_id).catch((e: unknown) => e);
    // Assert
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error).toEqual({ code: 'CANCELLED', message: 'Job cancelled by user' });
    expect(again).toBeInstanceOf(ConflictError);
  });

  it('answers a completed job whose files are gone with a not found that says so, not a link to nothing or an object key (fix 0206)', async () => {
    // Prepare: the files expired (S3 lifecycle) before the record (TTL), or a local stack restarted.
    const owner = uniqueOwner();
    const { job } = await platform.generationService.create(principalOf(owner), {
      configuration: { count: 5 },
      output_formats: ['json', 'csv'],
    });
    await platform.runner.run(job.job_id);
    await platform.store.deletePrefix(`jobs/${job.job_id}/`);
    // Act
    const errors = await Promise.all([
      platform.jobService.downloadLink(owner, job.job_id).catch((e: unknown) => e),
      platform.jobService.downloadLink(owner, job.job_id, 'csv').catch((e: unknown) => e),
      platform.jobService.results(owner, job.job_id).catch((e: unknown) => e),
    ]);
    // Assert
    for (const error of errors) {
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toBe(
        `The files of job ${job.job_id} are no longer stored; generate it again: the same scenario and seed give the same files`,
      );
    }
  });

  it('pages results, hands out presigned links to the ZIP and to one format, and deletes the job with its files', async () => {
    // Prepare
    const owner = uniqueOwner();
    const { job } = await platform.generationService.create(principalOf(owner), {
      configuration: { count: 25, name: 'Exercise: Iron/Wolf' },
      output_formats: ['json', 'csv'],
    });
    const early = await platform.jobService.results(owner, job.job_id).catch((e: unknown) => e);
    await platform.runner.run(job.job_id);
    // Act
    const results = await platform.jobService.results(owner, job.job_id, { page: 3, per_page: 10 });
    const zipLink = await platform.jobService.downloadLink(owner, job.job_id);
    const csvLink = await platform.jobService.downloadLink(owner, job.job_id, 'csv');
    const missing = await platform.jobService
      .downloadLink(owner, job.job_id, 'ndjson')
      .catch((e: unknown) => e);
    const zip = await unzip(Buffer.from(await (await fetch(zipLink.url)).arrayBuffer()));
    const csv = await (await fetch(csvLink.url)).text();
    const deleted = await platform.jobService.delete(owner, job.job_id);
    // Assert
    expect(early).toBeInstanceOf(ConflictError);
    expect(results).toMatchObject({ total: 25, page: 3, per_page: 10, total_pages: 3 });
    expect(results.patients).toHaveLength(5);
    expect(zipLink).toMatchObject({
      format: 'zip',
      file_name: 'patients.zip',
      download_name: `Exercise IronWolf_${job.job_id}.zip`,
      expires_in: 300,
    });
    expect(csvLink.download_name).toBe(`Exercise IronWolf_${job.job_id}.csv`);
    expect(decodeURIComponent(zipLink.url)).toContain(`Exercise IronWolf_${job.job_id}.zip`);
    expect([...zip.keys()]).toEqual(['patients.json', 'patients.csv', 'manifest.json']);
    expect(csv.trim().split('\n')).toHaveLength(26);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(deleted).toMatchObject({
      success: true,
      message: 'Job deleted successfully',
      deleted_id: job.job_id,
    });
    await expect(platform.jobService.get(owner, job.job_id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(platform.store.open(jobObjectKey(job.job_id, 'patients.zip'))).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('ConfigurationService', () => {
  it('writes a new immutable version on every update and keeps the history readable', async () => {
    // Prepare
    const owner = uniqueOwner();
    const base = platform.configurationService.defaultConfiguration();
    const created = await platform.configurationService.create(owner, {
      ...base,
      name: 'Alpha',
      id: 'ignored',
      version: 7,
    });
    // Act
    const updated = await platform.configurationService.update(owner, created.id, {
      ...base,
      name: 'Beta',
      total_patients: 99,
    });
    const current = await platform.configurationService.get(owner, created.id);
    const v1 = await platform.configurationService.getVersion(owner, created.id, 1);
    const versions = await platform.configurationService.listVersions(owner, created.id);
    // Assert
    expect(created.version).toBe(1);
    expect(created.id).not.toBe('ignored');
    expect(updated.version).toBe(2);
    expect(current).toMatchObject({ name: 'Beta', total_patients: 99, version: 2 });
    expect(v1).toMatchObject({ name: 'Alpha', total_patients: base.total_patients, version: 1 });
    expect(versions.versions.map((v) => [v.version, v.name])).toEqual([
      [1, 'Alpha'],
      [2, 'Beta'],
    ]);
    await expect(platform.configurationService.getVersion(owner, created.id, 3)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('repairs an update that stopped between its two writes, then writes the next version', async () => {
    // Prepare
    const owner = uniqueOwner();
    const base = platform.configurationService.defaultConfiguration();
    const created = await platform.configurationService.create(owner, { ...base, name: 'One' });
    const orphan = await platform.configurationRepository.getVersion(created.id, 1);
    await platform.configurationRepository.putVersion({ ...orphan!, version: 2, name: 'Two (interrupted)' });
    // Act
    const updated = await platform.configurationService.update(owner, created.id, { ...base, name: 'Three' });
    const versions = await platform.configurationService.listVersions(owner, created.id);
    // Assert
    expect(updated.version).toBe(3);
    expect(versions.versions.map((v) => v.name)).toEqual(['One', 'Two (interrupted)', 'Three']);
  });

  it('keeps configurations per owner, validates with paths, and deletes every version', async () => {
    // Prepare
    const owner = uniqueOwner();
    const base = platform.configurationService.defaultConfiguration();
    const created = await platform.configurationService.create(owner, { ...base, name: 'Mine' });
    // Act
    const foreign = await platform.configurationService
      .get(uniqueOwner(), created.id)
      .catch((e: unknown) => e);
    const list = await platform.configurationService.list(owner);
    const validation = platform.configurationService.validate({ ...base, total_patients: -10 });
    const invalidCreate = await platform.configurationService
      .create(owner, { name: '' })
      .catch((e: unknown) => e);
    await platform.configurationService.delete(owner, created.id);
    // Assert
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(list.configurations.map((c) => c.id)).toEqual([created.id]);
    expect(validation.valid).toBe(false);
    expect(validation.errors.map((e) => e.path)).toContain('total_patients');
    expect(platform.configurationService.validate(base)).toEqual({ valid: true, errors: [] });
    expect(invalidCreate).toBeInstanceOf(ValidationError);
    await expect(platform.configurationService.get(owner, created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await platform.configurationRepository.getLatestVersion(created.id)).toBeUndefined();
  });

  it('serves presets with a generation configuration the generation endpoint accepts', async () => {
    // Prepare
    // Act
    const list = listPresets();
    const filtered = listPresets({ category: 'training' });
    const detail = getPreset('training_exercise');
    const categories = listPresetCategories();
    const { job } = await platform.generationService.create(principalOf(uniqueOwner()), {
      configuration: detail.generation_config,
    });
    // Assert
    expect(list.total_count).toBe(list.presets.length);
    expect(filtered.presets.every((p) => p.category === 'training')).toBe(true);
    expect(categories.total_categories).toBe(categories.categories.length);
    expect(() => getPreset('nope')).toThrow("Preset 'nope' not found");
    expect(job.config.total_patients).toBe(detail.preset.total_patients);
  });
});
