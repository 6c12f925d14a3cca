import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCENARIO,
  generate,
  loadScenario,
  type PatientRecord,
  parseScenario,
  plan,
  type ScenarioInput,
} from '../../../lib/generation/index.js';

const ndjson = (records: Iterable<unknown>) => {
  let out = '';
  for (const r of records) out += `${JSON.stringify(r)}\n`;
  return out;
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const withCohort = (cohort: unknown, extra: Partial<ScenarioInput> = {}) =>
  ({ ...DEFAULT_SCENARIO, total_patients: 300, ...extra, cohort }) as ScenarioInput;
const isT4 = (r: PatientRecord) =>
  r.movement_timeline.some(
    (e) => e.event_type === 'triage' && (e as { triage_category?: string }).triage_category === 'T4',
  );
/** Every facility of the default scenario with a few beds, so a mass casualty can overwhelm one. */
const shortBeds = (): Partial<ScenarioInput> => ({
  special_events: { mass_casualty: true },
  facility_configs: (DEFAULT_SCENARIO.facility_configs ?? []).map((f) =>
    /role\s*1|role1/i.test(`${f.id} ${f.name}`) || f.role === 'Role1'
      ? { ...f, capacity: 2 }
      : { ...f, capacity: 6 },
  ),
});

describe('cohorts (memory/decisions/0912-cohorts.md)', () => {
  it('yields exactly total_patients patients that all match cheap criteria, ids renumbered 0..N-1', () => {
    // Prepare
    const scenario = loadScenario(
      withCohort({ injury_types: ['BATTLE_TRAUMA'], triage: ['T1', 'T2'], fronts: ['estonia'] }),
    );
    // Act
    const records = [...generate(plan(scenario, 7))];
    // Assert
    expect(records).toHaveLength(300);
    for (const r of records) {
      expect(r.injury_type).toBe('BATTLE_TRAUMA');
      expect(['T1', 'T2']).toContain(r.triage_category);
      expect(r.front_id).toBe('estonia');
    }
    expect(records.map((r) => r.id)).toEqual(records.map((_, i) => i));
    expect(new Set(records.map((r) => r.uuid)).size).toBe(300);
  });

  it('yields exactly N patients matching conditions, outcome and nationality (records built)', () => {
    // Prepare: bullet wound or blast injury, died of wounds or returned to duty, Polish or Estonian.
    const scenario = loadScenario(
      withCohort(
        { conditions: ['262574004', '262560006'], outcomes: ['RTD', 'DOW'], nationalities: ['POL', 'EST'] },
        { total_patients: 120 },
      ),
    );
    // Act
    const records = [...generate(plan(scenario, 'cohort-seed'))];
    // Assert
    expect(records).toHaveLength(120);
    for (const r of records) {
      expect(r.conditions.some((c) => c.code === '262574004' || c.code === '262560006')).toBe(true);
      expect(['RTD', 'DOW']).toContain(r.status);
      expect(['POL', 'EST']).toContain(r.nationality);
    }
  });

  it('finds expectant (T4) patients when a mass casualty overwhelms short capacity', () => {
    // Prepare
    const scenario = loadScenario(withCohort({ triage: ['T4'] }, { total_patients: 20, ...shortBeds() }));
    // Act
    const records = [...generate(plan(scenario, 3))];
    // Assert
    expect(records).toHaveLength(20);
    for (const r of records) expect(isT4(r)).toBe(true);
  });

  it('gives the same bytes for the same seed, planned twice, and other bytes for another seed', () => {
    // Prepare
    const input = withCohort({ injury_types: ['NON_BATTLE'], outcomes: ['RTD'] });
    // Act
    const a = sha256(ndjson(generate(plan(loadScenario(input), 99))));
    const b = sha256(ndjson(generate(plan(loadScenario(input), 99))));
    const c = sha256(ndjson(generate(plan(loadScenario(input), 100))));
    // Assert
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('gives the whole job byte for byte from chunks, each chunk re-planning as a worker does', () => {
    // Prepare
    const input = withCohort({ conditions: ['262574004'], triage: ['T1', 'T3'] }, { total_patients: 250 });
    const whole = ndjson(generate(plan(loadScenario(input), 'chunks')));
    // Act
    const bounds = [0, 1, 137, 250];
    let chunked = '';
    for (let i = 0; i + 1 < bounds.length; i++)
      chunked += ndjson(generate(plan(loadScenario(input), 'chunks'), bounds[i], bounds[i + 1]));
    // Assert
    expect(chunked).toBe(whole);
  });

  it('fails a cohort too rare for its candidate bound, naming the criterion and the count found', () => {
    // Prepare: a nation with a vanishing share gets a patient or so per front, far fewer than 10.
    const rare = withCohort(
      { nationalities: ['DEU'] },
      {
        total_patients: 10,
        front_configs: DEFAULT_SCENARIO.front_configs.map((f) => ({
          ...f,
          nationality_distribution: [
            ...f.nationality_distribution,
            { nationality_code: 'DEU', percentage: 1e-9 },
          ],
        })),
      },
    );
    // Act
    const run = () => plan(loadScenario(rare), 5);
    // Assert
    expect(run).toThrow(/only \d of 10 patients matching among 100000 candidates .*cohort\.nationalities/);
  });

  it.each([
    [
      { injury_types: ['BATTLE_TRAUMA'] },
      { injury_distribution: { Disease: 0.6, 'Non-Battle Injury': 0.4 } },
      'cohort.injury_types[0]',
      /zero weight/,
    ],
    [{ fronts: ['mars'] }, {}, 'cohort.fronts[0]', /front_configs/],
    [{ nationalities: ['FRA'] }, {}, 'cohort.nationalities[0]', /no front/],
    [{ nationalities: ['GBR'], fronts: ['poland'] }, {}, 'cohort.nationalities[0]', /cohort\.fronts/],
    [{ triage: ['T1', 'T4'] }, {}, 'cohort.triage[1]', /capacity/],
    [{ conditions: ['54150009'], injury_types: ['BATTLE_TRAUMA'] }, {}, 'cohort.conditions[0]', /produces/],
    [{ conditions: ['123'] }, {}, 'cohort.conditions[0]', /vetted table/],
    [{}, {}, 'cohort', /at least one criterion/],
    [{ planet: ['x'] }, {}, 'cohort', /unknown cohort criterion "planet"; valid names: conditions, /],
    [{ triage: ['T1', 'T1'] }, {}, 'cohort.triage', /repeat/],
  ] as const)('refuses the impossible cohort %j, naming %s', (cohort, extra, path, message) => {
    // Act
    const result = parseScenario(withCohort(cohort, extra as Partial<ScenarioInput>));
    // Assert
    expect(result.ok).toBe(false);
    const issue = !result.ok ? result.issues.find((i) => i.path === path) : undefined;
    expect(issue?.message).toMatch(message);
  });

  it('leaves a scenario without a cohort planned exactly as before (no cohort in the plan)', () => {
    // Act
    const p = plan(loadScenario({ ...DEFAULT_SCENARIO, total_patients: 50 }), 1);
    // Assert
    expect(p.cohort).toBeUndefined();
    expect(p.totalPatients).toBe(50);
  });
});
