import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { GENERATOR_VERSION, generate, SCHEMA_VERSION } from '../../../lib/generation/index.js';
import { fhirFormat } from '../../../lib/output/fhir/index.js';
import { createGzipStream } from '../../../lib/output/gzip.js';
import { buildManifest, MANIFEST_FILE_NAME, type Manifest } from '../../../lib/output/manifest.js';
import { xmlFormat } from '../../../lib/output/xml-format.js';
import { createZipStream, type ZipEntry } from '../../../lib/output/zip.js';
import { readAll, unzip } from '../../support/zip.js';
import { testPlan } from './support.js';

const plan = testPlan(150, 7);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The job's files as lazily opened streams: FHIR gzipped, XML plain. */
function jobEntries(): ZipEntry[] {
  return [
    {
      name: 'patients.fhir.ndjson.gz',
      source: () =>
        Readable.from(generate(plan)).pipe(fhirFormat.createStream({ plan })).pipe(createGzipStream()),
    },
    {
      name: 'patients.xml',
      source: () => Readable.from(generate(plan)).pipe(xmlFormat.createStream({ plan })),
    },
  ];
}

/** Entry names with their raw DOS modification date and time, in archive order. */
async function listing(zip: Buffer): Promise<Array<{ name: string; date: number; time: number }>> {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true }, (e, f) => (e ? reject(e) : resolve(f))),
  );
  const out: Array<{ name: string; date: number; time: number }> = [];
  await new Promise<void>((resolve, reject) => {
    file.on('entry', (entry: yauzl.Entry) => {
      out.push({ name: entry.fileName, date: entry.lastModFileDate, time: entry.lastModFileTime });
      file.readEntry();
    });
    file.on('end', resolve);
    file.on('error', reject);
    file.readEntry();
  });
  return out;
}

describe('zip with manifest.json', () => {
  it('stores every file and a manifest whose sizes and SHA-256 match the stored entries', async () => {
    // Act
    const zip = await readAll(createZipStream(jobEntries(), { plan, extra: { job_id: 'job-1' } }));
    const files = await unzip(zip);
    const manifest = JSON.parse(files.get(MANIFEST_FILE_NAME)!.toString('utf8')) as Manifest;
    // Assert
    expect([...files.keys()]).toEqual(['patients.fhir.ndjson.gz', 'patients.xml', MANIFEST_FILE_NAME]);
    expect(manifest.files.map((f) => f.name)).toEqual(['patients.fhir.ndjson.gz', 'patients.xml']);
    for (const f of manifest.files) {
      expect(f.size).toBe(files.get(f.name)!.length);
      expect(f.sha256).toBe(sha256(files.get(f.name)!));
    }
    expect(gunzipSync(files.get('patients.fhir.ndjson.gz')!).toString('utf8').split('\n')).toHaveLength(152);
    expect(manifest).toMatchObject({
      job_id: 'job-1',
      schema_version: SCHEMA_VERSION,
      generator: { name: 'milmed-patient-generator', version: GENERATOR_VERSION },
      seed: 7,
      patient_count: 150,
    });
    expect(manifest.scenario).toEqual(JSON.parse(JSON.stringify(plan.scenario.input)));
  });

  it('is reproducible: entry dates are the scenario base date, and the same files give the same bytes', async () => {
    // Act
    const a = await readAll(createZipStream(jobEntries(), { plan }));
    const b = await readAll(createZipStream(jobEntries(), { plan }));
    // Assert
    expect(a.equals(b)).toBe(true);
    // DOS date of 2025-06-01: (2025 - 1980) << 9 | 6 << 5 | 1, at 00:00:00 (written in UTC).
    const dosDate = ((2025 - 1980) << 9) | (6 << 5) | 1;
    for (const entry of await listing(a)) expect([entry.date, entry.time]).toEqual([dosDate, 0]);
  });

  it('opens lazy sources one at a time, in order', async () => {
    // Prepare
    const events: string[] = [];
    const entry = (name: string): ZipEntry => ({
      name,
      source: () => {
        events.push(`open ${name}`);
        const s = Readable.from([Buffer.from(`${name}\n`.repeat(1000))]);
        s.on('end', () => events.push(`end ${name}`));
        return s;
      },
    });
    // Act
    await readAll(createZipStream([entry('a'), entry('b'), entry('c')], null));
    // Assert
    expect(events).toEqual(['open a', 'end a', 'open b', 'end b', 'open c', 'end c']);
  });

  it('writes an archive with only the manifest for no files, and a plain archive without a manifest', async () => {
    const onlyManifest = await unzip(await readAll(createZipStream([], { plan })));
    expect([...onlyManifest.keys()]).toEqual([MANIFEST_FILE_NAME]);
    const plain = await unzip(
      await readAll(createZipStream([{ name: 'x.txt', source: Readable.from(['x']) }], null)),
    );
    expect([...plain.keys()]).toEqual(['x.txt']);
  });

  it('fails the archive stream when a source fails', async () => {
    const broken: ZipEntry = {
      name: 'broken.json',
      source: () =>
        new Readable({
          read() {
            this.destroy(new Error('disk on fire'));
          },
        }),
    };
    await expect(readAll(createZipStream([...jobEntries(), broken], { plan }))).rejects.toThrow(
      'disk on fire',
    );
  });

  it('rejects duplicate, reserved and unsafe entry names', () => {
    const s = () => Readable.from(['x']);
    expect(() =>
      createZipStream(
        [
          { name: 'a', source: s },
          { name: 'a', source: s },
        ],
        null,
      ),
    ).toThrow(/duplicate/);
    expect(() => createZipStream([{ name: MANIFEST_FILE_NAME, source: s }], { plan })).toThrow(/duplicate/);
    expect(() => createZipStream([{ name: '../etc/passwd', source: s }], null)).toThrow(/invalid/);
  });

  it('builds the manifest from the plan without wall-clock time', () => {
    const manifest = buildManifest({ plan, files: [{ name: 'f', size: 1, sha256: 'ab' }] });
    expect(Object.keys(manifest)).toEqual([
      'manifest_version',
      'schema_version',
      'generator',
      'scenario',
      'seed',
      'patient_count',
      'files',
    ]);
    expect(JSON.stringify(manifest)).not.toMatch(/generated_at|created_at/);
  });
});
