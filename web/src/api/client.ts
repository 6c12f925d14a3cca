/**
 * The console's one way to the API: openapi-fetch typed by web/src/api/schema.d.ts (generated from the
 * API's OpenAPI document), the API key in the X-API-Key header (never in a URL), and every error turned
 * into an ApiError carrying the API's own message and field issues.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from './session';

export type Schemas = components['schemas'];
export type Job = Schemas['Job'];
export type PatientRecord = Schemas['PatientRecord'];
export type ErrorEnvelope = Schemas['ErrorEnvelope'];

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly issues: readonly FieldIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where the API is: '' (same origin) locally, the stage's API URL when deployed (config.json). */
let baseUrl = '';

export function setApiBaseUrl(url: string): void {
  baseUrl = url.replace(/\/+$/, '');
  api = build();
}

export function apiUrl(path: string): string {
  return `${baseUrl}${path}`;
}

const auth: Middleware = {
  onRequest({ request }) {
    const key = session.apiKey();
    if (key) request.headers.set('X-API-Key', key);
    return request;
  },
  /**
   * A 401 to the tab's own key: the key stopped working since sign-in (revoked, rotated, expired).
   * Every page would only repeat the refusal (and the jobs list keep "Loading…"), so the tab signs
   * out and the sign-in page says why.
   */
  async onResponse({ request, response }) {
    const key = session.apiKey();
    if (response.status === 401 && key !== null && request.headers.get('X-API-Key') === key) {
      const refusal = toApiError(
        401,
        await response
          .clone()
          .json()
          .catch(() => null),
      ).message;
      session.signOut(
        `The API no longer accepts the key this tab signed in with (${refusal}). Sign in again.`,
      );
    }
    return response;
  },
};

function build() {
  const client = createClient<paths>({ baseUrl: baseUrl || globalThis.location?.origin });
  client.use(auth);
  return client;
}

export let api = build();

/** Turns an error answer (the envelope, or API Gateway's own `{message}`) into an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  const envelope = body as Partial<ErrorEnvelope> & { message?: string };
  if (envelope?.error) {
    const details = (envelope.error.details ?? {}) as Record<string, unknown>;
    const issues = Array.isArray(details.errors) ? (details.errors as FieldIssue[]) : [];
    return new ApiError(envelope.error.message, status, envelope.error.code, issues, details);
  }
  const message = typeof envelope?.message === 'string' ? envelope.message : `HTTP ${status}`;
  return new ApiError(message, status, status === 401 ? 'UNAUTHORIZED' : 'HTTP_ERROR');
}

/** Unwraps an openapi-fetch result: the data, or throws an ApiError. */
export async function call<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch (error) {
    throw new ApiError(
      `The API did not answer (${error instanceof Error ? error.message : String(error)})`,
      0,
      'NETWORK_ERROR',
    );
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}
