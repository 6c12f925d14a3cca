/**
 * The messages of the one generation queue (memory/decisions/0906-job-fan-out.md). Every one carries
 * `job_id`, so the DLQ consumer can fail the job of any dead message:
 *
 * - `{job_id}`: the job message (POST /generation): plan the job, send its chunk tasks, run chunk 0.
 * - `{job_id, plan_id, chunk}`: chunk task `chunk` of the plan `plan_id` (a patient range).
 * - `{job_id, plan_id, seal}`: seal task `seal` of an encrypted job's plan.
 * - `{job_id, plan_id, finalise: true}`: the finaliser of the plan, once every chunk (and seal task)
 *   is done (memory/decisions/0908-finaliser-task.md); `assembled: n` when a finaliser out of time
 *   hands the rest on: its first n objects are stored (memory/decisions/0914-finaliser-hands-on.md).
 *
 * Each shape is strict: a body with another key, or with two task keys (`chunk`, `seal`,
 * `finalise`), is not a message of this queue (a poison message), never read as a job message that
 * would plan the job again.
 */
import * as z from 'zod';
import { ValidationError, zodIssues } from '../core/index.js';

/** Job ids are UUIDs; the bound only keeps a hostile body small in logs and keys. */
const JobIdSchema = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
const PlanIdSchema = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
/** A task's index: chunks and seal tasks are counted in a DynamoDB number set, far below this. */
export const MAX_TASK_INDEX = 99_999;
const TaskIndexSchema = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be at least 0')
  .max(MAX_TASK_INDEX, `must be at most ${MAX_TASK_INDEX}`);

export const JobMessageSchema = z.strictObject({ job_id: JobIdSchema });
export const ChunkMessageSchema = z.strictObject({
  job_id: JobIdSchema,
  plan_id: PlanIdSchema,
  chunk: TaskIndexSchema,
});
export const SealMessageSchema = z.strictObject({
  job_id: JobIdSchema,
  plan_id: PlanIdSchema,
  seal: TaskIndexSchema,
});

/** A job stores one object per format and the ZIP: far below this. */
export const MAX_ASSEMBLED_OBJECTS = 99;

export const FinaliseMessageSchema = z.strictObject({
  job_id: JobIdSchema,
  plan_id: PlanIdSchema,
  finalise: z.literal(true, { error: 'must be true' }),
  /** Objects (the files in the plan's order, then the ZIP) an earlier invocation stored: skipped. */
  assembled: z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_ASSEMBLED_OBJECTS, `must be at most ${MAX_ASSEMBLED_OBJECTS}`)
    .optional(),
});

export type JobMessage = z.infer<typeof JobMessageSchema>;
export type ChunkMessage = z.infer<typeof ChunkMessageSchema>;
export type SealMessage = z.infer<typeof SealMessageSchema>;
export type FinaliseMessage = z.infer<typeof FinaliseMessageSchema>;

/** A parsed message of the generation queue, by kind. */
export type GenerationMessage =
  | ({ readonly kind: 'job' } & JobMessage)
  | ({ readonly kind: 'chunk' } & ChunkMessage)
  | ({ readonly kind: 'seal' } & SealMessage)
  | ({ readonly kind: 'finalise' } & FinaliseMessage);

/** The body of chunk task `chunk` of `planId`. */
export function chunkMessage(jobId: string, planId: string, chunk: number): ChunkMessage {
  return { job_id: jobId, plan_id: planId, chunk };
}

/** The body of seal task `seal` of `planId`. */
export function sealMessage(jobId: string, planId: string, seal: number): SealMessage {
  return { job_id: jobId, plan_id: planId, seal };
}

/** The body of the finalise task of `planId`; after `assembled` objects when one hands the rest on. */
export function finaliseMessage(jobId: string, planId: string, assembled = 0): FinaliseMessage {
  const body: FinaliseMessage = { job_id: jobId, plan_id: planId, finalise: true };
  return assembled > 0 ? { ...body, assembled } : body;
}

/** The keys that name a task; a body has at most one. */
const TASK_KEYS = ['chunk', 'seal', 'finalise'] as const;

/**
 * Reads a message of the generation queue. ValidationError for a body that is not JSON or not one
 * of the four shapes: its issues name the fields and rules, never the body's values.
 */
export function parseGenerationMessage(body: string): GenerationMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ValidationError('The message is not JSON');
  }
  const keys = parsed !== null && typeof parsed === 'object' ? Object.keys(parsed) : [];
  // The shape is chosen by its one task key, so the issues are those of the shape the sender meant;
  // a body with two falls to the strict job shape, which refuses the extra keys.
  const tasks = TASK_KEYS.filter((key) => keys.includes(key));
  if (tasks.length === 1 && tasks[0] === 'chunk') {
    return { kind: 'chunk', ...check(ChunkMessageSchema, parsed) };
  }
  if (tasks.length === 1 && tasks[0] === 'seal') {
    return { kind: 'seal', ...check(SealMessageSchema, parsed) };
  }
  if (tasks.length === 1 && tasks[0] === 'finalise') {
    return { kind: 'finalise', ...check(FinaliseMessageSchema, parsed) };
  }
  return { kind: 'job', ...check(JobMessageSchema, parsed) };
}

function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromIssues(zodIssues(result.error));
  return result.data;
}

/**
 * The job of a dead message (the DLQ consumer): any JSON object with a `job_id` string, whatever its
 * kind, so a task message that failed every delivery still fails its job. Undefined otherwise.
 */
export function deadMessageJobId(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const result = z.object({ job_id: JobIdSchema }).safeParse(parsed);
  return result.success ? result.data.job_id : undefined;
}
