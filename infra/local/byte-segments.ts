/**
 * Bytes held as a list of Buffer views, for the local S3 (infra/local/segmented-s3-store.ts): an
 * object assembled from parts, a range of it, or an aws-chunked body's payload, without copying a
 * byte. On this kind of machine a copy into newly allocated memory runs at about 250 MB/s (pages
 * touched for the first time), so joining a 400 MB upload's parts costs seconds; views cost nothing
 * (memory/decisions/0918-local-s3-keeps-parts.md).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';

/** Digests of one range of some stored bytes. */
interface RangeDigests {
  md5?: Buffer;
  crc32?: number;
}

export class ByteSegments {
  readonly length: number;
  /**
   * The bytes this is a slice of and where, so a range's digests are computed once: stored bytes
   * never change, and a job's finaliser copies the same range of a chunk's part into two objects
   * (its .gz file and its ZIP), each copy hashed for its ETag and checksum.
   */
  readonly #origin: { readonly whole: ByteSegments; readonly start: number };
  /** Digests of ranges of these bytes (when they are a whole), by `start-end`. */
  readonly #digests = new Map<string, RangeDigests>();

  private constructor(
    readonly buffers: readonly Buffer[],
    origin?: { readonly whole: ByteSegments; readonly start: number },
  ) {
    let length = 0;
    for (const buffer of buffers) length += buffer.length;
    this.length = length;
    this.#origin = origin ?? { whole: this, start: 0 };
  }

  static of(...buffers: readonly Buffer[]): ByteSegments {
    return new ByteSegments(buffers.filter((b) => b.length > 0));
  }

  /** The segments of each, in order, as one list (no copy). */
  static concat(list: readonly ByteSegments[]): ByteSegments {
    return new ByteSegments(list.flatMap((s) => s.buffers));
  }

  /** Bytes [start, end) as views of the same memory. */
  slice(start: number, end: number = this.length): ByteSegments {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    const out: Buffer[] = [];
    let offset = 0;
    for (const buffer of this.buffers) {
      const next = offset + buffer.length;
      if (next > from && offset < to) {
        out.push(buffer.subarray(Math.max(0, from - offset), Math.min(buffer.length, to - offset)));
      }
      if (next >= to) break;
      offset = next;
    }
    const { whole, start: base } = this.#origin;
    return new ByteSegments(out, { whole, start: base + from });
  }

  /** This range's digests, shared by every slice of the same bytes over the same range. */
  #rangeDigests(): RangeDigests {
    const { whole, start } = this.#origin;
    const key = `${start}-${start + this.length}`;
    let digests = whole.#digests.get(key);
    if (!digests) {
      digests = {};
      whole.#digests.set(key, digests);
    }
    return digests;
  }

  md5(): Buffer {
    const digests = this.#rangeDigests();
    if (!digests.md5) {
      const hash = createHash('md5');
      for (const buffer of this.buffers) hash.update(buffer);
      digests.md5 = hash.digest();
    }
    return Buffer.from(digests.md5);
  }

  crc32(): number {
    const digests = this.#rangeDigests();
    if (digests.crc32 === undefined) {
      let value = 0;
      for (const buffer of this.buffers) value = crc32(buffer, value);
      digests.crc32 = value >>> 0;
    }
    return digests.crc32;
  }

  /** One Buffer of all the bytes: a copy, unless there is a single segment. */
  join(): Buffer {
    if (this.buffers.length === 1) return this.buffers[0];
    return Buffer.concat(this.buffers as Buffer[], this.length);
  }

  /** A byte stream of the segments, which remembers them (see SegmentsStream). */
  stream(): SegmentsStream {
    return new SegmentsStream(this);
  }
}

/**
 * A reply body streaming some segments. It keeps them, so a hook that takes a reply's body by
 * reference (infra/local/upload-part-copy.ts) gets the views instead of reading the stream.
 */
export class SegmentsStream extends Readable {
  #next = 0;

  constructor(readonly segments: ByteSegments) {
    super();
  }

  override _read(): void {
    const { buffers } = this.segments;
    while (this.#next < buffers.length) {
      if (!this.push(buffers[this.#next++])) return;
    }
    this.push(null);
  }
}

/** A request body or an internal handover as segments (a string body as its UTF-8 bytes). */
export function asSegments(body: unknown): ByteSegments {
  if (body instanceof ByteSegments) return body;
  if (Buffer.isBuffer(body)) return ByteSegments.of(body);
  if (typeof body === 'string') return ByteSegments.of(Buffer.from(body, 'utf8'));
  return ByteSegments.of();
}
