/**
 * The clinical core of a patient: injury time within its event, injury type, triage at first
 * assessment and primary condition with its site, drawn from the patient's own clinical stream. The
 * plan reads it for every patient when it plans facility capacity; the patient builder reads the same
 * values and carries on drawing its other conditions from the same stream.
 */
import {
  type BodyPart,
  type ConditionDef,
  INJURY_TYPES,
  type InjuryType,
  injuresBrain,
  LIMBS,
  NON_LETHAL_CARE,
  needsTourniquet,
  seasonIndexOfDay,
  severityGrade,
  TRIAGE_CATEGORIES,
  type Triage,
  unfitInTheatre,
} from '../data/index.js';
import { type ConditionChoice, type GenerationContext, TRIAGE_SEVERITY, warfareSlot } from './context.js';
import type { CourseParams } from './course.js';
import { createRng, drawCumulative, type Rng, reseed, STREAM } from './rng.js';

export interface ClinicalCore extends CourseParams {
  offsetSeconds: number;
  slot: number;
  /** Index of the casualty's season, that of its day of injury, in `ctx.seasons.seasons`. */
  season: number;
  primary: ConditionDef;
  /** The primary condition's body site. */
  site: BodyPart;
  choice: ConditionChoice;
  /** The clinical stream, positioned after the primary condition's severity. */
  rng: Rng;
  type: InjuryType;
  triage: Triage;
}

/** Where a tourniquet or pressure controls a wound's bleeding (course.ts's first aid). */
const LIMB_SITES: ReadonlySet<BodyPart> = new Set(LIMBS);

/**
 * The clinical core of patient `index`. With `into`, that object and its generator are reused (the
 * planning pass reads a million cores and keeps none); without, a new one is made.
 */
export function clinicalCore(
  ctx: GenerationContext,
  index: number,
  event: number,
  into?: ClinicalCore,
): ClinicalCore {
  const { plan } = ctx;
  const rng = into
    ? reseed(into.rng, plan.seedWords, STREAM.clinical, index)
    : createRng(plan.seedWords, STREAM.clinical, index);
  // Casualties of one event are found over a few minutes, not at one instant
  // (within the event's hour, so the hourly distribution of the plan is what the records show).
  const count = plan.count[event];
  const secondOfHour = plan.second[event] % 3600;
  const spread = Math.min(59 * Math.min(count, 10), 3599 - secondOfHour);
  const offsetSeconds = count > 1 ? rng.int(0, spread) : 0;
  const slot = warfareSlot(plan.warfare[event]);
  const tables = ctx.warfare[slot];
  const type = INJURY_TYPES[drawCumulative(rng, tables.injuryCdf)];
  const triage = TRIAGE_CATEGORIES[drawCumulative(rng, tables.triageCdf[type])];
  const season = seasonIndexOfDay(ctx.seasons, Math.floor(plan.second[event] / 86_400));
  const choice = tables.conditions[season][type][triage];
  const band = TRIAGE_SEVERITY[triage];
  const primary = choice.conditions[drawCumulative(rng, choice.cdf)];
  const severity = rng.int(Math.max(band[0], primary.severity[0]), Math.min(band[1], primary.severity[1]));
  const site = rng.pick(primary.sites);
  const limb = type !== 'DISEASE' && LIMB_SITES.has(site);
  // The first step of its protocol at the point of injury, so always given (patient.ts's planTreatments).
  const tourniquet = limb && needsTourniquet(primary.care, site, severity);
  const lethal = !NON_LETHAL_CARE.has(primary.care);
  const headInjury = injuresBrain(site, severity);
  const seenAtRole1 = severityGrade(severity) !== 'Mild' || primary.bacterial === true;
  const majorSurgery = unfitInTheatre(primary, site, severity);
  if (!into)
    return {
      offsetSeconds,
      slot,
      season,
      type,
      triage,
      severity,
      severityBand: band,
      limb,
      seenAtRole1,
      majorSurgery,
      tourniquet,
      headInjury,
      lethal,
      primary,
      site,
      choice,
      rng,
    };
  into.offsetSeconds = offsetSeconds;
  into.slot = slot;
  into.season = season;
  into.type = type;
  into.triage = triage;
  into.severity = severity;
  into.severityBand = band;
  into.limb = limb;
  into.seenAtRole1 = seenAtRole1;
  into.majorSurgery = majorSurgery;
  into.tourniquet = tourniquet;
  into.headInjury = headInjury;
  into.lethal = lethal;
  into.primary = primary;
  into.site = site;
  into.choice = choice;
  return into;
}
