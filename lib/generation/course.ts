/**
 * A casualty's course through the chain of care, driven by a health score (0..100): one leg per
 * echelon, each drawn from its own random stream (seed, patient, echelon), so the planning pass
 * (capacity.ts) and the patient builder (patient-flow.ts) compute the very same numbers, leg by leg, given
 * the same wait. Death is health reaching zero, nothing else (memory/decisions/0910-capacity-and-health.md).
 */
import {
  BURN_DETERIORATION,
  BYPASS_TRANSIT_HOURS,
  CONCUSSION_CLEARANCE_HOURS,
  CONCUSSION_REST_HOURS,
  CRITICAL_CEILING,
  DELAYED_INJURY_ROLE1_DWELL_HOURS,
  DETERIORATION,
  DWELL_HOURS,
  EXPECTANT_BELOW,
  FACILITIES,
  FIRST_AID_FACTOR,
  FIRST_AID_TENTHS,
  FIT_AFTER_FRACTURE_HOURS,
  FIT_AFTER_MAJOR_OPERATION_HOURS,
  FIT_FOR_DUTY_HOURS,
  GOLDEN_HOUR_FACTOR,
  GOLDEN_HOUR_TENTHS,
  HOSPITAL_STAY_AFTER_MAJOR_OPERATION_HOURS,
  HOSPITAL_STAY_HOURS,
  type HourRange,
  ILLNESS_RESPONSE,
  INJURY_RTD_FROM,
  INJURY_RTD_MODIFIER,
  type InjuryType,
  ISOLATION_HOURS,
  LIMB_RATE_AFTER_FIRST_AID,
  NO_DISCHARGE_BEFORE_HOURS,
  RECOVERY_PER_HOUR,
  RESUSCITATION_FACTOR,
  type Retriage,
  ROLE2_BYPASS_T1,
  RTD_FROM,
  RTD_MIN_HEALTH,
  SURGICAL,
  SURGICAL_CONTROL,
  severityGrade,
  T1_BELOW,
  T2_BELOW,
  TRANSIT_HOURS,
  TRIAGE_HEALTH_BAND,
  TRIAGE_RTD_MODIFIER,
  type Triage,
  UNCONTROLLED_AFTER_CARE,
} from '../data/index.js';
import type { Rng } from './rng.js';

/** Triage index in the flat tables below. */
function tri(t: Retriage): number {
  return t === 'T1' || t === 'T4' ? 0 : t === 'T2' ? 1 : 2;
}
const TRIAGES = ['T1', 'T2', 'T3'] as const;

/** The data tables as flat arrays indexed by echelon and triage: a leg is only arithmetic and lookups. */
const DWELL = Float64Array.from(FACILITIES.flatMap((f) => TRIAGES.flatMap((t) => [...DWELL_HOURS[f][t]])));
/** DWELL for an injury: a delayed one leaves Role 1 for its surgery at priority precedence (fix 0287). */
const INJURY_DWELL = Float64Array.from(DWELL);
INJURY_DWELL.set(
  DELAYED_INJURY_ROLE1_DWELL_HOURS,
  FACILITIES.indexOf('Role1') * 6 + TRIAGES.indexOf('T2') * 2,
);
const TRANSIT = Float64Array.from(
  (['POI', 'Role1', 'Role2', 'Role3'] as const).flatMap((f) =>
    TRIAGES.flatMap((t) => [...TRANSIT_HOURS[f][t]]),
  ),
);
const BYPASS = Float64Array.from(TRIAGES.flatMap((t) => [...BYPASS_TRANSIT_HOURS[t]]));
/** The echelons that hold a casualty until fit for duty: those FIT_FOR_DUTY_HOURS has times for. */
const HOLDS = Uint8Array.from(FACILITIES, (f) => (f in FIT_FOR_DUTY_HOURS ? 1 : 0));
/** Indexed as DWELL (an echelon that does not hold has none). */
const FIT_FOR_DUTY = Float64Array.from(
  FACILITIES.flatMap((f) =>
    TRIAGES.flatMap((t) =>
      f in FIT_FOR_DUTY_HOURS ? [...FIT_FOR_DUTY_HOURS[f as keyof typeof FIT_FOR_DUTY_HOURS][t]] : [0, 0],
    ),
  ),
);
const FIT_AFTER_MAJOR_OPERATION = Float64Array.from(FIT_AFTER_MAJOR_OPERATION_HOURS);
const FIT_AFTER_FRACTURE = Float64Array.from(FIT_AFTER_FRACTURE_HOURS);
const HOSPITAL_STAY_AFTER_MAJOR_OPERATION = Float64Array.from(HOSPITAL_STAY_AFTER_MAJOR_OPERATION_HOURS);
/** Indexed by triage index × 2, as FIT_FOR_DUTY within an echelon. */
const HOSPITAL_STAY = Float64Array.from(TRIAGES.flatMap((t) => [...HOSPITAL_STAY_HOURS[t]]));
const NO_DISCHARGE_BEFORE = NO_DISCHARGE_BEFORE_HOURS * 10;
/**
 * By severity 0..10, the triage index whose time to become fit at Role 4 a wound of that grade takes at
 * least: a severe wound an immediate casualty's, a moderate one a delayed casualty's, however recovered
 * it arrives (memory/fixes/0316-severe-wounds-fit-for-duty-in-days-at-role-4.md).
 */
const HEALING_TRIAGE = Uint8Array.from({ length: 11 }, (_, severity) =>
  severityGrade(severity) === 'Severe' ? 0 : severityGrade(severity) === 'Moderate' ? 1 : 2,
);
const IS_SURGICAL = Uint8Array.from(FACILITIES, (f) => (SURGICAL.has(f) ? 1 : 0));
const RECOVERY = Float64Array.from(FACILITIES, (f) => RECOVERY_PER_HOUR[f]);
/** By (no wound 0 or a wound 1, triage, echelon): whether a return to duty is possible there. */
const RTD_ALLOWED = Uint8Array.from(
  [RTD_FROM, INJURY_RTD_FROM].flatMap((from) =>
    TRIAGES.flatMap((t) => FACILITIES.map((f) => (from[t].has(f) ? 1 : 0))),
  ),
);
const RTD_TRIAGE = Float64Array.from(TRIAGES, (t) => TRIAGE_RTD_MODIFIER[t]);

/** Duration in tenths drawn from the range at `table[i]`, `table[i + 1]`: as tenths() does. */
function span(rng: Rng, table: Float64Array, i: number, factor = 1): number {
  return Math.max(1, Math.round(rng.range(table[i], table[i + 1]) * factor * 10));
}

/** Echelon indexes: 0 POI, 1..4 Role 1..4. */
export const POI = 0;
export const ROLE1 = 1;
export const ROLE2 = 2;
export const ROLE3 = 3;
export const ROLE4 = 4;
const CONCUSSION_REST_TENTHS = CONCUSSION_REST_HOURS * 10;
const ISOLATION_TENTHS = ISOLATION_HOURS * 10;

/**
 * The rest before duty (`dutyNotBefore`) of a casualty that rests: an illness's is a contagious one's
 * isolation (fix 0355), which a febrile one takes too (fix 0388), an injury's a concussion's rest (fix
 * 0331). A concussion is only an injury's and a contagious condition only an illness's
 * (test/unit/data/vetted-codes.test.ts), and only an illness rests for its fever, so the capacity
 * planner packs whether it rests in one bit (memory/decisions/0947).
 */
export function restBeforeDutyTenths(type: InjuryType): number {
  return type === 'DISEASE' ? ISOLATION_TENTHS : CONCUSSION_REST_TENTHS;
}

/** When a casualty past its rest or isolation is seen and cleared for duty (fixes 0331, 0355). */
function clearedAfterRest(rng: Rng, p: CourseParams): number {
  return p.dutyNotBefore + tenths(rng, CONCUSSION_CLEARANCE_HOURS);
}

/** What a leg ends in. */
export const LEG = { next: 0, died: 1, rtd: 2, remains: 3 } as const;
export type LegOutcome = (typeof LEG)[keyof typeof LEG];

/** Scenario-wide figures the legs read (from the facility rates and the environment). */
export interface CourseSettings {
  /** Multiplier on deterioration while an echelon is responsible (configured kia_rate / default). */
  readonly lethality: Float64Array;
  /** Base return-to-duty probability per echelon. */
  readonly rtd: Float64Array;
  readonly poiDelayHours: number;
  readonly transitFactor: number;
  /**
   * The evacuation policy in tenths since injury: a casualty returning to duty from Role 2 or 3 is held
   * there until fit only if fit by then, else evacuated onward; Role 4 holds it until fit. -1: no
   * policy, return to duty at the end of the dwell.
   */
  readonly policy: number;
}

/** The patient facts a course needs: drawn by clinicalCore in clinical.ts. */
export interface CourseParams {
  type: InjuryType;
  triage: Triage;
  /** Severity 1..10 of the primary condition. */
  severity: number;
  severityBand: readonly [number, number];
  /** A wound of a limb: a tourniquet or pressure dressing controls its bleeding (first aid). */
  limb: boolean;
  /**
   * A battle injury, or a non-battle one whose primary condition is physical trauma (TRAUMA_CARE): a
   * wound. Delayed, it needs a surgeon, so it leaves Role 1 within DELAYED_INJURY_ROLE1_DWELL_HOURS and
   * returns to duty from Role 2 on (memory/fixes/0246, 0287). A heat or cold injury is no wound: Role 1
   * treats it as an illness (memory/fixes/0359-heat-and-cold-injuries-sent-on-as-wounds.md).
   */
  wound: boolean;
  /**
   * The first echelon (POI, ROLE1 or ROLE2) it may return to duty from: Role 1 for a primary condition
   * of moderate severity or worse, a bacterial infection (memory/fixes/0297), a concussion (0331), a
   * contagious illness (0355) or a condition only a clinician diagnoses (0358);
   * Role 2, which takes the first X-ray, for a fracture (memory/fixes/0328) or a torn knee (0353).
   */
  firstDutyRole: number;
  /**
   * The moment (tenths after the injury) before which it does not return to duty: a concussion's rest
   * (CONCUSSION_REST_TENTHS, memory/fixes/0331), a contagious or febrile illness's isolation
   * (ISOLATION_TENTHS, 0355, 0388), else 0.
   */
  dutyNotBefore: number;
  /**
   * One of its conditions is `unfitInTheatre` (lib/data/clinical-codes.ts: a major operation on its
   * part of the body ahead, an open globe, a severe crush, a severe injury, respiratory illness or
   * systemic infection): it is not returned to duty before Role 4, and Role 4 holds a wound until fit
   * (memory/fixes/0308, 0311, 0312, 0315, 0321, 0369, 0371, 0374, 0375).
   */
  majorSurgery: boolean;
  /**
   * One of its conditions is a fracture of moderate severity or worse (a rib's, a vertebra's, a limb's),
   * or another that `healsForWeeks` (a torn cruciate ligament, memory/fixes/0353): unfit for duty until
   * the bone has united, weeks longer than a theatre holds a casualty, it is not
   * returned to duty before Role 4, which holds it until then (FIT_AFTER_FRACTURE_HOURS, unless a major
   * operation's time applies; memory/fixes/0336-moderate-fractures-back-on-duty-in-days.md).
   */
  fractureHealing: boolean;
  /** The primary wound can kill: false for a wound of NON_LETHAL_CARE, which does not deteriorate. */
  lethal: boolean;
  /**
   * The primary is a burn: it deteriorates as a burn's shock does, over hours (BURN_DETERIORATION,
   * memory/fixes/0377-burns-killed-within-the-hour.md).
   */
  burnShock: boolean;
  /**
   * The primary is an illness its first surgical echelon operates on (`controlledByOperation`: an
   * appendicitis, an abscess): controlled at each surgical echelon as a wound is, not once as an
   * illness that responds to medical care or not (memory/fixes/0411).
   */
  controlledByOperation: boolean;
  /**
   * Beside a burn, the severity of the worst wound that can bleed or kill (not BESIDE_A_BURN), whose
   * loss at its injury type's rate adds to the burn's; 0 when none, or when the primary is no burn
   * (memory/fixes/0383).
   */
  bleedingSeverity: number;
  /**
   * A tourniquet goes on the wound at first aid: the evacuation is urgent until surgery (Role 2 or 3),
   * whatever the triage, and no return to duty comes before it.
   */
  tourniquet: boolean;
  /**
   * A wound, the primary or another, is a brain injury (on the head, BRAIN_INJURY_FROM_SEVERITY and up):
   * while delayed (GCS 9-12) or immediate, its evacuation is urgent until Role 3's CT and neurosurgeon,
   * and it returns to duty from Role 4 only (fix 0368).
   */
  headInjury: boolean;
  /**
   * The moment (tenths after the injury) until which its cause keeps it critical: health recovers no
   * higher than CRITICAL_CEILING before it (LEAST_CRITICAL_HOURS: a severe respiratory failure or
   * sepsis, a severe brain injury, a severe burn of the face; memory/fixes/0389), else 0.
   */
  criticalUntil: number;
}

/** Where a patient stands: time (tenths of an hour since injury), health and its trend. */
export interface CourseState {
  t: number;
  h: number;
  /** Health points lost per hour (negative: recovering). */
  rate: number;
  /** Bleeding controlled (or no surgery needed): the golden-hour penalty no longer applies. */
  controlled: boolean;
  /** Echelon reached or heading to. */
  role: number;
  /** Echelon whose lethality applies now. */
  resp: number;
  triage: Retriage;
  /** End of the last stay (tenths): when the bed was freed. */
  leave: number;
  /** When the last stay began to hold the casualty until fit (tenths), or -1 when it did not. */
  holdFrom: number;
  /** CourseParams' `criticalUntil`: recovery stops at CRITICAL_CEILING before it. */
  criticalUntil: number;
}

/** Course parameters to fill in: a battle injury of severity 5 with nothing that holds or hastens it. */
export function newParams(): CourseParams {
  return {
    type: 'BATTLE_TRAUMA',
    triage: 'T1',
    severity: 5,
    severityBand: [1, 10],
    limb: false,
    wound: true,
    firstDutyRole: 0,
    dutyNotBefore: 0,
    majorSurgery: false,
    fractureHealing: false,
    tourniquet: false,
    headInjury: false,
    lethal: true,
    burnShock: false,
    controlledByOperation: false,
    bleedingSeverity: 0,
    criticalUntil: 0,
  };
}

export function newState(): CourseState {
  return {
    t: 0,
    h: 100,
    rate: 0,
    controlled: true,
    role: 0,
    resp: 0,
    triage: 'T3',
    leave: 0,
    holdFrom: -1,
    criticalUntil: 0,
  };
}

export function copyState(to: CourseState, from: CourseState): void {
  to.t = from.t;
  to.h = from.h;
  to.rate = from.rate;
  to.controlled = from.controlled;
  to.role = from.role;
  to.resp = from.resp;
  to.triage = from.triage;
  to.leave = from.leave;
  to.holdFrom = from.holdFrom;
  to.criticalUntil = from.criticalUntil;
}

/** What the patient builder records; the planning pass passes none. */
export interface CourseLog {
  arrival(role: number, t: number, h: number): void;
  retriage(role: number, t: number, h: number, triage: Retriage): void;
  evacuation(role: number, t: number, h: number, dwell: number, next: number): void;
  transit(role: number, t: number, h: number, next: number, duration: number): void;
  death(role: number, t: number, timing: 'at_facility' | 'during_transit' | 'waiting'): void;
  /** Discharged from Role 4 to convalesce out of hospital: the stay (and its bed) ends, duty comes later. */
  discharge(role: number, t: number, h: number): void;
  rtd(role: number, t: number, h: number): void;
  remains(role: number, t: number, h: number): void;
}

/** Triage from health as recorded: T1 below 50, T2 below 75, else T3 (T4 only by the expectant rule). */
export function triageOf(h: number): Triage {
  const shown = shownHealth(h);
  return shown < T1_BELOW ? 'T1' : shown < T2_BELOW ? 'T2' : 'T3';
}

/** Health as recorded on an event: whole points, at least 1 while alive. */
export function shownHealth(h: number): number {
  return h <= 0 ? 0 : Math.min(100, Math.ceil(h));
}

/** True when a queued casualty may be declared expectant (T4): only in a mass casualty, only when low. */
export function expectant(h: number, massCasualty: boolean): boolean {
  return massCasualty && h < EXPECTANT_BELOW;
}

/** Duration in tenths of an hour drawn from a range, at least one tenth. */
export function tenths(rng: Rng, [min, max]: HourRange, factor = 1): number {
  return Math.max(1, Math.round(rng.range(min, max) * factor * 10));
}

/** First tenth in (from, to] at which health h falling at r per hour reaches zero, or -1. */
function deathIn(h: number, r: number, from: number, to: number): number {
  const d = from + Math.max(1, Math.ceil((h * 10) / r));
  return d <= to ? d : -1;
}

/**
 * Moves the state to time `to` at its current trend; returns the tenth of death, or -1. Health only
 * rises (to 100) with a negative trend, and no higher than CRITICAL_CEILING before `criticalUntil`;
 * before control, the trend is 1.5 times steeper after the golden hour.
 */
export function advance(s: CourseState, settings: CourseSettings, to: number): number {
  if (to <= s.t) return -1;
  if (s.rate <= 0) {
    s.h = recovered(s.h, -s.rate, s.t, to, s.h <= CRITICAL_CEILING ? s.criticalUntil : 0);
    s.t = to;
    return -1;
  }
  const r = s.rate * settings.lethality[s.resp];
  if (r <= 0) {
    s.t = to;
    return -1;
  }
  let t = s.t;
  if (!s.controlled && t < GOLDEN_HOUR_TENTHS) {
    const end = Math.min(to, GOLDEN_HOUR_TENTHS);
    const d = deathIn(s.h, r, t, end);
    if (d >= 0) return die(s, d);
    s.h = Math.max(1e-9, s.h - (r * (end - t)) / 10);
    t = end;
  }
  if (t < to) {
    const rr = s.controlled ? r : r * GOLDEN_HOUR_FACTOR;
    const d = deathIn(s.h, rr, t, to);
    if (d >= 0) return die(s, d);
    s.h = Math.max(1e-9, s.h - (rr * (to - t)) / 10);
  }
  s.t = to;
  return -1;
}

/**
 * Health `h` at `from` rising at `rate` an hour until `to`: held at CRITICAL_CEILING until `until`, then
 * rising again from it (fix 0389), and never above 100.
 */
function recovered(h: number, rate: number, from: number, to: number, until: number): number {
  if (until <= from) return Math.min(100, h + (rate * (to - from)) / 10);
  const held = Math.min(CRITICAL_CEILING, h + (rate * (Math.min(to, until) - from)) / 10);
  return to <= until ? held : Math.min(100, held + (rate * (to - until)) / 10);
}

function die(s: CourseState, d: number): number {
  s.h = 0;
  s.t = d;
  return d;
}

/** A tourniquet is still on at `role`: it comes off in surgery, at Role 2 or 3. */
function tourniquetOn(p: CourseParams, role: number): boolean {
  return p.tourniquet && role <= ROLE1;
}

/**
 * A delayed brain injury (GCS 9-12) before Role 3, where CT and a neurosurgeon are: a moderate brain
 * injury is an urgent MEDEVAC, and returns to duty from no echelon before it
 * (memory/fixes/0272-moderate-brain-injuries-held-at-role-1.md).
 */
function brainInjuryUrgent(p: CourseParams, role: number, triage: number): boolean {
  return p.headInjury && triage === 1 && role <= ROLE2;
}

/**
 * The triage index an evacuation's wait and transit are drawn for: an immediate casualty's while a
 * tourniquet is on (TCCC: urgent, surgery within two hours of its application;
 * memory/fixes/0253-tourniquet-casualties-waited-hours-for-evacuation.md) or for a
 * `brainInjuryUrgent` casualty.
 */
function precedence(p: CourseParams, role: number, triage: Retriage): number {
  const t = tri(triage);
  return tourniquetOn(p, role) || brainInjuryUrgent(p, role, t) ? 0 : t;
}

function rtdChance(p: CourseParams, settings: CourseSettings, role: number, s: CourseState): number {
  const t = tri(s.triage);
  const wounded = p.wound ? 1 : 0;
  if (RTD_ALLOWED[(wounded * TRIAGES.length + t) * 5 + role] === 0 || s.h < RTD_MIN_HEALTH) return 0;
  if (tourniquetOn(p, role) || brainInjuryUrgent(p, role, t)) return 0;
  // Only a mild condition the medic can manage goes back from the point of injury: a moderate one, or an
  // infection that needs an antibiotic, is seen at Role 1 first, and a fracture is X-rayed at Role 2
  // (memory/fixes/0297-moderate-and-infected-patients-returned-to-duty-unseen.md, 0328).
  if (role < p.firstDutyRole) return 0;
  // A mild condition fit for duty goes back from Role 2 on: no one is evacuated to Role 3 or out of
  // theatre for a sprain or a sore throat (memory/fixes/0278-mild-conditions-evacuated-out-of-theatre.md).
  if (role >= ROLE2 && severityGrade(p.severity) === 'Mild') return 1;
  // A mild illness or non-battle injury fit for duty goes back from Role 1 on: its sick call treats a
  // cold, a rash, a sprain or a cut, and isolates a contagious illness, none of which is evacuated to a
  // field hospital; a war wound, however small, is a surgeon's (Role 2) to debride
  // (memory/fixes/0357-mild-illnesses-and-injuries-evacuated-to-role-2.md).
  if (role >= ROLE1 && p.type !== 'BATTLE_TRAUMA' && severityGrade(p.severity) === 'Mild') return 1;
  // After a laparotomy, an amputation, a brain operation or a fracture's fixation a soldier is unfit
  // for weeks to months, longer than any theatre holds it: it goes home, to Role 4
  // (memory/fixes/0308-returned-to-duty-in-theatre-days-after-major-surgery.md); so does a moderate
  // fracture, until its bone unites (fix 0336), and a moderate or severe brain injury, GCS 12 or less
  // at the point of injury: only a concussion goes back to duty in theatre (fix 0368).
  if (role < ROLE4 && (p.majorSurgery || p.fractureHealing || p.headInjury)) return 0;
  // Under an evacuation policy Role 3, the theatre's hospital, keeps an illness or a non-battle injury
  // that nothing above keeps from duty for weeks: held until fit if that is within the policy, evacuated
  // out of theatre only if not, rather than flown home at random once recovered
  // (memory/fixes/0394-recovered-illnesses-flown-out-of-theatre.md). Role 2 keeps a moderate one it
  // may return to duty, rather than sending it on to the hospital recovered; a severe one goes on to
  // Role 3's physicians (fix 0398).
  if (settings.policy >= 0 && p.type !== 'BATTLE_TRAUMA') {
    if (role === ROLE3 || (role === ROLE2 && severityGrade(p.severity) === 'Moderate')) return 1;
  }
  return Math.min(1, settings.rtd[role] * RTD_TRIAGE[t] * INJURY_RTD_MODIFIER[p.type]);
}

/** After a major operation for a wound, Role 4 holds the casualty until fit, for months (fixes 0312, 0318). */
function operatedWound(p: CourseParams): boolean {
  return p.majorSurgery && p.type !== 'DISEASE';
}

/**
 * Role 4 holds the casualty until fit, policy or not: after a major operation for a wound, or a
 * moderate fracture until its bone unites (fix 0336).
 */
function convalescesAtRole4(p: CourseParams): boolean {
  return operatedWound(p) || p.fractureHealing;
}

/**
 * The triage index whose time to become fit (and stay in hospital) at Role 4 a casualty admitted at
 * `triage` takes: the worse of that triage and its wound's severity (fix 0316).
 */
function healingAtRole4(p: CourseParams, triage: Retriage): number {
  return Math.min(tri(triage), HEALING_TRIAGE[p.severity]);
}

/**
 * When Role 4 discharges a casualty it holds until fit, to convalesce out of hospital if not fit by
 * then: at the end of its hospital stay after its dwell (weeks after a major operation, days to weeks
 * otherwise, by its `healing` triage index), never before a war wound's closure is due
 * (memory/fixes/0319-role-4-beds-held-through-convalescence.md,
 * 0322-role-4-kept-minor-wounds-longer-than-laparotomies.md).
 */
function dischargeAt(rng: Rng, leave: number, operated: boolean, healing: number): number {
  const stay = operated
    ? span(rng, HOSPITAL_STAY_AFTER_MAJOR_OPERATION, 0)
    : span(rng, HOSPITAL_STAY, healing * 2);
  return Math.max(NO_DISCHARGE_BEFORE, leave + stay);
}

/**
 * The next echelon and the transit there (drawn from the leg's stream, with its `precedence`), left
 * in MOVE.
 */
const MOVE = { next: 0, transit: 0 };
function moveOn(p: CourseParams, settings: CourseSettings, rng: Rng, role: number, triage: Retriage): void {
  const t = precedence(p, role, triage);
  // Only an immediate casualty is flown past Role 2; a tourniquet's urgency does not skip its surgery.
  const bypass = role === 1 && tri(triage) === 0 && rng.chance(ROLE2_BYPASS_T1);
  MOVE.next = bypass ? 3 : role + 1;
  MOVE.transit = bypass
    ? span(rng, BYPASS, t * 2, settings.transitFactor)
    : span(rng, TRANSIT, role * 6 + t * 2, settings.transitFactor);
}

/** Health points lost per hour untreated at `severity`, `z` standard deviations from the median. */
function deterioration(
  d: { readonly atFive: number; readonly perPoint: number; readonly spread: number },
  severity: number,
  z: number,
): number {
  return d.atFive * Math.exp(d.perPoint * (severity - 5) + d.spread * z);
}

/** The point-of-injury leg: initial health, first aid, the wait for evacuation and the first transit. */
export function startCourse(
  p: CourseParams,
  settings: CourseSettings,
  rng: Rng,
  s: CourseState,
  log: CourseLog | null,
): LegOutcome {
  const [lo, hi] = TRIAGE_HEALTH_BAND[p.triage];
  const [sLo, sHi] = p.severityBand;
  const position = sHi > sLo ? (p.severity - sLo) / (sHi - sLo) : 0.5;
  const h0 = Math.min(hi, Math.max(lo, hi - position * (hi - lo) + rng.range(-3, 3)));
  // One draw places the casualty within both rates' spreads: a burn's and its bleeding wound's.
  const z = rng.normal(0, 1);
  let rate = deterioration(p.burnShock ? BURN_DETERIORATION : DETERIORATION[p.type], p.severity, z);
  if (p.bleedingSeverity > 0) rate += deterioration(DETERIORATION[p.type], p.bleedingSeverity, z);
  s.t = 0;
  s.h = h0;
  s.rate = p.lethal ? rate : 0;
  s.controlled = p.triage !== 'T1';
  s.role = POI;
  s.resp = POI;
  s.triage = p.triage;
  s.leave = 0;
  s.criticalUntil = p.criticalUntil;
  log?.arrival(POI, 0, s.h);
  let hAsked = s.h;
  const delay = Math.round(settings.poiDelayHours * rng.range(0.5, 1) * 10);
  const asAsked = precedence(p, POI, p.triage);
  const urgent = asAsked === 0;
  let dwell = span(rng, DWELL, asAsked * 2) + delay;
  if (p.type !== 'DISEASE') {
    // First aid within ten minutes slows a wound's deterioration.
    const died = advance(s, settings, Math.min(FIRST_AID_TENTHS, dwell));
    if (died >= 0) return end(log, POI, died, 'at_facility');
    s.rate *= FIRST_AID_FACTOR;
    if (p.limb && s.rate > LIMB_RATE_AFTER_FIRST_AID) s.rate = LIMB_RATE_AFTER_FIRST_AID;
  }
  // The evacuation is asked for at injury, or again, as urgent, when the casualty falls to immediate
  // (one asked for as urgent from the start, a tourniquet's, is re-triaged where it arrives).
  let asked = 0;
  const falls = urgent ? -1 : fallsToImmediate(s, settings, dwell);
  if (falls >= 0) {
    const died = advance(s, settings, falls);
    if (died >= 0) return end(log, POI, died, 'at_facility');
    s.triage = 'T1';
    log?.retriage(POI, falls, s.h, 'T1');
    asked = falls;
    hAsked = s.h;
    dwell = Math.min(dwell, falls + span(rng, DWELL, 0) + delay);
  }
  const died = advance(s, settings, dwell);
  if (died >= 0) return end(log, POI, died, 'at_facility');
  s.leave = dwell;
  if (rng.next() < rtdChance(p, settings, POI, s)) {
    log?.rtd(POI, dwell, s.h);
    return LEG.rtd;
  }
  moveOn(p, settings, rng, POI, s.triage);
  const { next, transit } = MOVE;
  log?.evacuation(POI, asked, hAsked, dwell - asked, next);
  log?.transit(POI, dwell, s.h, next, transit);
  const lost = advance(s, settings, dwell + transit);
  if (lost >= 0) return end(log, POI, lost, 'during_transit');
  s.role = next;
  return LEG.next;
}

/**
 * The tenth before `leave` at which a delayed or minimal casualty waiting at the point of injury falls
 * to immediate (`triageOf`: health shown below T1_BELOW), or -1. The medic who watches it re-triages
 * it then and asks for an urgent evacuation, as a 9-line MEDEVAC request is raised to urgent; a
 * delayed wound was otherwise left to die on its priority wait
 * (memory/fixes/0248-delayed-casualties-died-waiting-at-the-point-of-injury.md).
 */
function fallsToImmediate(s: CourseState, settings: CourseSettings, leave: number): number {
  if (triageOf(s.h) === 'T1') return s.t;
  // Only a controlled course (no golden-hour penalty) is waited out here: its fall is a straight line.
  const r = s.rate * settings.lethality[s.resp];
  if (r <= 0 || !s.controlled) return -1;
  let t = s.t + Math.max(1, Math.ceil(((s.h - (T1_BELOW - 1)) * 10) / r));
  // Rounding may leave it a hair above the line: one tenth more.
  if (triageOf(s.h - (r * (t - s.t)) / 10) !== 'T1') t++;
  return t < leave ? t : -1;
}

/**
 * A stay at echelon `s.role` from admission at `s.t`: re-triage, care (resuscitation, surgery or
 * recovery), the dwell, then return to duty, remaining at Role 4, or evacuation onward. With
 * `holdRefused` (the capacity plan found no free bed when the hold would begin), a casualty the
 * evacuation policy would hold at Role 2 or 3 is evacuated onward instead, from the same draws.
 */
export function stayAt(
  p: CourseParams,
  settings: CourseSettings,
  rng: Rng,
  s: CourseState,
  log: CourseLog | null,
  holdRefused = false,
): LegOutcome {
  const role = s.role;
  const admitted = s.t;
  s.holdFrom = -1;
  log?.arrival(role, admitted, s.h);
  const triage = triageOf(s.h);
  if (triage !== s.triage) {
    s.triage = triage;
    log?.retriage(role, admitted, s.h, triage);
  }
  const hArrival = s.h;
  const before = s.resp;
  s.resp = role;
  if (!s.controlled) {
    if (IS_SURGICAL[role] === 1) {
      const illness = p.type === 'DISEASE' && !p.controlledByOperation;
      // An illness responds to treatment or not at its first surgical echelon, once: a refractory one
      // keeps its course. One the surgeon operates on is controlled as a wound is (fix 0411).
      const tryControl = !illness || IS_SURGICAL[before] === 0;
      if (tryControl) {
        if (rng.next() < (illness ? ILLNESS_RESPONSE : SURGICAL_CONTROL)[p.severity]) {
          s.controlled = true;
          s.rate = -RECOVERY[role];
        } else s.rate *= UNCONTROLLED_AFTER_CARE[p.type];
      }
    } else s.rate *= RESUSCITATION_FACTOR;
  } else s.rate = -RECOVERY[role];
  const dwell = span(rng, p.wound ? INJURY_DWELL : DWELL, role * 6 + precedence(p, role, triage) * 2);
  const leave = Math.max(admitted + dwell, stillCriticalUntil(s, role));
  const died = advance(s, settings, leave);
  s.leave = died >= 0 ? died : leave;
  if (died >= 0) return end(log, role, died, 'at_facility');
  if (rng.next() < rtdChance(p, settings, role, s)) {
    // After a major operation for a wound, Role 4 holds the casualty until fit, months later, policy or
    // not (memory/fixes/0312-home-on-duty-days-after-major-surgery.md); an illness operated on (an
    // appendix out) heals at its severity's pace, as any other (fix 0318).
    const convalescent = role === ROLE4 && convalescesAtRole4(p);
    if ((settings.policy < 0 && !convalescent) || HOLDS[role] === 0) {
      // A concussion rests its day, a contagious illness its isolation, a febrile one until free of
      // fever, then is seen and goes back (fixes 0331, 0355, 0388): the rest is taken in quarters, its
      // bed freed at the end of the dwell (fix 0391). The draw ends the course, so no later draw of it
      // moves.
      let back = leave;
      if (p.dutyNotBefore > leave) {
        back = clearedAfterRest(rng, p);
        log?.discharge(role, leave, s.h);
        advance(s, settings, back);
      }
      log?.rtd(role, back, s.h);
      return LEG.rtd;
    }
    // Under an evacuation policy: held in its bed, recovering, until fit, if that is within the policy
    // or out of theatre; else, or when its bed is needed, evacuated onward
    // (memory/decisions/0934-evacuation-policy.md, 0941-full-facility-evacuates-instead-of-holding.md).
    // At Role 4, out of theatre, a casualty arrives recovered from its acute state, but its wound heals
    // at the pace of its severity (fix 0316).
    const healing = role === ROLE4 ? healingAtRole4(p, triage) : tri(triage);
    const healed =
      leave +
      (convalescent
        ? span(rng, operatedWound(p) ? FIT_AFTER_MAJOR_OPERATION : FIT_AFTER_FRACTURE, 0)
        : span(rng, FIT_FOR_DUTY, role * 6 + healing * 2));
    // Still resting or isolated once healed, it is seen and cleared after the rest, as where nothing
    // holds it, not at its very hour (fix 0355); the rest past its healing is taken in quarters, out of
    // the bed (fix 0391).
    const fit = p.dutyNotBefore > healed ? clearedAfterRest(rng, p) : healed;
    if (role === ROLE4 || (fit <= settings.policy && !holdRefused)) {
      s.holdFrom = leave;
      s.rate = -RECOVERY[role];
      s.leave =
        role === ROLE4 ? Math.min(healed, dischargeAt(rng, leave, operatedWound(p), healing)) : healed;
      if (s.leave < fit) {
        advance(s, settings, s.leave);
        log?.discharge(role, s.leave, s.h);
      }
      advance(s, settings, fit);
      log?.rtd(role, fit, s.h);
      return LEG.rtd;
    }
  }
  if (role === ROLE4) {
    // Its record ends here, but it stays in hospital: it keeps its bed as long as one returned to duty
    // from Role 4 would, under a policy or after a major operation
    // (memory/fixes/0323-role-4-beds-freed-by-casualties-who-remain.md).
    const convalescent = convalescesAtRole4(p);
    if (settings.policy >= 0 || convalescent)
      s.leave = dischargeAt(rng, leave, operatedWound(p), healingAtRole4(p, triage));
    log?.remains(role, leave, s.h);
    return LEG.remains;
  }
  moveOn(p, settings, rng, role, triage);
  const { next, transit } = MOVE;
  log?.evacuation(role, admitted, hArrival, dwell, next);
  log?.transit(role, leave, s.h, next, transit);
  const lost = advance(s, settings, leave + transit);
  if (lost >= 0) return end(log, role, lost, 'during_transit');
  s.role = next;
  return LEG.next;
}

/** Tenths a health held at CRITICAL_CEILING takes to reach RTD_MIN_HEALTH at Role 4's recovery rate. */
const PAST_THE_CEILING = Math.ceil(((RTD_MIN_HEALTH - CRITICAL_CEILING) / RECOVERY_PER_HOUR.Role4) * 10);

/**
 * The least end of a stay at Role 4 of a patient recovering there while its cause still holds it
 * critical (`criticalUntil`): it stays in intensive care until its health has risen past the ceiling,
 * rather than ending its record there still critical where it would have gone back to duty, weeks on
 * (fix 0389); else 0. Role 2 and 3 evacuate it onward as before.
 */
function stillCriticalUntil(s: CourseState, role: number): number {
  return role === ROLE4 && s.controlled && s.h <= CRITICAL_CEILING && s.t < s.criticalUntil
    ? s.criticalUntil + PAST_THE_CEILING
    : 0;
}

function end(
  log: CourseLog | null,
  role: number,
  t: number,
  timing: 'at_facility' | 'during_transit' | 'waiting',
): LegOutcome {
  log?.death(role, t, timing);
  return LEG.died;
}

/** Waits `w` tenths before admission (a full facility); returns the tenth of death, or -1. */
export function waitFor(s: CourseState, settings: CourseSettings, w: number): number {
  return advance(s, settings, s.t + w);
}
