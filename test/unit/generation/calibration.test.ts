/**
 * Calibration over 20,000 patients per preset: the realised shares match what the scenario asks for.
 * Bands and tolerances are justified in memory/decisions/0004-outcome-calibration.md.
 */
import { describe, expect, it } from 'vitest';
import { INJURY_TYPES, PRESETS, TRIAGE_CATEGORIES } from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  expectedHourlyShares,
  generate,
  generationTables,
  loadScenario,
  MIXED,
  type PatientRecord,
  plan,
  presetScenario,
  type ScenarioInput,
} from '../../../lib/generation/index.js';

const N = 20_000;

type Band = readonly [number, number];
interface OutcomeBands {
  readonly KIA: Band;
  readonly DOW: Band;
  readonly RTD: Band;
  readonly Remains_Role4: Band;
}
/** Percent of all casualties, by how much battle injury the scenario produces. */
const BATTLE_HEAVY: OutcomeBands = { KIA: [7, 18], DOW: [1, 5], RTD: [60, 85], Remains_Role4: [7, 20] };
const MIXED_LOAD: OutcomeBands = { KIA: [3, 12], DOW: [0.5, 4], RTD: [70, 92], Remains_Role4: [4, 15] };
const DNBI_DOMINATED: OutcomeBands = {
  KIA: [0, 3],
  DOW: [0, 1.5],
  RTD: [80, 99.8],
  Remains_Role4: [0.1, 15],
};

/** The CBRN incident: seven in ten of its casualties are immediate (T1) exposures, a few of whom die (decision 0933). */
const CHEMICAL_EXPOSURE: OutcomeBands = { ...DNBI_DOMINATED, DOW: [0.5, 4] };

const CASES: ReadonlyArray<readonly [string, ScenarioInput, OutcomeBands]> = [
  ['default', DEFAULT_SCENARIO, MIXED_LOAD],
  ...PRESETS.map((p) => {
    const bands =
      p.id === 'cbrn_incident'
        ? CHEMICAL_EXPOSURE
        : p.id === 'peacekeeping'
          ? DNBI_DOMINATED
          : p.id === 'arctic_operation'
            ? MIXED_LOAD
            : BATTLE_HEAVY;
    return [p.id, presetScenario(p), bands] as const;
  }),
];

const pct = (n: number, d: number) => (100 * n) / d;

describe.each(CASES)('calibration of %s over 20,000 patients', (_id, input, bands) => {
  const p = plan(loadScenario({ ...input, total_patients: N }), 20251126);
  const tables = generationTables(p);
  const patients: PatientRecord[] = [...generate(p)];
  // Patients per warfare slot (8 types, then "mixed" for special events).
  const perSlot = new Array<number>(tables.warfare.length).fill(0);
  for (let e = 0; e < p.eventCount; e++) perSlot[p.warfare[e] === MIXED ? 8 : p.warfare[e]] += p.count[e];

  it('matches the injury mix after warfare modifiers within 2 points', () => {
    for (const type of INJURY_TYPES) {
      const expected = perSlot.reduce((acc, n, s) => acc + n * tables.warfare[s].injuryShares[type], 0);
      const actual = patients.filter((x) => x.injury_type === type).length;
      expect(Math.abs(pct(actual, N) - pct(expected, N)), type).toBeLessThanOrEqual(2);
    }
  });

  it('matches triage shares per injury type within 3 points (types with at least 1,000 patients)', () => {
    for (const type of INJURY_TYPES) {
      const ofType = patients.filter((x) => x.injury_type === type);
      if (ofType.length < 1000) continue;
      const weight = perSlot.map((n, s) => n * tables.warfare[s].injuryShares[type]);
      const wSum = weight.reduce((a, b) => a + b, 0);
      for (const triage of TRIAGE_CATEGORIES) {
        const expected =
          weight.reduce((acc, w, s) => acc + w * tables.warfare[s].triageShares[type][triage], 0) / wSum;
        const actual = ofType.filter((x) => x.triage_category === triage).length / ofType.length;
        expect(Math.abs(100 * (actual - expected)), `${type} ${triage}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('matches front shares, and nation shares within each front, within 2 points', () => {
    for (const front of p.scenario.fronts) {
      const onFront = patients.filter((x) => x.front_id === front.id);
      expect(Math.abs(pct(onFront.length, N) - 100 * front.weight), front.name).toBeLessThanOrEqual(2);
      front.nations.forEach((nation, i) => {
        const share = pct(onFront.filter((x) => x.nationality === nation).length, onFront.length);
        expect(Math.abs(share - 100 * front.nationWeights[i]), `${front.name} ${nation}`).toBeLessThanOrEqual(
          2,
        );
      });
    }
  });

  it('keeps hour 0 at or below its expected share and every hour below 2.5 times its share', () => {
    const expected = expectedHourlyShares(p);
    const counts = new Array<number>(24).fill(0);
    for (const x of patients) counts[Number(x.injury_time.slice(11, 13))]++;
    // Rounding can add less than one patient per day and warfare type to an hour's exact share.
    const rounding = (p.scenario.days * p.scenario.warfareTypes.length) / N;
    expect(counts[0] / N).toBeLessThanOrEqual(expected[0] + rounding);
    expect(expected[0]).toBeLessThanOrEqual(0.05);
    for (let hour = 0; hour < 24; hour++) {
      expect(counts[hour] / N, `hour ${hour}`).toBeLessThanOrEqual(2.5 * expected[hour]);
    }
  });

  it('puts no more than 2% of patients in one event unless it is a mass-casualty event', () => {
    const sizes = new Map<string, { n: number; mass: boolean }>();
    for (const x of patients) {
      const e = sizes.get(x.event_id) ?? { n: 0, mass: x.mass_casualty };
      e.n++;
      sizes.set(x.event_id, e);
    }
    const oversized = [...sizes.entries()].filter(([, e]) => e.n > 0.02 * N && !e.mass);
    expect(oversized).toEqual([]);
  });

  it('keeps KIA, DOW, RTD and Remains_Role4 shares inside their bands', () => {
    for (const status of ['KIA', 'DOW', 'RTD', 'Remains_Role4'] as const) {
      const share = pct(patients.filter((x) => x.status === status).length, N);
      const [lo, hi] = bands[status];
      expect(share, status).toBeGreaterThanOrEqual(lo);
      expect(share, status).toBeLessThanOrEqual(hi);
    }
  });

  it('kills battle casualties far more often than disease casualties', () => {
    const deathRate = (type: string) => {
      const ofType = patients.filter((x) => x.injury_type === type);
      return ofType.filter((x) => x.final_status === 'KIA').length / Math.max(1, ofType.length);
    };
    if (patients.some((x) => x.injury_type === 'BATTLE_TRAUMA')) {
      expect(deathRate('BATTLE_TRAUMA')).toBeGreaterThan(4 * deathRate('DISEASE'));
    }
  });
});
