/** Database rows → the store's view rows (orders, fills, positions). */
import { div, divRound } from '../../domain/money.js';
import type { FillRow, OrderRow, PositionRow } from '../../persistence/repositories/orders.js';
import type { FillView, OrderView, PositionView } from '../../store/store.js';

export interface ExecutionUpdate {
  readonly orders: readonly OrderView[];
  readonly fills: readonly FillView[];
  readonly positions: readonly PositionView[];
}

export function orderView(row: OrderRow, fills: readonly FillRow[], pairKey: string | null, paper: boolean): OrderView {
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
    filled: row.filledSize,
    avgFillPrice: size > 0n ? divRound(cost, size, 'half-even') : null,
    status: row.state,
    createdAt: row.createdAt,
    pairKey,
    paper,
  };
}

export function fillView(row: FillRow): FillView {
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
  };
}

export function positionView(row: PositionRow, title: string, pairKey: string | null): PositionView {
  return {
    venue: row.venue,
    marketId: row.marketId,
    title,
    side: row.side,
    size: row.size,
    avgPrice: row.size > 0n ? div(row.cost, row.size, 'ceil') : 0n,
    cost: row.cost,
    markValue: null,
    realisedPnl: row.realisedPnl,
    pairKey,
  };
}
