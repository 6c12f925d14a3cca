/**
 * `json`: one JSON array holding every patient, one compact record per line:
 * `[` LF, records separated by `,` LF, LF `]` LF. An empty document is `[` LF `]` LF.
 */
import type { PatientRecord } from '../generation/index.js';
import type { FormatSpec } from './format-spec.js';
import { patientJson } from './patient-json.js';
import { RecordTransform, type WriterOptions } from './record-transform.js';

export class JsonTransform extends RecordTransform {
  constructor(options: WriterOptions) {
    super(options);
  }

  protected override header(): string {
    return '[';
  }

  protected encode(record: PatientRecord, first: boolean): void {
    this.append(first ? '\n' : ',\n');
    this.append(patientJson(record));
  }

  protected override footer(): string {
    return '\n]\n';
  }
}

export const JSON_FORMAT: FormatSpec = {
  format: 'json',
  fileName: 'patients.json',
  contentType: 'application/json',
  createStream: (options: WriterOptions) => new JsonTransform(options),
};
