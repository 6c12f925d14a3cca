/**
 * The results index (lib/domain/results-index.ts): a patient's index line matches every results filter
 * exactly when the patient's stored record does, so a filtered page read from the index is the page
 * read from the file.
 */
import { describe, expect, it } from 'vitest';
import {
  type ResultsFilter,
  recordMatcher,
  resultsIndexKey,
  resultsIndexLine,
} from '../../../lib/domain/index.js';
import { generate } from '../../../lib/generation/index.js';
import { testPlan } from '../output/support.js';

const records = [...generate(testPlan(1_000))];
const texts = records.map((r) => JSON.stringify(r));
const lines = records.map(resultsIndexLine);

function filtersFrom(): ResultsFilter[] {
  const sample = records[517];
  return [
    { triage: ['T1'] },
    { triage: ['T2', 'T4'] },
    { status: ['KIA'] },
    { status: ['DOW', 'Remains_Role4'] },
    { status: ['RTD'], triage: ['T3'] },
    { nationality: [sample.nationality] },
    { front: sample.front },
    { front: sample.front_id },
    { q: sample.demographics.family_name },
    { q: sample.demographics.given_name.toLowerCase() },
    { q: `${sample.demographics.given_name} ${sample.demographics.family_name}` },
    { q: sample.demographics.service_number.slice(2, 7) },
    { q: sample.uuid.slice(0, 8) },
    { q: String(sample.id) },
    { q: 'KIA' },
    { q: 'triage' },
    { q: 'zzzz-nobody' },
  ];
}

describe('results index', () => {
  it('an index line matches each filter exactly when the record text does', () => {
    // Prepare
    const filters = filtersFrom();

    // Act
    const fromText = filters.map((filter) => {
      const match = recordMatcher(filter)!;
      return records.filter((_, i) => match(texts[i])).map((r) => r.id);
    });
    const fromIndex = filters.map((filter) => {
      const match = recordMatcher(filter)!;
      return records.filter((_, i) => match(lines[i])).map((r) => r.id);
    });

    // Assert: the same patients, and the filters are not trivial
    expect(fromIndex).toEqual(fromText);
    expect(fromText.filter((ids) => ids.length > 0).length).toBeGreaterThanOrEqual(13);
    expect(fromText.every((ids) => ids.length < records.length)).toBe(true);
  });

  it('a line is one compact JSON object of the record id and the filtered fields, a few per cent of the record', () => {
    // Prepare
    const record = records[3];

    // Act
    const line = resultsIndexLine(record);

    // Assert
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      id: record.id,
      uuid: record.uuid,
      given_name: record.demographics.given_name,
      family_name: record.demographics.family_name,
      service_number: record.demographics.service_number,
      nationality: record.nationality,
      front: record.front,
      front_id: record.front_id,
      triage_category: record.triage_category,
      status: record.status,
    });
    const average = (list: string[]) => list.reduce((sum, text) => sum + text.length, 0) / list.length;
    expect(average(lines) / average(texts)).toBeLessThan(0.1);
  });

  it('keeps each chunk index under the job, apart from its parts', () => {
    // Act + Assert
    expect(resultsIndexKey('j-1', 12)).toBe('jobs/j-1/results-index/c000012.ndjson.gz');
  });
});
