import { describe, expect, it } from 'vitest';
import { ResultsQuerySchema } from '../../../lib/api/index.js';
import { fold, hasFilter, recordMatcher } from '../../../lib/domain/index.js';
import { generate, type PatientRecord } from '../../../lib/generation/index.js';
import { testPlan } from '../output/support.js';

const records = [...generate(testPlan(300))];
const texts = records.map((r) => JSON.stringify(r));

function select(filter: Parameters<typeof recordMatcher>[0]): PatientRecord[] {
  const match = recordMatcher(filter)!;
  return records.filter((_, i) => match(texts[i]));
}

describe('results filter', () => {
  it('selects everything (no matcher) when no filter is given', () => {
    // Act + Assert
    expect(recordMatcher({})).toBeNull();
    expect(recordMatcher({ q: '   ' })).toBeNull();
    expect(hasFilter({ triage: [] })).toBe(false);
    expect(hasFilter({ front: 'x' })).toBe(true);
  });

  it('matches triage, status and nationality lists exactly as the parsed records say', () => {
    // Act
    const t1 = select({ triage: ['T1'] });
    const deaths = select({ status: ['KIA', 'DOW'] });
    const dow = select({ status: ['DOW'] });
    const nation = records[0].nationality;
    const byNation = select({ nationality: [nation, 'ZZZ'] });
    // Assert: `status` KIA never matches inside "final_status":"KIA".
    expect(t1).toEqual(records.filter((r) => r.triage_category === 'T1'));
    expect(deaths).toEqual(records.filter((r) => r.status === 'KIA' || r.status === 'DOW'));
    expect(dow).toEqual(records.filter((r) => r.status === 'DOW'));
    expect(dow.length).toBeGreaterThan(0);
    expect(byNation).toEqual(records.filter((r) => r.nationality === nation));
  });

  it('matches a front by its name or its id, and combines filters with AND', () => {
    // Prepare
    const { front, front_id } = records[0];
    // Act
    const byName = select({ front });
    const byId = select({ front: front_id });
    const both = select({ front, triage: ['T3'] });
    // Assert
    expect(byName).toEqual(records.filter((r) => r.front === front));
    expect(byId).toEqual(byName);
    expect(both).toEqual(records.filter((r) => r.front === front && r.triage_category === 'T3'));
  });

  it('searches the id exactly, the uuid by its start, and names and service numbers in part, ignoring case and accents', () => {
    // Prepare
    const target = records[42];
    const { family_name, given_name, service_number } = target.demographics;
    // Act + Assert
    expect(select({ q: '42' }).map((r) => r.id)).toContain(42);
    expect(
      select({ q: '42' }).every(
        (r) => r.id === 42 || r.uuid.startsWith('42') || r.demographics.service_number.includes('42'),
      ),
    ).toBe(true);
    expect(select({ q: target.uuid.slice(0, 8).toUpperCase() })).toEqual([target]);
    expect(select({ q: fold(family_name).toUpperCase() })).toContainEqual(target);
    expect(select({ q: `${given_name} ${family_name}` })).toContainEqual(target);
    expect(select({ q: service_number.slice(-6) })).toContainEqual(target);
    expect(select({ q: 'no-such-patient-name' })).toEqual([]);
  });

  it('finds a name with diacritics from its plain spelling', () => {
    // Prepare
    const accented = records.find(
      (r) => fold(r.demographics.family_name) !== r.demographics.family_name.toLowerCase(),
    );
    expect(accented, 'a name with diacritics in the sample').toBeDefined();
    // Act
    const found = select({ q: fold(accented!.demographics.family_name) });
    // Assert
    expect(found).toContainEqual(accented);
  });
});

describe('results query', () => {
  it('accepts comma-separated, case-insensitive values and answers them canonically', () => {
    // Act
    const query = ResultsQuerySchema.parse({
      triage: 't1, T2',
      status: 'dow,remains_role4',
      nationality: 'pol',
    });
    // Assert
    expect(query).toMatchObject({
      page: 1,
      per_page: 50,
      triage: ['T1', 'T2'],
      status: ['DOW', 'Remains_Role4'],
      nationality: ['POL'],
    });
  });

  it('rejects unknown values with a message naming the parameter and the rule, not the value', () => {
    // Act
    const result = ResultsQuerySchema.safeParse({
      triage: 'T9',
      status: '<script>',
      nationality: 'XXX',
      front: ' ',
      q: 'x'.repeat(101),
    });
    // Assert
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['triage', 'triage must be one or more of T1, T2, T3, comma-separated'],
        ['status', 'status must be one or more of KIA, DOW, RTD, Remains_Role4, comma-separated'],
        ['nationality', expect.stringMatching(/^nationality must be one or more of ISO 3166 alpha-3 codes/)],
        ['front', 'front must not be empty'],
        ['q', 'q must be at most 100 characters'],
      ]),
    );
    expect(JSON.stringify(issues)).not.toContain('<script>');
  });
});
