/**
 * The patient record: one versioned zod schema shared by engine, writers, API and docs. Field names
 * keep the original's contract (id, nationality, triage_category, final_status, last_facility,
 * movement_timeline, injury_time, front, demographics.given_name/family_name, conditions[].code/name,
 * body_part) and add what it lacked.
 */
import * as z from 'zod';
import {
  ATC,
  BLOOD_GROUPS,
  BODY_PARTS,
  FACILITIES,
  INJURY_TYPES,
  RETRIAGE_CATEGORIES,
  SEVERITY_GRADES,
  TRIAGE_CATEGORIES,
  WARFARE_TYPES,
} from '../data/index.js';
import { SCHEMA_VERSION } from './product-identity.js';

/** Identifier system of the synthetic service numbers: clearly not a national id scheme. */
export const SERVICE_NUMBER_SYSTEM = 'urn:milmed:synthetic:service-number';

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'must be ISO 8601 UTC (…Z)');
const facility = z.enum(FACILITIES);
const coding = { code: z.string(), name: z.string() };

const facilityId = z.string().describe('id of the configured facility (facility_configs[].id)');

const eventBase = {
  facility,
  facility_id: facilityId
    .optional()
    .describe('id of the configured facility; absent where none is configured'),
  timestamp: isoTime,
  hours_since_injury: z.number().min(0),
  health: z.number().int().min(0).max(100).describe('health score 0..100 at this moment; 0 only on a death'),
};

export const TimelineEventSchema = z.discriminatedUnion('event_type', [
  z.object({ event_type: z.literal('arrival'), ...eventBase }),
  z.object({
    event_type: z.literal('evacuation_start'),
    ...eventBase,
    evacuation_duration_hours: z.number().positive(),
    next_facility: facility,
  }),
  z.object({
    event_type: z.literal('transit_start'),
    ...eventBase,
    from_facility: facility,
    to_facility: facility,
    transit_duration_hours: z.number().positive(),
  }),
  z.object({
    event_type: z.literal('kia'),
    ...eventBase,
    death_type: z
      .enum(['KIA', 'DOW'])
      .describe('KIA: died before reaching care; DOW: died of wounds after reaching care'),
    kia_timing: z.enum(['at_facility', 'during_transit', 'waiting']),
  }),
  z
    .object({ event_type: z.literal('discharge'), ...eventBase })
    .describe(
      'discharged to convalesce out of care, not yet fit for duty; its rtd event follows: from Role 4 at the end of its hospital stay, days to months later (schema 2.1.0), or from any echelon to take a rest before duty in quarters, a concussion its day, a contagious or febrile illness 72 hours from its onset (schema 2.3.0)',
    ),
  z.object({ event_type: z.literal('rtd'), ...eventBase }),
  z.object({ event_type: z.literal('remains_role4'), ...eventBase }),
  z
    .object({
      event_type: z.literal('wait'),
      ...eventBase,
      wait_hours: z.number().positive().describe('time queued for a bed before the arrival'),
    })
    .describe('the facility was full: the patient queued for a bed (or died queuing)'),
  z
    .object({
      event_type: z.literal('diversion'),
      ...eventBase,
      to_facility: facility,
      to_facility_id: facilityId.optional(),
      transit_duration_hours: z.number().positive(),
    })
    .describe('the facility was full: the patient was sent to another of the same role, or onward'),
  z
    .object({
      event_type: z.literal('triage'),
      ...eventBase,
      triage_category: z.enum(RETRIAGE_CATEGORIES),
    })
    .describe('re-triage at an echelon (T4, expectant, only when a mass casualty overwhelms a facility)'),
]);
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const ConditionSchema = z.object({
  ...coding,
  system: z.literal('http://snomed.info/sct'),
  body_part: z.enum(BODY_PARTS),
  severity: z.number().int().min(1).max(10),
  severity_grade: z.enum(Object.keys(SEVERITY_GRADES) as [keyof typeof SEVERITY_GRADES]),
  primary: z.boolean(),
  facility: facility.describe(
    'where it was first recorded: POI for what the injury or illness brought, the echelon that found a complication (schema 2.2.0)',
  ),
  timestamp: isoTime.describe(
    "when it was first recorded: the injury's time, or when a complication was found (schema 2.2.0)",
  ),
  hours_since_injury: z.number().min(0).describe('schema 2.2.0'),
});
export type PatientCondition = z.infer<typeof ConditionSchema>;

export const TreatmentSchema = z.object({
  ...coding,
  system: z.literal('http://snomed.info/sct'),
  facility,
  timestamp: isoTime,
  hours_since_injury: z.number().min(0),
});
export type Treatment = z.infer<typeof TreatmentSchema>;

/** A drug or blood product given (lib/generation/medications.ts): WHO ATC, or SNOMED CT substance/product. */
export const MedicationSchema = z.object({
  ...coding,
  system: z.enum([ATC, 'http://snomed.info/sct']),
  facility,
  timestamp: isoTime,
});
export type Medication = z.infer<typeof MedicationSchema>;

/** A known drug allergy: the substance (SNOMED CT) or drug (WHO ATC) the patient must not be given. */
export const AllergySchema = z.object({
  ...coding,
  system: z.enum([ATC, 'http://snomed.info/sct']),
});
export type Allergy = z.infer<typeof AllergySchema>;

export const VitalSignsSchema = z.object({
  facility,
  timestamp: isoTime,
  hours_since_injury: z.number().min(0),
  heart_rate: z.number().int().describe('LOINC 8867-4, /min'),
  respiratory_rate: z.number().int().describe('LOINC 9279-1, /min'),
  systolic_bp: z.number().int().describe('LOINC 8480-6, mm[Hg]'),
  diastolic_bp: z.number().int().describe('LOINC 8462-4, mm[Hg]'),
  spo2: z.number().int().max(100).describe('LOINC 2708-6, %'),
  temperature: z.number().describe('LOINC 8310-5, Cel'),
  gcs: z.number().int().min(3).max(15).describe('LOINC 9269-2, {score}'),
});
export type VitalSigns = z.infer<typeof VitalSignsSchema>;

export const DemographicsSchema = z.object({
  given_name: z.string(),
  family_name: z.string(),
  gender: z.enum(['male', 'female']),
  birthdate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  age: z.number().int().min(18).max(55),
  nationality: z.string().length(3),
  blood_type: z.enum(BLOOD_GROUPS),
  weight_kg: z.number(),
  height_cm: z.number(),
  service_number: z.string(),
  service_number_system: z.literal(SERVICE_NUMBER_SYSTEM),
});

export const PatientRecordSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  id: z.number().int().min(0).describe('0-based index of the patient in the job'),
  uuid: z.string().uuid().describe('Stable id derived from the job seed and the index'),
  nationality: z.string().length(3),
  gender: z.enum(['male', 'female']),
  front: z.string(),
  front_id: z.string(),
  injury_type: z.enum(INJURY_TYPES),
  triage_category: z
    .enum(TRIAGE_CATEGORIES)
    .describe('triage at first assessment; re-triage events in movement_timeline'),
  severity: z.number().int().min(1).max(10),
  severity_grade: z.enum(Object.keys(SEVERITY_GRADES) as [keyof typeof SEVERITY_GRADES]),
  body_part: z.enum(BODY_PARTS),
  mechanism: z
    .object(coding)
    .nullable()
    .describe(
      'SNOMED CT external cause of the injury; null for illness and where no vetted cause fits (a non-battle burn)',
    ),
  status: z.enum(['KIA', 'DOW', 'RTD', 'Remains_Role4']),
  final_status: z.enum(['KIA', 'RTD', 'Remains_Role4']).describe('DOW is reported as KIA, as viewers expect'),
  last_facility: facility,
  facilities_visited: z.array(facility),
  demographics: DemographicsSchema,
  conditions: z.array(ConditionSchema).min(1),
  treatments: z.array(TreatmentSchema),
  medications: z
    .array(MedicationSchema)
    .describe('Drugs and blood products given, in time order; never one the patient is allergic to'),
  allergies: z.array(AllergySchema).describe('Known drug allergies (about 1 patient in 10)'),
  vital_signs: z.array(VitalSignsSchema).min(1),
  movement_timeline: z.array(TimelineEventSchema).min(2),
  injury_time: isoTime,
  day: z.string().regex(/^Day \d+$/),
  scenario: z
    .union([z.enum(WARFARE_TYPES), z.literal('mixed')])
    .describe('warfare type, or "mixed" for special events'),
  event_id: z.string(),
  special_event: z.enum(['mass_casualty', 'major_offensive', 'ambush']).nullable(),
  mass_casualty: z
    .boolean()
    .describe('Hurt together with others (a cluster or a special event); special_event names the kind'),
});
export type PatientRecord = z.infer<typeof PatientRecordSchema>;
