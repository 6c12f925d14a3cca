import { describe, expect, it } from 'vitest';
import {
  codesFromText,
  cohortChoices,
  cohortValues,
  toggleValue,
  withCriterion,
} from '../../../web/src/pages/scenario/cohort-model.js';
import { formKeys } from '../../../web/src/pages/scenario/scenario-fields.js';
import { type Draft, placeIssues } from '../../../web/src/pages/scenario/scenario-model.js';

const draft = (cohort?: Draft['cohort']): Draft => ({
  name: 'Exercise',
  front_configs: [
    {
      id: 'north',
      nationality_distribution: [{ nationality_code: 'POL' }, { nationality_code: 'EST' }],
    },
    { id: 'south', nationality_distribution: [{ nationality_code: 'POL' }, { nationality_code: 'DEU' }] },
  ],
  ...(cohort === undefined ? {} : { cohort }),
});

describe('console cohort section model', () => {
  it('adds a checked value to its criterion, creating the cohort', () => {
    // Act
    const cohort = toggleValue(draft(), 'triage', 'T1', true);
    // Assert
    expect(cohort).toEqual({ triage: ['T1'] });
  });

  it('removes an unchecked value, then the empty criterion, then the empty cohort', () => {
    // Prepare
    const d = draft({ triage: ['T1', 'T4'], outcomes: ['DOW'] });
    // Act
    const one = toggleValue(d, 'triage', 'T4', false);
    const none = toggleValue(draft({ triage: ['T1'] }), 'triage', 'T1', false);
    const emptied = withCriterion(draft({ outcomes: ['DOW'] }), 'outcomes', []);
    // Assert
    expect(one).toEqual({ triage: ['T1'], outcomes: ['DOW'] });
    expect(none).toBeUndefined();
    expect(emptied).toBeUndefined();
  });

  it('reads condition codes typed with commas or spaces, duplicates dropped', () => {
    // Act
    const codes = codesFromText(' 262574004, 125596004  262574004;');
    // Assert
    expect(codes).toEqual(['262574004', '125596004']);
    expect(cohortValues(draft({ conditions: codes }), 'conditions')).toEqual(codes);
  });

  it("offers the draft's front ids and the nations its fronts list", () => {
    // Act
    const choices = cohortChoices(draft());
    // Assert
    expect(choices).toEqual({ fronts: ['north', 'south'], nations: ['DEU', 'EST', 'POL'] });
  });

  it("places an issue of one cohort value at its criterion's group", () => {
    // Act
    const placed = placeIssues(
      [{ path: 'cohort.triage[1]', message: 'T4 (expectant) needs a facility with a capacity' }],
      formKeys(draft({ triage: ['T1', 'T4'] })),
    );
    // Assert
    expect(placed.byKey.get('cohort.triage')).toEqual(['1: T4 (expectant) needs a facility with a capacity']);
  });
});
