/**
 * Kalshi wire -> domain. Pure functions: no I/O, no clock (receive times are passed in).
 *
 * - Market status: Kalshi lifecycle words -> domain (`initialized`->unopened,
 *   `active`->open, `inactive`->paused, `closed|determined|disputed|amended`->closed,
 *   `finalized`->settled).
 * - Price grid: `price_ranges` is the source of truth; the bounds 0 and 1 that Kalshi
 *   includes (e.g. `{start:"0.0000",end:"1.0000",step:"0.0100"}`) are not tradeable limit
 *   prices, so ranges are clamped to the open interval (0, 1): 0.01…0.99 in that example.
 * - Sizes: Kalshi sends no per-market size fields; since 2026-04-17 every market trades in
 *   0.01-contract steps (docs: fixed-point migration). Only an explicit
 *   `fractional_trading_enabled: false` (older captures) means whole contracts.
 * - Fees: markets carry none; market -> event (`fee_type_override`,
 *   `fee_multiplier_override`) -> series (`fee_type`, `fee_multiplier`). Anything
 *   missing or unrecognised is an *unknown* fee, never zero.
 * - Books: bids only, both ladders in their own leg's price. A NO bid at q is a YES ask
 *   at 1 - q and vice versa (`asksFromOppositeBids`).
 * - Combos (multivariate, `KXMVE…` tickers / `mve_collection_ticker`) are excluded.
 */
import type { z } from 'zod';
import type { FeeModel, KalshiFeeType } from '../../domain/fees.js';
import type { Market, MarketStatus, PriceRange } from '../../domain/market.js';
import { DecimalError, ONE, parseDecimal, type Price, type Size } from '../../domain/money.js';
import { asksFromOppositeBids, orderBook, type Level, type OrderBook } from '../../domain/order-book.js';
import { formatIssuePath } from '../../lib/issue-path.js';
import { MalformedVenueError } from '../errors.js';
import type { VenueHealth } from '../venue.js';
import {
  kalshiEventsPageSchema,
  kalshiExchangeStatusSchema,
  kalshiOrderbooksResponseSchema,
  kalshiSeriesListSchema,
  type KalshiEventWire,
  type KalshiEventsPageWire,
  type KalshiExchangeStatusWire,
  type KalshiMarketStatusWire,
  type KalshiMarketWire,
  type KalshiOrderbooksWire,
  type KalshiPriceRangeWire,
  type KalshiSeriesWire,
} from './schemas.js';

export const KALSHI_VENUE = 'kalshi';

/** 0.01 contract at scale 10^6. */
export const KALSHI_FRACTIONAL_STEP: Size = 10_000n;
/** 1 contract at scale 10^6. */
export const KALSHI_WHOLE_STEP: Size = 1_000_000n;

const FEE_TYPES: readonly KalshiFeeType[] = [
  'quadratic',
  'quadratic_with_maker_fees',
  'quadratic_with_combo_maker_fees',
  'flat',
];

/** A series' fee parameters, as `GET /series` states them. */
export interface KalshiSeriesFee {
  /** Kept as sent: a type arb-tui does not know yields an unknown fee. */
  readonly feeType: string;
  /** M at scale 10^6. */
  readonly multiplier: bigint;
}

/**
 * Fee data by series ticker. `undefined` = not known (the market's fee becomes unknown).
 * A `ReadonlyMap<string, KalshiSeriesFee>` satisfies it; see `feeLookupFromSeries`.
 */
export interface KalshiFeeLookup {
  get(seriesTicker: string): KalshiSeriesFee | undefined;
}

// ---------------------------------------------------------------- helpers

export function malformed(endpoint: string, field: string, message: string, cause?: unknown): MalformedVenueError {
  return new MalformedVenueError(`malformed response: ${field || '(body)'}: ${message}`, {
    venue: KALSHI_VENUE,
    endpoint,
    field,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Schema-check `body`, or throw a MalformedVenueError naming the first bad field. */
export function parseWire<T>(schema: z.ZodType<T>, body: unknown, endpoint: string, prefix = ''): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? formatIssuePath(issue.path) : '';
  const field = prefix && path ? (path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`) : prefix || path;
  throw malformed(endpoint, field, issue?.message ?? 'invalid');
}

function decimalAt(text: string, endpoint: string, field: string, rounding: 'exact' | 'ceil' = 'exact'): bigint {
  try {
    return parseDecimal(text, rounding);
  } catch (error) {
    if (error instanceof DecimalError) throw malformed(endpoint, field, error.message, error);
    throw error;
  }
}

function nonEmpty(s: string | null | undefined): string | null {
  return s === undefined || s === null || s.trim() === '' ? null : s;
}

// ---------------------------------------------------------------- markets

export function mapKalshiStatus(status: KalshiMarketStatusWire): MarketStatus {
  switch (status) {
    case 'initialized':
      return 'unopened';
    case 'active':
      return 'open';
    case 'inactive':
      return 'paused';
    case 'closed':
    case 'determined':
    case 'disputed':
    case 'amended':
      return 'closed';
    case 'finalized':
      return 'settled';
  }
}

/** Multivariate ("combo") markets: RFQ-driven, not what the scanner compares. */
export function isKalshiCombo(market: {
  readonly ticker: string;
  readonly event_ticker?: string | null | undefined;
  readonly mve_collection_ticker?: string | null | undefined;
  readonly mve_selected_legs?: readonly unknown[] | null | undefined;
}): boolean {
  return (
    market.ticker.startsWith('KXMVE') ||
    (market.event_ticker ?? '').startsWith('KXMVE') ||
    nonEmpty(market.mve_collection_ticker) !== null ||
    (market.mve_selected_legs !== undefined && market.mve_selected_legs !== null && market.mve_selected_legs.length > 0)
  );
}

/** `price_ranges` -> domain grid, clamped to (0, 1); a bad range is an error naming it. */
export function toPriceRanges(ranges: readonly KalshiPriceRangeWire[], endpoint: string, field: string): PriceRange[] {
  const out: PriceRange[] = [];
  ranges.forEach((r, i) => {
    const at = `${field}[${i}]`;
    let start = decimalAt(r.start, endpoint, `${at}.start`);
    let end = decimalAt(r.end, endpoint, `${at}.end`);
    const step = decimalAt(r.step, endpoint, `${at}.step`);
    if (step <= 0n) throw malformed(endpoint, `${at}.step`, `step ${r.step} is not positive`);
    if (start < 0n || end > ONE || start > end) {
      throw malformed(endpoint, at, `range ${r.start}..${r.end} is not within 0..1`);
    }
    if (start === 0n) start = step;
    if (end === ONE) end = ONE - step;
    // keep end on the range's own grid
    end = start + ((end - start) / step) * step;
    if (start <= end && start > 0n && end < ONE) out.push({ start, end, step });
  });
  return out;
}

export interface KalshiMarketContext {
  readonly eventTitle: string;
  readonly seriesTicker: string | null;
  readonly eventExchangeIndex: number | null;
  readonly fee: FeeModel;
}

function marketTitle(title: string | null, yesSubTitle: string | null, eventTitle: string): string {
  if (title !== null) return title;
  if (yesSubTitle !== null) return eventTitle ? `${eventTitle}: ${yesSubTitle}` : yesSubTitle;
  return eventTitle;
}

function joinRules(primary: string | null, secondary: string | null): string | null {
  if (primary === null) return secondary;
  return secondary === null ? primary : `${primary}\n\n${secondary}`;
}

function sizeStep(fractional: boolean | null | undefined): Size {
  return fractional === false ? KALSHI_WHOLE_STEP : KALSHI_FRACTIONAL_STEP;
}

/** One live wire market -> domain Market. */
export function toKalshiMarket(m: KalshiMarketWire, ctx: KalshiMarketContext, endpoint: string, field: string): Market {
  const subtitle = nonEmpty(m.yes_sub_title);
  const step = sizeStep(m.fractional_trading_enabled);
  return {
    venue: 'kalshi',
    id: m.ticker,
    ref: {
      venue: 'kalshi',
      ticker: m.ticker,
      eventTicker: m.event_ticker,
      seriesTicker: ctx.seriesTicker,
      exchangeIndex: m.exchange_index ?? ctx.eventExchangeIndex,
    },
    eventId: m.event_ticker,
    eventTitle: ctx.eventTitle,
    title: marketTitle(nonEmpty(m.title), subtitle, ctx.eventTitle),
    subtitle,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: Date.parse(m.close_time),
    rules: joinRules(nonEmpty(m.rules_primary), nonEmpty(m.rules_secondary)),
    status: mapKalshiStatus(m.status),
    priceRanges: toPriceRanges(m.price_ranges, endpoint, `${field}.price_ranges`),
    minOrderSize: step,
    sizeIncrement: step,
    fee: ctx.fee,
  };
}

// ---------------------------------------------------------------- fees

function isFeeType(s: string): s is KalshiFeeType {
  return (FEE_TYPES as readonly string[]).includes(s);
}

/** `GET /series` body (or any `{series:[…]}`) -> fee lookup. */
export function feeLookupFromSeries(body: unknown, endpoint = 'GET /series'): Map<string, KalshiSeriesFee> {
  const wire = parseWire(kalshiSeriesListSchema, body, endpoint);
  const out = new Map<string, KalshiSeriesFee>();
  (wire.series ?? []).forEach((s, i) => out.set(s.ticker, seriesFee(s, endpoint, `series[${i}]`)));
  return out;
}

export function seriesFee(s: KalshiSeriesWire, endpoint: string, field: string): KalshiSeriesFee {
  // rounding up: more than 6 decimals of M can only make the fee larger
  return { feeType: s.fee_type, multiplier: decimalAt(s.fee_multiplier, endpoint, `${field}.fee_multiplier`, 'ceil') };
}

/**
 * Resolve the fee of an event's markets: the event's overrides take precedence over
 * the series; each half (type, multiplier) falls back to the series on its own.
 */
export function resolveKalshiFee(
  event: Pick<KalshiEventWire, 'series_ticker' | 'fee_type_override' | 'fee_multiplier_override'>,
  fees: KalshiFeeLookup,
  endpoint: string,
  field: string,
): FeeModel {
  const series = fees.get(event.series_ticker);
  const typeOverride = nonEmpty(event.fee_type_override);
  const multOverride =
    event.fee_multiplier_override === undefined || event.fee_multiplier_override === null
      ? null
      : decimalAt(event.fee_multiplier_override, endpoint, `${field}.fee_multiplier_override`, 'ceil');
  const feeType = typeOverride ?? series?.feeType;
  const multiplier = multOverride ?? series?.multiplier;
  if (feeType === undefined || multiplier === undefined) {
    return { kind: 'unknown', reason: `no fee data for series ${event.series_ticker}` };
  }
  if (!isFeeType(feeType)) return { kind: 'unknown', reason: `unrecognised Kalshi fee_type "${feeType}"` };
  if (multiplier < 0n) return { kind: 'unknown', reason: 'negative Kalshi fee multiplier' };
  return {
    kind: 'kalshi',
    feeType,
    multiplier,
    source: typeOverride !== null || multOverride !== null ? 'event-override' : 'series',
  };
}

// ---------------------------------------------------------------- events

/** Markets of one validated event (combos dropped). */
export function marketsOfEvent(event: KalshiEventWire, fees: KalshiFeeLookup, endpoint: string, field: string): Market[] {
  const out: Market[] = [];
  if (isKalshiCombo({ ticker: event.event_ticker, event_ticker: event.event_ticker })) return out;
  const fee = resolveKalshiFee(event, fees, endpoint, field);
  const ctx: KalshiMarketContext = {
    eventTitle: event.title,
    seriesTicker: event.series_ticker,
    eventExchangeIndex: event.exchange_index ?? null,
    fee,
  };
  (event.markets ?? []).forEach((m, j) => {
    if (isKalshiCombo(m)) return;
    out.push(toKalshiMarket(m, ctx, endpoint, `${field}.markets[${j}]`));
  });
  return out;
}

/**
 * A raw `GET /events?with_nested_markets=true` page -> domain markets (combos excluded,
 * every status kept) and the next cursor (`null` on the last page).
 * Throws MalformedVenueError naming the first bad field.
 */
export function parseKalshiEventsPage(
  body: unknown,
  fees: KalshiFeeLookup,
  endpoint = 'GET /events',
): { markets: Market[]; cursor: string | null } {
  return eventsPageFromWire(parseWire(kalshiEventsPageSchema, body, endpoint), fees, endpoint);
}

/** Same as `parseKalshiEventsPage` for a page the HTTP client already schema-checked. */
export function eventsPageFromWire(
  page: KalshiEventsPageWire,
  fees: KalshiFeeLookup,
  endpoint = 'GET /events',
): { markets: Market[]; cursor: string | null } {
  const markets: Market[] = [];
  page.events.forEach((e, i) => markets.push(...marketsOfEvent(e, fees, endpoint, `events[${i}]`)));
  return { markets, cursor: nonEmpty(page.cursor) };
}

// ---------------------------------------------------------------- books

function levelsAt(
  side: readonly (readonly [string, string])[],
  endpoint: string,
  field: string,
): Level[] {
  return side.map(([priceText, sizeText], k) => {
    const price: Price = decimalAt(priceText, endpoint, `${field}[${k}][0]`);
    const size: Size = decimalAt(sizeText, endpoint, `${field}[${k}][1]`);
    if (price <= 0n || price >= ONE) throw malformed(endpoint, `${field}[${k}][0]`, `bid price ${priceText} outside (0, 1)`);
    if (size < 0n) throw malformed(endpoint, `${field}[${k}][1]`, `negative size ${sizeText}`);
    return { price, size };
  });
}

/** One `orderbook_fp` (bids) -> buy-YES / buy-NO ask ladders. */
export function toKalshiBook(
  ticker: string,
  book: { readonly yes_dollars: readonly (readonly [string, string])[]; readonly no_dollars: readonly (readonly [string, string])[] },
  receivedAt: number,
  endpoint: string,
  field: string,
): OrderBook {
  const yesBids = levelsAt(book.yes_dollars, endpoint, `${field}.yes_dollars`);
  const noBids = levelsAt(book.no_dollars, endpoint, `${field}.no_dollars`);
  return orderBook('kalshi', ticker, asksFromOppositeBids(noBids), asksFromOppositeBids(yesBids), null, receivedAt);
}

/** Validated `GET /markets/orderbooks` body -> books by ticker. */
export function booksFromWire(wire: KalshiOrderbooksWire, receivedAt: number, endpoint: string): Map<string, OrderBook> {
  const out = new Map<string, OrderBook>();
  wire.orderbooks.forEach((b, i) => {
    out.set(b.ticker, toKalshiBook(b.ticker, b.orderbook_fp, receivedAt, endpoint, `orderbooks[${i}].orderbook_fp`));
  });
  return out;
}

/** A raw `GET /markets/orderbooks` body -> books by ticker. */
export function parseKalshiOrderbooks(
  body: unknown,
  receivedAt: number,
  endpoint = 'GET /markets/orderbooks',
): Map<string, OrderBook> {
  return booksFromWire(parseWire(kalshiOrderbooksResponseSchema, body, endpoint), receivedAt, endpoint);
}

// ---------------------------------------------------------------- exchange status

/** `GET /exchange/status` -> venue health; the detail names paused shards. */
export function healthFromStatus(s: KalshiExchangeStatusWire, checkedAt: number): VenueHealth {
  const notes: string[] = [];
  if (!s.exchange_active) notes.push('exchange inactive (maintenance)');
  else if (!s.trading_active) notes.push('trading paused');
  if (s.exchange_estimated_resume_time) notes.push(`estimated resume ${s.exchange_estimated_resume_time}`);
  for (const shard of s.exchange_index_statuses ?? []) {
    if (shard.exchange_index === 0) continue; // top-level fields are shard 0
    if (!shard.exchange_active) notes.push(`shard ${shard.exchange_index} (${shard.description}) inactive`);
    else if (!shard.trading_active) notes.push(`shard ${shard.exchange_index} (${shard.description}) trading paused`);
  }
  return {
    venue: 'kalshi',
    exchangeActive: s.exchange_active,
    tradingActive: s.exchange_active && s.trading_active,
    detail: notes.length > 0 ? notes.join('; ') : null,
    checkedAt,
  };
}

export function parseKalshiExchangeStatus(body: unknown, checkedAt: number, endpoint = 'GET /exchange/status'): VenueHealth {
  return healthFromStatus(parseWire(kalshiExchangeStatusSchema, body, endpoint), checkedAt);
}
