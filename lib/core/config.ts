/**
 * Environment configuration (memory/reference/platform-contract.md): one zod schema per kind of
 * function, parsed once at cold start. A missing or bad variable stops the function with ONE error
 * that names every problem, instead of failing later on the first request that needs it.
 */
import * as z from 'zod';

export const STAGES = ['dev', 'staging', 'prod', 'local'] as const;
export type Stage = (typeof STAGES)[number];

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

const name = (what: string) =>
  z
    .string({ error: `must be set to the ${what}` })
    .trim()
    .min(1, `must not be empty`);

/** JSON text parsed then validated by `schema`; a parse failure is reported like any other issue. */
function jsonOf<T extends z.ZodType>(schema: T, what: string) {
  return z
    .string({ error: `must be set to ${what}` })
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be ${what} (the value is not valid JSON)` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** Variables every function reads. */
export const BaseEnvSchema = z.object({
  STAGE: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }),
  LOG_LEVEL: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('INFO'),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default('milmed-patient-generator'),
  /**
   * Origins allowed by CORS, comma-separated (the stage's web console); unset or empty allows any
   * origin, as the local stack does (it serves the console from the API's own origin).
   */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .pipe(
      z.array(z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of http(s) origins' })),
    ),
});

/** 32 bytes in standard base64 (44 characters, one '=' of padding). */
const SEALING_KEY_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/**
 * How job encryption passwords are sealed for their trip to the worker (memory/decisions/0105):
 * SEALING_KEY_ID (a KMS key id or ARN, in AWS) wins over SEALING_KEY (32 random bytes as base64, the
 * local stack). Both optional here: only the functions that seal or unseal require one, when they
 * build their sealer (lib/infrastructure createSealer). Empty values count as unset.
 */
export const SealingEnvSchema = z.object({
  SEALING_KEY_ID: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined),
  SEALING_KEY: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || SEALING_KEY_PATTERN.test(v), {
      message: 'must be 32 bytes in base64 (for example the output of `openssl rand -base64 32`)',
    }),
});
export type SealingEnv = z.output<typeof SealingEnvSchema>;

/**
 * The generator worker (SQS): jobs table and results bucket, the sealing key of encrypted jobs, and
 * the usage table (a job that ends gives its API key's running-job slot back).
 */
export const WorkerEnvSchema = BaseEnvSchema.extend({
  JOBS_TABLE: name('jobs table name'),
  RESULTS_BUCKET: name('results bucket name'),
  USAGE_TABLE: name('usage table name'),
  ...SealingEnvSchema.shape,
});
export type WorkerEnv = z.output<typeof WorkerEnvSchema>;

const seconds = (what: string) =>
  z.coerce
    .number({ error: `must be ${what} in seconds` })
    .int()
    .min(1, `must be at least 1 second`);

/**
 * The DLQ consumer and the stale-job sweeper (lib/domain/stuck-jobs.ts): they fail jobs and give
 * back running slots. The sweeper's bounds default to the domain's (memory/decisions/0903-no-stuck-jobs.md).
 */
export const StuckJobsEnvSchema = BaseEnvSchema.extend({
  JOBS_TABLE: name('jobs table name'),
  USAGE_TABLE: name('usage table name'),
  STALE_RUNNING_AFTER_SECONDS: seconds('how long a running job may go without an update').optional(),
  STALE_WAITING_AFTER_SECONDS: seconds('how long a job may wait for a generator').optional(),
});
export type StuckJobsEnv = z.output<typeof StuckJobsEnvSchema>;

/** The API keys table and the usage table (rate limits, quotas): every non-public route and the authorizer. */
export const KeyTablesEnvSchema = z.object({
  API_KEYS_TABLE: name('API keys table name'),
  USAGE_TABLE: name('usage table name'),
});

/** The API-key authorizer: reads keys (the usage table only for the key service's wiring). */
export const AuthorizerEnvSchema = BaseEnvSchema.extend(KeyTablesEnvSchema.shape);
export type AuthorizerEnv = z.output<typeof AuthorizerEnvSchema>;

/** HTTP handlers: everything the routes may touch. */
export const HttpEnvSchema = BaseEnvSchema.extend({
  JOBS_TABLE: name('jobs table name'),
  CONFIGURATIONS_TABLE: name('configurations table name'),
  RESULTS_BUCKET: name('results bucket name'),
  GENERATION_QUEUE_URL: z.url({ error: 'must be the URL of the generation queue' }),
  ...KeyTablesEnvSchema.shape,
  /**
   * Limits of a new key with the `standard` preset, as JSON (lib/domain/api-key.ts KeyLimits; the
   * create-api-key composition root checks the limit names); unset: the built-in standard limits.
   */
  DEFAULT_KEY_LIMITS: jsonOf(
    z.record(z.string(), z.number().int().min(1), { error: 'must be a JSON object of limit numbers' }),
    'a JSON object of key limits',
  ).optional(),
  /** Read only by the function that creates generation jobs (it seals their passwords). */
  ...SealingEnvSchema.shape,
});
export type HttpEnv = z.output<typeof HttpEnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid environment configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment with `schema`. Throws one ConfigError listing every missing or bad
 * variable by name; values are never echoed, since some are secrets.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)';
    const missing = issue.path.length === 1 && env[String(issue.path[0])] === undefined;
    return `${variable}: ${missing ? 'is missing' : issue.message}`;
  });
  throw new ConfigError(problems);
}
