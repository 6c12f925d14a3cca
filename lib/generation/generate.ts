/** Patients of any index range of a plan: [0,N) equals [0,k) followed by [k,N), byte for byte. */
import { createContext, type GenerationContext } from './context.js';
import { buildPatient } from './patient.js';
import type { PatientRecord } from './patient-record.js';
import { type EventPlan, eventOf } from './plan.js';

const contexts = new WeakMap<EventPlan, GenerationContext>();

function contextFor(plan: EventPlan): GenerationContext {
  let ctx = contexts.get(plan);
  if (!ctx) {
    ctx = createContext(plan);
    contexts.set(plan, ctx);
  }
  return ctx;
}

export function* generate(plan: EventPlan, from = 0, to = plan.totalPatients): Generator<PatientRecord> {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > plan.totalPatients || from > to) {
    throw new RangeError(`patient range [${from}, ${to}) is outside [0, ${plan.totalPatients})`);
  }
  if (from === to) return;
  const ctx = contextFor(plan);
  if (plan.cohort) {
    yield* cohortPatients(ctx, plan.cohort.match, from, to);
    return;
  }
  let event = eventOf(plan, from);
  for (let i = from; i < to; i++) {
    while (i >= plan.start[event] + plan.count[event]) event++;
    yield buildPatient(ctx, i, event);
  }
}

/**
 * Job patient i of a cohort is candidate match[i], renumbered: its `id` is i, as in any job, and every
 * other field (uuid, event_id, times) is the candidate's (memory/decisions/0912-cohorts.md).
 */
function* cohortPatients(
  ctx: GenerationContext,
  match: Uint32Array,
  from: number,
  to: number,
): Generator<PatientRecord> {
  const { plan } = ctx;
  let event = eventOf(plan, match[from]);
  for (let i = from; i < to; i++) {
    const candidate = match[i];
    while (candidate >= plan.start[event] + plan.count[event]) event++;
    const record = buildPatient(ctx, candidate, event) as { id: number };
    record.id = i;
    yield record as PatientRecord;
  }
}

/** The tables the engine derived from the scenario (expected shares for calibration and reports). */
export function generationTables(plan: EventPlan): GenerationContext {
  return contextFor(plan);
}
