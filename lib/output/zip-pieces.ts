/**
 * A ZIP as pieces (lib/output/pieces.ts): the archive of a fanned-out job, assembled by S3 multipart
 * without reading the entries' data (memory/decisions/0905-composable-parts.md). Every entry's CRC-32
 * and sizes are known before its header is written (CRC-32 combined from the chunks' parts), so each
 * local file header carries them and no data descriptor follows the data; the entry's data are its
 * pieces as they are stored. manifest.json comes last, deflated here in memory, then the central
 * directory, and ZIP64 (extra fields, the ZIP64 end of central directory record and its locator) when
 * a size or offset reaches 0xFFFFFFFF or the entry count 0xFFFF (APPNOTE.TXT 6.3.x, sections 4.3.9,
 * 4.3.14, 4.3.15, 4.5.3). Entry times are a given date (the scenario's base date, as zip.ts), UTC, so
 * the same inputs give the same bytes.
 */
import { deflateRawSync } from 'node:zlib';
import { combineParts, crc32 } from './gzip-parts.js';
import { MANIFEST_FILE_NAME } from './manifest.js';
import { bytesPiece, type Piece } from './pieces.js';
import { ZIP_LEVEL } from './zip.js';

export type ZipMethod = 'stored' | 'deflate';

export interface ZipPieceEntry {
  /** Path inside the archive (UTF-8, flagged as such). */
  readonly name: string;
  readonly method: ZipMethod;
  /** CRC-32 of the uncompressed bytes. */
  readonly crc32: number;
  readonly uncompressedSize: number;
  /** Bytes of `data` (= uncompressedSize when stored). */
  readonly compressedSize: number;
  /** The entry's data as stored in the archive: stored bytes, or one raw deflate stream. */
  readonly data: readonly Piece[];
}

export interface ZipPiecesOptions {
  /** Modification time of every entry (UTC); DOS dates run from 1980 to 2107 and are clamped to them. */
  readonly date: Date;
  /** manifest.json's bytes (uncompressed): deflated here and added as the last entry. */
  readonly manifest?: Buffer;
  /** Writes ZIP64 fields and records even where the sizes fit in 32 bits (tests). */
  readonly forceZip64?: boolean;
  /** Deflate level of the manifest (default ZIP_LEVEL). */
  readonly level?: number;
}

export interface ZipLayout {
  /** The archive, in order; adjacent in-memory bytes merged into one piece, empty pieces left out. */
  readonly pieces: Piece[];
  readonly size: number;
  /** Whether the archive has the ZIP64 end of central directory record. */
  readonly zip64: boolean;
  /** Offset of each entry's local file header (the manifest's last), in entry order. */
  readonly offsets: readonly number[];
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EXTRA_ID = 0x0001;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const END_BYTES = 22;
const ZIP64_END_BYTES = 56;
const ZIP64_LOCATOR_BYTES = 20;
/** Bit 11: the name is UTF-8. No other flag: no encryption, no data descriptor. */
const UTF8_FLAG = 0x0800;
const METHOD_CODE: Record<ZipMethod, number> = { stored: 0, deflate: 8 };
/** 2.0 (deflate), 4.5 (ZIP64) (APPNOTE 4.4.3.2). */
const VERSION_DEFLATE = 20;
const VERSION_ZIP64 = 45;
/** "Made by" a UNIX host, so the external attributes carry a file mode (regular file, rw-r--r--). */
const MADE_BY_UNIX = 3 << 8;
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

/** The entry for bytes in memory, deflated (or stored) here: manifest.json and other small files. */
export function memoryEntry(
  name: string,
  bytes: Buffer,
  method: ZipMethod = 'deflate',
  level: number = ZIP_LEVEL,
): ZipPieceEntry {
  const data = method === 'deflate' ? deflateRawSync(bytes, { level }) : bytes;
  return {
    name,
    method,
    crc32: crc32(bytes),
    uncompressedSize: bytes.length,
    compressedSize: data.length,
    data: [bytesPiece(data)],
  };
}

/** MS-DOS time and date (2-second resolution) of `date` in UTC, clamped to 1980-01-01 … 2107-12-31 23:59:58. */
export function dosDateTime(date: Date): { time: number; date: number } {
  if (Number.isNaN(date.getTime())) throw new RangeError('the ZIP entry date is not a valid date');
  const year = date.getUTCFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function checkSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer; got ${value}`);
  }
}

function checkEntry(entry: ZipPieceEntry, names: Set<string>): Buffer {
  const { name } = entry;
  if (!name || name.startsWith('/') || name.split('/').includes('..')) {
    throw new RangeError(`invalid ZIP entry name "${name}"`);
  }
  if (names.has(name)) throw new RangeError(`duplicate ZIP entry name "${name}"`);
  names.add(name);
  const encoded = Buffer.from(name, 'utf8');
  if (encoded.length > MAX16) throw new RangeError(`ZIP entry name "${name.slice(0, 40)}…" is too long`);
  if (!Object.hasOwn(METHOD_CODE, entry.method)) throw new RangeError(`ZIP entry "${name}": unknown method`);
  if (!Number.isInteger(entry.crc32) || entry.crc32 < 0 || entry.crc32 > MAX32) {
    throw new RangeError(`ZIP entry "${name}": crc32 must be an unsigned 32-bit integer`);
  }
  checkSize(entry.uncompressedSize, `ZIP entry "${name}": uncompressedSize`);
  checkSize(entry.compressedSize, `ZIP entry "${name}": compressedSize`);
  const data = combineParts(entry.data.map((piece) => ({ crc32: piece.crc32, length: piece.size })));
  if (data.length !== entry.compressedSize) {
    throw new RangeError(
      `ZIP entry "${name}": its data pieces hold ${data.length} bytes, compressedSize says ${entry.compressedSize}`,
    );
  }
  if (entry.method === 'stored') {
    if (entry.uncompressedSize !== entry.compressedSize) {
      throw new RangeError(`ZIP entry "${name}": a stored entry's sizes must be equal`);
    }
    // Stored data is the content: its CRC-32 composes from the pieces', so a wrong one is caught here.
    if (data.crc32 !== entry.crc32 >>> 0)
      throw new RangeError(`ZIP entry "${name}": crc32 does not match its data`);
  }
  return encoded;
}

/** A ZIP64 extended information extra field holding `values` (8 bytes each), in the order given. */
function zip64Extra(values: readonly number[]): Buffer {
  if (values.length === 0) return Buffer.alloc(0);
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(ZIP64_EXTRA_ID, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  for (const [i, value] of values.entries()) extra.writeBigUInt64LE(BigInt(value), 4 + 8 * i);
  return extra;
}

interface Placed {
  readonly entry: ZipPieceEntry;
  readonly name: Buffer;
  readonly offset: number;
  /** The local header has a ZIP64 extra field (both sizes in it, 0xFFFFFFFF in the 32-bit fields). */
  readonly zip64Local: boolean;
}

function localHeader(placed: Placed, dos: { time: number; date: number }): Buffer {
  const { entry, name, zip64Local } = placed;
  // In a local header the ZIP64 field must hold both sizes, uncompressed first (APPNOTE 4.5.3).
  const extra = zip64Local ? zip64Extra([entry.uncompressedSize, entry.compressedSize]) : Buffer.alloc(0);
  const header = Buffer.alloc(LOCAL_HEADER_BYTES);
  header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(zip64Local ? VERSION_ZIP64 : VERSION_DEFLATE, 4);
  header.writeUInt16LE(UTF8_FLAG, 6);
  header.writeUInt16LE(METHOD_CODE[entry.method], 8);
  header.writeUInt16LE(dos.time, 10);
  header.writeUInt16LE(dos.date, 12);
  header.writeUInt32LE(entry.crc32 >>> 0, 14);
  header.writeUInt32LE(zip64Local ? MAX32 : entry.compressedSize, 18);
  header.writeUInt32LE(zip64Local ? MAX32 : entry.uncompressedSize, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, name, extra]);
}

function centralHeader(placed: Placed, dos: { time: number; date: number }, force: boolean): Buffer {
  const { entry, name, offset } = placed;
  // In the central directory the ZIP64 field holds only the values whose 32-bit field is 0xFFFFFFFF,
  // in the order uncompressed size, compressed size, local header offset (APPNOTE 4.5.3).
  const bigUncompressed = force || entry.uncompressedSize >= MAX32;
  const bigCompressed = force || entry.compressedSize >= MAX32;
  const bigOffset = force || offset >= MAX32;
  const extra = zip64Extra([
    ...(bigUncompressed ? [entry.uncompressedSize] : []),
    ...(bigCompressed ? [entry.compressedSize] : []),
    ...(bigOffset ? [offset] : []),
  ]);
  const version = extra.length > 0 || placed.zip64Local ? VERSION_ZIP64 : VERSION_DEFLATE;
  const header = Buffer.alloc(CENTRAL_HEADER_BYTES);
  header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(MADE_BY_UNIX | version, 4);
  header.writeUInt16LE(version, 6);
  header.writeUInt16LE(UTF8_FLAG, 8);
  header.writeUInt16LE(METHOD_CODE[entry.method], 10);
  header.writeUInt16LE(dos.time, 12);
  header.writeUInt16LE(dos.date, 14);
  header.writeUInt32LE(entry.crc32 >>> 0, 16);
  header.writeUInt32LE(bigCompressed ? MAX32 : entry.compressedSize, 20);
  header.writeUInt32LE(bigUncompressed ? MAX32 : entry.uncompressedSize, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  // comment length 0, disk number start 0, internal attributes 0
  header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  header.writeUInt32LE(bigOffset ? MAX32 : offset, 42);
  return Buffer.concat([header, name, extra]);
}

/** The ZIP64 end of central directory record and its locator (APPNOTE 4.3.14, 4.3.15). */
function zip64End(count: number, directorySize: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(ZIP64_END_BYTES + ZIP64_LOCATOR_BYTES);
  record.writeUInt32LE(ZIP64_END_SIGNATURE, 0);
  record.writeBigUInt64LE(BigInt(ZIP64_END_BYTES - 12), 4); // size of the rest of the record
  record.writeUInt16LE(MADE_BY_UNIX | VERSION_ZIP64, 12);
  record.writeUInt16LE(VERSION_ZIP64, 14);
  // number of this disk 0, disk of the central directory 0
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = ZIP64_END_BYTES;
  record.writeUInt32LE(ZIP64_LOCATOR_SIGNATURE, locator);
  // disk of the ZIP64 end record 0
  record.writeBigUInt64LE(BigInt(directoryOffset + directorySize), locator + 8);
  record.writeUInt32LE(1, locator + 16); // total number of disks
  return record;
}

function end(count: number, directorySize: number, directoryOffset: number, force: boolean): Buffer {
  const record = Buffer.alloc(END_BYTES);
  record.writeUInt32LE(END_SIGNATURE, 0);
  // number of this disk 0, disk of the central directory 0
  const entries = force || count >= MAX16 ? MAX16 : count;
  record.writeUInt16LE(entries, 8);
  record.writeUInt16LE(entries, 10);
  record.writeUInt32LE(force || directorySize >= MAX32 ? MAX32 : directorySize, 12);
  record.writeUInt32LE(force || directoryOffset >= MAX32 ? MAX32 : directoryOffset, 16);
  // comment length 0
  return record;
}

/**
 * The pieces of `parts` in order: adjacent in-memory bytes (headers, small data pieces) merged into one
 * piece (fewer, larger pieces to assemble, each hashed once), empty ones left out.
 */
function coalesce(parts: readonly (Buffer | Piece)[]): Piece[] {
  const out: Piece[] = [];
  let run: Buffer[] = [];
  const flush = () => {
    if (run.length > 0) out.push(bytesPiece(run.length === 1 ? run[0] : Buffer.concat(run)));
    run = [];
  };
  for (const part of parts) {
    if (Buffer.isBuffer(part)) {
      if (part.length > 0) run.push(part);
    } else if (part.size === 0) {
      // nothing to assemble
    } else if (part.kind === 'bytes') {
      run.push(part.bytes);
    } else {
      flush();
      out.push(part);
    }
  }
  flush();
  return out;
}

/**
 * The ZIP of `entries` (then manifest.json, when given) as pieces: per entry its local file header
 * and its data pieces, then the central directory, the ZIP64 records when needed and the end record.
 */
export function zipPieces(entries: readonly ZipPieceEntry[], options: ZipPiecesOptions): ZipLayout {
  const all = options.manifest
    ? [...entries, memoryEntry(MANIFEST_FILE_NAME, options.manifest, 'deflate', options.level ?? ZIP_LEVEL)]
    : [...entries];
  const force = options.forceZip64 === true;
  const dos = dosDateTime(options.date);
  const names = new Set<string>();
  const placed: Placed[] = [];
  const parts: (Buffer | Piece)[] = [];
  let offset = 0;
  for (const entry of all) {
    const name = checkEntry(entry, names);
    const zip64Local = force || entry.uncompressedSize >= MAX32 || entry.compressedSize >= MAX32;
    const at: Placed = { entry, name, offset, zip64Local };
    const header = localHeader(at, dos);
    placed.push(at);
    parts.push(header, ...entry.data);
    offset += header.length + entry.compressedSize;
  }
  const directory = Buffer.concat(placed.map((at) => centralHeader(at, dos, force)));
  const directoryOffset = offset;
  const zip64 =
    force ||
    all.length >= MAX16 ||
    directoryOffset >= MAX32 ||
    directory.length >= MAX32 ||
    placed.some((at) => at.zip64Local || at.offset >= MAX32);
  const trailer = Buffer.concat([
    directory,
    zip64 ? zip64End(all.length, directory.length, directoryOffset) : Buffer.alloc(0),
    end(all.length, directory.length, directoryOffset, zip64 && force),
  ]);
  parts.push(trailer);
  return {
    pieces: coalesce(parts),
    size: directoryOffset + trailer.length,
    zip64,
    offsets: placed.map((at) => at.offset),
  };
}
