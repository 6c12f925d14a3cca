/**
 * Ages of casualties (memory/decisions/0939-casualty-ages.md): a deployed force is young, about 28.5
 * years on average with 45 % aged 25 or younger, and few over 40.
 */
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, AGE_WEIGHTS, MAX_AGE, MIN_AGE } from '../../../lib/data/index.js';
import {
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  presetScenario,
} from '../../../lib/generation/index.js';

describe('casualty ages', () => {
  it('gives the ages of a young force: mean about 28.5, 45 % at 25 or younger, under a tenth over 40', () => {
    // Prepare
    const input = { ...presetScenario(findPreset('nato_article_5')!), total_patients: 20_000 };

    // Act
    const ages: number[] = [];
    for (const r of generate(plan(loadScenario(input), 3)) as Iterable<PatientRecord>)
      ages.push(r.demographics.age);
    const share = (keep: (age: number) => boolean) => ages.filter(keep).length / ages.length;

    // Assert
    expect(ages.reduce((a, b) => a + b, 0) / ages.length).toBeGreaterThan(27.8);
    expect(ages.reduce((a, b) => a + b, 0) / ages.length).toBeLessThan(29.2);
    expect(share((a) => a <= 25)).toBeGreaterThan(0.42);
    expect(share((a) => a <= 25)).toBeLessThan(0.48);
    expect(share((a) => a > 40)).toBeGreaterThan(0.06);
    expect(share((a) => a > 40)).toBeLessThan(0.11);
    expect(Math.min(...ages)).toBe(MIN_AGE);
    expect(Math.max(...ages)).toBe(MAX_AGE);
  });

  it('covers every age from 18 to 55 once, with shares that sum to 100 %', () => {
    // Act
    const years = AGE_BANDS.flatMap((b) => Array.from({ length: b.to - b.from + 1 }, (_, i) => b.from + i));

    // Assert
    expect(years).toEqual(Array.from({ length: MAX_AGE - MIN_AGE + 1 }, (_, i) => MIN_AGE + i));
    expect(AGE_WEIGHTS).toHaveLength(years.length);
    expect(AGE_WEIGHTS.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });
});
