/**
 * Seasons of a temperate theatre (memory/decisions/0937-seasons.md): the base date's month, in the
 * theatre's hemisphere, brings cold injuries in winter and heat illness in summer; a scenario that
 * names extreme heat or cold keeps its stated climate in every month.
 */
import { describe, expect, it } from 'vitest';
import { seasonOf } from '../../../lib/data/index.js';
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

const FROSTBITE = '370977006';
const HYPOTHERMIA = '386689009';
const HYPERTHERMIA = '1197782006';
const RESPIRATORY = '54150009';

/** A preset's scenario starting on `base_date`, with `extra`. */
function preset(id: string, base_date: string, extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return { ...presetScenario(findPreset(id)!), total_patients: 12_000, base_date, ...extra };
}

interface Survey {
  /** How many patients have each code as their primary condition (a complication's season is its own). */
  readonly primary: Map<string, number>;
  /** How many patients become hypothermic as a complication (not their primary condition). */
  readonly hypothermicCasualties: number;
}

/** One pass over a job's patients; the same scenario is generated once for all the tests that read it. */
const surveys = new Map<string, Survey>();
function survey(input: ScenarioInput, seed = 13): Survey {
  const key = JSON.stringify([input, seed]);
  const known = surveys.get(key);
  if (known) return known;
  const primary = new Map<string, number>();
  let hypothermicCasualties = 0;
  for (const r of generate(plan(loadScenario(input), seed)) as Iterable<PatientRecord>) {
    primary.set(r.conditions[0].code, (primary.get(r.conditions[0].code) ?? 0) + 1);
    if (r.conditions.slice(1).some((c) => c.code === HYPOTHERMIA)) hypothermicCasualties++;
  }
  const result = { primary, hypothermicCasualties };
  surveys.set(key, result);
  return result;
}
const codeCounts = (input: ScenarioInput) => survey(input).primary;
const hypothermicCasualties = (input: ScenarioInput) => survey(input).hypothermicCasualties;

const count = (counts: Map<string, number>, code: string) => counts.get(code) ?? 0;

describe('seasons of a temperate theatre', () => {
  it('brings frostbite and hypothermia in a Baltic January, heat illness in a Baltic July', () => {
    // Act
    const january = codeCounts(preset('nato_article_5', '2025-01-10'));
    const july = codeCounts(preset('nato_article_5', '2025-07-10'));

    // Assert: several times more cold injury in winter, heat illness in summer, colds in winter
    expect(count(january, FROSTBITE)).toBeGreaterThan(10 * Math.max(1, count(july, FROSTBITE)));
    expect(count(january, HYPOTHERMIA)).toBeGreaterThan(3 * count(july, HYPOTHERMIA));
    expect(count(july, HYPERTHERMIA)).toBeGreaterThan(5 * Math.max(1, count(january, HYPERTHERMIA)));
    expect(count(january, RESPIRATORY)).toBeGreaterThan(1.5 * count(july, RESPIRATORY));
    // A few cases stay in the off season: hypothermia from wet cold and immersion, heat from exertion.
    expect(count(july, HYPOTHERMIA)).toBeGreaterThan(0);
    expect(count(january, HYPERTHERMIA)).toBeGreaterThan(0);
  });

  it('lets more casualties cool to hypothermia before care in winter, and some in every season', () => {
    // Act
    const january = hypothermicCasualties(preset('nato_article_5', '2025-01-10'));
    const july = hypothermicCasualties(preset('nato_article_5', '2025-07-10'));

    // Assert: the winter factor is 1.5 on the chance (capped), trauma cools in any season
    expect(january).toBeGreaterThan(1.25 * july);
    expect(july).toBeGreaterThan(100);
  });

  it('turns the seasons round in the southern hemisphere: its July is the northern January', () => {
    // Act
    const northernJanuary = codeCounts(preset('nato_article_5', '2025-01-10'));
    const southernJuly = codeCounts(preset('nato_article_5', '2025-07-10', { hemisphere: 'southern' }));

    // Assert: the same draws, patient for patient (only the dates differ)
    expect(southernJuly).toEqual(northernJanuary);
    expect(seasonOf('2025-07-10', 'southern', [])).toEqual(seasonOf('2025-01-10', 'northern', []));
  });

  it('keeps a stated climate in every month: the Arctic preset in July and the Sahel one in January', () => {
    // Act
    const arcticJanuary = codeCounts(preset('arctic_operation', '2025-01-10'));
    const arcticJuly = codeCounts(preset('arctic_operation', '2025-07-10'));
    const sahelJanuary = codeCounts(preset('peacekeeping', '2025-01-10'));
    const sahelJuly = codeCounts(preset('peacekeeping', '2025-07-10'));

    // Assert
    expect(arcticJuly).toEqual(arcticJanuary);
    expect(sahelJanuary).toEqual(sahelJuly);
    expect(count(arcticJuly, FROSTBITE)).toBeGreaterThan(count(arcticJuly, HYPERTHERMIA));
  });

  it('reads a scenario without a hemisphere as northern, and names the field and rule for a wrong one', () => {
    // Act
    const without = loadScenario(preset('nato_article_5', '2025-01-10'));
    const wrong = parseScenario({ ...preset('nato_article_5', '2025-01-10'), hemisphere: 'eastern' });

    // Assert
    expect(without.hemisphere).toBe('northern');
    expect(wrong.ok).toBe(false);
    expect(wrong.ok ? [] : wrong.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'hemisphere: must be one of northern, southern',
    ]);
  });
});
