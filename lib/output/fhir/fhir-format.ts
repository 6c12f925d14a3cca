/**
 * The `fhir` output format: FHIR R4 as NDJSON, one Bundle per line. Line 1 is the job's facilities
 * bundle (Organizations, Locations, the generator Device); each further line is one patient's bundle.
 * Built on RecordTransform, so a range [from, to) writes that part of the file (the facilities line
 * only in the part that starts at 0) and the parts concatenate to the whole file, byte for byte.
 */
import type { PatientRecord } from '../../generation/index.js';
import type { FormatSpec } from '../format-spec.js';
import { RecordTransform, type WriterOptions } from '../record-transform.js';
import {
  buildFacilitiesBundle,
  createJobContext,
  type FhirFormatOptions,
  type FhirJobContext,
} from './job-context.js';
import { compilePatientBundleSerializer, compilePatientBundleWriter } from './patient-bundle-json.js';

/** The NDJSON line (with its newline) of the job's facilities bundle. */
export function fhirFacilitiesLine(ctx: FhirJobContext): string {
  return `${JSON.stringify(buildFacilitiesBundle(ctx))}\n`;
}

/** Renders NDJSON lines (with their newline) of patient bundles for one job. */
export function createFhirLineWriter(ctx: FhirJobContext): (record: PatientRecord) => string {
  const serialize = compilePatientBundleSerializer(ctx);
  return (record) => `${serialize(record)}\n`;
}

export interface FhirStreamOptions extends WriterOptions, FhirFormatOptions {}

export class FhirNdjsonTransform extends RecordTransform {
  private readonly ctx: FhirJobContext;
  private readonly writeBundle: (record: PatientRecord, emit: (text: string) => void) => void;
  private readonly appendText = (text: string) => this.append(text);

  constructor(options: FhirStreamOptions) {
    super(options);
    this.ctx = createJobContext(options.plan, options);
    this.writeBundle = compilePatientBundleWriter(this.ctx);
  }

  protected override header(): string {
    return fhirFacilitiesLine(this.ctx);
  }

  protected override encode(record: PatientRecord): void {
    this.writeBundle(record, this.appendText);
    this.append('\n');
  }
}

function checkOptions(options: FhirFormatOptions): void {
  if (
    options.bundleType !== undefined &&
    options.bundleType !== 'collection' &&
    options.bundleType !== 'transaction'
  ) {
    throw new RangeError(
      `unknown FHIR bundle type "${String(options.bundleType)}"; valid: collection, transaction`,
    );
  }
  if (
    options.requestMethod !== undefined &&
    options.requestMethod !== 'POST' &&
    options.requestMethod !== 'PUT'
  ) {
    throw new RangeError(`unknown FHIR request method "${String(options.requestMethod)}"; valid: POST, PUT`);
  }
}

/** The FHIR format with non-default options, e.g. `createFhirFormat({ bundleType: 'transaction' })`. */
export function createFhirFormat(formatOptions: FhirFormatOptions = {}): FormatSpec {
  checkOptions(formatOptions); // fail before any job starts
  return {
    format: 'fhir',
    fileName: 'patients.fhir.ndjson',
    contentType: 'application/fhir+ndjson',
    createStream: (options) => new FhirNdjsonTransform({ ...formatOptions, ...options }),
  };
}

/** FHIR R4 NDJSON, collection bundles. */
export const fhirFormat: FormatSpec = createFhirFormat();
