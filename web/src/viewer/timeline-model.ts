/**
 * The viewer's compact model of a patients file (DOM-free; built in the parse worker, read on the page).
 *
 * Each patient becomes a short list of (time, state) steps from its movement_timeline; a state is a
 * place in the flow (at a facility, awaiting evacuation from it, in transit towards it) or an end (KIA,
 * DOW, RTD where it happened). Everything lives in typed arrays plus small string tables, so 100,000
 * patients fit in a few MB and move between worker and page as transferred buffers.
 * The index over these steps is in timeline-index.ts; the model is described in
 * memory/decisions/0720-viewer-timeline-index.md.
 */

export const COLUMNS = ['POI', 'Role 1', 'Role 2', 'Role 3', 'Role 4'] as const;
export const COLUMN_COUNT = COLUMNS.length;

/**
 * How a live patient relates to a column. Convalescing: discharged to convalesce out of hospital (Role
 * 4, record schema 2.1) or to rest in quarters (any echelon, 2.3) until its return to duty, in the
 * column's care but in none of its beds.
 */
export const KIND = { at: 0, waiting: 1, inbound: 2, convalescing: 3 } as const;
const KIND_COUNT = Object.keys(KIND).length;
/** Ends, counted where they happened. */
export const END = { KIA: 0, DOW: 1, RTD: 2 } as const;
const END_COUNT = Object.keys(END).length;

/** Not yet injured at the time shown. */
export const PENDING = 0;
const LIVE_BASE = 1;
const END_BASE = LIVE_BASE + COLUMN_COUNT * KIND_COUNT;
export const STATE_COUNT = END_BASE + COLUMN_COUNT * END_COUNT;

export const liveState = (column: number, kind: number): number => LIVE_BASE + column * KIND_COUNT + kind;
export const endState = (column: number, end: number): number => END_BASE + column * END_COUNT + end;
export const isLive = (state: number): boolean => state >= LIVE_BASE && state < END_BASE;
export const isEnd = (state: number): boolean => state >= END_BASE;
/** Column of a live or end state (-1 for PENDING). */
export const stateColumn = (state: number): number =>
  state < LIVE_BASE
    ? -1
    : state < END_BASE
      ? Math.floor((state - LIVE_BASE) / KIND_COUNT)
      : Math.floor((state - END_BASE) / END_COUNT);
/** Kind of a live state. */
export const stateKind = (state: number): number => (state - LIVE_BASE) % KIND_COUNT;

export const TRIAGES = ['T1', 'T2', 'T3'] as const;
export const OUTCOMES = ['KIA', 'DOW', 'RTD', 'Remains_Role4', 'In care'] as const;
export const OUTCOME_LABELS = ['KIA', 'DOW', 'RTD', 'Remains at Role 4', 'Still in care'] as const;

/** What the page receives: one entry per accepted patient, events grouped per patient. */
export interface ViewerData {
  readonly count: number;
  /** Earliest injury and the end of the timeline (latest event + 6 h), epoch seconds. */
  readonly start: number;
  readonly end: number;
  /** The latest injury, epoch seconds. */
  readonly lastInjury: number;
  readonly nation: Uint16Array;
  readonly front: Uint16Array;
  readonly triage: Uint8Array;
  readonly outcome: Uint8Array;
  readonly condition: Uint32Array;
  readonly nations: readonly string[];
  readonly fronts: readonly string[];
  readonly conditions: readonly string[];
  /** Card labels ("T. Räsänen"), concatenated; patient i is names.slice(nameOffset[i], nameOffset[i+1]). */
  readonly names: string;
  readonly nameOffset: Uint32Array;
  /** Patient i's steps are evTime/evState[evOffset[i] .. evOffset[i+1]); the state entered at that time. */
  readonly evOffset: Uint32Array;
  readonly evTime: Float64Array;
  readonly evState: Uint8Array;
  readonly evPatient: Uint32Array;
  /** Every step, sorted by time (ties in file order). */
  readonly order: Uint32Array;
  readonly records: number;
  readonly rejected: number;
  /** The first few rejection reasons. */
  readonly reasons: readonly string[];
}

/** Buffers to transfer with postMessage. */
export function transferables(data: ViewerData): ArrayBuffer[] {
  return [
    data.nation,
    data.front,
    data.triage,
    data.outcome,
    data.condition,
    data.nameOffset,
    data.evOffset,
    data.evTime,
    data.evState,
    data.evPatient,
    data.order,
  ].map((a) => a.buffer as ArrayBuffer);
}

export function patientName(data: ViewerData, i: number): string {
  return data.names.slice(data.nameOffset[i], data.nameOffset[i + 1]);
}

/** The expected shape, for the message shown when a file has no valid patient. */
export const EXPECTED_FIELDS =
  'Each patient needs an id, triage_category (T1, T2 or T3), injury_time (ISO 8601) and movement_timeline: ' +
  'a non-empty array of events with event_type (arrival, evacuation_start, transit_start, kia, rtd, ' +
  'remains_role4, wait, diversion, triage, discharge), facility (POI, Role1..Role4) and timestamp or hours_since_injury. ' +
  'A file is one JSON array of patients (or {"patients": [...]}), or NDJSON: one patient per line.';

const FACILITY_COLUMN: Record<string, number> = {
  POI: 0,
  Role1: 1,
  Role2: 2,
  Role3: 3,
  Role4: 4,
  'Role 1': 1,
  'Role 2': 2,
  'Role 3': 3,
  'Role 4': 4,
};

const ZONE = /(?:[zZ]|[+-]\d\d:?\d\d)$/;

/**
 * Epoch milliseconds of an ISO 8601 date-time; a time without a zone is UTC (the scenario's clock),
 * never the viewer's local time.
 */
export function parseUtc(value: unknown): number {
  if (typeof value !== 'string' || value.length < 10) return Number.NaN;
  const text = value.length > 10 && !ZONE.test(value) ? `${value}Z` : value;
  return Date.parse(text);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** One patient, ready for the builder. */
export interface PatientSteps {
  readonly nation: string;
  readonly front: string;
  readonly triage: number;
  readonly outcome: number;
  readonly name: string;
  readonly condition: string;
  readonly times: readonly number[];
  readonly states: readonly number[];
}

function triageOf(record: Json, timeline: readonly unknown[]): number {
  let value = record.triage_category;
  if (value === undefined) {
    const carrying = timeline.find((e) => isObject(e) && typeof e.triage_category === 'string');
    value = (carrying as Json | undefined)?.triage_category;
  }
  return TRIAGES.indexOf(value as (typeof TRIAGES)[number]);
}

function nameOf(record: Json): string {
  const d = isObject(record.demographics) ? record.demographics : {};
  const given = text(d.given_name) ?? text(record.given_name);
  const family = text(d.family_name) ?? text(record.family_name);
  if (family) return given ? `${given[0]}. ${family}` : family;
  return `Patient ${String(record.id)}`;
}

function conditionOf(record: Json): string {
  const conditions = Array.isArray(record.conditions) ? record.conditions.filter(isObject) : [];
  const primary = conditions.find((c) => c.primary === true) ?? conditions[0];
  const name = text(primary?.name) ?? text(record.injury_type)?.replace(/_/g, ' ').toLowerCase();
  const part = text(primary?.body_part) ?? text(record.body_part);
  if (!name) return part ?? '';
  return part ? `${name} (${part})` : name;
}

/**
 * Turns one record into steps, or answers why it is rejected (a short reason naming the field).
 * Time model: arrival → at the facility; evacuation_start → awaiting evacuation there; transit_start →
 * in transit towards to_facility; kia (KIA or DOW by the record's status) and rtd end the patient
 * where the event says; remains_role4 keeps the patient at Role 4.
 */
export function patientSteps(raw: unknown): PatientSteps | string {
  if (!isObject(raw)) return 'not a JSON object';
  const record = raw;
  if (typeof record.id !== 'string' && typeof record.id !== 'number') return 'id is missing';
  const timeline = record.movement_timeline;
  if (!Array.isArray(timeline) || timeline.length === 0) return 'movement_timeline is missing or empty';
  const triage = triageOf(record, timeline);
  if (triage < 0) return 'triage_category is not T1, T2 or T3';
  let injury = parseUtc(record.injury_time ?? record.injury_timestamp);
  if (Number.isNaN(injury) && isObject(timeline[0])) injury = parseUtc(timeline[0].timestamp);
  if (Number.isNaN(injury)) return 'injury_time is missing or not an ISO 8601 date-time';

  const d = isObject(record.demographics) ? record.demographics : {};
  const status = text(record.status) ?? text(record.final_status);
  const dow = status === 'DOW';
  const times: number[] = [];
  const states: number[] = [];
  let column = 0;
  let ended = false;
  for (let i = 0; i < timeline.length && !ended; i++) {
    const event = timeline[i];
    if (!isObject(event)) return `movement_timeline[${i}] is not an object`;
    const facility = FACILITY_COLUMN[String(event.facility)];
    if (facility === undefined) return `movement_timeline[${i}].facility is not POI or Role1..Role4`;
    let at = parseUtc(event.timestamp);
    if (Number.isNaN(at)) {
      const hours = event.hours_since_injury;
      if (typeof hours !== 'number' || !Number.isFinite(hours))
        return `movement_timeline[${i}] has neither timestamp nor hours_since_injury`;
      at = injury + hours * 3_600_000;
    }
    let state: number;
    switch (event.event_type) {
      case 'arrival':
        column = facility;
        state = liveState(column, KIND.at);
        break;
      case 'evacuation_start':
        column = facility;
        state = liveState(column, KIND.waiting);
        break;
      case 'transit_start': {
        const to = FACILITY_COLUMN[String(event.to_facility ?? event.next_facility)];
        column = to ?? Math.min(facility + 1, COLUMN_COUNT - 1);
        state = liveState(column, KIND.inbound);
        break;
      }
      case 'kia': {
        const death = text(event.death_type);
        state = endState(facility, dow || (death === 'DOW' && status !== 'KIA') ? END.DOW : END.KIA);
        ended = true;
        break;
      }
      case 'rtd':
        state = endState(facility, END.RTD);
        ended = true;
        break;
      case 'remains_role4':
        column = COLUMN_COUNT - 1;
        state = liveState(column, KIND.at);
        break;
      // Record schema 2: queuing for a bed, sent elsewhere (still inbound), re-triage (no move).
      case 'wait':
        column = facility;
        state = liveState(column, KIND.inbound);
        break;
      case 'diversion':
        column = FACILITY_COLUMN[String(event.to_facility)] ?? facility;
        state = liveState(column, KIND.inbound);
        break;
      // Discharged to convalesce or rest: out of the echelon's beds until the return to duty (schema 2.1, 2.3).
      case 'discharge':
        column = facility;
        state = liveState(column, KIND.convalescing);
        break;
      case 'triage':
        continue;
      default:
        return `movement_timeline[${i}].event_type is not a known event`;
    }
    const seconds = Math.round(Math.max(at, injury) / 1000);
    const last = times.length - 1;
    // Steps never go back in time; a step at the same second replaces the previous one.
    if (last >= 0 && seconds <= times[last]) {
      states[last] = state;
    } else {
      times.push(seconds);
      states.push(state);
    }
    const k = states.length - 1;
    if (k >= 1 && states[k] === states[k - 1]) {
      times.pop();
      states.pop();
    }
  }
  let outcome = OUTCOMES.indexOf(status as (typeof OUTCOMES)[number]);
  if (outcome < 0) {
    const final = states[states.length - 1];
    outcome = isEnd(final) ? (final - END_BASE) % END_COUNT : OUTCOMES.indexOf('In care');
  }
  return {
    nation: text(record.nationality) ?? text(d.nationality) ?? 'Unknown',
    front: text(record.front) ?? text(record.front_id) ?? 'Unknown',
    triage,
    outcome,
    name: nameOf(record),
    condition: conditionOf(record),
    times,
    states,
  };
}

class Grow<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array> {
  length = 0;
  constructor(
    private array: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = this.make(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }
  done(): T {
    return this.array.slice(0, this.length) as T;
  }
}

class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  id(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }
}

const MAX_REASONS = 5;
const TAIL_SECONDS = 6 * 3600;

/** Collects records one by one (as the stream yields them) into a ViewerData. */
export class ViewerDataBuilder {
  private readonly nation = new Grow(new Uint16Array(1024), (n) => new Uint16Array(n));
  private readonly front = new Grow(new Uint16Array(1024), (n) => new Uint16Array(n));
  private readonly triage = new Grow(new Uint8Array(1024), (n) => new Uint8Array(n));
  private readonly outcome = new Grow(new Uint8Array(1024), (n) => new Uint8Array(n));
  private readonly condition = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly nameOffset = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly evOffset = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly evTime = new Grow(new Float64Array(8192), (n) => new Float64Array(n));
  private readonly evState = new Grow(new Uint8Array(8192), (n) => new Uint8Array(n));
  private readonly evPatient = new Grow(new Uint32Array(8192), (n) => new Uint32Array(n));
  private readonly nations = new StringTable();
  private readonly fronts = new StringTable();
  private readonly conditions = new StringTable();
  private readonly names: string[] = [];
  private nameLength = 0;
  private count = 0;
  private start = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  private lastInjury = Number.NEGATIVE_INFINITY;
  records = 0;
  rejected = 0;
  readonly reasons: string[] = [];

  constructor() {
    this.nameOffset.push(0);
    this.evOffset.push(0);
  }

  get accepted(): number {
    return this.count;
  }

  /** Adds one record; `where` names it in a rejection reason ("record 12"). */
  add(raw: unknown, where: string): void {
    this.records++;
    const steps = patientSteps(raw);
    if (typeof steps === 'string') {
      this.reject(`${where}: ${steps}`);
      return;
    }
    const p = this.count++;
    this.nation.push(this.nations.id(steps.nation));
    this.front.push(this.fronts.id(steps.front));
    this.triage.push(steps.triage);
    this.outcome.push(steps.outcome);
    this.condition.push(this.conditions.id(steps.condition));
    this.names.push(steps.name);
    this.nameLength += steps.name.length;
    this.nameOffset.push(this.nameLength);
    for (let i = 0; i < steps.times.length; i++) {
      this.evTime.push(steps.times[i]);
      this.evState.push(steps.states[i]);
      this.evPatient.push(p);
    }
    this.evOffset.push(this.evTime.length);
    if (steps.times[0] < this.start) this.start = steps.times[0];
    if (steps.times[0] > this.lastInjury) this.lastInjury = steps.times[0];
    const lastTime = steps.times[steps.times.length - 1];
    if (lastTime > this.last) this.last = lastTime;
  }

  reject(reason: string): void {
    this.rejected++;
    if (this.reasons.length < MAX_REASONS) this.reasons.push(reason);
  }

  build(): ViewerData {
    const evTime = this.evTime.done();
    const start = this.count > 0 ? this.start : 0;
    return {
      count: this.count,
      start,
      end: this.count > 0 ? this.last + TAIL_SECONDS : 0,
      lastInjury: this.count > 0 ? this.lastInjury : 0,
      nation: this.nation.done(),
      front: this.front.done(),
      triage: this.triage.done(),
      outcome: this.outcome.done(),
      condition: this.condition.done(),
      nations: this.nations.values,
      fronts: this.fronts.values,
      conditions: this.conditions.values,
      names: this.names.join(''),
      nameOffset: this.nameOffset.done(),
      evOffset: this.evOffset.done(),
      evTime,
      evState: this.evState.done(),
      evPatient: this.evPatient.done(),
      order: sortByTime(evTime, start),
      records: this.records,
      rejected: this.rejected,
      reasons: this.reasons,
    };
  }
}

/**
 * Step indices sorted by time, ties in file order. Times are whole seconds, so (time, index) packs
 * into one exact float and the native numeric sort does the work (about 10× a comparator sort).
 */
export function sortByTime(times: Float64Array, start: number): Uint32Array {
  const n = times.length;
  let scale = 1;
  while (scale <= n) scale *= 2;
  let span = 0;
  for (let i = 0; i < n; i++) span = Math.max(span, times[i] - start);
  const order = new Uint32Array(n);
  if ((span + 1) * scale < 2 ** 53) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (times[i] - start) * scale + i;
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i] % scale;
    return order;
  }
  const indices = Array.from({ length: n }, (_, i) => i);
  indices.sort((a, b) => times[a] - times[b] || a - b);
  order.set(indices);
  return order;
}
