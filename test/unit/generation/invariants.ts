/** Checks of one patient record against the generation model (memory/reference/architecture.md, Engine); returns the problems found. */
import {
  AFTER_MARCH,
  ALLERGENS,
  BLEEDING_INJURY_CARE,
  BLOOD_PRODUCTS,
  BREATHING_TRIAL_MINUTES,
  CONCUSSION_REST_HOURS,
  CONDITION_BY_CODE,
  CRITICAL_CARE,
  DIAGNOSTIC_IMAGING,
  DRUGS,
  DWELL_HOURS,
  FACILITIES,
  HYPOTENSIVE_BELOW_SBP,
  ILLNESS_IV_FROM_SEVERITY,
  INTRAVENOUS_PROCEDURES,
  INTUBATE_AT_GCS,
  ISOLATION_HOURS,
  injuresBrain,
  LIMBS,
  leastCriticalHours as leastCriticalOf,
  MARCH_RANK,
  NO_DISCHARGE_BEFORE_HOURS,
  NON_LETHAL_CARE,
  OPERATIONS,
  OXYGEN_BELOW_SPO2,
  OXYGENATING_PROCEDURES,
  PROCEDURE_MIN_SEVERITY,
  PROCEDURE_SITES,
  PROCEDURES,
  PROTOCOLS,
  type ProcedureKey,
  RECOVERY_PER_HOUR,
  REHABILITATION,
  raisesFever,
  SEDATED_GCS,
  T1_BELOW,
  T2_BELOW,
  TARGET_SPO2_FLOOR,
  TOURNIQUET_FROM_SEVERITY,
  TRANSFUSE_FROM_SHOCK_INDEX,
  TRAUMA_CARE,
  unfitForWeeks,
  unfitInTheatre,
  VENTILATOR_RATE,
  xrayedBeforeDuty,
} from '../../../lib/data/index.js';
import type { PatientRecord } from '../../../lib/generation/index.js';

const TERMINAL = new Set(['kia', 'rtd', 'remains_role4']);
const OPERATION_CODES: ReadonlySet<string> = new Set(OPERATIONS.map((key) => PROCEDURES[key].code));
const MARCH_RANK_BY_CODE: ReadonlyMap<string, number> = new Map(
  Object.entries(MARCH_RANK).map(([key, rank]) => [PROCEDURES[key as keyof typeof PROCEDURES].code, rank]),
);
/**
 * What only an open wound gets, stated here apart from the engine's tables: a pressure dressing or
 * direct pressure, tetanus, wound care, a suture, a dressing change (fix 0344).
 */
export const OPEN_WOUND_CARE = [
  'pressureDressing',
  'directPressure',
  'tetanus',
  'woundCare',
  'sutureClosure',
  'dressingChange',
] as const;

/** Open wounds of a battle injury, which TCCC gives an antibiotic at the point of injury. */
export const OPEN_COMBAT_WOUNDS: ReadonlySet<string> = new Set([
  'Bullet wound',
  'Penetrating wound',
  'Open wound',
  'Open fracture',
  'Foreign body',
]);
/** The fixations of a broken bone: an internal or an external fixation, an open reduction. */
export const FIXATION_CODES: ReadonlySet<string> = new Set(
  (['orif', 'externalFixation', 'openReduction'] as const).map((key) => PROCEDURES[key].code),
);
/** What only a broken bone gets: its fixations, the debridement of an open fracture, fracture care. */
const BROKEN_BONE_CARE_CODES: ReadonlySet<string> = new Set([
  ...FIXATION_CODES,
  PROCEDURES.debridement.code,
  PROCEDURES.fractureCare.code,
]);
/** The longest dwell at Role 1, which holds no one (fix 0391). */
const LONGEST_ROLE1_STAY_HOURS = Math.max(...Object.values(DWELL_HOURS.Role1).map(([, most]) => most));
/**
 * The least hours after its onset a patient's cause keeps it critical, and on a ventilator if it is on
 * one (fixes 0382, 0389): its conditions' longest, but for an injury's sepsis, a wound infection's found
 * days later (a complication).
 */
const SEPSIS_CODE = '91302008';
export function leastCriticalHours(p: PatientRecord): number {
  let hours = 0;
  for (const c of p.conditions) {
    if (p.injury_type !== 'DISEASE' && c.code === SEPSIS_CODE) continue;
    hours = Math.max(hours, leastCriticalOf(CONDITION_BY_CODE.get(c.code)!, c.body_part, c.severity));
  }
  return hours;
}
/** Control of bleeding at the point of injury, in TCCC's order (fix 0380). */
const BLEEDING_CONTROL_ORDER: readonly string[] = (
  ['tourniquet', 'directPressure', 'hemorrhageControl', 'pressureDressing'] as const
).map((key) => PROCEDURES[key].code);
const PROCEDURE_NAME_BY_CODE: ReadonlyMap<string, string> = new Map(
  Object.values(PROCEDURES).map((p) => [p.code, p.name]),
);
/** An X-ray or a CT scan: what shows a fracture (an ultrasound does not). */
export const IMAGING_CODES: ReadonlySet<string> = new Set(
  [...DIAGNOSTIC_IMAGING].filter((key) => key !== 'ultrasound').map((key) => PROCEDURES[key].code),
);
/** A CT that scans the head: its own or a whole-body one. */
const HEAD_CT_CODES: ReadonlySet<string> = new Set([PROCEDURES.ctHead.code, PROCEDURES.ctWholeBody.code]);
const REHABILITATION_CODES: ReadonlySet<string> = new Set(
  [...REHABILITATION].map((key) => PROCEDURES[key].code),
);
type Admission = { facility: string; hours_since_injury: number; health: number };
/** Recovering from its admission at its echelon's rate: its health at `hour` (100 at most). */
function healthWhileRecovering(admitted: Admission, hour: number): number {
  const rate = RECOVERY_PER_HOUR[admitted.facility as keyof typeof RECOVERY_PER_HOUR];
  return Math.min(100, admitted.health + (hour - admitted.hours_since_injury) * rate);
}
/** Recovering at its echelon's rate from `from` (its admission by default): when it is no longer critical. */
function noLongerCriticalAt(admitted: Admission, from = admitted.hours_since_injury): number {
  const rate = RECOVERY_PER_HOUR[admitted.facility as keyof typeof RECOVERY_PER_HOUR];
  return from + Math.max(0, T2_BELOW - admitted.health) / rate;
}
/** A patient weaned before a transfer is watched this long off the ventilator before it leaves (fix 0324). */
const WEAN_BEFORE_TRANSFER_HOURS = 2;
const ECHELON_ORDER = ['POI', 'Role1', 'Role2', 'Role3', 'Role4'];
const PROCEDURE_BY_CODE = new Map(
  (Object.entries(PROCEDURES) as [ProcedureKey, { code: string }][]).map(([key, p]) => [p.code, key]),
);

/** Trauma, an acute surgical abdomen and cold injuries hurt; so do headache, toothache, abdominal pain and a sore throat. */
/** The care of an abdominal wound, which takes its antibiotic by vein. */
const ABDOMINAL_CARE = new Set(['abdomen', 'surgical_abdomen']);
const PAINFUL_CARE = new Set<string>([...TRAUMA_CARE, 'surgical_abdomen', 'cold']);
/**
 * Whether `p` had the protocols' step `key`: a procedure of its record, or for the tetanus step, which is
 * a check and no procedure, the toxoid booster it gives a soldier (fixes 0364, 0365).
 */
export function hasStep(p: PatientRecord, key: ProcedureKey): boolean {
  return key === 'tetanus'
    ? p.medications.some((m) => m.code === DRUGS.tetanusToxoid.code)
    : p.treatments.some((t) => t.code === PROCEDURES[key].code);
}
/** The record's name of a step `p` had (hasStep). */
const stepName = (key: ProcedureKey) => (key === 'tetanus' ? 'a tetanus booster' : PROCEDURES[key].name);
/**
 * Wounded, as the course's `wound` says: a battle injury, or a non-battle one whose primary condition is
 * physical trauma, not a heat or cold injury (fix 0359, decision 0948).
 */
const wounded = (p: PatientRecord) =>
  p.injury_type === 'BATTLE_TRAUMA' ||
  (p.injury_type === 'NON_BATTLE' && TRAUMA_CARE.has(CONDITION_BY_CODE.get(p.conditions[0].code)!.care));
const PAIN_SYMPTOMS = new Set(['25064002', '27355003', '21522001', '195662009', '43878008']);

/** Oxygen therapy or a mask: what a protocol gives (ventilation is the patient's state's). */
const isProtocolOxygen = (key: ProcedureKey | undefined) => key === 'oxygen' || key === 'oxygenMask';

/** Haemorrhagic shock at an admission, stated here from the figures: systolic below 90, or shock index 1 or more. */
export const inShock = (v: { systolic_bp: number; heart_rate: number }) =>
  v.systolic_bp < HYPOTENSIVE_BELOW_SBP || v.heart_rate >= TRANSFUSE_FROM_SHOCK_INDEX * v.systolic_bp;

/**
 * In pain worth treating: a painful condition of severity 3 or more, or a pain symptom (fixes 0262,
 * 0264); hypothermia, a cold body, does not hurt as a cold injury does (fix 0277).
 */
export function inPain(p: PatientRecord): boolean {
  return p.conditions.some((c) => PAIN_SYMPTOMS.has(c.code)) || inPainFrom(p, 3);
}

/**
 * A painful condition (not hypothermia) of `severity` or more, or, from severity 3, a concussion, whose
 * pain is a headache for paracetamol whatever its severity (fix 0360).
 */
export function inPainFrom(p: PatientRecord, severity: number): boolean {
  return p.conditions.some((c) => {
    const def = CONDITION_BY_CODE.get(c.code)!;
    if (def.concussion) return severity <= 3 && c.severity >= 3;
    return c.severity >= severity && c.code !== '386689009' && PAINFUL_CARE.has(def.care);
  });
}

/** The casualty was admitted at `facility` at `hours` after injury: after an arrival there, before it left. */
function inStayAt(tl: PatientRecord['movement_timeline'], facility: string, hours: number): boolean {
  for (let i = 0; i < tl.length; i++) {
    const arrival = tl[i];
    if (
      arrival.event_type !== 'arrival' ||
      arrival.facility !== facility ||
      arrival.hours_since_injury > hours
    )
      continue;
    const leaving = tl
      .slice(i + 1)
      .find((e) => e.event_type !== 'triage' && e.event_type !== 'evacuation_start');
    if (leaving === undefined || leaving.hours_since_injury >= hours) return true;
  }
  return false;
}

export function patientProblems(p: PatientRecord, baseDate: string): string[] {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(`patient ${p.id}: ${msg}`);
  const tl = p.movement_timeline;
  const injuryMs = Date.parse(p.injury_time);

  if (tl[0].event_type !== 'arrival' || tl[0].facility !== 'POI' || tl[0].hours_since_injury !== 0) {
    fail('first event is not the POI arrival at hour 0');
  }
  for (let i = 0; i < tl.length; i++) {
    const e = tl[i];
    if (i > 0 && e.hours_since_injury < tl[i - 1].hours_since_injury) fail(`event ${i} goes back in time`);
    if (Date.parse(e.timestamp) !== injuryMs + Math.round(e.hours_since_injury * 3_600_000)) {
      fail(`event ${i} timestamp does not equal injury time + hours_since_injury`);
    }
    if (TERMINAL.has(e.event_type) && i !== tl.length - 1) fail('a terminal event is not the last event');
    // Death only at health 0: a death carries 0, every other moment a living patient's score.
    if (e.event_type === 'kia' ? e.health !== 0 : e.health < 1 || e.health > 100)
      fail(`event ${i} (${e.event_type}) has health ${e.health}`);
    if (e.event_type === 'transit_start' || e.event_type === 'diversion') {
      const next = tl[i + 1];
      const duration = e.transit_duration_hours;
      if (next === undefined) fail(`${e.event_type} is the last event`);
      else if (next.event_type === 'kia') {
        if (next.kia_timing !== 'during_transit') fail(`death after ${e.event_type} is not during transit`);
      } else {
        if (next.facility !== e.to_facility) fail(`${e.event_type} is not followed at its destination`);
        if (Math.abs(next.hours_since_injury - e.hours_since_injury - duration) > 1e-9)
          fail(`the event after ${e.event_type} is not at departure + transit duration`);
        if (!['arrival', 'wait', 'diversion', 'triage'].includes(next.event_type))
          fail(`${e.event_type} is followed by ${next.event_type}`);
      }
      const order = ECHELON_ORDER.indexOf(e.to_facility) - ECHELON_ORDER.indexOf(e.facility);
      if (e.event_type === 'transit_start' ? order <= 0 : order < 0 || order > 1)
        fail(`${e.event_type} goes backwards`);
    }
    if (e.event_type === 'wait') {
      const next = tl[i + 1];
      if (!next || next.facility !== e.facility) fail('a wait is not followed at its facility');
      else if (Math.abs(next.hours_since_injury - e.hours_since_injury - e.wait_hours) > 1e-9)
        fail('the event after a wait is not at its end');
      else if (next.event_type !== 'arrival' && !(next.event_type === 'kia' && next.kia_timing === 'waiting'))
        fail('a wait ends in neither an admission nor a death while waiting');
      if (e.facility_id === undefined) fail('a wait does not name its facility');
    }
    if (e.event_type === 'triage' && e.triage_category === 'T4') {
      if (!p.mass_casualty) fail('T4 outside a mass casualty');
      if (tl[i + 1]?.event_type !== 'wait') fail('T4 without a full facility (no wait follows)');
    }
    if (e.event_type === 'kia' && e.kia_timing === 'waiting' && tl[i - 1]?.event_type !== 'wait')
      fail('a death while waiting without a wait');
    if (e.event_type === 'evacuation_start') {
      const transit = tl[i + 1];
      if (transit?.event_type !== 'transit_start') fail('evacuation_start is not followed by a transit');
      else if (
        Math.abs(transit.hours_since_injury - e.hours_since_injury - e.evacuation_duration_hours) > 1e-9
      ) {
        fail('transit does not start when the evacuation wait ends');
      }
    }
  }
  // A condition is recorded where the casualty was: what the injury or illness brought at its moment, a
  // complication when found during a stay (memory/fixes/0384).
  for (const c of p.conditions) {
    if (Date.parse(c.timestamp) !== injuryMs + Math.round(c.hours_since_injury * 3_600_000))
      fail(`${c.name}: timestamp does not equal injury time + hours_since_injury`);
    if (c.hours_since_injury === 0 ? c.facility !== 'POI' : !inStayAt(tl, c.facility, c.hours_since_injury))
      fail(
        `${c.name} recorded at ${c.facility} ${c.hours_since_injury} h after injury, not during a stay there`,
      );
  }
  if (p.conditions[0].hours_since_injury !== 0) fail('the primary condition is not recorded at the injury');
  const last = tl[tl.length - 1];
  if (!TERMINAL.has(last.event_type)) fail('timeline has no terminal event');
  if (tl.filter((e) => TERMINAL.has(e.event_type)).length !== 1)
    fail('timeline has more than one terminal event');
  const expectedFinal =
    last.event_type === 'kia' ? 'KIA' : last.event_type === 'rtd' ? 'RTD' : 'Remains_Role4';
  if (p.final_status !== expectedFinal)
    fail(`final_status ${p.final_status} disagrees with the ${last.event_type} event`);
  if (last.event_type === 'kia') {
    const reachedCare = p.facilities_visited.length > 1;
    if (last.death_type !== (reachedCare ? 'DOW' : 'KIA'))
      fail('death type does not match whether care was reached');
    if (p.status !== last.death_type) fail('status disagrees with the death type');
  } else if (p.status !== p.final_status) fail('status disagrees with final_status');
  if (p.final_status === 'Remains_Role4' && p.last_facility !== 'Role4') fail('Remains_Role4 outside Role 4');
  // The rests before duty: what rests, how long, from when (their rules below).
  const restRules: readonly [(c: PatientRecord['conditions'][number]) => boolean, number, string][] = [
    [(c) => CONDITION_BY_CODE.get(c.code)?.concussion === true, CONCUSSION_REST_HOURS, 'the injury'],
    [
      (c) =>
        CONDITION_BY_CODE.get(c.code)?.contagious === true ||
        (p.injury_type === 'DISEASE' && c.hours_since_injury === 0 && raisesFever(c)),
      ISOLATION_HOURS,
      'its onset',
    ],
  ];
  // A casualty that rests before duty: a concussion its day, a contagious or febrile illness 72 hours.
  const restsBeforeDuty = restRules.some(([rests]) => p.conditions.some(rests));
  // Role 4 discharges a casualty not yet fit at the end of its hospital stay to convalesce out of
  // hospital until fit, not before a war wound's closure is due (fixes 0319, 0322); any echelon
  // discharges one that rests before duty to take its rest in quarters (fix 0391). A discharge comes
  // only before the return to duty, and ends the stay, so nothing is given or measured there after it.
  const discharge = tl.findIndex((e) => e.event_type === 'discharge');
  if (discharge >= 0) {
    const at = tl[discharge];
    if (at.facility !== 'Role4' && !restsBeforeDuty) fail(`discharge at ${at.facility}`);
    if (discharge !== tl.length - 2 || last.event_type !== 'rtd')
      fail('a discharge is not followed by the return to duty');
    else if (last.hours_since_injury <= at.hours_since_injury) fail('return to duty not after the discharge');
    if (!restsBeforeDuty && at.hours_since_injury < NO_DISCHARGE_BEFORE_HOURS)
      fail('discharged before its wound could be closed');
    if (tl.filter((e) => e.event_type === 'discharge').length > 1) fail('more than one discharge');
    const after = (items: readonly { facility: string; timestamp: string }[]) =>
      items.some((x) => x.facility === at.facility && x.timestamp > at.timestamp);
    if (after(p.treatments)) fail(`a treatment at ${at.facility} after the discharge`);
    if (after(p.medications)) fail(`a medication at ${at.facility} after the discharge`);
    if (after(p.vital_signs)) fail(`vital signs at ${at.facility} after the discharge`);
  }
  // Role 1 holds no one: a casualty back on duty from it later than its longest stay there took its rest
  // in quarters, discharged at the end of that stay (fix 0391).
  const role1 = tl.find((e) => e.event_type === 'arrival' && e.facility === 'Role1');
  if (
    role1 !== undefined &&
    last.event_type === 'rtd' &&
    last.facility === 'Role1' &&
    discharge < 0 &&
    last.hours_since_injury - role1.hours_since_injury > LONGEST_ROLE1_STAY_HOURS + 1e-9
  )
    fail(
      `rested in a Role 1 bed: back on duty ${(last.hours_since_injury - role1.hours_since_injury).toFixed(1)} h after arriving`,
    );
  if (p.last_facility !== last.facility) fail('last_facility is not the facility of the terminal event');
  // A wound returns to duty before Role 2 only as minimal (T3): a delayed or immediate one needs
  // surgery first (fix 0246); a heat or cold injury is no wound (fix 0359). The triage that counts is
  // the one of the admission it leaves from.
  if (last.event_type === 'rtd' && wounded(p) && (last.facility === 'POI' || last.facility === 'Role1')) {
    const admission = tl.findLast((e) => e.event_type === 'arrival' && e.facility === last.facility)!;
    const assessed = tl.findLast(
      (e) => e.event_type === 'triage' && e.hours_since_injury <= admission.hours_since_injury,
    ) as { triage_category: string } | undefined;
    const triage = assessed?.triage_category ?? p.triage_category;
    if (triage !== 'T3') fail(`an injured ${triage} casualty returned to duty from ${last.facility}`);
  }
  // Only a mild primary condition (severity 3 or less) that is no bacterial infection returns to duty
  // from the point of injury; any other is seen at Role 1 first (fix 0297), and so is any condition
  // only a clinician diagnoses (fix 0358).
  const primaryDef = CONDITION_BY_CODE.get(p.conditions[0].code);
  if (
    last.event_type === 'rtd' &&
    last.facility === 'POI' &&
    (p.conditions[0].severity > 3 || primaryDef?.bacterial === true)
  )
    fail(
      `${p.conditions[0].name} of severity ${p.conditions[0].severity} returned to duty from the point of injury`,
    );
  const diagnosed = p.conditions.find((c) => CONDITION_BY_CODE.get(c.code)?.clinicianDiagnosed === true);
  if (diagnosed !== undefined && last.event_type === 'rtd' && last.facility === 'POI')
    fail(`${diagnosed.name} returned to duty from the point of injury, undiagnosed`);
  // A concussion is cleared for duty by a provider, from Role 1 on, after a day's rest (fix 0331); a
  // contagious illness is isolated, seen at Role 1 or later, until ISOLATION_HOURS after its onset (fix
  // 0355), and a febrile illness rests as long, a day free of its fever after a day or two of it (fix
  // 0388); each rest taken in quarters, discharged from its bed (fix 0391).
  for (const [rests, hours, since] of restRules) {
    const resting = p.conditions.find(rests);
    if (
      resting !== undefined &&
      last.event_type === 'rtd' &&
      (last.facility === 'POI' || last.hours_since_injury < hours)
    )
      fail(
        `${resting.name} returned to duty from ${last.facility} ${last.hours_since_injury} h after ${since}`,
      );
  }
  // A fracture, or a knee's torn meniscus or ligament, returns to duty only once X-rayed, which Role 2
  // does first (fixes 0328, 0353).
  const broken = p.conditions.find((c) => xrayedBeforeDuty(CONDITION_BY_CODE.get(c.code)!));
  if (broken !== undefined && last.event_type === 'rtd') {
    if (last.facility === 'POI' || last.facility === 'Role1')
      fail(`${broken.name} returned to duty from ${last.facility}, before Role 2's X-ray`);
    if (!p.treatments.some((t) => IMAGING_CODES.has(t.code)))
      fail(`${broken.name} returned to duty without an X-ray or a scan`);
  }
  // A war wound (a bullet's, a fragment's) is seen at Role 1 at least, by a surgeon at Role 2 unless a
  // mild one of a limb, and scanned at Role 3 if of the head, before a return to duty (fix 0378).
  if (last.event_type === 'rtd')
    for (const c of p.conditions) {
      if (!CONDITION_BY_CODE.get(c.code)!.penetrating) continue;
      const first =
        c.body_part === 'Head'
          ? 'Role3'
          : c.severity_grade !== 'Mild' || !LIMBS.includes(c.body_part)
            ? 'Role2'
            : 'Role1';
      if (FACILITIES.indexOf(last.facility) < FACILITIES.indexOf(first))
        fail(`${c.name} of the ${c.body_part} returned to duty from ${last.facility}, before ${first}`);
      if (c.body_part === 'Head' && !p.treatments.some((t) => HEAD_CT_CODES.has(t.code)))
        fail(`${c.name} of the head returned to duty without a CT of the head`);
    }
  // A fracture of moderate severity or worse (4 or more) is unfit for duty until its bone unites, 6 weeks
  // at least, and a torn cruciate ligament as long: it returns to duty from Role 4 only, that long after
  // the injury (fixes 0336, 0353).
  const healing = p.conditions.find((c) => unfitForWeeks(CONDITION_BY_CODE.get(c.code)!, c.severity));
  if (
    healing !== undefined &&
    last.event_type === 'rtd' &&
    (last.facility !== 'Role4' || last.hours_since_injury < 6 * 7 * 24)
  )
    fail(
      `${healing.name} of severity ${healing.severity} returned to duty from ${last.facility} ${last.hours_since_injury} h after the injury`,
    );
  // A battle wound returned to duty from the point of injury was seen by the medic who judged it fit,
  // who gives every open combat wound its antibiotic (TCCC; fix 0330).
  if (
    p.injury_type === 'BATTLE_TRAUMA' &&
    last.event_type === 'rtd' &&
    last.facility === 'POI' &&
    p.conditions.some((c) => OPEN_COMBAT_WOUNDS.has(c.name)) &&
    !p.medications.some((m) => m.code.startsWith('J01'))
  )
    fail('an open combat wound returned to duty from the point of injury without an antibiotic');
  // An open combat wound whose casualty can swallow (T3, or T2 without an abdominal wound; GCS 14 or
  // more and neither in shock nor short of oxygen at the point of injury) has its antibiotic there, from
  // the medic or from the combat wound medication pack every soldier carries (TCCC; fix 0335), unless it
  // leaves within the 0.4 h a first drug may take.
  const poi = p.vital_signs[0];
  const abdominalWound = p.conditions.some(
    (c) => c.body_part === 'Abdomen' || ABDOMINAL_CARE.has(CONDITION_BY_CODE.get(c.code)!.care),
  );
  if (
    p.injury_type === 'BATTLE_TRAUMA' &&
    poi?.facility === 'POI' &&
    // Its time there ends as it leaves (a death on the way is not its time there).
    (tl.find((e) => e.facility === 'POI' && ['transit_start', 'rtd', 'kia'].includes(e.event_type))
      ?.hours_since_injury ?? 0) >= 0.4 &&
    p.conditions.some((c) => OPEN_COMBAT_WOUNDS.has(c.name)) &&
    (p.triage_category === 'T3' || (p.triage_category === 'T2' && !abdominalWound)) &&
    poi.gcs >= 14 &&
    !inShock(poi) &&
    poi.spo2 >= 90 &&
    !p.medications.some((m) => m.code.startsWith('J01') && m.facility === 'POI')
  )
    fail(
      `an open combat wound able to swallow (${p.triage_category}, GCS ${poi.gcs}) left without an antibiotic at the point of injury`,
    );
  // Sepsis, septic shock and crush syndrome (a wound's infection diagnosed later apart) get fluids by vein
  // at their first care, unless the patient leaves it within the 0.2 h a first step may take (fix 0338).
  const fluidsFirst = p.conditions.find(
    (c, i) =>
      ['Septic shock', 'Crush syndrome'].includes(c.name) ||
      (c.name === 'Sepsis' && (i === 0 || p.injury_type === 'DISEASE')),
  );
  const firstCareArrival = tl.findIndex((e) => e.event_type === 'arrival' && e.facility !== 'POI');
  if (fluidsFirst !== undefined && firstCareArrival >= 0) {
    const at = tl[firstCareArrival];
    const left = tl.find(
      (e, i) =>
        i > firstCareArrival &&
        e.facility === at.facility &&
        ['transit_start', 'rtd', 'kia', 'remains_role4', 'discharge'].includes(e.event_type),
    );
    const fluids: string[] = [PROCEDURES.ivFluids.code, PROCEDURES.fluidResuscitation.code];
    if (
      (left === undefined || left.hours_since_injury - at.hours_since_injury >= 0.2) &&
      !p.treatments.some((t) => fluids.includes(t.code) && t.facility === at.facility)
    )
      fail(`${fluidsFirst.name} without fluids by vein at its first care, ${at.facility}`);
  }
  // A chest X-ray looks for a pneumonia: none for an infection of the nose and throat, and for an acute
  // bronchitis or influenza only on an admission whose vital signs suggest one (a heart rate above 100, a
  // breathing rate above 24, a temperature above 38 °C, SpO2 below 94 %), unless another condition of
  // the chest or the respiratory protocol calls for it (fix 0339).
  const upperAirway = ['Upper respiratory infection', 'Acute viral pharyngitis', 'Streptococcal sore throat'];
  const coughIllness = ['Acute bronchitis', 'Influenza'];
  const chestXray = p.treatments.find((t) => t.code === PROCEDURES.chestXray.code);
  const onlyThese = p.conditions.every(
    (c) =>
      upperAirway.includes(c.name) ||
      coughIllness.includes(c.name) ||
      (c.body_part !== 'Chest' && CONDITION_BY_CODE.get(c.code)!.care !== 'respiratory'),
  );
  if (chestXray !== undefined && onlyThese) {
    const admission = p.vital_signs.findLast(
      (v) => v.facility === chestXray.facility && v.hours_since_injury <= chestXray.hours_since_injury,
    )!;
    const signs =
      admission.heart_rate > 100 ||
      admission.respiratory_rate > 24 ||
      admission.temperature > 38 ||
      admission.spo2 < 94;
    if (!p.conditions.some((c) => coughIllness.includes(c.name)) || !signs)
      fail(`a chest X-ray for ${p.conditions.map((c) => c.name).join(' and ')}, without a pneumonia's signs`);
  }
  // A severe wound that hurts (a painful condition of severity 5 or more) admitted to Role 4 within 72 h
  // of the injury gets an opioid there (or ketamine), not paracetamol alone, unless it leaves within the
  // 0.2 h a first drug may take (fix 0340).
  const role4Arrival = tl.findIndex((e) => e.event_type === 'arrival' && e.facility === 'Role4');
  const severePain = inPainFrom(p, 5);
  if (role4Arrival >= 0 && severePain && tl[role4Arrival].hours_since_injury <= 72) {
    const stay = (tl[role4Arrival + 1]?.hours_since_injury ?? Infinity) - tl[role4Arrival].hours_since_injury;
    const strong: string[] = [DRUGS.morphine.code, DRUGS.fentanyl.code, DRUGS.ketamine.code];
    const atRole4 = p.medications.filter((m) => m.facility === 'Role4').map((m) => m.code);
    if (stay >= 0.2 && !atRole4.some((code) => strong.includes(code)))
      fail(
        `a severe wound admitted to Role 4 ${tl[role4Arrival].hours_since_injury} h after the injury without an opioid`,
      );
  }
  // A concussion hurts as a headache: paracetamol, never an opioid, which clouds its neurological
  // checks, nor an NSAID, a bleeding risk (fix 0360). Where it is the only pain, no opioid at all (an
  // anaesthetic's ketamine or fentanyl is the operation's, not the pain's).
  const concussed = p.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.concussion && c.severity >= 3);
  if (concussed) {
    if (p.medications.some((m) => m.code === DRUGS.ibuprofen.code)) fail('an NSAID for a concussion');
    const opioids: string[] = [DRUGS.morphine.code, DRUGS.fentanyl.code];
    const otherPain = p.conditions.some(
      (c) => !CONDITION_BY_CODE.get(c.code)!.concussion && inPain({ ...p, conditions: [c] }),
    );
    if (!otherPain && p.medications.some((m) => opioids.includes(m.code)))
      fail('an opioid for a concussion, its only pain');
  }
  // No NSAID where the kidneys are at risk: a body short of water (dehydration, a heat illness, a
  // diarrhoea) or a crushed limb's muscle breakdown (fix 0361).
  const kidneysAtRisk = p.conditions.find((c) => {
    const care = CONDITION_BY_CODE.get(c.code)!.care;
    return c.name === 'Dehydration' || care === 'heat' || care === 'gastro' || /^Crush/.test(c.name);
  });
  if (kidneysAtRisk !== undefined && p.medications.some((m) => m.code === DRUGS.ibuprofen.code))
    fail(`an NSAID for a casualty with ${kidneysAtRisk.name}`);
  // One cephalosporin at a time: an injury's operations and IV antibiotics have cefazolin (JTS), and
  // ceftriaxone only treats a wound infection or an illness, replacing it there (fix 0372).
  const ceftriaxone = p.medications.find((m) => m.code === DRUGS.ceftriaxone.code);
  if (
    p.injury_type !== 'DISEASE' &&
    ceftriaxone !== undefined &&
    !p.conditions.some((c) => /infection|sepsis|septic/i.test(c.name))
  )
    fail(`ceftriaxone at ${ceftriaxone.facility} for an injury without an infection`);
  // An injury's wound infection shows days later: it is found, and treated, from 48 hours, and after
  // the wound's closure, which an infected wound would not have had (fix 0381).
  if (p.injury_type !== 'DISEASE' && ceftriaxone !== undefined) {
    const hours = (Date.parse(ceftriaxone.timestamp) - Date.parse(p.injury_time)) / 3_600_000;
    if (hours < 48) fail(`a wound infection treated ${hours.toFixed(1)} h after the injury`);
    const closure = p.treatments.find((t) => t.code === PROCEDURES.sutureClosure.code);
    if (closure !== undefined && Date.parse(closure.timestamp) > Date.parse(ceftriaxone.timestamp))
      fail(
        `a wound closed at ${closure.hours_since_injury} h after its infection was found at ${hours.toFixed(1)} h`,
      );
    // Treated where found for two days before the casualty leaves care there: back to duty, or
    // discharged to convalesce (fix 0386).
    const leaves = tl.find(
      (e) =>
        (e.event_type === 'rtd' || e.event_type === 'discharge' || e.event_type === 'transit_start') &&
        e.hours_since_injury >= hours,
    );
    if (
      leaves !== undefined &&
      leaves.event_type !== 'transit_start' &&
      leaves.hours_since_injury - hours < 48 - 1e-6
    )
      fail(
        `${leaves.event_type} at ${leaves.facility} ${(leaves.hours_since_injury - hours).toFixed(1)} h after a wound infection was found`,
      );
  }
  for (const a of p.medications) {
    if (a.code !== DRUGS.cefazolin.code) continue;
    const both = p.medications.find(
      (b) =>
        b.code === DRUGS.ceftriaxone.code &&
        b.facility === a.facility &&
        Math.abs(Date.parse(b.timestamp) - Date.parse(a.timestamp)) <= 2 * 3_600_000,
    );
    if (both !== undefined) fail(`cefazolin and ceftriaxone within two hours at ${a.facility}`);
  }
  // No NSAID for a battle casualty, whose platelets it would weaken before a surgeon sees the wound
  // (TCCC: paracetamol, meloxicam the only NSAID; fix 0370).
  const nsaid = p.medications.find((m) => m.code === DRUGS.ibuprofen.code);
  if (p.injury_type === 'BATTLE_TRAUMA' && nsaid !== undefined)
    fail(`an NSAID at ${nsaid.facility} for a battle casualty with ${p.conditions[0].name}`);
  // A wound of the brain (a head wound of severity 5 or more) is operated on at Role 3, after its CT, by
  // the neurosurgeon, not at Role 2, which has neither: a patient wounded only there has no operation at
  // Role 2 (fix 0341; a haemorrhagic shock's bleeding is controlled there).
  if (
    p.conditions.every((c) => c.body_part === 'Head' && c.severity >= 5) &&
    p.treatments.some((t) => t.facility === 'Role2' && t.code === PROCEDURES.surgery.code)
  )
    fail('a wound of the brain operated on at Role 2');
  // A whole-body CT is for major trauma: not for a minimal or delayed non-battle injury of one limb from
  // a fall, which is X-rayed (fix 0342).
  const injuredParts = new Set(p.conditions.map((c) => c.body_part).filter((part) => part !== 'Systemic'));
  if (
    p.injury_type === 'NON_BATTLE' &&
    p.triage_category !== 'T1' &&
    p.mechanism?.name === 'Fall' &&
    injuredParts.size === 1 &&
    LIMBS.includes([...injuredParts][0]) &&
    p.treatments.some((t) => t.code === PROCEDURES.ctWholeBody.code)
  )
    fail(`a whole-body CT for ${p.conditions[0].name} of one limb from a fall`);
  // A non-battle fracture is closed, a femur's or a humerus's as much as an ankle's: no debridement of
  // an open fracture, unless a crushing injury's wound calls for it (fixes 0270, 0343).
  if (
    p.injury_type === 'NON_BATTLE' &&
    p.treatments.some((t) => t.code === PROCEDURES.debridement.code) &&
    !p.conditions.some((c) => c.name === 'Crushing injury')
  )
    fail(`a non-battle ${p.conditions[0].name} debrided as an open fracture`);
  // A non-battle injury's bleeding where it broke a bone is that closed fracture's, inside the body: with
  // no open wound among its conditions, nothing dresses, presses on, sutures or gives tetanus for a wound
  // (fix 0344).
  const woundCare = OPEN_WOUND_CARE;
  if (
    p.injury_type === 'NON_BATTLE' &&
    p.conditions.some((c) => c.name === 'Bleeding') &&
    p.conditions.every(
      (c) =>
        c.name === 'Bleeding' ||
        c.body_part === 'Systemic' ||
        (CONDITION_BY_CODE.get(c.code)!.fracture === true && c.name !== 'Open fracture'),
    )
  ) {
    const given = woundCare.find((key) => hasStep(p, key));
    if (given !== undefined) fail(`${stepName(given)} for a closed fracture's bleeding`);
  }
  // A wound is dressed once a stop, a pressure dressing being its dressing: a casualty with one wound
  // is not given both at a stop (fix 0354); an abdominal wound alone is covered, not pressed on.
  const wounds = p.conditions.filter((c) => c.body_part !== 'Systemic');
  if (wounds.length === 1 && p.conditions.length === 1)
    for (const facility of new Set(p.treatments.map((t) => t.facility))) {
      const here = p.treatments.filter((t) => t.facility === facility);
      if (
        here.some((t) => t.code === PROCEDURES.pressureDressing.code) &&
        here.some((t) => t.code === PROCEDURES.dressing.code)
      )
        fail(`a wound of the ${wounds[0].body_part} dressed twice at ${facility}, with pressure and without`);
    }
  if (
    p.conditions.every((c) => c.name === 'Injury of abdomen') &&
    p.treatments.some((t) => t.code === PROCEDURES.pressureDressing.code)
  )
    fail('a pressure dressing on an abdominal wound');
  // A cellulitis or a tooth's infection has no wound to care for (fix 0345).
  if (
    ['Cellulitis', 'Dentoalveolar cellulitis'].includes(p.conditions[0].name) &&
    p.conditions.every(
      (c) => ['Cellulitis', 'Dentoalveolar cellulitis'].includes(c.name) || c.body_part === 'Systemic',
    ) &&
    p.treatments.some((t) => t.code === PROCEDURES.woundCare.code)
  )
    fail(`wound care for ${p.conditions[0].name}, which has no wound`);
  // An immunised soldier gets no tetanus antitoxin, a wound's booster at most (fix 0364).
  if (
    p.treatments.some((t) => t.code === PROCEDURES.tetanus.code) ||
    p.medications.some((m) => m.code === 'J06AA02')
  )
    fail('tetanus antitoxin for an immunised soldier');
  const boosters = p.medications.filter((m) => m.code === DRUGS.tetanusToxoid.code);
  if (boosters.length > 1) fail('two tetanus boosters');
  // Checked at a first care the casualty survives, not while it dies (fix 0365).
  if (
    boosters.length > 0 &&
    (p.status === 'KIA' || p.status === 'DOW') &&
    boosters[0].facility === p.last_facility
  )
    fail(`a tetanus booster at ${p.last_facility}, where the casualty died`);
  // A bruise has no wound: no dressing, wound care, suture, tetanus or dressing change (fix 0346).
  const bruiseCare = [
    'dressing',
    'woundCare',
    'sutureWound',
    'tetanus',
    'dressingChange',
    'sutureClosure',
  ] as const;
  if (
    p.conditions[0].name === 'Contusion' &&
    p.conditions.every((c) => c.name === 'Contusion' || c.body_part === 'Systemic')
  ) {
    const given = bruiseCare.find((key) => hasStep(p, key));
    if (given !== undefined) fail(`${stepName(given)} for a contusion`);
  }
  // A concussion or a minor head injury has no X-ray of the skull; a CT looks for a brain injury (fix 0347).
  const headMinor = [
    'Concussion injury of brain',
    'Concussion with loss of consciousness',
    'Concussion with no loss of consciousness',
    'Injury of head',
  ];
  if (
    headMinor.includes(p.conditions[0].name) &&
    p.conditions.every((c) => headMinor.includes(c.name) || c.body_part === 'Systemic') &&
    p.treatments.some((t) => t.code === PROCEDURES.xray.code)
  )
    fail(`an X-ray of the skull for ${p.conditions[0].name}`);
  // Breaths by bag and mask only for a casualty whose breathing fails: GCS 8 or less, a breathing rate
  // below 10 or from 30, SpO2 below 90 % at that stop (fix 0348).
  for (const t of p.treatments) {
    if (t.code !== PROCEDURES.bagMask.code) continue;
    const v = p.vital_signs.findLast(
      (s) => s.facility === t.facility && s.hours_since_injury <= t.hours_since_injury,
    )!;
    if (v.gcs > 8 && v.respiratory_rate >= 10 && v.respiratory_rate < 30 && v.spo2 >= 90)
      fail(
        `breaths by bag and mask at ${t.facility} for a casualty breathing ${v.respiratory_rate} a minute at SpO2 ${v.spo2} %, GCS ${v.gcs}`,
      );
  }
  // A wound is sutured once: a laceration closed at Role 1 is not closed again at Role 3 (fix 0337).
  const closures = p.treatments.filter(
    (t) => t.code === PROCEDURES.sutureWound.code || t.code === PROCEDURES.sutureClosure.code,
  );
  if (closures.length > 1)
    fail(`sutured ${closures.length} times: ${closures.map((t) => t.facility).join(', ')}`);
  // No internal fixation on an admission in haemorrhagic shock: the bone is held by an external fixator
  // and fixed internally days later, once the casualty is stable (fix 0329).
  for (const t of p.treatments) {
    if (t.code !== PROCEDURES.orif.code) continue;
    const admission = p.vital_signs.findLast(
      (v) => v.facility === t.facility && v.hours_since_injury <= t.hours_since_injury,
    );
    if (
      admission !== undefined &&
      inShock(admission) &&
      t.hours_since_injury - admission.hours_since_injury < 24
    )
      fail(
        `internal fixation at ${t.facility} ${t.hours_since_injury} h, on an admission in haemorrhagic shock`,
      );
  }
  // A whole-body CT scans the head, the chest and the abdomen: no CT of one of them at the same stop
  // (fix 0373).
  for (const whole of p.treatments.filter((t) => t.code === PROCEDURES.ctWholeBody.code)) {
    const regional = p.treatments.find(
      (t) =>
        t.facility === whole.facility &&
        Math.abs(t.hours_since_injury - whole.hours_since_injury) < 12 &&
        /^Computed tomography of /.test(t.name),
    );
    if (regional !== undefined) fail(`${regional.name} beside a whole-body CT at ${whole.facility}`);
  }
  // An external fixation is an open reduction with its fixator: no reduction beside it (fix 0379).
  for (const fixator of p.treatments.filter((t) => t.code === PROCEDURES.externalFixation.code))
    if (
      p.treatments.some(
        (t) =>
          t.code === PROCEDURES.openReduction.code &&
          t.facility === fixator.facility &&
          Math.abs(t.hours_since_injury - fixator.hours_since_injury) < 12,
      )
    )
      fail(`a reduction of an open fracture beside its external fixation at ${fixator.facility}`);
  // A bone is operated on or cared for as broken only where the record has a fracture: a crushed limb
  // without one is splinted and X-rayed, not fixed (fix 0369).
  const boneCare = p.treatments.find((t) => BROKEN_BONE_CARE_CODES.has(t.code));
  if (boneCare !== undefined && !p.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.fracture === true))
    fail(
      `${boneCare.name} at ${boneCare.facility} without a fracture (${p.conditions.map((c) => c.name).join(', ')})`,
    );
  // A bone is fixed only after an X-ray or a CT has shown its fracture (fix 0328).
  const fixation = p.treatments.findIndex((t) => FIXATION_CODES.has(t.code));
  if (fixation >= 0 && !p.treatments.slice(0, fixation).some((t) => IMAGING_CODES.has(t.code)))
    fail(`${p.treatments[fixation].name} at ${p.treatments[fixation].facility} before any X-ray or scan`);
  // A casualty whose primary condition, moderate or worse, was operated on by one of its protocol's
  // major operations (a laparotomy, an amputation, a brain operation, a fracture's fixation) on its part
  // of the body does not return to duty before Role 4 (fix 0308; a secondary wound's laparotomy is
  // another wound's, fix 0311).
  const majorOperations: Record<string, string> = {
    laparotomy: '86481000',
    exploratoryLaparotomy: '74770008',
    splenectomy: '234319005',
    limbAmputation: '400053006',
    lowerLimbAmputation: '397117006',
    craniotomy: '25353009',
    subduralEvacuation: '59712006',
    orif: '20701002',
    externalFixation: '179050006',
  };
  if (
    primaryDef !== undefined &&
    p.conditions[0].severity >= 4 &&
    last.event_type === 'rtd' &&
    last.facility !== 'Role4'
  ) {
    const protocol = [...PROTOCOLS[primaryDef.care].Role2, ...PROTOCOLS[primaryDef.care].Role3];
    const major = Object.entries(majorOperations).filter(
      ([key, code]) =>
        protocol.includes(key as keyof typeof PROCEDURES) &&
        !primaryDef.withhold?.includes(key as keyof typeof PROCEDURES) &&
        (PROCEDURE_SITES[key as keyof typeof PROCEDURES]?.includes(p.conditions[0].body_part) ?? true) &&
        p.treatments.some((t) => t.code === code),
    );
    if (major.length > 0)
      fail(
        `returned to duty from ${last.facility} after ${major.map(([key]) => key).join(', ')} for ${p.conditions[0].name}`,
      );
  }
  // A severe injury, any of the casualty's, heals for weeks to months, and a severe illness of the lungs
  // or a severe systemic infection is critically ill, flown out by a critical care team: they return to
  // duty from Role 4 only (fixes 0371, 0374, 0375).
  if (last.event_type === 'rtd' && last.facility !== 'Role4') {
    const severe = p.conditions.find((c) => {
      const care = CONDITION_BY_CODE.get(c.code)!.care;
      return (
        c.severity_grade === 'Severe' &&
        (TRAUMA_CARE.has(care) || care === 'respiratory' || care === 'systemic_infection')
      );
    });
    if (severe !== undefined)
      fail(`a severe ${severe.name} (${severe.body_part}) returned to duty from ${last.facility}`);
  }
  // A moderate or severe brain injury, a wound of the head other than a concussion from
  // BRAIN_INJURY_FROM_SEVERITY, returns to duty from Role 4 only: in theatre only a concussion does (fix
  // 0368). A lesser wound of the head whose GCS shock clouded is no brain injury (fix 0393).
  if (last.event_type === 'rtd' && last.facility !== 'Role4') {
    const brain = p.conditions.find((c) => injuresBrain(c.code, c.body_part, c.severity));
    if (brain !== undefined)
      fail(
        `${brain.name} (${brain.body_part}, severity ${brain.severity}) returned to duty from ${last.facility}`,
      );
  }
  // Nor does one whose other wounds need such an operation: a second wound's, a related fracture's, or an
  // open globe among them (fix 0321), as the course reads them (unfitInTheatre).
  if (last.event_type === 'rtd' && last.facility !== 'Role4') {
    const unfit = p.conditions.find((c) =>
      unfitInTheatre(CONDITION_BY_CODE.get(c.code)!, c.body_part, c.severity),
    );
    if (unfit)
      fail(`returned to duty from ${last.facility} with ${unfit.name} of severity ${unfit.severity}`);
  }
  // Events of one moment show one health, a death's 0 apart (fix 0248 had an evacuation at hour 0
  // show the health of six minutes later).
  for (let i = 1; i < tl.length; i++) {
    const [a, b] = [tl[i - 1], tl[i]];
    if (a.hours_since_injury === b.hours_since_injury && b.event_type !== 'kia' && a.health !== b.health)
      fail(
        `${a.event_type} and ${b.event_type} at hour ${b.hours_since_injury} show health ${a.health} and ${b.health}`,
      );
  }
  // Only a casualty at a minimal one's health returns to duty (fix 0249).
  if (last.event_type === 'rtd' && last.health < T2_BELOW)
    fail(`returned to duty from ${last.facility} at health ${last.health}`);
  // Waiting at the point of injury, a casualty that falls below the immediate line is re-triaged T1
  // then, and its evacuation asked for again, as urgent, from then (fix 0248); one that falls as it is
  // carried off is re-triaged where it arrives.
  const atPoi = tl.filter((e) => e.facility === 'POI');
  const poiRetriage = atPoi.findIndex((e) => e.event_type === 'triage');
  const fallen = atPoi.findIndex(
    (e) => e.event_type !== 'transit_start' && e.health > 0 && e.health < T1_BELOW,
  );
  if (p.triage_category !== 'T1' && fallen >= 0 && (poiRetriage < 0 || poiRetriage > fallen))
    fail(`health ${atPoi[fallen].health} at the point of injury and not re-triaged T1`);
  if (poiRetriage >= 0) {
    const retriage = atPoi[poiRetriage] as { triage_category: string; hours_since_injury: number };
    if (p.triage_category === 'T1' || retriage.triage_category !== 'T1')
      fail(`re-triaged ${retriage.triage_category} at the point of injury as ${p.triage_category}`);
    const asked = atPoi.find((e) => e.event_type === 'evacuation_start');
    if (asked && asked.hours_since_injury !== retriage.hours_since_injury)
      fail('evacuation not asked for again when re-triaged at the point of injury');
  }
  const arrivalEvents = tl.filter((e) => e.event_type === 'arrival');
  /** The transfer a stop ended with, if it ended with one. */
  const departureFrom = (facility: string) =>
    tl.findLast((e) => e.event_type === 'transit_start' && e.from_facility === facility);
  // A delayed wound leaves Role 1 for its surgery at priority precedence: within 4 h (fix 0287).
  const atRole1 = tl.findIndex((e) => e.event_type === 'arrival' && e.facility === 'Role1');
  if (wounded(p) && atRole1 >= 0) {
    let triage: string = p.triage_category;
    for (let i = 0; i < tl.length && tl[i].hours_since_injury <= tl[atRole1].hours_since_injury; i++) {
      const e = tl[i];
      if (e.event_type === 'triage') triage = e.triage_category;
    }
    const left = tl.find((e, i) => i > atRole1 && e.event_type === 'transit_start');
    const held =
      left === undefined ? 0 : Math.round((left.hours_since_injury - tl[atRole1].hours_since_injury) * 10);
    if (triage === 'T2' && held > 40) fail(`a delayed wound held ${held / 10} h at Role 1`);
  }
  // A primary wound that cannot kill (an eye, a sprain, a soft-tissue wound, a minor head injury) does
  // not deteriorate: its casualty never loses health, so never dies (fix 0256).
  if (NON_LETHAL_CARE.has(CONDITION_BY_CODE.get(p.conditions[0].code)!.care)) {
    const fall = tl.findIndex((e, i) => i > 0 && e.health < tl[i - 1].health);
    if (fall >= 0)
      fail(
        `a ${p.conditions[0].name} lost health: ${tl[fall - 1].health} then ${tl[fall].health} (${tl[fall].event_type})`,
      );
  }
  // A tourniquet goes on at first aid on the primary wound, a limb bleeding at severity 5 or more, and
  // on no other; the casualty is then evacuated as urgent until surgery: no return to duty before it,
  // and Role 1 passes it on within an immediate casualty's dwell (fix 0253).
  const primary = p.conditions[0];
  const tourniquets = p.treatments.filter((t) => t.code === PROCEDURES.tourniquet.code);
  const tourniquetDue =
    p.injury_type !== 'DISEASE' &&
    LIMBS.includes(primary.body_part) &&
    primary.severity >= TOURNIQUET_FROM_SEVERITY &&
    PROTOCOLS[CONDITION_BY_CODE.get(primary.code)!.care].POI.includes('tourniquet');
  if (tourniquetDue !== (tourniquets.length === 1 && tourniquets[0].facility === 'POI'))
    fail(`${tourniquets.length} tourniquets for a primary ${primary.name} of ${primary.body_part}`);
  if (tourniquets.length > 0) {
    if (last.event_type === 'rtd' && (last.facility === 'POI' || last.facility === 'Role1'))
      fail(`returned to duty from ${last.facility} with a tourniquet on`);
    const role1 = arrivalEvents.find((e) => e.facility === 'Role1');
    const onward = tl.find((e) => e.event_type === 'transit_start' && e.facility === 'Role1');
    if (
      role1 &&
      onward &&
      onward.hours_since_injury - role1.hours_since_injury > DWELL_HOURS.Role1.T1[1] + 1e-9
    )
      fail(`held ${onward.hours_since_injury - role1.hours_since_injury} h at Role 1 with a tourniquet on`);
  }
  // Massive haemorrhage first: a second limb wound bleeding enough for a tourniquet, on a limb the
  // primary's tourniquet is not on, gets a pressure dressing at the point of injury before anything but
  // that tourniquet and the control of bleeding (fix 0271).
  const bleedsFromLimb = (c: (typeof p.conditions)[number]) =>
    c.severity >= TOURNIQUET_FROM_SEVERITY &&
    LIMBS.includes(c.body_part) &&
    PROTOCOLS[CONDITION_BY_CODE.get(c.code)!.care].POI.includes('tourniquet');
  const uncontrolled = p.conditions.find(
    (c) => !c.primary && bleedsFromLimb(c) && !(tourniquetDue && c.body_part === primary.body_part),
  );
  if (uncontrolled) {
    const atPoi = p.treatments.filter((t) => t.facility === 'POI').map((t) => t.code);
    const dressing = atPoi.indexOf(PROCEDURES.pressureDressing.code);
    if (dressing < 0 || atPoi.slice(0, dressing).some((code) => !BLEEDING_CONTROL_ORDER.includes(code)))
      fail(`a bleeding ${uncontrolled.name} of ${uncontrolled.body_part} not controlled first: ${atPoi}`);
  }
  // Bleeding is controlled in TCCC's sequence: a tourniquet, pressure on the wound, its packing, the
  // pressure dressing that holds it (fix 0380).
  const controls = p.treatments
    .filter((t) => t.facility === 'POI')
    .map((t) => BLEEDING_CONTROL_ORDER.indexOf(t.code))
    .filter((k) => k >= 0);
  const backwards = controls.findIndex((k, i) => i > 0 && k < controls[i - 1]);
  if (backwards > 0)
    fail(
      `${PROCEDURE_NAME_BY_CODE.get(BLEEDING_CONTROL_ORDER[controls[backwards]])} after ${PROCEDURE_NAME_BY_CODE.get(BLEEDING_CONTROL_ORDER[controls[backwards - 1]])} at the point of injury`,
    );
  // At the point of injury, TCCC's MARCH order: massive haemorrhage control, the airway, a tension
  // pneumothorax's decompression (given if anything is done there), then the rest (fix 0333).
  const poiSteps = p.treatments.filter((t) => t.facility === 'POI');
  const ranks = poiSteps.map((t) => MARCH_RANK_BY_CODE.get(t.code) ?? AFTER_MARCH);
  const outOfOrder = ranks.findIndex((rank, k) => k > 0 && rank < ranks[k - 1]);
  if (outOfOrder > 0)
    fail(`${poiSteps[outOfOrder].name} after ${poiSteps[outOfOrder - 1].name} at the point of injury`);
  // A broken bone is splinted there, a broken spine immobilised, if the casualty stays a tenth of an
  // hour after its other steps, whichever condition is primary (fix 0334).
  const poiEnd = tl.find(
    (e) =>
      e.facility === 'POI' &&
      (e.event_type === 'transit_start' || e.event_type === 'rtd' || e.event_type === 'kia'),
  )?.hours_since_injury;
  if (poiSteps.length > 0 && poiEnd !== undefined) {
    const lastStep = Math.max(...poiSteps.map((t) => t.hours_since_injury));
    for (const c of p.conditions) {
      const def = CONDITION_BY_CODE.get(c.code)!;
      const gives = (key: 'boneImmobilization' | 'cSpine') =>
        PROTOCOLS[def.care].POI.includes(key) && !def.withhold?.includes(key);
      const needed = gives('boneImmobilization')
        ? PROCEDURES.boneImmobilization
        : def.care === 'spine' && gives('cSpine')
          ? PROCEDURES.cSpine
          : undefined;
      if (needed && !poiSteps.some((t) => t.code === needed.code) && poiEnd - lastStep >= 0.1 + 1e-9)
        fail(`${c.name} without ${needed.name} at the point of injury, ${poiEnd - lastStep} h to spare`);
    }
  }
  if (
    poiSteps.length > 0 &&
    p.conditions.some((c) => c.name === 'Tension pneumothorax') &&
    !poiSteps.some((t) => t.code === PROCEDURES.needleDecompression.code)
  )
    fail('a tension pneumothorax not decompressed at the point of injury');
  // One brain, one diagnosis of its injury: no concussion beside a brain injury of the tbi protocol (fix 0273).
  const brainInjury = p.conditions.find((c) => CONDITION_BY_CODE.get(c.code)!.care === 'tbi');
  const concussion = p.conditions.find((c) => c.code === '110030002' || c.code === '62564004');
  if (brainInjury && concussion) fail(`${concussion.name} beside ${brainInjury.name}`);
  const arrivals = arrivalEvents.map((e) => e.facility);
  if (arrivals.join() !== p.facilities_visited.join()) fail('facilities_visited disagrees with the arrivals');
  if (new Set(arrivals).size !== arrivals.length) fail('a facility is arrived at twice');

  // A fever (38 °C or more) comes from an infection or heat illness, not from crush syndrome or a
  // chemical's tight chest (fix 0259); a skin infection raises one only from severity 4 (fix 0261).
  const feverish = (c: { code: string; severity: number }) => {
    const def = CONDITION_BY_CODE.get(c.code)!;
    if (c.code === '386661006') return true; // Fever
    if (def.afebrile) return false;
    return (
      def.care === 'systemic_infection' ||
      def.care === 'respiratory' ||
      ((def.care === 'skin' || def.care === 'abscess') && c.severity >= 4)
    );
  };
  const febrile = p.conditions.some(feverish);
  const hyperthermic = p.conditions.some((c) => c.code === '1197782006'); // Hyperthermia
  const hypothermic = p.conditions.some((c) => c.code === '386689009'); // Hypothermia
  const healthOnArrival = new Map(arrivalEvents.map((e) => [e.facility, e.health]));
  for (const v of p.vital_signs) {
    if (v.temperature >= 38 && !febrile && !hyperthermic)
      fail(`${v.temperature} °C at ${v.facility} without an infection or heat illness`);
    // A fever goes with the illness: a patient recovered to full health has none (fix 0261).
    if (v.temperature >= 38 && !hyperthermic && healthOnArrival.get(v.facility) === 100)
      fail(`${v.temperature} °C at ${v.facility}, recovered to health 100`);
  }
  // Hypothermia is a core temperature below 35 °C: it reads so at the point of injury or on admission
  // to the first care, where a complication of cold and delay is found (fix 0267).
  if (hypothermic) {
    const found = p.vital_signs.slice(0, 2).map((v) => v.temperature);
    if (Math.min(...found) >= 35) fail(`hypothermia at ${found.join(' and ')} °C`);
  }
  // An accidental hypothermia is as cold as its triage where found: an immediate one below 32 °C, its
  // consciousness impaired (HT II or colder), a minimal one 32 °C or warmer (HT I) (fix 0406).
  const foundCold = p.conditions[0].code === '386689009' ? p.vital_signs[0]?.temperature : undefined;
  if (
    foundCold !== undefined &&
    (p.triage_category === 'T1' ? foundCold >= 32 : p.triage_category === 'T3' && foundCold < 32)
  )
    fail(`an accidental hypothermia triaged ${p.triage_category} at ${foundCold} °C where found`);
  // A heat stroke (a severe hyperthermia) is a core above 40 °C where it struck (fix 0404).
  const heatStroke = p.conditions.find(
    (c) => c.code === '1197782006' && c.severity >= 7 && c.facility === 'POI',
  );
  if (heatStroke && p.vital_signs[0].temperature <= 40)
    fail(`a heat stroke at ${p.vital_signs[0].temperature} °C where it struck`);
  // Above 40 °C a heat casualty is confused or worse: GCS 14 or less (fix 0405).
  if (p.conditions.some((c) => c.code === '1197782006'))
    for (const v of p.vital_signs)
      if (v.temperature > 40 && v.gcs > 14) fail(`GCS ${v.gcs} at ${v.temperature} °C at ${v.facility}`);
  // Below 32 °C (moderate hypothermia) the heart and breath slow and the mind clouds: at most 60 beats
  // and 12 breaths a minute, GCS 14 or less (fix 0300).
  for (const v of p.vital_signs)
    if (v.temperature < 32 && (v.heart_rate > 60 || v.respiratory_rate > 12 || v.gcs > 14))
      fail(
        `${v.temperature} °C at ${v.facility} with ${v.heart_rate} beats, ${v.respiratory_rate} breaths, GCS ${v.gcs}`,
      );
  // An illness that raises a fever reads as one when it starts, "Fever" itself included (fix 0261).
  if (
    p.injury_type === 'DISEASE' &&
    feverish(p.conditions[0]) &&
    !hypothermic &&
    p.vital_signs[0].temperature < 38
  )
    fail(`${p.conditions[0].name} reads ${p.vital_signs[0].temperature} °C at onset`);
  // An illness's fever on admission to the first care gets an antipyretic there, unless paracetamol is
  // forbidden or the patient leaves (or dies) within the 0.2 h a first drug may take (0.4 h at the point
  // of injury); heat illness is cooled, not given one. An illness back on duty from the point of injury
  // had its first care there, the medic's sick call (fix 0332), which gives a dehydration its salts.
  const sickCall = p.injury_type === 'DISEASE' && last.event_type === 'rtd' && last.facility === 'POI';
  const firstCare = sickCall ? p.vital_signs[0] : p.vital_signs.find((v) => v.facility !== 'POI');
  const firstCareIndex = tl.findIndex(
    (e) => e.event_type === 'arrival' && e.facility === firstCare?.facility,
  );
  const firstCareHours =
    (tl[firstCareIndex + 1]?.hours_since_injury ?? Infinity) - (tl[firstCareIndex]?.hours_since_injury ?? 0);
  const paracetamolAllergy = p.allergies.some((a) => a.code === ALLERGENS.paracetamol.code);
  if (
    firstCare !== undefined &&
    firstCare.temperature >= 38 &&
    febrile &&
    !hyperthermic &&
    firstCareHours >= (sickCall ? 0.4 : 0.2) &&
    !paracetamolAllergy &&
    !p.medications.some((m) => m.code === DRUGS.paracetamol.code && m.facility === firstCare.facility)
  )
    fail(`${firstCare.temperature} °C on admission to ${firstCare.facility} and no paracetamol there`);
  if (
    sickCall &&
    firstCareHours >= 0.4 &&
    p.conditions.some((c) => c.name === 'Dehydration') &&
    !p.medications.some((m) => m.code === DRUGS.oralRehydration.code)
  )
    fail('a dehydration back on duty from the point of injury without oral rehydration salts');
  // An illness's bacterial infection gets an antibiotic at its first care (amoxicillin-clavulanate,
  // or for sepsis, typhoid and dysentery ceftriaxone or a fluoroquinolone; moxifloxacin for an
  // allergy), unless the patient leaves within the 0.2 h a first drug may take (fix 0296).
  const bacterial = [
    '91302008', // Sepsis
    '4834000', // Typhoid fever
    '111939009', // Dysentery
    '43878008', // Streptococcal sore throat
    '233604007', // Pneumonia
    '128045006', // Cellulitis
    '95880003', // Soft tissue infection
    '128477000', // Abscess
    '109612009', // Dentoalveolar cellulitis
    '68566005', // Urinary tract infectious disease
  ];
  const infection = p.conditions.find((c) => bacterial.includes(c.code));
  if (
    p.injury_type === 'DISEASE' &&
    infection !== undefined &&
    firstCare !== undefined &&
    firstCareHours >= 0.2 &&
    !p.medications.some((m) => m.code.startsWith('J01') && m.facility === firstCare.facility)
  )
    fail(`${infection.name} admitted to ${firstCare.facility} and no antibiotic there`);
  // Oxygen for a low SpO2, an airway for a low GCS and ventilation for the intubated are the
  // patient's state's, not a condition's (fixes 0233, 0235).
  const role = (facility: string) => ECHELON_ORDER.indexOf(facility);
  /**
   * Whether one of `keys` was given at `facility` or an echelon before it (strictly before: `before`;
   * at it alone: `there`).
   */
  const given = (keys: readonly ProcedureKey[], facility: string, before = false, there = false) =>
    p.treatments.some((t) => {
      const key = PROCEDURE_BY_CODE.get(t.code);
      const at = role(t.facility) - role(facility);
      return key !== undefined && keys.includes(key) && (there ? at === 0 : before ? at < 0 : at <= 0);
    });
  /** A tube put in at an echelon before `facility` and not weaned off before it. */
  const tubeInOnAdmission = (facility: string) =>
    given(['endotrachealTube'], facility, true) && !given(['weaning'], facility, true);
  /** A tube in at `facility`: in on admission, or put in there. */
  const tubeThere = (facility: string) =>
    tubeInOnAdmission(facility) || given(['endotrachealTube'], facility, false, true);
  /** Admitted to Role 2-3 hypoxaemic although oxygen was given before: ventilated, through a tube (fix 0258). */
  const failingOnOxygen = (v: { facility: string; spo2: number }) =>
    (role(v.facility) === 2 || role(v.facility) === 3) &&
    v.spo2 < OXYGEN_BELOW_SPO2 &&
    given([...OXYGENATING_PROCEDURES], v.facility, true);
  const forState = (key: ProcedureKey | undefined, facility: string) => {
    const v = p.vital_signs.find((w) => w.facility === facility);
    if (v === undefined || facility === 'POI') return false;
    if (key === 'oxygen') return v.spo2 < TARGET_SPO2_FLOOR;
    if (key === 'endotrachealTube') return v.gcs <= INTUBATE_AT_GCS || failingOnOxygen(v);
    if (key === 'icuAdmission') return tubeThere(facility);
    return key === 'ventilation' && (given(['endotrachealTube'], facility) || failingOnOxygen(v));
  };
  // A brain injury's GCS is of its triage's grade (mild 13-15 minimal, moderate 9-12 delayed, severe
  // 3-8 immediate), the health on arrival read as triage reads it (fix 0276). A concussion is a mild
  // brain injury whatever its severity: 13-15 (fix 0349), unless something else clouds the mind (shock
  // below health 40, deep cold).
  const brainInjured = p.conditions.some(
    (c) => c.body_part === 'Head' && c.severity >= 5 && !CONDITION_BY_CODE.get(c.code)!.concussion,
  );
  if (!brainInjured && p.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.concussion)) {
    for (const v of p.vital_signs) {
      if (tubeInOnAdmission(v.facility) || v.temperature < 32 || healthOnArrival.get(v.facility)! < 40)
        continue;
      if (v.gcs < 13) fail(`GCS ${v.gcs} for a concussion, a mild brain injury (${v.facility})`);
    }
  }
  if (brainInjured) {
    for (const v of p.vital_signs) {
      // Sedated on a ventilator, its GCS cannot be scored (below).
      if (tubeInOnAdmission(v.facility)) continue;
      const health = healthOnArrival.get(v.facility)!;
      const [lo, hi] = health >= T2_BELOW ? [13, 15] : health >= T1_BELOW ? [9, 12] : [3, 8];
      if (v.gcs < lo || v.gcs > hi)
        fail(`GCS ${v.gcs} for a brain injury at health ${health} (${v.facility})`);
    }
  }
  // Admitted with a tube in, the patient is sedated and ventilated: GCS 3T, the ventilator's breaths (fix 0282).
  for (const v of p.vital_signs) {
    if (!tubeInOnAdmission(v.facility)) continue;
    if (v.gcs !== SEDATED_GCS) fail(`GCS ${v.gcs} on admission to ${v.facility} with a tube in`);
    if (v.respiratory_rate < VENTILATOR_RATE[0] || v.respiratory_rate > VENTILATOR_RATE[1])
      fail(`${v.respiratory_rate} breaths a minute on admission to ${v.facility} on a ventilator`);
    // ...and kept sedated there, unless weaned within the hour (its sedation stops on arrival) or gone
    // within the 0.2 h a first drug may take.
    const at = arrivalEvents.findIndex((e) => e.facility === v.facility);
    const arrived = arrivalEvents[at].hours_since_injury;
    const left = arrivalEvents[at + 1]?.hours_since_injury ?? tl[tl.length - 1].hours_since_injury;
    const weaned =
      p.treatments.find((t) => t.code === PROCEDURES.weaning.code)?.hours_since_injury ?? Infinity;
    const sedated = p.medications.some((m) => m.code === DRUGS.midazolam.code && m.facility === v.facility);
    if (weaned > arrived + 1 && left - arrived >= 0.2 && !sedated)
      fail(`admitted to ${v.facility} with a tube in and not kept sedated`);
  }
  for (const v of p.vital_signs) {
    if (v.facility === 'POI') continue;
    // Below the target's floor, oxygen from Role 1 on, whatever the protocols' count (fixes 0233, 0396).
    if (v.spo2 < TARGET_SPO2_FLOOR && !given([...OXYGENATING_PROCEDURES], v.facility))
      fail(`admitted to ${v.facility} with SpO2 ${v.spo2} % and no oxygen there or before`);
    if (role(v.facility) <= 3 && v.gcs <= INTUBATE_AT_GCS && !given(['endotrachealTube'], v.facility))
      fail(`admitted to ${v.facility} with GCS ${v.gcs} and not intubated there or before`);
    if (
      role(v.facility) >= 2 &&
      given(['endotrachealTube'], v.facility, true) &&
      !given(['ventilation'], v.facility)
    )
      fail(`admitted intubated to ${v.facility} and not ventilated there or before`);
    // ...and one intubated at Role 2-3 is ventilated there (fix 0314).
    if (
      role(v.facility) >= 2 &&
      p.treatments.some((t) => t.code === '112798008' && t.facility === v.facility) &&
      !given(['ventilation'], v.facility)
    )
      fail(`intubated at ${v.facility} and not ventilated there`);
    if (failingOnOxygen(v) && !given(['ventilation'], v.facility))
      fail(`admitted to ${v.facility} with SpO2 ${v.spo2} % on oxygen and not ventilated there or before`);
  }
  // An injury that bleeds, admitted to Role 1-4 in haemorrhagic shock, gets blood there (fixes 0255, 0362).
  const bleeds =
    p.injury_type !== 'DISEASE' &&
    p.conditions.some((c) => BLEEDING_INJURY_CARE.has(CONDITION_BY_CODE.get(c.code)!.care));
  for (const v of p.vital_signs) {
    if (!bleeds || role(v.facility) < 1) continue;
    if (inShock(v) && !given([...BLOOD_PRODUCTS], v.facility, false, true))
      fail(
        `admitted to ${v.facility} bleeding in shock (${v.systolic_bp} mmHg, ${v.heart_rate}/min), no blood there`,
      );
    // Red cells at Role 2-4, again where red cells were given before (fix 0284).
    else if (inShock(v) && role(v.facility) >= 2 && !given(['rbcTransfusion'], v.facility, false, true))
      fail(`admitted to ${v.facility} bleeding in shock, no red cells there`);
  }
  // Tranexamic acid and blood are for a bleeding injury: not for a burn's shock (its code named here, so
  // this holds whatever the table says of it) nor a septic one (fix 0275).
  const bleedingInjury =
    p.injury_type !== 'DISEASE' &&
    p.conditions.some(
      (c) => c.code !== '27942005' && BLEEDING_INJURY_CARE.has(CONDITION_BY_CODE.get(c.code)!.care),
    );
  if (!bleedingInjury) {
    const bloodCodes = new Set<string>([...BLOOD_PRODUCTS].map((key) => PROCEDURES[key].code));
    if (p.medications.some((m) => m.code === DRUGS.tranexamicAcid.code))
      fail(`tranexamic acid without a bleeding injury: ${p.conditions.map((c) => c.name)}`);
    if (p.treatments.some((t) => bloodCodes.has(t.code)))
      fail(`blood without a bleeding injury: ${p.conditions.map((c) => c.name)}`);
  }
  // A limb is amputated once: an arm's is an amputation of a limb, a leg's of a lower limb (fix 0280).
  const amputations = p.treatments.filter(
    (t) => t.code === PROCEDURES.limbAmputation.code || t.code === PROCEDURES.lowerLimbAmputation.code,
  );
  const amputatedLimbs = new Set(
    p.conditions
      .filter((c) => CONDITION_BY_CODE.get(c.code)!.care === 'amputation' && LIMBS.includes(c.body_part))
      .map((c) => c.body_part),
  );
  if (amputations.length > amputatedLimbs.size)
    fail(`${amputations.map((t) => t.name).join(' and ')} for ${amputatedLimbs.size} amputated limb(s)`);
  // ...and is amputated in theatre at the first surgical echelon it reaches, Role 2 or 3 (fix 0301).
  const firstSurgical = p.facilities_visited.find((f) => f === 'Role2' || f === 'Role3');
  if (firstSurgical !== undefined)
    for (const limb of amputatedLimbs) {
      const code = limb.endsWith('Leg') ? '397117006' : '400053006';
      if (!amputations.some((t) => t.code === code && t.facility === firstSurgical))
        fail(`a traumatic amputation of the ${limb} not completed at ${firstSurgical}`);
    }
  // A wound of the abdomen or pelvis, moderate or worse, of a protocol that explores it by laparotomy, is
  // explored at the first surgical echelon it reaches, flown past Role 2 or not, whatever the echelon's
  // count of steps (fix 0310).
  if (firstSurgical !== undefined)
    for (const c of p.conditions) {
      const care = CONDITION_BY_CODE.get(c.code)!;
      if (
        c.severity >= 4 &&
        (c.body_part === 'Abdomen' || c.body_part === 'Pelvis') &&
        PROTOCOLS[care.care].Role2.includes('exploratoryLaparotomy') &&
        !care.withhold?.includes('exploratoryLaparotomy') &&
        !p.treatments.some((t) => t.code === '74770008' && t.facility === firstSurgical)
      )
        fail(`a ${c.name} of the ${c.body_part} of severity ${c.severity} not explored at ${firstSurgical}`);
    }
  // A wound Role 2 operates on is operated on at Role 3 when the casualty was flown past Role 2 (fix 0327).
  if (firstSurgical === 'Role3') {
    const operatedAtRole2 = p.conditions.find((c) => {
      const care = CONDITION_BY_CODE.get(c.code)!;
      return PROTOCOLS[care.care].Role2.includes('surgery') && !care.withhold?.includes('surgery');
    });
    if (
      operatedAtRole2 !== undefined &&
      !p.treatments.some((t) => t.facility === 'Role3' && OPERATION_CODES.has(t.code))
    )
      fail(
        `a ${operatedAtRole2.name} of the ${operatedAtRole2.body_part} flown past Role 2 and not operated on at Role 3`,
      );
  }
  // An exploratory laparotomy is for a wound of the abdomen or pelvis, not a limb's shock; an operation
  // recorded by name is not recorded again as an unnamed "Surgical procedure" on the same part: beside a
  // named one at a stop, the unnamed one needs a second wounded part (fix 0281).
  const parts = new Set(p.conditions.filter((c) => c.body_part !== 'Systemic').map((c) => c.body_part));
  if (
    p.treatments.some((t) => t.code === PROCEDURES.exploratoryLaparotomy.code) &&
    !parts.has('Abdomen') &&
    !parts.has('Pelvis')
  )
    fail(`an exploratory laparotomy for ${[...parts]}`);
  const namedOperations = new Set<string>(
    OPERATIONS.filter((key) => key !== 'surgery').map((key) => PROCEDURES[key].code),
  );
  for (const f of new Set(p.treatments.map((t) => t.facility))) {
    const here = p.treatments.filter((t) => t.facility === f);
    if (
      here.some((t) => t.code === PROCEDURES.surgery.code) &&
      here.some((t) => namedOperations.has(t.code)) &&
      parts.size < 2
    )
      fail(`an unnamed operation beside a named one at ${f}, all wounds on ${[...parts]}`);
  }
  // What runs through a vein comes no earlier than the line put in for it (fix 0279).
  const line = p.treatments.find((t) => t.code === PROCEDURES.ivAccess.code);
  if (line) {
    const intravenous = new Set<string>(
      (
        [
          'transfusion',
          'rbcTransfusion',
          'plasmaTransfusion',
          'plateletTransfusion',
          'ivFluids',
          'fluidResuscitation',
          'ivTherapy',
          'ivAntibiotics',
        ] as const
      ).map((key) => PROCEDURES[key].code),
    );
    const early = p.treatments.find(
      (t) => intravenous.has(t.code) && t.hours_since_injury < line.hours_since_injury,
    );
    if (early)
      fail(
        `${early.name} at ${early.hours_since_injury} h, before the line into a vein at ${line.hours_since_injury} h`,
      );
  }
  // Controlled ventilation goes through a tube put in there or before, and is for a failing breath:
  // intubated before, or there (a burnt face's airway, fix 0314), comatose (GCS, fix 0235), or
  // hypoxaemic although oxygen was given before (fix 0247).
  const ventilation = p.treatments.findIndex((t) => t.code === PROCEDURES.ventilation.code);
  if (ventilation >= 0) {
    const at = p.treatments[ventilation].facility;
    const tube = p.treatments.findIndex((t) => t.code === PROCEDURES.endotrachealTube.code);
    if (tube < 0 || tube > ventilation)
      fail(`ventilated at ${at} without an endotracheal tube there or before`);
    const v = p.vital_signs.find((w) => w.facility === at);
    const failing =
      given(['endotrachealTube'], at) ||
      (v !== undefined && v.gcs <= INTUBATE_AT_GCS) ||
      (v !== undefined && v.spo2 < OXYGEN_BELOW_SPO2 && given([...OXYGENATING_PROCEDURES], at, true));
    if (!failing)
      fail(`ventilated at ${at}, admitted with SpO2 ${v?.spo2} % and GCS ${v?.gcs}, neither failing`);
  }
  // Whoever reaches a facility ill is treated there, however short the stay (fix 0232); one the course
  // brought back above a minimal casualty's health may only pass through, its intensive care gone
  // (fix 0260).
  if (p.triage_category === 'T1') {
    for (const admission of arrivalEvents) {
      const f = admission.facility;
      if (f === 'POI' || f === 'Role4' || admission.health >= T2_BELOW) continue;
      if (!p.treatments.some((t) => t.facility === f))
        fail(`a T1 patient admitted to ${f} and not treated there`);
    }
  }

  // Anaesthesia comes with each operation (fix 0245), blood with each admission in shock (fix 0284) and
  // intensive care with each admission on a tube (fix 0293), once per facility; any other treatment once.
  const perFacility = new Set<string>([
    PROCEDURES.anesthesia.code,
    PROCEDURES.icuAdmission.code,
    ...[...BLOOD_PRODUCTS].map((key) => PROCEDURES[key].code),
  ]);
  const treatmentKeys = p.treatments.map((t) =>
    perFacility.has(t.code) ? `${t.code}@${t.facility}` : t.code,
  );
  if (new Set(treatmentKeys).size !== treatmentKeys.length) fail('a treatment is repeated');
  const anaesthesiaAt = p.treatments
    .filter((t) => t.code === PROCEDURES.anesthesia.code)
    .map((t) => t.facility);
  if (new Set(anaesthesiaAt).size !== anaesthesiaAt.length) fail('anaesthesia is repeated at a facility');
  for (const t of p.treatments) {
    const key = PROCEDURE_BY_CODE.get(t.code);
    if (!key) fail(`treatment ${t.code} is not in the procedure table`);
    // Intensive care only for a patient admitted ill, below a minimal one's health (fix 0260), or one
    // with a tube in there (fix 0293).
    if (key !== undefined && CRITICAL_CARE.has(key)) {
      const admission = arrivalEvents.find((e) => e.facility === t.facility);
      if (admission && admission.health >= T2_BELOW && !tubeThere(t.facility))
        fail(`${t.name} at ${t.facility}, admitted at health ${admission.health}`);
    }
    if (!p.facilities_visited.includes(t.facility)) fail(`treatment at ${t.facility}, which was not visited`);
    if (t.hours_since_injury > last.hours_since_injury) fail('treatment after the end of the course');
    const byState = forState(key, t.facility);
    const sites = key ? PROCEDURE_SITES[key] : undefined;
    if (sites && !byState && !p.conditions.some((c) => sites.includes(c.body_part)))
      fail(`${t.name} on a body part it cannot treat`);
    const minSeverity = key ? PROCEDURE_MIN_SEVERITY[key] : undefined;
    if (minSeverity !== undefined && !byState && !p.conditions.some((c) => c.severity >= minSeverity))
      fail(`${t.name} without a condition of severity ${minSeverity} or more`);
    const withheldFromAll =
      key !== undefined && p.conditions.every((c) => CONDITION_BY_CODE.get(c.code)?.withhold?.includes(key));
    if (withheldFromAll && !byState) fail(`${t.name}, which each of its conditions is withheld`);
  }
  // A mild illness (every condition of no trauma protocol and below severity 4) is treated by mouth:
  // no line into a vein, no IV fluids or IV antibiotics (fix 0286).
  if (
    p.conditions.every(
      (c) => !TRAUMA_CARE.has(CONDITION_BY_CODE.get(c.code)!.care) && c.severity < ILLNESS_IV_FROM_SEVERITY,
    )
  ) {
    const drip = p.treatments.find((t) => INTRAVENOUS_PROCEDURES.has(PROCEDURE_BY_CODE.get(t.code)!));
    if (drip !== undefined) fail(`${drip.name} at ${drip.facility} for a mild illness`);
  }
  // Fluids by vein (IV fluids, fluid resuscitation) are for a condition of severity 4 or more: not for a
  // mild burn or a bruised abdomen (fix 0288).
  const isFluids = (t: { code: string }) => t.code === '103744005' || t.code === '430701006';
  const fluids = p.treatments.find(isFluids);
  if (fluids !== undefined && p.conditions.every((c) => c.severity < 4))
    fail(`${fluids.name} at ${fluids.facility} for conditions of severity 3 or less`);
  // ...through a line into a vein put in with them or before; and a burn of severity 4 or more gets
  // them at its first care, Role 1 to 3 (fix 0288).
  const lineIn = p.treatments.find((t) => t.code === '392230005');
  if (fluids !== undefined && (lineIn === undefined || lineIn.hours_since_injury > fluids.hours_since_injury))
    fail(`${fluids.name} at ${fluids.facility} without a line into a vein`);
  if (
    firstCare !== undefined &&
    role(firstCare.facility) <= 3 &&
    p.conditions.some((c) => c.severity >= 4 && CONDITION_BY_CODE.get(c.code)!.care === 'burn') &&
    !p.treatments.some((t) => isFluids(t) && t.facility === firstCare.facility)
  )
    fail(`a burn given no fluids by vein at its first care, ${firstCare.facility}`);
  // A tube in at Role 3 or 4 is in intensive care there (fix 0293), its breathing trial before a weaning
  // too (fix 0395).
  for (const f of ['Role3', 'Role4']) {
    const arrived = arrivalEvents.find((e) => e.facility === f);
    if (arrived === undefined || !tubeThere(f)) continue;
    if (!p.treatments.some((t) => t.code === '305351004' && t.facility === f))
      fail(`on a tube at ${f} and not admitted to intensive care there`);
  }
  // A broken pelvis is bound at the point of injury, whichever wound is primary (fix 0292).
  if (
    p.conditions.some((c) => c.code === '77493009') &&
    !p.treatments.some((t) => t.code === '182556001' && t.facility === 'POI')
  )
    fail('a broken pelvis not bound at the point of injury');
  // Air or blood in the chest (a pneumothorax, tension or not, a haemothorax) is drained at the first
  // care, Role 1 to 3 (fix 0291).
  if (
    firstCare !== undefined &&
    role(firstCare.facility) <= 3 &&
    p.conditions.some((c) => ['36118008', '233645004', '31892009'].includes(c.code)) &&
    !p.treatments.some((t) => t.code === '264957007' && t.facility === firstCare.facility)
  )
    fail(`air or blood in the chest not drained at its first care, ${firstCare.facility}`);
  // A malaria, or a dengue moderate or worse, is admitted at Role 2 or later before any return to duty
  // (fix 0409).
  if (
    p.status === 'RTD' &&
    (p.last_facility === 'POI' || p.last_facility === 'Role1') &&
    p.conditions.some((c) => c.code === '61462000' || (c.code === '38362002' && c.severity >= 4))
  )
    fail(`a malaria or a dengue with warning signs back on duty from ${p.last_facility}`);
  // A drained chest is unfit for weeks: back on duty from Role 4 only (fix 0407).
  if (p.status === 'RTD' && p.last_facility !== 'Role4' && p.treatments.some((t) => t.code === '264957007'))
    fail(`back on duty from ${p.last_facility} with a drained chest`);
  // A brain injury (a head wound of severity 5 or more) admitted to Role 3 is imaged there: a CT of the
  // head or of the whole body (fix 0289).
  if (
    p.facilities_visited.includes('Role3') &&
    brainInjured &&
    !p.treatments.some((t) => t.facility === 'Role3' && (t.code === '303653007' || t.code === '169072007'))
  )
    fail('a brain injury admitted to Role 3 without a CT there');
  // A tube the patient's state does not call for is a protocol's: for a brain injury or a burn of the
  // face, of severity 7 or more; a burn of a limb or the trunk keeps its own airway (fix 0283).
  const tube = p.treatments.find((t) => t.code === PROCEDURES.endotrachealTube.code);
  if (
    tube !== undefined &&
    !forState('endotrachealTube', tube.facility) &&
    !p.conditions.some((c) => (c.body_part === 'Head' || c.body_part === 'Face') && c.severity >= 7)
  )
    fail(`intubated at ${tube.facility} without a coma, a failing breath, a brain injury or a burnt face`);
  // Oxygen is for a patient below the target saturation (94-98 %) on admission (fix 0265).
  for (const t of p.treatments) {
    const key = PROCEDURE_BY_CODE.get(t.code);
    const admission = p.vital_signs.find((v) => v.facility === t.facility);
    if (isProtocolOxygen(key) && admission !== undefined && admission.spo2 >= 94)
      fail(`${t.name} at ${t.facility}, admitted saturating ${admission.spo2} %`);
  }
  // Anaesthesia is for an operation at its stop (fix 0266).
  for (const t of p.treatments) {
    if (
      t.code === PROCEDURES.anesthesia.code &&
      !p.treatments.some((u) => u.facility === t.facility && OPERATION_CODES.has(u.code))
    )
      fail(`anaesthesia at ${t.facility} without an operation there`);
  }
  // Pain management is for a patient in pain (fix 0264).
  if (!inPain(p) && p.treatments.some((t) => t.code === PROCEDURES.painManagement.code))
    fail('pain management for a patient in no pain');
  // A ventilated patient stays on the ventilator, which gives its oxygen, until weaned: weaned once,
  // after it, at an admission no longer critical and better than the one before, or at the last stop of
  // a course that ends recovered (returned to duty, or remaining at Role 4 at health 75 or more); never
  // ending recovered on it (fix 0263).
  const endsRecovered =
    (last.event_type === 'rtd' || last.event_type === 'remains_role4') && last.health >= T2_BELOW;
  const ventilated = p.treatments.find((t) => PROCEDURE_BY_CODE.get(t.code) === 'ventilation');
  const weanings = p.treatments.filter((t) => PROCEDURE_BY_CODE.get(t.code) === 'weaning');
  if (weanings.length > 1) fail(`weaned ${weanings.length} times`);
  const weaning = weanings[0];
  // Not off the ventilator before the least time its cause keeps a patient critical, from its onset
  // (fixes 0382, 0389).
  const criticalUntil = leastCriticalHours(p);
  if (weaning !== undefined && weaning.hours_since_injury < criticalUntil - 1e-9)
    fail(
      `weaned at ${weaning.hours_since_injury} h, before the least time its cause keeps it critical (${criticalUntil} h)`,
    );
  // Nor recovered to a minimal casualty's health within that time, once it was below: sedated on a
  // ventilator or in intensive care, never shown at health 75 or more (fix 0389).
  const firstCritical = tl.findIndex((e) => e.health < T2_BELOW);
  const recoveredTooSoon =
    firstCritical < 0
      ? undefined
      : tl.find(
          (e, i) => i > firstCritical && e.health >= T2_BELOW && e.hours_since_injury < criticalUntil - 1e-9,
        );
  if (recoveredTooSoon !== undefined)
    fail(
      `health ${recoveredTooSoon.health} at ${recoveredTooSoon.hours_since_injury} h, within the ${criticalUntil} h its cause keeps it critical`,
    );
  if (weaning !== undefined) {
    const at = arrivalEvents.findIndex((e) => e.facility === weaning.facility);
    const admittedBetter =
      at >= 1 &&
      arrivalEvents[at].health >= T2_BELOW &&
      arrivalEvents[at].health > arrivalEvents[at - 1].health;
    const beforeTheEnd = endsRecovered && last.facility === weaning.facility;
    // ...or before a transfer it left for recovered, at least 2 h before leaving (fix 0324).
    const left = departureFrom(weaning.facility);
    const beforeTheTransfer =
      left !== undefined &&
      left.health >= T2_BELOW &&
      left.health > arrivalEvents[at].health &&
      weaning.hours_since_injury <= left.hours_since_injury - WEAN_BEFORE_TRANSFER_HOURS + 1e-9;
    if (ventilated === undefined || weaning.hours_since_injury < ventilated.hours_since_injury)
      fail('weaned from a ventilation it never had');
    else if (!admittedBetter && !beforeTheEnd && !beforeTheTransfer)
      fail(`weaned at ${weaning.facility}, admitted at health ${arrivalEvents[at]?.health}, not recovering`);
    // ...and, recovering there, once no longer critical at the echelon's recovery rate (a few hours of
    // steps after it at most), not days later (fix 0285), or after the operations of its admission,
    // for which the tube stays in (fix 0313).
    const admitted = arrivalEvents[at];
    const rate = RECOVERY_PER_HOUR[weaning.facility as keyof typeof RECOVERY_PER_HOUR];
    if (admitted !== undefined && rate > 0) {
      const recovered = noLongerCriticalAt(admitted);
      // A war wound's delayed closure due within the admission is done in theatre too: the tube stays in.
      const operated = p.treatments.findLast(
        (t) =>
          t.facility === weaning.facility &&
          (OPERATION_CODES.has(t.code) || t.code === PROCEDURES.sutureClosure.code) &&
          t.hours_since_injury <= weaning.hours_since_injury &&
          t.hours_since_injury < admitted.hours_since_injury + 12,
      );
      // ...and not before: weaned still critical at the rate it recovers there, unless a return to duty
      // within the day asks for it sooner (fix 0325).
      const end = tl[tl.length - 1];
      const dutyWithinTheDay =
        end.event_type === 'rtd' && end.hours_since_injury - weaning.hours_since_injury <= 24.05;
      const healthThen = healthWhileRecovering(admitted, weaning.hours_since_injury);
      if (!admittedBetter && !dutyWithinTheDay && healthThen < T2_BELOW - 1)
        fail(`weaned at ${weaning.hours_since_injury} h at health ${healthThen.toFixed(0)}, still critical`);
      const recoveredBy = Math.max(recovered, operated?.hours_since_injury ?? 0, criticalUntil);
      if (weaning.hours_since_injury > recoveredBy + 4)
        fail(
          `weaned at ${weaning.hours_since_injury} h, recovered from health ${admitted.health} by ${recoveredBy.toFixed(1)} h`,
        );
    }
  }
  // Admitted on the ventilator, it breathes on its own through the tube for a trial before it comes
  // off, and is no minimal casualty while the tube is in (fix 0395).
  const intubatedAt =
    p.treatments.find((t) => t.code === PROCEDURES.endotrachealTube.code)?.hours_since_injury ?? Infinity;
  const offAt = weaning?.hours_since_injury ?? Infinity;
  if (weaning !== undefined) {
    const admitted = arrivalEvents.findLast(
      (e) => e.facility === weaning.facility && e.hours_since_injury <= weaning.hours_since_injury,
    );
    if (
      admitted !== undefined &&
      tubeInOnAdmission(weaning.facility) &&
      weaning.hours_since_injury < admitted.hours_since_injury + BREATHING_TRIAL_MINUTES[0] / 60 - 1e-9
    )
      fail(
        `weaned ${(weaning.hours_since_injury - admitted.hours_since_injury).toFixed(1)} h after an admission on the ventilator, before its breathing trial`,
      );
  }
  for (const e of tl)
    if (
      e.event_type === 'triage' &&
      e.triage_category === 'T3' &&
      e.hours_since_injury > intubatedAt &&
      e.hours_since_injury < offAt
    )
      fail(`re-triaged T3 (minimal) at ${e.hours_since_injury} h on a ventilator`);
  if (
    ventilated !== undefined &&
    weaning === undefined &&
    endsRecovered &&
    last.hours_since_injury >= criticalUntil
  )
    fail(`${last.event_type === 'rtd' ? 'returned to duty' : 'remains at Role 4'} recovered on a ventilator`);
  // Never sent on to the next echelon on a ventilator from a stop it recovered at hours before leaving:
  // no longer critical at the echelon's recovery rate (a few hours of its admission's steps after it at
  // most), then watched 2 h off the ventilator (fix 0324).
  if (ventilated !== undefined) {
    const offAt = weaning?.hours_since_injury ?? Infinity;
    for (const [k, admitted] of arrivalEvents.entries()) {
      const left = departureFrom(admitted.facility);
      if (left === undefined || k === 0) continue;
      if (ventilated.hours_since_injury >= left.hours_since_injury || offAt <= left.hours_since_injury)
        continue;
      if (left.health < T2_BELOW || left.health <= admitted.health) continue;
      const recovered = Math.max(
        noLongerCriticalAt(admitted, Math.max(admitted.hours_since_injury, ventilated.hours_since_injury)),
        criticalUntil,
      );
      if (recovered + 4 + WEAN_BEFORE_TRANSFER_HOURS <= left.hours_since_injury)
        fail(
          `left ${admitted.facility} on a ventilator at ${left.hours_since_injury} h, recovered there by ${recovered.toFixed(1)} h`,
        );
    }
  }
  // Rehabilitation once no longer critical and off the ventilator (fix 0326).
  for (const t of p.treatments) {
    if (!REHABILITATION_CODES.has(t.code)) continue;
    const onIt =
      ventilated !== undefined &&
      ventilated.hours_since_injury <= t.hours_since_injury &&
      (weaning === undefined || weaning.hours_since_injury > t.hours_since_injury);
    const healthThen = healthWhileRecovering(
      arrivalEvents.find((e) => e.facility === t.facility)!,
      t.hours_since_injury,
    );
    if (onIt) fail(`${t.name} at ${t.hours_since_injury} h on a ventilator`);
    else if (healthThen < T2_BELOW - 1)
      fail(`${t.name} at ${t.hours_since_injury} h at health ${healthThen.toFixed(0)}`);
  }
  if (ventilated !== undefined) {
    const offAt = weaning?.hours_since_injury ?? Infinity;
    // Oxygen listed before the ventilation at its moment is the pre-oxygenation of its tube (fix 0314).
    const on = p.treatments.indexOf(ventilated);
    for (const [i, t] of p.treatments.entries()) {
      const key = PROCEDURE_BY_CODE.get(t.code);
      if (
        isProtocolOxygen(key) &&
        (t.hours_since_injury > ventilated.hours_since_injury ||
          (t.hours_since_injury === ventilated.hours_since_injury && i > on)) &&
        t.hours_since_injury < offAt
      )
        fail(`${t.name} at ${t.facility} while on a ventilator`);
    }
  }
  // Oxygen goes before a tube (pre-oxygenation), not after it while the tube is in, and once a stop:
  // no mask on top of oxygen therapy (fix 0290).
  const tubeAt = p.treatments.findIndex((t) => t.code === PROCEDURES.endotrachealTube.code);
  const weanedAt = p.treatments.findIndex((t) => t.code === PROCEDURES.weaning.code);
  const oxygenStops = new Set<string>();
  p.treatments.forEach((t, i) => {
    if (!isProtocolOxygen(PROCEDURE_BY_CODE.get(t.code))) return;
    if (tubeAt >= 0 && i > tubeAt && (weanedAt < 0 || i < weanedAt))
      fail(`${t.name} at ${t.facility} with a tube in`);
    if (oxygenStops.has(t.facility)) fail(`two oxygen procedures at ${t.facility}`);
    oxygenStops.add(t.facility);
  });
  // Imaging comes before the operations of its stop; in haemorrhagic shock a CT may follow the
  // operation that controlled the bleeding, but a head CT still precedes a brain operation (fix 0294).
  const imaging = [
    '303653007',
    '169069000',
    '169072007',
    '418023006',
    '363680008',
    '399208008',
    '268425006',
    '16310003',
  ];
  const computedTomography = imaging.slice(0, 4);
  for (const v of p.vital_signs) {
    const here = p.treatments.filter((t) => t.facility === v.facility);
    const session = here.findIndex((t) => t.code === '410770002');
    if (session < 0) continue;
    const brainOperation = here.some((t) => t.code === '25353009' || t.code === '59712006');
    for (const t of here.slice(session + 1)) {
      if (!imaging.includes(t.code)) continue;
      const mayFollow =
        bleeds &&
        inShock(v) &&
        computedTomography.includes(t.code) &&
        !(brainOperation && t.code === '303653007');
      if (!mayFollow) fail(`${t.name} at ${v.facility} after the operation began`);
    }
  }
  // A burn is grafted when deep (severity 6 or more, on skin), at Role 4, between 48 and 96 h after the
  // injury or on arrival there if later (after an admission's breathing trial, fix 0395); every deep
  // burn whose Role 4 stay lasts to 96 h is (fix 0295).
  const burnCodes = ['125666000', '403191005', '403192003'];
  const deepBurn = p.conditions.some((c) => burnCodes.includes(c.code) && c.severity >= 6);
  const grafts = p.treatments.filter((t) => t.code === '304040003');
  const role4 = arrivalEvents.find((e) => e.facility === 'Role4');
  const onArrival = 1 + (tubeInOnAdmission('Role4') ? BREATHING_TRIAL_MINUTES[1] / 60 : 0);
  for (const g of grafts) {
    if (!deepBurn) fail(`${g.name} without a burn of severity 6 or more`);
    if (g.facility !== 'Role4' || role4 === undefined) fail(`${g.name} at ${g.facility}`);
    else if (
      g.hours_since_injury < 48 ||
      g.hours_since_injury > Math.max(96, role4.hours_since_injury + onArrival)
    )
      fail(`${g.name} at ${g.hours_since_injury} h, arrived at Role 4 at ${role4.hours_since_injury} h`);
  }
  if (deepBurn && grafts.length === 0 && role4 !== undefined && last.hours_since_injury >= 96)
    fail('a deep burn at Role 4 past 96 h never grafted');
  // A deep burn is grafted before any return to duty: back on duty from Role 4 only (fix 0408).
  if (deepBurn && p.status === 'RTD' && grafts.length === 0)
    fail(`back on duty from ${p.last_facility} with a deep burn never grafted`);
  // A brain is operated on for its lesion, once a stop: a subdural haematoma is evacuated (no craniotomy
  // coded beside it); another brain injury has a craniotomy, only when severe (7 or more) (fix 0302).
  const subdural = p.conditions.some((c) => c.code === '209987007');
  const severeBrainInjury = p.conditions.some(
    (c) => (c.code === '127295002' || c.code === '450410005') && c.severity >= 7,
  );
  for (const t of p.treatments) {
    if (t.code === '59712006' && !subdural) fail(`${t.name} without a subdural haematoma`);
    if (t.code === '25353009' && !severeBrainInjury) fail(`${t.name} without a severe brain injury`);
    if (t.code === '25353009' && p.treatments.some((u) => u.code === '59712006' && u.facility === t.facility))
      fail(`a craniotomy and a subdural haematoma's evacuation at ${t.facility}`);
  }
  // Air in the chest is drained and a flail chest splinted, not operated on: no unnamed operation for a
  // patient with only those, rib fractures or hypothermia (fix 0303).
  const notOperated = ['36118008', '233645004', '78011002', '33737001', '386689009'];
  if (
    p.conditions.every((c) => notOperated.includes(c.code)) &&
    p.treatments.some((t) => t.code === '387713003')
  )
    fail(`an operation for ${p.conditions.map((c) => c.name).join(', ')}`);
  // A spleen is taken out for an abdominal injury of severity 8 or more only (fix 0305).
  if (
    p.treatments.some((t) => t.code === '234319005') &&
    !p.conditions.some((c) => c.code === '128069005' && c.severity >= 8)
  )
    fail('a splenectomy without a severe abdominal injury');
  // An abdomen opened by an exploratory laparotomy is opened again only as the relook of damage control:
  // an operation done at an admission in haemorrhagic shock of a bleeding injury (fix 0305).
  // ...nor one whose wounds are all in the abdomen operated on at an earlier echelon, an appendix
  // taken out at Role 2 (fix 0306).
  const abdominalOnly = p.conditions.every((c) => c.body_part === 'Abdomen' || c.body_part === 'Systemic');
  const explored = p.treatments.find(
    (t) => t.code === '74770008' || (abdominalOnly && OPERATION_CODES.has(t.code) && t.code !== '86481000'),
  );
  const relook = p.treatments.find(
    (t) =>
      t.code === '86481000' &&
      explored !== undefined &&
      t.facility !== explored.facility &&
      t.hours_since_injury >= explored.hours_since_injury,
  );
  if (relook !== undefined) {
    const damageControl = p.vital_signs.some(
      (v) =>
        bleeds &&
        inShock(v) &&
        p.treatments.some(
          (t) =>
            t.facility === v.facility &&
            t.hours_since_injury <= relook.hours_since_injury &&
            t.facility !== relook.facility &&
            OPERATION_CODES.has(t.code),
        ),
    );
    if (!damageControl) fail(`a second laparotomy at ${relook.facility} without damage control before it`);
  }
  // The abdomen is opened once at a stop: an exploratory laparotomy and a laparotomy are one operation (fix 0310).
  for (const t of p.treatments)
    if (t.code === '74770008' && p.treatments.some((u) => u.code === '86481000' && u.facility === t.facility))
      fail(`an exploratory laparotomy and a laparotomy at ${t.facility}`);
  // An injury of the globe (231794000) is repaired at Role 3, by its ophthalmic surgeon, not at Role 2,
  // and a casualty whose primary wound it is returns to duty from no echelon before Role 4 (fix 0315).
  if (p.conditions.some((c) => c.code === '231794000') && p.conditions.every((c) => c.body_part === 'Eye')) {
    if (p.treatments.some((t) => OPERATION_CODES.has(t.code) && t.facility === 'Role2'))
      fail('an injury of the globe operated on at Role 2');
    if (
      p.facilities_visited.includes('Role3') &&
      !p.treatments.some((t) => t.code === '387713003' && t.facility === 'Role3')
    )
      fail('an injury of the globe not repaired at Role 3');
  }
  if (p.conditions[0].code === '231794000' && p.status === 'RTD' && p.last_facility !== 'Role4')
    fail(`an injury of the globe returned to duty from ${p.last_facility}`);
  // Grit in the eye (a foreign body of the eye region) is not operated on (fix 0307).
  if (
    p.conditions.every((c) => c.code === '787018009') &&
    p.treatments.some((t) => OPERATION_CODES.has(t.code))
  )
    fail('an operation for a foreign body of the eye region');
  // Intensive care comes after the operations of its stop's admission, not those days later (a graft, a
  // war fracture's fixation), which it precedes (fix 0299), nor one after the stop's weaning; a weaning
  // at Role 3-4 comes after the stop's intensive care admission (fix 0402).
  for (const v of p.vital_signs) {
    const here = p.treatments.filter((t) => t.facility === v.facility);
    const weaning = here.findIndex((t) => t.code === '243174005');
    const lastOperation = here.findLastIndex(
      (t, k) =>
        OPERATION_CODES.has(t.code) &&
        t.hours_since_injury < v.hours_since_injury + 12 &&
        (weaning < 0 || k < weaning),
    );
    const care = here.findIndex((t) => t.code === '305351004' || t.code === '182810003');
    if (care >= 0 && care < lastOperation)
      fail(`${here[care].name} at ${v.facility} before ${here[lastOperation].name}`);
    const admission = here.findIndex((t) => t.code === '305351004');
    if (weaning >= 0 && admission > weaning)
      fail(
        `weaned at ${v.facility} at ${here[weaning].hours_since_injury} h, before its intensive care admission`,
      );
    if (care >= 0 && here[care].hours_since_injury >= v.hours_since_injury + 12)
      fail(
        `${here[care].name} at ${v.facility} ${here[care].hours_since_injury} h after the injury, days after admission`,
      );
  }
  // A war fracture is held by an external fixator at the first surgical echelon it reaches, and fixed
  // internally only at Role 4, from day 5; one whose course ends at Role 4 after day 10 is (fix 0304).
  if (p.injury_type === 'BATTLE_TRAUMA') {
    const internal = p.treatments.filter((t) => t.code === '20701002');
    for (const t of internal)
      if (t.facility !== 'Role4' || t.hours_since_injury < 120)
        fail(
          `internal fixation of a war fracture at ${t.facility}, ${t.hours_since_injury} h after the injury`,
        );
    const fixedBy = (c: { code: string }, at: 'Role2' | 'Role3', key: 'orif' | 'externalFixation') => {
      const def = CONDITION_BY_CODE.get(c.code)!;
      return PROTOCOLS[def.care][at].includes(key) && !def.withhold?.includes(key);
    };
    const fractures = p.conditions.filter((c) => fixedBy(c, 'Role3', 'orif'));
    if (
      firstSurgical !== undefined &&
      fractures.some((c) => fixedBy(c, 'Role2', 'externalFixation')) &&
      !p.treatments.some((t) => t.code === '179050006' && t.facility === firstSurgical)
    )
      fail(`a war fracture without an external fixator at ${firstSurgical}`);
    if (
      fractures.length > 0 &&
      internal.length === 0 &&
      last.facility === 'Role4' &&
      last.hours_since_injury >= 240
    )
      fail('a war fracture at Role 4 past day 10 never fixed internally');
  }
  // A fracture's wound is debrided before its external fixator goes on, at the same stop (fix 0304).
  for (const fixator of p.treatments.filter((t) => t.code === '179050006')) {
    const here = p.treatments.filter((t) => t.facility === fixator.facility);
    if (here.findIndex((t) => t.code === '27930000') > here.indexOf(fixator))
      fail(`a debridement after the external fixator at ${fixator.facility}`);
  }
  // A war wound is left open: no suture before day 4, and then at Role 3 or 4; a wound a protocol
  // sutures is closed by day 5 if the casualty's course ends at Role 3 or 4 after it (fix 0298).
  const sutures = p.treatments.filter((t) => t.code === '288086009' || t.code === '18557009');
  if (p.injury_type === 'BATTLE_TRAUMA') {
    for (const t of sutures)
      if (t.hours_since_injury < 96 || (t.facility !== 'Role3' && t.facility !== 'Role4'))
        fail(`${t.name} of a war wound at ${t.facility}, ${t.hours_since_injury} h after the injury`);
    const sutured = p.conditions.some((c) => {
      const def = CONDITION_BY_CODE.get(c.code)!;
      const steps = [...PROTOCOLS[def.care].Role1, ...PROTOCOLS[def.care].Role3];
      return (
        (steps.includes('sutureWound') && !def.withhold?.includes('sutureWound')) ||
        (steps.includes('sutureClosure') && !def.withhold?.includes('sutureClosure'))
      );
    });
    if (
      sutured &&
      sutures.length === 0 &&
      (last.facility === 'Role3' || last.facility === 'Role4') &&
      // In a bed there: not one that died queued for it, never admitted (fix 0387).
      !(last.event_type === 'kia' && last.kia_timing === 'waiting') &&
      last.hours_since_injury >= 120
    )
      fail('a war wound still at Role 3 or 4 on day 5 never closed');
  }
  for (const c of p.conditions) {
    const def = CONDITION_BY_CODE.get(c.code);
    if (!def) fail(`condition ${c.code} is not in the condition table`);
    else {
      if (def.name !== c.name) fail(`condition ${c.code} has display "${c.name}"`);
      if (!def.sites.includes(c.body_part)) fail(`${c.name} on ${c.body_part}`);
      if (c.severity < def.severity[0] || c.severity > def.severity[1])
        fail(`${c.name} with severity ${c.severity}`);
    }
  }
  if (p.conditions.filter((c) => c.primary).length !== 1 || !p.conditions[0].primary)
    fail('not exactly one primary condition, first');
  if (p.body_part !== p.conditions[0].body_part) fail('body_part differs from the primary condition');
  if (p.vital_signs.map((v) => v.facility).join() !== p.facilities_visited.join())
    fail('vital signs not taken once per echelon');

  const d = p.demographics;
  const [by, bm, bd] = d.birthdate.split('-').map(Number);
  const [y, m, day] = baseDate.split('-').map(Number);
  const age = y - by - (m < bm || (m === bm && day < bd) ? 1 : 0);
  if (age !== d.age || age < 18 || age > 55) fail(`age ${d.age} but birth date ${d.birthdate} gives ${age}`);
  if (d.gender !== p.gender || d.nationality !== p.nationality) fail('demographics disagree with the record');
  return problems;
}
