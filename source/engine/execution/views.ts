/** Database rows → the store's view rows (orders, fills, positions). */
import { explicitMarketLabel, shortMarketLabel, type Market } from '../../domain/market.js';
import { div, divRound, mul, ONE } from '../../domain/money.js';
import type { OrderBook } from '../../domain/order-book.js';
import type { FillRow, OrderRow, PositionRow } from '../../persistence/repositories/orders.js';
import type { FillView, OrderView, PositionView } from '../../store/store.js';

export interface ExecutionUpdate {
  readonly orders: readonly OrderView[];
  readonly fills: readonly FillView[];
  readonly positions: readonly PositionView[];
}

/** `voided`: shares of the order's filled size the venue voided after matching (shown as not filled). */
export function orderView(row: OrderRow, fills: readonly FillRow[], pairKey: string | null, paper: boolean, voided = 0n): OrderView {
  let size = 0n;
  let cost = 0n;
  for (const f of fills) {
    size += f.size;
    cost += f.price * f.size;
  }
  return {
    id: row.clientOrderId,
    venue: row.venue,
    marketId: row.marketId,
    side: row.side,
    size: row.size,
    limitPrice: row.limitPrice,
    filled: row.filledSize > voided ? row.filledSize - voided : 0n,
    avgFillPrice: size > 0n ? divRound(cost, size, 'half-even') : null,
    status: row.state,
    createdAt: row.createdAt,
    pairKey,
    paper,
  };
}

export function fillView(row: FillRow, voided = false): FillView {
  return {
    id: row.venueFillId,
    orderId: row.clientOrderId ?? row.venueOrderId ?? '',
    venue: row.venue,
    marketId: row.marketId,
    side: row.side,
    price: row.price,
    size: row.size,
    fee: row.fee,
    at: row.filledAt,
    voided,
  };
}

/** `market`: the position's market when known (its names), else the id names it. */
export function positionView(row: PositionRow, market: Market | null, pairKey: string | null): PositionView {
  return {
    venue: row.venue,
    marketId: row.marketId,
    title: market === null ? row.marketId : explicitMarketLabel(market),
    shortTitle: market === null ? row.marketId : shortMarketLabel(market),
    side: row.side,
    size: row.size,
    avgPrice: row.size > 0n ? div(row.cost, row.size, 'ceil') : 0n,
    cost: row.cost,
    markValue: null,
    realisedPnl: row.realisedPnl,
    pairKey,
  };
}

/**
 * What a position is worth at the best bid now: selling YES is buying NO, so the
 * YES bid is 1 − the best NO ask (and the other way round). Size × bid, rounded
 * down; fees to get out are not taken off. Null without a book or a bid.
 */
export function markValueOf(position: Pick<PositionView, 'side' | 'size'>, book: OrderBook | undefined): bigint | null {
  if (!book) return null;
  const opposite = position.side === 'yes' ? book.noAsks[0] : book.yesAsks[0];
  if (!opposite) return null;
  return mul(position.size, ONE - opposite.price, 'floor');
}

/** The position with its mark from `book` (the same object when the mark is unchanged). */
export function withMark(position: PositionView, book: OrderBook | undefined): PositionView {
  const markValue = markValueOf(position, book);
  return markValue === position.markValue ? position : { ...position, markValue };
}
