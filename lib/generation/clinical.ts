/**
 * The clinical core of a patient: injury time within its event, injury type, triage at first
 * assessment and its conditions (the primary with its site, the wounds and complications that come with
 * it, a second wound), drawn from the patient's own clinical stream. The plan reads it for every patient
 * when it plans facility capacity; the patient builder reads the same values and carries on drawing
 * from the same stream.
 */
import {
  admittedBeforeDuty,
  BESIDE_A_BURN,
  type BodyPart,
  CONCUSSIONS,
  CONDITION_BY_CODE,
  type ConditionDef,
  controlledByOperation,
  defRaisesFever,
  drainedBeforeDuty,
  drainsChest,
  INJURY_TYPES,
  type InjuryType,
  injuresBrain,
  LIMBS,
  leastCriticalHours,
  NON_LETHAL_CARE,
  needsTourniquet,
  seasonIndexOfDay,
  severityGrade,
  TRAUMA_CARE,
  TRIAGE_CATEGORIES,
  type Triage,
  unfitForWeeks,
  unfitInTheatre,
  xrayedBeforeDuty,
} from '../data/index.js';
import { type ConditionChoice, type GenerationContext, TRIAGE_SEVERITY, warfareSlot } from './context.js';
import { type CourseParams, POI, ROLE1, ROLE2, ROLE3, ROLE4, restBeforeDutyTenths } from './course.js';
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
  /**
   * Every condition, the primary first, then those related to it, then a second wound and those
   * related to it (reused with `into`).
   */
  conditions: ConditionList;
  /** The clinical stream, positioned after the conditions. */
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
  const firstAidLimb = type !== 'DISEASE' && LIMB_SITES.has(site);
  // The first step of its protocol at the point of injury, so always given (treatment-plan.ts's planTreatments).
  const tourniquet = firstAidLimb && needsTourniquet(primary.care, site, severity);
  const lethal = !NON_LETHAL_CARE.has(primary.care);
  const conditions = into ? into.conditions : new ConditionList();
  drawConditions(rng, type, triage, choice, primary, site, severity, conditions);
  // Any of its wounds needing a major operation keeps the casualty from duty before Role 4, a second
  // wound's or a related fracture's as much as the primary's (memory/fixes/0321-a-second-wound-s-major-operation-back-on-duty-in-theatre.md).
  let majorSurgery = false;
  // No return to duty before Role 2: X-rayed there, or a war wound for its surgeon; before Role 3, whose
  // CT scans a war wound of the head for a missile inside the skull.
  let fromRole2 = false;
  let fromRole3 = false;
  // Before Role 4: a drained chest, unfit for weeks (fix 0407).
  let fromRole4 = false;
  let warWound = false;
  let fractureHealing = false;
  // Rests before duty, then is cleared: a concussion its day (fix 0331), a contagious illness its
  // isolation (fix 0355), an illness's fever until a day free of it (fix 0388).
  let restsBeforeDuty = false;
  let diagnosed = false;
  // A brain injury, the primary's or a second wound's, whose GCS (vital-signs.ts's vitalSigns) is 12 or less.
  let headInjury = false;
  // A burn's shock is slow; a wound beside it that bleeds adds its own loss, at its own severity, and
  // first aid on a limb controls that bleeding (memory/fixes/0383).
  const burnShock = primary.care === 'burn';
  // An illness the surgeon operates on is controlled as a wound is (fix 0411).
  const operated = type === 'DISEASE' && controlledByOperation(primary);
  let bleedingSeverity = 0;
  let limb = firstAidLimb;
  // The longest least time any of its conditions keeps it critical (fix 0389).
  let criticalHours = 0;
  for (let i = 0; i < conditions.count; i++) {
    const def = conditions.defs[i];
    const part = conditions.sites[i];
    const grade = conditions.severities[i];
    if (burnShock && !BESIDE_A_BURN.has(def.care) && grade > bleedingSeverity) {
      bleedingSeverity = grade;
      limb = LIMB_SITES.has(part);
    }
    if (injuresBrain(def.code, part, grade)) headInjury = true;
    criticalHours = Math.max(criticalHours, leastCriticalHours(def, part, grade));
    if (!majorSurgery) majorSurgery = unfitInTheatre(def, part, grade);
    // X-rayed at Role 2 first, and weeks until a bone unites or a ligament heals (fixes 0328, 0336,
    // 0353); an abscess drained there first (fix 0399); a malaria or a dengue with warning signs
    // admitted there (fix 0409).
    if (xrayedBeforeDuty(def) || drainedBeforeDuty(def) || admittedBeforeDuty(def, grade)) fromRole2 = true;
    if (drainsChest(def)) fromRole4 = true;
    // A war wound is seen at Role 1 at least, by a surgeon unless a mild one of a limb, and scanned if
    // of the head (fix 0378).
    if (def.penetrating) {
      warWound = true;
      if (severityGrade(grade) !== 'Mild' || !LIMB_SITES.has(part)) fromRole2 = true;
      if (part === 'Head') fromRole3 = true;
    }
    if (unfitForWeeks(def, grade)) fractureHealing = true;
    if (def.concussion || def.contagious || (type === 'DISEASE' && defRaisesFever(def, grade)))
      restsBeforeDuty = true;
    if (def.clinicianDiagnosed) diagnosed = true;
  }
  // Seen at Role 1 first: a moderate condition, a war wound, an infection for its antibiotic, a
  // condition that rests before duty for its clearance, a clinician's diagnosis.
  const seenFirst =
    severityGrade(severity) !== 'Mild' ||
    warWound ||
    primary.bacterial === true ||
    restsBeforeDuty ||
    diagnosed;
  const firstDutyRole = fromRole4 ? ROLE4 : fromRole3 ? ROLE3 : fromRole2 ? ROLE2 : seenFirst ? ROLE1 : POI;
  const dutyNotBefore = restsBeforeDuty ? restBeforeDutyTenths(type) : 0;
  const criticalUntil = criticalHours * 10;
  // A battle injury is a wound; a non-battle one when physical trauma, not a heat or cold injury (fix 0359).
  const wound = type === 'BATTLE_TRAUMA' || (type === 'NON_BATTLE' && TRAUMA_CARE.has(primary.care));
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
      wound,
      firstDutyRole,
      dutyNotBefore,
      majorSurgery,
      fractureHealing,
      tourniquet,
      headInjury,
      lethal,
      burnShock,
      controlledByOperation: operated,
      bleedingSeverity,
      criticalUntil,
      primary,
      site,
      choice,
      conditions,
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
  into.wound = wound;
  into.firstDutyRole = firstDutyRole;
  into.dutyNotBefore = dutyNotBefore;
  into.majorSurgery = majorSurgery;
  into.fractureHealing = fractureHealing;
  into.tourniquet = tourniquet;
  into.headInjury = headInjury;
  into.lethal = lethal;
  into.burnShock = burnShock;
  into.controlledByOperation = operated;
  into.bleedingSeverity = bleedingSeverity;
  into.criticalUntil = criticalUntil;
  into.primary = primary;
  into.site = site;
  into.choice = choice;
  return into;
}

/**
 * A patient's conditions: definition, body site and severity at the same index, the first `count`
 * entries in use. The planner reuses one list for every patient (shrinking an array is slow).
 */
export class ConditionList {
  readonly defs: ConditionDef[] = [];
  readonly sites: BodyPart[] = [];
  readonly severities: number[] = [];
  count = 0;

  add(def: ConditionDef, site: BodyPart, severity: number): void {
    const n = this.count++;
    this.defs[n] = def;
    this.sites[n] = site;
    this.severities[n] = severity;
  }

  has(code: string): boolean {
    for (let i = 0; i < this.count; i++) if (this.defs[i].code === code) return true;
    return false;
  }
}

/**
 * Draws the patient's conditions into `list` (emptied first): the primary, those related to it, then,
 * for an immediate or delayed battle casualty, perhaps a second distinct wound elsewhere and those
 * related to it.
 */
function drawConditions(
  rng: Rng,
  type: InjuryType,
  triage: Triage,
  choice: ConditionChoice,
  primary: ConditionDef,
  site: BodyPart,
  severity: number,
  list: ConditionList,
): void {
  list.count = 0;
  list.add(primary, site, severity);
  addRelated(rng, list, 0);
  // Polytrauma: an immediate battle casualty often has a second, distinct injury elsewhere.
  if (type === 'BATTLE_TRAUMA' && triage !== 'T3' && rng.chance(triage === 'T1' ? 0.35 : 0.15)) {
    const second = choice.conditions[drawCumulative(rng, choice.cdf)];
    // A second wound graver than the primary would have been the primary: the course follows the primary.
    // Nor is a concussion coded with a brain injury: two grades of the same brain's injury.
    if (!list.has(second.code) && second.severity[0] <= severity && !twoBrainGrades(primary, second)) {
      const secondSite = rng.pick(second.sites);
      list.add(second, secondSite, clamp(severity - rng.int(1, 3), second.severity[0], second.severity[1]));
      addRelated(rng, list, list.count - 1);
    }
  }
}

/** Adds the conditions related to condition `k` of the list that come with it this time. */
function addRelated(rng: Rng, list: ConditionList, k: number): void {
  const site = list.sites[k];
  const severity = list.severities[k];
  for (const link of list.defs[k].related ?? []) {
    if (severity < (link.minSeverity ?? 0) || list.has(link.code)) continue;
    const rel = CONDITION_BY_CODE.get(link.code)!;
    // Systemic (shock), or where its wound is: a head wound's bleeding is not on the chest, and one
    // that cannot be there (a foreign body of the chest, of a condition that names none) does not come
    // (memory/fixes/0274-a-wound-s-bleeding-on-another-part-of-the-body.md).
    const relSite = rel.sites.includes(site) ? site : rel.sites.includes('Systemic') ? 'Systemic' : undefined;
    if (relSite === undefined || !rng.chance(link.p)) continue;
    list.add(rel, relSite, clamp(severity, rel.severity[0], rel.severity[1]));
  }
}

/** A concussion (a mild brain injury) and a brain injury of the `tbi` protocol, in either order (fix 0273). */
function twoBrainGrades(a: ConditionDef, b: ConditionDef): boolean {
  return (a.care === 'tbi' && CONCUSSIONS.has(b.code)) || (b.care === 'tbi' && CONCUSSIONS.has(a.code));
}

/** x bounded to [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
