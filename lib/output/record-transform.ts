/**
 * The shared machinery of the text writers: a Transform from PatientRecord objects to Buffers that
 * batches the small per-record strings into chunks of about 256 KiB, so the byte side sees few, large
 * writes, and respects backpressure (Transform holds the next record until the reader drains).
 * (256 KiB rather than 64: zlib then deflates the same bytes with about 12 % less CPU, each write being
 * one round trip to its thread; memory/decisions/0919-larger-writes-to-zlib.md.)
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { EventPlan, PatientRecord } from '../generation/index.js';
import type { FormatOptions } from './format-spec.js';

/** Size of the Buffers the writers emit: at most this many bytes, and less only by the record that did not fit. */
export const CHUNK_SIZE = 256 * 1024;

/** A contiguous slice [from, to) of a job's patients. */
export interface PatientRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Options of the writers in this folder: the FormatSpec contract plus an optional range.
 *
 * Without `range` the stream writes a whole document (header, every record it receives, footer), so
 * an empty stream is still a valid document. With `range` it writes the part of the whole document
 * that holds patients [from, to): the header only if `from === 0`, the footer only if
 * `to === plan.totalPatients`, and the separators a record needs because patients come before it.
 * An empty range is an empty part (no bytes), except [0, 0) of a plan with no patients, which is the
 * whole, empty, document.
 * Concatenating the parts of consecutive ranges gives the bytes of the whole document, for every
 * format (determinism: output bytes do not depend on chunking).
 */
export interface WriterOptions extends FormatOptions {
  readonly range?: PatientRange;
  /**
   * Start a new chunk at the record of every patient whose id is a multiple of this (but the range's
   * first), and mark that chunk with FLUSH_POINT: a compressed part then full-flushes there
   * (DeflatePartStream), so a reader can inflate from that record on.
   */
  readonly flushPointEvery?: number;
}

/** The id of the patient whose record a chunk starts with, on chunks where a flush point falls. */
export const FLUSH_POINT: unique symbol = Symbol('flush point');

/** A chunk a writer emits: a flush point's chunk carries its patient's id. */
export type WriterChunk = Buffer & { [FLUSH_POINT]?: number };

/** Where a stream sits inside the whole document. */
export interface DocumentPart {
  readonly header: boolean;
  readonly footer: boolean;
  /** True when records of the document come before the first record of this stream. */
  readonly continues: boolean;
}

export function documentPart(plan: EventPlan, range: PatientRange | undefined): DocumentPart {
  if (!range) return { header: true, footer: true, continues: false };
  const { from, to } = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || from > to || to > plan.totalPatients) {
    throw new RangeError(`patient range [${from}, ${to}) is outside [0, ${plan.totalPatients}]`);
  }
  const whole = from === 0 && to === plan.totalPatients;
  // An empty part holds nothing, not even the header or footer: those belong to the parts that hold
  // the first and the last patient, so [0,0) + [0,N) and [0,N) + [N,N) are still [0,N).
  if (from === to && !whole) return { header: false, footer: false, continues: from > 0 };
  return { header: from === 0, footer: to === plan.totalPatients, continues: from > 0 };
}

export abstract class RecordTransform extends Transform {
  private buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  private used = 0;
  private bytes = 0;
  private records = 0;
  private started = false;
  protected readonly part: DocumentPart;
  private readonly firstId: number;
  private readonly flushPointEvery: number | undefined;
  /** The flush point the next chunk emitted starts with. */
  private pendingFlushPoint: number | undefined;

  protected constructor(options: WriterOptions) {
    super({ writableObjectMode: true, readableObjectMode: false, readableHighWaterMark: CHUNK_SIZE });
    this.part = documentPart(options.plan, options.range);
    this.firstId = options.range?.from ?? 0;
    const every = options.flushPointEvery;
    if (every !== undefined && !(Number.isSafeInteger(every) && every > 0)) {
      throw new RangeError(`flushPointEvery must be a positive integer; got ${every}`);
    }
    this.flushPointEvery = every;
  }

  /** Bytes emitted so far. */
  get bytesOut(): number {
    return this.bytes;
  }

  /** Records encoded so far. */
  get recordsIn(): number {
    return this.records;
  }

  /** Text written before the first record (only if part.header). */
  protected header(): string {
    return '';
  }

  /**
   * Appends the text of one record with `append`; `first` is true for the first record of the whole
   * document. Appending a long string and a short separator separately avoids copying the long one.
   */
  protected abstract encode(record: PatientRecord, first: boolean): void;

  /** Text written after the last record (only if part.footer). */
  protected footer(): string {
    return '';
  }

  /**
   * Adds text to the current chunk, encoded as UTF-8 straight into its Buffer. (Concatenating the
   * strings and converting the whole chunk's text with Buffer.from was up to 10x slower once a record
   * held characters beyond Latin-1, as many nations' names do.)
   */
  protected append(text: string): void {
    const room = CHUNK_SIZE - this.used;
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes, so short texts need no measuring.
    if (text.length * 3 <= room) {
      this.used += this.buffer.write(text, this.used, 'utf8');
      return;
    }
    if (text.length <= room) {
      // It may fit: write what fits. A write cut short stops at a character boundary, so within 3
      // bytes of the end; one that ends earlier wrote the whole text. (Measuring the text first with
      // Buffer.byteLength cost a second pass over a quarter of the records.)
      const written = this.buffer.write(text, this.used, room, 'utf8');
      if (written <= room - 4) {
        this.used += written;
        return;
      }
      // Perhaps cut short: the bytes past `used` are dropped with the chunk's unused room.
    }
    this.flushChunk();
    if (text.length * 3 <= CHUNK_SIZE) {
      this.used = this.buffer.write(text, 0, 'utf8');
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > CHUNK_SIZE) this.pushChunk(bytes);
    else this.used = bytes.copy(this.buffer, 0);
  }

  private start(): void {
    this.started = true;
    if (this.part.header) this.append(this.header());
  }

  override _transform(record: PatientRecord, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (!this.started) this.start();
      const id = this.firstId + this.records;
      if (this.flushPointEvery && this.records > 0 && id % this.flushPointEvery === 0) {
        // The record (with the separator before it) starts the next chunk.
        this.flushChunk();
        this.pendingFlushPoint = id;
      }
      this.encode(record, this.records === 0 && !this.part.continues);
      this.records++;
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (!this.started) this.start();
      if (this.part.footer) this.append(this.footer());
      this.flushChunk();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** Emits the filled part of the current chunk and starts a new one (the reader keeps the old one). */
  private flushChunk(): void {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK_SIZE);
    this.used = 0;
    this.pushChunk(chunk);
  }

  private pushChunk(chunk: WriterChunk): void {
    if (this.pendingFlushPoint !== undefined) {
      chunk[FLUSH_POINT] = this.pendingFlushPoint;
      this.pendingFlushPoint = undefined;
    }
    this.bytes += chunk.length;
    this.push(chunk);
  }
}
