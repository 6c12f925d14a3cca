/** Builds one patient from its slot in the plan: one truth per patient, used by every output. */
import {
  BLOOD_GROUP_FREQUENCY,
  BLOOD_GROUPS,
  type BodyPart,
  BYPASS_TRANSIT_HOURS,
  CONDITION_BY_CODE,
  type ConditionDef,
  DWELL_HOURS,
  type Facility,
  type HourRange,
  INJURY_KIA_MODIFIER,
  INJURY_RTD_MODIFIER,
  INJURY_TYPES,
  type InjuryType,
  MECHANISMS,
  NON_BATTLE_MECHANISMS,
  PROCEDURE_SITES,
  PROCEDURES,
  PROTOCOLS,
  type ProcedureKey,
  ROLE2_BYPASS_T1,
  RTD_FROM,
  SNOMED,
  severityGrade,
  TRANSIT_HOURS,
  TRANSIT_KIA_FACTOR,
  TRIAGE_CATEGORIES,
  TRIAGE_KIA_MODIFIER,
  TRIAGE_RTD_MODIFIER,
  type Triage,
  WARFARE_TYPES,
} from '../data/index.js';
import { type GenerationContext, TRIAGE_SEVERITY, warfareSlot } from './context.js';
import {
  type PatientCondition,
  type PatientRecord,
  SERVICE_NUMBER_SYSTEM,
  type TimelineEvent,
  type Treatment,
  type VitalSigns,
} from './patient-record.js';
import { isMultiCasualtyEvent, MIXED, specialEventOf } from './plan.js';
import { SCHEMA_VERSION } from './product-identity.js';
import { createRng, cumulative, drawCumulative, type Rng, STREAM } from './rng.js';

const BLOOD_CDF = cumulative(BLOOD_GROUPS.map((g) => BLOOD_GROUP_FREQUENCY[g]));
const NBI_MECHANISM_CDF = cumulative(Object.values(NON_BATTLE_MECHANISMS));
const NBI_MECHANISMS = (Object.keys(NON_BATTLE_MECHANISMS) as (keyof typeof MECHANISMS)[]).map(
  (k) => MECHANISMS[k],
);
const TRAUMA_CARE = new Set([
  'hemorrhage',
  'amputation',
  'tbi',
  'head_minor',
  'chest',
  'abdomen',
  'burn',
  'fracture',
  'pelvis',
  'spine',
  'eye',
  'soft_tissue',
  'sprain',
]);
const DAY_MS = 86_400_000;
const HYPOTHERMIA = '386689009';
const HYPERTHERMIA = '1197782006';
const FEVERISH_CARE = new Set(['systemic_infection', 'respiratory']);
const TENTH_MS = 360_000;
const TREATMENTS_PER_FACILITY: Record<Triage, number> = { T1: 3, T2: 2, T3: 1 };
const WARFARE_CODES = ['CON', 'ART', 'URB', 'GUE', 'DRO', 'NAV', 'CBR', 'PKO'];

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayPrefixes = new Map<number, string>();

/** "YYYY-MM-DDT" of a day number since the epoch, cached: a job touches few distinct days. */
function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

function isoDate(day: number): string {
  return dayPrefix(day).slice(0, 10);
}

/** ISO 8601 UTC to the second ("2025-06-01T06:06:22Z"); Date#toISOString was a third of the engine's time. */
function iso(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const prefix = dayPrefix(day);
  let s = Math.floor((ms - day * DAY_MS) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${prefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s]}Z`;
}

/** Duration in tenths of an hour drawn from a range, at least one tenth. */
function tenths(rng: Rng, [min, max]: HourRange, factor = 1): number {
  return Math.max(1, Math.round(rng.range(min, max) * factor * 10));
}

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

interface Stop {
  facility: Facility;
  arrival: number;
}

interface Flow {
  timeline: TimelineEvent[];
  stops: Stop[];
  /** Tenths of an hour at which the patient's course ends. */
  end: number;
  status: PatientRecord['status'];
  lastFacility: Facility;
}

function simulateFlow(
  ctx: GenerationContext,
  rng: Rng,
  injuryMs: number,
  type: InjuryType,
  triage: Triage,
): Flow {
  const timeline: TimelineEvent[] = [];
  const stops: Stop[] = [];
  const ts = (t: number) => iso(injuryMs + t * TENTH_MS);
  let facility: Facility = 'POI';
  let t = 0;
  for (;;) {
    stops.push({ facility, arrival: t });
    timeline.push({ event_type: 'arrival', facility, timestamp: ts(t), hours_since_injury: t / 10 });
    const rates = ctx.rates[facility];
    const pKia = Math.min(0.95, rates.kia * TRIAGE_KIA_MODIFIER[triage] * INJURY_KIA_MODIFIER[type]);
    const pRtd = RTD_FROM[triage].has(facility)
      ? Math.min(1 - pKia, rates.rtd * TRIAGE_RTD_MODIFIER[triage] * INJURY_RTD_MODIFIER[type])
      : 0;
    const delay = facility === 'POI' ? ctx.poiDelayHours * rng.range(0.5, 1) : 0;
    const dwell = tenths(rng, DWELL_HOURS[facility][triage]) + Math.round(delay * 10);
    const roll = rng.next();
    const deathType = facility === 'POI' ? 'KIA' : 'DOW';
    if (roll < pKia) {
      const when = t + rng.int(1, dwell);
      timeline.push({
        event_type: 'kia',
        facility,
        timestamp: ts(when),
        hours_since_injury: when / 10,
        death_type: deathType,
        kia_timing: 'at_facility',
      });
      return { timeline, stops, end: when, status: deathType, lastFacility: facility };
    }
    if (roll < pKia + pRtd) {
      timeline.push({
        event_type: 'rtd',
        facility,
        timestamp: ts(t + dwell),
        hours_since_injury: (t + dwell) / 10,
      });
      return { timeline, stops, end: t + dwell, status: 'RTD', lastFacility: facility };
    }
    if (facility === 'Role4') {
      timeline.push({
        event_type: 'remains_role4',
        facility,
        timestamp: ts(t + dwell),
        hours_since_injury: (t + dwell) / 10,
      });
      return { timeline, stops, end: t + dwell, status: 'Remains_Role4', lastFacility: facility };
    }
    const bypass: boolean = facility === 'Role1' && triage === 'T1' && rng.chance(ROLE2_BYPASS_T1);
    const next: Facility =
      facility === 'POI'
        ? 'Role1'
        : facility === 'Role1'
          ? bypass
            ? 'Role3'
            : 'Role2'
          : facility === 'Role2'
            ? 'Role3'
            : 'Role4';
    const transit = tenths(
      rng,
      bypass ? BYPASS_TRANSIT_HOURS[triage] : TRANSIT_HOURS[facility][triage],
      ctx.transitFactor,
    );
    timeline.push({
      event_type: 'evacuation_start',
      facility,
      timestamp: ts(t),
      hours_since_injury: t / 10,
      evacuation_duration_hours: dwell / 10,
      next_facility: next,
    });
    const depart = t + dwell;
    timeline.push({
      event_type: 'transit_start',
      facility,
      timestamp: ts(depart),
      hours_since_injury: depart / 10,
      from_facility: facility,
      to_facility: next,
      transit_duration_hours: transit / 10,
    });
    if (rng.chance(pKia * TRANSIT_KIA_FACTOR)) {
      const when = depart + rng.int(1, transit);
      timeline.push({
        event_type: 'kia',
        facility,
        timestamp: ts(when),
        hours_since_injury: when / 10,
        death_type: deathType,
        kia_timing: 'during_transit',
      });
      return { timeline, stops, end: when, status: deathType, lastFacility: facility };
    }
    t = depart + transit;
    facility = next;
  }
}

function drawConditions(
  ctx: GenerationContext,
  rng: Rng,
  slot: number,
  type: InjuryType,
  triage: Triage,
): PatientCondition[] {
  const choice = ctx.warfare[slot].conditions[type][triage];
  const [lo, hi] = TRIAGE_SEVERITY[triage];
  const primaryDef = choice.conditions[drawCumulative(rng, choice.cdf)];
  const primarySeverity = rng.int(Math.max(lo, primaryDef.severity[0]), Math.min(hi, primaryDef.severity[1]));
  const primary = conditionOf(primaryDef, rng.pick(primaryDef.sites), primarySeverity, true);
  const out = [primary];
  const seen = new Set([primaryDef.code]);
  const addRelated = (def: ConditionDef, severity: number, site: BodyPart) => {
    for (const link of def.related ?? []) {
      if (seen.has(link.code) || severity < (link.minSeverity ?? 0) || !rng.chance(link.p)) continue;
      const rel = CONDITION_BY_CODE.get(link.code)!;
      seen.add(rel.code);
      const relSite = rel.sites.includes(site) ? site : rel.sites[0];
      out.push(conditionOf(rel, relSite, clamp(severity, rel.severity[0], rel.severity[1]), false));
    }
  };
  addRelated(primaryDef, primarySeverity, primary.body_part);
  // Polytrauma: an immediate battle casualty often has a second, distinct injury elsewhere.
  if (type === 'BATTLE_TRAUMA' && triage !== 'T3' && rng.chance(triage === 'T1' ? 0.35 : 0.15)) {
    const second = choice.conditions[drawCumulative(rng, choice.cdf)];
    if (!seen.has(second.code)) {
      seen.add(second.code);
      const site = rng.pick(second.sites);
      const severity = clamp(primarySeverity - rng.int(1, 3), second.severity[0], second.severity[1]);
      out.push(conditionOf(second, site, severity, false));
      addRelated(second, severity, site);
    }
  }
  return out;
}

function conditionOf(
  def: ConditionDef,
  site: BodyPart,
  severity: number,
  primary: boolean,
): PatientCondition {
  return {
    code: def.code,
    name: def.name,
    system: SNOMED,
    body_part: site,
    severity,
    severity_grade: severityGrade(severity),
    primary,
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function planTreatments(
  rng: Rng,
  conditions: readonly PatientCondition[],
  triage: Triage,
  flow: Flow,
  injuryMs: number,
): Treatment[] {
  const applied: ProcedureKey[] = [];
  const out: Treatment[] = [];
  const perFacility = TREATMENTS_PER_FACILITY[triage];
  const cares = conditions.map((c) => CONDITION_BY_CODE.get(c.code)!.care);
  for (let i = 0; i < flow.stops.length; i++) {
    const stop = flow.stops[i];
    const leaveAt = i + 1 < flow.stops.length ? flow.stops[i + 1].arrival : flow.end;
    let given = 0;
    let t = stop.arrival;
    treating: for (let c = 0; c < conditions.length; c++) {
      for (const key of PROTOCOLS[cares[c]][stop.facility]) {
        if (given >= perFacility) break treating;
        if (applied.includes(key)) continue;
        const sites = PROCEDURE_SITES[key];
        if (sites && !sites.includes(conditions[c].body_part)) continue;
        // Treatments take time: each starts a few minutes after the one before, never after the patient left or died.
        const next = t + rng.int(0, 3);
        if (next > leaveAt) break treating;
        t = next;
        applied.push(key);
        given++;
        const p = PROCEDURES[key];
        out.push({
          code: p.code,
          name: p.name,
          system: SNOMED,
          facility: stop.facility,
          timestamp: iso(injuryMs + t * TENTH_MS),
          hours_since_injury: t / 10,
        });
      }
    }
  }
  return out;
}

function vitalSigns(
  rng: Rng,
  flow: Flow,
  conditions: readonly PatientCondition[],
  severity: number,
  injuryMs: number,
): VitalSigns[] {
  const died = flow.status === 'KIA' || flow.status === 'DOW';
  const head = conditions.some((c) => c.body_part === 'Head' && c.severity >= 5);
  const hypothermia = conditions.some((c) => c.code === HYPOTHERMIA);
  const hyperthermia = conditions.some((c) => c.code === HYPERTHERMIA);
  const fever = conditions.some((c) => FEVERISH_CARE.has(CONDITION_BY_CODE.get(c.code)!.care));
  let s = severity / 10;
  return flow.stops.map((stop, i) => {
    if (i > 0) s = died ? Math.min(1, s + 0.08) : Math.max(0.05, s * 0.65);
    const hr = Math.round(clamp(72 + 70 * s + rng.normal(0, 5), 40, 180));
    const rr = Math.round(clamp(14 + 18 * s + rng.normal(0, 1.5), 6, 40));
    const sbp = Math.round(clamp(126 - 62 * s * s + rng.normal(0, 6), 50, 170));
    const dbp = Math.round(clamp(Math.min(sbp - 20, 80 - 30 * s * s + rng.normal(0, 4)), 25, 110));
    const spo2 = Math.round(clamp(98.5 - 16 * s * s + rng.normal(0, 0.8), 70, 100));
    let temp = 36.8 + rng.normal(0, 0.25);
    if (hypothermia) temp = 35.2 - 3 * s + rng.normal(0, 0.3);
    else if (hyperthermia) temp = 38.4 + 2.5 * s + rng.normal(0, 0.3);
    else if (fever) temp += 0.6 + 2 * s;
    const gcs = Math.round(clamp(head ? 15 - 12 * s : 15 - Math.max(0, s - 0.6) * 15, 3, 15));
    const t = stop.arrival;
    return {
      facility: stop.facility,
      timestamp: iso(injuryMs + t * TENTH_MS),
      hours_since_injury: t / 10,
      heart_rate: hr,
      respiratory_rate: rr,
      systolic_bp: sbp,
      diastolic_bp: dbp,
      spo2,
      temperature: Math.round(temp * 10) / 10,
      gcs,
    };
  });
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
  const slot = warfareSlot(warfare);
  const tables = ctx.warfare[slot];
  const kind = plan.kind[event];

  // Casualties of one event are found over a few minutes, not at one instant.
  // (within the event's hour, so the hourly distribution of the plan is what the records show).
  const secondOfHour = plan.second[event] % 3600;
  const spread = Math.min(59 * Math.min(plan.count[event], 10), 3599 - secondOfHour);
  const offsetSeconds = plan.count[event] > 1 ? rng.int(0, spread) : 0;
  const injuryMs = ctx.baseMs + (plan.second[event] + offsetSeconds) * 1000;

  const front = scenario.fronts[plan.front[event]];
  const nationality = front.nations[plan.nation[index]];
  const names = ctx.nations.get(nationality)!;
  const gender = rng.chance(scenario.femaleRatio) ? 'female' : 'male';
  const age = 18 + Math.floor(38 * rng.next() ** 1.6);

  const type = INJURY_TYPES[drawCumulative(rng, tables.injuryCdf)];
  const triage = TRIAGE_CATEGORIES[drawCumulative(rng, tables.triageCdf[type])];
  const conditions = drawConditions(ctx, rng, slot, type, triage);
  const primary = conditions[0];
  const severity = conditions.reduce((acc, c) => Math.max(acc, c.severity), 0);
  const care = CONDITION_BY_CODE.get(primary.code)!.care;
  const mechanism =
    type === 'BATTLE_TRAUMA'
      ? tables.mechanisms[drawCumulative(rng, tables.mechanismCdf)]
      : type === 'NON_BATTLE' && TRAUMA_CARE.has(care)
        ? NBI_MECHANISMS[drawCumulative(rng, NBI_MECHANISM_CDF)]
        : null;

  const flow = simulateFlow(ctx, rng, injuryMs, type, triage);
  const treatments = planTreatments(rng, conditions, triage, flow, injuryMs);
  const vitals = vitalSigns(rng, flow, conditions, severity, injuryMs);
  const weight = gender === 'male' ? rng.normal(82, 11) : rng.normal(66, 9);
  const height = gender === 'male' ? rng.normal(178, 7) : rng.normal(165, 6.5);
  const day = Math.floor((injuryMs - ctx.baseMs) / DAY_MS) + 1;
  const minuteOfDay = Math.floor((plan.second[event] % 86400) / 60);
  const hhmm = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}${String(minuteOfDay % 60).padStart(2, '0')}`;
  const special = specialEventOf(kind);
  const eventPrefix = special
    ? `SE-${special.toUpperCase()}`
    : `${kind === 1 ? 'MC' : 'IND'}-${WARFARE_CODES[warfare]}`;

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
      height_cm: Math.round(clamp(height, 150, 205)),
      service_number: `SYN-${nationality}-${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      service_number_system: SERVICE_NUMBER_SYSTEM,
    },
    conditions,
    treatments,
    vital_signs: vitals,
    movement_timeline: flow.timeline,
    injury_time: iso(injuryMs),
    day: `Day ${day}`,
    scenario: warfare === MIXED ? 'mixed' : WARFARE_TYPES[warfare],
    event_id: `${eventPrefix}-D${Math.floor(plan.second[event] / 86400) + 1}-${hhmm}-E${String(event).padStart(6, '0')}`,
    special_event: special,
    mass_casualty: isMultiCasualtyEvent(kind),
  };
}
