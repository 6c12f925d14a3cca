/** Injury categories: the configuration names users write and the codes the record carries. */

export const INJURY_TYPES = ['DISEASE', 'NON_BATTLE', 'BATTLE_TRAUMA'] as const;
export type InjuryType = (typeof INJURY_TYPES)[number];

/** Keys accepted in `injury_distribution`, as in the original's templates. */
export const INJURY_MIX_KEYS = ['Disease', 'Non-Battle Injury', 'Battle Injury'] as const;
export type InjuryMixKey = (typeof INJURY_MIX_KEYS)[number];

export const INJURY_TYPE_BY_KEY: Record<InjuryMixKey, InjuryType> = {
  Disease: 'DISEASE',
  'Non-Battle Injury': 'NON_BATTLE',
  'Battle Injury': 'BATTLE_TRAUMA',
};

export const INJURY_KEY_BY_TYPE: Record<InjuryType, InjuryMixKey> = {
  DISEASE: 'Disease',
  NON_BATTLE: 'Non-Battle Injury',
  BATTLE_TRAUMA: 'Battle Injury',
};

/** Injury-type multipliers on facility KIA/RTD rates: disease rarely kills, and mostly returns to duty. */
export const INJURY_KIA_MODIFIER: Record<InjuryType, number> = {
  BATTLE_TRAUMA: 1,
  NON_BATTLE: 0.2,
  DISEASE: 0.05,
};
export const INJURY_RTD_MODIFIER: Record<InjuryType, number> = {
  BATTLE_TRAUMA: 0.9,
  NON_BATTLE: 1.2,
  DISEASE: 1.5,
};
