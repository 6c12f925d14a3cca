/**
 * Seasons of a temperate theatre (memory/decisions/0937-seasons.md, 0938): the month of a casualty's
 * injury, in the theatre's hemisphere, brings cold injuries in winter and heat illness in summer; a
 * scenario that names extreme heat or cold keeps its stated climate in every month.
 */
import { describe, expect, it } from 'vitest';
import {
  type EnvironmentalCondition,
  type Hemisphere,
  seasonCalendar,
  seasonIndexOfDay,
} from '../../../lib/data/index.js';
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
  /** The same two, by the month of injury ("YYYY-MM"). */
  readonly byMonth: Map<string, { primary: Map<string, number>; hypothermicCasualties: number }>;
}

/** One pass over a job's patients; the same scenario is generated once for all the tests that read it. */
const surveys = new Map<string, Survey>();
function survey(input: ScenarioInput, seed = 13): Survey {
  const key = JSON.stringify([input, seed]);
  const known = surveys.get(key);
  if (known) return known;
  const primary = new Map<string, number>();
  let hypothermicCasualties = 0;
  const byMonth: Survey['byMonth'] = new Map();
  for (const r of generate(plan(loadScenario(input), seed)) as Iterable<PatientRecord>) {
    const month = r.injury_time.slice(0, 7);
    const ofMonth = byMonth.get(month) ?? { primary: new Map<string, number>(), hypothermicCasualties: 0 };
    byMonth.set(month, ofMonth);
    for (const counts of [primary, ofMonth.primary])
      counts.set(r.conditions[0].code, (counts.get(r.conditions[0].code) ?? 0) + 1);
    if (r.conditions.slice(1).some((c) => c.code === HYPOTHERMIA)) {
      hypothermicCasualties++;
      ofMonth.hypothermicCasualties++;
    }
  }
  const result = { primary, hypothermicCasualties, byMonth };
  surveys.set(key, result);
  return result;
}
const codeCounts = (input: ScenarioInput) => survey(input).primary;
const hypothermicCasualties = (input: ScenarioInput) => survey(input).hypothermicCasualties;

const count = (counts: Map<string, number>, code: string) => counts.get(code) ?? 0;

/** The season of one day (YYYY-MM-DD): the calendar of that day alone. */
const seasonOf = (date: string, hemisphere: Hemisphere, environment: EnvironmentalCondition[]) =>
  seasonCalendar(date, 1, hemisphere, environment).seasons[0];

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

  it('gives each casualty the season of its month of injury: an exercise from October into December freezes as it goes', () => {
    // Prepare: 92 days from 1 October, one job (before 0.9.0 every casualty had October's season)
    const input = preset('nato_article_5', '2025-10-01', { days_of_fighting: 92 });

    // Act
    const { byMonth } = survey(input);
    const october = byMonth.get('2025-10')!;
    const december = byMonth.get('2025-12')!;

    // Assert: the three months are there with about a third of the patients each, and December has
    // several times October's frostbite (x3 against x0.5) and more hypothermia (x2 against x1)
    expect([...byMonth.keys()].sort()).toEqual(['2025-10', '2025-11', '2025-12']);
    const patients = (m: { primary: Map<string, number> }) =>
      [...m.primary.values()].reduce((a, b) => a + b, 0);
    expect(patients(october)).toBeGreaterThan(3000);
    expect(patients(december)).toBeGreaterThan(3000);
    expect(count(december.primary, FROSTBITE)).toBeGreaterThan(
      3 * Math.max(1, count(october.primary, FROSTBITE)),
    );
    expect(count(december.primary, HYPOTHERMIA)).toBeGreaterThan(1.4 * count(october.primary, HYPOTHERMIA));
    expect(count(october.primary, HYPERTHERMIA)).toBeGreaterThan(count(december.primary, HYPERTHERMIA));
    expect(december.hypothermicCasualties).toBeGreaterThan(october.hypothermicCasualties);
  });

  it('keeps one season per calendar month over the days of fighting, and one for a stated climate', () => {
    // Act
    const autumn = seasonCalendar('2025-10-01', 92, 'northern', []);
    const year = seasonCalendar('2025-01-15', 365, 'southern', []);
    const arctic = seasonCalendar('2025-01-15', 365, 'northern', ['extreme_cold']);

    // Assert: October, November, December; a year from mid-January touches thirteen months
    expect(autumn.seasons).toEqual(
      ['2025-10-15', '2025-11-15', '2025-12-15'].map((d) => seasonOf(d, 'northern', [])),
    );
    expect([0, 30, 31, 60, 61, 91].map((day) => seasonIndexOfDay(autumn, day))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(seasonIndexOfDay(autumn, 200)).toBe(2);
    expect(year.seasons).toHaveLength(13);
    expect(year.seasons[12]).toEqual(seasonOf('2026-01-01', 'southern', []));
    expect(arctic.seasons).toEqual([seasonOf('2025-01-15', 'northern', ['extreme_cold'])]);
    expect(arctic.dayToSeason.every((i) => i === 0)).toBe(true);
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
