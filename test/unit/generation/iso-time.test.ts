import { describe, expect, it } from 'vitest';
import { isoDate, isoSeconds } from '../../../lib/generation/iso-time.js';

const DAY_MS = 86_400_000;
const toIso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

describe('ISO timestamps from tables', () => {
  it('gives what Date#toISOString gives, to the second, across days, months and years', () => {
    // Prepare: times around midnight, month and year ends, a leap day, and a spread over a year.
    const base = Date.UTC(2024, 1, 28);
    const times = [
      base,
      base + DAY_MS - 1000,
      base + DAY_MS,
      Date.UTC(2024, 1, 29, 23, 59, 59),
      Date.UTC(2024, 11, 31, 23, 59, 59),
      Date.UTC(2025, 0, 1, 0, 0, 0),
      ...Array.from({ length: 5000 }, (_, i) => base + ((i * 7_919_000_003) % (366 * DAY_MS)) - (i % 1000)),
    ].map((ms) => Math.floor(ms / 1000) * 1000);
    // Act
    const ours = times.map(isoSeconds);
    // Assert
    expect(ours).toEqual(times.map(toIso));
  });

  it('gives the same text when days are visited back and forth (the last day is only a cache)', () => {
    // Prepare
    const a = Date.UTC(2025, 5, 1, 6, 6, 22);
    const b = Date.UTC(2025, 5, 3, 23, 0, 1);
    // Act
    const seen = [isoSeconds(a), isoSeconds(b), isoSeconds(a), isoSeconds(b), isoSeconds(a)];
    // Assert
    expect(seen).toEqual([
      '2025-06-01T06:06:22Z',
      '2025-06-03T23:00:01Z',
      '2025-06-01T06:06:22Z',
      '2025-06-03T23:00:01Z',
      '2025-06-01T06:06:22Z',
    ]);
  });
});

describe('ISO dates from the civil calendar', () => {
  it('gives what Date#toISOString gives for every day from 1900 to 2100', () => {
    // Prepare
    const first = Math.floor(Date.UTC(1900, 0, 1) / DAY_MS);
    const last = Math.floor(Date.UTC(2100, 11, 31) / DAY_MS);
    const days = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    // Act
    const ours = days.map(isoDate);
    // Assert
    expect(ours).toEqual(days.map((d) => new Date(d * DAY_MS).toISOString().slice(0, 10)));
  });
});
