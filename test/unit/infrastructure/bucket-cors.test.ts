/** Bucket CORS rules of the local S3 (infra/local/bucket-cors.ts), evaluated as S3 evaluates them. */
import { describe, expect, it } from 'vitest';
import {
  CorsConfigurationError,
  type CorsRule,
  consoleReadRule,
  corsConfigurationXml,
  corsResponseHeaders,
  parseCorsConfiguration,
  preflight,
  requestedHeaders,
} from '../../../infra/local/bucket-cors.js';

const rules: CorsRule[] = [
  { allowedOrigins: ['http://127.0.0.1:3000'], allowedMethods: ['GET'], exposeHeaders: ['ETag'] },
  {
    allowedOrigins: ['http://*.example.org'],
    allowedMethods: ['GET', 'PUT'],
    allowedHeaders: ['x-amz-*', 'Content-Type'],
    maxAgeSeconds: 60,
  },
  { allowedOrigins: ['*'], allowedMethods: ['HEAD'] },
];

function errorOf(action: () => unknown): CorsConfigurationError {
  try {
    action();
  } catch (error) {
    if (error instanceof CorsConfigurationError) return error;
    throw error;
  }
  throw new Error('no CorsConfigurationError thrown');
}

describe('corsResponseHeaders', () => {
  it('echoes the origin of the first matching rule with its methods and exposed headers', () => {
    // Act
    const headers = corsResponseHeaders(rules, { origin: 'http://127.0.0.1:3000', method: 'GET' });
    // Assert
    expect(headers).toMatchObject({
      'access-control-allow-origin': 'http://127.0.0.1:3000',
      'access-control-allow-methods': 'GET',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ETag',
    });
    expect(headers?.vary).toContain('Origin');
  });

  it('matches one wildcard in an origin, and answers * for a rule that allows every origin', () => {
    // Act
    const wildcard = corsResponseHeaders(rules, { origin: 'http://console.example.org', method: 'PUT' });
    const any = corsResponseHeaders(rules, { origin: 'https://anyone.test', method: 'HEAD' });
    // Assert
    expect(wildcard?.['access-control-allow-origin']).toBe('http://console.example.org');
    expect(wildcard?.['access-control-max-age']).toBe('60');
    expect(any?.['access-control-allow-origin']).toBe('*');
    expect(any?.['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives no headers when no rule allows the origin and method pair', () => {
    // Act
    const wrongMethod = corsResponseHeaders(rules, { origin: 'http://127.0.0.1:3000', method: 'DELETE' });
    const wrongPort = corsResponseHeaders(rules, { origin: 'http://127.0.0.1:30000', method: 'GET' });
    const wrongCase = corsResponseHeaders(rules, { origin: 'HTTP://127.0.0.1:3000', method: 'GET' });
    // Assert
    expect(wrongMethod).toBeUndefined();
    expect(wrongPort).toBeUndefined();
    expect(wrongCase).toBeUndefined();
  });
});

describe('preflight', () => {
  it('allows requested headers that match an allowed header, case-insensitively and by wildcard', () => {
    // Act
    const answer = preflight(rules, {
      origin: 'http://a.example.org',
      method: 'PUT',
      requestHeaders: ['X-Amz-Date', 'content-type'],
    });
    // Assert
    expect(answer).toEqual({
      allowed: true,
      headers: expect.objectContaining({ 'access-control-allow-headers': 'X-Amz-Date, content-type' }),
    });
  });

  it('refuses a requested header that no allowed header matches, and a bucket without rules', () => {
    // Act
    const header = preflight(rules, {
      origin: 'http://127.0.0.1:3000',
      method: 'GET',
      requestHeaders: ['authorization'],
    });
    const none = preflight(undefined, { origin: 'http://127.0.0.1:3000', method: 'GET', requestHeaders: [] });
    // Assert
    expect(header.allowed).toBe(false);
    expect(none).toEqual({ allowed: false, message: expect.stringContaining('not enabled') });
  });
});

describe('parseCorsConfiguration', () => {
  it('reads the rules of a PutBucketCors body and writes them back as GetBucketCors does', () => {
    // Prepare
    const xml = corsConfigurationXml([consoleReadRule(['http://127.0.0.1:3000', 'http://localhost:3000'])]);
    // Act
    const parsed = parseCorsConfiguration(xml);
    // Assert
    expect(parsed).toEqual([consoleReadRule(['http://127.0.0.1:3000', 'http://localhost:3000'])]);
  });

  it('rejects malformed XML, a rule without methods, an unknown method and two wildcards, naming the rule', () => {
    // Prepare
    const rule = (inner: string) => `<CORSConfiguration><CORSRule>${inner}</CORSRule></CORSConfiguration>`;
    // Act
    const malformed = errorOf(() => parseCorsConfiguration('<CORSConfiguration><CORSRule>'));
    const noMethod = errorOf(() => parseCorsConfiguration(rule('<AllowedOrigin>*</AllowedOrigin>')));
    const patch = errorOf(() =>
      parseCorsConfiguration(rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>')),
    );
    const stars = errorOf(() =>
      parseCorsConfiguration(
        rule('<AllowedOrigin>http://*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'),
      ),
    );
    const empty = errorOf(() => parseCorsConfiguration('<CORSConfiguration></CORSConfiguration>'));
    // Assert
    expect(malformed.code).toBe('MalformedXML');
    expect(noMethod.message).toContain('AllowedMethod');
    expect(patch).toMatchObject({
      code: 'InvalidRequest',
      message: expect.stringContaining('AllowedMethod'),
    });
    expect(stars.message).toContain('AllowedOrigin can not have more than one wildcard');
    expect(empty.message).toContain('CORSRule');
  });
});

describe('requestedHeaders', () => {
  it('splits Access-Control-Request-Headers into names, dropping blanks', () => {
    // Act
    const names = requestedHeaders(' range , x-amz-date,,');
    // Assert
    expect(names).toEqual(['range', 'x-amz-date']);
  });
});
