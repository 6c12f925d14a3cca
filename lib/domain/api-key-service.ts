/**
 * The key service (lib/domain/api-key.ts is its contract): issues keys, shows them without hashes,
 * rotates and revokes them, and verifies a presented key for the authorizer. Only the SHA-256 of a
 * secret is stored; the secret exists in clear only in the IssuedApiKey that create and rotate return.
 *
 * Decisions: rotating a revoked key is a 409 ConflictError (the key exists, its state forbids it);
 * revoking a revoked key answers its view unchanged (a retried DELETE is safe); an expired key may be
 * rotated and revoked (it stays expired). Auth failures are audited by the caller, which knows the
 * source IP; this service audits creation, rotation and revocation.
 */
import { createHash, randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto';
import type * as z from 'zod';
import { ConflictError, NotFoundError, ValidationError, zodIssues } from '../core/index.js';
import {
  type ApiKeyDetailSchema,
  type ApiKeyListQuery,
  type ApiKeyRecord,
  type ApiKeyRepository,
  type ApiKeyView,
  type AuthOutcome,
  type CreateApiKeyRequest,
  CreateApiKeyRequestSchema,
  DEFAULT_USAGE_DAYS,
  DEMO_KEY_LIMITS,
  formatApiKey,
  type IssuedApiKey,
  type KeyLimits,
  KeyLimitsSchema,
  type LimitPreset,
  MAX_USAGE_DAYS,
  parseApiKey,
  type RotateApiKeyRequest,
  RotateApiKeyRequestSchema,
  type UsageCounters,
} from './api-key.js';

/** Bytes behind a key id: 80 bits are exactly 16 base32 characters. */
const KEY_ID_BYTES = 10;
/** Bytes of a secret: 256 bits, 64 hex digits. */
const SECRET_BYTES = 32;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A fresh id colliding with a stored one is a 2^-80 event; retrying a few times makes it moot. */
const CREATE_ATTEMPTS = 3;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Keys read per page while looking for another active admin key. */
const ADMIN_SEARCH_PAGE = 100;

/** One structured audit line of a change to a key: never a secret or a hash. */
export interface KeyAuditEvent {
  readonly action: 'key.created' | 'key.rotated' | 'key.revoked';
  readonly key_id: string;
  readonly owner: string;
  /** Who made the change: an admin key id, "bootstrap", "local-stack", or "unknown". */
  readonly by: string;
  readonly scopes?: readonly string[];
  readonly expires_at?: string | null;
  /** Rotation: until when the previous secret still works. */
  readonly previous_secret_valid_until?: string;
}

export interface ApiKeyServiceDeps {
  readonly keys: ApiKeyRepository;
  readonly usage: Pick<UsageCounters, 'usage'>;
  /** The stage in every key's prefix; a key of another stage is refused. */
  readonly stage: string;
  /** The `standard` preset: the stage's DEFAULT_KEY_LIMITS. */
  readonly defaultLimits: KeyLimits;
  readonly now?: () => Date;
  readonly randomBytes?: (n: number) => Buffer;
  readonly audit: (line: KeyAuditEvent) => void;
}

export interface ApiKeyViewList {
  readonly items: ApiKeyView[];
  readonly next_cursor: string | null;
}

export type ApiKeyDetail = z.infer<typeof ApiKeyDetailSchema>;

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time equality of a secret's digest and a stored hex hash. */
function hashMatches(digest: Buffer, storedHex: string | null | undefined): boolean {
  if (!storedHex) return false;
  const stored = Buffer.from(storedHex, 'hex');
  return stored.length === digest.length && timingSafeEqual(stored, digest);
}

/** Whether an ISO time is strictly after `now`. */
function after(iso: string | null | undefined, now: Date): boolean {
  return iso != null && Date.parse(iso) > now.getTime();
}

/** The UTC days (YYYY-MM-DD) from `now` back, today first. */
export function usageDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - i * DAY_MS).toISOString().slice(0, 10));
}

function notFound(keyId: string): NotFoundError {
  return new NotFoundError(`API key ${keyId} not found`);
}

export class ApiKeyService {
  private readonly now: () => Date;
  private readonly randomBytes: (n: number) => Buffer;

  constructor(private readonly deps: ApiKeyServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.randomBytes = deps.randomBytes ?? cryptoRandomBytes;
  }

  /** The limits of a preset with the request's own limits over them, validated as a whole. */
  limitsFor(preset: LimitPreset, overrides: Partial<KeyLimits> = {}): KeyLimits {
    const base = preset === 'demo' ? DEMO_KEY_LIMITS : this.deps.defaultLimits;
    const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    const parsed = KeyLimitsSchema.safeParse({ ...base, ...given });
    if (!parsed.success) throw ValidationError.fromIssues(zodIssues(parsed.error, ['limits']));
    return parsed.data;
  }

  /**
   * Issues a key; the only answer that holds its secret. `givenKey` (a key of this stage, e.g. a
   * developer's fixed local key) is stored with its own id and secret instead of new random ones; an
   * id already taken is then a ConflictError.
   */
  async create(request: CreateApiKeyRequest, createdBy: string, givenKey?: string): Promise<IssuedApiKey> {
    const parsed = CreateApiKeyRequestSchema.safeParse(request);
    if (!parsed.success) throw ValidationError.fromIssues(zodIssues(parsed.error));
    const input = parsed.data;
    const now = this.now();
    const expiresAt = input.expires_at ?? null;
    if (expiresAt !== null && !after(expiresAt, now)) {
      throw ValidationError.fromIssues([{ path: 'expires_at', message: 'must be in the future' }]);
    }
    const limits = this.limitsFor(input.limits_preset, input.limits);
    const given = givenKey === undefined ? undefined : parseApiKey(givenKey);
    if (givenKey !== undefined && (!given || given.stage !== this.deps.stage)) {
      throw ValidationError.fromIssues([
        { path: 'api_key', message: `must be a key of stage ${this.deps.stage} in the key format` },
      ]);
    }
    for (let attempt = 1; ; attempt++) {
      const keyId = given?.keyId ?? base32(this.randomBytes(KEY_ID_BYTES));
      const secret = given?.secret ?? this.randomBytes(SECRET_BYTES).toString('hex');
      const record: ApiKeyRecord = {
        key_id: keyId,
        owner: input.owner,
        name: input.name,
        scopes: [...input.scopes],
        limits,
        created_at: now.toISOString(),
        created_by: createdBy,
        expires_at: expiresAt,
        revoked_at: null,
        secret_hash: sha256(secret).toString('hex'),
        rotated_at: null,
        previous_secret_hash: null,
        previous_secret_valid_until: null,
      };
      try {
        await this.deps.keys.create(record);
      } catch (error) {
        if (error instanceof ConflictError && !given && attempt < CREATE_ATTEMPTS) continue;
        throw error;
      }
      this.deps.audit({
        action: 'key.created',
        key_id: keyId,
        owner: record.owner,
        by: createdBy,
        scopes: record.scopes,
        expires_at: expiresAt,
      });
      return { ...this.view(record, now), api_key: formatApiKey(this.deps.stage, keyId, secret) };
    }
  }

  async list(query: ApiKeyListQuery): Promise<ApiKeyViewList> {
    const page = await this.deps.keys.list(query);
    const now = this.now();
    return { items: page.items.map((record) => this.view(record, now)), next_cursor: page.next_cursor };
  }

  /** The key with its use over the last `days` UTC days, today first. */
  async get(keyId: string, days: number = DEFAULT_USAGE_DAYS): Promise<ApiKeyDetail> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_USAGE_DAYS) {
      throw ValidationError.fromIssues([
        { path: 'days', message: `must be a whole number from 1 to ${MAX_USAGE_DAYS}` },
      ]);
    }
    const record = await this.deps.keys.get(keyId);
    if (!record) throw notFound(keyId);
    const now = this.now();
    const wanted = usageDays(now, days);
    const counted = new Map((await this.deps.usage.usage(keyId, wanted)).map((d) => [d.day, d]));
    const usage = wanted.map((day) => counted.get(day) ?? { day, requests: 0, jobs: 0, patients: 0 });
    return { ...this.view(record, now), usage };
  }

  /**
   * A new secret; the old one keeps working for the grace period. 404 for an unknown key, 409 for a
   * revoked one.
   */
  async rotate(
    keyId: string,
    request: Partial<RotateApiKeyRequest> = {},
    by = 'unknown',
  ): Promise<IssuedApiKey> {
    const parsed = RotateApiKeyRequestSchema.safeParse(request);
    if (!parsed.success) throw ValidationError.fromIssues(zodIssues(parsed.error));
    const now = this.now();
    const secret = this.randomBytes(SECRET_BYTES).toString('hex');
    const previousValidUntil = new Date(
      now.getTime() + Math.round(parsed.data.grace_period_hours * HOUR_MS),
    ).toISOString();
    const record = await this.deps.keys.rotate(keyId, {
      secretHash: sha256(secret).toString('hex'),
      rotatedAt: now.toISOString(),
      previousValidUntil,
    });
    if (!record) {
      if (await this.deps.keys.get(keyId)) {
        throw new ConflictError(`API key ${keyId} is revoked and cannot be rotated`);
      }
      throw notFound(keyId);
    }
    this.deps.audit({
      action: 'key.rotated',
      key_id: keyId,
      owner: record.owner,
      by,
      previous_secret_valid_until: previousValidUntil,
    });
    return { ...this.view(record, now), api_key: formatApiKey(this.deps.stage, keyId, secret) };
  }

  /**
   * Stops the key at once (within the authorizer's cache time); a revoked key answers unchanged. The
   * stage's last active admin key is refused (409): without one, keys can be managed again only with
   * AWS credentials (`milmed keys bootstrap`). Two admins revoking the last two admin keys at the same
   * moment can still both succeed: the check is a read, not a transaction.
   */
  async revoke(keyId: string, by = 'unknown'): Promise<ApiKeyView> {
    const now = this.now();
    const current = await this.deps.keys.get(keyId);
    if (!current) throw notFound(keyId);
    if (current.revoked_at) return this.view(current, now);
    if (this.isActiveAdmin(current, now) && !(await this.anotherActiveAdmin(keyId, now))) {
      throw new ConflictError(
        `API key ${keyId} is the last active admin key: revoking it would leave no key that can manage keys. Create another admin key first (scopes ["admin"]), then revoke this one`,
        { details: { key_id: keyId, rule: 'last_active_admin_key' } },
      );
    }
    const record = await this.deps.keys.revoke(keyId, now.toISOString());
    if (!record) {
      // Revoked (or deleted) by someone else since it was read.
      const existing = await this.deps.keys.get(keyId);
      if (!existing) throw notFound(keyId);
      return this.view(existing, now);
    }
    this.deps.audit({ action: 'key.revoked', key_id: keyId, owner: record.owner, by });
    return this.view(record, now);
  }

  private isActiveAdmin(record: ApiKeyRecord, now: Date): boolean {
    return record.scopes.includes('admin') && this.view(record, now).status === 'active';
  }

  /** Whether an active admin key other than `keyId` exists (reads every key: an admin operation). */
  private async anotherActiveAdmin(keyId: string, now: Date): Promise<boolean> {
    let cursor: string | null = null;
    do {
      const page = await this.deps.keys.list({ limit: ADMIN_SEARCH_PAGE, cursor });
      if (page.items.some((record) => record.key_id !== keyId && this.isActiveAdmin(record, now)))
        return true;
      cursor = page.next_cursor;
    } while (cursor);
    return false;
  }

  /**
   * Verifies a presented key. The secret is compared (in constant time) before the key's state, so
   * `revoked` and `expired` in an audit line mean the real secret was used, not a guess.
   */
  async authenticate(presented: string, now: Date = this.now()): Promise<AuthOutcome> {
    const parsed = parseApiKey(presented);
    if (!parsed) return { ok: false, reason: 'malformed' };
    const { keyId } = parsed;
    if (parsed.stage !== this.deps.stage) return { ok: false, reason: 'wrong-stage', keyId };
    const record = await this.deps.keys.get(keyId);
    if (!record) return { ok: false, reason: 'unknown-key', keyId };
    const digest = sha256(parsed.secret);
    const current = hashMatches(digest, record.secret_hash);
    const previous =
      !current &&
      after(record.previous_secret_valid_until, now) &&
      hashMatches(digest, record.previous_secret_hash);
    if (!current && !previous) return { ok: false, reason: 'wrong-secret', keyId };
    if (record.revoked_at) return { ok: false, reason: 'revoked', keyId };
    if (record.expires_at && !after(record.expires_at, now)) return { ok: false, reason: 'expired', keyId };
    return {
      ok: true,
      principal: { owner: record.owner, keyId, scopes: record.scopes, limits: record.limits },
      usedPreviousSecret: previous,
    };
  }

  /** A key as the admin API shows it: no hashes. */
  view(record: ApiKeyRecord, now: Date = this.now()): ApiKeyView {
    const status = record.revoked_at
      ? 'revoked'
      : record.expires_at && !after(record.expires_at, now)
        ? 'expired'
        : 'active';
    return {
      key_id: record.key_id,
      owner: record.owner,
      name: record.name,
      scopes: [...record.scopes],
      limits: { ...record.limits },
      status,
      created_at: record.created_at,
      created_by: record.created_by,
      expires_at: record.expires_at ?? null,
      revoked_at: record.revoked_at ?? null,
      rotated_at: record.rotated_at ?? null,
      previous_secret_valid_until: after(record.previous_secret_valid_until, now)
        ? (record.previous_secret_valid_until ?? null)
        : null,
    };
  }
}
