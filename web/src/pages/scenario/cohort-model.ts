/**
 * The console's Cohort section, DOM-free (memory/decisions/0912-cohorts.md): the criteria's names and
 * values, checked against the types generated from the API's OpenAPI document, and the edits of the
 * draft's `cohort` (an empty criterion is removed, and an empty cohort too, so the draft never holds
 * a cohort the API refuses for being empty).
 */
import type { components } from '../../api/schema.js';
import { type Draft, getIn, isObject, type Json } from './scenario-model.js';

type Cohort = NonNullable<components['schemas']['ConfigurationInput']['cohort']>;
type Values<K extends keyof Cohort> = NonNullable<Cohort[K]>[number];

/** Compile-time proof that a list names every value of T and nothing else. */
type Exhaustive<T extends string, L extends readonly string[]> = [Exclude<T, L[number]>] extends [never]
  ? L
  : { missing: Exclude<T, L[number]> };
function exhaustive<T extends string>() {
  return <const L extends readonly T[]>(list: Exhaustive<T, L>): L => list as L;
}

export const COHORT_CRITERIA = exhaustive<Extract<keyof Cohort, string>>()([
  'conditions',
  'injury_types',
  'triage',
  'outcomes',
  'nationalities',
  'fronts',
]);
export type CohortCriterion = (typeof COHORT_CRITERIA)[number];
export const COHORT_INJURY_TYPES = exhaustive<Values<'injury_types'>>()([
  'BATTLE_TRAUMA',
  'NON_BATTLE',
  'DISEASE',
]);
export const COHORT_TRIAGE = exhaustive<Values<'triage'>>()(['T1', 'T2', 'T3', 'T4']);
export const COHORT_OUTCOMES = exhaustive<Values<'outcomes'>>()(['KIA', 'DOW', 'RTD', 'Remains_Role4']);

/** The values a criterion of the draft's cohort lists (none: the criterion is not set). */
export function cohortValues(draft: Draft, criterion: CohortCriterion): string[] {
  const list = getIn(draft, ['cohort', criterion]);
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

/** The draft's cohort with `values` as the criterion; undefined when no criterion is left. */
export function withCriterion(
  draft: Draft,
  criterion: CohortCriterion,
  values: readonly string[],
): Json | undefined {
  const current = getIn(draft, ['cohort']);
  const cohort: { [key: string]: Json } = isObject(current) ? { ...current } : {};
  if (values.length === 0) delete cohort[criterion];
  else cohort[criterion] = [...values];
  return Object.keys(cohort).length === 0 ? undefined : cohort;
}

/** The cohort after a check box of `value` is set or cleared (values keep the order they were chosen in). */
export function toggleValue(
  draft: Draft,
  criterion: CohortCriterion,
  value: string,
  on: boolean,
): Json | undefined {
  const values = cohortValues(draft, criterion).filter((v) => v !== value);
  if (on) values.push(value);
  return withCriterion(draft, criterion, values);
}

/** Condition codes typed as text: digits separated by commas or spaces, duplicates dropped. */
export function codesFromText(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((c) => c !== ''))];
}

/** The ids of the draft's fronts and the nations they list (the values the two criteria can take). */
export function cohortChoices(draft: Draft): { fronts: string[]; nations: string[] } {
  const fronts = getIn(draft, ['front_configs']);
  const list = Array.isArray(fronts) ? fronts : [];
  const ids: string[] = [];
  const nations = new Set<string>();
  for (const f of list) {
    const id = getIn(f, ['id']);
    if (typeof id === 'string' && id !== '') ids.push(id);
    const shares = getIn(f, ['nationality_distribution']);
    for (const n of Array.isArray(shares) ? shares : []) {
      const code = getIn(n, ['nationality_code']);
      if (typeof code === 'string' && code !== '') nations.add(code);
    }
  }
  return { fronts: [...new Set(ids)], nations: [...nations].sort() };
}
