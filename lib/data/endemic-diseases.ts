/**
 * Diseases a force meets only where they are endemic (vector- and water-borne, tropical and
 * subtropical theatres). The conditions that carry one (clinical-codes.ts `endemic`) occur only in a
 * scenario whose `endemic_diseases` names it: no malaria at an Arctic forward base.
 */
export const ENDEMIC_DISEASES = ['malaria', 'dengue', 'leishmaniasis', 'typhoid_fever'] as const;
export type EndemicDisease = (typeof ENDEMIC_DISEASES)[number];
