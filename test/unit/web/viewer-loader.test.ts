import { describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../../lib/output/index.js';
import { LoadError, type LoadProgress, loadPatients } from '../../../web/src/viewer/load-patients.js';
import { chunked, engineRecords, gzip, productFile } from './viewer-fixtures.js';

describe('viewer loader (streaming patients file → compact model)', () => {
  it('reads every patient of a product patients.json, whatever the chunk boundaries', async () => {
    // Prepare
    const file = await productFile('json', 300);

    // Act
    const whole = await loadPatients(chunked(file, file.length), file.length);
    const tiny = await loadPatients(chunked(file, 7), file.length);

    // Assert
    expect(whole.count).toBe(300);
    expect(whole.rejected).toBe(0);
    expect(tiny.count).toBe(300);
    expect([...tiny.evTime]).toEqual([...whole.evTime]);
    expect([...tiny.evState]).toEqual([...whole.evState]);
    expect(tiny.names).toBe(whole.names);
  });

  it('reads NDJSON and gzip (recognised by its magic bytes) into the same model as the JSON array', async () => {
    // Prepare
    const json = await productFile('json', 200);
    const ndjson = await productFile('ndjson', 200);

    // Act
    const a = await loadPatients(chunked(json), json.length);
    const b = await loadPatients(chunked(ndjson, 1000), ndjson.length);
    const c = await loadPatients(chunked(gzip(ndjson), 333), 0);

    // Assert
    expect(b.count).toBe(200);
    expect([...b.evTime]).toEqual([...a.evTime]);
    expect([...c.evState]).toEqual([...a.evState]);
    expect(c.nations).toEqual(a.nations);
  });

  it('accepts the original viewer wrappers: {patients: [...]}, {patient: {...}} elements, pretty-printed', async () => {
    // Prepare
    const records = engineRecords(20);
    const wrapped = JSON.stringify(
      { metadata: { n: 20 }, patients: records.map((patient) => ({ patient })) },
      null,
      2,
    );
    const pretty = JSON.stringify(records, null, 2);

    // Act
    const a = await loadPatients(chunked(wrapped, 100), 0);
    const b = await loadPatients(chunked(pretty, 100), 0);

    // Assert
    expect(a.count).toBe(20);
    expect(b.count).toBe(20);
    expect([...a.evTime]).toEqual([...b.evTime]);
  });

  it('counts rejected records and keeps the first reasons, naming the field', async () => {
    // Prepare
    const [good] = engineRecords(1);
    const lines = [
      JSON.stringify(good),
      JSON.stringify({ ...good, movement_timeline: [] }),
      JSON.stringify({ ...good, triage_category: 'T9' }),
      '{"id": 3, broken',
      JSON.stringify({ ...good, id: undefined }),
    ];

    // Act
    const data = await loadPatients(chunked(lines.join('\n')), 0);

    // Assert
    expect(data.count).toBe(1);
    expect(data.rejected).toBe(4);
    expect(data.reasons).toEqual([
      'record 2: movement_timeline is missing or empty',
      'record 3: triage_category is not T1, T2 or T3',
      'record 4: not valid JSON',
      'record 5: id is missing',
    ]);
  });

  it('explains the expected fields when no record is a valid patient', async () => {
    // Prepare
    const file = JSON.stringify([{ id: 1, name: 'x' }, { id: 2 }]);

    // Act
    const failure = await loadPatients(chunked(file), 0).catch((e: unknown) => e);

    // Assert
    expect(failure).toBeInstanceOf(LoadError);
    expect((failure as Error).message).toMatch(/No valid patient in this file \(2 records read\)/);
    expect((failure as Error).message).toMatch(/movement_timeline/);
    expect((failure as Error).message).toMatch(/triage_category/);
  });

  it.each([
    ['an encrypted file', new Uint8Array([0x4d, 0x4d, 0x50, 0x47, 1, 2, 3]), /encrypted/],
    ['a ZIP archive', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), /ZIP/],
    ['CSV text', new TextEncoder().encode('id,nationality\n1,FIN\n'), /neither a JSON array nor NDJSON/],
    [
      "the generator's CSV",
      new TextEncoder().encode(`${CSV_HEADER}0,5f0c,Aino,Virtanen\n`),
      /^Not a patients file: it is the generator's CSV, which has no movement timeline: open the job's patients\.json or patients\.ndjson/,
    ],
    ['a truncated array', new TextEncoder().encode('[{"id":1},'), /ends before the closing \]/],
    ['an empty file', new Uint8Array(0), /empty/],
  ])('rejects %s with a message for the planner', async (_name, bytes, message) => {
    // Act
    const failure = await loadPatients(chunked(bytes), bytes.length).catch((e: unknown) => e);

    // Assert
    expect(failure).toBeInstanceOf(LoadError);
    expect((failure as Error).message).toMatch(message);
  });

  it('reports progress in bytes of the stored file, ending at its size', async () => {
    // Prepare
    const file = gzip(await productFile('ndjson', 500));
    const seen: LoadProgress[] = [];

    // Act
    await loadPatients(chunked(file, 4096), file.length, (p) => seen.push(p));

    // Assert
    const last = seen[seen.length - 1];
    expect(last).toEqual({ loaded: file.length, total: file.length, patients: 500 });
    expect(seen.every((p, i) => i === 0 || p.loaded >= seen[i - 1].loaded)).toBe(true);
  });
});
