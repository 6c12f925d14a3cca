/** Helpers of the FHIR tests: a generated job as parsed bundles, reference resolution, codings. */
import { Readable } from 'node:stream';
import { type EventPlan, generate, type PatientRecord } from '../../../lib/generation/index.js';
import { createFhirFormat, type FhirFormatOptions } from '../../../lib/output/fhir/index.js';
import { readAll } from '../../support/zip.js';

export type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: tests walk parsed FHIR JSON freely
export type Loose = any;
export interface Entry {
  fullUrl: string;
  resource: Json & { resourceType: string; id: string };
  request?: { method: string; url: string };
}
export interface Bundle extends Json {
  resourceType: 'Bundle';
  id: string;
  type: string;
  entry: Entry[];
}

/** Writes the records through the format's stream and returns the bytes. */
export async function renderFhir(
  plan: EventPlan,
  options: FhirFormatOptions = {},
  records: Iterable<PatientRecord> = generate(plan),
): Promise<Buffer> {
  const stream = createFhirFormat(options).createStream({ plan });
  return readAll(Readable.from(records).pipe(stream));
}

export function parseNdjson(bytes: Buffer): Bundle[] {
  const text = bytes.toString('utf8');
  if (!text.endsWith('\n')) throw new Error('NDJSON must end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Bundle);
}

/** Every `reference` value anywhere in a resource, with its JSON path. */
export function referencesOf(value: unknown, path = ''): Array<{ path: string; reference: string }> {
  const out: Array<{ path: string; reference: string }> = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) out.push(...referencesOf(value[i], `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push({ path, reference: v });
      else out.push(...referencesOf(v, path ? `${path}.${k}` : k));
    }
  }
  return out;
}

/** Every Coding (an object with system and code) anywhere in a resource. */
export function codingsOf(value: unknown): Array<{ system: string; code: string; display?: string }> {
  const out: Array<{ system: string; code: string; display?: string }> = [];
  if (Array.isArray(value)) for (const v of value) out.push(...codingsOf(v));
  else if (value && typeof value === 'object') {
    const o = value as Json;
    if (typeof o.system === 'string' && typeof o.code === 'string' && !('value' in o)) {
      out.push({ system: o.system, code: o.code, display: o.display as string | undefined });
    }
    for (const v of Object.values(o)) out.push(...codingsOf(v));
  }
  return out;
}

/** Every UCUM Quantity (value, unit, system, code) anywhere in a resource. */
export function quantitiesOf(
  value: unknown,
): Array<{ value: number; unit: string; system: string; code: string }> {
  const out: Array<{ value: number; unit: string; system: string; code: string }> = [];
  if (Array.isArray(value)) for (const v of value) out.push(...quantitiesOf(v));
  else if (value && typeof value === 'object') {
    const o = value as Json;
    if (typeof o.value === 'number' && typeof o.system === 'string') out.push(o as never);
    for (const v of Object.values(o)) out.push(...quantitiesOf(v));
  }
  return out;
}

/**
 * Resolves a reference from inside `bundle` by the FHIR bundle rules: urn:uuid only against the
 * fullUrls of that same bundle, relative `Type/id` against the facilities bundle's resources (which a
 * consumer loads first). A urn:uuid of another bundle does not resolve.
 */
export function resolver(
  facilities: Bundle,
): (bundle: Bundle, reference: string) => Entry['resource'] | undefined {
  const shared = new Map<string, Entry['resource']>();
  for (const e of facilities.entry) shared.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
  const byBundle = new WeakMap<Bundle, Map<string, Entry['resource']>>();
  return (bundle, reference) => {
    let own = byBundle.get(bundle);
    if (!own) {
      own = new Map(bundle.entry.map((e) => [e.fullUrl, e.resource]));
      byBundle.set(bundle, own);
    }
    return reference.startsWith('urn:uuid:') ? own.get(reference) : shared.get(reference);
  };
}
