/**
 * manifest.json's file entries (lib/output/manifest.ts): the CLI's files list their whole-file
 * SHA-256, a job's files assembled from parts their sha256-of-parts checksum, each only the field it has.
 */
import { describe, expect, it } from 'vitest';
import { buildManifest, bytesPiece, manifestJson, piecesInfo } from '../../../lib/output/index.js';
import { testPlan } from './support.js';

const plan = testPlan(10, 1);

describe('manifest files', () => {
  it('lists a one-pass file with its SHA-256 and no checksum, as the CLI always has', () => {
    // Prepare
    const file = { name: 'patients.json', size: 3, sha256: 'ab'.repeat(32) };
    // Act
    const manifest = buildManifest({ plan, files: [file] });
    // Assert
    expect(manifest.files).toEqual([file]);
    expect(Object.keys(manifest.files[0])).toEqual(['name', 'size', 'sha256']);
  });

  it('lists a file assembled from parts with its sha256-of-parts checksum and no SHA-256', () => {
    // Prepare
    const pieces = [bytesPiece(Buffer.from('head')), bytesPiece(Buffer.from('tail!'))];
    const { size, checksum } = piecesInfo(pieces);
    // Act
    const manifest = buildManifest({ plan, files: [{ name: 'patients.json.gz', size, checksum }] });
    const written = JSON.parse(manifestJson(manifest)) as typeof manifest;
    // Assert
    expect(written.files).toEqual([{ name: 'patients.json.gz', size: 9, checksum }]);
    expect(checksum).toEqual({
      algorithm: 'sha256-of-parts',
      part_sizes: [4, 5],
      value: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
