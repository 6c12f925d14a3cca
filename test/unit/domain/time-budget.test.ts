/** The generator's time budget (lib/domain/time-budget.ts): when a job can no longer finish in the time left. */
import { describe, expect, it } from 'vitest';
import {
  cannotFinish,
  expectedRestMs,
  PACKAGING_SHARE,
  type TimeBudget,
  TimeLimitError,
} from '../../../lib/domain/index.js';

const base: TimeBudget = {
  remainingMs: 900_000,
  marginMs: 20_000,
  total: 10_000,
  done: 0,
  generatingMs: 0,
  slowestBatchMs: 0,
  lastBatchMs: 0,
  lastBatchPatients: 0,
};

describe('time budget', () => {
  it('knows nothing before the first batch: only the margin counts', () => {
    // Act + Assert
    expect(expectedRestMs(base)).toBe(0);
    expect(cannotFinish(base)).toBe(false);
    expect(cannotFinish({ ...base, remainingMs: 19_999 })).toBe(true);
  });

  it('does not judge by the first batch alone: its warm-up is not the run`s rate, only the margin counts', () => {
    // Prepare: the first 75 of 1,500 patients took 10 s in a cold process (the rate would say 190 s more).
    const first = {
      ...base,
      total: 1_500,
      done: 75,
      generatingMs: 10_000,
      slowestBatchMs: 10_000,
      lastBatchMs: 10_000,
      lastBatchPatients: 75,
    };
    // Act + Assert
    expect(expectedRestMs(first)).toBe(0);
    expect(cannotFinish({ ...first, remainingMs: 100_000 })).toBe(false);
    expect(cannotFinish({ ...first, remainingMs: 19_999 })).toBe(true);
    // The second batch, as slow, decides.
    const second = { ...first, done: 150, generatingMs: 20_000 };
    expect(expectedRestMs(second)).toBe(1_350 * (10_000 / 75) + (20_000 / 150) * 1_500 * PACKAGING_SHARE);
    expect(cannotFinish({ ...second, remainingMs: 100_000 })).toBe(true);
  });

  it('expects the patients left at the last batch`s rate, then the upload and ZIP as a share of the generation so far', () => {
    // Prepare: 2 batches of 500 took 10 s, the first (warm-up) 6 s, the last 4 s.
    const budget = {
      ...base,
      done: 1_000,
      generatingMs: 10_000,
      slowestBatchMs: 6_000,
      lastBatchMs: 4_000,
      lastBatchPatients: 500,
    };
    // Act
    const rest = expectedRestMs(budget);
    // Assert: 9,000 patients at 8 ms, then the ZIP over 10,000 patients at 10 ms each.
    expect(rest).toBe(9_000 * 8 + 10_000 * 10 * PACKAGING_SHARE);
    expect(cannotFinish({ ...budget, remainingMs: rest + 20_000 })).toBe(false);
    expect(cannotFinish({ ...budget, remainingMs: rest + 19_999 })).toBe(true);
  });

  it('keeps room for one more batch as slow as the slowest, and for the ZIP once every patient is written', () => {
    // Prepare
    const nearlyDone = {
      ...base,
      total: 1_000,
      done: 990,
      generatingMs: 9_900,
      slowestBatchMs: 30_000,
      lastBatchMs: 100,
      lastBatchPatients: 10,
    };
    const allDone = { ...nearlyDone, done: 1_000, generatingMs: 10_000 };
    // Act + Assert
    expect(expectedRestMs(nearlyDone)).toBe(30_000 + 10_000 * PACKAGING_SHARE);
    expect(expectedRestMs(allDone)).toBe(10_000 * PACKAGING_SHARE);
    expect(cannotFinish({ ...allDone, remainingMs: 25_000 })).toBe(false);
    expect(cannotFinish({ ...allDone, remainingMs: 24_999 })).toBe(true);
  });

  it('names the time limit and how far the job got, as a final generation error', () => {
    // Act
    const error = new TimeLimitError(900, 4_000, 10_000);
    // Assert
    expect(error.code).toBe('GENERATION_ERROR');
    expect(error.message).toBe(
      "The job did not finish within the generator's time limit of 900 s; it stopped after 4000 of 10000 patients. Ask for fewer patients or formats per job.",
    );
  });
});
