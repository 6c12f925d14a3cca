/** Shared helpers of the output tests: a small plan, a collecting sink and an RFC 4180 CSV parser. */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  type EventPlan,
  findPreset,
  loadScenario,
  plan,
  presetScenario,
} from '../../../lib/generation/index.js';
import { type OutputFormat, writePatients } from '../../../lib/output/index.js';

/** nato_article_5 (special events, three fronts, eleven nations) scaled to `count` patients. */
export function testPlan(count = 400, seed: string | number = 42): EventPlan {
  const preset = findPreset('nato_article_5')!;
  return plan(loadScenario({ ...presetScenario(preset), total_patients: count }), seed);
}

/** A Writable that keeps every chunk it receives. */
export class CollectingSink extends Writable {
  readonly chunks: Buffer[] = [];

  constructor() {
    super({ decodeStrings: true });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }

  /** Bytes received so far. */
  get length(): number {
    return this.chunks.reduce((acc, c) => acc + c.length, 0);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  text(): string {
    return this.bytes().toString('utf8');
  }
}

/** The bytes `writePatients` gives for one format and range. */
export async function render(
  p: EventPlan,
  format: OutputFormat,
  from?: number,
  to?: number,
): Promise<Buffer> {
  const sink = new CollectingSink();
  await writePatients(p, { format, sink }, { from, to });
  return sink.bytes();
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A strict RFC 4180 parser: every record ends in CRLF, quotes only around a whole field, and a bare
 * quote, CR or LF outside quotes is an error, so a missing escape in the writer cannot go unnoticed.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        if (i + 1 < text.length && text[i + 1] !== ',' && text[i + 1] !== '\r') {
          throw new Error(`text after closing quote at ${i + 1}`);
        }
      }
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStart = true;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStart = true;
      i++;
    } else if (c === '\r' || c === '\n' || c === '"') {
      throw new Error(`bare ${JSON.stringify(c)} outside quotes at ${i}`);
    } else {
      field += c;
      fieldStart = false;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('last record does not end in CRLF');
  return rows;
}
