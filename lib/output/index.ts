/** Public names of the output layer: format registry, writers, the multi-format writer, summaries. */
export {
  CSV_COLUMNS,
  CSV_FORMAT,
  CSV_HEADER,
  type CsvColumn,
  CsvTransform,
  type CsvValue,
  csvField,
  csvRow,
} from './csv-writer.js';
export type { FormatOptions, FormatSpec } from './format-spec.js';
export { formatSpec, isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './formats.js';
export { JSON_FORMAT, JsonTransform } from './json-writer.js';
export { NDJSON_FORMAT, NdjsonTransform } from './ndjson-writer.js';
export {
  CHUNK_SIZE,
  type DocumentPart,
  documentPart,
  type PatientRange,
  RecordTransform,
  type WriterOptions,
} from './record-transform.js';
export {
  type PatientSummary,
  SummaryCollector,
  type SummaryDimension,
  type SummaryRow,
  summarise,
} from './summary.js';
export {
  type WritePatientsOptions,
  type WritePatientsResult,
  type WriteTarget,
  writePatients,
} from './write-patients.js';
