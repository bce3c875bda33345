/**
 * Small deterministic pseudo-random tools for the simulated venues. No
 * `Math` randomness: every number is a pure function of the seed and of the
 * labels it is derived from, so the same seed always replays the same world.
 *
 * - `mulberry32` (Tommy Ettinger's public-domain generator): a 32-bit state,
 *   good enough for a demo's random walks, trivially serialisable.
 * - `hashString` (FNV-1a, 32 bit) and `mix32` (the murmur3 finaliser) derive
 *   independent streams from (seed, label, tick…) without sharing state.
 */

/** FNV-1a over the UTF-16 code units of `text`, as an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3 fmix32: a bijective avalanche of a 32-bit integer. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combine several 32-bit values (seed, label hash, tick…) into one well-mixed 32-bit value. */
export function combine(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = mix32((h ^ mix32(p >>> 0)) + 0x7f4a7c15);
  }
  return h >>> 0;
}

/** Reduce any JS number seed (e.g. from --seed) to an unsigned 32-bit integer, deterministically. */
export function normaliseSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed >>> 0;
  return hashString(String(seed));
}

/** A mulberry32 generator; `state` can be read and restored to checkpoint a stream. */
export class Mulberry32 {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return uniformInt(this.nextUint32(), min, max);
  }

  /** True with probability `p` (clamped to [0, 1]). */
  chance(p: number): boolean {
    return chance(this.nextUint32(), p);
  }
}

/** Map a uniform 32-bit value onto [min, max] (inclusive); min and max are safe integers. */
export function uniformInt(u32: number, min: number, max: number): number {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
    throw new RangeError(`bad integer range [${min}, ${max}]`);
  }
  const span = max - min + 1;
  // span is small in this module (≤ a few thousand); modulo bias is below 1e-6
  return min + ((u32 >>> 0) % span);
}

/** True with probability `p` for a uniform 32-bit draw. `p` ≤ 0 never, `p` ≥ 1 always. */
export function chance(u32: number, p: number): boolean {
  if (!(p > 0)) return false;
  if (p >= 1) return true;
  return (u32 >>> 0) < Math.floor(p * 0x1_0000_0000);
}
