/**
 * Kalshi as a MarketDataVenue: open markets from `GET /events` (cursor pagination,
 * `status=open`, `with_nested_markets=true`), fees joined from series/event,
 * books from `GET /markets/orderbooks` in batches of ≤ 100, health from
 * `GET /exchange/status`. Public endpoints only: no credentials are sent.
 *
 * All share one rate-limited queue: book requests go first, catalog pages and series
 * lookups are background work, so a catalog refresh never holds the books of approved
 * pairs back until they are stale.
 */
import type { Market } from '../../domain/market.js';
import type { OrderBook } from '../../domain/order-book.js';
import { REQUEST_PRIORITY } from '../../lib/http-client.js';
import type { ListMarketsOptions, MarketDataVenue, VenueHealth, VenueTraffic } from '../venue.js';
import { KalshiClient } from './client.js';
import { booksFromWire, eventsPageFromWire, healthFromStatus, isKalshiCombo, malformed } from './parser.js';
import { KALSHI_DEFAULT_MAX_EVENT_PAGES, type KalshiSettings } from './settings.js';

export interface KalshiVenueDeps {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** Queue priorities by request label (labels as the client names them). */
const PRIORITIES = {
  'GET /markets/orderbooks': REQUEST_PRIORITY.urgent,
  'GET /events': REQUEST_PRIORITY.background,
  'GET /series': REQUEST_PRIORITY.background,
  'GET /series/{series_ticker}': REQUEST_PRIORITY.background,
} as const;

export function createKalshiVenue(settings: KalshiSettings, deps: KalshiVenueDeps = {}): MarketDataVenue {
  const client = new KalshiClient(settings, deps);
  client.http.setPriorities(PRIORITIES);
  const maxPages = settings.maxEventPages ?? KALSHI_DEFAULT_MAX_EVENT_PAGES;

  async function listMarkets(options: ListMarketsOptions = {}): Promise<Market[]> {
    const { limit, signal } = options;
    const out: Market[] = [];
    if (limit !== undefined && limit <= 0) return out;
    const seenTickers = new Set<string>();
    const seenCursors = new Set<string>();
    let cursor: string | null = null;
    for (let page = 1; ; page += 1) {
      signal?.throwIfAborted();
      const { data } = await client.eventsPage({ cursor, signal });
      const seriesTickers = data.events
        .filter((e) => !isKalshiCombo({ ticker: e.event_ticker }))
        .map((e) => e.series_ticker);
      const fees = await client.seriesFees(seriesTickers, signal);
      const parsed = eventsPageFromWire(data, fees);
      for (const m of parsed.markets) {
        // `status=open` selects events; their nested markets may still be in other states
        if (m.status !== 'open' || seenTickers.has(m.id)) continue;
        seenTickers.add(m.id);
        out.push(m);
        if (limit !== undefined && out.length >= limit) return out;
      }
      if (parsed.cursor === null) return out;
      // Kalshi silently restarts at page 1 on a cursor it does not know: never loop
      if (seenCursors.has(parsed.cursor)) throw malformed('GET /events', 'cursor', `cursor repeated after ${page} pages`);
      if (page >= maxPages) throw malformed('GET /events', 'cursor', `more than ${maxPages} pages of events`);
      seenCursors.add(parsed.cursor);
      cursor = parsed.cursor;
    }
  }

  async function fetchBooks(markets: readonly Market[], signal?: AbortSignal): Promise<Map<string, OrderBook>> {
    const tickers = markets.filter((m) => m.venue === 'kalshi').map((m) => m.id);
    const wanted = new Set(tickers);
    const out = new Map<string, OrderBook>();
    if (tickers.length === 0) return out;
    const pages = await client.orderbooks(tickers, signal);
    for (const p of pages) {
      for (const [ticker, book] of booksFromWire(p.data, p.receivedAt, 'GET /markets/orderbooks')) {
        if (wanted.has(ticker)) out.set(ticker, book);
      }
    }
    return out;
  }

  async function health(signal?: AbortSignal): Promise<VenueHealth> {
    const r = await client.exchangeStatus(signal);
    return healthFromStatus(r.data, r.receivedAt);
  }

  return {
    id: 'kalshi',
    listMarkets,
    fetchBooks,
    health,
    traffic: (): VenueTraffic => client.traffic(),
    close: () => client.close(),
  };
}
