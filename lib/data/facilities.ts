/** The chain of care, point of injury to Role 4, and its default rates and times. */

export const FACILITIES = ['POI', 'Role1', 'Role2', 'Role3', 'Role4'] as const;
export type Facility = (typeof FACILITIES)[number];

export const FACILITY_NAMES: Record<Facility, string> = {
  POI: 'Point of Injury',
  Role1: 'Role 1 (battalion aid station)',
  Role2: 'Role 2 (forward surgical care)',
  Role3: 'Role 3 (field hospital)',
  Role4: 'Role 4 (definitive care)',
};

export const TRIAGE_CATEGORIES = ['T1', 'T2', 'T3'] as const;
export type Triage = (typeof TRIAGE_CATEGORIES)[number];

export interface FacilityRates {
  readonly kia: number;
  readonly rtd: number;
}

/**
 * Base rates per echelon: the probability that a casualty who reaches it dies there (KIA at POI, DOW
 * after) or returns to duty from it, before triage and injury-type modifiers. POI and Role1-4 values
 * follow the original's simulation_parameters.json for POI and RTD; the Role 1-4 death rates are lower
 * so that died-of-wounds stays a fraction of killed-in-action, as in every modern conflict
 * (memory/decisions/0004-outcome-calibration.md).
 */
export const DEFAULT_FACILITY_RATES: Record<Facility, FacilityRates> = {
  POI: { kia: 0.15, rtd: 0.2 },
  Role1: { kia: 0.02, rtd: 0.25 },
  Role2: { kia: 0.02, rtd: 0.35 },
  Role3: { kia: 0.01, rtd: 0.45 },
  Role4: { kia: 0.005, rtd: 0.7 },
};

/** Triage multipliers on the base rates. Immediate (T1) casualties die more and return to duty less. */
export const TRIAGE_KIA_MODIFIER: Record<Triage, number> = { T1: 1.5, T2: 0.6, T3: 0.15 };
export const TRIAGE_RTD_MODIFIER: Record<Triage, number> = { T1: 0.5, T2: 1.0, T3: 1.2 };

/**
 * Echelons from which an ill casualty of a triage category can return to duty (an immediate one needs
 * a hospital first; Role 1's primary care treats a delayed illness).
 */
export const RTD_FROM: Record<Triage, ReadonlySet<Facility>> = {
  T1: new Set<Facility>(['Role2', 'Role3', 'Role4']),
  T2: new Set<Facility>(['Role1', 'Role2', 'Role3', 'Role4']),
  T3: new Set<Facility>(['POI', 'Role1', 'Role2', 'Role3', 'Role4']),
};

/**
 * The same for a wounded casualty (battle or not): a delayed (T2) wound needs surgery, which Role 1
 * does not give, so it returns to duty from Role 2 on; only a minimal one (T3) from the point of
 * injury or Role 1 (memory/fixes/0246-delayed-casualties-returned-to-duty-from-role-1.md). A heat or
 * cold injury is no wound and keeps RTD_FROM
 * (memory/fixes/0359-heat-and-cold-injuries-sent-on-as-wounds.md).
 */
export const INJURY_RTD_FROM: Record<Triage, ReadonlySet<Facility>> = { ...RTD_FROM, T2: RTD_FROM.T1 };

/** Share of a facility's adjusted KIA probability that applies during the transit leaving it. */
export const TRANSIT_KIA_FACTOR = 0.3;

/** Probability that an immediate casualty at Role 1 is flown straight to Role 3 (bypassing Role 2). */
export const ROLE2_BYPASS_T1 = 0.15;

export type HourRange = readonly [number, number];

/**
 * Dwell (evacuation wait) at each echelon in hours, uniform ranges (original HEAD table), except the
 * immediate (T1) casualty's POI and Role 1 dwell and first two transits, which follow NATO's 10-1-2
 * timelines (Role 1 within an hour, surgery within two; memory/reference/medical-model-sources.md).
 */
export const DWELL_HOURS: Record<Facility, Record<Triage, HourRange>> = {
  POI: { T1: [0.1, 0.4], T2: [2, 5], T3: [3, 8] },
  Role1: { T1: [0.2, 0.6], T2: [8, 16], T3: [12, 16] },
  Role2: { T1: [1, 3], T2: [5, 12], T3: [8, 12] },
  Role3: { T1: [2, 6], T2: [4, 12], T3: [6, 12] },
  Role4: { T1: [6, 12], T2: [12, 24], T3: [12, 24] },
};

/**
 * Role 1's dwell for a delayed (T2) wound, in place of DWELL_HOURS' 8-16 h, which an illness's primary
 * care at Role 1 keeps, and a heat or cold injury's (fix 0359): its surgery is at Role 2, so it leaves
 * at priority precedence, evacuated within 4 hours of the request (ATP 4-02.2 and STANAG 3204,
 * "Priority"), not the next day
 * (memory/fixes/0287-delayed-injuries-held-at-role-1-for-half-a-day.md).
 */
export const DELAYED_INJURY_ROLE1_DWELL_HOURS: HourRange = [1, 4];

/**
 * Time to become fit for duty in a bed, in hours, uniform ranges: how long a casualty who returns to
 * duty from Role 2-4 is held there after its dwell, when the scenario sets an evacuation policy. Role 2
 * holds for days, Role 3 for up to two weeks, Role 4 (out of theatre) for weeks; Role 1 returns its
 * casualties to their unit at the end of its dwell. A planning assumption of this project, not a
 * published table (memory/decisions/0934-evacuation-policy.md).
 */
export const FIT_FOR_DUTY_HOURS: Record<'Role2' | 'Role3' | 'Role4', Record<Triage, HourRange>> = {
  Role2: { T1: [48, 120], T2: [24, 96], T3: [12, 48] },
  Role3: { T1: [120, 336], T2: [72, 240], T3: [24, 96] },
  Role4: { T1: [336, 1344], T2: [168, 672], T3: [72, 336] },
};

/**
 * Time to become fit for duty at Role 4 after a major operation for a wound (a laparotomy, an
 * amputation, a brain operation, a fracture's fixation) or a severe injury (fix 0371): the wounds of
 * `majorSurgery` in lib/generation/course.ts, in hours after its dwell there, whatever its triage on
 * arrival and with or without an evacuation policy: 6 to 26 weeks, from a laparotomy's six weeks of
 * convalescence to the months a fixed long bone takes to unite. An illness operated on (an appendix
 * out), or severe (fix 0374), heals at its severity's pace instead (fix 0318). A planning assumption of this project, like FIT_FOR_DUTY_HOURS
 * (memory/fixes/0312-home-on-duty-days-after-major-surgery.md).
 */
export const FIT_AFTER_MAJOR_OPERATION_HOURS: HourRange = [1008, 4368];

/**
 * Time to become fit for duty at Role 4 for a fracture of moderate severity or worse that no major
 * operation fixes (a rib's, a vertebra's: the course's `fractureHealing`), in hours after its dwell
 * there, whatever its triage and with or without an evacuation policy: 6 to 12 weeks, the time an
 * adult's fracture takes to consolidate (Perkins' timetable: 6 weeks for the upper limb, twice that for
 * the lower). A planning assumption of this project, like FIT_AFTER_MAJOR_OPERATION_HOURS
 * (memory/fixes/0336-moderate-fractures-back-on-duty-in-days.md).
 */
export const FIT_AFTER_FRACTURE_HOURS: HourRange = [1008, 2016];

/**
 * How long Role 4 keeps that casualty in hospital after its dwell, in hours: 2 to 6 weeks, past its
 * delayed operations (a war fracture's internal fixation by day 10) and its first rehabilitation.
 * It is then discharged to convalesce out of hospital, freeing its bed, and returns to duty when fit
 * (FIT_AFTER_MAJOR_OPERATION_HOURS, from 6 weeks). A planning assumption of this project
 * (memory/fixes/0319-role-4-beds-held-through-convalescence.md).
 */
export const HOSPITAL_STAY_AFTER_MAJOR_OPERATION_HOURS: HourRange = [336, 1008];

/**
 * How long Role 4 keeps any other casualty it holds until fit (a wound without a major operation, an
 * illness) in hospital after its dwell, in hours, by the triage its time to become fit is drawn for:
 * a severe one 1 to 3 weeks, a moderate one 3 to 10 days, a mild one 2 to 5 days, each shorter than
 * the stay after a major operation. A casualty not fit by then is discharged to convalesce out of
 * hospital, freeing its bed, and returns to duty when fit (FIT_FOR_DUTY_HOURS' Role 4 row). A planning
 * assumption of this project (memory/fixes/0322-role-4-kept-minor-wounds-longer-than-laparotomies.md).
 */
export const HOSPITAL_STAY_HOURS: Record<Triage, HourRange> = {
  T1: [168, 504],
  T2: [72, 240],
  T3: [48, 120],
};

/**
 * Role 4 discharges no casualty to convalesce before this hour after its injury: by then a war wound is
 * closed (DELAYED_PRIMARY_CLOSURE_HOURS in clinical-codes.ts, by hour 120) and a deep burn grafted
 * (GRAFT_HOURS, by hour 96), both given only while the casualty is in hospital.
 */
export const NO_DISCHARGE_BEFORE_HOURS = 120;

/** Transit from one echelon to the next in hours, uniform ranges (original HEAD table). */
export const TRANSIT_HOURS: Record<'POI' | 'Role1' | 'Role2' | 'Role3', Record<Triage, HourRange>> = {
  POI: { T1: [0.2, 0.6], T2: [1, 3], T3: [1.5, 3] },
  Role1: { T1: [0.3, 0.8], T2: [2, 4], T3: [3, 5] },
  Role2: { T1: [2, 4], T2: [3, 5], T3: [4, 6] },
  Role3: { T1: [1, 3], T2: [2, 4], T3: [3, 5] },
};

/** Transit when Role 2 is bypassed (Role 1 straight to Role 3, by air). */
export const BYPASS_TRANSIT_HOURS: Record<Triage, HourRange> = { T1: [0.6, 1.4], T2: [2, 4], T3: [3, 5] };
