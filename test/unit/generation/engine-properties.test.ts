import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ENDEMIC_DISEASES,
  ENVIRONMENTAL_CONDITIONS,
  NATION_NAMES,
  PROCEDURES,
  TEMPOS,
  WARFARE_TYPES,
} from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  generate,
  LIMITS,
  loadScenario,
  PatientRecordSchema,
  plan,
  type ScenarioInput,
} from '../../../lib/generation/index.js';
import { patientProblems } from './invariants.js';

const nationCodes = NATION_NAMES.map((n) => n.code);

/** Random valid scenarios: any warfare mix, tempo, environment, endemic diseases, fronts, size and duration. */
const scenarioArb: fc.Arbitrary<ScenarioInput> = fc
  .record({
    total: fc.integer({ min: 1, max: 600 }),
    days: fc.integer({ min: 1, max: 20 }),
    warfare: fc.subarray([...WARFARE_TYPES], { minLength: 1 }),
    environment: fc.subarray([...ENVIRONMENTAL_CONDITIONS]),
    endemic: fc.subarray([...ENDEMIC_DISEASES]),
    tempo: fc.constantFrom(...TEMPOS),
    intensity: fc.constantFrom('low', 'medium', 'high', 'extreme' as const),
    mix: fc.tuple(fc.nat(100), fc.nat(100), fc.nat(100)).filter(([a, b, c]) => a + b + c > 0),
    fronts: fc.array(
      fc.record({
        rate: fc.double({ min: 0.01, max: 5, noNaN: true }),
        nations: fc.subarray(nationCodes, { minLength: 1, maxLength: 5 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    events: fc.record({ mass_casualty: fc.boolean(), major_offensive: fc.boolean(), ambush: fc.boolean() }),
    // 0 or a ratio the schema accepts (no subnormal dust: LIMITS.smallest).
    femaleRatio: fc.oneof(fc.constant(0), fc.double({ min: LIMITS.smallest, max: 1, noNaN: true })),
    policy: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  })
  .map((r) => {
    const sum = r.mix[0] + r.mix[1] + r.mix[2];
    return {
      ...DEFAULT_SCENARIO,
      total_patients: r.total,
      days_of_fighting: r.days,
      warfare_types: Object.fromEntries(r.warfare.map((w) => [w, true])),
      environmental_conditions: Object.fromEntries(r.environment.map((e) => [e, true])),
      endemic_diseases: Object.fromEntries(r.endemic.map((d) => [d, true])),
      tempo: r.tempo,
      intensity: r.intensity,
      injury_distribution: {
        Disease: r.mix[0] / sum,
        'Non-Battle Injury': r.mix[1] / sum,
        'Battle Injury': r.mix[2] / sum,
      },
      front_configs: r.fronts.map((f, i) => ({
        id: `f${i}`,
        name: `Front ${i}`,
        casualty_rate: f.rate,
        nationality_distribution: f.nations.map((n) => ({ nationality_code: n, percentage: 10 })),
      })),
      special_events: r.events,
      female_ratio: r.femaleRatio,
      ...(r.policy === undefined ? {} : { evacuation_policy_days: r.policy }),
    };
  });

describe('engine properties over random valid scenarios', () => {
  it('plans and generates exactly N patients, with unique ids and uuids', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (input, seed) => {
        // Prepare
        const scenario = loadScenario(input);
        // Act
        const p = plan(scenario, seed);
        const patients = [...generate(p)];
        // Assert
        expect(p.totalPatients).toBe(input.total_patients);
        expect(p.patientsPerDay.reduce((a, b) => a + b, 0)).toBe(input.total_patients);
        expect(patients).toHaveLength(input.total_patients);
        expect(patients.map((x) => x.id)).toEqual(patients.map((_, i) => i));
        expect(new Set(patients.map((x) => x.uuid)).size).toBe(patients.length);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every timeline, treatment, condition and demographic invariant', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (input, seed) => {
        const p = plan(loadScenario(input), seed);
        const problems = [...generate(p)].flatMap((x) => patientProblems(x, p.scenario.baseDate));
        expect(problems.slice(0, 5)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('emits records that satisfy the published schema', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (input, seed) => {
        const p = plan(loadScenario({ ...input, total_patients: Math.min(input.total_patients, 50) }), seed);
        for (const x of generate(p)) expect(PatientRecordSchema.safeParse(x).error).toBeUndefined();
      }),
      { numRuns: 30 },
    );
  });

  it('keeps every injury inside the scenario window and on the right day label', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (input, seed) => {
        const p = plan(loadScenario(input), seed);
        const start = Date.parse(`${p.scenario.baseDate}T00:00:00Z`);
        for (const x of generate(p)) {
          const offsetDays = (Date.parse(x.injury_time) - start) / 86_400_000;
          expect(offsetDays).toBeGreaterThanOrEqual(0);
          expect(offsetDays).toBeLessThan(p.scenario.days + 1);
          expect(x.day).toBe(`Day ${Math.floor(offsetDays) + 1}`);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a patient range outside the plan', () => {
    const p = plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: 10 }), 1);
    expect(() => [...generate(p, 5, 11)]).toThrow(RangeError);
    expect(() => [...generate(p, 6, 5)]).toThrow(RangeError);
    expect([...generate(p, 10, 10)]).toEqual([]);
  });
});

describe('the invariant checker itself', () => {
  it('reports a timeline that goes back in time, a repeated treatment and a wrong final status', () => {
    // Prepare: a valid patient, then three defects the original had.
    const p = plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: 50 }), 5);
    const patient = [...generate(p)].find((x) => x.treatments.length > 1 && x.movement_timeline.length > 3)!;
    const broken = structuredClone(patient);
    broken.movement_timeline[2].hours_since_injury = -1;
    broken.treatments.push(broken.treatments[0]);
    broken.final_status = broken.final_status === 'RTD' ? 'KIA' : 'RTD';
    // Act
    const problems = patientProblems(broken, p.scenario.baseDate).join('\n');
    // Assert
    expect(patientProblems(patient, p.scenario.baseDate)).toEqual([]);
    expect(problems).toMatch(/goes back in time/);
    expect(problems).toMatch(/treatment is repeated/);
    expect(problems).toMatch(/final_status/);
  });

  it('reports intensive care for a patient without a severe condition, and weaning without ventilation', () => {
    // Prepare: a mild patient never ventilated, given an ICU admission and a weaning it never needed
    const p = plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: 200 }), 5);
    const patient = [...generate(p)].find(
      (x) =>
        x.severity < 7 &&
        x.treatments.length > 0 &&
        !x.treatments.some((t) => t.code === PROCEDURES.ventilation.code),
    )!;
    const broken = structuredClone(patient);
    const at = broken.treatments[0];
    broken.treatments.push(
      { ...at, code: PROCEDURES.icuAdmission.code, name: PROCEDURES.icuAdmission.name },
      { ...at, code: PROCEDURES.weaning.code, name: PROCEDURES.weaning.name },
    );
    // Act
    const problems = patientProblems(broken, p.scenario.baseDate).join('\n');
    // Assert
    expect(patientProblems(patient, p.scenario.baseDate)).toEqual([]);
    expect(problems).toMatch(/Admission to intensive care unit without a condition of severity 7 or more/);
    expect(problems).toMatch(/weaned from a ventilation it never had/);
  });

  it("reports a treatment that each of the patient's conditions is withheld: debridement of a closed fracture", () => {
    // Prepare: a patient whose only condition is a closed fracture, given a debridement
    const p = plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: 400 }), 5);
    const patient = [...generate(p)].find(
      (x) => x.conditions.length === 1 && x.conditions[0].code === '423125000' && x.treatments.length > 0,
    )!;
    const broken = structuredClone(patient);
    broken.treatments.push({
      ...broken.treatments[0],
      code: PROCEDURES.debridement.code,
      name: PROCEDURES.debridement.name,
    });
    // Act
    const problems = patientProblems(broken, p.scenario.baseDate);
    // Assert
    expect(patientProblems(patient, p.scenario.baseDate)).toEqual([]);
    // (a non-battle fracture debrided is also reported as such: fix 0343)
    expect([...problems].sort()).toEqual([
      `patient ${patient.id}: Debridement of open fracture, which each of its conditions is withheld`,
      `patient ${patient.id}: a non-battle Closed fracture of bone debrided as an open fracture`,
    ]);
  });
});
