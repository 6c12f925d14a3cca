/**
 * One engine benchmark measurement in a fresh process, so peak RSS belongs to this run alone:
 *   node --import tsx test/bench/engine-worker.ts <json|ndjson|csv|none>[+capacity] <patients> [seed]
 * Prints one JSON line. `none` generates the patients and drops them (engine alone, no writer).
 * `+capacity` sets bed capacities (a little under the unlimited peak occupancy, so queues and
 * diversions happen at the busiest hours) and measures the capacity plan inside `plan ms`.
 * `+cohort` asks for a cohort found by the cheap checks (battle trauma, T1: about 1 in 6);
 * `+cohort-records` one that needs a record built per candidate (bullet wound: about 1 in 25); the
 * cohort search is inside `plan ms` (lib/generation/cohort-plan.ts).
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
  /** Candidates the cohort search planned (cohort variants only). */
  readonly candidates?: number;
}

const COHORTS: Record<string, unknown> = {
  cohort: { injury_types: ['BATTLE_TRAUMA'], triage: ['T1'] },
  'cohort-records': { conditions: ['262574004'] },
};

/**
 * Beds per patient of the job, about 90% of each echelon's peak with unlimited beds (nato_article_5 with
 * its 7-day evacuation policy, whose holds fill Role 2-4: measured at 100,000 patients, seed 20250601,
 * for generator 0.19.0, whose Role 4 discharges every casualty not fit after its days to weeks in
 * hospital and keeps the beds of those who remain there past their records, for a stay taken here at
 * the middle of its range: peaks per patient Role 1 0.0263, Role 2 0.0639, Role 3 0.0681, Role 4
 * 0.4016; Role 2 is split over two facilities). Measured again after every change of the flows
 * (memory/fixes/0240, 0252, 0317, 0322, 0323).
 */
const BEDS_PER_PATIENT = { Role1: 0.0237, Role2: 0.0288, Role3: 0.0613, Role4: 0.3614 } as const;

function capacities(count: number) {
  const beds = (role: keyof typeof BEDS_PER_PATIENT) =>
    Math.max(1, Math.round(BEDS_PER_PATIENT[role] * count));
  const rates = (kia: number, rtd: number) => ({ kia_rate: kia, rtd_rate: rtd });
  return [
    { id: 'role1', name: 'Role 1', role: 'Role1' as const, capacity: beds('Role1'), ...rates(0.02, 0.25) },
    {
      id: 'role2-a',
      name: 'Role 2 A',
      role: 'Role2' as const,
      capacity: beds('Role2'),
      ...rates(0.02, 0.35),
    },
    {
      id: 'role2-b',
      name: 'Role 2 B',
      role: 'Role2' as const,
      capacity: beds('Role2'),
      ...rates(0.02, 0.35),
    },
    { id: 'role3', name: 'Role 3', role: 'Role3' as const, capacity: beds('Role3'), ...rates(0.01, 0.45) },
    { id: 'role4', name: 'Role 4', role: 'Role4' as const, capacity: beds('Role4'), ...rates(0.005, 0.7) },
  ];
}

async function measure(mode: string, count: number, seed: string | number): Promise<EngineSample> {
  const [format, variant] = mode.split('+');
  const preset = findPreset('nato_article_5')!;
  const input = presetScenario(preset);
  const scenario = loadScenario({
    ...input,
    total_patients: count,
    ...(variant === 'capacity' ? { facility_configs: capacities(count) } : {}),
    ...(variant && COHORTS[variant] ? { cohort: COHORTS[variant] } : {}),
  });
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
  return {
    format: mode,
    patients,
    planMs,
    totalMs,
    bytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...(eventPlan.cohort ? { candidates: eventPlan.cohort.candidates } : {}),
  };
}

const [format = 'json', countText = '10000', seed = '20250601'] = process.argv.slice(2);
const sample = await measure(format, Number(countText), /^\d+$/.test(seed) ? Number(seed) : seed);
process.stdout.write(`${JSON.stringify(sample)}\n`);
