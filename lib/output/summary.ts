/**
 * Counts and shares of a job's patients by outcome, triage, injury type, nationality and front, for
 * the CLI's summary and job reports. One pass, constant memory per distinct value.
 */
import { type PatientRecord, PatientRecordSchema } from '../generation/index.js';

export interface SummaryRow {
  readonly value: string;
  readonly count: number;
  /** count / total, 0 when there are no patients. */
  readonly share: number;
}

export interface SummaryDimension {
  readonly field: string;
  readonly title: string;
  readonly rows: readonly SummaryRow[];
}

export interface PatientSummary {
  readonly total: number;
  readonly dimensions: readonly SummaryDimension[];
}

interface DimensionDef {
  readonly field: string;
  readonly title: string;
  readonly value: (record: PatientRecord) => string;
  /** Values listed first, in this order, even when none occurs; others follow by count. */
  readonly order: readonly string[];
}

const shape = PatientRecordSchema.shape;

const DIMENSIONS: readonly DimensionDef[] = [
  {
    field: 'final_status',
    title: 'Final status',
    value: (r) => r.final_status,
    order: shape.final_status.options,
  },
  { field: 'status', title: 'Status', value: (r) => r.status, order: shape.status.options },
  {
    field: 'triage_category',
    title: 'Triage',
    value: (r) => r.triage_category,
    order: shape.triage_category.options,
  },
  {
    field: 'injury_type',
    title: 'Injury type',
    value: (r) => r.injury_type,
    order: shape.injury_type.options,
  },
  { field: 'nationality', title: 'Nationality', value: (r) => r.nationality, order: [] },
  { field: 'front', title: 'Front', value: (r) => r.front, order: [] },
];

export class SummaryCollector {
  private total = 0;
  private readonly counts = DIMENSIONS.map(() => new Map<string, number>());

  /** Counts one record (bound, so it can be passed as a callback). */
  readonly add = (record: PatientRecord): void => {
    this.total++;
    for (let i = 0; i < DIMENSIONS.length; i++) {
      const key = DIMENSIONS[i].value(record);
      const map = this.counts[i];
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  };

  result(): PatientSummary {
    const total = this.total;
    const row = (value: string, count: number): SummaryRow => ({
      value,
      count,
      share: total ? count / total : 0,
    });
    return {
      total,
      dimensions: DIMENSIONS.map((def, i) => {
        const counts = this.counts[i];
        const fixed = def.order.map((value) => row(value, counts.get(value) ?? 0));
        const known = new Set(def.order);
        const rest = [...counts]
          .filter(([value]) => !known.has(value))
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .map(([value, count]) => row(value, count));
        return { field: def.field, title: def.title, rows: [...fixed, ...rest] };
      }),
    };
  }
}

/** Summary of a finite list of records. */
export function summarise(records: Iterable<PatientRecord>): PatientSummary {
  const collector = new SummaryCollector();
  for (const record of records) collector.add(record);
  return collector.result();
}
