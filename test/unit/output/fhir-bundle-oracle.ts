/**
 * The test oracle of the FHIR writer: one patient's Bundle built as plain objects, the readable
 * definition of what lib/output/fhir/patient-bundle-json.ts writes as text. fhir.test.ts holds
 * `JSON.stringify(buildPatientBundle(ctx, record))` to the shipped writer's bytes for every patient of
 * a job in every bundle mode. It reads the writer's own tables and layout (white box, so both render
 * the same ids, codes and times) but none of its string assembly.
 */
import { isVaccine } from '../../../lib/data/index.js';
import type { PatientRecord, VitalSigns } from '../../../lib/generation/index.js';
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
} from '../../../lib/output/fhir/concepts.js';
import type {
  FhirJobContext,
  FhirReference,
  FhirRequestMethod,
  FhirResource,
} from '../../../lib/output/fhir/job-context.js';
import {
  type EncounterLayout,
  layoutPatient,
  OBSERVATIONS_PER_VITAL_SET,
  type PatientLayout,
} from '../../../lib/output/fhir/patient-layout.js';
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
} from '../../../lib/output/fhir/terminology.js';

interface BundleEntry {
  readonly fullUrl: string;
  readonly resource: FhirResource;
  readonly request?: { readonly method: FhirRequestMethod; readonly url: string };
}

const quantity = (value: number, unit: string) => ({ value, unit, system: UCUM_SYSTEM, code: unit });

const uuidRef = (id: string): FhirReference => ({ reference: `urn:uuid:${id}` });

/** Builds the patient's bundle as a plain object (JSON.stringify of it equals the NDJSON line). */
export function buildPatientBundle(ctx: FhirJobContext, record: PatientRecord): FhirResource {
  const layout = layoutPatient(ctx, record);
  const entries: BundleEntry[] = [];
  const transaction = ctx.bundleType === 'transaction';
  const put = ctx.requestMethod === 'PUT';
  const add = (resource: FhirResource): void => {
    const fullUrl = `urn:uuid:${resource.id}`;
    if (!transaction) entries.push({ fullUrl, resource });
    else if (put)
      entries.push({
        fullUrl,
        resource,
        request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
      });
    else entries.push({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
  };
  const d = record.demographics;
  const subject = uuidRef(layout.patientId);

  add({
    resourceType: 'Patient',
    id: layout.patientId,
    meta: { tag: [TEST_DATA_TAG] },
    extension: [
      {
        url: PATIENT_NATIONALITY_URL,
        extension: [{ url: 'code', valueCodeableConcept: nationalityConcept(d.nationality) }],
      },
    ],
    identifier: [
      {
        use: 'official',
        type: SERVICE_NUMBER_TYPE,
        system: d.service_number_system,
        value: d.service_number,
      },
    ],
    name: [{ use: 'official', text: layout.fullName, family: d.family_name, given: [d.given_name] }],
    gender: d.gender,
    birthDate: d.birthdate,
    ...(layout.death === undefined ? {} : { deceasedDateTime: layout.death }),
  });

  layout.encounters.forEach((e, i) => {
    const f = e.site;
    const hospitalization = e.disposition
      ? {
          ...(e.disposition.destination ? { destination: e.disposition.destination } : {}),
          dischargeDisposition: { coding: [e.disposition.coding], text: e.disposition.text },
        }
      : undefined;
    add({
      resourceType: 'Encounter',
      id: e.id,
      status: e.status,
      class: ENCOUNTER_CLASS_BY_FACILITY[e.facility],
      ...(i === 0 ? { priority: TRIAGE_PRIORITY[record.triage_category] } : {}),
      subject,
      period: e.end === undefined ? { start: e.start } : { start: e.start, end: e.end },
      ...diagnosesOf(record, layout, e),
      ...(hospitalization ? { hospitalization } : {}),
      location: [
        {
          location: f.location,
          status: e.locationEnd === undefined ? 'active' : 'completed',
          period: e.locationEnd === undefined ? { start: e.start } : { start: e.start, end: e.locationEnd },
        },
      ],
      serviceProvider: f.organization,
    });
  });
  const firstEncounter = uuidRef(layout.encounters[0].id);

  record.conditions.forEach((c, k) => {
    add({
      resourceType: 'Condition',
      id: layout.conditionIds[k],
      ...(c.primary && record.mechanism
        ? {
            extension: [
              {
                url: CONDITION_DUE_TO_URL,
                valueCodeableConcept: snomedConcept(record.mechanism.code, record.mechanism.name),
              },
            ],
          }
        : {}),
      clinicalStatus: CLINICAL_STATUS_ACTIVE,
      verificationStatus: VERIFICATION_CONFIRMED,
      category: CATEGORY_ENCOUNTER_DIAGNOSIS,
      severity: SEVERITY_CONCEPTS[c.severity_grade],
      code: snomedConcept(c.code, c.name),
      ...(c.body_part === 'Systemic' ? {} : { bodySite: [BODY_SITE_CONCEPTS[c.body_part]] }),
      subject,
      encounter: uuidRef(layout.conditionEncounters[k].id),
      onsetDateTime: c.timestamp,
      recordedDate: c.timestamp,
    });
  });

  record.allergies.forEach((a, k) => {
    add({
      resourceType: 'AllergyIntolerance',
      id: layout.allergyIds[k],
      clinicalStatus: ALLERGY_CLINICAL_ACTIVE,
      verificationStatus: ALLERGY_VERIFICATION_CONFIRMED,
      type: 'allergy',
      category: ['medication'],
      code: codedConcept(a.system, a.code, a.name),
      patient: subject,
      encounter: firstEncounter,
      recordedDate: record.injury_time,
    });
  });

  record.treatments.forEach((t, k) => {
    const encounter = layout.encounterByFacility.get(t.facility);
    const site = encounter?.site ?? ctx.echelons[t.facility];
    add({
      resourceType: 'Procedure',
      id: layout.procedureIds[k],
      status: 'completed',
      code: snomedConcept(t.code, t.name),
      subject,
      ...(encounter === undefined ? {} : { encounter: uuidRef(encounter.id) }),
      performedDateTime: t.timestamp,
      ...(site === undefined ? {} : { location: site.location }),
    });
  });

  record.medications.forEach((m, k) => {
    const encounter = layout.encounterByFacility.get(m.facility);
    const encounterId = encounter?.id;
    if (isVaccine(m.system, m.code)) {
      const site = encounter?.site ?? ctx.echelons[m.facility];
      add({
        resourceType: 'Immunization',
        id: layout.medicationIds[k],
        status: 'completed',
        vaccineCode: codedConcept(m.system, m.code, m.name),
        patient: uuidRef(layout.patientId),
        ...(encounterId === undefined ? {} : { encounter: uuidRef(encounterId) }),
        occurrenceDateTime: m.timestamp,
        primarySource: true,
        ...(site === undefined ? {} : { location: site.location }),
      });
      return;
    }
    add({
      resourceType: 'MedicationAdministration',
      id: layout.medicationIds[k],
      status: 'completed',
      medicationCodeableConcept: codedConcept(m.system, m.code, m.name),
      subject,
      ...(encounterId === undefined ? {} : { context: uuidRef(encounterId) }),
      effectiveDateTime: m.timestamp,
    });
  });

  record.vital_signs.forEach((v, k) => {
    const encounterId = layout.encounterByFacility.get(v.facility)?.id;
    addVitals(v, layout.vitalIds.slice(k * OBSERVATIONS_PER_VITAL_SET), add, subject, encounterId);
  });

  // Blood group and body measures are known from the identity tag and service record at injury time.
  add({
    resourceType: 'Observation',
    id: layout.bloodGroupId,
    status: 'final',
    category: CATEGORY_LABORATORY,
    code: CODES.bloodGroup,
    subject,
    effectiveDateTime: record.injury_time,
    valueCodeableConcept: BLOOD_GROUP_CONCEPTS[d.blood_type],
  });
  add({
    resourceType: 'Observation',
    id: layout.weightId,
    meta: PROFILE_META.weight,
    status: 'final',
    category: CATEGORY_VITAL_SIGNS,
    code: CODES.weight,
    subject,
    effectiveDateTime: record.injury_time,
    valueQuantity: quantity(d.weight_kg, UNITS.weight),
  });
  add({
    resourceType: 'Observation',
    id: layout.heightId,
    meta: PROFILE_META.height,
    status: 'final',
    category: CATEGORY_VITAL_SIGNS,
    code: CODES.height,
    subject,
    effectiveDateTime: record.injury_time,
    valueQuantity: quantity(d.height_cm, UNITS.height),
  });

  const scenarioName = ctx.plan.scenario.name;
  add({
    resourceType: 'Provenance',
    id: layout.provenanceId,
    meta: { tag: [TEST_DATA_TAG] },
    target: entries.map((e) => ({ reference: e.fullUrl })),
    occurredPeriod: { start: record.injury_time, end: layout.lastTimestamp },
    recorded: layout.lastTimestamp,
    reason: [PROVENANCE_REASON],
    activity: PROVENANCE_ACTIVITY_CREATE,
    agent: [{ type: PROVENANCE_ASSEMBLER, who: ctx.generator }],
    entity: [
      {
        role: 'source',
        what: {
          identifier: { system: SCENARIO_IDENTIFIER_SYSTEM, value: scenarioName },
          display: `Scenario: ${scenarioName}`,
        },
      },
      {
        role: 'source',
        what: {
          identifier: { system: SEED_IDENTIFIER_SYSTEM, value: ctx.seedText },
          display: `Seed: ${ctx.seedText}`,
        },
      },
    ],
  });

  return {
    resourceType: 'Bundle',
    id: layout.bundleId,
    meta: { tag: [TEST_DATA_TAG] },
    type: ctx.bundleType,
    entry: entries,
  };
}

/**
 * An encounter's diagnoses: the conditions first recorded in it, ranked in record order; those recorded
 * on its admission are admission diagnoses, a complication found later in the stay has no role.
 */
function diagnosesOf(record: PatientRecord, layout: PatientLayout, e: EncounterLayout) {
  const diagnosis = record.conditions
    .map((c, k) => ({ c, k }))
    .filter(({ k }) => layout.conditionEncounters[k] === e)
    .map(({ c, k }, n) => ({
      condition: { reference: `urn:uuid:${layout.conditionIds[k]}`, display: c.name },
      ...(c.timestamp === e.start ? { use: DIAGNOSIS_ROLE_ADMISSION } : {}),
      rank: n + 1,
    }));
  return diagnosis.length > 0 ? { diagnosis } : {};
}

function addVitals(
  v: VitalSigns,
  ids: readonly string[],
  add: (r: FhirResource) => void,
  subject: FhirReference,
  encounterId: string | undefined,
): void {
  const context = encounterId === undefined ? { subject } : { subject, encounter: uuidRef(encounterId) };
  const observation = (
    id: string,
    meta: unknown,
    category: unknown,
    code: unknown,
    value: Record<string, unknown>,
  ) =>
    add({
      resourceType: 'Observation',
      id,
      ...(meta ? { meta } : {}),
      status: 'final',
      category,
      code,
      ...context,
      effectiveDateTime: v.timestamp,
      ...value,
    });
  const vital = CATEGORY_VITAL_SIGNS;
  observation(ids[0], PROFILE_META.heartRate, vital, CODES.heartRate, {
    valueQuantity: quantity(v.heart_rate, UNITS.heartRate),
  });
  observation(ids[1], PROFILE_META.respiratoryRate, vital, CODES.respiratoryRate, {
    valueQuantity: quantity(v.respiratory_rate, UNITS.respiratoryRate),
  });
  observation(ids[2], PROFILE_META.bp, vital, CODES.bpPanel, {
    component: [
      { code: CODES.systolic, valueQuantity: quantity(v.systolic_bp, UNITS.bp) },
      { code: CODES.diastolic, valueQuantity: quantity(v.diastolic_bp, UNITS.bp) },
    ],
  });
  observation(ids[3], PROFILE_META.spo2, vital, CODES.spo2, { valueQuantity: quantity(v.spo2, UNITS.spo2) });
  observation(ids[4], PROFILE_META.temperature, vital, CODES.temperature, {
    valueQuantity: quantity(v.temperature, UNITS.temperature),
  });
  observation(ids[5], undefined, CATEGORY_SURVEY, CODES.gcs, { valueQuantity: quantity(v.gcs, UNITS.gcs) });
}
