/**
 * Order books normalised per market to what an arbitrage needs: the asks at
 * which we can *buy YES* and the asks at which we can *buy NO*, each sorted
 * best (cheapest) first, with duplicate prices merged and empty levels dropped.
 */
import { gcdSafe, ONE, type Price, type Size } from './money.js';
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

/**
 * A book as the parsers make it (`orderBook`): the ladders with the figures `normaliseAsks`
 * took of them (`ladderSlab`, `ladderOffset`) kept on the book itself, where the detector
 * reads them (`bookFigures`). A fresh book is not in the CPU's caches, and going from the
 * book through the ladder and its properties to the figures waits for memory twice more
 * (measured: about 200k → 240k fresh pairs a second). The figures are private fields: not
 * part of the book's value (equality, copies, JSON), and a copy (`{ ...book, yesAsks }`)
 * has none, so figures never outlive the ladder they belong to; books without them (built
 * by hand, copied) are read through their ladders.
 */
class ParsedBook implements OrderBook {
  readonly #yesFigures: Float64Array | undefined;
  readonly #yesAt: number;
  readonly #noFigures: Float64Array | undefined;
  readonly #noAt: number;

  constructor(
    readonly venue: VenueId,
    readonly marketId: string,
    readonly yesAsks: readonly Level[],
    readonly noAsks: readonly Level[],
    readonly venueTime: number | null,
    readonly receivedAt: number,
  ) {
    this.#yesFigures = ladderSlab(yesAsks);
    this.#yesAt = ladderOffset(yesAsks);
    this.#noFigures = ladderSlab(noAsks);
    this.#noAt = ladderOffset(noAsks);
    Object.freeze(this); // the figures are the ladders': the ladders stay
  }

  static figures(book: OrderBook, side: 'yes' | 'no'): Float64Array | undefined {
    if (!(#yesFigures in book)) return undefined;
    return side === 'yes' ? book.#yesFigures : book.#noFigures;
  }

  static at(book: OrderBook, side: 'yes' | 'no'): number {
    if (!(#yesAt in book)) return 0;
    return side === 'yes' ? book.#yesAt : book.#noAt;
  }
}

/** A book as the parsers make it: the ladders (from `normaliseAsks`) with their figures at hand (`bookFigures`). */
export function orderBook(
  venue: VenueId,
  marketId: string,
  yesAsks: readonly Level[],
  noAsks: readonly Level[],
  venueTime: number | null,
  receivedAt: number,
): OrderBook {
  return new ParsedBook(venue, marketId, yesAsks, noAsks, venueTime, receivedAt);
}

/** The figures of one side's ladder kept on a book `orderBook` made, or undefined (then read `ladderSlab` of the ladder). */
export function bookFigures(book: OrderBook, side: 'yes' | 'no'): Float64Array | undefined {
  return ParsedBook.figures(book, side);
}

/** Where those figures start (`ladderOffset`), 0 without them. */
export function bookFiguresAt(book: OrderBook, side: 'yes' | 'no'): number {
  return ParsedBook.at(book, side);
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
  let prices = mergedPrices;
  if (prices.length < kept.length) prices = mergedPrices = new Float64Array(Math.max(kept.length, 2 * prices.length));
  let last: Level | undefined;
  for (const l of kept) {
    if (last !== undefined && last.price === l.price) {
      last = { price: last.price, size: last.size + l.size };
      out[out.length - 1] = last;
    } else {
      const p = Number(l.price); // exact: 0 < price < 10^6
      prices[out.length] = p;
      last = { price: sharedPrice(l.price, p), size: l.size };
      out.push(last);
    }
  }
  attachNumbers(out, prices);
  // Frozen, so that the figures stay the ladder's: an OrderBook's ladders are read-only anyway.
  return Object.freeze(out) as Level[];
}

/** Number(price) of each level `normaliseAsks` keeps, for `attachNumbers` (scratch, reused). */
let mergedPrices = new Float64Array(64);
/** `attachNumbers`' sizes as numbers, taken while checking their bounds (scratch, reused). */
let sizeScratch = new Float64Array(64);

/**
 * One bigint per price on a $0.0001 grid (every venue's ticks are multiples of it),
 * made when first seen: a ladder's levels share their price values with every
 * other ladder's instead of holding ten of their own, so a fresh book is fewer
 * objects to keep and for the collector to copy. (Bigints are values: which
 * object holds 0.42 is not observable.)
 */
const PRICE_GRID = 100;
const ONE_NUMBER = Number(ONE);
const sharedPrices: Array<bigint | undefined> = new Array<bigint | undefined>(ONE_NUMBER / PRICE_GRID).fill(undefined);

function sharedPrice(price: bigint, p: number): bigint {
  const k = p / PRICE_GRID;
  if (!Number.isInteger(k)) return price;
  const found = sharedPrices[k];
  if (found !== undefined) return found;
  sharedPrices[k] = price;
  return price;
}

/**
 * A normalised ladder's figures as numbers (micros), taken once by
 * `normaliseAsks` so that the arbitrage fast path reads them instead of
 * converting every level's bigints on every evaluation. Every value is an
 * exact integer: a ladder whose total size exceeds 2^52 micros has none.
 *
 * One flat array per ladder, so that a ladder's figures are one contiguous
 * block the search reads front to back (a fresh ladder costs a few cache
 * lines, not a chain of objects and arrays):
 *
 *   [LADDER_LEVELS]   n, the number of levels
 *   [LADDER_MAX_SIZE] the largest level size
 *   [LADDER_SPACING]  gcd of price[i] − price[0] over the ladder (0 below two
 *                     levels): every price is a multiple of a step s away
 *                     from price[0] when s divides it
 *   then per level i (stride LADDER_STRIDE), from ladderCum(i):
 *     cum[i]   Σ size[0..i)            (cum[n] = the depth ≤ 2^52 follows the last level)
 *     price[i] Number(price), 0 < price < 10^6, ascending
 *   (a level's size is cum[i + 1] − cum[i], exactly: two figures a level, not
 *   three, so that a fresh ladder's figures span fewer cache lines)
 *
 * Length `ladderNumbersLength(n)`. The figures are written into shared 8 KiB
 * slabs (as Node's Buffer pool does: a Float64Array of its own lives outside
 * the heap and costs about a microsecond to allocate), and the ladder keeps
 * its slab and offset (`ladderSlab`, `ladderOffset`): the slab's array object
 * is shared by the ladders cut from it, so reading a fresh ladder's figures
 * waits for memory once fewer than through an array object of its own.
 * A slab lives while any ladder cut from it does (at most 8 KiB per live ladder;
 * ladders of one refresh are cut from the same slabs and die together).
 */
export type LadderNumbers = Float64Array;

export const LADDER_LEVELS = 0;
export const LADDER_MAX_SIZE = 1;
export const LADDER_SPACING = 2;
/** Offset of cum[0]; price[i] is at ladderCum(i) + 1. */
export const LADDER_HEADER = 3;
export const LADDER_STRIDE = 2;

/** Index of cum[i] (0 ≤ i ≤ n) in a ladder's figures; price[i] follows it. */
export function ladderCum(i: number): number {
  return LADDER_HEADER + LADDER_STRIDE * i;
}

/** Length of the figures of an n-level ladder. */
export function ladderNumbersLength(n: number): number {
  return LADDER_HEADER + LADDER_STRIDE * n + 1;
}

/** Non-enumerable: ladders stay plain arrays of levels to compare, copy and print. */
const SLAB = Symbol('ladder slab');
const OFFSET = Symbol('ladder offset');
const SAFE_TOTAL = 2 ** 52;

const SLAB_DOUBLES = 1024; // 8 KiB
let slab = new Float64Array(SLAB_DOUBLES);
let slabUsed = 0;
/** Where `reserve` put the last figures. */
let reserved = slab;
let reservedAt = 0;

/** Room for `length` zeroed doubles in the current slab (a larger block gets an array of its own). */
function reserve(length: number): void {
  if (2 * length > SLAB_DOUBLES) {
    reserved = new Float64Array(length);
    reservedAt = 0;
    return;
  }
  if (slabUsed + length > SLAB_DOUBLES) {
    slab = new Float64Array(SLAB_DOUBLES);
    slabUsed = 0;
  }
  reserved = slab;
  reservedAt = slabUsed;
  slabUsed += length;
}

/**
 * Takes a freshly normalised ladder's figures (sorted, merged, sizes > 0, prices in (0, 1));
 * `prices[i]` is Number(ladder[i].price).
 */
function attachNumbers(ladder: Level[], prices: Float64Array): void {
  const n = ladder.length;
  // check the bounds before cutting a view: a view is never handed back
  let sizes = sizeScratch;
  if (sizes.length < n) sizes = sizeScratch = new Float64Array(Math.max(n, 2 * sizes.length));
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    // Number(x) is monotone and exact below 2^53: a result ≤ 2^52 is x itself
    const s = Number((ladder[i] as Level).size);
    total += s; // exact while every term and the sum stay ≤ 2^52
    if (!(s <= SAFE_TOTAL && total <= SAFE_TOTAL)) return;
    sizes[i] = s;
  }
  reserve(ladderNumbersLength(n));
  const numbers = reserved;
  const at = reservedAt;
  let cum = 0;
  let maxSize = 0;
  let spacing = 0;
  let first = 0;
  let k = at + LADDER_HEADER;
  for (let i = 0; i < n; i += 1) {
    const p = prices[i] as number;
    const s = sizes[i] as number;
    numbers[k] = cum;
    numbers[k + 1] = p;
    k += LADDER_STRIDE;
    cum += s;
    if (s > maxSize) maxSize = s;
    if (i === 0) first = p;
    else spacing = gcdSafe(p - first, spacing);
  }
  numbers[k] = cum;
  numbers[at + LADDER_LEVELS] = n;
  numbers[at + LADDER_MAX_SIZE] = maxSize;
  numbers[at + LADDER_SPACING] = spacing;
  Object.defineProperty(ladder, SLAB, { value: numbers });
  Object.defineProperty(ladder, OFFSET, { value: at });
}

/**
 * The array holding the figures `normaliseAsks` took of this ladder, from
 * `ladderOffset(ladder)` on, or undefined: for a ladder it did not build
 * (copies included) or one too large for exact numbers. The ladders it builds
 * are frozen, so their figures cannot go stale (the array is shared and
 * writable: treat it as read-only).
 */
export function ladderSlab(ladder: readonly Level[]): Float64Array | undefined {
  return (ladder as { readonly [SLAB]?: Float64Array })[SLAB];
}

/** Where this ladder's figures start in `ladderSlab(ladder)` (0 without figures). */
export function ladderOffset(ladder: readonly Level[]): number {
  return (ladder as { readonly [OFFSET]?: number })[OFFSET] ?? 0;
}

/** The figures `normaliseAsks` took of this ladder as an array of their own (a new view), or undefined. */
export function ladderNumbers(ladder: readonly Level[]): LadderNumbers | undefined {
  const slabOf = ladderSlab(ladder);
  if (slabOf === undefined) return undefined;
  const at = ladderOffset(ladder);
  return slabOf.subarray(at, at + ladderNumbersLength(slabOf[at + LADDER_LEVELS] as number));
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
