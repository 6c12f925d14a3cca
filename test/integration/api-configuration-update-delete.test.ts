/**
 * PUT /api/v1/configurations/{id} racing DELETE of the same configuration (ConfigurationService over
 * the DynamoDB repository on dynalite): the delete lands between the update's read of the head and
 * its writes. The update must then answer 404, as it would a moment later, and leave no version of
 * the deleted configuration in the table (memory/fixes/0152-update-racing-delete-left-a-version.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../lib/core/index.js';
import { type ConfigurationRepository, ConfigurationService } from '../../lib/domain/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, type TestPlatform, uniqueOwner } from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(() => {
  platform = createTestPlatform(env);
});

type Step = 'putVersion' | 'advanceHead';

/** The real repository, with the owner's DELETE of the configuration landing just before `step`. */
function deletedBefore(step: Step): ConfigurationRepository {
  const real = platform.configurationRepository;
  return {
    create: (head, first) => real.create(head, first),
    getHead: (configId) => real.getHead(configId),
    getVersion: (configId, version) => real.getVersion(configId, version),
    getLatestVersion: (configId) => real.getLatestVersion(configId),
    listVersions: (configId, page) => real.listVersions(configId, page),
    listByOwner: (owner, page) => real.listByOwner(owner, page),
    delete: (configId) => real.delete(configId),
    putVersion: async (version) => {
      if (step === 'putVersion') await platform.configurationService.delete(version.owner, version.config_id);
      await real.putVersion(version);
    },
    advanceHead: async (version, updatedAt) => {
      if (step === 'advanceHead')
        await platform.configurationService.delete(version.owner, version.config_id);
      return real.advanceHead(version, updatedAt);
    },
  };
}

describe('an update racing the delete of its configuration', () => {
  it.each<Step>(['putVersion', 'advanceHead'])(
    'answers 404 and leaves no version behind when the delete lands before %s',
    async (step) => {
      // Prepare
      const owner = uniqueOwner();
      const base = platform.configurationService.defaultConfiguration();
      const created = await platform.configurationService.create(owner, { ...base, name: 'Racing' });
      const racing = new ConfigurationService({ configurations: deletedBefore(step) });
      // Act
      const updated = await racing
        .update(owner, created.id, { ...base, name: 'Too late' })
        .catch((e: unknown) => e);
      // Assert
      expect(updated).toBeInstanceOf(NotFoundError);
      expect((updated as NotFoundError).message).toBe(`Configuration ${created.id} not found`);
      expect(await platform.configurationRepository.getLatestVersion(created.id)).toBeUndefined();
      await expect(platform.configurationService.get(owner, created.id)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    },
  );

  it('still answers the version it wrote when another update moved the head past it', async () => {
    // Prepare
    const owner = uniqueOwner();
    const base = platform.configurationService.defaultConfiguration();
    const created = await platform.configurationService.create(owner, { ...base, name: 'One' });
    const real = platform.configurationRepository;
    const overtaken: ConfigurationRepository = {
      ...deletedBefore('putVersion'),
      putVersion: (version) => real.putVersion(version),
      advanceHead: async (version, updatedAt) => {
        await platform.configurationService.update(owner, created.id, { ...base, name: 'Three' });
        return real.advanceHead(version, updatedAt);
      },
    };
    const racing = new ConfigurationService({ configurations: overtaken });
    // Act
    const updated = await racing.update(owner, created.id, { ...base, name: 'Two' });
    // Assert
    expect(updated).toMatchObject({ version: 2, name: 'Two' });
    const versions = await platform.configurationService.listVersions(owner, created.id);
    expect(versions.versions.map((v) => [v.version, v.name])).toEqual([
      [1, 'One'],
      [2, 'Two'],
      [3, 'Three'],
    ]);
  });
});
