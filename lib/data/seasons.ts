/**
 * Seasons of a temperate theatre (memory/decisions/0937-seasons.md): the scenario's base_date month,
 * in its hemisphere, scales the weather-bound conditions. A scenario that names extreme heat or
 * extreme cold states its climate outright, and the season then changes nothing.
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

/**
 * The season of a theatre whose first day is `baseDate` (YYYY-MM-DD) in `hemisphere`; none when the
 * scenario's environment states extreme heat or cold.
 */
export function seasonOf(
  baseDate: string,
  hemisphere: Hemisphere,
  environment: readonly EnvironmentalCondition[],
): Season {
  if (environment.some((c) => STATED_CLIMATES.includes(c))) return NO_SEASON;
  const month = Number(baseDate.slice(5, 7)) - 1;
  const northern = hemisphere === 'northern' ? month : (month + 6) % 12;
  return {
    conditionBoost: Object.fromEntries(Object.entries(BY_MONTH).map(([code, row]) => [code, row[northern]])),
    coldComplication: COLD_COMPLICATION_BY_MONTH[northern],
  };
}
