/**
 * The `xml` output format: one well-formed XML 1.0 document holding the same data as the JSON output.
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <patients schema_version="1.0.0" generator_version="0.1.0" count="N" seed="42" scenario="…">
 *   <patient><schema_version>1.0.0</schema_version><id>0</id>…</patient>
 *   …
 *   </patients>
 *
 * Each record field becomes an element of the same name, in the record's order; objects nest; arrays
 * become a container element holding one element per item (conditions/condition, treatments/treatment,
 * medications/medication, allergies/allergy, vital_signs/vital_sign, movement_timeline/event,
 * facilities_visited/facility); numbers are written
 * as in JSON, booleans as true/false, and null as an empty element with nil="true". Text is escaped
 * (& < > " ' and CR); characters XML 1.0 forbids (C0 controls other than TAB/LF/CR, lone surrogates,
 * U+FFFE/U+FFFF) are replaced by U+FFFD. Streamed on RecordTransform: ranges give parts that
 * concatenate to the whole document.
 */
import { GENERATOR_VERSION, type PatientRecord, SCHEMA_VERSION } from '../generation/index.js';
import type { FormatSpec } from './format-spec.js';
import { RecordTransform, type WriterOptions } from './record-transform.js';

/** Element name of the items of each array field. */
export const XML_ITEM_NAMES: Readonly<Record<string, string>> = {
  conditions: 'condition',
  treatments: 'treatment',
  medications: 'medication',
  allergies: 'allergy',
  vital_signs: 'vital_sign',
  movement_timeline: 'event',
  facilities_visited: 'facility',
};

/** Characters XML 1.0 does not allow (C0 controls but TAB, LF, CR; surrogates unless paired; U+FFFE/F). */
const INVALID = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uD800-\\uDFFF\\uFFFE\\uFFFF';
const NEEDS_ESCAPE = new RegExp(`[&<>"'\\r${INVALID}]`);
const ESCAPES = new RegExp(`[&<>"'\\r]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[${INVALID}]`, 'g');
const ATTRIBUTE_NEEDS_ESCAPE = /[\t\n]/;
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Escapes text for element content; invalid XML 1.0 characters become U+FFFD. */
export function escapeXmlText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPES, (m) => (m.length === 2 ? m : (ENTITY[m] ?? '\uFFFD')));
}

/** Escapes text for an attribute value (also TAB and LF, which attribute normalisation would eat). */
export function escapeXmlAttribute(text: string): string {
  const escaped = escapeXmlText(text);
  return ATTRIBUTE_NEEDS_ESCAPE.test(escaped) ? escaped.replace(/[\t\n]/g, (m) => ENTITY[m]) : escaped;
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const names = new Map<string, string>();
/** An element name for a field name (record fields are already valid names). */
function elementName(key: string): string {
  let name = names.get(key);
  if (name === undefined) {
    name = VALID_NAME.test(key) && !/^xml/i.test(key) ? key : `_${key.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    names.set(key, name);
  }
  return name;
}

function valueXml(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name} nil="true"/>`;
  switch (typeof value) {
    case 'string':
      return `<${name}>${escapeXmlText(value)}</${name}>`;
    case 'number':
      return `<${name}>${Number.isFinite(value) ? String(value) : ''}</${name}>`;
    case 'boolean':
      return `<${name}>${value}</${name}>`;
    default:
      break;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    const item = XML_ITEM_NAMES[name] ?? 'item';
    let out = `<${name}>`;
    for (const v of value) out += valueXml(item, v);
    return `${out}</${name}>`;
  }
  return `<${name}>${fieldsXml(value as Record<string, unknown>)}</${name}>`;
}

function fieldsXml(object: Record<string, unknown>): string {
  let out = '';
  for (const key in object) {
    if (Object.hasOwn(object, key)) out += valueXml(elementName(key), object[key]);
  }
  return out;
}

/** One `<patient>` element (with a trailing newline). */
export function patientXml(record: PatientRecord): string {
  return `<patient>${fieldsXml(record as unknown as Record<string, unknown>)}</patient>\n`;
}

/** The XML declaration and the opening root element of a job's document. */
export function xmlHeader(options: WriterOptions): string {
  const { plan } = options;
  const attr = (name: string, value: string | number) => ` ${name}="${escapeXmlAttribute(String(value))}"`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<patients' +
    attr('schema_version', SCHEMA_VERSION) +
    attr('generator_version', GENERATOR_VERSION) +
    attr('count', plan.totalPatients) +
    attr('seed', String(plan.seed)) +
    attr('scenario', plan.scenario.name) +
    '>\n'
  );
}

export const XML_FOOTER = '</patients>\n';

export class XmlTransform extends RecordTransform {
  private readonly options: WriterOptions;

  constructor(options: WriterOptions) {
    super(options);
    this.options = options;
  }

  protected override header(): string {
    return xmlHeader(this.options);
  }

  protected override encode(record: PatientRecord): void {
    this.append(patientXml(record));
  }

  protected override footer(): string {
    return XML_FOOTER;
  }
}

export const xmlFormat: FormatSpec = {
  format: 'xml',
  fileName: 'patients.xml',
  contentType: 'application/xml',
  createStream: (options) => new XmlTransform(options),
};
