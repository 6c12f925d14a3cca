/**
 * A job file as pieces, from its chunks' parts (lib/output/chunk-parts.ts), without reading a byte
 * of them (memory/decisions/0905-composable-parts.md, 0906):
 *
 * - a compressed file (`patients.json.gz`): gzipHeader() ‖ the chunks' deflate parts in chunk order ‖
 *   gzipTrailer(CRC-32 and length combined from the parts' inputs): one gzip member;
 * - an uncompressed file: the chunks' plain parts in order;
 * - its ZIP entry: an uncompressed file's entry is DEFLATE with the chunks' `.deflate` parts as data
 *   (CRC-32 and size combined from their inputs); a compressed (or encrypted) file is STORED in the
 *   ZIP as it is, its CRC-32 composed from its pieces' (piecesInfo).
 *
 * Empty object parts (a chunk that wrote no plain bytes) are left out: they add nothing, and an
 * object of 0 bytes cannot be copied as a range.
 */
import { GZIP_LEVEL } from './gzip.js';
import { combineParts, gzipHeader, gzipTrailer, type PartSummary } from './gzip-parts.js';
import { type BytesInfo, bytesPiece, objectPiece, type Piece, piecesInfo } from './pieces.js';

/**
 * One chunk's share of a file and where its parts are stored. `file` is a chunk part list's entry
 * (lib/domain/job-parts.ts ChunkFilePart, or ChunkFilePartInfo from writeChunkParts).
 */
export interface StoredChunkFile {
  /** Key of the part named `file_name`: raw deflate (compressed file) or plain bytes. */
  readonly key: string;
  /** Key of the `.deflate` part: uncompressed files whose ZIP entry is deflated. */
  readonly deflateKey?: string;
  readonly file: {
    readonly part: BytesInfo;
    readonly input?: PartSummary;
    readonly deflate?: BytesInfo & { readonly input: PartSummary };
  };
}

/** The data of a ZIP entry as pieces, with what its local header and central record need. */
export interface ZipEntryData {
  /** `deflate`: the pieces are the raw deflate stream of the file; `stored`: the file itself. */
  readonly method: 'stored' | 'deflate';
  readonly pieces: readonly Piece[];
  /** CRC-32 of the entry's uncompressed bytes (the file). */
  readonly crc32: number;
  /** Bytes of the pieces. */
  readonly compressedSize: number;
  /** Bytes of the file. */
  readonly uncompressedSize: number;
}

function withoutEmpty(pieces: Piece[]): Piece[] {
  return pieces.filter((piece) => piece.kind === 'bytes' || piece.size > 0);
}

/** Whether the chunks hold a compressed file (every part has its input) or a plain one (none has). */
export function isCompressedFile(chunks: readonly StoredChunkFile[]): boolean {
  const compressed = chunks.filter((chunk) => chunk.file.input !== undefined).length;
  if (compressed !== 0 && compressed !== chunks.length) {
    throw new RangeError('the chunks of one file must all be compressed or all be plain');
  }
  return compressed > 0;
}

/**
 * The stored file's pieces, in order: a gzip member for compressed parts (the last chunk's part must
 * have been written with `last`), else the plain parts. `level` is the parts' deflate level (the
 * header's XFL), GZIP_LEVEL by default.
 */
export function filePieces(chunks: readonly StoredChunkFile[], level: number = GZIP_LEVEL): Piece[] {
  if (chunks.length === 0) throw new RangeError('a file has at least one chunk');
  const parts = chunks.map((chunk) => objectPiece(chunk.key, chunk.file.part));
  if (!isCompressedFile(chunks)) return withoutEmpty(parts);
  const whole = combineParts(chunks.map((chunk) => chunk.file.input!));
  return withoutEmpty([bytesPiece(gzipHeader(level)), ...parts, bytesPiece(gzipTrailer(whole))]);
}

/** The ZIP entry of an uncompressed file: its chunks' `.deflate` parts, CRC-32 and size combined. */
export function deflatedZipEntry(chunks: readonly StoredChunkFile[]): ZipEntryData {
  if (chunks.length === 0) throw new RangeError('a file has at least one chunk');
  const pieces = chunks.map((chunk) => {
    const { deflate } = chunk.file;
    if (!deflate || chunk.deflateKey === undefined) {
      throw new RangeError('every chunk of the file needs its deflate part and its key');
    }
    return objectPiece(chunk.deflateKey, deflate);
  });
  const whole = combineParts(chunks.map((chunk) => chunk.file.deflate!.input));
  const data = withoutEmpty(pieces);
  return {
    method: 'deflate',
    pieces: data,
    crc32: whole.crc32,
    compressedSize: data.reduce((sum, piece) => sum + piece.size, 0),
    uncompressedSize: whole.length,
  };
}

/** The ZIP entry that stores a file as it is (a .gz or an .enc file), from the file's pieces. */
export function storedZipEntry(pieces: readonly Piece[]): ZipEntryData {
  const info = piecesInfo(pieces);
  return {
    method: 'stored',
    pieces,
    crc32: info.crc32,
    compressedSize: info.size,
    uncompressedSize: info.size,
  };
}

/**
 * The ZIP entry of an unencrypted job file: deflated from its `.deflate` parts when plain, stored
 * as its gzip pieces when compressed. (An encrypted file: storedZipEntry of its sealed pieces.)
 */
export function zipEntryData(chunks: readonly StoredChunkFile[], level: number = GZIP_LEVEL): ZipEntryData {
  return isCompressedFile(chunks) ? storedZipEntry(filePieces(chunks, level)) : deflatedZipEntry(chunks);
}
