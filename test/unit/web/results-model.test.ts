import { describe, expect, it } from 'vitest';
import { generate } from '../../../lib/generation/index.js';
import { SummaryCollector } from '../../../lib/output/index.js';
import { formatShare, niceStep } from '../../../web/src/charts/format.js';
import {
  arrivalSeries,
  barRows,
  dayColumns,
  eventLabel,
  formatHours,
  journeySegments,
  legHistogram,
  NO_FILTERS,
  outcomeOf,
  type PatientRecord,
  pageWindow,
  resultsQuery,
  type SummarySeries,
  treatmentsByFacility,
} from '../../../web/src/pages/results/results-model.js';
import { testPlan } from '../output/support.js';

const plan = testPlan(300);
const records = [...generate(plan)] as unknown as PatientRecord[];
const collector = new SummaryCollector({ baseDate: plan.scenario.baseDate, days: plan.scenario.days });
for (const r of generate(plan)) collector.add(r);
const series = collector.result().series as unknown as SummarySeries;

describe('results charts model', () => {
  it('lists the fixed categories first (zeros kept), then the rest by count, with shares', () => {
    // Act
    const rows = barRows(
      { RTD: 6, KIA: 2, Other: 1, Extra: 1 },
      { order: ['KIA', 'DOW', 'RTD'], labels: { KIA: 'Killed' } },
    );
    // Assert
    expect(rows.map((r) => [r.key, r.label, r.count])).toEqual([
      ['KIA', 'Killed', 2],
      ['DOW', 'DOW', 0],
      ['RTD', 'RTD', 6],
      ['Extra', 'Extra', 1],
      ['Other', 'Other', 1],
    ]);
    expect(rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 10);
    expect(barRows(undefined)).toEqual([]);
  });

  it('turns the summary series into day columns that add up to the patients', () => {
    // Act
    const days = dayColumns(series);
    // Assert
    expect(days).toHaveLength(plan.scenario.days);
    expect(days[0].day).toBe(1);
    expect(days.reduce((a, d) => a + d.total, 0)).toBe(300);
    expect(days.every((d) => d.total === d.T1 + d.T2 + d.T3)).toBe(true);
    expect(dayColumns(undefined)).toEqual([]);
  });

  it('gives uPlot one time axis from the scenario start and one equal-length series per role', () => {
    // Act
    const arrivals = arrivalSeries(series)!;
    // Assert
    expect(arrivals.times[0]).toBe(Date.parse(`${plan.scenario.baseDate}T00:00:00Z`) / 1000);
    expect(arrivals.times[1] - arrivals.times[0]).toBe(arrivals.binHours * 3600);
    expect(arrivals.roles).toHaveLength(4);
    for (const values of arrivals.roles) expect(values).toHaveLength(arrivals.times.length);
    const role1 = records
      .flatMap((r) => r.movement_timeline)
      .filter((e) => e.event_type === 'arrival' && e.facility === 'Role1');
    expect(arrivals.stats[0]).toMatchObject({ role: 'Role1', total: role1.length });
    expect(arrivals.stats[0].peak).toBe(Math.max(...arrivals.roles[0]));
  });

  it('merges histogram bins to at most the bars asked for and keeps the overflow as the last bar', () => {
    // Prepare
    const leg = {
      from: 'POI',
      to: 'Role1',
      count: 13,
      mean_hours: 1,
      median_hours: 1,
      p90_hours: 1,
      max_hours: 60,
      bins: [1, 2, 3, 4, 0, 1],
      overflow: 2,
    };
    // Act
    const bars = legHistogram(leg, 0.5, 48, 3);
    // Assert
    expect(bars).toEqual([
      { from: 0, to: 1, count: 3 },
      { from: 1, to: 2, count: 7 },
      { from: 2, to: 3, count: 1 },
      { from: 48, to: null, count: 2 },
    ]);
  });

  it('formats hours, shares and axis steps for people', () => {
    // Act + Assert
    expect(formatHours(5.44)).toBe('5.4 h');
    expect(formatHours(60.5)).toBe('2 d 12.5 h');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.0345)).toBe('3.5 %');
    expect(formatShare(0.456)).toBe('46 %');
    expect(niceStep(0)).toBe(1);
    expect(niceStep(37)).toBe(10);
    expect(niceStep(380)).toBe(100);
  });
});

describe('patient table model', () => {
  it('sends only the filters that are set, trimmed, with the page', () => {
    // Act
    const none = resultsQuery(NO_FILTERS, 1, 25);
    const some = resultsQuery({ ...NO_FILTERS, q: '  nowak ', status: 'KIA,DOW' }, 3, 50);
    // Assert
    expect(none).toEqual({ page: 1, per_page: 25 });
    expect(some).toEqual({ page: 3, per_page: 50, q: 'nowak', status: 'KIA,DOW' });
  });

  it('offers the first, last and neighbouring pages with gaps between', () => {
    // Act + Assert
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 0)).toEqual([]);
    expect(pageWindow(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pageWindow(2, 5)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('patient page model', () => {
  it('splits a journey into facility and transit spans that tile it from injury to the end', () => {
    // Prepare
    const patient = records.find((r) => r.facilities_visited.length >= 4)!;
    const timeline = patient.movement_timeline;
    // Act
    const segments = journeySegments(timeline);
    // Assert
    expect(segments[0]).toMatchObject({ kind: 'facility', facility: 'POI', from: 0 });
    expect(segments[segments.length - 1].to).toBe(timeline[timeline.length - 1].hours_since_injury);
    for (let i = 1; i < segments.length; i++) {
      expect(segments[i].from).toBe(segments[i - 1].to);
      expect(segments[i].kind).not.toBe(segments[i - 1].kind);
    }
    const transits = timeline.filter((e) => e.event_type === 'transit_start');
    expect(segments.filter((s) => s.kind === 'transit')).toHaveLength(transits.length);
  });

  it('says how a patient ended, telling KIA from DOW and naming the place', () => {
    // Prepare
    const dow = records.find((r) => r.status === 'DOW')!;
    const role4 = records.find((r) => r.status === 'Remains_Role4')!;
    // Act + Assert
    expect(outcomeOf(dow)!.label).toMatch(/^Died of wounds at (Role \d|POI)$/);
    expect(outcomeOf(role4)!.label).toBe('Remains at Role 4');
    const kia = dow.movement_timeline[dow.movement_timeline.length - 1];
    expect(eventLabel(kia)).toMatch(/^Died of wounds/);
    expect(eventLabel(dow.movement_timeline[0])).toBe('Injured (point of injury)');
  });

  it('labels the capacity events: a wait with its hours, a diversion naming both places, a re-triage, a death while waiting', () => {
    // Prepare
    const base = {
      facility: 'Role2' as const,
      timestamp: '2026-01-01T00:00:00Z',
      hours_since_injury: 1,
      health: 40,
    };
    // Act
    const labels = [
      eventLabel({ ...base, event_type: 'wait', wait_hours: 1.5 }),
      eventLabel({ ...base, event_type: 'diversion', to_facility: 'Role3', transit_duration_hours: 2 }),
      eventLabel({ ...base, event_type: 'triage', triage_category: 'T4' }),
      eventLabel({ ...base, health: 0, event_type: 'kia', death_type: 'DOW', kia_timing: 'waiting' }),
    ];
    // Assert
    expect(labels[0]).toMatch(/^Waited for a bed at Role 2 \(1(\.5)? ?h/);
    expect(labels[1]).toBe('Diverted from Role 2 to Role 3 (full)');
    expect(labels[2]).toBe('Re-triaged T4');
    expect(labels[3]).toBe('Died of wounds waiting for a bed');
  });

  it('groups procedures by facility in the order the patient reached them', () => {
    // Prepare
    const patient = records.find((r) => new Set(r.treatments.map((t) => t.facility)).size >= 2)!;
    // Act
    const groups = treatmentsByFacility(patient);
    // Assert
    expect(groups.map((g) => g.facility)).toEqual(
      patient.facilities_visited.filter((f) => groups.some((g) => g.facility === f)),
    );
    expect(groups.flatMap((g) => g.treatments)).toHaveLength(patient.treatments.length);
  });
});
