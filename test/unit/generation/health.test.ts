/**
 * The health model (memory/decisions/0910-capacity-and-health.md): calibration against public figures
 * (memory/reference/medical-model-sources.md) with ample beds, and what short beds do to it.
 */
import { describe, expect, it } from 'vitest';
import {
  BESIDE_A_BURN,
  BRAIN_INJURY_FROM_SEVERITY,
  CONCUSSION_REST_HOURS,
  CONDITION_BY_CODE,
  DWELL_HOURS,
  drainedBeforeDuty,
  FIT_AFTER_FRACTURE_HOURS,
  LIMBS,
  NON_LETHAL_CARE,
  PROCEDURES,
  xrayedBeforeDuty,
} from '../../../lib/data/index.js';
import {
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  presetScenario,
  type ScenarioInput,
} from '../../../lib/generation/index.js';
import { inShock, leastCriticalHours } from './invariants.js';

const RATES = { kia_rate: 0.02, rtd_rate: 0.3 };
/** SNOMED CT: application of tourniquet. */
const TOURNIQUET = '20655006';
/**
 * A primary brain injury: on the head, of a severity whose GCS falls with the patient's health; a
 * concussion, a mild brain injury whatever its severity, is none (fix 0349).
 */
const brainInjured = (r: PatientRecord) =>
  r.conditions[0].body_part === 'Head' &&
  r.conditions[0].severity >= BRAIN_INJURY_FROM_SEVERITY &&
  !CONDITION_BY_CODE.get(r.conditions[0].code)!.concussion;

/** Beds per facility unit that no preset of 20,000 patients fills: no wait, no diversion. */
const AMPLE_BEDS = 20_000;

function withBeds(preset: string, beds: number | undefined, total: number): ScenarioInput {
  const cap = (n: number) => (beds === undefined ? {} : { capacity: n * beds });
  return {
    ...presetScenario(findPreset(preset)!),
    total_patients: total,
    facility_configs: [
      { id: 'r1', name: 'Role 1', role: 'Role1', ...cap(2), ...RATES },
      { id: 'r2a', name: 'Role 2 A', role: 'Role2', ...cap(1), ...RATES },
      { id: 'r2b', name: 'Role 2 B', role: 'Role2', ...cap(1), ...RATES },
      { id: 'r3', name: 'Role 3', role: 'Role3', ...cap(3), ...RATES },
      { id: 'r4', name: 'Role 4', role: 'Role4', ...cap(10), ...RATES },
    ],
  };
}

/** The records of a scenario and seed, generated once per file: the tests only read them. */
const generated = new Map<string, readonly PatientRecord[]>();
function run(input: ScenarioInput, seed = 20251126): readonly PatientRecord[] {
  const key = `${seed} ${JSON.stringify(input)}`;
  let records = generated.get(key);
  if (records === undefined) {
    records = [...generate(plan(loadScenario(input), seed))];
    generated.set(key, records);
  }
  return records;
}
const pct = (n: number, d: number) => (100 * n) / d;
/** 20,000 patients of a preset on 1,000-bed units, without its evacuation policy (generated once). */
const withoutPolicy = (preset: string) =>
  run({ ...withBeds(preset, 1000, 20_000), evacuation_policy_days: undefined });
/** NATO Article 5's and Peacekeeping's patients, as `withoutPolicy` makes them. */
const twoPresets = () => [...withoutPolicy('nato_article_5'), ...withoutPolicy('peacekeeping')];

/** NATO 10-1-2 for immediate (T1) trauma: first aid ≤ 10 min, Role 1 ≤ 1 h, surgery (Role 2/3) ≤ 2 h. */
function tenOneTwo(records: readonly PatientRecord[]) {
  let firstAid = 0;
  let t1 = 0;
  let role1 = 0;
  let role1Due = 0;
  let surgery = 0;
  let surgeryDue = 0;
  for (const r of records) {
    if (r.triage_category !== 'T1' || r.injury_type === 'DISEASE') continue;
    t1++;
    const tl = r.movement_timeline;
    const end = tl[tl.length - 1];
    const alive = (h: number) => end.event_type !== 'kia' || end.hours_since_injury > h;
    if (r.treatments.some((t) => t.facility === 'POI' && t.hours_since_injury <= 1 / 6)) firstAid++;
    const first = tl.find((e) => e.event_type === 'arrival' && e.facility !== 'POI');
    const surgical = tl.find(
      (e) => e.event_type === 'arrival' && (e.facility === 'Role2' || e.facility === 'Role3'),
    );
    // Only patients alive at the deadline (or who made it) count: the dead cannot be late.
    if (first || alive(1)) {
      role1Due++;
      if (first && first.hours_since_injury <= 1) role1++;
    }
    if (surgical || alive(2)) {
      surgeryDue++;
      if (surgical && surgical.hours_since_injury <= 2) surgery++;
    }
  }
  return { firstAid: pct(firstAid, t1), role1: pct(role1, role1Due), surgery: pct(surgery, surgeryDue) };
}

describe('outcomes with ample beds stay where the public figures put them', () => {
  it.each(['nato_article_5', 'training_exercise', 'maritime_operation'])(
    'keeps battle KIA at 15 to 20 and DOW at 3 to 5 in 100 battle casualties in %s (20,000 patients)',
    (preset) => {
      // Prepare: beds for all (a 2-day exercise of 20,000 fills 1,000 a facility: fix 0287)
      const records = run(withBeds(preset, AMPLE_BEDS, 20_000));
      // Act
      const queued = records.filter((r) =>
        r.movement_timeline.some((e) => e.event_type === 'wait' || e.event_type === 'diversion'),
      );
      const battle = records.filter((r) => r.injury_type === 'BATTLE_TRAUMA');
      const kia = pct(battle.filter((r) => r.status === 'KIA').length, battle.length);
      const dow = pct(battle.filter((r) => r.status === 'DOW').length, battle.length);
      // Assert
      expect(queued).toHaveLength(0);
      expect(kia).toBeGreaterThanOrEqual(15);
      expect(kia).toBeLessThanOrEqual(20);
      expect(dow).toBeGreaterThanOrEqual(3);
      expect(dow).toBeLessThanOrEqual(5);
    },
  );

  it('leaves no delayed casualty to die on its priority wait: one that falls to immediate at the point of injury is evacuated as urgent', () => {
    // Prepare
    const records = run(withBeds('nato_article_5', 1000, 20_000));
    const delayed = records.filter((r) => r.injury_type === 'BATTLE_TRAUMA' && r.triage_category === 'T2');
    // Act
    const killed = delayed.filter((r) => r.status === 'KIA');
    const retriaged = delayed.filter((r) =>
      r.movement_timeline.some((e) => e.facility === 'POI' && e.event_type === 'triage'),
    );
    const evacuated = retriaged.filter((r) => r.facilities_visited.length > 1);
    // A casualty with a tourniquet (fix 0253) or a brain injury (fix 0272) is evacuated as urgent from
    // the start: no priority wait.
    const onPriorityWait = killed.filter(
      (r) => !r.treatments.some((t) => t.code === TOURNIQUET) && !brainInjured(r),
    );
    const diedAfterFirstAid = onPriorityWait.filter(
      (r) => r.movement_timeline.at(-1)!.hours_since_injury > 0.1,
    );
    // Assert: under 5 in 100 killed before care (18 in 100 before fix 0248), each that outlived its
    // first aid (the medic's first look) on a priority wait re-triaged first; most of those re-triaged
    // reach care
    expect(delayed.length).toBeGreaterThan(5000);
    expect(pct(killed.length, delayed.length)).toBeLessThan(5);
    expect(diedAfterFirstAid.filter((r) => !retriaged.includes(r)).map((r) => r.id)).toEqual([]);
    expect(pct(evacuated.length, retriaged.length)).toBeGreaterThan(60);
  });

  it('stops a limb wound bleeding with first aid, not a wound of the trunk or neck: the deaths before care fall on the latter', () => {
    // Prepare: battle casualties alive when first aid came (six minutes)
    const records = run(withBeds('nato_article_5', 1000, 20_000));
    const LIMBS = ['Left Arm', 'Right Arm', 'Left Leg', 'Right Leg'];
    const aliveAtFirstAid = records.filter((r) => {
      const end = r.movement_timeline.at(-1)!;
      return r.injury_type === 'BATTLE_TRAUMA' && (end.event_type !== 'kia' || end.hours_since_injury > 0.1);
    });
    const limbOnly = aliveAtFirstAid.filter((r) => r.conditions.every((c) => LIMBS.includes(c.body_part)));
    const trunk = aliveAtFirstAid.filter((r) =>
      ['Neck', 'Chest', 'Abdomen', 'Pelvis'].includes(r.conditions[0].body_part),
    );
    const killed = (rs: typeof records) => pct(rs.filter((r) => r.status === 'KIA').length, rs.length);
    // Act / Assert: under 2 in 100 limb wounds (9 in 100 before fix 0250), over 10 in 100 of the trunk's
    expect(limbOnly.length).toBeGreaterThan(3000);
    expect(trunk.length).toBeGreaterThan(2000);
    expect(killed(limbOnly)).toBeLessThan(2);
    expect(killed(trunk)).toBeGreaterThan(10);
  });

  it('takes a casualty with a tourniquet to surgery within about two hours, whatever its triage', () => {
    // Prepare: battle casualties whose wound got a tourniquet at first aid
    const records = run(withBeds('nato_article_5', 1000, 20_000));
    const withTourniquet = records.filter((r) => r.treatments.some((t) => t.code === TOURNIQUET));
    const delayed = withTourniquet.filter((r) => r.triage_category === 'T2');
    // Act: hours from injury to the first surgical echelon, for those who reach one
    const toSurgery = (rs: PatientRecord[]) =>
      rs
        .map((r) =>
          r.movement_timeline.find(
            (e) => e.event_type === 'arrival' && (e.facility === 'Role2' || e.facility === 'Role3'),
          ),
        )
        .filter((e) => e !== undefined)
        .map((e) => e.hours_since_injury)
        .sort((a, b) => a - b);
    const all = toSurgery(withTourniquet);
    const t2 = toSurgery(delayed);
    const within = (hours: number[], h: number) => pct(hours.filter((x) => x <= h).length, hours.length);
    // Assert: a delayed (T2) wound waited its priority evacuation (2-5 h) before fix 0253, 4.6 h median
    // to Role 1 alone; now it travels as urgent, as an immediate one does
    expect(delayed.length).toBeGreaterThan(1000);
    expect(t2[Math.floor(t2.length / 2)]).toBeLessThanOrEqual(2);
    expect(within(all, 2.5)).toBeGreaterThan(90);
    expect(within(t2, 3)).toBe(100);
  });

  it("takes a delayed brain injury (GCS 9-12) to Role 3 as urgent: off Role 1 within an immediate casualty's dwell, to duty from no echelon before Role 3", () => {
    // Prepare: primary brain injuries, with the triage they had on admission to each echelon
    const records = run(withBeds('nato_article_5', 1000, 20_000));
    const brain = records.filter(brainInjured);
    const triageAt = (r: PatientRecord, facility: string) => {
      const tl = r.movement_timeline;
      const admitted = tl.findIndex((e) => e.event_type === 'arrival' && e.facility === facility);
      const next = tl[admitted + 1];
      const upTo = next?.event_type === 'triage' && next.facility === facility ? admitted + 1 : admitted;
      const last = tl.slice(0, upTo + 1).findLast((e) => e.event_type === 'triage');
      return last?.event_type === 'triage' ? last.triage_category : r.triage_category;
    };
    const delayedAtRole1 = brain.filter(
      (r) => r.facilities_visited.includes('Role1') && triageAt(r, 'Role1') === 'T2',
    );
    // Act: hours from admission to Role 1 to the transit onward; returns to duty before Role 3 as delayed
    const held = delayedAtRole1.map((r) => {
      const tl = r.movement_timeline;
      const admitted = tl.find((e) => e.event_type === 'arrival' && e.facility === 'Role1')!;
      const onward = tl.find((e) => e.event_type === 'transit_start' && e.facility === 'Role1');
      return onward ? onward.hours_since_injury - admitted.hours_since_injury : 0;
    });
    const backEarly = brain.filter((r) => {
      const end = r.movement_timeline.at(-1)!;
      return (
        end.event_type === 'rtd' &&
        end.facility !== 'Role3' &&
        end.facility !== 'Role4' &&
        triageAt(r, end.facility) !== 'T3'
      );
    });
    // Assert: held 8-16 h as any delayed casualty before fix 0272 (11.5 h median); about 200 of them,
    // concussions apart (fix 0349)
    expect(delayedAtRole1.length).toBeGreaterThan(150);
    expect(Math.max(...held)).toBeLessThanOrEqual(DWELL_HOURS.Role1.T1[1] + 1e-9);
    expect(backEarly.map((r) => r.id)).toEqual([]);
  });

  it('returns a mild condition fit for duty from Role 2 on: none evacuated to Role 3 or out of theatre for a sprain or a sore throat', () => {
    // Prepare: casualties whose primary condition is of the Mild grade, in a theatre without an
    // evacuation policy (every preset has one: a hold beyond it still sends a casualty onward), but for a
    // war wound of the head, which Role 3 scans before duty (fix 0378)
    const records = twoPresets();
    const headWound = (r: PatientRecord) =>
      r.conditions.some((c) => c.body_part === 'Head' && CONDITION_BY_CODE.get(c.code)!.penetrating);
    const mild = records.filter((r) => r.conditions[0].severity_grade === 'Mild' && !headWound(r));
    // Act: evacuations from Role 2 or 3 of one fit for duty (health 75 or more as it leaves)
    const onward = mild.filter((r) =>
      r.movement_timeline.some(
        (e) =>
          e.event_type === 'transit_start' &&
          (e.facility === 'Role2' || e.facility === 'Role3') &&
          e.health >= 75,
      ),
    );
    // Assert: before fix 0278, 8 in 100 of them reached Role 4 (a sore throat repatriated)
    expect(mild.length).toBeGreaterThan(5000);
    expect(onward.map((r) => `${r.id} ${r.conditions[0].name}`).slice(0, 10)).toEqual([]);
  });

  it('returns a mild illness or non-battle injury fit for duty from Role 1 on: none evacuated to a field hospital for a cold, a sprain or a cut (fix 0357)', () => {
    // Prepare: casualties whose primary condition is a mild illness or non-battle injury (the records of
    // the test above), but for a fracture's or a torn knee's, which Role 2 X-rays first (fixes 0328, 0353),
    // and an abscess, which a surgeon drains there (fix 0399)
    const records = twoPresets();
    const xrayed = (r: PatientRecord) =>
      r.conditions.some((c) => {
        const def = CONDITION_BY_CODE.get(c.code)!;
        return xrayedBeforeDuty(def) || drainedBeforeDuty(def);
      });
    const mild = records.filter(
      (r) => r.injury_type !== 'BATTLE_TRAUMA' && r.conditions[0].severity_grade === 'Mild' && !xrayed(r),
    );
    // Act: evacuations from Role 1 of one fit for duty there (health 75 or more on arrival and as it
    // leaves; one that arrives worse is re-triaged delayed, which Role 1 sends on)
    const atRole1 = (r: PatientRecord, type: string) =>
      r.movement_timeline.find((e) => e.event_type === type && e.facility === 'Role1');
    const onward = mild.filter(
      (r) => (atRole1(r, 'arrival')?.health ?? 0) >= 75 && (atRole1(r, 'transit_start')?.health ?? 0) >= 75,
    );
    // Assert: before fix 0357, about a third of them went on to Role 2 (common colds, ankle sprains)
    expect(mild.filter((r) => r.injury_type === 'DISEASE').length).toBeGreaterThan(1000);
    expect(mild.filter((r) => r.injury_type === 'NON_BATTLE').length).toBeGreaterThan(1000);
    expect(onward.map((r) => `${r.id} ${r.conditions[0].name}`).slice(0, 10)).toEqual([]);
  });

  it('returns no bullet or penetrating wound to duty unseen, nor one of the head, neck or trunk or a moderate one before a surgeon at Role 2 (fix 0378)', () => {
    // Prepare: casualties with a bullet or penetrating wound back on duty, in two presets
    const records = twoPresets();
    const wounded = records.filter(
      (r) => r.status === 'RTD' && r.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.penetrating),
    );
    // Act
    const unseen = wounded.filter((r) => r.last_facility === 'POI');
    const noSurgeon = wounded.filter(
      (r) =>
        r.last_facility === 'Role1' &&
        r.conditions.some(
          (c) =>
            CONDITION_BY_CODE.get(c.code)!.penetrating &&
            (c.severity_grade !== 'Mild' || !LIMBS.includes(c.body_part)),
        ),
    );
    // Assert: before fix 0378, 105 of them in eight presets of 5,000 went back from the point of injury
    // (a bullet wound of the abdomen among them) and about 100 of the trunk or moderate from Role 1
    expect(wounded.length).toBeGreaterThan(1000);
    expect(wounded.filter((r) => r.last_facility === 'Role1').length).toBeGreaterThan(5);
    expect(unseen.map((r) => `${r.id} ${r.conditions[0].name}`).slice(0, 10)).toEqual([]);
    expect(noSurgeon.map((r) => `${r.id} ${r.conditions[0].name}`).slice(0, 10)).toEqual([]);
  });

  it('returns a concussion to duty only from Role 1 on, after a day of rest: a provider clears it (fix 0331)', () => {
    // Prepare: casualties with a concussion, in two presets (the records of the test above)
    const records = twoPresets();
    const concussed = records.filter((r) =>
      r.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.concussion),
    );
    // Act
    const backOnDuty = concussed.filter((r) => r.status === 'RTD');
    const early = backOnDuty.filter((r) => {
      const back = r.movement_timeline.at(-1)!;
      return back.facility === 'POI' || back.hours_since_injury < CONCUSSION_REST_HOURS;
    });
    const fromRole1 = backOnDuty.filter((r) => r.last_facility === 'Role1');
    // Assert: hundreds back on duty, dozens from Role 1, none unseen or within the day's rest
    expect(backOnDuty.length).toBeGreaterThan(300);
    expect(fromRole1.length).toBeGreaterThan(30);
    expect(early.map((r) => `${r.id} ${r.last_facility}`).slice(0, 10)).toEqual([]);
  });

  it('returns a mental disorder or a tropical infection to duty only from Role 1 on: a clinician diagnoses it, not the medic (fix 0358)', () => {
    // Prepare: casualties with an acute stress disorder, an acute PTSD, a depression, dengue or
    // leishmaniasis (peacekeeping names both endemic diseases; the records of the tests above)
    const records = twoPresets();
    const diagnosed = records.filter((r) =>
      r.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.clinicianDiagnosed),
    );
    // Act
    const backOnDuty = diagnosed.filter((r) => r.status === 'RTD');
    const fromPoi = backOnDuty.filter((r) => r.last_facility === 'POI');
    const fromRole1 = backOnDuty.filter((r) => r.last_facility === 'Role1');
    // Assert: before fix 0358, a mild one was sent back from the point of injury within hours (a
    // depression 3.6 h after it was first seen)
    expect(backOnDuty.length).toBeGreaterThan(300);
    expect(fromRole1.length).toBeGreaterThan(50);
    expect(fromPoi.map((r) => `${r.id} ${r.conditions[0].name}`).slice(0, 10)).toEqual([]);
  });

  it('treats a delayed heat or cold injury at Role 1 as a delayed illness, not as a wound that needs a surgeon: kept for care there, and many back on duty from it (fix 0359)', () => {
    // Prepare: non-battle casualties whose primary condition is a heat or cold injury (hyperthermia,
    // dehydration, hypothermia, frostbite), delayed (T2) on admission to Role 1 (the records above)
    const records = twoPresets();
    const environmental = (r: PatientRecord) =>
      r.injury_type === 'NON_BATTLE' &&
      ['heat', 'cold'].includes(CONDITION_BY_CODE.get(r.conditions[0].code)!.care);
    const delayedAtRole1 = records.filter((r) => {
      if (!environmental(r)) return false;
      const tl = r.movement_timeline;
      const arrival = tl.findIndex((e) => e.event_type === 'arrival' && e.facility === 'Role1');
      if (arrival < 0) return false;
      const triage = tl.slice(0, arrival + 1).findLast((e) => e.event_type === 'triage');
      return (triage?.triage_category ?? r.triage_category) === 'T2';
    });
    // Act: how long Role 1 kept the ones it sent on, and how many it returned to duty
    const keptHours = delayedAtRole1.flatMap((r) => {
      const tl = r.movement_timeline;
      const arrival = tl.find((e) => e.event_type === 'arrival' && e.facility === 'Role1')!;
      const left = tl.find((e) => e.event_type === 'transit_start' && e.facility === 'Role1');
      return left === undefined ? [] : [left.hours_since_injury - arrival.hours_since_injury];
    });
    keptHours.sort((a, b) => a - b);
    const backFromRole1 = delayedAtRole1.filter((r) => r.status === 'RTD' && r.last_facility === 'Role1');
    // Assert: before fix 0359 none returned to duty from Role 1, and those sent on left within a
    // wound's 1-4 h; now an illness's dwell (8-16 h) holds them there
    expect(delayedAtRole1.length).toBeGreaterThan(100);
    expect(pct(backFromRole1.length, delayedAtRole1.length)).toBeGreaterThan(15);
    expect(keptHours[keptHours.length >> 1]).toBeGreaterThan(DWELL_HOURS.Role1.T2[0]);
  });

  it('returns a fracture of moderate severity or worse to duty from Role 4 only, once its bone has united, 6 weeks on, discharged from hospital before (fix 0336)', () => {
    // Prepare: casualties with a fracture of severity 4 or more, without an evacuation policy and with
    // their preset's
    const records = [
      ...withoutPolicy('nato_article_5'),
      ...withoutPolicy('training_exercise'),
      ...run(withBeds('training_exercise', 1000, 20_000)),
    ];
    const healing = records.filter((r) =>
      r.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.fracture && c.severity >= 4),
    );
    // Act
    const backOnDuty = healing.filter((r) => r.status === 'RTD');
    const early = backOnDuty.filter((r) => {
      const back = r.movement_timeline.at(-1)!;
      return back.facility !== 'Role4' || back.hours_since_injury < FIT_AFTER_FRACTURE_HOURS[0];
    });
    const neverDischarged = backOnDuty.filter(
      (r) => !r.movement_timeline.some((e) => e.event_type === 'discharge'),
    );
    // Assert: before the fix, ribs and vertebrae of severity 4-7 went back from Role 2 or 3 within days
    expect(backOnDuty.length).toBeGreaterThan(300);
    expect(early.map((r) => `${r.id} ${r.last_facility}`).slice(0, 10)).toEqual([]);
    expect(neverDischarged.map((r) => r.id).slice(0, 10)).toEqual([]);
  });

  it('kills no casualty whose primary wound is of the eye, a sprain, a soft-tissue wound or a minor head injury, and triages none of them immediate', () => {
    // Prepare
    const records = run(withBeds('nato_article_5', 1000, 20_000));
    const cannotKill = records.filter((r) =>
      NON_LETHAL_CARE.has(CONDITION_BY_CODE.get(r.conditions[0].code)!.care),
    );
    const eyes = cannotKill.filter((r) => r.conditions[0].body_part === 'Eye');
    // Act
    const dead = cannotKill.filter((r) => r.final_status === 'KIA');
    const immediate = cannotKill.filter((r) => r.triage_category === 'T1');
    // Assert: 19 of 100 eye injuries died in five presets before fix 0256, 38 were triaged T1
    expect(cannotKill.length).toBeGreaterThan(2000);
    expect(eyes.length).toBeGreaterThan(100);
    expect(dead.map((r) => `${r.id} ${r.conditions[0].name}`)).toEqual([]);
    expect(immediate.length).toBe(0);
  });

  it('kills no casualty with a burn and no bleeding wound beside it in the hours its shock takes to come: a burn is plasma lost over hours (fix 0377)', () => {
    // Prepare: casualties whose primary is a burn, with only a burn's, a cold injury's or a harmless condition beside it
    const records = run(withBeds('nato_article_5', 1000, 20_000));
    const burnsAlone = records.filter(
      (r) =>
        CONDITION_BY_CODE.get(r.conditions[0].code)!.care === 'burn' &&
        r.conditions.every((c) => BESIDE_A_BURN.has(CONDITION_BY_CODE.get(c.code)!.care)),
    );
    // Act
    const dead = burnsAlone.filter((r) => r.status === 'KIA' || r.status === 'DOW');
    // Assert: before fix 0377, 127 in eight presets of 5,000 died (86 at the point of injury), a median
    // 36 minutes after the burn
    expect(burnsAlone.filter((r) => r.severity >= 7).length).toBeGreaterThan(200);
    expect(dead.map((r) => `${r.id} ${r.conditions[0].name} ${r.status}`)).toEqual([]);
  });

  it("lets a burn with a moderate wound beside it deteriorate at the wound's rate added to the burn's, not at a battle wound's rate for the burn's severity (fix 0383)", () => {
    // Prepare: casualties whose primary is a burn and whose worst wound beside it that can bleed or kill
    // is moderate at most (severity 6), as recorded at the injury
    const records = run(withBeds('nato_article_5', 1000, 20_000));
    const burnsWithAWound = records.filter((r) => {
      if (CONDITION_BY_CODE.get(r.conditions[0].code)!.care !== 'burn') return false;
      const beside = r.conditions.filter(
        (c) => c.hours_since_injury === 0 && !BESIDE_A_BURN.has(CONDITION_BY_CODE.get(c.code)!.care),
      );
      return beside.length > 0 && beside.every((c) => c.severity <= 6);
    });
    // Act
    const dead = burnsWithAWound.filter((r) => r.status === 'KIA' || r.status === 'DOW');
    // Assert: before fix 0383, 23 of 135 died, 16 within the hour; a moderate wound alone kills about 1 in 100
    expect(burnsWithAWound.length).toBeGreaterThan(80);
    expect(dead.length / burnsWithAWound.length).toBeLessThan(0.08);
  });

  it('keeps a patient its cause holds critical (a severe respiratory failure or sepsis, a severe brain injury, a severe burn of the face) below health 75 for that time: none admitted on a ventilator shown recovered (fix 0389)', () => {
    // Prepare: the patients a cause keeps critical for a least time from its onset
    const held = twoPresets().filter((r) => leastCriticalHours(r) > 0);
    // Act: their admissions on a ventilator (after its start, before any weaning) within that time
    const onVentilator = held.flatMap((r) => {
      const on = r.treatments.find((t) => t.code === PROCEDURES.ventilation.code)?.hours_since_injury;
      const off =
        r.treatments.find((t) => t.code === PROCEDURES.weaning.code)?.hours_since_injury ?? Infinity;
      const least = leastCriticalHours(r);
      return r.movement_timeline
        .filter(
          (e) =>
            e.event_type === 'arrival' &&
            on !== undefined &&
            e.hours_since_injury > on &&
            e.hours_since_injury < Math.min(off, least),
        )
        .map((e) => ({ id: r.id, facility: e.facility, health: e.health }));
    });
    // Assert: hundreds of them, none at a minimal casualty's health (before fix 0389, in eight presets
    // of 5,000, 2,253 such admissions were at health 75 to 100, sedated on the ventilator)
    expect(held.length).toBeGreaterThan(500);
    expect(onVentilator.length).toBeGreaterThan(300);
    expect(onVentilator.filter((a) => a.health >= 75)).toEqual([]);
  });

  it("shows a burn alone's shock coming over hours: none of its vital signs in shock in the first four hours after the burn (fix 0392)", () => {
    // Prepare: casualties whose primary is a burn with nothing beside it that bleeds or kills
    const burnsAlone = twoPresets().filter(
      (r) =>
        CONDITION_BY_CODE.get(r.conditions[0].code)!.care === 'burn' &&
        r.conditions.every(
          (c) => c.hours_since_injury > 0 || BESIDE_A_BURN.has(CONDITION_BY_CODE.get(c.code)!.care),
        ),
    );
    // Act
    const early = burnsAlone.flatMap((r) => r.vital_signs.filter((v) => v.hours_since_injury < 4));
    const inShockEarly = early.filter(inShock);
    // Assert: hundreds of them, immediate casualties among them, none in shock (before fix 0392, 908 of
    // these 2,893 readings were; in eight presets of 5,000, 1,282 of 3,806)
    expect(burnsAlone.filter((r) => r.triage_category === 'T1').length).toBeGreaterThan(100);
    expect(early.length).toBeGreaterThan(500);
    expect(inShockEarly).toEqual([]);
  });

  it('meets NATO 10-1-2 for most immediate casualties with ample beds, and visibly not with short ones', () => {
    // Act
    const ample = tenOneTwo(run(withBeds('training_exercise', 1000, 10_000)));
    const short = tenOneTwo(run(withBeds('training_exercise', 2, 10_000)));
    // Assert
    expect(ample.firstAid).toBeGreaterThanOrEqual(95);
    expect(ample.role1).toBeGreaterThanOrEqual(85);
    expect(ample.surgery).toBeGreaterThanOrEqual(80);
    expect(short.surgery).toBeLessThan(40);
    expect(short.surgery).toBeLessThan(ample.surgery - 40);
  });

  it('costs health to wait: an immediate casualty not yet operated on loses health in a queue', () => {
    // Prepare
    const records = run(withBeds('training_exercise', 2, 5000));
    // Act: waits at Role 1 and Role 2 of T1 casualties, before their first surgery.
    const drops = records.flatMap((r) => {
      if (r.triage_category !== 'T1' || r.injury_type === 'DISEASE') return [];
      const tl = r.movement_timeline;
      const operated = tl.findIndex(
        (e) => e.event_type === 'arrival' && ['Role2', 'Role3'].includes(e.facility),
      );
      return tl.flatMap((e, i) =>
        e.event_type === 'wait' && (operated < 0 || i < operated) && e.facility !== 'Role4'
          ? [e.health - tl[i + 1].health]
          : [],
      );
    });
    // Assert
    expect(drops.length).toBeGreaterThan(50);
    expect(drops.every((d) => d >= 0)).toBe(true);
    expect(drops.reduce((a, b) => a + b, 0) / drops.length).toBeGreaterThan(2);
  });
});

describe('health drives triage, death and vital signs', () => {
  const records = run(withBeds('nato_article_5', undefined, 5000), 3);

  it('triages at first assessment from health: T1 below 50, T2 below 75, T3 above', () => {
    for (const r of records) {
      const h = r.movement_timeline[0].health;
      expect(r.triage_category, `health ${h}`).toBe(h < 50 ? 'T1' : h < 75 ? 'T2' : 'T3');
    }
  });

  it('records a re-triage only when health moves a patient to another category', () => {
    for (const r of records) {
      let current: string = r.triage_category;
      for (const e of r.movement_timeline) {
        if (e.event_type !== 'triage') continue;
        expect(e.triage_category).not.toBe(current);
        if (e.triage_category !== 'T4')
          expect(e.triage_category).toBe(e.health < 50 ? 'T1' : e.health < 75 ? 'T2' : 'T3');
        current = e.triage_category;
      }
    }
  });

  it('kills only at health 0 and never gives 0 to the living', () => {
    for (const r of records) {
      const died = r.status === 'KIA' || r.status === 'DOW';
      const last = r.movement_timeline[r.movement_timeline.length - 1];
      expect(last.health === 0).toBe(died);
      expect(r.movement_timeline.slice(0, -1).every((e) => e.health > 0)).toBe(true);
    }
  });

  it("keeps a concussion's GCS 13-15, a mild brain injury's, whatever its severity and triage (fix 0349)", () => {
    // Prepare: casualties with a concussion and no other injury of the head, admissions not sedated on a
    // ventilator nor in deep shock (health 40 or more), where no other cause clouds the mind
    const concussed = records.filter(
      (r) =>
        r.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.concussion) &&
        r.conditions.every((c) => c.body_part !== 'Head' || CONDITION_BY_CODE.get(c.code)!.concussion),
    );
    const admissions = concussed.flatMap((r) =>
      r.vital_signs
        .filter((v) => {
          const arrival = r.movement_timeline.find((e) => e.facility === v.facility)!;
          return arrival.health >= 40 && v.gcs !== 3;
        })
        .map((v) => ({ id: r.id, severity: Math.max(...r.conditions.map((c) => c.severity)), gcs: v.gcs })),
    );
    // Act
    const moderate = admissions.filter((a) => a.gcs < 13);
    // Assert: hundreds, those of severity 5 and 6 among them (a third of them read 9-12 before the fix)
    expect(admissions.filter((a) => a.severity >= 5).length).toBeGreaterThan(50);
    expect(moderate).toEqual([]);
  });

  it('moves vital signs with health, within physiological limits', () => {
    // Prepare: each vital sign set is taken at an admission, whose arrival event carries health.
    const pairs = records.flatMap((r) => {
      const arrivals = r.movement_timeline.filter((e) => e.event_type === 'arrival');
      return r.vital_signs.map((v, i) => ({ v, h: arrivals[i].health }));
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sick = pairs.filter((x) => x.h < 40).map((x) => x.v);
    const well = pairs.filter((x) => x.h >= 85).map((x) => x.v);
    // Assert
    expect(mean(sick.map((v) => v.heart_rate))).toBeGreaterThan(mean(well.map((v) => v.heart_rate)) + 25);
    expect(mean(sick.map((v) => v.respiratory_rate))).toBeGreaterThan(
      mean(well.map((v) => v.respiratory_rate)) + 5,
    );
    expect(mean(sick.map((v) => v.systolic_bp))).toBeLessThan(mean(well.map((v) => v.systolic_bp)) - 15);
    expect(mean(sick.map((v) => v.spo2))).toBeLessThan(mean(well.map((v) => v.spo2)) - 3);
    expect(mean(sick.map((v) => v.gcs))).toBeLessThanOrEqual(mean(well.map((v) => v.gcs)));
    for (const { v } of pairs) {
      // Below 32 °C hypothermia slows the heart, to about 36 beats at 28 °C and colder (fix 0300).
      expect(v.heart_rate).toBeGreaterThanOrEqual(v.temperature < 32 ? 30 : 40);
      expect(v.heart_rate).toBeLessThanOrEqual(180);
      expect(v.systolic_bp).toBeGreaterThanOrEqual(50);
      expect(v.spo2).toBeGreaterThanOrEqual(70);
      expect(v.gcs).toBeGreaterThanOrEqual(3);
    }
  });

  it('lowers SpO2 and raises the breathing rate for lungs or a chest wall that fail, not for a sore throat', () => {
    // Prepare: first assessments (point of injury) of immediate casualties, by their primary condition
    const cbrn = run({ ...presetScenario(findPreset('cbrn_incident')!), total_patients: 3000 }, 5);
    const atPoi = (keep: (r: PatientRecord) => boolean) =>
      [...records, ...cbrn].filter((r) => r.triage_category === 'T1' && keep(r)).map((r) => r.vital_signs[0]);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const LUNGS_OR_CHEST = ['Pneumonia', 'Dyspnea', 'Tight chest', 'Pneumothorax', 'Hemothorax'];
    // Act
    const lungs = atPoi((r) => LUNGS_OR_CHEST.includes(r.conditions[0].name));
    const limbs = atPoi((r) => r.conditions.every((c) => !['Chest', 'Head'].includes(c.body_part)));
    const sore = [...records, ...cbrn]
      .filter(
        (r) => r.conditions.every((c) => c.severity < 4) && r.conditions[0].name.includes('pharyngitis'),
      )
      .map((r) => r.vital_signs[0]);
    // Assert: hypoxaemia (below 90 %) and tachypnoea for the chest; shock alone leaves SpO2 above 90 %
    expect(lungs.length).toBeGreaterThan(200);
    expect(median(lungs.map((v) => v.spo2))).toBeLessThan(90);
    expect(median(lungs.map((v) => v.respiratory_rate))).toBeGreaterThanOrEqual(26);
    expect(median(limbs.map((v) => v.spo2))).toBeGreaterThan(90);
    expect(median(lungs.map((v) => v.spo2))).toBeLessThan(median(limbs.map((v) => v.spo2)) - 3);
    expect(sore.length).toBeGreaterThan(10);
    expect(Math.min(...sore.map((v) => v.spo2))).toBeGreaterThanOrEqual(94);
  });
});
