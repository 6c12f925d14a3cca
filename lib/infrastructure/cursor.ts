/**
 * Opaque pagination cursors (memory/decisions/0102-pagination-cursor.md): base64url of a versioned
 * JSON object holding DynamoDB's LastEvaluatedKey. Decoding checks the shape and that the cursor
 * belongs to the same query (owner, configuration), so a cursor can never reach another tenant.
 */
import { ValidationError } from '../core/index.js';

type KeyValue = string | number;
export type CursorKey = Record<string, KeyValue>;

const VERSION = 1;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify({ v: VERSION, k: key }), 'utf8').toString('base64url');
}

function invalid(): ValidationError {
  return ValidationError.fromIssues([{ path: 'cursor', message: 'is not a valid cursor for this list' }], {
    status: 400,
  });
}

/**
 * The key inside `cursor`, which must have exactly `fields` (string or number values) and match
 * every value in `expect`.
 */
export function decodeCursor(cursor: string, fields: readonly string[], expect: CursorKey = {}): CursorKey {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { v, k } = parsed as { v?: unknown; k?: unknown };
  if (v !== VERSION || typeof k !== 'object' || k === null || Array.isArray(k)) throw invalid();
  const key = k as Record<string, unknown>;
  const names = Object.keys(key);
  if (names.length !== fields.length || !fields.every((f) => names.includes(f))) throw invalid();
  for (const f of fields) {
    const value = key[f];
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid();
  }
  for (const [name, value] of Object.entries(expect)) if (key[name] !== value) throw invalid();
  return key as CursorKey;
}

/** The key of an item: the named attributes only. */
export function keyOf(item: Record<string, unknown>, fields: readonly string[]): CursorKey {
  return Object.fromEntries(fields.map((f) => [f, item[f] as KeyValue]));
}
