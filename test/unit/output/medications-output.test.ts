/**
 * Every text format carries the medications and allergies of the record (decision 0911): CSV columns,
 * JSON and NDJSON fields; XML and FHIR have their own round-trip tests (xml.test.ts, fhir.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { generate } from '../../../lib/generation/index.js';
import { CSV_COLUMNS } from '../../../lib/output/index.js';
import { parseCsv, render, testPlan } from './support.js';

const N = 600;
const plan = testPlan(N, 11);
const records = [...generate(plan)];

describe('medications and allergies in the text formats', () => {
  it('csv: medication count and codes in time order, allergy codes and names, ";"-joined', async () => {
    // Prepare
    const [header, ...rows] = parseCsv((await render(plan, 'csv')).toString('utf8'));
    const col = (name: string) => header.indexOf(name);
    // Act / Assert
    expect(header).toEqual(CSV_COLUMNS.map((c) => c.name));
    for (const name of ['medication_count', 'medication_codes', 'allergy_codes', 'allergy_names'])
      expect(col(name), name).toBeGreaterThan(0);
    rows.forEach((row, i) => {
      const r = records[i];
      expect(row[col('medication_count')]).toBe(String(r.medications.length));
      expect(row[col('medication_codes')]).toBe(r.medications.map((m) => m.code).join(';'));
      expect(row[col('allergy_codes')]).toBe(r.allergies.map((a) => a.code).join(';'));
      expect(row[col('allergy_names')]).toBe(r.allergies.map((a) => a.name).join(';'));
    });
    expect(rows.some((row) => row[col('allergy_codes')] !== '')).toBe(true);
  });

  it('json and ndjson: the record fields, for every patient', async () => {
    // Act
    const json = JSON.parse((await render(plan, 'json')).toString('utf8')) as typeof records;
    const ndjson = (await render(plan, 'ndjson'))
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as (typeof records)[number]);
    // Assert
    for (const parsed of [json, ndjson]) {
      expect(parsed.map((p) => p.medications)).toEqual(records.map((r) => r.medications));
      expect(parsed.map((p) => p.allergies)).toEqual(records.map((r) => r.allergies));
    }
    expect(records.filter((r) => r.medications.length > 0).length).toBeGreaterThan(N / 2);
  });
});
