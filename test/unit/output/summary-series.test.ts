import { describe, expect, it } from 'vitest';
import {
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  presetScenario,
} from '../../../lib/generation/index.js';
import {
  EVACUATION_BIN_HOURS,
  MAX_ARRIVAL_BINS,
  ROLES,
  SummaryCollector,
  summarise,
} from '../../../lib/output/index.js';
import { testPlan } from './support.js';

const source = testPlan(600);
const records = [...generate(source)];
const timing = { baseDate: source.scenario.baseDate, days: source.scenario.days };

function collect(list: Iterable<PatientRecord>, t = timing) {
  const collector = new SummaryCollector(t);
  for (const r of list) collector.add(r);
  return collector.result();
}

/** Consecutive arrivals of each record: [from, to, hours]. */
function legsOf(list: readonly PatientRecord[]): [string, string, number][] {
  const out: [string, string, number][] = [];
  for (const r of list) {
    const arrivals = r.movement_timeline.filter((e) => e.event_type === 'arrival');
    for (let i = 1; i < arrivals.length; i++) {
      out.push([
        arrivals[i - 1].facility,
        arrivals[i].facility,
        arrivals[i].hours_since_injury - arrivals[i - 1].hours_since_injury,
      ]);
    }
  }
  return out;
}

function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function scenarioOf(days: number, patients: number) {
  const preset = findPreset('nato_article_5')!;
  return plan(
    loadScenario({ ...presetScenario(preset), days_of_fighting: days, total_patients: patients }),
    7,
  );
}

describe('summary time series', () => {
  it('counts casualties per day by triage exactly as the records say', () => {
    // Act
    const series = collect(records).series!;
    // Assert
    expect(series.start).toBe(`${timing.baseDate}T00:00:00Z`);
    for (const [triage, perDay] of Object.entries(series.casualties_per_day)) {
      expect(perDay).toHaveLength(timing.days);
      perDay.forEach((count, day) => {
        const expected = records.filter(
          (r) => r.triage_category === triage && r.day === `Day ${day + 1}`,
        ).length;
        expect(count, `${triage} day ${day + 1}`).toBe(expected);
      });
    }
  });

  it('counts every arrival at each role in the hour since the scenario start it happened', () => {
    // Prepare
    const start = Date.parse(`${timing.baseDate}T00:00:00Z`);
    const expected = new Map<string, number>();
    for (const r of records) {
      const injuryHours = (Date.parse(r.injury_time) - start) / 3_600_000;
      for (const e of r.movement_timeline) {
        if (e.event_type !== 'arrival' || e.facility === 'POI') continue;
        const key = `${e.facility}@${Math.floor(injuryHours + e.hours_since_injury)}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    // Act
    const { arrivals } = collect(records).series!;
    // Assert: hourly bins for a short scenario, the same counts hour by hour.
    expect(arrivals.bin_hours).toBe(1);
    expect(arrivals.late).toBe(0);
    for (const role of ROLES) {
      arrivals.roles[role].forEach((count, hour) => {
        expect(count, `${role} hour ${hour}`).toBe(expected.get(`${role}@${hour}`) ?? 0);
      });
    }
    const total = ROLES.reduce((a, role) => a + arrivals.roles[role].reduce((x, y) => x + y, 0), 0);
    expect(total).toBe([...expected.values()].reduce((a, b) => a + b, 0));
  });

  it('gives each evacuation leg its count, exact max and mean, and median and p90 within one bin', () => {
    // Prepare
    const legs = legsOf(records);
    // Act
    const { evacuation } = collect(records).series!;
    // Assert: the four standard legs first, then any bypass leg that occurred.
    expect(evacuation.legs.slice(0, 4).map((l) => `${l.from}>${l.to}`)).toEqual([
      'POI>Role1',
      'Role1>Role2',
      'Role2>Role3',
      'Role3>Role4',
    ]);
    for (const leg of evacuation.legs) {
      const hours = legs
        .filter(([from, to]) => from === leg.from && to === leg.to)
        .map(([, , h]) => h)
        .sort((a, b) => a - b);
      const name = `${leg.from}>${leg.to}`;
      expect(leg.count, name).toBe(hours.length);
      if (hours.length === 0) continue;
      expect(leg.max_hours, name).toBeCloseTo(hours[hours.length - 1], 2);
      expect(leg.mean_hours, name).toBeCloseTo(hours.reduce((a, b) => a + b, 0) / hours.length, 1);
      expect(Math.abs(leg.median_hours - exactQuantile(hours, 0.5)), name).toBeLessThanOrEqual(
        EVACUATION_BIN_HOURS,
      );
      expect(Math.abs(leg.p90_hours - exactQuantile(hours, 0.9)), name).toBeLessThanOrEqual(
        EVACUATION_BIN_HOURS,
      );
      expect(leg.bins.reduce((a, b) => a + b, 0) + leg.overflow, name).toBe(hours.length);
    }
    expect(evacuation.legs.reduce((a, l) => a + l.count, 0)).toBe(legs.length);
  });

  it('is the same whether the patients are collected in one pass or two halves', () => {
    // Act
    const whole = collect(records).series;
    const halves = new SummaryCollector(timing);
    for (const r of [...generate(source, 0, 300)]) halves.add(r);
    for (const r of [...generate(source, 300, 600)]) halves.add(r);
    // Assert
    expect(halves.result().series).toEqual(whole);
  });

  it('keeps a 60-day scenario summary well under 100 KB, and a 365-day one within the bin limit', () => {
    // Prepare
    const sixty = scenarioOf(60, 3000);
    const year = scenarioOf(365, 3000);
    // Act
    const sixtyJson = JSON.stringify(
      collect(generate(sixty), { baseDate: sixty.scenario.baseDate, days: 60 }),
    );
    const yearSeries = collect(generate(year), { baseDate: year.scenario.baseDate, days: 365 }).series!;
    // Assert
    expect(Buffer.byteLength(sixtyJson)).toBeLessThan(50_000);
    expect(yearSeries.arrivals.bin_hours).toBeGreaterThan(1);
    for (const role of ROLES)
      expect(yearSeries.arrivals.roles[role].length).toBeLessThanOrEqual(MAX_ARRIVAL_BINS);
    expect(yearSeries.casualties_per_day.T1).toHaveLength(365);
  });

  it('adds no time series without the scenario timing, so the CLI summary is unchanged', () => {
    // Act
    const summary = summarise(records);
    // Assert
    expect(summary.series).toBeUndefined();
    expect(Object.keys(summary)).toEqual(['total', 'dimensions']);
  });
});
