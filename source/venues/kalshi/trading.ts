/**
 * Kalshi trading client (V2 order endpoints, portfolio reads), implementing the
 * TradingVenue port in domain units.
 *
 * - Every request is signed right before it is handed to the HTTP client (auth.ts).
 *   Reads are retried here (not by HttpClient) so each attempt carries a fresh
 *   timestamp; writes are never retried.
 * - Single YES book: buying NO at q is an `ask` at 1 − q; selling YES at p an `ask` at p.
 *   Orders and fills read back in *exposure* terms: the outcome whose exposure the
 *   order adds (`outcome_side`), as a buy, priced in that outcome. For buys (what the
 *   arbitrage sends) this is exactly the intent.
 * - Order POST: 409 `order_already_exists` → DuplicateOrderError; timeout / 5xx /
 *   dropped connection → UnknownOutcomeError (find it with `findOrder`); 429 stays a
 *   RetryableVenueError (nothing was accepted; resending the same client id is safe).
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { KalshiCredentials } from '../../credentials/store.js';
import { isOnPriceGrid, type Market } from '../../domain/market.js';
import { divRound, formatDecimal, mul, ONE, parseDecimal, SCALE, type Money, type Price, type Size } from '../../domain/money.js';
import { buildUrl, HttpClient, type QueryValue, type RateLimitOptions, type RetryOptions } from '../../lib/http-client.js';
import { MalformedVenueError, RejectedVenueError, RetryableVenueError } from '../errors.js';
import {
  classifyWriteError,
  DuplicateOrderError,
  OrderInputError,
  type CancelResult,
  type Fill,
  type FillsQuery,
  type OrderIntent,
  type OrderRef,
  type OrderState,
  type OrderStatus,
  type Position,
  type StagedOrder,
  type TradingClientDeps,
  type TradingVenue,
  type VenueBalance,
} from '../trading.js';
import type { VenueTraffic } from '../venue.js';
import { KalshiAuth } from './auth.js';
import { classifyKalshiError } from './errors.js';
import {
  kalshiBalanceSchema,
  kalshiCancelResponseSchema,
  kalshiCreateOrderResponseSchema,
  kalshiFillsPageSchema,
  kalshiOrderResponseSchema,
  kalshiOrdersPageSchema,
  kalshiPositionsPageSchema,
  type KalshiCreateOrderResponse,
  type KalshiFillWire,
  type KalshiOrderWire,
} from './trading-schemas.js';

const VENUE = 'kalshi';
const ORDER_PATH = '/portfolio/events/orders';

export interface KalshiTradingSettings {
  /** REST root including /trade-api/v2. */
  readonly restUrl: string;
  readonly timeoutMs: number;
  /** Basic tier: 10 writes/s, 20 reads/s at the default cost of 10 tokens. */
  readonly rateLimit: RateLimitOptions;
  /** For reads (and cancels) only. */
  readonly retry: RetryOptions;
  /** Subaccount number (0 = primary). */
  readonly subaccount?: number;
  /** Safety stop for cursor pagination. */
  readonly maxPages?: number;
  /**
   * A staged order's request signature made ahead of sending (while the intent is
   * flushed) is used only if it is at most this old when the order is sent; otherwise
   * the request is signed again at send time. Default 500 ms (Kalshi rejects timestamps
   * a few seconds old).
   */
  readonly presignMaxAgeMs?: number;
}

export const DEFAULT_KALSHI_TRADING_SETTINGS: Omit<KalshiTradingSettings, 'restUrl'> = {
  timeoutMs: 5_000,
  rateLimit: { requests: 10, intervalMs: 1_000, concurrency: 4 },
  retry: { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 2_000 },
};

/** Kalshi accepts counts in 0.01 contracts and request prices with up to 4 decimals. */
export const KALSHI_COUNT_STEP: Size = 10_000n;
export const KALSHI_PRICE_STEP: Price = 100n;

export interface KalshiOrderBody {
  readonly ticker: string;
  readonly client_order_id: string;
  readonly side: 'bid' | 'ask';
  readonly count: string;
  readonly price: string;
  readonly time_in_force: 'immediate_or_cancel' | 'fill_or_kill' | 'good_till_canceled';
  readonly self_trade_prevention_type: 'taker_at_cross';
  readonly subaccount?: number;
  readonly exchange_index?: number;
}

function kalshiTicker(market: Market): string {
  if (market.ref.venue !== 'kalshi') throw new OrderInputError(`market ${market.id} is not a Kalshi market`);
  return market.ref.ticker;
}

/**
 * The V2 request body for an intent (pure; exported for tests and the benchmark).
 * bid = buy YES / sell NO; ask = sell YES / buy NO; the price is always the YES price.
 */
export function kalshiOrderBody(intent: OrderIntent, subaccount?: number): KalshiOrderBody {
  const ticker = kalshiTicker(intent.market);
  if (intent.size <= 0n || intent.size % KALSHI_COUNT_STEP !== 0n) {
    throw new OrderInputError(`size ${formatDecimal(intent.size)} is not a positive multiple of 0.01 contracts`);
  }
  if (intent.limitPrice <= 0n || intent.limitPrice >= ONE) {
    throw new OrderInputError(`price ${formatDecimal(intent.limitPrice)} is outside (0, 1)`);
  }
  const side: 'bid' | 'ask' = (intent.outcome === 'yes') === (intent.action === 'buy') ? 'bid' : 'ask';
  const yesPrice = intent.outcome === 'yes' ? intent.limitPrice : ONE - intent.limitPrice;
  if (yesPrice % KALSHI_PRICE_STEP !== 0n) {
    throw new OrderInputError(`YES price ${formatDecimal(yesPrice)} has more than 4 decimals`);
  }
  if (intent.market.priceRanges.length === 0 || !isOnPriceGrid(yesPrice, intent.market.priceRanges)) {
    throw new OrderInputError(`YES price ${formatDecimal(yesPrice)} is not on the market's price grid`);
  }
  const tif =
    intent.timeInForce === 'ioc' ? 'immediate_or_cancel' : intent.timeInForce === 'fok' ? 'fill_or_kill' : 'good_till_canceled';
  const exchangeIndex = intent.market.ref.venue === 'kalshi' ? intent.market.ref.exchangeIndex : null;
  return {
    ticker,
    client_order_id: intent.clientOrderId,
    side,
    count: formatDecimal(intent.size, { dp: 2 }),
    price: formatDecimal(yesPrice, { dp: 4 }),
    time_in_force: tif,
    self_trade_prevention_type: 'taker_at_cross',
    ...(subaccount !== undefined ? { subaccount } : {}),
    ...(exchangeIndex !== null && exchangeIndex >= 0 ? { exchange_index: exchangeIndex } : {}),
  };
}

function dec(text: string, endpoint: string, field: string): bigint {
  try {
    return parseDecimal(text, 'exact');
  } catch (error) {
    throw new MalformedVenueError(`malformed response: ${field}: ${(error as Error).message}`, { venue: VENUE, endpoint, field });
  }
}

function timeOf(iso: string | null | undefined): number | null {
  if (iso === undefined || iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Order as answered by the create call, in exposure terms. */
export function orderFromCreate(body: KalshiOrderBody, r: KalshiCreateOrderResponse, endpoint: string): OrderState {
  const outcome = body.side === 'bid' ? 'yes' : 'no';
  const requested = parseDecimal(body.count);
  const filled = dec(r.fill_count, endpoint, 'fill_count');
  const remaining = dec(r.remaining_count, endpoint, 'remaining_count');
  const yesLimit = parseDecimal(body.price);
  let status: OrderStatus;
  if (filled >= requested) status = 'filled';
  else if (remaining > 0n) status = 'open';
  else status = 'canceled';
  let averagePrice: Price | null = null;
  if (filled > 0n && r.average_fill_price != null) {
    // Assumed to be the YES-book price like every other V2 price (not documented).
    const yes = dec(r.average_fill_price, endpoint, 'average_fill_price');
    averagePrice = outcome === 'yes' ? yes : ONE - yes;
  }
  const fees: Money | null =
    filled > 0n && r.average_fee_paid != null ? mul(dec(r.average_fee_paid, endpoint, 'average_fee_paid'), filled, 'ceil') : filled === 0n ? 0n : null;
  return {
    venue: VENUE,
    venueOrderId: r.order_id,
    clientOrderId: r.client_order_id ?? body.client_order_id,
    marketId: body.ticker,
    outcome,
    action: 'buy',
    status,
    venueStatus: status === 'open' ? 'resting' : status === 'filled' ? 'executed' : 'canceled',
    limitPrice: outcome === 'yes' ? yesLimit : ONE - yesLimit,
    requestedSize: requested,
    filledSize: filled,
    remainingSize: remaining,
    averagePrice,
    fees,
    updatedAt: r.ts_ms ?? null,
  };
}

/**
 * A list read page by page whose cursor has not ended after `max` pages: an error, not the
 * pages read so far (a partial list of orders, fills or positions would reconcile wrong:
 * found in review).
 */
function tooManyPages(label: string, page: number, max: number): void {
  if (page + 1 >= max) {
    throw new MalformedVenueError(`malformed response: cursor: more than ${max} pages (the list never ended): not read as complete`, { venue: VENUE, endpoint: label, field: 'cursor' });
  }
}

function outcomeOf(w: { outcome_side?: 'yes' | 'no' | undefined; book_side?: 'bid' | 'ask' | undefined }, endpoint: string, field: string): 'yes' | 'no' {
  if (w.outcome_side) return w.outcome_side;
  if (w.book_side) return w.book_side === 'bid' ? 'yes' : 'no';
  throw new MalformedVenueError(`malformed response: ${field}: neither outcome_side nor book_side`, { venue: VENUE, endpoint, field });
}

/** `Order` wire object → OrderState (exposure terms). */
export function orderFromWire(o: KalshiOrderWire, endpoint: string, field = 'order'): OrderState {
  const outcome = outcomeOf(o, endpoint, field);
  const filled = dec(o.fill_count_fp, endpoint, `${field}.fill_count_fp`);
  const remaining = dec(o.remaining_count_fp, endpoint, `${field}.remaining_count_fp`);
  const initial = o.initial_count_fp !== undefined ? dec(o.initial_count_fp, endpoint, `${field}.initial_count_fp`) : null;
  const cost =
    (o.taker_fill_cost_dollars !== undefined ? dec(o.taker_fill_cost_dollars, endpoint, `${field}.taker_fill_cost_dollars`) : 0n) +
    (o.maker_fill_cost_dollars !== undefined ? dec(o.maker_fill_cost_dollars, endpoint, `${field}.maker_fill_cost_dollars`) : 0n);
  const haveFees = o.taker_fees_dollars !== undefined || o.maker_fees_dollars !== undefined;
  const fees =
    (o.taker_fees_dollars !== undefined ? dec(o.taker_fees_dollars, endpoint, `${field}.taker_fees_dollars`) : 0n) +
    (o.maker_fees_dollars !== undefined ? dec(o.maker_fees_dollars, endpoint, `${field}.maker_fees_dollars`) : 0n);
  const status: OrderStatus =
    o.status === 'resting' ? 'open' : o.status === 'executed' ? 'filled' : o.status === 'canceled' ? 'canceled' : 'unknown';
  const limitText = outcome === 'yes' ? o.yes_price_dollars : o.no_price_dollars;
  return {
    venue: VENUE,
    venueOrderId: o.order_id,
    clientOrderId: o.client_order_id ?? null,
    marketId: o.ticker,
    outcome,
    action: 'buy',
    status,
    venueStatus: o.status,
    limitPrice: dec(limitText, endpoint, `${field}.${outcome}_price_dollars`),
    requestedSize: initial,
    filledSize: filled,
    remainingSize: remaining,
    averagePrice: filled > 0n && cost > 0n ? divRound(cost * SCALE, filled, 'half-even') : null,
    fees: haveFees ? fees : null,
    updatedAt: timeOf(o.last_update_time) ?? timeOf(o.created_time),
  };
}

export function fillFromWire(f: KalshiFillWire, endpoint: string, field: string): Fill {
  const outcome = outcomeOf(f, endpoint, field);
  const tradeId = f.fill_id ?? f.trade_id;
  const marketId = f.ticker ?? f.market_ticker;
  if (tradeId === undefined) throw new MalformedVenueError(`malformed response: ${field}.fill_id: missing`, { venue: VENUE, endpoint, field: `${field}.fill_id` });
  if (marketId === undefined) throw new MalformedVenueError(`malformed response: ${field}.ticker: missing`, { venue: VENUE, endpoint, field: `${field}.ticker` });
  const time = timeOf(f.created_time) ?? (f.ts !== undefined ? f.ts * 1000 : null);
  if (time === null) throw new MalformedVenueError(`malformed response: ${field}.created_time: missing`, { venue: VENUE, endpoint, field: `${field}.created_time` });
  return {
    venue: VENUE,
    tradeId,
    venueOrderId: f.order_id,
    marketId,
    outcome,
    action: 'buy',
    price: dec(outcome === 'yes' ? f.yes_price_dollars : f.no_price_dollars, endpoint, `${field}.${outcome}_price_dollars`),
    size: dec(f.count_fp, endpoint, `${field}.count_fp`),
    fee: f.fee_cost !== undefined ? dec(f.fee_cost, endpoint, `${field}.fee_cost`) : null,
    isTaker: f.is_taker ?? null,
    time,
    final: true,
    failed: false,
    venueStatus: 'filled',
  };
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class KalshiTradingClient implements TradingVenue {
  readonly id = 'kalshi' as const;
  readonly http: HttpClient;
  private readonly auth: KalshiAuth;
  private readonly settings: KalshiTradingSettings;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(settings: KalshiTradingSettings, credentials: KalshiCredentials, deps: TradingClientDeps = {}) {
    this.settings = settings;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? defaultSleep;
    this.newId = deps.newId ?? randomUUID;
    this.auth = new KalshiAuth(credentials, this.now);
    this.http = new HttpClient({
      venue: VENUE,
      baseUrl: settings.restUrl,
      timeoutMs: settings.timeoutMs,
      rateLimit: settings.rateLimit,
      retry: settings.retry,
      classifyError: classifyKalshiError,
      sleep: this.sleep,
      ...(deps.random ? { random: deps.random } : {}),
      now: this.now,
    });
  }

  newClientOrderId(): string {
    return this.newId();
  }

  /** Signed headers for `path` relative to the REST root. */
  signedHeaders(method: string, path: string): Record<string, string> {
    return this.auth.headers(method, buildUrl(this.settings.restUrl, path).pathname);
  }

  /** One signed request; reads (and cancels) retried with a fresh signature per attempt. */
  private async signed<T>(
    method: 'GET' | 'DELETE',
    path: string,
    label: string,
    schema: z.ZodType<T>,
    query?: Readonly<Record<string, QueryValue>>,
    signal?: AbortSignal,
  ): Promise<{ data: T; receivedAt: number }> {
    const maxRetries = Math.max(0, this.settings.retry.maxRetries);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const r = await this.http.request(method, path, {
          label,
          schema,
          retry: false,
          // signed when sent, after the rate-limit queue (Kalshi refuses a timestamp 30 s old)
          headers: () => this.signedHeaders(method, path),
          ...(query ? { query } : {}),
          signal,
        });
        return { data: r.data, receivedAt: r.receivedAt };
      } catch (error) {
        if (!(error instanceof RetryableVenueError) || attempt > maxRetries || signal?.aborted) throw error;
        await this.sleep(this.http.backoffDelay(attempt, error.retryAfterMs));
      }
    }
  }

  async placeOrder(intent: OrderIntent, signal?: AbortSignal): Promise<OrderState> {
    return this.stageOrder(intent).send(signal);
  }

  /**
   * Stage an order: the V2 body is built and checked now (OrderInputError, synchronously);
   * `ready()` signs the request ahead (RSA-PSS, e.g. while the intent is flushed);
   * `send()` uses that signature only while it is at most `presignMaxAgeMs` old,
   * otherwise signs again, so every request carries a fresh timestamp (429 resends too).
   */
  stageOrder(intent: OrderIntent): StagedOrder {
    const body = kalshiOrderBody(intent, this.settings.subaccount);
    const text = JSON.stringify(body);
    const maxAge = this.settings.presignMaxAgeMs ?? 500;
    let presigned: { headers: Record<string, string>; at: number } | null = null;
    const headers = (): Record<string, string> => {
      const p = presigned;
      presigned = null; // one use: a resend signs again
      if (p !== null && this.now() - p.at <= maxAge) return p.headers;
      return this.signedHeaders('POST', ORDER_PATH);
    };
    return {
      intent,
      venueOrderId: null,
      ready: async () => {
        if (presigned === null) presigned = { headers: this.signedHeaders('POST', ORDER_PATH), at: this.now() };
      },
      // signed (or the presigned headers taken) when the request leaves the rate-limit queue
      send: (signal) => this.postOrder(intent, body, text, headers, signal),
    };
  }

  private async postOrder(intent: OrderIntent, body: KalshiOrderBody, text: string, headers: () => Record<string, string>, signal?: AbortSignal): Promise<OrderState> {
    const label = 'POST /portfolio/events/orders';
    try {
      const r = await this.http.post(ORDER_PATH, {
        label,
        body: text,
        schema: kalshiCreateOrderResponseSchema,
        retry: false,
        headers,
        signal,
      });
      return orderFromCreate(body, r.data, label);
    } catch (error) {
      if (error instanceof RejectedVenueError && error.status === 409 && (error.code ?? '').startsWith('order_already_exists')) {
        throw new DuplicateOrderError(`an order with client id ${intent.clientOrderId} already exists`, {
          venue: VENUE,
          endpoint: label,
          status: 409,
          code: error.code,
          cause: error,
          clientOrderId: intent.clientOrderId,
        });
      }
      throw classifyWriteError(error, { clientOrderId: intent.clientOrderId, venueOrderId: null });
    }
  }

  /** A cheap authenticated read (balance) that opens or keeps the connection warm. */
  async warmUp(signal?: AbortSignal): Promise<void> {
    try {
      await this.http.get('/portfolio/balance', {
        label: 'GET /portfolio/balance (warm-up)',
        schema: kalshiBalanceSchema,
        retry: false,
        headers: () => this.signedHeaders('GET', '/portfolio/balance'),
        ...(this.settings.subaccount !== undefined ? { query: { subaccount: this.settings.subaccount } } : {}),
        signal,
      });
    } catch {
      // a failed warm-up changes nothing: the order opens its own connection
    }
  }

  async getOrder(ref: OrderRef, signal?: AbortSignal): Promise<OrderState | null> {
    const label = 'GET /portfolio/orders/{order_id}';
    try {
      const r = await this.signed('GET', `/portfolio/orders/${encodeURIComponent(ref.venueOrderId)}`, label, kalshiOrderResponseSchema, undefined, signal);
      return orderFromWire(r.data.order, label);
    } catch (error) {
      if (error instanceof RejectedVenueError && error.status === 404) return null;
      throw error;
    }
  }

  /** Orders of one market created since `sinceMs`, all pages. */
  async listOrders(market: Market, sinceMs: number, signal?: AbortSignal): Promise<OrderState[]> {
    const ticker = kalshiTicker(market);
    const label = 'GET /portfolio/orders';
    const out: OrderState[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < (this.settings.maxPages ?? 100); page += 1) {
      const r = await this.signed(
        'GET',
        '/portfolio/orders',
        label,
        kalshiOrdersPageSchema,
        { ticker, min_ts: Math.floor(sinceMs / 1000), limit: 200, cursor, subaccount: this.settings.subaccount },
        signal,
      );
      r.data.orders.forEach((o, i) => out.push(orderFromWire(o, label, `orders[${i}]`)));
      if (!r.data.cursor) break;
      tooManyPages(label, page, this.settings.maxPages ?? 100);
      cursor = r.data.cursor;
    }
    return out;
  }

  async findOrder(market: Market, clientOrderId: string, sinceMs: number, signal?: AbortSignal): Promise<OrderState | null> {
    const orders = await this.listOrders(market, sinceMs, signal);
    return orders.find((o) => o.clientOrderId === clientOrderId) ?? null;
  }

  async cancelOrder(ref: OrderRef, signal?: AbortSignal): Promise<CancelResult> {
    const label = 'DELETE /portfolio/events/orders/{order_id}';
    const ticker = kalshiTicker(ref.market);
    try {
      const r = await this.signed(
        'DELETE',
        `/portfolio/events/orders/${encodeURIComponent(ref.venueOrderId)}`,
        label,
        kalshiCancelResponseSchema,
        { market_ticker: ticker, subaccount: this.settings.subaccount },
        signal,
      );
      return { kind: 'canceled', canceledSize: r.data.reduced_by !== undefined ? dec(r.data.reduced_by, label, 'reduced_by') : null };
    } catch (error) {
      // Kalshi answers the same 404 for canceled, executed and unknown ids.
      if (error instanceof RejectedVenueError && error.status === 404) {
        return { kind: 'not-cancelable', reason: 'not found (already canceled, executed, or unknown): poll the order' };
      }
      throw error;
    }
  }

  async fills(query: FillsQuery): Promise<Fill[]> {
    const label = 'GET /portfolio/fills';
    const out: Fill[] = [];
    let cursor: string | undefined;
    const ticker = query.market ? kalshiTicker(query.market) : undefined;
    for (let page = 0; page < (this.settings.maxPages ?? 100); page += 1) {
      const r = await this.signed(
        'GET',
        '/portfolio/fills',
        label,
        kalshiFillsPageSchema,
        { min_ts: Math.floor(query.sinceMs / 1000), limit: 1000, cursor, ticker, subaccount: this.settings.subaccount },
        query.signal,
      );
      r.data.fills.forEach((f, i) => {
        const fill = fillFromWire(f, label, `fills[${i}]`);
        if (fill.time >= query.sinceMs && (ticker === undefined || fill.marketId === ticker)) out.push(fill);
      });
      if (!r.data.cursor) break;
      tooManyPages(label, page, this.settings.maxPages ?? 100);
      cursor = r.data.cursor;
    }
    return out;
  }

  async positions(markets: readonly Market[], signal?: AbortSignal): Promise<Position[]> {
    const label = 'GET /portfolio/positions';
    const wanted = new Set(markets.map(kalshiTicker));
    const out: Position[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < (this.settings.maxPages ?? 100); page += 1) {
      const r = await this.signed(
        'GET',
        '/portfolio/positions',
        label,
        kalshiPositionsPageSchema,
        {
          limit: 1000,
          cursor,
          ticker: wanted.size === 1 ? [...wanted][0] : undefined,
          subaccount: this.settings.subaccount,
        },
        signal,
      );
      r.data.market_positions.forEach((p, i) => {
        if (wanted.size > 0 && !wanted.has(p.ticker)) return;
        const n = dec(p.position_fp, label, `market_positions[${i}].position_fp`);
        out.push({ venue: VENUE, marketId: p.ticker, yes: n > 0n ? n : 0n, no: n < 0n ? -n : 0n });
      });
      if (!r.data.cursor) break;
      tooManyPages(label, page, this.settings.maxPages ?? 100);
      cursor = r.data.cursor;
    }
    return out;
  }

  async balance(signal?: AbortSignal): Promise<VenueBalance> {
    const label = 'GET /portfolio/balance';
    const r = await this.signed('GET', '/portfolio/balance', label, kalshiBalanceSchema, { subaccount: this.settings.subaccount }, signal);
    const b = r.data;
    let total: Money;
    if (b.balance_dollars !== undefined) total = dec(b.balance_dollars, label, 'balance_dollars');
    else if (b.balance !== undefined) total = BigInt(b.balance) * 10_000n;
    else throw new MalformedVenueError('malformed response: balance_dollars: missing', { venue: VENUE, endpoint: label, field: 'balance_dollars' });
    // collateral is per shard: the breakdown when given (none given: the total applies to every shard)
    const shards = (b.balance_breakdown ?? []).map((s, i) => ({ exchangeIndex: s.exchange_index, available: dec(s.balance, label, `balance_breakdown[${i}].balance`) }));
    return { venue: VENUE, available: total, shards, receivedAt: r.receivedAt };
  }

  traffic(): VenueTraffic {
    return this.http.traffic();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
