import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BLOOD_GROUP_CODES,
  BODY_HEIGHT,
  BODY_SITE_CODES,
  BODY_WEIGHT,
  FACILITIES,
  FACILITY_NAMES,
  isVaccine,
  SEVERITY_GRADES,
  VITAL_SIGNS,
} from '../../../lib/data/index.js';
import {
  findPreset,
  GENERATOR_VERSION,
  generate,
  loadScenario,
  type PatientRecord,
  plan as planJob,
  presetScenario,
  seedWords,
} from '../../../lib/generation/index.js';
import {
  compilePatientBundleSerializer,
  createFhirFormat,
  createJobContext,
  deterministicUuid,
  FhirNdjsonTransform,
  fhirFormat,
} from '../../../lib/output/fhir/index.js';
import { loadVettedCodes, normaliseDisplay } from '../../support/vetted-codes.js';
import { readAll } from '../../support/zip.js';
import { buildPatientBundle } from './fhir-bundle-oracle.js';
import {
  type Bundle,
  codingsOf,
  type Entry,
  type Loose,
  parseNdjson,
  quantitiesOf,
  referencesOf,
  renderFhir,
  resolver,
} from './fhir-support.js';
import { testPlan } from './support.js';

const N = 1000;
const plan = testPlan(N, 42);
const records = [...generate(plan)];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const ATC = 'http://www.whocc.no/atc';
/** UCUM units of codes.md section 5 (the R4 vital-signs units, plus {score} for GCS). */
const VETTED_UNITS = new Set(['/min', '%', 'Cel', '[degF]', 'mm[Hg]', 'kg', 'cm', 'kg/m2', '{score}']);

let bytes: Buffer;
let bundles: Bundle[];
let facilities: Bundle;
let patients: Bundle[];

beforeAll(async () => {
  bytes = await renderFhir(plan);
  bundles = parseNdjson(bytes);
  [facilities, ...patients] = bundles;
});

const resourcesOf = (bundle: Bundle, type?: string) =>
  bundle.entry.map((e) => e.resource).filter((r) => type === undefined || r.resourceType === type);

describe('fhir format: file layout', () => {
  it('is registered as patients.fhir.ndjson, application/fhir+ndjson', () => {
    expect(fhirFormat.format).toBe('fhir');
    expect(fhirFormat.fileName).toBe('patients.fhir.ndjson');
    expect(fhirFormat.contentType).toBe('application/fhir+ndjson');
  });

  it('writes the facilities bundle on line 1, then one collection Bundle per patient in index order', () => {
    // Assert: N + 1 lines, all Bundles of type collection marked as synthetic test data.
    expect(bundles).toHaveLength(N + 1);
    for (const b of bundles) {
      expect(b.resourceType).toBe('Bundle');
      expect(b.type).toBe('collection');
      expect(b.meta).toEqual({
        tag: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
            code: 'HTEST',
            display: 'test health data',
          },
        ],
      });
    }
    patients.forEach((b, i) => {
      const patient = resourcesOf(b, 'Patient');
      expect(patient).toHaveLength(1);
      expect(patient[0].id).toBe(records[i].uuid);
    });
  });

  it('puts an Organization and a Location per configured facility, per echelon without one, and the generator Device in the facilities bundle', () => {
    // Assert: the preset configures Role 1..4 for every front, so only the point of injury is generic.
    const orgs = resourcesOf(facilities, 'Organization');
    const locations = resourcesOf(facilities, 'Location');
    const devices = resourcesOf(facilities, 'Device');
    const expected = [
      { system: 'urn:milmed:facility', value: 'POI' },
      ...plan.scenario.facilities.map((f) => ({ system: 'urn:milmed:scenario-facility', value: f.id })),
    ];
    expect(orgs.map((o) => (o.identifier as Loose)[0])).toEqual(expected);
    expect(locations.map((l) => (l.identifier as Loose)[0])).toEqual(expected);
    expect(locations.map((l) => [l.name, l.mode, l.alias])).toEqual([
      [FACILITY_NAMES.POI, 'kind', undefined],
      ...plan.scenario.facilities.map((f) => [f.name, 'instance', [FACILITY_NAMES[FACILITIES[f.role]]]]),
    ]);
    expect(devices).toHaveLength(1);
    expect(devices[0].version).toEqual([{ value: GENERATOR_VERSION }]);
    expect(facilities.entry).toHaveLength(11);
    for (const l of locations) {
      const org = orgs.find(
        (o) => `urn:uuid:${o.id}` === (l.managingOrganization as { reference: string }).reference,
      );
      expect(org?.name).toBe(l.name);
    }
  });

  it('gives every resource and bundle a distinct UUID-shaped id, with fullUrl urn:uuid:<id>', () => {
    // Assert
    const seen = new Set<string>();
    for (const b of bundles) {
      expect(b.id).toMatch(UUID);
      expect(seen.has(b.id)).toBe(false);
      seen.add(b.id);
      for (const e of b.entry) {
        expect(e.resource.id).toMatch(UUID);
        expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
        expect(seen.has(e.resource.id)).toBe(false);
        seen.add(e.resource.id);
      }
    }
    expect(seen.size).toBeGreaterThan(N * 20);
  });

  it('writes only the facilities bundle for an empty job', async () => {
    // Act
    const out = parseNdjson(await renderFhir(plan, {}, []));
    // Assert
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual(facilities);
  });
});

describe('fhir format: references', () => {
  for (const bundleType of ['collection', 'transaction'] as const) {
    it(`resolves every reference inside its own bundle or to the facilities bundle (${bundleType})`, async () => {
      // Prepare
      const all = bundleType === 'collection' ? bundles : parseNdjson(await renderFhir(plan, { bundleType }));
      const resolve = resolver(all[0]);
      const unresolved: string[] = [];
      // Act
      for (const b of all) {
        for (const e of b.entry) {
          for (const { path, reference } of referencesOf(e.resource)) {
            if (!resolve(b, reference)) unresolved.push(`${e.resource.resourceType}.${path} → ${reference}`);
            // urn:uuid inside a bundle; both bundle types refer to the facilities by the ids of line 1.
            const own = b.entry.some((x) => x.fullUrl === reference);
            if (own) expect(reference).toMatch(/^urn:uuid:/);
            else expect(reference).toMatch(/^(Location|Organization|Device)\/[0-9a-f-]{36}$/);
          }
        }
      }
      // Assert
      expect(unresolved.slice(0, 10)).toEqual([]);
    });
  }

  it('points each reference at the resource type the element expects', () => {
    // Prepare: the R4 target types of the references this writer emits.
    const expected: Record<string, string[]> = {
      subject: ['Patient'],
      encounter: ['Encounter'],
      serviceProvider: ['Organization'],
      managingOrganization: ['Organization'],
      'location[0].location': ['Location'],
      location: ['Location'],
      'hospitalization.destination': ['Location'],
      'diagnosis[].condition': ['Condition'],
      'agent[0].who': ['Device'],
      'target[]': [
        'Patient',
        'Encounter',
        'Condition',
        'AllergyIntolerance',
        'Procedure',
        'MedicationAdministration',
        'Immunization',
        'Observation',
      ],
      patient: ['Patient'],
      context: ['Encounter'],
    };
    const resolve = resolver(facilities);
    // Act / Assert
    for (const b of bundles) {
      for (const e of b.entry) {
        for (const { path, reference } of referencesOf(e.resource)) {
          const key = path.replace(/^(diagnosis|target)\[\d+\]/, '$1[]');
          const types = expected[key];
          expect(types, `unexpected reference path ${key}`).toBeDefined();
          expect(types).toContain(resolve(b, reference)?.resourceType);
        }
      }
    }
  });
});

describe('fhir format: codes', () => {
  it('emits only SNOMED CT and LOINC codes of the vetted set, with their vetted display', () => {
    // Prepare
    const vetted = loadVettedCodes();
    const systemName: Record<string, string> = { [SNOMED]: 'SNOMED CT', [LOINC]: 'LOINC', [ATC]: 'ATC' };
    const problems = new Set<string>();
    // Act
    for (const b of bundles) {
      for (const c of codingsOf(b)) {
        if (c.system === UCUM) continue;
        if (c.system.startsWith('http://terminology.hl7.org/') || c.system === 'urn:iso:std:iso:3166')
          continue;
        const name = systemName[c.system];
        if (!name) {
          problems.add(`unexpected code system ${c.system}`);
          continue;
        }
        const entry = vetted.get(`${name}|${c.code}`);
        if (!entry) problems.add(`${name} ${c.code} ${c.display} is not vetted`);
        else if (c.display && normaliseDisplay(c.display) !== normaliseDisplay(entry.display)) {
          // codes.md keeps the source's wording in a note such as `(as "...")`; accept either.
          if (!entry.display.toLowerCase().includes(c.display.toLowerCase())) {
            problems.add(`${name} ${c.code}: "${c.display}" vs vetted "${entry.display}"`);
          }
        }
      }
    }
    // Assert
    expect([...problems]).toEqual([]);
  });

  it('uses UCUM for every quantity, with units from the vetted list and code = unit', () => {
    for (const b of patients) {
      for (const q of quantitiesOf(b)) {
        expect(q.system).toBe(UCUM);
        expect(VETTED_UNITS.has(q.code)).toBe(true);
        expect(q.unit).toBe(q.code);
      }
    }
  });

  it('gives each LOINC observation the unit of its code (the R4 vital-signs profiles fix them)', () => {
    // Prepare: LOINC code → UCUM unit from the clinical code table.
    const unitOf = new Map<string, string>([
      ...Object.values(VITAL_SIGNS).map((v) => [v.code, v.unit] as [string, string]),
      [BODY_WEIGHT.code, BODY_WEIGHT.unit],
      [BODY_HEIGHT.code, BODY_HEIGHT.unit],
    ]);
    expect(unitOf.get('8867-4')).toBe('/min');
    // Act / Assert
    for (const b of patients) {
      for (const o of resourcesOf(b, 'Observation') as Array<Loose>) {
        const measured = o.valueQuantity ? [o] : (o.component ?? []);
        for (const m of measured) expect(m.valueQuantity.code).toBe(unitOf.get(m.code.coding[0].code));
      }
    }
  });

  it('codes Condition.severity with exactly the three codes of the FHIR condition-severity value set', () => {
    const allowed = new Set<string>(Object.values(SEVERITY_GRADES).map((g) => g.code));
    expect([...allowed].sort()).toEqual(['24484000', '255604002', '6736007']);
    for (const b of patients) {
      for (const c of resourcesOf(b, 'Condition')) {
        const severity = c.severity as { coding: Array<{ system: string; code: string }> };
        expect(severity.coding).toHaveLength(1);
        expect(severity.coding[0].system).toBe(SNOMED);
        expect(allowed.has(severity.coding[0].code)).toBe(true);
      }
    }
  });
});

describe('fhir format: one truth per patient', () => {
  const byType = (b: Bundle, type: string) => resourcesOf(b, type) as Array<Loose>;

  it('carries the demographics into Patient (name, gender, birth date, nationality, service number)', () => {
    patients.forEach((b, i) => {
      const r = records[i];
      const [p] = byType(b, 'Patient');
      expect(p.name[0]).toMatchObject({
        family: r.demographics.family_name,
        given: [r.demographics.given_name],
      });
      expect(p.gender).toBe(r.demographics.gender);
      expect(p.birthDate).toBe(r.demographics.birthdate);
      expect(p.extension).toEqual([
        {
          url: 'http://hl7.org/fhir/StructureDefinition/patient-nationality',
          extension: [
            {
              url: 'code',
              valueCodeableConcept: {
                coding: [expect.objectContaining({ system: 'urn:iso:std:iso:3166', code: r.nationality })],
              },
            },
          ],
        },
      ]);
      expect(p.identifier[0]).toMatchObject({
        system: r.demographics.service_number_system,
        value: r.demographics.service_number,
      });
      expect(p.meta.tag[0].code).toBe('HTEST');
      expect(p.deceasedDateTime).toBe(
        r.final_status === 'KIA' ? r.movement_timeline.at(-1)!.timestamp : undefined,
      );
    });
  });

  it('writes one Encounter per echelon visited, with periods and locations from the timeline', () => {
    let convalescents = 0;
    patients.forEach((b, i) => {
      const r = records[i];
      const encounters = byType(b, 'Encounter');
      const locationName = (e: Loose) => e.location[0].location.display;
      const arrivals = r.movement_timeline.filter((e) => e.event_type === 'arrival');
      expect(encounters.map(locationName)).toEqual(
        arrivals.map((a) =>
          a.facility_id === undefined
            ? FACILITY_NAMES[a.facility]
            : plan.scenario.facilities.find((f) => f.id === a.facility_id)!.name,
        ),
      );
      encounters.forEach((e, k) => {
        expect(e.period.start).toBe(arrivals[k].timestamp);
        if (e.period.end) expect(e.period.end >= e.period.start).toBe(true);
        expect(e.location[0].period.start).toBe(e.period.start);
      });
      const last = encounters.at(-1)!;
      const terminal = r.movement_timeline.at(-1)!;
      const disposition = last.hospitalization?.dischargeDisposition?.coding?.[0]?.code;
      const discharge = r.movement_timeline.find((e) => e.event_type === 'discharge');
      if (r.final_status === 'KIA') {
        expect(disposition).toBe('exp');
        expect(last.period.end).toBe(terminal.timestamp);
      } else if (r.final_status === 'RTD' && discharge !== undefined) {
        // Discharged from Role 4 to convalesce (fix 0319): the stay ends then, the duty weeks later.
        expect(disposition).toBe('home');
        expect(last.period.end).toBe(discharge.timestamp);
        expect(last.hospitalization.dischargeDisposition.text).toBe(
          `Discharged to convalesce; returned to duty on ${terminal.timestamp.slice(0, 10)}`,
        );
        convalescents++;
      } else if (r.final_status === 'RTD') {
        expect(disposition).toBe('oth');
        expect(last.period.end).toBe(terminal.timestamp);
        expect(last.hospitalization.dischargeDisposition.text).toBe('Returned to duty');
      } else {
        expect(last.status).toBe('in-progress');
        expect(last.period.end).toBeUndefined();
      }
      for (const e of encounters.slice(0, -1)) {
        expect(e.status).toBe('finished');
        expect(e.hospitalization.dischargeDisposition.coding[0].code).toBe('other-hcf');
      }
      expect(encounters[0].class.code).toBe('FLD');
    });
    expect(convalescents).toBeGreaterThan(0);
  });

  it('words a death by its cause: only a battle casualty is killed in action or dies of wounds (fix 0320)', async () => {
    // Prepare: a chemical release (illness and non-battle deaths) and a high-intensity war (battle deaths)
    const deaths: { record: PatientRecord; text: string }[] = [];
    for (const preset of ['cbrn_incident', 'arctic_operation']) {
      const job = planJob(loadScenario({ ...presetScenario(findPreset(preset)!), total_patients: 1500 }), 3);
      const jobRecords = [...generate(job)];
      // Act
      const [, ...bundles] = parseNdjson(await renderFhir(job, {}, jobRecords));
      bundles.forEach((b, i) => {
        const r = jobRecords[i];
        if (r.status !== 'KIA' && r.status !== 'DOW') return;
        const last = byType(b, 'Encounter').at(-1)!;
        deaths.push({ record: r, text: last.hospitalization.dischargeDisposition.text });
      });
    }
    // Assert
    const expected = {
      DISEASE: /^Died of illness /,
      NON_BATTLE: /^Died of injuries /,
      BATTLE_TRAUMA: /^(Killed in action|Died of wounds) /,
    };
    for (const type of ['DISEASE', 'NON_BATTLE', 'BATTLE_TRAUMA'] as const) {
      const ofType = deaths.filter((d) => d.record.injury_type === type);
      expect(ofType.length, type).toBeGreaterThan(0);
      for (const d of ofType) expect(d.text, `patient ${d.record.id}`).toMatch(expected[type]);
    }
    for (const d of deaths.filter((x) => x.record.injury_type === 'BATTLE_TRAUMA'))
      expect(d.text.startsWith(d.record.status === 'KIA' ? 'Killed in action' : 'Died of wounds')).toBe(true);
  });

  it('writes each condition with its SNOMED code, body site, severity, and onset and encounter where the record says it was found', () => {
    patients.forEach((b, i) => {
      const r = records[i];
      const conditions = byType(b, 'Condition');
      const encounters = byType(b, 'Encounter');
      expect(conditions).toHaveLength(r.conditions.length);
      conditions.forEach((c, k) => {
        const src = r.conditions[k];
        const encounter = encounters[r.facilities_visited.lastIndexOf(src.facility)];
        expect(c.code.coding[0]).toEqual({ system: SNOMED, code: src.code, display: src.name });
        expect(c.onsetDateTime).toBe(src.timestamp);
        expect(c.recordedDate).toBe(src.timestamp);
        expect(c.encounter.reference).toBe(`urn:uuid:${encounter.id}`);
        expect(encounter.period.start <= src.timestamp).toBe(true);
        expect(c.severity.coding[0].code).toBe(SEVERITY_GRADES[src.severity_grade].code);
        if (src.body_part === 'Systemic') expect(c.bodySite).toBeUndefined();
        else expect(c.bodySite[0].coding[0].code).toBe(BODY_SITE_CODES[src.body_part].code);
        expect(c.category[0].coding[0].code).toBe('encounter-diagnosis');
        expect(c.clinicalStatus.coding[0].code).toBe('active');
        expect(c.verificationStatus.coding[0].code).toBe('confirmed');
        if (src.primary && r.mechanism)
          expect(c.extension[0].valueCodeableConcept.coding[0].code).toBe(r.mechanism.code);
      });
    });
  });

  it('lists each condition among the diagnoses of the encounter that recorded it: on admission as an admission diagnosis, found later in the stay with no role (fix 0384)', () => {
    let admitted = 0;
    let foundInStay = 0;
    patients.forEach((b, i) => {
      // Prepare
      const r = records[i];
      const conditionIds = byType(b, 'Condition').map((c) => `urn:uuid:${c.id}`);
      const encounters = byType(b, 'Encounter');
      r.conditions.forEach((c, k) => {
        const encounter = encounters[r.facilities_visited.lastIndexOf(c.facility)];
        // Act
        const listed = (encounter.diagnosis ?? []).filter(
          (d: { condition: { reference: string } }) => d.condition.reference === conditionIds[k],
        );
        const elsewhere = encounters.filter(
          (e) =>
            e !== encounter &&
            (e.diagnosis ?? []).some(
              (d: { condition: { reference: string } }) => d.condition.reference === conditionIds[k],
            ),
        );
        // Assert
        expect(listed, `patient ${r.id} ${c.name}`).toHaveLength(1);
        expect(elsewhere).toEqual([]);
        if (c.timestamp === encounter.period.start) {
          admitted += c.hours_since_injury > 0 ? 1 : 0;
          expect(listed[0].use.coding[0].code).toBe('AD');
        } else {
          foundInStay++;
          expect(listed[0].use).toBeUndefined();
        }
      });
    });
    // Before fix 0384 every condition was the point of injury's admission diagnosis, found when it was
    expect(admitted).toBeGreaterThan(10);
    expect(foundInStay).toBeGreaterThan(5);
  });

  it('writes a Procedure per treatment, performed at its time in the encounter of its echelon', () => {
    patients.forEach((b, i) => {
      const r = records[i];
      const procedures = byType(b, 'Procedure');
      const encounters = new Map(byType(b, 'Encounter').map((e) => [`urn:uuid:${e.id}`, e]));
      expect(procedures).toHaveLength(r.treatments.length);
      procedures.forEach((p, k) => {
        const t = r.treatments[k];
        expect(p.code.coding[0]).toEqual({ system: SNOMED, code: t.code, display: t.name });
        expect(p.performedDateTime).toBe(t.timestamp);
        const encounter = encounters.get(p.encounter.reference)!;
        expect(encounter.location[0].location.reference).toBe(p.location.reference);
      });
    });
  });

  it('writes a MedicationAdministration per medication but vaccines, given at its time in the encounter of its echelon', () => {
    let count = 0;
    patients.forEach((b, i) => {
      const r = records[i];
      const given = byType(b, 'MedicationAdministration');
      const drugs = r.medications.filter((m) => !isVaccine(m.system, m.code));
      // Encounters follow the visits, so the echelon's encounter is the one at its (last) visit.
      const encounters = byType(b, 'Encounter');
      expect(given).toHaveLength(drugs.length);
      given.forEach((m, k) => {
        const src = drugs[k];
        count++;
        expect(m.status).toBe('completed');
        expect(m.medicationCodeableConcept.coding).toEqual([
          { system: src.system, code: src.code, display: src.name },
        ]);
        expect(m.subject.reference).toBe(`urn:uuid:${r.uuid}`);
        expect(m.effectiveDateTime).toBe(src.timestamp);
        const encounter = encounters[r.facilities_visited.lastIndexOf(src.facility)];
        expect(m.context.reference).toBe(`urn:uuid:${encounter.id}`);
        expect(encounter.period.start <= src.timestamp).toBe(true);
      });
    });
    expect(count).toBeGreaterThan(N);
  });

  it('writes a tetanus booster as a completed Immunization of the patient, at its time, in the encounter and location of its echelon', () => {
    // Prepare
    let count = 0;
    // Act / Assert
    patients.forEach((b, i) => {
      const r = records[i];
      const boosters = r.medications.filter((m) => isVaccine(m.system, m.code));
      const given = byType(b, 'Immunization');
      const encounters = byType(b, 'Encounter');
      expect(given).toHaveLength(boosters.length);
      given.forEach((m, k) => {
        const src = boosters[k];
        count++;
        expect(m.status).toBe('completed');
        expect(m.vaccineCode.coding).toEqual([{ system: ATC, code: 'J07AM01', display: 'tetanus toxoid' }]);
        expect(m.patient.reference).toBe(`urn:uuid:${r.uuid}`);
        expect(m.occurrenceDateTime).toBe(src.timestamp);
        expect(m.primarySource).toBe(true);
        const encounter = encounters[r.facilities_visited.lastIndexOf(src.facility)];
        expect(m.encounter.reference).toBe(`urn:uuid:${encounter.id}`);
        expect(m.location.reference).toBe(encounter.location[0].location.reference);
      });
    });
    expect(count).toBeGreaterThan(0);
  });

  it('writes an AllergyIntolerance per known allergy: confirmed, active, a medication allergy of the patient', () => {
    let count = 0;
    patients.forEach((b, i) => {
      const r = records[i];
      const allergies = byType(b, 'AllergyIntolerance');
      expect(allergies).toHaveLength(r.allergies.length);
      allergies.forEach((a, k) => {
        const src = r.allergies[k];
        count++;
        expect(a.code.coding).toEqual([{ system: src.system, code: src.code, display: src.name }]);
        expect(a.clinicalStatus.coding[0].code).toBe('active');
        expect(a.verificationStatus.coding[0].code).toBe('confirmed');
        expect(a.type).toBe('allergy');
        expect(a.category).toEqual(['medication']);
        expect(a.patient.reference).toBe(`urn:uuid:${r.uuid}`);
      });
    });
    // About one patient in ten.
    expect(count).toBeGreaterThan(N / 20);
  });

  it('writes vital signs (LOINC, UCUM, BP as the 85354-9 panel), blood group, weight and height', () => {
    patients.forEach((b, i) => {
      const r = records[i];
      const obs = byType(b, 'Observation');
      expect(obs).toHaveLength(r.vital_signs.length * 6 + 3);
      r.vital_signs.forEach((v, k) => {
        const set = obs.slice(k * 6, k * 6 + 6);
        for (const o of set) expect(o.effectiveDateTime).toBe(v.timestamp);
        expect(set[0].code.coding[0].code).toBe(VITAL_SIGNS.heart_rate.code);
        expect(set[0].valueQuantity.value).toBe(v.heart_rate);
        expect(set[1].valueQuantity.value).toBe(v.respiratory_rate);
        expect(set[2].code.coding[0].code).toBe('85354-9');
        expect(set[2].component.map((c: Loose) => [c.code.coding[0].code, c.valueQuantity.value])).toEqual([
          ['8480-6', v.systolic_bp],
          ['8462-4', v.diastolic_bp],
        ]);
        expect(set[3].valueQuantity.value).toBe(v.spo2);
        expect(set[4].valueQuantity).toEqual({
          value: v.temperature,
          unit: 'Cel',
          system: UCUM,
          code: 'Cel',
        });
        expect(set[5].valueQuantity.value).toBe(v.gcs);
        for (const o of set.slice(0, 5)) expect(o.category[0].coding[0].code).toBe('vital-signs');
      });
      const [blood, weight, height] = obs.slice(-3);
      expect(blood.code.coding[0].code).toBe('882-1');
      expect(blood.valueCodeableConcept.coding[0].code).toBe(
        BLOOD_GROUP_CODES[r.demographics.blood_type].code,
      );
      expect(weight.valueQuantity).toMatchObject({ value: r.demographics.weight_kg, code: 'kg' });
      expect(height.valueQuantity).toMatchObject({ value: r.demographics.height_cm, code: 'cm' });
    });
  });

  it('closes each bundle with a Provenance over every other resource, with generator, seed and scenario', () => {
    patients.forEach((b, i) => {
      const r = records[i];
      const last = b.entry.at(-1)!.resource as Loose;
      expect(last.resourceType).toBe('Provenance');
      expect(last.target.map((t: { reference: string }) => t.reference)).toEqual(
        b.entry.slice(0, -1).map((e) => e.fullUrl),
      );
      // Never the wall clock: the time of the record's last event.
      expect(last.recorded).toBe(r.movement_timeline.at(-1)!.timestamp);
      expect(last.occurredPeriod.start).toBe(r.injury_time);
      expect(last.agent[0].who.display).toContain(GENERATOR_VERSION);
      expect(last.entity.map((e: Loose) => e.what.identifier.value)).toEqual([plan.scenario.name, '42']);
    });
  });
});

describe('fhir format: determinism', () => {
  it('gives identical bytes for the same plan and seed, and different ids for another seed', async () => {
    // Act
    const again = await renderFhir(testPlan(N, 42));
    const other = parseNdjson(await renderFhir(testPlan(N, 43)));
    // Assert
    expect(again.equals(bytes)).toBe(true);
    expect(other[0].entry[0].resource.id).not.toBe(facilities.entry[0].resource.id);
  });

  it('gives the same bytes whatever the split into ranges', async () => {
    // Prepare: three parts [0,1) [1,400) [400,N), as parallel workers would write them.
    const part = (from: number, to: number) =>
      readAll(
        Readable.from(records.slice(from, to)).pipe(new FhirNdjsonTransform({ plan, range: { from, to } })),
      );
    // Act
    const parts = await Promise.all([part(0, 1), part(1, 400), part(400, N)]);
    // Assert
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  });

  it('renders exactly JSON.stringify(buildPatientBundle(...)) with the fast serializer, in every mode', () => {
    for (const options of [
      {},
      { bundleType: 'transaction' as const },
      { bundleType: 'transaction' as const, requestMethod: 'PUT' as const },
    ]) {
      const ctx = createJobContext(plan, options);
      const serialize = compilePatientBundleSerializer(ctx);
      for (const r of records) expect(serialize(r)).toBe(JSON.stringify(buildPatientBundle(ctx, r)));
    }
  });

  it('escapes free text (names) correctly in the fast serializer', () => {
    // Prepare: a record with characters JSON must escape.
    const ctx = createJobContext(plan);
    const r: PatientRecord = structuredClone(records[0]);
    r.demographics.given_name = 'Zoë "Q" \\ \u0001 </script>';
    r.demographics.family_name = "O'Brien\u2028\n";
    // Act
    const text = compilePatientBundleSerializer(ctx)(r);
    // Assert
    expect(text).toBe(JSON.stringify(buildPatientBundle(ctx, r)));
    expect((JSON.parse(text) as Bundle).entry[0].resource.name).toEqual([
      expect.objectContaining({ given: [r.demographics.given_name], family: r.demographics.family_name }),
    ]);
  });

  it('derives distinct UUIDs from (seed, index, ordinal)', () => {
    const seed = seedWords(42);
    const ids = new Set<string>();
    for (let index = 0; index < 2000; index++)
      for (let o = 0; o < 64; o++) ids.add(deterministicUuid(seed, index, o));
    expect(ids.size).toBe(2000 * 64);
    expect(deterministicUuid(seed, 7, 3)).toBe(deterministicUuid(seedWords(42), 7, 3));
    expect(deterministicUuid(seed, 7, 3)).not.toBe(deterministicUuid(seedWords('42'), 7, 3));
  });
});

describe('fhir format: transaction bundles', () => {
  let tx: Bundle[];
  beforeAll(async () => {
    tx = parseNdjson(await renderFhir(plan, { bundleType: 'transaction' }));
  });

  it('adds a request to every entry: POST per resource type, PUT for the facilities', () => {
    // Assert
    expect(tx).toHaveLength(N + 1);
    for (const e of tx[0].entry)
      expect(e.request).toEqual({ method: 'PUT', url: `${e.resource.resourceType}/${e.resource.id}` });
    for (const b of tx.slice(1)) {
      expect(b.type).toBe('transaction');
      for (const e of b.entry) expect(e.request).toEqual({ method: 'POST', url: e.resource.resourceType });
    }
  });

  it('uses PUT Type/id for every entry with requestMethod PUT, and the same ids as the collection', async () => {
    // Act
    const put = parseNdjson(await renderFhir(plan, { bundleType: 'transaction', requestMethod: 'PUT' }));
    // Assert
    put.slice(1).forEach((b, i) => {
      b.entry.forEach((e: Entry, k) => {
        expect(e.request).toEqual({ method: 'PUT', url: `${e.resource.resourceType}/${e.resource.id}` });
        expect(e.resource.id).toBe(patients[i].entry[k].resource.id);
      });
    });
  });

  it('rejects unknown options before a job starts', () => {
    expect(() => createFhirFormat({ bundleType: 'batch' as never })).toThrow(/bundle type "batch"/);
    expect(() => createFhirFormat({ requestMethod: 'PATCH' as never })).toThrow(/request method "PATCH"/);
  });
});
