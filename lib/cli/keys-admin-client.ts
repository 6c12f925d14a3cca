/**
 * The admin API as `milmed keys` calls it: base URL from --api or MILMED_API_URL, the admin key from
 * MILMED_ADMIN_KEY only (never an option: a key on the command line stays in shell history), Node's
 * global fetch. Answers are checked against the zod schemas of lib/domain/api-key.ts.
 *
 * Exit codes of a refused call: a 4xx other than 429 is exit 2 (the request or the key must change);
 * 429, 5xx, no answer or an answer that is not the API's is exit 1 (trying again later may work).
 * The admin key is never written to any output or error line.
 */
import type * as z from 'zod';
import { parseApiKey } from '../domain/api-key.js';
import { CliFailure, type CliIo, UsageError } from './io.js';

export const ADMIN_KEY_ENV = 'MILMED_ADMIN_KEY';
export const API_URL_ENV = 'MILMED_API_URL';
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';
export const ADMIN_KEYS_PATH = '/api/v1/admin/keys';
/** How long one call may take before the CLI gives up (API Gateway itself stops at 29 s). */
export const REQUEST_TIMEOUT_MS = 30_000;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The API's base URL. Plain http only to this machine: anything else would send the admin key in
 * clear over a network.
 */
export function parseApiUrl(text: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${source}: must be a URL such as https://api.example.org or ${DEFAULT_API_URL}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${source}: must be an http:// or https:// URL`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new UsageError(
      `${source}: must be https:// (http:// only for localhost or 127.0.0.1: the admin key would cross the network in clear)`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError(`${source}: must be the API's base URL, without credentials, query or fragment`);
  }
  return url;
}

/** The admin key from the environment; its value is never echoed. */
export function adminKeyFromEnv(io: CliIo): string {
  const key = io.env?.[ADMIN_KEY_ENV]?.trim();
  if (!key) {
    throw new UsageError(
      `${ADMIN_KEY_ENV}: not set; export the admin key in it (never an option, so it stays out of shell history)`,
    );
  }
  if (!parseApiKey(key)) {
    throw new UsageError(`${ADMIN_KEY_ENV}: not an API key (mmpg_<stage>_<key id>_<secret>)`);
  }
  return key;
}

export interface AdminClientOptions {
  /** The --api option, if given (wins over MILMED_API_URL). */
  readonly api?: string;
}

export class AdminClient {
  constructor(
    readonly baseUrl: URL,
    private readonly adminKey: string,
    /** "keys create": what an error line starts with. */
    private readonly command: string,
  ) {}

  /** Base URL and admin key from the options and the environment: every problem at once. */
  static fromEnvironment(io: CliIo, options: AdminClientOptions, command: string): AdminClient {
    const problems: string[] = [];
    let baseUrl: URL | undefined;
    let key: string | undefined;
    try {
      const envUrl = io.env?.[API_URL_ENV];
      baseUrl =
        options.api !== undefined
          ? parseApiUrl(options.api, '--api')
          : envUrl
            ? parseApiUrl(envUrl, API_URL_ENV)
            : new URL(DEFAULT_API_URL);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(...error.problems);
    }
    try {
      key = adminKeyFromEnv(io);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(...error.problems);
    }
    if (problems.length > 0) throw new UsageError(problems);
    return new AdminClient(baseUrl!, key!, command);
  }

  /**
   * `path` under the base URL, which may carry a path of its own (a stage prefix, a proxy). A base
   * ending in /api/v1 (the "Patient generator API" URL npm start prints) is taken as the API's root.
   */
  url(path: string, query: Record<string, string | number | undefined> = {}): URL {
    const url = new URL(this.baseUrl.href);
    url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '') + path;
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  /** Calls the API and returns the answer parsed by `schema`; a refused call throws (see the file comment). */
  async call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    url: URL,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { 'X-API-Key': this.adminKey, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new CliFailure(`${this.command}: ${this.unreachable(error)}`);
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) throw this.refusal(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new CliFailure(
        `${this.command}: the API at ${this.baseUrl.origin} answered HTTP ${response.status} with an unexpected body (${where}${issue?.message ?? 'not JSON'}); is ${this.where()} this product's API?`,
      );
    }
    return parsed.data;
  }

  private where(): string {
    return this.baseUrl.href.replace(/\/$/, '');
  }

  private unreachable(error: unknown): string {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return `no answer from ${this.where()} within ${REQUEST_TIMEOUT_MS / 1000} s`;
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return `cannot reach the API at ${this.where()} (${reason}); is it running (npm start), or give --api URL`;
  }

  /** One line for a refused call: status, the envelope's code and message, and what to change. */
  private refusal(status: number, json: unknown): Error {
    const envelope = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof envelope?.code === 'string' ? envelope.code : undefined;
    const message = typeof envelope?.message === 'string' ? envelope.message : undefined;
    let line = `${this.command}: HTTP ${status}`;
    if (code) line += ` ${code}`;
    if (message) line += `: ${message}`;
    if (!code) line += ` without the API's error envelope; is ${this.where()} this product's API?`;
    if (status === 401) {
      line += ` (${ADMIN_KEY_ENV} is not a working key of the API at ${this.where()}: unknown, revoked, expired, or of another stage)`;
    } else if (status === 403 && code === 'FORBIDDEN') {
      line += ` (${ADMIN_KEY_ENV} is a valid key without the admin scope; use an admin key)`;
    }
    return status >= 400 && status < 500 && status !== 429 ? new UsageError(line) : new CliFailure(line);
  }
}
