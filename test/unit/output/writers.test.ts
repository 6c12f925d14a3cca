import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { FACILITIES } from '../../../lib/data/index.js';
import {
  DEFAULT_SCENARIO,
  findPreset,
  generate,
  loadScenario,
  type PatientRecord,
  PatientRecordSchema,
  plan as planJob,
  presetScenario,
} from '../../../lib/generation/index.js';
import {
  CHUNK_SIZE,
  CSV_COLUMNS,
  CsvTransform,
  csvField,
  FLUSH_POINT,
  formatSpec,
  JsonTransform,
  NDJSON_FORMAT,
  OUTPUT_FORMATS,
  type OutputFormat,
  RecordTransform,
  type WriterChunk,
  type WriterOptions,
} from '../../../lib/output/index.js';
import { CollectingSink, parseCsv, render, sha256, testPlan } from './support.js';

const N = 400;
/** The formats written in this folder's RecordTransform; the contract tests run over every registered format. */
const TEXT_FORMATS: readonly OutputFormat[] = ['json', 'ndjson', 'csv'];
const plan = testPlan(N);
const records = [...generate(plan)];

/** Runs records through a format's transform directly (no generator), as a whole document. */
async function encode(format: OutputFormat, input: readonly PatientRecord[]): Promise<string> {
  const sink = new CollectingSink();
  await pipeline(Readable.from(input), formatSpec(format).createStream({ plan }), sink);
  return sink.text();
}

describe('json writer', () => {
  it('writes one JSON array of exactly N records that all pass the PatientRecord schema', async () => {
    // Prepare: a plan of N patients.
    // Act
    const text = (await render(plan, 'json')).toString('utf8');
    const parsed = JSON.parse(text) as unknown[];
    // Assert
    expect(parsed).toHaveLength(N);
    for (const record of parsed) expect(PatientRecordSchema.safeParse(record).success).toBe(true);
    expect(parsed).toEqual(records);
  });

  it('writes one record per line between the brackets', async () => {
    // Act
    const lines = (await render(plan, 'json')).toString('utf8').split('\n');
    // Assert: "[", N record lines, "]", and the empty string after the final LF.
    expect(lines[0]).toBe('[');
    expect(
      lines.slice(1, N + 1).every((l, i) => l.startsWith('{') && l.endsWith(i < N - 1 ? '},' : '}')),
    ).toBe(true);
    expect(lines.slice(N + 1)).toEqual([']', '']);
  });
});

describe('ndjson writer', () => {
  it('writes exactly one compact JSON record per LF-terminated line', async () => {
    // Act
    const text = (await render(plan, 'ndjson')).toString('utf8');
    // Assert
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(N);
    expect(lines.map((l) => JSON.parse(l))).toEqual(records);
  });
});

describe('csv writer', () => {
  it('writes a CRLF header row with the documented columns and one RFC 4180 row per patient', async () => {
    // Act
    const rows = parseCsv((await render(plan, 'csv')).toString('utf8'));
    // Assert
    const [header, ...body] = rows;
    expect(header).toEqual(
      expect.arrayContaining([
        'id',
        'given_name',
        'family_name',
        'gender',
        'age',
        'nationality',
        'front',
        'injury_type',
        'primary_condition_code',
        'primary_condition_name',
        'body_part',
        'triage_category',
        'severity',
        'status',
        'final_status',
        'last_facility',
        'injury_time',
        'event_id',
        'mass_casualty',
        'facilities_visited',
        'blood_type',
      ]),
    );
    expect(body).toHaveLength(N);
    expect(body.every((row) => row.length === header.length)).toBe(true);
  });

  it('writes the same values as the record for every patient', async () => {
    // Act
    const [header, ...body] = parseCsv((await render(plan, 'csv')).toString('utf8'));
    const col = (name: string) => header.indexOf(name);
    // Assert
    body.forEach((row, i) => {
      const r = records[i];
      const primary = r.conditions.find((c) => c.primary)!;
      expect(row[col('id')]).toBe(String(r.id));
      expect(row[col('given_name')]).toBe(r.demographics.given_name);
      expect(row[col('family_name')]).toBe(r.demographics.family_name);
      expect(row[col('age')]).toBe(String(r.demographics.age));
      expect(row[col('front')]).toBe(r.front);
      expect(row[col('primary_condition_code')]).toBe(primary.code);
      expect(row[col('primary_condition_name')]).toBe(primary.name);
      expect(row[col('status')]).toBe(r.status);
      expect(row[col('final_status')]).toBe(r.final_status);
      expect(row[col('facilities_visited')]).toBe(r.facilities_visited.join('>'));
      expect(row[col('mass_casualty')]).toBe(String(r.mass_casualty));
      expect(row[col('special_event')]).toBe(r.special_event ?? '');
    });
  });

  it('names the configured facility the casualty was admitted to at each echelon, empty elsewhere', async () => {
    // Prepare: two fronts with a Role 2 each, ids a position-based reader could not split.
    const twoRole2s = planJob(
      loadScenario({
        ...DEFAULT_SCENARIO,
        total_patients: 200,
        facility_configs: [
          {
            id: 'r2>poland, "north"',
            name: 'Role 2 Poland',
            role: 'Role2',
            front_id: 'poland',
            kia_rate: 0.02,
            rtd_rate: 0.3,
          },
          { id: 'r2-rest', name: 'Role 2', role: 'Role2', kia_rate: 0.02, rtd_rate: 0.3 },
        ],
      }),
      5,
    );
    const patients = [...generate(twoRole2s)];
    // Act
    const [header, ...body] = parseCsv((await render(twoRole2s, 'csv')).toString('utf8'));
    // Assert
    const ids = ['poi', 'role1', 'role2', 'role3', 'role4'].map((e) => header.indexOf(`${e}_facility_id`));
    expect(ids).toEqual([41, 42, 43, 44, 45]);
    const seen = new Set<string>();
    body.forEach((row, i) => {
      const admitted = new Map(
        patients[i].movement_timeline.flatMap((e) =>
          e.event_type === 'arrival' ? [[e.facility, e.facility_id]] : [],
        ),
      );
      expect(ids.map((k) => row[k])).toEqual(FACILITIES.map((f) => admitted.get(f) ?? ''));
      seen.add(row[ids[2]]);
    });
    expect(seen).toEqual(new Set(['', 'r2>poland, "north"', 'r2-rest']));
  });

  it('gives the hours to Role 4 and the time and hours of its discharge to convalesce in the last three columns, empty for every other casualty', async () => {
    // Prepare: NATO Article 5 with its evacuation policy, whose Role 4 discharges casualties
    const nato = planJob(
      loadScenario({ ...presetScenario(findPreset('nato_article_5')!), total_patients: 300 }),
      7,
    );
    const patients = [...generate(nato)];
    // Act
    const [header, ...body] = parseCsv((await render(nato, 'csv')).toString('utf8'));
    // Assert
    expect(header.slice(-3)).toEqual(['hours_to_role4', 'discharge_time', 'hours_to_discharge']);
    let discharged = 0;
    let atRole4 = 0;
    body.forEach((row, i) => {
      const tl = patients[i].movement_timeline;
      const arrival = tl.find((e) => e.event_type === 'arrival' && e.facility === 'Role4');
      const discharge = tl.find((e) => e.event_type === 'discharge');
      if (arrival) atRole4++;
      if (discharge) discharged++;
      expect(row.slice(-3)).toEqual([
        arrival ? String(arrival.hours_since_injury) : '',
        ...(discharge ? [discharge.timestamp, String(discharge.hours_since_injury)] : ['', '']),
      ]);
    });
    expect(discharged).toBeGreaterThan(30);
    expect(atRole4).toBeGreaterThan(discharged);
  });

  it('round-trips names and fronts holding commas, quotes, CR and LF', async () => {
    // Prepare: real records given hostile text by hand.
    const tricky = [
      { given: 'Jean, "JJ"', family: "O'Neil", front: 'North, "Hill 112"' },
      { given: 'Line\nBreak', family: 'Carriage\rReturn', front: 'CRLF\r\nfront' },
      { given: '"', family: ',', front: '""' },
      { given: 'Zoë', family: 'Åström-Ñúñez', front: ' spaced ' },
    ];
    const input = tricky.map((t, i) => ({
      ...records[i],
      front: t.front,
      demographics: { ...records[i].demographics, given_name: t.given, family_name: t.family },
    }));
    // Act
    const [header, ...body] = parseCsv(await encode('csv', input));
    // Assert
    expect(body.map((row) => row[header.indexOf('given_name')])).toEqual(tricky.map((t) => t.given));
    expect(body.map((row) => row[header.indexOf('family_name')])).toEqual(tricky.map((t) => t.family));
    expect(body.map((row) => row[header.indexOf('front')])).toEqual(tricky.map((t) => t.front));
  });

  it('quotes exactly the fields that need it and doubles their quotes', () => {
    // Act + Assert
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(false)).toBe('false');
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
  });

  it('names every column once', () => {
    // Act
    const names = CSV_COLUMNS.map((c) => c.name);
    // Assert
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('every format', () => {
  it.each(OUTPUT_FORMATS)('%s: the same scenario and seed give the same sha256', async (format) => {
    // Prepare: two plans built independently from the same scenario and seed.
    const again = testPlan(N);
    // Act
    const first = sha256(await render(plan, format));
    const second = sha256(await render(again, format));
    // Assert
    expect(second).toBe(first);
    expect(sha256(await render(testPlan(N, 43), format))).not.toBe(first);
  });

  it.each(OUTPUT_FORMATS)('%s: ranges [0,k) + [k,N) concatenate to the bytes of [0,N)', async (format) => {
    // Prepare
    const whole = await render(plan, format);
    for (const k of [0, 1, 137, N - 1, N]) {
      // Act
      const joined = Buffer.concat([await render(plan, format, 0, k), await render(plan, format, k, N)]);
      // Assert
      expect(sha256(joined), `k = ${k}`).toBe(sha256(whole));
    }
  });

  it.each(OUTPUT_FORMATS)('%s: three uneven ranges concatenate to the whole document', async (format) => {
    // Act
    const parts = [
      await render(plan, format, 0, 50),
      await render(plan, format, 50, 51),
      await render(plan, format, 51, N),
    ];
    // Assert
    expect(Buffer.concat(parts).equals(await render(plan, format))).toBe(true);
  });

  it.each(OUTPUT_FORMATS)('%s: a middle range with no patients adds no bytes', async (format) => {
    // Act
    const empty = await render(plan, format, 100, 100);
    // Assert
    expect(empty.length).toBe(0);
  });

  it('an empty document is still valid: [] for json, nothing for ndjson, the header for csv', async () => {
    // Act
    const [json, ndjson, csv] = await Promise.all([
      encode('json', []),
      encode('ndjson', []),
      encode('csv', []),
    ]);
    // Assert
    expect(JSON.parse(json)).toEqual([]);
    expect(ndjson).toBe('');
    expect(parseCsv(csv)).toEqual([CSV_COLUMNS.map((c) => c.name)]);
  });

  it.each(TEXT_FORMATS)('%s: batches output into chunks of about CHUNK_SIZE (256 KiB)', async (format) => {
    // Prepare: enough patients for several chunks of every format.
    const many = testPlan(2500);
    const input = [...generate(many)];
    const sink = new CollectingSink();
    // Act
    await pipeline(Readable.from(input), formatSpec(format).createStream({ plan: many }), sink);
    // Assert: no chunk exceeds CHUNK_SIZE; all but the last miss it by less than one record.
    const sizes = sink.chunks.map((c) => c.length);
    const largestRecord = Math.max(...input.map((r) => Buffer.byteLength(JSON.stringify(r)))) + 2;
    expect(CHUNK_SIZE).toBe(256 * 1024);
    expect(sizes.length).toBeGreaterThan(2);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(CHUNK_SIZE);
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThan(CHUNK_SIZE - largestRecord);
    expect(sizes.every((size) => size > 0)).toBe(true);
  });

  it('puts each text whole into the chunks, however its UTF-8 bytes meet a chunk end', async () => {
    // Prepare: a writer whose records are texts, sized so that multi-byte characters (2, 3 and 4
    // bytes) land exactly on, just before and across a chunk's end, and one text larger than a chunk.
    class TextTransform extends RecordTransform {
      constructor() {
        super({ plan });
      }
      protected encode(record: PatientRecord): void {
        this.append((record as unknown as { text: string }).text);
      }
    }
    const texts: string[] = [];
    for (const tail of ['é', '€', '😀', 'a']) {
      for (let shift = 0; shift < 6; shift++) {
        texts.push('x'.repeat(CHUNK_SIZE - 20_000 - shift), `${'y'.repeat(19_990)}${tail.repeat(3)}`);
      }
    }
    texts.push('€'.repeat(CHUNK_SIZE), 'z'.repeat(30_000));
    const sink = new CollectingSink();
    // Act
    await pipeline(
      Readable.from(texts.map((text) => ({ text }))),
      new TextTransform() as unknown as NodeJS.WritableStream,
      sink,
    );
    // Assert: the same bytes as the texts joined; chunks within the limit except the oversized text's.
    expect(Buffer.concat(sink.chunks).equals(Buffer.from(texts.join(''), 'utf8'))).toBe(true);
    const oversized = Buffer.byteLength('€'.repeat(CHUNK_SIZE));
    for (const chunk of sink.chunks) if (chunk.length > CHUNK_SIZE) expect(chunk.length).toBe(oversized);
  });

  it('rejects a range outside the plan', () => {
    // Act + Assert
    expect(() => new JsonTransform({ plan, range: { from: 0, to: N + 1 } })).toThrow(RangeError);
    expect(() => new CsvTransform({ plan, range: { from: 5, to: 4 } })).toThrow(RangeError);
  });

  it('registers json, ndjson and csv first, with distinct file names and content types', () => {
    // Act
    const specs = OUTPUT_FORMATS.map((f) => formatSpec(f));
    // Assert
    expect(OUTPUT_FORMATS.slice(0, 3)).toEqual(['json', 'ndjson', 'csv']);
    expect(specs.map((s) => s.format)).toEqual(OUTPUT_FORMATS);
    expect(new Set(specs.map((s) => s.fileName)).size).toBe(specs.length);
    expect(NDJSON_FORMAT.contentType).toBe('application/x-ndjson');
    expect(() => formatSpec('yaml' as OutputFormat)).toThrow(/valid formats: json, ndjson, csv/);
  });
});

describe('flush points of a writer (WriterOptions.flushPointEvery)', () => {
  it('starts a new chunk at the record of every multiple of it but the range`s first, marked with its id', async () => {
    // Prepare: patients [100, 400) in chunks that mark 200 and 300 (100 is the range's first).
    const chunks: WriterChunk[] = [];
    const sink = new CollectingSink();
    const options: WriterOptions = {
      plan,
      range: { from: 100, to: 400 },
      flushPointEvery: 100,
    };
    const stream = formatSpec('json').createStream(options);
    stream.on('data', (chunk: WriterChunk) => chunks.push(chunk));
    // Act
    await pipeline(Readable.from(records.slice(100, 400)), stream, sink);
    // Assert
    const marked = chunks.filter((chunk) => chunk[FLUSH_POINT] !== undefined);
    expect(marked.map((chunk) => chunk[FLUSH_POINT])).toEqual([200, 300]);
    for (const chunk of marked) {
      expect(chunk.toString('utf8', 0, 64)).toMatch(
        new RegExp(`^,\\n\\{"schema_version":"[^"]*","id":${chunk[FLUSH_POINT]},`),
      );
    }
    expect(Buffer.concat(chunks).equals(await render(plan, 'json', 100, 400))).toBe(true);
  });

  it('refuses a flush point spacing that is not a positive integer', () => {
    // Act + Assert
    for (const flushPointEvery of [0, -5, 2.5, Number.NaN]) {
      const options: WriterOptions = { plan, flushPointEvery };
      expect(() => formatSpec('csv').createStream(options), String(flushPointEvery)).toThrow(
        /flushPointEvery must be a positive integer/,
      );
    }
  });
});
