/**
 * An in-memory MarketDataVenue whose markets, books and failures a test sets
 * directly (engine tests; the real clients have their own mock-server tests).
 */
import type { Market, VenueId } from '../../source/domain/market.js';
import type { OrderBook } from '../../source/domain/order-book.js';
import type { ListMarketsOptions, MarketDataVenue, VenueHealth, VenueTraffic } from '../../source/venues/venue.js';

export class FakeVenue implements MarketDataVenue {
  markets: Market[] = [];
  readonly books = new Map<string, OrderBook>();
  /** When set, the next calls throw it (until cleared). */
  failWith: Error | null = null;
  calls = { listMarkets: 0, fetchBooks: 0 };
  /** What `detailMarkets` adds to a market, by id (the others come back as the same objects). */
  readonly details = new Map<string, Partial<Market>>();
  /** The ids each `detailMarkets` call was asked for. */
  readonly detailCalls: string[][] = [];
  /** When set, `detailMarkets` throws it. */
  detailFailWith: Error | null = null;
  constructor(readonly id: VenueId) {}

  async detailMarkets(markets: readonly Market[]): Promise<Market[]> {
    this.detailCalls.push(markets.map((m) => m.id));
    if (this.detailFailWith) throw this.detailFailWith;
    return markets.map((m) => {
      const extra = this.details.get(m.id);
      return extra === undefined || Object.entries(extra).every(([k, v]) => m[k as keyof Market] === v) ? m : { ...m, ...extra };
    });
  }

  async listMarkets(options?: ListMarketsOptions): Promise<Market[]> {
    this.calls.listMarkets += 1;
    if (this.failWith) throw this.failWith;
    return options?.limit ? this.markets.slice(0, options.limit) : [...this.markets];
  }

  async fetchBooks(markets: readonly Market[]): Promise<Map<string, OrderBook>> {
    this.calls.fetchBooks += 1;
    if (this.failWith) throw this.failWith;
    const out = new Map<string, OrderBook>();
    for (const m of markets) {
      const b = this.books.get(m.id);
      if (b) out.set(m.id, b);
    }
    return out;
  }

  async health(): Promise<VenueHealth> {
    return { venue: this.id, exchangeActive: true, tradingActive: true, detail: null, checkedAt: 0 };
  }

  traffic(): VenueTraffic {
    return { requests: this.calls.listMarkets + this.calls.fetchBooks, retries: 0, queued: 0, inFlight: 0, rateLimited: 0, lastError: null };
  }

  async close(): Promise<void> {}
}
