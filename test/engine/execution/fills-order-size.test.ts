/**
 * The executor reads an order's fills with the order's size (`FillsQuery.orderSizes`), so a
 * venue whose trade sizes come in an unsettled unit (Polymarket: "500000" is half a share in
 * fixed math, or 500,000 shares) reads them right even after a restart, when its client no
 * longer knows the orders it built (found in review: a restarted process read half a share
 * as 500,000 shares).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FillsQuery } from '../../../source/venues/trading.js';
import { C, forwardTo, opportunity, paperExecution, paperWorld } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('fills read with the order size', () => {
  it("every fills read of an order carries that order's size by its venue id", async () => {
    const world = await paperWorld(cleanups);
    const { t, books, kalshi, poly } = world;
    const queries: Array<{ venue: string; query: FillsQuery }> = [];
    const spy = (v: typeof kalshi) =>
      forwardTo(v, {
        fills: (query) => {
          queries.push({ venue: v.id, query });
          return v.fills(query);
        },
      });
    const exec = paperExecution(world, { venues: { kalshi: spy(kalshi), polymarket: spy(poly) } });
    expect((await exec.reconcile()).armed).toBe(true);
    const started = await exec.start(opportunity(books), 10n * C, 'q');
    const report = await started.completion;
    expect(report?.status).toBe('complete');
    const orders = t.db.repos.orders.listByTrade(report?.tradeId ?? -1);
    expect(orders).toHaveLength(2);
    for (const o of orders) {
      const read = queries.filter((q) => q.venue === o.venue);
      expect(read.length).toBeGreaterThan(0);
      for (const { query } of read) {
        expect(query.market?.id).toBe(o.marketId);
        expect(query.orderSizes?.get((o.venueOrderId ?? '').toLowerCase())).toBe(10n * C);
      }
    }
  });
});
