/**
 * The generator's SQS handler (functions/queue/generate-patients.ts) against the emulators: partial
 * batch failures for poison records, the correlation id in the worker's log lines.
 */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { toSqsRecord } from '../../infra/local/queue-poller.js';
import { useAwsEnv } from '../support/aws-env.js';

type Handler = (
  event: SQSEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
let handler: Handler;

const context = {
  functionName: 'generate-patients',
  awsRequestId: 'req',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:generate-patients',
  memoryLimitInMB: '2048',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

function record(id: string, body: string, correlationId?: string): SQSRecord {
  return toSqsRecord(
    {
      MessageId: id,
      ReceiptHandle: `rh-${id}`,
      Body: body,
      MessageAttributes: correlationId
        ? { correlation_id: { DataType: 'String', StringValue: correlationId } }
        : {},
    },
    'http://127.0.0.1/000000000000/milmed-local-generation',
  );
}

beforeAll(async () => {
  useAwsEnv();
  process.env.LOG_LEVEL = 'INFO';
  ({ handler } = (await import('../../functions/queue/generate-patients.js')) as unknown as {
    handler: Handler;
  });
});

describe('generate-patients SQS handler', () => {
  it('reports only the poison records as batch item failures', async () => {
    const event: SQSEvent = {
      Records: [
        record('m-1', 'not json'),
        record('m-2', JSON.stringify({ job_id: 'no-such-job' }), 'corr-2'),
        record('m-3', JSON.stringify({ nope: true })),
      ],
    };
    const quiet = [
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true),
    ];
    let response: Awaited<ReturnType<Handler>>;
    try {
      response = await handler(event, context);
    } finally {
      for (const spy of quiet) spy.mockRestore();
    }
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-3' }]);
  });

  it('reports poison task messages as failures, and skips a well-formed task of a missing job', async () => {
    // Prepare
    const event: SQSEvent = {
      Records: [
        record('t-1', JSON.stringify({ job_id: 'j', chunk: 1 })),
        record('t-2', JSON.stringify({ job_id: 'j', plan_id: 'p', chunk: -1 })),
        record('t-3', JSON.stringify({ job_id: 'j', plan_id: 'p', chunk: 1, seal: 0 })),
        record('t-4', JSON.stringify({ job_id: 'no-such-job', plan_id: 'p', chunk: 2 })),
        record('t-5', JSON.stringify({ job_id: 'no-such-job', plan_id: 'p', seal: 0 })),
        record('t-6', JSON.stringify({ job_id: 'j', plan_id: 'p', finalise: false })),
        record('t-7', JSON.stringify({ job_id: 'j', plan_id: 'p', finalise: true, chunk: 0 })),
        record('t-8', JSON.stringify({ job_id: 'no-such-job', plan_id: 'p', finalise: true })),
      ],
    };
    const quiet = [
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true),
    ];
    // Act
    let response: Awaited<ReturnType<Handler>>;
    try {
      response = await handler(event, context);
    } finally {
      for (const spy of quiet) spy.mockRestore();
    }
    // Assert
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 't-1' },
      { itemIdentifier: 't-2' },
      { itemIdentifier: 't-3' },
      { itemIdentifier: 't-6' },
      { itemIdentifier: 't-7' },
    ]);
  });

  it('puts the correlation_id attribute on the log lines of the record', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await handler(
        { Records: [record('m-4', JSON.stringify({ job_id: 'missing-job' }), 'corr-4')] },
        context,
      );
    } finally {
      spy.mockRestore();
    }
    const parsed = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const processed = parsed.find((l) => l.message === 'message processed');
    expect(processed).toMatchObject({ correlation_id: 'corr-4', job_id: 'missing-job', outcome: 'skipped' });
  });
});
