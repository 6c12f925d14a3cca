/** How a job is cut into chunks (lib/domain/job-chunk-plan.ts): the cost model, its clamps, balanced bounds. */
import { describe, expect, it } from 'vitest';
import {
  chunkBounds,
  chunkWriteMode,
  ENGINE_MICROS_PER_PATIENT,
  FORMAT_MICROS_PER_PATIENT,
  INLINE_STAGE_MAX_CHUNK_SECONDS,
  MAX_CHUNK_SECONDS,
  MAX_CHUNKS,
  MIN_COPY_PART_BYTES,
  MIN_PATIENTS_PER_CHUNK,
  MIN_TARGET_CHUNK_SECONDS,
  microsPerPatient,
  PART_SIZE_MARGIN,
  PLAN_MICROS_PER_PATIENT,
  PLAN_TIMES_PER_CHUNK,
  patientsPerChunk,
  planChunks,
  plansNextStageInline,
  runsNextStageInline,
  smallestPartBytesPerPatient,
  targetChunkSeconds,
} from '../../../lib/domain/job-chunk-plan.js';

describe('chunk plan', () => {
  it('costs a patient once for the engine plus each format`s writer and deflate', () => {
    // Act
    const micros = microsPerPatient(['json', 'csv'], 'gzip');
    // Assert
    expect(micros).toBe(
      ENGINE_MICROS_PER_PATIENT + FORMAT_MICROS_PER_PATIENT.json.gzip + FORMAT_MICROS_PER_PATIENT.csv.gzip,
    );
  });

  it('writes deflate parts when compressed, plain + deflate when not, plain alone for an encrypted uncompressed job', () => {
    // Act + Assert
    expect(chunkWriteMode({ compress: true, encrypted: false })).toBe('gzip');
    expect(chunkWriteMode({ compress: true, encrypted: true })).toBe('gzip');
    expect(chunkWriteMode({ compress: false, encrypted: false })).toBe('plain');
    expect(chunkWriteMode({ compress: false, encrypted: true })).toBe('raw');
  });

  it('sizes a chunk for the target seconds of one core when its parts reach 5 MiB anyway', () => {
    // Prepare: FHIR compressed: slow, with a part of thousands of bytes per patient.
    const formats = ['fhir'] as const;
    const micros = microsPerPatient(formats, 'gzip');
    // Act
    const perChunk = patientsPerChunk(formats, 'gzip');
    // Assert
    expect(perChunk).toBe(Math.floor((MIN_TARGET_CHUNK_SECONDS * 1e6) / micros));
    expect(perChunk * smallestPartBytesPerPatient(formats, 'gzip')).toBeGreaterThanOrEqual(
      MIN_COPY_PART_BYTES,
    );
  });

  it('makes a chunk longer so its smallest compressed part reaches 5 MiB, never past the ceiling', () => {
    // Prepare: json + csv, the compressed CSV part the smallest.
    const micros = microsPerPatient(['json', 'csv'], 'gzip');
    const byTime = Math.floor((MIN_TARGET_CHUNK_SECONDS * 1e6) / micros);
    const byPart = Math.ceil(
      (PART_SIZE_MARGIN * MIN_COPY_PART_BYTES) / smallestPartBytesPerPatient(['json', 'csv'], 'gzip'),
    );
    // Act
    const perChunk = patientsPerChunk(['json', 'csv'], 'gzip');
    // Assert
    expect(perChunk).toBe(Math.min(Math.max(byTime, byPart), Math.floor((MAX_CHUNK_SECONDS * 1e6) / micros)));
    expect(perChunk * micros).toBeLessThanOrEqual(MAX_CHUNK_SECONDS * 1e6);
    expect(perChunk).toBeGreaterThanOrEqual(MIN_PATIENTS_PER_CHUNK);
  });

  it('cuts a job into the fewest chunks of at most that size, sizes differing by at most one', () => {
    // Act
    const bounds = chunkBounds(1_000_000, 130_000);
    // Assert
    expect(bounds).toHaveLength(9);
    expect(bounds[0]).toBe(0);
    expect(bounds.at(-1)).toBe(1_000_000);
    const sizes = bounds.slice(1).map((b, i) => b - bounds[i]);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(130_000);
  });

  it('keeps a small job, and an empty one, in one chunk', () => {
    // Act + Assert
    expect(planChunks(10_000, ['json', 'csv'], { compress: true, encrypted: false })).toEqual([0, 10_000]);
    expect(chunkBounds(0, 5_000)).toEqual([0, 0]);
    expect(chunkBounds(5_001, 5_000)).toEqual([0, 2_500, 5_001]);
  });

  it('never plans more than MAX_CHUNKS chunks', () => {
    // Act
    const bounds = chunkBounds(10_000_000, 1);
    // Assert
    expect(bounds).toHaveLength(MAX_CHUNKS + 1);
    expect(bounds.at(-1)).toBe(10_000_000);
  });

  it('aims a chunk at 8 s of one core, or at twice the planning pass of a large job, never past the ceiling', () => {
    // Act + Assert
    expect(targetChunkSeconds(100_000)).toBe(MIN_TARGET_CHUNK_SECONDS);
    expect(targetChunkSeconds(1_000_000)).toBeCloseTo(
      (PLAN_TIMES_PER_CHUNK * 1_000_000 * PLAN_MICROS_PER_PATIENT) / 1e6,
    );
    expect(targetChunkSeconds(10_000_000)).toBe(MAX_CHUNK_SECONDS);
  });

  it('spreads a 100,000-patient JSON job over two chunks, so two workers share it', () => {
    // Act
    const bounds = planChunks(100_000, ['json'], { compress: false, encrypted: false });
    // Assert
    expect(bounds).toEqual([0, 50_000, 100_000]);
  });

  it('plans a 1,000,000-patient JSON + CSV job in chunks of 8-20 s of one core whose CSV parts stay above 5 MiB', () => {
    // Act
    const bounds = planChunks(1_000_000, ['json', 'csv'], { compress: true, encrypted: false });
    // Assert
    const size = bounds[1] - bounds[0];
    const seconds = (size * microsPerPatient(['json', 'csv'], 'gzip')) / 1e6;
    expect(bounds.length - 1).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeGreaterThanOrEqual(MIN_TARGET_CHUNK_SECONDS);
    expect(seconds).toBeLessThanOrEqual(20);
    // Balanced chunks are a little under the planned size: the margin still keeps them above 5 MiB.
    expect(size * smallestPartBytesPerPatient(['json', 'csv'], 'gzip')).toBeGreaterThanOrEqual(
      1.1 * MIN_COPY_PART_BYTES,
    );
  });

  it('keeps the planning pass a small share of a 10,000,000-patient job`s chunks', () => {
    // Act
    const bounds = planChunks(10_000_000, ['json', 'csv'], { compress: true, encrypted: false });
    // Assert: each chunk's worker plans the whole job once; a chunk costs at least twice that, capped at 45 s.
    const size = bounds[1] - bounds[0];
    const seconds = (size * microsPerPatient(['json', 'csv'], 'gzip')) / 1e6;
    expect(seconds).toBeGreaterThan(40);
    expect(seconds).toBeLessThanOrEqual(MAX_CHUNK_SECONDS);
  });

  it('runs the next stage in a one-chunk job`s invocation only when the chunk is short', () => {
    // Prepare: a 10,000-patient JSON + CSV job, and the 40,000-patient job of five plain formats the
    // cost model makes one chunk of 45 s (its CSV part reaches 5 MiB only there).
    const five = ['json', 'ndjson', 'csv', 'xml', 'fhir'] as const;
    const small = planChunks(10_000, ['json', 'csv'], { compress: false, encrypted: false });
    const long = planChunks(40_000, five, { compress: false, encrypted: false });
    const many = planChunks(1_000_000, ['json', 'csv'], { compress: true, encrypted: false });
    // Act
    const inline = [
      plansNextStageInline(small, ['json', 'csv'], 'plain'),
      plansNextStageInline(long, five, 'plain'),
      plansNextStageInline(many, ['json', 'csv'], 'gzip'),
    ];
    // Assert: the long chunk keeps 45 + 10 s of a 100 s budget, not 1.5 × 45 + 10 s (fix 0180).
    expect(long).toEqual([0, 40_000]);
    expect(inline).toEqual([true, false, false]);
    expect((40_000 * microsPerPatient(five, 'plain')) / 1e6).toBeGreaterThan(INLINE_STAGE_MAX_CHUNK_SECONDS);
  });

  it('reads the planner`s decision from the plan, and one chunk from a plan written before it', () => {
    // Act + Assert
    const plan = (bounds: number[], next_stage_inline?: boolean) => ({
      chunking: { plan_id: 'p', bounds, ...(next_stage_inline === undefined ? {} : { next_stage_inline }) },
    });
    expect(runsNextStageInline(plan([0, 40_000], false))).toBe(false);
    expect(runsNextStageInline(plan([0, 500], true))).toBe(true);
    expect(runsNextStageInline(plan([0, 500]))).toBe(true);
    expect(runsNextStageInline(plan([0, 500, 1000]))).toBe(false);
  });
});
