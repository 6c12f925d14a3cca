/**
 * The keys table against dynalite (the globalSetup's emulator): conditional create, rotate and revoke,
 * the owner index and the all-owners list with validated cursors, and the service over it storing no
 * part of a key.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError, MalformedRequestError, PayloadTooLargeError } from '../../lib/core/index.js';
import {
  type ApiKeyRecord,
  ApiKeyService,
  type KeyAuditEvent,
  STANDARD_KEY_LIMITS,
} from '../../lib/domain/index.js';
import { createAwsClients, DynamoApiKeyRepository, MAX_ITEM_BYTES } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { uniqueOwner } from '../support/platform.js';

const env = useAwsEnv();
const documents = createAwsClients().documents;
const repo = new DynamoApiKeyRepository(documents, env.API_KEYS_TABLE);
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function keyId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from(randomBytes(16), (b) => alphabet[b & 31]).join('');
}

let second = 0;
function keyRecord(owner: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  second++;
  return {
    key_id: keyId(),
    owner,
    name: 'team key',
    scopes: ['generate'],
    limits: STANDARD_KEY_LIMITS,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    created_by: 'test',
    expires_at: null,
    revoked_at: null,
    secret_hash: HASH_A,
    rotated_at: null,
    previous_secret_hash: null,
    previous_secret_valid_until: null,
    ...overrides,
  };
}

describe('DynamoApiKeyRepository', () => {
  it('stores a key and reads it back, and refuses a second key with the same id', async () => {
    // Prepare
    const record = keyRecord(uniqueOwner());
    // Act
    await repo.create(record);
    const read = await repo.get(record.key_id);
    const again = await repo.create({ ...record, owner: 'someone-else' }).catch((error: unknown) => error);
    // Assert
    expect(read).toEqual(record);
    expect(again).toBeInstanceOf(ConflictError);
    expect((await repo.get(record.key_id))?.owner).toBe(record.owner);
    expect(await repo.get(keyId())).toBeUndefined();
  });

  it('refuses a key above the 400 KB item limit with a 413 and writes nothing', async () => {
    // Prepare
    const record = keyRecord(uniqueOwner(), { name: 'x'.repeat(MAX_ITEM_BYTES) });
    // Act
    const refused = await repo.create(record).catch((error: unknown) => error);
    // Assert
    expect(refused).toBeInstanceOf(PayloadTooLargeError);
    expect(await repo.get(record.key_id)).toBeUndefined();
  });

  it("lists one owner's keys newest first across pages, never another owner's, and refuses its cursor for another owner", async () => {
    // Prepare
    const owner = uniqueOwner('lister');
    const other = uniqueOwner('other');
    const mine: ApiKeyRecord[] = [];
    for (let i = 0; i < 5; i++) mine.push(keyRecord(owner));
    for (const record of mine) await repo.create(record);
    await repo.create(keyRecord(other));
    // Act
    const pages: string[][] = [];
    let cursor: string | null = null;
    let firstCursor: string | null = null;
    do {
      const page = await repo.list({ owner, limit: 2, cursor });
      pages.push(page.items.map((k) => k.key_id));
      firstCursor ??= page.next_cursor;
      cursor = page.next_cursor;
    } while (cursor);
    const foreign = await repo.list({ owner: other, limit: 2, cursor: firstCursor }).catch((e: unknown) => e);
    // Assert
    expect(pages).toEqual([
      [mine[4].key_id, mine[3].key_id],
      [mine[2].key_id, mine[1].key_id],
      [mine[0].key_id],
    ]);
    expect(foreign).toBeInstanceOf(MalformedRequestError);
    expect((foreign as MalformedRequestError).status).toBe(400);
  });

  it("lists every owner's keys newest first (ties by key id) across pages with a position cursor", async () => {
    // Prepare: times far ahead of every other test's keys, so these come first in the table's order.
    const at = (n: number) => new Date(Date.UTC(2090, 0, 1, 0, 0, n)).toISOString();
    const keys = [
      keyRecord(uniqueOwner('a'), { created_at: at(1) }),
      keyRecord(uniqueOwner('b'), { created_at: at(2) }),
      keyRecord(uniqueOwner('c'), { created_at: at(3) }),
      keyRecord(uniqueOwner('d'), { created_at: at(3) }),
      keyRecord(uniqueOwner('e'), { created_at: at(4) }),
    ];
    for (const record of keys) await repo.create(record);
    const tied = [keys[2], keys[3]].sort((x, y) => (x.key_id < y.key_id ? 1 : -1)).map((k) => k.key_id);
    // Act
    const first = await repo.list({ limit: 2 });
    const secondPage = await repo.list({ limit: 2, cursor: first.next_cursor });
    const thirdPage = await repo.list({ limit: 1, cursor: secondPage.next_cursor });
    const everything: ApiKeyRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await repo.list({ limit: 50, cursor });
      everything.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    // Assert
    expect(first.items.map((k) => k.key_id)).toEqual([keys[4].key_id, tied[0]]);
    expect(secondPage.items.map((k) => k.key_id)).toEqual([tied[1], keys[1].key_id]);
    expect(thirdPage.items.map((k) => k.key_id)).toEqual([keys[0].key_id]);
    expect(new Set(everything.map((k) => k.key_id)).size).toBe(everything.length);
    const times = everything.map((k) => k.created_at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('refuses a forged cursor or an owner-list cursor on the all-owners list with a 400', async () => {
    // Prepare
    const owner = uniqueOwner();
    await repo.create(keyRecord(owner));
    await repo.create(keyRecord(owner));
    const ownerCursor = (await repo.list({ owner, limit: 1 })).next_cursor;
    // Act
    const outcomes = await Promise.all(
      [ownerCursor, 'not-a-cursor', Buffer.from('{"v":1,"k":{"key_id":5}}').toString('base64url')].map(
        (cursor) => repo.list({ limit: 1, cursor }).catch((error: unknown) => error),
      ),
    );
    // Assert
    expect(ownerCursor).not.toBeNull();
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(MalformedRequestError);
  });

  it('rotates a live key: the current hash becomes the previous one with its end of grace', async () => {
    // Prepare
    const record = keyRecord(uniqueOwner());
    await repo.create(record);
    const change = {
      secretHash: HASH_B,
      rotatedAt: '2026-02-01T00:00:00.000Z',
      previousValidUntil: '2026-02-02T00:00:00.000Z',
    };
    // Act
    const rotated = await repo.rotate(record.key_id, change);
    const unknown = await repo.rotate(keyId(), change);
    // Assert
    expect(rotated).toEqual({
      ...record,
      secret_hash: HASH_B,
      previous_secret_hash: HASH_A,
      rotated_at: change.rotatedAt,
      previous_secret_valid_until: change.previousValidUntil,
    });
    expect(await repo.get(record.key_id)).toEqual(rotated);
    expect(unknown).toBeUndefined();
  });

  it('revokes a key once: a second revocation, a rotation of the revoked key and an unknown key change nothing', async () => {
    // Prepare
    const record = keyRecord(uniqueOwner());
    await repo.create(record);
    // Act
    const revoked = await repo.revoke(record.key_id, '2026-03-01T00:00:00.000Z');
    const again = await repo.revoke(record.key_id, '2026-03-02T00:00:00.000Z');
    const rotated = await repo.rotate(record.key_id, {
      secretHash: HASH_B,
      rotatedAt: '2026-03-03T00:00:00.000Z',
      previousValidUntil: '2026-03-04T00:00:00.000Z',
    });
    const unknown = await repo.revoke(keyId(), '2026-03-01T00:00:00.000Z');
    // Assert
    expect(revoked).toEqual({ ...record, revoked_at: '2026-03-01T00:00:00.000Z' });
    expect(again).toBeUndefined();
    expect(rotated).toBeUndefined();
    expect(unknown).toBeUndefined();
    expect(await repo.get(record.key_id)).toEqual(revoked);
  });

  it('lets exactly one of many concurrent revocations win', async () => {
    // Prepare
    const record = keyRecord(uniqueOwner());
    await repo.create(record);
    const times = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 3, 1, 0, 0, i)).toISOString());
    // Act
    const results = await Promise.all(times.map((at) => repo.revoke(record.key_id, at)));
    // Assert
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect((await repo.get(record.key_id))?.revoked_at).toBe(winners[0]?.revoked_at);
  });
});

describe('ApiKeyService over the keys table', () => {
  it('issues a key that authenticates while the stored item holds no part of its secret, then rotates and revokes it', async () => {
    // Prepare
    const audit: KeyAuditEvent[] = [];
    let now = new Date('2026-05-01T12:00:00.000Z');
    const service = new ApiKeyService({
      keys: repo,
      usage: { usage: async (_id, days) => days.map((day) => ({ day, requests: 0, jobs: 0, patients: 0 })) },
      stage: 'local',
      defaultLimits: STANDARD_KEY_LIMITS,
      now: () => now,
      audit: (line) => audit.push(line),
    });
    const owner = uniqueOwner('svc');
    // Act
    const issued = await service.create(
      { owner, name: 'exercise', scopes: ['generate'], limits_preset: 'standard' },
      'test',
    );
    const { Item } = await documents.send(
      new GetCommand({ TableName: env.API_KEYS_TABLE, Key: { key_id: issued.key_id }, ConsistentRead: true }),
    );
    const secret = issued.api_key.split('_').at(-1) ?? '';
    const first = await service.authenticate(issued.api_key);
    const rotated = await service.rotate(issued.key_id, { grace_period_hours: 1 }, 'test');
    const oldInGrace = await service.authenticate(issued.api_key);
    now = new Date('2026-05-01T13:00:00.001Z');
    const oldAfterGrace = await service.authenticate(issued.api_key);
    const fresh = await service.authenticate(rotated.api_key);
    await service.revoke(issued.key_id, 'test');
    const afterRevoke = await service.authenticate(rotated.api_key);
    // Assert
    const stored = JSON.stringify(Item);
    for (let i = 0; i + 8 <= secret.length; i += 8) expect(stored).not.toContain(secret.slice(i, i + 8));
    expect(first).toMatchObject({ ok: true, usedPreviousSecret: false, principal: { owner } });
    expect(oldInGrace).toMatchObject({ ok: true, usedPreviousSecret: true });
    expect(oldAfterGrace).toEqual({ ok: false, reason: 'wrong-secret', keyId: issued.key_id });
    expect(fresh).toMatchObject({ ok: true, usedPreviousSecret: false });
    expect(afterRevoke).toEqual({ ok: false, reason: 'revoked', keyId: issued.key_id });
    expect(audit.map((line) => line.action)).toEqual(['key.created', 'key.rotated', 'key.revoked']);
  });
});
