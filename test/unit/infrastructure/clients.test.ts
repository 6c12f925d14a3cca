/**
 * The S3 client's addressing decides the origin of presigned URLs: virtual-hosted in AWS (the origin
 * the web console's CSP and the results bucket's CORS rule name), path-style against an emulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../lib/infrastructure/index.js';

const saved = { s3: process.env.AWS_ENDPOINT_URL_S3, all: process.env.AWS_ENDPOINT_URL };

afterEach(() => {
  for (const [name, value] of [
    ['AWS_ENDPOINT_URL_S3', saved.s3],
    ['AWS_ENDPOINT_URL', saved.all],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('AWS clients', () => {
  it('address S3 virtual-hosted style in AWS, so presigned URLs name the bucket in the host', async () => {
    // Prepare
    delete process.env.AWS_ENDPOINT_URL_S3;
    delete process.env.AWS_ENDPOINT_URL;

    // Act
    const { s3 } = createAwsClients();

    // Assert
    expect(s3.config.forcePathStyle).toBe(false);
  });

  it('address S3 path-style when an emulator endpoint is set', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:4566';

    // Act
    const { s3 } = createAwsClients();

    // Assert
    expect(s3.config.forcePathStyle).toBe(true);
  });
});
