/**
 * What the scenario form shows, DOM-free: the names of every enumerated scenario field, checked
 * against the types generated from the API's OpenAPI document (a name the API adds or drops breaks
 * the type check below), and the key of every field and group the form renders, so a validation
 * issue can be placed next to its field (scenario-model.ts placeIssues).
 */
import type { components } from '../../api/schema.js';
import { COHORT_CRITERIA } from './cohort-model.js';
import { type Draft, getIn } from './scenario-model.js';

type Input = components['schemas']['ConfigurationInput'];
type Keys<T> = Extract<keyof NonNullable<T>, string>;

/** Compile-time proof that a list names every key of T and nothing else. */
type Exhaustive<T extends string, L extends readonly string[]> = [Exclude<T, L[number]>] extends [never]
  ? L
  : { missing: Exclude<T, L[number]> };
function exhaustive<T extends string>() {
  return <const L extends readonly T[]>(list: Exhaustive<T, L>): L => list as L;
}

export const INTENSITIES = exhaustive<Input['intensity']>()(['low', 'medium', 'high', 'extreme']);
export const TEMPOS = exhaustive<Input['tempo']>()([
  'sustained',
  'escalating',
  'surge',
  'declining',
  'intermittent',
]);
export const HEMISPHERES = exhaustive<NonNullable<Input['hemisphere']>>()(['northern', 'southern']);
export const INJURY_KEYS = exhaustive<Keys<Input['injury_distribution']>>()([
  'Battle Injury',
  'Non-Battle Injury',
  'Disease',
]);
export const TRIAGE_KEYS = ['T1', 'T2', 'T3'] as const;
export const WARFARE_KEYS = exhaustive<Keys<Input['warfare_types']>>()([
  'conventional',
  'artillery',
  'urban',
  'guerrilla',
  'drone',
  'naval',
  'cbrn',
  'peacekeeping',
]);
export const SPECIAL_EVENT_KEYS = exhaustive<Keys<Input['special_events']>>()([
  'mass_casualty',
  'major_offensive',
  'ambush',
]);
export const ENVIRONMENT_KEYS = exhaustive<Keys<Input['environmental_conditions']>>()([
  'night_operations',
  'rain',
  'fog',
  'storm',
  'dust_storm',
  'extreme_heat',
  'extreme_cold',
  'mountainous_terrain',
  'urban_debris',
]);
export const ENDEMIC_KEYS = exhaustive<Keys<Input['endemic_diseases']>>()([
  'malaria',
  'dengue',
  'leishmaniasis',
  'typhoid_fever',
]);
type Role = NonNullable<Input['facility_configs'][number]['role']>;
export const FACILITY_ROLES = exhaustive<Role>()(['POI', 'Role1', 'Role2', 'Role3', 'Role4']);

/** Output formats of POST /api/v1/generation (the README's format table). */
export const OUTPUT_FORMATS = [
  { id: 'json', label: 'JSON', hint: 'one array' },
  { id: 'ndjson', label: 'NDJSON', hint: 'one patient per line' },
  { id: 'csv', label: 'CSV', hint: 'one row per patient' },
  { id: 'fhir', label: 'FHIR R4', hint: 'one Bundle per line' },
  { id: 'xml', label: 'XML', hint: 'one document' },
] as const;

/** "night_operations" → "Night operations". */
export function humanise(key: string): string {
  const text = key.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Scalar fields at the top level of the scenario, in form order. */
export const TOP_FIELDS = [
  'name',
  'description',
  'total_patients',
  'days_of_fighting',
  'base_date',
  'hemisphere',
  'intensity',
  'tempo',
  'female_ratio',
  'evacuation_policy_days',
  'seed',
] as const;

/** Keys of every field and group the form renders for this draft (issue placement). */
export function formKeys(draft: Draft): Set<string> {
  const keys = new Set<string>(TOP_FIELDS);
  keys.add('injury_distribution');
  for (const k of INJURY_KEYS) keys.add(`injury_distribution.${k}`);
  for (const group of [
    'warfare_types',
    'special_events',
    'environmental_conditions',
    'endemic_diseases',
  ] as const)
    keys.add(group);
  for (const k of WARFARE_KEYS) keys.add(`warfare_types.${k}`);
  for (const k of SPECIAL_EVENT_KEYS) keys.add(`special_events.${k}`);
  for (const k of ENVIRONMENT_KEYS) keys.add(`environmental_conditions.${k}`);
  for (const k of ENDEMIC_KEYS) keys.add(`endemic_diseases.${k}`);
  keys.add('front_configs');
  const fronts = getIn(draft, ['front_configs']);
  if (Array.isArray(fronts)) {
    fronts.forEach((front, i) => {
      const at = `front_configs.${i}`;
      for (const f of [at, `${at}.id`, `${at}.name`, `${at}.description`, `${at}.casualty_rate`]) keys.add(f);
      keys.add(`${at}.nationality_distribution`);
      const nations = getIn(front, ['nationality_distribution']);
      if (Array.isArray(nations)) {
        nations.forEach((_, j) => {
          // A row's own issues (an unknown key) show at the nations group: the row has no element.
          const n = `${at}.nationality_distribution.${j}`;
          keys.add(`${n}.nationality_code`);
          keys.add(`${n}.percentage`);
        });
      }
    });
  }
  keys.add('facility_configs');
  const facilities = getIn(draft, ['facility_configs']);
  if (Array.isArray(facilities)) {
    facilities.forEach((_, i) => {
      const at = `facility_configs.${i}`;
      keys.add(at);
      for (const f of ['id', 'name', 'role', 'front_id', 'capacity', 'kia_rate', 'rtd_rate', 'description'])
        keys.add(`${at}.${f}`);
    });
  }
  keys.add('triage_overrides');
  const overrides = getIn(draft, ['triage_overrides']);
  for (const k of INJURY_KEYS) {
    if (getIn(overrides, [k]) === undefined) continue;
    keys.add(`triage_overrides.${k}`);
    for (const t of TRIAGE_KEYS) keys.add(`triage_overrides.${k}.${t}`);
  }
  // The Cohort section: an issue of one value (cohort.triage.1) shows at its criterion's group.
  keys.add('cohort');
  for (const c of COHORT_CRITERIA) keys.add(`cohort.${c}`);
  return keys;
}
