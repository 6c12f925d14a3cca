/**
 * Generates a plan's patients once and writes them to one or more formats at the same time: each
 * record goes to every format's transform, each transform is piped into its sink with
 * stream/promises pipeline. Backpressure: when any transform's buffer is full the loop waits for it
 * to drain, so memory stays flat whatever the number of patients or the speed of the slowest sink.
 * On failure every stream is torn down and the promise settles only after every sink has closed.
 */
import { once } from 'node:events';
import type { Transform, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type EventPlan, generate, type PatientRecord } from '../generation/index.js';
import { formatSpec, type OutputFormat, type OutputFormatOptions } from './formats.js';
import type { WriterOptions } from './record-transform.js';

export interface WriteTarget {
  readonly format: OutputFormat;
  readonly sink: Writable;
  /** Options of the format (e.g. the FHIR bundle type); default the registered format's. */
  readonly formatOptions?: OutputFormatOptions;
  /** Marks a flush point every this many patients in this target's writer (WriterOptions). */
  readonly flushPointEvery?: number;
}

export interface WritePatientsOptions {
  /** First patient index (default 0). With from/to the output is that part of the whole document. */
  readonly from?: number;
  /** End of the range, exclusive (default plan.totalPatients). */
  readonly to?: number;
  /** Sees every record once, in order, before it is written (statistics, checks). */
  readonly onRecord?: (record: PatientRecord) => void;
  /** Called every `progressEvery` patients and once at the end with (written, total in range). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Patients between progress calls and event-loop yields (default 1000). */
  readonly progressEvery?: number;
  /** Aborting stops generation and tears down every stream; the promise rejects with the reason. */
  readonly signal?: AbortSignal;
}

export interface WritePatientsResult {
  readonly patients: number;
  /** Bytes written to each target, in the order of the targets. */
  readonly bytes: readonly number[];
}

export async function writePatients(
  plan: EventPlan,
  targets: WriteTarget | readonly WriteTarget[],
  options: WritePatientsOptions = {},
): Promise<WritePatientsResult> {
  const list: readonly WriteTarget[] = Array.isArray(targets) ? targets : [targets as WriteTarget];
  const from = options.from ?? 0;
  const to = options.to ?? plan.totalPatients;
  const every = Math.max(1, options.progressEvery ?? 1000);
  // WriterOptions extends the FormatSpec contract; writers that know ranges write that part of the document.
  const transforms = list.map((t) => {
    const writer: WriterOptions = { plan, range: { from, to }, flushPointEvery: t.flushPointEvery };
    return formatSpec(t.format, t.formatOptions).createStream(writer);
  });
  const records = generate(plan, from, to);

  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let failure: { readonly error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
    if (!stop.signal.aborted) stop.abort(error);
  };
  const counters = transforms.map((transform) => {
    const counter = { bytes: 0 };
    transform.on('data', (chunk: Buffer | string) => {
      counter.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    });
    return counter;
  });
  const pipelines = transforms.map((transform, i) =>
    pipeline(transform, list[i].sink, { signal }).catch((error: unknown) => fail(error)),
  );

  let done = 0;
  try {
    for (const record of records) {
      if (signal.aborted) break;
      options.onRecord?.(record);
      let blocked: Transform[] | undefined;
      for (const transform of transforms) {
        if (transform.write(record)) continue;
        blocked ??= [];
        blocked.push(transform);
      }
      done++;
      if (blocked) await Promise.all(blocked.map((t) => once(t, 'drain', { signal })));
      if (done % every === 0) {
        options.onProgress?.(done, to - from);
        await yieldToLoop(undefined, { signal });
      }
    }
    if (!signal.aborted) for (const transform of transforms) transform.end();
  } catch (error) {
    // An abort while waiting is reported through `failure` or the caller's signal below.
    if (!signal.aborted) fail(error);
  } finally {
    records.return(undefined);
  }
  await Promise.all(pipelines);
  if (failure || options.signal?.aborted) {
    // Let every torn-down sink finish closing (a file stream may still be opening) before the caller
    // cleans up after the failure.
    await Promise.all(list.map((t) => finished(t.sink).catch(() => undefined)));
    if (options.signal?.aborted) throw options.signal.reason;
    throw failure?.error;
  }
  if (done % every !== 0 || done === 0) options.onProgress?.(done, to - from);
  return { patients: done, bytes: counters.map((c) => c.bytes) };
}
