/**
 * The places of care in FHIR: each configured facility is a Location and Organization of its own, and
 * every Encounter and Procedure points at the facility the record's facility_id names
 * (memory/fixes/0148-fhir-merged-facilities-of-one-echelon.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FACILITY_NAMES } from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  seedWords,
} from '../../../lib/generation/index.js';
import {
  compilePatientBundleSerializer,
  createJobContext,
  deterministicUuid,
} from '../../../lib/output/fhir/index.js';
import { type Bundle, type Loose, parseNdjson, renderFhir } from './fhir-support.js';

// Poland and Estonia each have their own Role 2; Finland's casualties go to the shared one. Only
// Poland has a Role 3: Estonia and Finland reach the echelon's generic Role 3.
const scenario = loadScenario({
  ...DEFAULT_SCENARIO,
  total_patients: 400,
  facility_configs: [
    { id: 'r1', name: 'Aid post', role: 'Role1' as const, kia_rate: 0.02, rtd_rate: 0.25 },
    {
      id: 'r2-pl',
      name: 'Role 2 Poznan',
      role: 'Role2' as const,
      front_id: 'poland',
      kia_rate: 0.02,
      rtd_rate: 0.3,
    },
    {
      id: 'r2-ee',
      name: 'Role 2 Tapa',
      role: 'Role2' as const,
      front_id: 'estonia',
      kia_rate: 0.02,
      rtd_rate: 0.3,
    },
    { id: 'r2-all', name: 'Role 2 Reserve', role: 'Role2' as const, kia_rate: 0.02, rtd_rate: 0.3 },
    {
      id: 'r3-pl',
      name: 'Field hospital Bydgoszcz',
      role: 'Role3' as const,
      front_id: 'poland',
      kia_rate: 0.01,
      rtd_rate: 0.4,
    },
  ],
});
const jobPlan = plan(scenario, 11);
const records: PatientRecord[] = [...generate(jobPlan)];

let facilities: Bundle;
let patients: Bundle[];

beforeAll(async () => {
  [facilities, ...patients] = parseNdjson(await renderFhir(jobPlan, {}, records));
});

const resources = (bundle: Bundle, type: string): Loose[] =>
  bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
const identifierOf = (resource: Loose): string =>
  `${resource.identifier[0].system}|${resource.identifier[0].value}`;
const locationByReference = (reference: string): Loose =>
  resources(facilities, 'Location').find((l) => `Location/${l.id}` === reference);

describe('fhir format: sites of care', () => {
  it('writes a Location and an Organization per configured facility, and per echelon some front reaches without one', () => {
    // Act
    const locations = resources(facilities, 'Location').map(identifierOf);
    const organizations = resources(facilities, 'Organization').map(identifierOf);
    // Assert
    const expected = [
      'urn:milmed:facility|POI',
      'urn:milmed:scenario-facility|r1',
      'urn:milmed:scenario-facility|r2-pl',
      'urn:milmed:scenario-facility|r2-ee',
      'urn:milmed:scenario-facility|r2-all',
      'urn:milmed:facility|Role3',
      'urn:milmed:scenario-facility|r3-pl',
      'urn:milmed:facility|Role4',
    ];
    expect(locations).toEqual(expected);
    expect(organizations).toEqual(expected);
    const tapa = resources(facilities, 'Location')[3];
    expect([tapa.name, tapa.mode, tapa.alias]).toEqual(['Role 2 Tapa', 'instance', [FACILITY_NAMES.Role2]]);
  });

  it('puts each Encounter, its service provider and its Procedures at the facility its arrival names', () => {
    // Prepare
    const seen = new Set<string>();
    records.forEach((record, i) => {
      const arrivals = record.movement_timeline.filter((e) => e.event_type === 'arrival');
      // Act
      const encounters = resources(patients[i], 'Encounter');
      // Assert
      expect(encounters).toHaveLength(arrivals.length);
      encounters.forEach((encounter, k) => {
        const location = locationByReference(encounter.location[0].location.reference);
        const expected =
          arrivals[k].facility_id === undefined
            ? `urn:milmed:facility|${arrivals[k].facility}`
            : `urn:milmed:scenario-facility|${arrivals[k].facility_id}`;
        expect(identifierOf(location), `patient ${i} encounter ${k}`).toBe(expected);
        expect(encounter.serviceProvider.display).toBe(location.name);
        seen.add(expected);
      });
      for (const procedure of resources(patients[i], 'Procedure')) {
        const encounter = encounters.find((e) => `urn:uuid:${e.id}` === procedure.encounter.reference);
        expect(procedure.location.reference).toBe(encounter.location[0].location.reference);
      }
    });
    // Both own Role 2s, the shared one and the generic Role 3 are reached in this job.
    for (const site of ['r2-pl', 'r2-ee', 'r2-all'].map((id) => `urn:milmed:scenario-facility|${id}`))
      expect(seen).toContain(site);
    expect(seen).toContain('urn:milmed:facility|Role3');
  });

  it('evacuates to the facility of the next Encounter, by its configured name', () => {
    // Prepare
    const toOwnRole2 = records.findIndex((r) =>
      r.movement_timeline.some((e) => e.event_type === 'arrival' && e.facility_id === 'r2-ee'),
    );
    const encounters = resources(patients[toOwnRole2], 'Encounter');
    // Act
    const k = encounters.findIndex((e) => e.location[0].location.display === 'Role 2 Tapa');
    const [role1, role2] = [encounters[k - 1], encounters[k]];
    // Assert
    expect(role1.hospitalization.destination).toEqual(role2.location[0].location);
    expect(role1.hospitalization.dischargeDisposition.text).toBe('Evacuated to Role 2 Tapa');
  });

  it('keeps the five echelon sites, with their ids, for a scenario without facility configs', () => {
    // Prepare
    const bare = plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: 5, facility_configs: [] }), 11);
    // Act
    const ctx = createJobContext(bare);
    // Assert
    const seed = seedWords(bare.seed);
    expect(ctx.configured.size).toBe(0);
    expect(Object.values(ctx.echelons).map((s) => s.location.reference)).toEqual(
      [0, 1, 2, 3, 4].map((role) => `Location/${deterministicUuid(seed, 0xffffffff, 10 + 2 * role + 1)}`),
    );
  });

  it('refuses a record whose facility_id is not a facility of the job', () => {
    // Prepare
    const serialize = compilePatientBundleSerializer(createJobContext(jobPlan));
    const record = structuredClone(records[0]);
    const arrival = record.movement_timeline.find((e) => e.event_type === 'arrival' && e.facility_id)!;
    arrival.facility_id = 'elsewhere';
    // Act / Assert
    expect(() => serialize(record)).toThrow(
      `facility_id "elsewhere" is not a facility of this job's scenario`,
    );
  });
});
