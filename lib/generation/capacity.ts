/**
 * Facility capacity, queues and diversion, planned over the whole job (memory/decisions/0910-capacity-and-health.md).
 *
 * Beds are shared by every patient of a job, so they are planned in the planning pass, in time order
 * over all patients: a discrete-event simulation (a calendar of arrivals, bed releases and deaths in
 * a queue, one bucket per tenth of an hour; a heap per facility queue) steps each patient's course leg by leg (course.ts, one random stream per leg) and keeps
 * only what a patient cannot work out alone: how long it waited at each echelon and where it was
 * diverted to, in typed arrays. The patient builder replays its own course with those, so any patient
 * range gives the same bytes as the whole job.
 *
 * Policy at a full facility, like the original's overflow router: (1) another facility of the same
 * role serving the patient's front with a free bed (the most free beds; a short extra drive), else
 * (2) on to the next echelon if the patient's facility there has a free bed (or no limit), else
 * (3) wait in the facility's queue, most urgent first (T1, T2, T3, then T4), then by arrival. A
 * patient is diverted at most once per echelon. In a queue it deteriorates untreated and may die.
 */
import { DIVERSION_HOURS, FACILITIES, TRANSIT_HOURS, type Triage } from '../data/index.js';
import { clinicalCore } from './clinical.js';
import type { GenerationContext } from './context.js';
import {
  advance,
  type CourseParams,
  type CourseSettings,
  type CourseState,
  copyState,
  expectant,
  LEG,
  newState,
  startCourse,
  stayAt,
  tenths,
  triageOf,
} from './course.js';
import { createRng, cumulative, drawCumulative, reseed, type SeedWords, STREAM } from './rng.js';
import type { CareFacility, Scenario } from './scenario.js';

/** Route code bits per patient and echelon: low 6 bits = 1 + the facility diverted to. */
export const SIBLING_MASK = 0x3f;
/** Diverted on to the next echelon. */
export const ONWARD = 0x40;
/** Declared expectant (T4) while queuing. */
export const EXPECTANT = 0x80;
/** Wait of a patient who died in the queue. */
export const DIED_WAITING = 0xffffffff;
const LONG_WAIT = 0xffff;

/** The wait of a patient (index × 4 + echelon − 1) in tenths of an hour, or DIED_WAITING. */
export function waitOf(care: CarePlan, slot: number): number {
  const w = care.wait[slot];
  return w === LONG_WAIT ? care.longWaits.get(slot)! : w;
}

/** What the planning pass keeps per patient and echelon 1..4 (index patient × 4 + echelon − 1). */
export interface CarePlan {
  /** Tenths of an hour waited before admission; LONG_WAIT: look in longWaits. */
  readonly wait: Uint16Array;
  /** Waits of LONG_WAIT tenths or more, and DIED_WAITING, by slot: rare, so the array stays 2 bytes a slot. */
  readonly longWaits: ReadonlyMap<number, number>;
  /** Route code: diversion and expectant bits. */
  readonly route: Uint8Array;
}

export interface CareNetwork {
  readonly facilities: readonly CareFacility[];
  /** [echelon][front]: the facilities a patient of the front goes to first (its front's own, else shared ones). */
  readonly home: ReadonlyArray<ReadonlyArray<readonly number[]>>;
  readonly homeCdf: ReadonlyArray<ReadonlyArray<Float64Array>>;
  /** [echelon][front]: every facility of the echelon serving the front. */
  readonly serving: ReadonlyArray<ReadonlyArray<readonly number[]>>;
  /** True when any facility has a capacity: only then is there anything to plan. */
  readonly limited: boolean;
}

export function careNetwork(scenario: Pick<Scenario, 'facilities' | 'fronts'>): CareNetwork {
  const fronts = scenario.fronts.length;
  const facilities = scenario.facilities;
  const home: number[][][] = [];
  const homeCdf: Float64Array[][] = [];
  const serving: number[][][] = [];
  for (let role = 0; role < FACILITIES.length; role++) {
    home.push([]);
    homeCdf.push([]);
    serving.push([]);
    for (let front = 0; front < fronts; front++) {
      const all = facilities.flatMap((f, i) =>
        f.role === role && (f.front === front || f.front < 0) ? [i] : [],
      );
      const own = all.filter((i) => facilities[i].front === front);
      const first = own.length > 0 ? own : all;
      home[role].push(first);
      homeCdf[role].push(cumulative(first.map((i) => facilities[i].capacity || 1)));
      serving[role].push(all);
    }
  }
  return { facilities, home, homeCdf, serving, limited: facilities.some((f) => f.capacity > 0) };
}

/** The facility of an echelon a patient goes to first, or -1 when none is configured for its front. */
export function homeOf(
  net: CareNetwork,
  words: SeedWords,
  index: number,
  role: number,
  front: number,
): number {
  const candidates = net.home[role][front];
  if (candidates.length === 0) return -1;
  if (candidates.length === 1) return candidates[0];
  const rng = reseed(HOME_RNG, words, STREAM.home, index * 8 + role);
  return candidates[drawCumulative(rng, net.homeCdf[role][front])];
}

/** Tenths of the extra travel of a diversion: to a sibling, or on to the next echelon. */
export function divertTravel(
  words: SeedWords,
  settings: CourseSettings,
  index: number,
  role: number,
  onward: boolean,
  triage: Triage,
): number {
  const rng = reseed(DIVERT_RNG, words, STREAM.divert, index * 8 + role);
  const range = onward
    ? TRANSIT_HOURS[FACILITIES[role] as 'Role1' | 'Role2' | 'Role3'][triage]
    : DIVERSION_HOURS;
  return tenths(rng, range, settings.transitFactor);
}

/** The stream of one leg; one generator re-seeded per leg (a leg is drawn whole before the next). */
export function courseRng(words: SeedWords, index: number, role: number) {
  return reseed(LEG_RNG, words, STREAM.course, index * 8 + role);
}

const NO_SEED: SeedWords = { hi: 0, lo: 0 };
const LEG_RNG = createRng(NO_SEED, 0);
const HOME_RNG = createRng(NO_SEED, 0);
const DIVERT_RNG = createRng(NO_SEED, 0);

const SECONDS_PER_TENTH = 360;
/** No death second (seconds since base_date never reach it). */
const NEVER = 0xffffffff;

/** Assessed triage as the transit tables know it (an expectant casualty travels as immediate). */
export function travelTriage(s: CourseState): Triage {
  return s.triage === 'T4' ? 'T1' : s.triage;
}

/** A binary min-heap of (key, id) pairs in typed arrays: ties broken by id, so the order is total. */
class Heap {
  keys = new Float64Array(1024);
  ids = new Int32Array(1024);
  size = 0;

  push(key: number, id: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    let i = this.size++;
    const { keys, ids } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] < key || (keys[parent] === key && ids[parent] < id)) break;
      keys[i] = keys[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
  }

  /** Removes the smallest pair and returns its id. */
  pop(): number {
    const { keys, ids } = this;
    const top = ids[0];
    const n = --this.size;
    if (n === 0) return top;
    const key = keys[n];
    const id = ids[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        (keys[right] < keys[child] || (keys[right] === keys[child] && ids[right] < ids[child]))
      )
        child = right;
      if (key < keys[child] || (key === keys[child] && id < ids[child])) break;
      keys[i] = keys[child];
      ids[i] = ids[child];
      i = child;
    }
    keys[i] = key;
    ids[i] = id;
    return top;
  }
}

/** Event kinds, in the order they run at one second: beds freed first. */
const RELEASE = 0;
const QUEUE_DEATH = 1;
const ARRIVE = 2;
const KIND = 2 ** 26;

/**
 * The pending events, in buckets of one tenth of an hour (360 s). Every event an event schedules is
 * at least a tenth later, so a bucket is complete when its turn comes: it is sorted once, by
 * (second, kind, patient), and run in that order. Cheaper than a heap of a million events, whose
 * every pop walks memory at random.
 */
class Calendar {
  private readonly buckets: (number[] | undefined)[] = [];
  /** Index of the bucket being run; pushes must go later. */
  private current = -1;
  private last = -1;

  push(seconds: number, kind: number, patient: number): void {
    const b = Math.floor(seconds / SECONDS_PER_TENTH);
    if (b <= this.current) throw new Error('capacity plan: an event scheduled into a bucket already run');
    const key = ((seconds - b * SECONDS_PER_TENTH) * 3 + kind) * KIND + patient;
    const bucket = this.buckets[b];
    if (bucket === undefined) this.buckets[b] = [key];
    else bucket.push(key);
    if (b > this.last) this.last = b;
  }

  /** Runs, in time order, every event in the buckets before `limit` (all when none), handing (second, kind, patient) to `run`. */
  drain(
    run: (seconds: number, kind: number, patient: number) => void,
    limit = Number.POSITIVE_INFINITY,
  ): void {
    while (this.current < this.last && this.current + 1 < limit) {
      const b = ++this.current;
      const bucket = this.buckets[b];
      if (bucket === undefined) continue;
      this.buckets[b] = undefined;
      const keys = Float64Array.from(bucket).sort();
      const base = b * SECONDS_PER_TENTH;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const slot = Math.floor(key / KIND);
        const patient = key - slot * KIND;
        const kind = slot % 3;
        run(base + (slot - kind) / 3, kind, patient);
      }
    }
  }
}

const TRIAGE_INDEX: Record<string, number> = { T1: 0, T2: 1, T3: 2, T4: 3 };
const TRIAGE_BY_INDEX = ['T1', 'T2', 'T3', 'T4'] as const;
const QUEUE_RANK = 2 ** 40;
/** Far enough to find a queued patient's death, whenever it comes. */
const FOREVER = 2 ** 30;

const CONTROLLED = 1;
const DIVERTED = 2;
const QUEUED = 4;
const MASS = 8;

/**
 * Plans every patient's waits and diversions at facilities with a capacity. Pure: the same plan gives
 * the same arrays. `ctx.plan.care` is not read.
 */
export function planCare(ctx: GenerationContext): CarePlan {
  const { plan, network: net, course: settings } = ctx;
  const n = plan.totalPatients;
  const words = plan.seedWords;
  const wait = new Uint16Array(n * 4);
  const longWaits = new Map<number, number>();
  const setWait = (slot: number, w: number) => {
    if (w >= LONG_WAIT) {
      wait[slot] = LONG_WAIT;
      longWaits.set(slot, w);
    } else wait[slot] = w;
  };
  const route = new Uint8Array(n * 4);

  const T = new Int32Array(n);
  const H = new Float64Array(n);
  const R = new Float64Array(n);
  const flags = new Uint8Array(n);
  const role = new Uint8Array(n);
  const resp = new Uint8Array(n);
  const tri = new Uint8Array(n);
  const type = new Uint8Array(n);
  const tri0 = new Uint8Array(n);
  const sev = new Uint8Array(n);
  const front = new Uint8Array(n);
  const injury = new Uint32Array(n);
  /** 1 + the facility whose bed the patient holds, or queues at, or was diverted to. */
  const held = new Uint8Array(n);
  const target = new Uint8Array(n);
  /** Second at which a queued patient dies if no bed frees first (a stale event from an earlier queue is ignored). */
  const deathAt = new Uint32Array(n).fill(NEVER);
  const cap = net.facilities.map((f) => f.capacity);
  const occ = new Int32Array(cap.length);
  const queues = cap.map(() => new Heap());
  const events = new Calendar();

  const st = newState();
  const scratch = newState();
  const params: CourseParams = { type: 'BATTLE_TRAUMA', triage: 'T1', severity: 5, severityBand: [1, 10] };
  const INJURY_TYPES = ['DISEASE', 'NON_BATTLE', 'BATTLE_TRAUMA'] as const;
  const BANDS = [
    [7, 10],
    [4, 7],
    [1, 4],
  ] as const;

  const load = (p: number) => {
    st.t = T[p];
    st.h = H[p];
    st.rate = R[p];
    st.controlled = (flags[p] & CONTROLLED) !== 0;
    st.role = role[p];
    st.resp = resp[p];
    st.triage = TRIAGE_BY_INDEX[tri[p]];
    st.leave = 0;
    params.type = INJURY_TYPES[type[p]];
    params.triage = TRIAGE_BY_INDEX[tri0[p]] as Triage;
    params.severity = sev[p];
    params.severityBand = BANDS[tri0[p]];
  };
  const store = (p: number) => {
    T[p] = st.t;
    H[p] = st.h;
    R[p] = st.rate;
    flags[p] = st.controlled ? flags[p] | CONTROLLED : flags[p] & ~CONTROLLED;
    role[p] = st.role;
    resp[p] = st.resp;
    tri[p] = TRIAGE_INDEX[st.triage];
  };
  const at = (p: number, tenth: number) => injury[p] + tenth * SECONDS_PER_TENTH;
  const roomAt = (f: number) => f < 0 || cap[f] === 0 || occ[f] < cap[f];

  const admit = (p: number, f: number) => {
    if (f >= 0 && cap[f] > 0) {
      occ[f]++;
      held[p] = f + 1;
    }
    flags[p] &= ~DIVERTED;
    const outcome = stayAt(params, settings, courseRng(words, p, st.role), st, null);
    if (held[p] !== 0) events.push(at(p, st.leave), RELEASE, p);
    if (outcome === LEG.next) events.push(at(p, st.t), ARRIVE, p);
    store(p);
  };

  const arrive = (p: number) => {
    load(p);
    const r = st.role;
    const slot = p * 4 + r - 1;
    const f = target[p] !== 0 ? target[p] - 1 : homeOf(net, words, p, r, front[p]);
    target[p] = 0;
    if (roomAt(f)) return admit(p, f);
    if ((flags[p] & DIVERTED) === 0) {
      flags[p] |= DIVERTED;
      let best = -1;
      let bestFree = 0;
      for (const g of net.serving[r][front[p]]) {
        if (g === f) continue;
        const free = cap[g] === 0 ? Number.POSITIVE_INFINITY : cap[g] - occ[g];
        if (free > bestFree) {
          best = g;
          bestFree = free;
        }
      }
      const onward = best < 0 && r < 4 && roomAt(homeOf(net, words, p, r + 1, front[p]));
      if (best >= 0 || onward) {
        route[slot] = onward ? ONWARD : best + 1;
        const travel = divertTravel(words, settings, p, r, onward, travelTriage(st));
        if (advance(st, settings, st.t + travel) >= 0) return store(p);
        if (onward) {
          st.role = r + 1;
          flags[p] &= ~DIVERTED;
        } else target[p] = best + 1;
        events.push(at(p, st.t), ARRIVE, p);
        return store(p);
      }
    }
    if (expectant(st.h, (flags[p] & MASS) !== 0)) {
      route[slot] |= EXPECTANT;
      st.triage = 'T4';
    }
    const rank = st.triage === 'T4' ? 3 : TRIAGE_INDEX[triageOf(st.h)];
    flags[p] |= QUEUED;
    held[p] = f + 1;
    queues[f].push(rank * QUEUE_RANK + injury[p] + st.t * SECONDS_PER_TENTH, p);
    copyState(scratch, st);
    const dies = advance(scratch, settings, st.t + FOREVER);
    // A death beyond 2^32 s (a near-zero kia_rate) is left to the admission check in serve().
    const death = dies >= 0 ? at(p, dies) : NEVER;
    deathAt[p] = Math.min(death, NEVER);
    if (deathAt[p] !== NEVER) events.push(death, QUEUE_DEATH, p);
    store(p);
  };

  const serve = (f: number, seconds: number) => {
    const queue = queues[f];
    while (occ[f] < cap[f] && queue.size > 0) {
      const q = queue.pop();
      if ((flags[q] & QUEUED) === 0) continue;
      flags[q] &= ~QUEUED;
      held[q] = 0;
      load(q);
      const slot = q * 4 + st.role - 1;
      const admitAt = Math.max(st.t, Math.ceil((seconds - injury[q]) / SECONDS_PER_TENTH));
      const w = admitAt - st.t;
      if (advance(st, settings, admitAt) >= 0) {
        setWait(slot, DIED_WAITING);
        store(q);
        continue;
      }
      setWait(slot, w);
      admit(q, f);
    }
  };

  const step = (seconds: number, kind: number, p: number) => {
    if (kind === ARRIVE) arrive(p);
    else if (kind === RELEASE) {
      const f = held[p] - 1;
      held[p] = 0;
      occ[f]--;
      serve(f, seconds);
    } else if ((flags[p] & QUEUED) !== 0 && deathAt[p] === seconds) {
      flags[p] &= ~QUEUED;
      setWait(p * 4 + role[p] - 1, DIED_WAITING);
      held[p] = 0;
    }
  };

  // The point-of-injury leg touches no bed, and its first event is at least a tenth after the injury:
  // the buckets before an event's own can run before its patients start, keeping the calendar short.
  const scratchCore = clinicalCore(ctx, 0, 0);
  for (let e = 0; e < plan.eventCount; e++) {
    const second = plan.second[e];
    events.drain(step, Math.floor(second / SECONDS_PER_TENTH));
    const mass = plan.kind[e] !== 0 ? MASS : 0;
    for (let p = plan.start[e], last = p + plan.count[e]; p < last; p++) {
      const core = clinicalCore(ctx, p, e, scratchCore);
      injury[p] = second + core.offsetSeconds;
      type[p] = INJURY_TYPES.indexOf(core.type);
      tri0[p] = TRIAGE_INDEX[core.triage];
      sev[p] = core.severity;
      front[p] = plan.front[e];
      flags[p] = mass;
      load(p);
      if (startCourse(params, settings, courseRng(words, p, 0), st, null) === LEG.next)
        events.push(at(p, st.t), ARRIVE, p);
      store(p);
    }
  }
  events.drain(step);
  return { wait, longWaits, route };
}
