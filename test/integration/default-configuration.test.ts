/**
 * "default", the built-in configuration GET /configurations/default shows, reads like a stored one
 * (its one version, its history) and refuses changes with a 409 that says why, never "not found"
 * (ConfigurationService over dynalite).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../lib/core/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, type TestPlatform, uniqueOwner } from '../support/platform.js';

const env = useAwsEnv();
let platform: TestPlatform;

beforeAll(() => {
  platform = createTestPlatform(env);
});

describe('the built-in default configuration', () => {
  it('has the one version GET shows, in its history and by number', async () => {
    // Prepare
    const owner = uniqueOwner();
    const service = platform.configurationService;
    const shown = await service.get(owner, 'default');
    // Act
    const history = await service.listVersions(owner, 'default');
    const first = await service.getVersion(owner, 'default', shown.version);
    const second = await service.getVersion(owner, 'default', 2).catch((e: unknown) => e);
    // Assert
    expect(history).toEqual({
      config_id: 'default',
      latest_version: shown.version,
      versions: [{ version: shown.version, name: shown.name, created_at: shown.created_at }],
      next_cursor: null,
    });
    expect(first).toEqual(shown);
    expect((second as Error).message).toBe('Configuration default has no version 2');
  });

  it('refuses an update or a delete with a conflict that says it is built in', async () => {
    // Prepare
    const owner = uniqueOwner();
    const service = platform.configurationService;
    const body = service.defaultConfiguration();
    // Act
    const updated = await service.update(owner, 'default', body).catch((e: unknown) => e);
    const deleted = await service.delete(owner, 'default').catch((e: unknown) => e);
    // Assert
    expect(updated).toBeInstanceOf(ConflictError);
    expect((updated as Error).message).toBe(
      'The built-in default configuration cannot be changed; save your own with POST /api/v1/configurations',
    );
    expect(deleted).toBeInstanceOf(ConflictError);
    expect((deleted as Error).message).toMatch(/^The built-in default configuration cannot be deleted/);
    expect((await service.get(owner, 'default')).name).toBe(body.name);
  });
});
