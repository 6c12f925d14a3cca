/**
 * The API benchmark polls a job it times slowly enough not to take the job's CPU, and often enough to
 * see its end within 2.5 % of its time (test/bench/api.bench.ts pollDelayMs).
 */
import { describe, expect, it } from 'vitest';
import { pollDelayMs } from '../../bench/api.bench.js';

describe('pollDelayMs', () => {
  it('polls every 50 ms for the first two seconds, so a short job is timed to within 50 ms', () => {
    // Prepare
    const waited = [0, 1_000, 2_000];
    // Act
    const delays = waited.map(pollDelayMs);
    // Assert
    expect(delays).toEqual([50, 50, 50]);
  });

  it('then waits 2.5 % of the time waited, and never more than 250 ms (4 polls a second)', () => {
    // Prepare
    const waited = [4_000, 8_000, 10_000, 60_000, 600_000];
    // Act
    const delays = waited.map(pollDelayMs);
    // Assert
    expect(delays).toEqual([100, 200, 250, 250, 250]);
  });
});
