/**
 * Polymarket wire -> domain: Gamma markets/events -> `Market`, CLOB books -> `OrderBook`.
 *
 * Rules (see docs/polymarket-api.md):
 * - Token ids: `version: "v2"` markets (Protocol V2) use `positionIds`; `"v1"` or a missing
 *   `version` use `clobTokenIds`. Never fall back from one to the other (different tokens).
 *   Index 0 is the first outcome, which arb-tui calls YES; index 1 is NO.
 * - Fee, in priority order: CLOB market info `fd` (rate, exponent, taker-only) -> Gamma
 *   `feeSchedule` -> Gamma `feesEnabled: false` (source `disabled`, rate 0) -> `unknown`.
 *   A fee is never silently zero.
 * - Tick size: CLOB market info `mts` first (nested Gamma markets may lack it), then Gamma
 *   `orderPriceMinTickSize`; unknown -> no valid price (empty `priceRanges`).
 * - Books: the buy-YES ladder is the YES token's asks, the buy-NO ladder the NO token's asks,
 *   sorted here (the docs say best first, the wire sends best last).
 */
import { z } from 'zod';
import { ONE, parseDecimal, type Price, type Size } from '../../domain/money.js';
import { uniformGrid, type Market, type MarketStatus, type PriceRange } from '../../domain/market.js';
import type { FeeModel } from '../../domain/fees.js';
import { normaliseAsks, orderBook, type Level, type OrderBook } from '../../domain/order-book.js';
import { formatIssuePath } from '../../lib/issue-path.js';
import { MalformedVenueError } from '../errors.js';
import {
  clobMarketInfoSchema,
  gammaEventsPageSchema,
  gammaMarketsPageSchema,
  type ClobBook,
  type ClobMarketInfo,
  type GammaEvent,
  type GammaMarket,
} from './schemas.js';

export const POLYMARKET = 'polymarket';

/** Polymarket sizes are 0.01 shares. */
export const POLYMARKET_SIZE_INCREMENT: Size = 10_000n;

/** What the CLOB says about one market (`/clob-markets/{conditionId}`), in domain units. */
export interface ClobMarketFacts {
  readonly conditionId: string;
  /** Fee figures from `fd`; null when the CLOB gave no rate. */
  readonly fee: { readonly rate: bigint; readonly exponent: number; readonly takerOnly: boolean } | null;
  readonly tickSize: Price | null;
  readonly minOrderSize: Size | null;
  readonly acceptingOrders: boolean | null;
  /** `nr`: the market trades on the neg-risk exchange (which contract orders are signed for); null when not given. */
  readonly negRisk: boolean | null;
}

/** CLOB market facts keyed by condition id: the fee lookup the parser takes. */
export type ClobFeeLookup = ReadonlyMap<string, ClobMarketFacts>;

/** Where a parse happens, for error messages. */
export interface ParseContext {
  /** e.g. "GET /events" or "saved sample". */
  readonly endpoint: string;
  /** Path of the object being parsed inside the body, e.g. "[3].markets[0]". */
  readonly path: string;
}

export function malformed(ctx: ParseContext, field: string, message: string, cause?: unknown): MalformedVenueError {
  const full = joinPath(ctx.path, field);
  return new MalformedVenueError(`malformed ${full || '(body)'}: ${message}`, {
    venue: POLYMARKET,
    endpoint: ctx.endpoint,
    field: full,
    ...(cause === undefined ? {} : { cause }),
  });
}

function joinPath(base: string, field: string): string {
  if (base === '') return field;
  if (field === '') return base;
  return field.startsWith('[') ? `${base}${field}` : `${base}.${field}`;
}

/** Validate `body` against `schema`; a failure is a MalformedVenueError naming the field. */
export function parseWith<T>(schema: z.ZodType<T>, body: unknown, ctx: ParseContext): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? formatIssuePath(issue.path) : '';
  throw malformed(ctx, field, issue?.message ?? 'invalid');
}

function decimal(text: string, ctx: ParseContext, field: string, rounding: 'exact' | 'floor' = 'exact'): bigint {
  try {
    return parseDecimal(text, rounding);
  } catch (error) {
    throw malformed(ctx, field, (error as Error).message, error);
  }
}

/** A tick must be in (0, 1) and divide $1 exactly. */
function tickSize(text: string, ctx: ParseContext, field: string): Price {
  const tick = decimal(text, ctx, field);
  if (tick <= 0n || tick >= ONE || ONE % tick !== 0n) {
    throw malformed(ctx, field, `tick size ${text} is not a divisor of 1 in (0, 1)`);
  }
  return tick;
}

// ---------------------------------------------------------------------------
// CLOB market info -> facts

/** `/clob-markets/{conditionId}` body -> facts (validated). */
export function parseClobMarketInfo(body: unknown, ctx: ParseContext): ClobMarketFacts {
  const info = parseWith(clobMarketInfoSchema, body, ctx);
  return clobMarketFacts(info, ctx);
}

export function clobMarketFacts(info: ClobMarketInfo, ctx: ParseContext): ClobMarketFacts {
  let fee: ClobMarketFacts['fee'] = null;
  if (info.fd && info.fd.r !== undefined && info.fd.r !== null) {
    const rate = decimal(info.fd.r, ctx, 'fd.r');
    if (rate < 0n) throw malformed(ctx, 'fd.r', 'negative fee rate');
    // CCv2 computes r × (p(1−p))^e; a missing exponent there means 1 (the current formula).
    fee = { rate, exponent: info.fd.e ?? 1, takerOnly: info.fd.to ?? true };
  }
  return {
    conditionId: info.c,
    fee,
    tickSize: info.mts === undefined || info.mts === null ? null : tickSize(info.mts, ctx, 'mts'),
    minOrderSize: info.mos === undefined || info.mos === null ? null : decimal(info.mos, ctx, 'mos'),
    acceptingOrders: info.ao ?? null,
    negRisk: info.nr ?? null,
  };
}

// ---------------------------------------------------------------------------
// Fees

/** The fee model of the CLOB's fee figures (`fd`). */
function clobFeeModel(fee: NonNullable<ClobMarketFacts['fee']>): FeeModel {
  return { kind: 'polymarket', rate: fee.rate, exponent: fee.exponent, takerOnly: fee.takerOnly, source: 'clob' };
}

/** Fee model for a market: CLOB first, then Gamma feeSchedule, then feesEnabled false, else unknown. */
export function resolveFee(
  market: Pick<GammaMarket, 'feeSchedule' | 'feesEnabled'>,
  clob: ClobMarketFacts | undefined,
  ctx: ParseContext,
  noDataReason: string,
): FeeModel {
  if (clob?.fee) return clobFeeModel(clob.fee);
  if (market.feeSchedule) {
    const rate = decimal(market.feeSchedule.rate, ctx, 'feeSchedule.rate');
    if (rate < 0n) throw malformed(ctx, 'feeSchedule.rate', 'negative fee rate');
    return {
      kind: 'polymarket',
      rate,
      exponent: market.feeSchedule.exponent,
      // docs: "Makers are never charged fees" — absent takerOnly means taker-only.
      takerOnly: market.feeSchedule.takerOnly ?? true,
      source: 'gamma',
    };
  }
  if (market.feesEnabled === false) {
    return { kind: 'polymarket', rate: 0n, exponent: 1, takerOnly: true, source: 'disabled' };
  }
  if (market.feesEnabled === true) {
    return { kind: 'unknown', reason: 'fees enabled but no fee schedule from CLOB or Gamma' };
  }
  return { kind: 'unknown', reason: noDataReason };
}

// ---------------------------------------------------------------------------
// Markets

const AUXILIARY_START =
  /^(will|would|is|are|was|were|do|does|did|has|have|had|can|could|should|shall|may|might|must)\s/i;
const WH_START = /^(who|what|which|whom|whose|how|when|where|why)\b/i;

/**
 * Is `question` a yes/no question, so that its outcomes (when the venue did not send
 * them) can be taken as "Yes"/"No"? Rule, after trimming:
 * 1. it starts with an auxiliary verb ("Will …", "Is …", "Does …", "Has …", …), or
 * 2. it ends with "?", does not start with a wh-word (who/what/which/how/when/where/why)
 *    and offers no alternative (" or ", " vs. ", " vs ") before its last clause
 *    ("Como 1907 leading at halftime?", "X vs. Y: Draw at halftime?" qualify: only the
 *    part after the last ":" is checked for alternatives).
 * Anything else ("Spread: X (-1.5)", "A vs. B: O/U 2.5", "Bitcoin Up or Down - …") has
 * named outcomes we do not know.
 */
export function isYesNoQuestion(question: string): boolean {
  const q = question.trim();
  if (AUXILIARY_START.test(q)) return true;
  if (!q.endsWith('?') || WH_START.test(q)) return false;
  const lastClause = q.slice(q.lastIndexOf(':') + 1);
  return !/\s(or|vs\.?)\s/i.test(lastClause);
}

export interface MarketParseOptions {
  readonly ctx: ParseContext;
  /** The event the market is nested in (from `/events`), if any. */
  readonly event: Pick<GammaEvent, 'id' | 'title' | 'endDate'> & { readonly negRisk?: boolean | null | undefined } | null;
  readonly fees?: ClobFeeLookup | undefined;
  /** Reason recorded when neither CLOB nor Gamma says anything about fees. */
  readonly noFeeDataReason: string;
}

function statusOf(m: GammaMarket, clob: ClobMarketFacts | undefined): MarketStatus {
  if (m.closed === true || m.archived === true) return 'closed';
  if (m.active === false) return 'unopened';
  if (m.enableOrderBook === false || m.acceptingOrders === false || clob?.acceptingOrders === false) return 'paused';
  return 'open';
}

function emptyToNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}

/**
 * One Gamma market -> Market. Absent fields become null ('' for token ids: such a
 * market cannot be booked or traded); present but malformed ones throw, naming the field.
 */
export function parseGammaMarket(m: GammaMarket, options: MarketParseOptions): Market {
  const { ctx } = options;
  const version = m.version ?? 'v1'; // docs: v1 when absent (UNCERTAIN, no v2 fixture)
  const clob = options.fees?.get(m.conditionId);

  let yesLabel = '';
  let noLabel = '';
  if (m.outcomes !== undefined && m.outcomes !== null) {
    if (m.outcomes.length !== 2) throw malformed(ctx, 'outcomes', `expected 2 outcomes, got ${m.outcomes.length}`);
    yesLabel = m.outcomes[0] as string;
    noLabel = m.outcomes[1] as string;
  } else if (isYesNoQuestion(m.question)) {
    yesLabel = 'Yes';
    noLabel = 'No';
  }

  const tokenField = version === 'v2' ? 'positionIds' : 'clobTokenIds';
  const tokens = version === 'v2' ? m.positionIds : m.clobTokenIds;
  let yesTokenId = '';
  let noTokenId = '';
  if (tokens !== undefined && tokens !== null) {
    if (tokens.length !== 2) throw malformed(ctx, tokenField, `expected 2 token ids, got ${tokens.length}`);
    yesTokenId = tokens[0] as string;
    noTokenId = tokens[1] as string;
    if (yesTokenId === noTokenId) throw malformed(ctx, tokenField, 'YES and NO token ids are equal');
  }

  let tick: Price | null = clob?.tickSize ?? null;
  if (tick === null && m.orderPriceMinTickSize !== undefined && m.orderPriceMinTickSize !== null) {
    tick = tickSize(m.orderPriceMinTickSize, ctx, 'orderPriceMinTickSize');
  }
  const priceRanges: PriceRange[] = tick === null ? [] : uniformGrid(tick, ONE);

  // 0 = not given by either API: the detector refuses such a market (min-size-unknown), never sizes below a guess
  let minOrderSize: Size = clob?.minOrderSize ?? 0n;
  if (clob?.minOrderSize == null && m.orderMinSize !== undefined && m.orderMinSize !== null) {
    minOrderSize = decimal(m.orderMinSize, ctx, 'orderMinSize');
    if (minOrderSize < 0n) throw malformed(ctx, 'orderMinSize', 'negative minimum size');
  }

  const eventFromMarket = m.events?.[0];
  const eventId = options.event?.id ?? eventFromMarket?.id ?? null;
  const eventTitle = options.event?.title ?? emptyToNull(eventFromMarket?.title) ?? m.question;
  const endDate = m.endDate ?? options.event?.endDate ?? null;

  return {
    venue: 'polymarket',
    id: m.conditionId,
    ref: {
      venue: 'polymarket',
      conditionId: m.conditionId,
      gammaId: m.id ?? null,
      eventId,
      slug: emptyToNull(m.slug),
      yesTokenId,
      noTokenId,
      // which exchange contract orders are signed for: the CLOB's word, else the market's,
      // else its event's (nested markets may lack the field: found in review, a neg-risk
      // market's orders were signed for the plain exchange and refused)
      negRisk: clob?.negRisk ?? m.negRisk ?? options.event?.negRisk ?? false,
      protocolVersion: version,
    },
    // A market listed without its event stands alone: its condition id is its event id.
    eventId: eventId ?? m.conditionId,
    eventTitle,
    title: m.question,
    subtitle: emptyToNull(m.groupItemTitle),
    yesLabel,
    noLabel,
    closeTime: endDate === null ? null : Date.parse(endDate),
    rules: emptyToNull(m.description),
    status: statusOf(m, clob),
    priceRanges,
    minOrderSize,
    sizeIncrement: POLYMARKET_SIZE_INCREMENT,
    fee: resolveFee(m, clob, ctx, options.noFeeDataReason),
  };
}

/**
 * A market read from Gamma alone (`parseGammaMarket` without `fees`) with what the CLOB
 * says of it laid over: the same market `parseGammaMarket` makes with `fees` holding
 * `clob`, field by field the CLOB's word first (fee, tick, minimum size, neg-risk, a
 * market not accepting orders is paused). Listings read Gamma only; the CLOB is asked
 * per market, so only for the markets about to be evaluated (`detailMarkets`).
 */
export function withClobFacts(market: Market, clob: ClobMarketFacts | null): Market {
  if (clob === null || market.ref.venue !== 'polymarket') return market;
  const ref = market.ref;
  return {
    ...market,
    ref: clob.negRisk === null ? ref : { ...ref, negRisk: clob.negRisk },
    status: market.status === 'open' && clob.acceptingOrders === false ? 'paused' : market.status,
    priceRanges: clob.tickSize === null ? market.priceRanges : uniformGrid(clob.tickSize, ONE),
    minOrderSize: clob.minOrderSize ?? market.minOrderSize,
    fee: clob.fee ? clobFeeModel(clob.fee) : market.fee,
  };
}

/** Do two versions of a market agree on what `withClobFacts` sets (fee, tick, minimum size, neg-risk, status)? */
export function sameClobDetails(a: Market, b: Market): boolean {
  const ra = a.priceRanges;
  const rb = b.priceRanges;
  return (
    a.status === b.status &&
    a.minOrderSize === b.minOrderSize &&
    (a.ref.venue === 'polymarket' && b.ref.venue === 'polymarket' ? a.ref.negRisk === b.ref.negRisk : a.ref.venue === b.ref.venue) &&
    ra.length === rb.length &&
    ra.every((r, i) => r.start === rb[i]?.start && r.end === rb[i]?.end && r.step === rb[i]?.step) &&
    sameFee(a.fee, b.fee)
  );
}

function sameFee(a: FeeModel, b: FeeModel): boolean {
  if (a.kind === 'polymarket' && b.kind === 'polymarket') {
    return a.rate === b.rate && a.exponent === b.exponent && a.takerOnly === b.takerOnly && a.source === b.source;
  }
  if (a.kind === 'kalshi' && b.kind === 'kalshi') return a.feeType === b.feeType && a.multiplier === b.multiplier && a.source === b.source;
  if (a.kind === 'unknown' && b.kind === 'unknown') return a.reason === b.reason;
  return false;
}

/**
 * The "Other" market of an augmented neg-risk event (`negRiskOther: true`): it pays when
 * none of the listed outcomes wins, and Polymarket adds named outcomes to such events
 * over time, so what "Other" covers changes while it trades. No market on another venue
 * is the same contract: it is left out of the catalog (never matched, never traded).
 */
export function isOpenEndedOther(m: GammaMarket): boolean {
  return m.negRiskOther === true;
}

/** Markets of parsed Gamma events, in order (open-ended "Other" markets left out). */
export function marketsOfEvents(
  events: readonly GammaEvent[],
  endpoint: string,
  fees: ClobFeeLookup | undefined,
  noFeeDataReason: string,
  basePath = '',
): Market[] {
  const out: Market[] = [];
  events.forEach((event, i) => {
    (event.markets ?? []).forEach((m, j) => {
      if (isOpenEndedOther(m)) return;
      out.push(
        parseGammaMarket(m, {
          ctx: { endpoint, path: `${basePath}[${i}].markets[${j}]` },
          event,
          fees,
          noFeeDataReason,
        }),
      );
    });
  });
  return out;
}

export const NO_FEE_DATA_LIVE = 'no fee data from CLOB or Gamma';

/**
 * A raw Gamma `GET /events` page -> Markets (every nested market, whatever its status).
 * `fees` (CLOB market facts by condition id) takes priority over Gamma's own fee fields.
 */
export function parseGammaEventsPage(body: unknown, fees?: ClobFeeLookup): Market[] {
  const ctx: ParseContext = { endpoint: 'GET /events', path: '' };
  const events = parseWith(gammaEventsPageSchema, body, ctx);
  return marketsOfEvents(events, ctx.endpoint, fees, NO_FEE_DATA_LIVE);
}

/** A raw Gamma `GET /markets` page -> Markets. */
export function parseGammaMarketsPage(body: unknown, fees?: ClobFeeLookup): Market[] {
  const ctx: ParseContext = { endpoint: 'GET /markets', path: '' };
  const markets = parseWith(gammaMarketsPageSchema, body, ctx);
  const out: Market[] = [];
  markets.forEach((m, i) => {
    if (isOpenEndedOther(m)) return;
    out.push(parseGammaMarket(m, { ctx: { endpoint: ctx.endpoint, path: `[${i}]` }, event: null, fees, noFeeDataReason: NO_FEE_DATA_LIVE }));
  });
  return out;
}

/** Can the CLOB be asked for this market's books? */
export function isBookable(market: Market): boolean {
  return market.ref.venue === 'polymarket' && market.ref.yesTokenId !== '' && market.ref.noTokenId !== '';
}

// ---------------------------------------------------------------------------
// Books

function parseAsks(book: ClobBook, ctx: ParseContext): Level[] {
  const levels: Level[] = [];
  book.asks.forEach((l, i) => {
    const price = decimal(l.price, ctx, `asks[${i}].price`);
    if (price <= 0n || price >= ONE) throw malformed(ctx, `asks[${i}].price`, `price ${l.price} outside (0, 1)`);
    // more than 6 decimals of size: round the available size down (never overstate depth)
    const size = decimal(l.size, ctx, `asks[${i}].size`, 'floor');
    if (size < 0n) throw malformed(ctx, `asks[${i}].size`, `negative size ${l.size}`);
    levels.push({ price, size });
  });
  return normaliseAsks(levels);
}

function bookTime(book: ClobBook): number | null {
  const t = book.timestamp;
  if (t === undefined || t === null) return null;
  const n = typeof t === 'number' ? t : Number(t); // epoch ms, not money
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * CLOB books (one per token, any order) -> OrderBook per market (keyed by market id).
 * A market is present only when both its tokens' books are. `venueTime` is the older
 * of the two books' timestamps.
 */
export function booksForMarkets(
  books: readonly ClobBook[],
  markets: readonly Market[],
  receivedAt: number,
  endpoint = 'POST /books',
): Map<string, OrderBook> {
  const byToken = new Map<string, { book: ClobBook; index: number }>();
  books.forEach((book, index) => byToken.set(book.asset_id, { book, index }));
  const out = new Map<string, OrderBook>();
  for (const market of markets) {
    if (market.ref.venue !== 'polymarket' || !isBookable(market)) continue;
    const yes = byToken.get(market.ref.yesTokenId);
    const no = byToken.get(market.ref.noTokenId);
    if (!yes || !no) continue;
    const yesAsks = parseAsks(yes.book, { endpoint, path: `[${yes.index}]` });
    const noAsks = parseAsks(no.book, { endpoint, path: `[${no.index}]` });
    const times = [bookTime(yes.book), bookTime(no.book)].filter((t): t is number => t !== null);
    out.set(market.id, orderBook('polymarket', market.id, yesAsks, noAsks, times.length === 0 ? null : Math.min(...times), receivedAt));
  }
  return out;
}
