import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter, JsonSyntaxError } from '../../../web/src/viewer/json-splitter.js';

/** Feeds `text` in pieces of `size` characters; answers the records' parsed values. */
function split(text: string, size: number): unknown[] {
  const splitter = new JsonRecordSplitter();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) splitter.feed(text.slice(i, i + size), (r) => out.push(r));
  splitter.end((r) => out.push(r));
  return out.map((r) => JSON.parse(r));
}

const tricky = [
  { id: 1, s: 'quote " inside', t: 'brackets ] } [ { and commas ,' },
  { id: 2, s: 'backslash at the end \\', u: '\\"', nested: { a: [1, [2, { b: '}' }]] } },
  { id: 3, s: 'Räsänen — ünïcödé 🚑', empty: {}, list: [] },
];

describe('viewer JSON record splitter', () => {
  it.each([1, 2, 3, 7, 64, 100_000])(
    'hands over each array element whole, with escapes and brackets in strings, in chunks of %i characters',
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
});
