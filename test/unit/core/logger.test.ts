import { afterEach, describe, expect, it, vi } from 'vitest';
import { correlationIdOf, createLogger, withLogContext } from '../../../lib/core/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function captureLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe('logger', () => {
  it('writes one JSON line per entry carrying the job id, tenant and correlation id, then forgets them', async () => {
    // Prepare
    const lines = captureLines();
    const logger = createLogger({ serviceName: 'test-service', logLevel: 'INFO' });
    // Act
    await withLogContext(logger, { job_id: 'job-1', tenant: 'team-a', correlation_id: 'req-9' }, async () => {
      logger.info('inside');
    });
    logger.info('outside');
    // Assert
    const [inside, outside] = lines.map((l) => JSON.parse(l));
    expect(lines.every((l) => l.trim().split('\n').length === 1)).toBe(true);
    expect(inside).toMatchObject({
      message: 'inside',
      service: 'test-service',
      job_id: 'job-1',
      tenant: 'team-a',
      correlation_id: 'req-9',
    });
    expect(outside.job_id).toBeUndefined();
    expect(outside.correlation_id).toBeUndefined();
  });

  it('reads the correlation id from Lambda and SDK shaped SQS records', () => {
    // Assert
    expect(correlationIdOf({ messageAttributes: { correlation_id: { stringValue: 'a' } } })).toBe('a');
    expect(correlationIdOf({ MessageAttributes: { correlation_id: { StringValue: 'b' } } })).toBe('b');
    expect(correlationIdOf({})).toBeUndefined();
  });
});
