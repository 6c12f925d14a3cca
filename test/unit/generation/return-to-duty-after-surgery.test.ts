/**
 * Return to duty (memory/fixes/0308, 0311, 0312, 0316, 0318, 0321): a casualty with a wound that
 * needs a major operation on its part of the body (its primary or any other) goes home to Role 4 and is back on duty only months later; a
 * wound that needs none (a bullet wound of the arm) may return to duty in theatre.
 */
import { describe, expect, it } from 'vitest';
import {
  CONDITION_BY_CODE,
  FIT_AFTER_MAJOR_OPERATION_HOURS,
  FIT_FOR_DUTY_HOURS,
  HOSPITAL_STAY_AFTER_MAJOR_OPERATION_HOURS,
  HOSPITAL_STAY_HOURS,
  MAJOR_OPERATION_FROM_SEVERITY,
  severityGrade,
  unfitInTheatre,
} from '../../../lib/data/index.js';
import {
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  presetScenario,
} from '../../../lib/generation/index.js';
import { leastCriticalHours } from './invariants.js';

const { evacuation_policy_days: _presetPolicy, ...NATO } = presetScenario(findPreset('nato_article_5')!);
const LIMBS = ['Left Arm', 'Right Arm', 'Left Leg', 'Right Leg'];
const BULLET_WOUND = '262574004';

function patients(policyDays: number | undefined): PatientRecord[] {
  const input = {
    ...NATO,
    total_patients: 5000,
    ...(policyDays === undefined ? {} : { evacuation_policy_days: policyDays }),
  };
  return [...generate(plan(loadScenario(input), 5))];
}

/**
 * The longest dwell at Role 4 of a patient admitted at `arrival` (hours): 24 h, or until its cause no
 * longer keeps it critical, and a few minutes for its health to pass the ceiling (fix 0389).
 */
function longestRole4Dwell(r: PatientRecord, arrival: number): number {
  return Math.max(24, leastCriticalHours(r) + 0.2 - arrival);
}

/** Hours from the arrival that began the last stay to the return to duty. */
function stayBeforeDuty(r: PatientRecord): number {
  const tl = r.movement_timeline;
  return tl.at(-1)!.hours_since_injury - tl.findLast((e) => e.event_type === 'arrival')!.hours_since_injury;
}

/** One of its conditions keeps the casualty from duty before Role 4, as the course reads them. */
function unfit(c: PatientRecord['conditions'][number]): boolean {
  return unfitInTheatre(CONDITION_BY_CODE.get(c.code)!, c.body_part, c.severity);
}

function needsMajorOperation(r: PatientRecord): boolean {
  return r.conditions.some(unfit);
}

/** ...and Role 4 holds it through a wound's convalescence: an illness operated on heals at its severity's pace (fix 0318). */
function convalescent(r: PatientRecord): boolean {
  return needsMajorOperation(r) && r.injury_type !== 'DISEASE';
}

describe('return to duty after a major operation', () => {
  const week = patients(7);

  it("reads a wound's major operation for its part of the body: a bullet wound is explored in the abdomen and pelvis only (fix 0311)", () => {
    // Act
    const parts = Object.keys(MAJOR_OPERATION_FROM_SEVERITY.get(BULLET_WOUND) ?? {});
    // Assert
    expect(parts.sort()).toEqual(['Abdomen', 'Pelvis']);
  });

  it('returns to duty in theatre some moderate bullet wounds of a limb, which no major operation keeps from it (fix 0311)', () => {
    // Act
    const inTheatre = week.filter((r) => {
      const last = r.movement_timeline.at(-1)!;
      const c = r.conditions[0];
      return (
        c.code === BULLET_WOUND &&
        LIMBS.includes(c.body_part) &&
        c.severity >= 4 &&
        last.event_type === 'rtd' &&
        (last.facility === 'Role2' || last.facility === 'Role3')
      );
    });
    // Assert
    expect(inTheatre.length).toBeGreaterThan(20);
  });

  it('keeps from duty in theatre a casualty whose second wound or related fracture needs a major operation, not only its primary (fix 0321)', () => {
    // Prepare
    const others = week.filter((r) => !unfit(r.conditions[0]) && r.conditions.slice(1).some(unfit));
    // Act
    const inTheatre = others.filter((r) => r.status === 'RTD' && r.last_facility !== 'Role4');
    // Assert: a dozen or more (most casualties with a second wound that grave have a severe primary,
    // itself unfit in theatre since fix 0371)
    expect(others.length).toBeGreaterThan(10);
    expect(
      inTheatre.map((r) => `${r.id}: ${r.conditions.filter(unfit).map((c) => c.name)} at ${r.last_facility}`),
    ).toEqual([]);
  });

  it.each([
    ['with a 7-day evacuation policy', 7],
    ['without an evacuation policy', undefined],
  ])(
    'holds at Role 4 until fit, weeks to months, a casualty back on duty after a major operation, %s (fix 0312)',
    (_name, policy) => {
      // Prepare
      const records = policy === 7 ? week : patients(policy);
      const [weeks] = FIT_AFTER_MAJOR_OPERATION_HOURS;
      // Act
      const stays = records
        .filter((r) => r.status === 'RTD' && r.last_facility === 'Role4' && convalescent(r))
        .map(stayBeforeDuty);
      // Assert: at least the shortest convalescence after the shortest dwell at Role 4 (6 h).
      expect(stays.length).toBeGreaterThan(200);
      for (const stay of stays) expect(stay).toBeGreaterThanOrEqual(weeks + 6);
    },
  );

  it('discharges such a casualty from Role 4 2-6 weeks after its dwell, to convalesce out of hospital until fit (fix 0319)', () => {
    // Prepare: Role 4's dwell is 6-24 h, longer for a patient its cause keeps critical (fix 0389)
    const [stayMin, stayMax] = HOSPITAL_STAY_AFTER_MAJOR_OPERATION_HOURS;
    const [weeks] = FIT_AFTER_MAJOR_OPERATION_HOURS;
    // Act
    const back = week.filter((r) => r.status === 'RTD' && r.last_facility === 'Role4' && convalescent(r));
    // Assert: each discharged within its hospital stay, back on duty only when fit, weeks later
    expect(back.length).toBeGreaterThan(200);
    for (const r of back) {
      const tl = r.movement_timeline;
      const arrival = tl.findLast((e) => e.event_type === 'arrival')!.hours_since_injury;
      const discharge = tl.at(-2)!;
      expect(discharge.event_type, `patient ${r.id}`).toBe('discharge');
      const inHospital = discharge.hours_since_injury - arrival;
      expect(inHospital).toBeGreaterThanOrEqual(stayMin + 6 - 0.1);
      expect(inHospital).toBeLessThanOrEqual(stayMax + longestRole4Dwell(r, arrival) + 0.1);
      expect(tl.at(-1)!.hours_since_injury - arrival).toBeGreaterThanOrEqual(weeks + 6);
    }
  });

  it('discharges from Role 4 any other casualty not fit after its 2-21 days in hospital, sooner than after a major operation (fix 0322)', () => {
    // Prepare: Role 4's dwell is 6-24 h (longer for a patient its cause keeps critical), then a severe
    // casualty's stay is the longest.
    const arrival = (r: PatientRecord) => r.movement_timeline.findLast((e) => e.event_type === 'arrival')!;
    const longest = (r: PatientRecord) =>
      HOSPITAL_STAY_HOURS.T1[1] + longestRole4Dwell(r, arrival(r).hours_since_injury);
    const inHospital = (r: PatientRecord) => {
      const tl = r.movement_timeline;
      const end = tl.find((e) => e.event_type === 'discharge') ?? tl.at(-1)!;
      return end.hours_since_injury - arrival(r).hours_since_injury;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Act
    const atRole4 = week.filter((r) => r.status === 'RTD' && r.last_facility === 'Role4');
    const others = atRole4.filter((r) => !convalescent(r));
    // Assert: each out of hospital within its longest stay (3 weeks), most of them discharged unfit
    expect(others.length).toBeGreaterThan(500);
    for (const r of others) expect(inHospital(r), `patient ${r.id}`).toBeLessThanOrEqual(longest(r) + 0.1);
    expect(
      others.filter((r) => r.movement_timeline.at(-2)!.event_type === 'discharge').length,
    ).toBeGreaterThan(others.length / 2);
    expect(median(others.map(inHospital))).toBeLessThan(median(atRole4.filter(convalescent).map(inHospital)));
  });

  it('holds at Role 4 a severe wound as long as an immediate casualty, a moderate one as a delayed one, however recovered it arrives (fix 0316)', () => {
    // Prepare: the shortest hold at Role 4 of each grade, after the shortest dwell there (6 h).
    const shortest = { Severe: FIT_FOR_DUTY_HOURS.Role4.T1[0], Moderate: FIT_FOR_DUTY_HOURS.Role4.T2[0] };
    // Act
    const back = week.filter(
      (r) =>
        r.status === 'RTD' &&
        r.last_facility === 'Role4' &&
        !convalescent(r) &&
        severityGrade(r.conditions[0].severity) !== 'Mild',
    );
    // Assert
    expect(back.length).toBeGreaterThan(200);
    for (const r of back) {
      const grade = severityGrade(r.conditions[0].severity) as 'Severe' | 'Moderate';
      expect(
        stayBeforeDuty(r),
        `${r.conditions[0].name} of severity ${r.conditions[0].severity}`,
      ).toBeGreaterThanOrEqual(shortest[grade] + 6);
    }
  });

  it("holds an appendicectomy at Role 4 for weeks, at its severity's pace, not a wound's months of convalescence (fix 0318)", () => {
    // Prepare: Peacekeeping, whose appendicitis is common.
    const records = [
      ...generate(
        plan(loadScenario({ ...presetScenario(findPreset('peacekeeping')!), total_patients: 5000 }), 5),
      ),
    ];
    // Act
    const stays = records
      .filter((r) => r.conditions[0].code === '74400008' && r.status === 'RTD' && r.last_facility === 'Role4')
      .map(stayBeforeDuty);
    // Assert: within an immediate casualty's longest hold (56 days) after the longest dwell at Role 4 (24 h).
    expect(stays.length).toBeGreaterThan(20);
    for (const stay of stays) expect(stay).toBeLessThanOrEqual(FIT_FOR_DUTY_HOURS.Role4.T1[1] + 24);
  });
});
