/** Where a results page starts reading (lib/domain/results-seek.ts): the chunk's part, or the start. */
import { describe, expect, it } from 'vitest';
import { recordSeek } from '../../../lib/domain/results-seek.js';

const job = (bounds: number[] | undefined, compressed: boolean) => ({
  chunking: bounds ? { plan_id: 'p', bounds } : undefined,
  config: { use_compression: compressed } as never,
});
const parts = (part_sizes: number[]) => ({
  checksum: { algorithm: 'sha256-of-parts' as const, part_sizes, value: '0'.repeat(64) },
});

describe('results seek', () => {
  it('starts at the part of the chunk holding the patient, after the gzip header when compressed', () => {
    // Act + Assert: chunks [0, 250), [250, 500), [500, 600).
    expect(recordSeek(job([0, 250, 500, 600], false), parts([1000, 2000, 400]), 520)).toEqual({
      from: 3000,
      skip: 20,
      rawDeflate: false,
    });
    expect(recordSeek(job([0, 250, 500, 600], true), parts([10, 100, 200, 40, 8]), 250)).toEqual({
      from: 110,
      skip: 0,
      rawDeflate: true,
    });
  });

  it('reads from the start for the first chunk, one chunk, a whole-file checksum or pieces that do not match the chunks', () => {
    // Act + Assert
    expect(recordSeek(job([0, 250, 500], false), parts([1000, 2000]), 249)).toBeUndefined();
    expect(recordSeek(job([0, 500], false), parts([3000]), 400)).toBeUndefined();
    expect(recordSeek(job(undefined, false), parts([3000]), 400)).toBeUndefined();
    expect(recordSeek(job([0, 250, 500], false), { checksum: undefined }, 400)).toBeUndefined();
    expect(recordSeek(job([0, 250, 500], true), parts([1000, 2000]), 400)).toBeUndefined();
    expect(recordSeek(job([0, 250, 500], false), parts([10, 1000, 2000, 8]), 400)).toBeUndefined();
  });
});
