/**
 * The generation queue and its dead-letter queue (platform contract): SSE, TLS-only, a message moves
 * to the DLQ after `maxReceiveCount` failed receives (its alarm: infra/constructs/stage-monitoring.ts).
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface GenerationQueueProps {
  /** Longer than the consumer's timeout, so a running job is never handed to a second worker. */
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
}

export class GenerationQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: GenerationQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
