/**
 * Default configuration, written in the same (TOML-shaped, snake_case) form as a
 * config file so that defaults, files, profiles and the environment merge alike.
 * Venue settings come from the venue folders' DEFAULT_*_SETTINGS; the rest is
 * chosen and justified here. `.arbrc.example.toml` repeats every value (a test
 * keeps the two equal).
 */
import path from 'node:path';
import type { RateLimitOptions, RetryOptions } from '../lib/http-client.js';
import { DEFAULT_KALSHI_SETTINGS, KALSHI_DEMO_REST } from '../venues/kalshi/settings.js';
import { DEFAULT_POLYMARKET_SETTINGS } from '../venues/polymarket/settings.js';
import { DEFAULT_SIMULATED_SETTINGS } from '../venues/simulated/settings.js';
import type { ConfigInput } from './schema.js';
import { APP_DIR_NAME, xdgDir } from './search.js';

export const DB_FILE_NAME = 'arb-tui.sqlite';

/** `$XDG_DATA_HOME/arb-tui/arb-tui.sqlite`, `~/.local/share/...` when XDG_DATA_HOME is unset or relative. */
export function defaultDbPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  return path.join(xdgDir(env, 'XDG_DATA_HOME', homeDir, path.join('.local', 'share')), APP_DIR_NAME, DB_FILE_NAME);
}

const rateLimit = (r: RateLimitOptions) => ({ requests: r.requests, interval_ms: r.intervalMs, concurrency: r.concurrency });
const retry = (r: RetryOptions) => ({ max_retries: r.maxRetries, base_delay_ms: r.baseDelayMs, max_delay_ms: r.maxDelayMs });

/**
 * Opportunity and risk thresholds. Money and ratios are decimal strings (scale 10^6).
 * - min_net_profit "0.50" USD: after every fee, for the whole size. Two legs on two venues
 *   carry legging risk (one leg fills, the other moves); half a dollar is the least that
 *   pays for watching it. Lower it for paper mode experiments.
 * - min_roi "0.01" (1 %): net profit / capital committed. Below ~1 % a one-tick move between
 *   the legs (Kalshi $0.01, Polymarket $0.001–0.01) or fee rounding erases the edge.
 * - min_annualized_return "0.10" (10 % a year): capital is locked until the later market
 *   settles (DOMAIN.md); 10 % clearly beats a risk-free ~4 % for the settlement and
 *   resolution-mismatch risk taken.
 * - max_size_per_trade "100" contracts: at most $100 payout per attempt, so a one-legged
 *   fill is a bounded, survivable loss while the tool is young.
 * - max_capital_per_pair "500" USD: caps exposure to any one question (and to a wrong match).
 * - stale_quote_ms 5000: a quote older than two and a half candidate refreshes (2 s) is not
 *   traded on; a frozen book is worse than none (DOMAIN.md).
 * - min_match_confidence "0.60": matcher score (0–1) below which a pair is not offered as a
 *   candidate at all (the matcher's own floor: on the labelled real catalog every true pair
 *   scores above it and no look-alike does). Trading still needs a person's approval.
 * - min_pair_confidence "0.85": a candidate (not yet approved) scoring at least this has its
 *   books read and its opportunities shown, as not tradable until approved.
 */
const THRESHOLDS = {
  min_net_profit: '0.50',
  min_roi: '0.01',
  min_annualized_return: '0.10',
  max_size_per_trade: '100',
  max_capital_per_pair: '500',
  stale_quote_ms: 5_000,
  min_match_confidence: '0.60',
  min_pair_confidence: '0.85',
} as const;

/**
 * Execution (paper and execute modes). Conservative: both legs at once, unwind only the
 * excess of unequal fills within 5¢ a contract, poll an unknown order for 30 s, 10 s between
 * attempts on one pair, block a pair after 2 one-leg failures, stop everything after 3
 * failed attempts in a row or $50 realised loss in a UTC day; $100 a trade, $2,000 in all.
 * Auto-execution (headless only) is off unless you turn it on.
 */
const EXECUTION = {
  leg_mode: 'simultaneous',
  unequal_fills: 'unwind',
  unwind_max_slippage: '0.05',
  poll_deadline_ms: 30_000,
  cooldown_ms: 10_000,
  max_one_leg_failures: 2,
  circuit_breaker_failures: 3,
  daily_loss_limit: '50',
  max_total_exposure: '2000',
  max_trade_notional: '100',
  auto_execute: false,
} as const;

/**
 * Refresh cadence.
 * - catalog_interval_ms 300000 (5 min): new markets appear in minutes to hours; a full
 *   catalog is tens of pages per venue, so more often only spends rate limit.
 * - books_interval_ms 2000 (2 s): books of the markets of APPROVED pairs, the ones that can
 *   trade; kept younger than stale_quote_ms (5 s) with room for one slow or retried call.
 * - candidate_books_interval_ms 10000 (10 s): books of candidate pairs (not tradable until
 *   approved) at a lower rate, so hundreds of candidates stay well inside the rate limits
 *   (100 Kalshi tickers or 50 Polymarket tokens a call).
 */
const REFRESH = {
  catalog_interval_ms: 300_000,
  books_interval_ms: 2_000,
  candidate_books_interval_ms: 10_000,
} as const;

/** Every key at its default, in config-file form. */
export function defaultConfigInput(env: NodeJS.ProcessEnv, homeDir: string): ConfigInput {
  const k = DEFAULT_KALSHI_SETTINGS;
  const p = DEFAULT_POLYMARKET_SETTINGS;
  const s = DEFAULT_SIMULATED_SETTINGS;
  return {
    // Read only and needs no keys: nothing can trade unless asked to.
    mode: 'monitor',
    db_path: defaultDbPath(env, homeDir),
    log_level: 'info',
    kalshi: {
      rest_url: k.restUrl,
      timeout_ms: k.timeoutMs,
      fee_rounding: k.feeRounding,
      events_page_size: k.eventsPageSize,
      books_batch_size: k.booksBatchSize,
      rate_limit: rateLimit(k.rateLimit),
      retry: retry(k.retry),
    },
    polymarket: {
      gamma_url: p.gammaUrl,
      clob_url: p.clobUrl,
      timeout_ms: p.timeoutMs,
      gamma_page_size: p.gammaPageSize,
      books_batch_size: p.booksBatchSize,
      gamma_rate_limit: rateLimit(p.gammaRateLimit),
      clob_rate_limit: rateLimit(p.clobRateLimit),
      retry: retry(p.retry),
    },
    pairs: [],
    demo: { seed: s.seed, tick_ms: s.tickMs, cross_probability: s.crossProbability },
    thresholds: { ...THRESHOLDS },
    execution: { ...EXECUTION },
    refresh: { ...REFRESH },
  };
}

/**
 * Profiles available without a config file. A file's `[profiles.NAME]` with the same
 * name is applied on top of the built-in one.
 */
export const BUILT_IN_PROFILES: Readonly<Record<string, Record<string, unknown>>> = {
  // Kalshi's demo environment (fake money, separate keys); Polymarket has no demo.
  'kalshi-demo': { kalshi: { rest_url: KALSHI_DEMO_REST } },
};
