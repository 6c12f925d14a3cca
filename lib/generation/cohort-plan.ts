/**
 * The cohort search (memory/decisions/0912-cohorts.md): the plan of a cohort job is the plan of a
 * candidate population (the whole exercise, capacity included) of M patients, grown until it holds N
 * matches, and the indexes of its first N matching candidates. Pure and deterministic: the sizes tried
 * depend only on the scenario and seed, so every chunk that re-plans finds the same candidates.
 */
import { clinicalCore } from './clinical.js';
import { type CohortCriterion, type CohortFilter, cohortMiss } from './cohort.js';
import { createContext } from './context.js';
import { buildPatient } from './patient.js';
import type { EventPlan } from './plan.js';
import type { Scenario } from './scenario.js';

/** Candidates tried at most: CANDIDATES_PER_PATIENT × N, at least MIN_CANDIDATES, at most MAX_CANDIDATES. */
export const CANDIDATES_PER_PATIENT = 200;
export const MIN_CANDIDATES = 100_000;
export const MAX_CANDIDATES = 10_000_000;
/**
 * Records built per search at most (all rounds): a record costs about 16 µs, so a search needing
 * records (conditions, outcomes, T4) stays near 20 s of one core, inside the generator's time limit.
 */
export const MAX_RECORD_BUILDS = 1_000_000;

export interface CohortPlan {
  /** Candidate index of each job patient, ascending: job patient i is candidate match[i]. */
  readonly match: Uint32Array;
  /** Size of the candidate population the matches come from. */
  readonly candidates: number;
}

/** Too few candidates match: names the criterion that rejected most of them, and how many were found. */
export class CohortShortfallError extends Error {
  constructor(
    readonly criterion: CohortCriterion,
    readonly found: number,
    readonly wanted: number,
    readonly candidates: number,
  ) {
    super(
      `cohort: only ${found} of ${wanted} patients matching among ${candidates} candidates (the most selective criterion: cohort.${criterion}); ask for fewer patients or widen the criteria`,
    );
    this.name = 'CohortShortfallError';
  }
}

export function candidateBound(n: number): number {
  return Math.min(MAX_CANDIDATES, Math.max(MIN_CANDIDATES, CANDIDATES_PER_PATIENT * n));
}

/**
 * Plans the cohort of `scenario.totalPatients` patients. `planPopulation` plans an exercise of the
 * scenario as it is (no cohort): the candidate population.
 */
export function planCohort(
  scenario: Scenario,
  filter: CohortFilter,
  seed: string | number,
  planPopulation: (s: Scenario, seed: string | number) => EventPlan,
): EventPlan {
  const wanted = scenario.totalPatients;
  const bound = candidateBound(wanted);
  let size = Math.min(bound, Math.max(1000, Math.ceil(wanted * 1.25)));
  let builds = MAX_RECORD_BUILDS;
  for (;;) {
    const population = planPopulation({ ...scenario, totalPatients: size, cohort: undefined }, seed);
    const found = scan(population, filter, wanted, builds);
    builds -= found.builds;
    if (found.count >= wanted) {
      // The job is the matches: its size is N, its patients are the candidates the index names.
      const cohort: CohortPlan = { match: found.match.slice(0, wanted), candidates: size };
      return { ...population, scenario, totalPatients: wanted, cohort };
    }
    if (size >= bound || found.scanned < size) {
      throw new CohortShortfallError(mostRejecting(found.rejected), found.count, wanted, found.scanned);
    }
    // Grow to what the rate seen so far needs, with a margin; at least double, so few rounds are run.
    const rate = found.count / size;
    const needed = rate > 0 ? Math.ceil((wanted / rate) * 1.2) + 1000 : size * 8;
    size = Math.min(bound, Math.max(size * 2, needed));
  }
}

interface Scan {
  match: Uint32Array;
  count: number;
  /** Candidates looked at: fewer than the population when the record budget ran out. */
  scanned: number;
  builds: number;
  rejected: Map<CohortCriterion, number>;
}

/**
 * Candidates in index order until N match. The cheap checks come first: front and nation from the plan's
 * arrays, injury type and first triage from the clinical core (the values the record carries); a record
 * is built only when the criteria need it (conditions, outcome, T4) and checked as a whole.
 */
function scan(population: EventPlan, filter: CohortFilter, wanted: number, budget: number): Scan {
  const ctx = createContext(population);
  const match = new Uint32Array(wanted);
  const rejected = new Map<CohortCriterion, number>();
  const reject = (c: CohortCriterion) => rejected.set(c, (rejected.get(c) ?? 0) + 1);
  const needCore = filter.injuryTypes !== null || (filter.triage !== null && !filter.expectant);
  let count = 0;
  let event = 0;
  let builds = 0;
  let i = 0;
  for (; i < population.totalPatients && count < wanted; i++) {
    while (i >= population.start[event] + population.count[event]) event++;
    const front = population.front[event];
    if (filter.fronts && filter.fronts[front] === 0) {
      reject('fronts');
      continue;
    }
    if (filter.nations && filter.nations[front][population.nation[i]] === 0) {
      reject('nationalities');
      continue;
    }
    if (needCore) {
      const core = clinicalCore(ctx, i, event);
      if (filter.injuryTypes && !filter.injuryTypes.has(core.type)) {
        reject('injury_types');
        continue;
      }
      if (filter.triage && !filter.expectant && !filter.triage.has(core.triage)) {
        reject('triage');
        continue;
      }
    }
    if (filter.needsRecord) {
      if (builds === budget) break;
      builds++;
      const miss = cohortMiss(filter, buildPatient(ctx, i, event));
      if (miss !== null) {
        reject(miss);
        continue;
      }
    }
    match[count++] = i;
  }
  return { match, count, scanned: i, builds, rejected };
}

function mostRejecting(rejected: Map<CohortCriterion, number>): CohortCriterion {
  let best: CohortCriterion = 'conditions';
  let most = -1;
  for (const [criterion, n] of rejected) {
    if (n > most) {
      most = n;
      best = criterion;
    }
  }
  return best;
}
