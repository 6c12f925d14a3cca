/** ISO 8601 UTC timestamps to the second, without Date#toISOString (a third of the engine's time once). */
const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayPrefixes = new Map<number, string>();
/**
 * "HH:MM:SSZ" by second of the day, filled as met: a timestamp is then one join of two flat strings,
 * not a chain of seven pieces that every record's JSON text has to walk when it is flattened.
 */
const TIMES_OF_DAY: string[] = new Array<string>(86_400).fill('');

/** "HH:MM:SSZ" of a second of the day (0..86399). */
export function timeOfDay(second: number): string {
  let text = TIMES_OF_DAY[second];
  if (text === '') {
    const h = Math.floor(second / 3600);
    const m = Math.floor((second - h * 3600) / 60);
    text = `${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[second - h * 3600 - m * 60]}Z`;
    TIMES_OF_DAY[second] = text;
  }
  return text;
}

/** The day of the last lookup: a patient's timestamps mostly fall on one day, so most skip the Map. */
let lastDay = Number.NaN;
let lastPrefix = '';

/** "YYYY-MM-DDT" of a day number since the epoch, cached: a job touches few distinct days. */
export function dayPrefix(day: number): string {
  if (day === lastDay) return lastPrefix;
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  lastDay = day;
  lastPrefix = prefix;
  return prefix;
}

/** "2025-06-01T06:06:22Z" for a time in milliseconds since the epoch (whole seconds). */
export function isoSeconds(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const prefix = dayPrefix(day);
  return prefix + timeOfDay(Math.floor((ms - day * DAY_MS) / 1000));
}
