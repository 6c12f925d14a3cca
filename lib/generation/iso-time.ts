/** ISO 8601 UTC timestamps to the second, without Date#toISOString (a third of the engine's time once). */
const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** ":SSZ" by second of the minute. */
const SECONDS_Z = TWO_DIGITS.map((ss) => `:${ss}Z`);
/**
 * "YYYY-MM-DDTHH:MM" by day and minute of the day, built per day as met (a job touches few days): a
 * timestamp is then one join of two flat strings from small tables, which stay in cache, rather than
 * a chain of pieces that every record's JSON text has to walk when it is flattened.
 */
const dayMinutes = new Map<number, string[]>();

/** The day of the last lookup: a patient's timestamps mostly fall on one day, so most skip the Map. */
let lastDay = Number.NaN;
let lastMinutes: string[] = [];

function useDay(day: number): void {
  let minutes = dayMinutes.get(day);
  if (minutes === undefined) {
    const prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    // Flattened once here, not in every record that holds one.
    minutes = Array.from({ length: 1440 }, (_, m) =>
      flat(`${prefix}${TWO_DIGITS[Math.floor(m / 60)]}:${TWO_DIGITS[m % 60]}`),
    );
    dayMinutes.set(day, minutes);
  }
  lastDay = day;
  lastMinutes = minutes;
}

/** The same text as one sequential string (a join copies; a concatenation would stay a tree of pieces). */
function flat(text: string): string {
  return Array.from(text).join('');
}

/** Milliseconds in a tenth of an hour, the course's unit of time. */
export const TENTH_MS = 360_000;

/** "2025-06-01T06:06:22Z" for a time in milliseconds since the epoch (whole seconds). */
export function isoSeconds(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) useDay(day);
  const second = Math.floor((ms - day * DAY_MS) / 1000);
  const minute = Math.floor(second / 60);
  return lastMinutes[minute] + SECONDS_Z[second - minute * 60];
}

/** "-MM-DD" by month (1..12) and day of the month (1..31): 372 entries, some never used. */
const MONTH_DAYS = Array.from(
  { length: 12 * 31 },
  (_, i) => `-${TWO_DIGITS[Math.floor(i / 31) + 1]}-${TWO_DIGITS[(i % 31) + 1]}`,
);

/**
 * "YYYY-MM-DD" of a day number since the epoch (years 0..9999), by the civil-from-days arithmetic of
 * the proleptic Gregorian calendar: birthdates spread over some 14,000 days, and a cache of them
 * missed the processor's cache more than this costs.
 */
export function isoDate(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return String(year).padStart(4, '0') + MONTH_DAYS[(month - 1) * 31 + dayOfMonth - 1];
}
