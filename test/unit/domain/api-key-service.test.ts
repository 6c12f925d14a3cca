/**
 * ApiKeyService (issue #8 §1): keys issued once and stored only as a hash, limits from a preset with
 * the request's overrides, every authentication outcome, rotation grace, revocation and expiry.
 * In-memory ports with the keys table's conditional semantics (no AWS); the DynamoDB adapter has its
 * own suite (test/integration/dynamo-api-key-repository.test.ts).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/core/index.js';
import {
  API_KEY_PATTERN,
  type ApiKeyListQuery,
  type ApiKeyRecord,
  type ApiKeyRepository,
  ApiKeyService,
  type ApiKeyServiceDeps,
  type CreateApiKeyRequest,
  DEMO_KEY_LIMITS,
  formatApiKey,
  type KeyAuditEvent,
  type KeyLimits,
  type KeyUsageDay,
  MAX_USAGE_DAYS,
  STANDARD_KEY_LIMITS,
} from '../../../lib/domain/index.js';

class MemoryKeys implements ApiKeyRepository {
  readonly items = new Map<string, ApiKeyRecord>();

  async create(record: ApiKeyRecord) {
    if (this.items.has(record.key_id)) throw new ConflictError(`API key ${record.key_id} already exists`);
    this.items.set(record.key_id, structuredClone(record));
  }
  async get(keyId: string) {
    const item = this.items.get(keyId);
    return item && structuredClone(item);
  }
  async list(query: ApiKeyListQuery) {
    const items = [...this.items.values()]
      .filter((k) => query.owner === undefined || k.owner === query.owner)
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    return { items: items.slice(0, query.limit), next_cursor: null };
  }
  async rotate(keyId: string, change: { secretHash: string; rotatedAt: string; previousValidUntil: string }) {
    const item = this.items.get(keyId);
    if (!item || item.revoked_at) return undefined;
    const next: ApiKeyRecord = {
      ...item,
      previous_secret_hash: item.secret_hash,
      secret_hash: change.secretHash,
      rotated_at: change.rotatedAt,
      previous_secret_valid_until: change.previousValidUntil,
    };
    this.items.set(keyId, next);
    return structuredClone(next);
  }
  async revoke(keyId: string, revokedAt: string) {
    const item = this.items.get(keyId);
    if (!item || item.revoked_at) return undefined;
    const next = { ...item, revoked_at: revokedAt };
    this.items.set(keyId, next);
    return structuredClone(next);
  }
}

const START = new Date('2026-06-10T08:00:00.000Z');
const CUSTOM_DEFAULTS: KeyLimits = { ...STANDARD_KEY_LIMITS, max_patients_per_job: 2_000 };

interface Harness {
  readonly service: ApiKeyService;
  readonly keys: MemoryKeys;
  readonly audit: KeyAuditEvent[];
  readonly usageAsked: string[][];
  setNow(at: Date): void;
}

function harness(overrides: Partial<ApiKeyServiceDeps> = {}): Harness {
  const keys = new MemoryKeys();
  const audit: KeyAuditEvent[] = [];
  const usageAsked: string[][] = [];
  let now = START;
  const service = new ApiKeyService({
    keys,
    usage: {
      async usage(_keyId: string, days: readonly string[]): Promise<KeyUsageDay[]> {
        usageAsked.push([...days]);
        // Only yesterday has use, and it comes back out of order: the service orders and fills.
        return [{ day: '2026-06-09', requests: 12, jobs: 2, patients: 300 }];
      },
    },
    stage: 'test',
    defaultLimits: CUSTOM_DEFAULTS,
    now: () => now,
    audit: (line) => audit.push(line),
    ...overrides,
  });
  return { service, keys, audit, usageAsked, setNow: (at) => (now = at) };
}

function request(overrides: Partial<CreateApiKeyRequest> = {}): CreateApiKeyRequest {
  return {
    owner: 'team-a',
    name: 'exercise key',
    scopes: ['generate'],
    limits_preset: 'standard',
    ...overrides,
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function secretOf(apiKey: string): string {
  return apiKey.split('_').at(-1) ?? '';
}

async function validationIssues(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('ApiKeyService.create', () => {
  it('issues a key in the stage format whose id comes from random bytes in base32', async () => {
    // Prepare
    const { service } = harness({
      randomBytes: (n) => (n === 10 ? Buffer.from('0123456789') : Buffer.alloc(n, 0xab)),
    });
    // Act
    const issued = await service.create(request(), 'admin-key');
    // Assert
    expect(issued.key_id).toBe('gaytemzugu3doobz');
    expect(issued.api_key).toBe(formatApiKey('test', 'gaytemzugu3doobz', 'ab'.repeat(32)));
    expect(issued.api_key).toMatch(API_KEY_PATTERN);
    expect(issued).toMatchObject({
      owner: 'team-a',
      name: 'exercise key',
      scopes: ['generate'],
      status: 'active',
      created_at: START.toISOString(),
      created_by: 'admin-key',
      expires_at: null,
      revoked_at: null,
      rotated_at: null,
      previous_secret_valid_until: null,
    });
  });

  it('stores only the SHA-256 of the secret: neither the record, the view nor the audit line holds any part of the key', async () => {
    // Prepare
    const { service, keys, audit } = harness();
    // Act
    const issued = await service.create(request(), 'admin-key');
    // Assert
    const secret = secretOf(issued.api_key);
    const stored = keys.items.get(issued.key_id);
    expect(stored?.secret_hash).toBe(sha256Hex(secret));
    const { api_key: _shown, ...view } = issued;
    for (const text of [JSON.stringify(stored), JSON.stringify(view), JSON.stringify(audit)]) {
      for (let i = 0; i + 8 <= secret.length; i += 8) expect(text).not.toContain(secret.slice(i, i + 8));
      expect(text).not.toContain(issued.api_key);
    }
    expect(Object.keys(view)).not.toContain('secret_hash');
    expect(Object.keys(view)).not.toContain('previous_secret_hash');
    expect(audit).toEqual([
      {
        action: 'key.created',
        key_id: issued.key_id,
        owner: 'team-a',
        by: 'admin-key',
        scopes: ['generate'],
        expires_at: null,
      },
    ]);
  });

  it("takes the preset's limits (standard: the stage's defaults; demo: the demo key's) with the request's limits over them", async () => {
    // Prepare
    const { service } = harness();
    // Act
    const standard = await service.create(request(), 'a');
    const overlaid = await service.create(request({ limits: { daily_job_quota: 7 } }), 'a');
    const demo = await service.create(request({ limits_preset: 'demo' }), 'a');
    const demoOverlaid = await service.create(
      request({ limits_preset: 'demo', limits: { max_patients_per_job: 20, requests_per_minute: 5 } }),
      'a',
    );
    // Assert
    expect(standard.limits).toEqual(CUSTOM_DEFAULTS);
    expect(overlaid.limits).toEqual({ ...CUSTOM_DEFAULTS, daily_job_quota: 7 });
    expect(demo.limits).toEqual(DEMO_KEY_LIMITS);
    expect(demoOverlaid.limits).toEqual({
      ...DEMO_KEY_LIMITS,
      max_patients_per_job: 20,
      requests_per_minute: 5,
    });
  });

  it('refuses an expiry that is not in the future with a 422 naming expires_at, and stores nothing', async () => {
    // Prepare
    const { service, keys } = harness();
    // Act
    const past = await validationIssues(service.create(request({ expires_at: '2026-06-10T07:59:59Z' }), 'a'));
    const nowExactly = await validationIssues(
      service.create(request({ expires_at: START.toISOString() }), 'a'),
    );
    const future = await service.create(request({ expires_at: '2026-06-11T00:00:00Z' }), 'a');
    // Assert
    for (const error of [past, nowExactly]) {
      expect(error.status).toBe(422);
      expect(error.issues).toEqual([{ path: 'expires_at', message: 'must be in the future' }]);
      expect(error.message).not.toContain('2026');
    }
    expect(future.expires_at).toBe('2026-06-11T00:00:00Z');
    expect(keys.items.size).toBe(1);
  });

  it('refuses out-of-range limits and a malformed request with 422 issues naming the field', async () => {
    // Prepare
    const { service, keys } = harness();
    // Act
    const zeroLimit = await validationIssues(
      service.create(request({ limits: { max_concurrent_jobs: 0 } }), 'a'),
    );
    const badOwner = await validationIssues(service.create(request({ owner: '../etc' }), 'a'));
    // Assert
    expect(zeroLimit.issues).toEqual([{ path: 'limits.max_concurrent_jobs', message: 'must be at least 1' }]);
    expect(badOwner.issues.map((i) => i.path)).toEqual(['owner']);
    expect(keys.items.size).toBe(0);
  });

  it('draws a new id when the first one is already taken', async () => {
    // Prepare
    const ids = [Buffer.alloc(10, 0), Buffer.alloc(10, 0), Buffer.alloc(10, 0xff)];
    const { service } = harness({
      randomBytes: (n) => (n === 10 ? (ids.shift() ?? Buffer.alloc(10, 1)) : Buffer.alloc(n, 2)),
    });
    // Act
    const first = await service.create(request(), 'a');
    const second = await service.create(request(), 'a');
    // Assert
    expect(first.key_id).toBe('aaaaaaaaaaaaaaaa');
    expect(second.key_id).toBe('7777777777777777');
  });

  it('stores a given key of its stage with that id and secret, and refuses a taken id or another format', async () => {
    // Prepare
    const { service, keys } = harness();
    const given = formatApiKey('test', 'abcdefghijkmnop2', 'c'.repeat(64));
    // Act
    const issued = await service.create(request(), 'a', given);
    const again = await service.create(request(), 'a', given).catch((e: unknown) => e);
    const otherStage = await validationIssues(
      service.create(request(), 'a', formatApiKey('prod', 'abcdefghijkmnop3', 'c'.repeat(64))),
    );
    const malformed = await validationIssues(service.create(request(), 'a', 'not-a-key'));
    // Assert
    expect(issued.api_key).toBe(given);
    expect((await keys.get('abcdefghijkmnop2'))?.secret_hash).toBe(sha256Hex('c'.repeat(64)));
    expect((await service.authenticate(given)).ok).toBe(true);
    expect(again).toBeInstanceOf(ConflictError);
    for (const error of [otherStage, malformed]) expect(error.issues.map((i) => i.path)).toEqual(['api_key']);
    expect(JSON.stringify(otherStage.issues)).not.toContain('c'.repeat(64));
  });
});

describe('ApiKeyService.authenticate', () => {
  it('answers the principal for a valid key of this stage', async () => {
    // Prepare
    const { service } = harness();
    const issued = await service.create(request({ scopes: ['generate', 'admin'] }), 'a');
    // Act
    const outcome = await service.authenticate(issued.api_key);
    // Assert
    expect(outcome).toEqual({
      ok: true,
      usedPreviousSecret: false,
      principal: {
        owner: 'team-a',
        keyId: issued.key_id,
        scopes: ['generate', 'admin'],
        limits: CUSTOM_DEFAULTS,
      },
    });
  });

  it('refuses a malformed key, a key of another stage, an unknown key and a wrong secret, each with its reason', async () => {
    // Prepare
    const { service } = harness();
    const issued = await service.create(request(), 'a');
    const secret = secretOf(issued.api_key);
    const unknownId = 'zzzzzzzzzzzzzzzz';
    // Act
    const outcomes = await Promise.all([
      service.authenticate(''),
      service.authenticate(`${issued.api_key}0`),
      service.authenticate(issued.api_key.toUpperCase()),
      service.authenticate(formatApiKey('prod', issued.key_id, secret)),
      service.authenticate(formatApiKey('test', unknownId, secret)),
      service.authenticate(
        formatApiKey('test', issued.key_id, `${secret.slice(0, 63)}${secret[63] === '0' ? '1' : '0'}`),
      ),
    ]);
    // Assert
    expect(outcomes).toEqual([
      { ok: false, reason: 'malformed' },
      { ok: false, reason: 'malformed' },
      { ok: false, reason: 'malformed' },
      { ok: false, reason: 'wrong-stage', keyId: issued.key_id },
      { ok: false, reason: 'unknown-key', keyId: unknownId },
      { ok: false, reason: 'wrong-secret', keyId: issued.key_id },
    ]);
  });

  it('refuses a revoked key as revoked, and a wrong secret for it as a wrong secret', async () => {
    // Prepare
    const { service } = harness();
    const issued = await service.create(request(), 'a');
    await service.revoke(issued.key_id, 'a');
    // Act
    const revoked = await service.authenticate(issued.api_key);
    const guessed = await service.authenticate(formatApiKey('test', issued.key_id, 'f'.repeat(64)));
    // Assert
    expect(revoked).toEqual({ ok: false, reason: 'revoked', keyId: issued.key_id });
    expect(guessed).toEqual({ ok: false, reason: 'wrong-secret', keyId: issued.key_id });
  });

  it('accepts a key until its expiry and refuses it as expired from that instant on', async () => {
    // Prepare
    const { service } = harness();
    const issued = await service.create(request({ expires_at: '2026-06-10T09:00:00.000Z' }), 'a');
    // Act
    const before = await service.authenticate(issued.api_key, new Date('2026-06-10T08:59:59.999Z'));
    const at = await service.authenticate(issued.api_key, new Date('2026-06-10T09:00:00.000Z'));
    const later = await service.authenticate(issued.api_key, new Date('2026-07-01T00:00:00.000Z'));
    // Assert
    expect(before.ok).toBe(true);
    expect(at).toEqual({ ok: false, reason: 'expired', keyId: issued.key_id });
    expect(later).toEqual({ ok: false, reason: 'expired', keyId: issued.key_id });
  });
});

describe('ApiKeyService.rotate', () => {
  it('issues a new secret at once; the old one works until the end of the grace period, then not', async () => {
    // Prepare
    const { service, audit, setNow } = harness();
    const issued = await service.create(request(), 'a');
    setNow(new Date('2026-06-10T10:00:00.000Z'));
    // Act
    const rotated = await service.rotate(issued.key_id, { grace_period_hours: 2 }, 'admin-key');
    const newKey = await service.authenticate(rotated.api_key);
    const oldInGrace = await service.authenticate(issued.api_key, new Date('2026-06-10T11:59:59.999Z'));
    const oldAtEnd = await service.authenticate(issued.api_key, new Date('2026-06-10T12:00:00.000Z'));
    const newLater = await service.authenticate(rotated.api_key, new Date('2026-06-20T00:00:00.000Z'));
    // Assert
    expect(rotated.key_id).toBe(issued.key_id);
    expect(rotated.api_key).not.toBe(issued.api_key);
    expect(rotated).toMatchObject({
      status: 'active',
      rotated_at: '2026-06-10T10:00:00.000Z',
      previous_secret_valid_until: '2026-06-10T12:00:00.000Z',
    });
    expect(newKey).toMatchObject({ ok: true, usedPreviousSecret: false });
    expect(oldInGrace).toMatchObject({
      ok: true,
      usedPreviousSecret: true,
      principal: { keyId: issued.key_id },
    });
    expect(oldAtEnd).toEqual({ ok: false, reason: 'wrong-secret', keyId: issued.key_id });
    expect(newLater.ok).toBe(true);
    expect(audit.at(-1)).toEqual({
      action: 'key.rotated',
      key_id: issued.key_id,
      owner: 'team-a',
      by: 'admin-key',
      previous_secret_valid_until: '2026-06-10T12:00:00.000Z',
    });
  });

  it('defaults the grace to 24 hours, stops the old secret at once with a grace of 0, and hides an ended grace in the view', async () => {
    // Prepare
    const { service, setNow } = harness();
    const a = await service.create(request(), 'a');
    const b = await service.create(request(), 'a');
    // Act
    const byDefault = await service.rotate(a.key_id);
    const noGrace = await service.rotate(b.key_id, { grace_period_hours: 0 });
    const oldB = await service.authenticate(b.api_key);
    setNow(new Date('2026-06-11T08:00:00.000Z'));
    const laterView = await service.get(a.key_id, 1);
    // Assert
    expect(byDefault.previous_secret_valid_until).toBe('2026-06-11T08:00:00.000Z');
    expect(noGrace.previous_secret_valid_until).toBeNull();
    expect(oldB).toEqual({ ok: false, reason: 'wrong-secret', keyId: b.key_id });
    expect(laterView.previous_secret_valid_until).toBeNull();
  });

  it('answers 404 for an unknown key, 409 for a revoked one, and 422 for a grace beyond 30 days', async () => {
    // Prepare
    const { service } = harness();
    const issued = await service.create(request(), 'a');
    await service.revoke(issued.key_id);
    const live = await service.create(request(), 'a');
    // Act
    const unknown = await service.rotate('zzzzzzzzzzzzzzzz').catch((e: unknown) => e);
    const revoked = await service.rotate(issued.key_id).catch((e: unknown) => e);
    const tooLong = await validationIssues(service.rotate(live.key_id, { grace_period_hours: 24 * 31 }));
    // Assert
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).status).toBe(404);
    expect(revoked).toBeInstanceOf(ConflictError);
    expect((revoked as ConflictError).status).toBe(409);
    expect(tooLong.issues.map((i) => i.path)).toEqual(['grace_period_hours']);
    expect((await service.authenticate(live.api_key)).ok).toBe(true);
  });
});

describe('ApiKeyService.revoke', () => {
  it('revokes once and answers the same view on a second revocation; an unknown key is a 404', async () => {
    // Prepare
    const { service, audit, setNow } = harness();
    const issued = await service.create(request(), 'a');
    // Act
    const first = await service.revoke(issued.key_id, 'admin-key');
    setNow(new Date('2026-06-12T00:00:00.000Z'));
    const second = await service.revoke(issued.key_id, 'admin-key');
    const unknown = await service.revoke('zzzzzzzzzzzzzzzz').catch((e: unknown) => e);
    // Assert
    expect(first).toMatchObject({ status: 'revoked', revoked_at: START.toISOString() });
    expect(second).toEqual(first);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(audit.filter((l) => l.action === 'key.revoked')).toEqual([
      { action: 'key.revoked', key_id: issued.key_id, owner: 'team-a', by: 'admin-key' },
    ]);
  });
  it('refuses to revoke the last active admin key with a 409 naming the rule, and changes nothing', async () => {
    // Prepare: one active admin key; another admin key that is revoked and one that has expired
    const { service, keys, setNow } = harness();
    const last = await service.create(request({ owner: 'ops', scopes: ['admin'] }), 'bootstrap');
    const revokedAdmin = await service.create(request({ owner: 'ops', scopes: ['admin'] }), 'bootstrap');
    await service.revoke(revokedAdmin.key_id, 'ops');
    await service.create(
      request({ owner: 'ops', scopes: ['admin'], expires_at: '2026-06-11T00:00:00.000Z' }),
      'bootstrap',
    );
    setNow(new Date('2026-06-12T00:00:00.000Z'));
    // Act
    const refused = await service.revoke(last.key_id, 'ops').catch((e: unknown) => e);
    // Assert
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toMatch(
      /last active admin key.*Create another admin key first/,
    );
    expect((refused as ConflictError).details).toEqual({
      key_id: last.key_id,
      rule: 'last_active_admin_key',
    });
    expect((await keys.get(last.key_id))?.revoked_at).toBeNull();
  });

  it('revokes an admin key while another active admin key remains, then refuses the one left', async () => {
    // Prepare
    const { service } = harness();
    const first = await service.create(request({ owner: 'ops', scopes: ['admin'] }), 'bootstrap');
    const second = await service.create(
      request({ owner: 'ops', scopes: ['admin', 'generate'] }),
      'bootstrap',
    );
    // Act
    const revoked = await service.revoke(first.key_id, 'ops');
    const refused = await service.revoke(second.key_id, 'ops').catch((e: unknown) => e);
    const again = await service.revoke(first.key_id, 'ops');
    // Assert
    expect(revoked.status).toBe('revoked');
    expect(refused).toBeInstanceOf(ConflictError);
    expect(again).toEqual(revoked);
  });
});

describe('ApiKeyService.get and list', () => {
  it('shows a key with its use over the last days, today first, zeros where nothing was counted', async () => {
    // Prepare
    const { service, usageAsked } = harness();
    const issued = await service.create(request(), 'a');
    // Act
    const detail = await service.get(issued.key_id, 3);
    // Assert
    expect(usageAsked).toEqual([['2026-06-10', '2026-06-09', '2026-06-08']]);
    expect(detail.usage).toEqual([
      { day: '2026-06-10', requests: 0, jobs: 0, patients: 0 },
      { day: '2026-06-09', requests: 12, jobs: 2, patients: 300 },
      { day: '2026-06-08', requests: 0, jobs: 0, patients: 0 },
    ]);
    expect(detail).toMatchObject({ key_id: issued.key_id, status: 'active' });
    expect(Object.keys(detail)).not.toContain('secret_hash');
  });

  it('answers 404 for an unknown key and 422 naming days outside 1–MAX_USAGE_DAYS', async () => {
    // Prepare
    const { service } = harness();
    const issued = await service.create(request(), 'a');
    // Act
    const unknown = await service.get('zzzzzzzzzzzzzzzz').catch((e: unknown) => e);
    const tooMany = await validationIssues(service.get(issued.key_id, MAX_USAGE_DAYS + 1));
    const none = await validationIssues(service.get(issued.key_id, 0));
    const most = await service.get(issued.key_id, MAX_USAGE_DAYS);
    // Assert
    expect(most.usage).toHaveLength(MAX_USAGE_DAYS);
    expect(unknown).toBeInstanceOf(NotFoundError);
    for (const error of [tooMany, none]) expect(error.issues.map((i) => i.path)).toEqual(['days']);
  });

  it('lists keys as views with their status: active, expired or revoked', async () => {
    // Prepare
    const { service, setNow } = harness();
    const active = await service.create(request(), 'a');
    setNow(new Date('2026-06-10T08:00:01.000Z'));
    const expiring = await service.create(request({ expires_at: '2026-06-10T09:00:00.000Z' }), 'a');
    setNow(new Date('2026-06-10T08:00:02.000Z'));
    const revoked = await service.create(request(), 'a');
    await service.revoke(revoked.key_id);
    setNow(new Date('2026-06-10T10:00:00.000Z'));
    // Act
    const page = await service.list({ owner: 'team-a', limit: 10 });
    // Assert
    expect(page.items.map((k) => [k.key_id, k.status])).toEqual([
      [revoked.key_id, 'revoked'],
      [expiring.key_id, 'expired'],
      [active.key_id, 'active'],
    ]);
    expect(page.next_cursor).toBeNull();
    for (const item of page.items) expect(Object.keys(item)).not.toContain('secret_hash');
  });
});
