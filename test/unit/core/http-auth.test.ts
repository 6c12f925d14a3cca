/** The codec between a verified principal and API Gateway's authorizer context (lib/core/http-auth.ts). */
import { describe, expect, it } from 'vitest';
import {
  authorizerContextOf,
  type Principal,
  principalFromAuthorizerContext,
  rateLimitHeaders,
} from '../../../lib/core/http-auth.js';

const PRINCIPAL: Principal = {
  owner: 'team-a',
  keyId: 'abcdefghijk23456',
  scopes: ['generate', 'admin'],
  limits: {
    max_patients_per_job: 50,
    max_concurrent_jobs: 1,
    daily_patient_quota: 250,
    daily_job_quota: 5,
    requests_per_minute: 60,
  },
};

describe('authorizer context', () => {
  it('holds strings only and gives the principal back whole', () => {
    // Act
    const context = authorizerContextOf(PRINCIPAL);
    // Assert
    expect(Object.values(context).every((v) => typeof v === 'string')).toBe(true);
    expect(context).toMatchObject({ owner: 'team-a', key_id: 'abcdefghijk23456', scopes: 'generate admin' });
    expect(principalFromAuthorizerContext(context)).toEqual(PRINCIPAL);
  });

  it('ignores what API Gateway adds (principalId, integrationLatency)', () => {
    // Prepare
    const context = {
      ...authorizerContextOf(PRINCIPAL),
      principalId: 'abcdefghijk23456',
      integrationLatency: 12,
    };
    // Act
    const principal = principalFromAuthorizerContext(context);
    // Assert
    expect(principal).toEqual(PRINCIPAL);
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'team-a'],
    ['no owner', { ...authorizerContextOf(PRINCIPAL), owner: '' }],
    ['no key id', { ...authorizerContextOf(PRINCIPAL), key_id: undefined }],
    ['limits that are not JSON', { ...authorizerContextOf(PRINCIPAL), limits: '{' }],
    ['limits without requests_per_minute', { ...authorizerContextOf(PRINCIPAL), limits: '{"a":1}' }],
    [
      'a limit that is not a whole number',
      { ...authorizerContextOf(PRINCIPAL), limits: '{"requests_per_minute":1.5}' },
    ],
    ['limits that are an array', { ...authorizerContextOf(PRINCIPAL), limits: '[60]' }],
  ])('gives no principal for %s', (_what, context) => {
    // Act
    const principal = principalFromAuthorizerContext(context);
    // Assert
    expect(principal).toBeUndefined();
  });
});

describe('RateLimit headers', () => {
  it('names the limit, what is left (never below 0) and the seconds to the reset', () => {
    // Act
    const headers = rateLimitHeaders({ allowed: false, limit: 5, remaining: -1, resetSeconds: 17 });
    // Assert
    expect(headers).toEqual({ 'RateLimit-Limit': '5', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '17' });
  });
});
