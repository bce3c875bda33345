/**
 * The port every venue implements: Kalshi, Polymarket and the simulated venue.
 * Venue JSON never crosses this boundary: only domain types do.
 * (Order placement, fills, positions and balances join this interface with the
 * execution work.)
 */
import type { Market, VenueId } from '../domain/market.js';
import type { OrderBook } from '../domain/order-book.js';

export interface ListMarketsOptions {
  /** Stop after this many markets (all open markets when absent). */
  readonly limit?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface VenueHealth {
  readonly venue: VenueId;
  /** The exchange accepts requests at all. */
  readonly exchangeActive: boolean;
  /** New orders are accepted. */
  readonly tradingActive: boolean;
  /** Human-readable detail, e.g. "trading paused until 05:00 ET". */
  readonly detail: string | null;
  /** When the answer was received (ms). */
  readonly checkedAt: number;
}

/** Counters the status bar shows: how hard we are pushing the venue. */
export interface VenueTraffic {
  readonly requests: number;
  readonly retries: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly rateLimited: number;
  readonly lastError: string | null;
}

export interface MarketDataVenue {
  readonly id: VenueId;
  /**
   * Open markets, normalised, combos excluded, with fee parameters resolved as far as
   * the listing itself says (see `detailMarkets`).
   */
  listMarkets(options?: ListMarketsOptions): Promise<Market[]>;
  /**
   * The given markets with what the listing leaves out because the venue tells it one
   * request per market (Polymarket: the CLOB's fee, tick and minimum size, which a
   * catalog of 200,000 markets could not wait for): asked for the markets about to be
   * evaluated. A market comes back as the same object when nothing about it changed.
   * Absent when listings are complete.
   */
  detailMarkets?(markets: readonly Market[], signal?: AbortSignal): Promise<Market[]>;
  /**
   * Books for the given markets, fetched in batches within the rate limit.
   * Markets the venue has no book for are absent from the result.
   */
  fetchBooks(markets: readonly Market[], signal?: AbortSignal): Promise<Map<string, OrderBook>>;
  health(signal?: AbortSignal): Promise<VenueHealth>;
  traffic(): VenueTraffic;
  close(): Promise<void>;
}
