/** Per-plan lookup tables, computed once so generating a patient is only draws and lookups. */
import {
  BATTLE_CONDITION_MECHANISMS,
  CONDITIONS,
  type ConditionDef,
  DEFAULT_FACILITY_RATES,
  ENVIRONMENTAL_EFFECTS,
  FACILITIES,
  type Facility,
  type FacilityRates,
  INJURY_TYPES,
  type InjuryType,
  MIXED_MECHANISMS,
  MIXED_TRIAGE,
  NATION_NAMES,
  type NationNames,
  type Season,
  type SeasonCalendar,
  seasonCalendar,
  TRIAGE_CATEGORIES,
  type Triage,
  WARFARE_PATTERNS,
  WARFARE_TYPES,
  type WarfarePattern,
} from '../data/index.js';
import { type CareNetwork, careNetwork } from './capacity.js';
import type { CourseSettings } from './course.js';
import { MIXED } from './event-kind.js';
import { type MechanismTable, mechanismTable } from './mechanisms.js';
import type { EventPlan } from './plan.js';
import { cumulative } from './rng.js';
import type { Scenario } from './scenario.js';

/** Severity band each triage category draws its primary condition from. */
export const TRIAGE_SEVERITY: Record<Triage, readonly [number, number]> = {
  T1: [7, 10],
  T2: [4, 7],
  T3: [1, 4],
};

export interface ConditionChoice {
  readonly conditions: readonly ConditionDef[];
  readonly cdf: Float64Array;
}

/** The primary condition's choices by injury type and triage. */
export type ConditionTables = Readonly<Record<InjuryType, Readonly<Record<Triage, ConditionChoice>>>>;

/** Tables for one warfare slot (each of the 8 types, and index 8 for "mixed"). */
export interface WarfareTables {
  readonly injuryCdf: Float64Array;
  readonly injuryShares: Readonly<Record<InjuryType, number>>;
  readonly triageCdf: Readonly<Record<InjuryType, Float64Array>>;
  readonly triageShares: Readonly<Record<InjuryType, Readonly<Record<Triage, number>>>>;
  /** The primary condition's choices, per season of `GenerationContext.seasons`. */
  readonly conditions: readonly ConditionTables[];
  /** Battle injuries' mechanisms, by primary condition (mechanisms.ts). */
  readonly mechanisms: MechanismTable;
}

export interface GenerationContext {
  readonly plan: EventPlan;
  readonly baseMs: number;
  readonly warfare: readonly WarfareTables[];
  readonly nations: ReadonlyMap<string, NationNames>;
  readonly rates: Readonly<Record<Facility, FacilityRates>>;
  readonly poiDelayHours: number;
  /** Per age: first day number (since the epoch) of the birthdays giving that age on base_date, and the span in days. */
  readonly birthWindows: readonly (readonly [number, number])[];
  readonly transitFactor: number;
  /** The configured facilities, by echelon and front. */
  readonly network: CareNetwork;
  /** The theatre's seasons by day of fighting (lib/data/seasons.ts): the condition draw and the complications read them. */
  readonly seasons: SeasonCalendar;
  /** What every course leg reads (course.ts). */
  readonly course: CourseSettings;
}

const MIXED_SLOT = WARFARE_TYPES.length;

export function warfareSlot(warfare: number): number {
  return warfare === MIXED ? MIXED_SLOT : warfare;
}

export function createContext(plan: EventPlan): GenerationContext {
  const { scenario } = plan;
  const env = scenario.environment.map((c) => ENVIRONMENTAL_EFFECTS[c]);
  const envInjury = (type: InjuryType) => env.reduce((acc, e) => acc * (e.injuryModifier[type] ?? 1), 1);
  const seasons = seasonCalendar(scenario.baseDate, scenario.days, scenario.hemisphere, scenario.environment);
  const envBoost = (code: string, season: Season) =>
    env.reduce((acc, e) => acc * (e.conditionBoost[code] ?? 1), season.conditionBoost[code] ?? 1);

  const slots = [...WARFARE_TYPES.map((t) => WARFARE_PATTERNS[t]), undefined];
  const warfare = slots.map((pattern): WarfareTables => {
    // Special events ("mixed") use the configured mix unmodified, as the original did.
    const raw = INJURY_TYPES.map(
      (t) => scenario.injuryMix[t] * (pattern ? pattern.injuryModifier[t] : 1) * envInjury(t),
    );
    const rawSum = raw.reduce((a, b) => a + b, 0) || 1;
    const injuryShares = Object.fromEntries(INJURY_TYPES.map((t, i) => [t, raw[i] / rawSum])) as Record<
      InjuryType,
      number
    >;
    const triageShares = Object.fromEntries(
      INJURY_TYPES.map((type) => {
        const w = scenario.triageOverrides[type] ?? (pattern ? pattern.triage[type] : MIXED_TRIAGE[type]);
        const sum = w.T1 + w.T2 + w.T3;
        return [type, { T1: w.T1 / sum, T2: w.T2 / sum, T3: w.T3 / sum }];
      }),
    ) as Record<InjuryType, Record<Triage, number>>;
    const conditions = seasons.seasons.map((season) =>
      conditionTables(scenario, pattern, (code) => envBoost(code, season)),
    );
    const mechWeights = pattern ? pattern.mechanisms : MIXED_MECHANISMS;
    return {
      injuryCdf: cumulative(raw),
      injuryShares,
      triageCdf: Object.fromEntries(
        INJURY_TYPES.map((t) => [t, cumulative(TRIAGE_CATEGORIES.map((c) => triageShares[t][c]))]),
      ) as Record<InjuryType, Float64Array>,
      triageShares,
      conditions,
      mechanisms: mechanismTable(
        mechWeights,
        BATTLE_CONDITION_MECHANISMS,
        battleConditionShares(conditions[0], triageShares.BATTLE_TRAUMA),
      ),
    };
  });

  const rates = Object.fromEntries(
    FACILITIES.map((f) => [f, scenario.facilityRates[f] ?? DEFAULT_FACILITY_RATES[f]]),
  ) as Record<Facility, FacilityRates>;

  const poiDelayHours = env.reduce((acc, e) => acc + e.delayMinutes, 0) / 60;
  const transitFactor = env.reduce((acc, e) => acc * e.transitFactor, 1);
  const course: CourseSettings = {
    // A configured kia_rate scales deterioration under that echelon's care (1 at the default rate).
    lethality: Float64Array.from(FACILITIES, (f) =>
      DEFAULT_FACILITY_RATES[f].kia > 0 ? rates[f].kia / DEFAULT_FACILITY_RATES[f].kia : 1,
    ),
    rtd: Float64Array.from(FACILITIES, (f) => rates[f].rtd),
    poiDelayHours,
    transitFactor,
    // Days as tenths of an hour, the unit of every course time.
    policy: scenario.evacuationPolicyDays === undefined ? -1 : scenario.evacuationPolicyDays * 24 * 10,
  };

  return {
    plan,
    network: careNetwork(scenario),
    course,
    baseMs: Date.parse(`${scenario.baseDate}T00:00:00Z`),
    warfare,
    nations: new Map(NATION_NAMES.map((n) => [n.code, n])),
    rates,
    birthWindows: birthWindows(Date.parse(`${scenario.baseDate}T00:00:00Z`)),
    poiDelayHours,
    transitFactor,
    seasons,
  };
}

/**
 * Each primary condition's share of the battle injuries, from the first season's tables (the seasons
 * move the weather-bound conditions, which are not battle injuries).
 */
function battleConditionShares(
  tables: ConditionTables,
  triageShares: Readonly<Record<Triage, number>>,
): Map<string, number> {
  const shares = new Map<string, number>();
  for (const triage of TRIAGE_CATEGORIES) {
    const { conditions, cdf } = tables.BATTLE_TRAUMA[triage];
    const total = cdf[cdf.length - 1];
    if (!(total > 0)) continue;
    conditions.forEach((c, i) => {
      const weight = cdf[i] - (i > 0 ? cdf[i - 1] : 0);
      shares.set(c.code, (shares.get(c.code) ?? 0) + (triageShares[triage] * weight) / total);
    });
  }
  return shares;
}

/**
 * The primary condition's choices by injury type and triage: the conditions eligible for the band and
 * the theatre's endemic diseases, weighted by their table weight, the warfare pattern's boost (none for
 * "mixed") and the environment's and season's (`envBoost`).
 */
function conditionTables(
  scenario: Scenario,
  pattern: WarfarePattern | undefined,
  envBoost: (code: string) => number,
): ConditionTables {
  return Object.fromEntries(
    INJURY_TYPES.map((type) => [
      type,
      Object.fromEntries(
        TRIAGE_CATEGORIES.map((triage) => {
          const [lo, hi] = TRIAGE_SEVERITY[triage];
          const eligible = CONDITIONS.filter(
            (c) =>
              (c.weights[type] ?? 0) > 0 &&
              c.severity[0] <= hi &&
              c.severity[1] >= lo &&
              (c.endemic === undefined || scenario.endemicDiseases.includes(c.endemic)),
          );
          const weights = eligible.map(
            (c) => (c.weights[type] ?? 0) * (pattern?.conditionBoost[c.code] ?? 1) * envBoost(c.code),
          );
          return [triage, { conditions: eligible, cdf: cumulative(weights) }];
        }),
      ),
    ]),
  ) as unknown as ConditionTables;
}

const DAY_MS = 86_400_000;

/** Birthdays that make a person exactly `age` years old on the base date: one window per age 0..60. */
function birthWindows(baseMs: number): Array<readonly [number, number]> {
  const base = new Date(baseMs);
  const y = base.getUTCFullYear();
  const m = base.getUTCMonth();
  const d = base.getUTCDate();
  return Array.from({ length: 61 }, (_, age) => {
    const latest = Date.UTC(y - age, m, d);
    const earliest = Date.UTC(y - age - 1, m, d) + DAY_MS;
    return [Math.floor(earliest / DAY_MS), Math.round((latest - earliest) / DAY_MS)] as const;
  });
}
