/**
 * The Generate panel's request and its Idempotency-Key, DOM-free (test/unit/web/scenario-generate.test.ts).
 */
import type { components } from '../../api/schema.js';
import type { Draft } from './scenario-model.js';

export type GenerationRequest = components['schemas']['GenerationRequest'];

export interface GenerateOptions {
  readonly formats: readonly string[];
  readonly compress: boolean;
  readonly encrypt: boolean;
  readonly password: string;
  /** undefined: the server draws one and the job shows it. */
  readonly seed: number | string | undefined;
}

/** Where the scenario comes from: an unchanged preset or saved configuration goes by id, so the job records it. */
export type ScenarioSource =
  | { readonly kind: 'inline'; readonly configuration: Draft }
  | { readonly kind: 'stored'; readonly configurationId: string };

export const MIN_PASSWORD = 8;

export function buildGenerationRequest(source: ScenarioSource, options: GenerateOptions): GenerationRequest {
  const request: GenerationRequest = {
    ...(source.kind === 'inline'
      ? { configuration: source.configuration }
      : { configuration_id: source.configurationId }),
    output_formats: [...options.formats] as GenerationRequest['output_formats'],
    use_compression: options.compress,
    use_encryption: options.encrypt,
    priority: 'normal',
  };
  if (options.encrypt) request.encryption_password = options.password;
  if (options.seed !== undefined) request.seed = options.seed;
  return request;
}

/** Problems the panel can tell before sending (the API checks again and has the last word). */
export function checkGenerateOptions(options: GenerateOptions): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (options.formats.length === 0)
    problems.push({ path: 'output_formats', message: 'choose at least one format' });
  if (options.encrypt && options.password.length < MIN_PASSWORD)
    problems.push({
      path: 'encryption_password',
      message: `the password must have at least ${MIN_PASSWORD} characters`,
    });
  return problems;
}

/** The request as the server fingerprints it for idempotency: everything but the password. */
export function fingerprint(request: GenerationRequest): string {
  const { encryption_password: _password, ...rest } = request;
  return stableStringify(rest);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * One Idempotency-Key per intended job: the same request body keeps its key until the API has
 * accepted it (so a double click or a retry after a network error makes one job); a changed body or
 * an accepted request gets a new key.
 */
export class IdempotencyKeys {
  private current: { key: string; fingerprint: string } | null = null;

  constructor(private readonly newKey: () => string) {}

  keyFor(request: GenerationRequest): string {
    const print = fingerprint(request);
    if (this.current?.fingerprint !== print) this.current = { key: this.newKey(), fingerprint: print };
    return this.current.key;
  }

  /** The API created (or replayed) the job: the next request is a new job. */
  accepted(): void {
    this.current = null;
  }
}
