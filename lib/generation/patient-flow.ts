/**
 * A patient's course as its record tells it: the movement timeline, leg by leg (course.ts) with the
 * waits and diversions of the capacity plan (capacity.ts), the stops the treatments and vital signs are
 * planned at, and the re-triage a ventilator delays.
 */
import { FACILITIES, type Facility, PROCEDURES, type Retriage } from '../data/index.js';
import {
  courseRng,
  DIED_WAITING,
  divertTravel,
  EXPECTANT,
  homeOf,
  ONWARD,
  SIBLING_MASK,
  travelTriage,
  waitOf,
} from './capacity.js';
import type { ClinicalCore } from './clinical.js';
import type { GenerationContext } from './context.js';
import { advance, type CourseLog, LEG, newState, shownHealth, startCourse, stayAt } from './course.js';
import { isoSeconds as iso, TENTH_MS } from './iso-time.js';
import type { PatientRecord, TimelineEvent, Treatment } from './patient-record.js';

/** Far enough to find the death of a patient who died queuing. */
const FOREVER_TENTHS = 2 ** 30;

export interface Stop {
  facility: Facility;
  arrival: number;
  /** When the patient left (transit or its end there), tenths of an hour. */
  leave: number;
  /** Health at admission. */
  health: number;
  /** Health when it left for the next echelon (a transit), or -1: its course ended there. */
  departed: number;
}

export interface Flow {
  timeline: TimelineEvent[];
  stops: Stop[];
  /** Tenths of an hour at which the patient's course ends. */
  end: number;
  status: PatientRecord['status'];
  lastFacility: Facility;
}

/** The fields every timeline event starts with, in the order the record lists them. */
interface EventHead {
  readonly facility: Facility;
  readonly facility_id: string | undefined;
  readonly timestamp: string;
  readonly hours_since_injury: number;
  readonly health: number;
}

/**
 * The record side of a course: the timeline events, stops, status and last facility. Each event is
 * built as one object literal of its final shape (with or without facility_id): objects that grow
 * field by field take a chain of hidden classes, which the writers then read polymorphically.
 */
class Timeline implements CourseLog {
  readonly events: TimelineEvent[] = [];
  readonly stops: Stop[] = [];
  /** facility_id per echelon, where a facility is configured. */
  readonly ids: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  end = 0;
  status: PatientRecord['status'] = 'RTD';
  last: Facility = 'POI';

  constructor(private readonly injuryMs: number) {}

  private head(role: number, t: number, h: number): EventHead {
    return {
      facility: FACILITIES[role],
      facility_id: this.ids[role],
      timestamp: iso(this.injuryMs + t * TENTH_MS),
      hours_since_injury: t / 10,
      health: shownHealth(h),
    };
  }

  /** An event that has only the common fields. */
  private plain(
    type: 'arrival' | 'discharge' | 'rtd' | 'remains_role4',
    role: number,
    t: number,
    h: number,
  ): void {
    const e = this.head(role, t, h);
    this.events.push(
      e.facility_id === undefined
        ? {
            event_type: type,
            facility: e.facility,
            timestamp: e.timestamp,
            hours_since_injury: e.hours_since_injury,
            health: e.health,
          }
        : { event_type: type, ...e },
    );
  }

  arrival(role: number, t: number, h: number): void {
    this.stops.push({ facility: FACILITIES[role], arrival: t, leave: t, health: h, departed: -1 });
    this.plain('arrival', role, t, h);
  }

  retriage(role: number, t: number, h: number, triage: Retriage): void {
    const e = this.head(role, t, h);
    this.events.push(
      e.facility_id === undefined
        ? {
            event_type: 'triage',
            facility: e.facility,
            timestamp: e.timestamp,
            hours_since_injury: e.hours_since_injury,
            health: e.health,
            triage_category: triage,
          }
        : { event_type: 'triage', ...e, triage_category: triage },
    );
  }

  evacuation(role: number, t: number, h: number, dwell: number, next: number): void {
    // Only the point of injury evacuates, and no facility is configured there.
    const e = this.head(role, t, h);
    this.events.push(
      e.facility_id === undefined
        ? {
            event_type: 'evacuation_start',
            facility: e.facility,
            timestamp: e.timestamp,
            hours_since_injury: e.hours_since_injury,
            health: e.health,
            evacuation_duration_hours: dwell / 10,
            next_facility: FACILITIES[next],
          }
        : {
            event_type: 'evacuation_start',
            ...e,
            evacuation_duration_hours: dwell / 10,
            next_facility: FACILITIES[next],
          },
    );
  }

  transit(role: number, t: number, h: number, next: number, duration: number): void {
    const stop = this.stops[this.stops.length - 1];
    stop.leave = t;
    stop.departed = h;
    const e = this.head(role, t, h);
    this.events.push(
      e.facility_id === undefined
        ? {
            event_type: 'transit_start',
            facility: e.facility,
            timestamp: e.timestamp,
            hours_since_injury: e.hours_since_injury,
            health: e.health,
            from_facility: FACILITIES[role],
            to_facility: FACILITIES[next],
            transit_duration_hours: duration / 10,
          }
        : {
            event_type: 'transit_start',
            ...e,
            from_facility: FACILITIES[role],
            to_facility: FACILITIES[next],
            transit_duration_hours: duration / 10,
          },
    );
  }

  wait(role: number, t: number, h: number, duration: number): void {
    const e = this.head(role, t, h);
    this.events.push(
      e.facility_id === undefined
        ? {
            event_type: 'wait',
            facility: e.facility,
            timestamp: e.timestamp,
            hours_since_injury: e.hours_since_injury,
            health: e.health,
            wait_hours: duration / 10,
          }
        : { event_type: 'wait', ...e, wait_hours: duration / 10 },
    );
  }

  diversion(
    role: number,
    t: number,
    h: number,
    to: number,
    toId: string | undefined,
    duration: number,
  ): void {
    const e = this.head(role, t, h);
    const toFacility = FACILITIES[to];
    const hours = duration / 10;
    // One literal per shape: spreading an object that was itself built by a spread gave every
    // diversion its own hidden class (memory/fixes/0241-a-hidden-class-per-diversion.md).
    this.events.push(
      e.facility_id === undefined
        ? toId === undefined
          ? {
              event_type: 'diversion',
              facility: e.facility,
              timestamp: e.timestamp,
              hours_since_injury: e.hours_since_injury,
              health: e.health,
              to_facility: toFacility,
              transit_duration_hours: hours,
            }
          : {
              event_type: 'diversion',
              facility: e.facility,
              timestamp: e.timestamp,
              hours_since_injury: e.hours_since_injury,
              health: e.health,
              to_facility: toFacility,
              to_facility_id: toId,
              transit_duration_hours: hours,
            }
        : toId === undefined
          ? { event_type: 'diversion', ...e, to_facility: toFacility, transit_duration_hours: hours }
          : {
              event_type: 'diversion',
              ...e,
              to_facility: toFacility,
              to_facility_id: toId,
              transit_duration_hours: hours,
            },
    );
  }

  death(role: number, t: number, timing: 'at_facility' | 'during_transit' | 'waiting'): void {
    const e = this.head(role, t, 0);
    // Killed in action: never reached a medical facility; died of wounds: after reaching one.
    const deathType = this.stops.length > 1 ? 'DOW' : 'KIA';
    this.events.push(
      e.facility_id === undefined
        ? {
            event_type: 'kia',
            facility: e.facility,
            timestamp: e.timestamp,
            hours_since_injury: e.hours_since_injury,
            health: e.health,
            death_type: deathType,
            kia_timing: timing,
          }
        : { event_type: 'kia', ...e, death_type: deathType, kia_timing: timing },
    );
    if (timing === 'at_facility') this.stops[this.stops.length - 1].leave = t;
    this.finish(role, t, deathType);
  }

  discharge(role: number, t: number, h: number): void {
    this.stops[this.stops.length - 1].leave = t;
    this.plain('discharge', role, t, h);
  }

  rtd(role: number, t: number, h: number): void {
    // After a discharge the stay has ended already; the casualty returns to duty from convalescence.
    if (this.events[this.events.length - 1].event_type !== 'discharge')
      this.stops[this.stops.length - 1].leave = t;
    this.plain('rtd', role, t, h);
    this.finish(role, t, 'RTD');
  }

  remains(role: number, t: number, h: number): void {
    this.stops[this.stops.length - 1].leave = t;
    this.plain('remains_role4', role, t, h);
    this.finish(role, t, 'Remains_Role4');
  }

  private finish(role: number, t: number, status: PatientRecord['status']): void {
    this.end = t;
    this.status = status;
    this.last = FACILITIES[role];
  }
}

/** The configured id of facility f of the network, if any (a plain function: no closure per patient). */
function idOf(net: GenerationContext['network'], f: number): string | undefined {
  return f >= 0 ? net.facilities[f].id : undefined;
}

/**
 * The patient's course, leg by leg (course.ts), with the waits and diversions the plan found for it
 * at full facilities (capacity.ts); without capacities, no facility is ever full.
 */
export function simulateFlow(
  ctx: GenerationContext,
  index: number,
  event: number,
  core: ClinicalCore,
  injuryMs: number,
): Flow {
  const { plan, network: net, course: settings } = ctx;
  const words = plan.seedWords;
  const front = plan.front[event];
  const care = plan.care;
  const log = new Timeline(injuryMs);
  log.ids[0] = idOf(net, homeOf(net, words, index, 0, front));
  const s = newState();
  let outcome = startCourse(core, settings, courseRng(words, index, 0), s, log);
  while (outcome === LEG.next) {
    const role = s.role;
    const slot = index * 4 + role - 1;
    const code = care ? care.route[slot] : 0;
    const home = homeOf(net, words, index, role, front);
    log.ids[role] = idOf(net, home);
    if ((code & (SIBLING_MASK | ONWARD)) !== 0) {
      const onward = (code & ONWARD) !== 0;
      const to = onward ? homeOf(net, words, index, role + 1, front) : (code & SIBLING_MASK) - 1;
      const travel = divertTravel(words, settings, index, role, onward, travelTriage(s));
      log.diversion(role, s.t, s.h, onward ? role + 1 : role, idOf(net, to), travel);
      const died = advance(s, settings, s.t + travel);
      if (died >= 0) {
        log.death(role, died, 'during_transit');
        outcome = LEG.died;
        break;
      }
      if (onward) {
        s.role = role + 1;
        continue;
      }
      log.ids[role] = idOf(net, to);
    }
    if ((code & EXPECTANT) !== 0) {
      s.triage = 'T4';
      log.retriage(role, s.t, s.h, 'T4');
    }
    const wait = care ? waitOf(care, slot) : 0;
    if (wait !== 0) {
      const reach = s.t;
      const h = s.h;
      const died = advance(s, settings, wait === DIED_WAITING ? reach + FOREVER_TENTHS : reach + wait);
      // The plan saw this patient die in the queue: the same course must die here too.
      if (wait === DIED_WAITING && died < 0)
        throw new Error(`patient ${index}: the capacity plan and its course disagree`);
      log.wait(role, reach, h, died >= 0 ? died - reach : wait);
      if (died >= 0) {
        log.death(role, died, 'waiting');
        outcome = LEG.died;
        break;
      }
    }
    const holdRefused = care ? care.holdRefused[slot] === 1 : false;
    outcome = stayAt(core, settings, courseRng(words, index, role), s, log, holdRefused);
  }
  return { timeline: log.events, stops: log.stops, end: log.end, status: log.status, lastFacility: log.last };
}

const TUBE_CODE = PROCEDURES.endotrachealTube.code;
const WEANING_CODE = PROCEDURES.weaning.code;

/**
 * A casualty admitted with a tube in is not minimal until it is off the ventilator, whatever its health:
 * the course's re-triage T3 at that admission is recorded at the weaning there, after its breathing
 * trial, or at its next admission where it was weaned before an evacuation onward (an evacuation's
 * start is followed by its transit); not at all if it leaves or its record ends still on the ventilator
 * (memory/fixes/0395-minimal-on-a-ventilator.md).
 */
export function retriageOnceWeaned(timeline: TimelineEvent[], treatments: readonly Treatment[]): void {
  for (let i = 1; i < timeline.length; i++) {
    const e = timeline[i];
    if (e.event_type !== 'triage' || e.triage_category !== 'T3') continue;
    const at = e.hours_since_injury;
    let tubeIn = false;
    let weaning: Treatment | undefined;
    for (const t of treatments) {
      if (t.code === TUBE_CODE) {
        if (t.hours_since_injury < at) tubeIn = true;
      } else if (t.code === WEANING_CODE) {
        if (t.hours_since_injury <= at) tubeIn = false;
        else if (t.facility === e.facility) {
          weaning = t;
          break;
        }
      }
    }
    if (!tubeIn) continue;
    timeline.splice(i, 1);
    if (weaning !== undefined) retriageAfterWeaning(timeline, i, e, weaning);
    // What now stands at i is read next; a re-triage put back later is off the ventilator at its moment.
    i--;
  }
}

/** An evacuation onward: its start is followed by its transit, nothing between them. */
function leaving(e: TimelineEvent): boolean {
  return e.event_type === 'evacuation_start' || e.event_type === 'transit_start';
}

/**
 * Puts back the re-triage T3 `e` taken out at `from`: at the weaning, among the stay's events, or on the
 * next admission when the patient was weaned before it left, unless the course re-triages it there.
 */
function retriageAfterWeaning(
  timeline: TimelineEvent[],
  from: number,
  e: TimelineEvent,
  weaning: Treatment,
): void {
  const weanedAt = weaning.hours_since_injury;
  let j = from;
  while (j < timeline.length && timeline[j].hours_since_injury <= weanedAt && !leaving(timeline[j])) j++;
  if (j === timeline.length || !leaving(timeline[j])) {
    timeline.splice(j, 0, minimalAt(e, weaning.timestamp, weanedAt));
    return;
  }
  const transit = timeline.findIndex((x, k) => k >= j && x.event_type === 'transit_start');
  if (transit < 0 || timeline[transit].hours_since_injury < weanedAt) return;
  const arrival = timeline.findIndex((x, k) => k > transit && x.event_type === 'arrival');
  if (arrival < 0 || timeline[arrival + 1]?.event_type === 'triage') return;
  const admission = timeline[arrival];
  timeline.splice(arrival + 1, 0, minimalAt(admission, admission.timestamp, admission.hours_since_injury));
}

/**
 * A re-triage T3 at `from`'s facility and health, at a moment: one object literal of the final shape, as
 * the Timeline class builds its events.
 */
function minimalAt(from: TimelineEvent, timestamp: string, hours: number): TimelineEvent {
  return from.facility_id === undefined
    ? {
        event_type: 'triage',
        facility: from.facility,
        timestamp,
        hours_since_injury: hours,
        health: from.health,
        triage_category: 'T3',
      }
    : {
        event_type: 'triage',
        facility: from.facility,
        facility_id: from.facility_id,
        timestamp,
        hours_since_injury: hours,
        health: from.health,
        triage_category: 'T3',
      };
}
