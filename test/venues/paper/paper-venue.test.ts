import { describe, expect, it } from 'vitest';
import { kalshiFee, polymarketFee } from '../../../source/domain/fees.js';
import { notional } from '../../../source/domain/money.js';
import { RejectedVenueError, RetryableVenueError } from '../../../source/venues/errors.js';
import { PaperVenue } from '../../../source/venues/paper/paper-venue.js';
import { DuplicateOrderError, UnknownOutcomeError, type OrderIntent } from '../../../source/venues/trading.js';
import { book, C, kalshiMarket, lv, polyMarket, price, T0 } from '../../engine/execution/helpers.js';

function setup(books = { k: book(kalshiMarket, [lv('0.40', 5), lv('0.42', 5), lv('0.45', 5)], [lv('0.57', 8), lv('0.60', 8)]), p: book(polyMarket, [lv('0.48', 10)], [lv('0.50', 10)]) }) {
  let now = T0;
  const kalshi = new PaperVenue({ id: 'kalshi', bookSource: (id) => (id === kalshiMarket.id ? books.k : undefined), now: () => now, startingBalance: 100n * C });
  const poly = new PaperVenue({ id: 'polymarket', bookSource: (id) => (id === polyMarket.id ? books.p : undefined), now: () => now });
  return { kalshi, poly, books, tick: (ms: number) => (now += ms) };
}

const buy = (venue: PaperVenue, over: Partial<OrderIntent> = {}): OrderIntent => ({
  clientOrderId: venue.newClientOrderId(),
  market: venue.id === 'kalshi' ? kalshiMarket : polyMarket,
  outcome: 'yes',
  action: 'buy',
  size: 8n * C,
  limitPrice: price('0.42'),
  timeInForce: 'ioc',
  ...over,
});

describe('PaperVenue', () => {
  it('fills IOC level by level at the book prices with the venue fee per fill; the rest is canceled', async () => {
    const { kalshi } = setup();
    const st = await kalshi.placeOrder(buy(kalshi, { size: 12n * C }));
    expect(st).toMatchObject({ status: 'canceled', filledSize: 10n * C, remainingSize: 0n });
    const fills = await kalshi.fills({ sinceMs: 0 });
    expect(fills.map((f) => [f.price, f.size])).toEqual([
      [price('0.40'), 5n * C],
      [price('0.42'), 5n * C],
    ]);
    const model = kalshiMarket.fee.kind === 'kalshi' ? kalshiMarket.fee : null;
    if (!model) throw new Error('fee model');
    const expectedFees = fills.map((f) => {
      const r = kalshiFee(model, f.price, f.size);
      return r.known ? r.fee : -1n;
    });
    expect(fills.map((f) => f.fee)).toEqual(expectedFees);
    expect(st.fees).toBe(expectedFees.reduce((a, b) => a + b, 0n));
    expect(st.averagePrice).toBe(price('0.41'));
    const cost = notional(price('0.40'), 5n * C, 'ceil') + notional(price('0.42'), 5n * C, 'ceil') + (st.fees ?? 0n);
    expect(kalshi.availableBalance).toBe(100n * C - cost);
    expect(await kalshi.positions([kalshiMarket])).toEqual([{ venue: 'kalshi', marketId: kalshiMarket.id, yes: 10n * C, no: 0n }]);
  });

  it('does not take the same level twice from one book; a newer book resets what was taken', async () => {
    const s = setup();
    expect((await s.kalshi.placeOrder(buy(s.kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(5n * C);
    expect((await s.kalshi.placeOrder(buy(s.kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(0n);
    s.books.k = book(kalshiMarket, [lv('0.40', 5)], [], T0 + 1_000);
    expect((await s.kalshi.placeOrder(buy(s.kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(5n * C);
  });

  it('a paper fill consumes the levels it took until a newer book arrives: copies of the same book do not refill', async () => {
    const levels = (): ReturnType<typeof lv>[] => [lv('0.40', 5), lv('0.42', 5)];
    let current = book(kalshiMarket, levels(), [], T0);
    // A source that materialises a fresh object per call (as a snapshot copy would).
    const kalshi = new PaperVenue({ id: 'kalshi', bookSource: () => ({ ...current, yesAsks: [...current.yesAsks] }), now: () => T0, startingBalance: 100n * C });
    const take = async (size: bigint, limit = '0.42'): Promise<bigint> => (await kalshi.placeOrder(buy(kalshi, { size, limitPrice: price(limit) }))).filledSize;
    expect(await take(4n * C)).toBe(4n * C); // 4 @ 0.40
    expect(await take(4n * C)).toBe(4n * C); // 1 @ 0.40 + 3 @ 0.42
    expect(await take(4n * C)).toBe(2n * C); // only 2 @ 0.42 left
    expect(await take(4n * C)).toBe(0n);
    const fills = await kalshi.fills({ sinceMs: 0 });
    expect(fills.map((f) => [f.price, f.size])).toEqual([
      [price('0.40'), 4n * C],
      [price('0.40'), 1n * C],
      [price('0.42'), 3n * C],
      [price('0.42'), 2n * C],
    ]);
    // Same book again (same venue and receive times): still depleted.
    current = book(kalshiMarket, levels(), [], T0);
    expect(await take(1n * C)).toBe(0n);
    // An older book never refills either.
    current = book(kalshiMarket, levels(), [], T0 - 5_000);
    expect(await take(1n * C)).toBe(0n);
    // A newer book (later receive time) is the venue's state now: its liquidity is available.
    current = book(kalshiMarket, levels(), [], T0 + 1);
    expect(await take(6n * C)).toBe(6n * C);
    expect(await take(6n * C)).toBe(4n * C);
  });

  it('venue time decides which book is newer when both books carry one', async () => {
    let current = { ...book(kalshiMarket, [lv('0.40', 5)], [], T0 + 10_000), venueTime: T0 };
    const kalshi = new PaperVenue({ id: 'kalshi', bookSource: () => current, now: () => T0, startingBalance: 100n * C });
    expect((await kalshi.placeOrder(buy(kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(5n * C);
    // received later, but the venue says it is the same book: no refill
    current = { ...book(kalshiMarket, [lv('0.40', 5)], [], T0 + 20_000), venueTime: T0 };
    expect((await kalshi.placeOrder(buy(kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(0n);
    current = { ...book(kalshiMarket, [lv('0.40', 5)], [], T0 + 20_000), venueTime: T0 + 1 };
    expect((await kalshi.placeOrder(buy(kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(5n * C);
  });

  it('fill-or-kill fills all or nothing', async () => {
    const { kalshi } = setup();
    expect(await kalshi.placeOrder(buy(kalshi, { size: 11n * C, timeInForce: 'fok' }))).toMatchObject({ status: 'canceled', filledSize: 0n });
    expect(await kalshi.placeOrder(buy(kalshi, { size: 10n * C, timeInForce: 'fok' }))).toMatchObject({ status: 'filled', filledSize: 10n * C });
  });

  it('sells what it holds against the other side mirrored (YES bid = 1 − NO ask), down to the limit', async () => {
    const { poly } = setup();
    await poly.placeOrder(buy(poly, { outcome: 'no', size: 10n * C, limitPrice: price('0.50') }));
    const st = await poly.placeOrder(buy(poly, { outcome: 'no', action: 'sell', size: 10n * C, limitPrice: price('0.50') }));
    expect(st).toMatchObject({ status: 'filled', filledSize: 10n * C, averagePrice: price('0.52') });
    const model = polyMarket.fee.kind === 'polymarket' ? polyMarket.fee : null;
    if (!model) throw new Error('fee model');
    const fee = polymarketFee(model, price('0.52'), 10n * C);
    expect(st.fees).toBe(fee.known ? fee.fee : -1n);
    expect(await poly.positions([polyMarket])).toEqual([{ venue: 'polymarket', marketId: polyMarket.id, yes: 0n, no: 0n }]);
    expect(await poly.placeOrder(buy(poly, { outcome: 'no', action: 'sell', size: 1n * C, limitPrice: price('0.10') }))).toMatchObject({ status: 'rejected' });
  });

  it('refuses off-grid prices, sizes below the minimum, unknown books and insufficient balance', async () => {
    const { kalshi, poly } = setup();
    expect((await kalshi.placeOrder(buy(kalshi, { limitPrice: 405_000n }))).status).toBe('rejected');
    expect((await poly.placeOrder(buy(poly, { size: 4n * C }))).status).toBe('rejected');
    expect((await kalshi.placeOrder(buy(kalshi, { size: 15n * C, limitPrice: price('0.99') }))).status).toBe('filled');
    const poor = new PaperVenue({ id: 'kalshi', bookSource: () => book(kalshiMarket, [lv('0.40', 500)], []), now: () => T0, startingBalance: C });
    expect(await poor.placeOrder(buy(poor, { size: 5n * C }))).toMatchObject({ status: 'rejected', venueStatus: expect.stringContaining('insufficient balance') });
    const nobook = new PaperVenue({ id: 'kalshi', bookSource: () => undefined, now: () => T0 });
    expect(await nobook.placeOrder(buy(nobook))).toMatchObject({ status: 'canceled', filledSize: 0n });
  });

  it('is deterministic: same inputs, same ids and figures', async () => {
    const a = setup();
    const b = setup();
    const ra = await a.kalshi.placeOrder(buy(a.kalshi, { size: 12n * C }));
    const rb = await b.kalshi.placeOrder(buy(b.kalshi, { size: 12n * C }));
    expect(ra).toEqual(rb);
    expect(await a.kalshi.fills({ sinceMs: 0 })).toEqual(await b.kalshi.fills({ sinceMs: 0 }));
  });

  it('injected faults: reject, partial, timeout after execution (order findable), 429, duplicate, pending polls, failing reads', async () => {
    const { kalshi } = setup();
    kalshi.injectFault({ kind: 'reject', reason: 'no' });
    await expect(kalshi.placeOrder(buy(kalshi))).rejects.toBeInstanceOf(RejectedVenueError);
    kalshi.injectFault({ kind: 'partial', maxFill: 3n * C });
    expect((await kalshi.placeOrder(buy(kalshi))).filledSize).toBe(3n * C);
    const lost = buy(kalshi, { size: 2n * C });
    kalshi.injectFault({ kind: 'timeout-after-execution' });
    await expect(kalshi.placeOrder(lost)).rejects.toBeInstanceOf(UnknownOutcomeError);
    expect(await kalshi.findOrder(kalshiMarket, lost.clientOrderId)).toMatchObject({ status: 'filled', filledSize: 2n * C });
    await expect(kalshi.placeOrder(lost)).rejects.toBeInstanceOf(DuplicateOrderError);
    kalshi.injectFault({ kind: 'rate-limited' });
    await expect(kalshi.placeOrder(buy(kalshi))).rejects.toSatisfy((e: unknown) => e instanceof RetryableVenueError && e.reason === 'rate-limited');
    const slow = buy(kalshi, { size: 1n * C, limitPrice: price('0.45') });
    kalshi.injectFault({ kind: 'pending-for-polls', polls: 1 });
    const first = await kalshi.placeOrder(slow);
    expect(first).toMatchObject({ status: 'pending', filledSize: 0n });
    expect((await kalshi.getOrder({ market: kalshiMarket, venueOrderId: first.venueOrderId }))?.status).toBe('pending');
    expect((await kalshi.getOrder({ market: kalshiMarket, venueOrderId: first.venueOrderId }))?.status).toBe('filled');
    kalshi.failReads(1);
    await expect(kalshi.balance()).rejects.toBeInstanceOf(RetryableVenueError);
    expect((await kalshi.balance()).available).toBe(kalshi.availableBalance);
    expect(kalshi.received.length).toBe(5);
  });

  it('with a store: saved before it answers, and a new venue on the same store answers as the old one', async () => {
    const saved: { text: string | undefined } = { text: undefined };
    let release: () => void = () => undefined;
    const store = {
      load: () => saved.text,
      save: (text: string, durable: boolean) => {
        saved.text = text;
        return durable ? new Promise<void>((resolve) => (release = resolve)) : undefined;
      },
    };
    const books = { k: book(kalshiMarket, [lv('0.40', 5)], [lv('0.57', 8)]) };
    const a = new PaperVenue({ id: 'kalshi', bookSource: () => books.k, now: () => T0, startingBalance: 100n * C, store });
    let answered = false;
    const pending = a.placeOrder(buy(a, { size: 5n * C, limitPrice: price('0.40') })).then((st) => ((answered = true), st));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false); // not before the state is durable
    expect(saved.text).toContain('"seq"');
    release();
    const st = await pending;
    const b = new PaperVenue({ id: 'kalshi', bookSource: () => books.k, now: () => T0, startingBalance: 100n * C, store });
    expect(await b.getOrder({ market: kalshiMarket, venueOrderId: st.venueOrderId })).toEqual(st);
    expect(await b.findOrder(kalshiMarket, st.clientOrderId ?? '')).toEqual(st);
    expect(await b.fills({ sinceMs: 0 })).toEqual(await a.fills({ sinceMs: 0 }));
    expect(await b.positions([kalshiMarket])).toEqual(await a.positions([kalshiMarket]));
    expect(b.availableBalance).toBe(a.availableBalance);
    const minted = b.newClientOrderId();
    expect(minted).not.toBe(st.clientOrderId);
    // a minted id is saved at once: a venue started after it never mints it again
    const c = new PaperVenue({ id: 'kalshi', bookSource: () => books.k, now: () => T0, store });
    expect(c.newClientOrderId()).not.toBe(minted);
  });

  it('feeInShares: a buy credits the matched shares minus the fee in shares, pays price × matched, shows no cash fee', async () => {
    const books = { p: book(polyMarket, [lv('0.48', 10)], [lv('0.50', 10)]) };
    const poly = new PaperVenue({ id: 'polymarket', bookSource: () => books.p, now: () => T0, startingBalance: 100n * C, feeInShares: true });
    const st = await poly.placeOrder(buy(poly, { outcome: 'no', size: 10n * C, limitPrice: price('0.50') }));
    expect(st).toMatchObject({ status: 'filled', filledSize: 10n * C, fees: null });
    const model = polyMarket.fee.kind === 'polymarket' ? polyMarket.fee : null;
    if (!model) throw new Error('fee model');
    const r = polymarketFee(model, price('0.50'), 10n * C);
    const feeUsd = r.known ? r.fee : -1n;
    expect(feeUsd).toBe(75_000n);
    expect(await poly.positions([polyMarket])).toEqual([{ venue: 'polymarket', marketId: polyMarket.id, yes: 0n, no: 10n * C - 150_000n }]);
    expect(poly.availableBalance).toBe(100n * C - 5n * C);
    expect((await poly.fills({ sinceMs: 0 })).map((f) => [f.size, f.fee])).toEqual([[10n * C, null]]);
  });
});
