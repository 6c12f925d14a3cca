/**
 * The generation queue and its dead-letter queue (platform contract): SSE, TLS-only, a message moves
 * to the DLQ after `maxReceiveCount` failed receives (its alarm: infra/constructs/stage-monitoring.ts).
 * Its timing is the stage's (`generationQueue` in infra/config/stages.ts, derived from the generator's
 * timeout), the figures the local stack's queue uses too.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type GenerationQueueTiming, SQS_VISIBILITY_PER_FUNCTION_TIMEOUT } from '../config/index.js';

export interface GenerationQueueProps extends GenerationQueueTiming {
  /** The consuming function's timeout: the visibility timeout must be at least 6 times it. */
  readonly consumerTimeout: Duration;
  /** The DLQ consumer's timeout: the DLQ's visibility timeout is 6 times it (AWS's rule, as above). */
  readonly deadLetterConsumerTimeout: Duration;
}

export class GenerationQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: GenerationQueueProps) {
    super(scope, id);
    const { visibilityTimeout, consumerTimeout, deadLetterConsumerTimeout, maxReceiveCount } = props;
    // AWS's rule for Lambda SQS event sources: shorter, and a message could reach a second run while
    // the first may still run, or come back while the event source still retries a throttled batch.
    const least = consumerTimeout.toSeconds() * SQS_VISIBILITY_PER_FUNCTION_TIMEOUT;
    if (visibilityTimeout.toSeconds() < least) {
      throw new Error(
        `the generation queue's visibility timeout (${visibilityTimeout.toSeconds()} s) must be at least ${SQS_VISIBILITY_PER_FUNCTION_TIMEOUT} × its consumer's timeout (${consumerTimeout.toSeconds()} s): ${least} s`,
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
      visibilityTimeout: Duration.seconds(
        deadLetterConsumerTimeout.toSeconds() * SQS_VISIBILITY_PER_FUNCTION_TIMEOUT,
      ),
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
