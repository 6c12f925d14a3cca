/**
 * SqsJobQueue against fauxqs: the contract's message body and the correlation id attribute; task
 * messages of a fanned-out job sent in batches.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { correlationIdOf } from '../../lib/core/index.js';
import { createAwsClients, SqsJobQueue } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';

useAwsEnv();
const clients = createAwsClients();
let queueUrl = '';

beforeAll(async () => {
  const created = await clients.sqs.send(new CreateQueueCommand({ QueueName: `queue-test-${Date.now()}` }));
  queueUrl = created.QueueUrl!;
});

async function receiveOne() {
  const { Messages = [] } = await clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: 2,
      MessageAttributeNames: ['All'],
    }),
  );
  const message = Messages[0];
  if (message)
    await clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
    );
  return message;
}

describe('SqsJobQueue', () => {
  it('sends {"job_id"} with the correlation id as the correlation_id message attribute', async () => {
    // Prepare
    const queue = new SqsJobQueue(clients.sqs, queueUrl);
    // Act
    const messageId = await queue.enqueue('job-123', { correlationId: 'req-abc' });
    const message = await receiveOne();
    // Assert
    expect(messageId).not.toBe('');
    expect(JSON.parse(message?.Body ?? '{}')).toEqual({ job_id: 'job-123' });
    expect(message?.MessageAttributes?.correlation_id).toMatchObject({
      DataType: 'String',
      StringValue: 'req-abc',
    });
    expect(correlationIdOf(message ?? {})).toBe('req-abc');
  });

  it('sends no attribute when there is no correlation id', async () => {
    // Prepare
    const queue = new SqsJobQueue(clients.sqs, queueUrl);
    // Act
    await queue.enqueue('job-456');
    const message = await receiveOne();
    // Assert
    expect(JSON.parse(message?.Body ?? '{}')).toEqual({ job_id: 'job-456' });
    expect(correlationIdOf(message ?? {})).toBeUndefined();
  });
});

/** Every message on `url` until a receive comes back empty (each deleted). */
async function drain(url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    for (const message of Messages) {
      all.push(message);
      await clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
}

describe('SqsJobQueue.sendTasks', () => {
  it('sends 25 task bodies as 25 messages, in batches SQS accepts (at most 10), each with the correlation id', async () => {
    // Prepare
    const { QueueUrl } = await clients.sqs.send(
      new CreateQueueCommand({ QueueName: `tasks-test-${Date.now()}` }),
    );
    const queue = new SqsJobQueue(clients.sqs, QueueUrl!);
    const bodies = Array.from({ length: 25 }, (_, i) => ({ job_id: 'job-fan', plan_id: 'p1', chunk: i + 1 }));
    // Act
    await queue.sendTasks(bodies, { correlationId: 'req-fan' });
    await queue.sendTasks([]);
    const messages = await drain(QueueUrl!);
    // Assert
    const received = messages.map((m) => JSON.parse(m.Body ?? '{}')).sort((a, b) => a.chunk - b.chunk);
    expect(received).toEqual(bodies);
    expect(messages.map((m) => correlationIdOf(m))).toEqual(Array(25).fill('req-fan'));
  });

  it('rejects naming the first task SQS refused, after sending the others', async () => {
    // Prepare: a queue taking at most 1024-byte messages; task 11 (in the second batch) is longer.
    const { QueueUrl } = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: `tasks-refused-${Date.now()}`,
        Attributes: { MaximumMessageSize: '1024' },
      }),
    );
    const queue = new SqsJobQueue(clients.sqs, QueueUrl!);
    const bodies: Record<string, unknown>[] = Array.from({ length: 15 }, (_, i) => ({
      job_id: 'job-big',
      chunk: i,
    }));
    bodies[11] = { job_id: 'job-big', chunk: 11, pad: 'x'.repeat(2000) };
    bodies[13] = { job_id: 'job-big', chunk: 13, pad: 'y'.repeat(2000) };
    // Act
    const error = await queue.sendTasks(bodies).catch((e: unknown) => e);
    const messages = await drain(QueueUrl!);
    // Assert
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.length).toBeLessThan(400);
    expect((error as Error).message).toMatch(
      /^SQS refused task 11 \(.*"chunk":11.*\) of 15: InvalidParameterValue/,
    );
    const sent = messages.map((m) => JSON.parse(m.Body ?? '{}').chunk).sort((a, b) => a - b);
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14]);
  });
});
