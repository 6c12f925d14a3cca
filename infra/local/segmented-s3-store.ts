/**
 * The local S3's store: fauxqs's own S3Store, except that a multipart upload keeps each part's bytes as
 * they arrived and its completed object is the list of its parts' bytes, not one joined Buffer
 * (memory/decisions/0918-local-s3-keeps-parts.md). fauxqs joins every part into a new Buffer on
 * completion and hashes every part a second time; for a job's 440 MB of plain JSON that was two
 * copies into fresh memory (about 250 MB/s on this kind of machine) and 1 s of MD5 in the emulator's
 * one thread, which every worker's upload waited behind.
 *
 * - A part's ETag is the MD5 of its bytes, computed once when it is stored; the completed object's
 *   ETag is S3's `md5(part digests)-n`, read from the parts' ETags.
 * - Completion applies fauxqs's checks with fauxqs's errors: parts in ascending order, each listed
 *   part stored with the listed ETag, every part but the last at least 5 MiB.
 * - A completed object keeps its segments; its `body` (what fauxqs's own actions read, CopyObject's
 *   source for one) is joined once, the first time something asks for it.
 * - installSegmentedObjects serves a GET of such an object from its segments (ranges and conditions
 *   as fauxqs's GetObject evaluates them) and stores every UploadPart through this store, so an
 *   aws-chunked part or a copied range (infra/local/upload-part-copy.ts) is kept as views.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { asSegments, ByteSegments } from './byte-segments.js';
import { partPayload } from './multipart-checksums.js';
import { sendS3Error } from './s3-error.js';
import { CopyPartError, parsePartNumber } from './upload-part-copy.js';

/** S3's minimum size of every part of a multipart upload but the last. */
const MIN_PART_SIZE = 5 * 1024 * 1024;

/** What fauxqs keeps of an object (fauxqs/dist/s3/s3Types.d.ts). */
interface StoredObject {
  key: string;
  body: Buffer;
  contentType: string;
  contentLength: number;
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
}

interface StoredPart {
  partNumber: number;
  body: ByteSegments;
  etag: string;
  lastModified: Date;
}

interface StoredUpload {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  parts: Map<number, StoredPart>;
}

/** The parts of fauxqs's S3Store this store builds on; its fields are plain JS fields at run time. */
interface FauxqsS3Store {
  buckets: Map<string, Map<string, StoredObject>>;
  multipartUploads: Map<string, StoredUpload>;
  multipartUploadsByBucket: Map<string, Set<string>>;
  createBucket(name: string): void;
  createMultipartUpload(
    bucket: string,
    key: string,
    contentType?: string,
    metadata?: Record<string, string>,
  ): string;
  getObject(bucket: string, key: string): StoredObject;
}

type S3ErrorClass = new (code: string, message: string, statusCode?: number, resource?: string) => Error;

/**
 * The folder of the installed fauxqs, found as Node would look for it. fauxqs exports only its app;
 * its store and error class are loaded from the same copy, so its routes recognise these errors
 * (`instanceof S3Error`) and render them as S3 does.
 */
function fauxqsDist(): URL {
  const folders = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  const found = folders.find((folder) => existsSync(join(folder, 'fauxqs', 'package.json')));
  if (!found) throw new Error('fauxqs is not installed');
  return pathToFileURL(join(found, 'fauxqs', 'dist', 'app.js'));
}

const FAUXQS_ENTRY = fauxqsDist();
const { S3Store } = (await import(new URL('./s3/s3Store.js', FAUXQS_ENTRY).href)) as {
  S3Store: new () => FauxqsS3Store;
};
const { S3Error } = (await import(new URL('./common/errors.js', FAUXQS_ENTRY).href)) as {
  S3Error: S3ErrorClass;
};

const NO_SUCH_UPLOAD =
  'The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.';
const INVALID_PART =
  "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";

const SEGMENTS = Symbol('segments');

type SegmentedObject = StoredObject & { [SEGMENTS]: ByteSegments };

function unquoted(etag: string): string {
  return etag.replaceAll('"', '');
}

export class SegmentedS3Store extends S3Store {
  uploadPart(uploadId: string, partNumber: number, body: Buffer | ByteSegments): string {
    const upload = this.multipartUploads.get(uploadId);
    if (!upload) throw new S3Error('NoSuchUpload', NO_SUCH_UPLOAD, 404);
    const bytes = asSegments(body);
    const etag = `"${bytes.md5().toString('hex')}"`;
    upload.parts.set(partNumber, { partNumber, body: bytes, etag, lastModified: new Date() });
    return etag;
  }

  completeMultipartUpload(
    uploadId: string,
    partSpecs: readonly { partNumber: number; etag: string }[],
  ): StoredObject {
    const upload = this.multipartUploads.get(uploadId);
    if (!upload) throw new S3Error('NoSuchUpload', NO_SUCH_UPLOAD, 404);
    const objects = this.buckets.get(upload.bucket);
    if (!objects) {
      throw new S3Error('NoSuchBucket', `The specified bucket does not exist: ${upload.bucket}`, 404);
    }
    for (let i = 1; i < partSpecs.length; i++) {
      if (partSpecs[i].partNumber <= partSpecs[i - 1].partNumber) {
        throw new S3Error(
          'InvalidPartOrder',
          'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
          400,
        );
      }
    }
    const parts = partSpecs.map((spec) => {
      const part = upload.parts.get(spec.partNumber);
      if (!part || unquoted(spec.etag) !== unquoted(part.etag)) {
        throw new S3Error('InvalidPart', INVALID_PART, 400);
      }
      return part;
    });
    if (parts.slice(0, -1).some((part) => part.body.length < MIN_PART_SIZE)) {
      throw new S3Error(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
        400,
      );
    }
    const segments = ByteSegments.concat(parts.map((part) => part.body));
    const digests = Buffer.concat(parts.map((part) => Buffer.from(unquoted(part.etag), 'hex')));
    const etag = `"${createHash('md5').update(digests).digest('hex')}-${parts.length}"`;
    const object = segmentedObject(upload, segments, etag);
    objects.set(upload.key, object);
    this.multipartUploads.delete(uploadId);
    this.multipartUploadsByBucket.get(upload.bucket)?.delete(uploadId);
    return object;
  }

  /** The segments of an object a multipart upload completed, else undefined (fauxqs serves it). */
  segmentsOf(bucket: string, key: string): { object: StoredObject; segments: ByteSegments } | undefined {
    const object = this.buckets.get(bucket)?.get(key) as SegmentedObject | undefined;
    const segments = object?.[SEGMENTS];
    return object && segments ? { object, segments } : undefined;
  }
}

function segmentedObject(upload: StoredUpload, segments: ByteSegments, etag: string): SegmentedObject {
  let joined: Buffer | undefined;
  const object = {
    key: upload.key,
    contentType: upload.contentType,
    contentLength: segments.length,
    etag,
    lastModified: new Date(),
    metadata: upload.metadata,
    [SEGMENTS]: segments,
  } as SegmentedObject;
  Object.defineProperty(object, 'body', {
    enumerable: true,
    get: () => {
      joined ??= segments.join();
      return joined;
    },
  });
  return object;
}

/** fauxqs's GetObject ranges: `bytes=a-b`, `bytes=a-`, `bytes=-n`; null when not satisfiable. */
export function parseRange(header: string, total: number): { start: number; end: number } | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header);
  if (!match) return null;
  const [, startText, endText] = match;
  if (startText === '' && endText !== '') {
    const suffix = Number.parseInt(endText, 10);
    if (suffix === 0 || suffix > total) return null;
    return { start: total - suffix, end: total - 1 };
  }
  if (startText !== '' && endText === '') {
    const start = Number.parseInt(startText, 10);
    return start >= total ? null : { start, end: total - 1 };
  }
  if (startText !== '' && endText !== '') {
    const start = Number.parseInt(startText, 10);
    const end = Number.parseInt(endText, 10);
    if (start > end || start >= total) return null;
    return { start, end: Math.min(end, total - 1) };
  }
  return null;
}

type Params = { bucket?: string; '*'?: string };
type Query = Record<string, unknown>;

const PRECONDITION_FAILED = 'At least one of the pre-conditions you specified did not hold';

/** GetObject of a segmented object, with fauxqs's conditions, headers and ranges. */
function sendSegments(
  request: FastifyRequest,
  reply: FastifyReply,
  object: StoredObject,
  segments: ByteSegments,
): FastifyReply {
  const headers = request.headers;
  if (headers['if-none-match'] && headers['if-none-match'] === object.etag) return reply.status(304).send();
  if (headers['if-match'] && headers['if-match'] !== object.etag) {
    return sendS3Error(reply, 412, 'PreconditionFailed', PRECONDITION_FAILED);
  }
  const modifiedSince = headers['if-modified-since'];
  if (modifiedSince) {
    const since = new Date(modifiedSince);
    if (!Number.isNaN(since.getTime()) && object.lastModified <= since) return reply.status(304).send();
  }
  const unmodifiedSince = headers['if-unmodified-since'];
  if (unmodifiedSince) {
    const since = new Date(unmodifiedSince);
    if (!Number.isNaN(since.getTime()) && object.lastModified > since) {
      return sendS3Error(reply, 412, 'PreconditionFailed', PRECONDITION_FAILED);
    }
  }
  reply.header('content-type', object.contentType);
  reply.header('etag', object.etag);
  reply.header('last-modified', object.lastModified.toUTCString());
  for (const [name, value] of Object.entries(object.metadata)) reply.header(`x-amz-meta-${name}`, value);
  const rangeHeader = headers.range;
  if (rangeHeader) {
    const range = parseRange(rangeHeader, segments.length);
    if (!range) {
      reply.header('content-range', `bytes */${segments.length}`);
      return sendS3Error(reply, 416, 'InvalidRange', 'The requested range is not satisfiable');
    }
    const part = segments.slice(range.start, range.end + 1);
    reply.header('content-length', part.length);
    reply.header('content-range', `bytes ${range.start}-${range.end}/${segments.length}`);
    return reply.status(206).send(part.stream());
  }
  reply.header('content-length', segments.length);
  return reply.status(200).send(segments.stream());
}

function isPartUpload(request: FastifyRequest): boolean {
  const query = (request.query ?? {}) as Query;
  return request.method === 'PUT' && typeof query.uploadId === 'string' && query.partNumber !== undefined;
}

/**
 * Serves GETs of segmented objects and stores every UploadPart through `store`. Install after
 * installMultipartChecksums: its part checks run first, on the same segments.
 */
export function installSegmentedObjects(app: FastifyInstance, store: SegmentedS3Store): void {
  // An UploadPart's body (the SDK sends it as application/octet-stream) is kept as the chunks the
  // socket delivered, where fauxqs's parser joins them into one new Buffer; any other such body is
  // joined as before. The same limits as fastify's own parser: fauxqs's body limit, the declared length.
  const limit = app.initialConfig.bodyLimit ?? 1024 * 1024;
  app.addContentTypeParser('application/octet-stream', (request, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        payload.removeListener('data', onData);
        payload.removeListener('end', onEnd);
        return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      payload.removeListener('data', onData);
      if (!Number.isNaN(declared) && received !== declared) {
        return done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), undefined);
      }
      const bytes = ByteSegments.of(...chunks);
      done(null, isPartUpload(request) ? bytes : bytes.join());
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.once('error', (error) => done(error, undefined));
  });

  // Callback style on purpose, and `done` only for requests this hook leaves to fauxqs. An async hook
  // that answers resolves when its reply ends, and when the client hangs up before the end (a reader
  // that needs only the start of a file) fastify then runs the route's handler as well: fauxqs's
  // GetObject, which joined the whole object into one new Buffer (memory/fixes/0214).
  app.addHook('preHandler', (request, reply, done) => {
    try {
      if (!answer(request, reply)) done();
    } catch (error) {
      done(error as Error);
    }
  });

  /** Answers a GET of a segmented object or an UploadPart: true, else false (fauxqs answers). */
  function answer(request: FastifyRequest, reply: FastifyReply): boolean {
    const params = (request.params ?? {}) as Params;
    const key = params['*'];
    if (!params.bucket || !key) return false;
    const query = (request.query ?? {}) as Query;

    if (request.method === 'GET') {
      const found = store.segmentsOf(params.bucket, key);
      if (!found) return false;
      sendSegments(request, reply, found.object, found.segments);
      return true;
    }

    if (!isPartUpload(request)) return false;
    // UploadPartCopy answers in its own hook (infra/local/upload-part-copy.ts) and hands its bytes to
    // an internal UploadPart, which arrives here.
    if (typeof request.headers['x-amz-copy-source'] === 'string') return false;
    try {
      const partNumber = parsePartNumber(query.partNumber);
      const etag = store.uploadPart(String(query.uploadId), partNumber, partPayload(request).data);
      reply.header('etag', etag).status(200).send();
    } catch (error) {
      if (error instanceof CopyPartError) {
        sendS3Error(reply, error.status, error.code, error.message, error.fields);
      } else if (error instanceof S3Error) {
        const { code, statusCode } = error as Error & { code: string; statusCode: number };
        sendS3Error(reply, statusCode, code, error.message);
      } else throw error;
    }
    return true;
  }
}
