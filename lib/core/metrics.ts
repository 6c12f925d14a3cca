/**
 * The product's own figures as CloudWatch Embedded Metric Format lines (Powertools Metrics): one JSON
 * line on stdout per flush, which Lambda's log pipeline turns into metrics, and which the local stack
 * prints the same way. Namespace, names and dimensions are fixed here because the CDK alarms and
 * dashboard (infra/constructs/stage-monitoring.ts) read the same ones.
 *
 * Every metric carries the dimensions `service` and `stage`; per-format bytes add `format` in a line
 * of their own, so the other metrics keep a dimension set the alarms can address.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'MilmedPatientGenerator';

export const MetricName = {
  JobsCreated: 'JobsCreated',
  JobsCompleted: 'JobsCompleted',
  JobsFailed: 'JobsFailed',
  JobsCancelled: 'JobsCancelled',
  PatientsGenerated: 'PatientsGenerated',
  JobDuration: 'JobDuration',
  QueueWait: 'QueueWait',
  OutputBytes: 'OutputBytes',
  AuthFailures: 'AuthFailures',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** What the job runner reports when a job completes. */
export interface CompletedJobFacts {
  readonly patients: number;
  readonly durationMs: number;
  /** Bytes written per output file (`zip` included). */
  readonly files: ReadonlyArray<{ readonly format: string; readonly size_bytes: number }>;
}

/** What domain services and handlers call; they never see Powertools. */
export interface AppMetrics {
  jobCreated(): void;
  jobCompleted(facts: CompletedJobFacts): void;
  jobFailed(): void;
  jobCancelled(): void;
  /** Time a generation message waited in the queue before the generator took it. */
  queueWait(ms: number): void;
  authFailure(): void;
  /** Writes the stored figures as one EMF line (nothing when none were recorded). */
  flush(): void;
}

export interface MetricsOptions {
  readonly serviceName: string;
  readonly stage: string;
}

export function createMetrics(options: MetricsOptions): AppMetrics {
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: options.serviceName,
    defaultDimensions: { stage: options.stage },
  });
  const count = (name: MetricName, value = 1) => metrics.addMetric(name, MetricUnit.Count, value);
  return {
    jobCreated: () => count(MetricName.JobsCreated),
    jobCompleted: ({ patients, durationMs, files }) => {
      count(MetricName.JobsCompleted);
      count(MetricName.PatientsGenerated, patients);
      metrics.addMetric(MetricName.JobDuration, MetricUnit.Milliseconds, durationMs);
      for (const file of files) {
        // A line of its own: `format` must not join the dimensions of the job counters.
        const single = metrics.singleMetric();
        single.addDimension('format', file.format);
        single.addMetric(MetricName.OutputBytes, MetricUnit.Bytes, file.size_bytes);
      }
    },
    jobFailed: () => count(MetricName.JobsFailed),
    jobCancelled: () => count(MetricName.JobsCancelled),
    queueWait: (ms) => metrics.addMetric(MetricName.QueueWait, MetricUnit.Milliseconds, Math.max(0, ms)),
    authFailure: () => count(MetricName.AuthFailures),
    flush: () => {
      // Powertools warns on every empty flush; most requests record nothing.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}

/** The dimensions every metric of a stage carries, as the alarms address them. */
export function metricDimensions(serviceName: string, stage: string): Record<string, string> {
  return { service: serviceName, stage };
}
