import { Readable } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  GENERATOR_VERSION,
  generate,
  type PatientRecord,
  SCHEMA_VERSION,
} from '../../../lib/generation/index.js';
import {
  escapeXmlAttribute,
  escapeXmlText,
  XML_ITEM_NAMES,
  XmlTransform,
  xmlFormat,
} from '../../../lib/output/xml-format.js';
import { readAll } from '../../support/zip.js';
import { testPlan } from './support.js';

const N = 400;
const plan = testPlan(N, 42);
const records = [...generate(plan)];

async function renderXml(
  input: readonly PatientRecord[],
  range?: { from: number; to: number },
): Promise<string> {
  const stream = range ? new XmlTransform({ plan, range }) : xmlFormat.createStream({ plan });
  return (await readAll(Readable.from(input).pipe(stream))).toString('utf8');
}

const ITEM_PATHS = new Set(
  Object.entries(XML_ITEM_NAMES).map(([list, item]) => `patients.patient.${list}.${item}`),
);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (_name, jpath) => jpath === 'patients.patient' || ITEM_PATHS.has(String(jpath)),
});

/** The record as the XML writer must render it: every leaf as its text, null as nil. */
function expectedOf(value: unknown): unknown {
  if (value === null) return { '@_nil': 'true' };
  if (Array.isArray(value)) return value.map(expectedOf);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, expectedOf(v)]));
  }
  return String(value);
}

/** A parsed <patient> with list containers unwrapped ({conditions: {condition: [...]}} → [...]). */
function unwrapLists(patient: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patient)) {
    const item = XML_ITEM_NAMES[k];
    if (item) out[k] = v === '' ? [] : ((v as Record<string, unknown>)[item] ?? []);
    else out[k] = v;
  }
  return out;
}

describe('xml format', () => {
  it('is registered as patients.xml, application/xml', () => {
    expect(xmlFormat.format).toBe('xml');
    expect(xmlFormat.fileName).toBe('patients.xml');
    expect(xmlFormat.contentType).toBe('application/xml');
  });

  it('writes one well-formed document with a declaration and a <patients> root', async () => {
    // Act
    const xml = await renderXml(records);
    // Assert
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<patients ')).toBe(true);
    expect(xml.endsWith('</patients>\n')).toBe(true);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    expect(doc.patients['@_schema_version']).toBe(SCHEMA_VERSION);
    expect(doc.patients['@_generator_version']).toBe(GENERATOR_VERSION);
    expect(doc.patients['@_count']).toBe(String(N));
    expect(doc.patients['@_seed']).toBe('42');
    expect(doc.patients['@_scenario']).toBe(plan.scenario.name);
    expect(doc.patients.patient).toHaveLength(N);
  });

  it('holds the same data as the JSON records, field for field and in order', async () => {
    // Act
    const doc = parser.parse(await renderXml(records));
    // Assert: every patient, every field (nested objects, lists, null as nil).
    doc.patients.patient.forEach((p: Record<string, unknown>, i: number) => {
      const actual = unwrapLists(p);
      expect(actual).toEqual(expectedOf(records[i]));
      expect(Object.keys(actual)).toEqual(Object.keys(records[i]));
    });
  });

  it('escapes markup characters and replaces characters XML 1.0 forbids', async () => {
    // Prepare: a hand-made record whose names and ids carry everything that can break a document.
    const record: PatientRecord = structuredClone(records[0]);
    record.demographics.given_name = `<script>&amp;"quoted" 'single'`;
    record.demographics.family_name = `O'Brien & Sons <Ltd> ]]> \r\n\ttab`;
    record.front = `bad\u0001ctrl\u0008 lone\uD800surrogate \uFFFE ok😀`;
    record.event_id = '</patient><patient>';
    // Act
    const xml = await renderXml([record, ...records.slice(1)]);
    // Assert
    expect(XMLValidator.validate(xml)).toBe(true);
    const [p] = parser.parse(xml).patients.patient;
    expect(p.demographics.given_name).toBe(record.demographics.given_name);
    expect(p.demographics.family_name).toBe(record.demographics.family_name);
    expect(p.front).toBe('bad\uFFFDctrl\uFFFD lone\uFFFDsurrogate \uFFFD ok😀');
    expect(p.event_id).toBe('</patient><patient>');
    for (const c of ['\u0001', '\u0008', '\uFFFE']) expect(xml.includes(c)).toBe(false);
  });

  it('escapes the scenario name in the root attributes', async () => {
    // Prepare
    const odd = testPlan(3, 'seed "with" <quotes> & tabs\t');
    const stream = xmlFormat.createStream({ plan: odd });
    // Act
    const xml = (await readAll(Readable.from([...generate(odd)]).pipe(stream))).toString('utf8');
    // Assert
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).patients['@_seed']).toBe('seed "with" <quotes> & tabs\t');
    expect(escapeXmlAttribute('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
    expect(escapeXmlText('plain text stays as is')).toBe('plain text stays as is');
  });

  it('writes a valid, empty document for an empty job', async () => {
    const xml = await renderXml([]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).patients.patient).toBeUndefined();
  });

  it('is deterministic and gives the same bytes whatever the split into ranges', async () => {
    // Act
    const whole = await renderXml(records);
    const again = await renderXml([...generate(testPlan(N, 42))]);
    const parts = await Promise.all([
      renderXml(records.slice(0, 1), { from: 0, to: 1 }),
      renderXml(records.slice(1, 250), { from: 1, to: 250 }),
      renderXml(records.slice(250), { from: 250, to: N }),
    ]);
    // Assert
    expect(again).toBe(whole);
    expect(parts.join('')).toBe(whole);
  });
});
