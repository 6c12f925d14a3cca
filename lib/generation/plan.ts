/**
 * The casualty event plan (memory/decisions/0002-event-plan.md): for the whole job, which patients are hurt when, by which
 * kind of fighting, alone or in a cluster. Exactly N patients, always: each level splits its budget
 * with largest-remainder apportionment, and special events and clusters only regroup patients that
 * an hour already holds, so they can neither overspend nor leave a shortfall to pile up anywhere.
 */
import {
  dailyWeight,
  ENVIRONMENTAL_EFFECTS,
  INTENSITY_FACTOR,
  type SpecialEvent,
  WARFARE_PATTERNS,
  WARFARE_TYPES,
  type WarfareType,
} from '../data/index.js';
import { type CarePlan, planCare } from './capacity.js';
import { type CohortPlan, planCohort } from './cohort-plan.js';
import { createContext } from './context.js';
import { EVENT_KIND, MIXED } from './event-kind.js';
import { apportion, createRng, type Rng, type SeedWords, STREAM, seedWords } from './rng.js';
import type { Scenario } from './scenario.js';

export { EVENT_KIND, MIXED };

const SPECIAL_BY_KIND: Record<number, SpecialEvent | null> = {
  0: null,
  1: null,
  2: 'mass_casualty',
  3: 'major_offensive',
  4: 'ambush',
};

export interface EventPlan {
  readonly scenario: Scenario;
  readonly seed: string | number;
  readonly seedWords: SeedWords;
  readonly totalPatients: number;
  readonly eventCount: number;
  /** Index of each event's first patient; patients are numbered in time order. */
  readonly start: Uint32Array;
  readonly count: Uint32Array;
  /** Seconds since base_date 00:00 UTC. */
  readonly second: Uint32Array;
  /** Index into WARFARE_TYPES, or MIXED for special events. */
  readonly warfare: Uint8Array;
  readonly kind: Uint8Array;
  /** Front of each event (index into scenario.fronts): one incident happens on one front. */
  readonly front: Uint8Array;
  /** Nation of each patient (index into its front's nations). */
  readonly nation: Uint8Array;
  /** Patients per day (sums to totalPatients). */
  readonly patientsPerDay: readonly number[];
  /** Waits and diversions at facilities with a capacity (capacity.ts); none when no facility has one. */
  readonly care?: CarePlan;
  /**
   * A cohort job (cohort-plan.ts): the arrays above describe the candidate population, totalPatients
   * is the job's N, and job patient i is candidate cohort.match[i].
   */
  readonly cohort?: CohortPlan;
}

/** The hourly activity shape of a warfare type under the scenario's environment (relative weights). */
export function hourlyShape(type: WarfareType, scenario: Pick<Scenario, 'environment'>): number[] {
  const shape = [...WARFARE_PATTERNS[type].hourly];
  for (const condition of scenario.environment) {
    for (const [from, to, factor] of ENVIRONMENTAL_EFFECTS[condition].hourly) {
      for (let h = from; h <= to; h++) shape[h] *= factor;
    }
  }
  return shape;
}

/** Expected share of patients per hour of day implied by the plan's daily split and hourly shapes. */
export function expectedHourlyShares(plan: EventPlan): number[] {
  const { scenario } = plan;
  const weights = scenario.warfareTypes.map((t) => WARFARE_PATTERNS[t].weight);
  const wSum = weights.reduce((a, b) => a + b, 0);
  const shares = new Array<number>(24).fill(0);
  scenario.warfareTypes.forEach((type, i) => {
    const shape = hourlyShape(type, scenario);
    const sSum = shape.reduce((a, b) => a + b, 0);
    for (let h = 0; h < 24; h++) shares[h] += (weights[i] / wSum) * (shape[h] / sSum);
  });
  return shares;
}

/** Event columns that grow by doubling, so a 1M-patient plan never holds per-event JS objects. */
class EventColumns {
  start = new Uint32Array(1024);
  count = new Uint32Array(1024);
  second = new Uint32Array(1024);
  warfare = new Uint8Array(1024);
  kind = new Uint8Array(1024);
  length = 0;
  patients = 0;

  push(e: PendingEvent): void {
    if (this.length === this.start.length) this.grow();
    const i = this.length++;
    this.start[i] = this.patients;
    this.count[i] = e.count;
    this.second[i] = e.second;
    this.warfare[i] = e.warfare;
    this.kind[i] = e.kind;
    this.patients += e.count;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const widen = <T extends Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.start = widen(this.start, (n) => new Uint32Array(n));
    this.count = widen(this.count, (n) => new Uint32Array(n));
    this.second = widen(this.second, (n) => new Uint32Array(n));
    this.warfare = widen(this.warfare, (n) => new Uint8Array(n));
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
  }
}

interface PendingEvent {
  second: number;
  count: number;
  warfare: number;
  kind: number;
}

/** Builds the plan. Pure: the same scenario and seed give the same plan. */
export function plan(scenario: Scenario, seed: string | number): EventPlan {
  return scenario.cohort
    ? planCohort(scenario, scenario.cohort, seed, planPopulation)
    : planPopulation(scenario, seed);
}

/** The plan of the whole exercise of scenario.totalPatients patients. */
function planPopulation(scenario: Scenario, seed: string | number): EventPlan {
  const words = seedWords(seed);
  const days = scenario.days;
  const patientsPerDay = apportion(
    scenario.totalPatients,
    Array.from({ length: days }, (_, d) => dailyWeight(scenario.tempo, d)),
  );
  const types = scenario.warfareTypes;
  const typeIndex = types.map((t) => WARFARE_TYPES.indexOf(t));
  const typeWeights = types.map((t) => WARFARE_PATTERNS[t].weight);
  const shapes = types.map((t) => hourlyShape(t, scenario));
  const intensity = INTENSITY_FACTOR[scenario.intensity];

  const out = new EventColumns();
  let massCasualtyDone = false;

  for (let day = 0; day < days; day++) {
    const budget = patientsPerDay[day];
    if (budget === 0) continue;
    const rng = createRng(words, STREAM.plan, day);
    const typeCounts = apportion(budget, typeWeights);
    // alloc[t][h]: patients of type t hurt in hour h; hour 0 never takes a rounding unit.
    const alloc = typeCounts.map((n, t) => apportion(n, shapes[t], (h) => h !== 0));
    const pending: PendingEvent[][] = Array.from({ length: 24 }, () => []);

    const claim = (hour: number, wanted: number, kind: number, minute: number) => {
      const available = alloc.reduce((acc, a) => acc + a[hour], 0);
      const size = Math.min(wanted, available);
      if (size < 2) return 0;
      const taken = apportion(
        size,
        alloc.map((a) => a[hour]),
      );
      taken.forEach((n, t) => {
        alloc[t][hour] -= n;
      });
      pending[hour].push({
        second: day * 86400 + hour * 3600 + minute * 60,
        count: size,
        warfare: MIXED,
        kind,
      });
      return size;
    };

    if (scenario.specialEvents.includes('major_offensive') && day === Math.min(1, days - 1)) {
      // A three-hour assault from first light: most of each hour's casualties fall in its waves.
      const first = rng.pick([5, 6, 7]);
      for (let h = first; h < first + 3; h++) {
        const available = alloc.reduce((acc, a) => acc + a[h], 0);
        claim(h, Math.floor(available * 0.7), EVENT_KIND.major_offensive, rng.int(0, 20));
      }
    }
    if (scenario.specialEvents.includes('ambush') && [0, 3, 5].includes(day)) {
      const hour = rng.pick([6, 7, 17, 18, 19]);
      const size = Math.max(3, Math.min(40, Math.floor(budget * 0.05 * intensity)));
      claim(hour, size, EVENT_KIND.ambush, rng.int(0, 59));
    }
    if (scenario.specialEvents.includes('mass_casualty')) {
      const lastChance = day === days - 1 && !massCasualtyDone;
      if (lastChance || rng.chance(Math.min(1, 0.35 * intensity))) {
        const hour = rng.int(6, 18);
        const size = Math.min(150, Math.floor(budget * rng.range(0.05, 0.15) * intensity) + 5);
        if (claim(hour, size, EVENT_KIND.mass_casualty, rng.int(0, 59)) > 0) massCasualtyDone = true;
      }
    }

    for (let hour = 0; hour < 24; hour++) {
      const events = pending[hour];
      for (let t = 0; t < types.length; t++) {
        let left = alloc[t][hour];
        const pattern = WARFARE_PATTERNS[types[t]];
        if (left > 5 && rng.chance(Math.min(0.95, pattern.cluster.probability * intensity))) {
          const size = Math.min(left, rng.int(pattern.cluster.min, pattern.cluster.max));
          if (size >= 2) {
            events.push({
              second: secondIn(rng, day, hour),
              count: size,
              warfare: typeIndex[t],
              kind: EVENT_KIND.cluster,
            });
            left -= size;
          }
        }
        while (left > 0) {
          const r = rng.next();
          const size = Math.min(left, r < 0.6 ? 1 : r < 0.9 ? 2 : 3);
          events.push({
            second: secondIn(rng, day, hour),
            count: size,
            warfare: typeIndex[t],
            kind: EVENT_KIND.group,
          });
          left -= size;
        }
      }
      events.sort((a, b) => a.second - b.second);
      for (const e of events) out.push(e);
    }
  }

  const n = out.length;
  const count = out.count.slice(0, n);
  const { front, nation } = assignFrontsAndNations(scenario, words, count, out.patients);

  const events: EventPlan = {
    scenario,
    seed,
    front,
    nation,
    seedWords: words,
    totalPatients: out.patients,
    eventCount: n,
    start: out.start.slice(0, n),
    count,
    second: out.second.slice(0, n),
    warfare: out.warfare.slice(0, n),
    kind: out.kind.slice(0, n),
    patientsPerDay,
  };
  // Beds are shared by the whole job: plan them here, over every patient, never per range.
  const ctx = createContext(events);
  return ctx.network.limited ? { ...events, care: planCare(ctx) } : events;
}

/**
 * Quota assignment: each event goes to the front furthest behind its share, each patient to the nation
 * furthest behind its share within the front, with a little jitter so the order is not a fixed rotation.
 * Shares are then exact to within one event, where independent draws would wander by several points.
 */
function assignFrontsAndNations(
  scenario: Scenario,
  words: SeedWords,
  counts: Uint32Array,
  patients: number,
): { front: Uint8Array; nation: Uint8Array } {
  const rng = createRng(words, STREAM.plan, 0x7fffffff);
  const fronts = scenario.fronts;
  const front = new Uint8Array(counts.length);
  const nation = new Uint8Array(patients);
  const frontTaken = new Float64Array(fronts.length);
  const nationTaken = fronts.map((f) => new Float64Array(f.nations.length));
  const frontTotal = new Float64Array(fronts.length);
  let total = 0;
  let patient = 0;
  for (let e = 0; e < counts.length; e++) {
    const size = counts[e];
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let f = 0; f < fronts.length; f++) {
      const score = fronts[f].weight * (total + size) - frontTaken[f] + rng.next() * 2;
      if (score > bestScore) {
        bestScore = score;
        best = f;
      }
    }
    front[e] = best;
    frontTaken[best] += size;
    total += size;
    const weights = fronts[best].nationWeights;
    const taken = nationTaken[best];
    for (let k = 0; k < size; k++, patient++) {
      let pick = 0;
      let pickScore = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < weights.length; j++) {
        const score = weights[j] * (frontTotal[best] + 1) - taken[j] + rng.next() * 1.5;
        if (score > pickScore) {
          pickScore = score;
          pick = j;
        }
      }
      nation[patient] = pick;
      taken[pick]++;
      frontTotal[best]++;
    }
  }
  return { front, nation };
}

function secondIn(rng: Rng, day: number, hour: number): number {
  return day * 86400 + hour * 3600 + rng.int(0, 3599);
}

/** Index of the event holding a patient (binary search over event starts). */
export function eventOf(p: EventPlan, patientIndex: number): number {
  let lo = 0;
  let hi = p.eventCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (p.start[mid] <= patientIndex) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function specialEventOf(kind: number): SpecialEvent | null {
  return SPECIAL_BY_KIND[kind] ?? null;
}

/**
 * True when the patient was hurt together with others: a cluster or any special event. This is what the
 * record's `mass_casualty` flag has always meant (the original's name); `special_event` names the kind.
 */
export function isMultiCasualtyEvent(kind: number): boolean {
  return kind !== EVENT_KIND.group;
}
