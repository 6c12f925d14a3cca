/**
 * The generation queue and its dead-letter queue (platform contract): SSE, TLS-only, a message moves
 * to the DLQ after `maxReceiveCount` failed receives (its alarm: infra/constructs/stage-monitoring.ts).
 * Its timing is the stage's (`generationQueue` in infra/config/stages.ts), the figures the local
 * stack's queue uses too.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { GenerationQueueTiming } from '../config/index.js';

export interface GenerationQueueProps extends GenerationQueueTiming {
  /** The consuming function's timeout: the visibility timeout must exceed it. */
  readonly consumerTimeout: Duration;
}

export class GenerationQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: GenerationQueueProps) {
    super(scope, id);
    const { visibilityTimeout, consumerTimeout, maxReceiveCount } = props;
    // Shorter, and a message would reach a second worker while the first may still run its job.
    if (visibilityTimeout.toSeconds() <= consumerTimeout.toSeconds()) {
      throw new Error(
        `the generation queue's visibility timeout (${visibilityTimeout.toSeconds()} s) must exceed its consumer's timeout (${consumerTimeout.toSeconds()} s)`,
      );
    }
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(
        `the generation queue's maxReceiveCount must be an integer 1..1000, got ${maxReceiveCount}`,
      );
    }
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
