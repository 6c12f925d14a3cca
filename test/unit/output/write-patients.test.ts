import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../lib/generation/index.js';
import { CSV_COLUMNS, OUTPUT_FORMATS, writePatients } from '../../../lib/output/index.js';
import { CollectingSink, parseCsv, render, testPlan } from './support.js';

const N = 300;
const plan = testPlan(N);

/** Asks V8 for a full collection, so heap measurements start from live objects only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('writePatients', () => {
  it('writes every format in one pass with the same bytes as one format at a time', async () => {
    // Prepare
    const sinks = OUTPUT_FORMATS.map(() => new CollectingSink());
    // Act
    const result = await writePatients(
      plan,
      OUTPUT_FORMATS.map((format, i) => ({ format, sink: sinks[i] })),
    );
    // Assert
    expect(result.patients).toBe(N);
    for (const [i, format] of OUTPUT_FORMATS.entries()) {
      const alone = await render(plan, format);
      expect(sinks[i].bytes().equals(alone), format).toBe(true);
      expect(result.bytes[i]).toBe(alone.length);
    }
  });

  it('shows each record once, in index order, to onRecord', async () => {
    // Prepare
    const seen: number[] = [];
    // Act
    await writePatients(
      plan,
      { format: 'ndjson', sink: new CollectingSink() },
      { onRecord: (r) => seen.push(r.id) },
    );
    // Assert
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => i));
  });

  it('reports progress every progressEvery patients and once at the end', async () => {
    // Prepare
    const calls: [number, number][] = [];
    // Act
    await writePatients(
      plan,
      { format: 'csv', sink: new CollectingSink() },
      { from: 10, to: 260, progressEvery: 100, onProgress: (done, total) => calls.push([done, total]) },
    );
    // Assert
    expect(calls).toEqual([
      [100, 250],
      [200, 250],
      [250, 250],
    ]);
  });

  it('rejects with the sink error and stops generating when a sink fails', async () => {
    // Prepare: a sink that fails on its third chunk.
    let writes = 0;
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        writes++;
        callback(writes === 3 ? new Error('disk full') : null);
      },
    });
    const seen: number[] = [];
    const big = testPlan(5000);
    // Act
    const run = writePatients(
      big,
      [
        { format: 'json', sink: failing },
        { format: 'csv', sink: new CollectingSink() },
      ],
      {
        onRecord: (r) => seen.push(r.id),
      },
    );
    // Assert
    await expect(run).rejects.toThrow('disk full');
    expect(seen.length).toBeLessThan(5000);
  });

  it('stops and rejects with the reason when the caller aborts', async () => {
    // Prepare
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    // Act
    const run = writePatients(
      testPlan(5000),
      { format: 'ndjson', sink: new CollectingSink() },
      {
        progressEvery: 100,
        signal: controller.signal,
        onProgress: (done) => {
          if (done === 500) controller.abort(reason);
        },
      },
    );
    // Assert
    await expect(run).rejects.toBe(reason);
  });

  it('keeps heap growth bounded while writing 200,000 patients to a slow sink', async () => {
    // Prepare: a sink that acknowledges each chunk only on a later turn of the event loop.
    const big = testPlan(200_000, 'backpressure');
    let received = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        setImmediate(callback);
      },
    });
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    // Act
    const result = await writePatients(
      big,
      { format: 'ndjson', sink: slow },
      {
        progressEvery: 10_000,
        // What the run holds, not the garbage a busy machine's concurrent marking has yet to free.
        onProgress: () => {
          collectGarbage();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        },
      },
    );
    // Assert
    expect(result.patients).toBe(200_000);
    expect(received).toBe(result.bytes[0]);
    expect(received).toBeGreaterThan(200_000 * 1000);
    expect(peak - baseline).toBeLessThan(60 * 1024 * 1024);
  }, 60_000);

  it('writes no bytes for an empty part of a document', async () => {
    // Prepare
    const sinks = OUTPUT_FORMATS.map(() => new CollectingSink());
    // Act
    const result = await writePatients(
      plan,
      OUTPUT_FORMATS.map((format, i) => ({ format, sink: sinks[i] })),
      { from: 0, to: 0 },
    );
    // Assert: the header belongs to the part holding patient 0, the footer to the part holding the last.
    expect(result.patients).toBe(0);
    expect(sinks.map((s) => s.length)).toEqual(OUTPUT_FORMATS.map(() => 0));
    expect((await render(plan, 'json', N, N)).length).toBe(0);
  });

  it('writes valid documents for a job with no patients', async () => {
    // Prepare: a plan holding no patient (the scenario schema forbids it; writers must still cope).
    const empty = { ...plan, totalPatients: 0 };
    const formats = ['json', 'ndjson', 'csv'] as const;
    const sinks = formats.map(() => new CollectingSink());
    // Act
    await writePatients(
      empty,
      formats.map((format, i) => ({ format, sink: sinks[i] })),
    );
    // Assert
    const [json, ndjson, csv] = sinks.map((s) => s.text());
    expect(JSON.parse(json)).toEqual([]);
    expect(ndjson).toBe('');
    expect(parseCsv(csv)).toEqual([CSV_COLUMNS.map((c) => c.name)]);
  });

  it('writes the same patients the generator yields for the range', async () => {
    // Prepare
    const expected = [...generate(plan, 120, 180)];
    const sink = new CollectingSink();
    // Act
    await writePatients(plan, { format: 'ndjson', sink }, { from: 120, to: 180 });
    // Assert
    expect(
      sink
        .text()
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(expected);
  });
});
