/**
 * "sha256-of-parts" (lib/output/part-checksum.ts): composed from the parts' digests, equal to what a
 * single read of the file computes, and to what a recipient's standard tools compute: the shell
 * pipeline (tail, head, openssl, sha256sum) and the Python function of the README, run as written.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineParts, deflatePart, gzipHeader, gzipTrailer } from '../../../lib/output/gzip-parts.js';
import { DigestStream } from '../../../lib/output/manifest.js';
import {
  partSha256,
  SHA256_OF_PARTS,
  sha256OfParts,
  sha256OfPartsOf,
} from '../../../lib/output/part-checksum.js';
import { readmeCodeBlocks } from '../../support/readme.js';

/**
 * The README's shell check ("Verify a download"), run as written but for its first line, which sets
 * FILE and SIZES for the reader: the test sets them in the environment.
 */
async function readmeShellCheck(): Promise<string> {
  const [block] = await readmeCodeBlocks('### Verify a download', 'bash');
  const [first, ...rest] = block.split('\n');
  expect(first).toMatch(/^FILE=\S+; SIZES=/);
  return rest.join('\n');
}

/** The README's Python check: its first Python block, `sha256_of_parts`. */
const readmePythonCheck = async () => (await readmeCodeBlocks('### Verify a download', 'python'))[0];

const hasShellTools =
  spawnSync(
    'sh',
    ['-c', 'command -v openssl && command -v sha256sum && command -v tail && command -v head'],
    {
      stdio: 'ignore',
    },
  ).status === 0;
const hasPython = spawnSync('python3', ['-c', 'import hashlib'], { stdio: 'ignore' }).status === 0;

function hashed(parts: readonly Buffer[]) {
  return parts.map((part) => ({ size: part.length, sha256: partSha256(part) }));
}

/** A gzip file the way parallel writers produce it: header, deflated parts, trailer. */
function gzipPieces(): Buffer[] {
  const inputs = [
    Buffer.from('[\n'),
    Buffer.from('{"id":1},\n'.repeat(40_000)),
    Buffer.alloc(0),
    randomBytes(9000),
  ];
  const parts = inputs.map((input, i) => deflatePart(input, { last: i === inputs.length - 1 }));
  return [gzipHeader(), ...parts.map((part) => part.deflated), gzipTrailer(combineParts(parts))];
}

describe('sha256-of-parts', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'milmed-part-checksum-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is the SHA-256 of the parts’ raw digests in order, with the part sizes', () => {
    // Prepare
    const parts = [Buffer.from('abc'), Buffer.alloc(0), Buffer.from('defg')];
    // Act
    const checksum = sha256OfParts(hashed(parts));
    // Assert
    const expected = createHash('sha256')
      .update(Buffer.concat(parts.map((part) => createHash('sha256').update(part).digest())))
      .digest('hex');
    expect(checksum).toEqual({ algorithm: SHA256_OF_PARTS, part_sizes: [3, 0, 4], value: expected });
  });

  it('takes hex digests as DigestStream gives them, and refuses anything but a SHA-256', async () => {
    // Prepare
    const part = Buffer.from('patients');
    const digest = new DigestStream();
    await pipeline(Readable.from([part]), digest, new PassThrough().resume());
    // Act
    const fromHex = sha256OfParts([{ size: part.length, sha256: digest.result('part').sha256 }]);
    const fromBytes = sha256OfParts([{ size: part.length, sha256: partSha256(part) }]);
    // Assert
    expect(fromHex).toEqual(fromBytes);
    expect(() => sha256OfParts([{ size: 1, sha256: 'abc' }])).toThrow(RangeError);
    expect(() => sha256OfParts([{ size: 1, sha256: new Uint8Array(20) }])).toThrow(RangeError);
    expect(() => sha256OfParts([{ size: -1, sha256: partSha256(part) }])).toThrow(RangeError);
  });

  it('equals one read of the whole file cut at the part sizes, whatever the read chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 4096 }),
        async (pieces, chunk) => {
          // Prepare
          const parts = pieces.map((piece) => Buffer.from(piece));
          const file = Buffer.concat(parts);
          const chunks = Array.from({ length: Math.ceil(file.length / chunk) }, (_, i) =>
            file.subarray(i * chunk, (i + 1) * chunk),
          );
          // Act
          const composed = sha256OfParts(hashed(parts));
          const read = await sha256OfPartsOf(Readable.from(chunks), composed.part_sizes);
          // Assert
          expect(read).toBe(composed.value);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses part sizes that do not add up to the file', async () => {
    // Act
    const shorter = sha256OfPartsOf(Readable.from([Buffer.from('abcdef')]), [2, 2]);
    const longer = sha256OfPartsOf(Readable.from([Buffer.from('abc')]), [2, 2]);
    // Assert
    await expect(shorter).rejects.toThrow(/longer than its parts/);
    await expect(longer).rejects.toThrow(/shorter than its parts/);
  });

  it.skipIf(!hasShellTools)('matches the shell check with tail, head, openssl and sha256sum', async () => {
    // Prepare
    const pieces = gzipPieces();
    const file = join(dir, 'patients.json.gz');
    await writeFile(file, Buffer.concat(pieces));
    const checksum = sha256OfParts(hashed(pieces));
    // Act
    const check = await readmeShellCheck();
    const run = spawnSync('bash', ['-c', check], {
      encoding: 'utf8',
      env: { ...process.env, FILE: file, SIZES: checksum.part_sizes.join(' ') },
    });
    // Assert
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(checksum.value);
  });

  it.skipIf(!hasPython)('matches the Python check, and the Python check refuses wrong sizes', async () => {
    // Prepare
    const pieces = gzipPieces();
    const file = join(dir, 'patients-py.json.gz');
    await writeFile(file, Buffer.concat(pieces));
    const checksum = sha256OfParts(hashed(pieces));
    const pythonCheck = await readmePythonCheck();
    const call = (sizes: readonly number[]) =>
      spawnSync(
        'python3',
        [
          '-c',
          `${pythonCheck}\nimport sys, json\nprint(sha256_of_parts(sys.argv[1], json.loads(sys.argv[2])))`,
          file,
          JSON.stringify(sizes),
        ],
        {
          encoding: 'utf8',
        },
      );
    // Act
    const good = call(checksum.part_sizes);
    const wrong = call([...checksum.part_sizes, 1]);
    // Assert
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout.trim()).toBe(checksum.value);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('do not add up');
  });
});
