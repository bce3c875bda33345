/**
 * An attempt left unresolved (an order's fate unknown after polling) keeps its reservation
 * until reconciliation: what it may have spent is in no position (fills of an order not
 * final are not booked) and in no balance read yet, so other pairs must not trade against
 * it (found in review: the reservation was released at once, and three full trades were
 * let through a limit of two and a half).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import type { Opportunity } from '../../../source/engine/detector.js';
import { createExecution } from '../../../source/engine/execution/create-execution.js';
import { PaperVenue } from '../../../source/venues/paper/paper-venue.js';
import { book, C, fakeClock, kalshiMarketAs, lv, openTestDb, opportunityOn, polyMarketAs } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

const kalshi3: Market[] = ['A', 'B', 'C'].map((x) => kalshiMarketAs(`KXTEST-26JUN-${x}`));
const poly3: Market[] = ['a', 'b', 'c'].map((x) => polyMarketAs(`0x${x.repeat(64)}`));
const books = new Map(
  [...kalshi3.map((m) => book(m, [lv('0.40', 20)], [lv('0.62', 50)])), ...poly3.map((m) => book(m, [lv('0.48', 50)], [lv('0.50', 20)]))].map((b) => [b.marketId, b]),
);

function opportunityOf(i: number): Opportunity {
  return opportunityOn(kalshi3[i] as Market, poly3[i] as Market, books);
}

describe('an unresolved attempt keeps its reservation until reconciled', () => {
  it('other pairs are gated with it counted; reconciliation books the fills and releases it', async () => {
    const clock = fakeClock();
    const t = await openTestDb(clock.now);
    cleanups.push(t.cleanup);
    const kalshi = new PaperVenue({ id: 'kalshi', bookSource: (id) => books.get(id), now: clock.now });
    const polymarket = new PaperVenue({ id: 'polymarket', bookSource: (id) => books.get(id), now: clock.now });
    const notional = opportunityOf(0).totalCost;
    const exec = createExecution({
      db: t.db,
      sessionId: t.sessionId,
      venues: { kalshi, polymarket },
      now: clock.now,
      sleep: clock.sleep,
      settings: { pollIntervalMs: 100, pollDeadlineMs: 2_000, cooldownMs: 0, maxQuoteAgeMs: 60_000, maxTradeNotional: 100n * C, maxTotalExposure: 2n * notional + (notional * 6n) / 10n },
      resolveMarket: (venue, id) => [...kalshi3, ...poly3].find((m) => m.venue === venue && m.id === id),
      paper: true,
    });
    expect((await exec.reconcile()).armed).toBe(true);
    // the Polymarket leg executes but its order reads as pending past the poll deadline
    polymarket.injectFault({ kind: 'pending-for-polls', polls: 40 });
    const first = await exec.start(opportunityOf(0), opportunityOf(0).size, 'q0');
    const firstReport = await first.completion;
    expect(firstReport?.status).toBe('unresolved');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // counted once: the Kalshi fill already booked is in the positions, the reservation covers the rest
    const limit = 2n * notional + (notional * 6n) / 10n;
    expect(exec.accountView()(kalshi3[1] as Market, poly3[1] as Market).capital).toBe(limit - notional);
    const second = await exec.start(opportunityOf(1), opportunityOf(1).size, 'q1');
    expect(second.result.kind).toBe('submitted');
    await second.completion;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // the balances were read after the unresolved attempt ended: its spending is in them, not taken off again
    expect(exec.accountView()(kalshi3[2] as Market, poly3[2] as Market)).toMatchObject({ kalshi: kalshi.availableBalance, polymarket: polymarket.availableBalance });
    // two trades held (one of them unresolved) and a third would pass 2.6 trades' worth: refused
    const third = exec.check(opportunityOf(2), opportunityOf(2).size);
    expect(third).toMatchObject({ ok: false });
    expect(JSON.stringify(third)).toMatch(/exposure/i);
    // reconciliation reads the venues: the unresolved attempt's fills are booked, its reservation released
    // (the venue reports the order matched by now)
    const pending = t.db.repos.orders.listByTrade(firstReport?.tradeId ?? -1).find((o) => o.venue === 'polymarket');
    for (let i = 0; i < 40; i += 1) await polymarket.getOrder({ market: poly3[0] as Market, venueOrderId: pending?.venueOrderId ?? '' });
    expect(await exec.reconcile()).toMatchObject({ armed: true });
    const held = t.db.repos.orders.positions().filter((p) => p.size > 0n);
    expect(held).toHaveLength(4);
    expect(exec.check(opportunityOf(2), opportunityOf(2).size)).toMatchObject({ ok: false });
    // half a trade fits beside the two held ones: nothing is counted twice
    expect(exec.check(opportunityOf(2), opportunityOf(2).size / 2n)).toMatchObject({ ok: true });
  });
});
