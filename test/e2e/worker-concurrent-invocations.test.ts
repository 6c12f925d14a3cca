/**
 * Two invocations of the generator's SQS handler (functions/queue/generate-patients.ts) at the same
 * time in one process, against the emulators: each answers for its own records and each job's log
 * lines carry that job's job_id and tenant (memory/fixes/0064-concurrent-invocations-shared-state.md).
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toSqsRecord } from '../../infra/local/queue-poller.js';
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { createTestPlatform, principalOf, type TestPlatform, uniqueOwner } from '../support/platform.js';

type Handler = (
  event: SQSEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

const env = useAwsEnv();
let handler: Handler;
let platform: TestPlatform;

function contextOf(requestId: string): Context {
  return {
    functionName: 'generate-patients',
    functionVersion: '$LATEST',
    awsRequestId: requestId,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:generate-patients',
    memoryLimitInMB: '1769',
    getRemainingTimeInMillis: () => 900_000,
  } as unknown as Context;
}

function record(id: string, body: string): SQSRecord {
  return toSqsRecord(
    { MessageId: id, ReceiptHandle: `rh-${id}`, Body: body },
    'http://127.0.0.1/000000000000/milmed-local-generation',
  );
}

async function createJob(owner: string, total: number): Promise<string> {
  const { job } = await platform.generationService.create(principalOf(owner), {
    configuration: { name: 'Concurrent invocations', count: total, days_of_fighting: 2 },
    output_formats: ['json', 'csv'],
    seed: 77,
  });
  return job.job_id;
}

let lines: Record<string, unknown>[] = [];
const spies: Array<{ mockRestore(): void }> = [];

beforeAll(async () => {
  process.env.LOG_LEVEL = 'INFO';
  const sqs = createAwsClients().sqs;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `concurrent-${Date.now()}` }));
  platform = createTestPlatform(env, { queueUrl: QueueUrl });
  ({ handler } = (await import('../../functions/queue/generate-patients.js')) as unknown as {
    handler: Handler;
  });
  const capture = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) {
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  spies.push(vi.spyOn(process.stdout, 'write').mockImplementation(capture));
  spies.push(vi.spyOn(process.stderr, 'write').mockImplementation(capture));
});

afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

describe('generate-patients handler, two invocations at once in one process', () => {
  it('answers each invocation for its own records: the finished job is not reported failed because the other batch failed', async () => {
    // Prepare: a job long enough to still run while the second invocation starts, fails and ends.
    lines = [];
    const longJob = await createJob(uniqueOwner('tenant-a'), 4_000);
    const first = { Records: [record('a-1', JSON.stringify({ job_id: longJob }))] };
    const second = { Records: [record('b-1', 'not json')] };

    // Act
    const longRun = handler(first, contextOf('req-a'));
    await vi.waitUntil(() => lines.some((l) => l.message === 'job started' && l.job_id === longJob), {
      timeout: 30_000,
      interval: 20,
    });
    const shortRun = await handler(second, contextOf('req-b')).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    const longResult = await longRun.then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );

    // Assert: the long job's message is done (deleted by the poller); only the poison record failed.
    expect(longResult).toEqual({ response: { batchItemFailures: [] } });
    expect(shortRun).toMatchObject({ error: expect.objectContaining({ name: 'FullBatchFailureError' }) });
    const job = await platform.jobs.get(longJob);
    expect(job?.status).toBe('completed');
  });

  it("keeps each job's job_id, tenant and request id on its own log lines while both run", async () => {
    // Prepare: two tenants, two jobs that overlap in time.
    lines = [];
    const ownerA = uniqueOwner('tenant-a');
    const ownerB = uniqueOwner('tenant-b');
    const jobA = await createJob(ownerA, 3_000);
    const jobB = await createJob(ownerB, 3_000);

    // Act
    const runA = handler({ Records: [record('m-a', JSON.stringify({ job_id: jobA }))] }, contextOf('req-a'));
    await vi.waitUntil(() => lines.some((l) => l.message === 'job started' && l.job_id === jobA), {
      timeout: 30_000,
      interval: 20,
    });
    const runB = handler({ Records: [record('m-b', JSON.stringify({ job_id: jobB }))] }, contextOf('req-b'));
    const [a, b] = await Promise.all([runA, runB]);

    // Assert
    expect(a.batchItemFailures).toEqual([]);
    expect(b.batchItemFailures).toEqual([]);
    const tenantOf: Record<string, string> = { [jobA]: ownerA, [jobB]: ownerB };
    const requestOf: Record<string, string> = { [jobA]: 'req-a', [jobB]: 'req-b' };
    const jobLines = lines.filter((l) => l.job_id === jobA || l.job_id === jobB);
    expect(jobLines.filter((l) => l.message === 'job completed')).toHaveLength(2);
    for (const line of jobLines) {
      const jobId = line.job_id as string;
      // The runner's lines carry the tenant; the handler's closing line names the job only.
      const tenant = line.message === 'message processed' ? undefined : tenantOf[jobId];
      expect({ message: line.message, tenant: line.tenant }).toEqual({ message: line.message, tenant });
      expect({ message: line.message, request: line.function_request_id }).toEqual({
        message: line.message,
        request: requestOf[jobId],
      });
    }
    const processed = lines.filter((l) => l.message === 'message processed');
    expect(processed.map((l) => [l.message_id, l.job_id]).sort()).toEqual(
      [
        ['m-a', jobA],
        ['m-b', jobB],
      ].sort(),
    );
  });
});
