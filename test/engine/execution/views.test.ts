import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../source/domain/money.js';
import type { OrderBook } from '../../../source/domain/order-book.js';
import { fillView, markValueOf, orderView, withMark } from '../../../source/engine/execution/views.js';
import type { PositionView } from '../../../source/store/store.js';

const d = (s: string): bigint => parseDecimal(s);

const book: OrderBook = {
  venue: 'kalshi',
  marketId: 'KX-1',
  yesAsks: [{ price: d('0.62'), size: d('100') }],
  noAsks: [{ price: d('0.41'), size: d('50') }, { price: d('0.45'), size: d('500') }],
  venueTime: null,
  receivedAt: 0,
};

const position = (side: 'yes' | 'no', size: string): PositionView => ({
  venue: 'kalshi',
  marketId: 'KX-1',
  title: 'Q?',
  shortTitle: 'Q?',
  side,
  size: d(size),
  avgPrice: d('0.6'),
  cost: d('60'),
  markValue: null,
  realisedPnl: 0n,
  pairKey: null,
});

describe('position marks', () => {
  it('values YES at 1 − the best NO ask and NO at 1 − the best YES ask, times the size (money at scale 6)', () => {
    expect(markValueOf(position('yes', '100'), book)).toBe(d('59'));
    expect(markValueOf(position('no', '100'), book)).toBe(d('38'));
    expect(markValueOf(position('yes', '0.01'), book)).toBe(d('0.0059'));
  });

  it('is null without a book or without a bid', () => {
    expect(markValueOf(position('yes', '100'), undefined)).toBeNull();
    expect(markValueOf(position('no', '100'), { ...book, yesAsks: [] })).toBeNull();
  });

  it('withMark keeps the same object when the mark does not change', () => {
    const marked = withMark(position('yes', '100'), book);
    expect(marked.markValue).toBe(d('59'));
    expect(withMark(marked, book)).toBe(marked);
    expect(withMark(marked, undefined).markValue).toBeNull();
  });
});

describe('order and fill rows', () => {
  const row = {
    clientOrderId: 'c-1', sessionId: 1, tradeId: 1, venue: 'polymarket' as const, marketId: '0xm', venueOrderId: 'o-1', side: 'no' as const,
    action: 'buy' as const, orderType: 'ioc:leg1', limitPrice: d('0.5'), size: d('10'), filledSize: d('10'), state: 'filled', createdAt: 1, updatedAt: 1, lastError: null,
  };
  const fill = { venue: 'polymarket' as const, venueFillId: 'f-1', clientOrderId: 'c-1', venueOrderId: 'o-1', sessionId: 1, marketId: '0xm', side: 'no' as const, action: 'buy' as const, price: d('0.5'), size: d('4'), fee: 0n, isTaker: true, filledAt: 1, receivedAt: 1 };

  it("an order's shares the venue voided after matching are not shown as filled; a voided fill is marked", () => {
    expect(orderView(row, [fill], null, false).filled).toBe(d('10'));
    expect(orderView(row, [fill], null, false, d('6'))).toMatchObject({ filled: d('4'), avgFillPrice: d('0.5') });
    expect(orderView(row, [], null, false, d('10')).filled).toBe(0n);
    expect(fillView(fill, true)).toMatchObject({ id: 'f-1', voided: true });
    expect(fillView(fill).voided).toBe(false);
  });
});
