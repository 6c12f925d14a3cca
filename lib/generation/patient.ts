/**
 * Builds one patient from its slot in the plan: one truth per patient, used by every output. Its course
 * (patient-flow.ts), vital signs (vital-signs.ts), treatments (treatment-plan.ts) and medications
 * (medications.ts) are drawn in that order, each from what the ones before it found.
 */
import {
  AGE_WEIGHTS,
  BLOOD_GROUP_FREQUENCY,
  BLOOD_GROUPS,
  CONDITION_BY_CODE,
  MIN_AGE,
  NON_BATTLE_CONDITION_MECHANISMS,
  NON_BATTLE_MECHANISMS,
  SNOMED,
  severityGrade,
  TRAUMA_CARE,
  WARFARE_TYPES,
} from '../data/index.js';
import { type ClinicalCore, clamp, clinicalCore } from './clinical.js';
import type { GenerationContext } from './context.js';
import { isoSeconds as iso, isoDate } from './iso-time.js';
import { drawMechanism, mechanismTable } from './mechanisms.js';
import { medicalCare } from './medications.js';
import { retriageOnceWeaned, simulateFlow } from './patient-flow.js';
import { type PatientCondition, type PatientRecord, SERVICE_NUMBER_SYSTEM } from './patient-record.js';
import { isMultiCasualtyEvent, MIXED, specialEventOf } from './plan.js';
import { SCHEMA_VERSION } from './product-identity.js';
import { createRng, cumulative, drawCumulative, type Rng, STREAM } from './rng.js';
import { planTreatments, scansWholeBody } from './treatment-plan.js';
import { vitalSigns } from './vital-signs.js';

const BLOOD_CDF = cumulative(BLOOD_GROUPS.map((g) => BLOOD_GROUP_FREQUENCY[g]));
const AGE_CDF = cumulative(AGE_WEIGHTS);
/** Body-mass indexes a fit-for-service soldier has (a planning assumption: no deployed force is underweight or obese). */
const MIN_BMI = 18.5;
const MAX_BMI = 35;
const NBI_MECHANISMS = mechanismTable(NON_BATTLE_MECHANISMS, NON_BATTLE_CONDITION_MECHANISMS);
const DAY_MS = 86_400_000;
const WARFARE_CODES = ['CON', 'ART', 'URB', 'GUE', 'DRO', 'NAV', 'CBR', 'PKO'];

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return HEX_BYTE[x >>> 24] + HEX_BYTE[(x >>> 16) & 255] + HEX_BYTE[(x >>> 8) & 255] + HEX_BYTE[x & 255];
}

function uuidFrom(rng: Rng): string {
  const a = hex32(rng.next() * 4294967296);
  const b = hex32(rng.next() * 4294967296);
  const cWord = rng.next() * 4294967296;
  const c = hex32(cWord);
  const d = hex32(rng.next() * 4294967296);
  // Version 4 layout, variant 10xx: shaped like a random UUID, derived from the seed.
  const variant = (((cWord >>> 28) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** The core's conditions as the record lists them. */
function recordConditions(core: ClinicalCore, injuryTime: string): PatientCondition[] {
  const { count, defs, sites, severities } = core.conditions;
  const out: PatientCondition[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const def = defs[i];
    const severity = severities[i];
    // What the injury or illness brought is recorded from its moment; complications, when found
    // (medications.ts).
    out[i] = {
      code: def.code,
      name: def.name,
      system: SNOMED,
      body_part: sites[i],
      severity,
      severity_grade: severityGrade(severity),
      primary: i === 0,
      facility: 'POI',
      timestamp: injuryTime,
      hours_since_injury: 0,
    };
  }
  return out;
}

/** The last event id built per context: the patients of one event come one after another. */
const LAST_EVENT_ID = new WeakMap<GenerationContext, { event: number; id: string }>();

/** "IND-CON-D1-0329-E000042": kind and warfare, day and time of the event, its number. */
function eventId(ctx: GenerationContext, event: number): string {
  const last = LAST_EVENT_ID.get(ctx);
  if (last !== undefined && last.event === event) return last.id;
  const { plan } = ctx;
  const kind = plan.kind[event];
  const special = specialEventOf(kind);
  const prefix = special
    ? `SE-${special.toUpperCase()}`
    : `${kind === 1 ? 'MC' : 'IND'}-${WARFARE_CODES[plan.warfare[event]]}`;
  const second = plan.second[event];
  const minuteOfDay = Math.floor((second % 86400) / 60);
  const hhmm = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}${String(minuteOfDay % 60).padStart(2, '0')}`;
  const id = `${prefix}-D${Math.floor(second / 86400) + 1}-${hhmm}-E${String(event).padStart(6, '0')}`;
  LAST_EVENT_ID.set(ctx, { event, id });
  return id;
}

function birthdate(rng: Rng, ctx: GenerationContext, age: number): string {
  const [earliest, span] = ctx.birthWindows[age];
  return isoDate(earliest + rng.int(0, span));
}

/** Generates patient `index` of the plan held by `ctx`, given the event it belongs to. */
export function buildPatient(ctx: GenerationContext, index: number, event: number): PatientRecord {
  const { plan } = ctx;
  const { scenario } = plan;
  const rng = createRng(plan.seedWords, STREAM.patient, index);
  const warfare = plan.warfare[event];
  const kind = plan.kind[event];
  const core = clinicalCore(ctx, index, event);
  const tables = ctx.warfare[core.slot];
  const injuryMs = ctx.baseMs + (plan.second[event] + core.offsetSeconds) * 1000;

  const front = scenario.fronts[plan.front[event]];
  const nationality = front.nations[plan.nation[index]];
  const names = ctx.nations.get(nationality)!;
  const gender = rng.chance(scenario.femaleRatio) ? 'female' : 'male';
  const age = MIN_AGE + drawCumulative(rng, AGE_CDF);

  const { type, triage } = core;
  const injuryTime = iso(injuryMs);
  const conditions = recordConditions(core, injuryTime);
  const primary = conditions[0];
  const severity = conditions.reduce((acc, c) => Math.max(acc, c.severity), 0);
  const care = CONDITION_BY_CODE.get(primary.code)!.care;
  const mechanism =
    type === 'BATTLE_TRAUMA'
      ? drawMechanism(rng, tables.mechanisms, primary.code)
      : type === 'NON_BATTLE' && TRAUMA_CARE.has(care)
        ? drawMechanism(rng, NBI_MECHANISMS, primary.code)
        : null;

  const flow = simulateFlow(ctx, index, event, core, injuryMs);
  const burnAlone = core.burnShock && core.bleedingSeverity === 0;
  const vitals = vitalSigns(rng, flow, conditions, injuryMs, burnAlone);
  const wholeBodyScan = scansWholeBody(type, triage, mechanism, conditions);
  const { treatments, tetanusCheck } = planTreatments(
    rng,
    conditions,
    type,
    triage,
    flow,
    vitals,
    injuryMs,
    wholeBodyScan,
    core.criticalUntil,
  );
  retriageOnceWeaned(flow.timeline, treatments);
  // Medications, allergies and complications (appended to conditions), from their own stream.
  const medical = medicalCare(ctx, index, {
    injuryType: type,
    triage,
    severity,
    conditions,
    treatments,
    timeline: flow.timeline,
    vitals,
    injuryMs,
    season: core.season,
    tetanusCheck,
  });
  // Weight from height and a body-mass index, so a tall soldier is the heavier (decision 0940).
  const height = clamp(gender === 'male' ? rng.normal(178, 7) : rng.normal(165, 6.5), 150, 205);
  const bmi = clamp(gender === 'male' ? rng.normal(26, 2.8) : rng.normal(23.5, 2.6), MIN_BMI, MAX_BMI);
  const weight = bmi * (height / 100) ** 2;
  const day = Math.floor((injuryMs - ctx.baseMs) / DAY_MS) + 1;
  const special = specialEventOf(kind);

  return {
    schema_version: SCHEMA_VERSION,
    id: index,
    uuid: uuidFrom(rng),
    nationality,
    gender,
    front: front.name,
    front_id: front.id,
    injury_type: type,
    triage_category: triage,
    severity,
    severity_grade: severityGrade(severity),
    body_part: primary.body_part,
    mechanism: mechanism ? { code: mechanism.code, name: mechanism.name } : null,
    status: flow.status,
    final_status: flow.status === 'DOW' ? 'KIA' : flow.status,
    last_facility: flow.lastFacility,
    facilities_visited: flow.stops.map((s) => s.facility),
    demographics: {
      given_name: rng.pick(names.given[gender]),
      family_name: rng.pick(names.family[gender]),
      gender,
      birthdate: birthdate(rng, ctx, age),
      age,
      nationality,
      blood_type: BLOOD_GROUPS[drawCumulative(rng, BLOOD_CDF)],
      weight_kg: Math.round(clamp(weight, 50, 130) * 10) / 10,
      height_cm: Math.round(height),
      service_number: `SYN-${nationality}-${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      service_number_system: SERVICE_NUMBER_SYSTEM,
    },
    conditions,
    treatments,
    medications: medical.medications,
    allergies: medical.allergies,
    vital_signs: vitals,
    movement_timeline: flow.timeline,
    injury_time: injuryTime,
    day: `Day ${day}`,
    scenario: warfare === MIXED ? 'mixed' : WARFARE_TYPES[warfare],
    event_id: eventId(ctx, event),
    special_event: special,
    mass_casualty: isMultiCasualtyEvent(kind),
  };
}
