/**
 * Drugs, blood products and known drug allergies of the medication model
 * (memory/decisions/0911-medications-allergies-complications.md). Every code is in the vetted table
 * (test/fixtures/vetted-codes.md, table 6) and no other (memory/fixes/0144);
 * test/unit/data/vetted-codes.test.ts checks them.
 */
import { SNOMED, TRANSFUSE_FROM_SHOCK_INDEX } from './clinical-codes.js';

/** WHO ATC, the FHIR system URI of codes.md table 6. */
export const ATC = 'http://www.whocc.no/atc';

export type MedicationSystem = typeof ATC | typeof SNOMED;

/**
 * Whether a medication of the record is a vaccine: ATC group J07. FHIR records a vaccine given as an
 * Immunization, not a MedicationAdministration (memory/fixes/0367).
 */
export const isVaccine = (system: string, code: string): boolean => system === ATC && code.startsWith('J07');

export interface DrugDef {
  readonly code: string;
  readonly name: string;
  readonly system: MedicationSystem;
}

const atc = (code: string, name: string): DrugDef => ({ code, name, system: ATC });
const sct = (code: string, name: string): DrugDef => ({ code, name, system: SNOMED });

/** Everything the model may give, by key; names are the displays of codes.md. */
export const DRUGS = {
  morphine: atc('N02AA01', 'morphine'),
  /** Fentanyl as an analgesic (oral transmucosal at the point of injury, IV later). */
  fentanyl: atc('N02AB03', 'fentanyl'),
  /** Fentanyl as part of an anaesthetic. */
  fentanylAnaesthetic: atc('N01AH01', 'fentanyl'),
  ketamine: atc('N01AX03', 'ketamine'),
  paracetamol: atc('N02BE01', 'paracetamol'),
  ibuprofen: atc('M01AE01', 'ibuprofen'),
  tranexamicAcid: atc('B02AA02', 'tranexamic acid'),
  ceftriaxone: atc('J01DD04', 'ceftriaxone'),
  cefazolin: atc('J01DB04', 'cefazolin'),
  moxifloxacin: atc('J01MA14', 'moxifloxacin'),
  ertapenem: atc('J01DH03', 'ertapenem'),
  amoxicillinClavulanate: atc('J01CR02', 'amoxicillin and beta-lactamase inhibitor'),
  metronidazole: atc('J01XD01', 'metronidazole'),
  ondansetron: atc('A04AA01', 'ondansetron'),
  oralRehydration: atc('A07CA', 'Oral rehydration salt formulations'),
  crystalloid: atc('B05BB01', 'electrolytes'),
  saline: atc('B05XA03', 'sodium chloride'),
  /** A booster for an immunised soldier's tetanus-prone wound (memory/fixes/0364). */
  tetanusToxoid: atc('J07AM01', 'tetanus toxoid'),
  lidocaine: atc('N01BB02', 'lidocaine'),
  midazolam: sct('373476007', 'Midazolam'),
  oxygen: sct('24099007', 'Oxygen'),
  redCells: sct('431069006', 'Packed red blood cells'),
} as const satisfies Record<string, DrugDef>;
export type DrugKey = keyof typeof DRUGS;

/**
 * The share of soldiers whose last tetanus dose is over five years old, who get a toxoid booster for
 * a tetanus-prone wound: boosters every ten years, their dates spread evenly (a modelling choice; US
 * CDC/ACIP wound management: a booster when five years or more have passed since the last dose of a
 * complete series, tetanus immune globulin only without one).
 */
export const TETANUS_BOOSTER_DUE_SHARE = 0.5;

export const DRUG_KEYS = Object.keys(DRUGS) as DrugKey[];

export interface AllergenDef {
  readonly code: string;
  readonly name: string;
  readonly system: MedicationSystem;
  /** Relative frequency among patients with a known drug allergy. */
  readonly weight: number;
  /** Drugs the allergy forbids (the class, not only the named substance). */
  readonly forbids: readonly DrugKey[];
}

/**
 * Known drug allergies. Penicillin dominates reported drug allergies; the rule for it is the
 * conservative one: no beta-lactam at all (penicillins, cephalosporins, carbapenems). A class
 * allergy is coded by the vetted agent of the class this formulary gives (as the cephalosporin one
 * is by cefazolin): the vetted table has no code for penicillin itself.
 */
export const ALLERGENS = {
  penicillin: {
    ...atc('J01CR02', 'amoxicillin and beta-lactamase inhibitor'),
    weight: 65,
    forbids: ['amoxicillinClavulanate', 'cefazolin', 'ceftriaxone', 'ertapenem'],
  },
  cephalosporin: { ...atc('J01DB04', 'cefazolin'), weight: 5, forbids: ['cefazolin', 'ceftriaxone'] },
  morphine: { ...sct('373529000', 'Morphine'), weight: 10, forbids: ['morphine'] },
  ibuprofen: { ...atc('M01AE01', 'ibuprofen'), weight: 12, forbids: ['ibuprofen'] },
  fentanyl: { ...sct('373492002', 'Fentanyl'), weight: 3, forbids: ['fentanyl', 'fentanylAnaesthetic'] },
  ketamine: { ...sct('373464007', 'Ketamine'), weight: 2, forbids: ['ketamine'] },
  paracetamol: { ...sct('387517004', 'Paracetamol'), weight: 3, forbids: ['paracetamol'] },
} as const satisfies Record<string, AllergenDef>;
export type AllergenKey = keyof typeof ALLERGENS;

/**
 * Analgesia follows the patient's state: a casualty admitted with a systolic pressure below this, or a
 * shock index (heart rate over systolic pressure) of TRANSFUSE_FROM_SHOCK_INDEX or more, the test that
 * gives blood, gets ketamine, not an opioid or an NSAID, at every echelon to Role 3 (TCCC: ketamine for
 * a casualty in haemorrhagic shock or at significant risk of it; memory/fixes/0234-opioids-given-in-shock.md,
 * 0257-morphine-given-with-blood-for-shock.md).
 */
export const HYPOTENSIVE_BELOW_SBP = 90;

/**
 * Haemorrhagic shock at an admission, by the vital signs a medic reads: a systolic pressure below
 * HYPOTENSIVE_BELOW_SBP, or a shock index (heart rate over systolic pressure) of
 * TRANSFUSE_FROM_SHOCK_INDEX or more. The one test for blood (lib/generation/treatment-plan.ts) and for ketamine in place of
 * an opioid (medications.ts).
 */
export function inHaemorrhagicShock(vitals: {
  readonly systolic_bp: number;
  readonly heart_rate: number;
}): boolean {
  return (
    vitals.systolic_bp < HYPOTENSIVE_BELOW_SBP ||
    vitals.heart_rate >= TRANSFUSE_FROM_SHOCK_INDEX * vitals.systolic_bp
  );
}

/** Share of patients with at least one known drug allergy, and of those with a second one. */
export const ALLERGY_RATE = 0.1;
export const SECOND_ALLERGY_RATE = 0.1;

/**
 * What is given instead of a forbidden drug, first allowed alternative wins; none allowed = the drug
 * is withheld (never given against an allergy).
 */
export const DRUG_SUBSTITUTES: Readonly<Partial<Record<DrugKey, readonly DrugKey[]>>> = {
  amoxicillinClavulanate: ['moxifloxacin'],
  cefazolin: ['moxifloxacin'],
  ceftriaxone: ['moxifloxacin'],
  ertapenem: ['moxifloxacin'],
  morphine: ['fentanyl', 'ketamine'],
  fentanyl: ['morphine', 'ketamine'],
  ketamine: ['fentanyl', 'morphine'],
  ibuprofen: ['paracetamol'],
  paracetamol: [],
  fentanylAnaesthetic: [],
};
