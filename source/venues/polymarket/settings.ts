import type { RateLimitOptions, RetryOptions } from '../../lib/http-client.js';

/** Everything the Polymarket market-data client needs; built from config by the composition root. */
export interface PolymarketSettings {
  readonly gammaUrl: string;
  readonly clobUrl: string;
  readonly timeoutMs: number;
  /** Gamma documents 500 req/10 s on /events and 300 req/10 s on /markets. */
  readonly gammaRateLimit: RateLimitOptions;
  /** CLOB documents 500 req/10 s on POST /books and 1,500 req/10 s on single-token reads. */
  readonly clobRateLimit: RateLimitOptions;
  readonly retry: RetryOptions;
  /** Events (or markets) per Gamma page. */
  readonly gammaPageSize: number;
  /** Tokens per POST /books call. */
  readonly booksBatchSize: number;
}

export const POLYMARKET_GAMMA = 'https://gamma-api.polymarket.com';
export const POLYMARKET_CLOB = 'https://clob.polymarket.com';

export const DEFAULT_POLYMARKET_SETTINGS: PolymarketSettings = {
  gammaUrl: POLYMARKET_GAMMA,
  clobUrl: POLYMARKET_CLOB,
  timeoutMs: 10_000,
  gammaRateLimit: { requests: 25, intervalMs: 1_000, concurrency: 4 },
  clobRateLimit: { requests: 45, intervalMs: 1_000, concurrency: 4 },
  retry: { maxRetries: 4, baseDelayMs: 250, maxDelayMs: 8_000 },
  gammaPageSize: 100,
  booksBatchSize: 50,
};
