import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestArbitrageReference, directionsFor } from '../../source/domain/arbitrage.js';
import type { FeeModel } from '../../source/domain/fees.js';
import type { Market } from '../../source/domain/market.js';
import { divRound, ONE, parseDecimal, SCALE } from '../../source/domain/money.js';
import { bookFigures, bookFiguresAt, ladderOffset, ladderSlab, normaliseAsks, orderBook, type OrderBook } from '../../source/domain/order-book.js';
import { annualize, detectPair, type DetectorPair, type DetectorSettings } from '../../source/engine/detector.js';
import { testMarket } from '../helpers/market.js';

const d = (s: string): bigint => parseDecimal(s);
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 25);

function market(venue: 'kalshi' | 'polymarket', fee: FeeModel, closeTime: number | null): Market {
  return testMarket(venue, { id: venue === 'kalshi' ? 'KX-1' : '0x01', fee, closeTime });
}

const price = fc.integer({ min: 1, max: 99 }).map((c) => BigInt(c) * 10_000n);
// ordinary sizes, and huge ones that take the bigint formulas for ROI and annualised return
const size = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => BigInt(n) * 10_000n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 56n }).map((n) => n * 10_000n) },
);
const ladder = fc.array(fc.record({ price, size }), { minLength: 0, maxLength: 10 }).map((l) => normaliseAsks(l));
const fee: fc.Arbitrary<FeeModel> = fc.oneof(
  fc.record({
    kind: fc.constant('kalshi' as const),
    feeType: fc.constant('quadratic' as const),
    multiplier: fc.bigInt({ min: 0n, max: 2_000_000n }),
    source: fc.constant('series' as const),
  }),
  fc.record({
    kind: fc.constant('polymarket' as const),
    rate: fc.bigInt({ min: 0n, max: 100_000n }),
    exponent: fc.constantFrom(1, 2),
    takerOnly: fc.constant(true),
    source: fc.constant('clob' as const),
  }),
);
// time to close: unknown, under a day, ordinary, and far (annualised figures from huge to tiny)
const close = fc.oneof(fc.constant(null), fc.integer({ min: -DAY, max: 3_000 * DAY }).map((dt) => NOW + dt));
const cap = fc.oneof(fc.constant(2n ** 62n), fc.bigInt({ min: ONE, max: 10_000n * ONE }));

/** An approved same pair with each venue's usual fees, closing in 100 days. */
function approvedPair(): DetectorPair {
  return {
    key: 'KX-1|0x01',
    kalshi: market('kalshi', { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' }, NOW + 100 * DAY),
    polymarket: market('polymarket', { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' }, NOW + 100 * DAY),
    relation: 'same',
    approved: true,
    confidence: ONE,
    warnings: [],
  };
}

describe('detectPair: every figure equals the bigint formulas on the reference arbitrage', () => {
  it('on random books, fees, close times and limits', () => {
    fc.assert(
      fc.property(
        fc.tuple(ladder, ladder, ladder, ladder),
        fee,
        fee,
        close,
        close,
        fc.constantFrom('same' as const, 'inverse' as const),
        cap,
        cap,
        fc.integer({ min: 0, max: 10_000 }),
        ([ky, kn, py, pn], fk, fp, ck, cp, relation, maxSize, maxCapital, age) => {
          const pair: DetectorPair = {
            key: 'KX-1|0x01',
            kalshi: market('kalshi', fk, ck),
            polymarket: market('polymarket', fp, cp),
            relation,
            approved: true,
            confidence: d('0.9'),
            warnings: [],
          };
          const books = {
            kalshi: { venue: 'kalshi', marketId: 'KX-1', yesAsks: ky, noAsks: kn, venueTime: null, receivedAt: NOW - age } satisfies OrderBook,
            polymarket: { venue: 'polymarket', marketId: '0x01', yesAsks: py, noAsks: pn, venueTime: 7, receivedAt: NOW } satisfies OrderBook,
          };
          const settings: DetectorSettings = {
            thresholds: { minNetProfit: d('0.5'), minRoi: d('0.01'), minAnnualizedReturn: d('0.1'), maxSizePerTrade: maxSize, maxCapitalPerPair: maxCapital, staleQuoteMs: 5_000 },
            kalshiFeeRounding: 'centicent',
          };
          const found = detectPair(pair, books, NOW, settings);
          // books as the parsers make them (figures kept on the book) give the very same answer
          const parsed = { kalshi: orderBook('kalshi', 'KX-1', ky, kn, null, NOW - age), polymarket: orderBook('polymarket', '0x01', py, pn, 7, NOW) };
          expect(detectPair(pair, parsed, NOW, settings)).toEqual(found);
          const lockedUntil = ck === null || cp === null ? null : Math.max(ck, cp);
          const expected = directionsFor(relation).flatMap((dir) => {
            const r = bestArbitrageReference(
              { market: pair.kalshi, side: dir.first, asks: dir.first === 'yes' ? ky : kn },
              { market: pair.polymarket, side: dir.second, asks: dir.second === 'yes' ? py : pn },
              { maxSize, maxCapital },
              { kalshiRounding: 'centicent' },
            );
            if (r.kind === 'none') return [];
            const a = r.arbitrage;
            const roi = divRound(a.netProfit * SCALE, a.totalCost, 'floor');
            const leg = (l: (typeof a.legs)[number]) => ({ size: l.size, vwap: l.vwap, worstPrice: l.worstPrice, cost: l.cost, fee: l.fee });
            return [
              {
                id: `KX-1|0x01#${dir.first}-${dir.second}`,
                size: a.size,
                legs: [leg(a.legs[0]), leg(a.legs[1])],
                totalFees: a.totalFees,
                totalCost: a.totalCost,
                payout: a.payout,
                netProfit: a.netProfit,
                roi,
                annualizedReturn: annualize(roi, NOW, lockedUntil),
                lockedUntil,
              },
            ];
          });
          expect(
            found.opportunities.map((o) => ({
              id: o.id,
              size: o.size,
              legs: o.legs.map((l) => ({ size: l.size, vwap: l.vwap, worstPrice: l.worstPrice, cost: l.cost, fee: l.fee })),
              totalFees: o.totalFees,
              totalCost: o.totalCost,
              payout: o.payout,
              netProfit: o.netProfit,
              roi: o.roi,
              annualizedReturn: o.annualizedReturn,
              lockedUntil: o.lockedUntil,
            })),
          ).toEqual(expected);
          expect(found.opportunities.length + found.misses.length).toBe(2);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('the same settings object gives the same answers when reused across calls and pairs', () => {
    const kb = normaliseAsks([{ price: d('0.40'), size: d('100') }]);
    const pb = normaliseAsks([{ price: d('0.50'), size: d('150') }]);
    const pair = approvedPair();
    const books = {
      kalshi: { venue: 'kalshi', marketId: 'KX-1', yesAsks: kb, noAsks: [], venueTime: null, receivedAt: NOW } satisfies OrderBook,
      polymarket: { venue: 'polymarket', marketId: '0x01', yesAsks: [], noAsks: pb, venueTime: null, receivedAt: NOW } satisfies OrderBook,
    };
    const base = { minNetProfit: 0n, minRoi: 0n, minAnnualizedReturn: 0n, maxSizePerTrade: d('1000'), maxCapitalPerPair: d('5000'), staleQuoteMs: 5_000 };
    const wide: DetectorSettings = { thresholds: base, kalshiFeeRounding: 'centicent' };
    const narrow: DetectorSettings = { thresholds: { ...base, maxSizePerTrade: d('10') }, kalshiFeeRounding: 'cent' };
    const reference = (maxSize: bigint, maxCapital: bigint, kalshiRounding: 'cent' | 'centicent') => {
      const r = bestArbitrageReference({ market: pair.kalshi, side: 'yes', asks: kb }, { market: pair.polymarket, side: 'no', asks: pb }, { maxSize, maxCapital }, { kalshiRounding });
      return r.kind === 'opportunity' ? { size: r.arbitrage.size, totalCost: r.arbitrage.totalCost } : null;
    };
    const wideWanted = reference(d('1000'), d('5000'), 'centicent');
    // the account's capital (not the per-pair maximum) and the cent rounding apply
    const narrowWanted = reference(d('10'), d('3'), 'cent');
    expect(wideWanted?.size).toBe(d('100'));
    expect(narrowWanted !== null && narrowWanted.size < d('10') && narrowWanted.totalCost <= d('3')).toBe(true);
    for (let i = 0; i < 3; i += 1) {
      const big = detectPair(pair, books, NOW, wide).opportunities[0];
      expect(big && { size: big.size, totalCost: big.totalCost }).toEqual(wideWanted);
      const small = detectPair(pair, books, NOW, narrow, { capital: d('3') }).opportunities[0];
      expect(small && { size: small.size, totalCost: small.totalCost }).toEqual(narrowWanted);
    }
  });
});

describe('books as the parsers make them (orderBook)', () => {
  const lv = (price: string, size: string) => ({ price: d(price), size: d(size) });
  const yes = normaliseAsks([lv('0.40', '100')]);
  const no = normaliseAsks([lv('0.62', '100')]);

  it("keep each ladder's figures on the book, invisible to equality, copies and JSON", () => {
    const b = orderBook('kalshi', 'KX-1', yes, no, null, NOW);
    expect(bookFigures(b, 'yes')).toBe(ladderSlab(yes));
    expect(bookFiguresAt(b, 'no')).toBe(ladderOffset(no));
    const plain: OrderBook = { venue: 'kalshi', marketId: 'KX-1', yesAsks: yes, noAsks: no, venueTime: null, receivedAt: NOW };
    expect(b).toEqual(plain);
    expect(JSON.parse(JSON.stringify({ ...b, yesAsks: [], noAsks: [] }))).toEqual({ ...plain, yesAsks: [], noAsks: [] });
    expect(bookFigures(plain, 'yes')).toBeUndefined();
    expect(bookFigures({ ...b }, 'yes')).toBeUndefined(); // a copy has none
    expect(Object.isFrozen(b)).toBe(true);
  });

  it('a copy that replaces a ladder is read through its own ladder, never with the old figures', () => {
    const pair = approvedPair();
    const settings: DetectorSettings = {
      thresholds: { minNetProfit: 0n, minRoi: 0n, minAnnualizedReturn: 0n, maxSizePerTrade: d('1000'), maxCapitalPerPair: d('5000'), staleQuoteMs: 5_000 },
      kalshiFeeRounding: 'centicent',
    };
    const k = orderBook('kalshi', 'KX-1', yes, no, null, NOW);
    const p = orderBook('polymarket', '0x01', normaliseAsks([lv('0.55', '100')]), normaliseAsks([lv('0.50', '150')]), null, NOW);
    expect(detectPair(pair, { kalshi: k, polymarket: p }, NOW, settings).opportunities[0]?.legs[0].vwap).toBe(d('0.40'));
    const moved = { ...k, yesAsks: normaliseAsks([lv('0.45', '30')]) };
    const o = detectPair(pair, { kalshi: moved, polymarket: p }, NOW, settings).opportunities[0];
    expect(o?.legs[0].vwap).toBe(d('0.45'));
    expect(o?.size).toBe(d('30'));
  });
});
