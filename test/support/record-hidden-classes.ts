/**
 * Run by test/unit/generation/record-hidden-classes.test.ts under `node --allow-natives-syntax`:
 * generates a job whose beds run short (so queues, diversions to a sibling facility and facility ids
 * all occur) and prints, as one JSON line, how many V8 hidden classes (maps) the objects of each
 * shape of its records took. One shape, one map (and those V8 makes as a field widens from small
 * integers to any number): a map made per object is allocated in the old
 * generation, where only a full collection frees it (memory/fixes/0241-a-hidden-class-per-diversion.md).
 */
import { findPreset, generate, loadScenario, plan, presetScenario } from '../../lib/generation/index.js';

// Natives syntax only parses with --allow-natives-syntax; a Function body is parsed when it is made.
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** Enough maps counted per shape to tell one from many, without comparing every pair. */
const MAPS_COUNTED = 20;

const facilities = [
  { id: 'role1', name: 'Role 1', role: 'Role1', capacity: 30 },
  { id: 'role2-a', name: 'Role 2 A', role: 'Role2', capacity: 15 },
  { id: 'role2-b', name: 'Role 2 B', role: 'Role2', capacity: 15 },
  { id: 'role3', name: 'Role 3', role: 'Role3', capacity: 60 },
  { id: 'role4', name: 'Role 4', role: 'Role4', capacity: 200 },
].map((f) => ({ ...f, kia_rate: 0.02, rtd_rate: 0.3 }));

const scenario = loadScenario({
  ...presetScenario(findPreset('nato_article_5')!),
  total_patients: Number(process.argv[2] ?? 3000),
  facility_configs: facilities,
});

/** Per shape (where in the record, and its keys in order): one object of each map seen, and how many objects. */
const shapes = new Map<string, { objects: number; maps: object[] }>();

function visit(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, `${path}[]`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const keys = Object.keys(value);
  const shape = `${path} {${keys.join(',')}}`;
  let seen = shapes.get(shape);
  if (!seen) {
    seen = { objects: 0, maps: [] };
    shapes.set(shape, seen);
  }
  seen.objects++;
  if (seen.maps.length < MAPS_COUNTED && !seen.maps.some((m) => sameMap(m, value))) seen.maps.push(value);
  for (const key of keys) visit((value as Record<string, unknown>)[key], `${path}.${key}`);
}

for (const record of generate(plan(scenario, 7))) visit(record, 'record');
const report = [...shapes].map(([shape, { objects, maps }]) => ({ shape, objects, maps: maps.length }));
process.stdout.write(`${JSON.stringify(report)}\n`);
