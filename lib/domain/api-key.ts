/**
 * API keys as data (memory/decisions/0801-api-keys-as-a-service.md): the key model, its limits, the
 * admin API's request and response shapes, the principal a verified key becomes, and the ports the
 * key service and the limit checks need. zod schemas are the types, the validation and the OpenAPI.
 *
 * A key is `mmpg_<stage>_<key id>_<secret>`: the key id (16 lower-case base32 characters) finds the
 * stored record, the secret (256 random bits, 64 hex digits) is compared by its SHA-256 in constant
 * time. The secret is shown once, at creation or rotation, and never stored.
 */
import * as z from 'zod';
import { MAX_PATIENTS } from '../generation/index.js';

export const KEY_SCOPES = ['generate', 'admin'] as const;
export const KeyScopeSchema = z.enum(KEY_SCOPES);
export type KeyScope = z.infer<typeof KeyScopeSchema>;

export const KEY_PREFIX = 'mmpg';
export const KEY_ID_PATTERN = /^[a-z2-7]{16}$/;
export const KEY_SECRET_PATTERN = /^[0-9a-f]{64}$/;
/** `mmpg_<stage>_<key id>_<secret>`; the stage is lower-case letters and digits. */
export const API_KEY_PATTERN = /^mmpg_([a-z0-9]{1,16})_([a-z2-7]{16})_([0-9a-f]{64})$/;

export interface ParsedApiKey {
  readonly stage: string;
  readonly keyId: string;
  readonly secret: string;
}

/** The parts of a presented key, or undefined when it is not in the key format. */
export function parseApiKey(text: string): ParsedApiKey | undefined {
  const match = API_KEY_PATTERN.exec(text);
  return match ? { stage: match[1], keyId: match[2], secret: match[3] } : undefined;
}

export function formatApiKey(stage: string, keyId: string, secret: string): string {
  return `${KEY_PREFIX}_${stage}_${keyId}_${secret}`;
}

const count = (max: number) =>
  z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

/** What one key may do; every limit is enforced (lib/domain key limits, lib/core rate limit). */
export const KeyLimitsSchema = z.object({
  /** Patients in one job; more answers 403 FORBIDDEN. */
  max_patients_per_job: count(MAX_PATIENTS),
  /** Jobs of this key queued or running at once; one more answers 429 RATE_LIMITED. */
  max_concurrent_jobs: count(1_000),
  /** Patients requested per UTC day; over it answers 429 RATE_LIMITED. */
  daily_patient_quota: count(1_000_000_000),
  /** Jobs created per UTC day; over it answers 429 RATE_LIMITED. */
  daily_job_quota: count(1_000_000),
  /** Authenticated requests per UTC minute (fixed window); over it answers 429 with Retry-After. */
  requests_per_minute: count(1_000_000),
});
export type KeyLimits = z.infer<typeof KeyLimitsSchema>;

export const LIMIT_NAMES = Object.keys(KeyLimitsSchema.shape) as (keyof KeyLimits)[];

/** Limits of a demonstration key, as the original system's demo key: 50 patients a job, 5 jobs a day. */
export const DEMO_KEY_LIMITS: KeyLimits = {
  max_patients_per_job: 50,
  max_concurrent_jobs: 1,
  daily_patient_quota: 250,
  daily_job_quota: 5,
  requests_per_minute: 60,
};

/** Default limits of a new key when its stage configures none (DEFAULT_KEY_LIMITS). */
export const STANDARD_KEY_LIMITS: KeyLimits = {
  max_patients_per_job: 100_000,
  max_concurrent_jobs: 5,
  daily_patient_quota: 1_000_000,
  daily_job_quota: 500,
  requests_per_minute: 600,
};

export const LIMIT_PRESETS = ['standard', 'demo'] as const;
export type LimitPreset = (typeof LIMIT_PRESETS)[number];

const isoTime = z.iso.datetime({ offset: false, error: 'must be an ISO 8601 UTC time (…Z)' });
const ownerName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** The stored key: never the secret, only its SHA-256 (and the previous one's during a rotation grace). */
export const ApiKeyRecordSchema = z.object({
  key_id: z.string().regex(KEY_ID_PATTERN),
  owner: z.string(),
  name: z.string(),
  scopes: z.array(KeyScopeSchema).min(1),
  limits: KeyLimitsSchema,
  created_at: isoTime,
  /** Who created it: the admin key's id, or "bootstrap" / "local-stack". */
  created_by: z.string(),
  expires_at: isoTime.nullable(),
  revoked_at: isoTime.nullable(),
  /** Hex SHA-256 of the secret. */
  secret_hash: z.string().regex(/^[0-9a-f]{64}$/),
  rotated_at: isoTime.nullable(),
  /** The secret before the last rotation, valid until `previous_secret_valid_until`. */
  previous_secret_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  previous_secret_valid_until: isoTime.nullable(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

export const KEY_STATUSES = ['active', 'expired', 'revoked'] as const;

/** A key as the admin API shows it: no hashes. */
export const ApiKeyViewSchema = z
  .object({
    key_id: z.string(),
    owner: z.string(),
    name: z.string(),
    scopes: z.array(KeyScopeSchema),
    limits: KeyLimitsSchema,
    status: z.enum(KEY_STATUSES),
    created_at: isoTime,
    created_by: z.string(),
    expires_at: isoTime.nullable(),
    revoked_at: isoTime.nullable(),
    rotated_at: isoTime.nullable(),
    /** Until when the secret before the last rotation still works; null when none does. */
    previous_secret_valid_until: isoTime.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof ApiKeyViewSchema>;

/** One UTC day of a key's use. */
export const KeyUsageDaySchema = z
  .object({
    day: z.iso.date(),
    requests: z.number().int().min(0),
    jobs: z.number().int().min(0),
    patients: z.number().int().min(0),
  })
  .meta({ id: 'KeyUsageDay' });
export type KeyUsageDay = z.infer<typeof KeyUsageDaySchema>;

/** Days of use GET /admin/keys/{key_id} reports by default and at most (API, service and CLI). */
export const DEFAULT_USAGE_DAYS = 7;
export const MAX_USAGE_DAYS = 31;

/** GET /admin/keys/{key_id}: the key with its use over the last `days` UTC days (today first). */
export const ApiKeyDetailSchema = ApiKeyViewSchema.extend({ usage: z.array(KeyUsageDaySchema) }).meta({
  id: 'ApiKeyDetail',
});

/** 201 of create and 200 of rotate: the only time the key is shown in clear. */
export const IssuedApiKeySchema = ApiKeyViewSchema.extend({
  api_key: z.string().meta({ description: 'The key in clear: shown once, store it now.' }),
}).meta({ id: 'IssuedApiKey' });
export type IssuedApiKey = z.infer<typeof IssuedApiKeySchema>;

export const MAX_KEY_NAME_LENGTH = 128;

/** POST /admin/keys. Limits: the preset's (default "standard": the stage's defaults), then `limits` over them. */
export const CreateApiKeyRequestSchema = z.strictObject({
  owner: ownerName,
  name: z.string().trim().min(1, 'must not be empty').max(MAX_KEY_NAME_LENGTH),
  scopes: z
    .array(KeyScopeSchema)
    .min(1, 'must list at least one scope')
    .max(KEY_SCOPES.length)
    .refine((s) => new Set(s).size === s.length, 'must not repeat a scope')
    .default(['generate']),
  limits_preset: z.enum(LIMIT_PRESETS).default('standard'),
  limits: KeyLimitsSchema.partial().strict().optional(),
  /** Must be in the future; null or absent: the key does not expire. */
  expires_at: isoTime.nullable().optional(),
});
export type CreateApiKeyRequest = z.output<typeof CreateApiKeyRequestSchema>;

export const DEFAULT_ROTATION_GRACE_HOURS = 24;
export const MAX_ROTATION_GRACE_HOURS = 24 * 30;

/** POST /admin/keys/{key_id}/rotate. */
export const RotateApiKeyRequestSchema = z.strictObject({
  /** How long the old secret keeps working; 0 stops it at once. */
  grace_period_hours: z
    .number()
    .min(0, 'must be at least 0')
    .max(MAX_ROTATION_GRACE_HOURS, `must be at most ${MAX_ROTATION_GRACE_HOURS}`)
    .default(DEFAULT_ROTATION_GRACE_HOURS),
});
export type RotateApiKeyRequest = z.output<typeof RotateApiKeyRequestSchema>;

/**
 * Who is calling, as the authorizer verified it: handed to handlers in the request context, never the
 * key itself. The owner is the tenant every job and configuration belongs to.
 */
export interface Principal {
  readonly owner: string;
  readonly keyId: string;
  readonly scopes: readonly KeyScope[];
  readonly limits: KeyLimits;
}

/** Why a presented key was refused (audit lines; the caller only ever hears "Invalid API Key"). */
export type AuthFailureReason =
  | 'malformed'
  | 'wrong-stage'
  | 'unknown-key'
  | 'wrong-secret'
  | 'revoked'
  | 'expired';

export type AuthOutcome =
  | { readonly ok: true; readonly principal: Principal; readonly usedPreviousSecret: boolean }
  | { readonly ok: false; readonly reason: AuthFailureReason; readonly keyId?: string };

export interface ApiKeyListQuery {
  readonly owner?: string;
  readonly limit: number;
  readonly cursor?: string | null;
}

/** The keys table (partition key `key_id`; GSI `by-owner`: `owner` + `created_at`). */
export interface ApiKeyRepository {
  /** Stores a new key; ConflictError if the id exists. */
  create(record: ApiKeyRecord): Promise<void>;
  get(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Newest first; every owner's when `owner` is absent. */
  list(query: ApiKeyListQuery): Promise<{ items: readonly ApiKeyRecord[]; next_cursor: string | null }>;
  /**
   * Replaces the secret if the key exists and is not revoked: the current hash becomes the previous
   * one, valid until `previousValidUntil`. The updated record, or undefined.
   */
  rotate(
    keyId: string,
    change: { secretHash: string; rotatedAt: string; previousValidUntil: string },
  ): Promise<ApiKeyRecord | undefined>;
  /** Sets revoked_at unless already revoked; the updated record, or undefined if absent or revoked. */
  revoke(keyId: string, revokedAt: string): Promise<ApiKeyRecord | undefined>;
}

/** The answer to one request against a key's per-minute window. */
export interface RequestAllowance {
  readonly allowed: boolean;
  readonly limit: number;
  /** Requests left in this window after this one (0 when refused). */
  readonly remaining: number;
  /** Seconds until the window resets (1–60). */
  readonly resetSeconds: number;
}

export type JobReservation =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly limit: 'max_concurrent_jobs' | 'daily_patient_quota' | 'daily_job_quota';
      readonly value: number;
      /** What this key has used of that limit (jobs running, or today's patients or jobs). */
      readonly used: number;
    };

/**
 * The usage table (partition key `counter_id`, TTL `expires_at`): atomic conditional counters, one item
 * per key and minute, per key and UTC day, and the key's running-jobs count. No read-modify-write:
 * each check is one conditional UpdateItem.
 */
export interface UsageCounters {
  /** Counts one request against the key's minute window and today's usage. */
  countRequest(keyId: string, requestsPerMinute: number, now: Date): Promise<RequestAllowance>;
  /**
   * Takes a running-job slot and adds the job to today's jobs and patients, all within the limits; on
   * refusal nothing is left counted.
   */
  reserveJob(keyId: string, limits: KeyLimits, patients: number, now: Date): Promise<JobReservation>;
  /** Gives back a job's running slot (the job ended, or was never created). Never below 0. */
  releaseJob(keyId: string): Promise<void>;
  /** Gives back today's job and patients of a reservation whose job was never created. */
  refundJob(keyId: string, patients: number, reservedAt: Date): Promise<void>;
  /** Use per UTC day, for the given days (YYYY-MM-DD), zeros for days without use. */
  usage(keyId: string, days: readonly string[]): Promise<KeyUsageDay[]>;
}
