/**
 * Runs the README's Python of "Verify a download" as written there (`sha256_of_parts` and
 * `verify_zip`) on a job's ZIP (manifest entries with `size` and a sha256-of-parts `checksum`) and on a
 * CLI `--zip` archive (a plain `sha256`), and on archives that must fail
 * (memory/fixes/0133-readme-manifest-fields-and-zip-check.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../lib/generation/index.js';
import { createGzipStream } from '../../../lib/output/gzip.js';
import { buildManifest, MANIFEST_FILE_NAME, manifestJson } from '../../../lib/output/manifest.js';
import { partSha256, sha256OfParts } from '../../../lib/output/part-checksum.js';
import { xmlFormat } from '../../../lib/output/xml-format.js';
import { createZipStream, type ZipEntry } from '../../../lib/output/zip.js';
import { readmeCodeBlocks } from '../../support/readme.js';
import { readAll } from '../../support/zip.js';
import { testPlan } from './support.js';

const plan = testPlan(40, 11);

/** The ```python blocks of the README's "Verify a download" section, joined in order. */
const readmePython = async () => (await readmeCodeBlocks('### Verify a download', 'python')).join('\n');

/** The two files of a job, as bytes. */
async function jobFiles(): Promise<Array<{ name: string; bytes: Buffer }>> {
  return [
    {
      name: 'patients.xml.gz',
      bytes: await readAll(
        Readable.from(generate(plan)).pipe(xmlFormat.createStream({ plan })).pipe(createGzipStream()),
      ),
    },
    {
      name: 'patients.xml',
      bytes: await readAll(Readable.from(generate(plan)).pipe(xmlFormat.createStream({ plan }))),
    },
  ];
}

/** A job's ZIP: each file split into parts as chunks write them, its manifest carrying sha256-of-parts. */
async function jobZip(tamper?: (manifest: ReturnType<typeof buildManifest>) => void): Promise<Buffer> {
  const files = await jobFiles();
  const manifest = buildManifest({
    plan,
    extra: { job_id: 'job-1' },
    files: files.map(({ name, bytes }) => {
      const cut = [0, 10, Math.floor(bytes.length / 2), bytes.length];
      const parts = cut.slice(1).map((end, i) => bytes.subarray(cut[i], end));
      return {
        name,
        size: bytes.length,
        checksum: sha256OfParts(parts.map((p) => ({ size: p.length, sha256: partSha256(p) }))),
      };
    }),
  });
  tamper?.(manifest);
  const entries: ZipEntry[] = [
    ...files.map(({ name, bytes }) => ({ name, source: () => Readable.from([bytes]) })),
    { name: MANIFEST_FILE_NAME, source: () => Readable.from([Buffer.from(manifestJson(manifest))]) },
  ];
  return readAll(createZipStream(entries, null));
}

/** A CLI --zip archive: the manifest (plain SHA-256 per file) written by the ZIP stream itself. */
async function cliZip(): Promise<Buffer> {
  const files = await jobFiles();
  return readAll(
    createZipStream(
      files.map(({ name, bytes }) => ({ name, source: () => Readable.from([bytes]) })),
      { plan },
    ),
  );
}

describe('README "Verify a download" Python, run as written', () => {
  let dir: string;
  let python: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verify-download-'));
    python = `${await readmePython()}\nimport sys, json\nprint(json.dumps([f["name"] for f in verify_zip(sys.argv[1], sys.argv[2])]))\n`;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const verify = async (name: string, zip: Buffer) => {
    const path = join(dir, name);
    await writeFile(path, zip);
    return spawnSync('python3', ['-c', python, path, join(dir, `${name}.d`)], { encoding: 'utf8' });
  };

  it("verifies every file of a job's ZIP by its size and sha256-of-parts checksum", async () => {
    // Prepare
    const zip = await jobZip();
    // Act
    const run = await verify('job.zip', zip);
    // Assert
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['patients.xml.gz', 'patients.xml']);
  });

  it('verifies every file of a CLI --zip archive by its size and plain SHA-256', async () => {
    // Prepare
    const zip = await cliZip();
    // Act
    const run = await verify('cli.zip', zip);
    // Assert
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['patients.xml.gz', 'patients.xml']);
  });

  it('refuses a file whose checksum or size differs from the manifest', async () => {
    // Prepare
    const badValue = await jobZip((m) => {
      const f = m.files[0] as { checksum: { value: string } };
      f.checksum = { ...f.checksum, value: '0'.repeat(64) };
    });
    const badSize = await jobZip((m) => {
      (m.files[1] as { size: number }).size += 1;
    });
    // Act
    const value = await verify('bad-value.zip', badValue);
    const size = await verify('bad-size.zip', badSize);
    // Assert
    expect(value.status).not.toBe(0);
    expect(value.stderr).toContain('patients.xml.gz: checksum differs from the manifest');
    expect(size.status).not.toBe(0);
    expect(size.stderr).toContain('patients.xml: size differs from the manifest');
  });
});
