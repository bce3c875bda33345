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
  // Venues send ladders sorted one way or the other: keep the order, or reverse it,
  // and sort only when it is neither.
  const kept: Level[] = [];
  let ascending = true;
  let descending = true;
  let previous = 0n;
  for (const l of levels) {
    const price = l.price;
    const size = l.size;
    if (price <= 0n || price >= ONE) {
      throw new BookError(`price ${price} outside (0, 1)`);
    }
    if (size < 0n) throw new BookError(`negative size at price ${price}`);
    if (size === 0n) continue;
    if (kept.length > 0) {
      if (price < previous) ascending = false;
      else if (price > previous) descending = false;
    }
    previous = price;
    kept.push(l);
  }
  if (!ascending) {
    if (descending) kept.reverse();
    else kept.sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : 0));
  }
  const out: Level[] = [];
  let last: Level | undefined;
  for (const l of kept) {
    if (last !== undefined && last.price === l.price) {
      last = { price: l.price, size: last.size + l.size };
      out[out.length - 1] = last;
    } else {
      last = { price: l.price, size: l.size };
      out.push(last);
    }
  }
  attachNumbers(out);
  // Frozen, so that the figures stay the ladder's: an OrderBook's ladders are read-only anyway.
  return Object.freeze(out) as Level[];
}

/**
 * A normalised ladder's figures as numbers (micros), taken once by
 * `normaliseAsks` so that the arbitrage fast path reads them instead of
 * converting every level's bigints on every evaluation. Every value is an
 * exact integer: a ladder whose total size exceeds 2^52 micros has none.
 * Plain arrays of doubles rather than typed arrays: a Float64Array this size
 * lives outside the heap and costs microseconds to allocate.
 */
export interface LadderNumbers {
  /** price[i] = Number(levels[i].price), 0 < price < 10^6, ascending. */
  readonly price: readonly number[];
  /** size[i] = Number(levels[i].size) > 0. */
  readonly size: readonly number[];
  /** cum[i] = Σ size[0..i), length levels + 1; cum[levels] ≤ 2^52. */
  readonly cum: readonly number[];
  /** The largest level size. */
  readonly maxSize: number;
  /**
   * gcd of price[i] − price[0] over the ladder (0 below two levels): every
   * price is a multiple of a step s away from price[0] when s divides it.
   */
  readonly spacing: number;
}

/** Non-enumerable: ladders stay plain arrays of levels to compare, copy and print. */
const NUMBERS = Symbol('ladder numbers');
const SAFE_TOTAL = 2 ** 52;

function gcdSafe(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * An empty array whose elements are stored as doubles (V8 never turns them back
 * into small integers): every array of figures has the same representation.
 */
function doubleArray(): number[] {
  const a = [0.5];
  a.pop();
  return a;
}

/** Takes a freshly normalised ladder's figures (sorted, merged, sizes > 0, prices in (0, 1)). */
function attachNumbers(ladder: Level[]): void {
  const n = ladder.length;
  const price = doubleArray();
  const size = doubleArray();
  const cum = doubleArray();
  cum.push(0);
  let total = 0;
  let maxSize = 0;
  let spacing = 0;
  let first = 0;
  for (let i = 0; i < n; i += 1) {
    const level = ladder[i] as Level;
    const p = Number(level.price); // exact: 0 < price < 10^6
    // Number(x) is monotone and exact below 2^53: a result ≤ 2^52 is x itself
    const s = Number(level.size);
    total += s; // exact while every term and the sum stay ≤ 2^52
    if (!(s <= SAFE_TOTAL && total <= SAFE_TOTAL)) return;
    price.push(p);
    size.push(s);
    cum.push(total);
    if (s > maxSize) maxSize = s;
    if (i === 0) first = p;
    else spacing = gcdSafe(p - first, spacing);
  }
  const numbers: LadderNumbers = { price, size, cum, maxSize, spacing };
  Object.defineProperty(ladder, NUMBERS, { value: numbers });
}

/**
 * The figures `normaliseAsks` took of this ladder, or undefined: for a ladder
 * it did not build (copies included) or one too large for exact numbers. The
 * ladders it builds are frozen, so their figures cannot go stale.
 */
export function ladderNumbers(ladder: readonly Level[]): LadderNumbers | undefined {
  return (ladder as { readonly [NUMBERS]?: LadderNumbers })[NUMBERS];
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
