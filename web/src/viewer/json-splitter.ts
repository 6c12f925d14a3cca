/**
 * Splits UTF-8 JSON arriving in chunks into its records without parsing the whole document (DOM-free):
 * the elements of a top-level array, or a sequence of top-level values (NDJSON, or one wrapper
 * object). Each record's bytes are handed over as soon as they are complete, so memory holds one
 * record, not the file. It works on bytes (every structural character is ASCII and never part of a
 * multi-byte sequence), so only records are decoded, never the whole file; strings are skipped with
 * indexOf.
 */

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const NEWLINE = 10;
/** How the generator's patients.csv starts (lib/output/csv-writer.ts CSV_HEADER). */
const CSV_HEADER_START = 'id,uuid,given_name,';

/** Whether `buf` holds the ASCII `text` at `pos`. */
function startsWithText(buf: Uint8Array, pos: number, text: string): boolean {
  if (buf.length - pos < text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const EMPTY = new Uint8Array(0);

export class JsonRecordSplitter {
  /** The current record's bytes from earlier chunks (joined once, when the record completes). */
  private pieces: Uint8Array[] = [];
  private inRecord = false;
  private depth = 0;
  private inString = false;
  /** Backslashes at the end of the previous chunk, inside a string (an escape split by the chunking). */
  private carrySlashes = 0;
  /** 'start' before the first character, then 'array' (elements of [...]) or 'values' (NDJSON). */
  private mode: 'start' | 'array' | 'values' | 'closed' = 'start';
  private primitive = false;
  /** A newline ended the previous chunk inside an NDJSON record. */
  private pendingNewline = false;
  /** Bytes of the open record in `pieces`. */
  private piecesBytes = 0;
  /** Where the open record starts in the chunk being scanned (0 if it began earlier). */
  private startInChunk = 0;
  /** The open record is an object (members can be skipped). */
  private objectRecord = false;
  /** At the record's top level, the next string is a key. */
  private expectKey = false;
  /** Where the current top-level key starts in the chunk (-1: none, or it began in an earlier chunk). */
  private keyStart = -1;
  /** A top-level key split by the chunking: its bytes so far. */
  private keyCarry: Uint8Array | null = null;
  /** Record offset of the comma before the current top-level key. */
  private lastComma = -1;
  /** Record offset where a skipped member starts (-1: not skipping). */
  private skipFrom = -1;
  /** [from, to) record offsets of skipped members, ascending. */
  private cuts: number[] = [];
  private readonly skip: readonly Uint8Array[];

  /**
   * `skipKeys`: top-level members of each record to leave out of the handed-over bytes (the viewer
   * never reads treatments or vital signs: that is 40% of a record not decoded or parsed).
   */
  constructor(skipKeys: readonly string[] = []) {
    this.skip = skipKeys.map((k) => new TextEncoder().encode(k));
  }

  /** Offset in the open record of position `pos` of the chunk being scanned. */
  private at(pos: number): number {
    return this.piecesBytes + pos - this.startInChunk;
  }

  /** The key that ends at `q` in this chunk, with its start from the previous chunk if split. */
  private keyBytes(buf: Uint8Array, q: number): Uint8Array {
    if (this.keyCarry === null) return buf.subarray(this.keyStart, q);
    const key = new Uint8Array(this.keyCarry.length + q);
    key.set(this.keyCarry);
    key.set(buf.subarray(0, q), this.keyCarry.length);
    return key;
  }

  private isSkipped(bytes: Uint8Array): boolean {
    outer: for (const key of this.skip) {
      if (key.length !== bytes.length) continue;
      for (let i = 0; i < key.length; i++) if (bytes[i] !== key[i]) continue outer;
      return true;
    }
    return false;
  }

  /** Feeds the next chunk; `emit` receives each complete record's bytes (valid until it returns). */
  feed(chunk: Uint8Array, emit: (record: Uint8Array) => void): void {
    const start = this.scan(chunk, emit);
    if (this.inRecord) {
      this.pieces.push(chunk.subarray(start));
      this.piecesBytes += chunk.length - start;
    }
    if (this.inString && (this.keyStart >= 0 || this.keyCarry !== null)) {
      const part = this.keyStart >= 0 ? chunk.subarray(this.keyStart) : chunk;
      const carry = new Uint8Array((this.keyCarry?.length ?? 0) + part.length);
      if (this.keyCarry) carry.set(this.keyCarry);
      carry.set(part, this.keyCarry?.length ?? 0);
      this.keyCarry = carry;
    }
    let k = chunk.length - 1;
    while (k >= 0 && chunk[k] === BACKSLASH) k--;
    this.carrySlashes = this.inString ? chunk.length - 1 - k + (k < 0 ? this.carrySlashes : 0) : 0;
  }

  /** Ends the input: throws when a record or the array is left open. */
  end(emit: (record: Uint8Array) => void): void {
    if (this.inRecord && this.primitive && !this.inString) {
      this.finish(EMPTY, 0, 0, emit);
    }
    if (this.inRecord) throw new JsonSyntaxError('the file ends inside a record');
    if (this.mode === 'array') throw new JsonSyntaxError('the file ends before the closing ] of the array');
  }

  private finish(chunk: Uint8Array, from: number, to: number, emit: (record: Uint8Array) => void): void {
    let record = chunk.subarray(from, to);
    if (this.pieces.length > 0) {
      let size = record.length;
      for (const p of this.pieces) size += p.length;
      const joined = new Uint8Array(size);
      let at = 0;
      for (const p of this.pieces) {
        joined.set(p, at);
        at += p.length;
      }
      joined.set(record, at);
      record = joined;
    }
    if (this.cuts.length > 0) record = without(record, this.cuts);
    this.pieces = [];
    this.piecesBytes = 0;
    this.cuts = [];
    this.skipFrom = -1;
    this.expectKey = false;
    this.keyCarry = null;
    this.inRecord = false;
    this.primitive = false;
    emit(record);
  }

  private endSkip(pos: number): void {
    if (this.skipFrom < 0) return;
    this.cuts.push(this.skipFrom, this.at(pos));
    this.skipFrom = -1;
  }

  /** Scans one chunk; answers where the open record starts in it (0 if it began earlier). */
  private scan(buf: Uint8Array, emit: (record: Uint8Array) => void): number {
    const n = buf.length;
    let base = this.mode === 'array' ? 1 : 0;
    let start = 0;
    let pos = 0;
    this.startInChunk = 0;
    this.keyStart = -1;
    if (this.pendingNewline) {
      this.pendingNewline = false;
      if (n > 0 && buf[0] === OPEN_BRACE) {
        this.finish(EMPTY, 0, 0, emit);
        this.depth = 0;
      }
    }
    while (pos < n) {
      if (this.inString) {
        const q = buf.indexOf(QUOTE, pos);
        if (q < 0) {
          pos = n;
          break;
        }
        let k = q - 1;
        while (k >= 0 && buf[k] === BACKSLASH) k--;
        const slashes = q - 1 - k + (k < 0 ? this.carrySlashes : 0);
        pos = q + 1;
        if (slashes % 2 === 0) {
          this.inString = false;
          if (this.keyStart >= 0 || this.keyCarry !== null) {
            if (this.lastComma >= 0 && this.isSkipped(this.keyBytes(buf, q))) this.skipFrom = this.lastComma;
            this.keyStart = -1;
            this.keyCarry = null;
          }
        }
        continue;
      }
      const c = buf[pos];
      if (!this.inRecord) {
        if (isSpace(c) || (this.mode === 'start' && (c === 0xef || c === 0xbb || c === 0xbf))) {
          pos++;
          continue;
        }
        if (this.mode === 'start') {
          if (c === OPEN_BRACKET) {
            this.mode = 'array';
            this.depth = 1;
            base = 1;
            pos++;
            continue;
          }
          if (c !== OPEN_BRACE) {
            throw new JsonSyntaxError(
              startsWithText(buf, pos, CSV_HEADER_START)
                ? "it is the generator's CSV, which has no movement timeline: open the job's patients.json or patients.ndjson (generate with the json or ndjson format)"
                : 'the file is neither a JSON array nor NDJSON',
            );
          }
          this.mode = 'values';
        }
        if (this.mode === 'closed') throw new JsonSyntaxError('text after the closing ] of the array');
        if (this.mode === 'array' && c === COMMA) {
          pos++;
          continue;
        }
        if (this.mode === 'array' && c === CLOSE_BRACKET) {
          this.mode = 'closed';
          this.depth = 0;
          pos++;
          continue;
        }
        this.inRecord = true;
        this.carrySlashes = 0;
        start = pos;
        this.startInChunk = pos;
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.depth++;
          this.objectRecord = c === OPEN_BRACE;
          this.expectKey = this.objectRecord;
          this.lastComma = -1;
        } else {
          this.primitive = true;
          if (c === QUOTE) this.inString = true;
        }
        pos++;
        continue;
      }
      if (this.primitive && this.depth === base) {
        // A bare value (string, number, literal) ends at a separator.
        if (isSpace(c) || c === COMMA || c === CLOSE_BRACKET) {
          this.finish(buf, start, pos, emit);
          continue;
        }
        if (c === QUOTE) this.inString = true;
        pos++;
        continue;
      }
      if (c === NEWLINE && this.mode === 'values') {
        // NDJSON: a line starting with '{' inside an open record means that record was broken;
        // hand it over (it fails to parse and is counted) and carry on with the next line.
        if (pos + 1 === n) {
          this.pendingNewline = true;
        } else if (buf[pos + 1] === OPEN_BRACE) {
          this.finish(buf, start, pos, emit);
          this.depth = 0;
          pos++;
          continue;
        }
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.expectKey && this.depth === base + 1) {
          this.expectKey = false;
          this.keyStart = pos + 1;
        }
      } else if (c === COMMA && this.depth === base + 1 && this.objectRecord) {
        this.endSkip(pos);
        this.expectKey = true;
        this.lastComma = this.at(pos);
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === base) {
          this.endSkip(pos);
          this.finish(buf, start, pos + 1, emit);
        } else if (this.depth < base) {
          throw new JsonSyntaxError('unbalanced brackets');
        }
      }
      pos++;
    }
    return start;
  }
}

/** The record without the [from, to) ranges in `cuts`. */
function without(record: Uint8Array, cuts: readonly number[]): Uint8Array {
  let removed = 0;
  for (let i = 0; i < cuts.length; i += 2) removed += cuts[i + 1] - cuts[i];
  const out = new Uint8Array(record.length - removed);
  let from = 0;
  let at = 0;
  for (let i = 0; i < cuts.length; i += 2) {
    out.set(record.subarray(from, cuts[i]), at);
    at += cuts[i] - from;
    from = cuts[i + 1];
  }
  out.set(record.subarray(from), at);
  return out;
}
