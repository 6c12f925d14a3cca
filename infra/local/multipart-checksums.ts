/**
 * CRC32 part checksums of multipart uploads for the local S3 (fauxqs 1.9.2 keeps none): what the job
 * path's S3ResultStore and lib-storage's Upload rely on when they create an upload with
 * `x-amz-checksum-algorithm: CRC32` (lib/infrastructure/s3-result-store.ts).
 *
 * As S3 does for such an upload: each uploaded part's CRC32 is computed from the bytes received
 * (a plain body or an aws-chunked one), checked against the one the client sent (header or trailer;
 * BadDigest when they differ) and answered as `x-amz-checksum-crc32`; a copied part
 * (infra/local/upload-part-copy.ts, whose internal UploadPart passes through here) gets its CRC32 in
 * `<CopyPartResult>`; CompleteMultipartUpload must list each part's checksum beside its ETag
 * (InvalidRequest naming the first part without one, InvalidPart for a wrong one). For every upload,
 * checksum elements in a completion's `<Part>` are accepted in any order, as S3 accepts them; fauxqs
 * reads only `<PartNumber>` then `<ETag>`, so the body is rewritten into that form before it runs.
 * Uploads created without an algorithm are left as fauxqs keeps them.
 */
import { crc32 } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { asSegments, ByteSegments } from './byte-segments.js';
import { sendS3Error } from './s3-error.js';

export const CHECKSUM_ALGORITHM_HEADER = 'x-amz-checksum-algorithm';
export const CRC32_HEADER = 'x-amz-checksum-crc32';

/** The base64 of the big-endian CRC32, as S3 writes it. */
export function crc32Base64(bytes: Uint8Array | ByteSegments): string {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(bytes instanceof ByteSegments ? bytes.crc32() : crc32(bytes) >>> 0);
  return value.toString('base64');
}

/**
 * An aws-chunked body's payload (views of the body, not a copy) and trailing headers
 * (`size[;ext]\r\n data \r\n … 0\r\n trailers \r\n`).
 */
export function decodeAwsChunked(body: Buffer): { data: ByteSegments; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw new RangeError('truncated aws-chunked body');
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new RangeError('bad aws-chunked chunk size');
    at = lineEnd + 2;
    if (size === 0) break;
    chunks.push(body.subarray(at, at + size));
    at += size + 2;
  }
  for (const line of body.subarray(at).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: ByteSegments.of(...chunks), trailers };
}

/**
 * The bytes of an UploadPart request: its body (a copied part's arrive as segments,
 * infra/local/upload-part-copy.ts), decoded when it is aws-chunked, with the trailers that came with it.
 */
export function partPayload(request: FastifyRequest): {
  data: ByteSegments;
  trailers: Record<string, string>;
} {
  const body = asSegments(request.body);
  const encoding = request.headers['content-encoding'];
  if (typeof encoding === 'string' && encoding.includes('aws-chunked')) return decodeAwsChunked(body.join());
  return { data: body, trailers: {} };
}

interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly crc32?: string;
}

function unescapeXml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replaceAll('&amp;', '&');
}

/** Text escaped with the entities fauxqs unescapes (it knows no numeric ones); quotes stay as they are. */
function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The `<Part>`s of a CompleteMultipartUpload body, whatever the order of their elements. */
export function parseCompletedParts(xml: string): CompletedPart[] {
  const parts: CompletedPart[] = [];
  for (const [, inner] of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const element = (name: string) => {
      const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(inner);
      return match ? unescapeXml(match[1].trim()) : undefined;
    };
    const crc = element('ChecksumCRC32');
    parts.push({
      partNumber: Number(element('PartNumber')),
      etag: element('ETag') ?? '',
      ...(crc !== undefined ? { crc32: crc } : {}),
    });
  }
  return parts;
}

/** The completion body as fauxqs reads it: `<Part><PartNumber>…</PartNumber><ETag>…</ETag></Part>`. */
export function fauxqsCompletionXml(parts: readonly CompletedPart[]): string {
  const listed = parts
    .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>${listed}</CompleteMultipartUpload>`;
}

type Query = Record<string, unknown>;

function bodyBuffer(request: FastifyRequest): Buffer {
  const body = request.body;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.alloc(0);
}

/** Adds the CRC32 part checksums to fauxqs's multipart uploads. Install after installUploadPartCopy. */
export function installMultipartChecksums(app: FastifyInstance): void {
  /** Uploads created with CRC32: their parts' checksums by part number. */
  const uploads = new Map<string, Map<number, string>>();
  /** A part upload under way: its checksum, recorded once fauxqs has stored the part. */
  const pending = new WeakMap<FastifyRequest, { uploadId: string; partNumber: number; crc32: string }>();
  const creating = new WeakSet<FastifyRequest>();

  app.addHook('preHandler', async (request, reply) => {
    const query = (request.query ?? {}) as Query;
    if (request.method === 'POST' && 'uploads' in query) {
      const algorithm = request.headers[CHECKSUM_ALGORITHM_HEADER];
      if (typeof algorithm === 'string' && algorithm.toUpperCase() === 'CRC32') creating.add(request);
      return;
    }
    const uploadId = typeof query.uploadId === 'string' ? query.uploadId : undefined;
    if (uploadId === undefined) return;

    if (request.method === 'PUT' && query.partNumber !== undefined) {
      const parts = uploads.get(uploadId);
      if (!parts || typeof request.headers['x-amz-copy-source'] === 'string') return;
      const { data, trailers } = partPayload(request);
      const sent = request.headers[CRC32_HEADER] ?? trailers[CRC32_HEADER];
      const computed = crc32Base64(data);
      if (typeof sent === 'string' && sent !== computed) {
        return sendS3Error(
          reply,
          400,
          'BadDigest',
          'The CRC32 you specified did not match the calculated checksum.',
        );
      }
      pending.set(request, { uploadId, partNumber: Number(query.partNumber), crc32: computed });
      return;
    }

    if (request.method === 'POST') {
      const listed = parseCompletedParts(bodyBuffer(request).toString('utf8'));
      const parts = uploads.get(uploadId);
      if (parts) {
        for (const part of listed) {
          const stored = parts.get(part.partNumber);
          if (part.crc32 === undefined) {
            return sendS3Error(
              reply,
              400,
              'InvalidRequest',
              `The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
            );
          }
          if (stored !== undefined && stored !== part.crc32) {
            return sendS3Error(
              reply,
              400,
              'InvalidPart',
              "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
            );
          }
        }
      }
      request.body = Buffer.from(fauxqsCompletionXml(listed), 'utf8');
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200) return payload;
    const query = (request.query ?? {}) as Query;
    if (creating.has(request)) {
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(String(payload))?.[1];
      if (uploadId) uploads.set(uploadId, new Map());
      reply.header(CHECKSUM_ALGORITHM_HEADER, 'CRC32');
      return payload;
    }
    const part = pending.get(request);
    if (part) {
      uploads.get(part.uploadId)?.set(part.partNumber, part.crc32);
      reply.header(CRC32_HEADER, part.crc32);
      return payload;
    }
    const uploadId = typeof query.uploadId === 'string' ? query.uploadId : undefined;
    // A completed upload is gone; an aborted one answers 204.
    if (uploadId !== undefined && request.method === 'POST') uploads.delete(uploadId);
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const query = (request.query ?? {}) as Query;
    if (request.method === 'DELETE' && typeof query.uploadId === 'string' && reply.statusCode === 204) {
      uploads.delete(query.uploadId);
    }
  });
}
