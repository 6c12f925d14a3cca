/**
 * base_date is bounded so every date a job writes keeps the YYYY-MM-DD form: near year 0 a birthdate
 * came out as "0-40-06-09", near year 9999 a timestamp as "+010000-01-17:58:10Z".
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIO,
  generate,
  loadScenario,
  parseScenario,
  plan,
} from '../../../lib/generation/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every string of a record that looks like a date or a time, wherever it sits. */
function dateStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (/^[+-]?\d+-\d/.test(value) && !UUID.test(value)) out.push(value);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) dateStrings(item, out);
  }
  return out;
}

const WELL_FORMED = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/;

describe('base_date range', () => {
  it.each(['0001-01-01', '0999-12-31', '9000-12-31T00:00', '9999-12-31'])(
    'refuses %s, naming the field',
    (date) => {
      // Act
      const result = parseScenario({ ...DEFAULT_SCENARIO, base_date: date });
      // Assert
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues.map((issue) => issue.path)).toEqual(['base_date']);
    },
  );

  it.each([
    ['1000-01-01', 1],
    ['9000-12-31', 365],
  ])('at %s with %i days, every date a patient carries is YYYY-MM-DD or an ISO time', (baseDate, days) => {
    // Prepare
    const scenario = loadScenario({
      ...DEFAULT_SCENARIO,
      base_date: baseDate,
      days_of_fighting: days,
      total_patients: 300,
    });
    // Act
    const dates = [...generate(plan(scenario, 11))].flatMap((patient) => dateStrings(patient));
    // Assert
    expect(dates.length).toBeGreaterThan(300);
    expect(dates.filter((date) => !WELL_FORMED.test(date))).toEqual([]);
  });
});
