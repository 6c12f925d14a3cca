/**
 * The generation queue and its dead-letter queue (platform contract): SSE, TLS-only, a message moves
 * to the DLQ after `maxReceiveCount` failed receives, and an optional alarm fires on the first one.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface GenerationQueueProps {
  /** Longer than the consumer's timeout, so a running job is never handed to a second worker. */
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  /** An alarm when the DLQ holds any message. */
  readonly dlqAlarm: boolean;
}

export class GenerationQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm?: Alarm;

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
    if (props.dlqAlarm) {
      this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'A generation message failed maxReceiveCount times and is in the DLQ; its job has failed. Inspect and redrive or purge.',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
