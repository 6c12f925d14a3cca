/**
 * Job results in S3: streamed multipart uploads (lib-storage), streamed reads, prefix deletes and
 * presigned GET URLs for downloads.
 */
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  paginateListObjectsV2,
  type S3Client,
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

function quoteFileName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export class S3ResultStore implements ResultStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async upload(key: string, body: Readable, options: UploadOptions): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType },
      partSize: PART_SIZE,
      queueSize: UPLOAD_QUEUE_SIZE,
      leavePartsOnError: false,
    });
    const signal = options.signal;
    const abort = () => {
      body.destroy();
      void upload.abort().catch(() => undefined);
    };
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      await upload.done();
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  async open(key: string): Promise<Readable> {
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!Body) throw new NotFoundError(`Object ${key} not found`);
      return Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        throw new NotFoundError(`Object ${key} not found`);
      }
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
}
