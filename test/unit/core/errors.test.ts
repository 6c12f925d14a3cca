import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type AppError,
  ConflictError,
  ERROR_KINDS,
  ErrorCode,
  ForbiddenError,
  GENERIC_ERROR_MESSAGE,
  GenerationError,
  MAX_REPORTED_ISSUES,
  MalformedRequestError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  StorageError,
  toErrorResponse,
  UnauthorizedError,
  ValidationError,
  zodIssues,
} from '../../../lib/core/index.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function bodyOf(response: { body: string }) {
  return JSON.parse(response.body) as {
    error: { code: string; message: string; details: Record<string, unknown> };
    detail: string;
    timestamp: string;
    request_id: string;
  };
}

describe('toErrorResponse', () => {
  it('maps each domain error to its status with the one error envelope plus the original detail and timestamp', () => {
    // Prepare
    const cases: Array<[AppError, number, string]> = [
      [new NotFoundError('Job j1 not found'), 404, ErrorCode.NOT_FOUND],
      [new ValidationError('bad'), 422, ErrorCode.VALIDATION_ERROR],
      [new MalformedRequestError('bad'), 400, ErrorCode.VALIDATION_ERROR],
      [new GenerationError('engine failed'), 500, ErrorCode.GENERATION_ERROR],
      [new StorageError('s3 down'), 503, ErrorCode.STORAGE_ERROR],
      [new UnauthorizedError(), 401, ErrorCode.UNAUTHORIZED],
      [new ForbiddenError(), 403, ErrorCode.FORBIDDEN],
      [new ConflictError('busy'), 409, ErrorCode.CONFLICT],
      [new RateLimitedError('slow down', 30), 429, ErrorCode.RATE_LIMITED],
      [new PayloadTooLargeError('too big'), 413, ErrorCode.PAYLOAD_TOO_LARGE],
    ];
    for (const [error, status, code] of cases) {
      // Act
      const response = toErrorResponse(error, 'req-1', NOW);
      // Assert
      expect(response.statusCode).toBe(status);
      expect(response.headers['Content-Type']).toBe('application/json');
      expect(bodyOf(response)).toEqual({
        error: { code, message: error.message, details: error.details ?? {} },
        detail: error.message,
        timestamp: '2026-03-01T12:00:00.000Z',
        request_id: 'req-1',
      });
    }
  });

  it('adds Retry-After to a rate-limited response', () => {
    // Prepare
    const error = new RateLimitedError('Rate limit exceeded: 10 per 1 minute', 12.2);
    // Act
    const response = toErrorResponse(error, 'req-2', NOW);
    // Assert
    expect(response.headers['Retry-After']).toBe('13');
    expect(bodyOf(response).error.details).toEqual({ retry_after_seconds: 13 });
  });

  it('lists every field issue of a validation error in details', () => {
    // Prepare
    const error = ValidationError.fromIssues([
      { path: 'total_patients', message: 'must be at least 1' },
      { path: 'output_formats[1]', message: 'Invalid output format: xlsx' },
    ]);
    // Act
    const body = bodyOf(toErrorResponse(error, 'req-3', NOW));
    // Assert
    expect(body.error.message).toBe(
      'total_patients: must be at least 1; output_formats[1]: Invalid output format: xlsx',
    );
    expect(body.error.details.errors).toHaveLength(2);
  });

  it('turns an unknown error into a generic 500 without its message, stack or paths', () => {
    // Prepare
    const error = new Error('ENOENT: /var/task/secret/config.json password=hunter2');
    // Act
    const response = toErrorResponse(error, 'req-4', NOW);
    // Assert
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response).error).toEqual({
      code: 'GENERATION_ERROR',
      message: GENERIC_ERROR_MESSAGE,
      details: {},
    });
    expect(response.body).not.toContain('/var/task');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
  });

  it('reports a failing AWS service as a retryable 503 storage error without its internals', () => {
    // Prepare
    const error = Object.assign(new Error('Throughput exceeded for table prod-jobs'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    // Act
    const response = toErrorResponse(error, 'req-5', NOW);
    // Assert
    expect(response.statusCode).toBe(503);
    expect(bodyOf(response).error.code).toBe('STORAGE_ERROR');
    expect(response.body).not.toContain('prod-jobs');
  });

  it('maps a zod error to a 422 with paths, and a middy 4xx error the API has no kind for (415) to a 400', () => {
    // Prepare
    const zodError = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } }).error!;
    const httpError = Object.assign(
      new Error('Content type defined as JSON but an invalid JSON was provided'),
      {
        statusCode: 415,
        expose: true,
      },
    );
    // Act
    const fromZod = toErrorResponse(zodError, 'req-6', NOW);
    const fromHttp = toErrorResponse(httpError, 'req-7', NOW);
    // Assert
    expect(fromZod.statusCode).toBe(422);
    expect(bodyOf(fromZod).error.details.errors).toEqual([{ path: 'a.b', message: expect.any(String) }]);
    expect(fromHttp.statusCode).toBe(400);
    expect(bodyOf(fromHttp).error.code).toBe('VALIDATION_ERROR');
  });

  it('asks for the API key header on 401', () => {
    // Act
    const response = toErrorResponse(new UnauthorizedError('Invalid API Key'), 'req-8', NOW);
    // Assert
    expect(response.headers['WWW-Authenticate']).toContain('X-API-Key');
    expect(bodyOf(response).detail).toBe('Invalid API Key');
  });
});

describe('error kinds', () => {
  it('gives every status from the one kind table, whatever class raised the error', () => {
    // Prepare
    const errors = [
      new MalformedRequestError('no body'),
      new ValidationError('bad value'),
      new NotFoundError('gone'),
      new StorageError('down'),
      new GenerationError('broke'),
    ];
    // Act
    const pairs = errors.map((e) => [e.status, ERROR_KINDS[e.kind].status]);
    // Assert
    for (const [status, fromTable] of pairs) expect(status).toBe(fromTable);
    expect(errors.map((e) => e.status)).toEqual([400, 422, 404, 503, 500]);
  });

  it('reports at most MAX_REPORTED_ISSUES field issues and counts the rest', () => {
    // Prepare
    const issues = Array.from({ length: MAX_REPORTED_ISSUES + 7 }, (_, i) => ({
      path: `front_configs[${i}].name`,
      message: 'must not be empty',
    }));
    // Act
    const body = bodyOf(toErrorResponse(ValidationError.fromIssues(issues), 'req-9', NOW));
    // Assert
    expect(body.error.details.errors).toHaveLength(MAX_REPORTED_ISSUES);
    expect(body.error.details.more_errors).toBe(7);
    expect(body.error.message).toMatch(/; and 7 more$/);
  });

  it('builds a 400 from fromIssues on the malformed-request class', () => {
    // Act
    const error = MalformedRequestError.fromIssues([{ path: 'cursor', message: 'is not a valid cursor' }]);
    // Assert
    expect(error).toBeInstanceOf(MalformedRequestError);
    expect(error.status).toBe(400);
    expect(error.message).toBe('cursor: is not a valid cursor');
  });

  it('names a long unknown key of a strict object cut short, and caps a long list of them', () => {
    // Prepare
    const schema = z.strictObject({ name: z.string() });
    const long = `k${'x'.repeat(5000)}`;
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`unknown_key_${i}`, 1]));
    // Act
    const [one] = zodIssues(schema.safeParse({ name: 'n', [long]: true }).error!);
    const [list] = zodIssues(schema.safeParse({ name: 'n', ...many }).error!);
    // Assert
    expect(one.message).toBe(`Unrecognized key: "${long.slice(0, 64)}…"`);
    expect(list.message.length).toBeLessThanOrEqual(301);
    expect(list.message).toMatch(/^Unrecognized keys: "unknown_key_0"/);
  });
});
