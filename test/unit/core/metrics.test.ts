/**
 * The EMF lines the functions print (lib/core/metrics.ts, lib/core/tracing.ts): names, units and
 * dimensions the CDK alarms and dashboard read, one line per flush, nothing for an empty flush.
 */
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  countAuthFailures,
  createMetrics,
  METRICS_NAMESPACE,
  MetricName,
  observed,
} from '../../../lib/core/index.js';

type Emf = Record<string, unknown> & {
  _aws: {
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
};

let lines: Emf[];

beforeEach(() => {
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk).trim();
    if (text.includes('"_aws"')) lines.push(JSON.parse(text) as Emf);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const metricsOf = (line: Emf) => line._aws.CloudWatchMetrics[0].Metrics.map((m) => `${m.Name}:${m.Unit}`);

describe('metrics', () => {
  it('writes a completed job as one line of counters and duration, plus one OutputBytes line per format', () => {
    // Prepare
    const metrics = createMetrics({ serviceName: 'svc', stage: 'dev' });

    // Act
    metrics.jobCompleted({
      patients: 40,
      durationMs: 1234,
      files: [
        { format: 'json', size_bytes: 1000 },
        { format: 'zip', size_bytes: 700 },
      ],
    });
    metrics.flush();

    // Assert
    const bytes = lines.filter((l) => 'format' in l);
    expect(bytes.map((l) => [l.format, l[MetricName.OutputBytes]])).toEqual([
      ['json', 1000],
      ['zip', 700],
    ]);
    expect(bytes[0]._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(
      expect.arrayContaining(['service', 'stage', 'format']),
    );
    const [job] = lines.filter((l) => !('format' in l));
    expect(job._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
    expect(job._aws.CloudWatchMetrics[0].Dimensions[0].sort()).toEqual(['service', 'stage']);
    expect(job).toMatchObject({
      service: 'svc',
      stage: 'dev',
      JobsCompleted: 1,
      PatientsGenerated: 40,
      JobDuration: 1234,
    });
    expect(metricsOf(job).sort()).toEqual([
      'JobDuration:Milliseconds',
      'JobsCompleted:Count',
      'PatientsGenerated:Count',
    ]);
  });

  it('prints nothing when a flush has nothing to publish', () => {
    // Prepare
    const metrics = createMetrics({ serviceName: 'svc', stage: 'dev' });

    // Act
    metrics.flush();

    // Assert
    expect(lines).toEqual([]);
  });

  it('counts a 401 answer as an auth failure and flushes once per invocation, also when the handler throws', async () => {
    // Prepare
    const metrics = createMetrics({ serviceName: 'svc', stage: 'prod' });
    const unauthorised = observed(async () => ({ statusCode: 401 }), {
      metrics,
      onResult: countAuthFailures,
    });
    const failing = observed(
      async () => {
        metrics.jobFailed();
        throw new Error('boom');
      },
      { metrics },
    );
    const context = { functionName: 'f', awsRequestId: 'r' } as Context;

    // Act
    await unauthorised({}, context);
    await expect(failing({}, context)).rejects.toThrow('boom');

    // Assert
    expect(lines.map((l) => metricsOf(l))).toEqual([['AuthFailures:Count'], ['JobsFailed:Count']]);
    expect(lines[0]).toMatchObject({ stage: 'prod', AuthFailures: 1 });
  });
});
