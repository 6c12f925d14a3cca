/**
 * Reads patient records back from a stored JSON array or NDJSON file without holding the file: each
 * top-level record's text is found, and only the records that are needed are parsed. The generator's
 * files hold one compact record per line (JSON.stringify never writes a raw newline inside a record),
 * so lines are split natively; any other layout goes through a byte scanner that tracks strings and
 * depth. Memory stays at one chunk's records, whatever the file size.
 */
import type { Readable } from 'node:stream';

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const NEWLINE = 0x0a;
/** Give up looking for a first record line after this many bytes: the scanner reads anything. */
const CLASSIFY_LIMIT = 1 << 20;

function toBuffer(raw: Buffer | string): Buffer {
  return typeof raw === 'string' ? Buffer.from(raw) : raw;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === NEWLINE;
}

/**
 * The record on line [start, end) without its array punctuation, or null for a line with none
 * ("[", "]", blank); a line holding part of a record only is an error in line mode.
 */
function lineRecord(buf: Buffer, start: number, end: number): string | null {
  let s = start;
  let e = end;
  while (s < e && (isSpace(buf[s]) || buf[s] === OPEN_ARRAY)) s++;
  while (e > s && (isSpace(buf[e - 1]) || buf[e - 1] === 0x2c || buf[e - 1] === CLOSE_ARRAY)) e--;
  if (s === e) return null;
  if (buf[s] !== OPEN_OBJECT || buf[e - 1] !== CLOSE_OBJECT) {
    throw new Error('patient file: a record spans several lines (expected one record per line)');
  }
  return buf.toString('utf8', s, e);
}

/** 'lines' when the first line holding a record holds all of it; 'scan' otherwise; null: read more. */
function classify(head: Buffer, done: boolean): 'lines' | 'scan' | null {
  let start = 0;
  for (;;) {
    const nl = head.indexOf(NEWLINE, start);
    if (nl === -1) break;
    let s = start;
    let e = nl;
    while (s < e && isSpace(head[s])) s++;
    while (e > s && (isSpace(head[e - 1]) || head[e - 1] === 0x2c)) e--;
    if (e - s === 1 && head[s] === OPEN_ARRAY) {
      start = nl + 1;
      continue;
    }
    if (s === e) {
      start = nl + 1;
      continue;
    }
    return head[s] === OPEN_OBJECT && head[e - 1] === CLOSE_OBJECT ? 'lines' : 'scan';
  }
  return done || head.length > CLASSIFY_LIMIT ? 'scan' : null;
}

async function* lineRecords(source: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let carry: Buffer | null = null;
  for await (const chunk of source) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    const batch: string[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl === -1) break;
      const text = lineRecord(buf, start, nl);
      if (text !== null) batch.push(text);
      start = nl + 1;
    }
    if (start < buf.length) carry = buf.subarray(start);
    if (batch.length > 0) yield batch;
  }
  if (carry) {
    const text = lineRecord(carry, 0, carry.length);
    if (text !== null) yield [text];
  }
}

/**
 * Texts of the records (an object in the top-level array, or one per line), in order, a batch per chunk
 * of the source read: one await per chunk, not per record (a million records' promises cost seconds).
 */
export async function* recordTextBatches(source: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let mode: 'lines' | 'scan' | null = null;
  while (mode === null) {
    const next = await iterator.next();
    if (!next.done) head.push(toBuffer(next.value));
    mode = classify(head.length === 1 ? head[0] : Buffer.concat(head), Boolean(next.done));
    if (next.done) break;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  }
  yield* mode === 'lines' ? lineRecords(replay()) : scanRecords(replay());
}

/** Text of each record, in order (recordTextBatches, one at a time). */
export async function* recordTexts(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  for await (const batch of recordTextBatches(source)) yield* batch;
}

/** The byte scanner: any JSON layout (pretty-printed, one line, records across lines). */
async function* scanRecords(source: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let depth = 0;
  /** Depth at which records are found: 1 inside a top-level array, 0 for NDJSON. */
  let recordDepth = -1;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let start = -1;

  for await (const chunk of source) {
    const batch: string[] = [];
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
          batch.push(Buffer.concat(parts).toString('utf8'));
          parts = [];
          start = -1;
        }
      }
    }
    if (start !== -1) parts.push(chunk.subarray(start));
    if (batch.length > 0) yield batch;
  }
}

/** Records [offset, offset + limit) parsed; reading stops (and the stream is destroyed) after the last one. */
export function readRecordPage(stream: Readable, offset: number, limit: number): Promise<unknown[]> {
  return readRecordsAt(
    stream,
    Array.from({ length: limit }, (_, i) => offset + i),
  );
}

/**
 * The records at `positions` (ascending, counted from the stream's first record), parsed; reading stops
 * (and the stream is destroyed) after the last one. Only those records are parsed.
 */
export async function readRecordsAt(stream: Readable, positions: readonly number[]): Promise<unknown[]> {
  const out: unknown[] = [];
  let index = 0;
  try {
    if (positions.length === 0) return out;
    reading: for await (const batch of recordTextBatches(stream)) {
      for (const text of batch) {
        if (index === positions[out.length]) {
          out.push(JSON.parse(text));
          if (out.length === positions.length) break reading;
        }
        index++;
      }
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
 * the requested page. Memory stays at one chunk of records plus the page.
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
    for await (const batch of recordTextBatches(stream)) {
      for (const text of batch) {
        if (!matches(text)) continue;
        if (total >= offset && records.length < limit) records.push(JSON.parse(text));
        total++;
      }
    }
  } finally {
    stream.destroy();
  }
  return { total, records };
}
