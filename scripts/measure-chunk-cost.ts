/**
 * Measures what one chunk of a job costs, for the chunk planner's cost model
 * (lib/domain/job-chunk-plan.ts, memory/decisions/0906-job-fan-out.md): patients [from, to) of a
 * job written through the chunk writer (lib/output/chunk-parts.ts) to a null sink, in a fresh
 * process, CPU time (every thread: zlib deflates on the thread pool) and the bytes of each part.
 *
 *   node --import tsx scripts/measure-chunk-cost.ts <format[,format…]|none> <gzip|plain|raw> [patients] [seed] [level]
 *
 * gzip: a compressed job's deflate parts; plain: an uncompressed job's plain part and its deflate part
 * (the ZIP entry); raw: the format writer alone (no deflate at all).
 * `none` only generates the records (the engine's share, paid once whatever the formats). Prints one
 * JSON line.
 */
import { Writable } from 'node:stream';
import { PART_DEFLATE_LEVEL } from '../lib/domain/index.js';
import { findPreset, generate, loadScenario, plan, presetScenario } from '../lib/generation/index.js';
import { isOutputFormat, writeChunkParts } from '../lib/output/index.js';

const [formatsText = 'json', mode = 'gzip', countText = '60000', seed = '20250601', levelText] =
  process.argv.slice(2);
// The deflate level of the parts: default the one jobs write (lib/domain/job-parts.ts PART_DEFLATE_LEVEL).
const level = levelText ? Number(levelText) : PART_DEFLATE_LEVEL;
const count = Number(countText);
// The chunk measured is the middle third of a job three times its size: warm, not the job's start.
const scenario = loadScenario({
  ...presetScenario(findPreset('nato_article_5')!),
  total_patients: count * 3,
});
const eventPlan = plan(scenario, /^\d+$/.test(seed) ? Number(seed) : seed);
const from = count;
const to = 2 * count;
// Warm-up outside the measure: a few thousand patients of the chunk's start.
for (const _ of generate(eventPlan, 0, Math.min(count, 5000))) void _;

const bytes: Record<string, number> = {};
const cpu = process.cpuUsage();
const started = performance.now();
if (formatsText === 'none') {
  for (const _ of generate(eventPlan, from, to)) void _;
} else {
  const formats = formatsText.split(',').map((f) => {
    if (!isOutputFormat(f)) throw new Error(`unknown format ${f}`);
    return f;
  });
  await writeChunkParts(eventPlan, {
    formats,
    compress: mode === 'gzip',
    deflatePlain: mode !== 'raw',
    last: false,
    level,
    from,
    to,
    sink: async (target, stream) => {
      let n = 0;
      await new Promise<void>((resolve, reject) => {
        stream.pipe(
          new Writable({
            write(chunk: Buffer, _e, cb) {
              n += chunk.length;
              cb();
            },
          }),
        );
        stream.on('end', resolve).on('error', reject);
      });
      bytes[target.partName] = n;
    },
  });
}
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
process.stdout.write(
  `${JSON.stringify({
    formats: formatsText,
    mode,
    level,
    patients: to - from,
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round(cpuMs),
    patientsPerCpuSecond: Math.round(((to - from) / cpuMs) * 1000),
    bytesPerPatient: Object.fromEntries(
      Object.entries(bytes).map(([k, v]) => [k, +(v / (to - from)).toFixed(1)]),
    ),
  })}\n`,
);
