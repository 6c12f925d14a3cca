/**
 * Ages of casualties (memory/decisions/0939-casualty-ages.md): a deployed force is young. The US
 * active-duty force, the one NATO force with a published age breakdown every year, averaged 28.5
 * years in 2022 (enlisted 27.3, officers 34.3) and had 45 % of its members aged 25 or younger in 2020
 * (DoD Demographics, Profile of the Military Community). The bands below are the project's planning
 * assumption shaped to those two figures: mean about 28.4, 45 % at 18-25, 9 % over 40, a few to 55.
 */

export const MIN_AGE = 18;
export const MAX_AGE = 55;

/** A band of whole years, inclusive, and its share of casualties in percent. */
export interface AgeBand {
  readonly from: number;
  readonly to: number;
  readonly percent: number;
}

/** The bands, covering 18..55. */
export const AGE_BANDS: readonly AgeBand[] = [
  { from: 18, to: 18, percent: 3 },
  { from: 19, to: 19, percent: 5 },
  { from: 20, to: 25, percent: 37 },
  { from: 26, to: 30, percent: 21 },
  { from: 31, to: 35, percent: 15 },
  { from: 36, to: 40, percent: 10.5 },
  { from: 41, to: 45, percent: 5 },
  { from: 46, to: 50, percent: 2.5 },
  { from: 51, to: 55, percent: 1 },
];

/** The weight of each age from MIN_AGE to MAX_AGE: its band's share spread evenly over the band. */
export const AGE_WEIGHTS: readonly number[] = AGE_BANDS.flatMap((band) => {
  const years = band.to - band.from + 1;
  return Array.from({ length: years }, () => band.percent / years);
});
