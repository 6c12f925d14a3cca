/**
 * The registry of output formats. Adding a format is one entry in FORMAT_SPECS: the list, the type,
 * the CLI's --format and writePatients pick it up. writePatients passes `WriterOptions` (the
 * FormatSpec options plus `range`); a writer with a header or footer must honour `range` (see
 * `documentPart`, or extend `RecordTransform`) so that chunked jobs concatenate to the bytes of the
 * whole document.
 *
 * Formats with options of their own (FHIR: bundle type, request method) are registered with their
 * defaults; `formatSpec(format, options)` gives the spec for other options.
 */
import { CSV_FORMAT } from './csv-writer.js';
import { createFhirFormat, type FhirFormatOptions, fhirFormat } from './fhir/index.js';
import type { FormatSpec } from './format-spec.js';
import { JSON_FORMAT } from './json-writer.js';
import { NDJSON_FORMAT } from './ndjson-writer.js';
import { xmlFormat } from './xml-format.js';

const FORMAT_SPECS = {
  json: JSON_FORMAT,
  ndjson: NDJSON_FORMAT,
  csv: CSV_FORMAT,
  fhir: fhirFormat,
  xml: xmlFormat,
} as const satisfies Record<string, FormatSpec>;

export type OutputFormat = keyof typeof FORMAT_SPECS;

/** Every format, in the order files are listed. */
export const OUTPUT_FORMATS = Object.keys(FORMAT_SPECS) as readonly OutputFormat[];

/** Options of the formats that have some; a format ignores the options of the others. */
export interface OutputFormatOptions {
  /** `fhir`: bundle type (collection by default) and transaction request method. */
  readonly fhir?: FhirFormatOptions;
}

export function isOutputFormat(value: string): value is OutputFormat {
  return Object.hasOwn(FORMAT_SPECS, value);
}

/**
 * The spec of a format, with its default options or with `options`. Throws a RangeError for an
 * unknown format or invalid options (before any job starts).
 */
export function formatSpec(format: OutputFormat, options: OutputFormatOptions = {}): FormatSpec {
  if (!isOutputFormat(format)) {
    throw new RangeError(
      `unknown output format "${String(format)}"; valid formats: ${OUTPUT_FORMATS.join(', ')}`,
    );
  }
  if (format === 'fhir' && options.fhir !== undefined) return createFhirFormat(options.fhir);
  return FORMAT_SPECS[format];
}
