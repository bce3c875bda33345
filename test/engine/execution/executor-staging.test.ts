/**
 * Issue-7 follow-ups through the Executor:
 * - staged orders are signed while the intent is being flushed and sent only after it is
 *   on disk, both in the same tick;
 * - paper venues keep their memory in the database (paperVenueStore): after a restart,
 *   new PaperVenue objects answer orders/fills/positions and reconciliation settles an
 *   attempt the crash interrupted, through the same code path as real venues;
 * - a fee withheld in shares on a buy: fills, positions, hedged size and realised edge use
 *   the shares received, read back from the venue.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecution } from '../../../source/engine/execution/create-execution.js';
import { SHARES_WITHHELD_PREFIX } from '../../../source/engine/execution/executor.js';
import { paperVenueStore } from '../../../source/engine/execution/paper-store.js';
import { mul } from '../../../source/domain/money.js';
import { openDatabase, type ArbDatabase } from '../../../source/persistence/database.js';
import { PaperStateError, PaperVenue } from '../../../source/venues/paper/paper-venue.js';
import type { OrderIntent, OrderState, StagedOrder, TradingVenue } from '../../../source/venues/trading.js';
import { book, C, defaultBooks, fakeClock, forwardTo, kalshiMarket, lv, openTestDb, opportunity, paperWorld, polyMarket, price, resolveMarket } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('staged orders: signed during the intent flush, sent after it', () => {
  it('ready() runs while the flush is pending; both sends start after it resolved, in the same tick', async () => {
    const clock = fakeClock();
    const t = await openTestDb(clock.now);
    cleanups.push(t.cleanup);
    const books = defaultBooks();
    const events: string[] = [];
    let sameTick: boolean | null = null;
    let firstSendTick = false;
    const staging = (v: PaperVenue, db: ArbDatabase): TradingVenue =>
      forwardTo(v, {
        stageOrder: (intent: OrderIntent): StagedOrder => {
          events.push(`${v.id}:stage (row exists: ${db.repos.orders.get(intent.clientOrderId) !== undefined})`);
          return {
            intent,
            venueOrderId: null,
            ready: async () => {
              const row = db.repos.orders.get(intent.clientOrderId);
              events.push(`${v.id}:ready (intent written: ${row !== undefined}, on disk: ${db.flushedGeneration >= db.generation})`);
            },
            send: (): Promise<OrderState> => {
              events.push(`${v.id}:send (on disk: ${db.flushedGeneration >= db.generation})`);
              if (!firstSendTick) {
                firstSendTick = true;
                queueMicrotask(() => {
                  if (sameTick === null) sameTick = false;
                });
              } else if (sameTick === null) sameTick = true;
              return v.placeOrder(intent);
            },
          };
        },
      });
    const kalshi = new PaperVenue({ id: 'kalshi', bookSource: () => books.kalshi, now: clock.now });
    const poly = new PaperVenue({ id: 'polymarket', bookSource: () => books.polymarket, now: clock.now });
    const exec = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi: staging(kalshi, t.db), polymarket: staging(poly, t.db) }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000 }, resolveMarket });
    await exec.reconcile();
    const started = await exec.start(opportunity(books), 10n * C, 'q');
    const report = await started.completion;
    expect(report?.status).toBe('complete');
    expect(events).toEqual([
      'kalshi:stage (row exists: false)',
      'polymarket:stage (row exists: false)',
      'kalshi:ready (intent written: true, on disk: false)',
      'polymarket:ready (intent written: true, on disk: false)',
      'kalshi:send (on disk: true)',
      'polymarket:send (on disk: true)',
    ]);
    expect(sameTick).toBe(true);
  });

  it('a leg whose signing fails is rejected locally and never sent; the other leg goes out', async () => {
    const { clock, t, books, kalshi, poly } = await paperWorld(cleanups);
    const failing = forwardTo(poly, {
      stageOrder: (intent) => ({ intent, venueOrderId: null, ready: () => Promise.reject(new Error('signer unavailable')), send: () => poly.placeOrder(intent) }),
    });
    const exec = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi, polymarket: failing }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000, unequalFills: 'alert' }, resolveMarket });
    await exec.reconcile();
    const report = await (await exec.start(opportunity(books), 10n * C, 'q')).completion;
    expect(poly.received).toHaveLength(0);
    expect(kalshi.received).toHaveLength(1);
    const orders = t.db.repos.orders.listByTrade(report?.tradeId ?? -1);
    expect(orders.find((o) => o.venue === 'polymarket')).toMatchObject({ state: 'rejected', lastError: expect.stringContaining('signer unavailable') });
  });
});

describe('paper venues remember through the database (paperVenueStore)', () => {
  it('killed mid-attempt: new paper venues restored from the file let reconciliation find the fills; ids never collide', async () => {
    const clock = fakeClock();
    const t = await openTestDb(clock.now);
    cleanups.push(t.cleanup);
    const books = defaultBooks();
    const paper = (db: ArbDatabase, id: 'kalshi' | 'polymarket'): PaperVenue =>
      new PaperVenue({ id, bookSource: () => (id === 'kalshi' ? books.kalshi : books.polymarket), now: clock.now, store: paperVenueStore(db, id) });
    const k1 = paper(t.db, 'kalshi');
    const p1 = paper(t.db, 'polymarket');
    let executed = 0;
    // The process dies once both venues have executed (and durably recorded) the orders; the answers never arrive.
    const dying = (v: PaperVenue): TradingVenue =>
      forwardTo(v, {
        placeOrder: async (intent) => {
          await v.placeOrder(intent);
          executed += 1;
          return new Promise<OrderState>(() => undefined);
        },
      });
    const exec1 = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi: dying(k1), polymarket: dying(p1) }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000 }, resolveMarket });
    expect((await exec1.reconcile()).armed).toBe(true);
    p1.injectFault({ kind: 'partial', maxFill: 6n * C });
    await exec1.start(opportunity(books), 10n * C, 'q-crash');
    for (let i = 0; i < 200 && executed < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(executed).toBe(2);
    const copy = join(t.dir, 'after-crash.sqlite');
    copyFileSync(t.path, copy);

    // A new process: new database handle, new paper venues (nothing shared with the first run).
    const db2 = await openDatabase({ path: copy, flushMode: 'main-thread', flushIntervalMs: 60_000, now: clock.now });
    cleanups.push(() => db2.close());
    const session2 = db2.write((r) => r.sessions.start({ mode: 'paper', demo: false, appVersion: 'test', configDigest: 'x', startedAt: clock.now() })).id;
    const k2 = paper(db2, 'kalshi');
    const p2 = paper(db2, 'polymarket');
    const alerts: string[] = [];
    const exec2 = createExecution({ db: db2, sessionId: session2, venues: { kalshi: k2, polymarket: p2 }, now: clock.now, sleep: clock.sleep, resolveMarket, onAlert: (m) => alerts.push(m), settings: { maxQuoteAgeMs: 60_000, cooldownMs: 0 } });
    const result = await exec2.reconcile();
    expect(result).toMatchObject({ armed: true, settled: 1 });
    if (result.armed) expect(result.notes.filter((n) => n.startsWith('position mismatch'))).toEqual([]);
    const trade = db2.repos.trades.listBySession(t.sessionId)[0];
    expect(trade?.status).toBe('one-leg-exposed');
    expect(db2.repos.orders.listByTrade(trade?.id ?? -1).map((o) => [o.venue, o.state, o.filledSize])).toEqual([
      ['kalshi', 'filled', 10n * C],
      ['polymarket', 'canceled', 6n * C],
    ]);
    // The restored venues answer like the ones that executed: same positions, fills, balance.
    expect(await k2.positions([kalshiMarket])).toEqual(await k1.positions([kalshiMarket]));
    expect(await p2.fills({ sinceMs: 0 })).toEqual(await p1.fills({ sinceMs: 0 }));
    expect(k2.availableBalance).toBe(k1.availableBalance);
    expect(alerts.some((a) => a.includes('not hedged'))).toBe(true);

    // Trading on after the restart: fresh ids (no primary-key collision with the first run's rows).
    await exec2.unblockPair(trade ? `${kalshiMarket.id}|${polyMarket.id}` : '');
    clock.advance(1_000);
    const fresh = defaultBooks(clock.now());
    books.kalshi = fresh.kalshi;
    books.polymarket = fresh.polymarket;
    const next = await exec2.start(opportunity(books, 5n * C, clock.now()), 5n * C, 'q-after');
    expect(next.result.kind).toBe('submitted');
    const report = await next.completion;
    expect(report?.status).toBe('complete');
    const ids = db2.repos.orders.listByTrade(report?.tradeId ?? -1).map((o) => o.clientOrderId);
    expect(ids.every((id) => !db2.repos.orders.listByTrade(trade?.id ?? -1).some((o) => o.clientOrderId === id))).toBe(true);
  });

  it('an unreadable saved state makes reconciliation fail read-only, naming it', async () => {
    const clock = fakeClock();
    const t = await openTestDb(clock.now);
    cleanups.push(t.cleanup);
    t.db.write((r) => r.state.set('paper_venue:kalshi', '{"version":1,"venue":"kalshi","seq":"x"}'));
    const books = defaultBooks();
    const kalshi = new PaperVenue({ id: 'kalshi', bookSource: () => books.kalshi, now: clock.now, store: paperVenueStore(t.db, 'kalshi') });
    const poly = new PaperVenue({ id: 'polymarket', bookSource: () => books.polymarket, now: clock.now, store: paperVenueStore(t.db, 'polymarket') });
    expect(() => kalshi.newClientOrderId()).toThrow(PaperStateError);
    await expect(kalshi.positions([kalshiMarket])).rejects.toThrow(/saved state unreadable: seq/);
    // a trade left open makes reconciliation read the venue: it stays read-only
    const exec = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi, polymarket: poly }, now: clock.now, sleep: clock.sleep, resolveMarket });
    t.db.write((r) => {
      const id = r.trades.create({ sessionId: t.sessionId, pairId: t.pairId, status: 'intent', plannedSize: C, expectedEdge: 0n, expectedPnl: 0n, note: null, at: clock.now() });
      r.orders.insertPending({ clientOrderId: 'x-1', sessionId: t.sessionId, tradeId: id, venue: 'kalshi', marketId: kalshiMarket.id, side: 'yes', action: 'buy', orderType: 'ioc:leg0', limitPrice: price('0.40'), size: C, at: clock.now() });
    });
    const r = await exec.reconcile();
    expect(r).toMatchObject({ armed: false, reason: expect.stringContaining('saved state unreadable') });
  });
});

describe('a taker fee withheld in shares on a buy', () => {
  it('books the shares received (read back from the venue), the withheld shares as the fee; hedged size and edge follow', async () => {
    const { clock, t, books, kalshi, poly } = await paperWorld(cleanups, { feeInShares: true });
    const alerts: string[] = [];
    const exec = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi, polymarket: poly }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000 }, resolveMarket, onAlert: (m) => alerts.push(m) });
    await exec.reconcile();
    const o = opportunity(books);
    const report = await (await exec.start(o, 10n * C, 'q')).completion;
    const trade = t.db.repos.trades.get(report?.tradeId ?? -1);
    // NO at 0.50, rate 0.03: fee $0.075 = 0.15 shares withheld; 9.85 received.
    const [venuePos] = await poly.positions([polyMarket]);
    expect(venuePos?.no).toBe(9_850_000n);
    const polyOrder = t.db.repos.orders.listByTrade(trade?.id ?? -1).find((r) => r.venue === 'polymarket');
    expect(polyOrder?.filledSize).toBe(10n * C); // the venue's matched size stays on the order
    const fills = t.db.repos.orders.fillsForOrder(polyOrder?.clientOrderId ?? '');
    expect(fills.map((f) => [f.size, f.price, f.fee])).toEqual([[9_850_000n, price('0.50'), mul(price('0.50'), 150_000n, 'ceil')]]);
    const pos = t.db.repos.orders.positions().find((p) => p.venue === 'polymarket');
    expect(pos).toMatchObject({ size: 9_850_000n, cost: 5n * C }); // the cash actually paid
    expect(t.db.repos.state.get(`${SHARES_WITHHELD_PREFIX}${polyOrder?.clientOrderId}`)).toBe('150000');
    expect(trade?.hedgedSize).toBe(9_850_000n);
    expect(trade?.note).toContain('withheld as fee');
    expect(alerts.some((a) => a.includes('withheld 0.15 shares'))).toBe(true);
    // the realised P&L is on the hedged (received) shares: not what 10 matched shares would say
    const kalshiCost = t.db.repos.orders.positions().find((p) => p.venue === 'kalshi')?.cost ?? 0n;
    expect(trade?.realisedPnl).toBeLessThan(10n * C - kalshiCost - 5n * C);
    // Reconciling again: nothing re-booked (the withheld shares are not mistaken for a missing fill).
    const again = await exec.reconcile();
    expect(again.armed).toBe(true);
    expect(t.db.repos.orders.fillsForOrder(polyOrder?.clientOrderId ?? '')).toHaveLength(1);
    expect(t.db.repos.orders.positions().find((p) => p.venue === 'polymarket')?.size).toBe(9_850_000n);
  });

  /**
   * Polymarket takes its fee in shares; the Kalshi book thins to `kalshiFills` contracts before
   * the orders of a 10-contract trade land, so Polymarket fills more: unequal fills to unwind.
   */
  async function unequalWithFeeShares(kalshiFills: number, polymarketNoAsk = '0.50') {
    const { clock, t, books, kalshi, poly } = await paperWorld(cleanups, { feeInShares: true });
    books.polymarket = book(polyMarket, [lv('0.48', 50)], [lv(polymarketNoAsk, 20)]);
    const alerts: string[] = [];
    const exec = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi, polymarket: poly }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000, unequalFills: 'unwind' }, resolveMarket, onAlert: (m) => alerts.push(m) });
    await exec.reconcile();
    const o = opportunity(books);
    books.kalshi = book(kalshiMarket, [lv('0.40', kalshiFills)], [lv('0.62', 50)]);
    const report = await (await exec.start(o, 10n * C, 'q')).completion;
    const orders = t.db.repos.orders.listByTrade(report?.tradeId ?? -1);
    return { t, poly, alerts, report, orders, unwinds: orders.filter((r) => r.action === 'sell') };
  }

  it('unequal fills whose excess leg had its fee withheld in shares: the unwind sells the shares held, and the attempt is unwound, nothing exposed', async () => {
    const { t, poly, alerts, report, unwinds } = await unequalWithFeeShares(4);
    // 6 matched in excess on Polymarket, 0.15 of the 10 withheld as the fee: 5.85 held in excess, sold
    expect(unwinds).toEqual([expect.objectContaining({ venue: 'polymarket', size: 5_850_000n, filledSize: 5_850_000n })]);
    expect(report?.outcome).toEqual({ classification: 'unwound', hedged: 4n * C, exposed: null });
    const [venuePos] = await poly.positions([polyMarket]);
    expect(venuePos?.no).toBe(4n * C);
    expect(t.db.repos.trades.get(report?.tradeId ?? -1)).toMatchObject({ status: 'unwound', hedgedSize: 4n * C });
    expect(alerts.filter((a) => a.includes('not hedged'))).toEqual([]);
  });

  it('withheld shares off the size grid: the unwind sells what the grid allows, the remainder below one step is not an unhedged leg', async () => {
    const { t, alerts, report, orders, unwinds } = await unequalWithFeeShares(4, '0.47');
    const polyBuy = orders.find((r) => r.venue === 'polymarket' && r.action === 'buy');
    const withheld = BigInt(t.db.repos.state.get(`${SHARES_WITHHELD_PREFIX}${polyBuy?.clientOrderId}`) ?? '0');
    expect(withheld % 10_000n).not.toBe(0n); // off the 0.01 grid
    const held = 6n * C - withheld;
    expect(unwinds.map((u) => u.size)).toEqual([(held / 10_000n) * 10_000n]);
    expect(report?.outcome).toEqual({ classification: 'unwound', hedged: 4n * C, exposed: null });
    expect(t.db.repos.trades.get(report?.tradeId ?? -1)?.status).toBe('unwound');
    expect(alerts.filter((a) => a.includes('not hedged'))).toEqual([]);
  });

  it("an excess held below the venue's minimum order is not sent to be refused: it is left exposed with an alert saying why", async () => {
    const { alerts, report, unwinds } = await unequalWithFeeShares(9);
    // 1 matched in excess, 0.15 of it withheld: 0.85 held, below Polymarket's minimum of 5
    expect(unwinds).toEqual([]);
    expect(report?.outcome).toEqual({ classification: 'one-leg-exposed', hedged: 9n * C, exposed: { leg: 1, size: 850_000n } });
    expect(alerts.some((a) => a.includes('0.85 NO on polymarket') && a.includes("below the venue's minimum order of 5"))).toBe(true);
  });

  it('when the venue position cannot explain the fill, books what matched and raises an alert', async () => {
    const { clock, t, books, kalshi, poly } = await paperWorld(cleanups, { feeInShares: true });
    const lagging = forwardTo(poly, { positions: async (m) => m.map((x) => ({ venue: 'polymarket' as const, marketId: x.id, yes: 0n, no: 0n })) });
    const alerts: string[] = [];
    const exec = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi, polymarket: lagging }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000 }, resolveMarket, onAlert: (m) => alerts.push(m) });
    await exec.reconcile();
    const report = await (await exec.start(opportunity(books), 10n * C, 'q')).completion;
    expect(t.db.repos.orders.positions().find((p) => p.venue === 'polymarket')?.size).toBe(10n * C);
    expect(alerts.some((a) => a.includes('could not be read back'))).toBe(true);
    const kinds = t.db.repos.audit.list().filter((e) => e.subject === `trade:${report?.tradeId}`).map((e) => e.kind);
    expect(kinds).toContain('shares-read-back-inconclusive');
  });
});
