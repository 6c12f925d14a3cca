import { describe, expect, it } from 'vitest';
import {
  advance,
  DEFAULT_SPEED_STOP,
  formatCount,
  formatUtc,
  SPEEDS,
  scenarioDay,
  speedLabel,
  speedMeaning,
  timeSpans,
} from '../../../web/src/viewer/playback.js';

describe('viewer playback', () => {
  it('offers speeds from 0.5× to 86,400× (a day per second), log-spaced and rising, with 1× (real time) among them', () => {
    // Act
    const ratios = SPEEDS.slice(1).map((s, i) => s / SPEEDS[i]);

    // Assert
    expect(SPEEDS[0]).toBe(0.5);
    expect(SPEEDS[SPEEDS.length - 1]).toBe(86_400);
    expect(speedMeaning(86_400)).toBe('24 h per second');
    expect(SPEEDS).toContain(1);
    expect(ratios.every((r) => r > 1 && r <= 2.5)).toBe(true);
    expect(SPEEDS[DEFAULT_SPEED_STOP]).toBe(600);
  });

  it('labels speeds and counts as text with thousands separators', () => {
    // Act / Assert
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-12345)).toBe('-12,345');
    expect(speedLabel(0.5)).toBe('0.5×');
    expect(speedLabel(1)).toBe('1×');
    expect(speedLabel(3600)).toBe('3,600×');
    expect(speedLabel(86_400)).toBe('86,400×');
  });

  it('advances simulated time by wall time × speed (1× = one simulated second per second), never past the end', () => {
    // Act / Assert
    expect(advance(1000, 1000, 1, 10_000)).toBe(1001);
    expect(advance(1000, 500, 3600, 10_000)).toBe(2800);
    expect(advance(1000, 60_000, 3600, 10_000)).toBe(10_000);
  });

  it('shows scenario times in UTC with the scenario day', () => {
    // Prepare
    const start = Date.parse('2025-06-01T06:29:01Z') / 1000;
    const later = Date.parse('2025-06-03T14:20:00Z') / 1000;

    // Act / Assert
    expect(formatUtc(later)).toBe('2025-06-03 14:20 UTC');
    expect(scenarioDay(start, start)).toBe('Day 1, 06:29');
    expect(scenarioDay(later, start)).toBe('Day 3, 14:20');
  });

  it('offers the casualty days and the whole course when the course runs on, the days counted like the clock', () => {
    // Prepare: first injury on day 1 at 06:00, the last on day 8, the course ending on day 63
    const start = Date.parse('2025-06-01T06:00:00Z') / 1000;
    const lastInjury = Date.parse('2025-06-08T22:00:00Z') / 1000;
    const end = Date.parse('2025-08-02T12:00:00Z') / 1000;

    // Act
    const spans = timeSpans(start, end, lastInjury);

    // Assert: days 1-11 end three days after the last injury; the whole course ends with the timeline
    expect(spans).toEqual([
      { label: 'Days 1–11 (injuries + 3 days)', end: lastInjury + 3 * 86_400 },
      { label: 'Days 1–63 (whole course)', end },
    ]);
    expect(scenarioDay(spans[0].end, start)).toBe('Day 11, 22:00');
    expect(scenarioDay(end, start)).toBe('Day 63, 12:00');
  });

  it('offers one span when the course ends within three days of the last injury, or on the same day as that span would', () => {
    // Prepare
    const start = Date.parse('2025-06-01T06:00:00Z') / 1000;
    const lastInjury = Date.parse('2025-06-03T06:00:00Z') / 1000;

    // Act
    const soon = timeSpans(start, lastInjury + 2 * 86_400, lastInjury);
    const sameDay = timeSpans(start, lastInjury + 3 * 86_400 + 3600, lastInjury);

    // Assert
    expect(soon).toEqual([{ label: 'Days 1–5 (whole course)', end: lastInjury + 2 * 86_400 }]);
    expect(sameDay).toHaveLength(1);
    expect(sameDay[0].end).toBe(lastInjury + 3 * 86_400 + 3600);
  });
});
