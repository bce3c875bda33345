/**
 * Stopping the app (q, a signal): new attempts are refused, and one still writing its
 * intent when the stop begins is waited for, orders and fills recorded, before the venues
 * and the database close (found in review: `idle` waited only for attempts already
 * running, so an attempt in its intent flush sent its orders after both were closed and
 * its fills were never recorded).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../source/persistence/database.js';
import { C, forwardTo, opportunity, paperExecution, paperWorld } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('stopping the execution', () => {
  it('waits for an attempt still starting, then refuses new ones; its orders and fills are on disk after the database closes', async () => {
    const world = await paperWorld(cleanups);
    const { t, books, kalshi, poly } = world;
    const events: string[] = [];
    const slow = (v: typeof kalshi) =>
      forwardTo(v, {
        placeOrder: async (intent) => {
          events.push(`order ${v.id}`);
          await new Promise((resolve) => setTimeout(resolve, 30)); // a venue's network latency
          return v.placeOrder(intent);
        },
      });
    const exec = paperExecution(world, { venues: { kalshi: slow(kalshi), polymarket: slow(poly) }, settings: { pollIntervalMs: 100, pollDeadlineMs: 2_000, maxQuoteAgeMs: 60_000 } });
    expect((await exec.reconcile()).armed).toBe(true);
    // the ticket is confirmed and the app is told to stop in the same moment
    const starting = exec.start(opportunity(books), 10n * C, 'q');
    await exec.stop('the app is stopping');
    events.push('stopped');
    const started = await starting;
    expect(started.result.kind).toBe('submitted');
    expect(events).toEqual(['order kalshi', 'order polymarket', 'stopped']);
    const later = await exec.start(opportunity(books), 10n * C, 'q2');
    expect(later.result).toEqual({ kind: 'refused', reason: 'the app is stopping' });
    await t.db.close();
    const again = await openDatabase({ path: t.path, readOnly: true });
    try {
      const orders = again.repos.orders.listByTrade(1);
      expect(orders.map((o) => [o.venue, o.state, o.filledSize])).toEqual([
        ['kalshi', 'filled', 10n * C],
        ['polymarket', 'filled', 10n * C],
      ]);
      expect(again.repos.trades.listBySession(t.sessionId).map((x) => x.status)).toEqual(['complete']);
    } finally {
      await again.close();
    }
  });
});
