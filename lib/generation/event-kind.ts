/** Codes of the plan's typed arrays, apart from plan.ts so the tables it plans with can read them. */

/** Warfare code of special events, which mix every type. */
export const MIXED = 255;

export const EVENT_KIND = {
  group: 0,
  cluster: 1,
  mass_casualty: 2,
  major_offensive: 3,
  ambush: 4,
} as const;
