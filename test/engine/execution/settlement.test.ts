/**
 * Fills booked while matched but not final (Polymarket MATCHED → MINED → CONFIRMED) are
 * followed until they settle; one that fails on chain is voided: the position is rebuilt
 * without it, the trade classified again, and an alert says what is held unhedged (found in
 * review: MATCHED was taken as filled and never looked at again; then the ghost fill was only
 * alerted, its shares still booked as held). A restart takes up the watches left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fill } from '../../../source/venues/trading.js';
import { SETTLEMENT_WATCH_PREFIX } from '../../../source/engine/execution/executor.js';
import { realisedToday } from '../../../source/engine/execution/ledger.js';
import { C, forwardTo, opportunity, paperExecution, paperWorld } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setImmediate(resolve));
}

const matched = (fills: Fill[]): Fill[] | Promise<Fill[]> => fills.map((f) => ({ ...f, final: false, venueStatus: 'MATCHED' }));
const failedOnChain = (fills: Fill[]): Fill[] => fills.map((f) => ({ ...f, final: false, failed: true, venueStatus: 'FAILED' }));
const SETTINGS = { pollIntervalMs: 100, pollDeadlineMs: 2_000, maxQuoteAgeMs: 60_000 };

/** One 10-contract attempt whose Polymarket fills read first as `first` says (matched, not final), then as `later` says. */
async function attempt(
  later: (fills: Fill[]) => Fill[] | Promise<Fill[]>,
  first = matched,
  status = 'complete',
  prepare: (world: Awaited<ReturnType<typeof paperWorld>>) => void = () => undefined,
) {
  const world = await paperWorld(cleanups);
  prepare(world);
  const { t, books, poly } = world;
  let reads = 0;
  const venue = forwardTo(poly, {
    fills: async (q) => {
      reads += 1;
      const fills = await poly.fills(q);
      return reads === 1 ? first(fills) : later(fills);
    },
  });
  const alerts: string[] = [];
  const exec = paperExecution(world, { venues: { polymarket: venue }, settings: SETTINGS, onAlert: (m) => alerts.push(m) });
  expect((await exec.reconcile()).armed).toBe(true);
  const o = opportunity(books);
  const report = await (await exec.start(o, 10n * C, 'q')).completion;
  expect(report?.status).toBe(status);
  return { t, alerts, reads: () => reads, tradeId: report?.tradeId, world, venue, exec, o };
}

const watches = (t: { db: { repos: { state: { withPrefix(p: string): Array<readonly [string, string]> } } } }) => t.db.repos.state.withPrefix(SETTLEMENT_WATCH_PREFIX);

describe('fills matched but not final', () => {
  it('a fill that fails on chain afterwards is voided: position rebuilt, trade classified again, alert naming what is unhedged', async () => {
    const { t, alerts, tradeId, world } = await attempt(failedOnChain);
    expect(realisedToday(t.db.repos, world.clock.now()) > 0n).toBe(true);
    const held = (venue: string) => t.db.repos.orders.positions().filter((p) => p.venue === venue).map((p) => [p.side, p.size]);
    await until(() => alerts.length > 0);
    expect(alerts).toEqual([
      expect.stringMatching(
        new RegExp(`^trade ${tradeId}: polymarket reports 10 NO of .* failed after matching \\(not delivered\\): voided, booked position now 0 NO, trade one-leg-exposed; 10 contracts on leg \\d are not hedged: check the venue$`),
      ),
    ]);
    // the fill is kept, voided; the position and the trade are what the venue delivered
    expect(held('polymarket')).toEqual([['no', 0n]]);
    expect(held('kalshi')).toEqual([['yes', 10n * C]]);
    const trade = t.db.repos.trades.get(tradeId as number);
    expect(trade).toMatchObject({ status: 'one-leg-exposed', hedgedSize: 0n });
    expect(trade?.note).toMatch(/polymarket voided 10 matched after the fact$/);
    const polyOrder = t.db.repos.orders.listByTrade(tradeId as number).find((o) => o.venue === 'polymarket');
    expect(t.db.repos.orders.fillsForOrder(polyOrder?.clientOrderId as string)).toEqual([]);
    expect(t.db.repos.orders.voidedFillsForOrder(polyOrder?.clientOrderId as string)).toHaveLength(1);
    const audit = t.db.repos.audit.list().find((e) => e.kind === 'fill-failed');
    expect(JSON.parse(audit?.detail as string)).toMatchObject({ status: 'one-leg-exposed', positionAfter: '0', voided: [{ size: String(10n * C) }] });
    // the venue's word is final: the watch is done
    expect(watches(t)).toEqual([]);
    // nothing was hedged: the profit counted for today is gone (the daily loss limit reads it)
    expect(trade?.realisedPnl).toBeNull();
    expect(realisedToday(t.db.repos, world.clock.now())).toBe(0n);
  });

  it('reconciling the trade again after a restart does not book the voided shares back (as a fill derived from the order)', async () => {
    const { t, alerts, tradeId, world } = await attempt(failedOnChain);
    await until(() => alerts.length > 0);
    // the trade left open, its Polymarket order not known final (a run that stopped mid-way): reconciliation reads it again
    t.db.write((r) => {
      r.trades.update(tradeId as number, { status: 'unresolved', at: 1 });
      const poly = r.orders.listByTrade(tradeId as number).find((o) => o.venue === 'polymarket');
      r.orders.update(poly?.clientOrderId as string, { state: 'unknown', at: 1 });
    });
    const next = paperExecution(world, { venues: { polymarket: forwardTo(world.poly, { fills: async (q) => failedOnChain(await world.poly.fills(q)) }) }, settings: SETTINGS });
    expect((await next.reconcile()).armed).toBe(true);
    const ids = t.db.repos.orders.listByTrade(tradeId as number).flatMap((o) => t.db.repos.orders.fillsForOrder(o.clientOrderId).map((f) => f.venueFillId));
    expect(ids.some((id) => id.startsWith('derived:'))).toBe(false);
    expect(t.db.repos.orders.positions().find((p) => p.venue === 'polymarket')?.size).toBe(0n);
    expect(t.db.repos.trades.get(tradeId as number)?.status).toBe('one-leg-exposed');
  });

  it('a fill the venue already says failed when first read is recorded voided, never held: the other leg, now in excess, is unwound', async () => {
    const { t, alerts, tradeId } = await attempt(failedOnChain, failedOnChain, 'unwound');
    const orders = t.db.repos.orders.listByTrade(tradeId as number);
    const id = orders.find((o) => o.venue === 'polymarket')?.clientOrderId as string;
    expect(t.db.repos.orders.fillsForOrder(id)).toEqual([]);
    expect(t.db.repos.orders.voidedFillsForOrder(id).map((f) => f.size)).toEqual([10n * C]);
    // the Kalshi leg's 10 were the excess: sold back
    expect(orders.find((o) => o.orderType === 'ioc:unwind')).toMatchObject({ venue: 'kalshi', action: 'sell', size: 10n * C });
    const held = (venue: string) => t.db.repos.orders.positions().find((p) => p.venue === venue)?.size ?? 0n;
    expect([held('kalshi'), held('polymarket')]).toEqual([0n, 0n]);
    expect(t.db.repos.trades.get(tradeId as number)).toMatchObject({ status: 'unwound', hedgedSize: 0n });
    expect(alerts).toEqual([expect.stringMatching(new RegExp(`^trade ${tradeId}: 10 matched then failed at the venue \\(voided, not held\\)$`))]);
    // nothing is left to watch; the audit log says what was voided when
    expect(watches(t)).toEqual([]);
    const audit = t.db.repos.audit.list().find((e) => e.kind === 'fill-failed');
    expect(JSON.parse(audit?.detail as string)).toMatchObject({ voidedWhenFirstRead: [{ size: String(10n * C), status: 'FAILED' }] });
  });

  it('shares voided when first read are not an excess to unwind: Kalshi fills 5, Polymarket matches 10 of which 5 failed', async () => {
    // the Polymarket order's one fill read back as two: 5 good (matched), 5 already failed
    const halves = (fills: Fill[]): Fill[] =>
      fills.flatMap((f) => [
        { ...f, tradeId: `${f.tradeId}-a`, size: f.size / 2n, final: false, venueStatus: 'MATCHED' },
        { ...f, tradeId: `${f.tradeId}-b`, size: f.size - f.size / 2n, final: false, failed: true, venueStatus: 'FAILED' },
      ]);
    const { t, alerts, tradeId } = await attempt(halves, halves, 'hedged-partial', (w) => w.kalshi.injectFault({ kind: 'partial', maxFill: 5n * C }));
    const orders = t.db.repos.orders.listByTrade(tradeId as number);
    expect(orders.some((o) => o.orderType === 'ioc:unwind')).toBe(false);
    const held = (venue: string) => t.db.repos.orders.positions().find((p) => p.venue === venue)?.size;
    expect([held('kalshi'), held('polymarket')]).toEqual([5n * C, 5n * C]);
    expect(t.db.repos.trades.get(tradeId as number)).toMatchObject({ status: 'hedged-partial', hedgedSize: 5n * C });
    expect(alerts).toEqual([expect.stringMatching(/^trade \d+: 5 matched then failed at the venue \(voided, not held\)$/)]);
  });

  it('a trade not settled yet (left unresolved) keeps its status when a fill of it is voided: reconciliation still reads it', async () => {
    let release: (fills: Fill[]) => void = () => undefined;
    const gate = new Promise<Fill[]>((resolve) => (release = resolve));
    const { t, alerts, reads, tradeId, world } = await attempt(() => gate);
    await until(() => reads() >= 2);
    t.db.write((r) => r.trades.update(tradeId as number, { status: 'unresolved', at: 1 }));
    release(failedOnChain(await world.poly.fills({ sinceMs: 0 })));
    await until(() => alerts.length > 0);
    expect(t.db.repos.trades.get(tradeId as number)).toMatchObject({ status: 'unresolved', hedgedSize: 0n });
    expect(t.db.repos.orders.positions().find((p) => p.venue === 'polymarket')?.size).toBe(0n);
  });

  it('a watch left more than a day is dropped at the next start, with an alert to check the venue', async () => {
    const { t, world } = await attempt(() => {
      throw new Error('venue unreachable');
    });
    expect(watches(t)).toHaveLength(1);
    world.clock.advance(2 * 86_400_000);
    const alerts: string[] = [];
    const next = paperExecution(world, { settings: SETTINGS, onAlert: (m) => alerts.push(m) });
    expect((await next.reconcile()).armed).toBe(true);
    expect(watches(t)).toEqual([]);
    expect(alerts).toEqual([expect.stringMatching(/its fills were still not final at polymarket a day after it was sent; no longer followed/)]);
    expect(t.db.repos.audit.list().some((e) => e.kind === 'settlement-watch-dropped')).toBe(true);
  });

  it('sequential, the Polymarket leg first and every share of it failed when first read: no hedge is sent, the trade failed', async () => {
    const world = await paperWorld(cleanups);
    const { t, books, poly } = world;
    const alerts: string[] = [];
    const venue = forwardTo(poly, { fills: async (q) => failedOnChain(await poly.fills(q)) });
    // Polymarket shows less depth than Kalshi at the quoted prices: it is sent first
    const shallow = { ...books.polymarket, noAsks: [{ price: books.polymarket.noAsks[0]?.price ?? 0n, size: 12n * C }] };
    const deep = { ...books.kalshi, yesAsks: [{ price: books.kalshi.yesAsks[0]?.price ?? 0n, size: 30n * C }] };
    const exec = paperExecution(world, {
      venues: { polymarket: venue },
      settings: { ...SETTINGS, legMode: 'sequential' },
      onAlert: (m) => alerts.push(m),
      books: (v) => (v === 'polymarket' ? shallow : deep),
    });
    expect((await exec.reconcile()).armed).toBe(true);
    const report = await (await exec.start(opportunity(books), 10n * C, 'q')).completion;
    expect(report?.status).toBe('failed');
    const orders = t.db.repos.orders.listByTrade(report?.tradeId as number);
    expect(orders.map((o) => o.venue)).toEqual(['polymarket']);
    expect(t.db.repos.orders.positions().filter((p) => p.size !== 0n)).toEqual([]);
    expect(t.db.repos.trades.get(report?.tradeId as number)).toMatchObject({ status: 'failed', hedgedSize: 0n });
    expect(t.db.repos.audit.list().some((e) => e.kind === 'invariant-violation')).toBe(false);
    expect(alerts).toEqual([expect.stringMatching(/^trade \d+: 10 matched then failed at the venue \(voided, not held\)$/)]);
  });

  it('shares voided when first read on the shorter leg: the real excess of the other leg is unwound (Kalshi 10, Polymarket 10 of which 4 failed)', async () => {
    const split = (fills: Fill[]): Fill[] =>
      fills.flatMap((f) => [
        { ...f, tradeId: `${f.tradeId}-a`, size: 6n * C, final: false, venueStatus: 'MATCHED' },
        { ...f, tradeId: `${f.tradeId}-b`, size: f.size - 6n * C, final: false, failed: true, venueStatus: 'FAILED' },
      ]);
    const { t, tradeId } = await attempt(split, split, 'unwound');
    const orders = t.db.repos.orders.listByTrade(tradeId as number);
    expect(orders.find((o) => o.orderType === 'ioc:unwind')).toMatchObject({ venue: 'kalshi', action: 'sell', size: 4n * C });
    const held = (venue: string) => t.db.repos.orders.positions().find((p) => p.venue === venue)?.size ?? 0n;
    expect([held('kalshi'), held('polymarket')]).toEqual([6n * C, 6n * C]);
    expect(t.db.repos.trades.get(tradeId as number)).toMatchObject({ status: 'unwound', hedgedSize: 6n * C });
  });

  it("an unwind's sale already failed when first read is not a sale: the shares are still held and unhedged", async () => {
    // the Polymarket leg's buy is fine (confirmed later); the unwind's sale has failed on chain when first read
    const later = (fills: Fill[]): Fill[] =>
      fills.map((f) => (f.action === 'sell' ? { ...f, final: false, failed: true, venueStatus: 'FAILED' } : { ...f, final: true, venueStatus: 'CONFIRMED' }));
    const { t, alerts, tradeId } = await attempt(later, matched, 'one-leg-exposed', (w) => w.kalshi.injectFault({ kind: 'partial', maxFill: 4n * C }));
    const orders = t.db.repos.orders.listByTrade(tradeId as number);
    expect(orders.find((o) => o.orderType === 'ioc:unwind')).toMatchObject({ venue: 'polymarket', action: 'sell', size: 6n * C });
    const held = (venue: string) => t.db.repos.orders.positions().find((p) => p.venue === venue)?.size ?? 0n;
    expect([held('kalshi'), held('polymarket')]).toEqual([4n * C, 10n * C]);
    expect(t.db.repos.trades.get(tradeId as number)).toMatchObject({ status: 'one-leg-exposed', hedgedSize: 4n * C });
    expect(alerts).toContainEqual(expect.stringMatching(/: 6 sold back then failed at the venue \(voided, still held\); 6 contracts on leg 1 are not hedged: check the venue$/));
  });

  it('one watch per order: taking up the watches again while one runs does not start a second', async () => {
    let release: (fills: Fill[]) => void = () => undefined;
    const gate = new Promise<Fill[]>((resolve) => (release = resolve));
    const { t, alerts, reads, exec, world } = await attempt(() => gate);
    await until(() => reads() >= 2);
    expect(watches(t)).toHaveLength(1);
    expect((await exec.reconcile()).armed).toBe(true);
    await until(() => false);
    expect(reads()).toBe(2);
    release(failedOnChain(await world.poly.fills({ sinceMs: 0 })));
    await until(() => alerts.length > 0);
    await until(() => false);
    expect(alerts).toHaveLength(1);
    expect(reads()).toBe(2);
  });

  it('a failed fill that was booked under another id (derived from the order) is not guessed at: alert only', async () => {
    const { t, alerts } = await attempt((fills) => fills.map((f) => ({ ...f, tradeId: `other-${f.tradeId}`, final: false, failed: true, venueStatus: 'FAILED' })));
    await until(() => alerts.length > 0);
    expect(alerts).toEqual([expect.stringMatching(/failed after matching \(not delivered\): they are booked as held and the other leg is not hedged by them; check the venue/)]);
    expect(t.db.repos.orders.positions().find((p) => p.venue === 'polymarket')?.size).toBe(10n * C);
  });

  it('a watch left by a run that stopped is taken up by the next one at reconciliation', async () => {
    const first = await attempt(() => {
      throw new Error('venue unreachable');
    });
    const { t, world } = first;
    expect(watches(t)).toHaveLength(1);
    // the next run: the venue now says the fill failed
    const alerts: string[] = [];
    const venue = forwardTo(world.poly, {
      fills: async (q) => (await world.poly.fills(q)).map((f) => ({ ...f, final: false, failed: true, venueStatus: 'FAILED' })),
    });
    const next = paperExecution(world, { venues: { polymarket: venue }, settings: { pollIntervalMs: 100, pollDeadlineMs: 2_000, maxQuoteAgeMs: 60_000 }, onAlert: (m) => alerts.push(m) });
    expect((await next.reconcile()).armed).toBe(true);
    await until(() => alerts.length > 0);
    expect(alerts).toEqual([expect.stringMatching(/failed after matching \(not delivered\): voided, booked position now 0 NO/)]);
    expect(watches(t)).toEqual([]);
  });

  it('fills that settle (CONFIRMED) are audited as settled, with no alert', async () => {
    const { t, alerts, reads } = await attempt((fills) => fills.map((f) => ({ ...f, final: true, venueStatus: 'CONFIRMED' })));
    await until(() => t.db.repos.audit.list().some((e) => e.kind === 'fills-settled'));
    expect(t.db.repos.audit.list().some((e) => e.kind === 'fills-settled')).toBe(true);
    expect(alerts).toEqual([]);
    expect(reads()).toBeGreaterThanOrEqual(2);
    expect(watches(t)).toEqual([]);
    expect(t.db.repos.orders.positions().find((p) => p.venue === 'polymarket')?.size).toBe(10n * C);
  });
});
