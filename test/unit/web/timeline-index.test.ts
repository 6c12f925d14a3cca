import { describe, expect, it } from 'vitest';
import { loadPatients } from '../../../web/src/viewer/load-patients.js';
import {
  buildIndex,
  CHECKPOINT_EVERY,
  columnCounts,
  FlowCursor,
  filterMask,
  NO_FILTER,
  occupancySeries,
  recentPatients,
} from '../../../web/src/viewer/timeline-index.js';
import {
  COLUMN_COUNT,
  isLive,
  KIND,
  PENDING,
  STATE_COUNT,
  stateColumn,
  stateKind,
  type ViewerData,
} from '../../../web/src/viewer/timeline-model.js';
import { chunked, productFile } from './viewer-fixtures.js';

/** Each patient's state at t, the slow obvious way. */
function stateAt(data: ViewerData, p: number, t: number): number {
  let state = PENDING;
  for (let e = data.evOffset[p]; e < data.evOffset[p + 1] && data.evTime[e] <= t; e++)
    state = data.evState[e];
  return state;
}

function bruteCounts(data: ViewerData, t: number, mask: Uint8Array | null): number[] {
  const counts = new Array(STATE_COUNT).fill(0);
  for (let p = 0; p < data.count; p++) if (!mask || mask[p]) counts[stateAt(data, p, t)]++;
  return counts;
}

const data = await loadPatients(chunked(await productFile('ndjson', 1500, 11)), 0);
const times = (k: number) =>
  Array.from({ length: k }, (_, i) => data.start + ((i * 7919) % k) * ((data.end - data.start) / k));

describe('viewer timeline index', () => {
  it('gives, at any time and after any seek order, the counts of the per-patient states', () => {
    // Prepare
    const cursor = new FlowCursor(buildIndex(data, null));

    // Act / Assert
    for (const t of [...times(60), data.start - 1, data.end]) {
      cursor.seek(t);
      expect([...cursor.counts]).toEqual(bruteCounts(data, t, null));
    }
  });

  it('costs at most one checkpoint interval of transitions per frame or seek, whatever the jump', () => {
    // Prepare
    const index = buildIndex(data, null);
    const cursor = new FlowCursor(index);
    const work: number[] = [];

    // Act
    for (const t of times(200)) work.push(cursor.seek(t));
    for (let t = data.start; t < data.end; t += 600) work.push(cursor.seek(t));

    // Assert
    expect(index.length).toBeGreaterThan(CHECKPOINT_EVERY * 4);
    expect(Math.max(...work)).toBeLessThanOrEqual(CHECKPOINT_EVERY);
  });

  it('at the end, every patient is in a column (remains at Role 4) or counted as KIA, DOW or RTD where it happened', () => {
    // Prepare
    const cursor = new FlowCursor(buildIndex(data, null));

    // Act
    cursor.seek(data.end);
    const columns = Array.from({ length: COLUMN_COUNT }, (_, c) => columnCounts(cursor.counts, c));

    // Assert
    const sum = (f: (c: (typeof columns)[number]) => number) => columns.reduce((s, c) => s + f(c), 0);
    expect(cursor.counts[PENDING]).toBe(0);
    expect(sum((c) => c.live + c.kia + c.dow + c.rtd)).toBe(data.count);
    const outcomes = (o: number) => data.outcome.filter((x) => x === o).length;
    expect(sum((c) => c.kia)).toBe(outcomes(0));
    expect(sum((c) => c.dow)).toBe(outcomes(1));
    expect(sum((c) => c.rtd)).toBe(outcomes(2));
    expect(columns[4].at).toBe(outcomes(3));
    expect(sum((c) => c.live) - columns[4].at).toBe(0);
  });

  it('rebuilds for a filter: counts cover only the patients it keeps', () => {
    // Prepare
    const filters = { ...NO_FILTER, triage: 0, front: data.front[0] };
    const mask = filterMask(data, filters);

    // Act
    const index = buildIndex(data, mask);
    const cursor = new FlowCursor(index);

    // Assert
    expect(mask).not.toBeNull();
    expect(index.total).toBe(mask?.reduce((s, m) => s + m, 0));
    expect(index.total).toBeGreaterThan(0);
    expect(index.total).toBeLessThan(data.count);
    for (const t of times(20)) {
      cursor.seek(t);
      expect([...cursor.counts]).toEqual(bruteCounts(data, t, mask));
    }
    expect(filterMask(data, NO_FILTER)).toBeNull();
  });

  it('finds a few patients present in each column at the time shown, no more than asked', () => {
    // Prepare
    const cursor = new FlowCursor(buildIndex(data, null));
    const t = data.start + (data.end - data.start) * 0.4;
    cursor.seek(t);

    // Act
    const cards = recentPatients(data, cursor, t, 6);

    // Assert
    for (let c = 0; c < COLUMN_COUNT; c++) {
      const live = columnCounts(cursor.counts, c).live;
      expect(cards[c].length).toBe(Math.min(6, live));
      for (const e of cards[c]) {
        const state = stateAt(data, data.evPatient[e], t);
        expect(state).toBe(data.evState[e]);
        expect(isLive(state) && stateColumn(state) === c).toBe(true);
      }
    }
  });

  it('samples the occupancy of each role (at the facility or awaiting evacuation, not convalescing out of hospital) over time', () => {
    // Prepare
    const index = buildIndex(data, null);

    // Act
    const series = occupancySeries(index, data.start, data.end, 50);

    // Assert
    for (const s of [0, 13, 25, 49]) {
      const brute = new Array(COLUMN_COUNT).fill(0);
      for (let p = 0; p < data.count; p++) {
        const state = stateAt(data, p, series.times[s]);
        const kind = stateKind(state);
        if (isLive(state) && kind !== KIND.inbound && kind !== KIND.convalescing) brute[stateColumn(state)]++;
      }
      expect(series.columns.map((col) => col[s])).toEqual(brute);
    }
  });
});
