/**
 * Who the casualties are: the ages of a young deployed force, about 28.5 years on average with 45 %
 * aged 25 or younger and few over 40 (memory/decisions/0939-casualty-ages.md), and a weight that goes
 * with the height (0940-weight-from-height.md).
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

/** One job's records, generated once for the tests that read it. */
let survey: PatientRecord[] | undefined;
function patients(): PatientRecord[] {
  const input = {
    ...presetScenario(findPreset('nato_article_5')!),
    total_patients: 20_000,
    female_ratio: 0.2,
  };
  survey ??= [...(generate(plan(loadScenario(input), 3)) as Iterable<PatientRecord>)];
  return survey;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('casualty demographics', () => {
  it('gives the ages of a young force: mean about 28.5, 45 % at 25 or younger, under a tenth over 40', () => {
    // Prepare
    const input = { ...presetScenario(findPreset('nato_article_5')!), total_patients: 20_000 };

    // Act
    const ages: number[] = [];
    for (const r of generate(plan(loadScenario(input), 3)) as Iterable<PatientRecord>)
      ages.push(r.demographics.age);
    const share = (keep: (age: number) => boolean) => ages.filter(keep).length / ages.length;

    // Assert
    expect(mean(ages)).toBeGreaterThan(27.8);
    expect(mean(ages)).toBeLessThan(29.2);
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

  it('makes the taller soldier the heavier, within the body-mass indexes of a force fit for service', () => {
    // Act
    const men = patients().filter((r) => r.gender === 'male');
    const heights = men.map((r) => r.demographics.height_cm);
    const weights = men.map((r) => r.demographics.weight_kg);
    const bmi = men.map((r) => r.demographics.weight_kg / (r.demographics.height_cm / 100) ** 2);
    const mh = mean(heights);
    const mw = mean(weights);
    const covariance = mean(men.map((_, i) => (heights[i] - mh) * (weights[i] - mw)));
    const sd = (xs: number[], m: number) => Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    const correlation = covariance / (sd(heights, mh) * sd(weights, mw));

    // Assert: a clear correlation (independent draws gave none); BMI 18.5-35 but for the 50-130 kg bounds
    // and the rounding of the height to whole centimetres
    expect(correlation).toBeGreaterThan(0.4);
    expect(mean(weights)).toBeGreaterThan(80);
    expect(mean(weights)).toBeLessThan(85);
    const outside = bmi.filter((b) => b < 18.3 || b > 35.3).length;
    expect(outside / men.length).toBeLessThan(0.001);
  });
});
