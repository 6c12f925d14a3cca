/**
 * UploadPartCopy for the local S3 (fauxqs 1.9.2 has multipart upload but not this operation): a
 * `PUT /{bucket}/{key}?partNumber=N&uploadId=U` with `x-amz-copy-source` copies the source object's
 * bytes, or the range `x-amz-copy-source-range: bytes=first-last`, in as part N, and answers
 * `<CopyPartResult>` with the part's ETag and LastModified (memory/decisions/0905-composable-parts.md).
 *
 * Nothing is stored here and nothing reaches into the store: the copy is the local S3's own GetObject
 * (with the range and the copy-source conditions as plain GET headers) followed by its own UploadPart
 * of those bytes, both through `app.inject`. The store keeps the part in the upload as it keeps any
 * uploaded part, so CompleteMultipartUpload assembles copied and uploaded parts alike and applies its
 * checks (part order, ETags, 5 MiB for every part but the last: EntityTooSmall). The bytes travel by
 * reference under one-use tokens: the GetObject's body is taken in an onSend hook (a view of the
 * stored object, or the segments of one kept as its parts: infra/local/segmented-s3-store.ts; never
 * copied or decoded), and handed to the internal UploadPart instead of a request body, so a copied
 * part is not capped by fauxqs's 11 MiB body limit.
 *
 * Errors are S3's: InvalidArgument for a part number outside 1..10000, a copy source without bucket
 * and key, a range not of the form `bytes=first-last` and a range beyond the source (S3 answers 400
 * InvalidArgument "Range specified is not valid for source object of size: N" there, not 416
 * InvalidRange as a GET does); fauxqs's NoSuchBucket / NoSuchKey for the source and NoSuchUpload for
 * the upload, passed through; PreconditionFailed when a copy-source condition does not hold.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ByteSegments, SegmentsStream } from './byte-segments.js';
import { sendS3Error } from './s3-error.js';

export const MAX_PART_NUMBER = 10_000;

/** Internal request header carrying the token under which a copy's GetObject hands its body over. */
const SOURCE_READ_HEADER = 'x-local-copy-source-read';

/** Internal request header carrying the token of the bytes a copy hands to the internal UploadPart. */
const HANDOVER_HEADER = 'x-local-copied-part';

const RANGE_FORM =
  'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';

/** A request the copy refuses: S3's status, code, message and argument. */
export class CopyPartError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export interface CopySource {
  readonly bucket: string;
  readonly key: string;
}

/** Inclusive byte offsets, as in `bytes=first-last`. */
export interface CopyRange {
  readonly first: number;
  readonly last: number;
}

/** `bucket/key` or `/bucket/key`, URL-encoded, optionally `?versionId=null` (fauxqs keeps no versions). */
export function parseCopySource(header: string): CopySource {
  const invalid = () =>
    new CopyPartError(
      400,
      'InvalidArgument',
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      {
        ArgumentName: 'x-amz-copy-source',
        ArgumentValue: header,
      },
    );
  const [path, search = ''] = header.split('?', 2);
  const versionId = new URLSearchParams(search).get('versionId');
  if (versionId !== null && versionId !== 'null') {
    throw new CopyPartError(400, 'InvalidArgument', 'Invalid version id specified', {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: header,
    });
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    throw invalid();
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalid();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

/** `bytes=first-last` with first ≤ last; anything else is S3's InvalidArgument. */
export function parseCopySourceRange(header: string): CopyRange {
  const match = /^bytes=(\d{1,15})-(\d{1,15})$/.exec(header);
  const first = match ? Number(match[1]) : Number.NaN;
  const last = match ? Number(match[2]) : Number.NaN;
  if (!match || first > last) {
    throw new CopyPartError(400, 'InvalidArgument', RANGE_FORM, {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: header,
    });
  }
  return { first, last };
}

export function parsePartNumber(value: unknown): number {
  const number = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 1 && number <= MAX_PART_NUMBER)) {
    throw new CopyPartError(
      400,
      'InvalidArgument',
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
      {
        ArgumentName: 'partNumber',
        ArgumentValue: String(value),
      },
    );
  }
  return number;
}

function rangeBeyondSource(size: string): CopyPartError {
  return new CopyPartError(
    400,
    'InvalidArgument',
    `Range specified is not valid for source object of size: ${size}`,
  );
}

function escapeXmlText(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `crc32`: the part's checksum, for an upload created with CRC32 (infra/local/multipart-checksums.ts). */
export function copyPartResultXml(etag: string, lastModified: Date, crc32?: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<CopyPartResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<ETag>${escapeXmlText(etag)}</ETag><LastModified>${lastModified.toISOString()}</LastModified>` +
    (crc32 ? `<ChecksumCRC32>${escapeXmlText(crc32)}</ChecksumCRC32>` : '') +
    '</CopyPartResult>'
  );
}

/** The path of an object for an internal request: each segment URL-encoded, `/` kept. */
function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The copy-source conditions as the GET conditions fauxqs evaluates. */
const CONDITIONS: Readonly<Record<string, string>> = {
  'x-amz-copy-source-if-match': 'if-match',
  'x-amz-copy-source-if-none-match': 'if-none-match',
  'x-amz-copy-source-if-modified-since': 'if-modified-since',
  'x-amz-copy-source-if-unmodified-since': 'if-unmodified-since',
};

type Query = Record<string, unknown>;

/**
 * Adds UploadPartCopy to fauxqs's app. `internalHost` is the Host header of the internal requests
 * (a plain loopback address, so fauxqs does not read a bucket name out of it).
 */
export function installUploadPartCopy(app: FastifyInstance, internalHost: () => string): void {
  const handovers = new Map<string, Buffer | ByteSegments>();
  /** Copy-source reads under way: the body the GetObject sent, by token. */
  const sourceReads = new Map<string, Buffer | ByteSegments | undefined>();

  // The body of a copy's internal GetObject is kept by reference and an empty body is sent in its
  // place: fauxqs's Buffer, or the segments of an object the local store keeps as its parts
  // (infra/local/segmented-s3-store.ts). Only a token a copy registered counts: a client's header of
  // that name changes nothing.
  app.addHook('onSend', async (request, reply, payload) => {
    const token = request.headers[SOURCE_READ_HEADER];
    if (typeof token !== 'string' || !sourceReads.has(token)) return payload;
    if (reply.statusCode !== 200 && reply.statusCode !== 206) return payload;
    if (Buffer.isBuffer(payload)) {
      sourceReads.set(token, payload);
      return Buffer.alloc(0);
    }
    if (payload instanceof SegmentsStream) {
      sourceReads.set(token, payload.segments);
      payload.destroy();
      return Buffer.alloc(0);
    }
    return payload;
  });

  async function copyPart(
    request: FastifyRequest,
    reply: FastifyReply,
    copySource: string,
  ): Promise<FastifyReply> {
    const query = (request.query ?? {}) as Query;
    const partNumber = parsePartNumber(query.partNumber);
    const source = parseCopySource(copySource);
    const rangeHeader = request.headers['x-amz-copy-source-range'];
    const range = typeof rangeHeader === 'string' ? parseCopySourceRange(rangeHeader) : undefined;

    // Prepare: the source's bytes through fauxqs's GetObject.
    const headers: Record<string, string> = { host: internalHost() };
    for (const [copyHeader, getHeader] of Object.entries(CONDITIONS)) {
      const value = request.headers[copyHeader];
      if (typeof value === 'string') headers[getHeader] = value;
    }
    if (range) headers.range = `bytes=${range.first}-${range.last}`;
    // fauxqs's answer body is taken as it is sent (a view of the stored object), not through the
    // injected response, which would copy it and decode it as text (memory/fixes/0072).
    const readToken = randomUUID();
    headers[SOURCE_READ_HEADER] = readToken;
    sourceReads.set(readToken, undefined);
    let got: Awaited<ReturnType<FastifyInstance['inject']>>;
    let body: Buffer | ByteSegments;
    try {
      got = await app.inject({ method: 'GET', url: objectPath(source.bucket, source.key), headers });
      body = sourceReads.get(readToken) ?? got.rawPayload;
    } finally {
      sourceReads.delete(readToken);
    }
    if (got.statusCode === 304) {
      throw new CopyPartError(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        {
          Condition: 'x-amz-copy-source-if-none-match or x-amz-copy-source-if-modified-since',
        },
      );
    }
    if (got.statusCode === 416) {
      throw rangeBeyondSource(String(got.headers['content-range'] ?? '').split('/')[1] ?? '0');
    }
    if (got.statusCode !== 200 && got.statusCode !== 206) {
      return reply.status(got.statusCode).header('content-type', 'application/xml').send(body);
    }
    if (range) {
      // fauxqs, like any HTTP GET, shortens a range that runs past the end; a copy refuses it.
      const [served, size] = String(got.headers['content-range'] ?? '')
        .replace('bytes ', '')
        .split('/');
      if (served !== `${range.first}-${range.last}`) throw rangeBeyondSource(size ?? '0');
    }

    // Act: the local S3's UploadPart stores the bytes as part N of the upload.
    const token = randomUUID();
    handovers.set(token, body);
    let put: Awaited<ReturnType<FastifyInstance['inject']>>;
    try {
      put = await app.inject({
        method: 'PUT',
        url: `${request.url.split('?')[0]}?uploadId=${encodeURIComponent(String(query.uploadId))}&partNumber=${partNumber}`,
        headers: { host: internalHost(), [HANDOVER_HEADER]: token },
      });
    } finally {
      handovers.delete(token);
    }
    if (put.statusCode !== 200) {
      return reply.status(put.statusCode).header('content-type', 'application/xml').send(put.rawPayload);
    }
    const etag = String(put.headers.etag);
    // Set by infra/local/multipart-checksums.ts when the upload was created with CRC32.
    const crc32 = put.headers['x-amz-checksum-crc32'];
    return reply
      .status(200)
      .header('content-type', 'application/xml')
      .send(copyPartResultXml(etag, new Date(), typeof crc32 === 'string' ? crc32 : undefined));
  }

  app.addHook('preHandler', async (request, reply) => {
    const token = request.headers[HANDOVER_HEADER];
    if (typeof token === 'string') {
      const bytes = handovers.get(token);
      if (bytes) request.body = bytes;
      return;
    }
    const copySource = request.headers['x-amz-copy-source'];
    const query = (request.query ?? {}) as Query;
    if (request.method !== 'PUT' || typeof copySource !== 'string' || query.uploadId === undefined) return;
    try {
      return await copyPart(request, reply, copySource);
    } catch (error) {
      if (!(error instanceof CopyPartError)) throw error;
      return sendS3Error(reply, error.status, error.code, error.message, error.fields);
    }
  });
}
