/**
 * The fault matrix through the Executor with paper venues: every case ends with the
 * right positions, database rows and audit log.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecution, type Execution } from '../../../source/engine/execution/create-execution.js';
import type { ExecutionSettings } from '../../../source/engine/execution/settings.js';
import type { ExecutionUpdate } from '../../../source/engine/execution/views.js';
import { openDatabase, type ArbDatabase } from '../../../source/persistence/database.js';
import { PaperVenue } from '../../../source/venues/paper/paper-venue.js';
import type { OrderIntent, OrderState, TradingVenue } from '../../../source/venues/trading.js';
import type { OrderRow } from '../../../source/persistence/repositories/orders.js';
import { rawOpen } from '../../persistence/helpers.js';
import {
  book,
  C,
  defaultBooks,
  fakeClock,
  forwardTo,
  kalshiMarket,
  lv,
  openTestDb,
  opportunity,
  paperWorld,
  PAIR_KEY,
  polyMarket,
  price,
  resolveMarket,
  type TestDb,
} from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

interface Setup {
  readonly t: TestDb;
  readonly exec: Execution;
  readonly kalshi: PaperVenue;
  readonly poly: PaperVenue;
  readonly clock: ReturnType<typeof fakeClock>;
  readonly updates: ExecutionUpdate[];
  readonly alerts: string[];
  readonly logged: Array<[string, string]>;
  books: ReturnType<typeof defaultBooks>;
}

async function setup(settings: Partial<ExecutionSettings> = {}, wrap?: (v: { kalshi: TradingVenue; polymarket: TradingVenue }) => { kalshi: TradingVenue; polymarket: TradingVenue }): Promise<Setup> {
  const clock = fakeClock();
  const t = await openTestDb(clock.now);
  cleanups.push(t.cleanup);
  const s: Partial<Setup> & { books: ReturnType<typeof defaultBooks> } = { books: defaultBooks() };
  const kalshi = new PaperVenue({ id: 'kalshi', bookSource: (id) => (id === kalshiMarket.id ? s.books.kalshi : undefined), now: clock.now });
  const poly = new PaperVenue({ id: 'polymarket', bookSource: (id) => (id === polyMarket.id ? s.books.polymarket : undefined), now: clock.now });
  const updates: ExecutionUpdate[] = [];
  const alerts: string[] = [];
  const logged: Array<[string, string]> = [];
  const venues = wrap ? wrap({ kalshi, polymarket: poly }) : { kalshi, polymarket: poly };
  const exec = createExecution({
    db: t.db,
    sessionId: t.sessionId,
    venues,
    now: clock.now,
    sleep: clock.sleep,
    settings: { pollIntervalMs: 100, pollDeadlineMs: 2_000, cooldownMs: 1_000, maxQuoteAgeMs: 60_000, ...settings },
    onUpdate: (u) => updates.push(u),
    onAlert: (m) => alerts.push(m),
    onLog: (level, m) => logged.push([level, m]),
    resolveMarket,
    paper: true,
    books: (venue, id) => (venue === 'kalshi' ? (id === kalshiMarket.id ? s.books.kalshi : undefined) : id === polyMarket.id ? s.books.polymarket : undefined),
  });
  const r = await exec.reconcile();
  expect(r.armed).toBe(true);
  return Object.assign(s, { t, exec, kalshi, poly, clock, updates, alerts, logged }) as Setup;
}

async function run(s: Setup, o = opportunity(s.books), size = o.size, legMode?: 'simultaneous' | 'sequential') {
  const started = await s.exec.start(o, size, 'q-1', legMode ? { legMode } : {});
  expect(started.result.kind).toBe('submitted');
  const report = await (started.completion as NonNullable<typeof started.completion>);
  return { o, report, trade: s.t.db.repos.trades.get(report.tradeId), orders: s.t.db.repos.orders.listByTrade(report.tradeId) };
}

function byType(orders: readonly OrderRow[], type: string): OrderRow | undefined {
  return orders.find((o) => o.orderType === type);
}

/** A TradingVenue that forwards to a paper venue, with placeOrder replaced. */
function withPlaceOrder(v: PaperVenue, placeOrder: (intent: OrderIntent) => Promise<OrderState>): TradingVenue {
  return forwardTo(v, { placeOrder });
}

function kinds(db: ArbDatabase, tradeId: number): string[] {
  return db.repos.audit.list().filter((e) => e.subject === `trade:${tradeId}`).map((e) => e.kind);
}

function position(db: ArbDatabase, venue: 'kalshi' | 'polymarket', side: 'yes' | 'no'): bigint {
  return db.repos.orders.positions().find((p) => p.venue === venue && p.side === side)?.size ?? 0n;
}

describe('executor with paper venues', () => {
  it('both legs fill: complete, intent on disk before the first request, fills/positions/audit, realised = expected', async () => {
    const s = await setup();
    let onDisk: Uint8Array | null = null;
    s.kalshi.onReceive = () => {
      onDisk ??= readFileSync(s.t.path);
    };
    const { o, report, trade, orders } = await run(s);
    expect(report.outcome?.classification).toBe('complete');
    // intent durable before any request: the file read at the first request holds the trade and both pending orders
    const raw = await rawOpen(onDisk as unknown as Uint8Array);
    expect(raw.exec("SELECT status FROM trades")[0]?.values).toEqual([['intent']]);
    expect(raw.exec("SELECT state, order_type FROM orders ORDER BY order_type")[0]?.values).toEqual([
      ['pending', 'ioc:leg0'],
      ['pending', 'ioc:leg1'],
    ]);
    raw.close();
    expect(trade?.status).toBe('complete');
    expect(trade?.hedgedSize).toBe(10n * C);
    expect(trade?.realisedPnl).toBe(o.netProfit); // filled exactly at the quoted levels
    expect(trade?.note).toMatch(/expected edge .* realised .*\/contract/);
    expect(orders.map((x) => [x.venue, x.state, x.filledSize, x.clientOrderId === x.clientOrderId])).toEqual([
      ['kalshi', 'filled', 10n * C, true],
      ['polymarket', 'filled', 10n * C, true],
    ]);
    const fills = s.t.db.repos.orders.fillsBySession(s.t.sessionId);
    expect(fills.map((f) => [f.venue, f.side, f.price, f.size])).toEqual([
      ['kalshi', 'yes', price('0.40'), 10n * C],
      ['polymarket', 'no', price('0.50'), 10n * C],
    ]);
    expect(fills.reduce((n, f) => n + f.fee, 0n)).toBe(o.totalFees);
    expect(position(s.t.db, 'kalshi', 'yes')).toBe(10n * C);
    expect(position(s.t.db, 'polymarket', 'no')).toBe(10n * C);
    expect(kinds(s.t.db, report.tradeId)).toEqual(
      expect.arrayContaining(['attempt-intent', 'legs-sent', 'order-answer', 'fills-recorded', 'attempt-done']),
    );
    expect(kinds(s.t.db, report.tradeId)[0]).toBe('attempt-intent');
    // the store got order, fill and position rows
    expect(s.updates.flatMap((u) => u.fills).length).toBe(2);
    expect(s.updates.flatMap((u) => u.positions).map((p) => [p.venue, p.side, p.size, p.title.length > 0])).toContainEqual(['kalshi', 'yes', 10n * C, true]);
    expect(s.updates.flatMap((u) => u.orders).every((v) => v.paper && v.pairKey === PAIR_KEY)).toBe(true);
    // the log a person reads: what was sent, then how it ended
    expect(s.logged).toEqual([
      ['info', `trade ${report.tradeId} started: 10 × ${o.direction} (simultaneous), quote q-1, pair ${PAIR_KEY}`],
      ['info', `trade ${report.tradeId} ${trade?.note ?? ''}`],
    ]);
    expect(s.logged[1]?.[1]).toMatch(/^trade \d+ complete: hedged 10 of 10; expected edge/);
  });

  it('one leg rejected: the filled leg is unwound (sold back) within the slippage bound', async () => {
    const s = await setup();
    s.poly.injectFault({ kind: 'reject', reason: 'market closed' });
    const { report, trade, orders } = await run(s);
    expect(report.outcome).toEqual({ classification: 'unwound', hedged: 0n, exposed: null });
    expect(['ioc:leg0', 'ioc:leg1', 'ioc:unwind'].map((k) => byType(orders, k)).map((x) => [x?.venue, x?.action, x?.state, x?.filledSize])).toEqual([
      ['kalshi', 'buy', 'filled', 10n * C],
      ['polymarket', 'buy', 'rejected', 0n],
      ['kalshi', 'sell', 'filled', 10n * C],
    ]);
    const unwind = byType(orders, 'ioc:unwind');
    expect(unwind?.limitPrice).toBe(price('0.35')); // entry 0.40 − 0.05
    expect(position(s.t.db, 'kalshi', 'yes')).toBe(0n);
    expect(position(s.t.db, 'polymarket', 'no')).toBe(0n);
    // sold at 0.38 after buying at 0.40, both with fees: a loss, recorded
    expect(trade?.realisedPnl).toBeLessThan(-200_000n);
    expect(trade?.status).toBe('unwound');
    expect(kinds(s.t.db, report.tradeId)).toEqual(expect.arrayContaining(['order-rejected', 'unwind-intent', 'attempt-done']));
    expect(s.logged.at(-1)).toEqual(['warn', expect.stringMatching(/^trade \d+ unwound: hedged 0 of 10/)]);
  });

  it('alert policy: one leg rejected leaves the other exposed and raises an alert', async () => {
    const s = await setup({ unequalFills: 'alert' });
    s.kalshi.injectFault({ kind: 'reject' });
    const { report, trade } = await run(s);
    expect(report.outcome).toEqual({ classification: 'one-leg-exposed', hedged: 0n, exposed: { leg: 1, size: 10n * C } });
    expect(trade?.status).toBe('one-leg-exposed');
    expect(position(s.t.db, 'polymarket', 'no')).toBe(10n * C);
    expect(s.alerts.some((a) => a.includes('not hedged'))).toBe(true);
    expect(kinds(s.t.db, report.tradeId)).toContain('one-leg-exposed');
  });

  it('partial fill on the Kalshi side: the Polymarket excess is unwound, equal positions remain', async () => {
    const s = await setup();
    s.kalshi.injectFault({ kind: 'partial', maxFill: 4n * C });
    const { report, trade, orders } = await run(s);
    expect(report.outcome).toEqual({ classification: 'unwound', hedged: 4n * C, exposed: null });
    expect(byType(orders, 'ioc:unwind')).toMatchObject({ venue: 'polymarket', action: 'sell', size: 6n * C, filledSize: 6n * C, side: 'no' });
    expect(position(s.t.db, 'kalshi', 'yes')).toBe(4n * C);
    expect(position(s.t.db, 'polymarket', 'no')).toBe(4n * C);
    expect(trade?.hedgedSize).toBe(4n * C);
  });

  it('partial fill on the Polymarket side: the Kalshi excess is unwound', async () => {
    const s = await setup();
    s.poly.injectFault({ kind: 'partial', maxFill: 6n * C });
    const { report, orders } = await run(s);
    expect(report.outcome?.classification).toBe('unwound');
    expect(report.outcome?.hedged).toBe(6n * C);
    expect(byType(orders, 'ioc:unwind')).toMatchObject({ venue: 'kalshi', action: 'sell', side: 'yes', size: 4n * C });
    expect(position(s.t.db, 'kalshi', 'yes')).toBe(6n * C);
    expect(position(s.t.db, 'polymarket', 'no')).toBe(6n * C);
  });

  it('an unwind that finds no bid leaves the excess exposed (bounded price, no chasing)', async () => {
    const s = await setup();
    s.books = { ...s.books, kalshi: book(kalshiMarket, [lv('0.40', 10), lv('0.41', 10)], [lv('0.70', 50)]) }; // YES bid 0.30 < 0.35
    s.poly.injectFault({ kind: 'reject' });
    const { report, orders } = await run(s, opportunity(s.books));
    expect(report.outcome).toEqual({ classification: 'one-leg-exposed', hedged: 0n, exposed: { leg: 0, size: 10n * C } });
    expect(byType(orders, 'ioc:unwind')).toMatchObject({ action: 'sell', state: 'canceled', filledSize: 0n, limitPrice: price('0.35') });
    expect(position(s.t.db, 'kalshi', 'yes')).toBe(10n * C);
  });

  it('timeout then the order turns out filled: polled by client id, never sent twice', async () => {
    const s = await setup();
    s.kalshi.injectFault({ kind: 'timeout-after-execution' });
    const { report, orders } = await run(s);
    expect(report.outcome?.classification).toBe('complete');
    expect(s.kalshi.received).toHaveLength(1);
    expect(byType(orders, 'ioc:leg0')).toMatchObject({ state: 'filled', filledSize: 10n * C });
    expect(byType(orders, 'ioc:leg0')?.venueOrderId).not.toBeNull();
    const k = kinds(s.t.db, report.tradeId);
    expect(k).toContain('order-outcome-unknown');
    expect(k).toContain('order-polled');
    expect(position(s.t.db, 'kalshi', 'yes')).toBe(10n * C);
  });

  it('a pending ("delayed") answer is polled until it is final', async () => {
    const s = await setup();
    s.poly.injectFault({ kind: 'pending-for-polls', polls: 3 });
    const { report } = await run(s);
    expect(report.outcome?.classification).toBe('complete');
    expect(kinds(s.t.db, report.tradeId).filter((x) => x === 'order-polled').length).toBeGreaterThanOrEqual(2);
  });

  it('duplicate client id (409): the existing order is found and taken as ours, not resent', async () => {
    const s = await setup();
    s.kalshi.injectFault({ kind: 'duplicate-after-execution' });
    const { report } = await run(s);
    expect(report.outcome?.classification).toBe('complete');
    expect(s.kalshi.received).toHaveLength(1);
    expect(kinds(s.t.db, report.tradeId)).toContain('duplicate-client-id');
  });

  it('429 during an attempt: retried with the same client id until accepted', async () => {
    const s = await setup();
    s.poly.injectFault({ kind: 'rate-limited', retryAfterMs: 200 }, 2);
    const { report, orders } = await run(s);
    expect(report.outcome?.classification).toBe('complete');
    expect(s.poly.received).toHaveLength(1);
    expect(s.poly.received[0]?.clientOrderId).toBe(byType(orders, 'ioc:leg1')?.clientOrderId);
    expect(kinds(s.t.db, report.tradeId).filter((x) => x === 'order-not-accepted')).toHaveLength(2);
  });

  it('429 until the deadline: the leg counts as rejected (nothing placed) and the other is unwound', async () => {
    const s = await setup({ pollDeadlineMs: 1_000 });
    s.poly.injectFault({ kind: 'rate-limited', retryAfterMs: 300 }, 10);
    const { report, orders } = await run(s);
    expect(s.poly.received).toHaveLength(0);
    expect(byType(orders, 'ioc:leg1')?.state).toBe('rejected');
    expect(report.outcome?.classification).toBe('unwound');
  });

  it('sequential: the less liquid leg first, then a hedge of exactly what filled', async () => {
    const s = await setup({ legMode: 'sequential' });
    // Polymarket shows only 12 contracts at 0.50: less liquid than Kalshi's 20 → sent first.
    s.books = { kalshi: book(kalshiMarket, [lv('0.40', 30)], [lv('0.62', 50)]), polymarket: book(polyMarket, [lv('0.48', 50)], [lv('0.50', 12)]) };
    s.poly.injectFault({ kind: 'partial', maxFill: 7n * C });
    const { report, orders } = await run(s, opportunity(s.books));
    expect([...orders].sort((a, b) => a.createdAt - b.createdAt || (a.venue === 'polymarket' ? -1 : 1)).map((x) => [x.venue, x.size, x.filledSize])).toEqual([
      ['polymarket', 10n * C, 7n * C],
      ['kalshi', 7n * C, 7n * C],
    ]);
    expect(report.outcome).toEqual({ classification: 'hedged-partial', hedged: 7n * C, exposed: null });
    expect(kinds(s.t.db, report.tradeId)).toContain('hedge-intent');
  });

  it('sequential: first leg fills nothing → the hedge is never sent, failed', async () => {
    const s = await setup();
    s.kalshi.injectFault({ kind: 'reject' });
    const { report, orders } = await run(s, undefined, undefined, 'sequential');
    expect(report.outcome?.classification).toBe('failed');
    expect(orders).toHaveLength(1);
    expect(s.poly.received).toHaveLength(0);
  });
});

describe('risk gate and pair discipline', () => {
  it('kill switch (persisted) refuses new attempts; nothing written, nothing sent', async () => {
    const s = await setup();
    s.t.db.write((r) => r.state.set('kill_switch', 'on'));
    const r = await s.exec.execute(opportunity(s.books), 10n * C, 'q');
    expect(r).toEqual({ kind: 'refused', reason: expect.stringContaining('kill switch') });
    expect(s.t.db.repos.trades.listBySession(s.t.sessionId)).toHaveLength(0);
    expect(s.kalshi.received).toHaveLength(0);
  });

  it('one attempt in flight per pair, then a cool-down', async () => {
    const s = await setup({ cooldownMs: 5_000 });
    s.kalshi.injectFault({ kind: 'pending-for-polls', polls: 2 });
    const first = await s.exec.start(opportunity(s.books), 5n * C, 'q1');
    expect(first.result.kind).toBe('submitted');
    const second = await s.exec.execute(opportunity(s.books), 5n * C, 'q2');
    expect(second).toEqual({ kind: 'refused', reason: expect.stringContaining('in flight') });
    await first.completion;
    const third = await s.exec.execute(opportunity(s.books), 5n * C, 'q3');
    expect(third).toEqual({ kind: 'refused', reason: expect.stringContaining('cooling down') });
    s.clock.advance(5_001);
    s.books = defaultBooks(s.clock.now());
    expect((await s.exec.execute(opportunity(s.books, 5n * C, s.clock.now()), 5n * C, 'q4')).kind).toBe('submitted');
    await s.exec.idle();
  });

  it('refuses a stale quote, a size above the quote, and a trade above the per-trade notional', async () => {
    const s = await setup({ maxQuoteAgeMs: 1_000, maxTradeNotional: 5n * C });
    const o = opportunity(s.books);
    expect(await s.exec.execute(o, o.size + C, 'q')).toEqual({ kind: 'refused', reason: 'size exceeds the quoted size' });
    expect((await s.exec.execute(o, o.size, 'q')).kind === 'refused').toBe(true);
    expect(s.exec.check(o, o.size)).toMatchObject({ ok: false, code: 'trade-notional' });
    s.clock.advance(2_000);
    expect(s.exec.check(o, 5n * C)).toMatchObject({ ok: false, code: 'stale-quote' });
  });

  it('a pair is blocked after N one-leg failures; the circuit breaker trips after N failures and survives in the database', async () => {
    const s = await setup({ maxOneLegFailuresPerPair: 2, circuitBreakerFailures: 3, cooldownMs: 0, unequalFills: 'alert' });
    for (let i = 0; i < 2; i += 1) {
      s.kalshi.injectFault({ kind: 'reject' });
      s.books = defaultBooks(s.clock.now());
      const { report } = await run(s, opportunity(s.books, 5n * C, s.clock.now()));
      expect(report.outcome?.classification).toBe('one-leg-exposed');
    }
    const o = opportunity(defaultBooks(s.clock.now()), 5n * C, s.clock.now());
    expect(s.exec.check(o, o.size)).toMatchObject({ ok: false, code: 'pair-blocked' });
    expect(s.t.db.repos.state.get(`pair_blocked:${PAIR_KEY}`)).toBe('blocked');
    await s.exec.unblockPair(PAIR_KEY);
    s.kalshi.injectFault({ kind: 'reject' });
    s.poly.injectFault({ kind: 'reject' });
    const third = await run(s, o);
    expect(third.report.outcome?.classification).toBe('failed');
    expect(s.t.db.repos.state.get('circuit_breaker')).toBe('tripped');
    expect(s.exec.check(o, o.size)).toMatchObject({ ok: false, code: 'circuit-breaker' });
    expect(s.alerts.some((a) => a.includes('circuit breaker'))).toBe(true);
    await s.exec.resetCircuitBreaker();
    expect(s.exec.check(o, o.size)).toMatchObject({ ok: true });
  });

  it('auto-execution is off by default; when on, the same risk gate applies', async () => {
    const s = await setup();
    expect(await s.exec.autoExecute(opportunity(s.books), 'q')).toEqual({ kind: 'refused', reason: 'auto_execute is off' });
    const s2 = await setup({ autoExecute: true });
    s2.t.db.write((r) => r.state.set('kill_switch', 'on'));
    expect((await s2.exec.autoExecute(opportunity(s2.books), 'q')).kind).toBe('refused');
    s2.t.db.write((r) => r.state.set('kill_switch', 'off'));
    expect((await s2.exec.autoExecute(opportunity(s2.books), 'q')).kind).toBe('submitted');
    await s2.exec.idle();
    expect(position(s2.t.db, 'kalshi', 'yes')).toBe(10n * C);
  });
});

describe('reconciliation', () => {
  it('process killed mid-attempt: a fresh run reconciles from the database file and the venue, then arms', async () => {
    const { clock, t, books, kalshi, poly } = await paperWorld(cleanups);
    // The "process" dies right after the venues executed the orders: their answers never come back.
    const dying = (v: PaperVenue): TradingVenue =>
      withPlaceOrder(v, async (intent) => {
        await v.placeOrder(intent);
        return new Promise<OrderState>(() => undefined);
      });
    const exec1 = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi: dying(kalshi), polymarket: dying(poly) }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000 }, resolveMarket });
    expect((await exec1.reconcile()).armed).toBe(true);
    poly.injectFault({ kind: 'partial', maxFill: 6n * C }); // Polymarket fills only 6 of 10
    const started = await exec1.start(opportunity(books), 10n * C, 'q-crash');
    expect(started.result.kind).toBe('submitted');
    await new Promise((resolve) => setImmediate(resolve));
    expect(kalshi.received).toHaveLength(1);
    expect(poly.received).toHaveLength(1);
    // What survives the crash is the file on disk (copied as it is now).
    const copy = join(t.dir, 'after-crash.sqlite');
    copyFileSync(t.path, copy);
    const db2 = await openDatabase({ path: copy, flushMode: 'main-thread', flushIntervalMs: 60_000, now: clock.now });
    cleanups.push(() => db2.close());
    const session2 = db2.write((r) => r.sessions.start({ mode: 'paper', demo: false, appVersion: 'test', configDigest: 'x', startedAt: clock.now() })).id;
    const before = db2.repos.trades.listBySession(t.sessionId);
    expect(before.map((x) => x.status)).toEqual(['intent']);
    const alerts: string[] = [];
    const exec2 = createExecution({ db: db2, sessionId: session2, venues: { kalshi, polymarket: poly }, now: clock.now, sleep: clock.sleep, resolveMarket, onAlert: (m) => alerts.push(m) });
    expect(exec2.armed).toBe(false);
    const result = await exec2.reconcile();
    expect(result).toMatchObject({ armed: true, settled: 1 });
    const trade = db2.repos.trades.listBySession(t.sessionId)[0];
    // Kalshi filled 10, Polymarket only 6 (partial): reconciliation records the truth, flags the exposure, does not trade.
    expect(trade?.status).toBe('one-leg-exposed');
    expect(trade?.hedgedSize).toBe(6n * C);
    expect(db2.repos.orders.listByTrade(trade?.id ?? -1).map((o) => [o.venue, o.state, o.filledSize])).toEqual([
      ['kalshi', 'filled', 10n * C],
      ['polymarket', 'canceled', 6n * C],
    ]);
    expect(db2.repos.orders.positions().map((p) => [p.venue, p.side, p.size])).toEqual([
      ['kalshi', 'yes', 10n * C],
      ['polymarket', 'no', 6n * C],
    ]);
    expect(db2.repos.audit.list().map((e) => e.kind)).toEqual(expect.arrayContaining(['reconcile-order', 'attempt-reconciled', 'reconciled']));
    expect(alerts.some((a) => a.includes('not hedged'))).toBe(true);
    expect(exec2.armed).toBe(true);
    // reconciling again changes nothing (fills are idempotent)
    await exec2.reconcile();
    expect(db2.repos.orders.fillsBySession(session2).length + db2.repos.orders.fillsBySession(t.sessionId).length).toBe(2);
  });

  it('killed after the intent but before any request: the orders are marked not placed, the attempt failed', async () => {
    const { clock, t, books, kalshi, poly } = await paperWorld(cleanups);
    const never = (v: PaperVenue): TradingVenue => withPlaceOrder(v, () => new Promise<OrderState>(() => undefined));
    const exec1 = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi: never(kalshi), polymarket: never(poly) }, now: clock.now, sleep: clock.sleep, settings: { maxQuoteAgeMs: 60_000 }, resolveMarket });
    await exec1.reconcile();
    await exec1.start(opportunity(books), 10n * C, 'q');
    const exec2 = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi, polymarket: poly }, now: clock.now, sleep: clock.sleep, resolveMarket });
    expect(await exec2.reconcile()).toMatchObject({ armed: true, settled: 1 });
    const trade = t.db.repos.trades.listBySession(t.sessionId)[0];
    expect(trade?.status).toBe('failed');
    expect(t.db.repos.orders.listByTrade(trade?.id ?? -1).map((o) => o.state)).toEqual(['not-placed', 'not-placed']);
    expect(t.db.repos.orders.positions()).toEqual([]);
  });

  it('unresolved after the poll deadline: the pair stays blocked until reconciliation settles it', async () => {
    const s = await setup({ pollDeadlineMs: 500 });
    s.kalshi.injectFault({ kind: 'timeout-before-execution' });
    const { report, trade } = await run(s);
    expect(report.status).toBe('unresolved');
    expect(trade?.status).toBe('unresolved');
    expect(s.alerts.some((a) => a.includes('still unknown'))).toBe(true);
    s.clock.advance(60_000);
    const o = opportunity(defaultBooks(s.clock.now()), 10n * C, s.clock.now());
    expect(s.exec.check(o, o.size)).toMatchObject({ ok: false, code: 'attempt-in-flight' });
    const r = await s.exec.reconcile();
    expect(r.armed).toBe(true);
    const after = s.t.db.repos.trades.get(report.tradeId);
    expect(after?.status).toBe('one-leg-exposed'); // Kalshi never got it; Polymarket filled 10
    expect(byType(s.t.db.repos.orders.listByTrade(report.tradeId), 'ioc:leg0')?.state).toBe('not-placed');
    expect(s.exec.check(o, o.size)).toEqual({ ok: true });
  });

  it('a venue that cannot be read keeps trading read-only with the reason', async () => {
    const { clock, t, books, kalshi, poly } = await paperWorld(cleanups);
    const exec1 = createExecution({ db: t.db, sessionId: t.sessionId, venues: { kalshi, polymarket: poly }, now: clock.now, sleep: clock.sleep, settings: { pollDeadlineMs: 300, maxQuoteAgeMs: 60_000 }, resolveMarket });
    await exec1.reconcile();
    kalshi.injectFault({ kind: 'timeout-after-execution' });
    kalshi.failReads(1_000);
    const started = await exec1.start(opportunity(books), 10n * C, 'q');
    expect((await started.completion)?.status).toBe('unresolved');
    const r = await exec1.reconcile();
    expect(r).toMatchObject({ armed: false, reason: expect.stringContaining('reconciliation failed') });
    expect(exec1.readOnlyReason).toContain('paper venue read failed');
    expect(await exec1.execute(opportunity(books), 10n * C, 'q2')).toEqual({ kind: 'refused', reason: expect.stringContaining('not armed') });
    kalshi.failReads(0);
    expect((await exec1.reconcile()).armed).toBe(true);
    expect(t.db.repos.trades.listBySession(t.sessionId)[0]?.status).toBe('complete');
  });
});
