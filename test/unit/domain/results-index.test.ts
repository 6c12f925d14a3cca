/**
 * The results index (lib/domain/results-index.ts): a patient's index line matches every results filter
 * exactly when the patient's stored record does, so a filtered page read from the index is the page
 * read from the file; the matches of recent filters are kept within a byte budget (MatchIdCache).
 */
import { Gzip, gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import {
  INDEX_WRITE_CHARS,
  MatchIdCache,
  type ResultStore,
  type ResultsFilter,
  ResultsIndexPart,
  recordMatcher,
  resultsIndexKey,
  resultsIndexLine,
} from '../../../lib/domain/index.js';
import { generate } from '../../../lib/generation/index.js';
import { storeWith } from '../../support/result-stores.js';
import { testPlan } from '../output/support.js';

const records = [...generate(testPlan(1_000))];
const texts = records.map((r) => JSON.stringify(r));
const lines = records.map(resultsIndexLine);

function filtersFrom(): ResultsFilter[] {
  const sample = records[517];
  return [
    { triage: ['T1'] },
    { triage: ['T2', 'T4'] },
    { status: ['KIA'] },
    { status: ['DOW', 'Remains_Role4'] },
    { status: ['RTD'], triage: ['T3'] },
    { nationality: [sample.nationality] },
    { front: sample.front },
    { front: sample.front_id },
    { q: sample.demographics.family_name },
    { q: sample.demographics.given_name.toLowerCase() },
    { q: `${sample.demographics.given_name} ${sample.demographics.family_name}` },
    { q: sample.demographics.service_number.slice(2, 7) },
    { q: sample.uuid.slice(0, 8) },
    { q: String(sample.id) },
    { q: 'KIA' },
    { q: 'triage' },
    { q: 'zzzz-nobody' },
  ];
}

describe('results index', () => {
  it('an index line matches each filter exactly when the record text does', () => {
    // Prepare
    const filters = filtersFrom();

    // Act
    const fromText = filters.map((filter) => {
      const match = recordMatcher(filter)!;
      return records.filter((_, i) => match(texts[i])).map((r) => r.id);
    });
    const fromIndex = filters.map((filter) => {
      const match = recordMatcher(filter)!;
      return records.filter((_, i) => match(lines[i])).map((r) => r.id);
    });

    // Assert: the same patients, and the filters are not trivial
    expect(fromIndex).toEqual(fromText);
    expect(fromText.filter((ids) => ids.length > 0).length).toBeGreaterThanOrEqual(13);
    expect(fromText.every((ids) => ids.length < records.length)).toBe(true);
  });

  it('a line is one compact JSON object of the record id and the filtered fields, a few per cent of the record', () => {
    // Prepare
    const record = records[3];

    // Act
    const line = resultsIndexLine(record);

    // Assert
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      id: record.id,
      uuid: record.uuid,
      given_name: record.demographics.given_name,
      family_name: record.demographics.family_name,
      service_number: record.demographics.service_number,
      nationality: record.nationality,
      front: record.front,
      front_id: record.front_id,
      triage_category: record.triage_category,
      status: record.status,
    });
    const average = (list: string[]) => list.reduce((sum, text) => sum + text.length, 0) / list.length;
    expect(average(lines) / average(texts)).toBeLessThan(0.1);
  });

  it('hands its lines to zlib in writes of at least 64 Ki characters, not one per patient, and stores every line', async () => {
    // Prepare
    let stored = Buffer.alloc(0);
    const store = storeWith({} as ResultStore, {
      upload: async (_key, body) => {
        const chunks: Buffer[] = [];
        for await (const chunk of body) chunks.push(chunk as Buffer);
        stored = Buffer.concat(chunks);
      },
    });
    const writes = vi.spyOn(Gzip.prototype, 'write');
    const part = new ResultsIndexPart(store, 'index', new AbortController().signal);
    // Act
    let zlibWrites: number;
    try {
      for (const record of records) part.add(record);
      await part.finish();
      zlibWrites = writes.mock.calls.length;
    } finally {
      writes.mockRestore();
    }
    // Assert
    const text = lines.map((line) => `${line}\n`).join('');
    expect(gunzipSync(stored).toString('utf8')).toBe(text);
    expect(text.length).toBeGreaterThan(3 * INDEX_WRITE_CHARS);
    expect(zlibWrites).toBeGreaterThan(1);
    expect(zlibWrites).toBeLessThanOrEqual(Math.floor(text.length / INDEX_WRITE_CHARS) + 1);
  });

  it('keeps each chunk index under the job, apart from its parts', () => {
    // Act + Assert
    expect(resultsIndexKey('j-1', 12)).toBe('jobs/j-1/results-index/c000012.ndjson.gz');
  });
});

describe('match id cache', () => {
  const ids = (n: number) => new Uint32Array(n);

  it('keeps entries within its byte budget, dropping the least recently used first', () => {
    // Prepare: room for 3 entries of 100 ids (400 bytes each).
    const cache = new MatchIdCache(1_200);
    cache.set('a', ids(100));
    cache.set('b', ids(100));
    cache.set('c', ids(100));
    // Act: "a" used again, then a fourth entry
    cache.get('a');
    cache.set('d', ids(100));
    // Assert
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toHaveLength(100);
    expect(cache.get('c')).toHaveLength(100);
    expect(cache.get('d')).toHaveLength(100);
    expect(cache.bytes).toBe(1_200);
  });

  it('keeps nothing larger than its budget, and nothing with a budget of 0', () => {
    // Prepare
    const small = new MatchIdCache(1_000);
    const none = new MatchIdCache(0);
    small.set('kept', ids(10));
    // Act
    small.set('huge', ids(1_000));
    none.set('any', ids(1));
    // Assert
    expect(small.get('huge')).toBeUndefined();
    expect(small.get('kept')).toHaveLength(10);
    expect(none.get('any')).toBeUndefined();
    expect(none.bytes).toBe(0);
  });

  it('tells filters and jobs apart in its keys, whatever else the request asks', () => {
    // Act + Assert
    const key = MatchIdCache.key('job-1', { triage: ['T1'] });
    expect(MatchIdCache.key('job-1', { triage: ['T1'], page: 3 } as never)).toBe(key);
    expect(MatchIdCache.key('job-2', { triage: ['T1'] })).not.toBe(key);
    expect(MatchIdCache.key('job-1', { triage: ['T2'] })).not.toBe(key);
    expect(MatchIdCache.key('job-1', { status: ['T1'] })).not.toBe(key);
    expect(MatchIdCache.key('job-1', { q: 'T1' })).not.toBe(key);
  });
});
