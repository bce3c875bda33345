/**
 * Endpoint-shaped Kalshi REST calls (public market data, no auth) on the shared
 * HttpClient: rate limit, retries with backoff, timeouts, schema per response.
 * Returns validated wire data; `parser.ts` turns it into domain types.
 */
import { HttpClient } from '../../lib/http-client.js';
import { RejectedVenueError } from '../errors.js';
import type { VenueTraffic } from '../venue.js';
import { classifyKalshiError } from './errors.js';
import { KALSHI_VENUE, seriesFee, type KalshiFeeLookup, type KalshiSeriesFee } from './parser.js';
import {
  kalshiEventsPageSchema,
  kalshiExchangeStatusSchema,
  kalshiOrderbooksResponseSchema,
  kalshiSeriesListSchema,
  kalshiSeriesResponseSchema,
  type KalshiEventsPageWire,
  type KalshiExchangeStatusWire,
  type KalshiOrderbooksWire,
} from './schemas.js';
import {
  KALSHI_DEFAULT_SERIES_BULK_THRESHOLD,
  KALSHI_DEFAULT_SERIES_CACHE_TTL_MS,
  type KalshiSettings,
} from './settings.js';

/** Kalshi's documented maximum tickers per `GET /markets/orderbooks`. */
export const KALSHI_MAX_BOOKS_PER_CALL = 100;
/** Kalshi's documented maximum `limit` of `GET /events`. */
export const KALSHI_MAX_EVENTS_PAGE = 200;

export interface KalshiClientDeps {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface Received<T> {
  readonly data: T;
  readonly receivedAt: number;
}

interface CachedSeries {
  readonly fee: KalshiSeriesFee | undefined;
  readonly at: number;
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.floor(v)));
}

/** Split into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class KalshiClient {
  readonly http: HttpClient;
  private readonly settings: KalshiSettings;
  private readonly now: () => number;
  private readonly series = new Map<string, CachedSeries>();
  private readonly seriesInFlight = new Map<string, Promise<void>>();

  constructor(settings: KalshiSettings, deps: KalshiClientDeps = {}) {
    this.settings = settings;
    this.now = deps.now ?? Date.now;
    this.http = new HttpClient({
      venue: KALSHI_VENUE,
      baseUrl: settings.restUrl,
      timeoutMs: settings.timeoutMs,
      rateLimit: settings.rateLimit,
      retry: settings.retry,
      classifyError: classifyKalshiError,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      now: this.now,
    });
  }

  /** Tickers per orderbooks call, within Kalshi's 1–100. */
  get booksBatchSize(): number {
    return clampInt(this.settings.booksBatchSize, 1, KALSHI_MAX_BOOKS_PER_CALL);
  }

  /** One page of open events with their markets nested. */
  async eventsPage(options: { cursor?: string | null; signal?: AbortSignal | undefined } = {}): Promise<Received<KalshiEventsPageWire>> {
    const r = await this.http.get('/events', {
      label: 'GET /events',
      schema: kalshiEventsPageSchema,
      query: {
        limit: clampInt(this.settings.eventsPageSize, 1, KALSHI_MAX_EVENTS_PAGE),
        status: 'open',
        with_nested_markets: 'true',
        cursor: options.cursor ?? undefined,
      },
      signal: options.signal,
    });
    return { data: r.data, receivedAt: r.receivedAt };
  }

  /**
   * Fee data for the given series, cached for `seriesCacheTtlMs`. Few uncached series:
   * one `GET /series/{t}` each (a 404 caches "unknown"); many: one unpaginated
   * `GET /series` fills the cache.
   */
  async seriesFees(tickers: Iterable<string>, signal?: AbortSignal): Promise<KalshiFeeLookup> {
    const ttl = this.settings.seriesCacheTtlMs ?? KALSHI_DEFAULT_SERIES_CACHE_TTL_MS;
    const wanted = [...new Set(tickers)];
    const fresh = (t: string): boolean => {
      const c = this.series.get(t);
      return c !== undefined && this.now() - c.at < ttl;
    };
    const missing = wanted.filter((t) => !fresh(t) && !this.seriesInFlight.has(t));
    const threshold = this.settings.seriesBulkThreshold ?? KALSHI_DEFAULT_SERIES_BULK_THRESHOLD;
    if (missing.length > threshold) {
      const all = this.fetchAllSeries(missing, signal);
      for (const t of missing) this.seriesInFlight.set(t, all);
    } else {
      for (const t of missing) this.seriesInFlight.set(t, this.fetchOneSeries(t, signal));
    }
    try {
      await Promise.all(wanted.map((t) => this.seriesInFlight.get(t)));
    } finally {
      for (const t of missing) this.seriesInFlight.delete(t);
    }
    const lookup = new Map<string, KalshiSeriesFee>();
    for (const t of wanted) {
      const fee = this.series.get(t)?.fee;
      if (fee) lookup.set(t, fee);
    }
    return lookup;
  }

  private async fetchAllSeries(requested: readonly string[], signal?: AbortSignal): Promise<void> {
    const r = await this.http.get('/series', { label: 'GET /series', schema: kalshiSeriesListSchema, signal });
    const at = this.now();
    const listed = new Set<string>();
    (r.data.series ?? []).forEach((s, i) => {
      listed.add(s.ticker);
      this.series.set(s.ticker, { fee: seriesFee(s, 'GET /series', `series[${i}]`), at });
    });
    // a series the full list does not hold has no fee data: cache "unknown"
    for (const t of requested) if (!listed.has(t)) this.series.set(t, { fee: undefined, at });
  }

  private async fetchOneSeries(ticker: string, signal?: AbortSignal): Promise<void> {
    const label = 'GET /series/{series_ticker}';
    try {
      const r = await this.http.get(`/series/${encodeURIComponent(ticker)}`, { label, schema: kalshiSeriesResponseSchema, signal });
      this.series.set(ticker, { fee: seriesFee(r.data.series, label, 'series'), at: this.now() });
    } catch (error) {
      if (error instanceof RejectedVenueError && error.status === 404) {
        this.series.set(ticker, { fee: undefined, at: this.now() });
        return;
      }
      throw error;
    }
  }

  /**
   * `GET /markets/orderbooks` for any number of tickers, in calls of ≤ `booksBatchSize`
   * (form-exploded `tickers=A&tickers=B`), run through the rate-limited queue.
   */
  async orderbooks(tickers: readonly string[], signal?: AbortSignal): Promise<Received<KalshiOrderbooksWire>[]> {
    const unique = [...new Set(tickers)];
    return Promise.all(
      chunk(unique, this.booksBatchSize).map(async (batch) => {
        const r = await this.http.get('/markets/orderbooks', {
          label: 'GET /markets/orderbooks',
          schema: kalshiOrderbooksResponseSchema,
          query: { tickers: batch },
          signal,
        });
        return { data: r.data, receivedAt: r.receivedAt };
      }),
    );
  }

  async exchangeStatus(signal?: AbortSignal): Promise<Received<KalshiExchangeStatusWire>> {
    const r = await this.http.get('/exchange/status', { label: 'GET /exchange/status', schema: kalshiExchangeStatusSchema, signal });
    return { data: r.data, receivedAt: r.receivedAt };
  }

  traffic(): VenueTraffic {
    return this.http.traffic();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
