/**
 * Medications, known allergies and complications of one patient, from what the patient already is:
 * its conditions, triage, treatments and timeline (facilities and times), and the scenario's
 * environment. Draws come from the patient's own `medication` stream, so adding or changing this
 * model never moves a draw of the rest of the record. Rules and their sources:
 * memory/decisions/0911-medications-allergies-complications.md.
 *
 * - Protocols (TCCC at the point of injury, then the echelons): analgesia by pain and shock (the
 *   conditions, or haemorrhagic shock on admission, a systolic pressure below 90 or a shock index of 1
 *   or more, the test that gives blood: fixes 0234, 0257),
 *   tranexamic acid for significant bleeding within 3 h of injury (withheld after), antibiotics for
 *   open combat wounds, surgical prophylaxis, drugs and blood products that go with a recorded
 *   procedure (transfusion, anaesthesia, fluids, oxygen, sedation, suturing, tetanus), symptom relief,
 *   an oral antibiotic at first care for a bacterial infection (none for a viral one: fix 0227).
 * - Allergies: about 10 %; a forbidden drug is replaced by the first allowed substitute of
 *   DRUG_SUBSTITUTES or withheld, so no drug is ever given against an allergy.
 * - Complications appended to `conditions` (never primary, never above the patient's severity):
 *   hypothermia, dehydration and frostbite from bleeding, time before Role 1 and the environment;
 *   wound infection (and sepsis) from open wounds, late antibiotics and hypothermia, diagnosed at
 *   Role 3 or later and treated. (No acute kidney injury: the vetted code table has no code for it,
 *   memory/fixes/0144-codes-outside-the-vetted-table.md.)
 */
import {
  ALLERGENS,
  ALLERGY_RATE,
  type AllergenKey,
  type CareProtocol,
  CONDITION_BY_CODE,
  CONDITIONS,
  DRUG_KEYS,
  DRUG_SUBSTITUTES,
  DRUGS,
  type DrugKey,
  type EnvironmentalCondition,
  type Facility,
  FEVER_FROM_C,
  HYPOTHERMIA,
  hypothermicTemperature,
  type InjuryType,
  inHaemorrhagicShock,
  LIMBS,
  OPERATIONS,
  OXYGEN_BELOW_SPO2,
  PAIN_FROM_SEVERITY,
  PAIN_SYMPTOMS,
  PAINFUL_CARE,
  PRIMARY_CLOSURE,
  PROCEDURES,
  type ProcedureKey,
  raisesFever,
  SECOND_ALLERGY_RATE,
  SEVERE_FROM,
  SNOMED,
  severityGrade,
  TETANUS_BOOSTER_DUE_SHARE,
  type Triage,
} from '../data/index.js';
import type { GenerationContext } from './context.js';
import { isoSeconds } from './iso-time.js';
import type {
  Allergy,
  Medication,
  PatientCondition,
  TimelineEvent,
  Treatment,
  VitalSigns,
} from './patient-record.js';
import { createRng, cumulative, drawCumulative, reseed, STREAM } from './rng.js';

const TENTH_MS = 360_000;
/** Tranexamic acid only within 3 h of injury (tenths of an hour). */
const TXA_WINDOW = 30;
/** A medic reaches a casualty at the point of injury and starts TCCC drugs this often. */
const POI_MEDIC_RATE = 0.65;
/**
 * The days after an injury (tenths of an hour: 72 h) that a severe wound's pain, and its operations',
 * calls for an opioid at Role 4 (memory/fixes/0340-severe-wounds-on-paracetamol-alone-at-role-4.md).
 */
const ACUTE_PAIN_TENTHS = 720;
/** Conscious and oriented enough to take one's own pills (GCS). */
const SELF_CARE_FROM_GCS = 14;
/**
 * Alert enough for an opioid (GCS): below, a moderate or severe brain injury's clouded consciousness
 * breathing on its own is at risk of respiratory depression, for which TCCC gives ketamine
 * (memory/fixes/0390-opioids-for-a-clouded-consciousness.md).
 */
const OPIOID_FROM_GCS = 13;

// --- codes the rules look at ------------------------------------------------------------------
const DEHYDRATION = '34095006';
const FROSTBITE = '370977006';
const SOFT_TISSUE_INFECTION = '95880003';
const SEPSIS = '91302008';
/**
 * When a wound infection is found, in tenths of an hour after the injury: on a day from the third to
 * the seventh, as a surgical-site infection shows, never within the first 48 hours (CDC NHSN counts an
 * infection as the care's from the third day of a stay); the window is a modelling choice
 * (memory/fixes/0381-wound-infections-found-hours-after-the-wound.md).
 */
const WOUND_INFECTION_TENTHS = [480, 1680] as const;
/**
 * A wound infection is treated where it is found for at least this long (tenths) before the casualty
 * leaves care there (returned to duty, or discharged to convalesce): antibiotics by vein until it
 * improves; a modelling choice (memory/fixes/0386-returned-to-duty-hours-after-a-wound-infection.md).
 */
const INFECTION_TREATED_BEFORE_LEAVING_TENTHS = 480;
/** A wound's closure: an infected wound is not closed, so its infection is found after it. */
const CLOSURE_CODES: ReadonlySet<string> = new Set([...PRIMARY_CLOSURE].map((key) => PROCEDURES[key].code));
/** Within this many tenths before an infection is found, an operation's cover is the infection's drug. */
const ONE_CEPHALOSPORIN_TENTHS = 20;
const SHOCK_CODES = new Set(['355001', '27942005', '76571007']);
const THIRD_DEGREE_BURN = '403192003';
/** A crushing injury and the crush syndrome its muscle breakdown brings: kidneys at risk (F.crushed). */
const CRUSH_CODES = new Set(['125665001', '23697004']);
/**
 * Bacterial infections whose antibiotic cannot wait for a protocol's IV step at Role 2, which a
 * casualty sent from Role 1 to Role 3 never reaches: given at the first care, by vein from
 * `intravenousFrom`, by mouth below it, in place of amoxicillin-clavulanate. Sepsis: ceftriaxone at
 * once (antibiotics within the hour of its recognition); typhoid fever, every case of which is admitted:
 * ceftriaxone; dysentery: a fluoroquinolone by mouth, ceftriaxone when severe (WHO's shigellosis
 * guideline; moxifloxacin is the vetted fluoroquinolone, as neither ciprofloxacin nor azithromycin has a
 * vetted code). Memory/fixes/0296-septic-and-dysenteric-patients-without-antibiotics.md.
 */
const FIRST_CARE_ANTIBIOTICS: ReadonlyMap<
  string,
  { readonly oral?: DrugKey; readonly intravenous: DrugKey; readonly intravenousFrom: number }
> = new Map([
  ['91302008', { intravenous: 'ceftriaxone', intravenousFrom: 0 }], // Sepsis
  ['4834000', { intravenous: 'ceftriaxone', intravenousFrom: 0 }], // Typhoid fever
  ['111939009', { oral: 'moxifloxacin', intravenous: 'ceftriaxone', intravenousFrom: 7 }], // Dysentery
]);
/**
 * The other bacterial infections (`bacterial` in the condition table): amoxicillin-clavulanate by mouth
 * at their first care (moxifloxacin for a penicillin allergy): strep throat, pneumonia, cellulitis, soft
 * tissue infection, abscess, dentoalveolar cellulitis, urinary tract infection. IV therapy, where the
 * protocol gives it, follows.
 */
const ORAL_ANTIBIOTIC_CODES: ReadonlySet<string> = new Set(
  CONDITIONS.filter((c) => c.bacterial === true && !FIRST_CARE_ANTIBIOTICS.has(c.code)).map((c) => c.code),
);
const NAUSEA_CODES = new Set(['422587007', '422400008']);
/** Open combat wounds (TCCC: antibiotics for all of them). */
const WOUND_CODES = new Set([
  '262574004',
  '262560006',
  '125643001',
  '262595009',
  '699875007',
  '397181002',
  '125670008',
  '231794000',
]);
const BLEEDING_CODES = new Set(['31892009', '128069005']);
const BLEEDING_CARE: ReadonlySet<CareProtocol> = new Set(['hemorrhage', 'amputation', 'pelvis']);
const MINOR_MUSCULOSKELETAL: ReadonlySet<CareProtocol> = new Set(['sprain', 'fracture', 'soft_tissue']);

/** What the rules read off a condition, one bit each, looked up once per condition. */
const F = {
  painful: 1,
  painSymptom: 2,
  bleeding: 4,
  shock: 8,
  wound: 16,
  abdominal: 32,
  nausea: 128,
  dehydrated: 256,
  hypothermia: 512,
  severeBurn: 2048,
  burn: 4096,
  oralAntibiotic: 8192,
  minorMusculoskeletal: 16384,
  /**
   * A concussion: its pain is a headache, for paracetamol, never an opioid, which clouds the
   * neurological checks it needs, nor an NSAID, a bleeding risk in a bruised brain
   * (memory/fixes/0360-concussions-given-opioids-for-a-headache.md).
   */
  headache: 32768,
  /**
   * A crushed limb: its muscle breakdown loads the kidneys, which an NSAID harms further, as it does a
   * body short of water (memory/fixes/0361-nsaids-for-the-crushed-and-the-dehydrated.md).
   */
  crushed: 65536,
} as const;
const CONDITION_FLAGS: ReadonlyMap<string, number> = new Map(
  CONDITIONS.map(({ code, care, painless, concussion }) => {
    let f = 0;
    if (concussion) f |= F.headache;
    else if (PAINFUL_CARE.has(care) && painless !== true) f |= F.painful;
    if (PAIN_SYMPTOMS.has(code)) f |= F.painSymptom;
    if (BLEEDING_CARE.has(care) || BLEEDING_CODES.has(code)) f |= F.bleeding;
    if (SHOCK_CODES.has(code)) f |= F.shock;
    if (WOUND_CODES.has(code)) f |= F.wound;
    if (care === 'abdomen' || care === 'surgical_abdomen') f |= F.abdominal;
    if (care === 'gastro' || NAUSEA_CODES.has(code)) f |= F.nausea;
    // Heat illness is water and salt lost too: oral rehydration where no drip runs (fix 0286).
    if (code === DEHYDRATION || care === 'gastro' || care === 'heat') f |= F.dehydrated;
    if (code === HYPOTHERMIA) f |= F.hypothermia;
    if (code === THIRD_DEGREE_BURN) f |= F.severeBurn;
    if (care === 'burn') f |= F.burn;
    if (ORAL_ANTIBIOTIC_CODES.has(code)) f |= F.oralAntibiotic;
    if (MINOR_MUSCULOSKELETAL.has(care)) f |= F.minorMusculoskeletal;
    if (CRUSH_CODES.has(code)) f |= F.crushed;
    return [code, f];
  }),
);

// --- drugs by index, so a patient's allergies and a stop's drugs are bit masks -----------------
const DRUG_INDEX = Object.fromEntries(DRUG_KEYS.map((k, i) => [k, i])) as Record<DrugKey, number>;
const DRUG_LIST = DRUG_KEYS.map((k) => DRUGS[k]);
const SUBSTITUTES: readonly (readonly number[])[] = DRUG_KEYS.map((k) =>
  (DRUG_SUBSTITUTES[k] ?? []).map((s) => DRUG_INDEX[s]),
);
const D = DRUG_INDEX;

const ALLERGEN_KEYS = Object.keys(ALLERGENS) as AllergenKey[];
const ALLERGEN_CDF = cumulative(ALLERGEN_KEYS.map((k) => ALLERGENS[k].weight));
const ALLERGEN_MASK = ALLERGEN_KEYS.map((k) =>
  (ALLERGENS[k].forbids as readonly DrugKey[]).reduce((mask, d) => mask | (1 << DRUG_INDEX[d]), 0),
);
/** The record's allergy entries, shared by every record (plain, frozen: {code, name, system}). */
const ALLERGY_RECORDS: readonly Allergy[] = ALLERGEN_KEYS.map((k) =>
  Object.freeze({ code: ALLERGENS[k].code, name: ALLERGENS[k].name, system: ALLERGENS[k].system }),
);

/** Drugs that go with a recorded procedure, given at the procedure's time and facility. */
const LINKED: ReadonlyArray<readonly [ProcedureKey, readonly DrugKey[]]> = [
  ['transfusion', ['redCells']],
  ['rbcTransfusion', ['redCells']],
  ['oxygen', ['oxygen']],
  ['oxygenMask', ['oxygen']],
  ['ivFluids', ['crystalloid']],
  ['fluidResuscitation', ['crystalloid']],
  ['ivTherapy', ['saline']],
  ['anesthesia', ['ketamine', 'fentanylAnaesthetic']],
  // Intubation is rapid sequence induction, with ketamine, the military's induction agent
  // (memory/fixes/0254-intubated-without-an-induction-drug.md); ventilation keeps it sedated.
  ['endotrachealTube', ['ketamine']],
  ['ventilation', ['midazolam']],
  ['sutureWound', ['lidocaine']],
  ['sutureClosure', ['lidocaine']],
  // A chest drain goes in under local anaesthesia (memory/fixes/0245-operations-without-anaesthesia.md).
  ['chestDrain', ['lidocaine']],
];
const LINKED_DRUGS: readonly (readonly number[])[] = LINKED.map(([, drugs]) =>
  drugs.map((d) => DRUG_INDEX[d]),
);
const TUBE_CODE = PROCEDURES.endotrachealTube.code;
const WEANING_CODE = PROCEDURES.weaning.code;
/** Weaned within this long of an admission (tenths of an hour), a patient's sedation stops on arrival. */
const SEDATION_HOLD_TENTHS = 10;
/** An operation or IV antibiotic therapy: the stop's antibiotic cover (one cephalosporin, fix 0372). */
const ANTIBIOTIC_COVER = -1;
/** Per procedure code: index into LINKED_DRUGS, or ANTIBIOTIC_COVER (one lookup per treatment). */
const TREATMENT_ACTION: ReadonlyMap<string, number> = new Map<string, number>([
  ...LINKED.map(([p], i) => [PROCEDURES[p].code, i] as [string, number]),
  ...OPERATIONS.map((p) => [PROCEDURES[p].code, ANTIBIOTIC_COVER] as [string, number]),
  [PROCEDURES.ivAntibiotics.code, ANTIBIOTIC_COVER],
]);
const IV_FLUID_CODES: ReadonlySet<string> = new Set([
  PROCEDURES.ivFluids.code,
  PROCEDURES.fluidResuscitation.code,
  PROCEDURES.ivTherapy.code,
]);

// --- environment ------------------------------------------------------------------------------
interface Climate {
  /** Multiplier on the hypothermia risk, per season of the context's calendar. */
  readonly cold: readonly number[];
  readonly extremeCold: boolean;
  readonly extremeHeat: boolean;
}
const COLD_FACTOR: Partial<Record<EnvironmentalCondition, number>> = {
  extreme_cold: 3,
  storm: 1.5,
  rain: 1.3,
  mountainous_terrain: 1.5,
  night_operations: 1.2,
};
const climates = new WeakMap<GenerationContext, Climate>();
function climateOf(ctx: GenerationContext): Climate {
  let climate = climates.get(ctx);
  if (climate === undefined) {
    const env = ctx.plan.scenario.environment as readonly EnvironmentalCondition[];
    climate = {
      cold: ctx.seasons.seasons.map((season) =>
        env.reduce((acc, c) => acc * (COLD_FACTOR[c] ?? 1), season.coldComplication),
      ),
      extremeCold: env.includes('extreme_cold'),
      extremeHeat: env.includes('extreme_heat'),
    };
    climates.set(ctx, climate);
  }
  return climate;
}

// --- per-call scratch (generation is synchronous: one patient at a time) ------------------------
const MAX_STOPS = 16;
const stopFacility: Facility[] = new Array(MAX_STOPS);
const stopArrival = new Int32Array(MAX_STOPS);
const stopEnd = new Int32Array(MAX_STOPS);
const stopGiven = new Int32Array(MAX_STOPS);
/** 1 where the stop ends out of care: a return to duty or a discharge to convalesce. */
const stopLeavesCare = new Uint8Array(MAX_STOPS);
const planTime: number[] = [];
const planStop: number[] = [];
const planDrug: number[] = [];
/** The timestamp when a procedure already has it (same instant), else undefined. */
const planIso: (string | undefined)[] = [];
/** The patient's forbidden drugs (bit per drug index). */
let forbidden = 0;
/** One generator, re-seeded per patient to its own stream: no allocation per patient. */
const RNG = createRng({ hi: 0, lo: 0 }, STREAM.medication);

/**
 * Plans `drug` at stop s, time t: a drug the patient is allergic to becomes its first allowed
 * substitute or is withheld (-1); a drug already given at this stop is not repeated.
 */
function give(s: number, t: number, drug: number, iso?: string): number {
  let d = drug;
  if ((forbidden >>> d) & 1) {
    d = -1;
    for (const alt of SUBSTITUTES[drug]) {
      if (!((forbidden >>> alt) & 1)) {
        d = alt;
        break;
      }
    }
    if (d < 0) return -1;
  }
  if ((stopGiven[s] >>> d) & 1) return d;
  stopGiven[s] |= 1 << d;
  planTime.push(t);
  planStop.push(s);
  planDrug.push(d);
  planIso.push(iso);
  return d;
}

/** The patient's medical care beyond procedures: what medications.ts adds to the record. */
export interface MedicalCare {
  readonly medications: Medication[];
  readonly allergies: Allergy[];
}

/** What the patient already is, as built by patient.ts. */
export interface CareInput {
  readonly injuryType: InjuryType;
  readonly triage: Triage;
  /** The patient's severity (the maximum over its conditions). */
  readonly severity: number;
  /** The patient's conditions: complications are appended to this array. */
  readonly conditions: PatientCondition[];
  readonly treatments: readonly Treatment[];
  readonly timeline: readonly TimelineEvent[];
  /**
   * The vital signs taken at each admission, one per arrival of the timeline, in order. A hypothermia
   * complication lowers the first care's temperature.
   */
  readonly vitals: readonly VitalSigns[];
  readonly injuryMs: number;
  /** Index of the casualty's season in the context's calendar (its clinical core's). */
  readonly season: number;
  /** Where and when a tetanus-prone wound's immunity was checked (treatment-plan.ts, fix 0365), or null. */
  readonly tetanusCheck: TetanusCheck | null;
}

/** Where and when a tetanus-prone wound's immunity is checked: not a procedure of the record. */
export type TetanusCheck = Pick<Treatment, 'facility' | 'timestamp' | 'hours_since_injury'>;

const tenthsOf = (hours: number): number => Math.round(hours * 10);

/**
 * Medications and allergies of patient `index`; appends its complications to `input.conditions`.
 * Deterministic in (seed, index, input).
 */
export function medicalCare(ctx: GenerationContext, index: number, input: CareInput): MedicalCare {
  const rng = reseed(RNG, ctx.plan.seedWords, STREAM.medication, index);
  const { conditions, triage, injuryType, severity } = input;

  // Allergies first: one draw decides, whatever the rest of the record.
  const allergies: Allergy[] = [];
  let forbiddenNow = 0;
  if (rng.next() < ALLERGY_RATE) {
    const first = drawCumulative(rng, ALLERGEN_CDF);
    allergies.push(ALLERGY_RECORDS[first]);
    forbiddenNow = ALLERGEN_MASK[first];
    if (rng.next() < SECOND_ALLERGY_RATE) {
      const second = drawCumulative(rng, ALLERGEN_CDF);
      if (second !== first) {
        allergies.push(ALLERGY_RECORDS[second]);
        forbiddenNow |= ALLERGEN_MASK[second];
      }
    }
  }

  // Stops: arrival to the next arrival (care en route belongs to the sending echelon) or the end.
  const stops = readStops(input.timeline);
  const courseEnd = stops > 0 ? stopEnd[stops - 1] : 0;
  let firstCare = -1;
  let firstSurgical = -1;
  for (let s = 0; s < stops; s++) {
    const f = stopFacility[s];
    if (firstCare < 0 && f !== 'POI') firstCare = s;
    if (firstSurgical < 0 && (f === 'Role2' || f === 'Role3')) firstSurgical = s;
  }
  const hoursBeforeCare = (firstCare < 0 ? courseEnd : stopArrival[firstCare]) / 10;

  // What the conditions say.
  let pain = 0;
  let bleeding = false;
  let shock = false;
  let wound = -1;
  let abdominal = false;
  let nausea = false;
  let dehydrated = false;
  let hypothermic = false;
  let severeBurn = false;
  let oralAntibiotic = false;
  /** FIRST_CARE_ANTIBIOTICS' drug for the conditions (by vein over by mouth), or -1. */
  let firstCareAntibiotic = -1;
  let minorMusculoskeletal = true;
  let feverish = false;
  /** A concussion hurts: a headache, for paracetamol (F.headache). */
  let headache = false;
  let crushed = false;
  for (let c = 0; c < conditions.length; c++) {
    const cond = conditions[c];
    if (raisesFever(cond)) feverish = true;
    const regimen = FIRST_CARE_ANTIBIOTICS.get(cond.code);
    if (regimen !== undefined && firstCareAntibiotic !== D[regimen.intravenous])
      firstCareAntibiotic =
        D[
          cond.severity >= regimen.intravenousFrom || regimen.oral === undefined
            ? regimen.intravenous
            : regimen.oral
        ];
    const f = CONDITION_FLAGS.get(cond.code) ?? 0;
    if (f === 0 && cond.body_part !== 'Abdomen') continue;
    if (f & F.painful && cond.severity > pain) pain = cond.severity;
    if (f & F.painSymptom && pain < PAIN_FROM_SEVERITY) pain = PAIN_FROM_SEVERITY;
    if (f & F.headache && cond.severity >= PAIN_FROM_SEVERITY) {
      headache = true;
      minorMusculoskeletal = false;
    }
    if (f & F.bleeding) bleeding = true;
    if (f & F.shock) shock = true;
    if (f & F.wound && wound < 0 && injuryType === 'BATTLE_TRAUMA') wound = c;
    if (f & F.abdominal || cond.body_part === 'Abdomen') abdominal = true;
    if (f & F.nausea) nausea = true;
    if (f & F.dehydrated) dehydrated = true;
    if (f & F.crushed) crushed = true;
    if (f & F.hypothermia) hypothermic = true;
    if (f & F.severeBurn || (f & F.burn && cond.severity >= 7)) severeBurn = true;
    if (f & F.oralAntibiotic) oralAntibiotic = true;
    if (f & F.painful && !(f & F.minorMusculoskeletal)) minorMusculoskeletal = false;
  }
  // At significant risk of shock, for which TCCC gives ketamine: an immediate casualty who bleeds, or
  // whose severe burn's shock is coming over the hours its vital signs do not show yet (fix 0392).
  const unstable = shock || (triage === 'T1' && (bleeding || severeBurn));
  const trauma = injuryType !== 'DISEASE';

  // Complications from injury, time before care and the environment, found on admission to the first
  // care, which reads them (memory/fixes/0384): none for a casualty no care admitted.
  const climate = climateOf(ctx);
  const admission = firstCare >= 0 ? input.vitals[firstCare] : null;
  if (!hypothermic && trauma) {
    let p =
      bleeding || shock ? (triage === 'T1' ? 0.1 : triage === 'T2' ? 0.03 : 0.01) : severeBurn ? 0.05 : 0.004;
    p *= Math.min(3, 1 + 0.25 * Math.max(0, hoursBeforeCare - 1)) * climate.cold[input.season];
    // The first care's temperature then reads it (memory/fixes/0267).
    if (admission && rng.chance(Math.min(0.7, p))) {
      const sev = 3 + Math.floor(hoursBeforeCare) + (shock ? 2 : 0);
      const known = conditions.length;
      hypothermic = addComplication(conditions, HYPOTHERMIA, 'Systemic', sev, severity, admission);
      if (conditions.length > known) {
        admission.temperature = Math.min(
          admission.temperature,
          hypothermicTemperature(conditions[known].severity),
        );
      }
    }
  }
  if (admission && climate.extremeHeat && !dehydrated && hoursBeforeCare >= 1) {
    if (rng.chance(Math.min(0.4, 0.05 + 0.05 * hoursBeforeCare))) {
      dehydrated = addComplication(
        conditions,
        DEHYDRATION,
        'Systemic',
        2 + Math.floor(hoursBeforeCare / 2),
        severity,
        admission,
      );
    }
  }
  // A concussion's headache, where nothing else hurts, is treated with paracetamol alone, in shock too.
  const headacheAtInjury = headache && pain < PAIN_FROM_SEVERITY;
  if (headacheAtInjury) pain = PAIN_FROM_SEVERITY;
  // The pain the point of injury treats, before the wait's frostbite.
  const painAtInjury = pain;
  let headacheOnly = headacheAtInjury;
  if (admission && climate.extremeCold && hoursBeforeCare >= 2 && !hasCode(conditions, FROSTBITE)) {
    if (rng.chance(Math.min(0.3, 0.04 * hoursBeforeCare))) {
      const sev = 2 + Math.floor(hoursBeforeCare / 2);
      // Found at the first care, it hurts from there on as frostbite does (fix 0340).
      if (addComplication(conditions, FROSTBITE, rng.pick(LIMBS), sev, severity, admission)) {
        const frostbite = conditions[conditions.length - 1].severity;
        if (frostbite >= PAIN_FROM_SEVERITY) headacheOnly = false;
        pain = Math.max(pain, frostbite);
      }
    }
  }
  // No NSAID where the kidneys are at risk: short of water (a heat illness, a diarrhoea) or a crushed
  // limb's muscle breakdown (fix 0361); nor for a battle casualty, whose wound a surgeon will see: TCCC
  // allows meloxicam alone of the NSAIDs, for the platelets (fix 0370).
  const nsaidAllowed =
    injuryType !== 'BATTLE_TRAUMA' &&
    !bleeding &&
    !shock &&
    !dehydrated &&
    !crushed &&
    triage === 'T3' &&
    minorMusculoskeletal;

  // The drug plan.
  planTime.length = 0;
  planStop.length = 0;
  planDrug.length = 0;
  planIso.length = 0;
  stopGiven.fill(0, 0, stops);
  forbidden = forbiddenNow;

  // A casualty returned to duty from the point of injury was seen there by the medic who judged it fit,
  // and given what the medic gives (memory/fixes/0330-battle-wounds-back-on-duty-unseen-by-a-medic.md):
  // an injury TCCC's drugs, an illness its symptoms' (`sickCall`, fix 0332).
  const startsAtPoi = stops > 0 && stopFacility[0] === 'POI';
  const backOnDutyAtPoi =
    startsAtPoi && stops === 1 && input.timeline[input.timeline.length - 1].event_type === 'rtd';
  const medicAtPoi = trauma && startsAtPoi && (rng.chance(POI_MEDIC_RATE) || backOnDutyAtPoi);
  const sickCall = !trauma && backOnDutyAtPoi;
  // TCCC's antibiotic by mouth for a wound, unless the casualty is unable to swallow it (a T1) or has a
  // penetrating abdominal wound.
  const oralWoundAntibiotic = triage === 'T3' || (triage === 'T2' && !abdominal);
  // For bleeding only: not a burn's shock, nor a septic one (memory/fixes/0275).
  const txaIndicated = bleeding && (triage === 'T1' || severity >= 7 || shock);
  // The stop a tube went in at and the time it came out (weaning), to keep the intubated sedated.
  let tubeStop = -1;
  let weanedAt = Number.POSITIVE_INFINITY;
  for (const tr of input.treatments) {
    if (tr.code === TUBE_CODE && tubeStop < 0)
      tubeStop = stopAt(stops, tr.facility, tenthsOf(tr.hours_since_injury));
    else if (tr.code === WEANING_CODE) weanedAt = tenthsOf(tr.hours_since_injury);
  }
  let txaDone = false;
  let antibioticAt = -1;
  let infectionChecked = false;
  /** The stop a wound infection was found and treated at (ceftriaxone), or -1, and when (tenths). */
  let infectionStop = -1;
  let infectionAt = 0;
  /** When a wound was closed (tenths), or -1. */
  let closedAt = -1;
  for (const tr of input.treatments)
    if (CLOSURE_CODES.has(tr.code)) closedAt = tenthsOf(tr.hours_since_injury);
  for (let s = 0; s < stops; s++) {
    const f = stopFacility[s];
    const start = stopArrival[s];
    const end = stopEnd[s];
    let t = start + (f === 'POI' ? 1 + rng.int(0, 3) : rng.int(0, 2));
    if (t > end) continue;
    // In shock or breathing badly (SpO2 below 90 %) on admission, whatever the conditions say:
    // ketamine, no opioid, no NSAID (TCCC; memory/fixes/0269).
    const shocked = inHaemorrhagicShock(input.vitals[s]) || input.vitals[s].spo2 < OXYGEN_BELOW_SPO2;
    // Consciousness clouded (GCS 12 or less) and breathing on its own, no tube in nor put in here:
    // ketamine, not an opioid, which depresses the breath and clouds the neurological checks (fix 0390).
    const clouded =
      input.vitals[s].gcs < OPIOID_FROM_GCS && (tubeStop < 0 || tubeStop > s || weanedAt <= start);
    if (f === 'POI' && sickCall) {
      // The unit medic's sick call: by mouth, for what the illness shows (fix 0332); a febrile illness
      // is seen at Role 1 (fix 0388), so none has its fever treated here.
      if (painAtInjury >= PAIN_FROM_SEVERITY) give(s, t, D.paracetamol);
      if (nausea) give(s, t, D.ondansetron);
      if (dehydrated) give(s, t, D.oralRehydration);
      continue;
    }
    if (f === 'POI') {
      if (!medicAtPoi) {
        // No medic: a casualty with an open combat wound who can swallow takes the combat wound
        // medication pack every soldier carries (TCCC: moxifloxacin, and paracetamol for pain), so
        // that the antibiotic does not wait for the first care (memory/fixes/0335).
        if (wound >= 0 && oralWoundAntibiotic && !shocked && input.vitals[s].gcs >= SELF_CARE_FROM_GCS) {
          if (give(s, t, D.moxifloxacin) >= 0) antibioticAt = t;
          if (painAtInjury >= PAIN_FROM_SEVERITY) give(s, t, D.paracetamol);
        }
        continue;
      }
      if (txaIndicated && t <= TXA_WINDOW) {
        give(s, t, D.tranexamicAcid);
        txaDone = true;
      }
      // Analgesia for pain only: shock chooses ketamine, it is no reason for it (memory/fixes/0262).
      if (painAtInjury >= PAIN_FROM_SEVERITY) {
        if (headacheAtInjury) give(s, t, D.paracetamol);
        else if (unstable || shocked || clouded) give(s, t, D.ketamine);
        else if (painAtInjury >= 5) give(s, t, D.fentanyl);
        else give(s, t, D.paracetamol);
      }
      if (wound >= 0 && give(s, t, oralWoundAntibiotic ? D.moxifloxacin : D.ertapenem) >= 0) antibioticAt = t;
      continue;
    }
    // Admitted with a tube in: kept sedated on the ventilator, unless weaned within the hour, for which
    // the sedation stops on arrival (memory/fixes/0282-conscious-and-breathing-fast-on-a-ventilator.md).
    if (tubeStop >= 0 && tubeStop < s && weanedAt > start + SEDATION_HOLD_TENTHS) give(s, t, D.midazolam);
    if (s === firstCare) {
      if (txaIndicated && !txaDone && t <= TXA_WINDOW) give(s, t, D.tranexamicAcid);
      txaDone = true;
      if (wound >= 0 && antibioticAt < 0 && give(s, t, D.ertapenem) >= 0) antibioticAt = t;
      // An antipyretic for an illness's fever measured on admission; heat illness is cooled (memory/fixes/0261).
      if (feverish && input.vitals[s].temperature >= FEVER_FROM_C) give(s, t, D.paracetamol);
      if (nausea) give(s, t, D.ondansetron);
      if (dehydrated && !hasAny(input.treatments, IV_FLUID_CODES)) give(s, t, D.oralRehydration);
      if (firstCareAntibiotic >= 0) give(s, t, firstCareAntibiotic);
      else if (oralAntibiotic) give(s, t, D.amoxicillinClavulanate);
    }
    // Analgesia by echelon: pain that stays gets treated again.
    if (f === 'Role4') {
      // Flown out of theatre within days of the injury, a severe wound hurts as after its operation:
      // an opioid with the paracetamol; paracetamol alone, by mouth, once those days are over (fix 0340).
      if (pain >= 5 && start <= ACUTE_PAIN_TENTHS) give(s, t, shocked || clouded ? D.ketamine : D.morphine);
      if (pain >= PAIN_FROM_SEVERITY) give(s, t, D.paracetamol);
    } else if (pain >= 5 || (f === 'Role1' && pain >= PAIN_FROM_SEVERITY)) {
      if (headacheOnly) give(s, t, D.paracetamol);
      else if ((unstable && f !== 'Role3') || shocked || clouded) give(s, t, D.ketamine);
      else if (pain >= 5) give(s, t, D.morphine);
      else give(s, t, nsaidAllowed ? D.ibuprofen : D.paracetamol);
    }
    // A wound infection shows days after the wound, at Role 3 or later, and after the wound's closure,
    // which an infected wound would not have had (fix 0381).
    const infectionFrom = Math.max(t, WOUND_INFECTION_TENTHS[0], closedAt) + 1;
    // Found in time to be treated there before the casualty leaves care (fix 0386).
    const lastFound = stopLeavesCare[s] ? end - INFECTION_TREATED_BEFORE_LEAVING_TENTHS : end;
    if (wound >= 0 && !infectionChecked && (f === 'Role3' || f === 'Role4') && lastFound >= infectionFrom) {
      infectionChecked = true;
      let p = triage === 'T1' ? 0.09 : 0.06;
      if (antibioticAt < 0 || antibioticAt > 30) p *= 2;
      if (hypothermic) p *= 1.3;
      if (rng.chance(p)) {
        const site = conditions[wound].body_part;
        // Found on a day of the window the stay reaches, or soon after an arrival or closure past it.
        const foundAt = rng.int(
          infectionFrom,
          Math.max(infectionFrom, Math.min(lastFound, WOUND_INFECTION_TENTHS[1])),
        );
        const found: Found = {
          facility: f,
          timestamp: isoSeconds(input.injuryMs + foundAt * TENTH_MS),
          hours_since_injury: foundAt / 10,
        };
        let treated = false;
        if (LIMBS.includes(site)) {
          treated = addComplication(
            conditions,
            SOFT_TISSUE_INFECTION,
            site,
            3 + rng.int(0, 2),
            severity,
            found,
          );
        }
        if ((severity >= SEVERE_FROM && rng.chance(0.25)) || (!treated && severity >= SEVERE_FROM)) {
          treated = addComplication(conditions, SEPSIS, 'Systemic', severity, severity, found) || treated;
        }
        if (treated) {
          infectionStop = s;
          t = foundAt;
          infectionAt = t;
          give(s, t, D.ceftriaxone, found.timestamp);
          if (abdominal) give(s, t, D.metronidazole, found.timestamp);
        }
      }
    }
  }

  // Drugs that go with the recorded procedures.
  for (let k = 0; k < input.treatments.length; k++) {
    const tr = input.treatments[k];
    const action = TREATMENT_ACTION.get(tr.code);
    if (action === undefined) continue;
    const t = tenthsOf(tr.hours_since_injury);
    const s = stopAt(stops, tr.facility, t);
    if (s < 0) continue;
    // The procedure's own timestamp: same instant, no formatting.
    const at = tr.timestamp;
    if (action >= 0) {
      for (const d of LINKED_DRUGS[action]) give(s, t, d, at);
      continue;
    }
    // An injury's operation and IV antibiotics have cefazolin, the abdomen's with metronidazole (JTS);
    // an illness's (an appendix, an abscess: infections), or a wound infection's where it is treated,
    // ceftriaxone, which covers the operation too: never two cephalosporins at once (fix 0372); an
    // operation there hours before the infection showed had cefazolin (fix 0381).
    const treatingInfection = s === infectionStop && t >= infectionAt - ONE_CEPHALOSPORIN_TENTHS;
    const cephalosporin = trauma && !treatingInfection ? D.cefazolin : D.ceftriaxone;
    give(s, t, cephalosporin, at);
    if (abdominal) give(s, t, D.metronidazole, at);
  }
  // Where a wound's tetanus immunity is checked, an immunised soldier whose last dose is over five years
  // old has the toxoid booster, and no one the antitoxin (fix 0364). Drawn last: no other draw moves.
  const check = input.tetanusCheck;
  if (check !== null && rng.chance(TETANUS_BOOSTER_DUE_SHARE)) {
    const t = tenthsOf(check.hours_since_injury);
    const s = stopAt(stops, check.facility, t);
    if (s >= 0) give(s, t, D.tetanusToxoid, check.timestamp);
  }

  return { medications: emit(input.injuryMs), allergies };
}

/**
 * Fills the stop scratch from the timeline; returns the number of stops. A stop ends at its own
 * last event (the transit's start, a discharge to convalesce, or the outcome), not at the next
 * arrival: a drug of a stop is given while the patient is there, never in the transit after it
 * (memory/fixes/0146) nor at home after a discharge (fix 0319).
 */
function readStops(timeline: readonly TimelineEvent[]): number {
  let n = 0;
  // Whether the current stop's patient has left on transit (a death on the way is not its time).
  let left = false;
  for (let i = 0; i < timeline.length; i++) {
    const e = timeline[i];
    const t = tenthsOf(e.hours_since_injury);
    if (e.event_type === 'arrival') {
      if (n === MAX_STOPS) break;
      stopFacility[n] = e.facility;
      stopArrival[n] = t;
      stopEnd[n] = t;
      stopLeavesCare[n] = 0;
      n++;
      left = false;
    } else if (n > 0 && !left) {
      if (t > stopEnd[n - 1]) stopEnd[n - 1] = t;
      left = e.event_type === 'transit_start' || e.event_type === 'discharge';
      if (e.event_type === 'rtd' || e.event_type === 'discharge') stopLeavesCare[n - 1] = 1;
    }
  }
  return n;
}

/** The stop at `facility` whose window holds time t (the last such), or -1. */
function stopAt(stops: number, facility: Facility, t: number): number {
  for (let s = stops - 1; s >= 0; s--) {
    if (stopFacility[s] === facility && stopArrival[s] <= t && t <= stopEnd[s]) return s;
  }
  return -1;
}

/** The planned drugs as records, in time order (stops break ties). */
function emit(injuryMs: number): Medication[] {
  const n = planTime.length;
  const out: Medication[] = new Array(n);
  if (n === 0) return out;
  // Insertion sort of the few entries by (time, stop), stable.
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let j = i;
    while (
      j > 0 &&
      (planTime[order[j - 1]] > planTime[i] ||
        (planTime[order[j - 1]] === planTime[i] && planStop[order[j - 1]] > planStop[i]))
    ) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  for (let i = 0; i < n; i++) {
    const k = order[i];
    const drug = DRUG_LIST[planDrug[k]];
    out[i] = {
      code: drug.code,
      name: drug.name,
      system: drug.system,
      facility: stopFacility[planStop[k]],
      timestamp: planIso[k] ?? isoSeconds(injuryMs + planTime[k] * TENTH_MS),
    };
  }
  return out;
}

function hasCode(conditions: readonly PatientCondition[], code: string): boolean {
  for (let i = 0; i < conditions.length; i++) if (conditions[i].code === code) return true;
  return false;
}

function hasAny(treatments: readonly Treatment[], codes: ReadonlySet<string>): boolean {
  for (let i = 0; i < treatments.length; i++) if (codes.has(treatments[i].code)) return true;
  return false;
}

/** Where and when a complication was found: an admission's vital signs, or a moment of a stay. */
type Found = Pick<PatientCondition, 'facility' | 'timestamp' | 'hours_since_injury'>;

/**
 * Appends a complication, found where and when `found` says, unless the patient has it already or its
 * severity range lies above the patient's severity (a complication never makes the record's severity
 * wrong); true when present.
 */
function addComplication(
  conditions: PatientCondition[],
  code: string,
  site: PatientCondition['body_part'],
  wanted: number,
  patientSeverity: number,
  found: Found,
): boolean {
  if (hasCode(conditions, code)) return true;
  const def = CONDITION_BY_CODE.get(code)!;
  const [lo, hi] = def.severity;
  if (patientSeverity < lo) return false;
  const severity = Math.max(lo, Math.min(hi, patientSeverity, wanted));
  conditions.push({
    code,
    name: def.name,
    system: SNOMED,
    body_part: def.sites.includes(site) ? site : def.sites[0],
    severity,
    severity_grade: severityGrade(severity),
    primary: false,
    facility: found.facility,
    timestamp: found.timestamp,
    hours_since_injury: found.hours_since_injury,
  });
  return true;
}
