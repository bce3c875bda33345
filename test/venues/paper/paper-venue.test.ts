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

  it('does not take the same level twice from one book; a new book resets what was taken', async () => {
    const s = setup();
    expect((await s.kalshi.placeOrder(buy(s.kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(5n * C);
    expect((await s.kalshi.placeOrder(buy(s.kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(0n);
    s.books.k = book(kalshiMarket, [lv('0.40', 5)], []);
    expect((await s.kalshi.placeOrder(buy(s.kalshi, { size: 5n * C, limitPrice: price('0.40') }))).filledSize).toBe(5n * C);
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
});
