/**
 * What the results page shows, DOM-free (test/unit/web/results-model.test.ts): chart rows from the
 * job's summary, the patient table's query, and a patient's timeline, health course, codes, vital
 * signs, medications, allergies and complications.
 */
import type { components } from '../../api/schema.js';

export type Job = components['schemas']['Job'];
export type JobSummary = components['schemas']['JobSummary'];
export type SummarySeries = components['schemas']['SummarySeries'];
export type EvacuationLeg = components['schemas']['EvacuationLeg'];
export type PatientRecord = components['schemas']['PatientRecord'];
export type TimelineEvent = PatientRecord['movement_timeline'][number];

export const ROLES = ['Role1', 'Role2', 'Role3', 'Role4'] as const;
export const TRIAGES = ['T1', 'T2', 'T3'] as const;
/** NATO triage in words; T4 (expectant) only ever comes from a re-triage (README "The medical model"). */
export const TRIAGE_LABELS: Record<string, string> = {
  T1: 'immediate',
  T2: 'delayed',
  T3: 'minimal',
  T4: 'expectant',
};
export const STATUSES = ['KIA', 'DOW', 'RTD', 'Remains_Role4'] as const;

export const STATUS_LABELS: Record<string, string> = {
  KIA: 'Killed in action',
  DOW: 'Died of wounds',
  RTD: 'Returned to duty',
  Remains_Role4: 'Remains at Role 4',
};
export const INJURY_LABELS: Record<string, string> = {
  BATTLE_TRAUMA: 'Battle trauma',
  NON_BATTLE: 'Non-battle injury',
  DISEASE: 'Disease',
};

/** "Role1" → "Role 1"; POI stays. */
export function facilityLabel(facility: string): string {
  return facility.replace(/^Role(\d)$/, 'Role $1');
}

export interface BarRow {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  /** count / total, 0..1 */
  readonly share: number;
}

/** Rows of one summary dimension: the fixed `order` first (zeros kept), then the rest by count. */
export function barRows(
  counts: Readonly<Record<string, number>> | undefined,
  options: { order?: readonly string[]; labels?: Readonly<Record<string, string>> } = {},
): BarRow[] {
  const entries = Object.entries(counts ?? {});
  const total = entries.reduce((a, [, n]) => a + n, 0);
  const order = options.order ?? [];
  const fixed = order.map((key) => [key, counts?.[key] ?? 0] as const);
  const rest = entries
    .filter(([key]) => !order.includes(key))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return [...fixed, ...rest].map(([key, count]) => ({
    key,
    label: options.labels?.[key] ?? key,
    count,
    share: total ? count / total : 0,
  }));
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-GB');
}

/** "5.4 h", or "2 d 3.0 h" from 48 h on. */
export function formatHours(hours: number): string {
  if (hours < 48) return `${hours.toFixed(1)} h`;
  const days = Math.floor(hours / 24);
  return `${days} d ${(hours - days * 24).toFixed(1)} h`;
}

export interface DayColumn {
  readonly day: number;
  readonly T1: number;
  readonly T2: number;
  readonly T3: number;
  readonly total: number;
}

/** Casualties per day of fighting (Day 1 first), by triage. */
export function dayColumns(series: SummarySeries | undefined): DayColumn[] {
  if (!series) return [];
  const per = series.casualties_per_day;
  const days = Math.max(0, ...TRIAGES.map((t) => per[t]?.length ?? 0));
  return Array.from({ length: days }, (_, i) => {
    const [T1, T2, T3] = TRIAGES.map((t) => per[t]?.[i] ?? 0);
    return { day: i + 1, T1, T2, T3, total: T1 + T2 + T3 };
  });
}

export interface ArrivalSeries {
  /** Epoch seconds of each bin's start. */
  readonly times: number[];
  /** One array per role (Role1..Role4), padded to `times.length`. */
  readonly roles: number[][];
  readonly binHours: number;
  /** Per role: total arrivals, and the busiest bin (start, count). */
  readonly stats: { role: string; total: number; peak: number; peakTime: number }[];
}

/** Arrivals per bin at each role as uPlot columns: a shared x axis and one series per role. */
export function arrivalSeries(series: SummarySeries | undefined): ArrivalSeries | null {
  if (!series) return null;
  const start = Date.parse(series.start) / 1000;
  const binHours = series.arrivals.bin_hours;
  const raw = ROLES.map((r) => series.arrivals.roles[r] ?? []);
  const length = Math.max(0, ...raw.map((r) => r.length));
  if (length === 0) return null;
  const times = Array.from({ length }, (_, i) => start + i * binHours * 3600);
  const roles = raw.map((r) => Array.from({ length }, (_, i) => r[i] ?? 0));
  const stats = roles.map((values, i) => {
    let peak = 0;
    let at = 0;
    values.forEach((v, j) => {
      if (v > peak) {
        peak = v;
        at = j;
      }
    });
    return {
      role: ROLES[i],
      total: values.reduce((a, b) => a + b, 0),
      peak,
      peakTime: times[at],
    };
  });
  return { times, roles, binHours, stats };
}

export interface HistogramBar {
  /** Lower edge, hours. */
  readonly from: number;
  readonly to: number | null;
  readonly count: number;
}

/** A leg's histogram bars: the bins (0.5 h) merged to at most `maxBars`, then the overflow bar. */
export function legHistogram(
  leg: EvacuationLeg,
  binHours: number,
  maxHours: number,
  maxBars = 24,
): HistogramBar[] {
  const used = leg.bins.length;
  const merge = Math.max(1, Math.ceil(used / maxBars));
  const bars: HistogramBar[] = [];
  for (let i = 0; i < used; i += merge) {
    let count = 0;
    for (let j = i; j < Math.min(used, i + merge); j++) count += leg.bins[j];
    bars.push({ from: i * binHours, to: Math.min(maxHours, (i + merge) * binHours), count });
  }
  if (leg.overflow > 0) bars.push({ from: maxHours, to: null, count: leg.overflow });
  return bars;
}

export function legLabel(leg: Pick<EvacuationLeg, 'from' | 'to'>): string {
  return `${facilityLabel(leg.from)} → ${facilityLabel(leg.to)}`;
}

// ---- patient table ------------------------------------------------------------------------------

export interface TableFilters {
  readonly q: string;
  readonly triage: string;
  readonly status: string;
  readonly nationality: string;
  readonly front: string;
}

export const NO_FILTERS: TableFilters = { q: '', triage: '', status: '', nationality: '', front: '' };

/** The /results query for a page: empty filters are left out (the API then stops reading early). */
export function resultsQuery(
  filters: TableFilters,
  page: number,
  perPage: number,
): Record<string, string | number> {
  const query: Record<string, string | number> = { page, per_page: perPage };
  for (const key of ['q', 'triage', 'status', 'nationality', 'front'] as const) {
    const value = filters[key].trim();
    if (value) query[key] = value;
  }
  return query;
}

export const TABLE_PAGE_SIZES = [25, 50, 100] as const;
const FILTER_KEYS = ['q', 'triage', 'status', 'nationality', 'front'] as const;

/** What the patient table shows: its filters, page and page size. */
export interface TableView {
  readonly filters: TableFilters;
  readonly page: number;
  readonly perPage: number;
}

export const FIRST_VIEW: TableView = { filters: NO_FILTERS, page: 1, perPage: TABLE_PAGE_SIZES[0] };

/**
 * The table's view from the results route's query (#/jobs/ID?triage=T1&page=2): the view lives in
 * the address, so Back from a patient page, a reload or a shared link shows the same rows. Anything
 * unreadable falls back to the first view's value.
 */
export function tableViewFromQuery(query: URLSearchParams): TableView {
  const filters: Record<(typeof FILTER_KEYS)[number], string> = { ...NO_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = (query.get(key) ?? '').slice(0, 100);
  const page = Number(query.get('page'));
  const perPage = Number(query.get('per_page'));
  return {
    filters,
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    perPage: (TABLE_PAGE_SIZES as readonly number[]).includes(perPage) ? perPage : FIRST_VIEW.perPage,
  };
}

/** The query of a view, without what the first view has ('' for the first view itself). */
export function tableViewQuery(view: TableView): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) if (view.filters[key]) query.set(key, view.filters[key]);
  if (view.page !== 1) query.set('page', String(view.page));
  if (view.perPage !== FIRST_VIEW.perPage) query.set('per_page', String(view.perPage));
  return query.toString();
}

/** Page numbers to offer around `page`: first, last and two either side, gaps as null. */
export function pageWindow(page: number, totalPages: number): (number | null)[] {
  const wanted = new Set([1, totalPages, page - 2, page - 1, page, page + 1, page + 2]);
  const pages = [...wanted].filter((p) => p >= 1 && p <= totalPages).sort((a, b) => a - b);
  const out: (number | null)[] = [];
  pages.forEach((p, i) => {
    if (i > 0 && p - pages[i - 1] > 1) out.push(null);
    out.push(p);
  });
  return out;
}

// ---- patient page -------------------------------------------------------------------------------

export type SegmentKind = 'facility' | 'transit' | 'wait' | 'convalescence';

/** A span of the patient's journey, for the compact timeline bar. */
export interface JourneySegment {
  readonly kind: SegmentKind;
  /** "Role 1" (at a facility: care, then waiting for evacuation) or "POI → Role 1" (transit). */
  readonly label: string;
  /** The facility the patient is at, or is travelling from. */
  readonly facility: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The journey as consecutive spans: at a facility from arrival until the transit starts (care and the
 * wait for evacuation), in transit until the next arrival (a diversion is a transit on to the other
 * facility), queued for a bed from a wait until the arrival; the last span ends at the terminal event.
 * Zero-length spans are left out.
 */
export function journeySegments(timeline: readonly TimelineEvent[]): JourneySegment[] {
  const out: JourneySegment[] = [];
  let open: Omit<JourneySegment, 'to'> | null = null;
  const close = (to: number) => {
    if (open && to > open.from) out.push({ ...open, to });
    open = null;
  };
  const start = (kind: SegmentKind, label: string, facility: string, from: number) => {
    close(from);
    open = { kind, label, facility, from };
  };
  for (const e of timeline) {
    const h = e.hours_since_injury;
    const here = facilityLabel(e.facility);
    if (e.event_type === 'arrival') start('facility', here, e.facility, h);
    else if (e.event_type === 'transit_start')
      start(
        'transit',
        `${facilityLabel(e.from_facility)} → ${facilityLabel(e.to_facility)}`,
        e.from_facility,
        h,
      );
    else if (e.event_type === 'diversion')
      start('transit', `${here} → ${facilityLabel(e.to_facility)} (diverted)`, e.facility, h);
    else if (e.event_type === 'wait') start('wait', `Waiting at ${here}`, e.facility, h);
    else if (e.event_type === 'discharge')
      start('convalescence', `Convalescing after ${here}`, e.facility, h);
    else if (e.event_type !== 'evacuation_start' && e.event_type !== 'triage') close(h);
  }
  return out;
}

export interface TerminalOutcome {
  readonly label: string;
  readonly facility: string;
  readonly hours: number;
}

/**
 * A death in words. `KIA` and `DOW` say where it happened (before or after reaching care), for every
 * casualty; only a battle casualty is killed in action or dies of wounds: an illness or a non-battle
 * injury says what killed it (memory/fixes/0320-illness-deaths-called-died-of-wounds.md).
 */
export function deathLabel(deathType: string, injuryType: string): string {
  if (injuryType === 'DISEASE') return 'Died of illness';
  if (injuryType === 'NON_BATTLE') return 'Died of injuries';
  return deathType === 'DOW' ? 'Died of wounds' : 'Killed in action';
}

/**
 * The moment a record starts from, in words: an injury's, or an illness's onset, which a planner reads
 * as no injury (memory/fixes/0356-illnesses-called-injured-in-the-console.md).
 */
export function startWords(injuryType: string): {
  readonly card: string;
  readonly happened: string;
  readonly since: string;
} {
  return injuryType === 'DISEASE'
    ? { card: 'Illness', happened: 'Fell ill', since: 'onset' }
    : { card: 'Injury', happened: 'Injured', since: 'injury' };
}

/**
 * The record's mechanism in words: its SNOMED CT cause, or why it has none. An illness has no
 * mechanism; an injury whose cause no vetted code names (a heat or cold injury, a non-battle burn) is
 * not an illness (memory/fixes/0403-heat-injuries-called-illnesses-in-the-console.md).
 */
export function mechanismWords(record: Pick<PatientRecord, 'mechanism' | 'injury_type'>): string {
  if (record.mechanism) return record.mechanism.name;
  return record.injury_type === 'DISEASE' ? 'None: an illness' : 'Not coded: no vetted code names its cause';
}

/** The terminal event in words: "Died of wounds at Role 2", "Remains at Role 4". */
export function outcomeOf(
  record: Pick<PatientRecord, 'status' | 'movement_timeline' | 'injury_type'>,
): TerminalOutcome | null {
  const last = record.movement_timeline[record.movement_timeline.length - 1];
  if (!last) return null;
  const died = record.status === 'KIA' || record.status === 'DOW';
  const base = died
    ? deathLabel(record.status, record.injury_type)
    : (STATUS_LABELS[record.status] ?? record.status);
  // "Remains at Role 4" names its place already.
  const label = record.status === 'Remains_Role4' ? base : `${base} at ${facilityLabel(last.facility)}`;
  return { label, facility: last.facility, hours: last.hours_since_injury };
}

/** An event in words; a death's by the casualty's injury type (deathLabel). */
export function eventLabel(e: TimelineEvent, injuryType: string): string {
  switch (e.event_type) {
    case 'arrival':
      return e.facility === 'POI'
        ? `${startWords(injuryType).happened} (point of injury)`
        : `Arrived at ${facilityLabel(e.facility)}`;
    case 'evacuation_start':
      return `Awaiting evacuation to ${facilityLabel(e.next_facility)} (${formatHours(e.evacuation_duration_hours)})`;
    case 'transit_start':
      return `In transit to ${facilityLabel(e.to_facility)} (${formatHours(e.transit_duration_hours)})`;
    case 'kia': {
      const where =
        e.kia_timing === 'during_transit'
          ? ' in transit'
          : e.kia_timing === 'waiting'
            ? ' waiting for a bed'
            : '';
      return `${deathLabel(e.death_type, injuryType)}${where}`;
    }
    case 'discharge':
      // Role 4 ends a hospital stay; any echelon sends a resting casualty to its quarters (fix 0391).
      return e.facility === 'Role4'
        ? 'Discharged to convalesce out of hospital'
        : 'Discharged to rest in quarters';
    case 'rtd':
      return 'Returned to duty';
    case 'remains_role4':
      return 'Remains in care at Role 4';
    case 'wait':
      return `Waited for a bed at ${placeLabel(e.facility, e.facility_id)} (${formatHours(e.wait_hours)})`;
    case 'diversion':
      return `Diverted from ${placeLabel(e.facility, e.facility_id)} to ${placeLabel(e.to_facility, e.to_facility_id)} (full)`;
    case 'triage':
      return `Re-triaged ${e.triage_category} (${TRIAGE_LABELS[e.triage_category]})`;
  }
}

/** "Role 2 (r2-north)": the echelon and, where the scenario configures it, the facility's id. */
export function placeLabel(facility: string, facilityId?: string): string {
  return facilityId ? `${facilityLabel(facility)} (${facilityId})` : facilityLabel(facility);
}

// ---- medical model (record schema 2) ------------------------------------------------------------

/** Health at which a casualty dies (README "The medical model": death when health reaches 0, only then). */
export const DEATH_HEALTH = 0;

export interface HealthPoint {
  readonly hours: number;
  readonly health: number;
  readonly label: string;
}

export interface HealthCourse {
  readonly points: readonly HealthPoint[];
  readonly first: number;
  readonly lowest: HealthPoint;
  readonly last: number;
  /** Hours from injury to the last event (at least a tenth, for a scale). */
  readonly end: number;
}

/** Health at each timeline event, in time order, with the figures the page states in words. */
export function healthCourse(timeline: readonly TimelineEvent[], injuryType: string): HealthCourse | null {
  if (timeline.length === 0) return null;
  const points = timeline.map((e) => ({
    hours: e.hours_since_injury,
    health: e.health,
    label: eventLabel(e, injuryType),
  }));
  const lowest = points.reduce((a, p) => (p.health < a.health ? p : a), points[0]);
  return {
    points,
    first: points[0].health,
    lowest,
    last: points[points.length - 1].health,
    end: Math.max(0.1, points[points.length - 1].hours),
  };
}

const SYSTEM_LABELS: Record<string, string> = {
  'http://snomed.info/sct': 'SNOMED CT',
  'http://www.whocc.no/atc': 'ATC',
};

/** "SNOMED CT", "ATC" for a code system URI; an unknown one as it is. */
export function systemLabel(system: string): string {
  return SYSTEM_LABELS[system] ?? system;
}

export interface MedicationRow {
  readonly code: string;
  readonly name: string;
  readonly system: string;
  readonly facility: string;
  readonly timestamp: string;
  /** From the record's injury_time; null when a time cannot be read. */
  readonly hours_since_injury: number | null;
}

/** The medications in the record's (time) order, with the hours since injury the record leaves out. */
export function medicationRows(record: Pick<PatientRecord, 'medications' | 'injury_time'>): MedicationRow[] {
  const injured = Date.parse(record.injury_time);
  return record.medications.map((m) => {
    const given = Date.parse(m.timestamp);
    const hours = Number.isFinite(injured) && Number.isFinite(given) ? (given - injured) / 3_600_000 : null;
    return { ...m, hours_since_injury: hours };
  });
}

/**
 * The codes lib/generation/medications.ts appends as complications: hypothermia, dehydration,
 * frostbite, soft tissue infection, sepsis.
 */
const COMPLICATION_CODES = new Set(['386689009', '34095006', '370977006', '95880003', '91302008']);
const SEPSIS = '91302008';
const DEHYDRATION = '34095006';

/**
 * Whether a condition is a complication (it followed from injury, delay or environment) rather than
 * the wound or illness itself. The record has no flag for it, so it is read from its fields:
 * - a primary condition never is one, and only the codes above can be;
 * - in an injured casualty (battle or non-battle) those codes come only from the complication model
 *   (as a non-primary condition: lib/data/clinical-codes.ts draws them only as a primary
 *   non-battle injury, with no injury bringing them as a related condition);
 * - in an illness, sepsis is the illness's own course (pneumonia brings it; a complication infection
 *   needs a battle wound), and dehydration is when the illness is in the abdomen (gastroenteritis
 *   and dysentery bring it); elsewhere dehydration in an ill casualty came from heat and delay.
 */
export function isComplication(
  condition: Pick<PatientRecord['conditions'][number], 'code' | 'primary'>,
  record: Pick<PatientRecord, 'injury_type' | 'conditions'>,
): boolean {
  if (condition.primary || !COMPLICATION_CODES.has(condition.code)) return false;
  if (record.injury_type !== 'DISEASE') return true;
  if (condition.code === SEPSIS) return false;
  if (condition.code === DEHYDRATION) {
    const primary = record.conditions.find((c) => c.primary);
    return primary?.body_part !== 'Abdomen';
  }
  return true;
}

export interface CareFlags {
  /** Hours queued for beds, over every wait. */
  readonly waitHours: number;
  readonly waits: number;
  readonly diversions: number;
  /** Re-triages recorded in the timeline; the last one's category. */
  readonly retriages: number;
  readonly lastTriage: string | null;
  readonly medications: number;
  readonly allergies: number;
}

/** What the patient table marks per patient: waits, diversions, re-triage, medication and allergy counts. */
export function careFlags(
  record: Pick<PatientRecord, 'movement_timeline' | 'medications' | 'allergies'>,
): CareFlags {
  let waitHours = 0;
  let waits = 0;
  let diversions = 0;
  let retriages = 0;
  let lastTriage: string | null = null;
  for (const e of record.movement_timeline) {
    if (e.event_type === 'wait') {
      waits++;
      waitHours += e.wait_hours;
    } else if (e.event_type === 'diversion') {
      diversions++;
    } else if (e.event_type === 'triage') {
      retriages++;
      lastTriage = e.triage_category;
    }
  }
  return {
    waitHours,
    waits,
    diversions,
    retriages,
    lastTriage,
    medications: record.medications.length,
    allergies: record.allergies.length,
  };
}

/** The vital signs the record carries, in table order, with their LOINC codes and units. */
export const VITALS = [
  { key: 'heart_rate', label: 'Heart rate', loinc: '8867-4', unit: '/min' },
  { key: 'respiratory_rate', label: 'Respiratory rate', loinc: '9279-1', unit: '/min' },
  { key: 'systolic_bp', label: 'Systolic BP', loinc: '8480-6', unit: 'mmHg' },
  { key: 'diastolic_bp', label: 'Diastolic BP', loinc: '8462-4', unit: 'mmHg' },
  { key: 'spo2', label: 'SpO₂', loinc: '2708-6', unit: '%' },
  { key: 'temperature', label: 'Temperature', loinc: '8310-5', unit: '°C' },
  { key: 'gcs', label: 'GCS', loinc: '9269-2', unit: '' },
] as const;

/** Treatments grouped by facility, in the order the patient reached them. */
export function treatmentsByFacility(
  record: Pick<PatientRecord, 'treatments' | 'facilities_visited'>,
): { facility: string; treatments: PatientRecord['treatments'] }[] {
  return record.facilities_visited
    .map((facility) => ({ facility, treatments: record.treatments.filter((t) => t.facility === facility) }))
    .filter((g) => g.treatments.length > 0);
}

/** "2025-06-01 05:40 UTC" from an ISO time. */
export function formatTimestamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
