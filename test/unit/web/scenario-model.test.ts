import { describe, expect, it } from 'vitest';
import { formKeys } from '../../../web/src/pages/scenario/scenario-fields.js';
import {
  type Draft,
  draftFromConfiguration,
  fieldId,
  formatJson,
  getIn,
  issueKey,
  issueLabel,
  numberFromInput,
  parseDraft,
  placeIssues,
  sameJson,
  seedFromInput,
  setIn,
  uniqueIssues,
} from '../../../web/src/pages/scenario/scenario-model.js';

const scenario = (): Draft => ({
  name: 'Exercise',
  total_patients: 100,
  front_configs: [
    {
      id: 'north',
      name: 'North',
      casualty_rate: 1,
      nationality_distribution: [{ nationality_code: 'POL', percentage: 100 }],
    },
  ],
  injury_distribution: { Disease: 0.5, 'Battle Injury': 0.5 },
  x_planner_note: 'kept',
});

describe('form ↔ JSON sync', () => {
  it('setIn changes one field and keeps every other key, unknown ones included', () => {
    // Prepare
    const draft = scenario();

    // Act
    const next = setIn(draft, ['front_configs', 0, 'nationality_distribution', 0, 'percentage'], 60);

    // Assert
    expect(getIn(next, ['front_configs', 0, 'nationality_distribution', 0, 'percentage'])).toBe(60);
    expect(next.x_planner_note).toBe('kept');
    expect(getIn(next, ['front_configs', 0, 'name'])).toBe('North');
    expect(getIn(draft, ['front_configs', 0, 'nationality_distribution', 0, 'percentage'])).toBe(100);
  });

  it('setIn with undefined removes an object key or an array element', () => {
    // Prepare
    const draft = setIn(scenario(), ['front_configs', 1], { id: 'south' });

    // Act
    const withoutFront = setIn(draft, ['front_configs', 0], undefined);
    const withoutName = setIn(draft, ['name'], undefined);

    // Assert
    expect(withoutFront.front_configs).toEqual([{ id: 'south' }]);
    expect('name' in withoutName).toBe(false);
  });

  it('setIn creates missing containers: an array for a numeric step, an object for a key', () => {
    // Prepare
    const draft: Draft = {};

    // Act
    const next = setIn(draft, ['triage_overrides', 'Disease', 'T1'], 5);
    const list = setIn(draft, ['facility_configs', 0, 'id'], 'r1');

    // Assert
    expect(next).toEqual({ triage_overrides: { Disease: { T1: 5 } } });
    expect(list).toEqual({ facility_configs: [{ id: 'r1' }] });
  });

  it('a form edit then the JSON text round-trips to the same draft, unknown keys included', () => {
    // Prepare
    const edited = setIn(scenario(), ['total_patients'], 300);

    // Act
    const parsed = parseDraft(formatJson(edited));

    // Assert
    expect(parsed.ok && sameJson(parsed.draft, edited)).toBe(true);
    expect(parsed.ok && parsed.draft.x_planner_note).toBe('kept');
  });

  it('JSON with a stray word names the line, the column and the word, not a quote of the text', () => {
    // Prepare: a typo on line 3, as a planner types it in the JSON tab
    const text = '{\n  "name": "Ex",\n  "include_medications": tru\n}';

    // Act
    const parsed = parseDraft(text);

    // Assert
    expect(parsed).toEqual({ ok: false, message: 'Not valid JSON: unexpected "tru" at line 3, column 26' });
  });

  it('JSON missing a comma names the rule broken and where', () => {
    // Prepare
    const text = '{\n  "name": "Ex"\n  "total_patients": 5\n}';

    // Act
    const parsed = parseDraft(text);

    // Assert
    expect(parsed).toEqual({
      ok: false,
      message: 'Not valid JSON: a comma was expected at line 3, column 3',
    });
  });

  it('JSON that does not parse, or is not an object, is refused with a reason', () => {
    // Prepare
    const texts = ['{"name": ', '[1, 2]', '42'];

    // Act
    const results = texts.map(parseDraft);

    // Assert
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(results[0].ok === false && results[0].message).toMatch(/Not valid JSON/);
    expect(results[1].ok === false && results[1].message).toMatch(/JSON object/);
  });

  it('a stored configuration loads without the server-managed fields', () => {
    // Prepare
    const stored = {
      ...scenario(),
      id: 'abc',
      version: 3,
      created_at: 't',
      updated_at: 't',
      parent_config_id: null,
    };

    // Act
    const draft = draftFromConfiguration(stored);

    // Assert
    expect(draft).toEqual(scenario());
  });

  it('sameJson ignores key order and sees nested differences', () => {
    // Prepare
    const a = { a: 1, b: [1, { c: 2 }] };

    // Act / Assert
    expect(sameJson(a, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson(a, { a: 1, b: [1, { c: 3 }] })).toBe(false);
    expect(sameJson(a, { a: 1 })).toBe(false);
  });
});

describe('inputs → JSON values', () => {
  it('a number input writes a number, empty removes the field, other text stays text for the API to reject', () => {
    // Prepare / Act / Assert
    expect(numberFromInput('0.5')).toBe(0.5);
    expect(numberFromInput('  ')).toBeUndefined();
    expect(numberFromInput('abc')).toBe('abc');
  });

  it('a seed of digits becomes an integer, other text stays a string, empty means none', () => {
    // Prepare / Act / Assert
    expect(seedFromInput('42')).toBe(42);
    expect(seedFromInput('exercise-7')).toBe('exercise-7');
    expect(seedFromInput('99999999999999999')).toBe('99999999999999999');
    expect(seedFromInput('')).toBeUndefined();
  });
});

describe('validation issues → fields', () => {
  it('bracket and dot paths name the same field', () => {
    // Prepare
    const bracket = 'front_configs[0].nationality_distribution[0].percentage';
    const dots = 'front_configs.0.nationality_distribution.0.percentage';

    // Act / Assert
    expect(issueKey(bracket)).toBe(dots);
    expect(issueKey(dots)).toBe(dots);
    expect(issueKey('(root)')).toBe('');
    expect(fieldId(issueKey(bracket))).toBe('f-front_configs-0-nationality_distribution-0-percentage');
  });

  it('each issue lands at its field, a group issue at the group, a root issue in the summary only', () => {
    // Prepare
    const draft = scenario();
    const issues = [
      { path: 'front_configs[0].nationality_distribution[0].percentage', message: 'must be at most 100' },
      { path: 'injury_distribution', message: 'must sum to 1' },
      { path: '(root)', message: 'unknown field "x_planner_note"' },
    ];

    // Act
    const placed = placeIssues(issues, formKeys(draft));

    // Assert
    expect(placed.byKey.get('front_configs.0.nationality_distribution.0.percentage')).toEqual([
      'must be at most 100',
    ]);
    expect(placed.byKey.get('injury_distribution')).toEqual(['must sum to 1']);
    expect(placed.unplaced).toEqual([{ path: '(scenario)', message: 'unknown field "x_planner_note"' }]);
    expect(placed.all.map((i) => i.key)).toEqual([
      'front_configs.0.nationality_distribution.0.percentage',
      'injury_distribution',
      null,
    ]);
  });

  it('an issue below any rendered field goes to the nearest enclosing group, naming the rest of its path', () => {
    // Prepare
    const issues = [{ path: 'front_configs[0].extra.deep', message: 'unknown' }];

    // Act
    const placed = placeIssues(issues, formKeys(scenario()));

    // Assert
    expect(placed.byKey.get('front_configs.0')).toEqual(['extra.deep: unknown']);
  });

  it("an evacuation policy's issue lands at its field, not in the summary only", () => {
    // Prepare
    const issues = [{ path: 'evacuation_policy_days', message: 'must be at most 60' }];

    // Act
    const placed = placeIssues(issues, formKeys(scenario()));

    // Assert
    expect(placed.byKey.get('evacuation_policy_days')).toEqual(['must be at most 60']);
    expect(placed.unplaced).toEqual([]);
  });

  it('POST /generation issues under "configuration." are placed without the prefix', () => {
    // Prepare
    const issues = [
      { path: 'configuration.total_patients', message: 'must be at most 10000 patients per job' },
    ];

    // Act
    const placed = placeIssues(issues, formKeys(scenario()), 'configuration');

    // Assert
    expect(placed.byKey.get('total_patients')).toEqual(['must be at most 10000 patients per job']);
  });

  it('the form offers a field for every nation row and facility row of the draft', () => {
    // Prepare
    const draft = setIn(scenario(), ['facility_configs', 0], {
      id: 'r1',
      name: 'Role 1',
      kia_rate: 0,
      rtd_rate: 0,
    });

    // Act
    const keys = formKeys(draft);

    // Assert
    expect(keys.has('front_configs.0.nationality_distribution.0.nationality_code')).toBe(true);
    expect(keys.has('facility_configs.0.rtd_rate')).toBe(true);
    // A front_id naming no front is reported next to the facility's Front field.
    expect(keys.has('facility_configs.0.front_id')).toBe(true);
    expect(keys.has('facility_configs.0.capacity')).toBe(true);
    expect(keys.has('facility_configs.1.rtd_rate')).toBe(false);
    expect(keys.has('triage_overrides.Disease.T1')).toBe(false);
  });

  it('a problem reported twice (validator and a rejected request, in either path notation) is listed once', () => {
    // Prepare
    const issues = [
      { path: 'front_configs[0].name', message: 'must not be empty' },
      { path: 'front_configs.0.name', message: 'must not be empty' },
      { path: 'front_configs[0].name', message: 'must be at most 100 characters' },
    ];

    // Act
    const unique = uniqueIssues(issues);

    // Assert
    expect(unique.map((i) => i.message)).toEqual(['must not be empty', 'must be at most 100 characters']);
  });

  it('an issue about a whole nation row shows at the nations group of its front, which the form renders', () => {
    // Prepare
    const issues = [
      { path: 'front_configs[0].nationality_distribution[0]', message: 'unknown field "share"' },
    ];

    // Act
    const placed = placeIssues(issues, formKeys(scenario()));

    // Assert
    expect(placed.byKey.get('front_configs.0.nationality_distribution')).toEqual([
      '0: unknown field "share"',
    ]);
  });

  it('the summary names a field in words, with the front or facility name from the draft', () => {
    // Prepare
    const draft = scenario();

    // Act
    const labels = [
      issueLabel('front_configs.0.nationality_distribution.1.percentage', draft),
      issueLabel('facility_configs.2.kia_rate', draft),
      issueLabel('', draft),
    ];

    // Assert
    expect(labels).toEqual(['North › nation 2 › percentage', 'facility 3 › kia rate', 'Scenario']);
  });
});
