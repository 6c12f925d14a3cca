/**
 * No job stays stuck, through the local stack (infra/local/local-stack.ts with its DLQ poller and sweeper
 * timer, infra/local/stuck-job-guards.ts): a poison message and the message of a job that keeps
 * failing end in the DLQ and are consumed there; the job shows `failed` with its reason and its API
 * key's running slot comes back exactly once; a job left `queued` is failed by the sweeper.
 * Messages come back 2 s after a failed delivery (a short visibility heartbeat), so the generation
 * queue's 3 receives take seconds.
 */
import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import type { JobRecord } from '../../lib/domain/index.js';
import {
  type AwsClients,
  activeCounterId,
  createAwsClients,
  DynamoJobRepository,
  DynamoUsageCounters,
  SqsJobQueue,
} from '../../lib/infrastructure/index.js';
import { ROOMY_LIMITS } from '../support/platform.js';
import { jobRecord } from '../support/repository-contract.js';
import { ApiClient, type Json } from './client.js';

let stack: LocalStack;
let clients: AwsClients;
let sqs: SQSClient;
let jobs: DynamoJobRepository;
let usage: DynamoUsageCounters;
/** Every line this process printed: the DLQ consumer and the sweeper run here. */
const lines: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (c: string | Uint8Array, ...r: unknown[]) => boolean;
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      lines.push(text);
      return text.includes('"level"') ? true : write(chunk, ...rest);
    });
  }
  stack = await startLocalStack({
    port: 0,
    // The dead-letters and sweeper lines asserted here are WARN and ERROR.
    logLevel: 'WARN',
    workers: 1,
    heartbeat: { windowSeconds: 2, everySeconds: 1 },
    stuckJobs: { sweepEveryMs: 500 },
  });
  clients = createAwsClients();
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  jobs = new DynamoJobRepository(clients.documents, stack.env.JOBS_TABLE);
  usage = new DynamoUsageCounters(clients.documents, stack.env.USAGE_TABLE);
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
  vi.restoreAllMocks();
});

/** Parsed JSON log lines with this message. */
function logLines(message: string): Json[] {
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{') && line.includes(message))
    .map((line) => JSON.parse(line))
    .filter((line) => line.message === message);
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function messagesIn(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

async function activeOf(keyId: string): Promise<number> {
  const { Item } = await clients.documents.send(
    new GetCommand({
      TableName: stack.env.USAGE_TABLE,
      Key: { counter_id: activeCounterId(keyId) },
      ConsistentRead: true,
    }),
  );
  return (Item?.active as number | undefined) ?? 0;
}

/**
 * A tenant's key and a stored job of it holding a running slot, as GenerationService leaves a job;
 * one more slot of the key stays taken (another job of the key), so a slot given back twice shows.
 */
async function tenantJob(
  overrides: Partial<JobRecord>,
): Promise<{ job: JobRecord; api: ApiClient; keyId: string }> {
  const owner = `stuck-${randomUUID().slice(0, 8)}`;
  const key = await stack.createKey({ owner });
  const now = new Date().toISOString();
  const job = jobRecord(owner, { key_id: key.key_id, created_at: now, updated_at: now, ...overrides });
  for (let i = 0; i < 2; i++) await usage.reserveJob(key.key_id, ROOMY_LIMITS, 10, new Date());
  await jobs.create(job);
  return { job, api: new ApiClient(stack.url, key.api_key), keyId: key.key_id };
}

describe('dead generation messages', () => {
  it('consumes a poison message from the DLQ after its deliveries failed, and logs it', async () => {
    // Prepare
    const { MessageId } = await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.env.GENERATION_QUEUE_URL, MessageBody: 'not json at all' }),
    );
    // Act
    const consumed = await eventually('the poison message consumed from the DLQ', async () =>
      logLines('dead message was not a valid generation message; consumed').find(
        (line) => line.message_id === MessageId,
      ),
    );
    // Assert
    expect(consumed).toMatchObject({ function: 'dead-letters', body_bytes: 15 });
    await eventually('both queues empty', async () =>
      (await messagesIn(stack.env.GENERATION_QUEUE_URL)) +
        (await messagesIn(stack.env.GENERATION_DLQ_URL)) ===
      0
        ? true
        : undefined,
    );
  });

  it('ends a job that keeps failing: its last run fails it with the reason, its dead message is consumed, its slot comes back once', async () => {
    // Prepare: a stored scenario the generator refuses (the API would never store it).
    const { job, api, keyId } = await tenantJob({ status: 'queued', scenario: { not_a_scenario_field: 1 } });
    // Act
    await new SqsJobQueue(sqs, stack.env.GENERATION_QUEUE_URL).enqueue(job.job_id);
    await eventually('the job failed for good', async () => {
      const record = await jobs.get(job.job_id);
      return record?.status === 'failed' && record.attempts === 3 ? record : undefined;
    });
    await eventually('its dead message consumed', async () =>
      (await messagesIn(stack.env.GENERATION_QUEUE_URL)) +
        (await messagesIn(stack.env.GENERATION_DLQ_URL)) ===
      0
        ? true
        : undefined,
    );
    // Assert
    expect(logLines('stuck job failed').filter((line) => line.job_id === job.job_id)).toEqual([]);
    const shown = await api.get(`/api/v1/jobs/${job.job_id}`);
    expect(shown.status, shown.text).toBe(200);
    expect(shown.json).toMatchObject({
      status: 'failed',
      error: { code: 'GENERATION_ERROR', message: expect.stringContaining("The job's scenario is invalid") },
    });
    expect(await activeOf(keyId)).toBe(1);
  });

  it('fails a job whose every delivery failed before a run could start, with the reason, and gives its slot back once', async () => {
    // Prepare: a record the generator cannot run at all (written without its config), as a generator
    // that dies before its first write leaves a job.
    const { job, keyId } = await tenantJob({ status: 'queued' });
    await clients.documents.send(
      new UpdateCommand({
        TableName: stack.env.JOBS_TABLE,
        Key: { job_id: job.job_id },
        UpdateExpression: 'REMOVE #config',
        ExpressionAttributeNames: { '#config': 'config' },
      }),
    );
    // Act
    await new SqsJobQueue(sqs, stack.env.GENERATION_QUEUE_URL).enqueue(job.job_id);
    const failed = await eventually('the job failed by the DLQ consumer', async () =>
      logLines('stuck job failed').find((line) => line.job_id === job.job_id),
    );
    // Assert
    expect(failed).toMatchObject({ function: 'dead-letters', by: 'dead-letter' });
    expect(await jobs.get(job.job_id)).toMatchObject({
      status: 'failed',
      error: {
        code: 'GENERATION_ERROR',
        message: 'The generator did not start this job: every delivery of its message failed',
      },
    });
    expect(await activeOf(keyId)).toBe(1);
    expect(logLines('stuck job failed').filter((line) => line.job_id === job.job_id)).toHaveLength(1);
  });
});

describe('stale jobs', () => {
  it('fails a job left queued past the bound on the sweeper`s timer, with the reason, and leaves a fresh one queued', async () => {
    // Prepare: two jobs whose messages were lost (never sent), one queued three hours ago.
    const stale = await tenantJob({
      status: 'queued',
      updated_at: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    });
    const fresh = await tenantJob({ status: 'queued', updated_at: new Date().toISOString() });
    // Act
    const failed = await eventually('the stale job failed', async () => {
      const shown = await stale.api.get(`/api/v1/jobs/${stale.job.job_id}`);
      return shown.json?.status === 'failed' ? shown.json : undefined;
    });
    // Assert
    expect(failed.error).toEqual({
      code: 'GENERATION_ERROR',
      message:
        'The job was not started within 60 minutes: no generator took it from the queue. Submit it again.',
    });
    expect(await activeOf(stale.keyId)).toBe(1);
    expect((await fresh.api.get(`/api/v1/jobs/${fresh.job.job_id}`)).json.status).toBe('queued');
    expect(await activeOf(fresh.keyId)).toBe(2);
  });
});
