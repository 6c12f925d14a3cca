/**
 * Vital signs at each admission of a patient's course, from its health and conditions: pulse, breathing,
 * pressure, saturation, temperature and GCS, and what a ventilator makes of them.
 */
import {
  accidentalHypothermiaTemperature,
  BURN_SHOCK_ONSET_HOURS,
  COLDEST_LIVING_C,
  CONDITION_BY_CODE,
  depthInTriageBand,
  drainsChest,
  HEAT_STROKE_ABOVE_C,
  HEAT_STROKE_MAX_GCS,
  HYPERTHERMIA,
  HYPOTHERMIA,
  hyperthermicTemperature,
  hypothermicTemperature,
  INTUBATE_AT_GCS,
  injuresBrain,
  MODERATE_HYPOTHERMIA_BELOW_C,
  OXYGEN_BELOW_SPO2,
  raisesFever,
  SEDATED_GCS,
  T1_BELOW,
  T2_BELOW,
  VENTILATOR_RATE,
} from '../data/index.js';
import { clamp } from './clinical.js';
import { shownHealth } from './course.js';
import { isoSeconds as iso, TENTH_MS } from './iso-time.js';
import type { Flow } from './patient-flow.js';
import type { PatientCondition, VitalSigns } from './patient-record.js';
import type { Rng } from './rng.js';

/** The middle of a normal temperature's range (36.1-37.5 °C). */
const NORMAL_C = 36.8;
/**
 * A febrile patient's temperature: FEVER_BASELINE_C plus a rise of FEVER_RISE_BASE +
 * FEVER_RISE_PER_SEVERITY × the severity at onset (38.4 °C for a severity of 1, 39.9 °C for 7, within
 * 0.35 °C), scaled by the illness since (health lost over that lost at onset, at most MAX_ILLNESS_RATIO).
 * A hypothermic or hyperthermic one's is scaled the same way (memory/fixes/0261, 0267, 0404).
 */
const FEVER_BASELINE_C = 37.2;
const FEVER_RISE_BASE = 0.9;
const FEVER_RISE_PER_SEVERITY = 0.25;
const MAX_ILLNESS_RATIO = 1.5;
const MAX_FEVER_C = 41;
/** An onset that costs almost no health still counts as ill, so a fever at onset is the full rise. */
const MIN_ILLNESS = 0.02;
/** Conditions that impair gas exchange (lungs, chest wall) lower SpO2 and raise the breathing rate. */
const HYPOXAEMIC_CARE = new Set(['respiratory', 'chest']);
/** From the severity at which such a condition gets oxygen (PROCEDURE_MIN_SEVERITY, fix 0226). */
const HYPOXAEMIC_FROM = 4;
const BURN_SHOCK_ONSET_TENTHS = BURN_SHOCK_ONSET_HOURS * 10;
/**
 * A heat casualty is cooled from its first aid at the point of injury, before it is carried on ("cool
 * first, transport second": US Army TB MED 507; ACSM's 2023 consensus on exertional heat illness), at
 * 0.1 °C a minute, field cooling's rate (ice sheets, wet towels: below cold-water immersion's 0.15 or
 * more), and the cooling stops at 38.9 °C, lest it overshoot; the temperature then settles to normal at
 * SETTLING_C_PER_HOUR (memory/fixes/0401-heat-casualties-never-cooled.md).
 */
const COOLING_C_PER_HOUR = 6;
const COOLING_STOPS_AT_C = 38.9;
const SETTLING_C_PER_HOUR = 1;
/**
 * A cold casualty is rewarmed from its first aid at the point of injury (wrapped, with the active
 * heating of TCCC's hypothermia prevention kit, then warm fluids and forced air where there is care) at
 * 1 °C an hour, the low end of external rewarming's rates (Brown DJA et al., "Accidental hypothermia",
 * N Engl J Med 2012;367:1930-8), until its temperature is normal (fix 0401).
 */
const REWARMING_C_PER_HOUR = 1;
/** The hottest a heat casualty reads, however ill. */
const MAX_HEAT_C = 42.5;

/**
 * A heat casualty's temperature `hours` after its cooling began, from the heat its illness would have
 * `untreated`: falling at COOLING_C_PER_HOUR to COOLING_STOPS_AT_C, then settling to `normal`.
 */
function cooledFor(hours: number, untreated: number, normal: number): number {
  const cooling = Math.max(0, (untreated - COOLING_STOPS_AT_C) / COOLING_C_PER_HOUR);
  if (hours <= cooling) return untreated - COOLING_C_PER_HOUR * hours;
  return Math.max(normal, Math.min(untreated, COOLING_STOPS_AT_C) - SETTLING_C_PER_HOUR * (hours - cooling));
}

/** The index of the first stop at Role 1, 2 or 3, or -1: where air or blood in the chest is drained. */
function firstCareBelowRole4(flow: Flow): number {
  return flow.stops.findIndex((stop) => stop.facility !== 'POI' && stop.facility !== 'Role4');
}

/** The lowest GCS of a mild brain injury, a concussion's (fix 0349). */
const MILD_BRAIN_INJURY_GCS = 13;

/**
 * A brain injury's GCS at a health as recorded: its grade is its triage's, as the TBI grades are
 * (mild 13-15 while minimal, moderate 9-12 while delayed, severe 3-8 while immediate), falling
 * linearly within each (memory/fixes/0276-gcs-12-triaged-minimal.md).
 */
function brainInjuryGcs(shown: number): number {
  const depth = depthInTriageBand(shown);
  if (shown >= T2_BELOW) return 15 - Math.round(depth * 2);
  if (shown >= T1_BELOW) return 12 - Math.round(depth * 3);
  return 8 - Math.round(depth * 5);
}

/** Vital signs at each admission, from health: the lower it is, the faster the pulse and breathing. */
export function vitalSigns(
  rng: Rng,
  flow: Flow,
  conditions: readonly PatientCondition[],
  injuryMs: number,
  burnAlone: boolean,
): VitalSigns[] {
  const head = conditions.some((c) => injuresBrain(c.code, c.body_part, c.severity));
  // A concussion is a mild brain injury: its GCS stays 13-15 (fix 0349).
  const concussed = !head && conditions.some((c) => CONDITION_BY_CODE.get(c.code)!.concussion === true);
  const hypothermia = conditions.find((c) => c.code === HYPOTHERMIA);
  // An accidental hypothermia is as cold as its triage when found, a trauma's as its severity (fix 0406).
  const chillAtOnset =
    hypothermia === undefined
      ? 0
      : NORMAL_C -
        (hypothermia === conditions[0]
          ? accidentalHypothermiaTemperature(shownHealth(flow.stops[0]?.health ?? 100))
          : hypothermicTemperature(hypothermia.severity));
  const hyperthermia = conditions.find((c) => c.code === HYPERTHERMIA);
  const heatAtOnset =
    hyperthermia === undefined ? 0 : hyperthermicTemperature(hyperthermia.severity) - NORMAL_C;
  // A fever is as high as its gravest febrile condition at onset, and follows the illness after it:
  // higher as the patient worsens, gone once recovered (memory/fixes/0261).
  let feverSeverity = 0;
  for (const c of conditions) if (c.severity > feverSeverity && raisesFever(c)) feverSeverity = c.severity;
  const feverAtOnset = FEVER_RISE_BASE + FEVER_RISE_PER_SEVERITY * feverSeverity;
  const illnessAtOnset = Math.max(MIN_ILLNESS, (100 - (flow.stops[0]?.health ?? 100)) / 100);
  let hypoxaemic = false;
  let drainedAway = true;
  for (const c of conditions) {
    const def = CONDITION_BY_CODE.get(c.code)!;
    if (c.severity < HYPOXAEMIC_FROM || !HYPOXAEMIC_CARE.has(def.care)) continue;
    hypoxaemic = true;
    if (!drainsChest(def)) drainedAway = false;
  }
  // Air or blood in the chest is drained at the first care, Role 1 to 3 (treatment-plan.ts, fix 0291):
  // its lung re-expands, and from the next admission on it no longer starves the blood of oxygen, as a
  // flail chest or a pneumonia still does (memory/fixes/0410-ventilated-after-the-chest-drain.md).
  const drainedAfter = drainedAway ? firstCareBelowRole4(flow) : -1;
  return flow.stops.map((stop, i) => {
    const s = clamp((100 - stop.health) / 100, 0, 1);
    // The strain the circulation shows: a burn's shock comes over hours, not on the burn (fix 0392).
    const strain = burnAlone ? s * Math.min(1, stop.arrival / BURN_SHOCK_ONSET_TENTHS) : s;
    // Lungs that fail add to shock's toll: about 85 % SpO2 and 30 breaths a minute at health 40.
    const lungs = hypoxaemic && (drainedAfter < 0 || i <= drainedAfter) ? s : 0;
    let hr = Math.round(clamp(72 + 70 * strain + rng.normal(0, 5), 40, 180));
    let rr = Math.round(clamp(14 + 18 * strain + 8 * lungs + rng.normal(0, 1.5), 6, 40));
    const sbp = Math.round(clamp(126 - 62 * strain * strain + rng.normal(0, 6), 50, 170));
    const dbp = Math.round(clamp(Math.min(sbp - 20, 80 - 30 * strain * strain + rng.normal(0, 4)), 25, 110));
    const spo2 = Math.round(clamp(98.5 - 16 * strain * strain - 12 * lungs + rng.normal(0, 0.8), 70, 100));
    // A normal temperature stays within 36.1-37.5 °C: noise alone never reads as a fever (fix 0259).
    const noise = rng.normal(0, 0.25);
    let temp = NORMAL_C + clamp(noise, -0.7, 0.7);
    // Health lost now over that lost at onset: a fever or a chill follows the illness.
    const illness = Math.min(MAX_ILLNESS_RATIO, s / illnessAtOnset);
    // Hours since the first aid, at the injury, began to warm or cool the patient: 0 where it fell.
    const hours = stop.arrival / 10;
    // As cold as its severity when found, warmer as the patient recovers (memory/fixes/0267) and as it is
    // rewarmed (fix 0401).
    if (hypothermia !== undefined)
      temp = Math.min(
        temp,
        Math.max(COLDEST_LIVING_C, NORMAL_C - chillAtOnset * illness + clamp(noise, -0.3, 0.3)) +
          REWARMING_C_PER_HOUR * hours,
      );
    else if (hyperthermia !== undefined) {
      // As hot as its severity when found, hotter as the patient worsens (fix 0404), then cooled.
      const heat = NORMAL_C + heatAtOnset * illness + clamp(rng.normal(0, 0.3), -0.25, 0.25);
      temp = cooledFor(hours, Math.min(MAX_HEAT_C, heat), temp);
    } else if (feverSeverity > 0)
      temp = Math.min(MAX_FEVER_C, FEVER_BASELINE_C + feverAtOnset * illness + clamp(noise, -0.35, 0.35));
    let gcs = head
      ? brainInjuryGcs(shownHealth(stop.health))
      : Math.round(clamp(15 - Math.max(0, strain - 0.6) * 15, 3, 15));
    if (concussed)
      gcs = Math.min(gcs, Math.max(MILD_BRAIN_INJURY_GCS, brainInjuryGcs(shownHealth(stop.health))));
    // A heat stroke's brain is not clear until it is cooled (fix 0405).
    if (hyperthermia !== undefined && temp > HEAT_STROKE_ABOVE_C) gcs = Math.min(gcs, HEAT_STROKE_MAX_GCS);
    // Moderate hypothermia slows the heart and the breath and clouds the mind, the colder the more:
    // at most 58 beats, 12 breaths and GCS 14 just below 32 °C, 36 beats, 8 breaths and GCS 8 at 28 °C
    // (fix 0300).
    if (hypothermia !== undefined && temp < MODERATE_HYPOTHERMIA_BELOW_C) {
      const depth = Math.min(1, (MODERATE_HYPOTHERMIA_BELOW_C - temp) / 4);
      hr = Math.min(hr, Math.round(58 - 22 * depth + 8 * clamp(noise, -0.25, 0.25)));
      rr = Math.min(rr, Math.round(12 - 4 * depth));
      gcs = Math.min(gcs, Math.round(14 - 6 * depth));
    }
    const t = stop.arrival;
    return {
      facility: stop.facility,
      timestamp: iso(injuryMs + t * TENTH_MS),
      hours_since_injury: t / 10,
      heart_rate: hr,
      respiratory_rate: rr,
      systolic_bp: sbp,
      diastolic_bp: dbp,
      spo2,
      temperature: Math.round(temp * 10) / 10,
      gcs,
    };
  });
}

/** The saturation a ventilator's oxygen aims at, and the share of the lost saturation it gives back. */
const VENTILATED_SPO2_TARGET = 98;
const VENTILATED_SPO2_RECOVERY = 0.6;

/**
 * Vital signs on admission with a tube in (put in at an earlier stop): the patient is sedated on a
 * ventilator, as its chart reads. A tube leaves no words to score and the sedation nothing else, so the
 * GCS is SEDATED_GCS; the breaths are the ventilator's; its oxygen gives back most of the saturation
 * the injury took. Pulse and pressure stay the patient's
 * (memory/fixes/0282-conscious-and-breathing-fast-on-a-ventilator.md).
 */
export function onVentilatorOnAdmission(v: VitalSigns): void {
  v.gcs = SEDATED_GCS;
  v.respiratory_rate = Math.round(
    clamp(VENTILATOR_RATE[0] + (v.respiratory_rate - 14) * 0.4, VENTILATOR_RATE[0], VENTILATOR_RATE[1]),
  );
  if (v.spo2 < VENTILATED_SPO2_TARGET)
    v.spo2 = Math.round(v.spo2 + (VENTILATED_SPO2_TARGET - v.spo2) * VENTILATED_SPO2_RECOVERY);
}

/**
 * Whether a casualty's breathing fails, so that its breaths are assisted by bag and mask: unconscious
 * (GCS 8 or less), breathing too slowly or too fast (below 10 or from 30 a minute, the NATO triage
 * sieve's limits), or short of oxygen (SpO2 below 90 %). A conscious casualty breathing well is not
 * bagged (memory/fixes/0348-bag-and-mask-for-casualties-breathing-well.md).
 */
export function breathingFails(vitals: VitalSigns): boolean {
  return (
    vitals.gcs <= INTUBATE_AT_GCS ||
    vitals.respiratory_rate < 10 ||
    vitals.respiratory_rate >= 30 ||
    vitals.spo2 < OXYGEN_BELOW_SPO2
  );
}
