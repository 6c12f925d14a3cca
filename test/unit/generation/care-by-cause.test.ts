/**
 * Care follows the cause of a condition (memory/fixes/0227): no antibiotic for a viral or parasitic
 * illness or a symptom, no procedure for what drops and creams treat, and an antibiotic at first care
 * for a bacterial infection.
 */
import { describe, expect, it } from 'vitest';
import { CONDITION_BY_CODE, DRUGS, PROCEDURES } from '../../../lib/data/index.js';
import {
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  presetScenario,
} from '../../../lib/generation/index.js';
import { hasStep, OPEN_WOUND_CARE } from './invariants.js';

const ANTIBIOTICS = new Set(
  (
    [
      'amoxicillinClavulanate',
      'cefazolin',
      'ceftriaxone',
      'ertapenem',
      'metronidazole',
      'moxifloxacin',
    ] as const
  ).map((d) => DRUGS[d].code),
);
const PNEUMONIA = '233604007';
const UTI = '68566005';
const CELLULITIS = '128045006';
const ABSCESS = '128477000';
const STREP_THROAT = '43878008';

/** The disease-heavy peacekeeping preset, endemic diseases and all. */
function patients(total = 6000, seed = 3): PatientRecord[] {
  const scenario = { ...presetScenario(findPreset('peacekeeping')!), total_patients: total };
  return [...generate(plan(loadScenario(scenario), seed))];
}
const hadAntibiotic = (p: PatientRecord) =>
  p.medications.some((m) => ANTIBIOTICS.has(m.code)) ||
  p.treatments.some((t) => t.code === PROCEDURES.ivAntibiotics.code);

describe('care follows the cause of a condition', () => {
  const all = patients();

  it('gives no antibiotic to a patient whose every condition is viral, parasitic or a symptom', () => {
    // Prepare: influenza, COVID-19, bronchitis, dengue, malaria, leishmaniasis, dyspnoea, tight chest
    const nonBacterial = all.filter((p) =>
      p.conditions.every((c) => CONDITION_BY_CODE.get(c.code)!.withhold?.includes('ivAntibiotics')),
    );
    // Act
    const given = nonBacterial.filter(hadAntibiotic).map((p) => `${p.id} ${p.conditions[0].name}`);
    // Assert
    expect(nonBacterial.length).toBeGreaterThan(200);
    expect(given).toEqual([]);
  });

  it("gives a cellulitis or a tooth's infection no wound care: it has no wound; an abscess's drainage keeps its care (fix 0345); and a cellulitis no operation (fix 0363)", () => {
    // Prepare: illnesses of the skin protocol, alone (their dehydration apart)
    const woundCare = (p: PatientRecord) => p.treatments.some((t) => t.code === PROCEDURES.woundCare.code);
    const alone = (name: string) =>
      all.filter(
        (p) =>
          p.conditions[0].name === name &&
          p.conditions.every((c) => c === p.conditions[0] || c.body_part === 'Systemic'),
      );
    const unwounded = [...alone('Cellulitis'), ...alone('Dentoalveolar cellulitis')];
    const abscesses = alone('Abscess');
    const operated = (p: PatientRecord) => p.treatments.some((t) => t.code === PROCEDURES.surgery.code);
    // Act
    const cared = unwounded.filter(woundCare);
    const cellulitisOperated = alone('Cellulitis').filter(operated);
    // Assert: before fix 0345 every one of them had wound care at Role 1; before fix 0363 a cellulitis
    // that reached Role 3 was operated on there (an abscess still is, drained)
    expect(unwounded.length).toBeGreaterThan(50);
    expect(cared.map((p) => `${p.id} ${p.conditions[0].name}`)).toEqual([]);
    expect(abscesses.filter(woundCare).length).toBeGreaterThan(abscesses.length / 2);
    expect(cellulitisOperated.map((p) => p.id)).toEqual([]);
    expect(abscesses.some(operated)).toBe(true);
  });

  it('drains every abscess by a surgeon, at Role 2 or, flown past it, at Role 3, before any return to duty (fix 0399)', () => {
    // Prepare: every patient with an abscess, among them mild ones
    const abscesses = all.filter((p) => p.conditions.some((c) => c.code === ABSCESS));
    const drainage = (p: PatientRecord) => p.treatments.find((t) => t.code === PROCEDURES.surgery.code);
    // Act
    const undrained = abscesses.filter((p) => p.status === 'RTD' && !drainage(p)).map((p) => p.id);
    const drainedAt = new Set(abscesses.map((p) => drainage(p)?.facility));
    // Assert: before the fix 9 in 10 went back to duty undrained, from Role 1 or 2
    expect(abscesses.filter((p) => p.severity_grade === 'Mild').length).toBeGreaterThan(5);
    expect(undrained).toEqual([]);
    expect([...drainedAt].every((f) => f === 'Role2' || f === 'Role3')).toBe(true);
  });

  it('treats conjunctivitis, contact dermatitis and tinea with no procedure and no antibiotic', () => {
    // Prepare
    const topical = all.filter((p) =>
      p.conditions.every((c) => CONDITION_BY_CODE.get(c.code)!.care === 'topical'),
    );
    // Act
    const treated = topical
      .filter((p) => p.treatments.length > 0 || hadAntibiotic(p))
      .map((p) => `${p.id} ${p.conditions[0].name}: ${p.treatments.map((t) => t.name).join(', ')}`);
    // Assert
    expect(topical.length).toBeGreaterThan(50);
    expect(treated).toEqual([]);
  });

  it('gives pneumonia, a urinary tract infection, cellulitis and strep throat an antibiotic once care is reached', () => {
    // Prepare: those whose primary condition is one of them and who got past the point of injury
    const bacterial = all.filter(
      (p) =>
        [PNEUMONIA, UTI, CELLULITIS, STREP_THROAT].includes(p.conditions[0].code) &&
        p.facilities_visited.length > 1,
    );
    // Act
    const without = bacterial.filter((p) => !hadAntibiotic(p)).map((p) => `${p.id} ${p.conditions[0].name}`);
    // Assert
    expect(bacterial.length).toBeGreaterThan(200);
    expect(without).toEqual([]);
  });
});

describe('trauma care follows the injury: inside the chest, open or closed (memory/fixes/0268, 0270)', () => {
  const battle = [
    ...generate(
      plan(loadScenario({ ...presetScenario(findPreset('nato_article_5')!), total_patients: 8000 }), 11),
    ),
  ];
  const PNEUMOTHORAX = new Set(['36118008', '233645004']); // Pneumothorax, Tension pneumothorax
  const HEMOTHORAX = '31892009';
  const RIB_FRACTURE = '33737001';
  const has = hasStep;
  const hasAny = (p: PatientRecord, keys: readonly (keyof typeof PROCEDURES)[]) =>
    keys.some((key) => has(p, key));

  it('decompresses with a needle only a pneumothorax, and drains only air or blood in the chest', () => {
    // Act
    const needled = battle.filter((p) => has(p, 'needleDecompression'));
    const drained = battle.filter((p) => has(p, 'chestDrain'));
    // Assert
    expect(needled.length).toBeGreaterThan(20);
    expect(
      needled.filter((p) => !p.conditions.some((c) => PNEUMOTHORAX.has(c.code))).map((p) => p.id),
    ).toEqual([]);
    expect(drained.length).toBeGreaterThan(10);
    expect(
      drained
        .filter((p) => !p.conditions.some((c) => PNEUMOTHORAX.has(c.code) || c.code === HEMOTHORAX))
        .map((p) => p.id),
    ).toEqual([]);
  });

  it('gives a rib fracture alone no dressing, bag and mask or operation', () => {
    // Prepare
    const ribs = battle.filter((p) => p.conditions.length === 1 && p.conditions[0].code === RIB_FRACTURE);
    // Act
    const overtreated = ribs.filter((p) => has(p, 'dressing') || has(p, 'bagMask') || has(p, 'surgery'));
    // Assert
    expect(ribs.length).toBeGreaterThan(20);
    expect(overtreated.map((p) => `${p.id} ${p.treatments.map((t) => t.name).join(', ')}`)).toEqual([]);
  });

  it('treats a non-battle fracture not coded open as closed, a femur or humerus too: no dressing, debridement, open reduction or tetanus (fixes 0270, 0343)', () => {
    // Prepare: falls, sports and vehicles: fractures of the ankle, the lower leg, a bone, closed ones,
    // and of the femur and the humerus, which battle injuries share
    const CLOSED = new Set(['16114001', '414292006', '125605004', '423125000']);
    const longBones = new Set(['Fracture of femur', 'Fracture of humerus']);
    const closed = battle.filter(
      (p) =>
        p.injury_type === 'NON_BATTLE' &&
        p.conditions.every((c) => CLOSED.has(c.code) || longBones.has(c.name)),
    );
    // Act
    const woundCare = closed.filter((p) =>
      hasAny(p, ['pressureDressing', 'debridement', 'openReduction', 'tetanus']),
    );
    // Assert: before fix 0343, two in three femurs and humeri were debrided as open fractures
    expect(closed.filter((p) => longBones.has(p.conditions[0].name)).length).toBeGreaterThan(30);
    expect(closed.length).toBeGreaterThan(100);
    expect(woundCare.map((p) => `${p.id} ${p.treatments.map((t) => t.name).join(', ')}`)).toEqual([]);
  });

  it('assists breathing by bag and mask only where it fails: unconscious, too slow or too fast, or short of oxygen (fix 0348)', () => {
    // Prepare: casualties of the chest protocol (a pneumothorax, a haemothorax, a flail chest), whose
    // point of injury bags where breathing fails
    const chest = battle.filter((p) =>
      p.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.care === 'chest'),
    );
    const bagged = battle.filter((p) => has(p, 'bagMask'));
    // Act
    const breathingWell = bagged.filter((p) =>
      p.treatments
        .filter((t) => t.code === PROCEDURES.bagMask.code)
        .some((t) => {
          const v = p.vital_signs.findLast(
            (s) => s.facility === t.facility && s.hours_since_injury <= t.hours_since_injury,
          )!;
          return v.gcs > 8 && v.respiratory_rate >= 10 && v.respiratory_rate < 30 && v.spo2 >= 90;
        }),
    );
    // Assert: before the fix, one in five bagged casualties read SpO2 90 % or more, conscious, breathing
    // at a normal rate
    expect(chest.length).toBeGreaterThan(100);
    expect(bagged.length).toBeGreaterThan(30);
    expect(breathingWell.map((p) => p.id)).toEqual([]);
  });

  it('gives a bruise no wound care, and a concussion or minor head injury no X-ray of the skull (fixes 0346, 0347)', () => {
    // Prepare: contusions, concussions and minor head injuries, alone
    const headMinor = new Set([
      'Concussion injury of brain',
      'Concussion with loss of consciousness',
      'Concussion with no loss of consciousness',
      'Injury of head',
    ]);
    const alone = (names: ReadonlySet<string>) =>
      battle.filter(
        (p) =>
          names.has(p.conditions[0].name) &&
          p.conditions.every((c) => names.has(c.name) || c.body_part === 'Systemic'),
      );
    const bruises = alone(new Set(['Contusion']));
    const heads = alone(headMinor);
    // Act
    const bruiseCare = bruises.filter((p) =>
      hasAny(p, ['dressing', 'woundCare', 'sutureWound', 'tetanus', 'dressingChange', 'sutureClosure']),
    );
    const skullXrays = heads.filter((p) => has(p, 'xray'));
    const scanned = heads.filter((p) => has(p, 'ctHead'));
    // Assert: before the fixes two in three bruises had wound care, most heads seen at Role 2 an X-ray
    expect(bruises.length).toBeGreaterThan(30);
    expect(bruiseCare.map((p) => `${p.id} ${p.treatments.map((t) => t.name).join(', ')}`)).toEqual([]);
    expect(heads.length).toBeGreaterThan(100);
    expect(skullXrays.map((p) => p.id)).toEqual([]);
    expect(scanned.length).toBeGreaterThan(20);
  });

  it("gives a non-battle fracture's bleeding, inside the body, no wound care: no dressing, pressure, tetanus, suture or dressing change (fix 0344)", () => {
    // Prepare: non-battle casualties with a broken bone that bleeds (a pelvis), and no open wound
    const more = generate(
      plan(loadScenario({ ...presetScenario(findPreset('training_exercise')!), total_patients: 10_000 }), 11),
    );
    const bleeding = [...battle, ...more].filter(
      (p) =>
        p.injury_type === 'NON_BATTLE' &&
        p.conditions.some((c) => c.name === 'Bleeding') &&
        p.conditions.every(
          (c) =>
            c.name === 'Bleeding' || c.body_part === 'Systemic' || CONDITION_BY_CODE.get(c.code)!.fracture,
        ),
    );
    // Act
    const woundCare = bleeding.filter((p) => hasAny(p, OPEN_WOUND_CARE));
    // Assert: before the fix, nine in ten had a pressure dressing at the point of injury
    expect(bleeding.length).toBeGreaterThan(10);
    expect(woundCare.map((p) => `${p.id} ${p.treatments.map((t) => t.name).join(', ')}`)).toEqual([]);
  });
});
