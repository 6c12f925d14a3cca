/**
 * An injury's mechanism can cause its primary condition (memory/fixes/0244): a bullet wound is a
 * firearm's, a burn never a firearm's nor a fall's; and over a warfare type's battle injuries the
 * mechanisms keep the type's weights as far as the conditions allow.
 */
import { describe, expect, it } from 'vitest';
import {
  BATTLE_CONDITION_MECHANISMS,
  MECHANISMS,
  NON_BATTLE_CONDITION_MECHANISMS,
  PRESETS,
  WARFARE_PATTERNS,
} from '../../../lib/data/index.js';
import { findPreset, generate, loadScenario, plan, presetScenario } from '../../../lib/generation/index.js';
import { mechanismTable } from '../../../lib/generation/mechanisms.js';

const BULLET_WOUND = '262574004';
const BURN = '125666000';
const mechanismCodes = (keys: readonly (keyof typeof MECHANISMS)[]): string[] =>
  keys.map((k) => MECHANISMS[k].code);

describe('injury mechanisms', () => {
  it('names only a mechanism that can cause the primary condition, in every preset', () => {
    // Prepare
    const problems: string[] = [];
    let bulletWounds = 0;
    let nonBattleBurns = 0;
    // Act
    for (const preset of PRESETS) {
      const input = { ...presetScenario(findPreset(preset.id)!), total_patients: 3_000 };
      for (const r of generate(plan(loadScenario(input), 21))) {
        const primary = r.conditions[0].code;
        const restricted =
          r.injury_type === 'BATTLE_TRAUMA'
            ? BATTLE_CONDITION_MECHANISMS[primary]
            : r.injury_type === 'NON_BATTLE'
              ? NON_BATTLE_CONDITION_MECHANISMS[primary]
              : undefined;
        if (r.injury_type === 'BATTLE_TRAUMA' && primary === BULLET_WOUND) bulletWounds++;
        if (r.injury_type === 'NON_BATTLE' && primary === BURN) nonBattleBurns++;
        if (restricted === undefined) continue;
        const allowed = mechanismCodes(restricted);
        const ok = allowed.length === 0 ? r.mechanism === null : allowed.includes(r.mechanism?.code ?? '');
        if (!ok)
          problems.push(`${preset.id} ${r.id}: ${r.conditions[0].name} <- ${r.mechanism?.name ?? 'none'}`);
      }
    }
    // Assert
    expect(bulletWounds).toBeGreaterThan(1000);
    expect(nonBattleBurns).toBeGreaterThan(50);
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("keeps a warfare type's mechanism weights over its battle injuries", () => {
    // Prepare: NATO Article 5 is conventional warfare; its mass casualty and offensive events are mixed
    const input = { ...presetScenario(findPreset('nato_article_5')!), total_patients: 20_000 };
    const battle = [...generate(plan(loadScenario(input), 4))].filter(
      (r) => r.injury_type === 'BATTLE_TRAUMA' && r.event_id.split('-')[1] === 'CON',
    );
    // Act
    const share = (key: keyof typeof MECHANISMS) =>
      battle.filter((r) => r.mechanism?.code === MECHANISMS[key].code).length / battle.length;
    // Assert
    const weights = WARFARE_PATTERNS.conventional.mechanisms;
    expect(battle.length).toBeGreaterThan(10_000);
    for (const key of ['firearm', 'explosion', 'projectile'] as const)
      expect(Math.abs(share(key) - weights[key]!), key).toBeLessThan(0.02);
  });

  it('fits the joint table to the conditions and the weights, with impossible pairs at zero', () => {
    // Prepare
    const weights = { firearm: 0.4, explosion: 0.35, projectile: 0.25 };
    const restrictions = { bullet: ['firearm'], burn: ['explosion'] } as const;
    const shares = new Map([
      ['bullet', 0.3],
      ['burn', 0.1],
      ['fragments', 0.6],
    ]);
    // Act
    const table = mechanismTable(weights, restrictions, shares);
    // Assert: P(mechanism | condition) times the shares gives the weights back
    const probabilities = (code: string) => {
      const { mechanisms, cdf } = table.byCondition.get(code)!;
      const total = cdf[cdf.length - 1];
      return Object.fromEntries(
        mechanisms.map((m, i) => [m.name, (cdf[i] - (i > 0 ? cdf[i - 1] : 0)) / total]),
      );
    };
    const bullet = probabilities('bullet');
    const burn = probabilities('burn');
    const fragments = probabilities('fragments');
    expect(bullet[MECHANISMS.firearm.name]).toBeCloseTo(1, 12);
    expect(burn[MECHANISMS.explosion.name]).toBeCloseTo(1, 12);
    for (const key of ['firearm', 'explosion', 'projectile'] as const) {
      const name = MECHANISMS[key].name;
      const joint = 0.3 * (bullet[name] ?? 0) + 0.1 * (burn[name] ?? 0) + 0.6 * (fragments[name] ?? 0);
      expect(joint, key).toBeCloseTo(weights[key], 9);
    }
  });
});
