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
 * every pop walks memory at random. A bucket is a Float64Array whose element 0 counts its keys,
 * taken from a pool by size (powers of two) and given back once run: no garbage per event, and the
 * keys live outside the collected heap, so the collector never copies them.
 */
class Calendar {
  private readonly buckets: (Float64Array | undefined)[] = [];
  /** Free buckets by log2 of their length. */
  private readonly pool: Float64Array[][] = [];
  /** Index of the bucket being run; pushes must go later. */
  private current = -1;
  private last = -1;
  touched = 0;

  private take(size: number): Float64Array {
    const free = this.pool[size];
    return free !== undefined && free.length > 0 ? free.pop()! : new Float64Array(2 ** size);
  }

  private give(bucket: Float64Array): void {
    const size = Math.log2(bucket.length);
    (this.pool[size] ??= []).push(bucket);
  }

  push(seconds: number, kind: number, patient: number): void {
    const b = Math.floor(seconds / SECONDS_PER_TENTH);
    if (b <= this.current) throw new Error('capacity plan: an event scheduled into a bucket already run');
    const key = ((seconds - b * SECONDS_PER_TENTH) * 3 + kind) * KIND + patient;
    let bucket = this.buckets[b];
    if (bucket === undefined) {
      bucket = this.take(4);
      bucket[0] = 0;
      this.buckets[b] = bucket;
      if (b > this.last) this.last = b;
    }
    const count = bucket[0] + 1;
    if (count === bucket.length) {
      const larger = this.take(Math.log2(bucket.length) + 1);
      larger.set(bucket);
      this.give(bucket);
      bucket = larger;
      this.buckets[b] = bucket;
    }
    bucket[count] = key;
    bucket[0] = count;
  }

  /** Runs, in time order, every event in the buckets before `limit` (all when none), handing (second, kind, patient) to `run`. */
  drain(
    run: (seconds: number, kind: number, patient: number) => void,
    limit = Number.POSITIVE_INFINITY,
    touch?: (patient: number) => number,
  ): void {
    while (this.current < this.last && this.current + 1 < limit) {
      const b = ++this.current;
      const bucket = this.buckets[b];
      if (bucket === undefined) continue;
      this.buckets[b] = undefined;
      const end = bucket[0] + 1;
      bucket.subarray(1, end).sort();
      const base = b * SECONDS_PER_TENTH;
      if (touch !== undefined) {
        let sum = 0;
        for (let i = 1; i < end; i++) sum += touch(bucket[i] % KIND);
        this.touched += sum;
      }
      for (let i = 1; i < end; i++) {
        const key = bucket[i];
        const slot = Math.floor(key / KIND);
        const patient = key - slot * KIND;
        const kind = slot % 3;
        run(base + (slot - kind) / 3, kind, patient);
      }
      this.give(bucket);
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
/** The course has ended; the slot is freed when the bed it still holds is released. */
const DONE = 16;

/**
 * A patient's course state while it is in the system, one slot of SLOT_BYTES per patient in flight
 * (allocated when its course starts, freed when it ends), so the planner's working set is the
 * patients in flight, not the job, and a load touches one or two cache lines. Byte offsets:
 * 0 health (f64), 8 trend (f64), 16 time in tenths (i32), 20 injury second (u32), 24 death second
 * in a queue (u32), then one byte each from 28: flags, echelon, responsible echelon, triage, injury
 * type, first triage, severity, front, held (1 + facility), target (1 + facility diverted to).
 */
const SLOT_BYTES = 40;
const F64_STRIDE = SLOT_BYTES / 8;
const U32_STRIDE = SLOT_BYTES / 4;
const T_ = 4;
const INJURY_ = 5;
const DEATH_ = 6;
const FLAGS_ = 28;
const ROLE_ = 29;
const RESP_ = 30;
const TRI_ = 31;
const TYPE_ = 32;
const TRI0_ = 33;
const SEV_ = 34;
const FRONT_ = 35;
const HELD_ = 36;
const TARGET_ = 37;

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

  /** The slot of each patient in flight, or -1 (events of a patient whose course ended are stale). */
  const slotOf = new Int32Array(n).fill(-1);
  let slots = 0;
  let buffer = new ArrayBuffer(0);
  let F = new Float64Array(buffer);
  let I = new Int32Array(buffer);
  let U = new Uint32Array(buffer);
  let B = new Uint8Array(buffer);
  let free = new Int32Array(0);
  let freeCount = 0;
  const grow = () => {
    const more = Math.max(4096, slots * 2);
    const next = new ArrayBuffer(more * SLOT_BYTES);
    new Uint8Array(next).set(B);
    buffer = next;
    F = new Float64Array(buffer);
    I = new Int32Array(buffer);
    U = new Uint32Array(buffer);
    B = new Uint8Array(buffer);
    const list = new Int32Array(more);
    list.set(free.subarray(0, freeCount));
    // Lowest slots on top, so the slots in use stay packed together.
    for (let s = more - 1; s >= slots; s--) list[freeCount++] = s;
    free = list;
    slots = more;
  };
  const allocate = (p: number): number => {
    if (freeCount === 0) grow();
    const s = free[--freeCount];
    slotOf[p] = s;
    return s;
  };
  const release = (p: number) => {
    free[freeCount++] = slotOf[p];
    slotOf[p] = -1;
  };

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

  const load = (s: number) => {
    const b = s * SLOT_BYTES;
    const u = s * U32_STRIDE;
    st.h = F[s * F64_STRIDE];
    st.rate = F[s * F64_STRIDE + 1];
    st.t = I[u + T_];
    st.controlled = (B[b + FLAGS_] & CONTROLLED) !== 0;
    st.role = B[b + ROLE_];
    st.resp = B[b + RESP_];
    st.triage = TRIAGE_BY_INDEX[B[b + TRI_]];
    st.leave = 0;
    const tri0 = B[b + TRI0_];
    params.type = INJURY_TYPES[B[b + TYPE_]];
    params.triage = TRIAGE_BY_INDEX[tri0] as Triage;
    params.severity = B[b + SEV_];
    params.severityBand = BANDS[tri0];
  };
  const store = (s: number) => {
    const b = s * SLOT_BYTES;
    F[s * F64_STRIDE] = st.h;
    F[s * F64_STRIDE + 1] = st.rate;
    I[s * U32_STRIDE + T_] = st.t;
    B[b + FLAGS_] = st.controlled ? B[b + FLAGS_] | CONTROLLED : B[b + FLAGS_] & ~CONTROLLED;
    B[b + ROLE_] = st.role;
    B[b + RESP_] = st.resp;
    B[b + TRI_] = TRIAGE_INDEX[st.triage];
  };
  const at = (s: number, tenth: number) => U[s * U32_STRIDE + INJURY_] + tenth * SECONDS_PER_TENTH;
  const roomAt = (f: number) => f < 0 || cap[f] === 0 || occ[f] < cap[f];

  const admit = (p: number, s: number, f: number) => {
    const b = s * SLOT_BYTES;
    if (f >= 0 && cap[f] > 0) {
      occ[f]++;
      B[b + HELD_] = f + 1;
    }
    B[b + FLAGS_] &= ~DIVERTED;
    const outcome = stayAt(params, settings, courseRng(words, p, st.role), st, null);
    const holds = B[b + HELD_] !== 0;
    if (holds) events.push(at(s, st.leave), RELEASE, p);
    if (outcome === LEG.next) {
      events.push(at(s, st.t), ARRIVE, p);
      store(s);
    } else if (holds) B[b + FLAGS_] |= DONE;
    else release(p);
  };

  const arrive = (p: number, s: number) => {
    load(s);
    const b = s * SLOT_BYTES;
    const r = st.role;
    const slot = p * 4 + r - 1;
    const front = B[b + FRONT_];
    const f = B[b + TARGET_] !== 0 ? B[b + TARGET_] - 1 : homeOf(net, words, p, r, front);
    B[b + TARGET_] = 0;
    if (roomAt(f)) return admit(p, s, f);
    if ((B[b + FLAGS_] & DIVERTED) === 0) {
      B[b + FLAGS_] |= DIVERTED;
      let best = -1;
      let bestFree = 0;
      for (const g of net.serving[r][front]) {
        if (g === f) continue;
        const free = cap[g] === 0 ? Number.POSITIVE_INFINITY : cap[g] - occ[g];
        if (free > bestFree) {
          best = g;
          bestFree = free;
        }
      }
      const onward = best < 0 && r < 4 && roomAt(homeOf(net, words, p, r + 1, front));
      if (best >= 0 || onward) {
        route[slot] = onward ? ONWARD : best + 1;
        const travel = divertTravel(words, settings, p, r, onward, travelTriage(st));
        // Died on the way: the course ends here (the patient holds no bed while travelling).
        if (advance(st, settings, st.t + travel) >= 0) return release(p);
        if (onward) {
          st.role = r + 1;
          B[b + FLAGS_] &= ~DIVERTED;
        } else B[b + TARGET_] = best + 1;
        events.push(at(s, st.t), ARRIVE, p);
        return store(s);
      }
    }
    if (expectant(st.h, (B[b + FLAGS_] & MASS) !== 0)) {
      route[slot] |= EXPECTANT;
      st.triage = 'T4';
    }
    const rank = st.triage === 'T4' ? 3 : TRIAGE_INDEX[triageOf(st.h)];
    B[b + FLAGS_] |= QUEUED;
    B[b + HELD_] = f + 1;
    const injury = U[s * U32_STRIDE + INJURY_];
    queues[f].push(rank * QUEUE_RANK + injury + st.t * SECONDS_PER_TENTH, p);
    copyState(scratch, st);
    const dies = advance(scratch, settings, st.t + FOREVER);
    // A death beyond 2^32 s (a near-zero kia_rate) is left to the admission check in serve().
    const death = Math.min(dies >= 0 ? injury + dies * SECONDS_PER_TENTH : NEVER, NEVER);
    U[s * U32_STRIDE + DEATH_] = death;
    if (death !== NEVER) events.push(death, QUEUE_DEATH, p);
    store(s);
  };

  const serve = (f: number, seconds: number) => {
    const queue = queues[f];
    while (occ[f] < cap[f] && queue.size > 0) {
      const q = queue.pop();
      // A patient who died in this queue left its entry behind.
      const s = slotOf[q];
      if (s < 0 || (B[s * SLOT_BYTES + FLAGS_] & QUEUED) === 0) continue;
      B[s * SLOT_BYTES + FLAGS_] &= ~QUEUED;
      B[s * SLOT_BYTES + HELD_] = 0;
      load(s);
      const slot = q * 4 + st.role - 1;
      const injury = U[s * U32_STRIDE + INJURY_];
      const admitAt = Math.max(st.t, Math.ceil((seconds - injury) / SECONDS_PER_TENTH));
      const w = admitAt - st.t;
      if (advance(st, settings, admitAt) >= 0) {
        setWait(slot, DIED_WAITING);
        release(q);
        continue;
      }
      setWait(slot, w);
      admit(q, s, f);
    }
  };

  // Reads each patient's slot before the bucket runs: independent loads the processor overlaps.
  const touch = (p: number) => {
    const s = slotOf[p];
    return s < 0 ? 0 : B[s * SLOT_BYTES + FLAGS_];
  };
  const step = (seconds: number, kind: number, p: number) => {
    const s = slotOf[p];
    // A queue death left pending by a patient admitted (or dead) since.
    if (s < 0) return;
    if (kind === ARRIVE) arrive(p, s);
    else if (kind === RELEASE) {
      const b = s * SLOT_BYTES;
      const f = B[b + HELD_] - 1;
      B[b + HELD_] = 0;
      if ((B[b + FLAGS_] & DONE) !== 0) release(p);
      occ[f]--;
      serve(f, seconds);
    } else {
      const b = s * SLOT_BYTES;
      if ((B[b + FLAGS_] & QUEUED) !== 0 && U[s * U32_STRIDE + DEATH_] === seconds) {
        setWait(p * 4 + B[b + ROLE_] - 1, DIED_WAITING);
        release(p);
      }
    }
  };

  // The point-of-injury leg touches no bed, and its first event is at least a tenth after the injury:
  // the buckets before an event's own can run before its patients start, keeping the calendar short.
  const scratchCore = clinicalCore(ctx, 0, 0);
  for (let e = 0; e < plan.eventCount; e++) {
    const second = plan.second[e];
    events.drain(step, Math.floor(second / SECONDS_PER_TENTH), touch);
    const mass = plan.kind[e] !== 0 ? MASS : 0;
    const front = plan.front[e];
    for (let p = plan.start[e], last = p + plan.count[e]; p < last; p++) {
      const core = clinicalCore(ctx, p, e, scratchCore);
      const tri0 = TRIAGE_INDEX[core.triage];
      params.type = core.type;
      params.triage = core.triage;
      params.severity = core.severity;
      params.severityBand = BANDS[tri0];
      if (startCourse(params, settings, courseRng(words, p, 0), st, null) !== LEG.next) continue;
      const s = allocate(p);
      const b = s * SLOT_BYTES;
      const injury = second + core.offsetSeconds;
      U[s * U32_STRIDE + INJURY_] = injury;
      B[b + TYPE_] = INJURY_TYPES.indexOf(core.type);
      B[b + TRI0_] = tri0;
      B[b + SEV_] = core.severity;
      B[b + FRONT_] = front;
      B[b + FLAGS_] = mass;
      B[b + HELD_] = 0;
      B[b + TARGET_] = 0;
      events.push(injury + st.t * SECONDS_PER_TENTH, ARRIVE, p);
      store(s);
    }
  }
  events.drain(step, undefined, touch);
  return { wait, longWaits, route };
}
