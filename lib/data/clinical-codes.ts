/**
 * The one clinical code table: every SNOMED CT and LOINC code the generator may emit, each with one
 * display. Every code is taken from shared/reference/codes.md (vetted against public sources);
 * test/unit/data/vetted-codes.test.ts fails if a code here is not in that vetted set.
 */
import type { EndemicDisease } from './endemic-diseases.js';
import type { Facility } from './facilities.js';
import { depthInTriageBand, LEAST_CRITICAL_HOURS, T1_BELOW, T2_BELOW } from './health.js';
import type { InjuryType } from './injury-types.js';

export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

export interface Coding {
  readonly code: string;
  readonly name: string;
}

export const BODY_PARTS = [
  'Head',
  'Face',
  'Eye',
  'Neck',
  'Chest',
  'Abdomen',
  'Pelvis',
  'Back',
  'Left Arm',
  'Right Arm',
  'Left Leg',
  'Right Leg',
  'Systemic',
] as const;
export type BodyPart = (typeof BODY_PARTS)[number];

/** SNOMED CT body structures; "Systemic" has none (the condition is not site-specific). */
export const BODY_SITE_CODES: Readonly<Record<Exclude<BodyPart, 'Systemic'>, Coding>> = {
  Head: { code: '69536005', name: 'Head structure' },
  Face: { code: '89545001', name: 'Face structure' },
  Eye: { code: '81745001', name: 'Eye' },
  Neck: { code: '45048000', name: 'Neck structure' },
  Chest: { code: '51185008', name: 'Thoracic structure' },
  Abdomen: { code: '113345001', name: 'Abdominal structure' },
  Pelvis: { code: '12921003', name: 'Pelvic structure' },
  Back: { code: '77568009', name: 'Structure of back of trunk' },
  'Left Arm': { code: '80768000', name: 'Structure of left upper limb' },
  'Right Arm': { code: '6921000', name: 'Structure of right upper limb' },
  'Left Leg': { code: '32153003', name: 'Structure of left lower limb' },
  'Right Leg': { code: '62175007', name: 'Structure of right lower limb' },
};

export const LIMBS: readonly BodyPart[] = ['Left Arm', 'Right Arm', 'Left Leg', 'Right Leg'];
export const ARMS: readonly BodyPart[] = ['Left Arm', 'Right Arm'];
export const LEGS: readonly BodyPart[] = ['Left Leg', 'Right Leg'];

/** FHIR condition-severity value set: exactly these three codes. */
export const SEVERITY_GRADES = {
  Mild: { code: '255604002', name: 'Mild' },
  Moderate: { code: '6736007', name: 'Moderate' },
  Severe: { code: '24484000', name: 'Severe' },
} as const;
export type SeverityGrade = keyof typeof SEVERITY_GRADES;

/** The least severity of the Severe grade. */
export const SEVERE_FROM = 7;

export function severityGrade(score: number): SeverityGrade {
  return score >= SEVERE_FROM ? 'Severe' : score >= 4 ? 'Moderate' : 'Mild';
}

/** Treatment protocol a condition follows along the chain of care. */
export type CareProtocol =
  | 'hemorrhage'
  | 'amputation'
  | 'tbi'
  | 'head_minor'
  | 'chest'
  | 'abdomen'
  | 'burn'
  | 'fracture'
  | 'pelvis'
  | 'spine'
  | 'eye'
  | 'soft_tissue'
  | 'sprain'
  | 'heat'
  | 'cold'
  | 'respiratory'
  | 'systemic_infection'
  | 'gastro'
  | 'surgical_abdomen'
  | 'skin'
  | 'abscess'
  | 'mental'
  | 'symptom'
  | 'topical';

/** Protocols of physical trauma: a non-battle condition with one is an injury, not a disease. */
export const TRAUMA_CARE: ReadonlySet<CareProtocol> = new Set<CareProtocol>([
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

export interface ConditionDef extends Coding {
  /** Relative frequency inside each injury type the condition belongs to. */
  readonly weights: Readonly<Partial<Record<InjuryType, number>>>;
  readonly sites: readonly BodyPart[];
  /** Severity score range, 1 (trivial) to 10 (unsurvivable without surgery). */
  readonly severity: readonly [number, number];
  readonly care: CareProtocol;
  /**
   * Steps of its protocol it never gets: a closed fracture has no wound to dress or debride; a viral
   * or parasitic illness, or a symptom of unknown cause, gets no IV antibiotics (NOT_BACTERIAL).
   */
  readonly withhold?: readonly ProcedureKey[];
  /**
   * Not an infection, though its protocol is an infection's (crush syndrome, dyspnoea, a tight chest):
   * it raises no fever and gets no paracetamol for one (memory/fixes/0259-fever-without-an-infection.md).
   */
  readonly afebrile?: true;
  /**
   * Does not hurt, though its protocol is a painful one (hypothermia: a cold body, not a cold injury):
   * no analgesia and no pain management for it (memory/fixes/0277-painkillers-for-hypothermia.md).
   */
  readonly painless?: true;
  /**
   * A bacterial infection: treated with an antibiotic, which a prescriber at Role 1 orders, so never
   * returned to duty from the point of injury untreated
   * (memory/fixes/0297-moderate-and-infected-patients-returned-to-duty-unseen.md).
   */
  readonly bacterial?: true;
  /**
   * A broken bone: diagnosed and cleared for duty on its X-ray, which its protocol takes at Role 2 first,
   * so never returned to duty before Role 2
   * (memory/fixes/0328-fractures-returned-to-duty-without-an-x-ray.md).
   */
  readonly fracture?: true;
  /**
   * A concussion: evaluated by a provider at Role 1 before any return to duty (the US military's
   * concussion policy: a medic screens, a provider clears), so never returned to duty from the point
   * of injury (memory/fixes/0331-concussions-returned-to-duty-from-the-point-of-injury.md).
   */
  readonly concussion?: true;
  /**
   * Passes from soldier to soldier (influenza, COVID-19, an infectious diarrhoea): isolated at Role 1 or
   * later, not sent back to its unit, until ISOLATION_HOURS after its onset (lib/data/health.ts;
   * memory/fixes/0355-contagious-illnesses-back-on-duty-within-hours.md). Only an illness's: the
   * capacity planner reads a disease's rest before duty as isolation and an injury's as a concussion's.
   */
  readonly contagious?: true;
  /**
   * A knee's internal injury (a torn meniscus or cruciate ligament): a knee that gave way and swells is
   * X-rayed for a fracture and examined by a doctor before any return to duty, so, as a fracture,
   * never returned to duty before Role 2
   * (memory/fixes/0353-knee-tears-returned-to-duty-unexamined.md); so is a crushed limb (fix 0369).
   */
  readonly imagedBeforeDuty?: true;
  /**
   * Only a clinician makes the diagnosis, so the medic at the point of injury never returns it to duty:
   * a mental disorder (an acute stress disorder, a post-traumatic stress disorder, a depression) is
   * assessed by a behavioural health clinician, and a tropical infection (dengue, leishmaniasis) is
   * confirmed by a test, from Role 1 on, where a stress reaction mild enough is rested in its unit
   * (memory/fixes/0358-clinicians-diagnoses-returned-to-duty-by-the-medic.md).
   */
  readonly clinicianDiagnosed?: true;
  /**
   * Moderate or worse, admitted to a bed with a laboratory (Role 2 on) before any return to duty, never
   * sent back from the aid station: malaria, which can turn severe within hours (UK malaria treatment
   * guidelines 2016: every falciparum malaria admitted at first), and a dengue with warning signs (WHO
   * 2009 dengue guidelines, group B: in-hospital care) (`admittedBeforeDuty`;
   * memory/fixes/0409-malaria-and-dengue-sent-back-from-the-aid-station.md).
   */
  readonly admitted?: true;
  /**
   * A missile's wound into the body (a bullet, a fragment): a war wound, so seen at Role 1 at least
   * before any return to duty, and by a surgeon at Role 2 unless it is a mild one of a limb, for a wound
   * of the head, neck or trunk may have entered a cavity and a moderate one needs its debridement
   * (memory/fixes/0378-war-wounds-returned-to-duty-unseen.md).
   */
  readonly penetrating?: true;
  /**
   * Of moderate severity or worse, unfit for duty for weeks, as a moderate fracture until its bone unites
   * (the course's `fractureHealing`): returned to duty from Role 4 only, held there 6-12 weeks after its
   * dwell, in hospital for its severity's stay. A torn anterior cruciate ligament leaves a knee that gives
   * way under load until reconstructed, out of theatre
   * (memory/fixes/0353-knee-tears-returned-to-duty-unexamined.md).
   */
  readonly healsForWeeks?: true;
  /**
   * Returns to duty from no echelon before Role 4, whatever its operations, as after a major one, when
   * of moderate severity or worse: an open globe injury is repaired by the ophthalmic surgeon of Role 3
   * and evacuated out of theatre (memory/fixes/0315-open-globe-repaired-at-role-2.md). A severe injury
   * of any kind is, without it (OUT_OF_THEATRE_WHEN_SEVERE).
   */
  readonly outOfTheatre?: true;
  /** Occurs only in a scenario whose `endemic_diseases` names this disease (endemic-diseases.ts). */
  readonly endemic?: EndemicDisease;
  /** Secondary conditions it often brings (polytrauma links), with probabilities. */
  readonly related?: readonly RelatedCondition[];
}

/** A condition another often brings, with its probability, from a severity of the one that brings it. */
export interface RelatedCondition {
  readonly code: string;
  readonly p: number;
  readonly minSeverity?: number;
}

const HEAD: readonly BodyPart[] = ['Head'];
const ALL_TRAUMA_SITES: readonly BodyPart[] = [
  'Head',
  'Face',
  'Neck',
  'Chest',
  'Abdomen',
  'Pelvis',
  'Back',
  ...LIMBS,
  ...LIMBS,
];
const SYSTEMIC: readonly BodyPart[] = ['Systemic'];

/** What a viral or parasitic illness, or a symptom of unknown cause, is withheld: antibiotics. */
const NOT_BACTERIAL: readonly ProcedureKey[] = ['ivAntibiotics'];
/**
 * What an infection of the nose and throat is withheld: the respiratory protocol's chest X-ray, which
 * looks for a pneumonia (memory/fixes/0339-chest-x-rays-for-sore-throats.md).
 */
const UPPER_AIRWAY: readonly ProcedureKey[] = ['chestXray'];
/**
 * What a condition with no open wound is withheld: a dressing, pressure on a wound, wound care, a
 * suture, a dressing change, tetanus. A bruise (memory/fixes/0346-wound-care-for-a-bruise.md), an
 * infection of the skin or of a tooth without a wound or an abscess (0345), and a closed fracture's
 * bleeding inside the body, which lib/generation/treatment-plan.ts withholds them from (0344).
 */
export const NO_OPEN_WOUND: readonly ProcedureKey[] = [
  'dressing',
  'pressureDressing',
  'directPressure',
  'woundCare',
  'sutureWound',
  'sutureClosure',
  'dressingChange',
  'tetanus',
];

/**
 * What a cellulitis is withheld: a wound's care (it has no wound, fix 0345) and an operation. Antibiotics
 * treat it; a surgeon drains an abscess or debrides a necrotising infection, neither of which it is
 * (memory/fixes/0363-cellulitis-operated-on.md).
 */
const CELLULITIS_CARE_WITHHELD: readonly ProcedureKey[] = [...NO_OPEN_WOUND, 'surgery'];

/**
 * A brain injury is operated on for what it is: a subdural haematoma is evacuated, and only it; a
 * contusion or another haemorrhage has a craniotomy, and only when severe (PROCEDURE_MIN_SEVERITY)
 * (memory/fixes/0302-brain-operations-by-protocol-order-not-lesion.md).
 */
const NO_SUBDURAL: readonly ProcedureKey[] = ['subduralEvacuation'];
/**
 * Air in the chest is drained, not operated on: a chest drain is its treatment, and an operation for
 * the chest is for a haemothorax, the massive bleeding a drain does not stop
 * (memory/fixes/0303-every-pneumothorax-operated-on.md).
 */
const DRAINED_NOT_OPERATED: readonly ProcedureKey[] = ['surgery'];

/**
 * A bullet or fragment that enters the chest beyond its wall lets air or blood into the pleura: a
 * moderate wound of the chest may bring a pneumothorax, a severe one a haemothorax too, both drained
 * (Hemothorax and Pneumothorax come only where the wound is, the chest;
 * memory/fixes/0376-penetrating-chest-wounds-never-drained.md).
 */
const INTO_THE_PLEURA: readonly RelatedCondition[] = [
  { code: '36118008', p: 0.5, minSeverity: 5 },
  { code: '31892009', p: 0.5, minSeverity: 7 },
];

const BI = (w: number) => ({ BATTLE_TRAUMA: w });
const NBI = (w: number) => ({ NON_BATTLE: w });
const DIS = (w: number) => ({ DISEASE: w });

/**
 * A closed fracture's steps it never gets: no wound to dress, debride or give tetanus for, no reduction
 * of an open fracture, no external fixator. A non-battle fracture of the fracture protocol is closed
 * whatever its code (lib/generation/treatment-plan.ts; memory/fixes/0343-closed-femurs-debrided-as-open.md).
 */
export const CLOSED_FRACTURE: readonly ProcedureKey[] = [
  'pressureDressing',
  'debridement',
  'openReduction',
  'externalFixation',
  'tetanus',
];

/**
 * A crushed limb's steps of the fracture protocol it never gets: no bone is recorded broken, so none is
 * reduced, fixed or debrided as an open fracture, nor has fracture care; it is splinted, X-rayed and
 * scanned (memory/fixes/0369-crushed-limbs-fixed-as-fractures.md).
 */
const NO_BROKEN_BONE: readonly ProcedureKey[] = [
  'debridement',
  'openReduction',
  'externalFixation',
  'orif',
  'fractureCare',
];

export const CONDITIONS: readonly ConditionDef[] = [
  // Battle injuries
  {
    code: '262574004',
    name: 'Bullet wound',
    weights: BI(16),
    sites: ALL_TRAUMA_SITES,
    severity: [4, 9],
    care: 'hemorrhage',
    penetrating: true,
    related: [{ code: '131148009', p: 0.5 }, { code: '355001', p: 0.35, minSeverity: 8 }, ...INTO_THE_PLEURA],
  },
  {
    code: '262560006',
    name: 'Penetrating wound',
    weights: BI(18),
    sites: ALL_TRAUMA_SITES,
    severity: [3, 9],
    care: 'hemorrhage',
    penetrating: true,
    related: [
      { code: '125670008', p: 0.4 },
      { code: '131148009', p: 0.4 },
      { code: '355001', p: 0.3, minSeverity: 8 },
      ...INTO_THE_PLEURA,
    ],
  },
  {
    code: '125643001',
    name: 'Open wound',
    weights: BI(8),
    sites: ['Face', 'Neck', ...LIMBS, ...LIMBS],
    severity: [2, 6],
    care: 'soft_tissue',
    related: [{ code: '125670008', p: 0.3 }],
  },
  {
    code: '262595009',
    name: 'Traumatic amputation',
    weights: BI(3),
    sites: LIMBS,
    severity: [8, 10],
    care: 'amputation',
    related: [
      { code: '131148009', p: 0.7 },
      { code: '355001', p: 0.4 },
    ],
  },
  {
    code: '699875007',
    name: 'Traumatic amputation at level between knee and ankle',
    weights: BI(2),
    sites: LEGS,
    severity: [8, 10],
    care: 'amputation',
    related: [
      { code: '131148009', p: 0.7 },
      { code: '355001', p: 0.4 },
    ],
  },
  {
    code: '127295002',
    name: 'Traumatic brain injury',
    weights: BI(5),
    sites: HEAD,
    severity: [6, 10],
    care: 'tbi',
    withhold: NO_SUBDURAL,
    // Not a concussion with it: that is a mild brain injury, this one the same brain's graver one (CONCUSSIONS).
    related: [{ code: '450410005', p: 0.35, minSeverity: 8 }],
  },
  {
    code: '110030002',
    name: 'Concussion injury of brain',
    concussion: true,
    weights: { BATTLE_TRAUMA: 4, NON_BATTLE: 2 },
    sites: HEAD,
    severity: [2, 5],
    care: 'head_minor',
  },
  {
    code: '62564004',
    name: 'Concussion with loss of consciousness',
    concussion: true,
    weights: BI(2),
    sites: HEAD,
    severity: [3, 6],
    care: 'head_minor',
  },
  {
    code: '450410005',
    name: 'Intracranial hemorrhage following injury',
    weights: BI(1),
    sites: HEAD,
    severity: [8, 10],
    care: 'tbi',
    withhold: NO_SUBDURAL,
  },
  {
    code: '209987007',
    name: 'Traumatic subdural intracranial hemorrhage',
    weights: BI(1),
    sites: HEAD,
    severity: [7, 10],
    care: 'tbi',
    // Its operation is named: the haematoma's evacuation, through a craniotomy not coded again.
    withhold: ['craniotomy'],
  },
  {
    code: '125666000',
    name: 'Burn',
    weights: { BATTLE_TRAUMA: 4, NON_BATTLE: 3 },
    sites: ['Face', 'Chest', 'Back', ...LIMBS],
    severity: [2, 7],
    care: 'burn',
  },
  {
    code: '403191005',
    name: 'Second degree burn',
    weights: { BATTLE_TRAUMA: 3, NON_BATTLE: 2 },
    sites: ['Face', 'Chest', 'Back', ...LIMBS],
    severity: [3, 6],
    care: 'burn',
  },
  {
    code: '403192003',
    name: 'Third degree burn',
    weights: BI(2),
    sites: ['Face', 'Chest', 'Back', ...LIMBS],
    severity: [6, 9],
    care: 'burn',
    related: [{ code: '27942005', p: 0.3, minSeverity: 8 }],
  },
  {
    code: '131148009',
    name: 'Bleeding',
    weights: BI(1),
    // Where a wound bleeds beyond a dressing's reach: the neck and the pelvis (junctional), the trunk and
    // the limbs; a head or face wound's bleeding is the wound's own care (fix 0274).
    sites: ['Neck', 'Chest', 'Abdomen', 'Pelvis', 'Back', ...LIMBS, ...LIMBS],
    severity: [3, 7],
    care: 'hemorrhage',
  },
  {
    code: '355001',
    name: 'Hemorrhagic shock',
    weights: BI(0.5),
    sites: SYSTEMIC,
    severity: [8, 10],
    care: 'hemorrhage',
  },
  // A severe burn's shock (plasma loss, the only condition it comes with): the burn's fluids, not a
  // bleeding's control, blood or tranexamic acid (memory/fixes/0275-a-burn-s-shock-treated-as-bleeding.md).
  { code: '27942005', name: 'Shock', weights: {}, sites: SYSTEMIC, severity: [8, 10], care: 'burn' },
  {
    code: '36118008',
    name: 'Pneumothorax',
    weights: BI(2),
    sites: ['Chest'],
    severity: [5, 8],
    care: 'chest',
    // Air in the chest without tension: drained at the first care, not needled, which is for a tension
    // pneumothorax (memory/fixes/0333-tension-pneumothorax-decompressed-late-or-never.md).
    withhold: [...DRAINED_NOT_OPERATED, 'needleDecompression'],
  },
  {
    code: '233645004',
    name: 'Tension pneumothorax',
    weights: BI(1.5),
    sites: ['Chest'],
    severity: [8, 10],
    care: 'chest',
    withhold: DRAINED_NOT_OPERATED,
  },
  {
    code: '31892009',
    name: 'Hemothorax',
    weights: BI(1.5),
    sites: ['Chest'],
    severity: [7, 9],
    care: 'chest',
    // Blood in the chest is drained, not needled (memory/fixes/0268).
    withhold: ['needleDecompression'],
    related: [{ code: '355001', p: 0.3 }],
  },
  {
    code: '78011002',
    name: 'Flail chest',
    weights: BI(0.5),
    sites: ['Chest'],
    severity: [7, 9],
    care: 'chest',
    // Broken ribs, no air or blood in the chest of its own: nothing to needle or drain; splinted by
    // analgesia and, if the breath fails, the ventilator, not operated on (fix 0303).
    withhold: ['needleDecompression', 'chestDrain', 'surgery'],
  },
  {
    code: '397181002',
    name: 'Open fracture',
    fracture: true,
    weights: BI(5),
    sites: LIMBS,
    severity: [5, 8],
    care: 'fracture',
    related: [{ code: '131148009', p: 0.4 }],
  },
  {
    code: '71620000',
    name: 'Fracture of femur',
    fracture: true,
    weights: { BATTLE_TRAUMA: 2, NON_BATTLE: 1 },
    sites: LEGS,
    severity: [6, 8],
    care: 'fracture',
  },
  {
    code: '66308002',
    name: 'Fracture of humerus',
    fracture: true,
    weights: { BATTLE_TRAUMA: 1.5, NON_BATTLE: 1 },
    sites: ARMS,
    severity: [4, 6],
    care: 'fracture',
  },
  {
    code: '77493009',
    name: 'Fracture of pelvis',
    fracture: true,
    weights: { BATTLE_TRAUMA: 1, NON_BATTLE: 0.5 },
    sites: ['Pelvis'],
    severity: [7, 9],
    care: 'pelvis',
    related: [{ code: '131148009', p: 0.5 }],
  },
  {
    code: '1734006',
    name: 'Fracture of vertebral column with spinal cord injury',
    fracture: true,
    weights: BI(0.8),
    sites: ['Back'],
    severity: [8, 10],
    care: 'spine',
  },
  {
    code: '128069005',
    name: 'Injury of abdomen',
    weights: BI(3),
    sites: ['Abdomen'],
    severity: [6, 9],
    care: 'abdomen',
    related: [{ code: '131148009', p: 0.4 }],
  },
  {
    code: '125665001',
    name: 'Crushing injury',
    weights: { BATTLE_TRAUMA: 1.5, NON_BATTLE: 2 },
    sites: LIMBS,
    severity: [4, 8],
    care: 'fracture',
    withhold: NO_BROKEN_BONE,
    imagedBeforeDuty: true,
    related: [{ code: '23697004', p: 0.2, minSeverity: 7 }],
  },
  {
    code: '23697004',
    name: 'Crush syndrome',
    weights: {},
    sites: SYSTEMIC,
    severity: [7, 9],
    // Fluids, blood gases and intensive care of its protocol; muscle breakdown, not an infection.
    care: 'systemic_infection',
    withhold: NOT_BACTERIAL,
    afebrile: true,
  },
  {
    code: '231794000',
    name: 'Injury of globe of eye',
    weights: BI(1),
    sites: ['Eye'],
    // Sight-threatening, not life-threatening: delayed (T2) at most (fix 0256).
    severity: [4, 6],
    care: 'eye',
    outOfTheatre: true,
  },
  {
    code: '125670008',
    name: 'Foreign body',
    weights: BI(1),
    sites: ['Face', ...LIMBS],
    severity: [2, 5],
    care: 'soft_tissue',
  },
  { code: '15188001', name: 'Hearing loss', weights: BI(1), sites: HEAD, severity: [1, 3], care: 'symptom' },
  {
    code: '1163387009',
    name: 'Multiple traumatic injuries',
    weights: BI(1),
    sites: SYSTEMIC,
    severity: [7, 10],
    care: 'hemorrhage',
    related: [{ code: '355001', p: 0.3 }],
  },
  // Non-battle injuries
  {
    code: '125605004',
    name: 'Fracture of bone',
    fracture: true,
    weights: NBI(5),
    sites: LIMBS,
    severity: [3, 6],
    care: 'fracture',
    // A fall, a sport or a vehicle: closed (memory/fixes/0270).
    withhold: CLOSED_FRACTURE,
  },
  {
    code: '423125000',
    name: 'Closed fracture of bone',
    fracture: true,
    weights: NBI(4),
    sites: LIMBS,
    severity: [3, 5],
    care: 'fracture',
    withhold: CLOSED_FRACTURE,
  },
  {
    code: '16114001',
    name: 'Fracture of ankle',
    fracture: true,
    weights: NBI(4),
    sites: LEGS,
    severity: [3, 5],
    care: 'fracture',
    // A fall, a sport or a vehicle: closed (memory/fixes/0270).
    withhold: CLOSED_FRACTURE,
  },
  {
    code: '414292006',
    name: 'Fracture of lower leg',
    fracture: true,
    weights: NBI(2),
    sites: LEGS,
    severity: [4, 6],
    care: 'fracture',
    // A fall, a sport or a vehicle: closed (memory/fixes/0270).
    withhold: CLOSED_FRACTURE,
  },
  {
    code: '33737001',
    name: 'Fracture of rib',
    fracture: true,
    weights: NBI(2),
    sites: ['Chest'],
    severity: [3, 5],
    care: 'chest',
    // A closed, simple fracture: no air or blood to needle or drain, no wound to seal, a breath of its
    // own, no operation; analgesia, oxygen if it needs it and an X-ray.
    withhold: ['needleDecompression', 'chestDrain', 'dressing', 'bagMask', 'surgery'],
  },
  {
    code: '15724005',
    name: 'Fracture of vertebral column without spinal cord injury',
    fracture: true,
    weights: NBI(1),
    sites: ['Back'],
    severity: [4, 7],
    care: 'spine',
  },
  {
    code: '44465007',
    name: 'Sprain of ankle',
    weights: NBI(10),
    sites: LEGS,
    severity: [1, 3],
    care: 'sprain',
  },
  {
    code: '70704007',
    name: 'Sprain of wrist',
    weights: NBI(4),
    sites: ARMS,
    severity: [1, 2],
    care: 'sprain',
  },
  {
    code: '239720000',
    name: 'Tear of meniscus of knee',
    weights: NBI(3),
    sites: LEGS,
    severity: [2, 4],
    care: 'sprain',
    imagedBeforeDuty: true,
  },
  {
    code: '444470001',
    name: 'Injury of anterior cruciate ligament',
    weights: NBI(2),
    sites: LEGS,
    severity: [2, 4],
    care: 'sprain',
    imagedBeforeDuty: true,
    healsForWeeks: true,
  },
  {
    code: '39848009',
    name: 'Whiplash injury to neck',
    weights: NBI(3),
    sites: ['Neck'],
    severity: [1, 4],
    care: 'spine',
    // A soft-tissue neck injury: neither surgery nor a whole-body CT.
    withhold: ['surgery', 'ctWholeBody'],
  },
  {
    code: '312608009',
    name: 'Laceration - injury',
    weights: NBI(5),
    sites: ['Face', ...LIMBS],
    severity: [1, 4],
    care: 'soft_tissue',
  },
  {
    code: '284549007',
    name: 'Laceration of hand',
    weights: NBI(5),
    sites: ARMS,
    severity: [1, 3],
    care: 'soft_tissue',
  },
  {
    code: '283385000',
    name: 'Laceration of thigh',
    weights: NBI(2),
    sites: LEGS,
    severity: [2, 4],
    care: 'soft_tissue',
  },
  {
    code: '399963005',
    name: 'Abrasion',
    weights: NBI(3),
    sites: LIMBS,
    severity: [1, 2],
    care: 'soft_tissue',
  },
  {
    code: '125667009',
    name: 'Contusion',
    weights: NBI(5),
    sites: ['Head', 'Chest', 'Back', ...LIMBS],
    severity: [1, 3],
    care: 'soft_tissue',
    // A bruise: the skin is whole.
    withhold: NO_OPEN_WOUND,
  },
  {
    code: '82271004',
    name: 'Injury of head',
    weights: NBI(2),
    sites: HEAD,
    severity: [2, 6],
    care: 'head_minor',
  },
  {
    code: '62106007',
    name: 'Concussion with no loss of consciousness',
    concussion: true,
    weights: NBI(2),
    sites: HEAD,
    severity: [1, 3],
    care: 'head_minor',
  },
  {
    code: '787018009',
    name: 'Foreign body of eye region',
    weights: NBI(1.5),
    sites: ['Eye'],
    severity: [1, 3],
    care: 'eye',
    // Grit on the eye is washed or lifted off under drops at first care, not operated on under
    // anaesthesia (memory/fixes/0307-grit-in-the-eye-operated-on.md).
    withhold: ['surgery'],
  },
  {
    code: '1197782006',
    name: 'Hyperthermia',
    weights: NBI(2),
    sites: SYSTEMIC,
    severity: [3, 8],
    care: 'heat',
  },
  {
    code: '34095006',
    name: 'Dehydration',
    weights: { NON_BATTLE: 2, DISEASE: 2 },
    sites: SYSTEMIC,
    severity: [2, 5],
    care: 'heat',
    // The heat protocol's oxygen is for heat illness, not a lack of water.
    withhold: ['oxygen'],
  },
  {
    code: '386689009',
    name: 'Hypothermia',
    weights: NBI(1),
    sites: SYSTEMIC,
    severity: [3, 8],
    care: 'cold',
    // The cold protocol's wound care, tetanus check and rehabilitation are frostbite's, and so is its pain.
    withhold: ['woundCare', 'tetanus', 'rehabilitation'],
    painless: true,
  },
  { code: '370977006', name: 'Frostbite', weights: NBI(0.5), sites: LIMBS, severity: [2, 6], care: 'cold' },
  // Disease and non-battle illness
  {
    code: '54150009',
    name: 'Upper respiratory infection',
    weights: DIS(10),
    sites: SYSTEMIC,
    severity: [1, 3],
    care: 'respiratory',
    withhold: [...NOT_BACTERIAL, ...UPPER_AIRWAY],
  },
  {
    code: '195662009',
    name: 'Acute viral pharyngitis',
    weights: DIS(5),
    sites: ['Neck'],
    severity: [1, 2],
    care: 'respiratory',
    withhold: [...NOT_BACTERIAL, ...UPPER_AIRWAY],
  },
  {
    code: '43878008',
    name: 'Streptococcal sore throat',
    weights: DIS(3),
    sites: ['Neck'],
    severity: [1, 3],
    care: 'respiratory',
    bacterial: true,
    withhold: UPPER_AIRWAY,
  },
  {
    code: '10509002',
    name: 'Acute bronchitis',
    weights: DIS(4),
    sites: ['Chest'],
    severity: [2, 4],
    care: 'respiratory',
    withhold: NOT_BACTERIAL,
  },
  {
    code: '233604007',
    name: 'Pneumonia',
    weights: DIS(3),
    sites: ['Chest'],
    severity: [4, 8],
    care: 'respiratory',
    related: [{ code: '91302008', p: 0.15, minSeverity: 7 }],
    bacterial: true,
  },
  {
    code: '6142004',
    name: 'Influenza',
    weights: DIS(5),
    sites: SYSTEMIC,
    severity: [2, 5],
    care: 'respiratory',
    withhold: NOT_BACTERIAL,
    contagious: true,
  },
  {
    code: '840539006',
    name: 'COVID-19',
    weights: DIS(3),
    sites: SYSTEMIC,
    severity: [2, 7],
    care: 'respiratory',
    withhold: NOT_BACTERIAL,
    contagious: true,
  },
  {
    code: '25374005',
    name: 'Gastroenteritis',
    weights: DIS(9),
    sites: ['Abdomen'],
    severity: [2, 5],
    care: 'gastro',
    related: [{ code: '34095006', p: 0.3 }],
    contagious: true,
  },
  {
    code: '62315008',
    name: 'Diarrhea',
    weights: DIS(6),
    sites: ['Abdomen'],
    severity: [1, 3],
    care: 'gastro',
    contagious: true,
  },
  {
    code: '111939009',
    name: 'Dysentery',
    weights: DIS(2),
    sites: ['Abdomen'],
    severity: [3, 7],
    care: 'gastro',
    related: [{ code: '34095006', p: 0.4 }],
    bacterial: true,
    contagious: true,
  },
  {
    code: '422587007',
    name: 'Nausea',
    weights: DIS(1),
    sites: ['Abdomen'],
    severity: [1, 2],
    care: 'symptom',
  },
  {
    code: '422400008',
    name: 'Vomiting',
    weights: DIS(1),
    sites: ['Abdomen'],
    severity: [1, 3],
    care: 'gastro',
  },
  {
    code: '21522001',
    name: 'Abdominal pain',
    weights: DIS(3),
    sites: ['Abdomen'],
    severity: [1, 4],
    care: 'symptom',
  },
  {
    code: '74400008',
    name: 'Appendicitis',
    weights: DIS(2),
    sites: ['Abdomen'],
    severity: [5, 8],
    care: 'surgical_abdomen',
  },
  {
    code: '128045006',
    name: 'Cellulitis',
    weights: DIS(3),
    sites: LIMBS,
    severity: [2, 5],
    care: 'skin',
    bacterial: true,
    withhold: CELLULITIS_CARE_WITHHELD,
  },
  {
    code: '95880003',
    name: 'Soft tissue infection',
    weights: DIS(2),
    sites: LIMBS,
    severity: [2, 5],
    care: 'skin',
    bacterial: true,
  },
  {
    code: '128477000',
    name: 'Abscess',
    weights: DIS(2),
    sites: ['Back', ...LIMBS],
    severity: [2, 5],
    care: 'abscess',
    bacterial: true,
  },
  {
    code: '84849002',
    name: 'Tinea corporis',
    weights: DIS(2),
    sites: ['Back', 'Chest'],
    severity: [1, 2],
    care: 'topical',
  },
  {
    code: '40275004',
    name: 'Contact dermatitis',
    weights: DIS(2),
    sites: ARMS,
    severity: [1, 2],
    care: 'topical',
  },
  {
    code: '68566005',
    name: 'Urinary tract infectious disease',
    weights: DIS(3),
    sites: ['Pelvis'],
    severity: [1, 4],
    care: 'systemic_infection',
    bacterial: true,
  },
  {
    code: '9826008',
    name: 'Conjunctivitis',
    weights: DIS(3),
    sites: ['Eye'],
    severity: [1, 2],
    care: 'topical',
  },
  {
    code: '61462000',
    name: 'Malaria',
    weights: DIS(1.5),
    sites: SYSTEMIC,
    severity: [4, 9],
    care: 'systemic_infection',
    withhold: NOT_BACTERIAL,
    endemic: 'malaria',
    admitted: true,
  },
  {
    code: '38362002',
    name: 'Dengue',
    weights: DIS(1),
    sites: SYSTEMIC,
    severity: [3, 8],
    care: 'systemic_infection',
    withhold: NOT_BACTERIAL,
    endemic: 'dengue',
    clinicianDiagnosed: true,
    admitted: true,
  },
  {
    code: '80612004',
    name: 'Leishmaniasis',
    weights: DIS(0.5),
    sites: SYSTEMIC,
    severity: [2, 5],
    care: 'systemic_infection',
    withhold: NOT_BACTERIAL,
    endemic: 'leishmaniasis',
    clinicianDiagnosed: true,
  },
  {
    code: '4834000',
    name: 'Typhoid fever',
    weights: DIS(0.5),
    sites: SYSTEMIC,
    severity: [4, 8],
    care: 'systemic_infection',
    endemic: 'typhoid_fever',
    bacterial: true,
  },
  {
    code: '91302008',
    name: 'Sepsis',
    weights: DIS(0.5),
    sites: SYSTEMIC,
    severity: [7, 10],
    care: 'systemic_infection',
    related: [{ code: '76571007', p: 0.3, minSeverity: 9 }],
    bacterial: true,
  },
  {
    code: '76571007',
    name: 'Septic shock',
    weights: {},
    sites: SYSTEMIC,
    severity: [9, 10],
    care: 'systemic_infection',
  },
  { code: '386661006', name: 'Fever', weights: DIS(4), sites: SYSTEMIC, severity: [1, 3], care: 'symptom' },
  {
    code: '27355003',
    name: 'Toothache',
    weights: DIS(2),
    sites: ['Face'],
    severity: [1, 2],
    care: 'symptom',
  },
  {
    code: '109612009',
    name: 'Dentoalveolar cellulitis',
    weights: DIS(1),
    sites: ['Face'],
    severity: [2, 5],
    care: 'skin',
    bacterial: true,
    withhold: NO_OPEN_WOUND,
  },
  { code: '73595000', name: 'Stress', weights: DIS(2), sites: SYSTEMIC, severity: [1, 2], care: 'mental' },
  {
    code: '67195008',
    name: 'Acute stress disorder',
    weights: DIS(2),
    sites: SYSTEMIC,
    severity: [2, 4],
    care: 'mental',
    clinicianDiagnosed: true,
  },
  {
    code: '61157009',
    name: 'Combat fatigue',
    weights: DIS(2),
    sites: SYSTEMIC,
    severity: [2, 4],
    care: 'mental',
  },
  {
    code: '446175003',
    name: 'Acute posttraumatic stress disorder following military combat',
    weights: DIS(1),
    sites: SYSTEMIC,
    severity: [3, 5],
    care: 'mental',
    clinicianDiagnosed: true,
  },
  {
    code: '36923009',
    name: 'Major depression, single episode',
    weights: DIS(1),
    sites: SYSTEMIC,
    severity: [3, 5],
    care: 'mental',
    clinicianDiagnosed: true,
  },
  { code: '25064002', name: 'Headache', weights: DIS(3), sites: HEAD, severity: [1, 2], care: 'symptom' },
  {
    code: '267036007',
    name: 'Dyspnea',
    weights: DIS(1),
    sites: ['Chest'],
    severity: [2, 8],
    care: 'respiratory',
    withhold: NOT_BACTERIAL,
    afebrile: true,
  },
  {
    code: '23924001',
    name: 'Tight chest',
    weights: DIS(1),
    sites: ['Chest'],
    severity: [2, 7],
    care: 'respiratory',
    withhold: NOT_BACTERIAL,
    afebrile: true,
  },
];

export const CONDITION_BY_CODE: ReadonlyMap<string, ConditionDef> = new Map(
  CONDITIONS.map((c) => [c.code, c]),
);

/** Protocols whose conditions hurt (unless `painless`): trauma, an acute surgical abdomen, cold injury. */
export const PAINFUL_CARE: ReadonlySet<CareProtocol> = new Set<CareProtocol>([
  ...TRAUMA_CARE,
  'surgical_abdomen',
  'cold',
]);
/** Conditions that are pain themselves: headache, toothache, abdominal pain, a sore throat. */
export const PAIN_SYMPTOMS: ReadonlySet<string> = new Set([
  '25064002', // Headache
  '27355003', // Toothache
  '21522001', // Abdominal pain
  '195662009', // Acute viral pharyngitis
  '43878008', // Streptococcal sore throat
]);
/** A painful condition hurts enough to be treated from this severity. */
export const PAIN_FROM_SEVERITY = 3;

/**
 * Whether a condition hurts enough to be treated: a pain symptom, or a painful condition of
 * PAIN_FROM_SEVERITY or more. The one test for analgesia (medications.ts) and for the procedure
 * "Pain management" (lib/generation/treatment-plan.ts); a patient in no pain gets neither (memory/fixes/0262, 0264).
 */
export function hurts(condition: { readonly code: string; readonly severity: number }): boolean {
  if (PAIN_SYMPTOMS.has(condition.code)) return true;
  const def = CONDITION_BY_CODE.get(condition.code);
  return (
    def !== undefined &&
    condition.severity >= PAIN_FROM_SEVERITY &&
    PAINFUL_CARE.has(def.care) &&
    def.painless !== true
  );
}

/**
 * Concussions are mild brain injuries: none is coded beside a brain injury of the `tbi` protocol,
 * the same brain's graver diagnosis (memory/fixes/0273-concussion-coded-beside-a-severe-brain-injury.md).
 */
export const CONCUSSIONS: ReadonlySet<string> = new Set(['110030002', '62564004']);

/** Procedures that relieve pain: only for a patient whose condition `hurts`. */
export const PAIN_RELIEF: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>(['painManagement']);

/** The condition "Hypothermia" (a complication of cold and delay, or primary in the cold). */
export const HYPOTHERMIA = '386689009';
/** The condition "Hyperthermia" (a heat illness, exhaustion or stroke by its severity). */
export const HYPERTHERMIA = '1197782006';
/** A core temperature below this is hypothermia (°C). */
export const HYPOTHERMIA_BELOW_C = 35;
/**
 * Below this core temperature hypothermia is moderate (the Swiss staging's HT II, 28-32 °C): the
 * patient stops shivering, its consciousness is impaired, its heart and breathing slow; at 28 °C
 * (HT III) it is unconscious (memory/fixes/0300-moderate-hypothermia-with-a-racing-heart.md).
 */
export const MODERATE_HYPOTHERMIA_BELOW_C = 32;

/**
 * The core temperature of a hypothermia of this severity when found: mild (32-35 °C) at severity 3-7,
 * 0.5 °C colder per point, moderate (28-32 °C) from 8 (memory/fixes/0267).
 */
export function hypothermicTemperature(severity: number): number {
  return HYPOTHERMIA_BELOW_C - 0.5 * (severity - 2);
}

/**
 * The core temperature of an accidental (primary) hypothermia when found, by the triage band of its
 * shown health, as a brain injury's GCS follows its triage (fix 0276), on the Swiss staging of
 * accidental hypothermia (Brown DJA et al., "Accidental hypothermia", N Engl J Med 2012;367:1930-8):
 * minimal, conscious and shivering, HT I, 35-32.5 °C; delayed, its consciousness impaired, HT II's upper
 * half, 31.8-30 °C; immediate, HT II's lower half to HT III, 29.8-25 °C, unconscious from 28 °C. Lower
 * within each band as the health is. `hypothermicTemperature` stays a trauma's hypothermia's, a
 * complication whose health is its wounds' (memory/fixes/0406-severe-hypothermia-at-32-degrees.md).
 */
export function accidentalHypothermiaTemperature(shown: number): number {
  const depth = depthInTriageBand(shown);
  if (shown >= T2_BELOW) return 35 - depth * 2.5;
  if (shown >= T1_BELOW) return 31.8 - depth * 1.8;
  return 29.8 - depth * 4.8;
}

/**
 * Below HT IV's bound no pulse is felt (Brown et al. 2012): a living casualty's hypothermia, which the
 * illness since deepens, reads no colder.
 */
export const COLDEST_LIVING_C = 24;

/**
 * The core temperature of a hyperthermia of this severity when found: a heat exhaustion (severity 3-6)
 * 38.4-39.45 °C, 0.35 °C hotter per point; a heat stroke (severe, from SEVERE_FROM) 40.4 °C, 0.5 °C
 * hotter per point: a core above 40 °C with the brain's dysfunction is what makes a heat stroke
 * (Roberts WO et al., "ACSM Expert Consensus Statement on Exertional Heat Illness", Curr Sports Med
 * Rep 2023; US Army TB MED 507) (memory/fixes/0404-heat-strokes-below-40-degrees.md).
 */
export function hyperthermicTemperature(severity: number): number {
  return severity >= SEVERE_FROM ? 40.4 + 0.5 * (severity - SEVERE_FROM) : 37.35 + 0.35 * severity;
}

/**
 * Above this core temperature a heat casualty's brain is not clear: a heat stroke is confused or worse,
 * GCS 14 or less, until cooled below it (ACSM 2023: central nervous system dysfunction is the heat
 * stroke's sign) (memory/fixes/0405-heat-strokes-fully-conscious.md).
 */
export const HEAT_STROKE_ABOVE_C = 40;
export const HEAT_STROKE_MAX_GCS = 14;

/** A body temperature of this or more is a fever (°C). */
export const FEVER_FROM_C = 38;

/**
 * Acute cough illnesses whose chest is X-rayed only when an admission's vital signs suggest a
 * pneumonia (`suggestsPneumonia`): acute bronchitis and influenza (memory/fixes/0339).
 */
export const CHEST_XRAY_ON_SIGNS: ReadonlySet<string> = new Set([
  '10509002', // Acute bronchitis
  '6142004', // Influenza
]);

/**
 * Vital signs that call for a chest X-ray in an acute cough illness: a heart rate above 100, a
 * breathing rate above 24, a temperature above 38 °C (the American College of Physicians' and the
 * CDC's criteria for acute bronchitis, Gonzales et al., Ann Intern Med 2001), or an SpO2 below 94 %,
 * the floor of the usual target.
 */
export function suggestsPneumonia(vitals: {
  heart_rate: number;
  respiratory_rate: number;
  temperature: number;
  spo2: number;
}): boolean {
  return (
    vitals.heart_rate > 100 ||
    vitals.respiratory_rate > 24 ||
    vitals.temperature > FEVER_FROM_C ||
    vitals.spo2 < TARGET_SPO2_FLOOR
  );
}
/** The finding "Fever" itself. */
const FEVER_FINDING = '386661006';
/** Infections of the lungs and the blood run a fever at any severity... */
const FEBRILE_CARE: ReadonlySet<CareProtocol> = new Set(['respiratory', 'systemic_infection']);
/** ...a skin or soft-tissue infection only with systemic features, from this severity (Eron class II). */
const FEBRILE_SKIN_FROM = 4;
/** The skin and soft-tissue infections: a cellulitis, a soft tissue infection, an abscess. */
export const SKIN_INFECTION_CARE: ReadonlySet<CareProtocol> = new Set<CareProtocol>(['skin', 'abscess']);

/**
 * Whether a condition raises a fever: the finding "Fever", an infection of the lungs or the blood
 * unless it is `afebrile`, and a skin infection from FEBRILE_SKIN_FROM. The one test for the
 * temperature in the vital signs (lib/generation/vital-signs.ts); paracetamol for a fever then follows the temperature
 * measured (memory/fixes/0261-fever-finding-without-a-temperature.md).
 */
export function raisesFever(condition: { readonly code: string; readonly severity: number }): boolean {
  const def = CONDITION_BY_CODE.get(condition.code);
  return def !== undefined && defRaisesFever(def, condition.severity);
}

/** raisesFever for a condition's definition at a severity (the planner's clinical core has no record). */
export function defRaisesFever(def: ConditionDef, severity: number): boolean {
  if (def.code === FEVER_FINDING) return true;
  if (def.afebrile) return false;
  return FEBRILE_CARE.has(def.care) || (SKIN_INFECTION_CARE.has(def.care) && severity >= FEBRILE_SKIN_FROM);
}

/** SNOMED CT procedures (codes.md table 2). */
export const PROCEDURES = {
  tourniquet: { code: '20655006', name: 'Application of tourniquet' },
  pressureDressing: { code: '26906007', name: 'Application of dressing, pressure' },
  directPressure: { code: '735346000', name: 'Control of hemorrhage by application of direct pressure' },
  hemorrhageControl: { code: '51241000', name: 'Control of hemorrhage' },
  dressing: { code: '3895009', name: 'Application of dressing' },
  firstAid: { code: '386308007', name: 'First aid' },
  npa: { code: '182692007', name: 'Nasopharyngeal airway insertion' },
  artificialAirway: { code: '426153007', name: 'Insertion of artificial airway' },
  suction: { code: '230040009', name: 'Airway suctioning' },
  endotrachealTube: { code: '112798008', name: 'Insertion of endotracheal tube' },
  needleDecompression: { code: '1290622004', name: 'Needle chest decompression for tension pneumothorax' },
  chestDrain: { code: '264957007', name: 'Insertion of pleural tube drain' },
  bagMask: { code: '425696007', name: 'Manual respiratory assistance using bag and mask' },
  oxygen: { code: '57485005', name: 'Oxygen therapy' },
  oxygenMask: { code: '371908008', name: 'Oxygen administration by mask' },
  ventilation: {
    code: '26763009',
    name: 'Controlled ventilation procedure and therapy, initiation and management',
  },
  weaning: { code: '243174005', name: 'Weaning from mechanically assisted ventilation' },
  ivAccess: { code: '392230005', name: 'Catheterization of vein' },
  ivTherapy: { code: '386340006', name: 'Intravenous therapy' },
  ivFluids: { code: '103744005', name: 'Administration of intravenous fluids' },
  fluidResuscitation: { code: '430701006', name: 'Resuscitation using intravenous fluid' },
  transfusion: { code: '116859006', name: 'Transfusion of blood product' },
  rbcTransfusion: { code: '116863004', name: 'Transfusion of red blood cells' },
  plasmaTransfusion: { code: '116861002', name: 'Transfusion of fresh frozen plasma' },
  plateletTransfusion: { code: '12719002', name: 'Platelet transfusion' },
  painManagement: { code: '278414003', name: 'Pain management' },
  ivAntibiotics: { code: '281790008', name: 'Intravenous antibiotic therapy' },
  /**
   * The protocols' tetanus step: it marks a condition tetanus-prone, whose immunity is checked at the
   * first care. An unimmunised patient would get this antitoxin; a NATO soldier is immunised, so
   * lib/generation/treatment-plan.ts never records it and medications.ts gives the toxoid booster when due
   * (memory/fixes/0364-tetanus-antitoxin-for-the-immunised.md, 0365).
   */
  tetanus: { code: '384700001', name: 'Injection of tetanus antitoxin' },
  boneImmobilization: { code: '274474001', name: 'Bone immobilization' },
  cSpine: { code: '398041008', name: 'Cervical spine immobilization' },
  pelvicSling: { code: '182556001', name: 'Pelvic sling' },
  woundCare: { code: '225358003', name: 'Wound care' },
  dressingChange: { code: '385949008', name: 'Dressing change management' },
  debridement: { code: '27930000', name: 'Debridement of open fracture' },
  sutureWound: { code: '288086009', name: 'Suture open wound' },
  sutureClosure: { code: '18557009', name: 'Closure by suture' },
  burnCare: { code: '133901003', name: 'Burn care' },
  skinGraft: { code: '304040003', name: 'Grafting to skin' },
  surgery: { code: '387713003', name: 'Surgical procedure' },
  laparotomy: { code: '86481000', name: 'Laparotomy' },
  exploratoryLaparotomy: { code: '74770008', name: 'Exploratory laparotomy' },
  splenectomy: { code: '234319005', name: 'Splenectomy' },
  limbAmputation: { code: '400053006', name: 'Amputation of limb' },
  lowerLimbAmputation: { code: '397117006', name: 'Amputation of lower limb' },
  craniotomy: { code: '25353009', name: 'Craniotomy' },
  subduralEvacuation: { code: '59712006', name: 'Evacuation of subdural haematoma' },
  openReduction: { code: '122471009', name: 'Reduction of open fracture' },
  orif: { code: '20701002', name: 'Open reduction of fracture with internal fixation' },
  externalFixation: { code: '179050006', name: 'Primary open reduction of fracture and external fixation' },
  fractureCare: { code: '385691007', name: 'Fracture care' },
  anesthesia: { code: '410770002', name: 'Administration of anesthesia for procedure' },
  ctHead: { code: '303653007', name: 'Computed tomography of head' },
  ctChest: { code: '169069000', name: 'Computed tomography of chest' },
  ctWholeBody: { code: '169072007', name: 'Computed tomography scan - whole body' },
  ctChestAbdomenPelvis: { code: '418023006', name: 'Computed tomography of chest, abdomen and pelvis' },
  xray: { code: '363680008', name: 'Radiographic imaging procedure' },
  chestXray: { code: '399208008', name: 'Plain chest X-ray' },
  pelvisXray: { code: '268425006', name: 'Pelvis X-ray' },
  ultrasound: { code: '16310003', name: 'Ultrasonography' },
  bloodTyping: { code: '44608003', name: 'Blood group typing' },
  bloodGas: { code: '278297009', name: 'Blood gas analysis' },
  icuAdmission: { code: '305351004', name: 'Admission to intensive care unit' },
  icuMonitoring: { code: '182810003', name: 'Intensive care monitoring' },
  rehabilitation: { code: '52052004', name: 'Rehabilitation therapy' },
  rehabilitationManagement: { code: '410083007', name: 'Rehabilitation therapy management' },
  headInjuryRehabilitation: { code: '47387005', name: 'Head injury rehabilitation' },
} as const satisfies Record<string, Coding>;
export type ProcedureKey = keyof typeof PROCEDURES;

/** Procedures that only make sense on some body parts (no tourniquet on the head). */
export const PROCEDURE_SITES: Readonly<Partial<Record<ProcedureKey, readonly BodyPart[]>>> = {
  tourniquet: LIMBS,
  needleDecompression: ['Chest'],
  chestDrain: ['Chest'],
  pelvicSling: ['Pelvis'],
  // An arm's: a leg's is the amputation of a lower limb, not a second one (memory/fixes/0280-a-leg-amputated-twice.md).
  limbAmputation: ARMS,
  lowerLimbAmputation: LEGS,
  craniotomy: ['Head'],
  subduralEvacuation: ['Head'],
  cSpine: ['Head', 'Neck', 'Back'],
  // A protocol's tube is for a brain injury or a burn of the face (its airway); a burn of a limb or the
  // trunk keeps its own airway (memory/fixes/0283-limb-burns-intubated.md). The patient's state (a GCS
  // of 8 or less, a failing breath) intubates whatever the site.
  endotrachealTube: ['Head', 'Face'],
  npa: ['Head', 'Face'],
  debridement: LIMBS,
  openReduction: LIMBS,
  externalFixation: [...LIMBS, 'Pelvis'],
  splenectomy: ['Abdomen'],
  // Not for a shock: its source is the wound, and a limb's is not in the abdomen (fix 0281).
  exploratoryLaparotomy: ['Abdomen', 'Pelvis'],
  laparotomy: ['Abdomen'],
};

/**
 * A tourniquet is for a limb wound that bleeds enough to need one: severity 5 and up, never a minimal
 * (T3) casualty's, whose bleeding a pressure dressing stops. It goes on the primary wound only
 * (PROCEDURE_FOR_PRIMARY_WOUND): the casualty's evacuation is urgent while it is on, until surgery, and
 * the course that decides the evacuation knows the primary wound alone
 * (memory/fixes/0253-tourniquet-casualties-waited-hours-for-evacuation.md).
 */
export const TOURNIQUET_FROM_SEVERITY = 5;
export const PROCEDURE_FOR_PRIMARY_WOUND: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>(['tourniquet']);

/**
 * TCCC's MARCH order at the point of injury, by rank: massive haemorrhage control (0), then the airway
 * (1), then a tension pneumothorax's needle decompression (respiration, 2), before any other step, a
 * splint's or a dressing's (memory/fixes/0333-tension-pneumothorax-decompressed-late-or-never.md).
 * Inside the haemorrhage's rank, TCCC's sequence: a limb's tourniquet, then pressure on the wound, its
 * packing with a haemostatic dressing, and the pressure dressing that holds it
 * (memory/fixes/0380-a-wound-dressed-before-it-was-pressed.md).
 */
export const MARCH_RANK: Readonly<Partial<Record<ProcedureKey, number>>> = {
  tourniquet: 0,
  directPressure: 0.25,
  hemorrhageControl: 0.5,
  pressureDressing: 0.75,
  npa: 1,
  needleDecompression: 2,
};
/** The rank of a step MARCH_RANK does not list: after all of them. */
export const AFTER_MARCH = 3;

/**
 * An illness (a condition of no TRAUMA_CARE protocol) below this severity is treated by mouth: its
 * protocol's line into a vein, IV fluids and IV antibiotics are for a moderate illness or worse
 * (oral rehydration salts and an oral antibiotic otherwise;
 * memory/fixes/0286-mild-illnesses-put-on-a-drip.md).
 */
export const ILLNESS_IV_FROM_SEVERITY = 4;
export const INTRAVENOUS_PROCEDURES: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'ivAccess',
  'ivFluids',
  'ivTherapy',
  'fluidResuscitation',
  'ivAntibiotics',
]);

/**
 * Fluids by vein are for a moderate condition or worse: a mild burn or a bruised abdomen drinks. A burn
 * of this severity or more gets them at its first care whatever the count of steps allows (burn
 * resuscitation; memory/fixes/0288-burn-fluids-for-the-mild-not-the-severe.md).
 */
export const FLUIDS_FROM_SEVERITY = 4;
/**
 * Conditions treated first by fluids by vein, given at their first care whatever the count of steps
 * allows and whichever condition is primary, as a severe burn's are: sepsis and septic shock (the
 * Surviving Sepsis Campaign: 30 mL/kg of crystalloid within the first 3 hours) and crush syndrome
 * (fluids against the kidneys' failure from the crushed muscle)
 * (memory/fixes/0338-septic-and-crushed-patients-without-fluids.md).
 */
export const FLUIDS_AT_FIRST_CARE: ReadonlySet<string> = new Set([
  '91302008', // Sepsis
  '76571007', // Septic shock
  '23697004', // Crush syndrome
]);
/**
 * A burn is excised and grafted when deep: a deep partial-thickness or full-thickness burn (severity 6
 * and up; every third-degree burn is), at the burn centre of Role 4, whichever wound is primary, in
 * the window of GRAFT_HOURS. A shallower one heals under dressings
 * (memory/fixes/0295-burns-grafted-within-hours-at-role-3.md).
 */
export const GRAFT_FROM_SEVERITY = 6;

/**
 * A burn deep enough to graft (GRAFT_FROM_SEVERITY or more, on the skin): excised and grafted at the
 * burn centre of Role 4 days after the injury, never in theatre (American Burn Association, burn centre
 * referral criteria: every full-thickness burn), so `unfitInTheatre`: held at Role 4 through its graft
 * and convalescence as after any major operation; the treatment plan's `deepBurn`
 * (memory/fixes/0408-deep-burns-back-on-duty-ungrafted.md).
 */
export function graftedBeforeDuty(condition: ConditionDef, site: BodyPart, severity: number): boolean {
  return condition.care === 'burn' && severity >= GRAFT_FROM_SEVERITY && site !== 'Systemic';
}
/**
 * Critical care is for severe conditions (severity 7 and up, the Severe grade): a protocol's ICU,
 * intubation and ventilation steps are skipped for a milder condition, as no Role 3 admits a urinary
 * tract infection to intensive care (memory/fixes/0226). Oxygen is for a moderate condition and up
 * (severity 4), not a sore throat.
 */
export const PROCEDURE_MIN_SEVERITY: Readonly<Partial<Record<ProcedureKey, number>>> = {
  tourniquet: TOURNIQUET_FROM_SEVERITY,
  oxygen: 4,
  oxygenMask: 4,
  endotrachealTube: 7,
  ventilation: 7,
  // A craniotomy for a severe brain injury, not a moderate one observed in intensive care (fix 0302).
  craniotomy: 7,
  // A spleen taken out for a severe abdominal injury only (8 or more), the kind that shatters a solid organ: the
  // condition table names no spleen injury (fix 0305).
  splenectomy: 8,
  icuAdmission: 7,
  icuMonitoring: 7,
  ivFluids: FLUIDS_FROM_SEVERITY,
  fluidResuscitation: FLUIDS_FROM_SEVERITY,
};

/**
 * A wound of the abdomen or pelvis (the exploratory laparotomy's PROCEDURE_SITES) of this severity or
 * worse that its protocol explores by laparotomy is explored at its first surgical echelon, Role 2 or
 * 3, whatever the echelon's count of steps and whichever wound is primary: a penetrating war wound of
 * the abdomen is explored, not observed (NATO Emergency War Surgery; the US Joint Trauma System's
 * guideline for abdominal injuries; memory/fixes/0310-penetrating-abdominal-wounds-not-explored.md).
 */
export const EXPLORED_FROM_SEVERITY = 4;
/**
 * A war wound is left open: debrided and dressed, never sutured at first. Its protocol's suture steps
 * are for a non-battle wound (a clean laceration at Role 1); a battle wound is closed by delayed primary
 * closure four to five days after the injury, at Role 3 or 4, wherever the casualty then is (war surgery's
 * rule, ICRC and the NATO Emergency War Surgery handbook;
 * memory/fixes/0298-war-wounds-sutured-within-hours.md).
 */
export const PRIMARY_CLOSURE: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'sutureWound',
  'sutureClosure',
]);
/**
 * Protocol steps given whatever the echelon's count of steps (TREATMENTS_PER_FACILITY, by triage), for
 * a condition of this severity or worse: a moderate laceration is sutured at Role 1 however minimal its
 * casualty, as a mild one need not be (adhesive strips, or left to heal)
 * (memory/fixes/0400-moderate-lacerations-left-open.md).
 */
export const UNCOUNTED_FROM_SEVERITY: Readonly<Partial<Record<ProcedureKey, number>>> = {
  sutureWound: 4,
};
export const DELAYED_PRIMARY_CLOSURE_HOURS: readonly [number, number] = [96, 120];
/**
 * A wound's dressings: a pressure dressing is a dressing, so a wound given one is not dressed again at
 * the same stop (memory/fixes/0354-abdominal-wounds-dressed-twice.md).
 */
export const WOUND_DRESSINGS: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'pressureDressing',
  'dressing',
]);
/**
 * A war fracture is held in theatre by a splint or an external fixator, and fixed internally only at
 * Role 4, once its wound is clean, five to ten days after the injury: no internal fixation of a war
 * fracture in theatre (the US Joint Trauma System's and the UK's rule;
 * memory/fixes/0304-war-fractures-fixed-internally-within-hours.md). A non-battle fracture keeps its
 * Role 3 fixation.
 */
export const WAR_INTERNAL_FIXATION_HOURS: readonly [number, number] = [120, 240];
/**
 * Operations a protocol gives to a part operated on at an earlier echelon only as the relook of damage
 * control, an operation done in haemorrhagic shock: an abdomen opened and repaired at Role 2 (an
 * exploratory laparotomy, an appendix taken out) is not opened again at Role 3
 * (memory/fixes/0305-two-laparotomies-for-every-abdominal-wound.md, 0306).
 */
export const RELOOK_ONLY: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>(['laparotomy']);
/**
 * Rehabilitation: it starts once the patient is no longer critical and off the ventilator, not on the
 * admission of a sedated or critical casualty (memory/fixes/0326-rehabilitation-on-a-ventilator.md).
 */
export const REHABILITATION: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'rehabilitation',
  'rehabilitationManagement',
  'headInjuryRehabilitation',
]);
/** The protocol steps a battle injury does not get: its state gives them later (fixes 0298, 0304). */
export const DEFERRED_IN_WAR: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([...PRIMARY_CLOSURE, 'orif']);

/**
 * The hours after the injury a deep burn's graft waits for (like a war wound's closure and a war
 * fracture's fixation above, given at an hour drawn in the window, or on arrival if later): once its
 * first 48 h of resuscitation are over, by day 4, at the burn centre of Role 4, not within hours of the
 * injury at Role 3 (memory/fixes/0295-burns-grafted-within-hours-at-role-3.md). A stay that ends
 * before the drawn hour gives the step up.
 */
export const GRAFT_HOURS: readonly [number, number] = [48, 96];

/**
 * Hypoxaemia (TCCC's threshold for supplemental oxygen): a casualty below it is pre-oxygenated before
 * its tube at Role 1, bagged at the point of injury, and ventilated at Role 2-3 when the oxygen it had
 * did not keep it above (memory/fixes/0233-hypoxaemic-casualties-without-oxygen.md, 0258, 0348).
 */
export const OXYGEN_BELOW_SPO2 = 90;
/**
 * The floor of the target saturation, 94-98 % (BTS guideline for oxygen use in adults): a casualty
 * admitted to Role 1 or beyond below it gets oxygen therapy before any protocol step, whatever its
 * conditions' protocols and their count of steps say, unless one of OXYGENATING_PROCEDURES already
 * runs (fix 0396); one saturating at it or more on air needs none, a protocol's oxygen included
 * (memory/fixes/0265-oxygen-for-patients-saturating-on-air.md).
 */
export const TARGET_SPO2_FLOOR = 94;
/**
 * A casualty admitted to Role 1-3 with a GCS at or below this cannot protect its airway: it is
 * intubated first there (ATLS: a definitive airway at GCS 8 or less), then ventilated from Role 2 on,
 * whatever its conditions' protocols and severities say (memory/fixes/0235-comatose-casualties-not-intubated.md).
 */
export const INTUBATE_AT_GCS = 8;
/**
 * Admitted with a tube in (put in at an earlier stop, not yet weaned), a patient is sedated on a
 * ventilator: its chart reads this GCS ("3T": the tube leaves no words to score, the sedation nothing
 * else) and a respiratory rate within VENTILATOR_RATE, the ventilator's set rate
 * (memory/fixes/0282-conscious-and-breathing-fast-on-a-ventilator.md).
 */
export const SEDATED_GCS = 3;
export const VENTILATOR_RATE: readonly [number, number] = [12, 22];
/**
 * Minutes a patient admitted on a ventilator breathes on its own through the tube (a spontaneous
 * breathing trial) before it comes off: 30 to 120 (ATS/ACCP guideline on liberation from mechanical
 * ventilation, 2017). Until then it is not minimal, whatever its health: its re-triage T3 follows the
 * weaning (memory/fixes/0395-minimal-on-a-ventilator.md).
 */
export const BREATHING_TRIAL_MINUTES: readonly [number, number] = [30, 120];
/**
 * A head condition of this severity and up is a brain injury whose GCS falls with the patient's
 * health (lib/generation/vital-signs.ts): 12 or less once delayed or immediate, a moderate or severe one.
 * Such a casualty goes as urgent to CT and a neurosurgeon at Role 3 (the course's `headInjury`;
 * memory/fixes/0272-moderate-brain-injuries-held-at-role-1.md).
 */
export const BRAIN_INJURY_FROM_SEVERITY = 5;

/**
 * Whether a condition of this code, site and severity is a moderate or severe brain injury
 * (BRAIN_INJURY_FROM_SEVERITY): a concussion, a mild brain injury by definition (GCS 13-15), is none,
 * whatever its severity (memory/fixes/0349-concussions-with-a-moderate-brain-injury-s-gcs.md).
 */
export function injuresBrain(code: string, site: BodyPart, severity: number): boolean {
  return (
    site === 'Head' &&
    severity >= BRAIN_INJURY_FROM_SEVERITY &&
    CONDITION_BY_CODE.get(code)?.concussion !== true
  );
}

/**
 * Blood for haemorrhagic shock follows the state too: an injured casualty admitted to Role 1-4 in
 * haemorrhagic shock (the BLOOD_PRODUCTS test below) gets blood there before any protocol step, unless
 * it already had that product: a blood product at Role 1 (the whole blood of damage control
 * resuscitation), red cells (with plasma, PROCEDURE_WITH) from Role 2, and platelets with them at Role
 * 3 and 4, 1:1:1. Injured and in shock is haemorrhage until shown otherwise (ATLS), whatever the wound; a burn
 * alone is not (its shock is plasma loss, for fluids), nor an illness's
 * (memory/fixes/0255-shocked-casualties-without-blood.md; Role 4's since
 * memory/fixes/0362-in-shock-at-role-4-without-blood.md).
 */
export const SHOCK_TRANSFUSION: Readonly<
  Record<'Role1' | 'Role2' | 'Role3' | 'Role4', readonly ProcedureKey[]>
> = {
  Role1: ['transfusion'],
  Role2: ['rbcTransfusion'],
  Role3: ['rbcTransfusion', 'plateletTransfusion'],
  Role4: ['rbcTransfusion', 'plateletTransfusion'],
};
/** Care protocols of injuries that bleed: every trauma's but a burn's. */
export const BLEEDING_INJURY_CARE: ReadonlySet<CareProtocol> = new Set<CareProtocol>(
  [...TRAUMA_CARE].filter((care) => care !== 'burn'),
);

/**
 * Imaging for a diagnosis: done before the operations of its stop, as a casualty is scanned before it
 * is operated on. In haemorrhagic shock a CT may follow: the bleeding casualty goes to theatre on an
 * ultrasound and is scanned once its bleeding is controlled, except its head before a brain operation
 * (memory/fixes/0294-imaging-after-the-operation.md).
 */
export const DIAGNOSTIC_IMAGING: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'ctHead',
  'ctChest',
  'ctWholeBody',
  'ctChestAbdomenPelvis',
  'xray',
  'chestXray',
  'pelvisXray',
  'ultrasound',
]);
export const COMPUTED_TOMOGRAPHY: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'ctHead',
  'ctChest',
  'ctWholeBody',
  'ctChestAbdomenPelvis',
]);
export const BRAIN_OPERATIONS: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'craniotomy',
  'subduralEvacuation',
]);

/** Procedures that already deliver oxygen: none is added on top of them. */
export const OXYGENATING_PROCEDURES: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'oxygen',
  'oxygenMask',
  'ventilation',
]);

/**
 * Blood products: given for haemorrhagic shock at the admission (a systolic pressure below
 * HYPOTENSIVE_BELOW_SBP, the shock that also decides the analgesic, or a shock index, heart rate over
 * systolic pressure, of TRANSFUSE_FROM_SHOCK_INDEX or more), or for a condition severe enough
 * (TRANSFUSE_FROM_SEVERITY: an immediate casualty's) that its bleeding is expected to need them, as
 * damage control resuscitation does; never to a compensated casualty with a moderate wound
 * (memory/fixes/0242-blood-for-every-bleeding-casualty.md).
 */
export const BLOOD_PRODUCTS: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'transfusion',
  'rbcTransfusion',
  'plasmaTransfusion',
  'plateletTransfusion',
]);
export const TRANSFUSE_FROM_SHOCK_INDEX = 1;
export const TRANSFUSE_FROM_SEVERITY = 7;

/** Operations: done under anaesthesia, and given surgical antibiotic prophylaxis. */
export const OPERATIONS: readonly ProcedureKey[] = [
  'surgery',
  'laparotomy',
  'exploratoryLaparotomy',
  'splenectomy',
  'limbAmputation',
  'lowerLimbAmputation',
  'craniotomy',
  'subduralEvacuation',
  'openReduction',
  'orif',
  'externalFixation',
  'debridement',
  'skinGraft',
];

/**
 * Steps that bring another with them, at the same moment, listed first and outside the echelon's
 * count of protocol steps, once per stop: plasma with red cells, as damage control resuscitation
 * transfuses them (a 1:1 ratio), never red cells alone (memory/fixes/0243-red-cells-without-plasma.md);
 * anaesthesia with every operation (memory/fixes/0245-operations-without-anaesthesia.md); an
 * endotracheal tube with controlled ventilation, which needs one (memory/fixes/0247); a line into a
 * vein with Role 1's blood, which runs through one
 * (memory/fixes/0279-blood-before-the-line-it-runs-through.md).
 */
export const PROCEDURE_WITH: Readonly<Partial<Record<ProcedureKey, ProcedureKey>>> = {
  transfusion: 'ivAccess',
  // Fluids run through a line too (memory/fixes/0288-burn-fluids-for-the-mild-not-the-severe.md).
  ivFluids: 'ivAccess',
  fluidResuscitation: 'ivAccess',
  rbcTransfusion: 'plasmaTransfusion',
  ...Object.fromEntries(OPERATIONS.map((key) => [key, 'anesthesia'])),
  ventilation: 'endotrachealTube',
};

/**
 * The operation that names none: not recorded at a stop where a named one (a laparotomy, an amputation,
 * a fixator) was done on the same body part, before or after it: the same operation twice
 * (memory/fixes/0281-one-operation-coded-twice.md).
 */
export const UNNAMED_OPERATION: ProcedureKey = 'surgery';

/** What PROCEDURE_WITH brings only once in a course: a tube or a line, once in, stays in. */
export const PROCEDURE_LASTING: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'endotrachealTube',
  'ivAccess',
]);

/**
 * Intensive care is for a patient admitted ill: below a minimal casualty's health (T2_BELOW in
 * health.ts, 75), not one whose vital signs are already those of a walking patient, whatever its
 * condition's severity (memory/fixes/0260-intensive-care-for-the-well.md).
 */
export const CRITICAL_CARE: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>([
  'icuAdmission',
  'icuMonitoring',
]);

type Protocol = Readonly<Record<Facility, readonly ProcedureKey[]>>;

/** Treatments per protocol and echelon, most important first. */
export const PROTOCOLS: Readonly<Record<CareProtocol, Protocol>> = {
  hemorrhage: {
    POI: ['tourniquet', 'pressureDressing', 'hemorrhageControl', 'directPressure'],
    Role1: ['ivAccess', 'transfusion', 'painManagement', 'tetanus', 'woundCare'],
    Role2: ['rbcTransfusion', 'surgery', 'plasmaTransfusion', 'ultrasound', 'exploratoryLaparotomy'],
    Role3: ['ctWholeBody', 'icuAdmission', 'ivAntibiotics', 'sutureClosure', 'plateletTransfusion'],
    Role4: ['dressingChange', 'rehabilitation'],
  },
  amputation: {
    POI: ['tourniquet', 'pressureDressing', 'painManagement'],
    Role1: ['ivAccess', 'transfusion', 'tetanus'],
    Role2: ['limbAmputation', 'lowerLimbAmputation', 'rbcTransfusion', 'plasmaTransfusion'],
    Role3: ['icuAdmission', 'ivAntibiotics', 'woundCare', 'plateletTransfusion'],
    Role4: ['rehabilitation', 'rehabilitationManagement'],
  },
  tbi: {
    POI: ['npa', 'cSpine', 'firstAid'],
    Role1: ['oxygenMask', 'ivAccess', 'endotrachealTube'],
    Role2: ['bloodGas'],
    Role3: ['ctHead', 'craniotomy', 'subduralEvacuation', 'icuMonitoring'],
    Role4: ['headInjuryRehabilitation'],
  },
  head_minor: {
    POI: ['firstAid'],
    Role1: ['painManagement'],
    // No X-ray of the skull: a CT, where there is one, looks for a brain injury
    // (memory/fixes/0347-skull-x-rays-for-concussions.md).
    Role2: [],
    Role3: ['ctHead'],
    Role4: ['headInjuryRehabilitation'],
  },
  chest: {
    POI: ['needleDecompression', 'dressing', 'bagMask'],
    Role1: ['chestDrain', 'oxygen', 'ivAccess'],
    Role2: ['chestXray', 'surgery', 'rbcTransfusion'],
    Role3: ['ctChest', 'icuAdmission'],
    Role4: ['rehabilitation'],
  },
  abdomen: {
    // Covered, not pressed on: organs that protrude are covered with a moist dressing (TCCC, fix 0354).
    POI: ['dressing'],
    Role1: ['ivAccess', 'fluidResuscitation', 'painManagement'],
    Role2: ['exploratoryLaparotomy', 'rbcTransfusion', 'ultrasound', 'splenectomy'],
    Role3: ['ctChestAbdomenPelvis', 'laparotomy', 'icuAdmission'],
    Role4: ['dressingChange', 'rehabilitation'],
  },
  burn: {
    POI: ['firstAid', 'dressing'],
    // A burn is tetanus-prone, as frostbite is (fix 0365).
    Role1: ['burnCare', 'ivFluids', 'painManagement', 'tetanus'],
    Role2: ['fluidResuscitation', 'endotrachealTube', 'woundCare'],
    // Dressed until grafted at the burn centre, a deep burn once resuscitated (GRAFT_FROM_SEVERITY).
    Role3: ['icuAdmission', 'dressingChange'],
    Role4: ['dressingChange', 'rehabilitation'],
  },
  fracture: {
    POI: ['boneImmobilization', 'pressureDressing'],
    Role1: ['painManagement', 'fractureCare', 'tetanus'],
    Role2: ['xray', 'debridement', 'externalFixation', 'openReduction'],
    Role3: ['orif', 'ctWholeBody'],
    Role4: ['rehabilitation'],
  },
  pelvis: {
    POI: ['pelvicSling'],
    Role1: ['ivAccess', 'transfusion'],
    Role2: ['pelvisXray', 'externalFixation', 'rbcTransfusion'],
    Role3: ['ctChestAbdomenPelvis', 'orif', 'icuAdmission'],
    Role4: ['rehabilitation'],
  },
  spine: {
    POI: ['cSpine'],
    Role1: ['painManagement'],
    Role2: ['xray'],
    Role3: ['ctWholeBody', 'surgery'],
    Role4: ['rehabilitationManagement'],
  },
  eye: {
    POI: ['dressing'],
    Role1: ['painManagement'],
    // Shielded and sent on: no ophthalmic surgeon at Role 2 (fix 0315).
    Role2: [],
    // The globe repaired by Role 3's ophthalmic surgeon, under anaesthesia (fix 0245), its CT for a
    // retained foreign body before it where the count of steps allows (fix 0315).
    Role3: ['surgery', 'ctHead'],
    Role4: [],
  },
  soft_tissue: {
    POI: ['firstAid', 'dressing'],
    Role1: ['woundCare', 'sutureWound', 'tetanus'],
    Role2: ['dressingChange'],
    Role3: ['sutureClosure'],
    Role4: [],
  },
  sprain: {
    POI: ['firstAid'],
    Role1: ['boneImmobilization', 'painManagement'],
    Role2: ['xray'],
    Role3: [],
    Role4: ['rehabilitation'],
  },
  heat: {
    POI: ['firstAid'],
    Role1: ['ivFluids', 'oxygen'],
    Role2: ['ivTherapy', 'bloodGas'],
    Role3: ['icuMonitoring'],
    Role4: [],
  },
  cold: {
    POI: ['firstAid'],
    Role1: ['ivFluids', 'woundCare', 'tetanus'],
    Role2: ['bloodGas'],
    Role3: ['icuMonitoring'],
    Role4: ['rehabilitation'],
  },
  respiratory: {
    POI: [],
    Role1: ['oxygen', 'painManagement'],
    Role2: ['chestXray', 'ivAntibiotics'],
    Role3: ['oxygenMask', 'icuAdmission'],
    Role4: [],
  },
  systemic_infection: {
    POI: [],
    Role1: ['ivAccess', 'ivFluids'],
    Role2: ['ivAntibiotics', 'bloodGas'],
    Role3: ['icuAdmission'],
    Role4: ['icuMonitoring'],
  },
  gastro: {
    POI: [],
    Role1: ['ivFluids'],
    Role2: ['ivTherapy'],
    Role3: ['icuMonitoring'],
    Role4: [],
  },
  surgical_abdomen: {
    POI: [],
    Role1: ['ivAccess', 'painManagement'],
    Role2: ['ultrasound', 'surgery'],
    Role3: ['laparotomy', 'ivAntibiotics'],
    Role4: [],
  },
  skin: {
    POI: [],
    Role1: ['woundCare'],
    Role2: ['ivAntibiotics'],
    Role3: ['surgery'],
    Role4: [],
  },
  // An abscess is drained (IDSA 2014: incision and drainage is its treatment), by a surgeon at Role 2,
  // the first surgical echelon, or at Role 3 if flown past it; antibiotics for its systemic features
  // (memory/fixes/0399-abscesses-never-drained.md).
  abscess: {
    POI: [],
    Role1: ['woundCare'],
    Role2: ['surgery', 'ivAntibiotics'],
    Role3: [],
    Role4: [],
  },
  mental: { POI: [], Role1: [], Role2: [], Role3: [], Role4: ['rehabilitationManagement'] },
  symptom: { POI: [], Role1: ['painManagement'], Role2: [], Role3: [], Role4: [] },
  // Drops and creams: no procedure (and none of the vetted codes names one).
  topical: { POI: [], Role1: [], Role2: [], Role3: [], Role4: [] },
};

/** Care protocols whose first aid puts a tourniquet on a bleeding limb (a wound's, an amputation's). */
export const TOURNIQUET_CARE: ReadonlySet<CareProtocol> = new Set(
  (Object.keys(PROTOCOLS) as CareProtocol[]).filter((care) => PROTOCOLS[care].POI.includes('tourniquet')),
);

/**
 * A limb wound that bleeds enough for a tourniquet (TOURNIQUET_FROM_SEVERITY and up, of a
 * TOURNIQUET_CARE protocol). The primary one gets its tourniquet; any other is controlled first too.
 */
export function bleedsFromLimb(condition: {
  readonly code: string;
  readonly body_part: BodyPart;
  readonly severity: number;
}): boolean {
  return needsTourniquet(
    CONDITION_BY_CODE.get(condition.code)!.care,
    condition.body_part,
    condition.severity,
  );
}

/** The same rule for a wound not yet a record (the clinical core's primary: its protocol, site and severity). */
export function needsTourniquet(care: CareProtocol, site: BodyPart, severity: number): boolean {
  return severity >= TOURNIQUET_FROM_SEVERITY && LIMBS.includes(site) && TOURNIQUET_CARE.has(care);
}

/**
 * Massive haemorrhage comes first (TCCC's MARCH): at the point of injury, a second limb wound that
 * `bleedsFromLimb`, on a limb the primary's tourniquet is not on, gets a pressure dressing before any
 * protocol step, whatever the primary condition (a head injury's airway, a chest's seal), and the
 * primary's tourniquet goes on with it. Not a second tourniquet: a tourniquet makes the evacuation
 * urgent until surgery, and the course that decides it knows the primary wound alone (PROCEDURE_FOR_PRIMARY_WOUND;
 * memory/fixes/0271-a-second-bleeding-limb-was-left-untreated.md).
 */
export const SECOND_LIMB_WOUND_CONTROL: ProcedureKey = 'pressureDressing';

/** LOINC vital signs with UCUM units (codes.md table 5); the record's field name maps to each. */
export const VITAL_SIGNS = {
  heart_rate: { code: '8867-4', name: 'Heart rate', unit: '/min' },
  respiratory_rate: { code: '9279-1', name: 'Respiratory rate', unit: '/min' },
  systolic_bp: { code: '8480-6', name: 'Systolic blood pressure', unit: 'mm[Hg]' },
  diastolic_bp: { code: '8462-4', name: 'Diastolic blood pressure', unit: 'mm[Hg]' },
  spo2: { code: '2708-6', name: 'Oxygen saturation in Arterial blood', unit: '%' },
  temperature: { code: '8310-5', name: 'Body temperature', unit: 'Cel' },
  gcs: { code: '9269-2', name: 'Glasgow coma score total', unit: '{score}' },
} as const;
export type VitalSign = keyof typeof VITAL_SIGNS;

export const BLOOD_PRESSURE_PANEL = {
  code: '85354-9',
  name: 'Blood pressure panel with all children optional',
} as const;
export const PULSE_OXIMETRY = {
  code: '59408-5',
  name: 'Oxygen saturation in Arterial blood by Pulse oximetry',
} as const;
export const BODY_WEIGHT = { code: '29463-7', name: 'Body weight', unit: 'kg' } as const;
export const BODY_HEIGHT = { code: '8302-2', name: 'Body height', unit: 'cm' } as const;
export const ABO_RH_GROUP = { code: '882-1', name: 'ABO and Rh group [Type] in Blood' } as const;

export const BLOOD_GROUPS = ['O+', 'O-', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-'] as const;
export type BloodGroup = (typeof BLOOD_GROUPS)[number];

/** ABO/Rh frequencies of a European-ancestry military population (percent). */
export const BLOOD_GROUP_FREQUENCY: Readonly<Record<BloodGroup, number>> = {
  'O+': 37,
  'O-': 7,
  'A+': 34,
  'A-': 6,
  'B+': 9,
  'B-': 2,
  'AB+': 3,
  'AB-': 2,
};

/** SNOMED CT combined ABO + Rh(D) findings, the value of LOINC 882-1 (codes.md table 7). */
export const BLOOD_GROUP_CODES: Readonly<Record<BloodGroup, Coding>> = {
  'A+': { code: '278149003', name: 'Blood group A Rh(D) positive' },
  'A-': { code: '278152006', name: 'Blood group A Rh(D) negative' },
  'B+': { code: '278150003', name: 'Blood group B Rh(D) positive' },
  'B-': { code: '278153001', name: 'Blood group B Rh(D) negative' },
  'AB+': { code: '278151004', name: 'Blood group AB Rh(D) positive' },
  'AB-': { code: '278154007', name: 'Blood group AB Rh(D) negative' },
  'O+': { code: '278147001', name: 'Blood group O Rh(D) positive' },
  'O-': { code: '278148006', name: 'Blood group O Rh(D) negative' },
};

/**
 * Operations after which a soldier is unfit for longer than any theatre holds a casualty (weeks to
 * months): a laparotomy, a splenectomy, an amputation, a brain operation, a fracture's fixation.
 */
export const MAJOR_OPERATIONS: ReadonlySet<ProcedureKey> = new Set<ProcedureKey>(
  // All but a wound's unnamed operation, reduction or debridement and a graft.
  OPERATIONS.filter((key) => !['surgery', 'openReduction', 'debridement', 'skinGraft'].includes(key)),
);

/**
 * Per condition code and body part, the lowest severity at which its protocol gives it one of
 * MAJOR_OPERATIONS at Role 2 or 3 there (the operation's PROCEDURE_SITES: no laparotomy for a wound of
 * the arm); a condition or part that never gets one is absent. A casualty with a condition there,
 * moderate or worse, is not returned to duty before Role 4
 * (memory/fixes/0308-returned-to-duty-in-theatre-days-after-major-surgery.md,
 * 0311-limb-wounds-kept-from-duty-for-a-laparotomy.md, 0321).
 */
export const MAJOR_OPERATION_FROM_SEVERITY: ReadonlyMap<
  string,
  Readonly<Partial<Record<BodyPart, number>>>
> = new Map(
  CONDITIONS.flatMap((c) => {
    const major = [...PROTOCOLS[c.care].Role2, ...PROTOCOLS[c.care].Role3].filter(
      (key) => MAJOR_OPERATIONS.has(key) && !c.withhold?.includes(key),
    );
    const bySite: Partial<Record<BodyPart, number>> = {};
    for (const site of c.sites) {
      const here = major.filter((key) => PROCEDURE_SITES[key]?.includes(site) ?? true);
      if (here.length > 0) bySite[site] = Math.min(...here.map((key) => PROCEDURE_MIN_SEVERITY[key] ?? 0));
    }
    return Object.keys(bySite).length === 0 ? [] : [[c.code, bySite] as const];
  }),
);

/**
 * A condition X-rayed at Role 2 before any return to duty: a fracture (fix 0328) or a knee's internal
 * injury (`imagedBeforeDuty`, fix 0353); the course's `firstDutyRole`.
 */
export function xrayedBeforeDuty(condition: ConditionDef): boolean {
  return condition.fracture === true || condition.imagedBeforeDuty === true;
}

/**
 * An infection admitted at Role 2 or later before any return to duty, when moderate or worse (the
 * condition's `admitted`: malaria, dengue); the course's `firstDutyRole`.
 */
export function admittedBeforeDuty(condition: ConditionDef, severity: number): boolean {
  return condition.admitted === true && severityGrade(severity) !== 'Mild';
}

/**
 * A condition a surgeon at Role 2 treats before any return to duty: an abscess, drained there
 * (memory/fixes/0399-abscesses-never-drained.md); the course's `firstDutyRole`.
 */
export function drainedBeforeDuty(condition: ConditionDef): boolean {
  return condition.care === 'abscess';
}

/**
 * Air or blood in the chest, drained at its first care (a pneumothorax, a haemothorax): not fit for
 * exertion for weeks after its drain is out (3-6 weeks before a return to sport: Curtin SM et al.,
 * "Pneumothorax in sports", Phys Sportsmed 2000;28(8):23-32), longer than a theatre holds a casualty,
 * so returned to duty from Role 4 only, at its pace there; the course's `firstDutyRole`
 * (memory/fixes/0407-drained-chests-back-on-duty-in-days.md).
 */
export function drainsChest(condition: ConditionDef): boolean {
  return DRAINED_CHEST.has(condition.code);
}

/**
 * An illness its first surgical echelon operates on, an appendicitis taken out or an abscess drained:
 * the operation controls its cause, as a wound's surgery controls its bleeding, so the course controls
 * it at each surgical echelon as a wound's (SURGICAL_CONTROL), not once as an illness that responds to
 * medical care or not (ILLNESS_RESPONSE). Appendicitis killed 0.27 % of 9,652 patients, 1.18 % of those
 * perforated, most of them elderly ("Evolution of the age distribution and mortality of acute
 * appendicitis", Arch Surg 1981;116:153-6); the course's `controlledByOperation`
 * (memory/fixes/0411-appendicitis-deadly-after-its-operation.md).
 */
export function controlledByOperation(condition: ConditionDef): boolean {
  return OPERATED_ILLNESSES.has(condition.code);
}

/** The codes of the illnesses whose protocol operates at Role 2, the first surgical echelon. */
const OPERATED_ILLNESSES: ReadonlySet<string> = new Set(
  CONDITIONS.filter(
    (c) =>
      c.weights.DISEASE !== undefined &&
      PROTOCOLS[c.care].Role2.some((key) => OPERATIONS.includes(key) && c.withhold?.includes(key) !== true),
  ).map((c) => c.code),
);

/** The codes of the conditions that `drainsChest`: the chest protocol's drain at Role 1, not withheld. */
export const DRAINED_CHEST: ReadonlySet<string> = new Set(
  CONDITIONS.filter(
    (c) => PROTOCOLS[c.care].Role1.includes('chestDrain') && c.withhold?.includes('chestDrain') !== true,
  ).map((c) => c.code),
);

/**
 * A condition that, moderate or worse, keeps its casualty from duty for weeks, until Role 4 finds it fit:
 * a fracture until its bone unites (fix 0336) or a condition that `healsForWeeks` (fix 0353); the
 * course's `fractureHealing`.
 */
export function unfitForWeeks(condition: ConditionDef, severity: number): boolean {
  return (
    (condition.fracture === true || condition.healsForWeeks === true) && severityGrade(severity) !== 'Mild'
  );
}

/**
 * Protocols whose conditions, severe, keep a casualty from duty in theatre: an injury's (fix 0371), and
 * the critically ill flown out by a critical care team: a respiratory illness's failing breath (fix
 * 0374) and a systemic infection's sepsis, severe malaria or dengue (fix 0375).
 */
const OUT_OF_THEATRE_WHEN_SEVERE: ReadonlySet<CareProtocol> = new Set<CareProtocol>([
  ...TRAUMA_CARE,
  'respiratory',
  'systemic_infection',
]);

/**
 * A condition (the primary or any other, fix 0321) that keeps its casualty from duty in theatre,
 * returned to duty from no echelon before Role 4: moderate or worse, and needing a major operation on
 * its part of the body (MAJOR_OPERATION_FROM_SEVERITY), `outOfTheatre` (fixes 0308, 0311, 0315) or a
 * deep burn's graft (`graftedBeforeDuty`, fix 0408), or a severe injury (a severe crush among them, fix
 * 0369), respiratory illness or systemic infection (OUT_OF_THEATRE_WHEN_SEVERE), which heals for longer
 * than any theatre holds a casualty (fixes 0371, 0374, 0375; the course's `majorSurgery`).
 */
export function unfitInTheatre(condition: ConditionDef, site: BodyPart, severity: number): boolean {
  const grade = severityGrade(severity);
  return (
    grade !== 'Mild' &&
    ((grade === 'Severe' && OUT_OF_THEATRE_WHEN_SEVERE.has(condition.care)) ||
      condition.outOfTheatre === true ||
      graftedBeforeDuty(condition, site, severity) ||
      severity >= (MAJOR_OPERATION_FROM_SEVERITY.get(condition.code)?.[site] ?? Number.POSITIVE_INFINITY))
  );
}

/**
 * The least hours a condition keeps its patient critical from its onset, and on a ventilator if it is
 * put on one, whatever the course would make of its health (LEAST_CRITICAL_HOURS; memory/fixes/0382,
 * 0389): a severe illness's respiratory failure or sepsis, a severe brain injury, a severe burn of the
 * face; 0 for any other.
 */
export function leastCriticalHours(condition: ConditionDef, site: BodyPart, severity: number): number {
  const least = leastCriticalOf(condition, site, severity);
  return least === undefined ? 0 : least.hours + least.perPoint * (severity - SEVERE_FROM);
}

function leastCriticalOf(condition: ConditionDef, site: BodyPart, severity: number) {
  if (severity < SEVERE_FROM) return undefined;
  if (condition.care === 'burn') return site === 'Face' ? LEAST_CRITICAL_HOURS.airwayBurn : undefined;
  if (condition.care === 'respiratory' || condition.care === 'systemic_infection')
    return LEAST_CRITICAL_HOURS.respiratoryFailure;
  return injuresBrain(condition.code, site, severity) ? LEAST_CRITICAL_HOURS.severeBrainInjury : undefined;
}
