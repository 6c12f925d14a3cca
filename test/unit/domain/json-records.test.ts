import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  readFilteredPage,
  readRecordPage,
  readRecordsAt,
  recordTextBatches,
  recordTexts,
} from '../../../lib/domain/index.js';

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const text of recordTexts(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(text);
  return out;
}

describe('recordTexts', () => {
  it('hands the records over a batch per chunk read, in either layout, not one promise per record', async () => {
    // Prepare: 3 chunks of 100 lines each (the generator layout), and the same records pretty-printed
    const records = Array.from({ length: 300 }, (_, id) => ({ id, name: `p${id}` }));
    const lines = records.map((r) => `${JSON.stringify(r)}\n`);
    const chunks = [0, 100, 200].map((start) => Buffer.from(lines.slice(start, start + 100).join('')));
    const pretty = JSON.stringify(records, null, 2);
    const thirds = [0, 1, 2].map((i) =>
      Buffer.from(pretty.slice((i * pretty.length) / 3, ((i + 1) * pretty.length) / 3)),
    );
    // Act
    const batches: string[][] = [];
    for await (const batch of recordTextBatches(Readable.from(chunks))) batches.push(batch);
    const scanned: string[][] = [];
    for await (const batch of recordTextBatches(Readable.from(thirds))) scanned.push(batch);
    // Assert
    expect(batches.map((b) => b.length)).toEqual([100, 100, 100]);
    expect(scanned.length).toBeLessThanOrEqual(3);
    expect(scanned.flat().map((t) => JSON.parse(t))).toEqual(records);
  });

  it('reads only the records at the positions asked for, and stops after the last', async () => {
    // Prepare
    const lines = Array.from({ length: 50 }, (_, id) => `${JSON.stringify({ id })}\n`);
    const stream = Readable.from([Buffer.from(lines.join(''))]);
    // Act
    const found = await readRecordsAt(stream, [3, 4, 41]);
    // Assert
    expect(found).toEqual([{ id: 3 }, { id: 4 }, { id: 41 }]);
    expect(stream.destroyed).toBe(true);
  });

  it('finds each object of a JSON array, whatever the chunk boundaries and string contents', async () => {
    // Prepare
    const records = [
      { id: 0, s: 'a } ] { "quoted" \\ ' },
      { id: 1, nested: { list: [{ x: 1 }] } },
      { id: 2 },
    ];
    const text = JSON.stringify(records, null, 2);
    const chunks = text.match(/[\s\S]{1,7}/g)!;
    // Act
    const found = await collect(chunks);
    // Assert
    expect(found.map((t) => JSON.parse(t))).toEqual(records);
  });

  it('reads the generator layout (one compact record per line in an array) at any chunk boundary', async () => {
    // Prepare: strings holding braces, brackets, commas and an escaped newline.
    const records = [{ id: 0, s: '{ [ "x" ], }\n' }, { id: 1, t: ']' }, { id: 2 }];
    const text = `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
    for (const size of [1, 3, 7, text.length]) {
      // Act
      const found = await collect(text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!);
      // Assert
      expect(
        found.map((t) => JSON.parse(t)),
        `chunks of ${size}`,
      ).toEqual(records);
    }
  });

  it('refuses a file whose first record is on one line but a later one spans lines', async () => {
    // Act + Assert
    await expect(collect(['{"id":0}\n{\n"id":1}\n'])).rejects.toThrow(/spans several lines/);
  });

  it('reads NDJSON the same way', async () => {
    // Act
    const found = await collect(['{"id":0}\n{"id"', ':1}\n']);
    // Assert
    expect(found).toEqual(['{"id":0}', '{"id":1}']);
  });
});

describe('readRecordPage', () => {
  it('parses only the requested page and stops reading after it', async () => {
    // Prepare
    const records = Array.from({ length: 50 }, (_, id) => ({ id }));
    const stream = Readable.from([Buffer.from(JSON.stringify(records))]);
    // Act
    const page = await readRecordPage(stream, 20, 10);
    // Assert
    expect(page).toEqual(records.slice(20, 30));
    expect(stream.destroyed).toBe(true);
  });
});

describe('readFilteredPage', () => {
  it('counts every match in the file and parses only the matches of the page', async () => {
    // Prepare
    const records = Array.from({ length: 50 }, (_, id) => ({ id, even: id % 2 === 0 }));
    const stream = Readable.from([Buffer.from(records.map((r) => JSON.stringify(r)).join('\n'))]);
    const seen: string[] = [];
    // Act
    const page = await readFilteredPage(stream, 5, 3, (text) => {
      seen.push(text);
      return text.includes('"even":true');
    });
    // Assert
    expect(page.total).toBe(25);
    expect(page.records).toEqual([10, 12, 14].map((id) => ({ id, even: true })));
    expect(seen).toHaveLength(50);
    expect(stream.destroyed).toBe(true);
  });

  it('answers an empty page past the last match, with the total', async () => {
    // Prepare
    const stream = Readable.from([Buffer.from('[{"id":0},{"id":1}]')]);
    // Act
    const page = await readFilteredPage(stream, 10, 5, () => true);
    // Assert
    expect(page).toEqual({ total: 2, records: [] });
  });
});
