/**
 * The generation queue (platform contract): body {"job_id"} for a job, the task bodies of a
 * fanned-out job (memory/decisions/0906-job-fan-out.md) in batches; the correlation id travels as a
 * message attribute.
 */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { correlationAttribute } from '../core/index.js';
import type { EnqueueOptions, JobQueue } from '../domain/index.js';

export interface GenerationMessage {
  readonly job_id: string;
}

/** SendMessageBatch takes at most 10 entries. */
export const SEND_BATCH_SIZE = 10;
/** Characters of a refused body the error shows: enough to name the task, never a whole large body. */
const BODY_SHOWN = 200;

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

  async sendTasks(
    bodies: readonly Readonly<Record<string, unknown>>[],
    options: EnqueueOptions = {},
  ): Promise<void> {
    const attributes = options.correlationId ? correlationAttribute(options.correlationId) : undefined;
    for (let offset = 0; offset < bodies.length; offset += SEND_BATCH_SIZE) {
      const batch = bodies.slice(offset, offset + SEND_BATCH_SIZE);
      // Entry ids are the bodies' positions in `bodies`, so a refusal names which one.
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((body, i) => ({
            Id: String(offset + i),
            MessageBody: JSON.stringify(body),
            MessageAttributes: attributes,
          })),
        }),
      );
      if (Failed.length > 0) {
        // A batch is not atomic: the others were sent. A retry of the whole call sends some twice,
        // which the tasks tolerate (a repeated task counts once).
        const first = [...Failed].sort((a, b) => Number(a.Id) - Number(b.Id))[0];
        const index = Number(first.Id);
        const body = JSON.stringify(bodies[index]);
        const shown = body.length > BODY_SHOWN ? `${body.slice(0, BODY_SHOWN)}…` : body;
        throw new Error(
          `SQS refused task ${index} (${shown}) of ${bodies.length}: ` +
            `${first.Code ?? 'error'}${first.Message ? ` ${first.Message}` : ''}`,
        );
      }
    }
  }
}
