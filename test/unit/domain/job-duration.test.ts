/**
 * A job's estimated duration (lib/domain/job-duration.ts): the cost model's chunks in waves of the
 * stage's generators, the planning pass, the seal tasks and the finaliser's copies; no 900 s cap.
 */
import { describe, expect, it } from 'vitest';
import {
  ASSUMED_GENERATOR_CONCURRENCY,
  estimatedDurationSeconds,
  FINALISE_BYTES_PER_SECOND,
  PLAN_MICROS_PER_PATIENT,
  START_SECONDS,
} from '../../../lib/domain/index.js';
import {
  DEFLATED_BYTES_PER_PATIENT,
  microsPerPatient,
  planChunks,
} from '../../../lib/domain/job-chunk-plan.js';

const request = (formats: string[], compress = true, encrypted = false) => ({
  output_formats: formats,
  use_compression: compress,
  use_encryption: encrypted,
});

describe('estimated job duration', () => {
  it('gives the 1M JSON + CSV gzip job its chunks in waves of the generators, the planning and the finaliser', () => {
    // Prepare: the cost model's chunks of this job, as the planner cuts them.
    const patients = 1_000_000;
    const chunks = planChunks(patients, ['json', 'csv'], { compress: true, encrypted: false }).length - 1;
    const chunkSeconds = ((patients / chunks) * microsPerPatient(['json', 'csv'], 'gzip')) / 1e6;
    const planning = (2 * patients * PLAN_MICROS_PER_PATIENT) / 1e6;
    const copies =
      (2 * patients * (DEFLATED_BYTES_PER_PATIENT.json + DEFLATED_BYTES_PER_PATIENT.csv)) /
      FINALISE_BYTES_PER_SECOND;
    const expected = (generators: number) =>
      Math.ceil(START_SECONDS + planning + Math.ceil(chunks / generators) * chunkSeconds + copies);

    // Act
    const local = estimatedDurationSeconds(request(['json', 'csv']), patients);
    const prod = estimatedDurationSeconds(request(['json', 'csv']), patients, { generatorConcurrency: 50 });

    // Assert: on the 2 local workers the chunks' waves, as measured (7 chunks of 20-32 s in 4 waves,
    // the finaliser about 40 s): between 2 and 3 minutes; with 50 generators one wave.
    expect(chunks).toBeGreaterThan(ASSUMED_GENERATOR_CONCURRENCY);
    expect(ASSUMED_GENERATOR_CONCURRENCY).toBe(2);
    expect(local).toBe(expected(2));
    expect(local).toBeGreaterThan(120);
    expect(local).toBeLessThan(180);
    expect(prod).toBe(expected(50));
    expect(prod).toBeLessThan(local - 60);
  });

  it('grows with the formats and the bytes, past the former 900 s cap when the job is that long', () => {
    // Act
    const small = estimatedDurationSeconds(request(['json']), 10);
    const json = estimatedDurationSeconds(request(['json']), 100_000);
    const plain = estimatedDurationSeconds(request(['json'], false), 100_000);
    const fhir = estimatedDurationSeconds(request(['fhir'], false), 1_000_000);
    // Assert
    expect(small).toBe(3);
    expect(json).toBeGreaterThan(small);
    expect(plain).toBeGreaterThan(json);
    expect(fhir).toBeGreaterThan(900);
  });

  it('adds the seal tasks of an encrypted job', () => {
    // Act
    const clear = estimatedDurationSeconds(request(['json', 'csv'], false), 1_000_000);
    const sealed = estimatedDurationSeconds(request(['json', 'csv'], false, true), 1_000_000);
    // Assert: the encrypted job's chunks write no deflate part (cheaper), but its plain files are
    // sealed and copied twice (the .enc file, its ZIP entry stored).
    expect(sealed).not.toBe(clear);
    expect(sealed).toBeGreaterThan(estimatedDurationSeconds(request(['json', 'csv'], true, true), 1_000_000));
  });
});
