/**
 * The evacuation policy (memory/decisions/0934-evacuation-policy.md): with one, a casualty returning to duty
 * is held in its bed until fit, in theatre (Role 2, 3) only if fit within the policy and, where beds are
 * limited, only if its facility has a free bed when the hold would begin, else it is evacuated onward
 * (0941-full-facility-evacuates-instead-of-holding.md); without one, return to duty is recorded at the
 * end of the dwell, as before.
 */
import { describe, expect, it } from 'vitest';
import {
  CONCUSSION_CLEARANCE_HOURS,
  CONCUSSION_REST_HOURS,
  CONDITION_BY_CODE,
  FACILITIES,
  FIT_FOR_DUTY_HOURS,
  ISOLATION_HOURS,
  PRESETS,
  raisesFever,
} from '../../../lib/data/index.js';
import { type CourseParams, LEG, newParams, newState, stayAt } from '../../../lib/generation/course.js';
import {
  createRng,
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  presetScenario,
  type ScenarioInput,
  seedWords,
} from '../../../lib/generation/index.js';

/** NATO Article 5 without its preset's evacuation policy: each test sets its own. */
const { evacuation_policy_days: _presetPolicy, ...NATO } = presetScenario(findPreset('nato_article_5')!);
const RATES = { kia_rate: 0.02, rtd_rate: 0.3 };

function patients(input: ScenarioInput, seed = 5): PatientRecord[] {
  return [...generate(plan(loadScenario(input), seed))];
}

/** The return-to-duty event of a record and the arrival that began its stay, or undefined. */
function returnToDuty(r: PatientRecord) {
  const t = r.movement_timeline;
  const rtd = t.at(-1)!;
  if (rtd.event_type !== 'rtd') return undefined;
  const arrival = t.findLast((e) => e.event_type === 'arrival')!;
  return {
    facility: rtd.facility,
    at: rtd.hours_since_injury,
    stay: rtd.hours_since_injury - arrival.hours_since_injury,
  };
}

const count = (records: PatientRecord[], test: (r: PatientRecord) => boolean) => records.filter(test).length;
const rtdFrom = (facility: string) => (r: PatientRecord) => returnToDuty(r)?.facility === facility;
const reached = (facility: string) => (r: PatientRecord) =>
  r.movement_timeline.some((e) => e.event_type === 'arrival' && e.facility === facility);

describe('the evacuation policy', () => {
  const none = patients({ ...NATO, total_patients: 6000 });
  const week = patients({ ...NATO, total_patients: 6000, evacuation_policy_days: 7 });

  it('holds a casualty returning to duty from Role 2, 3 or 4 in its bed until fit, within 7 days in theatre', () => {
    // Prepare: the shortest hold of any triage category at each echelon.
    const shortest = (f: 'Role2' | 'Role3' | 'Role4') =>
      Math.min(...Object.values(FIT_FOR_DUTY_HOURS[f]).map(([lo]) => lo));
    // Act
    const held = week
      .map(returnToDuty)
      .filter((x) => x !== undefined && x.facility !== 'POI' && x.facility !== 'Role1');
    // Assert
    expect(held.length).toBeGreaterThan(1000);
    for (const x of held) {
      expect(x!.stay, x!.facility).toBeGreaterThanOrEqual(
        shortest(x!.facility as 'Role2' | 'Role3' | 'Role4'),
      );
      if (x!.facility !== 'Role4') expect(x!.at, x!.facility).toBeLessThanOrEqual(7 * 24);
    }
  });

  it('evacuates to Role 4 a casualty who could not be fit within the policy, so a shorter policy returns fewer to duty from Role 3', () => {
    // Prepare
    const fortnight = patients({ ...NATO, total_patients: 6000, evacuation_policy_days: 14 });
    const threeDays = patients({ ...NATO, total_patients: 6000, evacuation_policy_days: 3 });
    // Act
    const fromRole3 = [threeDays, week, fortnight].map((records) => count(records, rtdFrom('Role3')));
    const atRole4 = [threeDays, week, fortnight].map((records) => count(records, reached('Role4')));
    // Assert
    expect(fromRole3[0]).toBeLessThan(fromRole3[1]);
    expect(fromRole3[1]).toBeLessThan(fromRole3[2]);
    expect(atRole4[0]).toBeGreaterThan(atRole4[1]);
    expect(atRole4[1]).toBeGreaterThan(atRole4[2]);
    expect(count(threeDays, rtdFrom('Role2'))).toBeLessThan(count(fortnight, rtdFrom('Role2')));
  });

  it('leaves return to duty at the end of the dwell without a policy: within hours, never days, at Role 3, a concussion once its day of rest is out, a contagious or febrile illness its isolation (fixes 0331, 0355, 0388)', () => {
    // Act
    const has = (r: PatientRecord, flag: 'concussion' | 'contagious') =>
      r.conditions.some((c) => CONDITION_BY_CODE.get(c.code)![flag] === true);
    const febrile = (r: PatientRecord) =>
      r.injury_type === 'DISEASE' && r.conditions.some((c) => c.hours_since_injury === 0 && raisesFever(c));
    const stays = none
      .filter((r) => returnToDuty(r)?.facility === 'Role3')
      .map((r) => ({
        ...returnToDuty(r)!,
        concussed: has(r, 'concussion'),
        isolated: has(r, 'contagious') || febrile(r),
      }));
    // Assert
    expect(stays.length).toBeGreaterThan(100);
    expect(stays.filter((x) => x.isolated && x.stay > 12).length).toBeGreaterThan(0);
    // Hours are sums of tenths: a float of 12 may read 12.000000000000002.
    for (const x of stays) {
      if (x.concussed && x.stay > 12)
        expect(x.at).toBeLessThanOrEqual(CONCUSSION_REST_HOURS + CONCUSSION_CLEARANCE_HOURS[1] + 1e-9);
      else if (x.isolated && x.stay > 12)
        expect(x.at).toBeLessThanOrEqual(ISOLATION_HOURS + CONCUSSION_CLEARANCE_HOURS[1] + 1e-9);
      else expect(x.stay).toBeLessThanOrEqual(12 + 1e-9);
    }
  });

  it('makes the held casualties keep their beds: the same beds then queue more casualties', () => {
    // Prepare
    const beds: ScenarioInput = {
      ...NATO,
      total_patients: 2500,
      facility_configs: [
        { id: 'r1', name: 'Role 1', role: 'Role1', capacity: 40, ...RATES },
        { id: 'r2', name: 'Role 2', role: 'Role2', capacity: 40, ...RATES },
        { id: 'r3', name: 'Role 3', role: 'Role3', capacity: 100, ...RATES },
        { id: 'r4', name: 'Role 4', role: 'Role4', capacity: 200, ...RATES },
      ],
    };
    const waits = (records: PatientRecord[]) =>
      records.reduce((n, r) => n + r.movement_timeline.filter((e) => e.event_type === 'wait').length, 0);
    // Act
    const without = waits(patients(beds, 11));
    const withPolicy = waits(patients({ ...beds, evacuation_policy_days: 7 }, 11));
    // Assert
    expect(withPolicy).toBeGreaterThan(2 * without);
  });

  it('evacuates onward, instead of holding, a casualty whose facility has no free bed when its hold would begin', () => {
    // Prepare: short beds at Roles 1-3 (Role 4, out of theatre, without a limit), or a hundred times more
    const beds = (scale: number): ScenarioInput => ({
      ...NATO,
      total_patients: 2500,
      evacuation_policy_days: 7,
      facility_configs: [
        { id: 'r1', name: 'Role 1', role: 'Role1', capacity: 40 * scale, ...RATES },
        { id: 'r2', name: 'Role 2', role: 'Role2', capacity: 40 * scale, ...RATES },
        { id: 'r3', name: 'Role 3', role: 'Role3', capacity: 100 * scale, ...RATES },
      ],
    });

    // Act
    const short = plan(loadScenario(beds(1)), 11);
    const records = [...generate(short)];
    const ample = plan(loadScenario(beds(100)), 11);

    // Assert: refusals happen where beds run out, never where they do not
    const refused = [...short.care!.holdRefused.entries()].filter(([, v]) => v === 1).map(([slot]) => slot);
    expect(refused.length).toBeGreaterThan(50);
    expect(ample.care!.holdRefused.every((v) => v === 0)).toBe(true);
    // ...and each one leaves that echelon by transit (onward), never returns to duty there
    for (const slot of refused) {
      const record = records[Math.floor(slot / 4)];
      const facility = FACILITIES[(slot % 4) + 1];
      expect(['Role2', 'Role3']).toContain(facility);
      const timeline = record.movement_timeline;
      expect(timeline.some((e) => e.event_type === 'transit_start' && e.facility === facility)).toBe(true);
      expect(timeline.some((e) => e.event_type === 'rtd' && e.facility === facility)).toBe(false);
    }
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))(
    'preset %s sets a policy, and its casualties returning to duty in theatre do so within it',
    (_id, preset) => {
      // Prepare
      const input = { ...presetScenario(preset), total_patients: 2000 };
      // Act
      const inTheatre = patients(input)
        .map(returnToDuty)
        .filter((x) => x?.facility === 'Role2' || x?.facility === 'Role3');
      // Assert
      expect(input.evacuation_policy_days).toBeGreaterThan(0);
      expect(inTheatre.length).toBeGreaterThan(0);
      for (const x of inTheatre) expect(x!.at).toBeLessThanOrEqual(input.evacuation_policy_days! * 24);
    },
  );

  /**
   * How 300 stays end at `role` (2 or 3) of a recovered casualty admitted 40 h after injury, triaged
   * delayed at injury and minimal now, fit for duty within 14 days.
   */
  function stays(role: 2 | 3, type: CourseParams['type'], policyDays: number, severity = 5) {
    const params: CourseParams = {
      ...newParams(),
      type,
      triage: 'T2',
      severity,
      wound: type !== 'DISEASE',
      firstDutyRole: 1,
    };
    const settings = {
      lethality: new Float64Array(FACILITIES.length).fill(1),
      rtd: Float64Array.from([0.2, 0.25, 0.35, 0.45, 0.7]),
      poiDelayHours: 0,
      transitFactor: 1,
      policy: policyDays < 0 ? -1 : policyDays * 240,
    };
    return Array.from({ length: 300 }, (_, seed) => {
      const s = newState();
      Object.assign(s, { t: 400, h: 80, rate: -2, controlled: true, role, resp: role - 1, triage: 'T3' });
      return stayAt(params, settings, createRng(seedWords(seed + 1), 0), s, null);
    });
  }
  const onward = (legs: number[]) => legs.filter((leg) => leg === LEG.next).length / legs.length;

  describe('at Role 2, the field hospital', () => {
    it('holds until fit, never sends on to Role 3, a recovered moderate illness or non-battle injury fit within the policy (fix 0398)', () => {
      // Act
      const illnesses = stays(2, 'DISEASE', 14);
      const injuries = stays(2, 'NON_BATTLE', 14);
      // Assert: a T3 at Role 2 is fit 12-48 h after its dwell, well within 14 days of its injury
      expect(illnesses.every((leg) => leg === LEG.rtd)).toBe(true);
      expect(injuries.every((leg) => leg === LEG.rtd)).toBe(true);
    });

    it('sends a severe illness, a war wound and, without a policy, any casualty on to Role 3 at the configured rates', () => {
      // Act
      const severe = stays(2, 'DISEASE', 14, 8);
      const wounds = stays(2, 'BATTLE_TRAUMA', 14);
      const withoutPolicy = stays(2, 'DISEASE', -1);
      // Assert: rate 0.35 x 1.2 (T3) x 1.5 (illness) = 0.63, x 0.9 (battle) = 0.38
      expect(onward(severe)).toBeGreaterThan(0.27);
      expect(onward(severe)).toBeLessThan(0.47);
      expect(onward(wounds)).toBeGreaterThan(0.52);
      expect(onward(wounds)).toBeLessThan(0.72);
      expect(onward(withoutPolicy)).toBeGreaterThan(0.27);
      expect(onward(withoutPolicy)).toBeLessThan(0.47);
    });
  });

  describe("at Role 3, the theatre's hospital", () => {
    it('holds until fit, never flies out of theatre, a recovered illness or non-battle injury fit within the policy (fix 0394)', () => {
      // Act
      const illnesses = stays(3, 'DISEASE', 14);
      const injuries = stays(3, 'NON_BATTLE', 14);
      // Assert: a T3 at Role 3 is fit 24-96 h after its dwell, well within 14 days of its injury
      expect(illnesses.every((leg) => leg === LEG.rtd)).toBe(true);
      expect(injuries.every((leg) => leg === LEG.rtd)).toBe(true);
    });

    it('keeps the configured return-to-duty rates for a war wound, and for every casualty without a policy', () => {
      // Act
      const wounds = stays(3, 'BATTLE_TRAUMA', 14);
      const withoutPolicy = stays(3, 'DISEASE', -1);
      // Assert: rate 0.45 x 1.2 (T3) x 0.9 (battle) = 0.49, x 1.5 (illness) = 0.81
      expect(onward(wounds)).toBeGreaterThan(0.4);
      expect(onward(wounds)).toBeLessThan(0.62);
      expect(onward(withoutPolicy)).toBeGreaterThan(0.1);
      expect(onward(withoutPolicy)).toBeLessThan(0.28);
    });
  });
});
