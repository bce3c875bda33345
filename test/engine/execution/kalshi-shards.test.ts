/**
 * Kalshi collateral is per exchange shard (crypto 2, tennis/baseball 3, …; kalshi-api.md
 * §2.5): an opportunity on a market of shard 2 is gated and sized on what shard 2 holds,
 * not on the account's total (found in review: the total let a trade through that Kalshi
 * then refused for insufficient balance, after the Polymarket leg may have filled).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import type { Money } from '../../../source/domain/money.js';
import type { VenueBalance } from '../../../source/venues/trading.js';
import { C, defaultBooks, forwardTo, kalshiMarket, opportunity, paperExecution, paperWorld, polyMarket } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

const onShard = (index: number | null): Market => ({ ...kalshiMarket, ref: { ...kalshiMarket.ref, exchangeIndex: index } as Market['ref'] });

describe('Kalshi collateral per exchange shard', () => {
  it("an opportunity is gated and sized on its market's shard; without a breakdown the total applies", async () => {
    const world = await paperWorld(cleanups);
    let breakdown: Array<{ exchangeIndex: number; available: Money }> = [
      { exchangeIndex: 0, available: 1_000n * C },
      { exchangeIndex: 2, available: 1n * C },
    ];
    const kalshi = forwardTo(world.kalshi, {
      balance: async (): Promise<VenueBalance> => ({ venue: 'kalshi', available: breakdown.reduce((s, x) => s + x.available, 0n), shards: breakdown, receivedAt: world.clock.now() }),
    });
    const exec = paperExecution(world, { venues: { kalshi } });
    expect((await exec.reconcile()).armed).toBe(true);
    const books = defaultBooks();
    const on = (index: number | null) => {
      const o = opportunity(books);
      const market = onShard(index);
      return { ...o, legs: [{ ...o.legs[0], market }, o.legs[1]] as typeof o.legs };
    };
    // shard 2 holds $1: a $4-odd Kalshi leg is refused, saying where the money is short
    const denied = exec.check(on(2), 10n * C);
    expect(denied).toMatchObject({ ok: false, code: 'balance' });
    expect(JSON.stringify(denied)).toContain('kalshi balance on exchange shard 2 $1.00');
    // sized to it: the account view gives the shard's money for the pair's Kalshi leg
    expect(exec.accountView()(onShard(2), polyMarket).kalshi).toBe(1n * C);
    expect(exec.accountView()(onShard(0), polyMarket).kalshi).toBe(1_000n * C);
    // a shard the breakdown does not list holds nothing there
    expect(exec.check(on(3), 10n * C)).toMatchObject({ ok: false, code: 'balance' });
    // shard 0 is funded; a market whose shard is not known uses the total
    expect(exec.check(on(0), 10n * C)).toEqual({ ok: true });
    expect(exec.check(on(null), 10n * C)).toEqual({ ok: true });
    // -1 is "auto-route": no shard known, the total applies
    expect(exec.check(on(-1), 10n * C)).toEqual({ ok: true });
    // no breakdown given: the total applies to every shard
    breakdown = [];
    await exec.reconcile();
    expect(exec.check(on(2), 10n * C)).toMatchObject({ ok: false }); // total $0 now
    breakdown = [{ exchangeIndex: 2, available: 500n * C }];
    await exec.reconcile();
    expect(exec.check(on(2), 10n * C)).toEqual({ ok: true });
  });
});
