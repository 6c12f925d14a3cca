/**
 * FHIR Encounters of casualties that a full facility turned away (`diversion` events, scenarios with
 * bed capacities): the evacuation ends where the casualty was actually taken
 * (memory/fixes/0131-fhir-ignored-diversions.md); a death while queued for a bed (`wait`) says so
 * (memory/fixes/0132-fhir-death-while-waiting-said-at-the-echelon-left.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FACILITY_NAMES, type Facility } from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
} from '../../../lib/generation/index.js';
import { type Bundle, type Loose, parseNdjson, renderFhir } from './fhir-support.js';

// Two small Role 2s, a small Role 1 and Role 3, so casualties wait, are diverted and some die on the way.
const scenario = loadScenario({
  ...DEFAULT_SCENARIO,
  total_patients: 300,
  days_of_fighting: 1,
  special_events: { mass_casualty: true },
  facility_configs: [
    {
      id: 'r1',
      name: 'Aid post "North"',
      role: 'Role1' as const,
      capacity: 2,
      kia_rate: 0.02,
      rtd_rate: 0.25,
    },
    { id: 'r2a', name: 'Role 2 A', role: 'Role2' as const, capacity: 1, kia_rate: 0.02, rtd_rate: 0.35 },
    { id: 'r2b', name: 'Role 2 B', role: 'Role2' as const, capacity: 1, kia_rate: 0.02, rtd_rate: 0.35 },
    { id: 'r3', name: 'Field hospital', role: 'Role3' as const, capacity: 2, kia_rate: 0.01, rtd_rate: 0.45 },
  ],
});
const jobPlan = plan(scenario, 7);
const records: PatientRecord[] = [...generate(jobPlan)];
const diverted = records.filter((r) => r.movement_timeline.some((e) => e.event_type === 'diversion'));

// The first bundle is the job's facilities; each patient's follows.
let patients: Bundle[];

beforeAll(async () => {
  [, ...patients] = parseNdjson(await renderFhir(jobPlan, {}, records));
});

const encountersOf = (bundle: Bundle): Loose[] =>
  bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Encounter');
/** The name a place goes by: its configured facility's where the record names one, else its echelon's. */
const placeName = (facility: Facility, id: string | undefined): string =>
  id === undefined ? FACILITY_NAMES[facility] : scenario.facilities.find((f) => f.id === id)!.name;

type Death = Extract<PatientRecord['movement_timeline'][number], { event_type: 'kia' }>;

/** The record's death event, if it died. */
function deathOf(record: PatientRecord): Death | undefined {
  const last = record.movement_timeline.at(-1)!;
  return last.event_type === 'kia' ? last : undefined;
}

/** A death in words: only a battle casualty is killed in action or dies of wounds (fix 0320). */
const wording = (record: PatientRecord, death: Death) =>
  record.injury_type === 'DISEASE'
    ? 'Died of illness'
    : record.injury_type === 'NON_BATTLE'
      ? 'Died of injuries'
      : death.death_type === 'KIA'
        ? 'Killed in action'
        : 'Died of wounds';

/** Where the casualty was being taken when it died in transit: the last transit's or diversion's target. */
function headedTo(record: PatientRecord): string {
  let to = '';
  for (const e of record.movement_timeline) {
    if (e.event_type === 'transit_start') to = placeName(e.to_facility, undefined);
    if (e.event_type === 'diversion') to = placeName(e.to_facility, e.to_facility_id);
  }
  return to;
}

describe('fhir format: diverted casualties', () => {
  it('discharges each encounter to the Location of the next encounter, also after a diversion', () => {
    // Prepare
    expect(diverted.length).toBeGreaterThan(20);
    for (const record of diverted) {
      const bundle = patients[record.id];
      // Act
      const encounters = encountersOf(bundle);
      // Assert
      encounters.slice(0, -1).forEach((encounter, k) => {
        const next = encounters[k + 1].location[0].location.reference;
        expect(encounter.hospitalization.destination?.reference, `patient ${record.id}`).toBe(next);
        expect(encounter.hospitalization.dischargeDisposition.text).toContain(
          `Evacuated to ${encounters[k + 1].location[0].location.display}`,
        );
      });
    }
  });

  it('names the facility a casualty who died in transit was being taken to, after any diversion', () => {
    // Prepare
    const deaths = diverted.filter((r) => deathOf(r)?.kia_timing === 'during_transit');
    expect(deaths.length).toBeGreaterThan(0);
    for (const record of deaths) {
      const what = wording(record, deathOf(record)!);
      // Act
      const last = encountersOf(patients[record.id]).at(-1)!;
      // Assert
      expect(last.hospitalization.dischargeDisposition.text).toMatch(
        new RegExp(`^${what} during transit to ${literal(headedTo(record))}( \\(|$)`),
      );
    }
  });

  it('says a casualty who died queued for a bed died waiting at that facility, not at the echelon it left', () => {
    // Prepare
    const deaths = records.filter((r) => deathOf(r)?.kia_timing === 'waiting');
    expect(deaths.length).toBeGreaterThan(0);
    for (const record of deaths) {
      const death = deathOf(record)!;
      // Act
      const last = encountersOf(patients[record.id]).at(-1)!;
      // Assert
      expect(last.hospitalization.dischargeDisposition.text, `patient ${record.id}`).toMatch(
        new RegExp(
          `^${wording(record, death)} while waiting for a bed at ${literal(placeName(death.facility, death.facility_id))}( \\(|$)`,
        ),
      );
    }
  });

  it('says which facilities had no free bed, by their scenario names', () => {
    // Prepare: a casualty turned away first by Role 2 A (a later one is named after "then at")
    const record = diverted.find(
      (r) => r.movement_timeline.find((e) => e.event_type === 'diversion')?.facility_id === 'r2a',
    )!;
    // Act
    const texts = encountersOf(patients[record.id]).map(
      (e) => e.hospitalization?.dischargeDisposition?.text as string | undefined,
    );
    // Assert
    expect(texts.some((t) => t?.includes('no free bed at Role 2 A'))).toBe(true);
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
