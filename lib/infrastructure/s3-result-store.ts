/**
 * Job results in S3: streamed multipart uploads (lib-storage), streamed reads, prefix deletes and
 * presigned GET URLs for downloads; and the primitives a fanned-out job assembles its files with
 * (memory/decisions/0905-composable-parts.md): small PUTs, ranged reads, key listings and an explicit
 * multipart upload whose parts are uploaded from memory or copied in from other objects' byte ranges
 * (UploadPartCopy), completed in part order or aborted.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NoSuchUpload,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NotFoundError } from '../core/index.js';
import type { PresignOptions, ResultStore, UploadOptions } from '../domain/index.js';

/** 8 MiB parts, four in flight: about 32 MiB of buffers per concurrent upload, whatever the object size. */
export const PART_SIZE = 8 * 1024 * 1024;
export const UPLOAD_QUEUE_SIZE = 4;
export const DEFAULT_PRESIGN_SECONDS = 300;
const DELETE_BATCH = 1000;

function isNamed(error: unknown, ...names: string[]): boolean {
  const name = (error as { name?: string; Code?: string } | null)?.name;
  const code = (error as { Code?: string } | null)?.Code;
  return names.some((n) => n === name || n === code);
}

function isNoSuchKey(error: unknown): boolean {
  return error instanceof NoSuchKey || isNamed(error, 'NoSuchKey');
}

/** `[start, end)` must be whole offsets with start ≤ end: a caller's bug otherwise, never S3's. */
function checkRange(start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`invalid byte range [${start}, ${end})`);
  }
}

/** The x-amz-copy-source of an object: bucket and key, each key segment URL-encoded. */
function copySourceOf(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function quoteFileName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The children of each caller signal that requests are running under. A chunk's ten or more part
 * uploads share its writer's signal, and the assembly's parts and ranged reads share one: a listener
 * per request on that signal passed Node's bound of 10 (MaxListenersExceededWarning, memory/fixes/0074).
 * So the store adds ONE listener per caller signal, which aborts the child signal of every request in
 * flight; each request (the SDK's, lib-storage's) listens to its own child.
 */
const signalChildren = new WeakMap<AbortSignal, Set<AbortController>>();

/** A child of `signal` that aborts with it until `release` (none without a signal). */
function childSignal(signal: AbortSignal | undefined): { signal?: AbortSignal; release: () => void } {
  if (!signal) return { release: () => undefined };
  const child = new AbortController();
  if (signal.aborted) {
    child.abort(signal.reason);
    return { signal: child.signal, release: () => undefined };
  }
  let children = signalChildren.get(signal);
  if (!children) {
    const created = new Set<AbortController>();
    children = created;
    signalChildren.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        for (const c of created) c.abort(signal.reason);
        created.clear();
      },
      { once: true },
    );
  }
  const kept = children;
  kept.add(child);
  return { signal: child.signal, release: () => kept.delete(child) };
}

/** Runs `run` under a child of `signal` (none without one), released when it settles. */
async function withChildSignal<T>(
  signal: AbortSignal | undefined,
  run: (child: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const child = childSignal(signal);
  try {
    return await run(child.signal);
  } finally {
    child.release();
  }
}

/**
 * Multipart uploads are created with the CRC32 checksum algorithm, as lib-storage's Upload creates
 * them with this SDK: every part then carries its CRC32 (S3 checks the bytes it receives or copies),
 * and CompleteMultipartUpload must list each part's checksum beside its ETag. The port passes ETags
 * only, so the store keeps the checksums S3 returned for the parts of the uploads in flight here
 * (dropped on complete or abort). A part S3 returned no checksum for (the local emulator keeps none)
 * is listed with its ETag alone.
 */
const MULTIPART_CHECKSUM = 'CRC32';

interface PartChecksum {
  readonly etag: string;
  readonly crc32: string;
}

export class S3ResultStore implements ResultStore {
  /** Checksums of the parts uploaded or copied, by upload id then part number. */
  private readonly partChecksums = new Map<string, Map<number, PartChecksum>>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  private rememberChecksum(
    uploadId: string,
    partNumber: number,
    etag: string,
    crc32: string | undefined,
  ): void {
    if (!crc32) return;
    let parts = this.partChecksums.get(uploadId);
    if (!parts) {
      parts = new Map();
      this.partChecksums.set(uploadId, parts);
    }
    parts.set(partNumber, { etag, crc32 });
  }

  async upload(key: string, body: Readable, options: UploadOptions): Promise<void> {
    // An abort ends the body, not the requests: lib-storage then stops reading, lets the requests in
    // flight finish and aborts a multipart upload, and only then settles. Its own abort() rejects at
    // once while a PUT in flight still lands, after the caller may have deleted what it wrote
    // (memory/fixes/0078-aborted-upload-landed-late.md).
    if (options.signal?.aborted) {
      body.destroy();
      options.signal.throwIfAborted();
    }
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType },
      partSize: PART_SIZE,
      queueSize: UPLOAD_QUEUE_SIZE,
      leavePartsOnError: false,
    });
    await withChildSignal(options.signal, (signal) => {
      // With the reason: a body destroyed without an error reads as ended, and the upload would
      // complete with what it had. Once the body has ended, the requests left finish as sent. (The
      // child signal is dropped when this call settles, so the listener needs no removing.)
      signal?.addEventListener(
        'abort',
        () => {
          if (!body.readableEnded) body.destroy(signal.reason as Error);
        },
        { once: true },
      );
      return upload.done();
    });
  }

  async open(key: string, from = 0, signal?: AbortSignal): Promise<Readable> {
    // The child outlives the request: an abort while the body is read destroys the body too.
    const child = childSignal(signal);
    try {
      const { Body } = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(from > 0 ? { Range: `bytes=${from}-` } : {}),
        }),
        { abortSignal: child.signal },
      );
      if (!Body) throw new NotFoundError(`Object ${key} not found`);
      const body = Body as Readable;
      body.once('close', child.release);
      return body;
    } catch (error) {
      child.release();
      if (isNoSuchKey(error)) throw new NotFoundError(`Object ${key} not found`);
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: prefix },
    )) {
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const result = await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } }),
        );
        if (result.Errors && result.Errors.length > 0) {
          const first = result.Errors[0];
          throw new Error(
            `S3 refused to delete ${first.Key}: ${first.Code ?? 'error'} ${first.Message ?? ''}`.trim(),
          );
        }
        deleted += batch.length;
      }
    }
    return deleted;
  }

  async presignGet(key: string, options: PresignOptions = {}): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: options.downloadName ? quoteFileName(options.downloadName) : undefined,
    });
    return getSignedUrl(this.s3, command, { expiresIn: options.expiresIn ?? DEFAULT_PRESIGN_SECONDS });
  }

  async exists(key: string): Promise<boolean> {
    // A listing, not a HEAD: the functions may list only under jobs/ (infra/constructs/data-access.ts),
    // and S3 answers a HEAD of a missing key 403, not 404, to a role whose ListBucket has a condition.
    const page = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 }),
    );
    return page.Contents?.[0]?.Key === key;
  }

  async put(key: string, bytes: Buffer, options: UploadOptions): Promise<void> {
    // Checked before sending, not passed to the request: a PUT cut off by the client may still land
    // after the caller has moved on, and small bytes finish sooner than any clean-up could race them.
    options.signal?.throwIfAborted();
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: options.contentType,
      }),
    );
  }

  async readRange(key: string, start: number, end: number, signal?: AbortSignal): Promise<Buffer> {
    checkRange(start, end);
    // An HTTP range cannot be empty: an empty read only checks that the object is there.
    const range = end > start ? `bytes=${start}-${end - 1}` : undefined;
    try {
      const bytes = await withChildSignal(signal, async (abortSignal) => {
        const { Body } = await this.s3.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }),
          { abortSignal },
        );
        if (!Body) throw new NotFoundError(`Object ${key} not found`);
        return Buffer.from(await Body.transformToByteArray());
      });
      if (!range) return Buffer.alloc(0);
      // S3 shortens a range that runs past the end; a caller asking for bytes that are not there has a
      // wrong piece list, which must fail here rather than assemble a short file.
      if (bytes.length !== end - start) {
        throw new RangeError(`Object ${key} has no bytes [${start}, ${end}): got ${bytes.length}`);
      }
      return bytes;
    } catch (error) {
      if (isNoSuchKey(error)) throw new NotFoundError(`Object ${key} not found`);
      // A range starting at or past the end: S3's 416 InvalidRange.
      if (isNamed(error, 'InvalidRange')) {
        throw new RangeError(`Object ${key} has no bytes [${start}, ${end})`);
      }
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: prefix },
    )) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    return keys;
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: targetKey,
          CopySource: copySourceOf(this.bucket, sourceKey),
        }),
      );
    } catch (error) {
      if (isNoSuchKey(error)) throw new NotFoundError(`Object ${sourceKey} not found`);
      throw error;
    }
  }

  async createMultipart(key: string, options: UploadOptions): Promise<string> {
    const { UploadId } = await withChildSignal(options.signal, (abortSignal) =>
      this.s3.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          ContentType: options.contentType,
          ChecksumAlgorithm: MULTIPART_CHECKSUM,
        }),
        { abortSignal },
      ),
    );
    if (!UploadId) throw new Error(`S3 gave no upload id for ${key}`);
    return UploadId;
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    bytes: Buffer,
    signal?: AbortSignal,
  ): Promise<string> {
    const { ETag, ChecksumCRC32 } = await withChildSignal(signal, (abortSignal) =>
      this.s3.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: bytes,
          ContentLength: bytes.length,
          // The SDK computes it and S3 checks it: the upload's algorithm, whatever the client's default.
          ChecksumAlgorithm: MULTIPART_CHECKSUM,
        }),
        { abortSignal },
      ),
    );
    if (!ETag) throw new Error(`S3 gave no ETag for part ${partNumber} of ${key}`);
    this.rememberChecksum(uploadId, partNumber, ETag, ChecksumCRC32);
    return ETag;
  }

  async copyPart(
    key: string,
    uploadId: string,
    partNumber: number,
    source: { readonly key: string; readonly start: number; readonly end: number },
    signal?: AbortSignal,
  ): Promise<string> {
    checkRange(source.start, source.end);
    if (source.end === source.start) throw new RangeError(`empty copy range of ${source.key}`);
    try {
      const { CopyPartResult } = await withChildSignal(signal, (abortSignal) =>
        this.s3.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: partNumber,
            CopySource: copySourceOf(this.bucket, source.key),
            // Inclusive offsets: bytes=first-last.
            CopySourceRange: `bytes=${source.start}-${source.end - 1}`,
          }),
          { abortSignal },
        ),
      );
      const etag = CopyPartResult?.ETag;
      if (!etag) throw new Error(`S3 gave no ETag for copied part ${partNumber} of ${key}`);
      this.rememberChecksum(uploadId, partNumber, etag, CopyPartResult?.ChecksumCRC32);
      return etag;
    } catch (error) {
      if (isNoSuchKey(error)) throw new NotFoundError(`Object ${source.key} not found`);
      throw error;
    }
  }

  async completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly { readonly partNumber: number; readonly etag: string }[],
  ): Promise<void> {
    // S3 wants the list in ascending part number order.
    const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    const checksums = this.partChecksums.get(uploadId);
    const listed = ordered.map((p) => {
      const known = checksums?.get(p.partNumber);
      return {
        PartNumber: p.partNumber,
        ETag: p.etag,
        ...(known && known.etag === p.etag ? { ChecksumCRC32: known.crc32 } : {}),
      };
    });
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: listed },
      }),
    );
    // Kept when completing fails: a retried completion lists them again; abort drops them.
    this.partChecksums.delete(uploadId);
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    this.partChecksums.delete(uploadId);
    try {
      await this.s3.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }),
      );
    } catch (error) {
      // Already completed or aborted: nothing left to discard.
      if (error instanceof NoSuchUpload || isNamed(error, 'NoSuchUpload')) return;
      throw error;
    }
  }
}
