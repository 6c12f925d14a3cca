/**
 * What comes with a wound is where the wound is (memory/fixes/0274): a bullet wound's bleeding and a
 * penetrating wound's foreign body are on its body part, or not coded at all; shock is systemic. A
 * brain injury is coded once, at its grade (memory/fixes/0273). A bullet or fragment through the chest
 * wall brings air or blood into the pleura, drained (memory/fixes/0376).
 */
import { describe, expect, it } from 'vitest';
import { CONCUSSIONS, CONDITION_BY_CODE } from '../../../lib/data/index.js';
import { findPreset, generate, loadScenario, plan, presetScenario } from '../../../lib/generation/index.js';

const records = [
  ...generate(
    plan(loadScenario({ ...presetScenario(findPreset('nato_article_5')!), total_patients: 20_000 }), 5),
  ),
];

describe('conditions that come with a wound', () => {
  it('puts a wound of the trunk, head or neck its bleeding and foreign body on that part, not on another', () => {
    // Prepare: casualties whose primary wound is of the head, face, neck, trunk or pelvis
    const central = records.filter((r) =>
      ['Head', 'Face', 'Neck', 'Chest', 'Abdomen', 'Pelvis', 'Back'].includes(r.conditions[0].body_part),
    );
    // Act: a bleeding or a foreign body elsewhere, with no wound there it could come with
    const astray = central.filter((r) => {
      const [primary, ...others] = r.conditions;
      return others.some(
        (c) =>
          (c.name === 'Bleeding' || c.name === 'Foreign body') &&
          c.body_part !== primary.body_part &&
          !others.some((d) => d !== c && d.body_part === c.body_part),
      );
    });
    // Assert: about 1 in 6 before fix 0274 (a head wound's bleeding on the chest, a chest wound's foreign
    // body in the face); now only a second wound that is itself a bleeding or a foreign body, a few in
    // 10,000
    expect(central.length).toBeGreaterThan(8000);
    expect(astray.length).toBeLessThan(central.length / 200);
  });

  it('codes no concussion beside a brain injury of the tbi protocol', () => {
    // Prepare
    const brain = records.filter((r) =>
      r.conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.care === 'tbi'),
    );
    // Act
    const both = brain.filter((r) => r.conditions.some((c) => CONCUSSIONS.has(c.code)));
    // Assert: about 1 in 5 before fix 0273
    expect(brain.length).toBeGreaterThan(500);
    expect(both.map((r) => r.id)).toEqual([]);
  });

  it('brings air or blood into the chest with most severe bullet and penetrating wounds of the chest, drained', () => {
    // Prepare: the casualties alive at first care with a severe bullet or penetrating wound of the chest
    const chest = records.filter(
      (r) =>
        r.status !== 'KIA' &&
        r.conditions.some(
          (c) =>
            (c.name === 'Bullet wound' || c.name === 'Penetrating wound') &&
            c.body_part === 'Chest' &&
            c.severity_grade === 'Severe',
        ),
    );
    // Act
    const inPleura = chest.filter((r) =>
      r.conditions.some((c) => c.name === 'Pneumothorax' || c.name === 'Hemothorax'),
    );
    const drained = chest.filter((r) =>
      r.treatments.some((t) => t.name === 'Insertion of pleural tube drain'),
    );
    // Assert: 1 in 250 before fix 0376; now three in four (pneumothorax 1 in 2, haemothorax 1 in 2)
    expect(chest.length).toBeGreaterThan(60);
    expect(inPleura.length).toBeGreaterThan(chest.length * 0.6);
    expect(drained.length).toBeGreaterThan(chest.length * 0.6);
  });
});
