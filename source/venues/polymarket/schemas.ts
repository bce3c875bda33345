/**
 * zod schemas for the Polymarket wire formats arb-tui reads: Gamma events and
 * markets, CLOB order books, CLOB market info (`/clob-markets/{conditionId}`),
 * tick size and error bodies. Decimals stay text here (checked to be decimals);
 * the parser turns them into bigints. Unknown keys are ignored (Gamma adds keys
 * often); a known key with the wrong type is an error naming it.
 *
 * Gamma fields are optional and nullable on purpose: nested markets inside
 * `/events` may lack fields a top-level `/markets` answer has (pmxt #800), and
 * saved samples keep only a few. The parser decides what an absent field means.
 */
import { z } from 'zod';
import { decimalLike, decimalString, isoTime, jsonStringArray } from '../wire-schemas.js';

/** A Polymarket condition id: 0x + hex (64 digits on every market seen). */
export const conditionIdSchema = z.string().regex(/^0x[0-9a-fA-F]{1,64}$/, 'expected a 0x-prefixed hex condition id');

/** A CLOB token id: a decimal integer written as a string (uint256). */
export const tokenIdSchema = z.string().regex(/^\d{1,80}$/, 'expected a decimal token id');

const tokenIdList = z.array(tokenIdSchema);

/** `clobTokenIds`: a JSON-encoded string array (v1). A real array is accepted too. */
const clobTokenIdsSchema = z.union([tokenIdList, jsonStringArray.pipe(tokenIdList)]);

/** `positionIds`: Protocol-V2 markets; docs show a real array, the brief a JSON-encoded string. Accept both. */
const positionIdsSchema = clobTokenIdsSchema;

/** `outcomes`: JSON-encoded string array, e.g. "[\"Yes\", \"No\"]". */
const outcomesSchema = z.union([z.array(z.string()), jsonStringArray]);

const nonNegativeInt = z.number().int().nonnegative();

export const gammaFeeScheduleSchema = z.object({
  rate: decimalLike,
  exponent: nonNegativeInt,
  rebateRate: decimalLike.nullish(),
  takerOnly: z.boolean().nullish(),
});
export type GammaFeeSchedule = z.infer<typeof gammaFeeScheduleSchema>;

/** Gamma id: a string on every answer seen; accept a number (kept as its text). */
const gammaIdSchema = z.union([z.string().min(1), z.number().int().nonnegative().transform((n) => String(n))]);

const gammaEventRefSchema = z.object({
  id: gammaIdSchema,
  title: z.string().nullish(),
});

export const gammaMarketSchema = z.object({
  id: gammaIdSchema.nullish(),
  conditionId: conditionIdSchema,
  question: z.string(),
  slug: z.string().nullish(),
  description: z.string().nullish(),
  endDate: isoTime.nullish(),
  outcomes: outcomesSchema.nullish(),
  clobTokenIds: clobTokenIdsSchema.nullish(),
  positionIds: positionIdsSchema.nullish(),
  version: z.enum(['v1', 'v2']).nullish(),
  active: z.boolean().nullish(),
  closed: z.boolean().nullish(),
  archived: z.boolean().nullish(),
  acceptingOrders: z.boolean().nullish(),
  enableOrderBook: z.boolean().nullish(),
  orderPriceMinTickSize: decimalLike.nullish(),
  orderMinSize: decimalLike.nullish(),
  feeSchedule: gammaFeeScheduleSchema.nullish(),
  feesEnabled: z.boolean().nullish(),
  negRisk: z.boolean().nullish(),
  /** The "Other" outcome of an augmented neg-risk event (see isOpenEndedOther). */
  negRiskOther: z.boolean().nullish(),
  groupItemTitle: z.string().nullish(),
  /** `/markets` answers nest the market's events. */
  events: z.array(gammaEventRefSchema).nullish(),
});
export type GammaMarket = z.infer<typeof gammaMarketSchema>;

export const gammaEventSchema = z.object({
  id: gammaIdSchema,
  title: z.string(),
  slug: z.string().nullish(),
  description: z.string().nullish(),
  endDate: isoTime.nullish(),
  active: z.boolean().nullish(),
  closed: z.boolean().nullish(),
  negRisk: z.boolean().nullish(),
  markets: z.array(gammaMarketSchema).nullish(),
});
export type GammaEvent = z.infer<typeof gammaEventSchema>;

/** `GET /events` page: an array of events. */
export const gammaEventsPageSchema = z.array(gammaEventSchema);
/** `GET /markets` page: an array of markets. */
export const gammaMarketsPageSchema = z.array(gammaMarketSchema);

/** One price level: price and size as decimal strings (".48" allowed). */
export const clobLevelSchema = z.object({
  price: decimalLike,
  size: decimalLike,
});

/** `GET /book` and each element of `POST /books`. */
export const clobBookSchema = z.object({
  market: z.string(),
  asset_id: tokenIdSchema,
  timestamp: z.union([z.string().regex(/^\d+$/, 'expected epoch milliseconds'), nonNegativeInt]).nullish(),
  bids: z.array(clobLevelSchema),
  asks: z.array(clobLevelSchema),
  min_order_size: decimalLike.nullish(),
  tick_size: decimalLike.nullish(),
  neg_risk: z.boolean().nullish(),
  hash: z.string().nullish(),
  last_trade_price: z.union([decimalString, z.literal(''), z.number()]).nullish(),
});
export type ClobBook = z.infer<typeof clobBookSchema>;

export const clobBooksSchema = z.array(clobBookSchema);

/** `fd` of `/clob-markets/{conditionId}` (CCv2 FeeDetails: r?, e?, to). */
export const clobFeeDetailsSchema = z.object({
  r: decimalLike.nullish(),
  e: nonNegativeInt.nullish(),
  to: z.boolean().nullish(),
});

const clobTokenSchema = z.object({ t: tokenIdSchema, o: z.string() });

/** `GET /clob-markets/{conditionId}` (CCv2 MarketDetails, compact keys). */
export const clobMarketInfoSchema = z.object({
  c: conditionIdSchema,
  t: z.array(clobTokenSchema.nullable()).nullish(),
  mts: decimalLike.nullish(),
  nr: z.boolean().nullish(),
  fd: clobFeeDetailsSchema.nullish(),
  mbf: decimalLike.nullish(),
  tbf: decimalLike.nullish(),
  ao: z.boolean().nullish(),
  mos: decimalLike.nullish(),
});
export type ClobMarketInfo = z.infer<typeof clobMarketInfoSchema>;

/** `GET /tick-size?token_id=`: `{"minimum_tick_size": 0.01}` (a JSON number per docs). */
export const clobTickSizeSchema = z.object({ minimum_tick_size: decimalLike });

/**
 * `GET /fee-rate?token_id=`: `{"base_fee": 30}` (docs; NT fixtures send a string). A V1
 * artefact: never used as the charged rate (see parser `resolveFee`).
 */
export const clobFeeRateSchema = z.object({ base_fee: decimalLike });

/** Every CLOB/Gamma error body: `{"error": "<message>"}`. */
export const errorBodySchema = z.object({ error: z.string() });

/** `GET /ok`: the docs call it a health check; the body is not specified (text "OK" seen). */
export const okBodySchema = z.unknown();
