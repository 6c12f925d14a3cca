/**
 * The summary a completed job stores (in its DynamoDB item) and returns: counts per outcome, triage,
 * injury type, nation and front, and the time series the web console charts. Written once by the
 * generator from one pass over the patients (lib/output/summary.ts); bounded bins keep a long
 * scenario's item small.
 */
import * as z from 'zod';

const counts = (what: string) =>
  z.record(z.string(), z.number().int().min(0)).meta({ description: `Patients per ${what}` });
const series = z.array(z.number().int().min(0));

export const EvacuationLegSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    count: z.number().int().min(0),
    mean_hours: z.number(),
    median_hours: z.number().meta({ description: 'Interpolated inside the 0.5 h bins' }),
    p90_hours: z.number().meta({ description: 'Interpolated inside the 0.5 h bins' }),
    max_hours: z.number(),
    bins: series.meta({
      description: 'bins[i]: legs of [i × bin_hours, (i+1) × bin_hours); trailing zeros dropped',
    }),
    overflow: z.number().int().min(0).meta({ description: 'Legs of max_hours or longer' }),
  })
  .meta({ id: 'EvacuationLeg', description: 'Arrival at `from` to arrival at `to`: dwell plus transit' });

export const SummarySeriesSchema = z
  .object({
    start: z.string().meta({ description: 'ISO 8601 UTC of hour 0: the scenario base_date, midnight' }),
    casualties_per_day: z
      .record(z.string(), series)
      .meta({ description: 'Per triage category: patients hurt on each day (index 0 = Day 1)' }),
    arrivals: z.object({
      bin_hours: z
        .number()
        .int()
        .min(1)
        .meta({ description: 'Width of a bin (1 h; wider for long scenarios)' }),
      roles: z.record(z.string(), series).meta({
        description: 'Per role (Role1..Role4): arrivals per bin since hour 0; trailing zeros dropped',
      }),
      late: z.number().int().min(0).meta({ description: 'Arrivals after the counted span' }),
    }),
    evacuation: z.object({
      bin_hours: z.number(),
      max_hours: z.number(),
      legs: z.array(EvacuationLegSchema),
    }),
  })
  .meta({ id: 'SummarySeries' });

export const JobSummarySchema = z
  .looseObject({
    total_patients: z.number().int().min(0),
    requested_patients: z.number().int().min(0).optional(),
    final_status: counts('final status (KIA, RTD, Remains_Role4)').optional(),
    status: counts('status (KIA, DOW, RTD, Remains_Role4)').optional(),
    triage_category: counts('triage category').optional(),
    injury_type: counts('injury type').optional(),
    nationality: counts('nation (ISO 3166 alpha-3)').optional(),
    front: counts('front').optional(),
    generation_ms: z.number().optional(),
    series: SummarySeriesSchema.optional().meta({ description: 'Absent on jobs made before it existed' }),
  })
  .meta({ id: 'JobSummary' });
export type JobSummary = z.infer<typeof JobSummarySchema>;
