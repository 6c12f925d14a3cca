/**
 * "sha256-of-parts": a file checksum that pieces written apart compose, without reading the file again
 * (memory/decisions/0905-composable-parts.md). The file as stored is cut into consecutive parts (the
 * pieces its writers produced: a gzip header, each worker's deflated part, the trailer, …) whose sizes
 * are recorded in order; each writer hashes its own piece with SHA-256 while writing it, and
 *
 *   value = hex( SHA-256( SHA-256(part 1) ‖ SHA-256(part 2) ‖ … ‖ SHA-256(part n) ) )
 *
 * over the raw 32-byte digests. A recipient verifies it from the file and the part sizes with a
 * standard tool, for example (sizes in order, from the manifest):
 *
 *   off=0; for n in $SIZES; do
 *     tail -c +$((off + 1)) FILE | head -c "$n" | openssl dgst -sha256 -binary; off=$((off + n))
 *   done | sha256sum
 *
 * after checking that the sizes add up to the file's size (`stat -c %s FILE`), or with Python's
 * hashlib in a few lines (test/unit/output/part-checksum.test.ts runs both against this module).
 */
import { createHash } from 'node:crypto';

export const SHA256_OF_PARTS = 'sha256-of-parts';

const DIGEST_BYTES = 32;

export interface PartsChecksum {
  readonly algorithm: typeof SHA256_OF_PARTS;
  /** Sizes in bytes of the file's consecutive parts, in order; they add up to the file's size. */
  readonly part_sizes: readonly number[];
  /** Lower-case hex SHA-256 of the parts' SHA-256 digests, concatenated in order. */
  readonly value: string;
}

export interface HashedPart {
  readonly size: number;
  /** The part's SHA-256: 32 bytes, or 64 hex digits (as DigestStream of manifest.ts gives it). */
  readonly sha256: Uint8Array | string;
}

/** The SHA-256 of one part's bytes. */
export function partSha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function digestBytes(digest: Uint8Array | string): Buffer {
  const bytes =
    typeof digest === 'string' && /^[0-9a-fA-F]{64}$/.test(digest)
      ? Buffer.from(digest, 'hex')
      : typeof digest === 'string'
        ? Buffer.alloc(0)
        : Buffer.from(digest);
  if (bytes.length !== DIGEST_BYTES) {
    throw new RangeError('a part digest must be a SHA-256: 32 bytes or 64 hex digits');
  }
  return bytes;
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`a part size must be a non-negative safe integer; got ${size}`);
  }
}

/** The checksum of a file from its parts' sizes and SHA-256 digests, in file order. */
export function sha256OfParts(parts: readonly HashedPart[]): PartsChecksum {
  const outer = createHash('sha256');
  for (const part of parts) {
    checkSize(part.size);
    outer.update(digestBytes(part.sha256));
  }
  return {
    algorithm: SHA256_OF_PARTS,
    part_sizes: parts.map((part) => part.size),
    value: outer.digest('hex'),
  };
}

/**
 * Computes the checksum of a whole file read once, cut at `partSizes`: what a recipient's check does.
 * Rejects when the sizes do not add up to the file's length.
 */
export async function sha256OfPartsOf(
  source: AsyncIterable<Uint8Array>,
  partSizes: readonly number[],
): Promise<string> {
  for (const size of partSizes) checkSize(size);
  const outer = createHash('sha256');
  let index = 0;
  let left = partSizes[0];
  let inner = createHash('sha256');
  const closeFinishedParts = () => {
    while (index < partSizes.length && left === 0) {
      outer.update(inner.digest());
      inner = createHash('sha256');
      index += 1;
      left = partSizes[index];
    }
  };
  closeFinishedParts();
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      if (index >= partSizes.length) throw new RangeError('the file is longer than its parts');
      const take = Math.min(left, chunk.length - offset);
      inner.update(chunk.subarray(offset, offset + take));
      offset += take;
      left -= take;
      closeFinishedParts();
    }
  }
  if (index < partSizes.length) throw new RangeError('the file is shorter than its parts');
  return outer.digest('hex');
}
