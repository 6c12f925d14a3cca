/** Playback arithmetic and labels of the viewer (DOM-free). */

/**
 * Speed stops of the "Speed" slider, log-spaced from 0.5× to 86,400× (1× = one simulated second per
 * second; the top, a day per second, for the weeks a casualty is held at Role 4 under an evacuation policy).
 */
export const SPEEDS = [
  0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 14400, 28800, 43200, 86400,
] as const;

/** 600×: ten simulated minutes per second, a day in 2.4 minutes. */
export const DEFAULT_SPEED_STOP = SPEEDS.indexOf(600);

export function speedLabel(speed: number): string {
  return `${speed < 1 ? speed.toFixed(1) : formatCount(speed)}×`;
}

/** What one second of playback covers, in words ("10 min per second"). */
export function speedMeaning(speed: number): string {
  if (speed < 60) return `${speed} s per second`;
  if (speed < 3600) return `${speed / 60} min per second`;
  return `${speed / 3600} h per second`;
}

/** How long after the last injury the "casualty days" span still runs: most evacuations reach Role 4 by then. */
export const AFTER_LAST_INJURY_S = 3 * 86_400;

/** A stretch of the timeline the viewer plays and charts: from the first injury to `end`. */
export interface TimeSpan {
  readonly label: string;
  readonly end: number;
}

/**
 * The spans a planner can choose: the casualty days (first injury to three days after the last), then
 * the whole course, when that runs on much longer (an evacuation policy holds casualties at Role 4 for
 * weeks, and would squeeze the days of the fighting into a corner of the chart). One span when they
 * would be the same.
 */
export function timeSpans(start: number, end: number, lastInjury: number): TimeSpan[] {
  const lastDay = dayNumber(end, start);
  const whole: TimeSpan = { label: `Days 1–${lastDay} (whole course)`, end };
  const casualtyEnd = lastInjury + AFTER_LAST_INJURY_S;
  const casualtyDay = dayNumber(casualtyEnd, start);
  if (casualtyDay >= lastDay) return [whole];
  return [{ label: `Days 1–${casualtyDay} (injuries + 3 days)`, end: casualtyEnd }, whole];
}

/** Simulated time after `elapsedMs` of wall time at `speed`, kept inside [start, end]. */
export function advance(time: number, elapsedMs: number, speed: number, end: number): number {
  return Math.min(end, time + (elapsedMs / 1000) * speed);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-06-01 06:29 UTC": scenario times are UTC, whatever the planner's time zone. */
export function formatUtc(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** The scenario day of a time: 1 on the (UTC) day of the first injury. */
function dayNumber(epochSeconds: number, startSeconds: number): number {
  return Math.floor(epochSeconds / 86_400) - Math.floor(startSeconds / 86_400) + 1;
}

/** "Day 3, 14:20" counted from the day of the first injury (day 1). */
export function scenarioDay(epochSeconds: number, startSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `Day ${dayNumber(epochSeconds, startSeconds)}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 12,345: plain grouping (toLocaleString costs too much on every playback frame). */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}
