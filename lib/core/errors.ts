import * as z from 'zod';

/**
 * The error model (README, HTTP API): one code list, one base class, and ONE mapping to an HTTP response
 * used by every route. Responses never carry a stack trace, a server path or a secret: unknown
 * errors become a generic 500 whose details are only in the logs.
 */

export const ErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  GENERATION_ERROR: 'GENERATION_ERROR',
  STORAGE_ERROR: 'STORAGE_ERROR',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * What went wrong, as the code that raises an error sees it. THE one table below turns a kind into
 * the envelope's code and the HTTP status, so no service or adapter picks a status itself.
 */
export type ErrorKind =
  | 'malformed'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'internal'
  | 'unavailable';

export const ERROR_KINDS: Readonly<Record<ErrorKind, { readonly code: ErrorCode; readonly status: number }>> =
  {
    malformed: { code: ErrorCode.VALIDATION_ERROR, status: 400 },
    invalid: { code: ErrorCode.VALIDATION_ERROR, status: 422 },
    unauthorized: { code: ErrorCode.UNAUTHORIZED, status: 401 },
    forbidden: { code: ErrorCode.FORBIDDEN, status: 403 },
    not_found: { code: ErrorCode.NOT_FOUND, status: 404 },
    conflict: { code: ErrorCode.CONFLICT, status: 409 },
    too_large: { code: ErrorCode.PAYLOAD_TOO_LARGE, status: 413 },
    rate_limited: { code: ErrorCode.RATE_LIMITED, status: 429 },
    internal: { code: ErrorCode.GENERATION_ERROR, status: 500 },
    unavailable: { code: ErrorCode.STORAGE_ERROR, status: 503 },
  };

/** The kind an error code has unless its class says otherwise. */
const DEFAULT_KIND: Readonly<Record<ErrorCode, ErrorKind>> = {
  NOT_FOUND: 'not_found',
  VALIDATION_ERROR: 'invalid',
  GENERATION_ERROR: 'internal',
  STORAGE_ERROR: 'unavailable',
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  CONFLICT: 'conflict',
  RATE_LIMITED: 'rate_limited',
  PAYLOAD_TOO_LARGE: 'too_large',
};

/** Default HTTP status per code. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = Object.fromEntries(
  Object.entries(DEFAULT_KIND).map(([code, kind]) => [code, ERROR_KINDS[kind].status]),
) as Record<ErrorCode, number>;

/** The original's `error` names by status (memory/reference/v1-compatibility.md), kept for v1 clients in `detail`-style bodies. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Validation Error',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? 'Error';
}

export type ErrorDetails = Record<string, unknown>;

/** One field problem, as every validation error reports it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export interface AppErrorOptions {
  /** Overrides the code's default kind (a VALIDATION_ERROR that is `malformed`, say). */
  readonly kind?: ErrorKind;
  readonly details?: ErrorDetails;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/** Base of every error the product raises on purpose. `message` is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = options.kind ?? DEFAULT_KIND[code];
    this.status = ERROR_KINDS[this.kind].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(ErrorCode.NOT_FOUND, message, options);
    this.name = 'NotFoundError';
  }
}

/** Field issues an error reports at most: enough to fix a request, never a copy of a huge one. */
export const MAX_REPORTED_ISSUES = 20;

export class ValidationError extends AppError {
  readonly issues: readonly FieldIssue[];

  /** 422: a well-formed request with bad values (MalformedRequestError is the 400). */
  constructor(message: string, issues: readonly FieldIssue[] = [], options: AppErrorOptions = {}) {
    const shown = issues.slice(0, MAX_REPORTED_ISSUES);
    const more = issues.length - shown.length;
    super(ErrorCode.VALIDATION_ERROR, message, {
      ...options,
      details: {
        ...(shown.length > 0 ? { errors: shown } : {}),
        ...(more > 0 ? { more_errors: more } : {}),
        ...options.details,
      },
    });
    this.name = 'ValidationError';
    this.issues = shown;
  }

  /** One error listing the issues, the message reading "path: message; …". */
  static fromIssues<T extends ValidationError>(
    this: new (
      message: string,
      issues: readonly FieldIssue[],
      options?: AppErrorOptions,
    ) => T,
    issues: readonly FieldIssue[],
    options: AppErrorOptions = {},
  ): T {
    const shown = issues.slice(0, MAX_REPORTED_ISSUES);
    const more = issues.length - shown.length;
    const text =
      shown.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') +
      (more > 0 ? `; and ${more} more` : '');
    return new this(text || 'Invalid request', issues, options);
  }
}

/** 400: a request that cannot be read at all (no body, malformed JSON, a cursor that is not one). */
export class MalformedRequestError extends ValidationError {
  constructor(message: string, issues: readonly FieldIssue[] = [], options: AppErrorOptions = {}) {
    super(message, issues, { ...options, kind: 'malformed' });
    this.name = 'MalformedRequestError';
  }
}

export class GenerationError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(ErrorCode.GENERATION_ERROR, message, options);
    this.name = 'GenerationError';
  }
}

export class StorageError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(ErrorCode.STORAGE_ERROR, message, options);
    this.name = 'StorageError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Missing API Key', options: AppErrorOptions = {}) {
    super(ErrorCode.UNAUTHORIZED, message, {
      ...options,
      headers: { 'WWW-Authenticate': 'ApiKey header="X-API-Key"', ...options.headers },
    });
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden', options: AppErrorOptions = {}) {
    super(ErrorCode.FORBIDDEN, message, options);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(ErrorCode.CONFLICT, message, options);
    this.name = 'ConflictError';
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, options: AppErrorOptions = {}) {
    const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
    super(ErrorCode.RATE_LIMITED, message, {
      ...options,
      details: { retry_after_seconds: retryAfter, ...options.details },
      headers: { ...options.headers, 'Retry-After': String(retryAfter) },
    });
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfter;
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(ErrorCode.PAYLOAD_TOO_LARGE, message, options);
    this.name = 'PayloadTooLargeError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The one error envelope plus the original's top-level `detail` and `timestamp` (memory/reference/v1-compatibility.md). */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details: ErrorDetails };
  readonly detail: string;
  readonly timestamp: string;
  readonly request_id: string;
}

export interface ErrorResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const GENERIC_ERROR_MESSAGE = 'An unexpected error occurred. Quote the request_id when reporting it.';
export const STORAGE_UNAVAILABLE_MESSAGE =
  'A storage service is unavailable. Retry later and quote the request_id.';

/** AWS SDK service errors carry `$metadata`; they mean a backing service failed, not a bad request. */
function isAwsServiceError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

/** Errors from middy's http-errors (httpJsonBodyParser, …) carry a 4xx status and a safe message. */
function httpErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { statusCode?: unknown; status?: unknown; expose?: unknown };
  const status =
    typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  if (status === undefined || status < 400 || status > 499 || e.expose === false) return undefined;
  return status;
}

/** The kind of a library's 4xx error; statuses the API does not answer (405, 415, …) are a 400. */
function kindForStatus(status: number): ErrorKind {
  const kind = (Object.keys(ERROR_KINDS) as ErrorKind[]).find((k) => ERROR_KINDS[k].status === status);
  return kind ?? 'malformed';
}

/** "front_configs[0].name" from a zod issue path; "" for the root. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${pathName(part)}` : pathName(part);
  }
  return out;
}

/** A path segment as reported: a caller's key is cut short, so a path never carries a long value. */
export function pathName(part: PropertyKey): string {
  const name = String(part);
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}

/** Longest unknown-key message reported: a body with many unknown keys is not listed back whole. */
const MAX_UNKNOWN_KEYS_MESSAGE = 300;

/**
 * An issue's message, safe to answer: an unknown key is a caller's text, so zod's "Unrecognized key"
 * message (strict objects without a message of their own) names it cut short, and the list is capped.
 */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  let message = issue.message;
  for (const key of issue.keys) {
    const short = pathName(key);
    if (short !== key) message = message.split(key).join(short);
  }
  return message.length > MAX_UNKNOWN_KEYS_MESSAGE
    ? `${message.slice(0, MAX_UNKNOWN_KEYS_MESSAGE)}…`
    : message;
}

/** Field issues of a zod error, with an optional path prefix ("configuration"). */
export function zodIssues(error: z.ZodError, prefix?: ReadonlyArray<PropertyKey>): FieldIssue[] {
  return error.issues.map((i) => ({
    path: issuePath([...(prefix ?? []), ...i.path]),
    message: issueMessage(i),
  }));
}

/** Normalises anything thrown into an AppError; unknown errors become a generic 500 with no internals. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof z.ZodError) return ValidationError.fromIssues(zodIssues(error));
  const status = httpErrorStatus(error);
  if (status !== undefined) {
    const message = error instanceof Error && error.message ? error.message : statusName(status);
    const kind = kindForStatus(status);
    return new AppError(ERROR_KINDS[kind].code, message, { kind, cause: error });
  }
  if (isAwsServiceError(error)) {
    return new AppError(ErrorCode.STORAGE_ERROR, STORAGE_UNAVAILABLE_MESSAGE, { cause: error });
  }
  return new AppError(ErrorCode.GENERATION_ERROR, GENERIC_ERROR_MESSAGE, { cause: error });
}

/** THE mapping from any error to the HTTP response every route returns. */
export function toErrorResponse(error: unknown, requestId: string, now: Date = new Date()): ErrorResponse {
  const appError = toAppError(error);
  const body: ErrorBody = {
    error: { code: appError.code, message: appError.message, details: appError.details ?? {} },
    detail: appError.message,
    timestamp: now.toISOString(),
    request_id: requestId,
  };
  return {
    statusCode: appError.status,
    headers: { ...appError.headers, 'Content-Type': 'application/json', 'X-Request-Id': requestId },
    body: JSON.stringify(body),
  };
}
