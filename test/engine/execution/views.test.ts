import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../source/domain/money.js';
import type { OrderBook } from '../../../source/domain/order-book.js';
import { markValueOf, withMark } from '../../../source/engine/execution/views.js';
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
