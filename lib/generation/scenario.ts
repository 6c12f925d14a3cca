/** The scenario model: one zod schema gives types, validation with field paths, and normalisation. */
import * as z from 'zod';
import {
  ENDEMIC_DISEASES,
  ENVIRONMENTAL_CONDITIONS,
  type EndemicDisease,
  type EnvironmentalCondition,
  FACILITIES,
  type Facility,
  HEMISPHERES,
  type Hemisphere,
  INJURY_MIX_KEYS,
  INJURY_TYPE_BY_KEY,
  INTENSITIES,
  type InjuryType,
  NATION_NAMES,
  SPECIAL_EVENTS,
  type SpecialEvent,
  TEMPOS,
  TRIAGE_CATEGORIES,
  type Triage,
  WARFARE_TYPES,
  type WarfareType,
} from '../data/index.js';
import { type CohortFilter, CohortSchema, cohortFilter, cohortIssues } from './cohort.js';
import { strictWith } from './strict-object.js';

export const NATION_CODES: readonly string[] = NATION_NAMES.map((n) => n.code);
const NATION_SET = new Set(NATION_CODES);

/**
 * Bounds of every string, list and number (memory/decisions/0501-input-bounds.md): whatever passes
 * fits a DynamoDB item and key, and every number is one DynamoDB and the engine can hold.
 */
export const LIMITS = {
  /** Ids and names of fronts and facilities. */
  name: 100,
  description: 500,
  fronts: 50,
  facilities: 50,
  /** Weights and capacities: relative shares, so a million to one is range enough. */
  weight: 1_000_000,
  /** Smallest non-zero number: DynamoDB stores nothing below 1e-130, the engine needs no finer share. */
  smallest: 1e-9,
} as const;

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const requiredText = (max: number) => text(max).min(1, 'must not be empty');

/** 0, or a number DynamoDB can store: no subnormal dust such as 1e-320. */
function notDust(schema: z.ZodNumber) {
  return schema.refine((v) => v === 0 || Math.abs(v) >= LIMITS.smallest, {
    error: `must be 0 or at least ${LIMITS.smallest}`,
  });
}

/** A relative share: finite, 0 up to LIMITS.weight. */
const shareWeight = notDust(
  z.number().min(0, 'must not be negative').max(LIMITS.weight, `must be at most ${LIMITS.weight}`),
);

function booleanFlags<const K extends readonly string[]>(names: K, what: string) {
  const shape = Object.fromEntries(names.map((n) => [n, z.boolean().optional()])) as {
    [P in K[number]]: z.ZodOptional<z.ZodBoolean>;
  };
  return strictWith(shape, what);
}

const rate = notDust(z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'));

export const NationalityShareSchema = strictWith(
  {
    // The error names the rule, not the value: a wrong code can be any length.
    nationality_code: z.string().refine((code) => NATION_SET.has(code), {
      error: `unknown nation code; valid codes: ${NATION_CODES.join(', ')}`,
    }),
    percentage: z.number().min(LIMITS.smallest, 'must be greater than 0').max(100, 'must be at most 100'),
  },
  'field',
);

export const FrontConfigSchema = strictWith(
  {
    id: requiredText(LIMITS.name),
    name: requiredText(LIMITS.name),
    description: text(LIMITS.description).optional(),
    casualty_rate: z
      .number()
      .min(LIMITS.smallest, 'must be a positive number (relative share of casualties)')
      .max(LIMITS.weight, `must be at most ${LIMITS.weight}`),
    nationality_distribution: z
      .array(NationalityShareSchema)
      .min(1, 'a front needs at least one nation')
      .max(NATION_CODES.length, `must list at most ${NATION_CODES.length} nations`),
  },
  'field',
);

export const FacilityConfigSchema = strictWith(
  {
    id: requiredText(LIMITS.name),
    name: requiredText(LIMITS.name),
    role: z.enum(FACILITIES).optional(),
    front_id: requiredText(LIMITS.name)
      .optional()
      .describe('the front this facility serves; none: every front'),
    description: text(LIMITS.description).optional(),
    capacity: z
      .number()
      .int('must be a positive integer')
      .positive('must be a positive integer')
      .max(LIMITS.weight, `must be at most ${LIMITS.weight}`)
      .optional()
      .describe('beds: at no instant more patients than this; none: unlimited'),
    kia_rate: rate,
    rtd_rate: rate,
  },
  'field',
)
  .refine((f) => f.kia_rate + f.rtd_rate <= 1 + 1e-9, {
    error: 'kia_rate + rtd_rate must not exceed 1',
    path: ['rtd_rate'],
  })
  .refine((f) => f.role !== undefined || inferRole(f.id, f.name) !== undefined, {
    error: `cannot tell the echelon from id or name; set role to one of ${FACILITIES.join(', ')}`,
    path: ['role'],
  })
  .refine((f) => f.capacity === undefined || (f.role ?? inferRole(f.id, f.name)) !== 'POI', {
    error: 'the point of injury has no beds; capacity is for Role1 to Role4',
    path: ['capacity'],
  });

const triageWeights = strictWith(
  { T1: shareWeight, T2: shareWeight, T3: shareWeight },
  'triage category',
).refine((w) => w.T1 + w.T2 + w.T3 > 0, 'triage weights must not all be zero');

const injuryMix = strictWith(
  Object.fromEntries(
    INJURY_MIX_KEYS.map((k) => [
      k,
      notDust(z.number().min(0, 'must not be negative').max(100, 'must be at most 100')),
    ]),
  ) as Record<(typeof INJURY_MIX_KEYS)[number], typeof shareWeight>,
  'injury type',
)
  .partial()
  .superRefine((mix, ctx) => {
    const sum = Object.values(mix).reduce((acc: number, v) => acc + (v ?? 0), 0);
    const asFractions = Math.abs(sum - 1) <= 0.01;
    const asPercent = Math.abs(sum - 100) <= 1;
    if (!asFractions && !asPercent) {
      ctx.addIssue({
        code: 'custom',
        message: `must sum to 1 (±0.01) as fractions or 100 (±1) as percentages; it sums to ${Number(sum.toFixed(4))}`,
      });
    }
  });

/**
 * The base dates a job may start on: every date it writes (birthdates some 65 years before, the
 * course up to a year and more after) then keeps four-digit years; near 0000 or 9999 they broke.
 */
const BASE_DATES = { first: '1000-01-01', last: '9000-12-31' } as const;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD', abort: true })
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      error: 'is not a valid calendar date',
      abort: true,
    },
  )
  .refine((d) => d >= BASE_DATES.first && d <= BASE_DATES.last, {
    error: `must be from ${BASE_DATES.first} to ${BASE_DATES.last}`,
  });

const seed = z.union([
  z.number().int('must be an integer').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER),
  z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
]);

export const MAX_PATIENTS = 10_000_000;

/**
 * A scenario as the engine reads it: the rules every stored scenario was accepted under. A job's
 * stored scenario (`loadScenario`, the worker) is read with these, so a job accepted before a later
 * rule still runs as it was accepted.
 */
const StoredScenarioSchema = strictWith(
  {
    name: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    description: z.string().max(500, 'must be at most 500 characters').optional(),
    total_patients: z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_PATIENTS, `must be at most ${MAX_PATIENTS}`),
    injury_distribution: injuryMix,
    front_configs: z
      .array(FrontConfigSchema)
      .min(1, 'at least one front is required')
      .max(LIMITS.fronts, `must list at most ${LIMITS.fronts} fronts`)
      .describe(
        'ids unique (a facility front_id names one front); ids and names not only white space, as the scenario name and facility ids and names',
      ),
    facility_configs: z
      .array(FacilityConfigSchema)
      .max(LIMITS.facilities, `must list at most ${LIMITS.facilities} facilities`)
      .default([]),
    days_of_fighting: z.number().int('must be an integer').min(1, 'must be at least 1').max(365).default(8),
    base_date: isoDate.default('2025-06-01'),
    warfare_types: booleanFlags(WARFARE_TYPES, 'warfare type')
      .default({ conventional: true })
      .refine((w) => Object.values(w).some(Boolean), 'at least one warfare type must be true'),
    intensity: z.enum(INTENSITIES).default('medium'),
    tempo: z.enum(TEMPOS).default('sustained'),
    special_events: booleanFlags(SPECIAL_EVENTS, 'special event').default({}),
    environmental_conditions: booleanFlags(ENVIRONMENTAL_CONDITIONS, 'environmental condition').default({}),
    endemic_diseases: booleanFlags(ENDEMIC_DISEASES, 'endemic disease')
      .default({})
      .describe(
        "The theatre's endemic diseases: each occurs only when named here (none by default, as in a temperate or arctic theatre)",
      ),
    hemisphere: z
      .enum(HEMISPHERES, { error: `must be one of ${HEMISPHERES.join(', ')}` })
      .optional()
      .describe(
        "Where the theatre lies (northern when not given): with the calendar month of each casualty's injury it sets the season, which scales cold injuries, heat illness and respiratory infections, unless environmental_conditions names extreme heat or cold",
      ),
    female_ratio: rate.default(0.12),
    evacuation_policy_days: z
      .number()
      .int('must be an integer')
      .min(0, 'must not be negative')
      .max(60, 'must be at most 60')
      .optional()
      .describe(
        'Days after injury within which a casualty may be held in theatre (Role 2 and 3) until fit for duty; one who needs longer is evacuated onward. None: return to duty is recorded at the end of the dwell and no one is held',
      ),
    triage_overrides: strictWith(
      Object.fromEntries(INJURY_MIX_KEYS.map((k) => [k, triageWeights.optional()])) as Record<
        (typeof INJURY_MIX_KEYS)[number],
        z.ZodOptional<typeof triageWeights>
      >,
      'injury type',
    ).optional(),
    seed: seed.optional(),
    cohort: CohortSchema.optional(),
  },
  'field',
).superRefine((data, ctx) => {
  // An impossible cohort is refused here, naming the criterion (lib/generation/cohort.ts).
  if (data.cohort)
    for (const issue of cohortIssues(data.cohort, data)) ctx.addIssue({ code: 'custom', ...issue });
  const fronts = new Set(data.front_configs.map((f) => f.id));
  const seen = new Set<string>();
  data.facility_configs.forEach((f, i) => {
    if (seen.has(f.id))
      ctx.addIssue({ code: 'custom', path: ['facility_configs', i, 'id'], message: 'must be unique' });
    seen.add(f.id);
    if (f.front_id !== undefined && !fronts.has(f.front_id))
      ctx.addIssue({
        code: 'custom',
        path: ['facility_configs', i, 'front_id'],
        message: 'must be the id of one of front_configs',
      });
  });
});

/** Only white space: a name or id nobody can read or tell from another. */
const BLANK = /^\s*$/;
const NOT_BLANK = 'must not be only white space';

/**
 * What a user writes: a configuration template plus the temporal fields. On top of the stored rules,
 * front ids are unique (a facility's `front_id` names one front) and names and ids are not blank
 * (memory/fixes/0154-duplicate-front-ids-and-blank-names.md). Configurations stored before these rules
 * stay readable; a job from one is refused with the path until it is saved again.
 */
export const ScenarioInputSchema = StoredScenarioSchema.superRefine((data, ctx) => {
  const blank = (value: string | undefined, path: (string | number)[]) => {
    if (value !== undefined && BLANK.test(value)) ctx.addIssue({ code: 'custom', path, message: NOT_BLANK });
  };
  blank(data.name, ['name']);
  const fronts = new Set<string>();
  data.front_configs.forEach((f, i) => {
    blank(f.id, ['front_configs', i, 'id']);
    blank(f.name, ['front_configs', i, 'name']);
    if (fronts.has(f.id))
      ctx.addIssue({ code: 'custom', path: ['front_configs', i, 'id'], message: 'must be unique' });
    fronts.add(f.id);
  });
  data.facility_configs.forEach((f, i) => {
    blank(f.id, ['facility_configs', i, 'id']);
    blank(f.name, ['facility_configs', i, 'name']);
    blank(f.front_id, ['facility_configs', i, 'front_id']);
  });
});
export type ScenarioInput = z.input<typeof ScenarioInputSchema>;

export interface NormalisedFront {
  readonly id: string;
  readonly name: string;
  readonly weight: number;
  readonly nations: readonly string[];
  readonly nationWeights: readonly number[];
}

export interface NormalisedFacility {
  readonly kia: number;
  readonly rtd: number;
}

/** One configured facility, as the capacity planner and the patient builder read it. */
export interface CareFacility {
  readonly id: string;
  readonly name: string;
  /** Echelon index: 0 POI, 1..4 Role 1..4. */
  readonly role: number;
  /** Index of the front it serves in `fronts`, or -1: every front. */
  readonly front: number;
  /** Beds; 0: unlimited. */
  readonly capacity: number;
}

/** The engine's input: validated, defaults applied, weights normalised. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly totalPatients: number;
  readonly injuryMix: Readonly<Record<InjuryType, number>>;
  readonly fronts: readonly NormalisedFront[];
  readonly facilityRates: Readonly<Partial<Record<Facility, NormalisedFacility>>>;
  /** The configured facilities in input order (capacity, front, id). */
  readonly facilities: readonly CareFacility[];
  readonly days: number;
  readonly baseDate: string;
  /** With the month of each injury, the season of a temperate theatre (lib/data/seasons.ts). */
  readonly hemisphere: Hemisphere;
  readonly warfareTypes: readonly WarfareType[];
  readonly intensity: (typeof INTENSITIES)[number];
  readonly tempo: (typeof TEMPOS)[number];
  readonly specialEvents: readonly SpecialEvent[];
  readonly environment: readonly EnvironmentalCondition[];
  /** The endemic diseases its patients can have (lib/data/endemic-diseases.ts). */
  readonly endemicDiseases: readonly EndemicDisease[];
  readonly femaleRatio: number;
  /** Days in theatre a casualty may be held to become fit for duty; undefined: no one is held. */
  readonly evacuationPolicyDays: number | undefined;
  readonly triageOverrides: Readonly<Partial<Record<InjuryType, Readonly<Record<Triage, number>>>>>;
  readonly seed: string | number | undefined;
  /** Only patients matching these criteria (cohort-plan.ts); none: every patient. */
  readonly cohort?: CohortFilter;
  /** The validated input with defaults, as stored and echoed (snake_case). */
  readonly input: z.output<typeof ScenarioInputSchema>;
}

/** Echelon of a facility config from its id or name: "role2_poland", "R3", "Role 4 Home", "poi". */
export function inferRole(id: string, name: string): Facility | undefined {
  for (const text of [id, name]) {
    const m = /(?:^|[^a-z])(?:role|r)[\s_-]*([1-4])(?![0-9])/i.exec(text);
    if (m) return `Role${m[1]}` as Facility;
    if (/(?:^|[^a-z])poi(?![a-z])|point of injury/i.test(text)) return 'POI';
  }
  return undefined;
}

export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

export type ScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

export function issuesOf(error: z.ZodError): ScenarioIssue[] {
  return error.issues.map((i) => ({
    path: formatPath(i.path),
    // zod says "expected object, received undefined"; a user wants to hear that the field is missing.
    message: i.code === 'invalid_type' && /received undefined$/.test(i.message) ? 'is required' : i.message,
  }));
}

/** Validates and normalises a scenario; every problem is reported with its path. */
export function parseScenario(input: unknown): ScenarioResult {
  const parsed = ScenarioInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  return { ok: true, scenario: normalise(parsed.data) };
}

export class ScenarioValidationError extends Error {
  constructor(readonly issues: readonly ScenarioIssue[]) {
    super(`invalid scenario: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ScenarioValidationError';
  }
}

/**
 * A job's stored scenario, validated and normalised; throws ScenarioValidationError. It applies the
 * rules the job was accepted under (`StoredScenarioSchema`), not the ones added at the entry since, so a
 * job accepted earlier generates what it would have; new input goes through `parseScenario`.
 */
export function loadScenario(input: unknown): Scenario {
  const parsed = StoredScenarioSchema.safeParse(input);
  if (!parsed.success) throw new ScenarioValidationError(issuesOf(parsed.error));
  return normalise(parsed.data);
}

function normalise(data: z.output<typeof StoredScenarioSchema>): Scenario {
  const mixSum = INJURY_MIX_KEYS.reduce((acc, k) => acc + (data.injury_distribution[k] ?? 0), 0);
  const injuryMix = Object.fromEntries(
    INJURY_MIX_KEYS.map((k) => [INJURY_TYPE_BY_KEY[k], (data.injury_distribution[k] ?? 0) / mixSum]),
  ) as Record<InjuryType, number>;

  const frontSum = data.front_configs.reduce((acc, f) => acc + f.casualty_rate, 0);
  const fronts = data.front_configs.map((f) => {
    const total = f.nationality_distribution.reduce((acc, n) => acc + n.percentage, 0);
    return {
      id: f.id,
      name: f.name,
      weight: f.casualty_rate / frontSum,
      nations: f.nationality_distribution.map((n) => n.nationality_code),
      nationWeights: f.nationality_distribution.map((n) => n.percentage / total),
    };
  });

  // Several configs for one echelon (one per front, say) share the echelon: capacity-weighted mean.
  const byRole = new Map<Facility, { kia: number; rtd: number; weight: number }>();
  for (const f of data.facility_configs) {
    const role = f.role ?? inferRole(f.id, f.name)!;
    const w = f.capacity ?? 1;
    const acc = byRole.get(role) ?? { kia: 0, rtd: 0, weight: 0 };
    byRole.set(role, {
      kia: acc.kia + f.kia_rate * w,
      rtd: acc.rtd + f.rtd_rate * w,
      weight: acc.weight + w,
    });
  }
  const facilityRates: Partial<Record<Facility, NormalisedFacility>> = {};
  for (const [role, acc] of byRole)
    facilityRates[role] = { kia: acc.kia / acc.weight, rtd: acc.rtd / acc.weight };

  const frontIndex = new Map(data.front_configs.map((f, i) => [f.id, i]));
  const facilities: CareFacility[] = data.facility_configs.map((f) => ({
    id: f.id,
    name: f.name,
    role: FACILITIES.indexOf(f.role ?? inferRole(f.id, f.name)!),
    front: f.front_id === undefined ? -1 : frontIndex.get(f.front_id)!,
    capacity: f.capacity ?? 0,
  }));

  const triageOverrides: Partial<Record<InjuryType, Record<Triage, number>>> = {};
  for (const key of INJURY_MIX_KEYS) {
    const w = data.triage_overrides?.[key];
    if (!w) continue;
    const sum = w.T1 + w.T2 + w.T3;
    triageOverrides[INJURY_TYPE_BY_KEY[key]] = Object.fromEntries(
      TRIAGE_CATEGORIES.map((t) => [t, w[t] / sum]),
    ) as Record<Triage, number>;
  }

  return {
    name: data.name,
    description: data.description ?? '',
    totalPatients: data.total_patients,
    injuryMix,
    fronts,
    facilityRates,
    facilities,
    days: data.days_of_fighting,
    baseDate: data.base_date,
    hemisphere: data.hemisphere ?? 'northern',
    warfareTypes: WARFARE_TYPES.filter((t) => data.warfare_types[t]),
    intensity: data.intensity,
    tempo: data.tempo,
    specialEvents: SPECIAL_EVENTS.filter((e) => data.special_events[e]),
    environment: ENVIRONMENTAL_CONDITIONS.filter((e) => data.environmental_conditions[e]),
    endemicDiseases: ENDEMIC_DISEASES.filter((d) => data.endemic_diseases[d]),
    femaleRatio: data.female_ratio,
    evacuationPolicyDays: data.evacuation_policy_days,
    triageOverrides,
    seed: data.seed,
    ...(data.cohort ? { cohort: cohortFilter(data.cohort, fronts) } : {}),
    input: data,
  };
}
