import * as z from 'zod';

/**
 * The error model (DESIGN §6): one code list, one base class, and ONE mapping to an HTTP response
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

/** Default HTTP status per code; a subclass may pick another allowed one (400 or 422, 500 or 503). */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  VALIDATION_ERROR: 422,
  GENERATION_ERROR: 500,
  STORAGE_ERROR: 503,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
};

/** The original's `error` names by status (reference §2.1), kept for v1 clients in `detail`-style bodies. */
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
  readonly status?: number;
  readonly details?: ErrorDetails;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/** Base of every error the product raises on purpose. `message` is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
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

export class ValidationError extends AppError {
  readonly issues: readonly FieldIssue[];

  /** 422 by default (a well-formed body with bad values); pass status 400 for a malformed request. */
  constructor(message: string, issues: readonly FieldIssue[] = [], options: AppErrorOptions = {}) {
    super(ErrorCode.VALIDATION_ERROR, message, {
      ...options,
      details: { ...(issues.length > 0 ? { errors: issues } : {}), ...options.details },
    });
    this.name = 'ValidationError';
    this.issues = issues;
  }

  /** One error listing every issue, the message reading "path: message; …". */
  static fromIssues(issues: readonly FieldIssue[], options: AppErrorOptions = {}): ValidationError {
    const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return new ValidationError(text || 'Invalid request', issues, options);
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

/** The envelope of DESIGN §6 plus the original's top-level `detail` and `timestamp` (reference §2.1). */
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

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return ErrorCode.UNAUTHORIZED;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
      return ErrorCode.NOT_FOUND;
    case 409:
      return ErrorCode.CONFLICT;
    case 413:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case 429:
      return ErrorCode.RATE_LIMITED;
    default:
      return ErrorCode.VALIDATION_ERROR;
  }
}

/** "front_configs[0].name" from a zod issue path; "" for the root. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Field issues of a zod error, with an optional path prefix ("configuration"). */
export function zodIssues(error: z.ZodError, prefix?: ReadonlyArray<PropertyKey>): FieldIssue[] {
  return error.issues.map((i) => ({ path: issuePath([...(prefix ?? []), ...i.path]), message: i.message }));
}

/** Normalises anything thrown into an AppError; unknown errors become a generic 500 with no internals. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof z.ZodError) return ValidationError.fromIssues(zodIssues(error));
  const status = httpErrorStatus(error);
  if (status !== undefined) {
    const message = error instanceof Error && error.message ? error.message : statusName(status);
    return new AppError(codeForStatus(status), message, { status, cause: error });
  }
  if (isAwsServiceError(error)) {
    return new AppError(ErrorCode.STORAGE_ERROR, STORAGE_UNAVAILABLE_MESSAGE, { status: 503, cause: error });
  }
  return new AppError(ErrorCode.GENERATION_ERROR, GENERIC_ERROR_MESSAGE, { status: 500, cause: error });
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
