import { describe, expect, it } from 'vitest';
import { CONDITION_TABLE, ConditionReferenceSchema } from '../../../lib/api/index.js';

describe('reference conditions (GET /api/v1/configurations/reference/conditions)', () => {
  it('names the scenario flag of each endemic disease, and no flag for any other condition', () => {
    // Act
    const flagged = CONDITION_TABLE.filter((c) => c.endemic_disease !== undefined).map((c) => [
      c.name,
      c.endemic_disease,
    ]);
    // Assert
    expect(flagged).toEqual([
      ['Malaria', 'malaria'],
      ['Dengue', 'dengue'],
      ['Leishmaniasis', 'leishmaniasis'],
      ['Typhoid fever', 'typhoid_fever'],
    ]);
    for (const c of CONDITION_TABLE) expect(ConditionReferenceSchema.safeParse(c).success, c.name).toBe(true);
  });
});
