/**
 * The ZIP as pieces (lib/output/zip-pieces.ts): local headers with the CRC-32 and sizes (no data
 * descriptor), stored and deflate entries whose data are pieces written apart, manifest.json deflated
 * last, the central directory and ZIP64 where needed or forced. The pieces, written out in order, are
 * read by python3's zipfile (testzip, contents, dates) and Info-ZIP's `unzip -t`; a synthetic archive
 * past 4 GiB (never written) is checked field by field.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineParts, crc32, deflatePart } from '../../../lib/output/gzip-parts.js';
import { MANIFEST_FILE_NAME } from '../../../lib/output/manifest.js';
import { bytesInfo, bytesPiece, objectPiece, type Piece } from '../../../lib/output/pieces.js';
import { dosDateTime, memoryEntry, type ZipPieceEntry, zipPieces } from '../../../lib/output/zip-pieces.js';

const DATE = new Date('2026-03-14T15:09:26Z');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zip-pieces-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Objects the object pieces name, as a test store. */
type Objects = Map<string, Buffer>;

function materialise(pieces: readonly Piece[], objects: Objects): Buffer {
  return Buffer.concat(
    pieces.map((piece) => (piece.kind === 'bytes' ? piece.bytes : objects.get(piece.key)!)),
  );
}

/** `data` as pieces: alternately stored objects (registered in `objects`) and in-memory bytes. */
function asPieces(data: Buffer, cuts: readonly number[], objects: Objects, prefix: string): Piece[] {
  const points = [0, ...cuts.filter((c) => c > 0 && c < data.length).sort((a, b) => a - b), data.length];
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const slice = data.subarray(points[i], points[i + 1]);
    if (i % 2 === 0) {
      const key = `${prefix}/${i}`;
      objects.set(key, slice);
      pieces.push(objectPiece(key, bytesInfo(slice)));
    } else {
      pieces.push(bytesPiece(slice));
    }
  }
  return pieces;
}

function storedEntry(name: string, content: Buffer, cuts: number[], objects: Objects): ZipPieceEntry {
  return {
    name,
    method: 'stored',
    crc32: crc32(content),
    uncompressedSize: content.length,
    compressedSize: content.length,
    data: asPieces(content, cuts, objects, name),
  };
}

/** `content` deflated in full-flush parts (as chunks write them), the parts stored as objects. */
function deflateEntry(name: string, content: Buffer, cuts: number[], objects: Objects): ZipPieceEntry {
  const points = [0, ...cuts, content.length];
  const parts = points
    .slice(1)
    .map((end, i) => deflatePart(content.subarray(points[i], end), { last: i === points.length - 2 }));
  const data = parts.map((part, i) => {
    const key = `${name}/part-${i}`;
    objects.set(key, part.deflated);
    return objectPiece(key, bytesInfo(part.deflated));
  });
  const whole = combineParts(parts);
  return {
    name,
    method: 'deflate',
    crc32: whole.crc32,
    uncompressedSize: whole.length,
    compressedSize: data.reduce((sum, piece) => sum + piece.size, 0),
    data,
  };
}

interface PythonEntry {
  name: string;
  size: number;
  compress_size: number;
  compress_type: number;
  sha256: string;
  date_time: number[];
  flag_bits: number;
}

/** What python3's zipfile reads: testzip's answer and every entry with its content's SHA-256. */
function readWithPython(file: string): { bad: string | null; entries: PythonEntry[] } {
  const script = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    entries = [{"name": i.filename, "size": i.file_size, "compress_size": i.compress_size,
                "compress_type": i.compress_type, "sha256": hashlib.sha256(z.read(i)).hexdigest(),
                "date_time": list(i.date_time), "flag_bits": i.flag_bits} for i in z.infolist()]
print(json.dumps({"bad": bad, "entries": entries}))
`;
  const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 zipfile failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function unzipTest(file: string): { status: number | null; output: string } {
  const run = spawnSync('unzip', ['-t', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, output: run.stdout + run.stderr };
}

async function writeZip(name: string, pieces: readonly Piece[], objects: Objects): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, materialise(pieces, objects));
  return file;
}

/** Text that compresses: patient-like JSON lines. */
function records(count: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < count; i++)
    lines.push(JSON.stringify({ id: i, triage: `T${1 + (i % 3)}`, note: 'x'.repeat(i % 50) }));
  return Buffer.from(lines.join('\n'), 'utf8');
}

function sampleEntries(objects: Objects): { entries: ZipPieceEntry[]; contents: Map<string, Buffer> } {
  const gz = randomBytes(70_000); // an already compressed file: stored
  const json = records(3000);
  const xml = Buffer.from(`<patients>${'<p a="ü"/>'.repeat(5000)}</patients>`, 'utf8');
  const contents = new Map<string, Buffer>([
    ['patients.json.gz', gz],
    ['patients.json', json],
    ['données/patients.xml', xml],
  ]);
  return {
    contents,
    entries: [
      storedEntry('patients.json.gz', gz, [1000, 1010, 40_000], objects),
      deflateEntry('patients.json', json, [10_000, 10_000, 50_000], objects),
      deflateEntry('données/patients.xml', xml, [], objects),
    ],
  };
}

describe('zipPieces', () => {
  it('gives a ZIP of stored and deflate entries plus a deflated manifest that python3 zipfile and unzip -t read', async () => {
    // Prepare
    const objects: Objects = new Map();
    const { entries, contents } = sampleEntries(objects);
    const manifest = Buffer.from(JSON.stringify({ files: [...contents.keys()] }, null, 2), 'utf8');
    // Act
    const layout = zipPieces(entries, { date: DATE, manifest });
    const file = await writeZip('sample.zip', layout.pieces, objects);
    const python = readWithPython(file);
    const unzip = unzipTest(file);
    // Assert
    expect(layout.zip64).toBe(false);
    expect(layout.size).toBe(materialise(layout.pieces, objects).length);
    expect(python.bad).toBeNull();
    expect(python.entries.map((e) => e.name)).toEqual([...contents.keys(), MANIFEST_FILE_NAME]);
    for (const entry of python.entries) {
      const expected = entry.name === MANIFEST_FILE_NAME ? manifest : contents.get(entry.name)!;
      expect(entry.sha256, entry.name).toBe(sha256(expected));
      expect(entry.size).toBe(expected.length);
      expect(entry.date_time).toEqual([2026, 3, 14, 15, 9, 26]);
      expect(entry.flag_bits).toBe(0x0800);
    }
    expect(python.entries.map((e) => e.compress_type)).toEqual([0, 8, 8, 8]);
    expect(unzip.status, unzip.output).toBe(0);
    expect(unzip.output).toContain('No errors detected');
  });

  it('keeps the data pieces as they are (object pieces untouched) and merges adjacent in-memory bytes', () => {
    // Prepare
    const objects: Objects = new Map();
    const { entries } = sampleEntries(objects);
    // Act
    const layout = zipPieces(entries, { date: DATE, manifest: Buffer.from('{}') });
    // Assert
    const objectKeys = layout.pieces
      .filter((p) => p.kind === 'object')
      .map((p) => (p.kind === 'object' ? p.key : ''));
    const expectedKeys = entries.flatMap((e) =>
      e.data.filter((p) => p.kind === 'object').map((p) => (p.kind === 'object' ? p.key : '')),
    );
    expect(objectKeys).toEqual(expectedKeys);
    for (let i = 1; i < layout.pieces.length; i++) {
      expect(layout.pieces[i - 1].kind === 'bytes' && layout.pieces[i].kind === 'bytes').toBe(false);
    }
    expect(layout.pieces.every((p) => p.size > 0)).toBe(true);
    for (const piece of layout.pieces) {
      if (piece.kind === 'bytes')
        expect(bytesInfo(piece.bytes)).toEqual({
          size: piece.size,
          sha256: piece.sha256,
          crc32: piece.crc32,
        });
    }
  });

  it('writes ZIP64 extra fields, the ZIP64 end record and its locator when forced, and the archive still reads', async () => {
    // Prepare
    const objects: Objects = new Map();
    const { entries, contents } = sampleEntries(objects);
    // Act
    const layout = zipPieces(entries, { date: DATE, manifest: Buffer.from('{"m":1}'), forceZip64: true });
    const bytes = materialise(layout.pieces, objects);
    const file = await writeZip('forced64.zip', layout.pieces, objects);
    const python = readWithPython(file);
    const unzip = unzipTest(file);
    // Assert: the end record points at the ZIP64 record, which holds the real values.
    const eocd = bytes.subarray(bytes.length - 22);
    expect(eocd.readUInt32LE(0)).toBe(0x06054b50);
    expect(eocd.readUInt16LE(10)).toBe(0xffff);
    expect(eocd.readUInt32LE(16)).toBe(0xffffffff);
    const locator = bytes.subarray(bytes.length - 42, bytes.length - 22);
    expect(locator.readUInt32LE(0)).toBe(0x07064b50);
    const record = bytes.subarray(Number(locator.readBigUInt64LE(8)));
    expect(record.readUInt32LE(0)).toBe(0x06064b50);
    expect(record.readBigUInt64LE(32)).toBe(4n);
    const first = bytes.subarray(0, 30 + 16 + 20);
    expect(first.readUInt16LE(4)).toBe(45);
    expect(first.readUInt32LE(18)).toBe(0xffffffff);
    expect(first.readUInt16LE(30 - 2)).toBe(20); // extra length: id, size, two sizes
    expect(python.bad).toBeNull();
    for (const entry of python.entries.slice(0, 3))
      expect(entry.sha256).toBe(sha256(contents.get(entry.name)!));
    expect(unzip.status, unzip.output).toBe(0);
  });

  it('writes empty entries (stored with no pieces, deflate of nothing) that read as empty files', async () => {
    // Prepare
    const objects: Objects = new Map();
    const emptyDeflate = deflateRawSync(Buffer.alloc(0));
    const entries: ZipPieceEntry[] = [
      { name: 'empty.csv', method: 'stored', crc32: 0, uncompressedSize: 0, compressedSize: 0, data: [] },
      {
        name: 'empty.json',
        method: 'deflate',
        crc32: 0,
        uncompressedSize: 0,
        compressedSize: emptyDeflate.length,
        data: [bytesPiece(emptyDeflate)],
      },
      {
        name: 'zero-object.xml',
        method: 'stored',
        crc32: 0,
        uncompressedSize: 0,
        compressedSize: 0,
        data: [objectPiece('none', bytesInfo(Buffer.alloc(0)))],
      },
    ];
    for (const forceZip64 of [false, true]) {
      // Act
      const layout = zipPieces(entries, { date: DATE, forceZip64 });
      const file = await writeZip(`empty-${forceZip64}.zip`, layout.pieces, objects);
      const python = readWithPython(file);
      const unzip = unzipTest(file);
      // Assert
      expect(python.bad).toBeNull();
      expect(python.entries.map((e) => [e.name, e.size])).toEqual([
        ['empty.csv', 0],
        ['empty.json', 0],
        ['zero-object.xml', 0],
      ]);
      expect(unzip.status, unzip.output).toBe(0);
    }
  });

  it('switches to ZIP64 at 65,535 entries and unzip reads all of them', async () => {
    // Prepare
    const entries: ZipPieceEntry[] = Array.from({ length: 0xffff }, (_, i) => ({
      name: `e/${i}`,
      method: 'stored' as const,
      crc32: 0,
      uncompressedSize: 0,
      compressedSize: 0,
      data: [],
    }));
    // Act
    const below = zipPieces(entries.slice(1), { date: DATE });
    const at = zipPieces(entries, { date: DATE });
    const file = await writeZip('many.zip', at.pieces, new Map());
    const test = spawnSync('unzip', ['-tq', file], { encoding: 'utf8' });
    const info = spawnSync('zipinfo', ['-t', file], { encoding: 'utf8' });
    // Assert
    expect(below.zip64).toBe(false);
    expect(at.zip64).toBe(true);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(info.stdout).toMatch(/^65535 files, 0 bytes uncompressed/);
  });

  it('describes entries and offsets past 4 GiB with ZIP64 fields (synthetic sizes, never written)', () => {
    // Prepare: a 5 GiB stored object, then a deflate entry of 6 GiB in 4.5 GiB of deflate, then a small one.
    const GiB = 2 ** 30;
    const huge = (key: string, size: number) => objectPiece(key, { size, sha256: '0'.repeat(64), crc32: 0 });
    const stored = {
      name: 'big.gz',
      method: 'stored' as const,
      uncompressedSize: 5 * GiB,
      compressedSize: 5 * GiB,
      data: [huge('a', 5 * GiB)],
      crc32: 0,
    };
    const deflated = {
      name: 'big.json',
      method: 'deflate' as const,
      uncompressedSize: 6 * GiB,
      compressedSize: 4.5 * GiB,
      data: [huge('b', 4 * GiB), huge('c', 0.5 * GiB)],
      crc32: 0x12345678,
    };
    const small = {
      name: 'small.csv',
      method: 'stored' as const,
      uncompressedSize: 3,
      compressedSize: 3,
      data: [bytesPiece(Buffer.from('a,b'))],
      crc32: crc32('a,b'),
    };
    // Act
    const layout = zipPieces([stored, deflated, small], { date: DATE });
    const bytesOf = (index: number) => {
      const piece = layout.pieces[index];
      if (piece.kind !== 'bytes') throw new Error(`piece ${index} is not bytes`);
      return piece.bytes;
    };
    // Assert
    expect(layout.zip64).toBe(true);
    const headerA = bytesOf(0);
    expect(headerA.readUInt32LE(18)).toBe(0xffffffff);
    expect(headerA.readUInt32LE(22)).toBe(0xffffffff);
    expect(headerA.readUInt16LE(28)).toBe(20);
    const extraA = headerA.subarray(30 + 'big.gz'.length);
    expect(extraA.readUInt16LE(0)).toBe(1);
    expect(extraA.readBigUInt64LE(4)).toBe(BigInt(5 * GiB));
    expect(extraA.readBigUInt64LE(12)).toBe(BigInt(5 * GiB));
    const offsetB = 30 + 'big.gz'.length + 20 + 5 * GiB;
    const offsetC = offsetB + 30 + 'big.json'.length + 20 + 4.5 * GiB;
    expect(layout.offsets).toEqual([0, offsetB, offsetC]);
    const headerB = bytesOf(2);
    const extraB = headerB.subarray(30 + 'big.json'.length);
    expect([extraB.readBigUInt64LE(4), extraB.readBigUInt64LE(12)]).toEqual([
      BigInt(6 * GiB),
      BigInt(4.5 * GiB),
    ]);
    expect(headerB.readUInt32LE(14)).toBe(0x12345678);
    // The small entry fits: no extra field in its local header, but its offset is past 4 GiB.
    const trailer = bytesOf(5);
    const headerC = trailer.subarray(0, 30 + 'small.csv'.length);
    expect(headerC.readUInt16LE(28)).toBe(0);
    expect(headerC.readUInt32LE(18)).toBe(3);
    // Central directory: A has both sizes in its extra (offset 0 fits), C only its offset.
    const directory = trailer.subarray(headerC.length + 3);
    expect(directory.readUInt32LE(0)).toBe(0x02014b50);
    expect(directory.readUInt16LE(30)).toBe(20);
    expect(directory.readUInt32LE(42)).toBe(0);
    const centralB = directory.subarray(46 + 'big.gz'.length + 20);
    expect(centralB.readUInt16LE(30)).toBe(28); // both sizes and the offset
    expect(centralB.subarray(46 + 'big.json'.length + 4).readBigUInt64LE(16)).toBe(BigInt(offsetB));
    const centralC = centralB.subarray(46 + 'big.json'.length + 28);
    expect(centralC.readUInt32LE(0)).toBe(0x02014b50);
    expect(centralC.readUInt32LE(20)).toBe(3);
    expect(centralC.readUInt32LE(42)).toBe(0xffffffff);
    expect(centralC.readUInt16LE(30)).toBe(12);
    expect(centralC.subarray(46 + 'small.csv'.length).readBigUInt64LE(4)).toBe(BigInt(offsetC));
    // ZIP64 end record: entries, directory size and offset; the end record says 0xFFFFFFFF for the offset.
    const directoryOffset = offsetC + headerC.length + 3;
    const directorySize = 46 + 6 + 20 + 46 + 8 + 28 + 46 + 9 + 12;
    const record = trailer.subarray(headerC.length + 3 + directorySize);
    expect(record.readUInt32LE(0)).toBe(0x06064b50);
    expect(record.readBigUInt64LE(32)).toBe(3n);
    expect(record.readBigUInt64LE(40)).toBe(BigInt(directorySize));
    expect(record.readBigUInt64LE(48)).toBe(BigInt(directoryOffset));
    const locator = record.subarray(56);
    expect(locator.readBigUInt64LE(8)).toBe(BigInt(directoryOffset + directorySize));
    const eocd = locator.subarray(20);
    expect(eocd.readUInt16LE(10)).toBe(3);
    expect(eocd.readUInt32LE(16)).toBe(0xffffffff);
    expect(layout.size).toBe(directoryOffset + directorySize + 56 + 20 + 22);
  });

  it('gives the same pieces for the same inputs', () => {
    // Prepare
    const objects: Objects = new Map();
    const { entries } = sampleEntries(objects);
    // Act
    const a = zipPieces(entries, { date: DATE, manifest: Buffer.from('{"a":1}') });
    const b = zipPieces(entries, { date: DATE, manifest: Buffer.from('{"a":1}') });
    // Assert
    expect(a.pieces.map((p) => p.sha256)).toEqual(b.pieces.map((p) => p.sha256));
  });

  it('refuses duplicate or unsafe names, data that does not add up to the sizes, and a stored CRC-32 that does not match', () => {
    // Prepare
    const one = memoryEntry('a.txt', Buffer.from('hello'), 'stored');
    // Act / Assert
    expect(() => zipPieces([one, one], { date: DATE })).toThrow(/duplicate ZIP entry name "a.txt"/);
    expect(() => zipPieces([{ ...one, name: '../a' }], { date: DATE })).toThrow(/invalid ZIP entry name/);
    expect(() =>
      zipPieces([{ ...one, name: MANIFEST_FILE_NAME }], { date: DATE, manifest: Buffer.from('{}') }),
    ).toThrow(/duplicate/);
    expect(() => zipPieces([{ ...one, compressedSize: 6, uncompressedSize: 6 }], { date: DATE })).toThrow(
      /hold 5 bytes/,
    );
    expect(() => zipPieces([{ ...one, crc32: one.crc32 ^ 1 }], { date: DATE })).toThrow(
      /crc32 does not match/,
    );
    expect(() => zipPieces([{ ...one, uncompressedSize: 7 }], { date: DATE })).toThrow(/sizes must be equal/);
  });

  it('encodes DOS dates in UTC with two-second steps, clamped to 1980 … 2107', () => {
    // Act / Assert
    expect(dosDateTime(new Date('2026-03-14T15:09:27Z'))).toEqual({
      time: (15 << 11) | (9 << 5) | 13,
      date: (46 << 9) | (3 << 5) | 14,
    });
    expect(dosDateTime(new Date('1970-01-01T00:00:00Z'))).toEqual({ time: 0, date: (1 << 5) | 1 });
    expect(dosDateTime(new Date('2200-01-01T00:00:00Z')).date).toBe((127 << 9) | (12 << 5) | 31);
    expect(() => dosDateTime(new Date('nope'))).toThrow(RangeError);
  });
});
