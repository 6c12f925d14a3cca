/**
 * The generator's time budget (lib/domain/time-budget.ts): when a chunk must stop because it cannot
 * finish in the time left: only at the last safe moment, never on a projection of its rate
 * (memory/fixes/0068, 0071, 0238).
 */
import { describe, expect, it } from 'vitest';
import {
  afterGenerationMs,
  cannotFinish,
  INLINE_STAGE_SHARE,
  PACKAGING_MS,
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
  bestMsPerPatient: 0,
};

describe('time budget', () => {
  it('knows nothing before the first batch: only the margin and what follows the patients count', () => {
    // Act + Assert
    expect(cannotFinish(base)).toBe(false);
    expect(cannotFinish({ ...base, remainingMs: 20_000 + PACKAGING_MS })).toBe(false);
    expect(cannotFinish({ ...base, remainingMs: 20_000 + PACKAGING_MS - 1 })).toBe(true);
  });

  it('does not judge by the first batch alone: its warm-up is not the run`s rate (fix 0068)', () => {
    // Prepare: the first 75 of 1,500 patients took 10 s in a cold process (its rate would say 190 s more).
    const first = { ...base, total: 1_500, done: 75, generatingMs: 10_000, slowestBatchMs: 10_000 };
    // Act + Assert: only the next batch as slow as that one, and what follows, must fit.
    expect(cannotFinish({ ...first, remainingMs: 100_000 })).toBe(false);
    expect(cannotFinish({ ...first, remainingMs: 20_000 + 10_000 + PACKAGING_MS })).toBe(false);
    expect(cannotFinish({ ...first, remainingMs: 20_000 + 10_000 + PACKAGING_MS - 1 })).toBe(true);
  });

  it('does not stop the measured 1M job`s chunk: 10,000 of 142,857 patients in 7 s, 113 s left', () => {
    // Prepare: the chunk failed on 2026-12-02 (remaining_ms 112998), two batches of 5,000 done: a
    // warm-up batch of 5 s on a busy machine, then 2 s; the chunk took 20-32 s when not stopped.
    const chunk: TimeBudget = {
      remainingMs: 112_998,
      marginMs: 20_000,
      total: 142_857,
      done: 10_000,
      generatingMs: 7_000,
      slowestBatchMs: 5_000,
      bestMsPerPatient: 2_000 / 5_000,
    };
    // Act + Assert: the next batch and the packaging fit in 93 s.
    expect(cannotFinish(chunk)).toBe(false);
    // The former rule (the last batch's rate plus half the whole chunk's generation time) said 103 s.
    const former = 132_857 * 0.4 + (7_000 / 10_000) * 142_857 * 0.5;
    expect(former).toBeGreaterThan(chunk.remainingMs - chunk.marginMs);
  });

  it('does not stop a starved chunk on its rate so far: 6,668 of 66,666 patients in 11.6 s, 107 s left (fix 0238)', () => {
    // Prepare: the 1M job that failed on 2026-12-05 while a type check took the CPU from the local
    // workers (they run at the lowest priority): its best batch 1.75 ms a patient, 17 times its usual rate.
    const starved: TimeBudget = {
      remainingMs: 107_492,
      marginMs: 20_000,
      total: 66_666,
      done: 6_668,
      generatingMs: 11_618,
      slowestBatchMs: 5_848,
      bestMsPerPatient: 1.754,
    };
    // Act + Assert: at that rate it would need 115 s more, but the next batch and the packaging fit in 87 s.
    expect((starved.total - starved.done) * starved.bestMsPerPatient).toBeGreaterThan(100_000);
    expect(cannotFinish(starved)).toBe(false);
    // Had it stayed that slow, it stops at the last safe moment instead.
    const late = { ...starved, remainingMs: 20_000 + 5_848 + PACKAGING_MS - 1, done: 60_000 };
    expect(cannotFinish(late)).toBe(true);
  });

  it('stops at the last safe moment: when the next batch as slow as the slowest, and what follows, no longer fit', () => {
    // Prepare: a chunk whose best rate fits but whose batches vary: the slowest took 8 s.
    const late: TimeBudget = {
      remainingMs: 0,
      marginMs: 20_000,
      total: 100_000,
      done: 90_000,
      generatingMs: 50_000,
      slowestBatchMs: 8_000,
      bestMsPerPatient: 0.4,
    };
    const needed = 20_000 + 8_000 + PACKAGING_MS;
    // Act + Assert
    expect(cannotFinish({ ...late, remainingMs: needed })).toBe(false);
    expect(cannotFinish({ ...late, remainingMs: needed - 1 })).toBe(true);
  });

  it('keeps room for the next stage only in a one-chunk job, which runs it in the same invocation', () => {
    // Prepare: half of a 100,000-patient chunk in 20 s, the best rate 0.3 ms.
    const half: TimeBudget = {
      ...base,
      total: 100_000,
      done: 50_000,
      generatingMs: 20_000,
      slowestBatchMs: 4_000,
      bestMsPerPatient: 0.3,
    };
    // Act
    const ofAChunk = afterGenerationMs(half);
    const ofTheJob = afterGenerationMs({ ...half, finalisesInline: true });
    // Assert: the next stage is a share of the chunk's generation at its best rate (20 s + 15 s).
    expect(ofAChunk).toBe(PACKAGING_MS);
    expect(ofTheJob).toBeCloseTo(PACKAGING_MS + INLINE_STAGE_SHARE * 35_000, 6);
    const fitsAChunk = 20_000 + 15_000 + PACKAGING_MS;
    expect(cannotFinish({ ...half, remainingMs: fitsAChunk })).toBe(false);
    expect(cannotFinish({ ...half, remainingMs: fitsAChunk, finalisesInline: true })).toBe(true);
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
