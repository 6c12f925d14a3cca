/**
 * Cohorts (memory/decisions/0912-cohorts.md): a scenario may ask for patients matching criteria, and
 * the job yields exactly `total_patients` of them. This module holds the criteria's schema, the static
 * checks that make an impossible cohort a validation error naming the criterion, and the per-record
 * match; the search over a candidate population is cohort-plan.ts.
 */
import * as z from 'zod';
import {
  CONDITION_BY_CODE,
  CONDITIONS,
  type EndemicDisease,
  INJURY_MIX_KEYS,
  INJURY_TYPE_BY_KEY,
  INJURY_TYPES,
  type InjuryType,
  NATION_NAMES,
} from '../data/index.js';
import type { PatientRecord } from './patient-record.js';
import { strictWith } from './strict-object.js';

export const COHORT_TRIAGE = ['T1', 'T2', 'T3', 'T4'] as const;
export const COHORT_OUTCOMES = ['KIA', 'DOW', 'RTD', 'Remains_Role4'] as const;
/** Values per criterion: enough for any real question, small enough for a DynamoDB item. */
export const COHORT_MAX_VALUES = 50;
export const COHORT_CRITERIA = [
  'conditions',
  'injury_types',
  'triage',
  'outcomes',
  'nationalities',
  'fronts',
] as const;
export type CohortCriterion = (typeof COHORT_CRITERIA)[number];

const NATION_SET = new Set(NATION_NAMES.map((n) => n.code));

function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .min(1, 'must list at least one value')
    .max(COHORT_MAX_VALUES, `must list at most ${COHORT_MAX_VALUES} values`)
    .refine((v) => new Set(v as unknown[]).size === v.length, { error: 'must not repeat a value' })
    .optional();
}

/**
 * The criteria: every criterion given must hold (AND), a patient matches a criterion when it has any
 * of the listed values (OR). Errors name the rule, never echo a value.
 */
export const CohortSchema = strictWith(
  {
    conditions: list(
      z.string().refine((c) => CONDITION_BY_CODE.has(c), {
        error: 'not a condition code of the vetted table (SNOMED CT)',
      }),
    ).describe('SNOMED CT codes: the patient has at least one of them among its conditions'),
    injury_types: list(z.enum(INJURY_TYPES)).describe("the record's injury_type is one of them"),
    triage: list(z.enum(COHORT_TRIAGE)).describe(
      "the record's triage_category (first assessment) is one of them; T4: re-triaged expectant",
    ),
    outcomes: list(z.enum(COHORT_OUTCOMES)).describe(
      "the record's status is one of them (final_status KIA is KIA or DOW)",
    ),
    nationalities: list(
      z.string().refine((c) => NATION_SET.has(c), { error: 'unknown nation code' }),
    ).describe("the record's nationality is one of them"),
    fronts: list(z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters')).describe(
      'ids of front_configs: the patient was hurt on one of them',
    ),
  },
  'cohort criterion',
  'cohort criteria',
)
  .refine((c) => COHORT_CRITERIA.some((k) => c[k] !== undefined), {
    error: `a cohort needs at least one criterion: ${COHORT_CRITERIA.join(', ')}`,
  })
  .describe('only patients matching every criterion; the job yields exactly total_patients of them');
export type CohortInput = z.output<typeof CohortSchema>;

/** What the static checks read of the scenario input (validated fields, defaults applied). */
export interface CohortScenarioView {
  readonly injury_distribution: Partial<Record<(typeof INJURY_MIX_KEYS)[number], number>>;
  readonly front_configs: ReadonlyArray<{
    readonly id: string;
    readonly nationality_distribution: ReadonlyArray<{ readonly nationality_code: string }>;
  }>;
  readonly facility_configs: ReadonlyArray<{ readonly capacity?: number }>;
  readonly endemic_diseases: Readonly<Partial<Record<EndemicDisease, boolean>>>;
}

export interface CohortIssue {
  /** Path under the scenario, e.g. ['cohort', 'triage', 0]. */
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Values no patient of this scenario can ever have: each is a validation error naming the criterion,
 * so an impossible cohort is refused up front (422 / exit 2) instead of searched for.
 */
export function cohortIssues(cohort: CohortInput, scenario: CohortScenarioView): CohortIssue[] {
  const issues: CohortIssue[] = [];
  const at = (k: CohortCriterion, i: number, message: string) =>
    issues.push({ path: ['cohort', k, i], message });

  const types = new Set<InjuryType>(
    INJURY_MIX_KEYS.filter((k) => (scenario.injury_distribution[k] ?? 0) > 0).map(
      (k) => INJURY_TYPE_BY_KEY[k],
    ),
  );
  cohort.injury_types?.forEach((t, i) => {
    if (!types.has(t)) at('injury_types', i, 'the scenario gives this injury type zero weight');
  });

  const frontIds = new Set(scenario.front_configs.map((f) => f.id));
  cohort.fronts?.forEach((f, i) => {
    if (!frontIds.has(f)) at('fronts', i, 'must be the id of one of front_configs');
  });
  const fronts = cohort.fronts
    ? scenario.front_configs.filter((f) => cohort.fronts!.includes(f.id))
    : scenario.front_configs;
  const nations = new Set(fronts.flatMap((f) => f.nationality_distribution.map((n) => n.nationality_code)));
  cohort.nationalities?.forEach((n, i) => {
    if (NATION_SET.has(n) && !nations.has(n))
      at(
        'nationalities',
        i,
        cohort.fronts
          ? 'no front of cohort.fronts has this nation'
          : 'no front of the scenario has this nation',
      );
  });

  // T4 is given only to a patient queuing at a full facility (memory/decisions/0910-capacity-and-health.md).
  const hasCapacity = scenario.facility_configs.some((f) => f.capacity !== undefined);
  cohort.triage?.forEach((t, i) => {
    if (t === 'T4' && !hasCapacity)
      at('triage', i, 'T4 (expectant) needs a facility with a capacity, which a mass casualty can overwhelm');
  });

  const wanted = cohort.injury_types ? new Set(cohort.injury_types.filter((t) => types.has(t))) : types;
  const reachable = reachableCodes(wanted, scenario.endemic_diseases);
  cohort.conditions?.forEach((c, i) => {
    const endemic = CONDITION_BY_CODE.get(c)?.endemic;
    if (endemic !== undefined && !scenario.endemic_diseases[endemic])
      at('conditions', i, `occurs only where endemic: set endemic_diseases.${endemic} for this theatre`);
    else if (CONDITION_BY_CODE.has(c) && !reachable.has(c))
      at(
        'conditions',
        i,
        cohort.injury_types
          ? 'no injury type of cohort.injury_types produces this condition'
          : 'no injury type the scenario gives weight produces this condition',
      );
  });
  return issues;
}

/**
 * Codes a patient of these injury types can carry: primary conditions of the types (an endemic
 * disease only where the scenario names it), what they bring (related links, transitively), and codes
 * that belong to no type (complications, medications.ts), which any patient may develop.
 */
function reachableCodes(
  types: ReadonlySet<InjuryType>,
  endemic: Readonly<Partial<Record<EndemicDisease, boolean>>>,
): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const c of CONDITIONS) {
    if (c.endemic !== undefined && !endemic[c.endemic]) continue;
    const own = INJURY_TYPES.filter((t) => (c.weights[t] ?? 0) > 0);
    if (own.length === 0 || own.some((t) => types.has(t))) stack.push(c.code);
  }
  while (stack.length > 0) {
    const code = stack.pop()!;
    if (out.has(code)) continue;
    out.add(code);
    for (const link of CONDITION_BY_CODE.get(code)?.related ?? []) stack.push(link.code);
  }
  return out;
}

/** The criteria in the form the search reads: sets, front indexes, and whether a record must be built. */
export interface CohortFilter {
  readonly input: CohortInput;
  /** Per front index: 1 when the front is allowed. */
  readonly fronts: Uint8Array | null;
  /** Per front index, per nation index of that front: 1 when allowed. */
  readonly nations: Uint8Array[] | null;
  readonly injuryTypes: ReadonlySet<string> | null;
  /** First-assessment categories allowed (T1..T3). */
  readonly triage: ReadonlySet<string> | null;
  readonly expectant: boolean;
  readonly outcomes: ReadonlySet<string> | null;
  readonly conditions: ReadonlySet<string> | null;
  /** False when front, nation, injury type and first triage decide alone (no record needed). */
  readonly needsRecord: boolean;
}

export function cohortFilter(
  input: CohortInput,
  fronts: ReadonlyArray<{ readonly id: string; readonly nations: readonly string[] }>,
): CohortFilter {
  const triage = input.triage ? new Set(input.triage.filter((t) => t !== 'T4')) : null;
  const expectant = input.triage?.includes('T4') ?? false;
  return {
    input,
    fronts: input.fronts ? Uint8Array.from(fronts, (f) => (input.fronts!.includes(f.id) ? 1 : 0)) : null,
    nations: input.nationalities
      ? fronts.map((f) => Uint8Array.from(f.nations, (n) => (input.nationalities!.includes(n) ? 1 : 0)))
      : null,
    injuryTypes: input.injury_types ? new Set(input.injury_types) : null,
    triage,
    expectant,
    outcomes: input.outcomes ? new Set(input.outcomes) : null,
    conditions: input.conditions ? new Set(input.conditions) : null,
    needsRecord: expectant || input.outcomes !== undefined || input.conditions !== undefined,
  };
}

/** The first criterion the record fails, or null when it matches every one. */
export function cohortMiss(filter: CohortFilter, r: PatientRecord): CohortCriterion | null {
  if (filter.input.fronts && !filter.input.fronts.includes(r.front_id)) return 'fronts';
  if (filter.input.nationalities && !filter.input.nationalities.includes(r.nationality))
    return 'nationalities';
  if (filter.injuryTypes && !filter.injuryTypes.has(r.injury_type)) return 'injury_types';
  if (filter.input.triage) {
    const first = filter.triage!.has(r.triage_category);
    if (!first && !(filter.expectant && isExpectant(r))) return 'triage';
  }
  if (filter.outcomes && !filter.outcomes.has(r.status)) return 'outcomes';
  if (filter.conditions && !r.conditions.some((c) => filter.conditions!.has(c.code))) return 'conditions';
  return null;
}

function isExpectant(r: PatientRecord): boolean {
  for (const e of r.movement_timeline)
    if (e.event_type === 'triage' && (e as { triage_category?: string }).triage_category === 'T4')
      return true;
  return false;
}
