/**
 * The API benchmark judges issue #9's targets on what a run measured (test/bench/api.bench.ts): a job,
 * a latency row or the bundles left out of a run are not judged, rather than printed as failures.
 */
import { describe, expect, it } from 'vitest';
import { apiTargetChecks, type JobRow, type LatencyRow } from '../../bench/api.bench.js';

function jobRow(key: string, name: string, seconds: number, bytesRead: number, objects: number): JobRow {
  return {
    key,
    name,
    patients: 0,
    formats: ['json'],
    compress: key.startsWith('gz'),
    jobId: `job-${key}`,
    seconds,
    status: 'completed',
    error: null,
    phases: {},
    chunks: 1,
    chunkSeconds: [],
    finaliserSeconds: 1,
    bytesRead,
    objects,
    files: [],
  };
}

function latencyRow(name: string, p99Ms: number): LatencyRow {
  return { name, p50Ms: 1, p99Ms, rps: 100, requests: 1000, non2xx: 0 };
}

const MiB = 1024 * 1024;

describe('API benchmark target checks', () => {
  it('judges only the 100k JSON job and idle latency when the run measured nothing else', () => {
    // Prepare
    const jobs = [jobRow('json-100k', '100k JSON', 13.1, 5 * MiB, 2)];
    const latency = [latencyRow('GET job, idle, 1 connection', 12)];
    // Act
    const checks = apiTargetChecks({ jobs, latency, verified: [], bundles: [] });
    // Assert
    expect(checks.map((c) => [c.name, c.value, c.ok])).toEqual([
      ['100k JSON job end to end', '13.1 s', false],
      ['GET job p99 idle (1 connection)', '12 ms', true],
    ]);
    expect(checks.some((c) => c.name.includes('undefined') || c.value.includes('NaN'))).toBe(false);
  });

  it('judges every target of a full run, with the finaliser reads bounded per object', () => {
    // Prepare
    const jobs = [
      jobRow('json-100k', '100k JSON', 5.5, 5 * MiB, 2),
      jobRow('gz-100k', '100k JSON + CSV gzip', 7, 26 * MiB, 3),
      jobRow('gz-1M', '1M JSON + CSV gzip', 70, 20 * MiB, 3),
    ];
    const latency = [
      latencyRow('GET job, idle, 1 connection', 12),
      latencyRow('GET job, 1M JSON + CSV gzip job running, 1 connection', 26),
    ];
    const bundles = [
      { handler: 'a', kind: 'http' as const, bytes: 400 * 1024, importMs: 1 },
      { handler: 'b', kind: 'http' as const, bytes: 510 * 1024, importMs: 1 },
      { handler: 'c', kind: 'queue' as const, bytes: 900 * 1024, importMs: 1 },
    ];
    const verified = [
      { jobId: 'job-gz-1M', patients: 1_000_000, files: [], manifest: true, same: true, seconds: 1 },
    ];
    // Act
    const checks = apiTargetChecks({ jobs, latency, verified, bundles });
    // Assert
    expect(Object.fromEntries(checks.map((c) => [c.name, c.ok]))).toEqual({
      '100k JSON job end to end': true,
      '1M JSON + CSV gzip job end to end': false,
      'GET job p99 idle (1 connection)': true,
      'GET job p99 while the 1M JSON + CSV gzip job runs (1 connection)': false,
      'finaliser bytes read per object, 100k JSON + CSV gzip → 1M JSON + CSV gzip': true,
      'same bytes as the CLI: 1M JSON + CSV gzip': true,
      'largest HTTP bundle (b)': false,
    });
  });
});
