import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readFilteredPage, readRecordPage, recordTexts } from '../../../lib/domain/index.js';

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const text of recordTexts(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(text);
  return out;
}

describe('recordTexts', () => {
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
