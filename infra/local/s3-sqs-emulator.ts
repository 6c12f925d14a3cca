/**
 * The local SQS + S3: fauxqs's application, listening on 127.0.0.1 only. fauxqs's own
 * `startFauxqs` binds every interface whatever its host option says, and the emulator has no
 * authentication, so this module builds the same app (`buildApp`) and listens itself. On top of
 * fauxqs it adds what a real bucket does and fauxqs does not (memory/decisions/0540):
 * - bucket CORS: PutBucketCors / GetBucketCors / DeleteBucketCors (`?cors`), preflight OPTIONS,
 *   and the CORS headers of matching GET/HEAD answers (rules evaluated in bucket-cors.ts);
 * - the `response-content-*` overrides of a presigned GET (the download name, for one);
 * - a Host check: only loopback names, so a web page that rebinds its DNS name to 127.0.0.1
 *   cannot read the files through the victim's browser;
 * - UploadPartCopy (upload-part-copy.ts), through the emulator's own GetObject and UploadPart
 *   (memory/decisions/0905-composable-parts.md);
 * - a store that keeps a multipart upload's parts as they arrived instead of joining them into one
 *   Buffer (segmented-s3-store.ts, memory/decisions/0918-local-s3-keeps-parts.md).
 */
import type { FastifyRequest } from 'fastify';
import { buildApp } from 'fauxqs';
import {
  CorsConfigurationError,
  type CorsRule,
  corsConfigurationXml,
  corsResponseHeaders,
  parseCorsConfiguration,
  preflight,
  requestedHeaders,
  validateCorsRules,
} from './bucket-cors.js';
import { installMultipartChecksums } from './multipart-checksums.js';
import { sendS3Error } from './s3-error.js';
import { installSegmentedObjects, SegmentedS3Store } from './segmented-s3-store.js';
import { installUploadPartCopy } from './upload-part-copy.js';

export const LOOPBACK = '127.0.0.1';

export interface S3SqsEmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly region?: string;
}

export interface S3SqsEmulator {
  /** http://127.0.0.1:<port>, for AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_S3. */
  readonly endpoint: string;
  readonly port: number;
  createQueue(
    name: string,
    attributes?: Readonly<Record<string, string>>,
  ): Promise<{ queueUrl: string; queueArn: string }>;
  createBucket(name: string): Promise<void>;
  /** Replaces the bucket's CORS rules, as PutBucketCors does. */
  putBucketCors(bucket: string, rules: readonly CorsRule[]): void;
  stop(): Promise<void>;
}

/** The query parameters of a GET that set the answer's headers (S3 GetObject). */
const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

// A header value may not hold control characters (CR/LF would split the answer).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = (
    host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]
  ).toLowerCase();
  return name === LOOPBACK || name === 'localhost' || name === '[::1]' || name.endsWith('.localhost');
}

/** Bucket and key of a path-style request (fauxqs has already rewritten virtual-hosted ones). */
function target(url: string): { bucket?: string; key?: string } {
  const path = url.split('?')[0] ?? '/';
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!match || match[1].startsWith('_')) return {};
  return { bucket: match[1], key: match[2] ? match[2] : undefined };
}

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

export async function startS3SqsEmulator(options: S3SqsEmulatorOptions = {}): Promise<S3SqsEmulator> {
  const region = options.region ?? 'us-east-1';
  const s3Store = new SegmentedS3Store();
  // fauxqs types `stores` as all three of its own stores; at run time each is optional, and this one
  // is its S3Store class, extended.
  const appOptions = { logger: false, defaultRegion: region, stores: { s3Store } };
  const app = buildApp(appOptions as unknown as Parameters<typeof buildApp>[0]);
  const corsRules = new Map<string, readonly CorsRule[]>();
  const overrides = new WeakMap<FastifyRequest, Record<string, string>>();
  let hostHeader = `${LOOPBACK}:0`;

  app.addHook('onRequest', async (request, reply) => {
    if (!isLoopbackHost(request.headers.host)) {
      return sendS3Error(reply, 403, 'AccessDenied', 'The local emulator answers loopback host names only.');
    }
    const { bucket, key } = target(request.url);
    if (!bucket) return;
    const origin = request.headers.origin;
    if (request.method === 'OPTIONS') {
      const method = request.headers['access-control-request-method'];
      if (!origin || typeof method !== 'string') {
        return sendS3Error(
          reply,
          400,
          'BadRequest',
          'Insufficient information. Origin request header needed.',
        );
      }
      const answer = preflight(corsRules.get(bucket), {
        origin,
        method,
        requestHeaders: requestedHeaders(request.headers['access-control-request-headers']),
      });
      if (!answer.allowed) return sendS3Error(reply, 403, 'AccessForbidden', answer.message);
      return reply.status(200).headers(answer.headers).send();
    }
    const rules = corsRules.get(bucket);
    if (origin && rules) {
      const headers = corsResponseHeaders(rules, { origin, method: request.method });
      if (headers) reply.headers(headers);
    }
    if (key && request.method === 'GET') {
      const set: Record<string, string> = {};
      for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
        const value = query(request)[parameter];
        if (typeof value !== 'string') continue;
        if (!HEADER_VALUE.test(value)) {
          return sendS3Error(reply, 400, 'InvalidArgument', `${parameter} must be a valid header value.`);
        }
        set[header] = value;
      }
      if (Object.keys(set).length > 0) overrides.set(request, set);
    }
  });

  // ?cors on a bucket: the CORS subresource, which fauxqs does not know (it would create, list or
  // delete the bucket instead).
  app.addHook('preHandler', async (request, reply) => {
    const { bucket, key } = target(request.url);
    if (!bucket || key !== undefined || !('cors' in query(request))) return;
    const exists = await app.inject({ method: 'HEAD', url: `/${bucket}`, headers: { host: hostHeader } });
    if (exists.statusCode !== 200) {
      return sendS3Error(reply, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    if (request.method === 'GET') {
      const rules = corsRules.get(bucket);
      if (!rules)
        return sendS3Error(reply, 404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist');
      return reply.status(200).header('content-type', 'application/xml').send(corsConfigurationXml(rules));
    }
    if (request.method === 'DELETE') {
      corsRules.delete(bucket);
      return reply.status(204).send();
    }
    if (request.method === 'PUT') {
      const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      try {
        corsRules.set(bucket, parseCorsConfiguration(body));
      } catch (error) {
        if (!(error instanceof CorsConfigurationError)) throw error;
        return sendS3Error(reply, 400, error.code, error.message);
      }
      return reply.status(200).send();
    }
  });

  installUploadPartCopy(app, () => hostHeader);
  // After the copy: its internal UploadPart gets the copied part's checksum here.
  installMultipartChecksums(app);
  // Last: every part the checks let through is stored as segments, and GETs of assembled objects.
  installSegmentedObjects(app, s3Store);

  app.addHook('onSend', async (request, reply, payload) => {
    const set = overrides.get(request);
    if (set && (reply.statusCode === 200 || reply.statusCode === 206)) reply.headers(set);
    return payload;
  });

  await app.listen({ port: options.port ?? 0, host: LOOPBACK });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  hostHeader = `${LOOPBACK}:${port}`;

  const sqs = async (action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const response = await app.inject({
      method: 'POST',
      url: '/',
      headers: {
        host: hostHeader,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
      },
      payload: JSON.stringify(body),
    });
    if (response.statusCode !== 200) throw new Error(`SQS ${action} failed: ${response.body}`);
    return response.json() as Record<string, unknown>;
  };

  return {
    endpoint: `http://${hostHeader}`,
    port,
    async createQueue(name, attributes = {}) {
      const { QueueUrl } = (await sqs('CreateQueue', { QueueName: name, Attributes: attributes })) as {
        QueueUrl: string;
      };
      const got = (await sqs('GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] })) as {
        Attributes: { QueueArn: string };
      };
      return { queueUrl: QueueUrl, queueArn: got.Attributes.QueueArn };
    },
    async createBucket(name) {
      const response = await app.inject({ method: 'PUT', url: `/${name}`, headers: { host: hostHeader } });
      if (response.statusCode !== 200) throw new Error(`S3 CreateBucket ${name} failed: ${response.body}`);
    },
    putBucketCors(bucket, rules) {
      corsRules.set(bucket, validateCorsRules(rules));
    },
    stop: () => app.close(),
  };
}
