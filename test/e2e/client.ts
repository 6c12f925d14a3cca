/** A small HTTP client for e2e tests against the local stack (infra/local/local-stack.ts). */
import { expect } from 'vitest';

/** JSON bodies of assorted shapes, asserted field by field. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions, not the types
export type Json = any;

export interface ApiResponse<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: T;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Sent as is (for malformed JSON and size tests). */
  readonly rawBody?: string | Buffer;
  /** X-API-Key; null sends none. */
  readonly key?: string | null;
  readonly headers?: Record<string, string>;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  async call<T = Json>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.apiKey : options.key;
    if (key !== null) headers['X-API-Key'] = key;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let json: Json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  get<T = Json>(path: string, options?: CallOptions) {
    return this.call<T>('GET', path, options);
  }
  post<T = Json>(path: string, body?: unknown, options?: CallOptions) {
    return this.call<T>('POST', path, { ...options, body });
  }
  put<T = Json>(path: string, body?: unknown, options?: CallOptions) {
    return this.call<T>('PUT', path, { ...options, body });
  }
  delete<T = Json>(path: string, options?: CallOptions) {
    return this.call<T>('DELETE', path, options);
  }

  /** Polls the job until it reaches one of `statuses` (default: Json terminal status). */
  async waitForJob(
    jobId: string,
    statuses: readonly string[] = ['completed', 'failed', 'cancelled'],
    timeoutMs = 60_000,
  ): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.get(`/api/v1/jobs/${jobId}`);
      expect(res.status).toBe(200);
      if (statuses.includes(res.json.status)) return res.json;
      if (Date.now() > deadline)
        throw new Error(`job ${jobId} still ${res.json.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Follows the download redirect and returns the file's bytes. */
  async download(
    jobId: string,
    format?: string,
  ): Promise<{ location: string; bytes: Buffer; contentType: string }> {
    const res = await this.get(`/api/v1/downloads/${jobId}${format ? `?format=${format}` : ''}`);
    expect(res.status, res.text).toBe(302);
    const location = res.headers.get('location');
    expect(location).toBeTruthy();
    const file = await fetch(location!);
    expect(file.status).toBe(200);
    return {
      location: location!,
      bytes: Buffer.from(await file.arrayBuffer()),
      contentType: file.headers.get('content-type') ?? '',
    };
  }
}

/** Asserts the error envelope (README, HTTP API) and returns it. */
export function expectError(res: ApiResponse, status: number, code: string, message?: string | RegExp) {
  expect(res.status, res.text).toBe(status);
  expect(res.json).toMatchObject({ error: { code }, request_id: expect.any(String) });
  expect(typeof res.json.error.message).toBe('string');
  expect(res.json.detail).toBe(res.json.error.message);
  expect(res.json.timestamp).toMatch(/Z$/);
  expect(res.headers.get('x-request-id')).toBe(res.json.request_id);
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  if (message instanceof RegExp) expect(res.json.error.message).toMatch(message);
  else if (message !== undefined) expect(res.json.error.message).toContain(message);
  return res.json;
}

/** A small valid scenario (the configuration body). */
export function smallScenario(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'E2E exercise',
    total_patients: 25,
    injury_distribution: { Disease: 0.5, 'Non-Battle Injury': 0.3, 'Battle Injury': 0.2 },
    front_configs: [
      {
        id: 'north',
        name: 'Northern Front',
        casualty_rate: 1,
        nationality_distribution: [
          { nationality_code: 'NOR', percentage: 60 },
          { nationality_code: 'DEU', percentage: 40 },
        ],
      },
    ],
    days_of_fighting: 2,
    ...overrides,
  };
}
