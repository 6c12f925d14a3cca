/**
 * The treatments of a patient's course: each condition's protocol at each stop, the steps its state calls
 * for (lib/data/clinical-codes.ts), put in the order and at the moments care gives them, and the
 * tetanus check of its first care.
 */
import {
  AFTER_MARCH,
  BLEEDING_INJURY_CARE,
  BLOOD_PRODUCTS,
  type BodyPart,
  BRAIN_OPERATIONS,
  BREATHING_TRIAL_MINUTES,
  bleedsFromLimb,
  CHEST_XRAY_ON_SIGNS,
  CLOSED_FRACTURE,
  COMPUTED_TOMOGRAPHY,
  CONDITION_BY_CODE,
  CONDITIONS,
  type Coding,
  CRITICAL_CARE,
  DEFERRED_IN_WAR,
  DELAYED_PRIMARY_CLOSURE_HOURS,
  DIAGNOSTIC_IMAGING,
  DRAINED_CHEST,
  EXPLORED_FROM_SEVERITY,
  FACILITIES,
  type Facility,
  FLUIDS_AT_FIRST_CARE,
  FLUIDS_FROM_SEVERITY,
  GRAFT_HOURS,
  graftedBeforeDuty,
  hurts,
  ILLNESS_IV_FROM_SEVERITY,
  INTRAVENOUS_PROCEDURES,
  INTUBATE_AT_GCS,
  type InjuryType,
  inHaemorrhagicShock,
  injuresBrain,
  MARCH_RANK,
  MECHANISMS,
  NO_OPEN_WOUND,
  OPERATIONS,
  OXYGEN_BELOW_SPO2,
  OXYGENATING_PROCEDURES,
  PAIN_RELIEF,
  PRIMARY_CLOSURE,
  PROCEDURE_FOR_PRIMARY_WOUND,
  PROCEDURE_LASTING,
  PROCEDURE_MIN_SEVERITY,
  PROCEDURE_SITES,
  PROCEDURE_WITH,
  PROCEDURES,
  PROTOCOLS,
  type ProcedureKey,
  RECOVERY_PER_HOUR,
  REHABILITATION,
  RELOOK_ONLY,
  SECOND_LIMB_WOUND_CONTROL,
  SHOCK_TRANSFUSION,
  SNOMED,
  suggestsPneumonia,
  T2_BELOW,
  TARGET_SPO2_FLOOR,
  TRANSFUSE_FROM_SEVERITY,
  TRAUMA_CARE,
  type Triage,
  UNCOUNTED_FROM_SEVERITY,
  UNNAMED_OPERATION,
  WAR_INTERNAL_FIXATION_HOURS,
  WOUND_DRESSINGS,
  xrayedBeforeDuty,
} from '../data/index.js';
import { shownHealth } from './course.js';
import { isoSeconds as iso, TENTH_MS } from './iso-time.js';
import type { TetanusCheck } from './medications.js';
import type { Flow, Stop } from './patient-flow.js';
import type { PatientCondition, Treatment, VitalSigns } from './patient-record.js';
import type { Rng } from './rng.js';
import { breathingFails, onVentilatorOnAdmission } from './vital-signs.js';

/** Protocol steps an echelon gives a condition, by triage (UNCOUNTED_FROM_SEVERITY's apart). */
const TREATMENTS_PER_FACILITY: Record<Triage, number> = { T1: 3, T2: 2, T3: 1 };
/** A wound's bleeding, or a closed fracture's inside the body (fix 0344). */
const BLEEDING_CODE = '131148009';

/** One treatment of a protocol at an echelon, resolved once from the tables (no keyed lookups per patient). */
interface TreatmentStep {
  readonly key: ProcedureKey;
  readonly code: string;
  readonly name: string;
  /** Body parts it applies to; undefined: any. */
  readonly sites: readonly BodyPart[] | undefined;
  /** The condition's lowest severity it is given for (PROCEDURE_MIN_SEVERITY: oxygen, critical care). */
  readonly minSeverity: number;
  /** A blood product: only in haemorrhagic shock or for a severe condition (BLOOD_PRODUCTS). */
  readonly blood: boolean;
  /** A step given with it, at the same moment (PROCEDURE_WITH: plasma with red cells); undefined: none. */
  readonly with: TreatmentStep | undefined;
  /** As a companion, given once in the course, not once per stop (PROCEDURE_LASTING: a tube). */
  readonly lasting: boolean;
  /** Only on the primary condition (PROCEDURE_FOR_PRIMARY_WOUND: a tourniquet). */
  readonly primaryOnly: boolean;
  /** Only for a patient admitted below T2_BELOW health (CRITICAL_CARE: intensive care). */
  readonly critical: boolean;
  /** Only for a patient whose condition `hurts` (PAIN_RELIEF: pain management). */
  readonly forPain: boolean;
  /** One of OPERATIONS; `unnamed`: UNNAMED_OPERATION, skipped where a named one was done on the part. */
  readonly operation: boolean;
  readonly unnamed: boolean;
  /**
   * Delivers oxygen (OXYGENATING_PROCEDURES): as a protocol's step, not for a patient on a ventilator
   * nor one saturating at TARGET_SPO2_FLOOR or more (fixes 0263, 0265).
   */
  readonly oxygenates: boolean;
  /** The window it waits for, tenths of an hour after the injury (`waitingStep`); undefined: none. */
  readonly wait: readonly [number, number] | undefined;
  /**
   * Left to the patient's state for a battle injury (DEFERRED_IN_WAR): a suture, an internal fixation
   * (fixes 0298, 0304).
   */
  readonly deferredInWar: boolean;
  /** An operation on the brain (BRAIN_OPERATIONS): one a stop (fix 0302). */
  readonly brain: boolean;
  /** Opens a part operated on before only as a relook of damage control (RELOOK_ONLY, fix 0306). */
  readonly relookOnly: boolean;
  /** Rehabilitation (REHABILITATION): once no longer critical and off the ventilator (fix 0326). */
  readonly rehabilitative: boolean;
  /** Sutures a wound (PRIMARY_CLOSURE): a wound closed is not closed again (fix 0337). */
  readonly closure: boolean;
  /** Dresses a wound (WOUND_DRESSINGS): once a stop for its part of the body (fix 0354). */
  readonly dresses: boolean;
  /** The condition's severity from which the echelon's count of steps does not stop it (UNCOUNTED_FROM_SEVERITY). */
  readonly uncountedFrom: number;
}

/** A procedure as a step of planTreatments, with its rules from lib/data. */
function treatmentStep(key: ProcedureKey): TreatmentStep {
  return {
    key,
    code: PROCEDURES[key].code,
    name: PROCEDURES[key].name,
    sites: PROCEDURE_SITES[key],
    minSeverity: PROCEDURE_MIN_SEVERITY[key] ?? 0,
    blood: BLOOD_PRODUCTS.has(key),
    with: PROCEDURE_WITH[key] === undefined ? undefined : treatmentStep(PROCEDURE_WITH[key]),
    lasting: PROCEDURE_LASTING.has(key),
    primaryOnly: PROCEDURE_FOR_PRIMARY_WOUND.has(key),
    critical: CRITICAL_CARE.has(key),
    forPain: PAIN_RELIEF.has(key),
    operation: OPERATIONS.includes(key),
    unnamed: key === UNNAMED_OPERATION,
    oxygenates: OXYGENATING_PROCEDURES.has(key),
    wait: undefined,
    deferredInWar: DEFERRED_IN_WAR.has(key),
    brain: BRAIN_OPERATIONS.has(key),
    relookOnly: RELOOK_ONLY.has(key),
    rehabilitative: REHABILITATION.has(key),
    closure: PRIMARY_CLOSURE.has(key),
    dresses: WOUND_DRESSINGS.has(key),
    uncountedFrom: UNCOUNTED_FROM_SEVERITY[key] ?? Number.POSITIVE_INFINITY,
  };
}

/** PROTOCOLS as steps, by care protocol and echelon index. */
const TREATMENT_STEPS = new Map<string, readonly (readonly TreatmentStep[])[]>(
  Object.entries(PROTOCOLS).map(([care, protocol]) => [
    care,
    FACILITIES.map((facility) => protocol[facility].map(treatmentStep)),
  ]),
);

/** An intravenous step as an illness's: for a moderate illness or worse (ILLNESS_IV_FROM_SEVERITY, fix 0286). */
function asIllnessStep(step: TreatmentStep): TreatmentStep {
  return INTRAVENOUS_PROCEDURES.has(step.key)
    ? { ...step, minSeverity: Math.max(step.minSeverity, ILLNESS_IV_FROM_SEVERITY) }
    : step;
}

/**
 * Each condition's steps, by echelon index: its protocol's, less those it is withheld, an illness's
 * intravenous ones only from ILLNESS_IV_FROM_SEVERITY.
 */
const CONDITION_STEPS = new Map<string, readonly (readonly TreatmentStep[])[]>(
  CONDITIONS.map((c) => {
    const withheld = c.withhold ?? [];
    const illness = !TRAUMA_CARE.has(c.care);
    const steps = TREATMENT_STEPS.get(c.care)!.map((at) =>
      at.filter((step) => !withheld.includes(step.key)).map((step) => (illness ? asIllnessStep(step) : step)),
    );
    return [c.code, steps];
  }),
);

/** A patient's own withholds from a condition's steps (bits of `patientSteps`). */
const CLOSED = 1;
const BLEEDS_INSIDE = 2;
const NO_WHOLE_BODY_SCAN = 4;
const NO_ROLE2_OPERATION = 8;
/** CONDITION_STEPS less a patient's withholds, by code and withholds, built once each. */
const PATIENT_STEPS = new Map<string, (readonly (readonly TreatmentStep[])[])[]>();

/**
 * The steps of `condition` for this patient: its condition's (CONDITION_STEPS) less what the patient
 * itself withholds. A non-battle fracture is closed, a femur's as much as an ankle's (CLOSED_FRACTURE,
 * fix 0343), and its bleeding where it broke a bone is inside the body (NO_OPEN_WOUND, fix 0344); a
 * whole-body CT is for major trauma only (`scansWholeBody`, fix 0342); a wound of the brain is operated
 * on at Role 3, after its CT, by the neurosurgeon, not at Role 2, which has neither (fix 0341).
 */
function patientSteps(
  condition: PatientCondition,
  conditions: readonly PatientCondition[],
  battle: boolean,
  wholeBodyScan: boolean,
): readonly (readonly TreatmentStep[])[] {
  const def = CONDITION_BY_CODE.get(condition.code)!;
  const withheld =
    (!battle && def.fracture === true && def.care === 'fracture' ? CLOSED : 0) |
    (!battle &&
    condition.code === BLEEDING_CODE &&
    conditions.some(
      (o) => o.body_part === condition.body_part && CONDITION_BY_CODE.get(o.code)!.fracture === true,
    )
      ? BLEEDS_INSIDE
      : 0) |
    (wholeBodyScan ? 0 : NO_WHOLE_BODY_SCAN) |
    (injuresBrain(condition.code, condition.body_part, condition.severity) ? NO_ROLE2_OPERATION : 0);
  const steps = CONDITION_STEPS.get(condition.code)!;
  if (withheld === 0) return steps;
  let byWithheld = PATIENT_STEPS.get(condition.code);
  if (byWithheld === undefined) {
    byWithheld = [];
    PATIENT_STEPS.set(condition.code, byWithheld);
  }
  byWithheld[withheld] ??= steps.map((at, role) =>
    at.filter(
      (step) =>
        !(withheld & CLOSED && CLOSED_FRACTURE.includes(step.key)) &&
        !(withheld & BLEEDS_INSIDE && NO_OPEN_WOUND.includes(step.key)) &&
        !(withheld & NO_WHOLE_BODY_SCAN && step.key === 'ctWholeBody') &&
        !(withheld & NO_ROLE2_OPERATION && role === 2 && step.unnamed),
    ),
  );
  return byWithheld[withheld];
}

// The steps the patient's state calls for (the c = -1 pass of planTreatments, which skips their
// severity floor: they are for the patient, not for a condition).
const INTUBATION = treatmentStep('endotrachealTube');
const VENTILATION = treatmentStep('ventilation');
const OXYGEN = treatmentStep('oxygen');
const IV_FLUIDS = treatmentStep('ivFluids');
const CT_HEAD = treatmentStep('ctHead');
/** A tension pneumothorax's needle decompression at the point of injury (fix 0333). */
const DECOMPRESSION = PROCEDURES.needleDecompression;
/** A fracture's X-ray where nothing imaged it before (fix 0328). */
const XRAY = treatmentStep('xray');
const CHEST_DRAIN = treatmentStep('chestDrain');
const PELVIC_SLING = treatmentStep('pelvicSling');
/** `key` as a step that waits: given at an hour drawn in `hours` after the injury, or on arrival if later. */
function waitingStep(key: ProcedureKey, hours: readonly [number, number]): TreatmentStep {
  return { ...treatmentStep(key), wait: [hours[0] * 10, hours[1] * 10] };
}
/**
 * A waiting step due within this long (tenths) of the admission is given in the stop's sequence, at its hour: the
 * operations of an admission are those of its first 12 hours (fix 0313).
 */
const WITH_ADMISSION_TENTHS = 120;
/** A deep burn's graft (fix 0295), a war wound's delayed primary closure (fix 0298) and a war fracture's internal fixation (fix 0304), days after the injury. */
const SKIN_GRAFT = waitingStep('skinGraft', GRAFT_HOURS);
const DELAYED_CLOSURE = waitingStep('sutureClosure', DELAYED_PRIMARY_CLOSURE_HOURS);
const WAR_FIXATION = waitingStep('orif', WAR_INTERNAL_FIXATION_HOURS);
/** How long an operation that can wait waits after an admission in haemorrhagic shock (tenths: a day). */
const RESUSCITATION_TENTHS = 240;
/**
 * A waiting step due no sooner than RESUSCITATION_TENTHS after `arrival`: a bone is not fixed
 * internally on an admission in haemorrhagic shock (memory/fixes/0350-fixed-internally-at-role-4-in-shock.md).
 */
function afterResuscitation(step: TreatmentStep, arrival: number): TreatmentStep {
  const from = arrival + RESUSCITATION_TENTHS;
  const [lo, hi] = step.wait!;
  return { ...step, wait: [Math.max(lo, from), Math.max(hi, from)] };
}
/** The codes of the conditions whose own steps (CONDITION_STEPS) give `key` at `facility`. */
function conditionsGiving(key: ProcedureKey, facility: Facility): ReadonlySet<string> {
  const at = FACILITIES.indexOf(facility);
  return new Set(
    [...CONDITION_STEPS].filter(([, steps]) => steps[at].some((s) => s.key === key)).map(([code]) => code),
  );
}
/** A broken pelvis: the conditions bound at the point of injury. */
const BOUND_PELVIS = conditionsGiving('pelvicSling', 'POI');
/** Broken bones the point of injury splints, and broken spines it immobilises (fix 0334). */
const SPLINTED = conditionsGiving('boneImmobilization', 'POI');
const SPINE_IMMOBILISED: ReadonlySet<string> = new Set(
  [...conditionsGiving('cSpine', 'POI')].filter((code) => CONDITION_BY_CODE.get(code)!.care === 'spine'),
);
const SPLINT = treatmentStep('boneImmobilization');
const SPINE_IMMOBILISATION = treatmentStep('cSpine');
const DECOMPRESSED = conditionsGiving('needleDecompression', 'POI');
/** Traumatic amputations: the conditions whose protocol amputates at Role 2. */
const AMPUTATED: ReadonlySet<string> = new Set([
  ...conditionsGiving('limbAmputation', 'Role2'),
  ...conditionsGiving('lowerLimbAmputation', 'Role2'),
]);
/** The surgical amputations, an arm's and a leg's (PROCEDURE_SITES, fix 0280). */
const AMPUTATIONS: readonly TreatmentStep[] = [
  treatmentStep('limbAmputation'),
  treatmentStep('lowerLimbAmputation'),
];
/** Fractures a protocol fixes internally at Role 3, and those it fixes externally at Role 2. */
const FIXED_FRACTURES = conditionsGiving('orif', 'Role3');
const EXTERNALLY_FIXED = conditionsGiving('externalFixation', 'Role2');
const EXTERNAL_FIXATION = treatmentStep('externalFixation');
/** Wounds a protocol operates on at Role 2 (UNNAMED_OPERATION), and that operation as the state's at Role 3. */
const OPERATED_AT_ROLE2 = conditionsGiving(UNNAMED_OPERATION, 'Role2');
const WOUND_OPERATION = treatmentStep(UNNAMED_OPERATION);
/** Wounds a protocol explores by laparotomy at Role 2 (on the abdomen or pelvis: its sites), and that laparotomy. */
const EXPLORED = conditionsGiving('exploratoryLaparotomy', 'Role2');
const EXPLORATORY_LAPAROTOMY = treatmentStep('exploratoryLaparotomy');
/** Wounds a protocol sutures (a laceration at Role 1, a bleeding wound at Role 3). */
const SUTURED_WOUNDS: ReadonlySet<string> = new Set([
  ...conditionsGiving('sutureWound', 'Role1'),
  ...conditionsGiving('sutureClosure', 'Role3'),
]);
const FLUID_RESUSCITATION = treatmentStep('fluidResuscitation');
const WEANING = treatmentStep('weaning');
/** BREATHING_TRIAL_MINUTES in tenths of an hour. */
const BREATHING_TRIAL_TENTHS = [BREATHING_TRIAL_MINUTES[0] / 6, BREATHING_TRIAL_MINUTES[1] / 6] as const;
/**
 * The weaning of a patient admitted on a ventilator and no longer critical: after its breathing trial,
 * drawn from the admission, and only if the stay lasts that long (memory/fixes/0395-minimal-on-a-ventilator.md).
 */
function weaningAfterTrial(arrival: number): TreatmentStep {
  return { ...WEANING, wait: [arrival + BREATHING_TRIAL_TENTHS[0], arrival + BREATHING_TRIAL_TENTHS[1]] };
}
const ICU_ADMISSION = treatmentStep('icuAdmission');
const TOURNIQUET = treatmentStep('tourniquet');
const SECOND_WOUND_CONTROL = treatmentStep(SECOND_LIMB_WOUND_CONTROL);
/**
 * A ventilated patient stays on the ventilator, which gives its oxygen, until weaned: at the first
 * later admission no longer critical (health T2_BELOW or more) and better than the one before, or
 * at its last stop before a return to duty or remaining at Role 4 recovered, once no longer critical
 * there and at the latest this long before the end where the stay allows (memory/fixes/0263, 0285).
 */
const WEAN_BEFORE_DUTY_TENTHS = 240;
/**
 * A patient weaned before a transfer comes off the ventilator at least this long before it leaves:
 * its breathing is watched in intensive care before the journey, where a tube is hard to put back
 * (memory/fixes/0324-flown-on-a-ventilator-after-recovering.md).
 */
const WEAN_BEFORE_TRANSFER_TENTHS = 20;
/** SHOCK_TRANSFUSION as steps, by echelon index (none at the point of injury). */
const TRANSFUSION_FOR_SHOCK: readonly (readonly TreatmentStep[])[] = FACILITIES.map((facility) =>
  facility in SHOCK_TRANSFUSION
    ? SHOCK_TRANSFUSION[facility as keyof typeof SHOCK_TRANSFUSION].map(treatmentStep)
    : [],
);
/** The state's steps at the current stop (generation is synchronous: one patient at a time). */
const byState: TreatmentStep[] = [];
/** The steps given at the current stop (PROCEDURE_WITH brings its step once per stop). */
const givenHere: ProcedureKey[] = [];
/** The body parts a named operation was done on at the current stop (UNNAMED_OPERATION, fix 0281). */
const operatedHere: BodyPart[] = [];
/** Whether a named operation was done at the current stop on `part` (on any, for a systemic condition: its shock's source). */
function operatedOn(part: BodyPart): boolean {
  return part === 'Systemic' ? operatedHere.length > 0 : operatedHere.includes(part);
}
/** The body parts dressed at the current stop, by a pressure dressing or a plain one (fix 0354). */
const dressedHere: BodyPart[] = [];
/** Rehabilitation steps of the current stop waiting for its recovery (fix 0326). */
const deferredHere: TreatmentStep[] = [];
/** The body parts unnamed operations were done on at the current stop. */
const unnamedHere: BodyPart[] = [];
/** Where in the record the current stop's unnamed operation is (-1: none); the parts it is for are `unnamedHere`. */
let unnamedAt = -1;

/**
 * What the patient's state calls for before any protocol step. At the point of injury, massive
 * haemorrhage first: with a second limb wound that bleeds (`secondLimbBleeds`), its pressure dressing
 * and the primary's tourniquet if it has one (SECOND_LIMB_WOUND_CONTROL, fix 0271), and a broken
 * pelvis's binder (`brokenPelvis`, fix 0292). From Role 1, what
 * the admission's vital signs call for, in ABC order: a definitive
 * airway at GCS 8 or less from Role 1 to 3 (INTUBATE_AT_GCS), the intubated ventilated from Role 2
 * on (where the vetted ventilation code applies), and at Role 2-3 a breath that oxygen given before
 * did not keep above OXYGEN_BELOW_SPO2, oxygen at SpO2 below 94 % from Role 1 on
 * (TARGET_SPO2_FLOOR, fix 0396) unless one of OXYGENATING_PROCEDURES runs, blood for an injury that bleeds in
 * haemorrhagic shock at Role 1-4 (SHOCK_TRANSFUSION, at each such admission: fixes 0284, 0362), a chest drain
 * for air or blood in the chest (`airInChest`) at its first care to Role 3 (fix 0291), fluids by vein
 * for a `fluidsAtFirstCare` patient (a burn of FLUIDS_FROM_SEVERITY or more, sepsis or crush syndrome)
 * at its first care, Role 1-4, that gave none (fixes 0288, 0338, 0366), weaning for a patient on a ventilator admitted `weanable`, at Role 4 a deep
 * burn's graft, at its drawn hour (`deepBurn`, GRAFT_HOURS, fix 0295), at Role 3-4 a war
 * wound's delayed primary closure (`warWound`, fix 0298), at Role 4 a war fracture's internal fixation
 * (`warFracture`, fix 0304), and at the first of Role 2-3 a traumatic amputation's surgical amputation,
 * a war fracture's external fixator and an abdominal wound's laparotomy (`theatreOperations`, fixes
 * 0301, 0304, 0310). Fixes 0233, 0235,
 * 0255, 0258, 0263.
 */
function stateSteps(
  role: number,
  vitals: VitalSigns,
  applied: readonly ProcedureKey[],
  bleedingOut: boolean,
  weanable: boolean,
  needs: StateNeeds,
  openedBefore: readonly BodyPart[],
  fixation: FixationHold,
  arrival: number,
): readonly TreatmentStep[] {
  const {
    limbBleeding,
    primaryTourniquet,
    brokenPelvis,
    airInChest,
    fluidsAtFirstCare,
    deepBurn,
    warWound,
    warFracture,
    theatreOperations,
  } = needs;
  byState.length = 0;
  if (role === 0) {
    // A broken pelvis bleeds where no tourniquet reaches: its binder, whichever wound is primary, after
    // the primary limb's tourniquet (fix 0292).
    const binder = brokenPelvis && !applied.includes('pelvicSling');
    if (limbBleeding === 'second-and-tourniquet' || (binder && primaryTourniquet)) byState.push(TOURNIQUET);
    if (limbBleeding !== 'primary-alone') byState.push(SECOND_WOUND_CONTROL);
    if (binder) byState.push(PELVIC_SLING);
    return byState;
  }
  const weaningNow = weanable && onVentilator(applied);
  // Its breathing trial before the weaning is watched in intensive care at Role 3 or 4 (fixes 0293, 0395).
  if (weaningNow && role >= 3) byState.push(ICU_ADMISSION);
  if (weaningNow) byState.push(weaningAfterTrial(arrival));
  let intubated = applied.includes('endotrachealTube');
  let tubeStays = tubeIn(applied) && !weaningNow;
  let oxygenated = applied.some((key) => OXYGENATING_PROCEDURES.has(key));
  if (!intubated && role <= 3 && vitals.gcs <= INTUBATE_AT_GCS) {
    // At Role 1, oxygen before the tube (pre-oxygenation), not through a mask after it (fix 0290);
    // from Role 2 the ventilator that comes with the tube gives it.
    if (role === 1 && !oxygenated && vitals.spo2 < TARGET_SPO2_FLOOR) {
      byState.push(OXYGEN);
      oxygenated = true;
    }
    byState.push(INTUBATION);
    intubated = true;
    tubeStays = true;
  }
  // Ventilated from Role 2 on: the intubated, and at Role 2-3 a failing breath, hypoxaemic although
  // oxygen was given before (the ventilation brings its tube, PROCEDURE_WITH; fix 0258).
  const failingBreath = role <= 3 && oxygenated && vitals.spo2 < OXYGEN_BELOW_SPO2;
  if ((intubated || failingBreath) && role >= 2 && !applied.includes('ventilation')) {
    byState.push(VENTILATION);
    oxygenated = true;
    tubeStays = true;
  }
  // A patient kept on a tube at Role 3 or 4 is in intensive care there, however well it reads
  // (memory/fixes/0293-ventilated-outside-intensive-care.md).
  if (tubeStays && role >= 3) byState.push(ICU_ADMISSION);
  if (!oxygenated && vitals.spo2 < TARGET_SPO2_FLOOR) byState.push(OXYGEN);
  // Breathing before circulation: air or blood in the chest is drained at the first care (fix 0291).
  if (airInChest && role <= 3 && !applied.includes('chestDrain')) byState.push(CHEST_DRAIN);
  // A burn's fluids, a septic or crushed patient's, with their line, before any blood, which runs
  // through that line; at Role 4 too when every echelon before was full and diverted it (fix 0366).
  if (fluidsAtFirstCare && !applied.includes('ivFluids') && !applied.includes('fluidResuscitation'))
    byState.push(role === 1 ? IV_FLUIDS : FLUID_RESUSCITATION);
  if (bleedingOut) for (const step of TRANSFUSION_FOR_SHOCK[role]) byState.push(step);
  // A deep burn is grafted at the burn centre, days after the injury (fix 0295); a war wound is closed
  // four to five days after it, where the casualty then is (fix 0298).
  if (deepBurn && role === 4 && !applied.includes('skinGraft')) byState.push(SKIN_GRAFT);
  if (warWound && role >= 3 && !applied.includes('sutureClosure')) byState.push(DELAYED_CLOSURE);
  // A war fracture is fixed internally at Role 4 only, days after the injury (fix 0304), and so is one
  // held by an external fixator in shock (fix 0329); one admitted there in shock waits a day more, until
  // it is resuscitated (fix 0350).
  if ((warFracture || fixation === 'held') && role === 4 && !applied.includes('orif'))
    byState.push(inHaemorrhagicShock(vitals) ? afterResuscitation(WAR_FIXATION, arrival) : WAR_FIXATION);
  if (fixation === 'hold-now' && needs.fixatorFracture && !applied.includes('externalFixation'))
    byState.push(EXTERNAL_FIXATION);
  // A traumatic amputation is completed in theatre at the first surgical echelon, Role 2 or 3, after its
  // blood, whichever wound is primary and however many steps the echelon has (fix 0301); a war fracture
  // gets its external fixator there (fix 0304), a wound of the abdomen its laparotomy (fix 0310).
  if (role === 2 || role === 3)
    for (const step of theatreOperations) if (!applied.includes(step.key)) byState.push(step);
  // A wound Role 2 operates on is operated on at Role 3 when it was not at Role 2: flown past it, or
  // past its count of steps (fix 0327).
  if (
    role === 3 &&
    needs.woundParts.length > 0 &&
    !applied.includes(UNNAMED_OPERATION) &&
    needs.woundParts.some((part) => !openedBefore.includes(part))
  )
    byState.push(WOUND_OPERATION);
  return byState;
}

/**
 * Damage control orthopaedics for a fracture its protocol fixes internally at Role 3 (`fixedFracture`,
 * not a war fracture's, which waits for Role 4 anyway): admitted there in haemorrhagic shock, it is
 * held by an external fixator, or its splint if closed (`hold-now`), and fixed internally at Role 4,
 * days later, once the casualty is stable (`held`; fix 0329).
 */
type FixationHold = 'none' | 'hold-now' | 'held';

/**
 * Which limb wounds bleed enough for a tourniquet (`bleedsFromLimb`), as stateSteps needs it: none
 * besides the primary (whose protocol's tourniquet controls it), a second one, or a second one on
 * another limb than the primary's, which has its tourniquet too.
 */
type LimbBleeding = 'primary-alone' | 'second' | 'second-and-tourniquet';

/** What the patient's conditions call for whatever their protocols, read once per patient for stateSteps. */
interface StateNeeds {
  readonly limbBleeding: LimbBleeding;
  /** The primary wound bleeds from a limb enough for a tourniquet (`bleedsFromLimb`). */
  readonly primaryTourniquet: boolean;
  /** A broken pelvis to bind at the point of injury (fix 0292). */
  readonly brokenPelvis: boolean;
  /** Air or blood in the chest to drain at the first care (fix 0291). */
  readonly airInChest: boolean;
  /** A tension pneumothorax to decompress at the point of injury (fix 0333). */
  readonly tensionInChest: boolean;
  /**
   * What the point of injury immobilises once its other steps are done, whichever condition is
   * primary: a broken bone's splint, a broken spine's immobilisation (fix 0334).
   */
  readonly immobilise: readonly TreatmentStep[];
  /**
   * A burn of FLUIDS_FROM_SEVERITY or more (fix 0288), or a condition of FLUIDS_AT_FIRST_CARE (sepsis,
   * septic shock, crush syndrome: fix 0338), to get fluids by vein at the first care.
   */
  readonly fluidsAtFirstCare: boolean;
  /**
   * A condition whose steps (its protocol's, less what it and the patient withhold) check tetanus: a
   * wound, an open fracture, a burn, frostbite; its immunity is checked at the first care (fix 0365).
   */
  readonly tetanusProne: boolean;
  /** A burn of GRAFT_FROM_SEVERITY or more, to graft at Role 4 (`graftedBeforeDuty`, fix 0295). */
  readonly deepBurn: boolean;
  /** A battle wound a protocol would suture: left open, closed days later (fix 0298). */
  readonly warWound: boolean;
  /** A battle fracture a protocol would fix internally: fixed at Role 4, days later (fix 0304). */
  readonly warFracture: boolean;
  /**
   * A non-battle fracture its protocol fixes internally at Role 3 (FIXED_FRACTURES), and whether one
   * of them takes an external fixator (EXTERNALLY_FIXED: not a closed fracture, which stays splinted;
   * fix 0329).
   */
  readonly fixedFracture: boolean;
  readonly fixatorFracture: boolean;
  /**
   * The operations its wounds need at the first surgical echelon: the surgical amputations of its
   * traumatic amputations, by limb (fix 0301), a war fracture's external fixator (fix 0304), a wound of
   * the abdomen or pelvis's exploratory laparotomy (EXPLORED_FROM_SEVERITY, fix 0310); and the parts
   * each operates on.
   */
  readonly theatreOperations: readonly TreatmentStep[];
  readonly operatedParts: ReadonlyMap<ProcedureKey, readonly BodyPart[]>;
  /**
   * The parts of the wounds Role 2 operates on (OPERATED_AT_ROLE2) that no named theatre operation is
   * for: operated on at Role 3 if not at Role 2 (UNNAMED_OPERATION, fix 0327).
   */
  readonly woundParts: readonly BodyPart[];
}

function stateNeedsOf(
  conditions: readonly PatientCondition[],
  battle: boolean,
  steps: readonly (readonly (readonly TreatmentStep[])[])[],
): StateNeeds {
  const { theatreOperations, operatedParts } = theatreOperationsOf(conditions, battle);
  return {
    limbBleeding: limbBleedingOf(conditions),
    primaryTourniquet: bleedsFromLimb(conditions[0]),
    brokenPelvis: conditions.some((c) => BOUND_PELVIS.has(c.code)),
    // Air or blood in the chest (a pneumothorax, a haemothorax): drained at the first care.
    airInChest: conditions.some((c) => DRAINED_CHEST.has(c.code)),
    tensionInChest: conditions.some((c) => DECOMPRESSED.has(c.code)),
    immobilise: immobilisationsOf(conditions),
    fluidsAtFirstCare: conditions.some(
      (c) => (c.severity >= FLUIDS_FROM_SEVERITY && isBurn(c)) || FLUIDS_AT_FIRST_CARE.has(c.code),
    ),
    tetanusProne: steps.some((byRole) => byRole.some((at) => at.some((step) => step.key === 'tetanus'))),
    deepBurn: conditions.some((c) =>
      graftedBeforeDuty(CONDITION_BY_CODE.get(c.code)!, c.body_part, c.severity),
    ),
    warWound: battle && conditions.some((c) => SUTURED_WOUNDS.has(c.code)),
    warFracture: battle && conditions.some((c) => FIXED_FRACTURES.has(c.code)),
    fixedFracture: !battle && conditions.some((c) => FIXED_FRACTURES.has(c.code)),
    fixatorFracture:
      !battle && conditions.some((c) => FIXED_FRACTURES.has(c.code) && EXTERNALLY_FIXED.has(c.code)),
    theatreOperations,
    operatedParts,
    woundParts: woundPartsOf(conditions, operatedParts),
  };
}

/** StateNeeds' `immobilise`; most patients share one empty answer. */
function immobilisationsOf(conditions: readonly PatientCondition[]): readonly TreatmentStep[] {
  const splint = conditions.some((c) => SPLINTED.has(c.code));
  const spine = conditions.some((c) => SPINE_IMMOBILISED.has(c.code));
  return splint && spine ? SPLINT_AND_SPINE : splint ? ONLY_SPLINT : spine ? ONLY_SPINE : NO_STEPS;
}
const SPLINT_AND_SPINE: readonly TreatmentStep[] = [SPINE_IMMOBILISATION, SPLINT];
const ONLY_SPLINT: readonly TreatmentStep[] = [SPLINT];
const ONLY_SPINE: readonly TreatmentStep[] = [SPINE_IMMOBILISATION];
const NO_STEPS: readonly TreatmentStep[] = [];

/** StateNeeds' `woundParts`; most patients share one empty answer. */
function woundPartsOf(
  conditions: readonly PatientCondition[],
  named: ReadonlyMap<ProcedureKey, readonly BodyPart[]>,
): readonly BodyPart[] {
  let wounds: BodyPart[] | undefined;
  for (const c of conditions) {
    if (!OPERATED_AT_ROLE2.has(c.code) || wounds?.includes(c.body_part)) continue;
    let covered = false;
    for (const parts of named.values()) covered ||= parts.includes(c.body_part);
    if (!covered) {
      wounds ??= [];
      wounds.push(c.body_part);
    }
  }
  return wounds ?? NO_PARTS;
}
const NO_PARTS: readonly BodyPart[] = [];

/** StateNeeds' `theatreOperations` and `operatedParts`. */
function theatreOperationsOf(
  conditions: readonly PatientCondition[],
  battle: boolean,
): Pick<StateNeeds, 'theatreOperations' | 'operatedParts'> {
  // Most patients need none: they share one empty answer.
  let needs: { theatreOperations: TreatmentStep[]; operatedParts: Map<ProcedureKey, BodyPart[]> } | undefined;
  const add = (step: TreatmentStep, part: BodyPart) => {
    needs ??= { theatreOperations: [], operatedParts: new Map() };
    const parts = needs.operatedParts.get(step.key);
    if (parts === undefined) {
      needs.operatedParts.set(step.key, [part]);
      needs.theatreOperations.push(step);
    } else parts.push(part);
  };
  for (const c of conditions) {
    if (AMPUTATED.has(c.code))
      for (const step of AMPUTATIONS) if (step.sites!.includes(c.body_part)) add(step, c.body_part);
    if (battle && EXTERNALLY_FIXED.has(c.code) && FIXED_FRACTURES.has(c.code))
      add(EXTERNAL_FIXATION, c.body_part);
    if (
      EXPLORED.has(c.code) &&
      c.severity >= EXPLORED_FROM_SEVERITY &&
      EXPLORATORY_LAPAROTOMY.sites!.includes(c.body_part)
    )
      add(EXPLORATORY_LAPAROTOMY, c.body_part);
  }
  return needs ?? NO_THEATRE_OPERATIONS;
}
const NO_THEATRE_OPERATIONS: Pick<StateNeeds, 'theatreOperations' | 'operatedParts'> = {
  theatreOperations: [],
  operatedParts: new Map(),
};

/** A condition of the burn protocol: a burn, or a burn's shock (on no skin: Systemic). */
function isBurn(c: PatientCondition): boolean {
  return CONDITION_BY_CODE.get(c.code)!.care === 'burn';
}

function limbBleedingOf(conditions: readonly PatientCondition[]): LimbBleeding {
  const primary = conditions[0];
  const tourniquet = bleedsFromLimb(primary);
  for (let c = 1; c < conditions.length; c++) {
    const other = conditions[c];
    if (bleedsFromLimb(other) && !(tourniquet && other.body_part === primary.body_part))
      return tourniquet ? 'second-and-tourniquet' : 'second';
  }
  return 'primary-alone';
}

/** A treatment's record entry: the step, where and when (tenths of an hour after the injury). */
function treatmentAt(step: TreatmentStep, facility: Facility, injuryMs: number, t: number): Treatment {
  return {
    code: step.code,
    name: step.name,
    system: SNOMED,
    facility,
    timestamp: iso(injuryMs + t * TENTH_MS),
    hours_since_injury: t / 10,
  };
}

/** A patient's treatments, and where and when its tetanus-prone wound's immunity was checked (fix 0365). */
interface PlannedTreatments {
  readonly treatments: Treatment[];
  readonly tetanusCheck: TetanusCheck | null;
}

export function planTreatments(
  rng: Rng,
  conditions: readonly PatientCondition[],
  type: InjuryType,
  triage: Triage,
  flow: Flow,
  vitals: VitalSigns[],
  injuryMs: number,
  wholeBodyScan: boolean,
  criticalUntil: number,
): PlannedTreatments {
  const applied: ProcedureKey[] = [];
  let tetanusCheck: TetanusCheck | null = null;
  /** An operation was done in haemorrhagic shock: damage control, which a relook follows (fix 0305). */
  let damageControl = false;
  /** The parts operated on at the stops before this one (fix 0306). */
  const openedBefore: BodyPart[] = [];
  const out: Treatment[] = [];
  const perFacility = TREATMENTS_PER_FACILITY[triage];
  const battle = type === 'BATTLE_TRAUMA';
  const protocols = conditions.map((c) => patientSteps(c, conditions, battle, wholeBodyScan));
  // Injured and in shock is haemorrhage until shown otherwise, unless its injuries are burns alone
  // (only an injury has conditions of a trauma protocol: TRAUMA_CARE).
  const bleedingParts = conditions
    .filter((c) => BLEEDING_INJURY_CARE.has(CONDITION_BY_CODE.get(c.code)!.care))
    .map((c) => c.body_part);
  const bleeds = bleedingParts.length > 0;
  const inPain = conditions.some(hurts);
  const needs = stateNeedsOf(conditions, battle, protocols);
  // A brain injury, or a war wound of the head that may have entered the skull, is scanned (fix 0378).
  const headToScan = conditions.some(
    (c) =>
      injuresBrain(c.code, c.body_part, c.severity) ||
      (c.body_part === 'Head' && CONDITION_BY_CODE.get(c.code)!.penetrating === true),
  );
  const xrayed = conditions.some((c) => xrayedBeforeDuty(CONDITION_BY_CODE.get(c.code)!));
  const courseEnd = Math.round(flow.timeline[flow.timeline.length - 1].hours_since_injury * 10);
  let fixation: FixationHold = 'none';
  for (let i = 0; i < flow.stops.length; i++) {
    const stop = flow.stops[i];
    const role = FACILITIES.indexOf(stop.facility);
    const leaveAt = stop.leave;
    /** Steps given at this stop, and those of them from the protocols (the echelon's count). */
    let given = 0;
    let byProtocol = 0;
    let t = stop.arrival;
    /**
     * The time of the stop's last step before a waiting one given at its hour: a weaning need not wait
     * for that step nor those after it (memory/fixes/0351-kept-on-a-ventilator-for-a-closure.md).
     */
    let sequenceEnd = t;
    let jumped = false;
    const admittedOnVentilator = tubeIn(applied);
    if (admittedOnVentilator) onVentilatorOnAdmission(vitals[i]);
    const bleedingOut = inHaemorrhagicShock(vitals[i]);
    // Not off the ventilator before the least time its cause keeps a patient critical (fixes 0382, 0389).
    const weanable =
      i > 0 &&
      shownHealth(stop.health) >= T2_BELOW &&
      shownHealth(stop.health) > shownHealth(flow.stops[i - 1].health) &&
      stop.arrival >= criticalUntil;
    if (role === 3 && needs.fixedFracture && bleeds && bleedingOut && !applied.includes('orif'))
      fixation = 'hold-now';
    const forState = stateSteps(
      role,
      vitals[i],
      applied,
      bleeds && bleedingOut,
      weanable,
      needs,
      openedBefore,
      fixation,
      stop.arrival,
    );
    givenHere.length = 0;
    operatedHere.length = 0;
    dressedHere.length = 0;
    unnamedHere.length = 0;
    unnamedAt = -1;
    const stopStart = out.length;
    let waited = false;
    const last = i === flow.stops.length - 1;
    // When the patient is no longer critical at its last stop, if its course ends recovered there (by
    // its end at the latest, whatever the rounding of its health), else -1: its weaning and a critical
    // or ventilated admission's rehabilitation wait for it (fixes 0285, 0326).
    const recoveredFrom =
      last && recoveredAtEnd(flow) ? Math.min(recoveryAt(stop, criticalUntil), stop.leave) : -1;
    deferredHere.length = 0;
    treating: for (let c = -1; c < conditions.length; c++) {
      // The state's steps (c = -1) are for the patient, not for one condition: each is given within
      // the stay (a waiting one if the stay reaches its hour), outside the echelon's count of protocol steps.
      const urgent = c < 0;
      for (const step of urgent ? forState : protocols[c][role]) {
        if (!urgent && byProtocol >= perFacility && conditions[c].severity < step.uncountedFrom)
          break treating;
        // A protocol's tetanus step marks its wound tetanus-prone; the state checks it (fix 0365).
        if (!urgent && step.key === 'tetanus') continue;
        // Blood for shock, and intensive care for the ventilated, come again at each echelon that needs
        // them (fixes 0284, 0293); any other step once in the course.
        if (
          urgent && (step.blood || step.critical) ? givenHere.includes(step.key) : applied.includes(step.key)
        )
          continue;
        if (!urgent && step.sites && !step.sites.includes(conditions[c].body_part)) continue;
        if (!urgent && conditions[c].severity < step.minSeverity) continue;
        // A protocol's oxygen is not for a patient with a tube in, one given oxygen here already
        // (fix 0290), nor one saturating on air (fix 0265).
        if (
          !urgent &&
          step.oxygenates &&
          (tubeIn(applied) ||
            givenHere.some((key) => OXYGENATING_PROCEDURES.has(key)) ||
            vitals[i].spo2 >= TARGET_SPO2_FLOOR)
        )
          continue;
        if (step.blood && !urgent && !bleedingOut && conditions[c].severity < TRANSFUSE_FROM_SEVERITY)
          continue;
        if (step.primaryOnly && c > 0) continue;
        if (!urgent && step.critical && shownHealth(stop.health) >= T2_BELOW) continue;
        if (step.forPain && !inPain) continue;
        if (!urgent && step.unnamed && operatedOn(conditions[c].body_part)) continue;
        // A war wound is left open at first, a war fracture fixed internally at Role 4 (fixes 0298, 0304).
        if (!urgent && step.deferredInWar && battle) continue;
        // An acute cough illness's chest is X-rayed for a pneumonia its vital signs suggest (fix 0339).
        if (
          !urgent &&
          step.key === 'chestXray' &&
          CHEST_XRAY_ON_SIGNS.has(conditions[c].code) &&
          !suggestsPneumonia(vitals[i])
        )
          continue;
        // Breaths are given by bag and mask only to a casualty whose breathing fails (fix 0348).
        if (!urgent && step.key === 'bagMask' && !breathingFails(vitals[i])) continue;
        // A laceration sutured at Role 1 is not closed again at Role 3 (fix 0337).
        if (!urgent && step.closure && applied.some((key) => PRIMARY_CLOSURE.has(key))) continue;
        // A wound is dressed once a stop: a pressure dressing is its dressing (fix 0354).
        if (!urgent && step.dresses && dressedHere.includes(conditions[c].body_part)) continue;
        if (!urgent && step.key === 'orif' && fixation !== 'none') continue;
        if (!urgent && step.rehabilitative && (shownHealth(stop.health) < T2_BELOW || tubeIn(applied))) {
          if (recoveredFrom < 0) continue;
          applied.push(step.key);
          givenHere.push(step.key);
          byProtocol++;
          deferredHere.push(step);
          continue;
        }
        // One operation on the brain a stop: a craniotomy evacuates the haematoma beside it (fix 0302).
        if (step.brain && givenHere.some((key) => BRAIN_OPERATIONS.has(key))) continue;
        // A part operated on at an earlier echelon is opened again only as damage control's relook
        // (fixes 0305, 0306), one opened at this stop not at all (fix 0310).
        if (
          step.relookOnly &&
          !urgent &&
          (operatedHere.includes(conditions[c].body_part) ||
            (!damageControl && openedBefore.includes(conditions[c].body_part)))
        )
          continue;
        // Treatments take time: each starts a few minutes after the one before, never after the patient left or died.
        // First aid within ten minutes of injury (NATO 10-1-2), then a few minutes per treatment. The first
        // step at a stop starts before the patient leaves it, however short the stay: a casualty is never
        // carried through a facility untreated (memory/fixes/0232-carried-through-role-1-untreated.md).
        const gap = rng.int(0, role === 0 && given === 0 ? 1 : 3);
        let next = given === 0 || urgent ? Math.min(t + gap, leaveAt) : t + gap;
        // A step that waits (a graft, a war wound's closure, a war fracture's fixation: fixes 0295, 0298,
        // 0304) is given at its drawn hour if the stay lasts that long, out of the stop's sequence, which
        // goes on without it; the stop is put in order below. One whose hour has passed on arrival is
        // given in the sequence, like any other step (fix 0309), and so is one due within the admission's
        // first hours, at its hour: it is one of the admission's operations (fix 0313).
        const drawn = step.wait === undefined ? next : rng.int(step.wait[0], step.wait[1]);
        if (step.wait !== undefined && drawn > leaveAt) continue;
        const waits = drawn >= stop.arrival + WITH_ADMISSION_TENTHS;
        if (waits) {
          next = drawn;
          waited = true;
        } else if (Math.max(next, drawn) > leaveAt) break treating;
        else {
          jumped ||= drawn > next;
          t = next = Math.max(next, drawn);
          if (!jumped) sequenceEnd = t;
        }
        // What it brings (PROCEDURE_WITH: plasma with red cells, anaesthesia with an operation, a tube
        // with ventilation) first, at the same moment, once per stop (a lasting one once in the course).
        const companion = step.with;
        if (
          companion !== undefined &&
          !givenHere.includes(companion.key) &&
          !(companion.lasting && applied.includes(companion.key))
        ) {
          if (!applied.includes(companion.key)) applied.push(companion.key);
          givenHere.push(companion.key);
          if (!waits) given++;
          out.push(treatmentAt(companion, stop.facility, injuryMs, next));
        }
        applied.push(step.key);
        givenHere.push(step.key);
        // A dressing for the whole patient (the state's, a shock's) is on its bleeding wounds.
        if (step.dresses) {
          const part = urgent ? 'Systemic' : conditions[c].body_part;
          if (part === 'Systemic') dressedHere.push(...bleedingParts);
          else dressedHere.push(part);
        }
        if (step.operation && !urgent) {
          if (!step.unnamed) operatedHere.push(conditions[c].body_part);
          else {
            unnamedAt = out.length;
            unnamedHere.push(conditions[c].body_part);
          }
        } else if (step.unnamed) {
          // The state's unnamed operation, its wounds' (fix 0327): dropped below if named ones cover them.
          unnamedAt = out.length;
          for (const part of needs.woundParts) unnamedHere.push(part);
        } else if (step.operation)
          for (const part of needs.operatedParts.get(step.key) ?? []) operatedHere.push(part);
        if (!waits) given++;
        if (!urgent) byProtocol++;
        out.push(treatmentAt(step, stop.facility, injuryMs, next));
        // A protocol's tube put in from Role 2 on goes on the ventilator at once, not at the next
        // echelon (fix 0314); the state's comes with its ventilation already.
        if (step.key === 'endotrachealTube' && role >= 2 && !applied.includes('ventilation')) {
          applied.push('ventilation');
          givenHere.push('ventilation');
          given++;
          out.push(treatmentAt(VENTILATION, stop.facility, injuryMs, next));
        }
      }
    }
    // A named operation on the part the unnamed one was for, after it: one operation, recorded once.
    if (unnamedAt >= 0 && unnamedHere.every(operatedOn)) out.splice(unnamedAt, 1);
    // A whole-body CT scans the head, the chest and the abdomen too: no regional CT beside it (fix 0373).
    if (givenHere.includes('ctWholeBody')) dropAtStop(out, stopStart, REGIONAL_CT_CODES);
    // An external fixation is an open reduction with its fixator, one operation: no reduction recorded
    // beside it (fix 0379).
    if (givenHere.includes('externalFixation')) dropAtStop(out, stopStart, OPEN_REDUCTION_CODES);
    // A brain injury or a war wound of the head is imaged on arrival at Role 3, where CT is, whichever
    // wound's protocol led there (fix 0289), or at Role 4 when full echelons diverted it past Role 3
    // (fix 0378).
    if (role >= 3 && headToScan && !applied.includes('ctHead') && !applied.includes('ctWholeBody')) {
      applied.push('ctHead');
      out.splice(stopStart, 0, treatmentAt(CT_HEAD, stop.facility, injuryMs, stop.arrival));
    }
    let weanedAt = -1;
    if ((last ? recoveredFrom >= 0 : stop.departed >= 0) && onVentilator(applied)) {
      // Weaned where it recovers: at its last stop if it ends recovered (fix 0285), or before a transfer
      // it leaves for recovered, rather than flown on the ventilator to be weaned on arrival (fix 0324).
      const notBefore = Math.max(
        sequenceEnd,
        criticalUntil,
        admittedOnVentilator ? stop.arrival + BREATHING_TRIAL_TENTHS[0] : 0,
      );
      weanedAt = last
        ? lastWeaningAt(notBefore, recoveredFrom, flow.status === 'RTD' ? courseEnd : -1)
        : weaningBeforeTransferAt(stop, notBefore, criticalUntil);
      // Still on the ventilator when the record ends, its least time not over.
      if (last && weanedAt > courseEnd) weanedAt = -1;
      if (weanedAt >= 0) {
        applied.push('weaning');
        out.push(treatmentAt(WEANING, stop.facility, injuryMs, weanedAt));
      }
    }
    // Not while the patient is still on the ventilator when its record ends (fix 0382).
    if (!onVentilator(applied))
      for (const step of deferredHere) {
        out.push(treatmentAt(step, stop.facility, injuryMs, Math.max(recoveredFrom, weanedAt)));
        waited = true;
      }
    // A tetanus-prone wound's immunity is checked at its first care (Role 1-3) that the casualty
    // survives, after the stop's steps, whatever their count: a check, not a procedure of the record;
    // medications.ts gives the toxoid booster there when due (fixes 0364, 0365).
    const diesHere = last && (flow.status === 'KIA' || flow.status === 'DOW');
    if (needs.tetanusProne && role >= 1 && role <= 3 && !diesHere && tetanusCheck === null) {
      const at = Math.min(t + 1, leaveAt);
      tetanusCheck = {
        facility: stop.facility,
        timestamp: iso(injuryMs + at * TENTH_MS),
        hours_since_injury: at / 10,
      };
    }
    // The stop in time order (a sort is stable: the moments' own order stays).
    if (waited)
      out.push(...out.splice(stopStart).sort((a, b) => a.hours_since_injury - b.hours_since_injury));
    // The stop's own sequence ends at t: a step that waited days is no operation of its admission.
    imagingBeforeOperating(out, stopStart, t / 10, bleeds && bleedingOut);
    debridementBeforeFixation(out, stopStart);
    intensiveCareAfterOperating(out, stopStart, t / 10);
    // At the point of injury, TCCC's MARCH order: massive haemorrhage control, the airway, then a
    // tension pneumothorax's decompression, given whatever the count of steps, before anything else
    // (fix 0333).
    if (role === 0 && out.length > stopStart) {
      if (needs.tensionInChest && !applied.includes('needleDecompression')) {
        applied.push('needleDecompression');
        out.push({ ...out[out.length - 1], code: DECOMPRESSION.code, name: DECOMPRESSION.name });
      }
      // A broken bone is splinted, a broken spine immobilised, a few minutes after the stop's other
      // steps if the casualty is still there, whatever the count: a second wound's too (fix 0334).
      for (const step of needs.immobilise)
        if (!applied.includes(step.key) && t + 1 <= leaveAt) {
          t += 1;
          applied.push(step.key);
          out.push(treatmentAt(step, stop.facility, injuryMs, t));
        }
      marchOrder(out, stopStart);
    }
    // A fracture (or a torn knee) is X-rayed at the first of Role 2-4 it reaches, and a bone before it is
    // fixed, where no X-ray or CT came before: a second wound's, whose protocol's X-ray the count of steps
    // left out, or one flown or diverted past Role 2 (fixes 0328, 0353).
    if (
      role >= 2 &&
      (xrayed || givenHere.some((key) => FIXATIONS.has(key))) &&
      xrayFracture(out, stopStart, stop.facility, injuryMs, t)
    )
      applied.push('xray');
    if (bleeds && bleedingOut && givenHere.some((key) => OPERATIONS.includes(key))) damageControl = true;
    for (const part of operatedHere) if (!openedBefore.includes(part)) openedBefore.push(part);
    for (const part of unnamedHere) if (!openedBefore.includes(part)) openedBefore.push(part);
    if (fixation === 'hold-now') fixation = 'held';
  }
  return { treatments: out, tetanusCheck };
}

const IMAGING_CODES = new Set<string>([...DIAGNOSTIC_IMAGING].map((key) => PROCEDURES[key].code));
/** Takes the steps of `codes` out of a stop's sequence (from `stopStart`): another step of the stop includes them. */
function dropAtStop(out: Treatment[], stopStart: number, codes: ReadonlySet<string>): void {
  for (let k = out.length - 1; k >= stopStart; k--) if (codes.has(out[k].code)) out.splice(k, 1);
}
/** An open fracture's reduction, which its external fixation includes (fix 0379). */
const OPEN_REDUCTION_CODES: ReadonlySet<string> = new Set([PROCEDURES.openReduction.code]);
/** CTs of one region, which a whole-body CT of the same stop includes (fix 0373). */
const REGIONAL_CT_CODES: ReadonlySet<string> = new Set(
  (['ctHead', 'ctChest', 'ctChestAbdomenPelvis'] as const).map((key) => PROCEDURES[key].code),
);
const FIXATIONS: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'orif',
  'externalFixation',
  'openReduction',
]);
const FIXATION_CODES = new Set<string>([...FIXATIONS].map((key) => PROCEDURES[key].code));
/** An X-ray or a CT: what shows a fracture (an ultrasound does not). */
const FRACTURE_IMAGING_CODES = new Set<string>(
  [...DIAGNOSTIC_IMAGING].filter((key) => key !== 'ultrasound').map((key) => PROCEDURES[key].code),
);

const MARCH_RANK_BY_CODE = new Map<string, number>(
  Object.entries(MARCH_RANK).map(([key, rank]) => [PROCEDURES[key as ProcedureKey].code, rank]),
);
const marchRank = (t: Treatment) => MARCH_RANK_BY_CODE.get(t.code) ?? AFTER_MARCH;

/**
 * Puts a stop's sequence (from `stopStart`) in MARCH_RANK order, the steps of one rank in their order,
 * each taking the moment of the step whose place it takes: the moments stay as they were, in order.
 */
function marchOrder(out: Treatment[], stopStart: number): void {
  let ordered = true;
  for (let k = stopStart + 1; k < out.length && ordered; k++)
    ordered = marchRank(out[k - 1]) <= marchRank(out[k]);
  if (ordered) return;
  const steps = out.slice(stopStart);
  const moments = steps.map((t) => [t.timestamp, t.hours_since_injury] as const);
  steps.sort((a, b) => marchRank(a) - marchRank(b));
  for (let k = 0; k < steps.length; k++) {
    [steps[k].timestamp, steps[k].hours_since_injury] = moments[k];
    out[stopStart + k] = steps[k];
  }
}

/**
 * Puts an X-ray in a stop's sequence (from `stopStart`, at `facility`, whose sequence ends at tenth
 * `end`) unless an X-ray or a CT of the record came before its first fixation, or in a stop without
 * one, at all: before the stop's first operation (its anaesthesia), at its moment, as imaging guides an
 * operation (fix 0294), else at the end of the stop's sequence. Whether it did.
 */
function xrayFracture(
  out: Treatment[],
  stopStart: number,
  facility: Facility,
  injuryMs: number,
  end: number,
): boolean {
  let fixation = stopStart;
  while (fixation < out.length && !FIXATION_CODES.has(out[fixation].code)) fixation++;
  for (let k = 0; k < fixation; k++) if (FRACTURE_IMAGING_CODES.has(out[k].code)) return false;
  let at = stopStart;
  while (at < fixation && out[at].code !== PROCEDURES.anesthesia.code) at++;
  if (at < out.length) {
    out.splice(at, 0, { ...out[at], code: XRAY.code, name: XRAY.name });
    return true;
  }
  at = stopStart;
  while (at < out.length && out[at].hours_since_injury <= end / 10) at++;
  out.splice(at, 0, treatmentAt(XRAY, facility, injuryMs, end));
  return true;
}
const CT_CODES = new Set<string>([...COMPUTED_TOMOGRAPHY].map((key) => PROCEDURES[key].code));
const BRAIN_OPERATION_CODES = new Set<string>([...BRAIN_OPERATIONS].map((key) => PROCEDURES[key].code));

/**
 * A stop's imaging listed after its operations began (their anaesthesia, out[from..] until its sequence
 * ends at hour `until`) moves before them, to the moment the anaesthesia started: the protocols list steps by importance, and an
 * ultrasound or a CT read after the operation it should have guided is wrong. In haemorrhagic shock
 * (`inShock`) a CT stays after the operation that controlled the bleeding, a head CT before a brain
 * operation excepted (DIAGNOSTIC_IMAGING; memory/fixes/0294-imaging-after-the-operation.md).
 */
function imagingBeforeOperating(out: Treatment[], from: number, until: number, inShock: boolean): void {
  let session = from;
  while (session < out.length && out[session].code !== PROCEDURES.anesthesia.code) session++;
  if (session === out.length || out[session].hours_since_injury > until) return;
  let brainOperation = false;
  for (let k = session; k < out.length; k++)
    if (BRAIN_OPERATION_CODES.has(out[k].code)) brainOperation = true;
  const start = out[session];
  let to = session;
  for (let k = session + 1; k < out.length; k++) {
    const scan = out[k];
    if (!IMAGING_CODES.has(scan.code)) continue;
    if (inShock && CT_CODES.has(scan.code) && !(brainOperation && scan.code === PROCEDURES.ctHead.code))
      continue;
    moveTo(out, k, to++, start);
  }
}

/** Moves out[k] to index `to` (its place after out[k] is taken out), at the moment of `anchor`. */
function moveTo(out: Treatment[], k: number, to: number, anchor: Treatment): void {
  const entry = out[k];
  entry.timestamp = anchor.timestamp;
  entry.hours_since_injury = anchor.hours_since_injury;
  out.splice(k, 1);
  out.splice(to, 0, entry);
}

/**
 * A wound's debridement listed after the external fixator of its stop (the state's, fix 0304) moves
 * before it, to its moment: a war fracture is cleaned, then fixed, in one operation.
 */
function debridementBeforeFixation(out: Treatment[], from: number): void {
  let fixator = from;
  while (fixator < out.length && out[fixator].code !== PROCEDURES.externalFixation.code) fixator++;
  for (let k = fixator + 1; k < out.length; k++) {
    if (out[k].code !== PROCEDURES.debridement.code) continue;
    moveTo(out, k, fixator, out[fixator]);
    fixator++;
  }
}

const OPERATION_CODES = new Set<string>(OPERATIONS.map((key) => PROCEDURES[key].code));
const CRITICAL_CARE_CODES = new Set<string>([...CRITICAL_CARE].map((key) => PROCEDURES[key].code));

/**
 * A stop's intensive care listed before its last operation (out[from..], until its sequence ends at
 * hour `until`) moves after it, to that operation's moment: a casualty goes from the resuscitation bay
 * to theatre and from theatre to intensive care, not the other way round. An operation that waited days
 * (a graft, a war fracture's fixation) does not count
 * (memory/fixes/0299-intensive-care-before-the-operation.md), nor one after the stop's weaning: the
 * patient weaned there was in intensive care already, and went from it to theatre (fix 0402).
 */
function intensiveCareAfterOperating(out: Treatment[], from: number, until: number): void {
  let last = out.length - 1;
  for (let k = from; k < out.length; k++)
    if (out[k].code === WEANING.code) {
      last = k - 1;
      break;
    }
  while (last >= from && !(OPERATION_CODES.has(out[last].code) && out[last].hours_since_injury <= until))
    last--;
  if (last < from) return;
  const operation = out[last];
  for (let k = last - 1; k >= from; k--) {
    if (!CRITICAL_CARE_CODES.has(out[k].code)) continue;
    moveTo(out, k, last, operation);
    last--;
  }
}

/**
 * When a patient recovering at its last stop comes off the ventilator: once no longer critical there
 * (`recovered`, never after the stop ends), and, returning to duty at `dutyAt` (-1: it does not), at
 * the latest WEAN_BEFORE_DUTY_TENTHS before it; never before `after`, its last step there. It was
 * weaned a day before leaving however early it recovered, weeks on a ventilator at Role 4
 * (memory/fixes/0285-weeks-on-a-ventilator-while-recovering.md). A patient who remains at Role 4 does
 * not leave when its record ends: it is weaned once recovered, not a day before that end, which came
 * before its arrival and weaned it there still critical (fix 0325). The day is counted to the duty, not
 * to a discharge before it, which would wean one discharged to rest in quarters still critical (fix 0391).
 */
function lastWeaningAt(after: number, recovered: number, dutyAt: number): number {
  return Math.max(after, dutyAt >= 0 ? Math.min(recovered, dutyAt - WEAN_BEFORE_DUTY_TENTHS) : recovered);
}

/**
 * When a patient recovering at a stop is no longer critical: its health, rising at the echelon's
 * recovery rate from its admission, reaches T2_BELOW (its admission, if it was not critical then), and
 * not before its cause's least critical time, `criticalUntil`, has passed (course.ts holds its health
 * below until then; fix 0389).
 */
function recoveryAt(stop: Stop, criticalUntil: number): number {
  const shown = shownHealth(stop.health);
  if (shown >= T2_BELOW) return stop.arrival;
  const rate = RECOVERY_PER_HOUR[stop.facility];
  const rising = rate <= 0 ? 0 : Math.ceil(((T2_BELOW - shown) / rate) * 10);
  return Math.max(stop.arrival + rising, criticalUntil + 1);
}

/**
 * When a patient on a ventilator comes off it at a stop it leaves for another echelon recovered (no
 * longer critical, and better than on admission): once its health, rising at the echelon's recovery
 * rate from its admission, reaches T2_BELOW, never before `after`, its last step there, and at the
 * latest WEAN_BEFORE_TRANSFER_TENTHS before it leaves, to watch its breathing before the journey; -1
 * if none (still critical, not recovering, or too close to the departure: weaned on arrival).
 */
function weaningBeforeTransferAt(stop: Stop, after: number, criticalUntil: number): number {
  const departed = stop.departed < 0 ? -1 : shownHealth(stop.departed);
  if (departed < T2_BELOW || departed <= shownHealth(stop.health)) return -1;
  const at = Math.max(after, recoveryAt(stop, criticalUntil));
  return at <= stop.leave - WEAN_BEFORE_TRANSFER_TENTHS ? at : -1;
}

/** Whether the patient ends its course alive and no longer critical: returned to duty, or remaining at Role 4 recovered. */
function recoveredAtEnd(flow: Flow): boolean {
  const last = flow.timeline[flow.timeline.length - 1];
  return (flow.status === 'RTD' || flow.status === 'Remains_Role4') && last.health >= T2_BELOW;
}

/** Whether an endotracheal tube is in: put in and not yet weaned off the ventilator it serves. */
function tubeIn(applied: readonly ProcedureKey[]): boolean {
  return applied.includes('endotrachealTube') && !applied.includes('weaning');
}

/** Whether the patient is on a ventilator: ventilated and not yet weaned. */
function onVentilator(applied: readonly ProcedureKey[]): boolean {
  return applied.includes('ventilation') && !applied.includes('weaning');
}

/**
 * Whether a whole-body CT is indicated, as for blunt major trauma with suspected multiple injuries
 * (NICE guideline NG39, Major trauma: assessment and initial management): a battle injury (ballistic or
 * blast), an immediate (T1) casualty, a vehicle accident's high-energy injury, injuries of more than one
 * part of the body, or a broken spine (no other vetted CT images it). An isolated injury of one limb
 * from a fall is X-rayed, not scanned (memory/fixes/0342-whole-body-ct-for-a-twisted-ankle.md).
 */
export function scansWholeBody(
  type: InjuryType,
  triage: Triage,
  mechanism: Coding | null,
  conditions: readonly PatientCondition[],
): boolean {
  if (type === 'BATTLE_TRAUMA' || triage === 'T1' || mechanism?.code === MECHANISMS.vehicle.code) return true;
  let part: BodyPart | undefined;
  for (const c of conditions) {
    if (CONDITION_BY_CODE.get(c.code)!.care === 'spine') return true;
    if (c.body_part === 'Systemic') continue;
    if (part !== undefined && c.body_part !== part) return true;
    part = c.body_part;
  }
  return false;
}
