/**
 * Immediate (T1) illnesses can die in the chain of care (memory/decisions/0933-refractory-illness.md):
 * one that does not respond to treatment at its first surgical echelon goes on to organ failure and
 * gets no second chance further on, while a wound surgery did not control is tried again.
 */
import { describe, expect, it } from 'vitest';
import { FACILITIES, ILLNESS_RESPONSE } from '../../../lib/data/index.js';
import {
  type CourseParams,
  type CourseSettings,
  newParams,
  newState,
  stayAt,
} from '../../../lib/generation/course.js';
import {
  createRng,
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  plan,
  presetScenario,
  seedWords,
} from '../../../lib/generation/index.js';

const SETTINGS: CourseSettings = {
  lethality: new Float64Array(FACILITIES.length).fill(1),
  rtd: new Float64Array(FACILITIES.length),
  poiDelayHours: 0,
  transitFactor: 1,
  policy: -1,
};

/** An uncontrolled T1 casualty admitted to Role 3 from `from` (echelon index), stayed with seed `seed`. */
function stayAtRole3(type: CourseParams['type'], from: number, seed: number) {
  const s = newState();
  Object.assign(s, { t: 50, h: 40, rate: 1, controlled: false, role: 3, resp: from, triage: 'T1' });
  const params: CourseParams = {
    ...newParams(),
    type,
    severity: 10,
    severityBand: [7, 10],
    wound: type !== 'DISEASE',
    firstDutyRole: 1,
  };
  stayAt(params, SETTINGS, createRng(seedWords(seed), 0), s, null);
  return s;
}

const died = (r: PatientRecord) => r.status === 'KIA' || r.status === 'DOW';
const pct = (n: number, d: number) => (100 * n) / d;

describe('an illness that does not respond to treatment', () => {
  it('is not controlled at Role 3 once its Role 2 care failed, while a wound is tried again', () => {
    // Prepare: 200 stays of each, from Role 2 (a surgical echelon)
    const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

    // Act
    const illnesses = seeds.map((seed) => stayAtRole3('DISEASE', 2, seed));
    const wounds = seeds.map((seed) => stayAtRole3('BATTLE_TRAUMA', 2, seed));

    // Assert: no illness gains control; most wounds do (severity 10: 8 in 10)
    expect(illnesses.filter((s) => s.controlled)).toHaveLength(0);
    expect(wounds.filter((s) => s.controlled).length).toBeGreaterThan(120);
  });

  it('responds at its first surgical echelon as often as the severity says, and worsens when it does not', () => {
    // Prepare: 400 stays of severity 10 at Role 3, bypassed to from Role 1
    const seeds = Array.from({ length: 400 }, (_, i) => i + 1);

    // Act
    const stays = seeds.map((seed) => stayAtRole3('DISEASE', 1, seed));

    // Assert: about 65 % respond (±10 points); the others deteriorate faster than on arrival (1 point/h)
    const responded = stays.filter((s) => s.controlled).length;
    expect(Math.abs(pct(responded, stays.length) - 100 * ILLNESS_RESPONSE[10])).toBeLessThan(10);
    for (const s of stays.filter((x) => !x.controlled)) expect(s.rate).toBeGreaterThan(1);
  });
});

describe('illness outcomes over 20,000 patients of the CBRN and Peacekeeping presets', () => {
  const records = ['cbrn_incident', 'peacekeeping'].flatMap((id) => [
    ...generate(plan(loadScenario({ ...presetScenario(findPreset(id)!), total_patients: 20_000 }), 11)),
  ]);
  const illnesses = records.filter((r) => r.injury_type === 'DISEASE');
  const immediate = illnesses.filter((r) => r.triage_category === 'T1');

  it('lets 2 to 8 in 100 immediate (T1) illnesses die, each after reaching care (DOW)', () => {
    // Act
    const deaths = immediate.filter(died);

    // Assert
    expect(immediate.length).toBeGreaterThan(5_000);
    expect(pct(deaths.length, immediate.length)).toBeGreaterThanOrEqual(2);
    expect(pct(deaths.length, immediate.length)).toBeLessThanOrEqual(8);
    expect(deaths.filter((r) => r.status !== 'DOW')).toHaveLength(0);
  });

  it('makes sepsis, the most severe illness, the deadliest: at least 8 in 100 immediate cases die', () => {
    // Act
    const sepsis = immediate.filter((r) => r.conditions[0].name === 'Sepsis');

    // Assert
    expect(sepsis.length).toBeGreaterThan(100);
    expect(pct(sepsis.filter(died).length, sepsis.length)).toBeGreaterThanOrEqual(8);
  });

  it('keeps delayed and minimal (T2, T3) illnesses alive: fewer than 1 in 1,000 die', () => {
    // Act
    const others = illnesses.filter((r) => r.triage_category !== 'T1');

    // Assert
    expect(pct(others.filter(died).length, others.length)).toBeLessThan(0.1);
  });
});
