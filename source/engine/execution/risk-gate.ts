/**
 * The risk gate in front of every attempt: a pure function of limits, state and the
 * request. A denial is a value with a code and a sentence for the UI, never an exception.
 */
import type { VenueId } from '../../domain/market.js';
import { formatUsd, type Money } from '../../domain/money.js';
import { CLOCK_STEP_SLACK_MS } from '../detector.js';

export interface RiskLimits {
  readonly maxTradeNotional: Money;
  readonly maxPairNotional: Money;
  readonly maxTotalExposure: Money;
  readonly dailyLossLimit: Money;
  readonly maxQuoteAgeMs: number;
  readonly circuitBreakerFailures: number;
  readonly maxOneLegFailuresPerPair: number;
}

export interface RiskState {
  readonly now: number;
  readonly halted: boolean;
  readonly breakerTripped: boolean;
  readonly consecutiveFailures: number;
  readonly pairBlocked: boolean;
  readonly pairOneLegFailures: number;
  readonly pairInFlight: boolean;
  /**
   * The key of another pair whose attempt is in flight (or unresolved) on one of this
   * pair's markets, else null: two attempts would take the same depth of one book.
   */
  readonly marketInFlight: string | null;
  readonly pairCooldownUntil: number | null;
  /** Cost held on this pair's markets now. */
  readonly pairNotional: Money;
  /** Cost of everything held now. */
  readonly totalExposure: Money;
  /** Realised P&L today (negative = loss). */
  readonly dailyRealisedPnl: Money;
  /** Available balance per venue, when known (for Kalshi: of the pair's market's exchange shard when known). */
  readonly balances: Partial<Record<VenueId, Money | null>>;
  /** Where a venue's balance is held, when it is one part of the account (Kalshi "exchange shard 2"). */
  readonly balanceScopes?: Partial<Record<VenueId, string>>;
}

export interface RiskRequest {
  /** Both legs' cost, fees included. */
  readonly notional: Money;
  /** Each venue's leg cost, fees included (checked against its balance). */
  readonly legCost: Readonly<Record<VenueId, Money>>;
  /** Local receive time of each leg's book. */
  readonly quoteReceivedAt: readonly number[];
  /** The Kalshi market's exchange shard (`exchange_index`), when known: its collateral is the shard's. */
  readonly kalshiShard?: number | null;
}

export type RiskDenialCode =
  | 'kill-switch'
  | 'circuit-breaker'
  | 'pair-blocked'
  | 'attempt-in-flight'
  | 'market-in-flight'
  | 'cooldown'
  | 'stale-quote'
  | 'trade-notional'
  | 'pair-notional'
  | 'total-exposure'
  | 'daily-loss'
  | 'balance';

export type RiskDecision = { readonly ok: true } | { readonly ok: false; readonly code: RiskDenialCode; readonly reason: string };

function deny(code: RiskDenialCode, reason: string): RiskDecision {
  return { ok: false, code, reason };
}

export function checkRisk(limits: RiskLimits, state: RiskState, request: RiskRequest): RiskDecision {
  if (state.halted) return deny('kill-switch', 'the kill switch is on');
  if (state.breakerTripped || state.consecutiveFailures >= limits.circuitBreakerFailures) {
    return deny('circuit-breaker', `circuit breaker: ${state.consecutiveFailures} consecutive failed attempts`);
  }
  if (state.pairBlocked || state.pairOneLegFailures >= limits.maxOneLegFailuresPerPair) {
    return deny('pair-blocked', `pair blocked after ${state.pairOneLegFailures} one-leg failures`);
  }
  if (state.pairInFlight) return deny('attempt-in-flight', 'an attempt on this pair is still in flight');
  if (state.marketInFlight !== null) {
    return deny('market-in-flight', `an attempt on another pair sharing a market (${state.marketInFlight}) is still in flight`);
  }
  if (state.pairCooldownUntil !== null && state.now < state.pairCooldownUntil) {
    return deny('cooldown', `pair cooling down for ${Math.ceil((state.pairCooldownUntil - state.now) / 1000)} s`);
  }
  const oldest = Math.min(...request.quoteReceivedAt);
  if (request.quoteReceivedAt.length === 0 || state.now - oldest > limits.maxQuoteAgeMs) {
    return deny('stale-quote', `quote is ${state.now - oldest} ms old (limit ${limits.maxQuoteAgeMs} ms)`);
  }
  // received "after now": the clock stepped back, the quote's age is unknown
  const newest = Math.max(...request.quoteReceivedAt);
  if (newest - state.now > CLOCK_STEP_SLACK_MS) {
    return deny('stale-quote', `quote received ${newest - state.now} ms after now (the clock moved back): its age is unknown`);
  }
  if (request.notional > limits.maxTradeNotional) {
    return deny('trade-notional', `trade cost ${formatUsd(request.notional)} exceeds ${formatUsd(limits.maxTradeNotional)} per trade`);
  }
  if (state.pairNotional + request.notional > limits.maxPairNotional) {
    return deny('pair-notional', `pair would hold ${formatUsd(state.pairNotional + request.notional)}, limit ${formatUsd(limits.maxPairNotional)}`);
  }
  if (state.totalExposure + request.notional > limits.maxTotalExposure) {
    return deny('total-exposure', `open exposure would be ${formatUsd(state.totalExposure + request.notional)}, limit ${formatUsd(limits.maxTotalExposure)}`);
  }
  if (-state.dailyRealisedPnl >= limits.dailyLossLimit) {
    return deny('daily-loss', `realised loss today ${formatUsd(-state.dailyRealisedPnl)} reached the limit ${formatUsd(limits.dailyLossLimit)}`);
  }
  for (const venue of ['kalshi', 'polymarket'] as const) {
    const available = state.balances[venue];
    // null: the last read failed (keys refused, venue unreachable); never trade on a guess
    if (available === null) return deny('balance', `${venue} balance unknown (the last read failed)`);
    if (available !== undefined && available < request.legCost[venue]) {
      const scope = state.balanceScopes?.[venue];
      return deny('balance', `${venue} balance${scope ? ` on ${scope}` : ''} ${formatUsd(available)} is below the leg cost ${formatUsd(request.legCost[venue])}`);
    }
  }
  return { ok: true };
}
