/**
 * An intent whose save fails is refused and nothing is sent; its transaction already ran in
 * memory, so a later save would have written a trade "intent" with pending orders never
 * sent (found in review). They are marked never sent instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PersistenceError } from '../../../source/persistence/errors.js';
import { C, opportunity, paperExecution, paperWorld } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('an intent that cannot be saved', () => {
  it('is refused, nothing sent, and its rows say so when a later save succeeds', async () => {
    const world = await paperWorld(cleanups);
    const { t, books, kalshi, poly } = world;
    const exec = paperExecution(world, {});
    expect((await exec.reconcile()).armed).toBe(true);
    const flush = t.db.flushNow.bind(t.db);
    (t.db as { flushNow: () => Promise<void> }).flushNow = async () => {
      throw new PersistenceError('io', 'cannot write the database: disk full');
    };
    const started = await exec.start(opportunity(books), 10n * C, 'q');
    expect(started.result).toMatchObject({ kind: 'refused' });
    expect(JSON.stringify(started.result)).toContain('could not record the intent, nothing was sent');
    expect(kalshi.received).toHaveLength(0);
    expect(poly.received).toHaveLength(0);
    (t.db as { flushNow: () => Promise<void> }).flushNow = flush;
    await t.db.flushNow();
    const trades = t.db.repos.trades.listBySession(t.sessionId);
    expect(trades.map((x) => x.status)).toEqual(['failed']);
    expect(trades[0]?.note).toContain('not sent: the intent could not be saved');
    const orders = t.db.repos.orders.listByTrade(trades[0]?.id ?? -1);
    expect(orders.map((o) => o.state)).toEqual(['not-placed', 'not-placed']);
    // the pair can trade again at once
    expect(exec.check(opportunity(books), 10n * C)).toEqual({ ok: true });
  });
});
