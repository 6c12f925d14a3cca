/**
 * Everything about one patient's bundle that is not plain copying: resource ids (in bundle order but for
 * the medication administrations and allergies, whose ids come last), the
 * encounters read off the movement timeline (period, location period, discharge disposition). The
 * writer (patient-bundle-json.ts) and the tests' object oracle both draw from this.
 */
import type { Facility } from '../../data/index.js';
import type { PatientRecord } from '../../generation/index.js';
import { IdSequence } from './ids.js';
import {
  type FacilityRefs,
  type FhirJobContext,
  type FhirReference,
  placeName,
  siteOf,
} from './job-context.js';
import { DISCHARGE } from './terminology.js';

export interface EncounterLayout {
  readonly id: string;
  readonly facility: Facility;
  /** The Location and Organization it took place at: its configured facility, else its echelon's. */
  readonly site: FacilityRefs;
  readonly status: 'finished' | 'in-progress';
  readonly start: string;
  readonly end: string | undefined;
  readonly locationEnd: string | undefined;
  readonly disposition:
    | {
        readonly coding: (typeof DISCHARGE)[keyof typeof DISCHARGE];
        readonly text: string;
        readonly destination: FhirReference | undefined;
      }
    | undefined;
}

export interface PatientLayout {
  readonly bundleId: string;
  readonly patientId: string;
  readonly fullName: string;
  /** Time of death for KIA and DOW. */
  readonly death: string | undefined;
  readonly lastTimestamp: string;
  readonly encounters: readonly EncounterLayout[];
  /** Encounter per echelon visited (each echelon is visited at most once). */
  readonly encounterByFacility: ReadonlyMap<Facility, EncounterLayout>;
  readonly conditionIds: readonly string[];
  /**
   * Per condition, the encounter it was first recorded in (its `facility`): the point of injury's for
   * what the injury brought, the finding echelon's for a complication.
   */
  readonly conditionEncounters: readonly EncounterLayout[];
  readonly procedureIds: readonly string[];
  /** Six per vital-signs set: heart rate, respiratory rate, blood pressure, SpO2, temperature, GCS. */
  readonly vitalIds: readonly string[];
  readonly bloodGroupId: string;
  readonly weightId: string;
  readonly heightId: string;
  readonly provenanceId: string;
  /** Ids allocated after the Provenance's, so adding them left every other resource id as it was. */
  readonly medicationIds: readonly string[];
  readonly allergyIds: readonly string[];
}

export const OBSERVATIONS_PER_VITAL_SET = 6;

interface Visit {
  readonly facility: Facility;
  /** The configured facility admitted to (the arrival's facility_id). */
  readonly id: string | undefined;
  readonly arrival: string;
  left?: string;
  /** Where the casualty was being taken when it left: the last transit's or diversion's destination. */
  to?: Facility;
  /** The configured facility of `to`, where the record names it (a diversion's to_facility_id). */
  toId?: string;
  /** Facilities that turned the casualty away on the way to `to` (full), in order. */
  diverted: { readonly facility: Facility; readonly id: string | undefined }[];
  terminal?: PatientRecord['movement_timeline'][number];
  /** When the echelon discharged the casualty to convalesce or rest out of its beds, before its return to duty. */
  discharged?: string;
}

function visitsOf(record: PatientRecord): Visit[] {
  const visits: Visit[] = [];
  let current: Visit | undefined;
  for (const event of record.movement_timeline) {
    if (event.event_type === 'arrival') {
      current = { facility: event.facility, id: event.facility_id, arrival: event.timestamp, diverted: [] };
      visits.push(current);
    } else if (!current) {
      // Events before the first arrival cannot happen (the timeline starts with the POI arrival).
    } else if (event.event_type === 'transit_start') {
      current.left = event.timestamp;
      current.to = event.to_facility;
      current.toId = undefined;
    } else if (event.event_type === 'diversion') {
      // A full facility sent the casualty on before admitting it: the evacuation from the current
      // echelon now ends elsewhere (memory/fixes/0131-fhir-ignored-diversions.md).
      current.diverted.push({ facility: event.facility, id: event.facility_id });
      current.to = event.to_facility;
      current.toId = event.to_facility_id;
    } else if (event.event_type === 'discharge') {
      current.discharged = event.timestamp;
    } else if (
      event.event_type === 'kia' ||
      event.event_type === 'rtd' ||
      event.event_type === 'remains_role4'
    ) {
      current.terminal = event;
    }
  }
  return visits;
}

/**
 * A death in words: only a battle casualty is killed in action or dies of wounds; an illness or a
 * non-battle injury says what killed it (memory/fixes/0320-illness-deaths-called-died-of-wounds.md).
 */
function deathWords(injuryType: PatientRecord['injury_type'], deathType: 'KIA' | 'DOW'): string {
  if (injuryType === 'DISEASE') return 'Died of illness';
  if (injuryType === 'NON_BATTLE') return 'Died of injuries';
  return deathType === 'KIA' ? 'Killed in action' : 'Died of wounds';
}

/** FHIR id syntax (R4 `id` datatype); the record uuid becomes the Patient id. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export function layoutPatient(ctx: FhirJobContext, record: PatientRecord): PatientLayout {
  if (!FHIR_ID.test(record.uuid))
    throw new RangeError(`patient ${record.id}: uuid "${record.uuid}" is not a valid FHIR id`);
  const ids = new IdSequence(ctx.seed, record.id);
  const bundleId = ids.next();
  ids.next(); // the Patient's ordinal: its id is the record's uuid, shared with the JSON and CSV outputs
  const timeline = record.movement_timeline;
  const last = timeline[timeline.length - 1];
  // Only a full facility diverts, so this is rare.
  const divertedFrom = (v: Visit) => {
    if (v.diverted.length === 0) return '';
    const names = v.diverted.map((d) => placeName(ctx, d.facility, d.id));
    return ` (no free bed at ${names.join(', then at ')})`;
  };

  const encounters: EncounterLayout[] = [];
  const encounterByFacility = new Map<Facility, EncounterLayout>();
  const visits = visitsOf(record);
  const sites = visits.map((v) => siteOf(ctx, v.facility, v.id));
  visits.forEach((v, k) => {
    const id = ids.next();
    const t = v.terminal;
    let status: EncounterLayout['status'] = 'finished';
    let end = v.left;
    let disposition: EncounterLayout['disposition'];
    if (t?.event_type === 'kia') {
      // A death in transit ends the encounter of the echelon that was evacuating the casualty.
      end = t.timestamp;
      const what = deathWords(record.injury_type, t.death_type);
      // Dying while queued for a bed at the next facility is neither in transit nor at this echelon
      // (memory/fixes/0132-fhir-death-while-waiting-said-at-the-echelon-left.md).
      const text =
        t.kia_timing === 'during_transit' && v.to
          ? `${what} during transit to ${placeName(ctx, v.to, v.toId)}${divertedFrom(v)}`
          : t.kia_timing === 'waiting'
            ? `${what} while waiting for a bed at ${placeName(ctx, t.facility, t.facility_id)}${divertedFrom(v)}`
            : `${what} at ${sites[k].name}`;
      disposition = { coding: DISCHARGE.expired, text, destination: undefined };
    } else if (t?.event_type === 'rtd' && v.discharged !== undefined) {
      // The stay ended at the discharge; the return to duty weeks later ends no encounter.
      end = v.discharged;
      disposition = {
        coding: DISCHARGE.home,
        text: `Discharged to convalesce; returned to duty on ${t.timestamp.slice(0, 10)}`,
        destination: undefined,
      };
    } else if (t?.event_type === 'rtd') {
      end = t.timestamp;
      disposition = { coding: DISCHARGE.other, text: 'Returned to duty', destination: undefined };
    } else if (t?.event_type === 'remains_role4') {
      status = 'in-progress';
      end = undefined;
    } else if (v.to) {
      // Evacuated and admitted: the next visit is where it was taken (the timeline never ends in transit).
      const to = sites[k + 1];
      if (to === undefined) throw new RangeError(`patient ${record.id}: the timeline ends in transit`);
      disposition = {
        coding: DISCHARGE.otherFacility,
        text: `Evacuated to ${to.name}${divertedFrom(v)}`,
        destination: to.location,
      };
    }
    const encounter: EncounterLayout = {
      id,
      facility: v.facility,
      site: sites[k],
      status,
      start: v.arrival,
      end,
      locationEnd: v.left ?? end,
      disposition,
    };
    encounters.push(encounter);
    encounterByFacility.set(v.facility, encounter);
  });

  const conditionIds = record.conditions.map(() => ids.next());
  const conditionEncounters = record.conditions.map(
    (c) => encounterByFacility.get(c.facility) ?? encounters[0],
  );
  const procedureIds = record.treatments.map(() => ids.next());
  const vitalIds: string[] = [];
  for (let i = 0; i < record.vital_signs.length * OBSERVATIONS_PER_VITAL_SET; i++) vitalIds.push(ids.next());
  const bloodGroupId = ids.next();
  const weightId = ids.next();
  const heightId = ids.next();
  const provenanceId = ids.next();
  const medicationIds = record.medications.map(() => ids.next());
  const allergyIds = record.allergies.map(() => ids.next());

  return {
    bundleId,
    patientId: record.uuid,
    fullName: `${record.demographics.given_name} ${record.demographics.family_name}`,
    death: last.event_type === 'kia' ? last.timestamp : undefined,
    lastTimestamp: last.timestamp,
    encounters,
    encounterByFacility,
    conditionIds,
    conditionEncounters,
    procedureIds,
    vitalIds,
    bloodGroupId,
    weightId,
    heightId,
    provenanceId,
    medicationIds,
    allergyIds,
  };
}
