/**
 * Execution settings (the lead maps config onto these). Money at scale 1e6.
 */
import type { LegMode, UnequalFillPolicy } from '../../domain/attempt.js';
import type { Money, Price } from '../../domain/money.js';

export interface ExecutionSettings {
  /** Both legs at once (default) or the less liquid leg first, then hedge exactly what filled. */
  readonly legMode: LegMode;
  /** After unequal fills: sell back only the excess at a bounded price, or leave it and alert. */
  readonly unequalFills: UnequalFillPolicy;
  /** The unwind sells no lower than the excess leg's entry price minus this (per contract). */
  readonly unwindMaxSlippage: Price;
  /** How long an unknown order outcome is polled before the attempt is left for reconciliation. */
  readonly pollDeadlineMs: number;
  readonly pollIntervalMs: number;
  /** No new attempt on the same pair for this long after one ends. */
  readonly cooldownMs: number;
  /** A pair is blocked after this many attempts that left (or unwound) one leg. */
  readonly maxOneLegFailuresPerPair: number;
  /** No new attempts at all after this many consecutive failed attempts (until reset). */
  readonly circuitBreakerFailures: number;
  /** Realised loss today (UTC) at which new attempts stop. */
  readonly dailyLossLimit: Money;
  /** Cost (fees included) of all positions held, plus this trade, must stay within this. */
  readonly maxTotalExposure: Money;
  /** Cost of one attempt (both legs, fees included). */
  readonly maxTradeNotional: Money;
  /** Cost held on one pair's two markets, plus this trade. */
  readonly maxPairNotional: Money;
  /** Oldest quote (local receive time) an attempt may be sent on. */
  readonly maxQuoteAgeMs: number;
  /** Headless: execute tradable opportunities without a keypress (every limit still applies). */
  readonly autoExecute: boolean;
}

export const DEFAULT_EXECUTION_SETTINGS: ExecutionSettings = {
  legMode: 'simultaneous',
  unequalFills: 'unwind',
  unwindMaxSlippage: 50_000n, // $0.05 per contract
  pollDeadlineMs: 30_000,
  pollIntervalMs: 500,
  cooldownMs: 10_000,
  maxOneLegFailuresPerPair: 2,
  circuitBreakerFailures: 3,
  dailyLossLimit: 50_000_000n, // $50
  maxTotalExposure: 2_000_000_000n, // $2,000
  maxTradeNotional: 100_000_000n, // $100
  maxPairNotional: 500_000_000n, // $500 (config max_capital_per_pair)
  maxQuoteAgeMs: 5_000,
  autoExecute: false,
};

/** Persistent state keys (app_state). */
export const KILL_SWITCH_KEY = 'kill_switch';
export const CIRCUIT_BREAKER_KEY = 'circuit_breaker';
export const PAIR_BLOCKED_PREFIX = 'pair_blocked:';
