import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  inferRole,
  LIMITS,
  loadScenario,
  parseScenario,
  presetScenario,
  type ScenarioInput,
} from '../../../lib/generation/index.js';

const base = (): ScenarioInput => structuredClone(DEFAULT_SCENARIO);

function issues(input: unknown): string[] {
  const result = parseScenario(input);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('scenario validation and normalisation', () => {
  it('accepts the default scenario and every preset', () => {
    // Act
    const problems = [base(), ...PRESETS.map(presetScenario)].flatMap(issues);
    // Assert
    expect(problems).toEqual([]);
  });

  it('normalises an injury mix given as fractions or as percentages to the same fractions', () => {
    // Prepare
    const fractions = {
      ...base(),
      injury_distribution: { Disease: 0.5, 'Non-Battle Injury': 0.3, 'Battle Injury': 0.2 },
    };
    const percents = {
      ...base(),
      injury_distribution: { Disease: 50, 'Non-Battle Injury': 30, 'Battle Injury': 20 },
    };
    // Act
    const a = parseScenario(fractions);
    const b = parseScenario(percents);
    // Assert
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.scenario.injuryMix).toEqual({ DISEASE: 0.5, NON_BATTLE: 0.3, BATTLE_TRAUMA: 0.2 });
      expect(b.scenario.injuryMix.DISEASE).toBeCloseTo(0.5, 12);
    }
  });

  it('rejects an injury mix that sums to neither 1 nor 100, naming the field', () => {
    const input = {
      ...base(),
      injury_distribution: { Disease: 0.5, 'Non-Battle Injury': 0.3, 'Battle Injury': 0.3 },
    };
    expect(issues(input)).toEqual([
      expect.stringMatching(/^injury_distribution: must sum to 1 .* or 100 .*1\.1/),
    ]);
  });

  it('accepts a mix within the tolerance (0.995 and 100.9)', () => {
    expect(
      issues({
        ...base(),
        injury_distribution: { Disease: 0.5, 'Non-Battle Injury': 0.3, 'Battle Injury': 0.195 },
      }),
    ).toEqual([]);
    expect(
      issues({
        ...base(),
        injury_distribution: { Disease: 50, 'Non-Battle Injury': 30, 'Battle Injury': 20.9 },
      }),
    ).toEqual([]);
  });

  it('rejects unknown injury type keys and lists the valid names', () => {
    const input = {
      ...base(),
      injury_distribution: { disease: 52, 'Non-Battle Injury': 33, 'Battle Injury': 15 },
    };
    expect(issues(input).join('\n')).toMatch(
      /injury_distribution: unknown injury type "disease"; valid names: Disease, Non-Battle Injury, Battle Injury/,
    );
  });

  it('rejects an unknown nation code, listing the valid codes without quoting the value', () => {
    // Prepare
    const input = base();
    input.front_configs[0].nationality_distribution[0].nationality_code = 'XXQ';
    // Act
    const [problem] = issues(input);
    // Assert
    expect(problem).toMatch(
      /^front_configs\[0\]\.nationality_distribution\[0\]\.nationality_code: unknown nation code; valid codes: ALB, AUS, BEL/,
    );
    expect(problem).not.toContain('XXQ');
  });

  it('rejects unknown warfare types and environmental conditions by name, listing valid names', () => {
    const input = {
      ...base(),
      warfare_types: { conventional: true, amphibious: true },
      environmental_conditions: { extreme_weather: true },
    };
    const text = issues(input).join('\n');
    expect(text).toMatch(
      /warfare_types: unknown warfare type "amphibious"; valid names: conventional, artillery, urban, guerrilla, drone, naval, cbrn, peacekeeping/,
    );
    expect(text).toMatch(
      /environmental_conditions: unknown environmental condition "extreme_weather"; valid names: rain, fog/,
    );
  });

  it('requires at least one active warfare type', () => {
    expect(issues({ ...base(), warfare_types: { conventional: false } })).toEqual([
      'warfare_types: at least one warfare type must be true',
    ]);
  });

  it('requires a positive casualty rate and at least one nation per front', () => {
    const input = base();
    input.front_configs[0].casualty_rate = 0;
    input.front_configs[1].nationality_distribution = [];
    expect(issues(input)).toEqual([
      'front_configs[0].casualty_rate: must be a positive number (relative share of casualties)',
      'front_configs[1].nationality_distribution: a front needs at least one nation',
    ]);
  });

  it('requires kia_rate + rtd_rate ≤ 1 for a facility', () => {
    const input = base();
    input.facility_configs = [{ id: 'role1', name: 'Role 1', kia_rate: 0.6, rtd_rate: 0.5 }];
    expect(issues(input)).toEqual(['facility_configs[0].rtd_rate: kia_rate + rtd_rate must not exceed 1']);
  });

  it('asks for a role when the echelon cannot be told from a facility id or name', () => {
    const input = base();
    input.facility_configs = [{ id: 'field-hospital', name: 'Field hospital', kia_rate: 0.1, rtd_rate: 0.5 }];
    expect(issues(input)).toEqual([
      expect.stringMatching(/^facility_configs\[0\]\.role: cannot tell the echelon/),
    ]);
  });

  it('infers the echelon from ids like the original UI wrote them, case-insensitively', () => {
    expect(inferRole('role2_poland', 'Role 2 Poland Front')).toBe('Role2');
    expect(inferRole('R3', 'x')).toBe('Role3');
    expect(inferRole('x', 'Role 4 Home Nation')).toBe('Role4');
    expect(inferRole('poi', 'x')).toBe('POI');
    expect(inferRole('hospital', 'Hospital')).toBeUndefined();
  });

  it('averages several configs of one echelon (one per front), weighted by capacity', () => {
    const input = base();
    input.facility_configs = [
      { id: 'role2_a', name: 'Role 2 A', capacity: 300, kia_rate: 0.1, rtd_rate: 0.5 },
      { id: 'role2_b', name: 'Role 2 B', capacity: 100, kia_rate: 0.02, rtd_rate: 0.9 },
    ];
    const result = parseScenario(input);
    expect(result.ok && result.scenario.facilityRates.Role2).toEqual({ kia: 0.08, rtd: 0.6 });
  });

  it('refuses a facility front_id that names no front, a repeated facility id and beds at the point of injury', () => {
    // Prepare
    const input = base();
    input.facility_configs = [
      {
        id: 'r2',
        name: 'Role 2',
        role: 'Role2',
        front_id: 'nowhere',
        capacity: 5,
        kia_rate: 0.02,
        rtd_rate: 0.3,
      },
      { id: 'r2', name: 'Role 2 again', role: 'Role2', kia_rate: 0.02, rtd_rate: 0.3 },
      { id: 'poi', name: 'Point of injury', role: 'POI', capacity: 3, kia_rate: 0.15, rtd_rate: 0.2 },
    ];
    // Act / Assert
    expect(issues(input)).toEqual([
      'facility_configs[2].capacity: the point of injury has no beds; capacity is for Role1 to Role4',
      'facility_configs[0].front_id: must be the id of one of front_configs',
      'facility_configs[1].id: must be unique',
    ]);
  });

  it('refuses a repeated front id, which would make a facility front_id ambiguous, naming its path', () => {
    // Prepare
    const input = base();
    const [first] = input.front_configs;
    input.front_configs = [first, { ...first, name: 'Another front' }];
    input.facility_configs = [
      { id: 'r1', name: 'Role 1', front_id: first.id, kia_rate: 0.02, rtd_rate: 0.3 },
    ];
    // Act
    const found = issues(input);
    // Assert (memory/fixes/0154-duplicate-front-ids-and-blank-names.md)
    expect(found).toEqual(['front_configs[1].id: must be unique']);
  });

  it('refuses names and ids made only of white space, naming each path and the rule', () => {
    // Prepare
    const input = base();
    input.name = '   ';
    input.front_configs[0] = { ...input.front_configs[0], id: ' ', name: '\t ' };
    input.facility_configs = [
      { id: '  ', name: ' ', front_id: ' ', role: 'Role1', kia_rate: 0.02, rtd_rate: 0.3 },
    ];
    // Act
    const found = issues(input);
    // Assert
    expect(found).toEqual([
      'name: must not be only white space',
      'front_configs[0].id: must not be only white space',
      'front_configs[0].name: must not be only white space',
      'facility_configs[0].id: must not be only white space',
      'facility_configs[0].name: must not be only white space',
      'facility_configs[0].front_id: must not be only white space',
    ]);
  });

  it("still loads a job's stored scenario accepted before front ids had to be unique, as it was accepted", () => {
    // Prepare: what the engine read from such a scenario before the rule (the later front wins the id).
    const input = base();
    const [first] = input.front_configs;
    input.name = '  ';
    input.front_configs = [first, { ...first, name: 'Another front' }];
    input.facility_configs = [
      { id: 'r1', name: 'Role 1', front_id: first.id, kia_rate: 0.02, rtd_rate: 0.3 },
    ];
    // Act
    const stored = loadScenario(input);
    // Assert
    expect(parseScenario(input).ok).toBe(false);
    expect(stored.fronts.map((f) => f.name)).toEqual([first.name, 'Another front']);
    expect(stored.facilities).toEqual([{ id: 'r1', name: 'Role 1', role: 1, front: 1, capacity: 0 }]);
  });

  it('keeps each facility with its echelon, front and beds for the capacity plan', () => {
    const input = base();
    const front = input.front_configs[0].id;
    input.facility_configs = [
      { id: 'r1', name: 'Role 1', capacity: 12, front_id: front, kia_rate: 0.02, rtd_rate: 0.3 },
      { id: 'r4', name: 'Role 4 home', kia_rate: 0.005, rtd_rate: 0.7 },
    ];
    expect(loadScenario(input).facilities).toEqual([
      { id: 'r1', name: 'Role 1', role: 1, front: 0, capacity: 12 },
      { id: 'r4', name: 'Role 4 home', role: 4, front: -1, capacity: 0 },
    ]);
  });

  it('reports total_patients below 1 with the field name', () => {
    expect(issues({ ...base(), total_patients: -10 })).toEqual(['total_patients: must be at least 1']);
  });

  it('rejects unknown top-level fields and lists the valid ones', () => {
    expect(issues({ ...base(), count: 5 }).join()).toMatch(
      /unknown field "count"; valid names: name, description, total_patients/,
    );
  });

  it('refuses an evacuation policy that is not a whole number of days from 0 to 60, naming the field', () => {
    expect(issues({ ...base(), evacuation_policy_days: -1 })).toEqual([
      'evacuation_policy_days: must not be negative',
    ]);
    expect(issues({ ...base(), evacuation_policy_days: 61 })).toEqual([
      'evacuation_policy_days: must be at most 60',
    ]);
    expect(issues({ ...base(), evacuation_policy_days: 2.5 })).toEqual([
      'evacuation_policy_days: must be an integer',
    ]);
    expect(issues({ ...base(), evacuation_policy_days: '7' })).toHaveLength(1);
    expect(loadScenario({ ...base(), evacuation_policy_days: 0 }).evacuationPolicyDays).toBe(0);
    expect(loadScenario(base()).evacuationPolicyDays).toBeUndefined();
  });

  it('rejects an impossible base date', () => {
    expect(issues({ ...base(), base_date: '2025-02-30' })).toEqual([
      'base_date: is not a valid calendar date',
    ]);
  });

  it('reports every problem at once, each with its path', () => {
    const input = { ...base(), total_patients: 0, days_of_fighting: 0, intensity: 'insane' };
    const result = parseScenario(input);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(['total_patients', 'days_of_fighting', 'intensity']);
  });

  it('applies defaults for the temporal fields when absent', () => {
    const { days_of_fighting, base_date, warfare_types, intensity, tempo, ...minimal } = base();
    const result = parseScenario(minimal);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.scenario.days).toBe(8);
      expect(result.scenario.baseDate).toBe('2025-06-01');
      expect(result.scenario.warfareTypes).toEqual(['conventional']);
      expect(result.scenario.intensity).toBe('medium');
      expect(result.scenario.femaleRatio).toBe(0.12);
    }
  });
});

describe('scenario messages', () => {
  it('says a missing required field "is required"', () => {
    const { injury_distribution, ...rest } = structuredClone(DEFAULT_SCENARIO);
    expect(issues(rest)).toEqual(['injury_distribution: is required']);
  });
});

describe('scenario bounds (what DynamoDB and the engine can hold)', () => {
  const withFront = (patch: Record<string, unknown>): unknown => {
    const input = base();
    return { ...input, front_configs: [{ ...input.front_configs[0], ...patch }] };
  };

  it.each([
    ['1e300', 1e300],
    ['2^53+1', 2 ** 53 + 1],
    ['1e-320', 1e-320],
    ['0', 0],
  ])('rejects casualty_rate %s with the field and the rule', (_label, value) => {
    // Act
    const problems = issues(withFront({ casualty_rate: value }));
    // Assert
    expect(problems).toEqual([expect.stringMatching(/^front_configs\[0\]\.casualty_rate: must be /)]);
  });

  it('rejects a triage weight of 1e300 and subnormal dust in a rate', () => {
    // Prepare
    const input = {
      ...base(),
      triage_overrides: { 'Battle Injury': { T1: 1e300, T2: 1, T3: 1 } },
      female_ratio: 1e-320,
    };
    // Act
    const problems = issues(input);
    // Assert
    expect(problems).toEqual(
      expect.arrayContaining([
        'triage_overrides.Battle Injury.T1: must be at most 1000000',
        'female_ratio: must be 0 or at least 1e-9',
      ]),
    );
  });

  it('rejects ids and names above their length, and lists above their size', () => {
    // Prepare
    const long = 'x'.repeat(LIMITS.name + 1);
    const input = {
      ...(withFront({ id: long, name: long, description: 'd'.repeat(LIMITS.description + 1) }) as object),
      facility_configs: Array.from({ length: LIMITS.facilities + 1 }, (_, i) => ({
        id: `role1_${i}`,
        name: 'R1',
        kia_rate: 0.1,
        rtd_rate: 0.1,
      })),
    };
    // Act
    const problems = issues(input);
    // Assert
    expect(problems).toEqual(
      expect.arrayContaining([
        `front_configs[0].id: must be at most ${LIMITS.name} characters`,
        `front_configs[0].name: must be at most ${LIMITS.name} characters`,
        `front_configs[0].description: must be at most ${LIMITS.description} characters`,
        `facility_configs: must list at most ${LIMITS.facilities} facilities`,
      ]),
    );
    expect(problems.join('\n')).not.toContain(long);
  });

  it('names at most five unknown keys, each cut short, and counts the rest', () => {
    // Prepare
    const input: Record<string, unknown> = { ...base() };
    for (let i = 0; i < 8; i++) input[`${'k'.repeat(200)}${i}`] = 1;
    // Act
    const [problem] = issues(input);
    // Assert
    expect(problem).toMatch(/^\(root\): unknown fields .* and 3 more; valid names: name, /);
    expect(problem.length).toBeLessThan(1000);
  });

  it('accepts the largest allowed values', () => {
    // Prepare
    const input = {
      ...(withFront({ casualty_rate: LIMITS.weight, id: 'f'.repeat(LIMITS.name) }) as object),
      triage_overrides: { 'Battle Injury': { T1: LIMITS.weight, T2: 0, T3: LIMITS.smallest } },
    };
    // Act
    const problems = issues(input);
    // Assert
    expect(problems).toEqual([]);
  });
});
