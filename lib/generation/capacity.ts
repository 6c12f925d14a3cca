/**
 * Facility capacity, queues and diversion, planned over the whole job (memory/decisions/0910-capacity-and-health.md;
 * the planner's memory: 0915-capacity-plan-slots.md).
 *
 * Beds are shared by every patient of a job, so they are planned in the planning pass, in time order
 * over all patients: a discrete-event simulation (a calendar of arrivals, bed releases, deaths in a
 * queue and hold checks, one bucket per tenth of an hour; a heap per facility queue) steps each patient's course leg by leg (course.ts, one random stream per leg) and keeps
 * only what a patient cannot work out alone: how long it waited at each echelon and where it was
 * diverted to, in typed arrays. The patient builder replays its own course with those, so any patient
 * range gives the same bytes as the whole job.
 *
 * Policy at a full facility, like the original's overflow router: (1) another facility of the same
 * role serving the patient's front with a free bed (the most free beds; a short extra drive), else
 * (2) on to the next echelon if the patient's facility there has a free bed (or no limit), else
 * (3) wait in the facility's queue, most urgent first (T1, T2, T3, then T4), then by arrival. A
 * patient is diverted at most once per echelon. In a queue it deteriorates untreated and may die.
 * Under an evacuation policy, a casualty about to be held until fit at a Role 2 or 3 with no free bed
 * is evacuated onward instead (memory/decisions/0941-full-facility-evacuates-instead-of-holding.md).
 */
import { DIVERSION_HOURS, FACILITIES, type InjuryType, TRANSIT_HOURS, type Triage } from '../data/index.js';
import { clinicalCore } from './clinical.js';
import type { GenerationContext } from './context.js';
import {
  advance,
  type CourseSettings,
  type CourseState,
  copyState,
  expectant,
  LEG,
  newParams,
  newState,
  POI,
  ROLE2,
  ROLE3,
  ROLE4,
  restBeforeDutyTenths,
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
  /**
   * 1 where the evacuation policy would have held the casualty until fit, but its facility had no free
   * bed when the hold would begin, so it was evacuated onward instead.
   */
  readonly holdRefused: Uint8Array;
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

/**
 * A binary min-heap of (key, id) pairs in typed arrays, each carrying a value: ties broken by id, so
 * the order is total.
 */
class Heap {
  keys = new Float64Array(1024);
  ids = new Int32Array(1024);
  vals = new Int32Array(1024);
  size = 0;
  /** The value of the pair pop() returned last. */
  val = 0;

  push(key: number, id: number, val: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      this.ids = ids;
      const vals = new Int32Array(this.size * 2);
      vals.set(this.vals);
      this.vals = vals;
    }
    let i = this.size++;
    const { keys, ids, vals } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] < key || (keys[parent] === key && ids[parent] < id)) break;
      keys[i] = keys[parent];
      ids[i] = ids[parent];
      vals[i] = vals[parent];
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
    vals[i] = val;
  }

  /** Removes the smallest pair and returns its id (its value in `val`). */
  pop(): number {
    const { keys, ids, vals } = this;
    const top = ids[0];
    this.val = vals[0];
    const n = --this.size;
    if (n === 0) return top;
    const key = keys[n];
    const id = ids[n];
    const val = vals[n];
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
      vals[i] = vals[child];
      i = child;
    }
    keys[i] = key;
    ids[i] = id;
    vals[i] = val;
    return top;
  }
}

/**
 * Event kinds, in the order they run at one second: beds freed first. A release names the facility,
 * not the patient (which releases of one second run first changes nothing: each serves its own
 * facility's queue). A hold check is the moment a casualty would begin to be held until fit.
 */
const RELEASE = 0;
const QUEUE_DEATH = 1;
const HOLD_CHECK = 2;
const ARRIVE = 3;
const KINDS = 4;
const KIND = 2 ** 26;

/**
 * Doubles of an arrival's record: health, trend, a word (the injury second + TARGET_UNIT × (target +
 * FACILITY_CODES × the critical time in tenths, `criticalUntil`), below 2^49), packed fields (below).
 */
const RECORD = 4;
const TARGET_UNIT = 2 ** 32;
/**
 * More than any facility index, or index + 1 (route codes keep 6 bits of one): the base a record's
 * target (the index + 1, 0 for none) and a hold's facility are packed in.
 */
const FACILITY_CODES = 64;

/**
 * The pending events, in buckets of one tenth of an hour (360 s). Every event an event schedules is
 * at least a tenth later, so a bucket is complete when its turn comes: it is sorted once, by
 * (second, kind, patient or facility), and run in that order. Cheaper than a heap of a million
 * events, whose every pop walks memory at random.
 *
 * An arrival carries the patient's whole course state in a record of its bucket, so the state of a
 * patient on its way lives in the bucket it arrives in, written once and read in the same tenth: the
 * planner keeps nothing per patient in flight, and a tenth's events read memory close together. A
 * bucket is two Float64Arrays (element 0 counts): the (key, value) pairs, sorted when it runs (the
 * value: the arrival's record, or the slot of a queue death), and the records. They are taken from a
 * pool by size (powers of two) and given back once run: no garbage per event, and the collector never
 * copies them.
 */
class Calendar {
  private readonly keys: (Float64Array | undefined)[] = [];
  private readonly records: (Float64Array | undefined)[] = [];
  /** Free arrays by log2 of their length. */
  private readonly pool: Float64Array[][] = Array.from({ length: 32 }, () => []);
  /** Index of the bucket being run; pushes must go later. */
  private current = -1;
  private last = -1;
  /** The records of the bucket being run; after arrival(), of the bucket just scheduled into. */
  record: Float64Array = new Float64Array(0);
  /** Sum of the values read ahead (kept, so the reads are not dropped as dead code). */
  touched = 0;

  /** A bucket's pairs in key order (reused: a bucket runs to its end before the next is sorted). */
  private order = new Float64Array(1024);
  /** Pairs per (second, kind) of a bucket, then where each group starts. */
  private readonly groups = new Int32Array(SECONDS_PER_TENTH * KINDS + 1);

  /**
   * The pairs of a bucket sorted by key into `order`: counted out by (second, kind), the top of the
   * key (a tenth has 1440 of them, about as many as a busy bucket has events), then an insertion
   * sort that only moves the few pairs sharing one, by id. Linear, where a comparison sort is not.
   */
  private sort(keys: Float64Array): Float64Array {
    const end = keys[0] + 1;
    const groups = this.groups;
    groups.fill(0);
    for (let i = 1; i < end; i += 2) groups[Math.floor(keys[i] / KIND) + 1]++;
    for (let g = 1; g < groups.length; g++) groups[g] += groups[g - 1];
    if (this.order.length < end) this.order = new Float64Array(2 ** Math.ceil(Math.log2(end)));
    const order = this.order;
    for (let i = 1; i < end; i += 2) {
      const key = keys[i];
      const at = groups[Math.floor(key / KIND)]++ * 2;
      order[at] = key;
      order[at + 1] = keys[i + 1];
    }
    for (let i = 2; i < end - 1; i += 2) {
      const key = order[i];
      if (order[i - 2] <= key) continue;
      const value = order[i + 1];
      let j = i - 2;
      while (j >= 0 && order[j] > key) {
        order[j + 2] = order[j];
        order[j + 3] = order[j + 1];
        j -= 2;
      }
      order[j + 2] = key;
      order[j + 3] = value;
    }
    return order;
  }

  private take(size: number): Float64Array {
    const free = this.pool[size];
    const array = free.length > 0 ? free.pop()! : new Float64Array(2 ** size);
    array[0] = 0;
    return array;
  }

  private give(array: Float64Array): void {
    this.pool[Math.log2(array.length)].push(array);
  }

  /** Room for `more` doubles after the count of the bucket b in `table`. */
  private room(table: (Float64Array | undefined)[], b: number, more: number): Float64Array {
    let array = table[b];
    if (array === undefined) {
      array = this.take(6);
      table[b] = array;
      if (b > this.last) this.last = b;
    }
    if (array[0] + more >= array.length) {
      const larger = this.take(Math.log2(array.length) + 1);
      larger.set(array);
      this.give(array);
      array = larger;
      table[b] = array;
    }
    return array;
  }

  private bucketOf(seconds: number): number {
    const b = Math.floor(seconds / SECONDS_PER_TENTH);
    if (b <= this.current) throw new Error('capacity plan: an event scheduled into a bucket already run');
    return b;
  }

  /** Schedules a release of facility f, or the queue death or hold check of a patient (value: its slot). */
  push(seconds: number, kind: number, id: number, value: number): void {
    this.pair(this.bucketOf(seconds), seconds, kind, id, value);
  }

  private pair(b: number, seconds: number, kind: number, id: number, value: number): void {
    const keys = this.room(this.keys, b, 2);
    const at = keys[0] + 1;
    keys[at] = ((seconds - b * SECONDS_PER_TENTH) * KINDS + kind) * KIND + id;
    keys[at + 1] = value;
    keys[0] = at + 1;
  }

  /** Schedules the arrival of patient p and returns its record (the index of its first double in `record`) to fill. */
  arrival(seconds: number, p: number): number {
    const b = this.bucketOf(seconds);
    const records = this.room(this.records, b, RECORD);
    const at = records[0] + 1;
    records[0] = at + RECORD - 1;
    this.record = records;
    this.pair(b, seconds, ARRIVE, p, at);
    return at;
  }

  /**
   * Runs, in time order, every event in the buckets before `limit` (all when none), handing
   * (second, kind, id, value) to `run`; during an arrival, `record` holds its record.
   */
  drain(
    run: (seconds: number, kind: number, id: number, value: number) => void,
    limit = Number.POSITIVE_INFINITY,
  ): void {
    while (this.current < this.last && this.current + 1 < limit) {
      const b = ++this.current;
      const keys = this.keys[b];
      if (keys === undefined) continue;
      this.keys[b] = undefined;
      const records = this.records[b];
      this.records[b] = undefined;
      if (records !== undefined) {
        // One read a cache line, in order: the records are then at hand when the arrivals read them
        // in time order.
        let sum = 0;
        for (let i = 1, last = records[0]; i <= last; i += 8) sum += records[i];
        this.touched += sum;
        this.record = records;
      }
      const order = this.sort(keys);
      const end = keys[0];
      this.give(keys);
      const base = b * SECONDS_PER_TENTH;
      for (let i = 0; i < end; i += 2) {
        const key = order[i];
        const top = Math.floor(key / KIND);
        const id = key - top * KIND;
        const kind = top % KINDS;
        // The run before may have scheduled an arrival, pointing `record` at a later bucket.
        if (records !== undefined) this.record = records;
        run(base + (top - kind) / KINDS, kind, id, order[i + 1]);
      }
      if (records !== undefined) this.give(records);
    }
  }
}

const TRIAGE_BY_INDEX = ['T1', 'T2', 'T3', 'T4'] as const;
const QUEUE_RANK = 2 ** 40;
/** Far enough to find a queued patient's death, whenever it comes. */
const FOREVER = 2 ** 30;

/**
 * Packed fields of a course state (an integer below 2^31): flags (bits 0-2), echelon × 5 + responsible
 * echelon (3-7: `PLACES`, both 0-4; memory/decisions/0949), triage (8-9), course kind (10-11:
 * `courseKind`), first triage and severity as one pair (12-15: `triageSeverityField`, decision 0952),
 * an illness controlled by its operation (16: `OPERATED`), bit 17 free, front (18-23: LIMITS.fronts
 * is 50), a rest
 * before duty (24: an injury's is a concussion's, an illness's a contagious or febrile one's isolation;
 * memory/decisions/0947), a moderate fracture healing (25), a tourniquet on (26), a brain injury (27), a
 * major operation ahead (28), the first echelon of a return to duty when Role 2, 3 or 4 (29-30:
 * `DUTY_FROM`; 0 for the point of injury or Role 1, which a stay from Role 1 on need not tell apart,
 * the point of injury's leg being planned with the clinical core).
 */
const CONTROLLED = 1;
const DIVERTED = 2;
const MASS = 4;
const PLACE_SHIFT = 3;
const PLACE_MASK = 31;
/** Echelons a place packs (POI, Role 1-4): place = echelon × PLACES + responsible echelon. */
const PLACES = 5;
/** The place field of a packed course state. */
const placeOf = (packed: number) => (packed >> PLACE_SHIFT) & PLACE_MASK;
const TRI_SHIFT = 8;
const TYPE_SHIFT = 10;
const TRIAGE_SEVERITY_SHIFT = 12;
const OPERATED = 1 << 16;
const FRONT_SHIFT = 18;
const FRONT_MASK = 63;
const RESTS_BEFORE_DUTY = 1 << 24;
const FRACTURE_HEALING = 1 << 25;
const TOURNIQUET = 1 << 26;
const HEAD_INJURY = 1 << 27;
const MAJOR_SURGERY = 1 << 28;
const DUTY_FROM_SHIFT = 29;
/** The first echelon of a return to duty by its packed field: Role 4 takes Role 1's unused value. */
const DUTY_FROM = [POI, ROLE4, ROLE2, ROLE3] as const;
const dutyFromField = (role: number) => (role === ROLE4 ? 1 : role >= ROLE2 ? role : 0);

/**
 * A queued patient's state, in a slot of SLOT doubles (taken when it queues, given back when a bed
 * or death ends its wait): an arrival's record, then its time (tenths), its death second in the
 * queue and its index (a slot outlives a stale queue entry or death event, so both check the index).
 * A casualty about to be held until fit keeps its state on admission in a slot too, until its hold
 * check: its death second is NO_DEATH, and SLOT_HOLD holds the second its bed frees when it is held,
 * times FACILITY_CODES, plus the facility.
 */
const SLOT = 8;
const SLOT_T = 4;
const SLOT_DEATH = 5;
const SLOT_PATIENT = 6;
const SLOT_HOLD = 7;
const NO_DEATH = -1;
/** Marks a slot not in use. */
const VACANT = -1;

function triageIndex(t: string): number {
  return t === 'T1' ? 0 : t === 'T2' ? 1 : t === 'T3' ? 2 : 3;
}
const INJURY_TYPES = ['DISEASE', 'NON_BATTLE', 'BATTLE_TRAUMA'] as const;
const NOT_A_WOUND = 3;
/**
 * The injury type's index, or 3 for a non-battle injury that is no wound (a heat or cold injury): the
 * course's `type` and `wound` in the two bits of one field (memory/decisions/0948).
 */
function courseKind(type: InjuryType, wound: boolean): number {
  return type === 'DISEASE' ? 0 : type === 'NON_BATTLE' ? (wound ? 1 : NOT_A_WOUND) : 2;
}
/** Severity band by first triage (T1..T3), as clinicalCore draws it. */
const BANDS = [
  [7, 10],
  [4, 7],
  [1, 4],
] as const;

/**
 * The first triage (0-2) and the severity as one four-bit pair: each triage's band holds four
 * severities, so a pair is the triage × 4 plus the severity's place in its band (decision 0952).
 */
function triageSeverityField(tri0: number, severity: number): number {
  const place = severity - BANDS[tri0][0];
  if (place < 0 || place > 3)
    throw new RangeError(`severity ${severity} outside triage ${TRIAGE_BY_INDEX[tri0]}'s band`);
  return tri0 * 4 + place;
}

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
  const holdRefused = new Uint8Array(n * 4);

  // Queued patients' slots, and the free ones.
  let queued = new Float64Array(0);
  let free = new Int32Array(0);
  let freeCount = 0;
  const allocate = (): number => {
    if (freeCount === 0) {
      const slots = queued.length / SLOT;
      const more = Math.max(1024, slots * 2);
      const larger = new Float64Array(more * SLOT);
      larger.set(queued);
      queued = larger;
      const list = new Int32Array(more);
      list.set(free.subarray(0, freeCount));
      for (let s = more - 1; s >= slots; s--) {
        larger[s * SLOT + SLOT_PATIENT] = VACANT;
        list[freeCount++] = s;
      }
      free = list;
    }
    return free[--freeCount];
  };
  const vacate = (s: number) => {
    queued[s * SLOT + SLOT_PATIENT] = VACANT;
    free[freeCount++] = s;
  };

  const cap = net.facilities.map((f) => f.capacity);
  const occ = new Int32Array(cap.length);
  const queues = cap.map(() => new Heap());
  const events = new Calendar();

  const st = newState();
  const scratch = newState();
  const admitted = newState();
  const params = newParams();
  // The patient being stepped, beside st and params.
  let injury = 0;
  let packed = 0;
  let target = 0;

  /** Reads a record (an arrival's, or a slot's) at a[i] into st, params and the variables above. */
  const load = (a: Float64Array, i: number, t: number) => {
    st.h = a[i];
    st.rate = a[i + 1];
    const word = a[i + 2];
    const high = Math.floor(word / TARGET_UNIT);
    injury = word - high * TARGET_UNIT;
    st.criticalUntil = Math.floor(high / FACILITY_CODES);
    target = high - st.criticalUntil * FACILITY_CODES;
    packed = a[i + 3];
    st.t = t;
    st.controlled = (packed & CONTROLLED) !== 0;
    const place = placeOf(packed);
    st.role = Math.floor(place / PLACES);
    st.resp = place - st.role * PLACES;
    st.triage = TRIAGE_BY_INDEX[(packed >> TRI_SHIFT) & 3];
    st.leave = 0;
    const pair = (packed >> TRIAGE_SEVERITY_SHIFT) & 15;
    const tri0 = pair >> 2;
    const kind = (packed >> TYPE_SHIFT) & 3;
    params.type = INJURY_TYPES[kind === NOT_A_WOUND ? 1 : kind];
    params.wound = kind === 1 || kind === 2;
    params.triage = TRIAGE_BY_INDEX[tri0] as Triage;
    params.severity = BANDS[tri0][0] + (pair & 3);
    params.severityBand = BANDS[tri0];
    params.tourniquet = (packed & TOURNIQUET) !== 0;
    params.headInjury = (packed & HEAD_INJURY) !== 0;
    params.majorSurgery = (packed & MAJOR_SURGERY) !== 0;
    params.fractureHealing = (packed & FRACTURE_HEALING) !== 0;
    params.controlledByOperation = (packed & OPERATED) !== 0;
    params.firstDutyRole = DUTY_FROM[(packed >> DUTY_FROM_SHIFT) & 3];
    params.dutyNotBefore = (packed & RESTS_BEFORE_DUTY) === 0 ? 0 : restBeforeDutyTenths(params.type);
  };
  /** Writes st and the variables above as a record at a[i]. */
  const store = (a: Float64Array, i: number) => {
    a[i] = st.h;
    a[i + 1] = st.rate;
    a[i + 2] = injury + (target + st.criticalUntil * FACILITY_CODES) * TARGET_UNIT;
    packed =
      (packed & ~(CONTROLLED | (PLACE_MASK << PLACE_SHIFT) | (3 << TRI_SHIFT))) |
      (st.controlled ? CONTROLLED : 0) |
      ((st.role * PLACES + st.resp) << PLACE_SHIFT) |
      (triageIndex(st.triage) << TRI_SHIFT);
    a[i + 3] = packed;
  };
  /** Schedules the patient's next arrival, at st.t. */
  const arriveLater = (p: number) => {
    const i = events.arrival(injury + st.t * SECONDS_PER_TENTH, p);
    store(events.record, i);
  };
  const roomAt = (f: number) => f < 0 || cap[f] === 0 || occ[f] < cap[f];

  /** Admits patient p (loaded) at facility f (-1: none configured) and runs its stay. */
  const admit = (p: number, f: number) => {
    packed &= ~DIVERTED;
    const holds = f >= 0 && cap[f] > 0;
    if (holds) occ[f]++;
    // Only a stay at a limited Role 2 or 3 under a policy may end in a hold to check later.
    const mayHold = holds && settings.policy >= 0 && st.role < ROLE4;
    if (mayHold) copyState(admitted, st);
    const packedOnAdmission = packed;
    const outcome = stayAt(params, settings, courseRng(words, p, st.role), st, null);
    if (mayHold && st.holdFrom >= 0) {
      // Held until fit at Role 2 or 3: whether its bed is needed is known only when the hold begins.
      const release = injury + st.leave * SECONDS_PER_TENTH;
      const check = injury + st.holdFrom * SECONDS_PER_TENTH;
      const s = allocate();
      const q = s * SLOT;
      copyState(st, admitted);
      packed = packedOnAdmission;
      store(queued, q);
      queued[q + SLOT_T] = st.t;
      queued[q + SLOT_DEATH] = NO_DEATH;
      queued[q + SLOT_PATIENT] = p;
      queued[q + SLOT_HOLD] = release * FACILITY_CODES + f;
      events.push(check, HOLD_CHECK, p, s);
      return;
    }
    if (holds) events.push(injury + st.leave * SECONDS_PER_TENTH, RELEASE, f, 0);
    if (outcome === LEG.next) arriveLater(p);
  };

  /**
   * The moment patient p would begin to be held until fit (its state on admission in slot s): held,
   * if its facility has a free bed; else evacuated onward now, freeing its bed for those waiting
   * (memory/decisions/0941-full-facility-evacuates-instead-of-holding.md).
   */
  const holdCheck = (p: number, seconds: number, s: number) => {
    const q = s * SLOT;
    const word = queued[q + SLOT_HOLD];
    const f = word % FACILITY_CODES;
    if (occ[f] < cap[f]) {
      vacate(s);
      events.push((word - f) / FACILITY_CODES, RELEASE, f, 0);
      return;
    }
    load(queued, q, queued[q + SLOT_T]);
    vacate(s);
    holdRefused[p * 4 + st.role - 1] = 1;
    const outcome = stayAt(params, settings, courseRng(words, p, st.role), st, null, true);
    occ[f]--;
    if (outcome === LEG.next) arriveLater(p);
    serve(f, seconds);
  };

  const arrive = (p: number, seconds: number, i: number) => {
    load(events.record, i, (seconds - injury0(events.record, i)) / SECONDS_PER_TENTH);
    const r = st.role;
    const slot = p * 4 + r - 1;
    const front = (packed >> FRONT_SHIFT) & FRONT_MASK;
    const f = target !== 0 ? target - 1 : homeOf(net, words, p, r, front);
    target = 0;
    if (roomAt(f)) return admit(p, f);
    if ((packed & DIVERTED) === 0) {
      packed |= DIVERTED;
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
        // Died on the way: the course ends here.
        if (advance(st, settings, st.t + travel) >= 0) return;
        if (onward) {
          st.role = r + 1;
          packed &= ~DIVERTED;
        } else target = best + 1;
        return arriveLater(p);
      }
    }
    if (expectant(st.h, (packed & MASS) !== 0)) {
      route[slot] |= EXPECTANT;
      st.triage = 'T4';
    }
    const rank = st.triage === 'T4' ? 3 : triageIndex(triageOf(st.h));
    const s = allocate();
    queues[f].push(rank * QUEUE_RANK + injury + st.t * SECONDS_PER_TENTH, p, s);
    copyState(scratch, st);
    const dies = advance(scratch, settings, st.t + FOREVER);
    // A death beyond 2^32 s (a near-zero kia_rate) is left to the admission check in serve().
    const death = Math.min(dies >= 0 ? injury + dies * SECONDS_PER_TENTH : NEVER, NEVER);
    const q = s * SLOT;
    store(queued, q);
    queued[q + SLOT_T] = st.t;
    queued[q + SLOT_DEATH] = death;
    queued[q + SLOT_PATIENT] = p;
    if (death !== NEVER) events.push(death, QUEUE_DEATH, p, s);
  };

  const serve = (f: number, seconds: number) => {
    const queue = queues[f];
    while (occ[f] < cap[f] && queue.size > 0) {
      const p = queue.pop();
      const s = queue.val;
      const q = s * SLOT;
      // A patient who died in this queue left its entry behind (its slot may serve another since).
      if (queued[q + SLOT_PATIENT] !== p) continue;
      load(queued, q, queued[q + SLOT_T]);
      vacate(s);
      const slot = p * 4 + st.role - 1;
      const admitAt = Math.max(st.t, Math.ceil((seconds - injury) / SECONDS_PER_TENTH));
      const w = admitAt - st.t;
      if (advance(st, settings, admitAt) >= 0) {
        setWait(slot, DIED_WAITING);
        continue;
      }
      setWait(slot, w);
      admit(p, f);
    }
  };

  const step = (seconds: number, kind: number, id: number, value: number) => {
    if (kind === ARRIVE) return arrive(id, seconds, value);
    if (kind === RELEASE) {
      occ[id]--;
      return serve(id, seconds);
    }
    if (kind === HOLD_CHECK) return holdCheck(id, seconds, value);
    // A queue death, unless the patient left that queue since (admitted, or queued again elsewhere).
    const q = value * SLOT;
    if (queued[q + SLOT_PATIENT] === id && queued[q + SLOT_DEATH] === seconds) {
      setWait(id * 4 + Math.floor(placeOf(queued[q + 3]) / PLACES) - 1, DIED_WAITING);
      vacate(value);
    }
  };

  // The point-of-injury leg touches no bed, and its first event is at least a tenth after the injury:
  // the buckets before an event's own can run before its patients start, keeping the calendar short.
  const scratchCore = clinicalCore(ctx, 0, 0);
  for (let e = 0; e < plan.eventCount; e++) {
    const second = plan.second[e];
    events.drain(step, Math.floor(second / SECONDS_PER_TENTH));
    const start = (plan.kind[e] !== 0 ? MASS : 0) | ((plan.front[e] & FRONT_MASK) << FRONT_SHIFT);
    for (let p = plan.start[e], last = p + plan.count[e]; p < last; p++) {
      const core = clinicalCore(ctx, p, e, scratchCore);
      const tri0 = triageIndex(core.triage);
      params.type = core.type;
      params.triage = core.triage;
      params.severity = core.severity;
      params.severityBand = BANDS[tri0];
      params.limb = core.limb;
      params.wound = core.wound;
      params.firstDutyRole = core.firstDutyRole;
      params.dutyNotBefore = core.dutyNotBefore;
      params.majorSurgery = core.majorSurgery;
      params.fractureHealing = core.fractureHealing;
      params.tourniquet = core.tourniquet;
      params.headInjury = core.headInjury;
      params.lethal = core.lethal;
      params.burnShock = core.burnShock;
      params.controlledByOperation = core.controlledByOperation;
      params.bleedingSeverity = core.bleedingSeverity;
      params.criticalUntil = core.criticalUntil;
      if (startCourse(params, settings, courseRng(words, p, 0), st, null) !== LEG.next) continue;
      injury = second + core.offsetSeconds;
      target = 0;
      packed =
        start |
        (courseKind(core.type, core.wound) << TYPE_SHIFT) |
        (triageSeverityField(tri0, core.severity) << TRIAGE_SEVERITY_SHIFT) |
        (core.tourniquet ? TOURNIQUET : 0) |
        (core.headInjury ? HEAD_INJURY : 0) |
        (core.majorSurgery ? MAJOR_SURGERY : 0) |
        (core.fractureHealing ? FRACTURE_HEALING : 0) |
        (core.controlledByOperation ? OPERATED : 0) |
        (dutyFromField(core.firstDutyRole) << DUTY_FROM_SHIFT) |
        (core.dutyNotBefore > 0 ? RESTS_BEFORE_DUTY : 0);
      arriveLater(p);
    }
  }
  events.drain(step);
  return { wait, longWaits, route, holdRefused };
}

/** The injury second of a record at a[i]. */
function injury0(a: Float64Array, i: number): number {
  const word = a[i + 2];
  return word - Math.floor(word / TARGET_UNIT) * TARGET_UNIT;
}
