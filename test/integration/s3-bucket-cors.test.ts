/**
 * The local S3 (fauxqs behind infra/local/s3-sqs-emulator.ts) answers a browser like a real bucket
 * with a CORS rule: the web console at the gateway's origin fetches a job's file from a presigned
 * URL of S3ResultStore, after a preflight when it sends headers of its own.
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { DeleteBucketCorsCommand, GetBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowResultOrigins } from '../../infra/local/emulators.js';
import type { S3SqsEmulator } from '../../infra/local/s3-sqs-emulator.js';
import { S3ResultStore } from '../../lib/infrastructure/index.js';
import { startLocalS3 } from '../support/local-s3.js';

const CONSOLE = 'http://127.0.0.1:3000';
const CONSOLE_BY_NAME = 'http://localhost:3000';
const BUCKET = 'cors-results';
const KEY = 'jobs/job-1/patients.ndjson';
const BODY = '{"id":"p1"}\n{"id":"p2"}\n';

let emulator: S3SqsEmulator;
let s3: S3Client;
let store: S3ResultStore;
let url: string;

beforeAll(async () => {
  ({ emulator, s3 } = await startLocalS3(BUCKET));
  store = new S3ResultStore(s3, BUCKET);
  await store.upload(KEY, Readable.from([BODY]), { contentType: 'application/x-ndjson' });
  await allowResultOrigins(
    { AWS_ENDPOINT_URL_S3: emulator.endpoint, AWS_REGION: 'us-east-1', RESULTS_BUCKET: BUCKET },
    [CONSOLE, CONSOLE_BY_NAME],
  );
  url = await store.presignGet(KEY, { expiresIn: 300, downloadName: 'patients.ndjson' });
});

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
});

/** A raw HTTP GET with this Host header (fetch always sends the URL's host). */
function getWithHost(target: string, host: string): Promise<number> {
  const parsed = new URL(target);
  return new Promise((resolve, reject) => {
    request({
      host: parsed.hostname,
      port: parsed.port,
      path: parsed.pathname + parsed.search,
      headers: { host },
    })
      .on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject)
      .end();
  });
}

describe('bucket CORS on the local S3', () => {
  it('serves a presigned GET from an allowed origin with its file, the origin and the exposed headers', async () => {
    // Act
    const response = await fetch(url, { headers: { origin: CONSOLE } });
    // Assert
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(BODY);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('vary')).toContain('Origin');
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(', ');
    expect(exposed).toEqual(expect.arrayContaining(['ETag', 'Content-Length', 'Content-Disposition']));
    expect(response.headers.get('content-disposition')).toContain('patients.ndjson');
    expect(response.headers.get('etag')).toMatch(/^".+"$/);
  });

  it('allows the console under its localhost name too, and HEAD as well as GET', async () => {
    // Act
    const response = await fetch(url, { method: 'HEAD', headers: { origin: CONSOLE_BY_NAME } });
    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE_BY_NAME);
  });

  it('answers the preflight of an allowed origin with the methods, the requested headers and a max age', async () => {
    // Act
    const response = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: CONSOLE,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'range',
      },
    });
    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    expect(response.headers.get('access-control-allow-headers')).toBe('range');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('refuses the preflight of another origin, or of a method the rule does not allow, with 403', async () => {
    // Act
    const otherOrigin = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:4000', 'access-control-request-method': 'GET' },
    });
    const put = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: CONSOLE, 'access-control-request-method': 'PUT' },
    });
    // Assert
    expect(otherOrigin.status).toBe(403);
    expect(await otherOrigin.text()).toContain('<Code>AccessForbidden</Code>');
    expect(otherOrigin.headers.get('access-control-allow-origin')).toBeNull();
    expect(put.status).toBe(403);
  });

  it('serves another origin the file without CORS headers, so its browser withholds it', async () => {
    // Act
    const response = await fetch(url, { headers: { origin: 'https://elsewhere.example' } });
    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives the rule back through GetBucketCors, as the SDK reads it from a real bucket', async () => {
    // Act
    const got = await s3.send(new GetBucketCorsCommand({ Bucket: BUCKET }));
    // Assert
    expect(got.CORSRules).toEqual([
      expect.objectContaining({
        AllowedOrigins: [CONSOLE, CONSOLE_BY_NAME],
        AllowedMethods: ['GET', 'HEAD'],
      }),
    ]);
  });

  it('refuses a preflight on a bucket without CORS rules', async () => {
    // Prepare
    await emulator.createBucket('no-cors');
    // Act
    const response = await fetch(`${emulator.endpoint}/no-cors/file`, {
      method: 'OPTIONS',
      headers: { origin: CONSOLE, 'access-control-request-method': 'GET' },
    });
    // Assert
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('CORS is not enabled for this bucket');
  });

  it('forgets the rules on DeleteBucketCors, then refuses the preflight it allowed before', async () => {
    // Prepare
    await emulator.createBucket('cors-deleted');
    const env = {
      AWS_ENDPOINT_URL_S3: emulator.endpoint,
      AWS_REGION: 'us-east-1',
      RESULTS_BUCKET: 'cors-deleted',
    };
    await allowResultOrigins(env, [CONSOLE]);
    const ask = () =>
      fetch(`${emulator.endpoint}/cors-deleted/file`, {
        method: 'OPTIONS',
        headers: { origin: CONSOLE, 'access-control-request-method': 'GET' },
      });
    const before = await ask();
    // Act
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'cors-deleted' }));
    const after = await ask();
    // Assert
    expect(before.status).toBe(200);
    expect(after.status).toBe(403);
  });

  it('rejects a malformed PutBucketCors body with 400 MalformedXML and keeps the rules it had', async () => {
    // Act
    const response = await fetch(`${emulator.endpoint}/${BUCKET}?cors`, {
      method: 'PUT',
      headers: { 'content-type': 'application/xml' },
      body: '<CORSConfiguration><CORSRule>',
    });
    const still = await fetch(url, { headers: { origin: CONSOLE } });
    // Assert
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>MalformedXML</Code>');
    expect(still.headers.get('access-control-allow-origin')).toBe(CONSOLE);
  });

  it('answers the CORS subresource of a missing bucket with 404 NoSuchBucket', async () => {
    // Act
    const response = await fetch(`${emulator.endpoint}/no-such-bucket?cors`);
    // Assert
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<Code>NoSuchBucket</Code>');
  });

  it('refuses requests whose Host is not a loopback name (DNS rebinding) and keeps serving loopback ones', async () => {
    // Act
    const rebound = await getWithHost(url, `${BUCKET}.attacker.example`);
    const direct = await getWithHost(url, new URL(url).host);
    const byName = await getWithHost(url, `localhost:${new URL(url).port}`);
    // Assert
    expect(rebound).toBe(403);
    expect(direct).toBe(200);
    expect(byName).toBe(200);
  });

  it('refuses a response-content-disposition holding a line break with 400 instead of splitting the answer', async () => {
    // Prepare
    const bad = new URL(url);
    bad.searchParams.set('response-content-disposition', 'attachment\r\nSet-Cookie: x=1');
    // Act
    const response = await fetch(bad);
    // Assert
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('response-content-disposition');
  });
});
