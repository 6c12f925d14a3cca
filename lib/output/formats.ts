/**
 * The registry of output formats. Adding a format (fhir, xml) is one entry in FORMAT_SPECS: the
 * list, the type, the CLI's --format and writePatients pick it up. writePatients passes
 * `WriterOptions` (the FormatSpec options plus `range`); a writer with a header or footer must honour
 * `range` (see `documentPart`, or extend `RecordTransform`) so that chunked jobs concatenate to the
 * bytes of the whole document.
 */
import { CSV_FORMAT } from './csv-writer.js';
import type { FormatSpec } from './format-spec.js';
import { JSON_FORMAT } from './json-writer.js';
import { NDJSON_FORMAT } from './ndjson-writer.js';

const FORMAT_SPECS = {
  json: JSON_FORMAT,
  ndjson: NDJSON_FORMAT,
  csv: CSV_FORMAT,
} as const satisfies Record<string, FormatSpec>;

export type OutputFormat = keyof typeof FORMAT_SPECS;

/** Every format, in the order files are listed. */
export const OUTPUT_FORMATS = Object.keys(FORMAT_SPECS) as readonly OutputFormat[];

export function isOutputFormat(value: string): value is OutputFormat {
  return Object.hasOwn(FORMAT_SPECS, value);
}

export function formatSpec(format: OutputFormat): FormatSpec {
  if (!isOutputFormat(format)) {
    throw new RangeError(
      `unknown output format "${String(format)}"; valid formats: ${OUTPUT_FORMATS.join(', ')}`,
    );
  }
  return FORMAT_SPECS[format];
}
