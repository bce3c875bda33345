/**
 * Synthetic markets, ten-level books and an in-memory venue for the
 * benchmarks (engine and TUI process): no catalog, no network.
 */
import type { FeeModel } from '../domain/fees.js';
import { uniformGrid, type Market, type VenueId } from '../domain/market.js';
import { ONE, parseDecimal } from '../domain/money.js';
import type { OrderBook } from '../domain/order-book.js';
import type { MarketDataVenue } from '../venues/venue.js';

const d = (s: string): bigint => parseDecimal(s);

/** A binary market on a 1¢ grid with the venue's usual fee model, closing at `closeTime`. */
export function benchMarket(venue: VenueId, id: string, closeTime: number, title = `Question ${id}?`): Market {

  const fee: FeeModel =
    venue === 'kalshi'
      ? { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' }
      : { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' };
  return {
    venue,
    id,
    ref:
      venue === 'kalshi'
        ? { venue, ticker: id, eventTicker: `E-${id}`, seriesTicker: 'S', exchangeIndex: 0 }
        : { venue, conditionId: id, gammaId: id, eventId: id, slug: null, yesTokenId: `${id}1`, noTokenId: `${id}2`, negRisk: false, protocolVersion: 'v1' },
    eventId: `E-${id}`,
    eventTitle: `Event ${id}`,
    title,
    subtitle: null,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime,
    rules: null,
    status: 'open',
    priceRanges: uniformGrid(d('0.01'), ONE),
    minOrderSize: d('1'),
    sizeIncrement: d('0.01'),
    fee,
  };
}

/** A 10-level ladder starting at `bestCents`, one cent apart. */
export function tenLevels(bestCents: number): Array<{ price: bigint; size: bigint }> {
  return Array.from({ length: 10 }, (_, i) => ({ price: BigInt(bestCents + i) * 10_000n, size: BigInt(20 + 7 * i) * ONE }));
}

/** A book with ten levels on each side, best YES ask at `yes`¢ and best NO ask at `no`¢. */
export function benchBook(venue: VenueId, id: string, yes: number, no: number, at: number): OrderBook {
  return { venue, marketId: id, yesAsks: tenLevels(yes), noAsks: tenLevels(no), venueTime: null, receivedAt: at };
}

/** A venue serving fixed markets and books from memory. */
export class MemoryVenue implements MarketDataVenue {
  constructor(
    readonly id: VenueId,
    private readonly markets: Market[],
    private readonly books: Map<string, OrderBook>,
  ) {}
  async listMarkets() {
    return this.markets;
  }
  async fetchBooks(markets: readonly Market[]) {
    return new Map(markets.flatMap((m) => (this.books.has(m.id) ? [[m.id, this.books.get(m.id) as OrderBook] as const] : [])));
  }
  async health() {
    return { venue: this.id, exchangeActive: true, tradingActive: true, detail: null, checkedAt: 0 };
  }
  traffic() {
    return { requests: 0, retries: 0, queued: 0, inFlight: 0, rateLimited: 0, lastError: null };
  }
  async close() {}
}
