/** Tempo curves (casualties per day) and intensity factors. */

export const TEMPOS = ['sustained', 'escalating', 'surge', 'declining', 'intermittent'] as const;
export type Tempo = (typeof TEMPOS)[number];

/** Eight daily weights per tempo; days beyond the eighth repeat the last value (original behaviour). */
export const TEMPO_DAILY: Record<Tempo, readonly number[]> = {
  sustained: [1, 1, 1, 1, 1, 1, 1, 1],
  escalating: [0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8],
  surge: [0.5, 1.5, 2.0, 1.5, 0.5, 0.8, 1.2, 0.6],
  declining: [1.8, 1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4],
  intermittent: [1.0, 0.3, 1.5, 0.4, 1.2, 0.2, 1.0, 0.5],
};

export const INTENSITIES = ['low', 'medium', 'high', 'extreme'] as const;
export type Intensity = (typeof INTENSITIES)[number];

/** Intensity shapes clustering and special events, never the number of casualties. */
export const INTENSITY_FACTOR: Record<Intensity, number> = { low: 0.5, medium: 1.0, high: 1.2, extreme: 1.5 };

export function dailyWeight(tempo: Tempo, day: number): number {
  const curve = TEMPO_DAILY[tempo];
  return curve[Math.min(day, curve.length - 1)];
}
