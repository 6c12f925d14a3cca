/**
 * DynamoDB's item size, computed before a write: an item above 400 KB is refused by DynamoDB with a
 * ValidationException (which would reach the caller as a 503). Rules of the DynamoDB developer guide:
 * names and strings by UTF-8 bytes, numbers 1 byte per two significant digits plus 1, booleans and
 * nulls 1 byte, maps and lists 3 bytes plus 1 byte per element.
 */
import { PayloadTooLargeError } from '../core/index.js';

/** DynamoDB's item limit. */
export const MAX_ITEM_BYTES = 400 * 1024;

function numberSize(value: number): number {
  const digits = Math.abs(value).toExponential().replace(/e.*$/, '').replace('.', '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberSize(value);
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + 1 + valueSize(v), 3);
  // A set (the DocumentClient's number or string set) counts its elements only.
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueSize(v), 0);
  if (typeof value === 'object' && value !== null) {
    let sum = 3;
    for (const [name, v] of Object.entries(value)) sum += Buffer.byteLength(name, 'utf8') + 1 + valueSize(v);
    return sum;
  }
  return 1;
}

/** The size DynamoDB counts for `item` (top-level attributes carry no map overhead). */
export function itemSize(item: object): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) sum += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return sum;
}

/** Throws a 413 naming what is too large, before DynamoDB would refuse it. */
export function assertItemFits(item: object, what: string): void {
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) {
    throw new PayloadTooLargeError(
      `The ${what} is too large to store: ${size} bytes, and one item holds at most ${MAX_ITEM_BYTES} bytes`,
      { details: { limit_bytes: MAX_ITEM_BYTES, item_bytes: size } },
    );
  }
}
