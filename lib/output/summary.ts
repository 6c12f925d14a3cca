/**
 * Counts and shares of a job's patients by outcome, triage, injury type, nationality and front, for
 * the CLI's summary and job reports; with the scenario's start and days also the time series the web
 * console charts (casualties per day, arrivals per hour at each role, evacuation times per leg). One
 * pass, bounded memory: fixed bins, never a list of patients.
 *
 * A job written in chunks (memory/decisions/0906-job-fan-out.md) keeps one collector per chunk: its
 * `state()` is plain JSON (stored in the chunk's part list), and `merge(state)` adds it to another
 * collector. Every counter is an integer (leg times are summed in whole seconds, not as floats), so
 * merging the chunks' states in chunk order gives exactly the result of one collector over all records.
 */
import * as z from 'zod';
import { type PatientRecord, PatientRecordSchema } from '../generation/index.js';

export interface SummaryRow {
  readonly value: string;
  readonly count: number;
  /** count / total, 0 when there are no patients. */
  readonly share: number;
}

export interface SummaryDimension {
  readonly field: string;
  readonly title: string;
  readonly rows: readonly SummaryRow[];
}

export interface PatientSummary {
  readonly total: number;
  readonly dimensions: readonly SummaryDimension[];
  /** Only when the collector was given the scenario's timing. */
  readonly series?: SummarySeries;
}

/** Where the scenario's clock starts (hour 0 = base_date 00:00 UTC) and how many days it lasts. */
export interface SummaryTiming {
  /** YYYY-MM-DD (the scenario's base_date). */
  readonly baseDate: string;
  readonly days: number;
}

export const ROLES = ['Role1', 'Role2', 'Role3', 'Role4'] as const;
export type Role = (typeof ROLES)[number];
const TRIAGES = PatientRecordSchema.shape.triage_category.options;
type Triage = (typeof TRIAGES)[number];

/** Width of an evacuation-time bin, and the last bin edge (longer legs fall in `overflow`). */
export const EVACUATION_BIN_HOURS = 0.5;
export const EVACUATION_MAX_HOURS = 48;
const EVACUATION_BINS = EVACUATION_MAX_HOURS / EVACUATION_BIN_HOURS;
/** At most this many arrival bins per role: a long scenario gets wider bins, so the summary stays small. */
export const MAX_ARRIVAL_BINS = 720;
const ARRIVAL_BIN_CHOICES = [1, 2, 3, 4, 6, 8, 12, 24, 48, 72, 168];
/** Arrivals are counted hourly up to this many days after the last day of fighting; later ones in `late`. */
const ARRIVAL_TAIL_DAYS = 60;

/** One leg of the evacuation chain: arrival at `from` to arrival at `to` (dwell plus transit). */
export interface EvacuationLeg {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  readonly mean_hours: number;
  /** Median and 90th percentile interpolated inside the 0.5 h bins. */
  readonly median_hours: number;
  readonly p90_hours: number;
  readonly max_hours: number;
  /** bins[i] counts legs of [i × bin_hours, (i + 1) × bin_hours), trailing empty bins dropped. */
  readonly bins: number[];
  /** Legs of EVACUATION_MAX_HOURS or longer. */
  readonly overflow: number;
}

export interface SummarySeries {
  /** ISO 8601 UTC of hour 0 (the scenario's base_date, midnight). */
  readonly start: string;
  /** Patients hurt on each day of fighting (index 0 = Day 1), by triage category. */
  readonly casualties_per_day: Record<Triage, number[]>;
  /** Arrivals at each role per bin of `bin_hours` since hour 0; trailing empty bins dropped. */
  readonly arrivals: {
    readonly bin_hours: number;
    readonly roles: Record<Role, number[]>;
    /** Arrivals later than the counted span (ARRIVAL_TAIL_DAYS after the last day). */
    readonly late: number;
  };
  readonly evacuation: {
    readonly bin_hours: number;
    readonly max_hours: number;
    /** POI→Role1, Role1→Role2, Role2→Role3, Role3→Role4, then any bypass leg seen (e.g. Role1→Role3). */
    readonly legs: EvacuationLeg[];
  };
}

/** Layout of `SummaryCollector.state()`; a stored state of another version is refused. */
export const SUMMARY_STATE_VERSION = 1;

const count = z.number().int().min(0);
const counts = z.array(count);

const LegStateSchema = z.object({
  from: z.string(),
  to: z.string(),
  count,
  /** Sum of the leg times in whole seconds. */
  seconds: z.number().int(),
  max_hours: z.number().min(0),
  overflow: count,
  bins: counts,
});
export type LegState = z.infer<typeof LegStateSchema>;

const SeriesStateSchema = z.object({
  base_date: z.string(),
  days: z.number().int().min(0),
  casualties_per_day: z.record(z.string(), counts),
  arrivals: z.record(z.string(), counts),
  late: count,
  /** The latest arrival hour counted, -1 for none. */
  last_hour: z.number().int().min(-1),
  legs: z.array(LegStateSchema),
});
export type SeriesState = z.infer<typeof SeriesStateSchema>;

/** A collector's counts as plain JSON: what `merge` adds to another collector. */
export const SummaryStateSchema = z.object({
  version: z.literal(SUMMARY_STATE_VERSION),
  total: count,
  /** Per dimension field: [value, count] pairs (pairs, not an object: a value is never a key). */
  counts: z.record(z.string(), z.array(z.tuple([z.string(), count]))),
  series: SeriesStateSchema.optional(),
});
export type SummaryState = z.infer<typeof SummaryStateSchema>;

interface DimensionDef {
  readonly field: string;
  readonly title: string;
  readonly value: (record: PatientRecord) => string;
  /** Values listed first, in this order, even when none occurs; others follow by count. */
  readonly order: readonly string[];
}

const shape = PatientRecordSchema.shape;

const DIMENSIONS: readonly DimensionDef[] = [
  {
    field: 'final_status',
    title: 'Final status',
    value: (r) => r.final_status,
    order: shape.final_status.options,
  },
  { field: 'status', title: 'Status', value: (r) => r.status, order: shape.status.options },
  {
    field: 'triage_category',
    title: 'Triage',
    value: (r) => r.triage_category,
    order: shape.triage_category.options,
  },
  {
    field: 'injury_type',
    title: 'Injury type',
    value: (r) => r.injury_type,
    order: shape.injury_type.options,
  },
  { field: 'nationality', title: 'Nationality', value: (r) => r.nationality, order: [] },
  { field: 'front', title: 'Front', value: (r) => r.front, order: [] },
];

/** Leg times are summed in whole seconds: integer sums are exact in any grouping (chunks merged). */
const SECONDS_PER_HOUR = 3600;

class LegBins {
  count = 0;
  /** Sum of the leg times in seconds (integer). */
  seconds = 0;
  max = 0;
  overflow = 0;
  readonly bins = new Uint32Array(EVACUATION_BINS);

  constructor(
    readonly from: string,
    readonly to: string,
  ) {}

  add(hours: number): void {
    this.count++;
    this.seconds += Math.round(hours * SECONDS_PER_HOUR);
    if (hours > this.max) this.max = hours;
    const bin = Math.floor(hours / EVACUATION_BIN_HOURS + 1e-9);
    if (bin >= EVACUATION_BINS) this.overflow++;
    else this.bins[Math.max(0, bin)]++;
  }

  /** The q-quantile from the bins, interpolated linearly inside its bin; never above the true max. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = q * this.count;
    let before = 0;
    for (let i = 0; i < EVACUATION_BINS; i++) {
      const n = this.bins[i];
      if (n > 0 && before + n >= target) {
        const value = (i + (target - before) / n) * EVACUATION_BIN_HOURS;
        return Math.min(this.max, value);
      }
      before += n;
    }
    return this.max;
  }

  result(): EvacuationLeg {
    return {
      from: this.from,
      to: this.to,
      count: this.count,
      mean_hours: round2(this.count ? this.seconds / SECONDS_PER_HOUR / this.count : 0),
      median_hours: round2(this.quantile(0.5)),
      p90_hours: round2(this.quantile(0.9)),
      max_hours: round2(this.max),
      bins: trimZeros(Array.from(this.bins)),
      overflow: this.overflow,
    };
  }

  state(): LegState {
    return {
      from: this.from,
      to: this.to,
      count: this.count,
      seconds: this.seconds,
      max_hours: this.max,
      overflow: this.overflow,
      bins: trimZeros(Array.from(this.bins)),
    };
  }

  merge(leg: LegState): void {
    this.count += leg.count;
    this.seconds += leg.seconds;
    if (leg.max_hours > this.max) this.max = leg.max_hours;
    this.overflow += leg.overflow;
    addInto(this.bins, leg.bins, 'evacuation bins');
  }
}

const STANDARD_LEGS: readonly (readonly [string, string])[] = [
  ['POI', 'Role1'],
  ['Role1', 'Role2'],
  ['Role2', 'Role3'],
  ['Role3', 'Role4'],
];

/** The time series part of the collector: hourly arrival counters and per-leg histograms. */
class SeriesCollector {
  private readonly startMs: number;
  private readonly perDay: Record<Triage, number[]>;
  private readonly arrivals: Record<Role, Uint32Array>;
  private late = 0;
  private lastHour = -1;
  private readonly legs = new Map<string, LegBins>();

  constructor(readonly timing: SummaryTiming) {
    this.startMs = Date.parse(`${timing.baseDate}T00:00:00Z`);
    const hours = (timing.days + ARRIVAL_TAIL_DAYS) * 24;
    this.perDay = Object.fromEntries(TRIAGES.map((t) => [t, new Array(timing.days).fill(0)])) as Record<
      Triage,
      number[]
    >;
    this.arrivals = Object.fromEntries(ROLES.map((r) => [r, new Uint32Array(hours)])) as Record<
      Role,
      Uint32Array
    >;
    for (const [from, to] of STANDARD_LEGS) this.legs.set(`${from}>${to}`, new LegBins(from, to));
  }

  add(record: PatientRecord): void {
    const day = Number.parseInt(record.day.slice(4), 10) - 1;
    const perDay = this.perDay[record.triage_category];
    if (perDay && day >= 0 && day < perDay.length) perDay[day]++;
    const injuryHours = (Date.parse(record.injury_time) - this.startMs) / 3_600_000;
    let prevFacility = '';
    let prevHours = 0;
    for (const event of record.movement_timeline) {
      if (event.event_type !== 'arrival') continue;
      const facility = event.facility;
      if (facility !== 'POI') {
        const series = this.arrivals[facility as Role];
        const hour = Math.floor(injuryHours + event.hours_since_injury);
        if (hour >= series.length) this.late++;
        else if (hour >= 0) {
          series[hour]++;
          if (hour > this.lastHour) this.lastHour = hour;
        }
      }
      if (prevFacility) {
        const key = `${prevFacility}>${facility}`;
        let leg = this.legs.get(key);
        if (!leg) {
          leg = new LegBins(prevFacility, facility);
          this.legs.set(key, leg);
        }
        leg.add(event.hours_since_injury - prevHours);
      }
      prevFacility = facility;
      prevHours = event.hours_since_injury;
    }
  }

  state(): SeriesState {
    return {
      base_date: this.timing.baseDate,
      days: this.timing.days,
      casualties_per_day: Object.fromEntries(TRIAGES.map((t) => [t, trimZeros(this.perDay[t])])),
      arrivals: Object.fromEntries(
        ROLES.map((r) => [r, trimZeros(Array.from(this.arrivals[r].subarray(0, this.lastHour + 1)))]),
      ),
      late: this.late,
      last_hour: this.lastHour,
      // In first-seen order: a bypass leg is listed where one collector over every record would list it.
      legs: [...this.legs.values()].map((leg) => leg.state()),
    };
  }

  merge(state: SeriesState): void {
    if (state.base_date !== this.timing.baseDate || state.days !== this.timing.days) {
      throw new RangeError(
        `a summary of ${state.base_date} + ${state.days} days cannot join one of ${this.timing.baseDate} + ${this.timing.days} days`,
      );
    }
    for (const t of TRIAGES) addInto(this.perDay[t], state.casualties_per_day[t] ?? [], 'casualties per day');
    for (const r of ROLES) addInto(this.arrivals[r], state.arrivals[r] ?? [], 'arrivals');
    this.late += state.late;
    if (state.last_hour > this.lastHour) this.lastHour = state.last_hour;
    for (const leg of state.legs) {
      const key = `${leg.from}>${leg.to}`;
      let bins = this.legs.get(key);
      if (!bins) {
        bins = new LegBins(leg.from, leg.to);
        this.legs.set(key, bins);
      }
      bins.merge(leg);
    }
  }

  result(): SummarySeries {
    const used = this.lastHour + 1;
    const binHours =
      ARRIVAL_BIN_CHOICES.find((w) => Math.ceil(used / w) <= MAX_ARRIVAL_BINS) ??
      ARRIVAL_BIN_CHOICES[ARRIVAL_BIN_CHOICES.length - 1];
    const bins = Math.ceil(used / binHours);
    const roles = Object.fromEntries(
      ROLES.map((role) => {
        const hourly = this.arrivals[role];
        const out = new Array<number>(bins).fill(0);
        for (let h = 0; h < used; h++) out[Math.floor(h / binHours)] += hourly[h];
        return [role, out];
      }),
    ) as Record<Role, number[]>;
    const legs = [...this.legs.values()].filter((leg, i) => i < STANDARD_LEGS.length || leg.count > 0);
    return {
      start: new Date(this.startMs).toISOString().replace('.000Z', 'Z'),
      casualties_per_day: this.perDay,
      arrivals: { bin_hours: binHours, roles, late: this.late },
      evacuation: {
        bin_hours: EVACUATION_BIN_HOURS,
        max_hours: EVACUATION_MAX_HOURS,
        legs: legs.map((leg) => leg.result()),
      },
    };
  }
}

export class SummaryCollector {
  private total = 0;
  private readonly counts = DIMENSIONS.map(() => new Map<string, number>());
  private readonly series: SeriesCollector | null;

  /** With the scenario's timing, the result also carries the time series (`series`). */
  constructor(timing?: SummaryTiming) {
    this.series = timing ? new SeriesCollector(timing) : null;
  }

  /** Counts one record (bound, so it can be passed as a callback). */
  readonly add = (record: PatientRecord): void => {
    this.total++;
    for (let i = 0; i < DIMENSIONS.length; i++) {
      const key = DIMENSIONS[i].value(record);
      const map = this.counts[i];
      map.set(key, (map.get(key) ?? 0) + 1);
    }
    this.series?.add(record);
  };

  /** What this collector has counted, as plain JSON (a chunk's share of a job's summary). */
  state(): SummaryState {
    return {
      version: SUMMARY_STATE_VERSION,
      total: this.total,
      counts: Object.fromEntries(DIMENSIONS.map((def, i) => [def.field, [...this.counts[i]]])),
      ...(this.series ? { series: this.series.state() } : {}),
    };
  }

  /**
   * Adds the records another collector counted (its `state()`). Merging the states of consecutive
   * ranges in order gives the result of one collector over all of them. A state with a time series
   * needs a collector with the same timing; RangeError when it does not fit.
   */
  merge(state: SummaryState): this {
    const checked = SummaryStateSchema.parse(state);
    if (checked.series && !this.series) {
      throw new RangeError('a summary with a time series needs a collector given the scenario timing');
    }
    if (this.series && !checked.series && checked.total > 0) {
      throw new RangeError('a summary without a time series cannot join one that has one');
    }
    this.total += checked.total;
    DIMENSIONS.forEach((def, i) => {
      const map = this.counts[i];
      for (const [value, count] of checked.counts[def.field] ?? [])
        map.set(value, (map.get(value) ?? 0) + count);
    });
    if (checked.series) this.series?.merge(checked.series);
    return this;
  }

  result(): PatientSummary {
    const total = this.total;
    const row = (value: string, count: number): SummaryRow => ({
      value,
      count,
      share: total ? count / total : 0,
    });
    return {
      total,
      dimensions: DIMENSIONS.map((def, i) => {
        const counts = this.counts[i];
        const fixed = def.order.map((value) => row(value, counts.get(value) ?? 0));
        const known = new Set(def.order);
        const rest = [...counts]
          .filter(([value]) => !known.has(value))
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .map(([value, count]) => row(value, count));
        return { field: def.field, title: def.title, rows: [...fixed, ...rest] };
      }),
      ...(this.series ? { series: this.series.result() } : {}),
    };
  }
}

/** Adds `from` into `into` element by element; RangeError when `from` is longer. */
function addInto(into: number[] | Uint32Array, from: readonly number[], what: string): void {
  if (from.length > into.length) {
    throw new RangeError(`${what}: ${from.length} values do not fit in ${into.length}`);
  }
  for (let i = 0; i < from.length; i++) into[i] += from[i];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function trimZeros(values: number[]): number[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === 0) end--;
  return values.slice(0, end);
}

/** Summary of a finite list of records. */
export function summarise(records: Iterable<PatientRecord>): PatientSummary {
  const collector = new SummaryCollector();
  for (const record of records) collector.add(record);
  return collector.result();
}
