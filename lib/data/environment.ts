/** Environmental conditions: they shape timing, evacuation delays and the injury mix, never the total. */
import type { InjuryType } from './injury-types.js';

export const ENVIRONMENTAL_CONDITIONS = [
  'rain',
  'fog',
  'storm',
  'extreme_heat',
  'extreme_cold',
  'dust_storm',
  'night_operations',
  'mountainous_terrain',
  'urban_debris',
] as const;
export type EnvironmentalCondition = (typeof ENVIRONMENTAL_CONDITIONS)[number];

export interface EnvironmentalEffect {
  /** Minutes added to the wait for evacuation at the point of injury. */
  readonly delayMinutes: number;
  /** Multiplier on transit times between echelons. */
  readonly transitFactor: number;
  /** Multipliers on the injury mix. */
  readonly injuryModifier: Readonly<Partial<Record<InjuryType, number>>>;
  /** Multipliers on hourly activity (hour ranges inclusive). */
  readonly hourly: ReadonlyArray<readonly [number, number, number]>;
  /** Condition-code multipliers. */
  readonly conditionBoost: Readonly<Record<string, number>>;
}

export const ENVIRONMENTAL_EFFECTS: Record<EnvironmentalCondition, EnvironmentalEffect> = {
  rain: {
    delayMinutes: 15,
    transitFactor: 1.05,
    injuryModifier: { DISEASE: 1.2 },
    hourly: [],
    conditionBoost: { '84849002': 3, '128045006': 1.5 },
  },
  fog: { delayMinutes: 30, transitFactor: 1.1, injuryModifier: {}, hourly: [], conditionBoost: {} },
  storm: {
    delayMinutes: 90,
    transitFactor: 1.3,
    injuryModifier: { DISEASE: 1.1, NON_BATTLE: 1.1 },
    hourly: [],
    conditionBoost: { '386689009': 2 },
  },
  extreme_heat: {
    delayMinutes: 0,
    transitFactor: 1.0,
    injuryModifier: { DISEASE: 1.4 },
    // Activity moves out of the midday heat.
    hourly: [[11, 15, 0.7]],
    // Cold injuries stay possible (desert nights, heights) but rare.
    conditionBoost: { '1197782006': 10, '34095006': 5, '62315008': 1.5, '386689009': 0.3, '370977006': 0.1 },
  },
  extreme_cold: {
    delayMinutes: 10,
    transitFactor: 1.1,
    injuryModifier: { DISEASE: 1.3, NON_BATTLE: 1.2 },
    hourly: [],
    // Heat illness stays possible (exertion in cold-weather clothing) but rarer.
    conditionBoost: { '386689009': 10, '370977006': 10, '54150009': 1.5, '1197782006': 0.3 },
  },
  dust_storm: {
    delayMinutes: 45,
    transitFactor: 1.15,
    injuryModifier: { DISEASE: 1.2 },
    hourly: [],
    conditionBoost: { '9826008': 4, '787018009': 4, '54150009': 1.5 },
  },
  night_operations: {
    delayMinutes: 20,
    transitFactor: 1.1,
    injuryModifier: { NON_BATTLE: 1.1 },
    hourly: [
      [0, 4, 1.6],
      [20, 23, 1.6],
    ],
    conditionBoost: {},
  },
  mountainous_terrain: {
    delayMinutes: 60,
    transitFactor: 1.25,
    injuryModifier: { DISEASE: 1.1, NON_BATTLE: 1.2 },
    hourly: [],
    conditionBoost: { '44465007': 2, '16114001': 2, '125605004': 1.5, '386689009': 2 },
  },
  urban_debris: {
    delayMinutes: 40,
    transitFactor: 1.15,
    injuryModifier: { DISEASE: 1.3, NON_BATTLE: 1.2 },
    hourly: [],
    conditionBoost: { '125665001': 3, '312608009': 2 },
  },
};

export const SPECIAL_EVENTS = ['mass_casualty', 'major_offensive', 'ambush'] as const;
export type SpecialEvent = (typeof SPECIAL_EVENTS)[number];
