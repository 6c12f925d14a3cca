export { type CareNetwork, careNetwork } from './capacity.js';
export {
  COHORT_CRITERIA,
  COHORT_OUTCOMES,
  COHORT_TRIAGE,
  type CohortCriterion,
  type CohortInput,
  CohortSchema,
} from './cohort.js';
export {
  CANDIDATES_PER_PATIENT,
  type CohortPlan,
  CohortShortfallError,
  candidateBound,
} from './cohort-plan.js';
export { type GenerationContext, TRIAGE_SEVERITY } from './context.js';
export { generate, generationTables } from './generate.js';
export * from './patient-record.js';
export {
  EVENT_KIND,
  type EventPlan,
  eventOf,
  expectedHourlyShares,
  hourlyShape,
  isMultiCasualtyEvent,
  MIXED,
  plan,
} from './plan.js';
export {
  DEFAULT_SCENARIO,
  findPreset,
  type PresetSummary,
  presetScenario,
  presetSummary,
} from './presets.js';
export * from './product-identity.js';
export { apportion, createRng, type Rng, seedWords } from './rng.js';
export * from './scenario.js';
export { strictWith } from './strict-object.js';
