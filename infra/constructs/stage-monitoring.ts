/**
 * What an operator of a stage watches: alarms that notify an SNS topic (with an email subscription
 * from the stage config) and one CloudWatch dashboard with the same figures.
 *
 * Alarms: errors and throttles of every function, the API's 5xx rate and p99 latency, the age of the
 * oldest queued generation message, any dead letter received from the DLQ, and failed jobs from the
 * product's own EMF metric (lib/core/metrics.ts). Built on aws-cdk-lib alone (memory/decisions/0521).
 */
import { ArnFormat, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName, metricDimensions } from '../../lib/core/index.js';
import type { AlarmThresholds } from '../config/index.js';

const PERIOD = Duration.minutes(5);

export interface StageMonitoringProps {
  readonly stage: string;
  readonly serviceName: string;
  /** Every function of the stage, by a short name used in alarm names. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly apiStage: Stage;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly thresholds: AlarmThresholds;
  readonly alarmEmail?: string;
  /** Applied to the topic's KMS key. */
  readonly removalPolicy: RemovalPolicy;
}

export class StageMonitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: StageMonitoringProps) {
    super(scope, id);
    const { stage, thresholds } = props;
    const prefix = `milmed-${stage}`;

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: a key of our own, granted to it.
    const key = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts the alarm topic of the patient generator (${stage})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Patient generator alarms (${stage})`,
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one (the one that let
    // the account, and CloudWatch on its behalf, publish): without this Allow every alarm's notification
    // is refused ("no resource-based policy allows the SNS:Publish action"; memory/fixes/0170).
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowStageAlarmsToPublish',
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${prefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (name: string, description: string, metric: IMetric, threshold: number) => {
      const created = new Alarm(this, name, {
        alarmName: `${prefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const [name, fn] of props.functions) {
      alarm(
        `errors-${name}`,
        `Function ${name} failed at least once in 5 minutes (unhandled errors or timeouts); see its log group.`,
        fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        1,
      );
      alarm(
        `throttles-${name}`,
        `Function ${name} was throttled in the last 5 minutes: the account or its concurrency limit is reached.`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        1,
      );
    }

    const api = props.apiStage;
    // Average of 5XXError is the share of requests answered 5xx.
    const api5xx = api.metricServerError({ period: PERIOD, statistic: 'Average' });
    alarm(
      'api-5xx-rate',
      `More than ${thresholds.api5xxRate * 100}% of API requests answered 5xx over 5 minutes.`,
      api5xx,
      thresholds.api5xxRate,
    );
    const latencyP99 = api.metricLatency({ period: PERIOD, statistic: 'p99' });
    alarm(
      'api-latency-p99',
      `The API's p99 latency reached ${thresholds.apiP99Latency.toMilliseconds()} ms over 5 minutes.`,
      latencyP99,
      thresholds.apiP99Latency.toMilliseconds(),
    );
    const queueAge = props.queue.metricApproximateAgeOfOldestMessage({
      period: PERIOD,
      statistic: 'Maximum',
    });
    alarm(
      'queue-age',
      `A generation message has waited ${thresholds.queueAge.toSeconds()} s: jobs are not being picked up.`,
      queueAge,
      thresholds.queueAge.toSeconds(),
    );
    // The dead-letters function drains the DLQ within seconds, between two samples of its depth
    // (ApproximateNumberOfMessagesVisible), and a failing one keeps its message in flight, not visible:
    // a depth alarm never fired (memory/fixes/0177). Every dead letter handed to the consumer is counted
    // instead, on arrival and again on each retry while the consumer fails.
    const deadLettersReceived = props.deadLetterQueue.metricNumberOfMessagesReceived({
      period: PERIOD,
      statistic: 'Sum',
    });
    alarm(
      'dead-letters-received',
      'A generation message failed maxReceiveCount times and reached the DLQ; the dead-letters function fails its job (see jobs-failed) and consumes it. Still in alarm after that means the function keeps failing on it: see its log group.',
      deadLettersReceived,
      1,
    );
    const product = (metricName: string, statistic: string, label?: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: metricDimensions(props.serviceName, stage),
        statistic,
        period: PERIOD,
        label,
      });
    alarm(
      'jobs-failed',
      'A generation job failed (JobsFailed metric); its error is on the job and in the generator log.',
      product(MetricName.JobsFailed, 'Sum'),
      1,
    );

    // One line per function, by name: a SEARCH for the stage's name prefix in quotes is an exact match
    // of the whole name and found no function (memory/fixes/0172).
    const perFunction = (metricOf: (fn: IFunction) => Metric) =>
      [...props.functions].map(([name, fn]) => metricOf(fn).with({ label: name }));
    const functionErrors = perFunction((fn) => fn.metricErrors({ period: PERIOD, statistic: 'Sum' }));
    const functionThrottles = perFunction((fn) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }));

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${prefix}-patient-generator`,
      defaultInterval: Duration.hours(3),
    });
    const wide = (title: string, left: IMetric[], right?: IMetric[]) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Patient generator: ${stage}\nAlarms \`${prefix}-*\` notify the stage's SNS topic (stack output AlarmTopicArn); metrics of the product are in namespace \`${METRICS_NAMESPACE}\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }),
    );
    this.dashboard.addWidgets(
      wide(
        'API requests and errors',
        [
          api.metricCount({ period: PERIOD, statistic: 'Sum', label: 'requests' }),
          api.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
          api.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' }),
        ],
        [api5xx.with({ label: '5xx rate' })],
      ),
      wide('API latency (ms)', [
        api.metricLatency({ period: PERIOD, statistic: 'p50', label: 'p50' }),
        latencyP99.with({ label: 'p99' }),
        api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99', label: 'integration p99' }),
      ]),
    );
    this.dashboard.addWidgets(
      wide('Function errors', functionErrors),
      wide('Function throttles', functionThrottles),
    );
    this.dashboard.addWidgets(
      wide(
        'Generation queue',
        [queueAge.with({ label: 'age of oldest message (s)' })],
        [
          props.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: 'queued' }),
          deadLettersReceived.with({ label: 'dead letters received' }),
        ],
      ),
      wide('Jobs', [
        product(MetricName.JobsCreated, 'Sum', 'created'),
        product(MetricName.JobsCompleted, 'Sum', 'completed'),
        product(MetricName.JobsFailed, 'Sum', 'failed'),
        product(MetricName.JobsCancelled, 'Sum', 'cancelled'),
      ]),
    );
    this.dashboard.addWidgets(
      wide(
        'Job duration and queue wait (ms)',
        [
          product(MetricName.JobDuration, 'p50', 'job duration p50'),
          product(MetricName.JobDuration, 'p99', 'job duration p99'),
        ],
        [product(MetricName.QueueWait, 'p99', 'queue wait p99')],
      ),
      wide(
        'Patients generated and auth failures',
        [product(MetricName.PatientsGenerated, 'Sum', 'patients')],
        [product(MetricName.AuthFailures, 'Sum', 'auth failures')],
      ),
    );
    this.dashboard.addWidgets(
      wide('Bytes written per format', [
        new MathExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},format,service,stage} MetricName="${MetricName.OutputBytes}" stage="${stage}"', 'Sum', 300)`,
          label: 'bytes',
          period: PERIOD,
          usingMetrics: {},
        }),
      ]),
    );
  }
}
