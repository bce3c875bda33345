/**
 * A venue that takes its fee in shares, whose fills could not be read when the order ended
 * (a fill derived from the order is booked): a restart's reconciliation reads the venue's
 * fills but does not add them on top of the derived one — the booked position stays what
 * the venue holds (found in review: 19.85 booked, 9.85 held).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { C, opportunity, paperExecution, paperWorld, polyMarket } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('fees in shares, fills unread at the time, then a restart', () => {
  it('reconciliation books no shares twice: the position equals what the venue holds', async () => {
    const world = await paperWorld(cleanups, { feeInShares: true });
    const { t, books, kalshi, poly } = world;
    const make = () => paperExecution(world, { settings: { maxQuoteAgeMs: 60_000, pollIntervalMs: 100, pollDeadlineMs: 1_000 } });
    const exec = make();
    expect((await exec.reconcile()).armed).toBe(true);
    kalshi.injectFault({ kind: 'timeout-before-execution' }); // the Kalshi leg stays unknown: unresolved
    poly.failReads(1); // the fills read after the Polymarket answer fails: a derived fill is booked
    const report = await (await exec.start(opportunity(books), 10n * C, 'q')).completion;
    expect(report?.status).toBe('unresolved');
    const held = async () => (await poly.positions([polyMarket]))[0]?.no ?? 0n;
    const booked = () => t.db.repos.orders.positions().find((p) => p.venue === 'polymarket' && p.side === 'no')?.size ?? 0n;
    expect(booked()).toBe(await held());

    const restarted = make();
    const r = await restarted.reconcile();
    expect(r.armed).toBe(true);
    expect(booked()).toBe(await held());
    if (r.armed) expect(r.notes.some((n) => n.startsWith('position mismatch'))).toBe(false);
  });
});
