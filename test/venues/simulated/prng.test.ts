import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chance, combine, hashString, Mulberry32, normaliseSeed, uniformInt } from '../../../source/venues/simulated/prng.js';

const take = (seed: number, n: number): number[] => {
  const r = new Mulberry32(seed);
  return Array.from({ length: n }, () => r.nextUint32());
};

describe('prng', () => {
  it('mulberry32 replays a stream from its seed and from a saved state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        expect(take(seed, 20)).toEqual(take(seed, 20));
        const r = new Mulberry32(seed);
        r.nextUint32();
        const saved = r.state;
        const next = [r.nextUint32(), r.nextUint32()];
        const resumed = new Mulberry32(saved);
        expect([resumed.nextUint32(), resumed.nextUint32()]).toEqual(next);
      }),
    );
  });

  it('mulberry32 gives unsigned 32-bit values that differ between seeds and look uniform', () => {
    expect(take(1, 8)).not.toEqual(take(2, 8));
    const xs = take(42, 20_000);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const x of xs) buckets[Math.floor(x / 2 ** 32 * 10)]! += 1;
    for (const b of buckets) expect(Math.abs(b - 2_000)).toBeLessThan(250);
  });

  it('uniformInt stays in range and rejects bad ranges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -5_000, max: 5_000 }), fc.integer({ min: 0, max: 5_000 }), (u, lo, span) => {
        const v = uniformInt(u, lo, lo + span);
        expect(v >= lo && v <= lo + span && Number.isInteger(v)).toBe(true);
      }),
    );
    expect(() => uniformInt(1, 5, 4)).toThrow(RangeError);
  });

  it('chance honours the edges and the probability', () => {
    expect(chance(0, 0)).toBe(false);
    expect(chance(0xffffffff, 1)).toBe(true);
    expect(chance(0, Number.NaN)).toBe(false);
    const r = new Mulberry32(7);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (r.chance(0.15)) hits++;
    expect(Math.abs(hits - 3_000)).toBeLessThan(300);
  });

  it('hashString and combine are deterministic and sensitive to every part', () => {
    expect(hashString('KXALIENS-27')).toBe(hashString('KXALIENS-27'));
    expect(hashString('a')).not.toBe(hashString('b'));
    expect(combine(1, 2, 3)).toBe(combine(1, 2, 3));
    expect(combine(1, 2, 3)).not.toBe(combine(1, 3, 2));
    expect(combine(1, 2)).not.toBe(combine(1, 2, 0));
  });

  it('normaliseSeed keeps 32-bit seeds and maps others deterministically', () => {
    expect(normaliseSeed(42)).toBe(42);
    expect(normaliseSeed(-1)).toBe(normaliseSeed(-1));
    expect(normaliseSeed(-1)).not.toBe(normaliseSeed(-2));
    expect(normaliseSeed(2 ** 40)).toBe(hashString(String(2 ** 40)));
    expect(() => normaliseSeed(Number.NaN)).toThrow(RangeError);
  });
});
