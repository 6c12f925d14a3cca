/**
 * The API-key authorizer (functions/authorizer/request-authorizer.ts) over the real key service: an
 * Allow policy for the whole API with the principal in its context, `Unauthorized` otherwise, and an
 * audit line per refusal that never holds the key.
 */
import type { APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createAuthorizer,
  presentedKeyOf,
  UNAUTHORIZED,
  wholeApiArn,
} from '../../../functions/authorizer/request-authorizer.js';
import { createLogger, principalFromAuthorizerContext } from '../../../lib/core/index.js';
import {
  type ApiKeyListQuery,
  type ApiKeyRecord,
  type ApiKeyRepository,
  ApiKeyService,
  STANDARD_KEY_LIMITS,
} from '../../../lib/domain/index.js';
import { MemoryUsageCounters } from '../../support/memory-usage-counters.js';

/** The keys table in memory: the port's behaviour for one process (the adapter has its own tests). */
class MemoryKeys implements ApiKeyRepository {
  readonly records = new Map<string, ApiKeyRecord>();
  async create(record: ApiKeyRecord) {
    this.records.set(record.key_id, record);
  }
  async get(keyId: string) {
    return this.records.get(keyId);
  }
  async list(query: ApiKeyListQuery) {
    const items = [...this.records.values()].filter((r) => !query.owner || r.owner === query.owner);
    return { items: items.slice(0, query.limit), next_cursor: null };
  }
  async rotate(keyId: string, change: { secretHash: string; rotatedAt: string; previousValidUntil: string }) {
    const record = this.records.get(keyId);
    if (!record || record.revoked_at) return undefined;
    const rotated = {
      ...record,
      previous_secret_hash: record.secret_hash,
      previous_secret_valid_until: change.previousValidUntil,
      secret_hash: change.secretHash,
      rotated_at: change.rotatedAt,
    };
    this.records.set(keyId, rotated);
    return rotated;
  }
  async revoke(keyId: string, revokedAt: string) {
    const record = this.records.get(keyId);
    if (!record || record.revoked_at) return undefined;
    const revoked = { ...record, revoked_at: revokedAt };
    this.records.set(keyId, revoked);
    return revoked;
  }
}

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/api/v1/jobs/job-1';

function authorizerEvent(headers: Record<string, string> | null): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: '/api/v1/jobs/{job_id}',
    path: '/api/v1/jobs/job-1',
    httpMethod: 'GET',
    headers,
    multiValueHeaders: null,
    pathParameters: { job_id: 'job-1' },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      requestId: 'req-9',
      identity: { sourceIp: '203.0.113.7' },
    } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

const context = {} as Context;

function setup() {
  const keys = new MemoryKeys();
  const service = new ApiKeyService({
    keys,
    usage: new MemoryUsageCounters(),
    stage: 'dev',
    defaultLimits: STANDARD_KEY_LIMITS,
    audit: () => undefined,
  });
  const failures = { count: 0 };
  const lines: Record<string, unknown>[] = [];
  const capture = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  };
  // Powertools writes INFO to stdout and WARN to stderr.
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const authorizer = createAuthorizer({
    authenticate: (key) => service.authenticate(key),
    logger: createLogger({ logLevel: 'INFO' }),
    metrics: { authFailure: () => void failures.count++ },
  });
  return { service, keys, authorizer, failures, lines };
}

afterEach(() => vi.restoreAllMocks());

describe('API-key authorizer', () => {
  it('allows a valid key on the whole API, with the principal in the context', async () => {
    // Prepare
    const { service, authorizer } = setup();
    const issued = await service.create(
      { owner: 'team-a', name: 'ci', scopes: ['generate'], limits_preset: 'demo' },
      'test',
    );
    // Act
    const result = await authorizer(authorizerEvent({ 'x-api-key': issued.api_key }), context);
    // Assert
    expect(result.principalId).toBe(issued.key_id);
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*',
      },
    ]);
    expect(principalFromAuthorizerContext(result.context)).toEqual({
      owner: 'team-a',
      keyId: issued.key_id,
      scopes: ['generate'],
      limits: issued.limits,
    });
    expect(JSON.stringify(result)).not.toContain(issued.api_key.slice(-64));
  });

  it.each([
    ['missing', null, 'missing'],
    ['empty', { 'X-API-Key': '  ' }, 'missing'],
    ['not in the key format', { 'X-API-Key': 'sk_local_0123' }, 'malformed'],
    ['of another stage', { 'X-API-Key': `mmpg_prod_abcdefghijk23456_${'0'.repeat(64)}` }, 'wrong-stage'],
    ['unknown', { 'X-API-Key': `mmpg_dev_abcdefghijk23456_${'0'.repeat(64)}` }, 'unknown-key'],
  ])('refuses a key that is %s with Unauthorized and an audit line', async (_what, headers, reason) => {
    // Prepare
    const { authorizer, failures, lines } = setup();
    // Act
    const attempt = authorizer(authorizerEvent(headers), context);
    // Assert
    await expect(attempt).rejects.toThrow(new Error(UNAUTHORIZED));
    expect(failures.count).toBe(1);
    const audit = lines.filter((l) => l.message === 'audit');
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'auth.refused',
        outcome: 'refused',
        reason,
        source_ip: '203.0.113.7',
      }),
    ]);
    if (headers?.['X-API-Key']?.trim()) {
      expect(JSON.stringify(lines)).not.toContain(headers['X-API-Key']);
    }
  });

  it('refuses a wrong secret, a revoked and an expired key, naming the key id but never the key', async () => {
    // Prepare
    const { service, keys, authorizer, lines } = setup();
    const wrong = await service.create(
      { owner: 'team-a', name: 'w', scopes: ['generate'], limits_preset: 'standard' },
      't',
    );
    const revoked = await service.create(
      { owner: 'team-a', name: 'r', scopes: ['generate'], limits_preset: 'standard' },
      't',
    );
    const expired = await service.create(
      { owner: 'team-a', name: 'e', scopes: ['generate'], limits_preset: 'standard' },
      't',
    );
    await service.revoke(revoked.key_id, 't');
    const record = keys.records.get(expired.key_id)!;
    keys.records.set(expired.key_id, { ...record, expires_at: '2000-01-01T00:00:00.000Z' });
    const wrongKey = `${wrong.api_key.slice(0, -64)}${'f'.repeat(64)}`;
    // Act
    const outcomes = await Promise.allSettled(
      [wrongKey, revoked.api_key, expired.api_key].map((key) =>
        authorizer(authorizerEvent({ 'X-API-Key': key }), context),
      ),
    );
    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const audit = lines.filter((l) => l.action === 'auth.refused');
    expect(audit.map((l) => [l.reason, l.key_id])).toEqual([
      ['wrong-secret', wrong.key_id],
      ['revoked', revoked.key_id],
      ['expired', expired.key_id],
    ]);
    const logged = JSON.stringify(lines);
    for (const key of [wrongKey, revoked.api_key, expired.api_key])
      expect(logged).not.toContain(key.slice(-64));
  });

  it('allows the previous secret during a rotation grace, with an audit line saying so', async () => {
    // Prepare
    const { service, authorizer, lines } = setup();
    const issued = await service.create(
      { owner: 'team-a', name: 'r', scopes: ['generate'], limits_preset: 'standard' },
      't',
    );
    await service.rotate(issued.key_id, { grace_period_hours: 1 }, 't');
    // Act
    const result = await authorizer(authorizerEvent({ 'X-API-Key': issued.api_key }), context);
    // Assert
    expect(result.principalId).toBe(issued.key_id);
    expect(lines.filter((l) => l.action === 'auth.previous-secret')).toEqual([
      expect.objectContaining({ key_id: issued.key_id, owner: 'team-a', source_ip: '203.0.113.7' }),
    ]);
  });
});

describe('authorizer helpers', () => {
  it('covers every method and path of the stage', () => {
    // Act
    const arn = wholeApiArn(METHOD_ARN);
    // Assert
    expect(arn).toBe('arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*');
    expect(() => wholeApiArn('nonsense')).toThrow();
  });

  it('reads the key from the header in any spelling, or its last multi-value', () => {
    // Assert
    expect(presentedKeyOf({ headers: { 'X-API-KEY': ' k ' }, multiValueHeaders: null })).toBe('k');
    expect(presentedKeyOf({ headers: null, multiValueHeaders: { 'x-api-key': ['a', 'b'] } })).toBe('b');
    expect(presentedKeyOf({ headers: { Accept: '*/*' }, multiValueHeaders: null })).toBeUndefined();
  });
});
