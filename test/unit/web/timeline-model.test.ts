import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  generate,
  loadScenario,
  plan,
  presetScenario,
} from '../../../lib/generation/index.js';
import { AFTER_LAST_INJURY_S, timeSpans } from '../../../web/src/viewer/playback.js';
import {
  END,
  endState,
  isEnd,
  isLive,
  KIND,
  liveState,
  OUTCOMES,
  type PatientSteps,
  parseUtc,
  patientSteps,
  STATE_COUNT,
  stateColumn,
  stateKind,
  ViewerDataBuilder,
} from '../../../web/src/viewer/timeline-model.js';
import { engineRecords } from './viewer-fixtures.js';

const records = engineRecords(400, 5);
const steps = (r: unknown) => patientSteps(r) as PatientSteps;
const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('viewer timeline model (one record → time steps)', () => {
  it('starts every engine patient at POI at its injury time, steps never go back, and ends as its status says', () => {
    for (const record of records) {
      // Act
      const s = steps(record);

      // Assert
      expect(s.times[0]).toBe(seconds(record.injury_time));
      expect(s.states[0] === liveState(0, KIND.at) || s.states[0] === liveState(0, KIND.waiting)).toBe(true);
      expect(s.times.every((t, i) => i === 0 || t > s.times[i - 1])).toBe(true);
      expect(OUTCOMES[s.outcome]).toBe(record.status);
    }
  });

  it('moves a patient through awaiting evacuation, in transit towards the next role, and at the role it ends at', () => {
    // Prepare
    const record = records.find((r) => r.last_facility === 'Role2' && r.status === 'RTD');
    const transit = record?.movement_timeline.find((e) => e.event_type === 'transit_start');

    // Act
    const s = steps(record);

    // Assert
    expect(s.states.slice(0, 3)).toEqual([
      liveState(0, KIND.waiting),
      liveState(1, KIND.inbound),
      liveState(1, KIND.waiting),
    ]);
    expect(s.states.at(-2)).toBe(liveState(2, KIND.at));
    expect(s.times[1]).toBe(seconds(transit?.timestamp ?? ''));
  });

  it('counts a death in transit where the event says it happened, and DOW apart from KIA by the status', () => {
    // Prepare
    const inTransit = records.find((r) =>
      r.movement_timeline.some(
        (e) => e.event_type === 'kia' && e.kia_timing === 'during_transit' && e.facility === 'POI',
      ),
    );
    const dow = records.find((r) => r.status === 'DOW');
    const deathFacility = inTransit?.movement_timeline.at(-1)?.facility;

    // Act
    const a = steps(inTransit);
    const b = steps(dow);

    // Assert
    expect(deathFacility).toBe('POI');
    expect(a.states.at(-1)).toBe(endState(0, END.KIA));
    const dowColumn = ['POI', 'Role1', 'Role2', 'Role3', 'Role4'].indexOf(dow?.last_facility ?? '');
    expect(b.states.at(-1)).toBe(endState(dowColumn, END.DOW));
  });

  it('reads a time without a zone as UTC, not the viewer local time (the original viewer bug)', () => {
    // Act / Assert
    expect(parseUtc('2025-06-01T06:29:01')).toBe(Date.parse('2025-06-01T06:29:01Z'));
    expect(parseUtc('2025-06-01T08:29:01+02:00')).toBe(Date.parse('2025-06-01T06:29:01Z'));
    expect(parseUtc('not a date')).toBeNaN();
  });

  it('derives event times from injury_time + hours_since_injury when an event has no timestamp', () => {
    // Prepare
    const record = {
      id: 'x',
      triage_category: 'T2',
      injury_time: '2025-06-01T00:00:00Z',
      movement_timeline: [
        { event_type: 'arrival', facility: 'POI', hours_since_injury: 0 },
        { event_type: 'transit_start', facility: 'POI', to_facility: 'Role1', hours_since_injury: 1.5 },
        { event_type: 'rtd', facility: 'Role1', hours_since_injury: 4 },
      ],
    };

    // Act
    const s = steps(record);

    // Assert
    const t0 = seconds('2025-06-01T00:00:00Z');
    expect(s.times).toEqual([t0, t0 + 5400, t0 + 14_400]);
    expect(s.states).toEqual([liveState(0, KIND.at), liveState(1, KIND.inbound), endState(1, END.RTD)]);
    expect(OUTCOMES[s.outcome]).toBe('RTD');
  });

  it('reads a wait and a diversion as still inbound to the facility, and skips a re-triage', () => {
    // Prepare: one small Role 1 and two small Role 2s, so patients queue and are diverted.
    const rates = { kia_rate: 0.02, rtd_rate: 0.3 };
    const input = {
      ...DEFAULT_SCENARIO,
      total_patients: 600,
      days_of_fighting: 1,
      facility_configs: [
        { id: 'r1', name: 'Role 1', role: 'Role1' as const, capacity: 2, ...rates },
        { id: 'a', name: 'Role 2 A', role: 'Role2' as const, capacity: 1, ...rates },
        { id: 'b', name: 'Role 2 B', role: 'Role2' as const, capacity: 1, ...rates },
      ],
    };
    const capped = [...generate(plan(loadScenario(input), 3))];
    const waited = capped.find((r) =>
      r.movement_timeline.some(
        (e, k) =>
          e.event_type === 'wait' &&
          e.facility === 'Role1' &&
          r.movement_timeline[k + 1].event_type === 'arrival',
      ),
    );
    const wait = waited?.movement_timeline.find((e) => e.event_type === 'wait');

    // Act
    const s = steps(waited);

    // Assert: inbound to Role 1 from the transit through the wait, then at Role 1 once admitted.
    expect(capped.every((r) => patientSteps(r) !== null && typeof patientSteps(r) !== 'string')).toBe(true);
    const at = (t: number) => s.states[s.times.filter((x) => x <= t).length - 1];
    expect(at(seconds(wait?.timestamp ?? ''))).toBe(liveState(1, KIND.inbound));
    expect(s.states).toContain(liveState(1, KIND.waiting));
  });
});

describe('viewer timeline model: convalescence', () => {
  it('moves a casualty discharged from Role 4 to convalescing there, out of its beds, until its return to duty (fix 0319)', () => {
    // Prepare
    const record = records.find((r) => r.movement_timeline.some((e) => e.event_type === 'discharge'));
    const discharge = record?.movement_timeline.at(-2);
    const rtd = record?.movement_timeline.at(-1);

    // Act
    const s = steps(record);

    // Assert: at Role 4, convalescing from the discharge, then the return to duty counted at Role 4.
    expect(discharge?.event_type).toBe('discharge');
    expect(s.states.slice(-3)).toEqual([
      liveState(4, KIND.at),
      liveState(4, KIND.convalescing),
      endState(4, END.RTD),
    ]);
    expect(s.times.at(-2)).toBe(seconds(discharge?.timestamp ?? ''));
    expect(s.times.at(-1)).toBe(seconds(rtd?.timestamp ?? ''));
  });

  it('keeps every state of every column and end apart: its column and kind read back', () => {
    // Act + Assert
    const seen = new Set<number>();
    for (let column = 0; column < 5; column++) {
      for (const kind of Object.values(KIND)) {
        const state = liveState(column, kind);
        expect([stateColumn(state), stateKind(state), isLive(state)]).toEqual([column, kind, true]);
        seen.add(state);
      }
      for (const end of Object.values(END)) {
        const state = endState(column, end);
        expect([stateColumn(state), isEnd(state)]).toEqual([column, true]);
        seen.add(state);
      }
    }
    expect(seen.size).toBe(STATE_COUNT - 1);
  });
});

describe('viewer data (the whole file)', () => {
  it('records the latest injury, so a preset held for weeks under its evacuation policy opens on its casualty days', () => {
    // Prepare: a preset with a 7-day policy; its Role 4 holds run weeks past the last injury
    const preset = PRESETS.find((p) => p.id === 'nato_article_5');
    const input = { ...presetScenario(preset!), total_patients: 600 };
    const held = [...generate(plan(loadScenario(input), 5))];
    const builder = new ViewerDataBuilder();

    // Act
    for (const [i, r] of held.entries()) builder.add(r, `record ${i}`);
    const data = builder.build();
    const spans = timeSpans(data.start, data.end, data.lastInjury);

    // Assert: the latest injury_time, and a first span that ends three days after it, well before the end
    expect(data.lastInjury).toBe(Math.max(...held.map((r) => seconds(r.injury_time))));
    expect(spans).toHaveLength(2);
    expect(spans[0].end).toBe(data.lastInjury + AFTER_LAST_INJURY_S);
    expect(spans[1].end).toBe(data.end);
    expect(data.end - data.start).toBeGreaterThan(2 * (spans[0].end - data.start));
  });
});
