/**
 * The health model's figures (README "The medical model"; sources of each figure in
 * memory/reference/medical-model-sources.md; the design in memory/decisions/0910-capacity-and-health.md).
 * Health is 0..100: 100 a fit soldier, 0 death. Rates are health points per hour.
 */
import type { CareProtocol } from './clinical-codes.js';
import type { Facility, Triage } from './facilities.js';
import type { InjuryType } from './injury-types.js';

/** Re-triage adds T4 (expectant), which only a mass-casualty event that overwhelms a facility gives. */
export const RETRIAGE_CATEGORIES = ['T1', 'T2', 'T3', 'T4'] as const;
export type Retriage = (typeof RETRIAGE_CATEGORIES)[number];

/** Health band of each triage category at first assessment: T1 below 50, T2 below 75, T3 the rest. */
export const TRIAGE_HEALTH_BAND: Readonly<Record<Triage, readonly [number, number]>> = {
  T1: [12, 49],
  T2: [50, 74],
  T3: [75, 98],
};
export const T1_BELOW = 50;
export const T2_BELOW = 75;

/**
 * How far down its triage band a shown health lies: 0 at the band's top, 1 at its bottom (health 1 in
 * the immediate band). A brain injury's GCS and an accidental hypothermia's temperature fall linearly
 * within each band by it (memory/fixes/0276-gcs-12-triaged-minimal.md, 0406).
 */
export function depthInTriageBand(shown: number): number {
  if (shown >= T2_BELOW) return (100 - shown) / (100 - T2_BELOW);
  if (shown >= T1_BELOW) return (T2_BELOW - 1 - shown) / (T2_BELOW - 1 - T1_BELOW);
  return (T1_BELOW - 1 - Math.max(1, shown)) / (T1_BELOW - 2);
}
/** A patient below this health who must queue at an overwhelmed facility in a mass casualty is expectant. */
export const EXPECTANT_BELOW = 20;

/**
 * Untreated deterioration: median rate at severity 5 per injury type, growth per severity point
 * (exponential), and the spread of the log-normal draw around it (survivable and non-survivable
 * wounds of one severity differ widely).
 */
export const DETERIORATION: Readonly<
  Record<InjuryType, { readonly atFive: number; readonly perPoint: number; readonly spread: number }>
> = {
  BATTLE_TRAUMA: { atFive: 4.15, perPoint: 1.15, spread: 1.05 },
  NON_BATTLE: { atFive: 1.4, perPoint: 0.5, spread: 0.8 },
  DISEASE: { atFive: 0.5, perPoint: 0.4, spread: 0.6 },
};

/**
 * A burn's shock is plasma lost over hours, not blood lost in minutes: untreated, a burn with no
 * bleeding wound beside it (`burnShock`) loses health at this rate, severity 9 about 3 points an hour
 * against a battle wound's 40, so a burn alone does not kill before its first care; fluids, not
 * surgery, are what it needs (memory/fixes/0377-burns-killed-within-the-hour.md).
 */
export const BURN_DETERIORATION = { atFive: 0.6, perPoint: 0.4, spread: 0.6 } as const;

/**
 * Hours over which a burn's shock comes into its vital signs: a burn with no bleeding wound beside it
 * shows a growing share of its health's strain, none on the burn and all of it from this many hours on.
 * The plasma leaks out over hours, fastest in the first eight (the Parkland formula gives half the first
 * day's fluid in them), and hypotension soon after a burn alone points to another injury (American Burn
 * Association, ABLS; memory/fixes/0392-burns-in-shock-on-the-burn.md).
 */
export const BURN_SHOCK_ONSET_HOURS = 8;

/**
 * The least time a cause keeps a patient critical, in hours from its onset (the injury): a severe
 * illness's respiratory failure or sepsis (an acute respiratory distress syndrome is ventilated a median
 * of about 8 days) and a severe brain injury, 3 days at severity 7 and a day more for each point
 * above; a severe burn of the face, whose airway swells for the first two days, 2, and half a day more
 * a point. Until then its health recovers no higher than CRITICAL_CEILING, and a ventilator it is on
 * stays on. Below the published medians, a modelling choice; a wound ventilated for its operation or
 * its shock is weaned once it recovers (memory/fixes/0382-respiratory-failure-weaned-within-hours.md,
 * 0389-recovered-on-a-ventilator.md).
 */
export const LEAST_CRITICAL_HOURS = {
  /** Hours at severity 7, and more for each point above 7. */
  respiratoryFailure: { hours: 72, perPoint: 24 },
  severeBrainInjury: { hours: 72, perPoint: 24 },
  airwayBurn: { hours: 48, perPoint: 12 },
} as const;

/**
 * The highest health a patient recovers to within its least critical time (LEAST_CRITICAL_HOURS): a
 * delayed casualty's (T2), never minimal while its cause still keeps it in intensive care
 * (memory/fixes/0389-recovered-on-a-ventilator.md).
 */
export const CRITICAL_CEILING = T2_BELOW - 1;

/**
 * Wounds that do not kill by themselves, whatever their severity: an injury of the eye, a sprain, a
 * soft-tissue wound (an open wound, a laceration, a foreign body), a minor head injury. A casualty
 * whose primary wound is one of them does not deteriorate untreated: its severity is that of the sight,
 * the limb or the work it costs, not of its life
 * (memory/fixes/0256-eye-injuries-killed-in-action.md).
 */
export const NON_LETHAL_CARE: ReadonlySet<CareProtocol> = new Set<CareProtocol>([
  'eye',
  'sprain',
  'soft_tissue',
  'head_minor',
]);

/** Conditions beside a burn that leave its slow shock its own: a burn's, a cold injury's, a wound that does not kill. */
export const BESIDE_A_BURN: ReadonlySet<CareProtocol> = new Set<CareProtocol>([
  ...NON_LETHAL_CARE,
  'burn',
  'cold',
]);

/** Hours after injury from which an uncontrolled casualty deteriorates faster (the golden hour). */
export const GOLDEN_HOUR_TENTHS = 10;
export const GOLDEN_HOUR_FACTOR = 1.5;

/** First aid at the point of injury (packing, pressure, airway) slows trauma deterioration. */
export const FIRST_AID_FACTOR = 0.45;
/**
 * A limb's bleeding is compressible: a tourniquet or a pressure dressing stops it, which a wound of
 * the head, neck or trunk does not allow. After first aid a limb wound loses at most this many health
 * points an hour, the shock already taken (memory/fixes/0250-died-with-a-tourniquet-on-a-limb.md).
 */
export const LIMB_RATE_AFTER_FIRST_AID = 4;
/** Tenths of an hour after injury at which first aid takes effect (NATO 10-1-2: within 10 minutes). */
export const FIRST_AID_TENTHS = 1;
/** Damage control resuscitation at Role 1 slows an uncontrolled casualty further. */
export const RESUSCITATION_FACTOR = 0.75;

/** Echelons with a surgeon: damage control or definitive surgery controls the bleeding. */
export const SURGICAL: ReadonlySet<Facility> = new Set<Facility>(['Role2', 'Role3', 'Role4']);
/** Chance that surgery controls the injury, by severity 1..10 (index); otherwise it is tried again at the next surgical echelon. */
export const SURGICAL_CONTROL = [1, 1, 1, 1, 1, 0.99, 0.98, 0.96, 0.93, 0.88, 0.8] as const;
/**
 * Chance that an immediate (T1) illness responds to treatment at its first surgical echelon (Role 2
 * or the Role 3 it bypassed to), by severity 1..10 (index). It is decided once: an illness that does not
 * respond (refractory septic shock, severe malaria, respiratory failure) gets no second chance further
 * on. Sources: memory/reference/medical-model-sources.md.
 */
export const ILLNESS_RESPONSE = [1, 1, 1, 1, 1, 0.98, 0.95, 0.9, 0.85, 0.75, 0.65] as const;
/**
 * What care that failed does to the trend, by injury type. A wound surgery did not control bleeds
 * slower (packing, transfusion); an illness that did not respond goes on to organ failure, faster.
 */
export const UNCONTROLLED_AFTER_CARE: Readonly<Record<InjuryType, number>> = {
  BATTLE_TRAUMA: 0.3,
  NON_BATTLE: 0.3,
  DISEASE: 2,
};

/** Recovery once controlled (or for a casualty who needs no surgery), per echelon. */
export const RECOVERY_PER_HOUR: Readonly<Record<Facility, number>> = {
  POI: 0,
  Role1: 1.5,
  Role2: 3,
  Role3: 4,
  Role4: 5,
};

/**
 * Lowest health at which a casualty may return to duty from an echelon: a minimal casualty's (T3). A
 * casualty who fell to a delayed one's health while it waited at the point of injury goes on to care
 * (memory/fixes/0249-returned-to-duty-at-a-delayed-casualtys-health.md).
 */
export const RTD_MIN_HEALTH = T2_BELOW;

/**
 * A concussed casualty rests this long after the injury before a provider may return it to duty (the
 * US military's mandatory 24-hour rest after a concussive event;
 * memory/fixes/0331-concussions-returned-to-duty-from-the-point-of-injury.md).
 */
export const CONCUSSION_REST_HOURS = 24;
/**
 * When, after that rest (or an illness's isolation, ISOLATION_HOURS), the provider sees it
 * and returns it to duty (a modelling choice).
 */
export const CONCUSSION_CLEARANCE_HOURS: readonly [number, number] = [0.5, 6];
/**
 * A soldier with a contagious illness (influenza, COVID-19, an infectious diarrhoea) is isolated this
 * long after its onset at least, then cleared as a concussion is (CONCUSSION_CLEARANCE_HOURS): 48 hours
 * free of diarrhoea and vomiting, or 24 fever-free with the symptoms easing, after a day or two of
 * illness (a modelling choice on UKHSA's and the CDC's guidance;
 * memory/fixes/0355-contagious-illnesses-back-on-duty-within-hours.md). An illness with a fever rests
 * as long (memory/fixes/0388-febrile-illnesses-back-on-duty-within-hours.md).
 */
export const ISOLATION_HOURS = 72;

/** Extra travel when a full facility sends a casualty to another of the same role. */
export const DIVERSION_HOURS: readonly [number, number] = [0.3, 1.0];
