/**
 * Opaque pagination cursors (memory/decisions/0102-pagination-cursor.md): base64url of a versioned
 * JSON object holding DynamoDB's LastEvaluatedKey. Decoding checks the whole shape (every key field
 * present with its type, strings non-empty and short, numbers small non-negative integers, nothing
 * else) and that the cursor belongs to the same query (owner, configuration), so a cursor never reaches
 * another tenant and a forged one is a 400, never a DynamoDB error.
 */
import { MalformedRequestError } from '../core/index.js';

type KeyValue = string | number;
export type CursorKey = Record<string, KeyValue>;
/** The key attributes of a query and the type each must have. */
export type CursorFields = Readonly<Record<string, 'string' | 'number'>>;

const VERSION = 1;
/** Longest key string a cursor may carry (ids are at most 128 characters, timestamps 24). */
export const MAX_CURSOR_STRING = 256;
/** Largest key number (configuration versions). */
export const MAX_CURSOR_NUMBER = 2 ** 31 - 1;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify({ v: VERSION, k: key }), 'utf8').toString('base64url');
}

function invalid(): MalformedRequestError {
  return MalformedRequestError.fromIssues([
    { path: 'query.cursor', message: 'is not a valid cursor for this list' },
  ]);
}

function validValue(value: unknown, type: 'string' | 'number'): boolean {
  if (type === 'string')
    return typeof value === 'string' && value.length > 0 && value.length <= MAX_CURSOR_STRING;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_CURSOR_NUMBER;
}

/** The key inside `cursor`, which must hold exactly `fields` and match every value in `expect`. */
export function decodeCursor(cursor: string, fields: CursorFields, expect: CursorKey = {}): CursorKey {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const outer = parsed as Record<string, unknown>;
  if (Object.keys(outer).length !== 2 || outer.v !== VERSION) throw invalid();
  const k = outer.k;
  if (typeof k !== 'object' || k === null || Array.isArray(k)) throw invalid();
  const key = k as Record<string, unknown>;
  const names = Object.keys(key);
  const wanted = Object.keys(fields);
  if (names.length !== wanted.length || !wanted.every((f) => Object.hasOwn(key, f))) throw invalid();
  for (const f of wanted) if (!validValue(key[f], fields[f])) throw invalid();
  for (const [name, value] of Object.entries(expect)) if (key[name] !== value) throw invalid();
  return Object.fromEntries(wanted.map((f) => [f, key[f] as KeyValue]));
}

/** The key of an item: the named attributes only. */
export function keyOf(item: Record<string, unknown>, fields: CursorFields): CursorKey {
  return Object.fromEntries(Object.keys(fields).map((f) => [f, item[f] as KeyValue]));
}

/**
 * One page from `fetched`, read with one item more than `limit`: that extra item tells whether another
 * page exists, so the last page has no cursor. The cursor is the last item's `fields`. A query that
 * stopped early (`stoppedEarly`: DynamoDB's LastEvaluatedKey, as at its 1 MB a query) may have
 * more after fewer items: that shorter page has a cursor too, or the rest could never be listed.
 */
export function pageOf<T>(
  fetched: readonly T[],
  limit: number,
  fields: CursorFields,
  stoppedEarly = false,
): { items: T[]; next_cursor: string | null } {
  const items = fetched.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    next_cursor:
      (fetched.length > limit || stoppedEarly) && last !== undefined
        ? encodeCursor(keyOf(last as unknown as Record<string, unknown>, fields))
        : null,
  };
}
