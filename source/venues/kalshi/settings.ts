import type { KalshiFeeRounding } from '../../domain/fees.js';
import type { RateLimitOptions, RetryOptions } from '../../lib/http-client.js';

/** Everything the Kalshi market-data client needs; built from config by the composition root. */
export interface KalshiSettings {
  /** REST root including /trade-api/v2, e.g. https://external-api.kalshi.com/trade-api/v2 */
  readonly restUrl: string;
  readonly timeoutMs: number;
  readonly rateLimit: RateLimitOptions;
  readonly retry: RetryOptions;
  /** Fee rounding granularity used when pricing Kalshi fills. */
  readonly feeRounding: KalshiFeeRounding;
  /** Events per page of GET /events (1–200). */
  readonly eventsPageSize: number;
  /** Tickers per GET /markets/orderbooks call (1–100). */
  readonly booksBatchSize: number;
  /**
   * Series fee lookups: when more than this many uncached series are needed at once,
   * fetch the whole unpaginated `GET /series` once instead of one `GET /series/{t}` each
   * (default 25).
   */
  readonly seriesBulkThreshold?: number;
  /** How long series fee data is reused before it is fetched again (default 1 h). */
  readonly seriesCacheTtlMs?: number;
  /** Safety stop for `GET /events` pagination (default 10,000 pages). */
  readonly maxEventPages?: number;
}

export const KALSHI_DEFAULT_SERIES_BULK_THRESHOLD = 25;
export const KALSHI_DEFAULT_SERIES_CACHE_TTL_MS = 3_600_000;
export const KALSHI_DEFAULT_MAX_EVENT_PAGES = 10_000;

export const KALSHI_PRODUCTION_REST = 'https://external-api.kalshi.com/trade-api/v2';
export const KALSHI_DEMO_REST = 'https://external-api.demo.kalshi.co/trade-api/v2';

export const DEFAULT_KALSHI_SETTINGS: KalshiSettings = {
  restUrl: KALSHI_PRODUCTION_REST,
  timeoutMs: 10_000,
  // Unauthenticated limits are unpublished; 8 req/s was observed to draw no 429s (Sept 2026).
  rateLimit: { requests: 8, intervalMs: 1_000, concurrency: 4 },
  retry: { maxRetries: 4, baseDelayMs: 250, maxDelayMs: 8_000 },
  feeRounding: 'centicent',
  eventsPageSize: 200,
  booksBatchSize: 100,
};
