/** The OpenAPI document covers every route of the table, with responses and the error envelope. */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.js';
import { buildOpenApiDocument, OPERATIONS } from '../../../lib/api/index.js';

// biome-ignore lint/suspicious/noExplicitAny: the document is walked by path in assertions
const doc = buildOpenApiDocument(ROUTES) as any;

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with the API-key scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.ApiKeyAuth).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    expect(doc.components.schemas.ErrorEnvelope).toBeDefined();
  });

  it.each(ROUTES.map((r) => [r.name, r] as const))('documents %s', (_name, route) => {
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];
    expect(op).toBeDefined();
    const statuses = Object.keys(op.responses);
    expect(statuses.some((s) => /^[23]\d\d$/.test(s))).toBe(true);
    expect(statuses).toContain('500');
    const error = op.responses['500'].content['application/json'].schema;
    expect(error.$ref).toBe('#/components/schemas/ErrorEnvelope');
    if (route.auth !== 'public') {
      expect(op.security).toEqual([{ ApiKeyAuth: [] }]);
      expect(statuses).toContain('401');
    } else {
      expect(op.security).toEqual([]);
    }
    for (const param of route.path.match(/\{(\w+)\}/g) ?? []) {
      const name = param.slice(1, -1);
      expect(
        op.parameters?.some((p: { in: string; name: string }) => p.in === 'path' && p.name === name),
      ).toBe(true);
    }
  });

  it('has no operation for a route that does not exist', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(ROUTES.map((r) => r.name).sort());
  });

  it('fails loudly when the table gains a route the document lacks', () => {
    expect(() =>
      buildOpenApiDocument([...ROUTES, { name: 'new-route', method: 'GET', path: '/x', auth: 'public' }]),
    ).toThrow(/new-route/);
  });

  it("shows the generation request's total_patients maximum: the default cap, or the stage's", () => {
    // Prepare
    // biome-ignore lint/suspicious/noExplicitAny: walked by path
    const capped = buildOpenApiDocument(ROUTES, { maxPatientsPerJob: 5_000 }) as any;
    // Act
    const maxOf = (document: typeof doc) =>
      document.components.schemas.GenerationRequest.properties.total_patients.anyOf.find(
        (s: { type?: string }) => s.type === 'integer',
      ).maximum;
    // Assert
    expect(maxOf(doc)).toBe(1_000_000);
    expect(maxOf(capped)).toBe(5_000);
    expect(capped.paths['/api/v1/generation'].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/GenerationRequest',
    );
  });

  it('describes request bodies from the zod schemas', () => {
    const post = doc.paths['/api/v1/generation'].post;
    expect(post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/GenerationRequest',
    );
    const request = doc.components.schemas.GenerationRequest;
    expect(Object.keys(request.properties)).toEqual(
      expect.arrayContaining([
        'configuration_id',
        'configuration',
        'output_formats',
        'use_encryption',
        'encryption_password',
      ]),
    );
    expect(doc.paths['/api/v1/downloads/{job_id}'].get.responses['302'].headers.Location).toBeDefined();
  });

  it('documents 401, 403 and 429 and the RateLimit headers on every authenticated route, none on public ones', () => {
    for (const route of ROUTES) {
      // Act
      const op = doc.paths[route.path][route.method.toLowerCase()];
      const success = Object.entries(op.responses).find(([status]) => /^[23]/.test(status))?.[1] as {
        headers: Record<string, unknown>;
      };
      // Assert
      const authenticated = route.auth !== 'public';
      for (const status of ['401', '403', '429']) {
        expect(status in op.responses, `${route.name} ${status}`).toBe(authenticated);
      }
      for (const header of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) {
        expect(header in success.headers, `${route.name} ${header}`).toBe(authenticated);
      }
      if (authenticated) expect(op.responses['429'].headers['Retry-After']).toBeDefined();
    }
  });

  it('documents the admin key routes, rotate with an optional body', () => {
    // Act
    const keys = doc.paths['/api/v1/admin/keys'];
    const rotate = doc.paths['/api/v1/admin/keys/{key_id}/rotate'].post;
    // Assert
    expect(keys.post.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/IssuedApiKey',
    );
    expect(keys.get.parameters.map((p: { name: string }) => p.name)).toEqual(['owner', 'limit', 'cursor']);
    expect(rotate.requestBody.required).toBe(false);
    expect(
      doc.paths['/api/v1/admin/keys/{key_id}'].get.responses['200'].content['application/json'].schema.$ref,
    ).toBe('#/components/schemas/ApiKeyDetail');
  });

  it('documents the headers of a created job: Location and the Idempotency-Key replay mark', () => {
    // Act
    const headers = doc.paths['/api/v1/generation'].post.responses['201'].headers;
    // Assert
    expect(Object.keys(headers)).toEqual(expect.arrayContaining(['Location', 'Idempotent-Replayed']));
  });

  it('documents which job statuses are final, and a run awaiting its retry as queued with `retry`', () => {
    // Act
    const job = doc.components.schemas.Job;
    const retry = doc.components.schemas.JobRetry;
    // Assert (memory/fixes/0153-failed-shown-while-awaiting-its-retry.md)
    expect(job.properties.status.description).toMatch(/`failed`.*final.*retry still to come is `queued`/s);
    expect(job.required).not.toContain('retry');
    expect(job.properties.retry.$ref).toBe('#/components/schemas/JobRetry');
    expect(retry.required.sort()).toEqual(['attempts', 'last_error', 'max_attempts']);
  });

  it('documents that the generation request takes no field but its own', () => {
    // Act
    const request = doc.components.schemas.GenerationRequest;
    // Assert (memory/fixes/0155-generation-request-ignored-unknown-fields.md)
    expect(request.additionalProperties).toBe(false);
    expect(Object.keys(request.properties)).toContain('total_patients');
  });

  it('names in its descriptions only routes that exist', () => {
    // Prepare
    const texts: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string') texts.push(node);
      else if (node && typeof node === 'object') for (const value of Object.values(node)) walk(value);
    };
    walk(doc);
    const routeKeys = new Set(ROUTES.map((route) => `${route.method} ${route.path}`));
    // Act
    const named = texts.flatMap((text) =>
      [...text.matchAll(/\b(GET|POST|PUT|DELETE) (\/[\w/{}.-]+)/g)].map(([, method, path]) => ({
        method,
        path,
      })),
    );
    // Assert
    expect(named.length).toBeGreaterThan(0);
    for (const { method, path } of named) {
      expect(routeKeys.has(`${method} ${path}`), `${method} ${path} is not a route`).toBe(true);
    }
  });
});
