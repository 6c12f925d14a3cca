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

  /** Feeds the next chunk; `emit` receives each complete record's bytes (valid until it returns). */
  feed(chunk: Uint8Array, emit: (record: Uint8Array) => void): void {
    const start = this.scan(chunk, emit);
    if (this.inRecord) this.pieces.push(chunk.subarray(start));
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
    this.pieces = [];
    this.inRecord = false;
    this.primitive = false;
    emit(record);
  }

  /** Scans one chunk; answers where the open record starts in it (0 if it began earlier). */
  private scan(buf: Uint8Array, emit: (record: Uint8Array) => void): number {
    const n = buf.length;
    let base = this.mode === 'array' ? 1 : 0;
    let start = 0;
    let pos = 0;
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
        if (slashes % 2 === 0) this.inString = false;
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
          if (c !== OPEN_BRACE) throw new JsonSyntaxError('the file is neither a JSON array nor NDJSON');
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
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.depth++;
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
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === base) {
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
