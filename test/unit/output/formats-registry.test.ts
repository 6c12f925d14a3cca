import { describe, expect, it } from 'vitest';
import * as output from '../../../lib/output/index.js';
import { CollectingSink, testPlan } from './support.js';

const { formatSpec, OUTPUT_FORMATS, writePatients } = output;

describe('output format registry', () => {
  it('registers json, ndjson, csv, fhir and xml, in that order, with distinct file names', () => {
    // Act
    const specs = OUTPUT_FORMATS.map((f) => formatSpec(f));
    // Assert
    expect(OUTPUT_FORMATS).toEqual(['json', 'ndjson', 'csv', 'fhir', 'xml']);
    expect(specs.map((s) => s.format)).toEqual(OUTPUT_FORMATS);
    expect(specs.map((s) => s.fileName)).toEqual([
      'patients.json',
      'patients.ndjson',
      'patients.csv',
      'patients.fhir.ndjson',
      'patients.xml',
    ]);
    expect(formatSpec('fhir').contentType).toBe('application/fhir+ndjson');
    expect(formatSpec('xml').contentType).toBe('application/xml');
    expect(() => formatSpec('yaml' as output.OutputFormat)).toThrow(
      /valid formats: json, ndjson, csv, fhir, xml$/,
    );
  });

  it('gives the registered spec without options, and a FHIR spec with the given bundle type with them', async () => {
    // Prepare
    const plan = testPlan(3);
    const sink = new CollectingSink();
    // Act
    const transaction = formatSpec('fhir', { fhir: { bundleType: 'transaction' } });
    await writePatients(plan, {
      format: 'fhir',
      sink,
      formatOptions: { fhir: { bundleType: 'transaction' } },
    });
    // Assert
    expect(formatSpec('fhir')).toBe(output.fhirFormat);
    expect(formatSpec('fhir', {})).toBe(output.fhirFormat);
    expect(formatSpec('xml', { fhir: { bundleType: 'transaction' } })).toBe(output.xmlFormat);
    expect(transaction.fileName).toBe('patients.fhir.ndjson');
    const types = sink
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types).toEqual(['transaction', 'transaction', 'transaction', 'transaction']);
    expect(() => formatSpec('fhir', { fhir: { bundleType: 'batch' as 'collection' } })).toThrow(RangeError);
  });

  it('exports the FHIR, XML, gzip, encryption, ZIP and manifest modules from the output index', () => {
    // Assert
    for (const name of [
      'createFhirFormat',
      'createGzipStream',
      'gzipFileName',
      'createEncryptStream',
      'createDecryptStream',
      'encryptedFileName',
      'describeEncryptionFormat',
      'createZipStream',
      'buildManifest',
      'manifestJson',
    ] as const) {
      expect(typeof (output as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(new output.EncryptedFileFormatError('x')).toBeInstanceOf(output.DecryptionError);
    expect(new output.DigestStream()).toBeInstanceOf(output.DigestStream);
    expect(output.xmlFormat.format).toBe('xml');
    expect([output.ZIP_FILE_NAME, output.MANIFEST_FILE_NAME]).toEqual(['patients.zip', 'manifest.json']);
    expect([output.GZIP_EXTENSION, output.ENCRYPTED_EXTENSION]).toEqual(['.gz', '.enc']);
  });
});
