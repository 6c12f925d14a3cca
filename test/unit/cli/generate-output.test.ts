import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../lib/output/index.js';
import { unzip } from '../../support/zip.js';
import { sha256 } from '../output/support.js';
import { runCli, withTempDir } from './support.js';

const base = ['generate', '--preset', 'training_exercise', '--seed', '11'];
const ALL = 'json,ndjson,csv,fhir,xml';
const FILES = ['patients.json', 'patients.ndjson', 'patients.csv', 'patients.fhir.ndjson', 'patients.xml'];

interface Bundle {
  readonly resourceType: string;
  readonly type: string;
  readonly entry: readonly { resource: { resourceType: string }; request?: { method: string } }[];
}

function bundles(text: string): Bundle[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Bundle);
}

describe('milmed generate: FHIR, XML, --compress, --zip', () => {
  it('writes a FHIR NDJSON file of parseable bundles and a well-formed XML document', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([...base, '--count', '12', '--format', 'fhir,xml', '--out', dir]);
      // Assert
      expect(run.code).toBe(0);
      expect((await readdir(dir)).sort()).toEqual(['patients.fhir.ndjson', 'patients.xml']);
      const lines = bundles(await readFile(join(dir, 'patients.fhir.ndjson'), 'utf8'));
      expect(lines).toHaveLength(1 + 12); // the facilities bundle, then one bundle per patient
      for (const bundle of lines)
        expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      expect(lines.slice(1).every((b) => b.entry[0].resource.resourceType === 'Patient')).toBe(true);
      const xml = await readFile(join(dir, 'patients.xml'), 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const parsed = new XMLParser({ isArray: (name) => name === 'patient' }).parse(xml) as {
        patients: { patient: unknown[] };
      };
      expect(parsed.patients.patient).toHaveLength(12);
      expect(run.stdout).toMatch(/^\S*patients\.fhir\.ndjson\s+fhir\s/m);
      expect(run.stdout).toMatch(/^\S*patients\.xml\s+xml\s/m);
    });
  });

  it('writes transaction bundles whose entries carry a request with --fhir-bundle transaction', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([
        ...base,
        '--count',
        '5',
        '--format',
        'fhir',
        '--fhir-bundle',
        'transaction',
        '--out',
        dir,
      ]);
      // Assert
      expect(run.code).toBe(0);
      const lines = bundles(await readFile(join(dir, 'patients.fhir.ndjson'), 'utf8'));
      expect(lines).toHaveLength(6);
      for (const bundle of lines) {
        expect(bundle.type).toBe('transaction');
        expect(bundle.entry.every((e) => e.request !== undefined)).toBe(true);
      }
    });
  });

  it('--compress writes .gz files that gunzip to the bytes of an uncompressed run with the same seed', async () => {
    await withTempDir(async (dir) => {
      // Act
      const plain = await runCli([...base, '--count', '15', '--format', ALL, '--out', join(dir, 'plain')]);
      const packed = await runCli([
        ...base,
        '--count',
        '15',
        '--format',
        ALL,
        '--compress',
        '--out',
        join(dir, 'gz'),
      ]);
      // Assert
      expect([plain.code, packed.code]).toEqual([0, 0]);
      expect((await readdir(join(dir, 'gz'))).sort()).toEqual(FILES.map((f) => `${f}.gz`).sort());
      for (const name of FILES) {
        const gz = await readFile(join(dir, 'gz', `${name}.gz`));
        expect([gz[0], gz[1]], name).toEqual([0x1f, 0x8b]);
        expect(gunzipSync(gz).equals(await readFile(join(dir, 'plain', name))), name).toBe(true);
      }
      expect(packed.stdout).toContain('patients.fhir.ndjson.gz');
    });
  });

  it('--zip writes only patients.zip, holding every file and a manifest.json whose sizes and sha256 match', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([
        ...base,
        '--count',
        '10',
        '--format',
        ALL,
        '--compress',
        '--zip',
        '--out',
        dir,
      ]);
      // Assert
      expect(run.code).toBe(0);
      expect(await readdir(dir)).toEqual(['patients.zip']);
      const entries = await unzip(await readFile(join(dir, 'patients.zip')));
      const stored = FILES.map((f) => `${f}.gz`);
      expect([...entries.keys()]).toEqual([...stored, 'manifest.json']);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
      expect(manifest.files.map((f) => f.name)).toEqual(stored);
      for (const file of manifest.files) {
        const bytes = entries.get(file.name)!;
        expect(file.sha256, file.name).toBe(sha256(bytes));
        expect(file.size, file.name).toBe(bytes.length);
      }
      expect(manifest).toMatchObject({
        seed: 11,
        patient_count: 10,
        output: { formats: ALL.split(','), fhir_bundle: 'collection', compression: 'gzip', encryption: null },
      });
      expect(gunzipSync(entries.get('patients.json.gz')!).toString('utf8')).toMatch(/^\[\n/);
      expect(run.stdout).toMatch(/patients\.json\.gz \(in \S*patients\.zip\)\s+json\s/);
      expect(run.stdout).toMatch(/^\S*patients\.zip\s+zip\s/m);
    });
  });

  it('says "zipping 1 file" (not "1 files") when a large run zips its one file', async () => {
    await withTempDir(async (dir) => {
      // Act: 10,000 patients is where a run without a terminal starts printing its progress lines.
      const run = await runCli([...base, '--count', '10000', '--format', 'csv', '--zip', '--out', dir]);
      // Assert
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^zipping 1 file into \S*patients\.zip$/m);
    });
  });

  it('--zip --keep-files keeps the loose files, byte for byte the entries of the zip', async () => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([
        ...base,
        '--count',
        '8',
        '--format',
        'json,csv',
        '--zip',
        '--keep-files',
        '--out',
        dir,
      ]);
      // Assert
      expect(run.code).toBe(0);
      expect((await readdir(dir)).sort()).toEqual(['patients.csv', 'patients.json', 'patients.zip']);
      const entries = await unzip(await readFile(join(dir, 'patients.zip')));
      for (const name of ['patients.json', 'patients.csv']) {
        expect(entries.get(name)!.equals(await readFile(join(dir, name))), name).toBe(true);
      }
    });
  });

  it('exits 1 and removes every partial file when a compressed file cannot be written', async () => {
    await withTempDir(async (dir) => {
      // Prepare: a directory where the gzip of the CSV must go.
      await mkdir(join(dir, 'patients.csv.gz.partial'));
      // Act
      const run = await runCli([...base, '--count', '30', '--format', ALL, '--compress', '--out', dir]);
      // Assert
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: cannot write the output files in ".*": EISDIR[^\n]*\n$/);
      expect(await readdir(dir)).toEqual(['patients.csv.gz.partial']);
    });
  });

  it('exits 1 and leaves neither the zip nor the loose files when the zip cannot be written', async () => {
    await withTempDir(async (dir) => {
      // Prepare
      await mkdir(join(dir, 'patients.zip.partial'));
      // Act
      const run = await runCli([...base, '--count', '10', '--format', 'json,xml', '--zip', '--out', dir]);
      // Assert
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: cannot write the output files in ".*": EISDIR/);
      expect(await readdir(dir)).toEqual(['patients.zip.partial']);
    });
  });

  it.each([
    [
      ['--fhir-bundle', 'batch', '--format', 'fhir'],
      /^--fhir-bundle: unknown bundle type "batch"; valid: collection, transaction$/,
    ],
    [['--fhir-bundle', 'transaction', '--format', 'json'], /^--fhir-bundle: applies to the fhir format only/],
    [['--keep-files'], /^--keep-files: applies to --zip only$/],
    [['--password-env', 'MY_PASSWORD'], /^--password-env: applies to --encrypt only$/],
    [
      ['--encrypt', '--password-env', 'not a name'],
      /^--password-env: must be the NAME of an environment variable/,
    ],
  ])('rejects %j with exit 2 and one line naming the option', async (extra, message) => {
    await withTempDir(async (dir) => {
      // Act
      const run = await runCli([...base, '--count', '5', ...extra, '--out', join(dir, 'out')]);
      // Assert
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
