import { describe, expect, it } from 'vitest';
import { NATION_NAMES, PRESETS } from '../../../lib/data/index.js';

const NATO = [
  'ALB',
  'BEL',
  'BGR',
  'CAN',
  'HRV',
  'CZE',
  'DNK',
  'EST',
  'FIN',
  'FRA',
  'DEU',
  'GRC',
  'HUN',
  'ISL',
  'ITA',
  'LVA',
  'LTU',
  'LUX',
  'MNE',
  'NLD',
  'MKD',
  'NOR',
  'POL',
  'PRT',
  'ROU',
  'SVK',
  'SVN',
  'ESP',
  'SWE',
  'TUR',
  'GBR',
  'USA',
];

describe('nation name data', () => {
  it('covers all 32 NATO members by ISO 3166 alpha-3 code', () => {
    const nato = NATION_NAMES.filter((n) => n.nato).map((n) => n.code);
    expect([...nato].sort()).toEqual([...NATO].sort());
  });

  it('has at least 40 distinct given names per sex and 40 family names for every nation', () => {
    const short = NATION_NAMES.flatMap((n) =>
      (
        [
          ['given male', n.given.male],
          ['given female', n.given.female],
          ['family male', n.family.male],
          ['family female', n.family.female],
        ] as const
      )
        .filter(([, list]) => new Set(list).size < 40)
        .map(([what]) => `${n.code} ${what}`),
    );
    expect(short).toEqual([]);
  });

  it('has name data for every nation a preset uses', () => {
    const known = new Set(NATION_NAMES.map((n) => n.code));
    const used = PRESETS.flatMap((p) => p.fronts.flatMap((f) => Object.keys(f.nations)));
    expect(used.filter((code) => !known.has(code))).toEqual([]);
  });

  it('writes names in native spelling (letters, spaces, apostrophes, hyphens only)', () => {
    const bad = NATION_NAMES.flatMap((n) =>
      [...n.given.male, ...n.given.female, ...n.family.male, ...n.family.female].filter(
        (name) => !/^[\p{L}][\p{L}\p{M}' -]*$/u.test(name),
      ),
    );
    expect(bad).toEqual([]);
    // A few native spellings that an ASCII-only list would lose.
    const all = new Set(NATION_NAMES.flatMap((n) => [...n.given.male, ...n.given.female, ...n.family.male]));
    expect([...all].some((name) => /[łóśćżźęą]/.test(name))).toBe(true);
  });
});
