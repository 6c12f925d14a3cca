/**
 * FHIR R4 systems, extension URLs and the HL7 terminology codes the FHIR writer emits. Clinical codes
 * (SNOMED CT, LOINC, UCUM) come from lib/data/clinical-codes.ts only; the codes here are FHIR/HL7
 * infrastructure codes (status, category, class, disposition), each from its R4 code system.
 */
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const ISO_3166_SYSTEM = 'urn:iso:std:iso:3166';
export const ATC_SYSTEM = 'http://www.whocc.no/atc';

export const PATIENT_NATIONALITY_URL = 'http://hl7.org/fhir/StructureDefinition/patient-nationality';
export const CONDITION_DUE_TO_URL = 'http://hl7.org/fhir/StructureDefinition/condition-dueTo';

/** Identifier systems of the generator's own (non-clinical) identifiers. */
export const GENERATOR_IDENTIFIER_SYSTEM = 'urn:milmed:generator';
export const SCENARIO_IDENTIFIER_SYSTEM = 'urn:milmed:scenario';
export const SEED_IDENTIFIER_SYSTEM = 'urn:milmed:seed';
export const FACILITY_IDENTIFIER_SYSTEM = 'urn:milmed:facility';
/** Identifier system of a scenario's configured facility; the value is its `facility_configs[].id`. */
export const CONFIGURED_FACILITY_IDENTIFIER_SYSTEM = 'urn:milmed:scenario-facility';

const coding = <S extends string, C extends string, D extends string>(system: S, code: C, display: D) =>
  ({ system, code, display }) as const;

const V3_ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const V3_ACT_PRIORITY = 'http://terminology.hl7.org/CodeSystem/v3-ActPriority';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DISCHARGE_DISPOSITION = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';
const DIAGNOSIS_ROLE = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';
const ORGANIZATION_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type';
const PROVENANCE_PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
const V3_DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
const LOCATION_PHYSICAL_TYPE = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

/** Marks data as synthetic test data (meta.tag on the bundles and Patient, and Provenance.reason). */
export const TEST_DATA_TAG = coding(V3_ACT_REASON, 'HTEST', 'test health data');

export const ENCOUNTER_CLASS = {
  field: coding(V3_ACT_CODE, 'FLD', 'field'),
  emergency: coding(V3_ACT_CODE, 'EMER', 'emergency'),
  inpatient: coding(V3_ACT_CODE, 'IMP', 'inpatient encounter'),
} as const;

/** NATO triage mapped onto the HL7 act priority: T1 immediate, T2 delayed, T3 minimal. */
export const TRIAGE_PRIORITY = {
  T1: { coding: [coding(V3_ACT_PRIORITY, 'EM', 'emergency')], text: 'T1 Immediate' },
  T2: { coding: [coding(V3_ACT_PRIORITY, 'UR', 'urgent')], text: 'T2 Delayed' },
  T3: { coding: [coding(V3_ACT_PRIORITY, 'R', 'routine')], text: 'T3 Minimal' },
} as const;

export const DISCHARGE = {
  expired: coding(DISCHARGE_DISPOSITION, 'exp', 'Expired'),
  otherFacility: coding(DISCHARGE_DISPOSITION, 'other-hcf', 'Other healthcare facility'),
  other: coding(DISCHARGE_DISPOSITION, 'oth', 'Other'),
  home: coding(DISCHARGE_DISPOSITION, 'home', 'Home'),
} as const;

export const CLINICAL_STATUS_ACTIVE = { coding: [coding(CONDITION_CLINICAL, 'active', 'Active')] } as const;
export const VERIFICATION_CONFIRMED = {
  coding: [coding(CONDITION_VER_STATUS, 'confirmed', 'Confirmed')],
} as const;
export const CATEGORY_ENCOUNTER_DIAGNOSIS = [
  { coding: [coding(CONDITION_CATEGORY, 'encounter-diagnosis', 'Encounter Diagnosis')] },
] as const;
export const CATEGORY_VITAL_SIGNS = [
  { coding: [coding(OBSERVATION_CATEGORY, 'vital-signs', 'Vital Signs')] },
] as const;
export const CATEGORY_LABORATORY = [
  { coding: [coding(OBSERVATION_CATEGORY, 'laboratory', 'Laboratory')] },
] as const;
/** A known drug allergy, confirmed (AllergyIntolerance.clinicalStatus / verificationStatus). */
export const ALLERGY_CLINICAL_ACTIVE = { coding: [coding(ALLERGY_CLINICAL, 'active', 'Active')] } as const;
export const ALLERGY_VERIFICATION_CONFIRMED = {
  coding: [coding(ALLERGY_VERIFICATION, 'confirmed', 'Confirmed')],
} as const;
export const CATEGORY_SURVEY = [{ coding: [coding(OBSERVATION_CATEGORY, 'survey', 'Survey')] }] as const;

export const DIAGNOSIS_ROLE_ADMISSION = {
  coding: [coding(DIAGNOSIS_ROLE, 'AD', 'Admission diagnosis')],
} as const;
export const ORGANIZATION_TYPE_PROVIDER = [
  { coding: [coding(ORGANIZATION_TYPE, 'prov', 'Healthcare Provider')] },
] as const;
export const LOCATION_TYPE = {
  area: { coding: [coding(LOCATION_PHYSICAL_TYPE, 'area', 'Area')] },
  site: { coding: [coding(LOCATION_PHYSICAL_TYPE, 'si', 'Site')] },
} as const;
export const PROVENANCE_ASSEMBLER = {
  coding: [coding(PROVENANCE_PARTICIPANT_TYPE, 'assembler', 'Assembler')],
} as const;
export const PROVENANCE_ACTIVITY_CREATE = {
  coding: [coding(V3_DATA_OPERATION, 'CREATE', 'create')],
} as const;

/** R4 vital-signs profiles, declared in meta.profile of the observations that conform to them. */
export const VITAL_PROFILE = {
  heart_rate: 'http://hl7.org/fhir/StructureDefinition/heartrate',
  respiratory_rate: 'http://hl7.org/fhir/StructureDefinition/resprate',
  spo2: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
  temperature: 'http://hl7.org/fhir/StructureDefinition/bodytemp',
  bp: 'http://hl7.org/fhir/StructureDefinition/bp',
  weight: 'http://hl7.org/fhir/StructureDefinition/bodyweight',
  height: 'http://hl7.org/fhir/StructureDefinition/bodyheight',
} as const;

export const SERVICE_NUMBER_TYPE = { text: 'Synthetic military service number' } as const;
export const PROVENANCE_REASON = {
  coding: [TEST_DATA_TAG],
  text: 'Synthetic casualty for a military medical exercise',
} as const;
