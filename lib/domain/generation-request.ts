/**
 * POST /api/v1/generation (memory/reference/v1-compatibility.md): the original's fields and validation messages, plus an
 * optional seed. The inline configuration is validated later, against the scenario schema, with
 * paths under "configuration." (GenerationService), so every problem is reported at request time.
 */
import * as z from 'zod';
import { MAX_PATIENTS, strictWith } from '../generation/index.js';
import { OUTPUT_FORMATS } from '../output/index.js';
import { PrioritySchema } from './job.js';

/**
 * The per-job patient cap of every deployed stage (`maxPatientsPerJob` in infra/config/stages.ts) and
 * the default of MAX_PATIENTS_PER_JOB when a function's environment has none. A stage may set a lower
 * cap, and each API key a lower `max_patients_per_job` (lib/domain/api-key.ts).
 */
export const DEFAULT_MAX_PATIENTS_PER_JOB = 1_000_000;
export const MIN_PASSWORD_LENGTH = 8;
/** At most 3072 UTF-8 bytes, within the 4096 bytes KMS seals (memory/decisions/0105). */
export const MAX_PASSWORD_LENGTH = 1024;
/** Longest configuration id: a UUID, "default" or a preset id (memory/decisions/0501-input-bounds.md). */
export const MAX_CONFIGURATION_ID_LENGTH = 128;
/** Longest output format name; a longer one is not a format and is not quoted back. */
const MAX_FORMAT_LENGTH = 16;

const MAX_SEED_LENGTH = 128;
const SEED_RANGE_MESSAGE = `seed must be between 0 and ${Number.MAX_SAFE_INTEGER}`;
const SEED_LENGTH_MESSAGE = `seed must be 1 to ${MAX_SEED_LENGTH} characters long`;

/** The rule a number seed breaks: not whole, or whole but outside 0..MAX_SAFE_INTEGER. */
const seedNumberMessage = (issue: { input?: unknown }) =>
  Number.isInteger(issue.input) ? SEED_RANGE_MESSAGE : 'seed must be an integer';

const formatList = () => `[${OUTPUT_FORMATS.map((f) => `'${f}'`).join(', ')}]`;

/**
 * The request schema under a per-job cap: total_patients above `maxPatientsPerJob` is refused with
 * "total_patients must be at most <cap>", and the OpenAPI document shows the same maximum. The cap is
 * a whole number from 1 to the engine's MAX_PATIENTS.
 */
export function generationRequestSchema(maxPatientsPerJob: number) {
  if (!Number.isSafeInteger(maxPatientsPerJob) || maxPatientsPerJob < 1 || maxPatientsPerJob > MAX_PATIENTS) {
    throw new RangeError(`the per-job patient cap must be a whole number from 1 to ${MAX_PATIENTS}`);
  }
  const fields = {
    configuration_id: z
      .string()
      .min(1, 'configuration_id must not be empty')
      .max(
        MAX_CONFIGURATION_ID_LENGTH,
        `configuration_id must be at most ${MAX_CONFIGURATION_ID_LENGTH} characters`,
      )
      .nullish(),
    configuration: z.record(z.string(), z.unknown()).nullish(),
    total_patients: z
      .number()
      .int('total_patients must be an integer')
      .min(1, 'total_patients must be at least 1')
      .max(maxPatientsPerJob, `total_patients must be at most ${maxPatientsPerJob}`)
      .nullish(),
    output_formats: z
      .array(
        // An enum, so the OpenAPI document lists the formats; the original's message quotes a short
        // value, a long one is no format and is not quoted back.
        z.enum(OUTPUT_FORMATS, {
          error: (issue) =>
            typeof issue.input === 'string' && issue.input.length <= MAX_FORMAT_LENGTH
              ? `Invalid output format: ${issue.input}. Valid formats: ${formatList()}`
              : `Invalid output format. Valid formats: ${formatList()}`,
        }),
      )
      .min(1, 'output_formats must list at least one format')
      .max(OUTPUT_FORMATS.length * 2, `output_formats must list at most ${OUTPUT_FORMATS.length * 2} formats`)
      .default(['json'])
      // Typed as text, as the job stores it (a job record is read back as such).
      .transform((formats): string[] => [...new Set(formats)]),
    use_compression: z.boolean().default(false),
    use_encryption: z.boolean().default(false),
    encryption_password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `encryption_password must be at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(MAX_PASSWORD_LENGTH, `encryption_password must be at most ${MAX_PASSWORD_LENGTH} characters`)
      .nullish(),
    priority: PrioritySchema.default('normal'),
    // Bounds as checks (not a refinement), so the OpenAPI document shows them.
    seed: z
      .union(
        [
          z
            .number()
            // zod's int is a safe integer: a larger whole number breaks the range, said once.
            .int({ error: seedNumberMessage, abort: true })
            .min(0, SEED_RANGE_MESSAGE)
            .max(Number.MAX_SAFE_INTEGER, SEED_RANGE_MESSAGE),
          z.string().min(1, SEED_LENGTH_MESSAGE).max(MAX_SEED_LENGTH, SEED_LENGTH_MESSAGE),
        ],
        {
          error: (issue) =>
            typeof issue.input === 'number'
              ? seedNumberMessage(issue)
              : 'seed must be an integer or a string',
        },
      )
      .nullish(),
  };
  return (
    // An unknown field is refused, not dropped: a typo such as `total_patient` would otherwise make a
    // job of the default size (memory/fixes/0155-generation-request-ignored-unknown-fields.md).
    strictWith(fields, 'field')
      .superRefine((req, ctx) => {
        const hasId = req.configuration_id != null;
        const hasInline = req.configuration != null;
        if (!hasId && !hasInline) {
          ctx.addIssue({
            code: 'custom',
            path: [],
            message: 'Either configuration_id or configuration must be provided',
          });
        } else if (hasId && hasInline) {
          ctx.addIssue({
            code: 'custom',
            path: [],
            message: 'Provide either configuration_id or configuration, not both',
          });
        }
        if (req.use_encryption && !req.encryption_password) {
          ctx.addIssue({
            code: 'custom',
            path: ['encryption_password'],
            message: `encryption_password is required when use_encryption is true (at least ${MIN_PASSWORD_LENGTH} characters)`,
          });
        }
      })
      // The password is only meaningful with encryption (the original cleared it silently, §2.3).
      .transform((req) => (req.use_encryption ? req : { ...req, encryption_password: null }))
  );
}

/** The request schema under the default cap (DEFAULT_MAX_PATIENTS_PER_JOB): the types and the CLI's checks. */
export const GenerationRequestSchema = generationRequestSchema(DEFAULT_MAX_PATIENTS_PER_JOB);

export type GenerationRequestInput = z.input<typeof GenerationRequestSchema>;
export type GenerationRequest = z.output<typeof GenerationRequestSchema>;

/** Response 201 of POST /api/v1/generation (original GenerationResponse, plus the seed). */
export const GenerationResponseSchema = z.object({
  job_id: z.string(),
  status: z.string(),
  message: z.string(),
  estimated_duration: z.number().int().nullable(),
  seed: z.union([z.string(), z.number()]),
});
export type GenerationResponse = z.infer<typeof GenerationResponseSchema>;
