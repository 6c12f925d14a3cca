/**
 * Seasons of a temperate theatre (memory/decisions/0937-seasons.md, 0938): the calendar month of a
 * casualty's injury, in the theatre's hemisphere, scales the weather-bound conditions. A scenario
 * that names extreme heat or extreme cold states its climate outright, and the season then changes
 * nothing.
 * The multipliers are the project's planning assumption for a temperate theatre: cold injuries come in
 * winter, heat illness in summer, respiratory infections peak in winter; hypothermia (wet cold,
 * immersion) and dehydration (diarrhoea, exertion) stay possible all year.
 */
import type { EnvironmentalCondition } from './environment.js';

export const HEMISPHERES = ['northern', 'southern'] as const;
export type Hemisphere = (typeof HEMISPHERES)[number];

/** Condition-code multipliers by month of the northern hemisphere, January first. */
const BY_MONTH: Readonly<Record<string, readonly number[]>> = {
  // Frostbite
  '370977006': [3, 3, 1.5, 0.5, 0.1, 0.05, 0.05, 0.05, 0.1, 0.5, 1.5, 3],
  // Hypothermia
  '386689009': [2, 2, 1.5, 1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 1.5, 2],
  // Hyperthermia
  '1197782006': [0.2, 0.2, 0.3, 0.6, 1, 1.3, 1.5, 1.5, 1, 0.6, 0.3, 0.2],
  // Dehydration
  '34095006': [0.7, 0.7, 0.8, 0.9, 1, 1.3, 1.5, 1.5, 1.2, 0.9, 0.8, 0.7],
  // Upper respiratory infection
  '54150009': [1.5, 1.5, 1.3, 1, 0.8, 0.7, 0.7, 0.7, 0.8, 1, 1.3, 1.5],
};

/** The chance of a casualty becoming hypothermic before care, by month (trauma cools in any season). */
const COLD_COMPLICATION_BY_MONTH = [1.5, 1.5, 1.25, 1, 1, 1, 1, 1, 1, 1, 1.25, 1.5] as const;

/** The climate flags that make the season irrelevant. */
const STATED_CLIMATES: readonly EnvironmentalCondition[] = ['extreme_heat', 'extreme_cold'];

/** What a theatre's season changes. */
export interface Season {
  /** Condition-code multipliers on the condition draw. */
  readonly conditionBoost: Readonly<Record<string, number>>;
  /** Multiplier on the chance of hypothermia as a complication before care. */
  readonly coldComplication: number;
}

const NO_SEASON: Season = { conditionBoost: {}, coldComplication: 1 };

/** The season of calendar month `month` (0 = January) in `hemisphere`. */
function seasonOfMonth(month: number, hemisphere: Hemisphere): Season {
  const northern = hemisphere === 'northern' ? month : (month + 6) % 12;
  return {
    conditionBoost: Object.fromEntries(Object.entries(BY_MONTH).map(([code, row]) => [code, row[northern]])),
    coldComplication: COLD_COMPLICATION_BY_MONTH[northern],
  };
}

const statesClimate = (environment: readonly EnvironmentalCondition[]) =>
  environment.some((c) => STATED_CLIMATES.includes(c));

/** A theatre's seasons over its days of fighting: one per calendar month the days touch. */
export interface SeasonCalendar {
  /** The seasons, in the order of their months (one when the climate is stated). */
  readonly seasons: readonly Season[];
  /** For each day of fighting (0 = base_date), the index of its season in `seasons`. */
  readonly dayToSeason: Uint8Array;
}

const DAY_MS = 86_400_000;

/**
 * The seasons of `days` days from `baseDate` (YYYY-MM-DD): a casualty's season is that of the calendar
 * month of its injury, so an exercise that runs from November into January goes into deep winter.
 */
export function seasonCalendar(
  baseDate: string,
  days: number,
  hemisphere: Hemisphere,
  environment: readonly EnvironmentalCondition[],
): SeasonCalendar {
  const dayToSeason = new Uint8Array(days);
  if (statesClimate(environment)) return { seasons: [NO_SEASON], dayToSeason };
  const seasons: Season[] = [];
  const start = Date.parse(`${baseDate}T00:00:00Z`);
  let month = -1;
  for (let day = 0; day < days; day++) {
    const monthOfDay = new Date(start + day * DAY_MS).getUTCMonth();
    if (monthOfDay !== month) {
      month = monthOfDay;
      seasons.push(seasonOfMonth(month, hemisphere));
    }
    dayToSeason[day] = seasons.length - 1;
  }
  return { seasons, dayToSeason };
}

/** The index in `calendar.seasons` of day `day` of fighting (days past the last keep its season). */
export function seasonIndexOfDay(calendar: SeasonCalendar, day: number): number {
  const { dayToSeason } = calendar;
  return dayToSeason[Math.min(Math.max(day, 0), dayToSeason.length - 1)];
}
