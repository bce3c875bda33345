import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRisk, type RiskLimits, type RiskRequest, type RiskState } from '../../../source/engine/execution/risk-gate.js';

const C = 1_000_000n;
const limits: RiskLimits = {
  maxTradeNotional: 100n * C,
  maxPairNotional: 500n * C,
  maxTotalExposure: 2_000n * C,
  dailyLossLimit: 50n * C,
  maxQuoteAgeMs: 5_000,
  circuitBreakerFailures: 3,
  maxOneLegFailuresPerPair: 2,
};
const state: RiskState = {
  now: 10_000,
  halted: false,
  breakerTripped: false,
  consecutiveFailures: 0,
  pairBlocked: false,
  pairOneLegFailures: 0,
  pairInFlight: false,
  marketInFlight: null,
  pairCooldownUntil: null,
  pairNotional: 0n,
  totalExposure: 0n,
  dailyRealisedPnl: 0n,
  balances: {},
};
const request: RiskRequest = { notional: 90n * C, legCost: { kalshi: 40n * C, polymarket: 50n * C }, quoteReceivedAt: [9_000, 9_500] };

describe('checkRisk', () => {
  it('allows a trade within every limit', () => {
    expect(checkRisk(limits, state, request)).toEqual({ ok: true });
  });

  it.each([
    ['kill-switch', { halted: true }, {}],
    ['circuit-breaker', { consecutiveFailures: 3 }, {}],
    ['circuit-breaker', { breakerTripped: true }, {}],
    ['pair-blocked', { pairOneLegFailures: 2 }, {}],
    ['pair-blocked', { pairBlocked: true }, {}],
    ['attempt-in-flight', { pairInFlight: true }, {}],
    ['market-in-flight', { marketInFlight: 'KXOTHER|0xaa…bbbb' }, {}],
    ['cooldown', { pairCooldownUntil: 10_001 }, {}],
    ['stale-quote', {}, { quoteReceivedAt: [4_999, 9_000] }],
    ['trade-notional', {}, { notional: 100n * C + 1n }],
    ['pair-notional', { pairNotional: 411n * C }, {}],
    ['total-exposure', { totalExposure: 1_911n * C }, {}],
    ['daily-loss', { dailyRealisedPnl: -50n * C }, {}],
    ['balance', { balances: { polymarket: 49n * C } }, {}],
  ] as const)('denies %s with a reason', (code, s, r) => {
    const d = checkRisk(limits, { ...state, ...s }, { ...request, ...r });
    expect(d).toEqual({ ok: false, code, reason: expect.any(String) });
    if (!d.ok) expect(d.reason.length).toBeGreaterThan(5);
  });

  it('a quote received after now (the clock stepped back) is refused as stale: its age is unknown', () => {
    expect(checkRisk(limits, state, { ...request, quoteReceivedAt: [state.now + 60_000, state.now] })).toEqual({
      ok: false,
      code: 'stale-quote',
      reason: expect.stringContaining('the clock moved back'),
    });
    expect(checkRisk(limits, state, { ...request, quoteReceivedAt: [state.now + 500, state.now] })).toEqual({ ok: true });
  });

  it('limits are inclusive where they should be: exactly at the limit passes', () => {
    expect(checkRisk(limits, { ...state, pairNotional: 410n * C, totalExposure: 1_910n * C, dailyRealisedPnl: -49_999_999n, balances: { kalshi: 40n * C, polymarket: 50n * C } }, { ...request, quoteReceivedAt: [5_000] })).toEqual({ ok: true });
  });

  it('a balance whose last read failed (null) denies: never trade on an unknown balance; never read yet (absent) is not checked', () => {
    const unknown = checkRisk(limits, { ...state, balances: { kalshi: 1_000n * C, polymarket: null } }, request);
    expect(unknown).toEqual({ ok: false, code: 'balance', reason: expect.stringContaining('polymarket balance unknown') });
    expect(checkRisk(limits, { ...state, balances: { kalshi: 1_000n * C } }, request)).toEqual({ ok: true });
  });

  it('property: a denial happens exactly when some limit is crossed', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 200n }),
        fc.bigInt({ min: 0n, max: 600n }),
        fc.bigInt({ min: -100n, max: 100n }),
        fc.integer({ min: 0, max: 10_000 }),
        (notional, pairHeld, pnl, age) => {
          const d = checkRisk(
            limits,
            { ...state, pairNotional: pairHeld * C, totalExposure: pairHeld * C, dailyRealisedPnl: pnl * C },
            { ...request, notional: notional * C, legCost: { kalshi: 0n, polymarket: 0n }, quoteReceivedAt: [10_000 - age] },
          );
          const crossed = age > 5_000 || notional > 100n || pairHeld + notional > 500n || -pnl >= 50n;
          expect(d.ok).toBe(!crossed);
        },
      ),
    );
  });
});
