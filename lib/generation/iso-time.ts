/** ISO 8601 UTC timestamps to the second, without Date#toISOString (a third of the engine's time once). */
const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayPrefixes = new Map<number, string>();

/** "YYYY-MM-DDT" of a day number since the epoch, cached: a job touches few distinct days. */
function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/** "2025-06-01T06:06:22Z" for a time in milliseconds since the epoch (whole seconds). */
export function isoSeconds(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const prefix = dayPrefix(day);
  let s = Math.floor((ms - day * DAY_MS) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${prefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s]}Z`;
}
