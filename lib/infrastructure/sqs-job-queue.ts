/** The generation queue (platform contract): body {"job_id"}, correlation id as a message attribute. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { correlationAttribute } from '../core/index.js';
import type { EnqueueOptions, JobQueue } from '../domain/index.js';

export interface GenerationMessage {
  readonly job_id: string;
}

export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobId: string, options: EnqueueOptions = {}): Promise<string> {
    const body: GenerationMessage = { job_id: jobId };
    const { MessageId } = await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(body),
        MessageAttributes: options.correlationId ? correlationAttribute(options.correlationId) : undefined,
      }),
    );
    return MessageId ?? '';
  }
}
