/** CORS_ORIGINS (lib/core/config.ts): the web console origins the handlers allow, set per stage by CDK. */
import { describe, expect, it } from 'vitest';
import { BaseEnvSchema, ConfigError, loadConfig } from '../../../lib/core/index.js';

describe('CORS_ORIGINS', () => {
  it('reads a comma-separated list of origins and allows any origin when unset', () => {
    // Act
    const listed = loadConfig(BaseEnvSchema, {
      STAGE: 'prod',
      CORS_ORIGINS: 'https://d111.cloudfront.net, http://localhost:3000',
    });
    const unset = loadConfig(BaseEnvSchema, { STAGE: 'dev' });

    // Assert
    expect(listed.CORS_ORIGINS).toEqual(['https://d111.cloudfront.net', 'http://localhost:3000']);
    expect(unset.CORS_ORIGINS).toEqual([]);
  });

  it('rejects a value that is not an http(s) origin, naming the variable without echoing it', () => {
    // Act
    const load = () => loadConfig(BaseEnvSchema, { STAGE: 'dev', CORS_ORIGINS: 'javascript:alert(1)' });

    // Assert
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CORS_ORIGINS.*: must be a comma-separated list of http\(s\) origins/);
    expect(load).not.toThrow(/alert/);
  });
});
