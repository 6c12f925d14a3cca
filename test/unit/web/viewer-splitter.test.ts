import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter, JsonSyntaxError } from '../../../web/src/viewer/json-splitter.js';
import { decodeUtf8 } from '../../../web/src/viewer/utf8.js';

/** Feeds `text` as UTF-8 in pieces of `size` bytes; answers the records' parsed values. */
function split(text: string, size: number, skipKeys: string[] = []): unknown[] {
  const bytes = new TextEncoder().encode(text);
  const splitter = new JsonRecordSplitter(skipKeys);
  const out: string[] = [];
  const keep = (r: Uint8Array) => out.push(decodeUtf8(r));
  for (let i = 0; i < bytes.length; i += size) splitter.feed(bytes.slice(i, i + size), keep);
  splitter.end(keep);
  return out.map((r) => JSON.parse(r));
}

const tricky = [
  { id: 1, s: 'quote " inside', t: 'brackets ] } [ { and commas ,' },
  { id: 2, s: 'backslash at the end \\', u: '\\"', nested: { a: [1, [2, { b: '}' }]] } },
  { id: 3, s: 'Räsänen — ünïcödé 🚑', empty: {}, list: [] },
];

describe('viewer JSON record splitter', () => {
  it.each([1, 2, 3, 7, 64, 100_000])(
    'hands over each array element whole, with escapes and brackets in strings, in chunks of %i bytes (splitting multi-byte characters)',
    (size) => {
      // Prepare
      const text = `[\n${tricky.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;

      // Act
      const records = split(text, size);

      // Assert
      expect(records).toEqual(tricky);
    },
  );

  it('splits NDJSON and pretty-printed concatenated objects alike', () => {
    // Prepare
    const ndjson = `${tricky.map((r) => JSON.stringify(r)).join('\n')}\n`;
    const pretty = tricky.map((r) => JSON.stringify(r, null, 2)).join('\n');

    // Act / Assert
    expect(split(ndjson, 5)).toEqual(tricky);
    expect(split(pretty, 5)).toEqual(tricky);
  });

  it('hands over bare values in an array (so they can be rejected as records)', () => {
    // Act / Assert
    expect(split('[1, "a,b", true, null, {"id": 4}]', 3)).toEqual([1, 'a,b', true, null, { id: 4 }]);
  });

  it.each([
    ['text before JSON', 'id,name\n1,x', /neither a JSON array nor NDJSON/],
    ['an unclosed array', '[{"id": 1}', /closing \]/],
    ['an unclosed record', '{"id": 1, "a": [', /ends inside a record/],
    ['text after the array', '[{"id": 1}] {"id": 2}', /after the closing \]/],
  ])('rejects %s', (_name, text, message) => {
    // Act
    const failure = (() => {
      try {
        split(text, 4);
        return null;
      } catch (error) {
        return error;
      }
    })();

    // Assert
    expect(failure).toBeInstanceOf(JsonSyntaxError);
    expect((failure as Error).message).toMatch(message);
  });

  it('decodes UTF-8 as TextDecoder does: ASCII, 2-, 3- and 4-byte characters, a BOM-free text, long records', () => {
    // Prepare
    const texts = ['plain', 'Räsänen Lūse Žemaitis — 🚑 ✓', 'x'.repeat(20_000) + 'ā'.repeat(9000)];

    // Act / Assert
    for (const text of texts) expect(decodeUtf8(new TextEncoder().encode(text))).toBe(text);
    expect(decodeUtf8(new Uint8Array([0x61, 0xff, 0x62, 0xc3]))).toBe('a\uFFFDb\uFFFD');
  });

  it('skips a byte-order mark before the document', () => {
    // Act / Assert
    expect(split('\uFEFF[{"id": 1}]', 2)).toEqual([{ id: 1 }]);
  });

  it.each([1, 3, 16, 4096])(
    'leaves out the skipped top-level members of each record, and only those, in chunks of %i bytes',
    (size) => {
      // Prepare
      const records = [
        {
          id: 1,
          treatments: [{ name: 'a, "b" ]' }],
          keep: { treatments: [1] },
          vital_signs: [{ hr: 1 }],
          z: 'ä',
        },
        { id: 2, vital_signs: [], treatments: 'x', tail: ['treatments'] },
        { treatments: [1], id: 3 },
      ];
      const text = `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]`;

      // Act
      const out = split(text, size, ['treatments', 'vital_signs']);

      // Assert
      expect(out).toEqual([
        { id: 1, keep: { treatments: [1] }, z: 'ä' },
        { id: 2, tail: ['treatments'] },
        // A first member has no comma before it: kept (the product never writes it first).
        { treatments: [1], id: 3 },
      ]);
    },
  );
});
