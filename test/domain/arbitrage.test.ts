import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestArbitrage, bestArbitrageReference, commonSizeStep, directionsFor, walkLeg, type LegInput } from '../../source/domain/arbitrage.js';
import { feeFor, type FeeModel } from '../../source/domain/fees.js';
import { uniformGrid, type Market } from '../../source/domain/market.js';
import { divRound, ONE, parseDecimal, SCALE } from '../../source/domain/money.js';
import { normaliseAsks, type Level } from '../../source/domain/order-book.js';
import { testMarket } from '../helpers/market.js';

const d = (s: string): bigint => parseDecimal(s);
const KALSHI_FEE: FeeModel = { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' };
const POLY_FEE: FeeModel = { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' };
const FEES = { kalshiRounding: 'centicent' as const };

function market(venue: 'kalshi' | 'polymarket', fee: FeeModel, overrides: Partial<Market> = {}): Market {
  return testMarket(venue, { fee, ...overrides });
}

const K = market('kalshi', KALSHI_FEE);
const P = market('polymarket', POLY_FEE);

function leg(m: Market, side: 'yes' | 'no', levels: Array<[string, string]>): LegInput {
  return { market: m, side, asks: normaliseAsks(levels.map(([p, s]) => ({ price: d(p), size: d(s) }))) };
}

describe('bestArbitrage: worked examples', () => {
  it('one level each: buys the whole overlap when every contract is profitable', () => {
    // 0.40 + 0.50 = 0.90; Kalshi fee 100@0.40 = 0.07×100×0.24 = 1.68; Polymarket 0.03×100×0.25 = 0.75
    const r = bestArbitrage(leg(K, 'yes', [['0.40', '100']]), leg(P, 'no', [['0.50', '150']]), {}, FEES);
    expect(r.kind).toBe('opportunity');
    if (r.kind !== 'opportunity') return;
    const a = r.arbitrage;
    expect(a.size).toBe(d('100'));
    expect(a.legs[0].cost).toBe(d('40'));
    expect(a.legs[0].fee).toBe(d('1.68'));
    expect(a.legs[1].cost).toBe(d('50'));
    expect(a.legs[1].fee).toBe(d('0.75'));
    expect(a.totalCost).toBe(d('92.43'));
    expect(a.payout).toBe(d('100'));
    expect(a.netProfit).toBe(d('7.57'));
    expect(a.legs[0].worstPrice).toBe(d('0.40'));
  });

  it('stops walking where the next level would lose money after fees', () => {
    const r = bestArbitrage(
      leg(K, 'yes', [
        ['0.40', '10'],
        ['0.48', '50'],
      ]),
      leg(P, 'no', [['0.50', '100']]),
      {},
      FEES,
    );
    // second level: 0.48 + 0.50 = 0.98 before fees (~0.0175 + 0.0075 per contract) → loses
    expect(r.kind).toBe('opportunity');
    if (r.kind === 'opportunity') {
      expect(r.arbitrage.size).toBe(d('10'));
      expect(r.arbitrage.legs[0].fills).toHaveLength(1);
    }
  });

  it('Kalshi fee rounding at small sizes: each fill rounds up on its own', () => {
    // 1 contract at 0.52: 0.07 × 0.2496 = 0.017472 → $0.0175 (centicent) / $0.02 (cent)
    const a = leg(K, 'yes', [['0.52', '1']]);
    const b = leg(market('polymarket', { kind: 'polymarket', rate: 0n, exponent: 1, takerOnly: true, source: 'disabled' }), 'no', [['0.40', '1']]);
    const centicent = bestArbitrage(a, b, {}, FEES);
    expect(centicent.kind === 'opportunity' && centicent.arbitrage.legs[0].fee).toBe(d('0.0175'));
    expect(centicent.kind === 'opportunity' && centicent.arbitrage.netProfit).toBe(d('0.0625'));
    const cent = bestArbitrage(a, b, {}, { kalshiRounding: 'cent' });
    expect(cent.kind === 'opportunity' && cent.arbitrage.legs[0].fee).toBe(d('0.02'));
    // two levels of 1 contract: two fills, two roundings (0.0175 + 0.0175), not one on 2 contracts (0.034944 → 0.035)
    const two = bestArbitrage(
      leg(K, 'yes', [
        ['0.52', '1'],
        ['0.48', '1'],
      ]),
      leg(market('polymarket', { kind: 'polymarket', rate: 0n, exponent: 1, takerOnly: true, source: 'disabled' }), 'no', [['0.40', '2']]),
      {},
      FEES,
    );
    expect(two.kind === 'opportunity' && two.arbitrage.legs[0].fee).toBe(d('0.035'));
    // 0.01 contract at 0.50: 0.07 × 0.01 × 0.25 = 0.000175 → $0.0002 (rounding is a large share of a tiny fill)
    const tiny = bestArbitrage(
      leg(market('kalshi', KALSHI_FEE, { minOrderSize: d('0.01') }), 'yes', [['0.50', '0.01']]),
      leg(market('polymarket', { kind: 'polymarket', rate: 0n, exponent: 1, takerOnly: true, source: 'disabled' }, { minOrderSize: d('0.01') }), 'no', [['0.40', '0.01']]),
      {},
      FEES,
    );
    expect(tiny.kind === 'opportunity' && tiny.arbitrage.legs[0].fee).toBe(d('0.0002'));
  });

  it('a spread eaten by fees is not an opportunity', () => {
    const r = bestArbitrage(leg(K, 'yes', [['0.49', '100']]), leg(P, 'no', [['0.50', '100']]), {}, FEES);
    expect(r).toMatchObject({ kind: 'none', reason: 'not-profitable' });
  });

  it('fails closed when a fee is unknown', () => {
    const unknownFee = market('polymarket', { kind: 'unknown', reason: 'no fee data' });
    const r = bestArbitrage(leg(K, 'yes', [['0.10', '100']]), leg(unknownFee, 'no', [['0.10', '100']]), {}, FEES);
    expect(r).toMatchObject({ kind: 'none', reason: 'fee-unknown' });
  });

  it('refuses to price without a price grid, and never takes an off-grid level', () => {
    const noGrid = market('kalshi', KALSHI_FEE, { priceRanges: [] });
    expect(bestArbitrage(leg(noGrid, 'yes', [['0.10', '5']]), leg(P, 'no', [['0.10', '5']]), {}, FEES)).toMatchObject({
      reason: 'grid-unknown',
    });
    const r = bestArbitrage(
      leg(K, 'yes', [
        ['0.40', '5'],
        ['0.405', '50'],
      ]),
      leg(P, 'no', [['0.10', '100']]),
      {},
      FEES,
    );
    expect(r.kind === 'opportunity' && r.arbitrage.size).toBe(d('5'));
  });

  it('honours minimum order sizes and size increments on both venues', () => {
    const big = market('polymarket', POLY_FEE, { minOrderSize: d('5'), sizeIncrement: d('1') });
    expect(bestArbitrage(leg(K, 'yes', [['0.30', '4.5']]), leg(big, 'no', [['0.30', '100']]), {}, FEES)).toMatchObject({
      reason: 'below-minimum-size',
    });
    const r = bestArbitrage(leg(K, 'yes', [['0.30', '7.5']]), leg(big, 'no', [['0.30', '100']]), {}, FEES);
    expect(r.kind === 'opportunity' && r.arbitrage.size).toBe(d('7'));
  });

  it('caps size and capital', () => {
    const a = leg(K, 'yes', [['0.40', '1000']]);
    const b = leg(P, 'no', [['0.50', '1000']]);
    const capped = bestArbitrage(a, b, { maxSize: d('25') }, FEES);
    expect(capped.kind === 'opportunity' && capped.arbitrage.size).toBe(d('25'));
    const capital = bestArbitrage(a, b, { maxCapital: d('50') }, FEES);
    expect(capital.kind).toBe('opportunity');
    if (capital.kind === 'opportunity') {
      expect(capital.arbitrage.totalCost).toBeLessThanOrEqual(d('50'));
      // one more step would exceed the cap
      const next = bestArbitrage(a, b, { maxSize: capital.arbitrage.size + d('0.01') }, FEES);
      expect(next.kind === 'opportunity' && next.arbitrage.totalCost).toBeGreaterThan(d('50'));
    }
    expect(bestArbitrage(a, b, { maxCapital: d('0.5') }, FEES)).toMatchObject({ reason: 'limit' });
  });

  it('caps each leg at the money free on its venue, fees included', () => {
    const a = leg(K, 'yes', [['0.40', '1000']]);
    const b = leg(P, 'no', [['0.50', '1000']]);
    for (const [limits, which] of [
      [{ maxCostA: d('30') }, 0],
      [{ maxCostB: d('30') }, 1],
      [{ maxCostA: d('80'), maxCostB: d('30'), maxCapital: d('500') }, 1],
    ] as const) {
      for (const f of [bestArbitrage, bestArbitrageReference]) {
        const r = f(a, b, limits, FEES);
        expect(r.kind).toBe('opportunity');
        if (r.kind !== 'opportunity') continue;
        const leg = r.arbitrage.legs[which];
        const cap = d('30');
        expect(leg.cost + leg.fee).toBeLessThanOrEqual(cap);
        // the largest size that fits: one more step would not
        const next = f(a, b, { maxSize: r.arbitrage.size + d('0.01') }, FEES);
        if (next.kind !== 'opportunity') throw new Error('expected an opportunity');
        const nextLeg = next.arbitrage.legs[which];
        expect(nextLeg.cost + nextLeg.fee).toBeGreaterThan(cap);
      }
    }
    // 0.40 × 1 contract + fee is more than $0.30: the minimum order does not fit, and the answer says which leg
    for (const f of [bestArbitrage, bestArbitrageReference]) {
      expect(f(a, b, { maxCostA: d('0.30') }, FEES)).toMatchObject({ reason: 'limit', detail: expect.stringContaining('first leg') });
      expect(f(a, b, { maxCostB: d('0.30') }, FEES)).toMatchObject({ reason: 'limit', detail: expect.stringContaining('second leg') });
      expect(f(a, b, { maxCapital: d('0.5'), maxCostA: d('0.30') }, FEES)).toMatchObject({ reason: 'limit', detail: expect.stringContaining('capital limit') });
    }
  });

  it('directions: same pairs buy opposite outcomes, inverse pairs the same outcome', () => {
    expect(directionsFor('same')).toEqual([
      { first: 'yes', second: 'no' },
      { first: 'no', second: 'yes' },
    ]);
    expect(directionsFor('inverse')).toEqual([
      { first: 'yes', second: 'yes' },
      { first: 'no', second: 'no' },
    ]);
  });

  it('common size step is the least common multiple', () => {
    expect(commonSizeStep(d('0.01'), d('1'))).toBe(d('1'));
    expect(commonSizeStep(d('0.02'), d('0.03'))).toBe(d('0.06'));
  });
});

// ---- properties --------------------------------------------------------------

const cents = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((c) => BigInt(c) * 10_000n);
const size = fc.integer({ min: 1, max: 5_000 }).map((n) => BigInt(n) * 10_000n); // 0.01 … 50.00
const ladder = fc.array(fc.record({ price: cents(1, 99), size }), { minLength: 1, maxLength: 6 }).map((levels) => normaliseAsks(levels));
const feeModel: fc.Arbitrary<FeeModel> = fc.oneof(
  fc.record({
    kind: fc.constant('kalshi' as const),
    feeType: fc.constantFrom('quadratic' as const, 'quadratic_with_maker_fees' as const),
    multiplier: fc.integer({ min: 0, max: 2_000_000 }).map(BigInt),
    source: fc.constant('series' as const),
  }),
  fc.record({
    kind: fc.constant('polymarket' as const),
    rate: fc.integer({ min: 0, max: 100_000 }).map(BigInt),
    exponent: fc.constantFrom(1, 2),
    takerOnly: fc.constant(true),
    source: fc.constantFrom('clob' as const, 'gamma' as const),
  }),
);

/** Independent recomputation of what buying `n` from a ladder costs, fill by fill. */
function costOf(levels: readonly Level[], fee: FeeModel, n: bigint): bigint | null {
  let left = n;
  let total = 0n;
  for (const l of levels) {
    if (left === 0n) break;
    const take = l.size < left ? l.size : left;
    const f = feeFor(fee, l.price, take, 'taker', 'centicent');
    if (!f.known) return null;
    total += divRound(l.price * take, SCALE, 'ceil') + f.fee;
    left -= take;
  }
  return left === 0n ? total : null;
}

describe('bestArbitrage: properties', () => {
  it('reported figures are what those fills really cost and pay, and profit is positive', () => {
    fc.assert(
      fc.property(ladder, ladder, feeModel, feeModel, (la, lb, fa, fb) => {
        const ma = market('kalshi', fa);
        const mb = market('polymarket', fb);
        const r = bestArbitrage({ market: ma, side: 'yes', asks: la }, { market: mb, side: 'no', asks: lb }, {}, FEES);
        if (r.kind !== 'opportunity') return;
        const a = r.arbitrage;
        const ca = costOf(la, fa, a.size);
        const cb = costOf(lb, fb, a.size);
        expect(ca).not.toBeNull();
        expect(cb).not.toBeNull();
        expect(a.totalCost).toBe((ca ?? 0n) + (cb ?? 0n));
        expect(a.payout).toBe(a.size);
        expect(a.netProfit).toBe(a.payout - a.totalCost);
        expect(a.netProfit > 0n).toBe(true);
        expect(a.legs[0].size).toBe(a.legs[1].size);
        for (const legFill of a.legs) {
          expect(legFill.fills.reduce((s, f) => s + f.size, 0n)).toBe(a.size);
          expect(legFill.vwap <= legFill.worstPrice).toBe(true);
        }
        expect(a.size % 10_000n).toBe(0n);
        expect(a.size >= ONE).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('each leg costs at most its limit, fees included, and both together at most the capital limit', () => {
    const cap = fc.option(fc.bigInt({ min: 0n, max: 150n * ONE }), { nil: undefined });
    fc.assert(
      fc.property(ladder, ladder, feeModel, feeModel, cap, cap, cap, (la, lb, fa, fb, maxCapital, maxCostA, maxCostB) => {
        const a = { market: market('kalshi', fa), side: 'yes' as const, asks: la };
        const b = { market: market('polymarket', fb), side: 'no' as const, asks: lb };
        const limits = { maxCapital, maxCostA, maxCostB };
        const r = bestArbitrage(a, b, limits, FEES);
        if (r.kind !== 'opportunity') return;
        const [legA, legB] = r.arbitrage.legs;
        if (maxCostA !== undefined) expect(legA.cost + legA.fee <= maxCostA).toBe(true);
        if (maxCostB !== undefined) expect(legB.cost + legB.fee <= maxCostB).toBe(true);
        if (maxCapital !== undefined) expect(r.arbitrage.totalCost <= maxCapital).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('no size on the grid does better than the one chosen (up to per-fill fee rounding)', () => {
    fc.assert(
      fc.property(ladder, ladder, feeModel, feeModel, (la, lb, fa, fb) => {
        const ma = market('kalshi', fa, { sizeIncrement: ONE });
        const mb = market('polymarket', fb, { sizeIncrement: ONE });
        const r = bestArbitrage({ market: ma, side: 'yes', asks: la }, { market: mb, side: 'no', asks: lb }, {}, FEES);
        const depth = (l: readonly Level[]) => l.reduce((s, x) => s + x.size, 0n);
        const max = (depth(la) < depth(lb) ? depth(la) : depth(lb)) / ONE;
        let brute = 0n;
        for (let n = 1n; n <= max; n += 1n) {
          const ca = costOf(la, fa, n * ONE);
          const cb = costOf(lb, fb, n * ONE);
          if (ca === null || cb === null) continue;
          const profit = n * ONE - ca - cb;
          if (profit > brute) brute = profit;
        }
        const found = r.kind === 'opportunity' ? r.arbitrage.netProfit : 0n;
        expect(found <= brute).toBe(true);
        // Fees round up per fill; on the stretch where the optimum lies, at most two
        // fills (one per leg) are partial, so a brute-force size can beat a
        // breakpoint by at most two rounding steps ($0.0001 each).
        expect(brute - found <= 200n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never reports an opportunity when the best asks sum to $1 or more', () => {
    fc.assert(
      fc.property(ladder, ladder, feeModel, feeModel, (la, lb, fa, fb) => {
        const r = bestArbitrage(
          { market: market('kalshi', fa), side: 'yes', asks: la },
          { market: market('polymarket', fb), side: 'no', asks: lb },
          {},
          FEES,
        );
        const sum = (la[0]?.price ?? ONE) + (lb[0]?.price ?? ONE);
        if (sum >= ONE) expect(r.kind).toBe('none');
      }),
      { numRuns: 300 },
    );
  });

  it('size never exceeds either side\'s depth', () => {
    fc.assert(
      fc.property(ladder, ladder, feeModel, feeModel, (la, lb, fa, fb) => {
        const r = bestArbitrage(
          { market: market('kalshi', fa), side: 'yes', asks: la },
          { market: market('polymarket', fb), side: 'no', asks: lb },
          {},
          FEES,
        );
        if (r.kind !== 'opportunity') return;
        const depth = (l: readonly Level[]) => l.reduce((s, x) => s + x.size, 0n);
        expect(r.arbitrage.size <= depth(la)).toBe(true);
        expect(r.arbitrage.size <= depth(lb)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('higher fees never increase the size or the profit', () => {
    const scaled = (m: FeeModel, k: bigint): FeeModel =>
      m.kind === 'kalshi' ? { ...m, multiplier: m.multiplier * k } : m.kind === 'polymarket' ? { ...m, rate: m.rate * k } : m;
    fc.assert(
      fc.property(ladder, ladder, feeModel, feeModel, fc.integer({ min: 2, max: 4 }), (la, lb, fa, fb, k) => {
        const run = (a: FeeModel, b: FeeModel) =>
          bestArbitrage({ market: market('kalshi', a), side: 'yes', asks: la }, { market: market('polymarket', b), side: 'no', asks: lb }, {}, FEES);
        const low = run(fa, fb);
        const high = run(scaled(fa, BigInt(k)), scaled(fb, BigInt(k)));
        const profit = (r: typeof low) => (r.kind === 'opportunity' ? r.arbitrage.netProfit : 0n);
        const sizeOf = (r: typeof low) => (r.kind === 'opportunity' ? r.arbitrage.size : 0n);
        expect(profit(high) <= profit(low)).toBe(true);
        expect(sizeOf(high) <= sizeOf(low)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('walkLeg refuses a ladder that is too thin', () => {
    const r = walkLeg(K, 'yes', normaliseAsks([{ price: d('0.5'), size: d('1') }]), d('2'), FEES);
    expect(r).toEqual({ error: 'not enough depth' });
  });
});

// ---- the fast path equals the reference, bit for bit ---------------------------

describe('bestArbitrage (safe-integer fast path) equals bestArbitrageReference', () => {
  const anyPrice = fc.oneof(
    { weight: 4, arbitrary: cents(1, 99) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 999 }).map((m) => BigInt(m) * 1_000n) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 999_999 }).map(BigInt) },
    { weight: 1, arbitrary: fc.constantFrom(0n, ONE, -10_000n, ONE + 10_000n) },
  );
  const anySize = fc.oneof(
    { weight: 6, arbitrary: size },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 999_999 }).map(BigInt) },
    { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 60n }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, -ONE) },
  );
  // raw ladders (not normalised): unsorted prices, empty and negative sizes, off-grid levels
  const rawLadder = fc.array(fc.record({ price: anyPrice, size: anySize }), { minLength: 0, maxLength: 8 });
  const sortedLadder = rawLadder.map((l) => [...l].sort((x, y) => (x.price < y.price ? -1 : x.price > y.price ? 1 : 0)));
  const grid = fc.oneof(
    fc.constant(uniformGrid(d('0.01'), ONE)),
    fc.constant(uniformGrid(d('0.001'), ONE)),
    fc.constant([
      { start: d('0.001'), end: d('0.1'), step: d('0.001') },
      { start: d('0.1'), end: d('0.9'), step: d('0.01') },
      { start: d('0.9'), end: d('0.999'), step: d('0.001') },
    ]),
    fc.constant([{ start: 0n, end: ONE, step: 1n }]),
    fc.constant([]),
  );
  const wideFee: fc.Arbitrary<FeeModel> = fc.oneof(
    fc.record({
      kind: fc.constant('kalshi' as const),
      feeType: fc.constantFrom('quadratic' as const, 'quadratic_with_maker_fees' as const, 'quadratic_with_combo_maker_fees' as const, 'flat' as const),
      multiplier: fc.oneof(fc.constantFrom(0n, ONE, d('0.5'), d('2'), -ONE, d('11')), fc.bigInt({ min: 0n, max: 20_000_000n })),
      source: fc.constant('series' as const),
    }),
    fc.record({
      kind: fc.constant('polymarket' as const),
      rate: fc.oneof(fc.constantFrom(0n, d('0.03'), d('0.25'), ONE, d('1.5'), -1n), fc.bigInt({ min: 0n, max: 2_000_000n })),
      exponent: fc.constantFrom(0, 1, 2, 3, 4, 5, 1.5),
      takerOnly: fc.boolean(),
      source: fc.constantFrom('clob' as const, 'gamma' as const, 'disabled' as const),
    }),
    fc.constant({ kind: 'unknown' as const, reason: 'not published' }),
  );
  const sizeRule = fc.record({
    minOrderSize: fc.constantFrom(0n, d('0.01'), ONE, d('5'), -ONE),
    sizeIncrement: fc.constantFrom(d('0.01'), d('0.02'), d('0.03'), ONE, 1n, 0n),
  });
  const limits = fc.record(
    {
      maxSize: fc.oneof(fc.bigInt({ min: -ONE, max: 300n * ONE }), fc.constant(2n ** 60n)),
      maxCapital: fc.oneof(fc.bigInt({ min: -ONE, max: 200n * ONE }), fc.constant(2n ** 60n), fc.constant(-(2n ** 60n))),
      maxCostA: fc.oneof(fc.bigInt({ min: -ONE, max: 120n * ONE }), fc.constant(2n ** 60n), fc.constant(-(2n ** 60n))),
      maxCostB: fc.oneof(fc.bigInt({ min: -ONE, max: 120n * ONE }), fc.constant(2n ** 60n)),
    },
    { requiredKeys: [] },
  );
  const rounding = fc.constantFrom('cent' as const, 'centicent' as const, 'micro' as const);
  const run = (f: typeof bestArbitrage, ...args: Parameters<typeof bestArbitrage>) => {
    try {
      return f(...args);
    } catch (error) {
      return { threw: String(error) };
    }
  };

  it('on random ladders, grids, fee models, size rules and limits', () => {
    fc.assert(
      fc.property(
        fc.oneof(sortedLadder, rawLadder),
        sortedLadder,
        wideFee,
        wideFee,
        grid,
        grid,
        sizeRule,
        sizeRule,
        limits,
        rounding,
        (la, lb, fa, fb, ga, gb, ra, rb, lim, kalshiRounding) => {
          const a: LegInput = { market: market('kalshi', fa, { priceRanges: ga, ...ra }), side: 'yes', asks: la };
          const b: LegInput = { market: market('polymarket', fb, { priceRanges: gb, ...rb }), side: 'no', asks: lb };
          const fees = { kalshiRounding };
          expect(run(bestArbitrage, a, b, lim, fees)).toEqual(run(bestArbitrageReference, a, b, lim, fees));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('on crossed, realistic books (the fast path proper, many levels, both fee tiers)', () => {
    const tick = fc.constantFrom(10_000n, 10_000n, 1_000n, 100n, 1n);
    const deepLadder = (lo: number, hi: number) =>
      fc
        .tuple(tick, fc.array(fc.record({ step: fc.integer({ min: lo, max: hi }), size: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 200_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 500_000_000 }) }) }), { minLength: 1, maxLength: 15 }))
        .map(([t, steps]) => {
          let price = 0n;
          return steps
            .map((s) => {
              price += BigInt(s.step) * t;
              return { price, size: BigInt(s.size) * 10_000n };
            })
            .filter((l) => l.price < ONE);
        });
    const realisticFee: fc.Arbitrary<FeeModel> = fc.oneof(
      fc.record({
        kind: fc.constant('kalshi' as const),
        feeType: fc.constantFrom('quadratic' as const, 'quadratic_with_maker_fees' as const),
        multiplier: fc.oneof(fc.constantFrom(ONE, d('0.5'), d('0.25'), d('2')), fc.bigInt({ min: 0n, max: 3_000_000n })),
        source: fc.constant('series' as const),
      }),
      fc.record({
        kind: fc.constant('polymarket' as const),
        rate: fc.oneof(fc.constantFrom(d('0.03'), d('0.02'), d('0.072'), 0n), fc.bigInt({ min: 0n, max: 200_000n })),
        exponent: fc.constantFrom(1, 2),
        takerOnly: fc.constant(true),
        source: fc.constantFrom('clob' as const, 'gamma' as const),
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 90 }),
        fc.integer({ min: -2, max: 8 }),
        deepLadder(1, 3),
        deepLadder(1, 3),
        realisticFee,
        realisticFee,
        limits,
        rounding,
        fc.option(fc.bigInt({ min: 1n, max: 2n ** 60n })),
        (ba, gap, la, lb, fa, fb, lim, kalshiRounding, tail) => {
          // shift both ladders so that the best asks (in cents) sum to about $1 − gap: crossed, or nearly
          const bb = Math.max(1, 100 - ba - gap - 2);
          const shift = (l: Level[], cents: number) =>
            l.map((x) => ({ price: x.price + BigInt(cents) * 10_000n, size: x.size })).filter((x) => x.price < ONE);
          const grid1 = [{ start: 1n, end: ONE - 1n, step: 1n }];
          // a far, possibly huge level the search never needs (unscanned on a grid inside (0, 1))
          const far = tail === null ? [] : [{ price: ONE - 1n, size: tail }];
          const a: LegInput = { market: market('kalshi', fa, { priceRanges: grid1 }), side: 'yes', asks: [...shift(la, ba), ...far] };
          const b: LegInput = { market: market('polymarket', fb, { priceRanges: grid1 }), side: 'no', asks: shift(lb, bb) };
          const fees = { kalshiRounding };
          expect(bestArbitrage(a, b, lim, fees)).toEqual(bestArbitrageReference(a, b, lim, fees));
        },
      ),
      { numRuns: 1_500 },
    );
  });
});
