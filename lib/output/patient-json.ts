/**
 * JSON text of one patient record, byte for byte what JSON.stringify(record) gives, about twice as
 * fast: the record's shape is known, so there is no property walk, and the many one-decimal numbers
 * (hours, temperatures, weights) come from a table instead of double-to-string conversion.
 * test/unit/output/patient-json.test.ts holds it equal to JSON.stringify over random scenarios.
 *
 * Strings the engine takes from its own tables or formats itself (codes, displays, timestamps, ids,
 * enums) need no escaping, which a test checks for every table; strings a user can supply (front name
 * and id) and names go through JSON.stringify.
 */
import type { PatientRecord, TimelineEvent } from '../generation/index.js';

const TENTHS_CACHE: string[] = [];

/** String(x) for a number with at most one decimal (x = k / 10), from a table when k is small. */
function tenths(x: number): string {
  const k = Math.round(x * 10);
  if (k !== x * 10 || k < 0 || k > 100_000) return String(x);
  let text = TENTHS_CACHE[k];
  if (text === undefined) {
    text = String(k / 10);
    TENTHS_CACHE[k] = text;
  }
  return text;
}

const str = JSON.stringify;

interface DrugHead {
  readonly name: string;
  readonly system: string;
  readonly text: string;
}
const DRUG_HEADS = new Map<string, DrugHead>();

/** `{"code":…,"name":…,"system":…,"facility":"` of a medication, built once per drug (a few dozen). */
function drugHead(m: { code: string; name: string; system: string }): string {
  const head = DRUG_HEADS.get(m.code);
  if (head !== undefined && head.name === m.name && head.system === m.system) return head.text;
  const text = `{"code":"${m.code}","name":"${m.name}","system":"${m.system}","facility":"`;
  DRUG_HEADS.set(m.code, { name: m.name, system: m.system, text });
  return text;
}

/**
 * Texts built once per pair of table strings (event type and facility, procedure and facility, …).
 * Each record's text is a tree of pieces that is flattened when written out: fewer, longer pieces
 * make that copy cheaper (it was about half of the JSON writer's time).
 */
type PairCache = Map<string, Map<string, string>>;

function pair(cache: PairCache, a: string, b: string, build: (a: string, b: string) => string): string {
  let inner = cache.get(a);
  if (inner === undefined) {
    inner = new Map();
    cache.set(a, inner);
  }
  let text = inner.get(b);
  if (text === undefined) {
    text = build(a, b);
    inner.set(b, text);
  }
  return text;
}

const EVENT_HEADS: PairCache = new Map();
const eventHead = (type: string, facility: string) => `{"event_type":"${type}","facility":"${facility}"`;
const TIMESTAMP_KEY = ',"timestamp":"';
const EVENT_TIMESTAMP_KEYS: PairCache = new Map();
const eventHeadTimestamp = (type: string, facility: string) => `${eventHead(type, facility)}${TIMESTAMP_KEY}`;

const TREATMENT_HEADS = new Map<string, Map<string, DrugHead>>();
const VITAL_HEADS = new Map<string, string>();

function vitalHead(facility: string): string {
  let text = VITAL_HEADS.get(facility);
  if (text === undefined) {
    text = `{"facility":"${facility}","timestamp":"`;
    VITAL_HEADS.set(facility, text);
  }
  return text;
}

/** `{"code":…,"name":…,"system":…,"facility":…,"timestamp":"` of a treatment, once per procedure and facility. */
function treatmentHead(t: { code: string; name: string; system: string; facility: string }): string {
  let byFacility = TREATMENT_HEADS.get(t.code);
  if (byFacility === undefined) {
    byFacility = new Map();
    TREATMENT_HEADS.set(t.code, byFacility);
  }
  const head = byFacility.get(t.facility);
  if (head !== undefined && head.name === t.name && head.system === t.system) return head.text;
  const text = `{"code":"${t.code}","name":"${t.name}","system":"${t.system}","facility":"${t.facility}"${TIMESTAMP_KEY}`;
  byFacility.set(t.facility, { name: t.name, system: t.system, text });
  return text;
}

const CONDITION_HEADS = new Map<string, DrugHead>();

/** `{"code":…,"name":…,"system":…,"body_part":"` of a condition, once per code. */
function conditionHead(c: { code: string; name: string; system: string }): string {
  const head = CONDITION_HEADS.get(c.code);
  if (head !== undefined && head.name === c.name && head.system === c.system) return head.text;
  const text = `{"code":"${c.code}","name":"${c.name}","system":"${c.system}","body_part":"`;
  CONDITION_HEADS.set(c.code, { name: c.name, system: c.system, text });
  return text;
}

/** `,"facility_id":"…","timestamp":"` per configured facility id (a user's id: JSON.stringify escapes it). */
const FACILITY_ID_KEYS = new Map<string, string>();

function facilityIdKeys(id: string): string {
  let text = FACILITY_ID_KEYS.get(id);
  if (text === undefined) {
    text = `,"facility_id":${str(id)}${TIMESTAMP_KEY}`;
    // Ids come from a scenario's few facility configs; the bound only guards a long-lived process.
    if (FACILITY_ID_KEYS.size >= 4096) FACILITY_ID_KEYS.clear();
    FACILITY_ID_KEYS.set(id, text);
  }
  return text;
}

function event(e: TimelineEvent): string {
  const start =
    e.facility_id === undefined
      ? pair(EVENT_TIMESTAMP_KEYS, e.event_type, e.facility, eventHeadTimestamp)
      : pair(EVENT_HEADS, e.event_type, e.facility, eventHead) + facilityIdKeys(e.facility_id);
  const head = `${start}${e.timestamp}","hours_since_injury":${tenths(e.hours_since_injury)},"health":${e.health}`;
  switch (e.event_type) {
    case 'evacuation_start':
      return `${head},"evacuation_duration_hours":${tenths(e.evacuation_duration_hours)},"next_facility":"${e.next_facility}"}`;
    case 'transit_start':
      return `${head},"from_facility":"${e.from_facility}","to_facility":"${e.to_facility}","transit_duration_hours":${tenths(e.transit_duration_hours)}}`;
    case 'kia':
      return `${head},"death_type":"${e.death_type}","kia_timing":"${e.kia_timing}"}`;
    case 'wait':
      return `${head},"wait_hours":${tenths(e.wait_hours)}}`;
    case 'diversion': {
      const to = e.to_facility_id === undefined ? '' : `,"to_facility_id":${str(e.to_facility_id)}`;
      return `${head},"to_facility":"${e.to_facility}"${to},"transit_duration_hours":${tenths(e.transit_duration_hours)}}`;
    }
    case 'triage':
      return `${head},"triage_category":"${e.triage_category}"}`;
    default:
      return `${head}}`;
  }
}

export function patientJson(p: PatientRecord): string {
  const d = p.demographics;
  let conditions = '';
  for (const c of p.conditions) {
    conditions += `${conditions ? ',' : ''}${conditionHead(c)}${c.body_part}","severity":${c.severity},"severity_grade":"${c.severity_grade}","primary":${c.primary},"facility":"${c.facility}","timestamp":"${c.timestamp}","hours_since_injury":${tenths(c.hours_since_injury)}}`;
  }
  let treatments = '';
  for (const t of p.treatments) {
    treatments += `${treatments ? ',' : ''}${treatmentHead(t)}${t.timestamp}","hours_since_injury":${tenths(t.hours_since_injury)}}`;
  }
  let medications = '';
  for (const m of p.medications) {
    medications += `${medications ? ',' : ''}${drugHead(m)}${m.facility}","timestamp":"${m.timestamp}"}`;
  }
  let allergies = '';
  for (const a of p.allergies) {
    allergies += `${allergies ? ',' : ''}{"code":"${a.code}","name":"${a.name}","system":"${a.system}"}`;
  }
  let vitals = '';
  for (const v of p.vital_signs) {
    vitals += `${vitals ? ',' : ''}${vitalHead(v.facility)}${v.timestamp}","hours_since_injury":${tenths(v.hours_since_injury)},"heart_rate":${v.heart_rate},"respiratory_rate":${v.respiratory_rate},"systolic_bp":${v.systolic_bp},"diastolic_bp":${v.diastolic_bp},"spo2":${v.spo2},"temperature":${tenths(v.temperature)},"gcs":${v.gcs}}`;
  }
  let timeline = '';
  for (const e of p.movement_timeline) timeline += `${timeline ? ',' : ''}${event(e)}`;
  let visited = '';
  for (const f of p.facilities_visited) visited += `${visited ? ',' : ''}"${f}"`;
  const mechanism = p.mechanism ? `{"code":"${p.mechanism.code}","name":"${p.mechanism.name}"}` : 'null';
  const special = p.special_event ? `"${p.special_event}"` : 'null';
  return (
    `{"schema_version":"${p.schema_version}","id":${p.id},"uuid":"${p.uuid}","nationality":"${p.nationality}","gender":"${p.gender}",` +
    `"front":${str(p.front)},"front_id":${str(p.front_id)},"injury_type":"${p.injury_type}","triage_category":"${p.triage_category}",` +
    `"severity":${p.severity},"severity_grade":"${p.severity_grade}","body_part":"${p.body_part}","mechanism":${mechanism},` +
    `"status":"${p.status}","final_status":"${p.final_status}","last_facility":"${p.last_facility}","facilities_visited":[${visited}],` +
    `"demographics":{"given_name":${str(d.given_name)},"family_name":${str(d.family_name)},"gender":"${d.gender}","birthdate":"${d.birthdate}",` +
    `"age":${d.age},"nationality":"${d.nationality}","blood_type":"${d.blood_type}","weight_kg":${tenths(d.weight_kg)},"height_cm":${d.height_cm},` +
    `"service_number":"${d.service_number}","service_number_system":"${d.service_number_system}"},` +
    `"conditions":[${conditions}],"treatments":[${treatments}],"medications":[${medications}],"allergies":[${allergies}],"vital_signs":[${vitals}],"movement_timeline":[${timeline}],` +
    `"injury_time":"${p.injury_time}","day":"${p.day}","scenario":"${p.scenario}","event_id":"${p.event_id}",` +
    `"special_event":${special},"mass_casualty":${p.mass_casualty}}`
  );
}
