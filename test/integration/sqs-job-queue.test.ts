/** SqsJobQueue against fauxqs: the contract's message body and the correlation id attribute. */
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
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
