/** Payload schemas of the preset routes (memory/reference/v1-compatibility.md); ConfigurationService builds the payloads. */
import * as z from 'zod';
import { strictQuery } from './schemas.js';

const DifficultySchema = z.enum(['low', 'medium', 'high', 'extreme']);

export const PresetSummarySchema = z
  .object({
    id: z.string().meta({ example: 'nato_article_5' }),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    difficulty: DifficultySchema,
    total_patients: z.number().int(),
    duration_days: z.number().int(),
    warfare_types: z.array(z.string()),
  })
  .meta({ id: 'PresetSummary' });

export const PresetListSchema = z
  .object({
    presets: z.array(PresetSummarySchema),
    categories: z.record(z.string(), z.object({ name: z.string(), icon: z.string() })),
    difficulty_levels: z.record(z.string(), z.object({ name: z.string(), color: z.string() })),
    total_count: z.number().int(),
  })
  .meta({ id: 'PresetList' });

export const PresetListQuerySchema = strictQuery({
  category: z
    .string()
    .max(64, 'category must be at most 64 characters')
    .optional()
    .meta({ description: 'Only presets of this category' }),
  difficulty: DifficultySchema.optional().meta({ description: 'Only presets of this difficulty' }),
});

export const PresetDetailSchema = z
  .object({
    preset: PresetSummarySchema.extend({
      fronts: z.array(
        z.object({ name: z.string(), casualty_rate: z.number(), nations: z.record(z.string(), z.number()) }),
      ),
      injury_distribution: z.record(z.string(), z.number()),
      warfare_type: z.string().meta({ description: 'The first warfare type, for v1 clients' }),
      intensity: z.string(),
      tempo: z.string(),
      triage_override: z
        .record(z.string(), z.object({ T1: z.number(), T2: z.number(), T3: z.number() }))
        .nullable(),
    }),
    generation_config: z.record(z.string(), z.unknown()).meta({
      description:
        'A complete scenario (the ScenarioInput schema): post it as `configuration` to /api/v1/generation or save it with /api/v1/configurations.',
    }),
  })
  .meta({ id: 'PresetDetail' });

export const PresetCategoriesSchema = z
  .object({
    categories: z.array(
      z.object({ id: z.string(), name: z.string(), icon: z.string(), preset_count: z.number().int() }),
    ),
    total_categories: z.number().int(),
  })
  .meta({ id: 'PresetCategories' });
