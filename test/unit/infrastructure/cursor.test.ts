import { describe, expect, it } from 'vitest';
import { MalformedRequestError } from '../../../lib/core/index.js';
import { decodeCursor, encodeCursor } from '../../../lib/infrastructure/cursor.js';

const FIELDS = { config_id: 'string', version: 'number' } as const;

function forged(outer: unknown): string {
  return Buffer.from(JSON.stringify(outer), 'utf8').toString('base64url');
}

function rejection(cursor: string, expect: Record<string, string | number> = {}): unknown {
  try {
    decodeCursor(cursor, FIELDS, expect);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('decodeCursor', () => {
  it('returns the key of a cursor it encoded', () => {
    // Prepare
    const cursor = encodeCursor({ config_id: 'c-1', version: 3 });
    // Act
    const key = decodeCursor(cursor, FIELDS, { config_id: 'c-1' });
    // Assert
    expect(key).toEqual({ config_id: 'c-1', version: 3 });
  });

  it.each([
    ['a number where a string belongs', { v: 1, k: { config_id: 5, version: 1 } }],
    ['a string where a number belongs', { v: 1, k: { config_id: 'c', version: '1' } }],
    ['an empty string', { v: 1, k: { config_id: '', version: 1 } }],
    ['a string longer than any id', { v: 1, k: { config_id: 'x'.repeat(300), version: 1 } }],
    ['a huge version', { v: 1, k: { config_id: 'c', version: 1e300 } }],
    ['a fractional version', { v: 1, k: { config_id: 'c', version: 1.5 } }],
    ['a negative version', { v: 1, k: { config_id: 'c', version: -1 } }],
    ['a nested object', { v: 1, k: { config_id: { S: 'c' }, version: 1 } }],
    ['a cursor version of 1e300', { v: 1e300, k: { config_id: 'c', version: 1 } }],
    ['a missing field', { v: 1, k: { config_id: 'c' } }],
    ['an extra field', { v: 1, k: { config_id: 'c', version: 1, owner: 'x' } }],
    ['an extra outer key', { v: 1, k: { config_id: 'c', version: 1 }, x: 1 }],
    ['a key that is an array', { v: 1, k: ['c', 1] }],
    ['an inherited name', { v: 1, k: { constructor: 'c', version: 1 } }],
    ['an array', [1, 2]],
    ['null', null],
  ])('answers a 400 naming the cursor for %s', (_what, outer) => {
    // Prepare
    const cursor = forged(outer);
    // Act
    const error = rejection(cursor);
    // Assert
    expect(error).toBeInstanceOf(MalformedRequestError);
    expect((error as MalformedRequestError).status).toBe(400);
    expect((error as MalformedRequestError).message).toBe(
      'query.cursor: is not a valid cursor for this list',
    );
  });

  it('answers a 400 for text that is not base64url JSON, or a cursor of another list', () => {
    // Prepare
    const other = encodeCursor({ config_id: 'someone-else', version: 2 });
    // Act
    const errors = [
      rejection('not a cursor!'),
      rejection('bm90IGpzb24'),
      rejection(other, { config_id: 'mine' }),
    ];
    // Assert
    for (const error of errors) expect((error as MalformedRequestError).status).toBe(400);
  });
});
