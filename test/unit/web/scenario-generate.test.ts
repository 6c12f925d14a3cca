import { describe, expect, it } from 'vitest';
import {
  buildGenerationRequest,
  checkGenerateOptions,
  type GenerateOptions,
  IdempotencyKeys,
} from '../../../web/src/pages/scenario/generate-request.js';

const options = (over: Partial<GenerateOptions> = {}): GenerateOptions => ({
  formats: ['json', 'csv'],
  compress: false,
  encrypt: false,
  password: '',
  seed: undefined,
  ...over,
});

function counter() {
  let n = 0;
  return () => `key-${++n}`;
}

describe('generate request', () => {
  it('an edited scenario goes inline; an unchanged preset or configuration goes by id', () => {
    // Prepare
    const inline = { kind: 'inline', configuration: { name: 'x' } } as const;
    const stored = { kind: 'stored', configurationId: 'training_exercise' } as const;

    // Act
    const a = buildGenerationRequest(inline, options());
    const b = buildGenerationRequest(stored, options({ seed: 42 }));

    // Assert
    expect(a).toMatchObject({ configuration: { name: 'x' }, output_formats: ['json', 'csv'] });
    expect(a).not.toHaveProperty('configuration_id');
    expect(a).not.toHaveProperty('seed');
    expect(b).toMatchObject({ configuration_id: 'training_exercise', seed: 42 });
    expect(b).not.toHaveProperty('configuration');
  });

  it('the password is sent only with encryption', () => {
    // Prepare
    const source = { kind: 'stored', configurationId: 'default' } as const;

    // Act
    const off = buildGenerationRequest(source, options({ password: 'leftover-secret' }));
    const on = buildGenerationRequest(source, options({ encrypt: true, password: 'correct horse' }));

    // Assert
    expect(off).not.toHaveProperty('encryption_password');
    expect(on).toMatchObject({ use_encryption: true, encryption_password: 'correct horse' });
  });

  it('no format, or a password under 8 characters, is refused before sending, naming the field', () => {
    // Prepare / Act
    const problems = checkGenerateOptions(options({ formats: [], encrypt: true, password: 'short' }));

    // Assert
    expect(problems.map((p) => p.path)).toEqual(['output_formats', 'encryption_password']);
    expect(problems[1].message).toMatch(/8/);
  });
});

describe('Idempotency-Key', () => {
  const source = { kind: 'inline', configuration: { name: 'x' } } as const;

  it('the same pending request (a double click, a retry) keeps its key', () => {
    // Prepare
    const keys = new IdempotencyKeys(counter());
    const request = buildGenerationRequest(source, options());

    // Act
    const first = keys.keyFor(request);
    const second = keys.keyFor(buildGenerationRequest(source, options()));

    // Assert
    expect(second).toBe(first);
  });

  it('a changed body gets a new key; a password change alone does not', () => {
    // Prepare
    const keys = new IdempotencyKeys(counter());
    const first = keys.keyFor(
      buildGenerationRequest(source, options({ encrypt: true, password: 'aaaaaaaa' })),
    );

    // Act
    const samePassword = keys.keyFor(
      buildGenerationRequest(source, options({ encrypt: true, password: 'bbbbbbbb' })),
    );
    const otherFormats = keys.keyFor(
      buildGenerationRequest(source, options({ encrypt: true, password: 'bbbbbbbb', formats: ['xml'] })),
    );

    // Assert
    expect(samePassword).toBe(first);
    expect(otherFormats).not.toBe(first);
  });

  it('once the API accepted the request, the same body is a new job with a new key', () => {
    // Prepare
    const keys = new IdempotencyKeys(counter());
    const request = buildGenerationRequest(source, options());
    const first = keys.keyFor(request);

    // Act
    keys.accepted();
    const next = keys.keyFor(request);

    // Assert
    expect(next).not.toBe(first);
  });
});
