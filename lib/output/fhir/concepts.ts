/** Pre-built FHIR datatypes shared by every bundle: coded concepts, categories, profiles. */
import {
  ABO_RH_GROUP,
  BLOOD_GROUP_CODES,
  BLOOD_PRESSURE_PANEL,
  BODY_HEIGHT,
  BODY_SITE_CODES,
  BODY_WEIGHT,
  type Facility,
  NATION_NAMES,
  PULSE_OXIMETRY,
  SEVERITY_GRADES,
  VITAL_SIGNS,
} from '../../data/index.js';
import {
  ENCOUNTER_CLASS,
  ISO_3166_SYSTEM,
  LOINC_SYSTEM,
  SNOMED_SYSTEM,
  VITAL_PROFILE,
} from './terminology.js';

export interface CodeableConcept {
  readonly coding: ReadonlyArray<{
    readonly system: string;
    readonly code: string;
    readonly display?: string;
  }>;
  readonly text?: string;
}

export const snomedConcept = (code: string, display: string): CodeableConcept => ({
  coding: [{ system: SNOMED_SYSTEM, code, display }],
});
/** A concept of any system the record carries (medications: WHO ATC or SNOMED CT). */
export const codedConcept = (system: string, code: string, display: string): CodeableConcept => ({
  coding: [{ system, code, display }],
});
const loinc = (code: string, display: string): CodeableConcept => ({
  coding: [{ system: LOINC_SYSTEM, code, display }],
});

export const OBSERVATION_CODES = {
  heartRate: loinc(VITAL_SIGNS.heart_rate.code, VITAL_SIGNS.heart_rate.name),
  respiratoryRate: loinc(VITAL_SIGNS.respiratory_rate.code, VITAL_SIGNS.respiratory_rate.name),
  spo2: {
    coding: [
      { system: LOINC_SYSTEM, code: VITAL_SIGNS.spo2.code, display: VITAL_SIGNS.spo2.name },
      { system: LOINC_SYSTEM, code: PULSE_OXIMETRY.code, display: PULSE_OXIMETRY.name },
    ],
  },
  temperature: loinc(VITAL_SIGNS.temperature.code, VITAL_SIGNS.temperature.name),
  gcs: loinc(VITAL_SIGNS.gcs.code, VITAL_SIGNS.gcs.name),
  bpPanel: loinc(BLOOD_PRESSURE_PANEL.code, BLOOD_PRESSURE_PANEL.name),
  systolic: loinc(VITAL_SIGNS.systolic_bp.code, VITAL_SIGNS.systolic_bp.name),
  diastolic: loinc(VITAL_SIGNS.diastolic_bp.code, VITAL_SIGNS.diastolic_bp.name),
  weight: loinc(BODY_WEIGHT.code, BODY_WEIGHT.name),
  height: loinc(BODY_HEIGHT.code, BODY_HEIGHT.name),
  bloodGroup: loinc(ABO_RH_GROUP.code, ABO_RH_GROUP.name),
} as const satisfies Record<string, CodeableConcept>;

export const UNITS = {
  heartRate: VITAL_SIGNS.heart_rate.unit,
  respiratoryRate: VITAL_SIGNS.respiratory_rate.unit,
  bp: VITAL_SIGNS.systolic_bp.unit,
  spo2: VITAL_SIGNS.spo2.unit,
  temperature: VITAL_SIGNS.temperature.unit,
  gcs: VITAL_SIGNS.gcs.unit,
  weight: BODY_WEIGHT.unit,
  height: BODY_HEIGHT.unit,
} as const;

export const BODY_SITE_CONCEPTS: Readonly<Record<string, CodeableConcept>> = Object.fromEntries(
  Object.entries(BODY_SITE_CODES).map(([part, c]) => [part, snomedConcept(c.code, c.name)]),
);
export const SEVERITY_CONCEPTS: Readonly<Record<string, CodeableConcept>> = Object.fromEntries(
  Object.entries(SEVERITY_GRADES).map(([grade, c]) => [grade, snomedConcept(c.code, c.name)]),
);
export const BLOOD_GROUP_CONCEPTS: Readonly<Record<string, CodeableConcept>> = Object.fromEntries(
  Object.entries(BLOOD_GROUP_CODES).map(([group, c]) => [group, snomedConcept(c.code, c.name)]),
);

const NATION_DISPLAY = new Map(NATION_NAMES.map((n) => [n.code, n.name]));

/** The patient-nationality extension's code: ISO 3166-1 alpha-3 (urn:iso:std:iso:3166 holds alpha-2 and -3). */
export function nationalityConcept(code: string): CodeableConcept {
  const display = NATION_DISPLAY.get(code);
  return {
    coding: [display ? { system: ISO_3166_SYSTEM, code, display } : { system: ISO_3166_SYSTEM, code }],
  };
}

export const ENCOUNTER_CLASS_BY_FACILITY: Readonly<
  Record<Facility, (typeof ENCOUNTER_CLASS)[keyof typeof ENCOUNTER_CLASS]>
> = {
  POI: ENCOUNTER_CLASS.field,
  Role1: ENCOUNTER_CLASS.emergency,
  Role2: ENCOUNTER_CLASS.inpatient,
  Role3: ENCOUNTER_CLASS.inpatient,
  Role4: ENCOUNTER_CLASS.inpatient,
};

const profile = (url: string) => ({ profile: [url] });
/** meta of the observations that follow the R4 vital-signs profiles (mandatory for vital signs in R4). */
export const PROFILE_META = {
  heartRate: profile(VITAL_PROFILE.heart_rate),
  respiratoryRate: profile(VITAL_PROFILE.respiratory_rate),
  spo2: profile(VITAL_PROFILE.spo2),
  temperature: profile(VITAL_PROFILE.temperature),
  bp: profile(VITAL_PROFILE.bp),
  weight: profile(VITAL_PROFILE.weight),
  height: profile(VITAL_PROFILE.height),
} as const;
