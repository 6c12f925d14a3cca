/**
 * One engine benchmark measurement in a fresh process, so peak RSS belongs to this run alone:
 *   node --import tsx test/bench/engine-worker.ts <json|ndjson|csv|none> <patients> [seed]
 * Prints one JSON line. `none` generates the patients and drops them (engine alone, no writer).
 */
import { findPreset, generate, loadScenario, plan, presetScenario } from '../../lib/generation/index.js';
import { isOutputFormat, writePatients } from '../../lib/output/index.js';
import { NullSink } from './null-sink.js';

export interface EngineSample {
  readonly format: string;
  readonly patients: number;
  readonly planMs: number;
  readonly totalMs: number;
  readonly bytes: number;
  readonly peakRssBytes: number;
}

async function measure(format: string, count: number, seed: string | number): Promise<EngineSample> {
  const preset = findPreset('nato_article_5')!;
  const scenario = loadScenario({ ...presetScenario(preset), total_patients: count });
  const started = performance.now();
  const eventPlan = plan(scenario, seed);
  const planMs = performance.now() - started;
  let bytes = 0;
  let patients = 0;
  if (format === 'none') {
    for (const _ of generate(eventPlan)) patients++;
  } else if (isOutputFormat(format)) {
    const sink = new NullSink();
    const result = await writePatients(eventPlan, { format, sink }, { progressEvery: 10_000 });
    patients = result.patients;
    bytes = sink.bytes;
  } else {
    throw new Error(`unknown format ${format}`);
  }
  const totalMs = performance.now() - started;
  return { format, patients, planMs, totalMs, bytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

const [format = 'json', countText = '10000', seed = '20250601'] = process.argv.slice(2);
const sample = await measure(format, Number(countText), /^\d+$/.test(seed) ? Number(seed) : seed);
process.stdout.write(`${JSON.stringify(sample)}\n`);
