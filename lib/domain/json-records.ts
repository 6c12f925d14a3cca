/**
 * Reads patient records back from a stored JSON array or NDJSON file without holding the file: a
 * small scanner finds each top-level record's text, and only the records of the requested page are
 * parsed. Memory stays at one record plus one chunk, whatever the file size.
 */
import type { Readable } from 'node:stream';

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Text of each record (an object in the top-level array, or one per line), in order. */
export async function* recordTexts(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let depth = 0;
  /** Depth at which records are found: 1 inside a top-level array, 0 for NDJSON. */
  let recordDepth = -1;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let start = -1;

  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    start = start === -1 ? -1 : 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (recordDepth === -1) recordDepth = c === OPEN_ARRAY ? 1 : 0;
        if (c === OPEN_OBJECT && depth === recordDepth) start = i;
        depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (c === CLOSE_OBJECT && depth === recordDepth && start !== -1) {
          parts.push(chunk.subarray(start, i + 1));
          yield Buffer.concat(parts).toString('utf8');
          parts = [];
          start = -1;
        }
      }
    }
    if (start !== -1) parts.push(chunk.subarray(start));
  }
}

/** Records [offset, offset + limit) parsed; reading stops (and the stream is destroyed) after the last one. */
export async function readRecordPage(stream: Readable, offset: number, limit: number): Promise<unknown[]> {
  const out: unknown[] = [];
  let index = 0;
  try {
    for await (const text of recordTexts(stream)) {
      if (index >= offset) out.push(JSON.parse(text));
      index++;
      if (out.length >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return out;
}

export interface FilteredPage {
  /** Records that match, in the whole file. */
  readonly total: number;
  /** Matches [offset, offset + limit), parsed. */
  readonly records: unknown[];
}

/**
 * One pass over the whole file: counts the records whose text `matches` and parses only the matches of
 * the requested page. Memory stays at one record plus the page.
 */
export async function readFilteredPage(
  stream: Readable,
  offset: number,
  limit: number,
  matches: (text: string) => boolean,
): Promise<FilteredPage> {
  const records: unknown[] = [];
  let total = 0;
  try {
    for await (const text of recordTexts(stream)) {
      if (!matches(text)) continue;
      if (total >= offset && records.length < limit) records.push(JSON.parse(text));
      total++;
    }
  } finally {
    stream.destroy();
  }
  return { total, records };
}
