/**
 * HTTP-only schemas (path, query, envelopes, list wrappers): written once, used by the handlers to
 * validate and by the OpenAPI document to describe. Resource schemas (job, configuration, generation
 * request, patient record) live with their domain and are only wrapped here.
 */
import * as z from 'zod';
import { ErrorCode, MalformedRequestError, repeatableQueryParameter } from '../core/index.js';
import {
  ApiKeyViewSchema,
  ConfigurationSchema as Configuration,
  ConfigurationInputSchema as ConfigurationInput,
  ConfigurationVersionSummarySchema,
  CreateApiKeyRequestSchema,
  DEFAULT_MAX_PATIENTS_PER_JOB,
  DEFAULT_USAGE_DAYS,
  GenerationResponseSchema as GenerationResponse,
  generationRequestSchema,
  JobSchema as Job,
  JobScenarioSchema as JobScenario,
  KEY_ID_PATTERN,
  MAX_USAGE_DAYS,
  ValidationResultSchema as ValidationResult,
} from '../domain/index.js';
import { NATION_CODES, PatientRecordSchema as PatientRecord, strictWith } from '../generation/index.js';
import { OUTPUT_FORMATS } from '../output/index.js';

// ---- resource schemas, named for the OpenAPI components ---------------------------------------------

export const JobSchema = Job.meta({ id: 'Job' });
export const JobScenarioSchema = JobScenario.meta({ id: 'JobScenario' });
export const PatientRecordSchema = PatientRecord.meta({ id: 'PatientRecord' });
export const ConfigurationSchema = Configuration.meta({ id: 'Configuration' });
export const ConfigurationInputSchema = ConfigurationInput.meta({ id: 'ConfigurationInput' });
export const ValidationResultSchema = ValidationResult.meta({ id: 'ValidationResult' });
/**
 * POST /api/v1/generation's body under a stage's per-job cap (MAX_PATIENTS_PER_JOB): the route validates
 * with it and the OpenAPI document shows its total_patients maximum.
 */
export const generationRequestBodySchema = (maxPatientsPerJob: number) =>
  generationRequestSchema(maxPatientsPerJob).meta({ id: 'GenerationRequest' });
/** The body under the default cap (DEFAULT_MAX_PATIENTS_PER_JOB). */
export const GenerationRequestSchema = generationRequestBodySchema(DEFAULT_MAX_PATIENTS_PER_JOB);
export const GenerationResponseSchema = GenerationResponse.meta({ id: 'GenerationResponse' });

// ---- path parameters -------------------------------------------------------------------------------

/** Highest configuration version a path may name (DynamoDB keys hold it exactly). */
const MAX_VERSION = 2 ** 31 - 1;
/** Highest results page: 10,000,000 patients at one per page. */
const MAX_RESULTS_PAGE = 10_000_000;

const id = (what: string) => z.string().min(1, `${what} must not be empty`).max(128, `${what} is too long`);

export const JobPathSchema = z.object({
  job_id: id('job_id').meta({ description: 'The job id returned by POST /api/v1/generation' }),
});
export const ConfigurationPathSchema = z.object({ config_id: id('config_id') });
export const ConfigurationVersionPathSchema = z.object({
  config_id: id('config_id'),
  version: z.coerce
    .number({ error: 'version must be a number' })
    .int('version must be an integer')
    .min(1, 'version must be at least 1')
    .max(MAX_VERSION, `version must be at most ${MAX_VERSION}`)
    .meta({ description: 'Version number, 1 for the first' }),
});
export const PresetPathSchema = z.object({ preset_id: id('preset_id').meta({ example: 'nato_article_5' }) });
export const KeyPathSchema = z.object({
  key_id: z
    .string()
    .regex(KEY_ID_PATTERN, 'key_id must be 16 characters of a-z and 2-7 (the id part of a key)')
    .meta({ description: 'The key id (the part of the key after the stage)', example: 'abcdefghijk23456' }),
});

// ---- query strings ---------------------------------------------------------------------------------

const limit = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be at least 1')
    .max(max, `limit must be at most ${max}`)
    .default(fallback)
    .meta({ description: `Items per page (1..${max}, default ${fallback})` });

const cursor = z
  .string()
  .min(1)
  .max(2048)
  .optional()
  .meta({ description: 'The `next_cursor` of the previous page; omit for the first page' });

/**
 * A filter of comma-separated values, case-insensitive, answered in their canonical spelling. The
 * message names the parameter and the rule, never the value (a query value can be anything).
 */
function valueList(name: string, allowed: readonly string[], note?: string) {
  const canonical = new Map(allowed.map((v) => [v.toLowerCase(), v]));
  const rule =
    allowed.length <= 8
      ? `${name} must be one or more of ${allowed.join(', ')}, comma-separated`
      : `${name} must be one or more of ${note ?? 'the allowed values'}, comma-separated`;
  const list = z
    .string()
    .max(500, `${name} must be at most 500 characters`)
    .transform((raw, ctx) => {
      const values = raw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      const out = values.map((v) => canonical.get(v.toLowerCase()));
      if (values.length === 0 || out.some((v) => v === undefined)) {
        ctx.addIssue({ code: 'custom', message: rule });
        return z.NEVER;
      }
      return [...new Set(out as string[])];
    })
    .optional()
    .meta({
      description: `Any of: ${allowed.length <= 8 ? allowed.join(', ') : (note ?? '')} (comma-separated or the parameter repeated, case-insensitive)${allowed.length <= 8 && note ? `; ${note}` : ''}`,
      example: allowed.slice(0, 2).join(','),
    });
  return repeatableQueryParameter(list);
}

/**
 * Query strings refuse parameters they do not know, naming them with the valid ones: a misspelt
 * filter or option (`status=failed` on the jobs, `fromat=csv` on a download) would otherwise answer
 * the unfiltered list or the ZIP as if it had been applied (memory/fixes/0185 and 0201).
 */
export const strictQuery = <T extends z.ZodRawShape>(shape: T) => strictWith(shape, 'query parameter');

const cursorPageShape = { limit: limit(100, 20), cursor };

export const CursorPageQuerySchema = strictQuery(cursorPageShape);

/**
 * GET /configurations alone keeps answering parameters it does not know: the version 1 Python SDK
 * sends `skip` (its server ignored it too), and nothing on this list filters.
 */
export const ConfigurationListQuerySchema = z.object(cursorPageShape);

/** GET /admin/keys: newest first, every owner's unless `owner` is given. */
export const ApiKeyListQuerySchema = strictQuery({
  owner: CreateApiKeyRequestSchema.shape.owner
    .optional()
    .meta({ description: 'Only the keys of this owner' }),
  limit: limit(100, 20),
  cursor,
});

export const ApiKeyGetQuerySchema = strictQuery({
  days: z.coerce
    .number({ error: 'days must be a number' })
    .int('days must be an integer')
    .min(1, 'days must be at least 1')
    .max(MAX_USAGE_DAYS, `days must be at most ${MAX_USAGE_DAYS}`)
    .default(DEFAULT_USAGE_DAYS)
    .meta({
      description: `UTC days of use to report, today first (1..${MAX_USAGE_DAYS}, default ${DEFAULT_USAGE_DAYS})`,
    }),
});

const resultsQueryShape = {
  page: z.coerce
    .number({ error: 'page must be a number' })
    .int('page must be an integer')
    .min(1, 'page must be at least 1')
    .max(MAX_RESULTS_PAGE, `page must be at most ${MAX_RESULTS_PAGE}`)
    .default(1),
  per_page: z.coerce
    .number({ error: 'per_page must be a number' })
    .int('per_page must be an integer')
    .min(1, 'per_page must be at least 1')
    .max(500, 'per_page must be at most 500')
    .default(50),
  q: z
    .string()
    .trim()
    .max(100, 'q must be at most 100 characters')
    .optional()
    .transform((value) => value || undefined)
    .meta({
      description:
        'Search words, case- and accent-insensitive; each must match the id (exactly), the uuid (its start), ' +
        'a given or family name or the service number (a part)',
      example: 'nowak',
    }),
  triage: valueList('triage', PatientRecord.shape.triage_category.options),
  status: valueList(
    'status',
    PatientRecord.shape.status.options,
    'KIA is killed in action only; KIA,DOW all deaths',
  ),
  nationality: valueList(
    'nationality',
    NATION_CODES,
    'ISO 3166 alpha-3 codes of GET /api/v1/configurations/reference/nationalities',
  ),
  front: z
    .string()
    .trim()
    .min(1, 'front must not be empty')
    .max(100, 'front must be at most 100 characters')
    .optional()
    .meta({ description: "The front's name or id, exactly", example: 'Central Front' }),
};

/** Strict (`strictQuery`): `triage_category=T1` would otherwise answer every patient (fix 0185). */
export const ResultsQuerySchema = strictQuery(resultsQueryShape);

export const DOWNLOAD_FORMATS = ['zip', ...OUTPUT_FORMATS] as const;

export const DownloadQuerySchema = strictQuery({
  format: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.enum(DOWNLOAD_FORMATS, {
        // Names the rule, not the value (a query value can be any length).
        error: `Invalid format. Valid formats: ${DOWNLOAD_FORMATS.join(', ')}`,
      }),
    )
    .optional()
    // The enum of the input (trimmed, any case) is not derived from the pipe: stated here.
    .meta({ description: 'One output file instead of the ZIP of all files', enum: [...DOWNLOAD_FORMATS] }),
  redirect: z
    .enum(['true', 'false'], { error: 'redirect must be true or false' })
    .default('true')
    .transform((value) => value === 'true')
    .meta({
      description:
        'false answers 200 with the link as JSON instead of a 302, for browsers that must keep the API key in a header',
    }),
});

export const DownloadLinkSchema = z
  .object({
    url: z.string().meta({ description: 'Presigned GET URL, valid `expires_in` seconds' }),
    format: z.string().meta({ description: '`zip` or an output format' }),
    file_name: z.string().meta({ description: "The file's name in the job (and in its ZIP)" }),
    download_name: z.string().meta({
      description:
        "The name a browser saves it under (the URL's Content-Disposition): the job's name and id with the file's extension",
    }),
    content_type: z.string(),
    size_bytes: z.number().int(),
    expires_in: z.number().int(),
    expires_at: z.string().meta({ description: 'ISO 8601 UTC' }),
  })
  .meta({ id: 'DownloadLink' });

// ---- headers ----------------------------------------------------------------------------------------

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export const IdempotencyKeySchema = z
  .string()
  .trim()
  .min(1, 'Idempotency-Key must not be empty')
  .max(255, 'Idempotency-Key must be at most 255 characters')
  .optional();

/** The Idempotency-Key header checked like a schema field (a 400 naming the header), or null. */
export function idempotencyKeyOf(headers: Readonly<Record<string, string | undefined>>): string | null {
  const value = headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined || value.trim() === '') return null;
  const parsed = IdempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw MalformedRequestError.fromIssues(
      parsed.error.issues.map((i) => ({ path: 'Idempotency-Key', message: i.message })),
    );
  }
  return parsed.data ?? null;
}

// ---- envelopes and wrappers -------------------------------------------------------------------------

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
      message: z.string().meta({ description: 'Safe to show to users' }),
      details: z.record(z.string(), z.unknown()).meta({
        description: 'For VALIDATION_ERROR: `errors`, a list of {path, message} per field',
      }),
    }),
    detail: z.string().meta({ description: 'The message again, for v1 clients' }),
    timestamp: z.string().meta({ description: 'ISO 8601 UTC' }),
    request_id: z.string().meta({ description: 'The request id in the logs and the X-Request-Id header' }),
  })
  .meta({ id: 'ErrorEnvelope', description: 'Every error of the API' });

export const GatewayErrorSchema = z
  .object({ message: z.string().meta({ example: 'Missing Authentication Token' }) })
  .meta({ id: 'GatewayError', description: 'Answered by API Gateway itself (unknown route)' });

export const JobListSchema = z
  .object({ jobs: z.array(JobSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'JobList' });

export const JobResultsSchema = z
  .object({
    job_id: z.string(),
    total: z.number().int(),
    page: z.number().int(),
    per_page: z.number().int(),
    total_pages: z.number().int(),
    patients: z.array(PatientRecordSchema),
  })
  .meta({ id: 'JobResults' });

export const DeleteResponseSchema = z
  .object({
    success: z.literal(true),
    message: z.string().meta({ example: 'Job deleted successfully' }),
    deleted_id: z.string(),
    timestamp: z.string(),
  })
  .meta({ id: 'DeleteResponse' });

export const ConfigurationListSchema = z
  .object({ configurations: z.array(ConfigurationSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'ConfigurationList' });

export const ConfigurationVersionListSchema = z
  .object({
    config_id: z.string(),
    latest_version: z.number().int(),
    versions: z.array(ConfigurationVersionSummarySchema),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'ConfigurationVersionList' });

export const ApiKeyListSchema = z
  .object({ keys: z.array(ApiKeyViewSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'ApiKeyList' });

/**
 * The local stack's generator workers (infra/local/worker-pool.ts WorkerPoolStatus), which `npm start`
 * adds to both health answers (README, "HTTP API and the local stack"); a deployed stage has none.
 */
const LocalWorkersSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    desired: z.number().int(),
    running: z.number().int(),
    starting: z.number().int(),
    down: z.number().int(),
    replaced: z.number().int(),
    workers: z.array(z.record(z.string(), z.unknown())),
  })
  .optional()
  .meta({ description: 'Local stack only (npm start): its generator worker processes' });

export const HealthSchema = z
  .object({ status: z.literal('healthy'), local_workers: LocalWorkersSchema })
  .meta({ id: 'Health' });

export const HEALTH_STATUSES = ['healthy', 'unhealthy'] as const;

export const ApiHealthSchema = z
  .object({
    status: z.enum(HEALTH_STATUSES),
    timestamp: z.string(),
    version: z.string(),
    stage: z.string(),
    checks: z.record(
      z.string(),
      z.object({
        status: z.enum(HEALTH_STATUSES),
        latency_ms: z.number(),
        error: z.string().optional(),
      }),
    ),
    local_workers: LocalWorkersSchema,
  })
  .meta({ id: 'ApiHealth' });

// ---- bodies the services validate themselves --------------------------------------------------------

/** A configuration body: any JSON object here; ConfigurationService validates it with field paths. */
export const JsonObjectBodySchema = z.record(z.string(), z.unknown(), {
  error: 'the request body must be a JSON object',
});

/** The validate route reports problems in its 200 answer, whatever the JSON value. */
export const AnyJsonBodySchema = z.unknown();
