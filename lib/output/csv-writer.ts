/**
 * `csv`: RFC 4180, one row per patient after a header row. Lines end in CRLF (the last one too);
 * a field containing a comma, a double quote, CR or LF is enclosed in double quotes with its quotes
 * doubled; numbers are written as JSON writes them, booleans as `true`/`false`, null as an empty
 * field. UTF-8 without byte-order mark. Lists inside a field use `>` (facility path) or `;` (codes).
 */
import { FACILITIES } from '../data/index.js';
import type { PatientRecord } from '../generation/index.js';
import type { FormatSpec } from './format-spec.js';
import { RecordTransform, type WriterOptions } from './record-transform.js';

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvColumn {
  readonly name: string;
  readonly value: (record: PatientRecord) => CsvValue;
}

const primaryOf = (r: PatientRecord) => r.conditions.find((c) => c.primary) ?? r.conditions[0];
/** `;`-joined codes of a list (medications in time order, allergies), empty when there is none. */
function codesOf(items: readonly { code: string }[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ';') + items[i].code;
  return out;
}
function namesOf(items: readonly { name: string }[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ';') + items[i].name;
  return out;
}
const outcomeOf = (r: PatientRecord) => r.movement_timeline[r.movement_timeline.length - 1];
/**
 * The discharge before the return to duty, if any: Role 4's to convalesce (fixes 0319, 0322), or any
 * echelon's to rest in quarters (fix 0391).
 */
function dischargeOf(r: PatientRecord) {
  const e = r.movement_timeline[r.movement_timeline.length - 2];
  return e?.event_type === 'discharge' ? e : undefined;
}

/**
 * The patient's arrival at each echelon (visited at most once), by echelon index: its facility id
 * columns and its hours to Role 4 read it in turn for one record, one pass over its timeline, kept for
 * that record only.
 */
type Arrival = Extract<PatientRecord['movement_timeline'][number], { event_type: 'arrival' }>;
let arrivalsOf: PatientRecord | undefined;
const arrivals: (Arrival | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
function arrivalAt(r: PatientRecord, role: number): Arrival | undefined {
  if (arrivalsOf !== r) {
    arrivals.fill(undefined);
    for (const e of r.movement_timeline) {
      if (e.event_type === 'arrival') arrivals[FACILITIES.indexOf(e.facility)] = e;
    }
    arrivalsOf = r;
  }
  return arrivals[role];
}
const ROLE4 = FACILITIES.indexOf('Role4');

/** The columns, in order. Names follow the record's field names where one exists. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  { name: 'id', value: (r) => r.id },
  { name: 'uuid', value: (r) => r.uuid },
  { name: 'given_name', value: (r) => r.demographics.given_name },
  { name: 'family_name', value: (r) => r.demographics.family_name },
  { name: 'gender', value: (r) => r.gender },
  { name: 'age', value: (r) => r.demographics.age },
  { name: 'birthdate', value: (r) => r.demographics.birthdate },
  { name: 'nationality', value: (r) => r.nationality },
  { name: 'blood_type', value: (r) => r.demographics.blood_type },
  { name: 'weight_kg', value: (r) => r.demographics.weight_kg },
  { name: 'height_cm', value: (r) => r.demographics.height_cm },
  { name: 'service_number', value: (r) => r.demographics.service_number },
  { name: 'front', value: (r) => r.front },
  { name: 'front_id', value: (r) => r.front_id },
  { name: 'injury_type', value: (r) => r.injury_type },
  { name: 'mechanism_code', value: (r) => r.mechanism?.code },
  { name: 'mechanism_name', value: (r) => r.mechanism?.name },
  { name: 'primary_condition_code', value: (r) => primaryOf(r).code },
  { name: 'primary_condition_name', value: (r) => primaryOf(r).name },
  {
    name: 'secondary_condition_codes',
    value: (r) =>
      r.conditions
        .filter((c) => c !== primaryOf(r))
        .map((c) => c.code)
        .join(';'),
  },
  { name: 'body_part', value: (r) => r.body_part },
  { name: 'triage_category', value: (r) => r.triage_category },
  { name: 'severity', value: (r) => r.severity },
  { name: 'severity_grade', value: (r) => r.severity_grade },
  { name: 'status', value: (r) => r.status },
  { name: 'final_status', value: (r) => r.final_status },
  { name: 'last_facility', value: (r) => r.last_facility },
  { name: 'facilities_visited', value: (r) => r.facilities_visited.join('>') },
  { name: 'injury_time', value: (r) => r.injury_time },
  { name: 'outcome_time', value: (r) => outcomeOf(r).timestamp },
  { name: 'hours_to_outcome', value: (r) => outcomeOf(r).hours_since_injury },
  { name: 'treatment_count', value: (r) => r.treatments.length },
  { name: 'medication_count', value: (r) => r.medications.length },
  { name: 'medication_codes', value: (r) => codesOf(r.medications) },
  { name: 'allergy_codes', value: (r) => codesOf(r.allergies) },
  { name: 'allergy_names', value: (r) => namesOf(r.allergies) },
  { name: 'day', value: (r) => r.day },
  { name: 'scenario', value: (r) => r.scenario },
  { name: 'event_id', value: (r) => r.event_id },
  { name: 'special_event', value: (r) => r.special_event },
  { name: 'mass_casualty', value: (r) => r.mass_casualty },
  // Last, so that readers of the columns by position before they were added still read the same.
  ...FACILITIES.map(
    (facility, role): CsvColumn => ({
      name: `${facility.toLowerCase()}_facility_id`,
      value: (r) => arrivalAt(r, role)?.facility_id,
    }),
  ),
  // Then Role 4's arrival and discharge, so that a spreadsheet can count its hospital stays
  // (memory/decisions/0945-csv-discharge-columns.md).
  { name: 'hours_to_role4', value: (r) => arrivalAt(r, ROLE4)?.hours_since_injury },
  { name: 'discharge_time', value: (r) => dischargeOf(r)?.timestamp },
  { name: 'hours_to_discharge', value: (r) => dischargeOf(r)?.hours_since_injury },
];

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** One field, escaped per RFC 4180. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    return NEEDS_QUOTES.test(value) ? '"' + value.replace(QUOTE, '""') + '"' : value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} to CSV`);
    return String(value);
  }
  return value ? 'true' : 'false';
}

/** One row of fields, with its CRLF. */
export function csvRow(values: readonly CsvValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i]);
  return line + '\r\n';
}

export const CSV_HEADER = csvRow(CSV_COLUMNS.map((c) => c.name));

export class CsvTransform extends RecordTransform {
  constructor(options: WriterOptions) {
    super(options);
  }

  protected override header(): string {
    return CSV_HEADER;
  }

  protected encode(record: PatientRecord): void {
    let line = '';
    for (let i = 0; i < CSV_COLUMNS.length; i++) {
      line += (i === 0 ? '' : ',') + csvField(CSV_COLUMNS[i].value(record));
    }
    this.append(line + '\r\n');
  }
}

export const CSV_FORMAT: FormatSpec = {
  format: 'csv',
  fileName: 'patients.csv',
  contentType: 'text/csv; charset=utf-8; header=present',
  createStream: (options: WriterOptions) => new CsvTransform(options),
};
