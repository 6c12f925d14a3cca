/**
 * Whole files from chunks (lib/output/chunk-parts.ts + file-pieces.ts): for random chunk splits,
 * every format, gzip on and off, the pieces read from an in-memory object map give the one-pass
 * output of runOutputChain for the same plan and seed (gzip -t accepts the compressed ones), and the
 * sizes, CRC-32s and sha256-of-parts checksums composed without reading equal what the bytes give.
 */
import { Readable } from 'node:stream';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type ChainSink,
  crc32,
  filePieces,
  OUTPUT_FORMATS,
  piecesInfo,
  runOutputChain,
  sha256OfPartsOf,
  storedZipEntry,
  zipEntryData,
} from '../../../lib/output/index.js';
import { readAll } from '../../support/zip.js';
import {
  assemble,
  gzipTest,
  type ObjectMap,
  randomBounds,
  storedChunks,
  writeChunks,
} from './parts-support.js';
import { testPlan } from './support.js';

const N = 150;
const plan = testPlan(N, 11);

/** The CLI's one-pass files for the plan, by file name. */
async function onePass(compress: boolean): Promise<Map<string, Buffer>> {
  const stored = new Map<string, Buffer>();
  const sink: ChainSink = async (file, bytes) => {
    stored.set(file.fileName, await readAll(bytes));
  };
  await runOutputChain(plan, { formats: OUTPUT_FORMATS, compress, sink });
  return stored;
}

const SPLITS = [
  { name: 'one chunk', bounds: [0, N] },
  { name: 'random split A', bounds: randomBounds(N, 4, 1) },
  {
    name: 'random split B (with empty chunks)',
    bounds: [0, 0, ...randomBounds(N, 6, 7).slice(1, -1), 77, 77, N, N].sort((a, b) => a - b),
  },
];

describe('file pieces', () => {
  for (const split of SPLITS) {
    it(`assembles compressed chunks (${split.name}) into gzip files equal to the one-pass output`, async () => {
      // Prepare
      const objects: ObjectMap = new Map();
      const reference = await onePass(true);
      const chunks = await writeChunks(
        plan,
        split.bounds,
        { formats: OUTPUT_FORMATS, compress: true },
        objects,
      );
      for (let f = 0; f < OUTPUT_FORMATS.length; f++) {
        const stored = storedChunks(chunks, f);
        const name = chunks[0][f].file_name;
        // Act
        const pieces = filePieces(stored);
        const file = assemble(pieces, objects);
        // Assert
        gzipTest(file);
        expect(gunzipSync(file).equals(gunzipSync(reference.get(name)!)), name).toBe(true);
        if (split.bounds.length === 2) expect(file.equals(reference.get(name)!), name).toBe(true);
        const info = piecesInfo(pieces);
        expect(info.size).toBe(file.length);
        expect(info.crc32).toBe(crc32(file));
        expect(info.checksum.part_sizes.reduce((a, b) => a + b, 0)).toBe(file.length);
        expect(await sha256OfPartsOf(Readable.from([file]), info.checksum.part_sizes)).toBe(
          info.checksum.value,
        );
        const entry = zipEntryData(stored);
        expect(entry).toEqual(storedZipEntry(pieces));
        expect([entry.method, entry.crc32, entry.uncompressedSize]).toEqual([
          'stored',
          crc32(file),
          file.length,
        ]);
      }
    });

    it(`assembles uncompressed chunks (${split.name}) into the one-pass files and deflated ZIP entries`, async () => {
      // Prepare
      const objects: ObjectMap = new Map();
      const reference = await onePass(false);
      const chunks = await writeChunks(plan, split.bounds, { formats: OUTPUT_FORMATS }, objects);
      for (let f = 0; f < OUTPUT_FORMATS.length; f++) {
        const stored = storedChunks(chunks, f);
        const name = chunks[0][f].file_name;
        // Act
        const pieces = filePieces(stored);
        const file = assemble(pieces, objects);
        const entry = zipEntryData(stored);
        const entryData = assemble(entry.pieces, objects);
        // Assert
        expect(file.equals(reference.get(name)!), name).toBe(true);
        expect(pieces.every((p) => p.kind === 'object' && p.size > 0)).toBe(true);
        const info = piecesInfo(pieces);
        expect([info.size, info.crc32]).toEqual([file.length, crc32(file)]);
        expect(await sha256OfPartsOf(Readable.from([file]), info.checksum.part_sizes)).toBe(
          info.checksum.value,
        );
        expect(entry.method).toBe('deflate');
        expect(inflateRawSync(entryData).equals(file), name).toBe(true);
        expect([entry.crc32, entry.uncompressedSize, entry.compressedSize]).toEqual([
          crc32(file),
          file.length,
          entryData.length,
        ]);
      }
    });
  }

  it('refuses chunks of one file that mix compressed and plain parts', () => {
    // Prepare
    const part = { size: 5, sha256: '0'.repeat(64), crc32: 0 };
    const chunks = [
      { key: 'a', file: { part, input: { crc32: 0, length: 0 } } },
      { key: 'b', file: { part } },
    ];
    // Act
    const mixed = () => filePieces(chunks);
    // Assert
    expect(mixed).toThrow(/all be compressed or all be plain/);
  });

  it('refuses a deflated ZIP entry when a chunk has no deflate part', () => {
    // Prepare
    const part = { size: 5, sha256: '0'.repeat(64), crc32: 0 };
    // Act
    const missing = () => zipEntryData([{ key: 'a', file: { part } }]);
    // Assert
    expect(missing).toThrow(/deflate part/);
  });
});
