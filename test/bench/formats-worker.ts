/**
 * One output-format measurement in a fresh process, so peak RSS belongs to this run alone:
 *   node --import tsx test/bench/formats-worker.ts <fhir|xml|none> <patients> [seed]
 * Generates the preset nato_article_5 scaled to <patients>, writes it through the format to a null
 * sink (or only generates, for `none`) and prints one JSON line.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { findPreset, generate, loadScenario, plan, presetScenario } from '../../lib/generation/index.js';
import { fhirFormat } from '../../lib/output/fhir/index.js';
import { xmlFormat } from '../../lib/output/index.js';
import { NullSink } from './null-sink.js';

export interface FormatSample {
  readonly format: string;
  readonly patients: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly bytes: number;
  readonly peakRssBytes: number;
}

const FORMATS = { fhir: fhirFormat, xml: xmlFormat } as const;

async function measure(format: string, count: number, seed: string | number): Promise<FormatSample> {
  const scenario = loadScenario({ ...presetScenario(findPreset('nato_article_5')!), total_patients: count });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const eventPlan = plan(scenario, seed);
  let bytes = 0;
  let patients = 0;
  if (format === 'none') {
    for (const _ of generate(eventPlan)) patients++;
  } else {
    const spec = FORMATS[format as keyof typeof FORMATS];
    if (!spec) throw new Error(`unknown format ${format}`);
    const sink = new NullSink();
    await pipeline(Readable.from(generate(eventPlan)), spec.createStream({ plan: eventPlan }), sink);
    bytes = sink.bytes;
    patients = count;
  }
  const used = process.cpuUsage(cpu);
  return {
    format,
    patients,
    wallMs: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    bytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

const [format = 'fhir', countText = '10000', seed = '20250601'] = process.argv.slice(2);
const sample = await measure(format, Number(countText), /^\d+$/.test(seed) ? Number(seed) : seed);
process.stdout.write(`${JSON.stringify(sample)}\n`);
