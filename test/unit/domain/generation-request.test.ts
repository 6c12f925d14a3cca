import { describe, expect, it } from 'vitest';
import { ValidationError, zodIssues } from '../../../lib/core/index.js';
import {
  type ConfigurationRepository,
  ConfigurationService,
  DEFAULT_MAX_PATIENTS_PER_JOB,
  GenerationRequestSchema,
  generationRequestSchema,
  normaliseInlineConfiguration,
  requestFingerprint,
} from '../../../lib/domain/index.js';
import { OUTPUT_FORMATS } from '../../../lib/output/index.js';

const messages = (input: unknown) => {
  const result = GenerationRequestSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('GenerationRequestSchema', () => {
  it('applies the original defaults', () => {
    // Act
    const request = GenerationRequestSchema.parse({ configuration: { count: 5 } });
    // Assert
    expect(request).toMatchObject({
      output_formats: ['json'],
      use_compression: false,
      use_encryption: false,
      priority: 'normal',
      encryption_password: null,
    });
  });

  it('needs exactly one of configuration_id and configuration', () => {
    // Assert
    expect(messages({})).toEqual(['Either configuration_id or configuration must be provided']);
    expect(messages({ configuration_id: 'a', configuration: {} })).toEqual([
      'Provide either configuration_id or configuration, not both',
    ]);
    expect(messages({ configuration_id: 'a' })).toEqual([]);
  });

  it('refuses an unknown top-level field, naming it and the valid names, instead of ignoring it', () => {
    // Prepare: a typo of total_patients would otherwise make a job of the default scenario's size.
    const typo = { configuration_id: 'default', total_patient: 5 };
    // Act
    const result = GenerationRequestSchema.safeParse(typo);
    const error = result.success ? undefined : ValidationError.fromIssues(zodIssues(result.error));
    // Assert (memory/fixes/0155-generation-request-ignored-unknown-fields.md)
    expect(error?.message).toBe(
      'unknown field "total_patient"; valid names: configuration_id, configuration, total_patients, ' +
        'output_formats, use_compression, use_encryption, encryption_password, priority, seed',
    );
    expect(error?.details).toEqual({ errors: [{ path: '', message: error?.message }] });
  });

  it('names several unknown fields (a long one cut short, never a value) next to the other problems', () => {
    // Prepare
    const long = 'x'.repeat(100);
    // Act
    const result = GenerationRequestSchema.safeParse({
      configuration: { count: 5 },
      name: 'a secret value',
      [long]: 1,
      priority: 'urgent',
    });
    const issues = result.success ? [] : zodIssues(result.error);
    // Assert
    expect(issues.map((i) => i.path)).toEqual(['priority', '']);
    expect(issues[1].message).toMatch(
      new RegExp(`^unknown fields "name", "${'x'.repeat(40)}…"; valid names: `),
    );
    expect(issues[1].message).not.toContain('a secret value');
  });

  it('names the bad output format and lists the valid ones', () => {
    // Act
    const found = messages({ configuration: {}, output_formats: ['json', 'pdf'] });
    // Assert
    expect(found).toEqual([
      `Invalid output format: pdf. Valid formats: [${OUTPUT_FORMATS.map((f) => `'${f}'`).join(', ')}]`,
    ]);
  });

  it('requires a password of at least 8 characters with encryption, and drops it without', () => {
    // Assert
    expect(messages({ configuration: {}, use_encryption: true })[0]).toContain('encryption_password');
    expect(messages({ configuration: {}, use_encryption: true, encryption_password: 'short' })[0]).toMatch(
      /encryption_password.*8/,
    );
    expect(
      GenerationRequestSchema.parse({ configuration: {}, encryption_password: 'long enough' })
        .encryption_password,
    ).toBeNull();
  });

  it('caps the password at 1024 characters, which KMS can always seal (at most 4096 bytes)', () => {
    // Prepare
    const request = (encryption_password: string) => ({
      configuration: {},
      use_encryption: true,
      encryption_password,
    });
    // Assert
    expect(messages(request('€'.repeat(1024)))).toEqual([]);
    expect(Buffer.byteLength('€'.repeat(1024))).toBeLessThanOrEqual(4096);
    expect(messages(request('x'.repeat(1025)))).toEqual([
      'encryption_password must be at most 1024 characters',
    ]);
  });

  it('caps total_patients at the default per-job cap (1,000,000) and accepts an integer or string seed', () => {
    // Assert
    expect(DEFAULT_MAX_PATIENTS_PER_JOB).toBe(1_000_000);
    expect(messages({ configuration: {}, total_patients: 1_000_000 })).toEqual([]);
    expect(messages({ configuration: {}, total_patients: 1_000_001 })).toEqual([
      'total_patients must be at most 1000000',
    ]);
    expect(messages({ configuration: {}, total_patients: 0 })).toEqual(['total_patients must be at least 1']);
    expect(messages({ configuration: {}, seed: 12 })).toEqual([]);
    expect(messages({ configuration: {}, seed: 'exercise-7' })).toEqual([]);
    expect(messages({ configuration: {}, seed: 1.5 })).toEqual(['seed must be an integer']);
  });

  it("follows the stage's cap: a schema built for a cap refuses one patient more, with that cap in the message", () => {
    // Prepare
    const capped = generationRequestSchema(250);
    const issues = (total: number) => {
      const result = capped.safeParse({ configuration: {}, total_patients: total });
      return result.success ? [] : result.error.issues.map((i) => ({ path: i.path, message: i.message }));
    };
    // Act / Assert
    expect(issues(250)).toEqual([]);
    expect(issues(251)).toEqual([
      { path: ['total_patients'], message: 'total_patients must be at most 250' },
    ]);
    expect(() => generationRequestSchema(0)).toThrow(RangeError);
    expect(() => generationRequestSchema(10_000_001)).toThrow(/from 1 to 10000000/);
    expect(() => generationRequestSchema(1.5)).toThrow(RangeError);
  });

  it('fingerprints a request without its password', () => {
    // Prepare
    const a = GenerationRequestSchema.parse({
      configuration: { count: 5 },
      use_encryption: true,
      encryption_password: 'password-1',
    });
    const b = GenerationRequestSchema.parse({
      configuration: { count: 5 },
      use_encryption: true,
      encryption_password: 'password-2',
    });
    const c = GenerationRequestSchema.parse({
      configuration: { count: 6 },
      use_encryption: true,
      encryption_password: 'password-1',
    });
    // Assert
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
    expect(requestFingerprint(a)).not.toBe(requestFingerprint(c));
  });
});

describe('normaliseInlineConfiguration', () => {
  const service = new ConfigurationService({ configurations: {} as ConfigurationRepository });

  it("turns the original's minimal {count} body into a valid scenario over the defaults", () => {
    // Act
    const body = service.parse(normaliseInlineConfiguration({ count: 5 }), 'configuration');
    // Assert
    expect(body.total_patients).toBe(5);
    expect(body.name).toBe('Generated Configuration');
    expect(body.front_configs.length).toBeGreaterThan(0);
  });

  it('maps renamed keys, drops UI-only keys and falls back to default fronts when none are given', () => {
    // Act
    const body = normaliseInlineConfiguration({
      injury_mix: { Disease: 0.5, 'Non-Battle Injury': 0.3, 'Battle Injury': 0.2 },
      duration_days: 3,
      warfare_type: 'urban',
      front_configs: [],
      medical_simulation: { enabled: true },
      preset_id: 'x',
    });
    // Assert
    expect(body).toMatchObject({ days_of_fighting: 3, warfare_types: { urban: true } });
    expect(body.injury_distribution).toEqual({
      Disease: 0.5,
      'Non-Battle Injury': 0.3,
      'Battle Injury': 0.2,
    });
    expect(body).not.toHaveProperty('medical_simulation');
    expect(Array.isArray(body.front_configs) && body.front_configs.length).toBeTruthy();
  });

  it('rejects an unknown warfare type with its path under configuration', () => {
    // Act
    const attempt = () =>
      service.parse(normaliseInlineConfiguration({ warfare_type: 'amphibious' }), 'configuration');
    // Assert
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/configuration\.warfare_types: unknown warfare type "amphibious"/);
  });
});
