/**
 * The vocabulary of a file assembled from pieces written apart (the chunked job path of issue #9,
 * memory/decisions/0905-composable-parts.md): a file is an ordered list of pieces, each either a
 * stored object (a chunk's part) or a few bytes in memory (a gzip header or trailer, a ZIP header,
 * a manifest). Every piece knows the size, SHA-256 and CRC-32 of its own bytes, so the file's size,
 * its sha256-of-parts checksum and its CRC-32 (a ZIP entry that stores it) compose without reading it.
 */
import { createHash } from 'node:crypto';
import { combineParts, crc32 } from './gzip-parts.js';
import { type PartsChecksum, sha256OfParts } from './part-checksum.js';

/** Size, SHA-256 and CRC-32 of some stored bytes. */
export interface BytesInfo {
  readonly size: number;
  /** Lower-case hex SHA-256. */
  readonly sha256: string;
  /** CRC-32 (gzip/ZIP polynomial), unsigned. */
  readonly crc32: number;
}

/** A stored object (all of it) as a piece of a file. */
export interface ObjectPiece extends BytesInfo {
  readonly kind: 'object';
  readonly key: string;
}

/** Bytes in memory as a piece of a file. */
export interface BytesPiece extends BytesInfo {
  readonly kind: 'bytes';
  readonly bytes: Buffer;
}

export type Piece = ObjectPiece | BytesPiece;

export function bytesInfo(bytes: Uint8Array): BytesInfo {
  return {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    crc32: crc32(bytes),
  };
}

export function bytesPiece(bytes: Buffer): BytesPiece {
  return { kind: 'bytes', bytes, ...bytesInfo(bytes) };
}

export function objectPiece(key: string, info: BytesInfo): ObjectPiece {
  return { kind: 'object', key, size: info.size, sha256: info.sha256, crc32: info.crc32 };
}

/** Size, sha256-of-parts checksum and CRC-32 of the file the pieces make, in order. */
export function piecesInfo(pieces: readonly Piece[]): {
  size: number;
  checksum: PartsChecksum;
  crc32: number;
} {
  const whole = combineParts(pieces.map((p) => ({ crc32: p.crc32, length: p.size })));
  return { size: whole.length, checksum: sha256OfParts(pieces), crc32: whole.crc32 };
}
