/**
 * zod schemas for the Kalshi portfolio and V2 order endpoints (kalshi-api.md §5).
 * Decimals stay strings (checked) and become bigints in the trading client. Unknown
 * keys are ignored; deprecated fields (`side`, `action`, `ts`) are optional.
 */
import { z } from 'zod';
import { decimalLike, decimalString, isoTime } from '../wire-schemas.js';

/** `POST /portfolio/events/orders` → 201 (`CreateOrderV2Response`). */
export const kalshiCreateOrderResponseSchema = z.object({
  order_id: z.string().min(1),
  client_order_id: z.string().optional(),
  fill_count: decimalString,
  remaining_count: decimalString,
  average_fill_price: decimalString.nullish(),
  average_fee_paid: decimalString.nullish(),
  ts_ms: z.number().int().optional(),
});
export type KalshiCreateOrderResponse = z.infer<typeof kalshiCreateOrderResponseSchema>;

export const KALSHI_ORDER_STATUSES = ['resting', 'canceled', 'executed'] as const;

/** `Order` (`GET /portfolio/orders`, `GET /portfolio/orders/{id}`). */
export const kalshiOrderSchema = z.object({
  order_id: z.string().min(1),
  client_order_id: z.string().nullish(),
  ticker: z.string().min(1),
  outcome_side: z.enum(['yes', 'no']).optional(),
  book_side: z.enum(['bid', 'ask']).optional(),
  side: z.enum(['yes', 'no']).optional(),
  action: z.enum(['buy', 'sell']).optional(),
  status: z.string().min(1),
  yes_price_dollars: decimalString,
  no_price_dollars: decimalString,
  fill_count_fp: decimalString,
  remaining_count_fp: decimalString,
  initial_count_fp: decimalString.optional(),
  taker_fill_cost_dollars: decimalString.optional(),
  maker_fill_cost_dollars: decimalString.optional(),
  taker_fees_dollars: decimalString.optional(),
  maker_fees_dollars: decimalString.optional(),
  created_time: isoTime.optional(),
  last_update_time: isoTime.nullish(),
  exchange_index: z.number().int().optional(),
});
export type KalshiOrderWire = z.infer<typeof kalshiOrderSchema>;

export const kalshiOrderResponseSchema = z.object({ order: kalshiOrderSchema });
export const kalshiOrdersPageSchema = z.object({ orders: z.array(kalshiOrderSchema), cursor: z.string().nullish() });

/** `DELETE /portfolio/events/orders/{id}`. */
export const kalshiCancelResponseSchema = z.object({
  order_id: z.string().min(1),
  client_order_id: z.string().nullish(),
  reduced_by: decimalString.optional(),
  ts_ms: z.number().int().optional(),
});

/** `Fill`. `client_order_id` was removed from fills on 2026-03-30. */
export const kalshiFillSchema = z.object({
  fill_id: z.string().min(1).optional(),
  trade_id: z.string().min(1).optional(),
  order_id: z.string().min(1),
  ticker: z.string().min(1).optional(),
  market_ticker: z.string().min(1).optional(),
  outcome_side: z.enum(['yes', 'no']).optional(),
  book_side: z.enum(['bid', 'ask']).optional(),
  count_fp: decimalString,
  yes_price_dollars: decimalString,
  no_price_dollars: decimalString,
  is_taker: z.boolean().optional(),
  fee_cost: decimalString.optional(),
  created_time: isoTime.optional(),
  ts: z.number().int().optional(),
  exchange_index: z.number().int().optional(),
});
export type KalshiFillWire = z.infer<typeof kalshiFillSchema>;
export const kalshiFillsPageSchema = z.object({ fills: z.array(kalshiFillSchema), cursor: z.string().nullish() });

/** `MarketPosition`: `position_fp` signed, + = YES, − = NO. */
export const kalshiMarketPositionSchema = z.object({
  ticker: z.string().min(1),
  position_fp: decimalString,
  exchange_index: z.number().int().optional(),
  fees_paid_dollars: decimalString.optional(),
  market_exposure_dollars: decimalString.optional(),
});
export const kalshiPositionsPageSchema = z.object({
  market_positions: z.array(kalshiMarketPositionSchema),
  cursor: z.string().nullish(),
});

/** `GET /portfolio/balance`: prefer `balance_dollars`; `balance` is integer cents (truncated). */
export const kalshiBalanceSchema = z.object({
  balance: z.number().int().optional(),
  balance_dollars: decimalString.optional(),
  balance_breakdown: z.array(z.object({ exchange_index: z.number().int(), balance: decimalLike })).nullish(),
  updated_ts: z.number().int().optional(),
});
