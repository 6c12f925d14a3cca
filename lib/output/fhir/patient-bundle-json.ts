/**
 * One FHIR R4 Bundle per patient, written straight to JSON text: Patient, an Encounter per echelon
 * visited, Conditions, AllergyIntolerances, Procedures, MedicationAdministrations (Immunizations for
 * vaccines), vital-sign, blood-group and body-measure Observations, and a Provenance. The constant
 * parts (codings, categories, profiles, facility references) are serialised once per job and the
 * variable parts spliced in, several times faster than building objects and calling JSON.stringify.
 * The readable object form of the same bundle lives in the tests (test/unit/output/fhir-bundle-oracle.ts),
 * which hold this writer to it byte for byte.
 */
import { type Facility, isVaccine } from '../../data/index.js';
import type { PatientRecord, VitalSigns } from '../../generation/index.js';
import {
  BLOOD_GROUP_CONCEPTS,
  BODY_SITE_CONCEPTS,
  OBSERVATION_CODES as CODES,
  codedConcept,
  ENCOUNTER_CLASS_BY_FACILITY,
  nationalityConcept,
  PROFILE_META,
  SEVERITY_CONCEPTS,
  snomedConcept,
  UNITS,
} from './concepts.js';
import type { FacilityRefs, FhirJobContext } from './job-context.js';
import { layoutPatient, OBSERVATIONS_PER_VITAL_SET, type PatientLayout } from './patient-layout.js';
import {
  ALLERGY_CLINICAL_ACTIVE,
  ALLERGY_VERIFICATION_CONFIRMED,
  CATEGORY_ENCOUNTER_DIAGNOSIS,
  CATEGORY_LABORATORY,
  CATEGORY_SURVEY,
  CATEGORY_VITAL_SIGNS,
  CLINICAL_STATUS_ACTIVE,
  CONDITION_DUE_TO_URL,
  DIAGNOSIS_ROLE_ADMISSION,
  PATIENT_NATIONALITY_URL,
  PROVENANCE_ACTIVITY_CREATE,
  PROVENANCE_ASSEMBLER,
  PROVENANCE_REASON,
  SCENARIO_IDENTIFIER_SYSTEM,
  SEED_IDENTIFIER_SYSTEM,
  SERVICE_NUMBER_TYPE,
  TEST_DATA_TAG,
  TRIAGE_PRIORITY,
  UCUM_SYSTEM,
  VERIFICATION_CONFIRMED,
} from './terminology.js';

const J = JSON.stringify;
/** A string as JSON (quoted and escaped). */
const q = (s: string): string => JSON.stringify(s);
/** A number as JSON.stringify writes it. */
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

const memo = <K, V>(fn: (key: K) => V) => {
  const cache = new Map<K, V>();
  return (key: K): V => {
    let v = cache.get(key);
    if (v === undefined) {
      v = fn(key);
      cache.set(key, v);
    }
    return v;
  };
};

/** SNOMED CodeableConcepts of the record's codes (codes and names come from one table, so few). */
const snomedJson = memo((key: string) => {
  const sep = key.indexOf('\u0000');
  return J(snomedConcept(key.slice(0, sep), key.slice(sep + 1)));
});
const snomed = (code: string, name: string) => snomedJson(`${code}\u0000${name}`);
/** Medication and allergen CodeableConcepts (WHO ATC or SNOMED CT), from one table too. */
const codedJson = memo((key: string) => {
  const [system, code, name] = key.split('\u0000');
  return J(codedConcept(system, code, name));
});
const coded = (system: string, code: string, name: string) =>
  codedJson(`${system}\u0000${code}\u0000${name}`);
const nationalityJson = memo((code: string) => J(nationalityConcept(code)));
const quantityUnit = memo(
  (unit: string) => `,"unit":${q(unit)},"system":${q(UCUM_SYSTEM)},"code":${q(unit)}}`,
);
const quantity = (value: number, unit: string) => `{"value":${num(value)}${quantityUnit(unit)}`;

const TAG_META = J({ tag: [TEST_DATA_TAG] });
const C = {
  patientHead: `{"resourceType":"Patient","id":`,
  patientExtension: `,"meta":${TAG_META},"extension":[{"url":${q(PATIENT_NATIONALITY_URL)},"extension":[{"url":"code","valueCodeableConcept":`,
  identifier: `}]}],"identifier":[{"use":"official","type":${J(SERVICE_NUMBER_TYPE)},"system":`,
  triage: {
    T1: `,"priority":${J(TRIAGE_PRIORITY.T1)}`,
    T2: `,"priority":${J(TRIAGE_PRIORITY.T2)}`,
    T3: `,"priority":${J(TRIAGE_PRIORITY.T3)}`,
  } as Record<string, string>,
  encounterClass: Object.fromEntries(
    Object.entries(ENCOUNTER_CLASS_BY_FACILITY).map(([f, c]) => [f, `,"class":${J(c)}`]),
  ) as Record<Facility, string>,
  diagnosisUse: `,"use":${J(DIAGNOSIS_ROLE_ADMISSION)},"rank":`,
  conditionFixed: `"clinicalStatus":${J(CLINICAL_STATUS_ACTIVE)},"verificationStatus":${J(VERIFICATION_CONFIRMED)},"category":${J(CATEGORY_ENCOUNTER_DIAGNOSIS)},"severity":`,
  dueTo: `"extension":[{"url":${q(CONDITION_DUE_TO_URL)},"valueCodeableConcept":`,
  severity: Object.fromEntries(Object.entries(SEVERITY_CONCEPTS).map(([k, v]) => [k, J(v)])) as Record<
    string,
    string
  >,
  bodySite: Object.fromEntries(
    Object.entries(BODY_SITE_CONCEPTS).map(([k, v]) => [k, `,"bodySite":[${J(v)}]`]),
  ) as Record<string, string>,
  bloodGroup: Object.fromEntries(Object.entries(BLOOD_GROUP_CONCEPTS).map(([k, v]) => [k, J(v)])) as Record<
    string,
    string
  >,
  vitalsCat: `,"category":${J(CATEGORY_VITAL_SIGNS)},"code":`,
  surveyCat: `,"category":${J(CATEGORY_SURVEY)},"code":`,
  labCat: `,"category":${J(CATEGORY_LABORATORY)},"code":`,
  meta: Object.fromEntries(Object.entries(PROFILE_META).map(([k, v]) => [k, `,"meta":${J(v)}`])) as Record<
    keyof typeof PROFILE_META,
    string
  >,
  code: Object.fromEntries(Object.entries(CODES).map(([k, v]) => [k, J(v)])) as Record<
    keyof typeof CODES,
    string
  >,
  allergyFixed: `"clinicalStatus":${J(ALLERGY_CLINICAL_ACTIVE)},"verificationStatus":${J(ALLERGY_VERIFICATION_CONFIRMED)},"type":"allergy","category":["medication"],"code":`,
  provenanceFixed: `,"reason":[${J(PROVENANCE_REASON)}],"activity":${J(PROVENANCE_ACTIVITY_CREATE)},"agent":[{"type":${J(PROVENANCE_ASSEMBLER)},"who":`,
  tagMeta: TAG_META,
};

/** Compiles the job's constant parts once; the returned function renders one patient's bundle. */
export function compilePatientBundleSerializer(ctx: FhirJobContext): (record: PatientRecord) => string {
  const write = compilePatientBundleWriter(ctx);
  return (record) => {
    const parts: string[] = [];
    write(record, (text) => parts.push(text));
    return parts.join('');
  };
}

/**
 * Like compilePatientBundleSerializer, but hands the bundle's text to `emit` in pieces (about one per
 * resource) instead of joining it: a writer encoding the pieces straight into its buffer avoids
 * building and flattening one large string per patient, and keeps the resources whose text is pure
 * ASCII (most of them; names live in Patient) on V8's fast one-byte path.
 */
export function compilePatientBundleWriter(
  ctx: FhirJobContext,
): (record: PatientRecord, emit: (text: string) => void) => void {
  const transaction = ctx.bundleType === 'transaction';
  const put = ctx.requestMethod === 'PUT';
  // Each site's two references as JSON text, built once per job.
  const siteJson = new Map<FacilityRefs, { readonly location: string; readonly provider: string }>();
  for (const site of [...Object.values(ctx.echelons), ...ctx.configured.values()]) {
    siteJson.set(site, { location: J(site.location), provider: J(site.organization) });
  }
  /** Where a step at `facility` was done: its encounter's site, else the echelon's (if configured). */
  const locationOf = (facility: Facility, encounter: { readonly site: FacilityRefs } | undefined) => {
    const site = encounter?.site ?? ctx.echelons[facility];
    return site === undefined ? undefined : siteJson.get(site)!.location;
  };
  const provenanceTail = `${J(ctx.generator)}}],"entity":[{"role":"source","what":{"identifier":{"system":${q(SCENARIO_IDENTIFIER_SYSTEM)},"value":${q(ctx.plan.scenario.name)}},"display":${q(`Scenario: ${ctx.plan.scenario.name}`)}}},{"role":"source","what":{"identifier":{"system":${q(SEED_IDENTIFIER_SYSTEM)},"value":${q(ctx.seedText)}},"display":${q(`Seed: ${ctx.seedText}`)}}}]}`;
  const bundleTail = `"meta":${TAG_META},"type":${q(ctx.bundleType)},"entry":[`;

  return (record: PatientRecord, emit: (text: string) => void): void => {
    const layout: PatientLayout = layoutPatient(ctx, record);
    const d = record.demographics;
    const subjectJson = `,"subject":{"reference":"urn:uuid:${layout.patientId}"}`;
    emit(`{"resourceType":"Bundle","id":"${layout.bundleId}",${bundleTail}`);
    let targets = '';
    let first = true;

    const entry = (type: string, id: string, resource: string): void => {
      const fullUrl = `urn:uuid:${id}`;
      let e = first
        ? `{"fullUrl":"${fullUrl}","resource":${resource}`
        : `,{"fullUrl":"${fullUrl}","resource":${resource}`;
      if (transaction) {
        e += put
          ? `,"request":{"method":"PUT","url":${q(`${type}/${id}`)}}}`
          : `,"request":{"method":"POST","url":"${type}"}}`;
      } else e += '}';
      emit(e);
      targets += first ? `{"reference":"${fullUrl}"}` : `,{"reference":"${fullUrl}"}`;
      first = false;
    };

    // Patient
    let p = `${C.patientHead}"${layout.patientId}"${C.patientExtension}${nationalityJson(d.nationality)}`;
    p += `${C.identifier}${q(d.service_number_system)},"value":${q(d.service_number)}}]`;
    p += `,"name":[{"use":"official","text":${q(layout.fullName)},"family":${q(d.family_name)},"given":[${q(d.given_name)}]}]`;
    p += `,"gender":${q(d.gender)},"birthDate":${q(d.birthdate)}`;
    if (layout.death !== undefined) p += `,"deceasedDateTime":${q(layout.death)}`;
    entry('Patient', layout.patientId, `${p}}`);

    // Encounters
    layout.encounters.forEach((e, i) => {
      let s = `{"resourceType":"Encounter","id":"${e.id}","status":"${e.status}"${C.encounterClass[e.facility]}`;
      if (i === 0) s += C.triage[record.triage_category];
      s += subjectJson;
      s +=
        e.end === undefined
          ? `,"period":{"start":${q(e.start)}}`
          : `,"period":{"start":${q(e.start)},"end":${q(e.end)}}`;
      // The conditions recorded in this encounter: on admission, as its admission diagnoses; a
      // complication found during the stay, ranked after them with no role.
      let rank = 0;
      record.conditions.forEach((c, k) => {
        if (layout.conditionEncounters[k] !== e) return;
        s += rank === 0 ? ',"diagnosis":[' : ',';
        rank++;
        const use = c.timestamp === e.start ? C.diagnosisUse : ',"rank":';
        s += `{"condition":{"reference":"urn:uuid:${layout.conditionIds[k]}","display":${q(c.name)}}${use}${rank}}`;
      });
      if (rank > 0) s += ']';
      if (e.disposition) {
        s += ',"hospitalization":{';
        if (e.disposition.destination) s += `"destination":${J(e.disposition.destination)},`;
        s += `"dischargeDisposition":{"coding":[${J(e.disposition.coding)}],"text":${q(e.disposition.text)}}}`;
      }
      const site = siteJson.get(e.site)!;
      s += `,"location":[{"location":${site.location},`;
      s +=
        e.locationEnd === undefined
          ? `"status":"active","period":{"start":${q(e.start)}}}]`
          : `"status":"completed","period":{"start":${q(e.start)},"end":${q(e.locationEnd)}}}]`;
      s += `,"serviceProvider":${site.provider}}`;
      entry('Encounter', e.id, s);
    });
    const firstEncounter = `,"encounter":{"reference":"urn:uuid:${layout.encounters[0].id}"}`;

    // Conditions
    record.conditions.forEach((c, k) => {
      const id = layout.conditionIds[k];
      let s = `{"resourceType":"Condition","id":"${id}",`;
      if (c.primary && record.mechanism)
        s += `${C.dueTo}${snomed(record.mechanism.code, record.mechanism.name)}}],`;
      s += `${C.conditionFixed}${C.severity[c.severity_grade]},"code":${snomed(c.code, c.name)}`;
      if (c.body_part !== 'Systemic') s += C.bodySite[c.body_part];
      s += `${subjectJson},"encounter":{"reference":"urn:uuid:${layout.conditionEncounters[k].id}"},"onsetDateTime":${q(c.timestamp)},"recordedDate":${q(c.timestamp)}}`;
      entry('Condition', id, s);
    });

    // Known drug allergies, recorded when the casualty enters care
    record.allergies.forEach((a, k) => {
      const id = layout.allergyIds[k];
      entry(
        'AllergyIntolerance',
        id,
        `{"resourceType":"AllergyIntolerance","id":"${id}",${C.allergyFixed}${coded(a.system, a.code, a.name)},"patient":{"reference":"urn:uuid:${layout.patientId}"}${firstEncounter},"recordedDate":${q(record.injury_time)}}`,
      );
    });

    // Procedures
    record.treatments.forEach((t, k) => {
      const id = layout.procedureIds[k];
      const encounter = layout.encounterByFacility.get(t.facility);
      let s = `{"resourceType":"Procedure","id":"${id}","status":"completed","code":${snomed(t.code, t.name)}${subjectJson}`;
      if (encounter !== undefined) s += `,"encounter":{"reference":"urn:uuid:${encounter.id}"}`;
      s += `,"performedDateTime":${q(t.timestamp)}`;
      const location = locationOf(t.facility, encounter);
      s += location === undefined ? '}' : `,"location":${location}}`;
      entry('Procedure', id, s);
    });

    // Medications given; a vaccine is an Immunization, given by the care team itself (primarySource)
    record.medications.forEach((m, k) => {
      const id = layout.medicationIds[k];
      const encounter = layout.encounterByFacility.get(m.facility);
      if (isVaccine(m.system, m.code)) {
        let s = `{"resourceType":"Immunization","id":"${id}","status":"completed","vaccineCode":${coded(m.system, m.code, m.name)},"patient":{"reference":"urn:uuid:${layout.patientId}"}`;
        if (encounter !== undefined) s += `,"encounter":{"reference":"urn:uuid:${encounter.id}"}`;
        s += `,"occurrenceDateTime":${q(m.timestamp)},"primarySource":true`;
        const location = locationOf(m.facility, encounter);
        s += location === undefined ? '}' : `,"location":${location}}`;
        entry('Immunization', id, s);
        return;
      }
      let s = `{"resourceType":"MedicationAdministration","id":"${id}","status":"completed","medicationCodeableConcept":${coded(m.system, m.code, m.name)}${subjectJson}`;
      if (encounter !== undefined) s += `,"context":{"reference":"urn:uuid:${encounter.id}"}`;
      s += `,"effectiveDateTime":${q(m.timestamp)}}`;
      entry('MedicationAdministration', id, s);
    });

    // Vital signs
    record.vital_signs.forEach((v, k) => {
      const encounter = layout.encounterByFacility.get(v.facility);
      const context =
        encounter === undefined
          ? `${subjectJson},"effectiveDateTime":${q(v.timestamp)},`
          : `${subjectJson},"encounter":{"reference":"urn:uuid:${encounter.id}"},"effectiveDateTime":${q(v.timestamp)},`;
      vitals(v, layout.vitalIds, k * OBSERVATIONS_PER_VITAL_SET, context, entry);
    });

    // Blood group, weight, height
    const baseline = `${subjectJson},"effectiveDateTime":${q(record.injury_time)},`;
    entry(
      'Observation',
      layout.bloodGroupId,
      `{"resourceType":"Observation","id":"${layout.bloodGroupId}","status":"final"${C.labCat}${C.code.bloodGroup}${baseline}"valueCodeableConcept":${C.bloodGroup[d.blood_type]}}`,
    );
    entry(
      'Observation',
      layout.weightId,
      `{"resourceType":"Observation","id":"${layout.weightId}"${C.meta.weight},"status":"final"${C.vitalsCat}${C.code.weight}${baseline}"valueQuantity":${quantity(d.weight_kg, UNITS.weight)}}`,
    );
    entry(
      'Observation',
      layout.heightId,
      `{"resourceType":"Observation","id":"${layout.heightId}"${C.meta.height},"status":"final"${C.vitalsCat}${C.code.height}${baseline}"valueQuantity":${quantity(d.height_cm, UNITS.height)}}`,
    );

    // Provenance
    let prov = `{"resourceType":"Provenance","id":"${layout.provenanceId}","meta":${C.tagMeta},"target":[${targets}]`;
    prov += `,"occurredPeriod":{"start":${q(record.injury_time)},"end":${q(layout.lastTimestamp)}},"recorded":${q(layout.lastTimestamp)}`;
    prov += `${C.provenanceFixed}${provenanceTail}`;
    entry('Provenance', layout.provenanceId, prov);

    emit(']}');
  };
}

function vitals(
  v: VitalSigns,
  ids: readonly string[],
  at: number,
  context: string,
  entry: (type: string, id: string, resource: string) => void,
): void {
  const head = (id: string) => `{"resourceType":"Observation","id":"${id}"`;
  const vital = (id: string, meta: string, code: string, value: string) =>
    entry('Observation', id, `${head(id)}${meta},"status":"final"${C.vitalsCat}${code}${context}${value}}`);
  vital(
    ids[at],
    C.meta.heartRate,
    C.code.heartRate,
    `"valueQuantity":${quantity(v.heart_rate, UNITS.heartRate)}`,
  );
  vital(
    ids[at + 1],
    C.meta.respiratoryRate,
    C.code.respiratoryRate,
    `"valueQuantity":${quantity(v.respiratory_rate, UNITS.respiratoryRate)}`,
  );
  vital(
    ids[at + 2],
    C.meta.bp,
    C.code.bpPanel,
    `"component":[{"code":${C.code.systolic},"valueQuantity":${quantity(v.systolic_bp, UNITS.bp)}},{"code":${C.code.diastolic},"valueQuantity":${quantity(v.diastolic_bp, UNITS.bp)}}]`,
  );
  vital(ids[at + 3], C.meta.spo2, C.code.spo2, `"valueQuantity":${quantity(v.spo2, UNITS.spo2)}`);
  vital(
    ids[at + 4],
    C.meta.temperature,
    C.code.temperature,
    `"valueQuantity":${quantity(v.temperature, UNITS.temperature)}`,
  );
  const gcsId = ids[at + 5];
  entry(
    'Observation',
    gcsId,
    `${head(gcsId)},"status":"final"${C.surveyCat}${C.code.gcs}${context}"valueQuantity":${quantity(v.gcs, UNITS.gcs)}}`,
  );
}
