import { describe, expect, it } from 'vitest';
import { ConfigError, HttpEnvSchema, loadConfig, WorkerEnvSchema } from '../../../lib/core/index.js';

const KEY_HASH = 'a'.repeat(64);
const HTTP_ENV = {
  STAGE: 'dev',
  JOBS_TABLE: 'jobs',
  CONFIGURATIONS_TABLE: 'configurations',
  RESULTS_BUCKET: 'results',
  GENERATION_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/generation',
  API_KEYS: JSON.stringify([{ owner: 'team-a', sha256: KEY_HASH.toUpperCase() }]),
};

describe('loadConfig', () => {
  it('parses the HTTP environment with defaults and the API keys as JSON', () => {
    // Act
    const config = loadConfig(HttpEnvSchema, HTTP_ENV);
    // Assert
    expect(config).toMatchObject({
      STAGE: 'dev',
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: 'milmed-patient-generator',
      API_KEYS: [{ owner: 'team-a', sha256: KEY_HASH }],
    });
  });

  it('parses the worker environment, which needs no queue or keys', () => {
    // Act
    const config = loadConfig(WorkerEnvSchema, {
      STAGE: 'prod',
      JOBS_TABLE: 'j',
      RESULTS_BUCKET: 'b',
      LOG_LEVEL: 'debug',
    });
    // Assert
    expect(config).toMatchObject({ STAGE: 'prod', JOBS_TABLE: 'j', RESULTS_BUCKET: 'b', LOG_LEVEL: 'DEBUG' });
  });

  it('fails with one error naming every missing or bad variable, without echoing values', () => {
    // Prepare
    const env = {
      STAGE: 'qa',
      JOBS_TABLE: 'jobs',
      API_KEYS: '[{"owner":"x","sha256":"s3cr3t"}]',
      GENERATION_QUEUE_URL: 'nope',
    };
    // Act
    const error = (() => {
      try {
        loadConfig(HttpEnvSchema, env);
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    // Assert
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^Invalid environment configuration \(\d+ problems\)/);
    for (const name of [
      'STAGE',
      'CONFIGURATIONS_TABLE: is missing',
      'RESULTS_BUCKET: is missing',
      'GENERATION_QUEUE_URL',
      'API_KEYS.0.sha256',
    ]) {
      expect(error.message).toContain(name);
    }
    expect(error.message).not.toContain('s3cr3t');
  });

  it('reports API_KEYS that are not JSON', () => {
    // Act
    const attempt = () => loadConfig(HttpEnvSchema, { ...HTTP_ENV, API_KEYS: 'team-a:key' });
    // Assert
    expect(attempt).toThrow(/API_KEYS: must be a JSON array/);
  });
});
