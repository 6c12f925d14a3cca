/** Warfare types, their weights, hourly shapes, clustering and modifiers (original warfare_patterns.json, completed). */
import type { Triage } from './facilities.js';
import type { InjuryType } from './injury-types.js';

export const WARFARE_TYPES = [
  'conventional',
  'artillery',
  'urban',
  'guerrilla',
  'drone',
  'naval',
  'cbrn',
  'peacekeeping',
] as const;
export type WarfareType = (typeof WARFARE_TYPES)[number];

/** How a battle injury was caused; SNOMED CT event codes (codes.md table 1a). */
export const MECHANISMS = {
  explosion: { code: '39826003', name: 'Struck by explosion' },
  firearm: { code: '63409001', name: 'Struck by firearm discharge' },
  projectile: { code: '84829006', name: 'Struck by projectile' },
  war: { code: '418781000', name: 'Operations of war' },
  vehicle: { code: '418161006', name: 'Vehicle accident' },
  fall: { code: '1912002', name: 'Fall' },
} as const;
export type Mechanism = keyof typeof MECHANISMS;

export type TriageWeights = Readonly<Record<Triage, number>>;

export interface WarfarePattern {
  /** Relative share of a day's casualties among the active types. */
  readonly weight: number;
  /** Multipliers on the configured injury mix (renormalised afterwards). */
  readonly injuryModifier: Readonly<Record<InjuryType, number>>;
  /** Triage weights per injury type. */
  readonly triage: Readonly<Record<InjuryType, TriageWeights>>;
  /** Relative activity per hour of day, 0..23. */
  readonly hourly: readonly number[];
  /** Chance that an hour's casualties of this type form one mass-casualty cluster, and its size range. */
  readonly cluster: { readonly probability: number; readonly min: number; readonly max: number };
  /** Battle-injury mechanism weights. */
  readonly mechanisms: Readonly<Partial<Record<Mechanism, number>>>;
  /** Condition-code multipliers that make the injuries fit the fighting. */
  readonly conditionBoost: Readonly<Record<string, number>>;
}

const BASELINE = [
  0.3, 0.2, 0.2, 0.3, 0.5, 0.8, 1.2, 1.5, 1.3, 1.0, 0.9, 1.0, 1.1, 1.0, 0.9, 1.0, 1.3, 1.5, 1.2, 0.8, 0.6,
  0.5, 0.4, 0.3,
];

/** Scales the baseline hour by hour: `boosts` maps hour ranges [from, to] to multipliers, `rest` applies elsewhere. */
function shape(boosts: ReadonlyArray<readonly [number, number, number]>, rest: number): number[] {
  return BASELINE.map((base, hour) => {
    const boost = boosts.find(([from, to]) => hour >= from && hour <= to);
    return Number((base * (boost ? boost[2] : rest)).toFixed(4));
  });
}

export const WARFARE_PATTERNS: Record<WarfareType, WarfarePattern> = {
  conventional: {
    weight: 1.0,
    injuryModifier: { BATTLE_TRAUMA: 1.5, DISEASE: 0.8, NON_BATTLE: 0.9 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.35, T2: 0.45, T3: 0.2 },
      NON_BATTLE: { T1: 0.15, T2: 0.35, T3: 0.5 },
      DISEASE: { T1: 0.1, T2: 0.3, T3: 0.6 },
    },
    // Sustained combat: dawn and dusk peaks, quiet nights.
    hourly: shape(
      [
        [0, 5, 0.35],
        [6, 9, 2.5],
        [16, 19, 2.5],
        [22, 23, 0.35],
      ],
      1,
    ),
    cluster: { probability: 0.3, min: 10, max: 30 },
    mechanisms: { firearm: 0.4, explosion: 0.35, projectile: 0.25 },
    conditionBoost: { '262574004': 1.5 },
  },
  artillery: {
    weight: 1.2,
    injuryModifier: { BATTLE_TRAUMA: 2.5, DISEASE: 0.3, NON_BATTLE: 0.6 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.5, T2: 0.35, T3: 0.15 },
      NON_BATTLE: { T1: 0.25, T2: 0.45, T3: 0.3 },
      DISEASE: { T1: 0.1, T2: 0.4, T3: 0.5 },
    },
    // Fire plans: dawn, midday and dusk barrages, harassing fire late evening.
    hourly: shape(
      [
        [0, 3, 0.5],
        [5, 6, 3],
        [11, 12, 3],
        [17, 18, 3],
        [21, 22, 2.5],
      ],
      0.6,
    ),
    cluster: { probability: 0.8, min: 15, max: 50 },
    mechanisms: { explosion: 0.7, projectile: 0.3 },
    conditionBoost: {
      '262560006': 2,
      '262595009': 2,
      '699875007': 2,
      '127295002': 1.5,
      '15188001': 2,
      '262574004': 0.3,
    },
  },
  urban: {
    weight: 1.1,
    injuryModifier: { BATTLE_TRAUMA: 1.3, DISEASE: 1.2, NON_BATTLE: 1.4 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.4, T2: 0.4, T3: 0.2 },
      NON_BATTLE: { T1: 0.3, T2: 0.4, T3: 0.3 },
      DISEASE: { T1: 0.15, T2: 0.35, T3: 0.5 },
    },
    // Phased assault: a morning and an afternoon phase.
    hourly: shape(
      [
        [6, 9, 3],
        [14, 16, 2.5],
      ],
      0.8,
    ),
    cluster: { probability: 0.4, min: 5, max: 20 },
    mechanisms: { firearm: 0.55, explosion: 0.3, projectile: 0.15 },
    conditionBoost: { '262574004': 2, '125665001': 2.5, '312608009': 1.5 },
  },
  guerrilla: {
    weight: 0.8,
    injuryModifier: { BATTLE_TRAUMA: 1.0, DISEASE: 1.5, NON_BATTLE: 1.3 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.25, T2: 0.5, T3: 0.25 },
      NON_BATTLE: { T1: 0.1, T2: 0.4, T3: 0.5 },
      DISEASE: { T1: 0.05, T2: 0.35, T3: 0.6 },
    },
    // Sporadic: ambushes at first and last light, some at night.
    hourly: shape(
      [
        [0, 4, 0.7],
        [5, 7, 1.4],
        [17, 19, 1.4],
        [20, 23, 0.7],
      ],
      1,
    ),
    cluster: { probability: 0.15, min: 2, max: 8 },
    mechanisms: { explosion: 0.5, firearm: 0.5 },
    conditionBoost: { '262560006': 1.5, '262574004': 1.3 },
  },
  drone: {
    weight: 0.6,
    injuryModifier: { BATTLE_TRAUMA: 2.0, DISEASE: 0.2, NON_BATTLE: 0.5 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.6, T2: 0.3, T3: 0.1 },
      NON_BATTLE: { T1: 0.2, T2: 0.5, T3: 0.3 },
      DISEASE: { T1: 0.05, T2: 0.35, T3: 0.6 },
    },
    // Precision strikes cluster in daylight.
    hourly: shape(
      [
        [0, 4, 0.6],
        [6, 17, 1.5],
        [20, 23, 0.6],
      ],
      1,
    ),
    cluster: { probability: 0.1, min: 1, max: 5 },
    mechanisms: { explosion: 0.8, projectile: 0.2 },
    conditionBoost: { '262560006': 2, '125666000': 1.5, '262595009': 1.5, '262574004': 0.2 },
  },
  naval: {
    weight: 0.9,
    injuryModifier: { BATTLE_TRAUMA: 1.4, DISEASE: 0.7, NON_BATTLE: 1.1 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.4, T2: 0.4, T3: 0.2 },
      NON_BATTLE: { T1: 0.25, T2: 0.4, T3: 0.35 },
      DISEASE: { T1: 0.1, T2: 0.35, T3: 0.55 },
    },
    // Wave assault from the sea before and at dawn.
    hourly: shape([[4, 8, 2.5]], 0.7),
    cluster: { probability: 0.4, min: 10, max: 25 },
    mechanisms: { explosion: 0.5, projectile: 0.3, firearm: 0.2 },
    conditionBoost: { '125666000': 2, '403192003': 2, '386689009': 3, '125665001': 1.5 },
  },
  cbrn: {
    weight: 2.0,
    injuryModifier: { BATTLE_TRAUMA: 0.1, DISEASE: 5.0, NON_BATTLE: 0.3 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.8, T2: 0.15, T3: 0.05 },
      NON_BATTLE: { T1: 0.4, T2: 0.4, T3: 0.2 },
      DISEASE: { T1: 0.7, T2: 0.25, T3: 0.05 },
    },
    // Release at dawn, then exposure cases building through the day.
    hourly: shape(
      [
        [0, 4, 0.5],
        [5, 7, 4],
        [8, 14, 2],
      ],
      0.5,
    ),
    cluster: { probability: 0.95, min: 20, max: 80 },
    mechanisms: { explosion: 0.6, war: 0.4 },
    conditionBoost: {
      '267036007': 12,
      '23924001': 10,
      '9826008': 8,
      '422400008': 6,
      '422587007': 6,
      '125666000': 3,
      '25064002': 4,
    },
  },
  peacekeeping: {
    weight: 0.4,
    injuryModifier: { BATTLE_TRAUMA: 0.3, DISEASE: 2.0, NON_BATTLE: 1.8 },
    triage: {
      BATTLE_TRAUMA: { T1: 0.1, T2: 0.4, T3: 0.5 },
      NON_BATTLE: { T1: 0.05, T2: 0.3, T3: 0.65 },
      DISEASE: { T1: 0.05, T2: 0.25, T3: 0.7 },
    },
    // Low intensity: daytime patrols and traffic.
    hourly: shape(
      [
        [0, 5, 0.4],
        [8, 18, 1.2],
        [21, 23, 0.4],
      ],
      1,
    ),
    cluster: { probability: 0.05, min: 1, max: 5 },
    mechanisms: { firearm: 0.4, explosion: 0.3, vehicle: 0.3 },
    conditionBoost: { '39848009': 2 },
  },
};

/** Triage weights for special events (warfare "mixed") and as the fallback. */
export const MIXED_TRIAGE: Readonly<Record<InjuryType, TriageWeights>> = {
  BATTLE_TRAUMA: { T1: 0.4, T2: 0.4, T3: 0.2 },
  NON_BATTLE: { T1: 0.2, T2: 0.3, T3: 0.5 },
  DISEASE: { T1: 0.1, T2: 0.3, T3: 0.6 },
};

export const MIXED_MECHANISMS: Readonly<Partial<Record<Mechanism, number>>> = {
  explosion: 0.5,
  firearm: 0.3,
  projectile: 0.2,
};

/**
 * The mechanisms that can cause a battle injury's primary condition, where not every one can: a bullet
 * wound is a firearm's; a burn comes from an explosion, fire in operations of war or a vehicle hit;
 * blast concussion, blast hearing loss, fragments and traumatic amputations are not a firearm's.
 * A condition not listed: any mechanism of the warfare type
 * (memory/fixes/0244-mechanisms-that-could-not-cause-the-injury.md).
 */
const FRAGMENTS: readonly Mechanism[] = ['explosion', 'projectile', 'war'];
const FIRE_OR_BLAST: readonly Mechanism[] = ['explosion', 'war', 'vehicle'];
const NOT_A_FIREARM: readonly Mechanism[] = ['explosion', 'projectile', 'war', 'vehicle', 'fall'];

export const BATTLE_CONDITION_MECHANISMS: Readonly<Record<string, readonly Mechanism[]>> = {
  '262574004': ['firearm'], // Bullet wound
  '262595009': FRAGMENTS, // Traumatic amputation
  '699875007': FRAGMENTS, // … between knee and ankle
  '110030002': NOT_A_FIREARM, // Concussion injury of brain
  '62564004': NOT_A_FIREARM, // Concussion with loss of consciousness
  '125666000': FIRE_OR_BLAST, // Burn
  '403191005': FIRE_OR_BLAST, // Second degree burn
  '403192003': FIRE_OR_BLAST, // Third degree burn
  '125665001': FIRE_OR_BLAST, // Crushing injury
  '231794000': [...FRAGMENTS, 'firearm'], // Injury of globe of eye
  '125670008': FRAGMENTS, // Foreign body
  '15188001': ['explosion', 'war'], // Hearing loss
};

/**
 * The same for a non-battle injury, whose mechanisms are a vehicle accident or a fall. An empty list:
 * neither causes it (a burn, grit in the eye), so the record names no mechanism rather than a wrong one.
 */
export const NON_BATTLE_CONDITION_MECHANISMS: Readonly<Record<string, readonly Mechanism[]>> = {
  '125666000': [], // Burn
  '403191005': [], // Second degree burn
  '787018009': [], // Foreign body of eye region
  '39848009': ['vehicle'], // Whiplash injury to neck
};

/** Non-battle injury mechanisms (all warfare types). */
export const NON_BATTLE_MECHANISMS: Readonly<Partial<Record<Mechanism, number>>> = {
  vehicle: 0.4,
  fall: 0.6,
};
