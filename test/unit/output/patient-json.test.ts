import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALLERGENS,
  BODY_PARTS,
  CONDITIONS,
  DRUGS,
  FACILITIES,
  MECHANISMS,
  NATION_NAMES,
  PRESETS,
  PROCEDURES,
  WARFARE_TYPES,
} from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  generate,
  loadScenario,
  plan,
  presetScenario,
  SERVICE_NUMBER_SYSTEM,
} from '../../../lib/generation/index.js';
import { patientJson } from '../../../lib/output/patient-json.js';

describe('patientJson, the fast record serializer', () => {
  it('gives exactly the bytes of JSON.stringify for every preset', () => {
    for (const preset of PRESETS) {
      // Prepare
      const p = plan(loadScenario({ ...presetScenario(preset), total_patients: 1500 }), preset.id);
      // Act / Assert
      for (const record of generate(p)) expect(patientJson(record)).toBe(JSON.stringify(record));
    }
  });

  it('escapes front names and ids a user supplies, like JSON.stringify', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.integer(),
        (name, id, seed) => {
          // Prepare: quotes, backslashes, control characters and lone surrogates included by fast-check.
          const input = {
            ...DEFAULT_SCENARIO,
            total_patients: 3,
            front_configs: [{ ...DEFAULT_SCENARIO.front_configs[0], name, id }],
          };
          // Act
          const records = [...generate(plan(loadScenario(input), seed))];
          // Assert
          for (const r of records) expect(patientJson(r)).toBe(JSON.stringify(r));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('escapes facility ids and writes waits, diversions and re-triage like JSON.stringify', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.integer(), (a, b, seed) => {
        // Prepare: two small Role 2s (user ids) so patients wait, divert and are re-triaged.
        const input = {
          ...DEFAULT_SCENARIO,
          total_patients: 150,
          days_of_fighting: 1,
          special_events: { mass_casualty: true },
          facility_configs: [
            {
              id: `x${a}`,
              name: 'Role 2 A',
              role: 'Role2' as const,
              capacity: 2,
              kia_rate: 0.02,
              rtd_rate: 0.35,
            },
            {
              id: `y${b}`,
              name: 'Role 2 B',
              role: 'Role2' as const,
              capacity: 1,
              kia_rate: 0.02,
              rtd_rate: 0.35,
            },
            { id: 'r1', name: 'Role 1', role: 'Role1' as const, capacity: 3, kia_rate: 0.02, rtd_rate: 0.25 },
          ],
        };
        // Act
        const records = [...generate(plan(loadScenario(input), seed))];
        // Assert
        for (const r of records) expect(patientJson(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 20 },
    );
  });

  it('relies only on table strings that need no JSON escaping', () => {
    // Prepare: every string the serializer writes without escaping comes from these tables.
    const strings = [
      ...CONDITIONS.flatMap((c) => [c.code, c.name]),
      ...Object.values(PROCEDURES).flatMap((p) => [p.code, p.name]),
      ...Object.values(DRUGS).flatMap((d) => [d.code, d.name, d.system]),
      ...Object.values(ALLERGENS).flatMap((a) => [a.code, a.name, a.system]),
      ...Object.values(MECHANISMS).flatMap((m) => [m.code, m.name]),
      ...BODY_PARTS,
      ...FACILITIES,
      ...WARFARE_TYPES,
      ...NATION_NAMES.map((n) => n.code),
      SERVICE_NUMBER_SYSTEM,
    ];
    // Act
    const needEscaping = strings.filter((s) => JSON.stringify(s) !== `"${s}"`);
    // Assert
    expect(needEscaping).toEqual([]);
  });
});
