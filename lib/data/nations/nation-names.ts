/**
 * Native-looking personal names for synthetic military casualties, per nation (ISO 3166-1 alpha-3).
 * Covers the 32 NATO members plus the partner nations AUS and NZL. Names are written in native Latin
 * spelling with diacritics; Cyrillic/Greek-script nations (BGR, GRC, MKD) use passport transliteration.
 * Given and family names are drawn independently. Where a language has gendered surname forms
 * (e.g. Kowalski/Kowalska, Novák/Nováková, Jónsson/Jónsdóttir) `family.female` holds the feminine forms
 * in the same order as `family.male`; otherwise both point to the same array.
 */

import { NATION_NAMES_A_E } from './nation-names-a-e.js';
import { NATION_NAMES_F_L } from './nation-names-f-l.js';
import { NATION_NAMES_M_R } from './nation-names-m-r.js';
import { NATION_NAMES_S_Z } from './nation-names-s-z.js';

export interface NationNames {
  /** ISO 3166-1 alpha-3 code. */
  readonly code: string;
  /** English country name. */
  readonly name: string;
  /** False for partner nations (AUS, NZL). */
  readonly nato: boolean;
  readonly given: { readonly male: readonly string[]; readonly female: readonly string[] };
  readonly family: { readonly male: readonly string[]; readonly female: readonly string[] };
}

/** All 34 nations, sorted by code. */
export const NATION_NAMES: readonly NationNames[] = [
  ...NATION_NAMES_A_E,
  ...NATION_NAMES_F_L,
  ...NATION_NAMES_M_R,
  ...NATION_NAMES_S_Z,
];
