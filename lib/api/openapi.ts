/**
 * The OpenAPI 3.1 document served at GET /openapi.json, generated from the same zod schemas the
 * handlers validate with (zod-openapi `createDocument`). Routes come from the route table the caller
 * passes in; every route must have an operation here, so the document cannot fall behind the API.
 */
import * as z from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import {
  ApiKeyDetailSchema,
  ApiKeyViewSchema,
  CreateApiKeyRequestSchema,
  DEFAULT_ROTATION_GRACE_HOURS,
  IssuedApiKeySchema,
  RotateApiKeyRequestSchema,
} from '../domain/index.js';
import { GENERATOR_VERSION, SCHEMA_VERSION } from '../generation/index.js';
import {
  PresetCategoriesSchema,
  PresetDetailSchema,
  PresetListQuerySchema,
  PresetListSchema,
} from './presets.js';
import {
  ConditionReferenceSchema,
  ConditionTypeSchema,
  FacilityTypeSchema,
  NationalitySchema,
  StaticFrontSchema,
  WarfareTypeSchema,
} from './reference-data.js';
import {
  ApiHealthSchema,
  ApiKeyGetQuerySchema,
  ApiKeyListQuerySchema,
  ApiKeyListSchema,
  ConfigurationInputSchema,
  ConfigurationListQuerySchema,
  ConfigurationListSchema,
  ConfigurationPathSchema,
  ConfigurationSchema,
  ConfigurationVersionListSchema,
  ConfigurationVersionPathSchema,
  CursorPageQuerySchema,
  DeleteResponseSchema,
  DownloadLinkSchema,
  DownloadQuerySchema,
  ErrorEnvelopeSchema,
  GatewayErrorSchema,
  GenerationRequestSchema,
  GenerationResponseSchema,
  generationRequestBodySchema,
  HealthSchema,
  JobListSchema,
  JobPathSchema,
  JobResultsSchema,
  JobScenarioSchema,
  JobSchema,
  KeyPathSchema,
  PresetPathSchema,
  ResultsQuerySchema,
  ValidationResultSchema,
} from './schemas.js';

/** What the builder needs to know of a route (functions/routes.ts RouteDefinition). */
export interface OpenApiRoute {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly auth: 'public' | 'generate' | 'admin';
}

interface Operation {
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly path?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The body may be omitted (every field has a default). */
  readonly bodyOptional?: boolean;
  /** Success responses by status. */
  readonly ok: Record<string, { description: string; schema?: z.ZodType; headers?: Record<string, string> }>;
  /** Error statuses this operation can answer (401, 403, 429 and 500 are added as applicable). */
  readonly errors: readonly number[];
}

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (bad JSON, missing body, a cursor that is not one of this list)',
  401: 'Missing API Key or Invalid API Key (unknown, revoked or expired)',
  403: "The key lacks this route's scope (details.required_scope), or a per-key limit refuses the request",
  404: 'Not found (or owned by another tenant)',
  409: 'Conflict with the current state',
  413: 'Request body larger than 1 MiB',
  422: 'Validation failed; details.errors lists each field path and message',
  429: "Rate limited: the key's requests per minute (see Retry-After) or a job quota",
  500: 'Unexpected error; quote request_id',
  503: 'A backing service is unavailable',
};

const IdempotencyHeaderSchema = z.object({
  'Idempotency-Key': z.string().max(255).optional().meta({
    description:
      'Repeat a request safely for 24 h: the same key returns the job it already created (409 if that job was deleted, or if the key came with another request)',
  }),
});

const JSON_BODY_ERRORS = [400, 413, 422];

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'create-generation-job': {
    summary: 'Create a patient generation job',
    description:
      'Exactly one of configuration_id (a saved configuration, "default" or a preset id) or configuration (inline). ' +
      'The job runs asynchronously: poll GET /api/v1/jobs/{job_id}, then download.',
    tags: ['generation'],
    headers: IdempotencyHeaderSchema,
    body: GenerationRequestSchema,
    ok: {
      '201': {
        description: 'Job created, or the job an Idempotency-Key already created',
        schema: GenerationResponseSchema,
        headers: {
          Location: 'The job: /api/v1/jobs/{job_id}',
          'Idempotent-Replayed': '`true` when an Idempotency-Key replay returned the job it already created',
        },
      },
    },
    errors: [...JSON_BODY_ERRORS, 404, 409, 503],
  },
  'list-jobs': {
    summary: "List the caller's jobs, newest first",
    tags: ['jobs'],
    query: CursorPageQuerySchema,
    ok: { '200': { description: 'One page of jobs', schema: JobListSchema } },
    errors: [400, 422],
  },
  'get-job': {
    summary: 'Get a job with its progress phase and counts',
    tags: ['jobs'],
    path: JobPathSchema,
    ok: { '200': { description: 'The job', schema: JobSchema } },
    errors: [404, 422],
  },
  'get-job-scenario': {
    summary: 'The exact scenario a job ran, with its seed',
    description:
      'Read from the job, so it is there even when the stored configuration the job named was deleted or ' +
      'its preset changed since. POST /api/v1/generation with `configuration` = `scenario` and the same ' +
      '`seed` gives the same patients, byte for byte.',
    tags: ['jobs'],
    path: JobPathSchema,
    ok: { '200': { description: 'The scenario and seed', schema: JobScenarioSchema } },
    errors: [404, 422],
  },
  'get-job-results': {
    summary: "A page of a completed job's patients",
    description:
      "Read from the job's JSON or NDJSON file. A 409 answers a job that is not completed, one that is " +
      'encrypted (the server does not keep the password) and one that wrote neither JSON nor NDJSON ' +
      '(its `details.output_formats` say what it wrote).',
    tags: ['jobs'],
    path: JobPathSchema,
    query: ResultsQuerySchema,
    ok: { '200': { description: 'One page of patient records', schema: JobResultsSchema } },
    errors: [404, 409, 422],
  },
  'cancel-job': {
    summary: 'Cancel a pending or running job (the worker stops between batches)',
    description:
      'A job whose run failed with its automatic retry still to come (shown `queued` with `retry`) is ' +
      'cancelled too, so the retry does not run it. A completed or cancelled job, or one failed for good, ' +
      'is a 409 naming its status.',
    tags: ['jobs'],
    path: JobPathSchema,
    ok: { '200': { description: 'The cancelled job', schema: JobSchema } },
    errors: [404, 409, 422],
  },
  'delete-job': {
    summary: 'Delete a job and its files',
    tags: ['jobs'],
    path: JobPathSchema,
    ok: { '200': { description: 'Deleted', schema: DeleteResponseSchema } },
    errors: [404, 422],
  },
  'download-job': {
    summary: "Download a completed job's output",
    description:
      'Redirects (302) to a presigned URL valid for 5 minutes: the ZIP of all files, or one format. ' +
      'With `redirect=false` the link is answered as JSON (200) instead.',
    tags: ['jobs'],
    path: JobPathSchema,
    query: DownloadQuerySchema,
    ok: {
      '200': { description: 'The link, with `redirect=false`', schema: DownloadLinkSchema },
      '302': {
        description: 'Redirect to the file',
        headers: { Location: 'The presigned URL (valid 5 minutes)' },
      },
    },
    errors: [404, 409, 422],
  },
  'create-configuration': {
    summary: 'Save a configuration (version 1)',
    tags: ['configurations'],
    body: ConfigurationInputSchema,
    ok: { '201': { description: 'The saved configuration', schema: ConfigurationSchema } },
    errors: JSON_BODY_ERRORS,
  },
  'list-configurations': {
    summary: "List the caller's configurations (latest versions)",
    tags: ['configurations'],
    query: ConfigurationListQuerySchema,
    ok: { '200': { description: 'One page of configurations', schema: ConfigurationListSchema } },
    errors: [400, 422],
  },
  'get-configuration': {
    summary: 'Get the latest version of a configuration',
    tags: ['configurations'],
    path: ConfigurationPathSchema,
    ok: { '200': { description: 'The configuration', schema: ConfigurationSchema } },
    errors: [404, 422],
  },
  'update-configuration': {
    summary: 'Replace a configuration: writes version n+1, earlier versions stay readable',
    tags: ['configurations'],
    path: ConfigurationPathSchema,
    body: ConfigurationInputSchema,
    ok: { '200': { description: 'The new version', schema: ConfigurationSchema } },
    errors: [...JSON_BODY_ERRORS, 404, 409],
  },
  'delete-configuration': {
    summary: 'Delete a configuration and all its versions',
    tags: ['configurations'],
    path: ConfigurationPathSchema,
    ok: { '204': { description: 'Deleted' } },
    errors: [404, 409, 422],
  },
  'list-configuration-versions': {
    summary: 'The version history of a configuration, oldest first',
    tags: ['configurations'],
    path: ConfigurationPathSchema,
    query: CursorPageQuerySchema,
    ok: { '200': { description: 'Versions', schema: ConfigurationVersionListSchema } },
    errors: [400, 404, 422],
  },
  'get-configuration-version': {
    summary: 'One immutable version of a configuration',
    tags: ['configurations'],
    path: ConfigurationVersionPathSchema,
    ok: { '200': { description: 'The configuration at that version', schema: ConfigurationSchema } },
    errors: [404, 422],
  },
  'validate-configuration': {
    summary: 'Validate a configuration without saving it',
    description: 'Always 200 for a JSON body: valid is false and errors lists each field path and message.',
    tags: ['configurations'],
    body: ConfigurationInputSchema,
    ok: { '200': { description: 'The verdict', schema: ValidationResultSchema } },
    errors: [400, 413],
  },
  'list-nationalities': {
    summary: 'The 32 NATO nations (ISO 3166-1 alpha-3)',
    tags: ['reference'],
    ok: { '200': { description: 'Nations', schema: z.array(NationalitySchema) } },
    errors: [],
  },
  'list-condition-types': {
    summary: 'Injury categories',
    tags: ['reference'],
    ok: { '200': { description: 'Categories', schema: z.array(ConditionTypeSchema) } },
    errors: [],
  },
  'list-conditions': {
    summary: 'The SNOMED CT condition table the generator draws from',
    tags: ['reference'],
    ok: { '200': { description: 'Conditions', schema: z.array(ConditionReferenceSchema) } },
    errors: [],
  },
  'list-facility-types': {
    summary: 'The chain of care: point of injury to Role 4',
    tags: ['reference'],
    ok: { '200': { description: 'Facilities', schema: z.array(FacilityTypeSchema) } },
    errors: [],
  },
  'list-warfare-types': {
    summary: 'Warfare types a scenario can enable',
    tags: ['reference'],
    ok: { '200': { description: 'Warfare types', schema: z.array(WarfareTypeSchema) } },
    errors: [],
  },
  'list-static-fronts': {
    summary: "The default scenario's fronts",
    tags: ['reference'],
    ok: { '200': { description: 'Fronts', schema: z.array(StaticFrontSchema) } },
    errors: [],
  },
  'list-presets': {
    summary: 'Scenario presets',
    tags: ['presets'],
    query: PresetListQuerySchema,
    ok: { '200': { description: 'Presets, categories and difficulty levels', schema: PresetListSchema } },
    errors: [422],
  },
  'list-preset-categories': {
    summary: 'Preset categories with counts',
    tags: ['presets'],
    ok: { '200': { description: 'Categories', schema: PresetCategoriesSchema } },
    errors: [],
  },
  'get-preset': {
    summary: 'A preset and a ready-made generation configuration',
    tags: ['presets'],
    path: PresetPathSchema,
    ok: { '200': { description: 'The preset', schema: PresetDetailSchema } },
    errors: [404, 422],
  },
  'create-api-key': {
    summary: 'Create an API key (admin)',
    description:
      'The key is in `api_key` of this answer only: it is never stored or shown again. Limits: the preset ' +
      "(`standard` = the stage's defaults, or `demo`), then `limits` over them.",
    tags: ['admin'],
    body: CreateApiKeyRequestSchema,
    ok: {
      '201': {
        description: 'The new key, in clear once',
        schema: IssuedApiKeySchema,
        headers: { Location: 'The key: /api/v1/admin/keys/{key_id}' },
      },
    },
    errors: JSON_BODY_ERRORS,
  },
  'list-api-keys': {
    summary: 'List API keys, newest first (admin)',
    tags: ['admin'],
    query: ApiKeyListQuerySchema,
    ok: { '200': { description: 'One page of keys (never a secret)', schema: ApiKeyListSchema } },
    errors: [400, 422],
  },
  'get-api-key': {
    summary: 'A key with its use per UTC day (admin)',
    tags: ['admin'],
    path: KeyPathSchema,
    query: ApiKeyGetQuerySchema,
    ok: { '200': { description: 'The key and its usage, today first', schema: ApiKeyDetailSchema } },
    errors: [404, 422],
  },
  'rotate-api-key': {
    summary: 'Issue a new secret for a key (admin)',
    description:
      `The old secret keeps working for \`grace_period_hours\` (default ${DEFAULT_ROTATION_GRACE_HOURS}; 0 stops it at once). ` +
      'The body may be omitted. The new key is in `api_key` of this answer only. A revoked key cannot be ' +
      'rotated (409).',
    tags: ['admin'],
    path: KeyPathSchema,
    body: RotateApiKeyRequestSchema,
    bodyOptional: true,
    ok: { '200': { description: 'The key with its new secret, in clear once', schema: IssuedApiKeySchema } },
    errors: [...JSON_BODY_ERRORS, 404, 409],
  },
  'revoke-api-key': {
    summary: 'Revoke a key (admin)',
    description:
      'The key stops working within the authorizer cache time (60 s deployed, at once locally). ' +
      'The last active admin key is refused with 409 (`details.rule`: `last_active_admin_key`): create another admin key first.',
    tags: ['admin'],
    path: KeyPathSchema,
    ok: { '200': { description: 'The revoked key', schema: ApiKeyViewSchema } },
    errors: [404, 409, 422],
  },
  health: {
    summary: 'Liveness',
    tags: ['health'],
    ok: { '200': { description: 'Alive', schema: HealthSchema } },
    errors: [],
  },
  'api-health': {
    summary: 'Readiness: checks the backing services',
    tags: ['health'],
    ok: { '200': { description: 'Healthy', schema: ApiHealthSchema } },
    errors: [],
  },
  openapi: {
    summary: 'This document',
    tags: ['health'],
    ok: { '200': { description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
    errors: [],
  },
};

const REQUEST_ID_HEADER_DOC = {
  'X-Request-Id': {
    description: 'The request id (also in error bodies and logs)',
    schema: { type: 'string' as const },
  },
};

/** On every response of an authenticated route, errors included (IETF RateLimit header fields). */
const RATE_LIMIT_HEADERS_DOC = {
  'RateLimit-Limit': {
    description: "The key's requests per minute",
    schema: { type: 'string' as const },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current minute',
    schema: { type: 'string' as const },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the current minute window resets',
    schema: { type: 'string' as const },
  },
};

const RETRY_AFTER_HEADER_DOC = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'string' as const },
  },
};

const isAuthenticated = (route: OpenApiRoute) => route.auth !== 'public';

function operationObject(route: OpenApiRoute, op: Operation): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  const authenticated = isAuthenticated(route);
  const baseHeaders = authenticated
    ? { ...REQUEST_ID_HEADER_DOC, ...RATE_LIMIT_HEADERS_DOC }
    : { ...REQUEST_ID_HEADER_DOC };
  for (const [status, r] of Object.entries(op.ok)) {
    const headers: Record<string, { description: string; schema: { type: 'string' } }> = {
      ...baseHeaders,
    };
    for (const [name, description] of Object.entries(r.headers ?? {}))
      headers[name] = { description, schema: { type: 'string' } };
    responses[status] = {
      description: r.description,
      headers,
      ...(r.schema ? { content: json(r.schema) } : {}),
    };
  }
  const errors = new Set<number>(op.errors);
  if (authenticated) {
    errors.add(401);
    errors.add(403);
    errors.add(429);
  }
  errors.add(500);
  if (route.name === 'api-health') errors.add(503);
  for (const status of [...errors].sort()) {
    const schema = route.name === 'api-health' && status === 503 ? ApiHealthSchema : ErrorEnvelopeSchema;
    responses[String(status)] = {
      description:
        route.name === 'api-health' && status === 503 ? 'Unhealthy' : (ERROR_DESCRIPTIONS[status] ?? 'Error'),
      headers: {
        ...(status === 401 ? REQUEST_ID_HEADER_DOC : baseHeaders),
        ...(status === 429 ? RETRY_AFTER_HEADER_DOC : {}),
      },
      content: json(schema),
    };
  }
  return {
    operationId: route.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [...op.tags],
    ...(authenticated ? { security: [{ ApiKeyAuth: [] }] } : { security: [] }),
    ...(op.path || op.query || op.headers
      ? {
          requestParams: {
            ...(op.path ? { path: op.path } : {}),
            ...(op.query ? { query: op.query } : {}),
            ...(op.headers ? { header: op.headers } : {}),
          },
        }
      : {}),
    ...(op.body ? { requestBody: { required: !op.bodyOptional, content: json(op.body) } } : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

export interface OpenApiOptions {
  readonly serverUrl?: string;
  readonly version?: string;
  /**
   * The stage's per-job patient cap (MAX_PATIENTS_PER_JOB): the generation request's total_patients
   * maximum. @default DEFAULT_MAX_PATIENTS_PER_JOB
   */
  readonly maxPatientsPerJob?: number;
}

/** The operations under a stage's cap: only the generation request's body depends on it. */
function operationsFor(maxPatientsPerJob: number | undefined): Readonly<Record<string, Operation>> {
  if (maxPatientsPerJob === undefined) return OPERATIONS;
  const create = OPERATIONS['create-generation-job'];
  return {
    ...OPERATIONS,
    'create-generation-job': { ...create, body: generationRequestBodySchema(maxPatientsPerJob) },
  };
}

/** Builds the document for `routes`; throws if a route has no operation (the table and the docs drifted). */
export function buildOpenApiDocument(routes: readonly OpenApiRoute[], options: OpenApiOptions = {}) {
  const paths: ZodOpenApiPathsObject = {};
  const operations = operationsFor(options.maxPatientsPerJob);
  for (const route of routes) {
    const op = operations[route.name];
    if (!op) throw new Error(`route ${route.name} has no OpenAPI operation in lib/api/openapi.ts`);
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    paths[route.path] = { ...paths[route.path], [method]: operationObject(route, op) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Military Medical Exercise Patient Generator API',
      version: options.version ?? GENERATOR_VERSION,
      description:
        'Deterministic synthetic NATO casualties for medical exercises. Authenticate with the X-API-Key header: ' +
        'a key with scope `generate` for jobs, configurations and presets, `admin` for /api/v1/admin/keys. ' +
        'Authenticated responses carry RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; over the ' +
        "key's requests per minute the API answers 429 with Retry-After. " +
        `Patient records follow schema version ${SCHEMA_VERSION}. Errors use one envelope (ErrorEnvelope). ` +
        'Paths accept an optional trailing slash; unknown routes answer 404 with the error envelope (code NOT_FOUND).',
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
    tags: [
      { name: 'generation', description: 'Create generation jobs' },
      { name: 'jobs', description: 'Follow, cancel, read and download jobs' },
      { name: 'configurations', description: 'Saved scenarios with immutable versions' },
      { name: 'reference', description: 'Public reference data' },
      { name: 'presets', description: 'Ready-made scenarios' },
      { name: 'admin', description: 'API keys: create, list, show with usage, rotate, revoke (admin scope)' },
      { name: 'health', description: 'Health and this document' },
    ],
    components: {
      securitySchemes: { ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      responses: {
        MissingAuthenticationToken: {
          description: 'Unknown route (answered by API Gateway)',
          content: json(GatewayErrorSchema),
        },
      },
    },
    paths,
  });
}
