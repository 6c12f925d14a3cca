import { describe, expect, it } from 'vitest';
import { generate, type PatientRecord } from '../../../lib/generation/index.js';
import { SummaryCollector, type SummaryState } from '../../../lib/output/index.js';
import { testPlan } from './support.js';

const source = testPlan(900, 'summary-state');
const records = [...generate(source)];
const timing = { baseDate: source.scenario.baseDate, days: source.scenario.days };

function collectorOf(list: Iterable<PatientRecord>, withTiming = true): SummaryCollector {
  const collector = new SummaryCollector(withTiming ? timing : undefined);
  for (const record of list) collector.add(record);
  return collector;
}

/** The state of each range [bounds[i], bounds[i+1]), as a chunk would store it (through JSON). */
function chunkStates(bounds: readonly number[], withTiming = true): SummaryState[] {
  const states: SummaryState[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const state = collectorOf(records.slice(bounds[i], bounds[i + 1]), withTiming).state();
    states.push(JSON.parse(JSON.stringify(state)) as SummaryState);
  }
  return states;
}

function merged(states: readonly SummaryState[], withTiming = true): SummaryCollector {
  const collector = new SummaryCollector(withTiming ? timing : undefined);
  for (const state of states) collector.merge(state);
  return collector;
}

describe('summary state and merge', () => {
  it('merging the states of consecutive ranges equals one collector over every record', () => {
    // Prepare
    const whole = collectorOf(records).result();
    const splits = [
      [0, 900],
      [0, 450, 900],
      [0, 1, 2, 300, 301, 899, 900],
      [0, 97, 211, 390, 512, 640, 777, 900],
    ];
    for (const bounds of splits) {
      // Act
      const result = merged(chunkStates(bounds)).result();
      // Assert
      expect(result, bounds.join(',')).toEqual(whole);
    }
  });

  it('merges without a time series as the CLI collector counts', () => {
    // Prepare
    const whole = collectorOf(records, false).result();
    // Act
    const result = merged(chunkStates([0, 333, 334, 900], false), false).result();
    // Assert
    expect(result).toEqual(whole);
    expect(result.series).toBeUndefined();
  });

  it('keeps leg times exact: the mean from summed seconds is the same in any split', () => {
    // Prepare
    const whole = collectorOf(records).result().series!.evacuation.legs;
    const states = chunkStates([0, 10, 20, 30, 40, 900]);
    // Act
    const legs = merged(states).result().series!.evacuation.legs;
    // Assert
    expect(legs.map((l) => [l.from, l.to, l.count, l.mean_hours, l.median_hours, l.p90_hours])).toEqual(
      whole.map((l) => [l.from, l.to, l.count, l.mean_hours, l.median_hours, l.p90_hours]),
    );
    for (const state of states)
      for (const leg of state.series!.legs) expect(Number.isInteger(leg.seconds)).toBe(true);
  });

  it('gives an empty chunk an empty state that merges as nothing', () => {
    // Prepare
    const whole = collectorOf(records).result();
    const empty = chunkStates([0, 0])[0];
    // Act
    const result = merged([empty, ...chunkStates([0, 900]), empty]).result();
    // Assert
    expect(empty.total).toBe(0);
    expect(result).toEqual(whole);
  });

  it('stores a state as small JSON: no patient list, trailing empty bins dropped', () => {
    // Act
    const json = JSON.stringify(collectorOf(records).state());
    // Assert
    expect(Buffer.byteLength(json)).toBeLessThan(20_000);
    expect(json).not.toContain(records[0].uuid);
  });

  it('refuses a state of another scenario timing, another version or a malformed one', () => {
    // Prepare
    const state = collectorOf(records.slice(0, 50)).state();
    const otherTiming = new SummaryCollector({ baseDate: timing.baseDate, days: timing.days + 1 });
    // Act / Assert
    expect(() => otherTiming.merge(state)).toThrow(RangeError);
    expect(() => new SummaryCollector().merge(state)).toThrow(/time series/);
    expect(() => merged([{ ...state, version: 2 } as unknown as SummaryState])).toThrow();
    expect(() => merged([{ ...state, total: -1 }])).toThrow();
    const tooLong = { ...state.series!, arrivals: { Role1: new Array(1_000_000).fill(1) } };
    expect(() => merged([{ ...state, series: tooLong }])).toThrow(/arrivals/);
  });
});
