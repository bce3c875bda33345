/**
 * zod schemas for the Kalshi Trade API v2 wire format (2026: fixed-point dollar
 * strings, `_fp` count strings, no integer cents). Only the fields arb-tui reads
 * are checked; unknown keys are ignored (Kalshi adds fields weekly). Decimals stay
 * strings here and become bigints in `parser.ts`.
 *
 * Two strictness levels for markets/events:
 * - live (`kalshiMarketSchema`, `kalshiEventSchema`): what the live API always sends
 *   for the fields we use is required;
 * - saved (`savedKalshiMarketSchema`, `savedKalshiEventSchema`): a saved sample may omit
 *   those fields (or hold null), but a field that is present must still be well formed.
 */
import { z } from 'zod';
import { decimalLike, decimalString, isoTime } from '../wire-schemas.js';

/** Market lifecycle statuses as Kalshi sends them (the `status` *filter* uses other words). */
export const KALSHI_MARKET_STATUSES = [
  'initialized',
  'inactive',
  'active',
  'closed',
  'determined',
  'disputed',
  'amended',
  'finalized',
] as const;
export type KalshiMarketStatusWire = (typeof KALSHI_MARKET_STATUSES)[number];

export const kalshiPriceRangeSchema = z.object({
  start: decimalString,
  end: decimalString,
  step: decimalString,
});
export type KalshiPriceRangeWire = z.infer<typeof kalshiPriceRangeSchema>;

const exchangeIndex = z.number().int().min(-1);

/** A market as the live API sends it (`GET /markets`, nested in `GET /events`). */
export const kalshiMarketSchema = z.object({
  ticker: z.string().min(1),
  event_ticker: z.string().min(1),
  market_type: z.enum(['binary', 'scalar']).optional(),
  title: z.string().optional(),
  subtitle: z.string().optional(),
  yes_sub_title: z.string().optional(),
  no_sub_title: z.string().optional(),
  status: z.enum(KALSHI_MARKET_STATUSES),
  close_time: isoTime,
  rules_primary: z.string().optional(),
  rules_secondary: z.string().optional(),
  price_level_structure: z.string().optional(),
  price_ranges: z.array(kalshiPriceRangeSchema),
  /** Removed from the schema 2026-07-09 but still on June demo captures. */
  fractional_trading_enabled: z.boolean().optional(),
  mve_collection_ticker: z.string().optional(),
  mve_selected_legs: z.array(z.unknown()).optional(),
  exchange_index: exchangeIndex.optional(),
});
export type KalshiMarketWire = z.infer<typeof kalshiMarketSchema>;

const FEE_TYPE_OVERRIDE = z.string().nullish();
const FEE_MULTIPLIER_OVERRIDE = decimalLike.nullish();

/** `EventData`; `markets` only with `with_nested_markets=true`. */
export const kalshiEventSchema = z.object({
  event_ticker: z.string().min(1),
  series_ticker: z.string().min(1),
  title: z.string(),
  sub_title: z.string().optional(),
  mutually_exclusive: z.boolean().optional(),
  markets: z.array(kalshiMarketSchema).nullish(),
  fee_type_override: FEE_TYPE_OVERRIDE,
  fee_multiplier_override: FEE_MULTIPLIER_OVERRIDE,
  exchange_index: exchangeIndex.optional(),
});
export type KalshiEventWire = z.infer<typeof kalshiEventSchema>;

/** `GET /events` page. The last page has `cursor: ""`. */
export const kalshiEventsPageSchema = z.object({
  events: z.array(kalshiEventSchema),
  cursor: z.string().nullish(),
});
export type KalshiEventsPageWire = z.infer<typeof kalshiEventsPageSchema>;

/** `GET /events/{event_ticker}?with_nested_markets=true`. */
export const kalshiEventResponseSchema = z.object({
  event: kalshiEventSchema,
  markets: z.array(kalshiMarketSchema).nullish(),
});

/** `GET /markets` page. */
export const kalshiMarketsPageSchema = z.object({
  markets: z.array(kalshiMarketSchema),
  cursor: z.string().nullish(),
});

/** `GET /markets/{ticker}`. */
export const kalshiMarketResponseSchema = z.object({ market: kalshiMarketSchema });

// ---------------------------------------------------------------- saved samples

/** A market from a saved sample: only `ticker` is indispensable. */
export const savedKalshiMarketSchema = z.object({
  ticker: z.string().min(1),
  event_ticker: z.string().min(1).nullish(),
  /** Not a Kalshi field: saved flat catalogs carry the event title next to the market. */
  event_title: z.string().nullish(),
  title: z.string().nullish(),
  subtitle: z.string().nullish(),
  yes_sub_title: z.string().nullish(),
  no_sub_title: z.string().nullish(),
  status: z.enum(KALSHI_MARKET_STATUSES).nullish(),
  close_time: isoTime.nullish(),
  rules_primary: z.string().nullish(),
  rules_secondary: z.string().nullish(),
  price_ranges: z.array(kalshiPriceRangeSchema).nullish(),
  fractional_trading_enabled: z.boolean().nullish(),
  mve_collection_ticker: z.string().nullish(),
  mve_selected_legs: z.array(z.unknown()).nullish(),
  exchange_index: exchangeIndex.nullish(),
});
export type SavedKalshiMarketWire = z.infer<typeof savedKalshiMarketSchema>;

export const savedKalshiEventSchema = z.object({
  event_ticker: z.string().min(1),
  series_ticker: z.string().min(1).nullish(),
  title: z.string(),
  markets: z.array(savedKalshiMarketSchema).nullish(),
});
export type SavedKalshiEventWire = z.infer<typeof savedKalshiEventSchema>;

export const savedKalshiEventsBodySchema = z.object({
  events: z.array(savedKalshiEventSchema),
  cursor: z.string().nullish(),
});

export const savedKalshiMarketsBodySchema = z.object({
  markets: z.array(savedKalshiMarketSchema),
  cursor: z.string().nullish(),
});

// ---------------------------------------------------------------- series (fees)

/**
 * `Series`. `fee_type` is kept as a free string: a fee type arb-tui does not know
 * becomes an *unknown* fee for that series' markets (never zero), not a failed listing.
 * `fee_multiplier` is a JSON number on the wire; kept as its decimal text.
 */
export const kalshiSeriesSchema = z.object({
  ticker: z.string().min(1),
  title: z.string().optional(),
  fee_type: z.string().min(1),
  fee_multiplier: decimalLike,
  exchange_index: exchangeIndex.optional(),
});
export type KalshiSeriesWire = z.infer<typeof kalshiSeriesSchema>;

/** `GET /series` (unpaginated). */
export const kalshiSeriesListSchema = z.object({ series: z.array(kalshiSeriesSchema).nullable() });

/** `GET /series/{series_ticker}`. */
export const kalshiSeriesResponseSchema = z.object({ series: kalshiSeriesSchema });

// ---------------------------------------------------------------- order books

/** `[price_dollars, count_fp]`, both strings. Bids only, best bid last. */
export const kalshiBookLevelSchema = z.tuple([decimalString, decimalString]);

/** REST sends `[]` for an empty side; a nil slice may come as null or be omitted. */
const bookSide = z
  .array(kalshiBookLevelSchema)
  .nullish()
  .transform((v) => v ?? []);

export const kalshiOrderbookFpSchema = z.object({
  yes_dollars: bookSide,
  no_dollars: bookSide,
});

/** `GET /markets/{ticker}/orderbook`. */
export const kalshiOrderbookResponseSchema = z.object({ orderbook_fp: kalshiOrderbookFpSchema });

/** `GET /markets/orderbooks?tickers=A&tickers=B` (≤ 100 tickers). */
export const kalshiOrderbooksResponseSchema = z.object({
  orderbooks: z
    .array(z.object({ ticker: z.string().min(1), orderbook_fp: kalshiOrderbookFpSchema }))
    .nullable()
    .transform((v) => v ?? []),
});
export type KalshiOrderbooksWire = z.infer<typeof kalshiOrderbooksResponseSchema>;

// ---------------------------------------------------------------- exchange status

export const kalshiExchangeStatusSchema = z.object({
  exchange_active: z.boolean(),
  trading_active: z.boolean(),
  intra_exchange_transfers_active: z.boolean().optional(),
  exchange_estimated_resume_time: isoTime.nullish(),
  exchange_index_statuses: z
    .array(
      z.object({
        exchange_index: exchangeIndex,
        description: z.string(),
        exchange_active: z.boolean(),
        trading_active: z.boolean(),
        intra_exchange_transfers_active: z.boolean().optional(),
      }),
    )
    .nullish(),
});
export type KalshiExchangeStatusWire = z.infer<typeof kalshiExchangeStatusSchema>;

// ---------------------------------------------------------------- error bodies

const errorObject = z.object({
  code: z.string(),
  message: z.string().optional(),
  details: z.string().optional(),
  service: z.string().optional(),
});

/**
 * The four error-body shapes seen on the wire:
 * nested `{"error":{code,message,details?,service?}}` (most 4xx), flat
 * `{code,message,details}` (JSON decode failures), bare `{"msg":…}` (parameter
 * validation) and `{"error":"too many requests"}` (429).
 */
export const kalshiErrorBodySchema = z.union([
  z.object({ error: errorObject }),
  z.object({ error: z.string() }),
  errorObject,
  z.object({ msg: z.string() }),
]);
export type KalshiErrorBodyWire = z.infer<typeof kalshiErrorBodySchema>;
