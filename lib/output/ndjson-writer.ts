/** `ndjson`: one compact JSON record per line, each line ending in LF; an empty document is empty. */
import type { PatientRecord } from '../generation/index.js';
import type { FormatSpec } from './format-spec.js';
import { patientJson } from './patient-json.js';
import { RecordTransform, type WriterOptions } from './record-transform.js';

export class NdjsonTransform extends RecordTransform {
  constructor(options: WriterOptions) {
    super(options);
  }

  protected encode(record: PatientRecord): void {
    this.append(patientJson(record));
    this.append('\n');
  }
}

export const NDJSON_FORMAT: FormatSpec = {
  format: 'ndjson',
  fileName: 'patients.ndjson',
  contentType: 'application/x-ndjson',
  createStream: (options: WriterOptions) => new NdjsonTransform(options),
};
