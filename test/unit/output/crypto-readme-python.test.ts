/**
 * Runs the README's Python examples ("Encrypted files": version 2 streaming, version 1 in memory) with
 * python3 and the `cryptography` package, on files the product wrote. Skipped where python3 or the
 * package is missing.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_BYTES, SEGMENT_SIZE, TAG_BYTES } from '../../../lib/output/index.js';
import { readmeCodeBlocks } from '../../support/readme.js';
import { encrypt, PASSWORD } from './crypto-support.js';

const V1_FIXTURE = new URL('../../fixtures/encryption/v1-patients.ndjson.enc', import.meta.url);
const V1_FIXTURE_PLAIN = new URL('../../fixtures/encryption/v1-patients.ndjson', import.meta.url);

const hasPython = spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0;

/** The ```python blocks of the README's "Encrypted files" section, in order. */
const pythonExamples = () => readmeCodeBlocks('## Encrypted files', 'python');

function python(script: string, args: string[], cwd: string, password: string) {
  return spawnSync('python3', ['-c', script, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ENCRYPTION_PASSWORD: password },
  });
}

describe.skipIf(!hasPython)('README Python examples (python3 + cryptography)', () => {
  let dir: string;
  let v2Example: string;
  let v1Example: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'milmed-readme-python-'));
    const examples = await pythonExamples();
    expect(examples).toHaveLength(2);
    [v2Example, v1Example] = examples;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decrypts version 2 files of 0, 1, S and 3 S + 5 bytes written by the encrypt stream', async () => {
    // Prepare
    const sizes = [0, 1, SEGMENT_SIZE, 3 * SEGMENT_SIZE + 5];
    const plains = sizes.map((size) => randomBytes(size));
    await Promise.all(
      plains.map(async (plain, i) => writeFile(join(dir, `f${i}.enc`), await encrypt(plain))),
    );
    // Act
    const runs = sizes.map((_, i) => python(v2Example, [`f${i}.enc`, `f${i}.out`], dir, PASSWORD));
    // Assert
    for (const [i, run] of runs.entries()) {
      expect(run.status, run.stderr).toBe(0);
      expect((await readFile(join(dir, `f${i}.out`))).equals(plains[i]), `size ${sizes[i]}`).toBe(true);
    }
  });

  it('fails on a truncated or tampered version 2 file and leaves no output', async () => {
    // Prepare
    const sealed = await encrypt(randomBytes(3 * SEGMENT_SIZE));
    const boundary = HEADER_BYTES + 2 * (SEGMENT_SIZE + TAG_BYTES);
    const flipped = Buffer.from(sealed);
    flipped[HEADER_BYTES + 10] ^= 1;
    const sub = await mkdtemp(join(dir, 'bad-'));
    await writeFile(join(sub, 'cut.enc'), sealed.subarray(0, boundary));
    await writeFile(join(sub, 'flipped.enc'), flipped);
    // Act
    const cut = python(v2Example, ['cut.enc', 'cut.out'], sub, PASSWORD);
    const bad = python(v2Example, ['flipped.enc', 'flipped.out'], sub, PASSWORD);
    const wrong = python(v2Example, ['flipped.enc', 'wrong.out'], sub, 'wrong password');
    // Assert
    for (const run of [cut, bad, wrong]) {
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/InvalidTag/);
    }
    expect((await readdir(sub)).sort()).toEqual(['cut.enc', 'flipped.enc']);
  });

  it('decrypts the version 1 fixture with the version 1 example', async () => {
    // Prepare: the v1 example reads patients.json.gz.enc and leaves the plaintext in `plain`.
    await copyFile(V1_FIXTURE, join(dir, 'patients.json.gz.enc'));
    const imports = v2Example.slice(0, v2Example.indexOf('\ndef '));
    const script = `${imports}\n${v1Example}\nsys.stdout.buffer.write(plain)\n`;
    // Act
    const run = spawnSync('python3', ['-c', script], {
      cwd: dir,
      env: { ...process.env, ENCRYPTION_PASSWORD: 'mmpg v1 fixture password' },
      maxBuffer: 1 << 20,
    });
    // Assert
    expect(run.status, run.stderr?.toString()).toBe(0);
    expect(run.stdout.equals(await readFile(V1_FIXTURE_PLAIN))).toBe(true);
  });
});
