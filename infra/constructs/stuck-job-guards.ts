/**
 * What keeps a deployed job from staying stuck (memory/decisions/0903-no-stuck-jobs.md), both from the
 * function tables of functions/routes.ts:
 * - the DLQ consumer (`dead-letters`, QUEUE_HANDLERS), fed by the generation queue's dead-letter queue:
 *   it fails the job of every dead message and gives its slot back;
 * - the stale-job sweeper (`sweep-stale-jobs`, SCHEDULED_HANDLERS), run by an EventBridge rule: it
 *   fails jobs idle past their bounds (STALE_RUNNING_AFTER_SECONDS, STALE_WAITING_AFTER_SECONDS).
 * Least privilege: the consumer reads and updates a job by key; the sweeper queries the sparse
 * by-active-status index and updates a job by key; both may only give slots back in the usage table.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueHandler, SCHEDULED_HANDLERS } from '../../functions/routes.js';
import { AppFunction } from './app-function.js';
import type { DataStoreGrants } from './data-access.js';

/**
 * The DLQ consumer's timeout: a batch of 10 dead messages is 10 × (GetItem + UpdateItem + UpdateItem).
 * The DLQ's visibility timeout is six times it (30 s; generation-queue.ts), AWS's rule for SQS event sources.
 */
export const DEAD_LETTER_TIMEOUT = Duration.seconds(5);
export const DEAD_LETTER_BATCH_SIZE = 10;
/** The sweeper fails at most 1,000 jobs per status in one run (lib/domain/stuck-jobs.ts), a few calls each. */
export const SWEEPER_TIMEOUT = Duration.seconds(120);
export const GUARD_MEMORY_MB = 256;

export interface StuckJobGuardsProps {
  /** Physical function name of a function-table name (`milmed-<stage>-<name>`). */
  readonly functionName: (name: string) => string;
  /** The generation queue's dead-letter queue. */
  readonly deadLetterQueue: IQueue;
  /** STAGE, LOG_LEVEL, JOBS_TABLE, USAGE_TABLE…: lib/core/config.ts StuckJobsEnvSchema. */
  readonly environment: Readonly<Record<string, string>>;
  readonly grants: DataStoreGrants;
  /** A running job not updated for this long is failed (no delivery of its message can still run it). */
  readonly staleRunningAfter: Duration;
  /** A pending or queued job not started within this long is failed. */
  readonly staleWaitingAfter: Duration;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly tracing: boolean;
  readonly projectRoot?: string;
}

export class StuckJobGuards extends Construct {
  readonly deadLetterConsumer: AppFunction;
  readonly sweeper: AppFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: StuckJobGuardsProps) {
    super(scope, id);
    const common = {
      memorySize: GUARD_MEMORY_MB,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      tracing: props.tracing,
      projectRoot: props.projectRoot,
    };

    const deadLetters = queueHandler('generation-dlq');
    this.deadLetterConsumer = new AppFunction(this, 'DeadLetters', {
      ...common,
      entry: deadLetters.module,
      functionName: props.functionName(deadLetters.name),
      description: 'Fails the job of every generation message that reached the dead-letter queue',
      timeout: DEAD_LETTER_TIMEOUT,
      environment: props.environment,
    });
    // One job by key: read it (the reason names its last error), then the conditional failure.
    props.grants.grantTable(this.deadLetterConsumer, 'jobs', 'read-update');
    props.grants.grantUsage(this.deadLetterConsumer, 'release');
    this.deadLetterConsumer.addEventSource(
      new SqsEventSource(props.deadLetterQueue, {
        batchSize: DEAD_LETTER_BATCH_SIZE,
        reportBatchItemFailures: true,
      }),
    );

    const [sweep] = SCHEDULED_HANDLERS;
    this.sweeper = new AppFunction(this, 'Sweeper', {
      ...common,
      entry: sweep.module,
      functionName: props.functionName(sweep.name),
      description: `Fails jobs stuck pending, queued or running past their bounds, every ${sweep.everyMinutes} minutes`,
      timeout: SWEEPER_TIMEOUT,
      environment: {
        ...props.environment,
        STALE_RUNNING_AFTER_SECONDS: String(props.staleRunningAfter.toSeconds()),
        STALE_WAITING_AFTER_SECONDS: String(props.staleWaitingAfter.toSeconds()),
      },
    });
    props.grants.grantSweep(this.sweeper);
    props.grants.grantUsage(this.sweeper, 'release');
    this.schedule = new Rule(this, 'SweepSchedule', {
      description: `Runs ${sweep.name} every ${sweep.everyMinutes} minutes`,
      schedule: Schedule.rate(Duration.minutes(sweep.everyMinutes)),
      targets: [new LambdaFunction(this.sweeper, { retryAttempts: 0 })],
    });
  }
}
