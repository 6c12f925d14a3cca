/**
 * The finaliser's time budget (lib/domain/finaliser-budget.ts): before each object it asks whether
 * the time left, less the margin, surely holds it, from what this invocation has measured
 * (memory/decisions/0914-finaliser-hands-on.md).
 */
import { describe, expect, it } from 'vitest';
import {
  cannotHoldNext,
  expectedAssemblyMs,
  NO_ASSEMBLY_TIMING,
  withAssembly,
} from '../../../lib/domain/finaliser-budget.js';

const MIB = 2 ** 20;
const MARGIN = 20_000;

describe('finaliser time budget', () => {
  it('knows nothing before the first object: only the margin counts', () => {
    // Act + Assert
    expect(expectedAssemblyMs(NO_ASSEMBLY_TIMING, 10_000 * MIB)).toBe(0);
    expect(cannotHoldNext(MARGIN + 1, MARGIN, NO_ASSEMBLY_TIMING, 10_000 * MIB)).toBe(false);
    expect(cannotHoldNext(MARGIN, MARGIN, NO_ASSEMBLY_TIMING, 1)).toBe(true);
  });

  it('expects the next object at the invocation`s average time per byte', () => {
    // Prepare: 400 MiB in 8 s, then 100 MiB in 2 s: 20 ms per MiB.
    const timing = withAssembly(withAssembly(NO_ASSEMBLY_TIMING, 400 * MIB, 8_000), 100 * MIB, 2_000);

    // Act
    const expected = expectedAssemblyMs(timing, 1_000 * MIB);

    // Assert
    expect(timing).toEqual({ objects: 2, bytes: 500 * MIB, ms: 10_000, fastestMs: 2_000 });
    expect(expected).toBeCloseTo(20_000, 6);
  });

  it('never expects an object to take less than the quickest one so far (its requests alone)', () => {
    // Prepare: a 10 MiB file in 300 ms, a 1 GiB one in 5 s.
    const timing = withAssembly(withAssembly(NO_ASSEMBLY_TIMING, 10 * MIB, 300), 1024 * MIB, 5_000);

    // Act + Assert: a tiny manifest-sized object is expected to take the quickest object's 300 ms.
    expect(expectedAssemblyMs(timing, 2_000)).toBe(300);
  });

  it('hands on exactly when the time left less the margin no longer holds the expected object', () => {
    // Prepare: 1 GiB in 25 s; the next object is 2 GiB: 50 s expected.
    const timing = withAssembly(NO_ASSEMBLY_TIMING, 1024 * MIB, 25_000);
    const next = 2048 * MIB;

    // Act + Assert
    expect(cannotHoldNext(MARGIN + 50_001, MARGIN, timing, next)).toBe(false);
    expect(cannotHoldNext(MARGIN + 50_000, MARGIN, timing, next)).toBe(true);
  });
});
