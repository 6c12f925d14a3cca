/**
 * The index that makes playback cost independent of the number of patients (DOM-free).
 *
 * The filtered steps, sorted by time, are transitions "one patient leaves state A, enters state B";
 * the counts at time t are the counts at the last checkpoint before t plus at most CHECKPOINT_EVERY
 * deltas. A frame moves a cursor (only the transitions crossed since the last frame); a seek costs a
 * binary search and at most one checkpoint interval. A filter change rebuilds the index in one pass
 * over the sorted steps. See memory/decisions/0720-viewer-timeline-index.md.
 */
import {
  COLUMN_COUNT,
  endState,
  isLive,
  KIND,
  liveState,
  PENDING,
  STATE_COUNT,
  stateColumn,
  stateKind,
  type ViewerData,
} from './timeline-model.js';

export const CHECKPOINT_EVERY = 512;

export interface FlowIndex {
  /** Patients that pass the filter. */
  readonly total: number;
  readonly length: number;
  readonly time: Float64Array;
  readonly from: Uint8Array;
  readonly to: Uint8Array;
  /** The step (index into ViewerData.ev*) each transition enters. */
  readonly step: Uint32Array;
  /** Counts after the first j * CHECKPOINT_EVERY transitions, STATE_COUNT per checkpoint. */
  readonly checkpoints: Int32Array;
}

/** Which patients to show: null means all. */
export type Mask = Uint8Array | null;

export function buildIndex(data: ViewerData, mask: Mask): FlowIndex {
  const { order, evPatient, evOffset, evState, evTime } = data;
  let total = 0;
  let length = 0;
  if (mask === null) {
    total = data.count;
    length = order.length;
  } else {
    for (let p = 0; p < data.count; p++) {
      if (mask[p]) {
        total++;
        length += evOffset[p + 1] - evOffset[p];
      }
    }
  }
  const time = new Float64Array(length);
  const from = new Uint8Array(length);
  const to = new Uint8Array(length);
  const step = new Uint32Array(length);
  const checkpoints = new Int32Array((Math.floor(length / CHECKPOINT_EVERY) + 1) * STATE_COUNT);
  const counts = new Int32Array(STATE_COUNT);
  counts[PENDING] = total;
  let j = 0;
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const p = evPatient[e];
    if (mask !== null && !mask[p]) continue;
    if (j % CHECKPOINT_EVERY === 0) checkpoints.set(counts, (j / CHECKPOINT_EVERY) * STATE_COUNT);
    const a = e > evOffset[p] ? evState[e - 1] : PENDING;
    const b = evState[e];
    time[j] = evTime[e];
    from[j] = a;
    to[j] = b;
    step[j] = e;
    counts[a]--;
    counts[b]++;
    j++;
  }
  if (j % CHECKPOINT_EVERY === 0) checkpoints.set(counts, (j / CHECKPOINT_EVERY) * STATE_COUNT);
  return { total, length, time, from, to, step, checkpoints };
}

/** Number of transitions at or before t (binary search). */
export function positionAt(index: FlowIndex, t: number): number {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.time[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The state counts at a moving time: forward play touches only the transitions it crosses. */
export class FlowCursor {
  readonly counts = new Int32Array(STATE_COUNT);
  position = 0;

  constructor(readonly index: FlowIndex) {
    this.counts.set(index.checkpoints.subarray(0, STATE_COUNT));
  }

  /** Moves to time t; answers the number of transitions applied (the frame's work). */
  seek(t: number): number {
    const { index, counts } = this;
    const target = positionAt(index, t);
    let work = 0;
    if (target < this.position && this.position - target <= CHECKPOINT_EVERY) {
      for (let i = this.position - 1; i >= target; i--) {
        counts[index.to[i]]--;
        counts[index.from[i]]++;
      }
      work = this.position - target;
    } else {
      let i = this.position;
      if (target < this.position || target - this.position > CHECKPOINT_EVERY) {
        const c = Math.floor(target / CHECKPOINT_EVERY);
        counts.set(index.checkpoints.subarray(c * STATE_COUNT, (c + 1) * STATE_COUNT));
        i = c * CHECKPOINT_EVERY;
      }
      work = target - i;
      for (; i < target; i++) {
        counts[index.from[i]]--;
        counts[index.to[i]]++;
      }
    }
    this.position = target;
    return work;
  }
}

export interface ColumnCounts {
  readonly at: number;
  readonly waiting: number;
  readonly inbound: number;
  /** Discharged, convalescing or resting out of the echelon's beds until fit. */
  readonly convalescing: number;
  readonly live: number;
  readonly kia: number;
  readonly dow: number;
  readonly rtd: number;
}

export function columnCounts(counts: Int32Array, column: number): ColumnCounts {
  const at = counts[liveState(column, KIND.at)];
  const waiting = counts[liveState(column, KIND.waiting)];
  const inbound = counts[liveState(column, KIND.inbound)];
  const convalescing = counts[liveState(column, KIND.convalescing)];
  return {
    at,
    waiting,
    inbound,
    convalescing,
    live: at + waiting + inbound + convalescing,
    kia: counts[endState(column, 0)],
    dow: counts[endState(column, 1)],
    rtd: counts[endState(column, 2)],
  };
}

/** Whether the step `e` is the patient's current one at time t. */
function isCurrent(data: ViewerData, e: number, t: number): boolean {
  const next = e + 1;
  return data.evTime[e] <= t && (next >= data.evOffset[data.evPatient[e] + 1] || data.evTime[next] > t);
}

/**
 * Up to `limit` patients per column present at the cursor's time, the latest arrivals first, found by
 * scanning back at most `scan` transitions (the cards show a few; the counts say how many more).
 */
export function recentPatients(
  data: ViewerData,
  cursor: FlowCursor,
  t: number,
  limit: number,
  scan = 20_000,
): number[][] {
  const { index } = cursor;
  const found: number[][] = Array.from({ length: COLUMN_COUNT }, () => []);
  // Stop as soon as every column has as many cards as it has patients (up to the limit).
  const want = found.map((_, c) => Math.min(limit, columnCounts(cursor.counts, c).live));
  let missing = want.reduce((s, w) => s + w, 0);
  const stop = Math.max(0, cursor.position - scan);
  for (let i = cursor.position - 1; i >= stop && missing > 0; i--) {
    const state = index.to[i];
    if (!isLive(state)) continue;
    const column = stateColumn(state);
    const list = found[column];
    if (list.length >= want[column]) continue;
    const e = index.step[i];
    if (!isCurrent(data, e, t)) continue;
    list.push(e);
    missing--;
  }
  return found;
}

/** At the facility or awaiting evacuation there (not on the way to it, nor discharged to convalesce). */
function present(state: number): boolean {
  if (!isLive(state)) return false;
  const kind = stateKind(state);
  return kind === KIND.at || kind === KIND.waiting;
}

/** Patients present at each role (at the facility or awaiting evacuation) at each of `samples` times across [start, end] (for the occupancy chart). */
export function occupancySeries(
  index: FlowIndex,
  start: number,
  end: number,
  samples: number,
): { times: Float64Array; columns: Float64Array[] } {
  const times = new Float64Array(samples);
  const columns = Array.from({ length: COLUMN_COUNT }, () => new Float64Array(samples));
  const live = new Int32Array(COLUMN_COUNT);
  const step = samples > 1 ? (end - start) / (samples - 1) : 0;
  let i = 0;
  for (let s = 0; s < samples; s++) {
    const t = start + s * step;
    times[s] = t;
    for (; i < index.length && index.time[i] <= t; i++) {
      const a = index.from[i];
      const b = index.to[i];
      if (present(a)) live[stateColumn(a)]--;
      if (present(b)) live[stateColumn(b)]++;
    }
    for (let c = 0; c < COLUMN_COUNT; c++) columns[c][s] = live[c];
  }
  return { times, columns };
}

export interface Filters {
  readonly front: number;
  readonly nation: number;
  readonly triage: number;
  readonly outcome: number;
}

export const NO_FILTER: Filters = { front: -1, nation: -1, triage: -1, outcome: -1 };

/** The patients a filter keeps (-1 = any), or null when nothing is filtered. */
export function filterMask(data: ViewerData, f: Filters): Mask {
  if (f.front < 0 && f.nation < 0 && f.triage < 0 && f.outcome < 0) return null;
  const mask = new Uint8Array(data.count);
  for (let p = 0; p < data.count; p++) {
    mask[p] =
      (f.front < 0 || data.front[p] === f.front) &&
      (f.nation < 0 || data.nation[p] === f.nation) &&
      (f.triage < 0 || data.triage[p] === f.triage) &&
      (f.outcome < 0 || data.outcome[p] === f.outcome)
        ? 1
        : 0;
  }
  return mask;
}
