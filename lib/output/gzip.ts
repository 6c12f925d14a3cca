/**
 * gzip per output file, streaming. A fixed compression level and a fixed gzip header (MTIME 0, XFL by
 * level, OS 255 "unknown" instead of the build platform's code) keep the bytes independent of the
 * time and of the operating system; the deflate stream itself is zlib's for the given level.
 */
import type { Transform } from 'node:stream';
import { constants, createGzip } from 'node:zlib';

/** zlib's default trade-off: ~3-4x smaller FHIR/JSON at several hundred MB/s. */
export const GZIP_LEVEL = 6;
export const GZIP_EXTENSION = '.gz';
export const GZIP_CONTENT_TYPE = 'application/gzip';

/**
 * zlib's output buffer per call (Node's default is 16 KiB). With the writers' 256 KiB chunks
 * (record-transform.ts) a call deflates a whole chunk; the bytes do not depend on either size, the CPU
 * does (memory/decisions/0919-larger-writes-to-zlib.md).
 */
export const ZLIB_CHUNK_SIZE = 64 * 1024;

/** Offset of the OS byte in the gzip header (RFC 1952 §2.3). */
const OS_OFFSET = 9;
const OS_UNKNOWN = 0xff;

export interface GzipOptions {
  /** 1 (fastest) to 9 (smallest); default GZIP_LEVEL. */
  readonly level?: number;
}

/** A gzip Transform (bytes in, gzip member out) with a reproducible header. */
export function createGzipStream(options: GzipOptions = {}): Transform {
  const level = options.level ?? GZIP_LEVEL;
  if (!Number.isInteger(level) || level < constants.Z_BEST_SPEED || level > constants.Z_BEST_COMPRESSION) {
    throw new RangeError(`gzip level must be an integer from 1 to 9; got ${level}`);
  }
  const gzip = createGzip({ level, chunkSize: ZLIB_CHUNK_SIZE });
  // zlib writes the platform's OS code into the header; overwrite it in the first output chunk(s).
  let position = 0;
  const push = gzip.push.bind(gzip);
  gzip.push = (chunk: Buffer | null, encoding?: BufferEncoding): boolean => {
    if (chunk && position <= OS_OFFSET) {
      if (position + chunk.length > OS_OFFSET) chunk[OS_OFFSET - position] = OS_UNKNOWN;
      position += chunk.length;
    }
    return push(chunk, encoding);
  };
  return gzip;
}

/** "patients.json" → "patients.json.gz". */
export function gzipFileName(fileName: string): string {
  return `${fileName}${GZIP_EXTENSION}`;
}
