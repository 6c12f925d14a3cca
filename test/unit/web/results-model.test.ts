import { describe, expect, it } from 'vitest';
import {
  findPreset,
  generate,
  loadScenario,
  plan as planJob,
  presetScenario,
} from '../../../lib/generation/index.js';
import { SummaryCollector } from '../../../lib/output/index.js';
import { COUNT_INCREMENTS, formatShare, niceStep, utcAxisLabel } from '../../../web/src/charts/format.js';
import {
  arrivalSeries,
  barRows,
  careFlags,
  dayColumns,
  eventLabel,
  formatHours,
  healthCourse,
  isComplication,
  journeySegments,
  legHistogram,
  mechanismWords,
  medicationRows,
  NO_FILTERS,
  outcomeOf,
  type PatientRecord,
  pageWindow,
  resultsQuery,
  type SummarySeries,
  startWords,
  systemLabel,
  tableViewFromQuery,
  tableViewQuery,
  treatmentsByFacility,
} from '../../../web/src/pages/results/results-model.js';
import { testPlan } from '../output/support.js';

const plan = testPlan(300);
const records = [...generate(plan)] as unknown as PatientRecord[];
const collector = new SummaryCollector({ baseDate: plan.scenario.baseDate, days: plan.scenario.days });
for (const r of generate(plan)) collector.add(r);
const series = collector.result().series as unknown as SummarySeries;

/**
 * Short beds in the cold (test/unit/generation/capacity.test.ts's tight scenario): waits, diversions,
 * expectant re-triage and complications from delay and weather.
 */
const RATES = { kia_rate: 0.02, rtd_rate: 0.3 };
const shortBeds = [
  ...generate(
    planJob(
      loadScenario({
        ...presetScenario(findPreset('training_exercise')!),
        total_patients: 1500,
        special_events: { mass_casualty: true, major_offensive: true },
        environmental_conditions: { extreme_cold: true },
        facility_configs: [
          { id: 'r1', name: 'Role 1', role: 'Role1', capacity: 6, ...RATES },
          { id: 'r2a', name: 'Role 2 A', role: 'Role2', capacity: 3, ...RATES },
          { id: 'r2b', name: 'Role 2 B', role: 'Role2', capacity: 3, ...RATES },
          { id: 'r3', name: 'Role 3', role: 'Role3', capacity: 9, ...RATES },
          { id: 'r4', name: 'Role 4', role: 'Role4', capacity: 30, ...RATES },
        ],
      }),
      7,
    ),
  ),
] as unknown as PatientRecord[];

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
  });

  it('shows 100 % and 0 % only when exact: 499 of 500 is 99.8 %, 1 of 5,000 under 0.1 %', () => {
    // Act + Assert
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(499 / 500)).toBe('99.8 %');
    expect(formatShare(9_999 / 10_000)).toBe('> 99.9 %');
    expect(formatShare(0.9)).toBe('90 %');
    expect(formatShare(1 / 5_000)).toBe('< 0.1 %');
    expect(formatShare(1 / 500)).toBe('0.2 %');
    expect(niceStep(380)).toBe(100);
  });

  it('count axes step in whole numbers (1, 2, 5, 10, …) and time axes read UTC', () => {
    // Act + Assert: no step below one patient, so a quiet hour never shows 0.5 of an arrival
    expect(COUNT_INCREMENTS.slice(0, 7)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(COUNT_INCREMENTS.every((step) => Number.isInteger(step) && step >= 1)).toBe(true);
    expect(COUNT_INCREMENTS.at(-1)).toBe(5_000_000);
    expect(utcAxisLabel(Date.UTC(2025, 5, 3) / 1000)).toBe('3 Jun');
    expect(utcAxisLabel(Date.UTC(2025, 5, 3, 6, 30) / 1000)).toBe('06:30');
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

  it.each([
    [
      'Role4',
      'Discharged to convalesce out of hospital',
      'from Role 4 at the end of its hospital stay (fix 0319)',
    ],
    ['Role1', 'Discharged to rest in quarters', 'from Role 1 to rest in quarters before duty (fix 0391)'],
  ] as const)(
    'shows a casualty discharged %s, "%s", as convalescing from the discharge to its return to duty: %s',
    (facility, label, _when) => {
      // Prepare
      const patient = records.find((r) =>
        r.movement_timeline.some((e) => e.event_type === 'discharge' && e.facility === facility),
      )!;
      const timeline = patient.movement_timeline;
      const discharge = timeline.find((e) => e.event_type === 'discharge')!;
      const name = facility === 'Role4' ? 'Role 4' : 'Role 1';
      // Act
      const segments = journeySegments(timeline);
      // Assert: the stay ends at the discharge, the convalescence runs to the return to duty
      expect(segments.at(-2)).toMatchObject({ kind: 'facility', facility, to: discharge.hours_since_injury });
      expect(segments.at(-1)).toEqual({
        kind: 'convalescence',
        label: `Convalescing after ${name}`,
        facility,
        from: discharge.hours_since_injury,
        to: timeline.at(-1)!.hours_since_injury,
      });
      expect(eventLabel(discharge, patient.injury_type)).toBe(label);
      expect(outcomeOf(patient)!.label).toBe(`Returned to duty at ${name}`);
    },
  );

  it('says an illness or a non-battle injury died of it, not of wounds or in action (fix 0320)', () => {
    // Prepare
    const kia = {
      event_type: 'kia',
      facility: 'POI',
      timestamp: '2025-06-01T00:00:00Z',
      hours_since_injury: 1,
      health: 0,
      death_type: 'KIA',
      kia_timing: 'during_transit',
    } as const;
    const dow = { ...kia, facility: 'Role2', death_type: 'DOW', kia_timing: 'at_facility' } as const;
    const record = (injury_type: string, last: typeof kia | typeof dow) =>
      ({ injury_type, status: last.death_type, movement_timeline: [last] }) as unknown as PatientRecord;
    // Act + Assert
    expect(outcomeOf(record('DISEASE', dow))!.label).toBe('Died of illness at Role 2');
    expect(outcomeOf(record('NON_BATTLE', kia))!.label).toBe('Died of injuries at POI');
    expect(outcomeOf(record('BATTLE_TRAUMA', kia))!.label).toBe('Killed in action at POI');
    expect(eventLabel(dow, 'DISEASE')).toBe('Died of illness');
    expect(eventLabel(kia, 'NON_BATTLE')).toBe('Died of injuries in transit');
    expect(eventLabel(dow, 'BATTLE_TRAUMA')).toBe('Died of wounds');
  });

  it('says how a patient ended, telling KIA from DOW and naming the place', () => {
    // Prepare
    const dow = records.find((r) => r.status === 'DOW' && r.injury_type === 'BATTLE_TRAUMA')!;
    const role4 = records.find((r) => r.status === 'Remains_Role4')!;
    // Act + Assert
    expect(outcomeOf(dow)!.label).toMatch(/^Died of wounds at (Role \d|POI)$/);
    expect(outcomeOf(role4)!.label).toBe('Remains at Role 4');
    const kia = dow.movement_timeline[dow.movement_timeline.length - 1];
    expect(eventLabel(kia, dow.injury_type)).toMatch(/^Died of wounds/);
    expect(eventLabel(dow.movement_timeline[0], dow.injury_type)).toBe('Injured (point of injury)');
  });

  it('calls the start of an illness its onset, not an injury: Fell ill, hours after onset (fix 0356)', () => {
    // Prepare
    const ill = records.find((r) => r.injury_type === 'DISEASE')!;
    const hurt = records.find((r) => r.injury_type === 'NON_BATTLE')!;
    // Act
    const words = [startWords(ill.injury_type), startWords(hurt.injury_type)];
    // Assert
    expect(words).toEqual([
      { card: 'Illness', happened: 'Fell ill', since: 'onset' },
      { card: 'Injury', happened: 'Injured', since: 'injury' },
    ]);
    expect(eventLabel(ill.movement_timeline[0], ill.injury_type)).toBe('Fell ill (point of injury)');
    expect(eventLabel(hurt.movement_timeline[0], hurt.injury_type)).toBe('Injured (point of injury)');
  });

  it('calls a missing mechanism an illness only for an illness: an injury without a vetted cause is not coded (fix 0403)', () => {
    // Prepare
    const ill = records.find((r) => r.injury_type === 'DISEASE' && r.mechanism === null)!;
    const uncoded = { injury_type: 'NON_BATTLE' as const, mechanism: null };
    const coded = records.find((r) => r.mechanism !== null)!;
    // Act
    const words = [mechanismWords(ill), mechanismWords(uncoded), mechanismWords(coded)];
    // Assert: before the fix the console read "Illness" for a heat stroke's missing mechanism
    expect(words).toEqual([
      'None: an illness',
      'Not coded: no vetted code names its cause',
      coded.mechanism!.name,
    ]);
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
      eventLabel({ ...base, event_type: 'wait', wait_hours: 1.5 }, 'BATTLE_TRAUMA'),
      eventLabel(
        { ...base, event_type: 'diversion', to_facility: 'Role3', transit_duration_hours: 2 },
        'BATTLE_TRAUMA',
      ),
      eventLabel({ ...base, event_type: 'triage', triage_category: 'T4' }, 'BATTLE_TRAUMA'),
      eventLabel(
        { ...base, health: 0, event_type: 'kia', death_type: 'DOW', kia_timing: 'waiting' },
        'BATTLE_TRAUMA',
      ),
    ];
    // Assert
    expect(labels[0]).toMatch(/^Waited for a bed at Role 2 \(1(\.5)? ?h/);
    expect(labels[1]).toBe('Diverted from Role 2 to Role 3 (full)');
    expect(labels[2]).toBe('Re-triaged T4 (expectant)');
    expect(labels[3]).toBe('Died of wounds waiting for a bed');
  });

  it('names the configured facilities of a wait and a diversion by their ids', () => {
    // Prepare
    const base = { timestamp: '2026-01-01T00:00:00Z', hours_since_injury: 1, health: 40 };
    // Act
    const wait = eventLabel(
      {
        ...base,
        facility: 'Role2',
        facility_id: 'r2a',
        event_type: 'wait',
        wait_hours: 2,
      },
      'BATTLE_TRAUMA',
    );
    const diversion = eventLabel(
      {
        ...base,
        facility: 'Role2',
        facility_id: 'r2a',
        event_type: 'diversion',
        to_facility: 'Role2',
        to_facility_id: 'r2b',
        transit_duration_hours: 0.5,
      },
      'BATTLE_TRAUMA',
    );
    // Assert
    expect(wait).toBe('Waited for a bed at Role 2 (r2a) (2.0 h)');
    expect(diversion).toBe('Diverted from Role 2 (r2a) to Role 2 (r2b) (full)');
  });

  it('tiles a journey with short beds: a diversion is a transit on, a wait a queue span until the arrival', () => {
    // Prepare
    const queued = shortBeds.filter((r) =>
      r.movement_timeline.some((e) => e.event_type === 'wait' || e.event_type === 'diversion'),
    );
    expect(queued.length).toBeGreaterThan(20);
    for (const patient of queued) {
      const timeline = patient.movement_timeline;
      // Act
      const segments = journeySegments(timeline);
      // Assert
      for (let i = 1; i < segments.length; i++) expect(segments[i].from).toBe(segments[i - 1].to);
      const count = (type: string) => timeline.filter((e) => e.event_type === type).length;
      const spans = (kind: string) => segments.filter((s) => s.kind === kind).length;
      expect(spans('wait')).toBeLessThanOrEqual(count('wait'));
      expect(spans('transit')).toBeLessThanOrEqual(count('transit_start') + count('diversion'));
      for (const s of segments.filter((x) => x.kind === 'wait')) {
        const arrival = timeline.find((e) => e.event_type === 'arrival' && e.hours_since_injury === s.to);
        const ended = timeline[timeline.length - 1].hours_since_injury === s.to;
        expect(
          arrival !== undefined || ended,
          `patient ${patient.id}: a wait ends at an arrival or the end`,
        ).toBe(true);
      }
    }
  });

  it('gives the health course of every event, its lowest point and the last value, 0 at a death', () => {
    // Prepare
    const died = shortBeds.find((r) => r.status === 'KIA' || r.status === 'DOW')!;
    const lived = shortBeds.find((r) => r.status === 'RTD')!;
    // Act
    const deathCourse = healthCourse(died.movement_timeline, died.injury_type)!;
    const lifeCourse = healthCourse(lived.movement_timeline, lived.injury_type)!;
    // Assert
    expect(deathCourse.points.map((p) => p.health)).toEqual(died.movement_timeline.map((e) => e.health));
    expect(deathCourse.points.map((p) => p.hours)).toEqual(
      died.movement_timeline.map((e) => e.hours_since_injury),
    );
    expect(deathCourse.last).toBe(0);
    expect(deathCourse.lowest.health).toBe(0);
    expect(lifeCourse.last).toBeGreaterThan(0);
    expect(lifeCourse.lowest.health).toBe(Math.min(...lived.movement_timeline.map((e) => e.health)));
    expect(lifeCourse.first).toBe(lived.movement_timeline[0].health);
    expect(healthCourse([], 'BATTLE_TRAUMA')).toBeNull();
  });

  it('gives each medication its hours since injury from injury_time, in the record order', () => {
    // Prepare
    const patient = shortBeds.find((r) => r.medications.length >= 3)!;
    const end = patient.movement_timeline[patient.movement_timeline.length - 1].hours_since_injury;
    // Act
    const rows = medicationRows(patient);
    // Assert
    expect(rows.map((m) => m.code)).toEqual(patient.medications.map((m) => m.code));
    for (const row of rows) {
      expect(row.hours_since_injury).not.toBeNull();
      expect(row.hours_since_injury!).toBeGreaterThanOrEqual(0);
      expect(row.hours_since_injury!).toBeLessThanOrEqual(end + 1e-9);
    }
    expect(
      medicationRows({
        injury_time: '2026-01-01T10:00:00Z',
        medications: [
          {
            code: 'B02AA02',
            name: 'tranexamic acid',
            system: 'http://www.whocc.no/atc',
            facility: 'POI',
            timestamp: '2026-01-01T10:45:00Z',
          },
        ],
      })[0].hours_since_injury,
    ).toBe(0.75);
    expect(systemLabel('http://www.whocc.no/atc')).toBe('ATC');
    expect(systemLabel('http://snomed.info/sct')).toBe('SNOMED CT');
  });

  it('tells complications from the wound or illness by the record fields alone', () => {
    // Prepare
    const condition = (code: string, primary: boolean, body_part = 'Systemic') =>
      ({ code, primary, body_part }) as PatientRecord['conditions'][number];
    const wound = condition('125643001', true, 'Left Leg');
    const battle = (extra: PatientRecord['conditions'][number]) => ({
      injury_type: 'BATTLE_TRAUMA' as const,
      conditions: [wound, extra],
    });
    const illness = (
      primary: PatientRecord['conditions'][number],
      extra: PatientRecord['conditions'][number],
    ) => ({
      injury_type: 'DISEASE' as const,
      conditions: [primary, extra],
    });
    const hypothermia = condition('386689009', false);
    const sepsis = condition('91302008', false);
    const dehydration = condition('34095006', false);
    // Act + Assert: a wound's hypothermia and sepsis followed from it
    expect(isComplication(hypothermia, battle(hypothermia))).toBe(true);
    expect(isComplication(sepsis, battle(sepsis))).toBe(true);
    // a primary one, or another injury, never is
    expect(isComplication(condition('386689009', true), battle(hypothermia))).toBe(false);
    expect(isComplication(condition('19130008', false), battle(condition('19130008', false)))).toBe(false);
    // an illness brings its own sepsis (pneumonia) or dehydration (gastroenteritis)
    const pneumonia = condition('233604007', true, 'Chest');
    const gastroenteritis = condition('25374005', true, 'Abdomen');
    expect(isComplication(sepsis, illness(pneumonia, sepsis))).toBe(false);
    expect(isComplication(dehydration, illness(gastroenteritis, dehydration))).toBe(false);
    expect(isComplication(dehydration, illness(pneumonia, dehydration))).toBe(true);
  });

  it('marks complications only after the wound or illness conditions, never a primary one, in generated records', () => {
    // Prepare
    let marked = 0;
    for (const record of [...shortBeds, ...records]) {
      // Act
      const flags = record.conditions.map((c) => isComplication(c, record));
      // Assert: complications are appended last (lib/generation/medications.ts)
      const first = flags.indexOf(true);
      if (first < 0) continue;
      marked++;
      expect(flags.slice(first).every(Boolean), `patient ${record.id}`).toBe(true);
      expect(record.conditions.slice(first).some((c) => c.primary)).toBe(false);
    }
    expect(marked).toBeGreaterThan(10);
  });

  it('counts waits, diversions, re-triage, medications and allergies for the patient table', () => {
    // Prepare
    const queued = shortBeds.find((r) => r.movement_timeline.some((e) => e.event_type === 'wait'))!;
    const waits = queued.movement_timeline.filter((e) => e.event_type === 'wait');
    // Act
    const flags = careFlags(queued);
    const all = shortBeds.map(careFlags);
    // Assert
    expect(flags.waits).toBe(waits.length);
    expect(flags.waitHours).toBeCloseTo(
      waits.reduce((a, e) => a + (e.event_type === 'wait' ? e.wait_hours : 0), 0),
      9,
    );
    expect(flags.medications).toBe(queued.medications.length);
    expect(flags.allergies).toBe(queued.allergies.length);
    expect(all.some((f) => f.diversions > 0)).toBe(true);
    expect(all.some((f) => f.lastTriage === 'T4')).toBe(true);
    expect(all.filter((f) => f.allergies > 0).length).toBeGreaterThan(50);
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

describe('patient table view in the address', () => {
  it('reads back the filters, page and page size it wrote, and writes nothing for the first view', () => {
    // Prepare
    const view = {
      filters: { ...NO_FILTERS, q: 'Nõmm & co', triage: 'T1', status: 'KIA,DOW' },
      page: 3,
      perPage: 50,
    };

    // Act
    const query = tableViewQuery(view);
    const back = tableViewFromQuery(new URLSearchParams(query));

    // Assert
    expect(back).toEqual(view);
    expect(tableViewQuery(tableViewFromQuery(new URLSearchParams('')))).toBe('');
  });

  it('falls back to page 1 and 25 rows for a page or page size it cannot use', () => {
    // Prepare
    const odd = ['page=0', 'page=-2', 'page=2.5', 'page=abc', 'per_page=7', 'per_page=1e9'];

    // Act
    const views = odd.map((q) => tableViewFromQuery(new URLSearchParams(q)));

    // Assert
    for (const view of views) expect([view.page, view.perPage]).toEqual([1, 25]);
  });
});
