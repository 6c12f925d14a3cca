import { describe, expect, it } from 'vitest';
import {
  AuthorizerEnvSchema,
  ConfigError,
  HttpEnvSchema,
  loadConfig,
  WorkerEnvSchema,
} from '../../../lib/core/index.js';

const HTTP_ENV = {
  STAGE: 'dev',
  JOBS_TABLE: 'jobs',
  CONFIGURATIONS_TABLE: 'configurations',
  RESULTS_BUCKET: 'results',
  GENERATION_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/generation',
  API_KEYS_TABLE: 'milmed-dev-api-keys',
  USAGE_TABLE: 'milmed-dev-usage',
};

describe('loadConfig', () => {
  it('parses the HTTP environment with defaults, the key tables and no default key limits', () => {
    // Act
    const config = loadConfig(HttpEnvSchema, HTTP_ENV);
    // Assert
    expect(config).toMatchObject({
      STAGE: 'dev',
      LOG_LEVEL: 'INFO',
      POWERTOOLS_SERVICE_NAME: 'milmed-patient-generator',
      API_KEYS_TABLE: 'milmed-dev-api-keys',
      USAGE_TABLE: 'milmed-dev-usage',
    });
    expect(config.DEFAULT_KEY_LIMITS).toBeUndefined();
    expect(Object.keys(config)).not.toContain('API_KEYS');
  });

  it('parses DEFAULT_KEY_LIMITS as JSON', () => {
    // Act
    const config = loadConfig(HttpEnvSchema, {
      ...HTTP_ENV,
      DEFAULT_KEY_LIMITS: '{"requests_per_minute":30}',
    });
    // Assert
    expect(config.DEFAULT_KEY_LIMITS).toEqual({ requests_per_minute: 30 });
  });

  it('parses the authorizer environment: the two key tables', () => {
    // Act
    const config = loadConfig(AuthorizerEnvSchema, {
      STAGE: 'local',
      API_KEYS_TABLE: 'k',
      USAGE_TABLE: 'u',
    });
    // Assert
    expect(config).toMatchObject({ STAGE: 'local', API_KEYS_TABLE: 'k', USAGE_TABLE: 'u' });
  });

  it('parses the worker environment, which needs no queue or keys table (only the usage table)', () => {
    // Act
    const config = loadConfig(WorkerEnvSchema, {
      STAGE: 'prod',
      JOBS_TABLE: 'j',
      RESULTS_BUCKET: 'b',
      USAGE_TABLE: 'u',
      LOG_LEVEL: 'debug',
    });
    // Assert
    expect(config).toMatchObject({
      STAGE: 'prod',
      JOBS_TABLE: 'j',
      RESULTS_BUCKET: 'b',
      USAGE_TABLE: 'u',
      LOG_LEVEL: 'DEBUG',
    });
    expect(Object.keys(config)).not.toContain('API_KEYS_TABLE');
  });

  it('fails with one error naming every missing or bad variable, without echoing values', () => {
    // Prepare
    const env = {
      STAGE: 'qa',
      JOBS_TABLE: 'jobs',
      DEFAULT_KEY_LIMITS: '{"requests_per_minute":"s3cr3t"}',
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
      'API_KEYS_TABLE: is missing',
      'USAGE_TABLE: is missing',
      'DEFAULT_KEY_LIMITS.requests_per_minute',
    ]) {
      expect(error.message).toContain(name);
    }
    expect(error.message).not.toContain('s3cr3t');
  });

  it('reports DEFAULT_KEY_LIMITS that are not JSON', () => {
    // Act
    const attempt = () => loadConfig(HttpEnvSchema, { ...HTTP_ENV, DEFAULT_KEY_LIMITS: 'rpm=5' });
    // Assert
    expect(attempt).toThrow(/DEFAULT_KEY_LIMITS: must be a JSON object of key limits/);
  });
});
