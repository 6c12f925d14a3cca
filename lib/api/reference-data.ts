/**
 * Public reference data (memory/reference/v1-compatibility.md), built once from lib/data and the default scenario, with the
 * zod schemas that describe each payload in the OpenAPI document.
 */
import * as z from 'zod';
import {
  CONDITIONS,
  ENDEMIC_DISEASES,
  FACILITIES,
  FACILITY_NAMES,
  INJURY_TYPES,
  NATION_NAMES,
  WARFARE_PATTERNS,
  WARFARE_TYPES,
} from '../data/index.js';
import { DEFAULT_SCENARIO } from '../generation/index.js';

export const NationalitySchema = z
  .object({
    code: z.string().length(3).meta({ description: 'ISO 3166-1 alpha-3', example: 'USA' }),
    name: z.string().meta({ example: 'United States' }),
  })
  .meta({ id: 'Nationality' });

export const ConditionTypeSchema = z.enum(INJURY_TYPES).meta({ id: 'ConditionType' });

export const ConditionReferenceSchema = z
  .object({
    code: z.string().meta({ description: 'SNOMED CT concept id', example: '262574004' }),
    name: z.string().meta({ example: 'Bullet wound' }),
    system: z.literal('http://snomed.info/sct'),
    injury_types: z.array(ConditionTypeSchema),
    body_parts: z.array(z.string()),
    severity_range: z
      .tuple([z.number().int(), z.number().int()])
      .meta({ description: 'severity score 1..10' }),
    endemic_disease: z.enum(ENDEMIC_DISEASES).optional().meta({
      description:
        "Occurs only in a scenario whose endemic_diseases sets this flag (the theatre's endemic diseases)",
    }),
  })
  .meta({ id: 'ConditionReference' });

export const FacilityTypeSchema = z
  .object({
    id: z.enum(['POI', 'R1', 'R2', 'R3', 'R4']),
    name: z.string().meta({ example: 'Role 1' }),
    facility: z.enum(FACILITIES).meta({ description: 'The facility name used in patient records' }),
    description: z.string(),
  })
  .meta({ id: 'FacilityType' });

export const WarfareTypeSchema = z
  .object({
    id: z.enum(WARFARE_TYPES),
    name: z.string(),
    weight: z.number().meta({ description: "Relative share of a day's casualties among the active types" }),
    peak_hours: z
      .array(z.number().int().min(0).max(23))
      .meta({ description: 'The busiest hours of the day (UTC)' }),
  })
  .meta({ id: 'WarfareType' });

export const StaticFrontSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    ratio: z.number().min(0).max(1).meta({ description: "The front's share of casualties" }),
    nations: z.array(
      z.object({ nationality_code: z.string().length(3), percentage: z.number().min(0).max(100) }),
    ),
  })
  .meta({ id: 'StaticFront' });

export const NATIONALITIES: readonly z.infer<typeof NationalitySchema>[] = NATION_NAMES.filter(
  (n) => n.nato,
).map((n) => ({ code: n.code, name: n.name }));

export const CONDITION_TYPES: readonly z.infer<typeof ConditionTypeSchema>[] = [...INJURY_TYPES];

export const CONDITION_TABLE: readonly z.infer<typeof ConditionReferenceSchema>[] = CONDITIONS.map((c) => ({
  code: c.code,
  name: c.name,
  system: 'http://snomed.info/sct' as const,
  injury_types: INJURY_TYPES.filter((t) => (c.weights[t] ?? 0) > 0),
  body_parts: [...new Set(c.sites)],
  severity_range: [c.severity[0], c.severity[1]] as [number, number],
  ...(c.endemic ? { endemic_disease: c.endemic } : {}),
}));

export const FACILITY_TYPES: readonly z.infer<typeof FacilityTypeSchema>[] = FACILITIES.map((f) => ({
  id: f === 'POI' ? ('POI' as const) : (`R${f.slice(4)}` as 'R1'),
  name: f === 'POI' ? 'Point of Injury' : f.replace('Role', 'Role '),
  facility: f,
  description: FACILITY_NAMES[f],
}));

function titleCase(id: string): string {
  return id === 'cbrn' ? 'CBRN' : id.charAt(0).toUpperCase() + id.slice(1);
}

export const WARFARE_TYPE_LIST: readonly z.infer<typeof WarfareTypeSchema>[] = WARFARE_TYPES.map((id) => {
  const pattern = WARFARE_PATTERNS[id];
  const max = Math.max(...pattern.hourly);
  return {
    id,
    name: titleCase(id),
    weight: pattern.weight,
    peak_hours: pattern.hourly.flatMap((v, hour) => (v >= max * 0.8 ? [hour] : [])),
  };
});

const frontTotal = DEFAULT_SCENARIO.front_configs.reduce((acc, f) => acc + f.casualty_rate, 0);

export const STATIC_FRONTS: readonly z.infer<typeof StaticFrontSchema>[] = DEFAULT_SCENARIO.front_configs.map(
  (f) => ({
    id: f.id,
    name: f.name,
    ratio: Number((f.casualty_rate / frontTotal).toFixed(4)),
    nations: f.nationality_distribution.map((n) => ({
      nationality_code: n.nationality_code,
      percentage: n.percentage,
    })),
  }),
);

/** Reference data changes only with a deployment: clients and CDNs may cache it for an hour. */
export const REFERENCE_CACHE_HEADERS: Record<string, string> = { 'Cache-Control': 'public, max-age=3600' };
