/**
 * The one output chain (lib/output/output-chain.ts) and its archive step (output-archive.ts), with
 * in-memory sinks: names, sizes and SHA-256 of what the sinks stored, ranges, teardown and abort.
 */
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type ChainFile,
  type ChainSink,
  ENCRYPTION_DESCRIPTION,
  type Manifest,
  OUTPUT_FORMATS,
  openOutputChain,
  runOutputChain,
  writeOutputArchive,
} from '../../../lib/output/index.js';
import { readAll, unzip } from '../../support/zip.js';
import { decrypt, PASSWORD } from './crypto-support.js';
import { render, sha256, testPlan } from './support.js';

const N = 120;
const plan = testPlan(N, 5);

/** A sink that keeps each file's bytes by name. */
function memorySink(): { sink: ChainSink; stored: Map<string, Buffer> } {
  const stored = new Map<string, Buffer>();
  return {
    stored,
    sink: async (file, bytes) => {
      stored.set(file.fileName, await readAll(bytes));
    },
  };
}

describe('output chain', () => {
  it('names each file by format, compression and encryption, with its content type', async () => {
    // Prepare
    const { sink } = memorySink();
    // Act
    const plain = openOutputChain(plan, { formats: ['json', 'fhir'], sink }).files;
    const packed = openOutputChain(plan, { formats: ['csv', 'xml'], compress: true, sink }).files;
    const sealed = openOutputChain(plan, {
      formats: ['ndjson'],
      compress: true,
      password: PASSWORD,
      sink,
    }).files;
    // Assert
    const names = (files: readonly ChainFile[]) => files.map((f) => [f.fileName, f.contentType]);
    expect(names(plain)).toEqual([
      ['patients.json', 'application/json'],
      ['patients.fhir.ndjson', 'application/fhir+ndjson'],
    ]);
    expect(names(packed)).toEqual([
      ['patients.csv.gz', 'application/gzip'],
      ['patients.xml.gz', 'application/gzip'],
    ]);
    expect(names(sealed)).toEqual([['patients.ndjson.gz.enc', 'application/octet-stream']]);
  });

  it('stores every format in one pass with the bytes of each writer alone, and their sizes and SHA-256', async () => {
    // Prepare
    const { sink, stored } = memorySink();
    // Act
    const files = await runOutputChain(plan, { formats: OUTPUT_FORMATS, sink });
    // Assert
    expect(files.map((f) => f.format)).toEqual(OUTPUT_FORMATS);
    for (const file of files) {
      const bytes = stored.get(file.fileName)!;
      expect(bytes.equals(await render(plan, file.format as never)), file.fileName).toBe(true);
      expect(file.size, file.fileName).toBe(bytes.length);
      expect(file.sha256, file.fileName).toBe(sha256(bytes));
    }
  });

  it('gives sizes and SHA-256 of the compressed and encrypted bytes the sink stored', async () => {
    // Prepare
    const { sink, stored } = memorySink();
    // Act
    const [file] = await runOutputChain(plan, {
      formats: ['csv'],
      compress: true,
      password: PASSWORD,
      sink,
    });
    // Assert
    const bytes = stored.get('patients.csv.gz.enc')!;
    expect([file.size, file.sha256]).toEqual([bytes.length, sha256(bytes)]);
    expect(gunzipSync(await decrypt(bytes)).equals(await render(plan, 'csv'))).toBe(true);
  });

  it('only counts bytes when asked for no SHA-256', async () => {
    // Prepare
    const { sink, stored } = memorySink();
    // Act
    const [file] = await runOutputChain(plan, { formats: ['json'], sha256: false, sink });
    // Assert
    expect(file).toEqual({
      format: 'json',
      fileName: 'patients.json',
      contentType: 'application/json',
      size: stored.get('patients.json')!.length,
    });
  });

  it('writes consecutive ranges into the same files, to the bytes of one pass', async () => {
    // Prepare
    const { sink, stored } = memorySink();
    const chain = openOutputChain(plan, { formats: ['json', 'xml'], compress: true, sink });
    // Act
    const written = [await chain.write(0, 37), await chain.write(37, 90), await chain.write(90, N)];
    const files = await chain.end();
    // Assert
    expect(written).toEqual([37, 53, 30]);
    for (const file of files) {
      const plain = gunzipSync(stored.get(file.fileName)!);
      expect(plain.equals(await render(plan, file.format as never)), file.fileName).toBe(true);
    }
  });

  it('writes a range as that part of each document, as a later chunk of a job would', async () => {
    // Prepare
    const { sink, stored } = memorySink();
    // Act
    await runOutputChain(plan, { formats: ['json'], sink, from: 40, to: 80 });
    // Assert
    expect(stored.get('patients.json')!.equals(await render(plan, 'json', 40, 80))).toBe(true);
  });

  it('rejects with a failing sink’s error after every other sink has settled', async () => {
    // Prepare
    const big = testPlan(3000, 5);
    const settled: string[] = [];
    const sink: ChainSink = async (file, bytes, signal) => {
      try {
        if (file.format === 'csv') {
          bytes.resume();
          throw new Error('disk full');
        }
        await readAll(bytes);
      } finally {
        settled.push(`${file.format}${signal.aborted ? ' aborted' : ''}`);
      }
    };
    // Act
    const failure = await runOutputChain(big, {
      formats: ['json', 'csv', 'xml'],
      compress: true,
      sink,
    }).catch((e: unknown) => e);
    // Assert
    expect((failure as Error).message).toBe('disk full');
    expect(settled.sort()).toEqual(['csv', 'json aborted', 'xml aborted']);
  });

  it('reports the sink’s error, not the stages’, when the sink fails with what it tore the stages down with', async () => {
    // Prepare: a file that cannot be opened destroys the chain's bytes with its own error.
    const cannotOpen = Object.assign(new Error('EISDIR: illegal operation on a directory'), {
      code: 'EISDIR',
    });
    const sink: ChainSink = async (_file, bytes) => {
      bytes.destroy(cannotOpen);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw cannotOpen;
    };
    // Act
    const failure = await runOutputChain(plan, { formats: ['json'], compress: true, sink }).catch(
      (e: unknown) => e,
    );
    // Assert
    expect(failure).toBe(cannotOpen);
  });

  it('throws before calling any sink when an option is invalid', () => {
    // Prepare
    const called: string[] = [];
    const sink: ChainSink = async (file, bytes) => {
      called.push(file.fileName);
      bytes.resume();
    };
    // Act
    const open = () => openOutputChain(plan, { formats: ['json', 'csv'], password: '', sink });
    // Assert
    expect(open).toThrow(/password/);
    expect(called).toEqual([]);
  });

  it('stops on abort: rejects with the reason, aborts every sink and generates no further patient', async () => {
    // Prepare
    const big = testPlan(5000, 5);
    const stop = new AbortController();
    const reason = new Error('interrupted');
    const aborted: boolean[] = [];
    const sink: ChainSink = async (_file, bytes, signal) => {
      await readAll(bytes).catch(() => undefined);
      aborted.push(signal.aborted);
    };
    let seen = 0;
    // Act
    const failure = await runOutputChain(big, {
      formats: ['json', 'ndjson'],
      sink,
      signal: stop.signal,
      progressEvery: 100,
      onRecord: () => seen++,
      onProgress: (done) => {
        if (done === 500) stop.abort(reason);
      },
    }).catch((e: unknown) => e);
    // Assert
    expect(failure).toBe(reason);
    expect(aborted).toEqual([true, true]);
    expect(seen).toBeLessThan(600);
  });

  it('refuses to write after a failure, with that failure', async () => {
    // Prepare
    const sink: ChainSink = async (_file, bytes) => {
      bytes.resume();
      throw new Error('bucket on fire');
    };
    const chain = openOutputChain(plan, { formats: ['json'], sink });
    await chain.write(0, 10).catch(() => undefined);
    // Act
    const next = await chain.write(10, 20).catch((e: unknown) => e);
    const end = await chain.end().catch((e: unknown) => e);
    // Assert
    expect((next as Error).message).toBe('bucket on fire');
    expect((end as Error).message).toBe('bucket on fire');
  });
});

describe('output archive', () => {
  it('zips the stored files, read back through the caller, with a manifest naming how they were written', async () => {
    // Prepare
    const { sink, stored } = memorySink();
    const formatOptions = { fhir: { bundleType: 'transaction' as const } };
    const files = await runOutputChain(plan, {
      formats: ['json', 'fhir'],
      compress: true,
      formatOptions,
      sink,
    });
    const archived = memorySink();
    // Act
    const zip = await writeOutputArchive({
      plan,
      files,
      compress: true,
      encrypted: false,
      formatOptions,
      extra: { job_id: 'j-1' },
      open: (file) => Readable.from([stored.get(file.fileName)!]),
      sink: archived.sink,
    });
    // Assert
    const bytes = archived.stored.get('patients.zip')!;
    expect(zip).toEqual({
      format: 'zip',
      fileName: 'patients.zip',
      contentType: 'application/zip',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    const entries = await unzip(bytes);
    expect([...entries.keys()]).toEqual(['patients.json.gz', 'patients.fhir.ndjson.gz', 'manifest.json']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(Object.keys(manifest).slice(0, 2)).toEqual(['job_id', 'output']);
    expect(manifest.output).toEqual({
      formats: ['json', 'fhir'],
      fhir_bundle: 'transaction',
      compression: 'gzip',
      encryption: null,
    });
    expect(manifest.files.map((f) => [f.name, f.sha256])).toEqual(files.map((f) => [f.fileName, f.sha256]));
  });

  it('withholds the scenario and seed and describes the encryption when the files are encrypted', async () => {
    // Prepare
    const { sink, stored } = memorySink();
    const files = await runOutputChain(plan, { formats: ['csv'], password: PASSWORD, sink });
    const archived = memorySink();
    // Act
    await writeOutputArchive({
      plan,
      files,
      encrypted: true,
      open: (file) => Readable.from([stored.get(file.fileName)!]),
      sink: archived.sink,
    });
    // Assert
    const entries = await unzip(archived.stored.get('patients.zip')!);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect([manifest.scenario, manifest.seed]).toEqual([null, null]);
    expect(manifest.output).toEqual({
      formats: ['csv'],
      compression: null,
      encryption: ENCRYPTION_DESCRIPTION,
    });
  });

  it('rejects with a source’s error once the sink has settled', async () => {
    // Prepare
    const broken = new Error('object missing');
    let sinkSettled = false;
    const sink: ChainSink = async (_file, bytes) => {
      await readAll(bytes).finally(() => {
        sinkSettled = true;
      });
    };
    // Act
    const failure = await writeOutputArchive({
      plan,
      files: [{ format: 'json', fileName: 'patients.json', contentType: 'application/json' }],
      encrypted: false,
      open: () =>
        new Readable({
          read() {
            this.destroy(broken);
          },
        }),
      sink,
    }).catch((e: unknown) => e);
    // Assert
    expect(failure).toBe(broken);
    expect(sinkSettled).toBe(true);
  });
});
