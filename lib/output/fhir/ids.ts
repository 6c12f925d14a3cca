/**
 * Deterministic resource ids: a UUID-shaped id from (job seed, patient index, ordinal).
 *
 * The four 32-bit input words go through two rounds of invertible mixing (murmur3's fmix32 and
 * add/xor between lanes), so distinct inputs give distinct 128-bit outputs; 6 bits are then fixed
 * for the RFC 9562 version 4 / variant 10 shape, as the engine's own record uuids are. No crypto:
 * a FHIR bundle needs dozens of ids per patient and this costs a few dozen integer multiplies each.
 */
import type { seedWords } from '../../generation/index.js';

/** The job seed hashed to two 32-bit words (lib/generation's SeedWords). */
export type SeedWords = ReturnType<typeof seedWords>;

/** Patient index used for the job-wide facilities bundle (patients are < 10^7). */
export const JOB_SCOPE = 0xffffffff;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex32(w: number): string {
  return HEX[w >>> 24] + HEX[(w >>> 16) & 0xff] + HEX[(w >>> 8) & 0xff] + HEX[w & 0xff];
}

/** A v4-shaped UUID (lower-case, 8-4-4-4-12) derived from the seed, an index and an ordinal. */
export function deterministicUuid(seed: SeedWords, index: number, ordinal: number): string {
  let a = seed.hi >>> 0;
  let b = seed.lo >>> 0;
  let c = index >>> 0;
  let d = ordinal >>> 0;
  for (let round = 0; round < 2; round++) {
    a = fmix32((a + 0x9e3779b9) >>> 0);
    b = fmix32((b ^ a) >>> 0);
    c = fmix32((c + b) >>> 0);
    d = fmix32((d ^ c) >>> 0);
    a = (a + d) >>> 0;
    b = (b ^ d) >>> 0;
    c = (c + a) >>> 0;
  }
  b = ((b & 0xffff0fff) | 0x00004000) >>> 0; // version 4
  c = ((c & 0x3fffffff) | 0x80000000) >>> 0; // variant 10
  const hb = hex32(b);
  const hc = hex32(c);
  return `${hex32(a)}-${hb.slice(0, 4)}-${hb.slice(4)}-${hc.slice(0, 4)}-${hc.slice(4)}${hex32(d)}`;
}

/** Allocates ids for one patient: ordinal 0, 1, 2, … in the order resources are built. */
export class IdSequence {
  private ordinal = 0;
  constructor(
    private readonly seed: SeedWords,
    private readonly index: number,
  ) {}

  next(): string {
    return deterministicUuid(this.seed, this.index, this.ordinal++);
  }
}
