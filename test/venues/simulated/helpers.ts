/** Helpers for the simulated-venue tests: cross-venue arbitrage priced with the real fee functions. */
import { feeFor } from '../../../source/domain/fees.js';
import type { Market } from '../../../source/domain/market.js';
import { notional, ONE, type Money, type Size } from '../../../source/domain/money.js';
import type { Level, OrderBook } from '../../../source/domain/order-book.js';

export const START = Date.UTC(2026, 4, 20, 12, 0, 0); // 2026-05-20T12:00:00Z

/** A hand-driven clock. */
export function fakeClock(start = START): { now: () => number; set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set(v: number) {
      t = v;
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

export interface ArbLeg {
  readonly market: Market;
  readonly level: Level;
}

/**
 * Net profit (micros) of buying `size` contracts at the best level of each leg,
 * paying taker fees (Kalshi rounded up to whole cents, the most conservative
 * rounding); null when a fee is unknown or a level is too thin.
 */
export function profitAtBest(a: ArbLeg, b: ArbLeg, size: Size): Money | null {
  if (a.level.size < size || b.level.size < size) return null;
  const feeA = feeFor(a.market.fee, a.level.price, size, 'taker', 'cent');
  const feeB = feeFor(b.market.fee, b.level.price, size, 'taker', 'cent');
  if (!feeA.known || !feeB.known) return null;
  const payout = notional(ONE, size, 'floor');
  const cost = notional(a.level.price, size, 'ceil') + notional(b.level.price, size, 'ceil');
  return payout - cost - feeA.fee - feeB.fee;
}

/**
 * The better of the two hedges of a `same` pair (YES on one venue + NO on the other),
 * at the best levels, for the largest size both best levels hold: profit in micros.
 */
export function bestSamePairProfit(
  kalshi: { market: Market; book: OrderBook },
  polymarket: { market: Market; book: OrderBook },
): Money | null {
  let best: Money | null = null;
  const combos: [Level | undefined, Market, Level | undefined, Market][] = [
    [kalshi.book.yesAsks[0], kalshi.market, polymarket.book.noAsks[0], polymarket.market],
    [polymarket.book.yesAsks[0], polymarket.market, kalshi.book.noAsks[0], kalshi.market],
  ];
  for (const [la, ma, lb, mb] of combos) {
    if (la === undefined || lb === undefined) continue;
    const size = la.size < lb.size ? la.size : lb.size;
    const p = profitAtBest({ market: ma, level: la }, { market: mb, level: lb }, size);
    if (p !== null && (best === null || p > best)) best = p;
  }
  return best;
}

/** Sum of the best YES ask on one venue and the best NO ask on the other, both ways; the smaller. */
export function cheapestHedgeCost(kalshiBook: OrderBook, polymarketBook: OrderBook): bigint {
  const a = (kalshiBook.yesAsks[0]?.price ?? ONE) + (polymarketBook.noAsks[0]?.price ?? ONE);
  const b = (polymarketBook.yesAsks[0]?.price ?? ONE) + (kalshiBook.noAsks[0]?.price ?? ONE);
  return a < b ? a : b;
}
