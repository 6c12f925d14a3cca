/**
 * Conditions that belong to a theatre (memory/decisions/0932-theatre-bound-conditions.md): an endemic
 * disease only where the scenario names it, cold injuries rare in extreme heat, heat illness rarer in
 * extreme cold.
 */
import { describe, expect, it } from 'vitest';
import { CONDITIONS, ENDEMIC_DISEASES } from '../../../lib/data/index.js';
import {
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  parseScenario,
  plan,
  presetScenario,
  type ScenarioInput,
} from '../../../lib/generation/index.js';

const ENDEMIC_CODE = Object.fromEntries(
  CONDITIONS.filter((c) => c.endemic !== undefined).map((c) => [c.endemic!, c.code]),
) as Record<(typeof ENDEMIC_DISEASES)[number], string>;
const FROSTBITE = '370977006';
const HYPERTHERMIA = '1197782006';

/** The peacekeeping preset (disease-heavy) with these endemic diseases and environment. */
function peacekeeping(extra: Partial<ScenarioInput>, total = 6000): ScenarioInput {
  return { ...presetScenario(findPreset('peacekeeping')!), total_patients: total, ...extra };
}

/** How many patients carry each code, primary or secondary. */
function codeCounts(input: ScenarioInput, seed = 11): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of generate(plan(loadScenario(input), seed)) as Iterable<PatientRecord>)
    for (const code of new Set(r.conditions.map((c) => c.code)))
      counts.set(code, (counts.get(code) ?? 0) + 1);
  return counts;
}

/** How many patients have this code as their primary condition. */
function primaryCount(input: ScenarioInput, code: string, seed = 5): number {
  let n = 0;
  for (const r of generate(plan(loadScenario(input), seed)) as Iterable<PatientRecord>)
    if (r.conditions[0].code === code) n++;
  return n;
}

describe('conditions that belong to a theatre', () => {
  it('gives no patient an endemic disease when the scenario names none, and each of them when it names all', () => {
    // Prepare
    const none = peacekeeping({ endemic_diseases: {} });
    const all = peacekeeping({
      endemic_diseases: { malaria: true, dengue: true, leishmaniasis: true, typhoid_fever: true },
    });
    // Act
    const without = codeCounts(none);
    const withAll = codeCounts(all);
    // Assert
    for (const disease of ENDEMIC_DISEASES) {
      expect(without.get(ENDEMIC_CODE[disease]) ?? 0, disease).toBe(0);
      expect(withAll.get(ENDEMIC_CODE[disease]) ?? 0, disease).toBeGreaterThan(0);
    }
  });

  it('gives only the endemic diseases the scenario names', () => {
    // Prepare
    const malariaOnly = peacekeeping({ endemic_diseases: { malaria: true } });
    // Act
    const counts = codeCounts(malariaOnly);
    // Assert
    expect(counts.get(ENDEMIC_CODE.malaria) ?? 0).toBeGreaterThan(0);
    for (const disease of ['dengue', 'leishmaniasis', 'typhoid_fever'] as const)
      expect(counts.get(ENDEMIC_CODE[disease]) ?? 0, disease).toBe(0);
  });

  it('names the endemic diseases of the peacekeeping preset only, and none of an arctic or Baltic one', () => {
    // Prepare
    const presets = ['peacekeeping', 'arctic_operation', 'nato_article_5', 'training_exercise'] as const;
    // Act
    const named = presets.map((id) => {
      const flags = loadScenario(presetScenario(findPreset(id)!)).endemicDiseases;
      return [id, flags];
    });
    // Assert
    expect(Object.fromEntries(named)).toEqual({
      peacekeeping: ['malaria', 'dengue', 'leishmaniasis', 'typhoid_fever'],
      arctic_operation: [],
      nato_article_5: [],
      training_exercise: [],
    });
    expect(findPreset('peacekeeping')!.description).toMatch(/malaria/);
  });

  it('refuses an unknown endemic disease by name, listing the valid names', () => {
    // Prepare
    const input = peacekeeping({ endemic_diseases: { yellow_fever: true } as never });
    // Act
    const result = parseScenario(input);
    // Assert
    expect(result.ok).toBe(false);
    const text = result.ok ? '' : result.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(
      /endemic_diseases: unknown endemic disease "yellow_fever"; valid names: malaria, dengue, leishmaniasis, typhoid_fever/,
    );
  });

  it('refuses a cohort of malaria where the scenario does not name it, saying which flag to set', () => {
    // Prepare
    const cohort = { conditions: [ENDEMIC_CODE.malaria] };
    const baltic = { ...presetScenario(findPreset('nato_article_5')!), total_patients: 20, cohort };
    const sahel = peacekeeping({ cohort, total_patients: 20 });
    // Act
    const refused = parseScenario(baltic);
    const accepted = parseScenario(sahel);
    // Assert
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.issues.map((i) => [i.path, i.message])).toEqual([
      ['cohort.conditions[0]', 'occurs only where endemic: set endemic_diseases.malaria for this theatre'],
    ]);
    expect(accepted.ok).toBe(true);
  });

  it('makes frostbite rare in extreme heat, even in winter, and heat illness rarer in extreme cold, even in summer', () => {
    // Prepare: the same disease-light preset, the one condition changed; the temperate theatre in the
    // season of each injury (decision 0937), extreme heat and cold in either (they ignore the season).
    const base = { ...presetScenario(findPreset('nato_article_5')!), total_patients: 30_000 };
    const winter = { ...base, base_date: '2025-01-10', environmental_conditions: {} };
    const summer = { ...base, base_date: '2025-07-10', environmental_conditions: {} };
    const hot = { ...winter, environmental_conditions: { extreme_heat: true } };
    const cold = { ...summer, environmental_conditions: { extreme_cold: true } };
    // Act
    const frostbite = { temperate: primaryCount(winter, FROSTBITE), hot: primaryCount(hot, FROSTBITE) };
    const heat = { temperate: primaryCount(summer, HYPERTHERMIA), cold: primaryCount(cold, HYPERTHERMIA) };
    // Assert
    expect(frostbite.temperate).toBeGreaterThan(30);
    expect(frostbite.hot).toBeLessThan(frostbite.temperate / 4);
    expect(heat.temperate).toBeGreaterThan(100);
    expect(heat.cold).toBeLessThan(heat.temperate / 2);
  });
});
