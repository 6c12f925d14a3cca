/**
 * The OpenAPI document allows what the API accepts: request values are checked against the document
 * (JSON Schema, ajv) and against the zod schema the route validates with, and both must agree.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.js';
import {
  buildOpenApiDocument,
  DownloadQuerySchema,
  GenerationRequestSchema,
} from '../../../lib/api/index.js';

// biome-ignore lint/suspicious/noExplicitAny: the document is walked by path
const doc = buildOpenApiDocument(ROUTES) as any;
// Formats (date-time) play no part in the values checked here.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...doc, $id: 'openapi' });

/** Whether the document's schema at `pointer` accepts `value`. */
function documentAccepts(pointer: string, value: unknown): boolean {
  const validate = ajv.compile({ $ref: `openapi#${pointer}` });
  return validate(value) as boolean;
}

const base = { configuration_id: 'default', total_patients: 10 };
const bodies: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['known formats', { ...base, output_formats: ['json', 'csv'] }],
  ['an unknown format', { ...base, output_formats: ['pdf'] }],
  ['a format in upper case', { ...base, output_formats: ['JSON'] }],
  ['a whole-number seed', { ...base, seed: 42 }],
  ['the largest seed', { ...base, seed: Number.MAX_SAFE_INTEGER }],
  ['a negative seed', { ...base, seed: -1 }],
  ['a fractional seed', { ...base, seed: 1.5 }],
  ['a seed past the safe integers', { ...base, seed: 2 ** 60 }],
  ['a text seed', { ...base, seed: 'exercise-7' }],
  ['an empty text seed', { ...base, seed: '' }],
  ['a text seed of 129 characters', { ...base, seed: 's'.repeat(129) }],
];

describe('OpenAPI document and the request validation agree', () => {
  it.each(bodies)('POST /api/v1/generation with %s', (_name, body) => {
    // Prepare
    const pointer = '/components/schemas/GenerationRequest';
    // Act
    const documented = documentAccepts(pointer, body);
    const accepted = GenerationRequestSchema.safeParse(body).success;
    // Assert
    expect(documented).toBe(accepted);
  });

  it.each(['zip', 'csv', 'fhir', 'pdf', 'zip.gz'])('GET /api/v1/downloads/{job_id}?format=%s', (format) => {
    // Prepare
    const parameters = doc.paths['/api/v1/downloads/{job_id}'].get.parameters as { name: string }[];
    const index = parameters.findIndex((p) => p.name === 'format');
    const pointer = `/paths/${encodeURIComponent('/api/v1/downloads/{job_id}'.replaceAll('/', '~1'))}/get/parameters/${index}/schema`;
    // Act
    const documented = documentAccepts(pointer, format);
    const accepted = DownloadQuerySchema.safeParse({ format }).success;
    // Assert
    expect(documented).toBe(accepted);
  });

  it('keeps the messages that name the rule', () => {
    // Act
    const messages = (body: Record<string, unknown>) =>
      GenerationRequestSchema.safeParse(body).error?.issues.map((issue) => issue.message);
    // Assert
    expect(messages({ ...base, output_formats: ['json', 'pdf'] })).toEqual([
      "Invalid output format: pdf. Valid formats: ['json', 'ndjson', 'csv', 'fhir', 'xml']",
    ]);
    expect(messages({ ...base, output_formats: ['x'.repeat(40)] })).toEqual([
      "Invalid output format. Valid formats: ['json', 'ndjson', 'csv', 'fhir', 'xml']",
    ]);
    expect(messages({ ...base, seed: 1.5 })).toEqual(['seed must be an integer']);
    expect(messages({ ...base, seed: -1 })).toEqual(['seed must be between 0 and 9007199254740991']);
    expect(messages({ ...base, seed: 2 ** 60 })).toEqual(['seed must be between 0 and 9007199254740991']);
    expect(messages({ ...base, seed: '' })).toEqual(['seed must be 1 to 128 characters long']);
    expect(messages({ ...base, seed: true })).toEqual(['seed must be an integer or a string']);
  });
});
