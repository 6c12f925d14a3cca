import { describe, expect, it } from 'vitest';
import { generate } from '../../../lib/generation/index.js';
import { SummaryCollector, summarise } from '../../../lib/output/index.js';
import { testPlan } from './support.js';

const records = [...generate(testPlan(500))];

describe('summary', () => {
  it('counts every patient once per dimension and shares sum to 1', () => {
    // Act
    const summary = summarise(records);
    // Assert
    expect(summary.total).toBe(500);
    expect(summary.dimensions.map((d) => d.field)).toEqual([
      'final_status',
      'status',
      'triage_category',
      'injury_type',
      'nationality',
      'front',
    ]);
    for (const d of summary.dimensions) {
      expect(
        d.rows.reduce((a, r) => a + r.count, 0),
        d.field,
      ).toBe(500);
      expect(
        d.rows.reduce((a, r) => a + r.share, 0),
        d.field,
      ).toBeCloseTo(1, 10);
    }
  });

  it('matches counts taken directly from the records', () => {
    // Act
    const byStatus = summarise(records).dimensions.find((d) => d.field === 'status')!;
    // Assert
    for (const row of byStatus.rows)
      expect(row.count).toBe(records.filter((r) => r.status === row.value).length);
  });

  it('lists every status and triage category in a fixed order even when a count is zero', () => {
    // Prepare: only RTD patients.
    const collector = new SummaryCollector();
    for (const r of records.filter((x) => x.status === 'RTD')) collector.add(r);
    // Act
    const summary = collector.result();
    // Assert
    const status = summary.dimensions.find((d) => d.field === 'status')!;
    expect(status.rows.map((r) => r.value)).toEqual(['KIA', 'DOW', 'RTD', 'Remains_Role4']);
    expect(status.rows.map((r) => r.count > 0)).toEqual([false, false, true, false]);
    const triage = summary.dimensions.find((d) => d.field === 'triage_category')!;
    expect(triage.rows.map((r) => r.value)).toEqual(['T1', 'T2', 'T3']);
  });

  it('orders nationalities by count, largest first, ties by code', () => {
    // Act
    const rows = summarise(records).dimensions.find((d) => d.field === 'nationality')!.rows;
    // Assert
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      expect(a.count > b.count || (a.count === b.count && a.value < b.value)).toBe(true);
    }
  });

  it('gives zero shares, not NaN, when there are no patients', () => {
    // Act
    const summary = new SummaryCollector().result();
    // Assert
    expect(summary.total).toBe(0);
    expect(summary.dimensions[0].rows.every((r) => r.share === 0)).toBe(true);
  });
});
