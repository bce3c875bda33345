import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestArbitrage,
  bestArbitrageFigures,
  bestArbitrageReference,
  type ArbitrageFiguresResult,
  type ArbitrageResult,
  type LegFigures,
  type LegInput,
} from '../../source/domain/arbitrage.js';
import type { FeeModel } from '../../source/domain/fees.js';
import { uniformGrid, type Market } from '../../source/domain/market.js';
import { ONE, parseDecimal } from '../../source/domain/money.js';
import { normaliseAsks } from '../../source/domain/order-book.js';
import { testMarket } from '../helpers/market.js';

const d = (s: string): bigint => parseDecimal(s);

function market(venue: 'kalshi' | 'polymarket', fee: FeeModel, overrides: Partial<Market> = {}): Market {
  return testMarket(venue, { fee, ...overrides });
}

/**
 * A result's figures only: the fills dropped (`bestArbitrageFigures` builds none on its fast
 * path; when it falls back to the reference, its legs may carry them).
 */
function withoutFills(r: ArbitrageResult | ArbitrageFiguresResult) {
  if (r.kind === 'none') return r;
  const { legs, ...rest } = r.arbitrage;
  const strip = (leg: LegFigures) => ({
    market: leg.market,
    side: leg.side,
    size: leg.size,
    cost: leg.cost,
    fee: leg.fee,
    vwap: leg.vwap,
    worstPrice: leg.worstPrice,
  });
  return { kind: r.kind, arbitrage: { ...rest, legs: [strip(legs[0]), strip(legs[1])] } };
}

const price = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 99 }).map((c) => BigInt(c) * 10_000n) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 999 }).map((m) => BigInt(m) * 1_000n) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 999_999 }).map(BigInt) },
);
const size = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((n) => BigInt(n) * 10_000n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 60n }) },
);
const ladder = fc.array(fc.record({ price, size }), { minLength: 0, maxLength: 10 }).map((l) => normaliseAsks(l));
const grid = fc.constantFrom(
  uniformGrid(d('0.01'), ONE),
  uniformGrid(d('0.001'), ONE),
  [{ start: 1n, end: ONE - 1n, step: 1n }],
  [{ start: 0n, end: ONE, step: 1n }],
);
const fee: fc.Arbitrary<FeeModel> = fc.oneof(
  fc.record({
    kind: fc.constant('kalshi' as const),
    feeType: fc.constantFrom('quadratic' as const, 'quadratic_with_maker_fees' as const, 'flat' as const),
    multiplier: fc.oneof(fc.constantFrom(ONE, d('0.5'), 0n, d('11')), fc.bigInt({ min: 0n, max: 3_000_000n })),
    source: fc.constant('series' as const),
  }),
  fc.record({
    kind: fc.constant('polymarket' as const),
    rate: fc.oneof(fc.constantFrom(d('0.03'), d('0.072'), 0n, d('1.5')), fc.bigInt({ min: 0n, max: 200_000n })),
    exponent: fc.constantFrom(0, 1, 2, 4),
    takerOnly: fc.constant(true),
    source: fc.constantFrom('clob' as const, 'disabled' as const),
  }),
  fc.constant({ kind: 'unknown' as const, reason: 'not published' }),
);
const limits = fc.record(
  { maxSize: fc.bigInt({ min: -ONE, max: 500n * ONE }), maxCapital: fc.oneof(fc.bigInt({ min: -ONE, max: 300n * ONE }), fc.constant(2n ** 60n)) },
  { requiredKeys: [] },
);
const rounding = fc.constantFrom('cent' as const, 'centicent' as const, 'micro' as const);

describe('bestArbitrageFigures', () => {
  it('has exactly the figures of bestArbitrage and bestArbitrageReference, without the fills', () => {
    fc.assert(
      fc.property(ladder, ladder, fee, fee, grid, grid, limits, rounding, (la, lb, fa, fb, ga, gb, lim, kalshiRounding) => {
        const a: LegInput = { market: market('kalshi', fa, { priceRanges: ga }), side: 'yes', asks: la };
        const b: LegInput = { market: market('polymarket', fb, { priceRanges: gb }), side: 'no', asks: lb };
        const fees = { kalshiRounding };
        const figures = withoutFills(bestArbitrageFigures(a, b, lim, fees));
        expect(figures).toEqual(withoutFills(bestArbitrage(a, b, lim, fees)));
        expect(figures).toEqual(withoutFills(bestArbitrageReference(a, b, lim, fees)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('the worst price is the last level taken, whole or in part', () => {
    const K: FeeModel = { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' };
    const P: FeeModel = { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' };
    const lv = (l: Array<[string, string]>) => normaliseAsks(l.map(([p, s]) => ({ price: d(p), size: d(s) })));
    // exactly two whole levels on one side, part of the second on the other
    const a: LegInput = { market: market('kalshi', K), side: 'yes', asks: lv([['0.30', '10'], ['0.31', '10'], ['0.60', '10']]) };
    const b: LegInput = { market: market('polymarket', P), side: 'no', asks: lv([['0.40', '5'], ['0.41', '50']]) };
    const r = bestArbitrageFigures(a, b, {}, { kalshiRounding: 'centicent' });
    expect(r.kind).toBe('opportunity');
    if (r.kind !== 'opportunity') return;
    expect(r.arbitrage.size).toBe(d('20'));
    expect(r.arbitrage.legs.map((l) => l.worstPrice)).toEqual([d('0.31'), d('0.41')]);
  });

  it('agrees with the reference for markets of many distinct fee models (past the memoised fee tables)', () => {
    // 400 distinct Kalshi multipliers and Polymarket rates: more kernels than get a shared table,
    // interleaved so that tables are reused across markets, on prices on and off the 0.1¢ slots
    const lv = (l: Array<[bigint, string]>) => normaliseAsks(l.map(([p, s]) => ({ price: p, size: d(s) })));
    const grid1 = [{ start: 1n, end: ONE - 1n, step: 1n }];
    for (let k = 0; k < 400; k += 1) {
      const fk: FeeModel = { kind: 'kalshi', feeType: 'quadratic', multiplier: 400_000n + 3_217n * BigInt(k), source: 'series' };
      const fp: FeeModel = { kind: 'polymarket', rate: 10_000n + 97n * BigInt(k), exponent: 1 + (k % 2), takerOnly: true, source: 'clob' };
      const pa = 300_000n + BigInt((k * 7919) % 100_000);
      const pb = 400_000n + BigInt((k * 104_729) % 150_000);
      const a: LegInput = { market: market('kalshi', fk, { priceRanges: grid1 }), side: 'yes', asks: lv([[pa, '40'], [pa + 1_000n, '25.5'], [pa + 20_000n, '100']]) };
      const b: LegInput = { market: market('polymarket', fp, { priceRanges: grid1 }), side: 'no', asks: lv([[pb, '30'], [pb + 7n, '60']]) };
      for (const kalshiRounding of ['cent', 'centicent', 'micro'] as const) {
        const fees = { kalshiRounding };
        expect(withoutFills(bestArbitrageFigures(a, b, {}, fees))).toEqual(withoutFills(bestArbitrageReference(a, b, {}, fees)));
        expect(bestArbitrage(a, b, { maxCapital: d('20') }, fees)).toEqual(bestArbitrageReference(a, b, { maxCapital: d('20') }, fees));
      }
    }
  });
});
