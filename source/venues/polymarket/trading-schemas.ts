/**
 * zod schemas for the Polymarket CLOB trading endpoints (polymarket-api.md §3–4).
 * Amount/size fields are kept as strings: their unit (decimal shares vs 6-decimal
 * fixed math) differs between docs versions and is resolved in the client.
 */
import { z } from 'zod';
import { decimalLike, decimalString } from '../wire-schemas.js';

const intLike = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]);

/** `POST /auth/api-key`, `GET /auth/derive-api-key`. */
export const apiKeyResponseSchema = z.object({
  apiKey: z.string().min(1),
  secret: z.string().min(1),
  passphrase: z.string().min(1),
});

/** `POST /order` → 200. */
export const postOrderResponseSchema = z.object({
  success: z.boolean(),
  orderID: z.string().optional(),
  status: z.string().optional(),
  // often "" (a resting or refused order); errorMsg sometimes null
  makingAmount: z.union([decimalLike, z.literal('')]).optional(),
  takingAmount: z.union([decimalLike, z.literal('')]).optional(),
  errorMsg: z.string().nullish(),
  transactionsHashes: z.array(z.string()).nullish(),
  tradeIDs: z.array(z.string()).nullish(),
});
export type PostOrderResponse = z.infer<typeof postOrderResponseSchema>;

/** An order as `GET /data/order/{id}` and `GET /data/orders` list it. */
export const openOrderSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  owner: z.string().optional(),
  maker_address: z.string().optional(),
  market: z.string().optional(),
  asset_id: z.string().min(1),
  side: z.enum(['BUY', 'SELL', 'buy', 'sell']),
  original_size: decimalLike,
  size_matched: decimalLike,
  price: decimalLike,
  outcome: z.string().optional(),
  expiration: z.union([z.string(), z.number()]).optional(),
  order_type: z.string().optional(),
  associate_trades: z.array(z.string()).nullish(),
  created_at: z.union([z.number(), z.string()]).optional(),
});
export type OpenOrderWire = z.infer<typeof openOrderSchema>;

export const getOrderResponseSchema = z.union([openOrderSchema, z.null()]);
export const openOrdersPageSchema = z.object({
  data: z.array(openOrderSchema),
  next_cursor: z.string().nullish(),
});

/** `DELETE /order` → `{canceled: [ids], not_canceled: {id: reason}}`. */
export const cancelResponseSchema = z.object({
  canceled: z.array(z.string()).nullish(),
  not_canceled: z.record(z.string(), z.unknown()).nullish(),
});

export const makerOrderSchema = z.object({
  order_id: z.string().min(1),
  owner: z.string().optional(),
  maker_address: z.string().optional(),
  matched_amount: decimalLike,
  price: decimalLike,
  asset_id: z.string().min(1),
  outcome: z.string().optional(),
  side: z.enum(['BUY', 'SELL', 'buy', 'sell']).optional(),
});

/** `GET /data/trades` item (CCv2 `Trade`). */
export const tradeSchema = z.object({
  id: z.string().min(1),
  taker_order_id: z.string().min(1),
  market: z.string().min(1),
  asset_id: z.string().min(1),
  side: z.enum(['BUY', 'SELL', 'buy', 'sell']),
  size: decimalLike,
  fee_rate_bps: decimalLike.optional(),
  price: decimalLike,
  status: z.string().min(1),
  match_time: intLike,
  outcome: z.string().optional(),
  owner: z.string().optional(),
  maker_address: z.string().optional(),
  transaction_hash: z.string().nullish(),
  trader_side: z.enum(['TAKER', 'MAKER']).optional(),
  maker_orders: z.array(makerOrderSchema).nullish(),
});
export type TradeWire = z.infer<typeof tradeSchema>;

export const tradesPageSchema = z.object({
  data: z.array(tradeSchema),
  next_cursor: z.string().nullish(),
});

/** `GET /balance-allowance` (CCv2 `BalanceAllowanceResponse`). */
export const balanceAllowanceSchema = z.object({
  balance: decimalString,
});
