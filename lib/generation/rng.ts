/**
 * Seeded pseudo-random numbers for the engine (the determinism contract: memory/decisions/0001-engine-determinism.md).
 * xoshiro128** seeded through splitmix32: fast on 32-bit integer maths, and every stream is
 * derived from (job seed, stream key), so any patient can be generated on its own.
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  range(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Normal draw (Box-Muller). */
  normal(mean: number, sd: number): number;
}

/** Two 32-bit words identifying a job seed. */
export interface SeedWords {
  readonly hi: number;
  readonly lo: number;
}

const GOLDEN = 0x9e3779b9;

/** splitmix32's output function: avalanches one 32-bit state into a well-mixed word. */
function mix32(state: number): number {
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return z >>> 0;
}

/** Hashes any seed (integer or string) to two 32-bit words with FNV-1a then avalanche mixing. */
export function seedWords(seed: string | number): SeedWords {
  const text = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  const a = mix32(((h1 ^ Math.imul(h2, 0x27d4eb2d)) + GOLDEN) | 0);
  const b = mix32(((h2 ^ a) + GOLDEN) | 0);
  return { hi: a, lo: b };
}

/** Stream keys keep the plan's randomness apart from each patient's. */
export const STREAM = {
  plan: 0x504c414e,
  patient: 0x50415449,
  /** Medications, allergies and complications (medications.ts): their own draws leave the patient's unchanged. */
  medication: 0x4d454453,
  /** Injury time within the event, injury type, triage and primary condition: read by the plan too. */
  clinical: 0x434c494e,
  /** One stream per (patient, echelon) leg of the course (course.ts): index patient × 8 + echelon. */
  course: 0x43525345,
  /** The facility of an echelon a patient goes to when several serve its front (capacity.ts). */
  home: 0x484f4d45,
  /** The extra travel of a diversion away from a full facility (capacity.ts). */
  divert: 0x44495654,
} as const;

class Xoshiro128 implements Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  // A flag beside a number, not `number | undefined`: the field then stays an unboxed double.
  private hasSpare = false;
  private spare = 0;

  constructor(a: number, b: number, c: number, d: number) {
    this.seed(a, b, c, d);
  }

  seed(a: number, b: number, c: number, d: number): void {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    this.hasSpare = false;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  private u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  next(): number {
    return this.u32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  normal(mean: number, sd: number): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + sd * this.spare;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A generator for one stream of a job: (seed, stream, index) always yields the same sequence. */
export function createRng(seed: SeedWords, stream: number, index = 0): Rng {
  const rng = new Xoshiro128(0, 0, 0, 1);
  reseed(rng, seed, stream, index);
  return rng;
}

/**
 * Points a generator made by createRng at another (seed, stream, index), as createRng would start
 * it: hot loops draw many short streams without allocating one object each.
 */
export function reseed(rng: Rng, seed: SeedWords, stream: number, index = 0): Rng {
  // Four splitmix32 steps, each folding in part of (seed, stream, index).
  const s1 = ((seed.hi ^ Math.imul(stream, 0x9e3779b1) ^ index) + GOLDEN) | 0;
  const s2 = ((s1 ^ seed.lo) + GOLDEN) | 0;
  const s3 = ((s2 ^ Math.imul(index, 0x85ebca6b)) + GOLDEN) | 0;
  const s4 = ((s3 ^ Math.floor(index / 4294967296)) + GOLDEN) | 0;
  (rng as Xoshiro128).seed(mix32(s1), mix32(s2), mix32(s3), mix32(s4));
  return rng;
}

/** Index of a weighted choice; weights need not be normalised. */
export function weightedIndex(rng: Rng, weights: readonly number[], total?: number): number {
  const sum = total ?? weights.reduce((acc, w) => acc + w, 0);
  let r = rng.next() * sum;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return weights.length - 1;
}

/** Cumulative distribution for repeated weighted draws (faster than weightedIndex in hot loops). */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    out[i] = acc;
  }
  return out;
}

export function drawCumulative(rng: Rng, cdf: Float64Array): number {
  const r = rng.next() * cdf[cdf.length - 1];
  for (let i = 0; i < cdf.length; i++) if (r < cdf[i]) return i;
  return cdf.length - 1;
}

/**
 * Largest-remainder apportionment: splits `total` units over `weights` so the parts sum exactly to
 * `total`. `canTakeRemainder` excludes slots from receiving rounding units (used to keep hour 0 at or
 * below its share).
 */
export function apportion(
  total: number,
  weights: readonly number[],
  canTakeRemainder: (i: number) => boolean = () => true,
): number[] {
  const sum = weights.reduce((acc, w) => acc + w, 0);
  if (total === 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = total - parts.reduce((acc, p) => acc + p, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .filter(({ i }) => weights[i] > 0)
    .sort((p, q) => q.frac - p.frac || p.i - q.i);
  const eligible = order.filter(({ i }) => canTakeRemainder(i));
  const queue = eligible.length > 0 ? eligible : order;
  for (let k = 0; left > 0; k = (k + 1) % queue.length, left--) parts[queue[k].i]++;
  return parts;
}
