/**
 * Orders we own (client order id minted locally): written as pending before
 * the venue is called, then updated as the venue answers. Fills are immutable,
 * idempotent by (venue, venue fill id). Positions are the latest known holding.
 */
import { z } from 'zod';
import type { VenueId } from '../../domain/market.js';
import type { Money, Price, Size } from '../../domain/money.js';
import type { SqlConnection } from '../connection.js';
import { PersistenceError } from '../errors.js';
import { rowParser, zAction, zE6, zOptBool, zOptSafeInt, zOptText, zSafeInt, zSide, zText, zVenue } from '../row-schemas.js';

export type ContractSide = 'yes' | 'no';
export type OrderAction = 'buy' | 'sell';

export interface OrderRow {
  readonly clientOrderId: string;
  readonly sessionId: number;
  readonly tradeId: number | null;
  readonly venue: VenueId;
  readonly marketId: string;
  readonly venueOrderId: string | null;
  readonly side: ContractSide;
  readonly action: OrderAction;
  readonly orderType: string;
  readonly limitPrice: Price;
  readonly size: Size;
  readonly filledSize: Size;
  readonly state: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastError: string | null;
}

export interface NewOrderInput {
  readonly clientOrderId: string;
  readonly sessionId: number;
  readonly tradeId?: number | null;
  readonly venue: VenueId;
  readonly marketId: string;
  readonly side: ContractSide;
  readonly action: OrderAction;
  readonly orderType: string;
  readonly limitPrice: Price;
  readonly size: Size;
  readonly state?: string;
  readonly at?: number;
}

export interface OrderUpdate {
  readonly state?: string;
  readonly venueOrderId?: string | null;
  readonly filledSize?: Size;
  readonly lastError?: string | null;
  readonly at?: number;
}

export interface FillRow {
  readonly venue: VenueId;
  readonly venueFillId: string;
  readonly clientOrderId: string | null;
  readonly venueOrderId: string | null;
  readonly sessionId: number | null;
  readonly marketId: string;
  readonly side: ContractSide;
  readonly action: OrderAction;
  readonly price: Price;
  readonly size: Size;
  readonly fee: Money;
  readonly isTaker: boolean | null;
  /** Venue time of the fill, ms. */
  readonly filledAt: number;
  /** Local receive time, ms. */
  readonly receivedAt: number;
}

export type FillInput = Omit<FillRow, 'clientOrderId' | 'venueOrderId' | 'sessionId' | 'isTaker' | 'receivedAt'> & {
  readonly clientOrderId?: string | null;
  readonly venueOrderId?: string | null;
  readonly sessionId?: number | null;
  readonly isTaker?: boolean | null;
  readonly receivedAt?: number;
};

export interface PositionRow {
  readonly venue: VenueId;
  readonly marketId: string;
  readonly side: ContractSide;
  readonly size: Size;
  /** Total cost basis of the size held (scale 1e6 dollars). */
  readonly cost: Money;
  readonly realisedPnl: Money;
  readonly source: 'fills' | 'venue';
  readonly updatedAt: number;
}

const parseOrder = rowParser(
  z.object({
    client_order_id: zText,
    session_id: zSafeInt,
    trade_id: zOptSafeInt,
    venue: zVenue,
    market_id: zText,
    venue_order_id: zOptText,
    side: zSide,
    action: zAction,
    order_type: zText,
    limit_price_e6: zE6,
    size_e6: zE6,
    filled_size_e6: zE6,
    state: zText,
    created_at: zSafeInt,
    updated_at: zSafeInt,
    last_error: zOptText,
  }),
  'order',
);

const parseFill = rowParser(
  z.object({
    venue: zVenue,
    venue_fill_id: zText,
    client_order_id: zOptText,
    venue_order_id: zOptText,
    session_id: zOptSafeInt,
    market_id: zText,
    side: zSide,
    action: zAction,
    price_e6: zE6,
    size_e6: zE6,
    fee_e6: zE6,
    is_taker: zOptBool,
    filled_at: zSafeInt,
    received_at: zSafeInt,
  }),
  'fill',
);

const parsePosition = rowParser(
  z.object({
    venue: zVenue,
    market_id: zText,
    side: zSide,
    size_e6: zE6,
    cost_e6: zE6,
    realised_pnl_e6: zE6,
    source: z.enum(['fills', 'venue']),
    updated_at: zSafeInt,
  }),
  'position',
);

export function toOrder(raw: Parameters<typeof parseOrder>[0]): OrderRow {
  const r = parseOrder(raw);
  return {
    clientOrderId: r.client_order_id,
    sessionId: r.session_id,
    tradeId: r.trade_id,
    venue: r.venue,
    marketId: r.market_id,
    venueOrderId: r.venue_order_id,
    side: r.side,
    action: r.action,
    orderType: r.order_type,
    limitPrice: r.limit_price_e6,
    size: r.size_e6,
    filledSize: r.filled_size_e6,
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastError: r.last_error,
  };
}

export function toFill(raw: Parameters<typeof parseFill>[0]): FillRow {
  const r = parseFill(raw);
  return {
    venue: r.venue,
    venueFillId: r.venue_fill_id,
    clientOrderId: r.client_order_id,
    venueOrderId: r.venue_order_id,
    sessionId: r.session_id,
    marketId: r.market_id,
    side: r.side,
    action: r.action,
    price: r.price_e6,
    size: r.size_e6,
    fee: r.fee_e6,
    isTaker: r.is_taker,
    filledAt: r.filled_at,
    receivedAt: r.received_at,
  };
}

function toPosition(raw: Parameters<typeof parsePosition>[0]): PositionRow {
  const r = parsePosition(raw);
  return {
    venue: r.venue,
    marketId: r.market_id,
    side: r.side,
    size: r.size_e6,
    cost: r.cost_e6,
    realisedPnl: r.realised_pnl_e6,
    source: r.source,
    updatedAt: r.updated_at,
  };
}

/** SQL condition on a fill aliased `f`: the venue has not voided it. */
export const NOT_VOIDED = 'NOT EXISTS (SELECT 1 FROM fill_voids v WHERE v.venue = f.venue AND v.venue_fill_id = f.venue_fill_id)';

export class OrdersRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  /** Record the intent before calling the venue (then `flushNow()`). */
  insertPending(input: NewOrderInput): void {
    const at = input.at ?? this.now();
    this.conn.run(
      `INSERT INTO orders (client_order_id, session_id, trade_id, venue, market_id, side, action, order_type,
         limit_price_e6, size_e6, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        input.clientOrderId,
        input.sessionId,
        input.tradeId ?? null,
        input.venue,
        input.marketId,
        input.side,
        input.action,
        input.orderType,
        input.limitPrice,
        input.size,
        input.state ?? 'pending',
        at,
        at,
      ],
    );
  }

  update(clientOrderId: string, input: OrderUpdate): OrderRow {
    return this.conn.transaction(() => {
      const current = this.get(clientOrderId);
      if (!current) throw new PersistenceError('not-found', `no order ${clientOrderId}`);
      this.conn.run(
        `UPDATE orders SET state = ?, venue_order_id = ?, filled_size_e6 = ?, last_error = ?, updated_at = ?
         WHERE client_order_id = ?`,
        [
          input.state ?? current.state,
          input.venueOrderId !== undefined ? input.venueOrderId : current.venueOrderId,
          input.filledSize ?? current.filledSize,
          input.lastError !== undefined ? input.lastError : current.lastError,
          input.at ?? this.now(),
          clientOrderId,
        ],
      );
      return this.get(clientOrderId) as OrderRow;
    });
  }

  get(clientOrderId: string): OrderRow | undefined {
    return this.conn.get('SELECT * FROM orders WHERE client_order_id = ?', [clientOrderId], toOrder);
  }

  listByTrade(tradeId: number): OrderRow[] {
    return this.conn.all('SELECT * FROM orders WHERE trade_id = ? ORDER BY created_at, client_order_id', [tradeId], toOrder);
  }

  listBySession(sessionId: number): OrderRow[] {
    return this.conn.all('SELECT * FROM orders WHERE session_id = ? ORDER BY created_at, client_order_id', [sessionId], toOrder);
  }

  /**
   * Record a fill once: returns true when it was new, false when the same
   * (venue, venue fill id) was already recorded (the stored fill is kept).
   */
  recordFill(fill: FillInput): boolean {
    const n = this.conn.run(
      `INSERT INTO fills (venue, venue_fill_id, client_order_id, venue_order_id, session_id, market_id, side, action,
         price_e6, size_e6, fee_e6, is_taker, filled_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (venue, venue_fill_id) DO NOTHING`,
      [
        fill.venue,
        fill.venueFillId,
        fill.clientOrderId ?? null,
        fill.venueOrderId ?? null,
        fill.sessionId ?? null,
        fill.marketId,
        fill.side,
        fill.action,
        fill.price,
        fill.size,
        fill.fee,
        fill.isTaker ?? null,
        fill.filledAt,
        fill.receivedAt ?? this.now(),
      ],
    );
    return n === 1;
  }

  /** An order's fills, without the ones the venue voided after matching (`voidFill`). */
  fillsForOrder(clientOrderId: string): FillRow[] {
    return this.conn.all(`SELECT * FROM fills f WHERE client_order_id = ? AND ${NOT_VOIDED} ORDER BY filled_at, venue_fill_id`, [clientOrderId], toFill);
  }

  /** An order's fills the venue voided after matching. */
  voidedFillsForOrder(clientOrderId: string): FillRow[] {
    return this.conn.all(`SELECT * FROM fills f WHERE client_order_id = ? AND NOT ${NOT_VOIDED} ORDER BY filled_at, venue_fill_id`, [clientOrderId], toFill);
  }

  /** A session's fills, without the voided ones. */
  fillsBySession(sessionId: number): FillRow[] {
    return this.conn.all(`SELECT * FROM fills f WHERE session_id = ? AND ${NOT_VOIDED} ORDER BY filled_at, venue, venue_fill_id`, [sessionId], toFill);
  }

  /** The fills that make one position, in the order they were recorded, without the voided ones. */
  fillsForPosition(venue: VenueId, marketId: string, side: 'yes' | 'no'): FillRow[] {
    return this.conn.all(`SELECT * FROM fills f WHERE venue = ? AND market_id = ? AND side = ? AND ${NOT_VOIDED} ORDER BY rowid`, [venue, marketId, side], toFill);
  }

  /**
   * The venue says a recorded fill did not happen after all (matched, then failed): it is
   * kept, voided. Returns false when it was voided already or no such fill is recorded.
   */
  voidFill(venue: VenueId, venueFillId: string, venueStatus: string, at: number = this.now()): boolean {
    const known = this.conn.get('SELECT 1 AS one FROM fills WHERE venue = ? AND venue_fill_id = ?', [venue, venueFillId], () => true) ?? false;
    if (!known) return false;
    return (
      this.conn.run('INSERT INTO fill_voids (venue, venue_fill_id, venue_status, voided_at) VALUES (?, ?, ?, ?) ON CONFLICT (venue, venue_fill_id) DO NOTHING', [
        venue,
        venueFillId,
        venueStatus,
        at,
      ]) === 1
    );
  }

  upsertPosition(p: Omit<PositionRow, 'updatedAt'> & { readonly updatedAt?: number }): void {
    this.conn.run(
      `INSERT INTO positions (venue, market_id, side, size_e6, cost_e6, realised_pnl_e6, source, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (venue, market_id, side) DO UPDATE SET size_e6 = excluded.size_e6, cost_e6 = excluded.cost_e6,
         realised_pnl_e6 = excluded.realised_pnl_e6, source = excluded.source, updated_at = excluded.updated_at`,
      [p.venue, p.marketId, p.side, p.size, p.cost, p.realisedPnl, p.source, p.updatedAt ?? this.now()],
    );
  }

  positions(): PositionRow[] {
    return this.conn.all('SELECT * FROM positions ORDER BY venue, market_id, side', [], toPosition);
  }

  /** The pair of the newest trade that placed an order in this market, if any (its two market ids). */
  tradedPairOf(venue: VenueId, marketId: string): { readonly kalshiMarketId: string; readonly polymarketMarketId: string } | undefined {
    return this.conn.get(
      `SELECT p.kalshi_market_id, p.polymarket_market_id FROM orders o
         JOIN trades t ON t.id = o.trade_id JOIN pairs p ON p.id = t.pair_id
       WHERE o.venue = ? AND o.market_id = ? ORDER BY t.id DESC LIMIT 1`,
      [venue, marketId],
      (r) => ({ kalshiMarketId: z.string().parse(r['kalshi_market_id']), polymarketMarketId: z.string().parse(r['polymarket_market_id']) }),
    );
  }
}
