/**
 * Two approved pairs can share a market (a Kalshi market paired with two Polymarket
 * markets, or back). Both opportunities are sized on the same book, so two attempts at
 * once would race for the same depth and the second would end one-legged (found in
 * review). The gate refuses an attempt while another pair's attempt on one of its
 * markets is in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import type { Opportunity } from '../../../source/engine/detector.js';
import { createExecution } from '../../../source/engine/execution/create-execution.js';
import { PaperVenue } from '../../../source/venues/paper/paper-venue.js';
import { book, C, fakeClock, kalshiMarket, lv, openTestDb, opportunityOn, polyMarketAs } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

const twoPoly: Market[] = ['a', 'b'].map((x) => polyMarketAs(`0x${x.repeat(64)}`));
// the Kalshi market's YES depth (10) is enough for one of the two trades only
const books = new Map([book(kalshiMarket, [lv('0.40', 10)], [lv('0.62', 50)]), ...twoPoly.map((m) => book(m, [lv('0.48', 50)], [lv('0.50', 20)]))].map((b) => [b.marketId, b]));

function opportunityOf(i: number): Opportunity {
  return opportunityOn(kalshiMarket, twoPoly[i] as Market, books);
}

describe('two pairs sharing a market', () => {
  it('the second attempt is refused while the first is in flight; once it has ended, the pair may trade again', async () => {
    const clock = fakeClock();
    const t = await openTestDb(clock.now);
    cleanups.push(t.cleanup);
    const kalshi = new PaperVenue({ id: 'kalshi', bookSource: (id) => books.get(id), now: clock.now });
    const polymarket = new PaperVenue({ id: 'polymarket', bookSource: (id) => books.get(id), now: clock.now });
    const exec = createExecution({
      db: t.db,
      sessionId: t.sessionId,
      venues: { kalshi, polymarket },
      now: clock.now,
      sleep: clock.sleep,
      settings: { pollIntervalMs: 100, pollDeadlineMs: 2_000, cooldownMs: 0, maxQuoteAgeMs: 60_000, maxTradeNotional: 100n * C, maxTotalExposure: 1_000n * C },
      resolveMarket: (venue, id) => [kalshiMarket, ...twoPoly].find((m) => m.venue === venue && m.id === id),
      paper: true,
    });
    expect((await exec.reconcile()).armed).toBe(true);
    const [a, b] = [opportunityOf(0), opportunityOf(1)];
    const [first, second] = await Promise.all([exec.start(a, a.size, 'qa'), exec.start(b, b.size, 'qb')]);
    expect(first.result.kind).toBe('submitted');
    expect(second.result).toMatchObject({ kind: 'refused' });
    expect(JSON.stringify(second.result)).toContain('sharing a market');
    expect((await first.completion)?.outcome?.classification).toBe('complete');
    expect(t.db.repos.audit.list().some((e) => e.kind === 'risk-denied' && JSON.stringify(e.detail).includes('market-in-flight'))).toBe(true);
    // the first attempt has ended: the other pair is gated on its own measures again
    expect(exec.check(b, b.size)).toMatchObject({ ok: true });
  });
});
