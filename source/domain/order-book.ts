/**
 * Order books normalised per market to what an arbitrage needs: the asks at
 * which we can *buy YES* and the asks at which we can *buy NO*, each sorted
 * best (cheapest) first, with duplicate prices merged and empty levels dropped.
 */
import { ONE, type Price, type Size } from './money.js';
import type { VenueId } from './market.js';

export interface Level {
  readonly price: Price;
  readonly size: Size;
}

export interface OrderBook {
  readonly venue: VenueId;
  readonly marketId: string;
  /** Buy-YES ladder, ascending price (best first). */
  readonly yesAsks: readonly Level[];
  /** Buy-NO ladder, ascending price (best first). */
  readonly noAsks: readonly Level[];
  /** Venue timestamp of the book (ms since epoch), null when the venue sends none. */
  readonly venueTime: number | null;
  /** Local time the response was received (ms since epoch). */
  readonly receivedAt: number;
}

export class BookError extends Error {
  override readonly name = 'BookError';
}

/** Sort ascending by price, merge equal prices, drop empty levels. Validates 0 < price < 1. */
export function normaliseAsks(levels: Iterable<Level>): Level[] {
  const byPrice = new Map<Price, Size>();
  for (const l of levels) {
    if (l.price <= 0n || l.price >= ONE) {
      throw new BookError(`price ${l.price} outside (0, 1)`);
    }
    if (l.size < 0n) throw new BookError(`negative size at price ${l.price}`);
    if (l.size === 0n) continue;
    byPrice.set(l.price, (byPrice.get(l.price) ?? 0n) + l.size);
  }
  const out: Level[] = [];
  for (const [price, size] of byPrice) out.push({ price, size });
  out.sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : 0));
  return out;
}

/**
 * A bid to buy one side at p is an offer to sell the other side at 1 − p.
 * Kalshi publishes bids only: YES asks are the complements of the NO bids.
 */
export function asksFromOppositeBids(bids: Iterable<Level>): Level[] {
  const mirrored: Level[] = [];
  for (const b of bids) mirrored.push({ price: ONE - b.price, size: b.size });
  return normaliseAsks(mirrored);
}

export function bestAsk(levels: readonly Level[]): Level | undefined {
  return levels[0];
}

/** Total size available at or below `limit`. */
export function depthAtOrBelow(levels: readonly Level[], limit: Price): Size {
  let total = 0n;
  for (const l of levels) {
    if (l.price > limit) break;
    total += l.size;
  }
  return total;
}
