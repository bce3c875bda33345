/**
 * The trading port: what the execution layer (attempt state machine, reconciliation,
 * paper venue) needs from a venue, in domain units only. Kalshi and Polymarket
 * implement it; venue JSON never crosses it.
 *
 * Conventions
 * - Sizes are contracts (shares) and prices are dollars per contract of the outcome
 *   traded, both bigint at scale 1e6. A "buy NO at 0.40" is `{outcome: 'no', action:
 *   'buy', limitPrice: 400_000n}` on every venue; the Kalshi adapter turns it into an
 *   `ask` at 0.60 on its single YES book.
 * - Client order ids are minted by us (`newClientOrderId`) *before* any request, so an
 *   order whose fate is unknown can be found again. Polymarket has no client ids: the
 *   adapter derives the order's salt from ours and the venue order id is the EIP-712
 *   hash of the signed order, computed locally before sending.
 * - A timeout, dropped connection or 5xx on a write is an `UnknownOutcomeError`: the
 *   order may or may not exist. Resolve it by polling `getOrder` / `findOrder` or by
 *   reconciliation, never by sending again blindly.
 */
import type { Market, VenueId } from '../domain/market.js';
import type { Money, Price, Size } from '../domain/money.js';
import { CANCELLED_BEFORE_SENDING, RejectedVenueError, RetryableVenueError, type RetryableReason, type VenueErrorInit } from './errors.js';

/** What a trading client may be given instead of the real clock, sleep, randomness and id factory (tests). */
export interface TradingClientDeps {
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Client order id factory (default: random UUID v4). */
  readonly newId?: () => string;
}

export type Outcome = 'yes' | 'no';
export type TradeAction = 'buy' | 'sell';
/** `ioc` = immediate-or-cancel (Polymarket FAK), `fok` = fill-or-kill, `gtc` = rests. */
export type TimeInForce = 'ioc' | 'fok' | 'gtc';

export interface OrderIntent {
  /** Minted by `newClientOrderId()` and persisted before `placeOrder` is called. */
  readonly clientOrderId: string;
  readonly market: Market;
  readonly outcome: Outcome;
  readonly action: TradeAction;
  /** Contracts (shares), scale 1e6. */
  readonly size: Size;
  /** Worst acceptable price of the outcome traded, scale 1e6. */
  readonly limitPrice: Price;
  readonly timeInForce: TimeInForce;
}

/**
 * Order lifecycle as the venue reports it:
 * - `open`: resting (possibly partly filled);
 * - `pending`: accepted but not yet matched or still settling (Polymarket `delayed`,
 *   a MATCHED trade not yet mined): poll again;
 * - `filled`: fully filled; `canceled`: done, maybe partly filled (IOC remainder included);
 * - `rejected`: the venue refused it, nothing filled;
 * - `unknown`: the venue answered a state we do not know: treat as pending and reconcile.
 */
export type OrderStatus = 'open' | 'pending' | 'filled' | 'canceled' | 'rejected' | 'unknown';

export interface OrderState {
  readonly venue: VenueId;
  readonly venueOrderId: string;
  readonly clientOrderId: string | null;
  readonly marketId: string;
  readonly outcome: Outcome;
  readonly action: TradeAction;
  readonly status: OrderStatus;
  /** The status word the venue used, for the audit log. */
  readonly venueStatus: string;
  readonly limitPrice: Price | null;
  readonly requestedSize: Size | null;
  readonly filledSize: Size;
  /** Still resting; 0 once the order is done. Null when the venue did not say. */
  readonly remainingSize: Size | null;
  /** Average price paid per contract of the outcome, when something filled and the venue said. */
  readonly averagePrice: Price | null;
  /** Fees charged so far, when the venue said. */
  readonly fees: Money | null;
  /** Venue time of the last change (ms), null when not given. */
  readonly updatedAt: number | null;
}

export interface Fill {
  readonly venue: VenueId;
  /** Unique per venue: apply fills idempotently keyed by (venue, tradeId). */
  readonly tradeId: string;
  readonly venueOrderId: string;
  readonly marketId: string;
  /** Kalshi: the outcome whose exposure the fill added (`outcome_side`), always `buy`. */
  readonly outcome: Outcome;
  readonly action: TradeAction;
  readonly price: Price;
  readonly size: Size;
  readonly fee: Money | null;
  readonly isTaker: boolean | null;
  /** Venue time of the fill (ms). */
  readonly time: number;
  /**
   * Final means the venue will not take it back: Kalshi fills are final; a Polymarket
   * trade is final at CONFIRMED (MATCHED/MINED/RETRYING can still fail).
   */
  readonly final: boolean;
  /** A Polymarket trade that FAILED on chain: it did not happen. */
  readonly failed: boolean;
  readonly venueStatus: string;
}

export interface Position {
  readonly venue: VenueId;
  readonly marketId: string;
  /** Contracts held of each outcome (Kalshi nets YES against NO: one is 0). */
  readonly yes: Size;
  readonly no: Size;
}

export interface ShardBalance {
  /** Kalshi `exchange_index`; 0 for venues without shards. */
  readonly exchangeIndex: number;
  readonly available: Money;
}

export interface VenueBalance {
  readonly venue: VenueId;
  /** Sum over shards. */
  readonly available: Money;
  /**
   * The balance by exchange shard, as the venue broke it down (Kalshi `balance_breakdown`:
   * collateral is per shard); empty when the venue gives no breakdown (the total applies).
   */
  readonly shards: readonly ShardBalance[];
  readonly receivedAt: number;
}

export interface OrderRef {
  readonly market: Market;
  readonly venueOrderId: string;
}

export type CancelResult =
  /** The venue confirmed it canceled (what was still resting). */
  | { readonly kind: 'canceled'; readonly canceledSize: Size | null }
  /** The venue does not know it as cancelable: already canceled, executed or unknown. Poll. */
  | { readonly kind: 'not-cancelable'; readonly reason: string };

export interface FillsQuery {
  /** Fills at or after this time (ms). */
  readonly sinceMs: number;
  /** Only this market. */
  readonly market?: Market | undefined;
  /**
   * Sizes of our orders (scale 1e6) by lower-case venue order id, when the caller knows
   * them: a venue whose trade sizes come in a unit the docs leave open (Polymarket:
   * "500000" may be 0.5 share in fixed math or 500,000 shares) reads them against the
   * order. A client keeps the sizes of the orders it built itself; after a restart
   * only the caller (the database) knows them.
   */
  readonly orderSizes?: ReadonlyMap<string, Size> | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * An order built ahead of sending (`TradingVenue.stageOrder`), so the execution layer
 * can persist the intent and prepare the request at the same time:
 *   staged = venue.stageOrder(intent)         // sync: validated, amounts exact, id known where possible
 *   await Promise.all([db.writeCritical(intent + staged.venueOrderId), staged.ready()])
 *   await staged.send()                        // nothing reaches the venue before this
 */
export interface StagedOrder {
  readonly intent: OrderIntent;
  /** Known before sending where the venue derives it from the order (Polymarket hash); null otherwise. */
  readonly venueOrderId: string | null;
  /**
   * Do the expensive preparation (order signature, request signature); safe to run while
   * the intent is being flushed, idempotent. Rejects when the order cannot be signed.
   */
  ready(): Promise<void>;
  /**
   * Send once. Request authentication is fresh: a request signature made by `ready()`
   * is used only while it is young, otherwise it is made again now. Errors as `placeOrder`.
   */
  send(signal?: AbortSignal): Promise<OrderState>;
}

export interface TradingVenue {
  readonly id: VenueId;
  /**
   * Optional: build an order without sending it (see StagedOrder). Throws
   * `OrderInputError` synchronously when the intent cannot be expressed on the venue.
   * Venues without it are sent with `placeOrder`.
   */
  stageOrder?(intent: OrderIntent): StagedOrder;
  /**
   * Optional: a cheap authenticated read that opens (or keeps) the connection the next
   * order will use, e.g. when an order ticket opens. Never throws.
   */
  warmUp?(signal?: AbortSignal): Promise<void>;
  /**
   * True when the venue may collect its taker fee on a buy in shares (the shares credited
   * are fewer than the shares matched): the execution layer then reads the shares
   * actually received back from the venue's positions before booking the fills.
   */
  readonly buyFeeMayBeInShares?: boolean;
  /** A fresh client order id (persist it before placing). */
  newClientOrderId(): string;
  /**
   * Send one order. Resolves with the venue's answer (which may already show fills).
   * Throws `UnknownOutcomeError` when the order may or may not exist,
   * `DuplicateOrderError` when the venue already has this client id,
   * `RejectedVenueError` / `AuthVenueError` / `MalformedVenueError` otherwise.
   */
  placeOrder(intent: OrderIntent, signal?: AbortSignal): Promise<OrderState>;
  /** Null when the venue does not know the order. */
  getOrder(ref: OrderRef, signal?: AbortSignal): Promise<OrderState | null>;
  /** Find an order by our client id (after an unknown outcome or a duplicate). */
  findOrder(market: Market, clientOrderId: string, sinceMs: number, signal?: AbortSignal): Promise<OrderState | null>;
  cancelOrder(ref: OrderRef, signal?: AbortSignal): Promise<CancelResult>;
  fills(query: FillsQuery): Promise<Fill[]>;
  positions(markets: readonly Market[], signal?: AbortSignal): Promise<Position[]>;
  balance(signal?: AbortSignal): Promise<VenueBalance>;
  close(): Promise<void>;
}

/**
 * A write whose outcome we cannot know (timeout, dropped connection, 5xx): the order
 * may exist. Kind stays 'retryable' for compatibility with the shared error union, but
 * callers must check `outcome === 'unknown'` and poll instead of resending.
 */
export class UnknownOutcomeError extends RetryableVenueError {
  readonly outcome = 'unknown' as const;
  readonly clientOrderId: string;
  /** Known before sending on Polymarket (the order hash); null on Kalshi. */
  readonly venueOrderId: string | null;
  constructor(
    message: string,
    init: VenueErrorInit & { reason: RetryableReason; clientOrderId: string; venueOrderId: string | null },
  ) {
    super(message, init);
    // The shared base types `name` as a literal; set the runtime name without widening it.
    Object.defineProperty(this, 'name', { value: 'UnknownOutcomeError' });
    this.clientOrderId = init.clientOrderId;
    this.venueOrderId = init.venueOrderId;
  }
}

/** The venue already has an order with this client id (Kalshi 409 `order_already_exists`). */
export class DuplicateOrderError extends RejectedVenueError {
  readonly clientOrderId: string;
  constructor(message: string, init: VenueErrorInit & { clientOrderId: string }) {
    super(message, init);
    Object.defineProperty(this, 'name', { value: 'DuplicateOrderError' });
    this.clientOrderId = init.clientOrderId;
  }
}

/** The intent cannot be expressed on this venue (off-grid price, size granularity…). Nothing was sent. */
export class OrderInputError extends Error {
  override readonly name = 'OrderInputError';
}

/** Network failures after which a request cannot have reached the venue (and one given up on before it was sent). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', CANCELLED_BEFORE_SENDING]);

/**
 * Turn an error from an order write into what it means for the order:
 * - 429 (rate limited): not accepted, stays a RetryableVenueError (resending the same
 *   client id is safe on Kalshi: a duplicate answers 409);
 * - connection refused / DNS: not sent, stays retryable;
 * - timeout, other network failure, 5xx: UnknownOutcomeError.
 */
export function classifyWriteError(
  error: unknown,
  ids: { readonly clientOrderId: string; readonly venueOrderId: string | null },
): unknown {
  if (!(error instanceof RetryableVenueError) || error instanceof UnknownOutcomeError) return error;
  if (error.reason === 'rate-limited') return error;
  if (error.reason === 'network' && error.code !== undefined && NOT_SENT_CODES.has(error.code)) return error;
  return new UnknownOutcomeError(`order outcome unknown: ${error.message}`, {
    venue: error.venue,
    endpoint: error.endpoint,
    status: error.status,
    code: error.code,
    attempts: error.attempts,
    reason: error.reason,
    cause: error,
    clientOrderId: ids.clientOrderId,
    venueOrderId: ids.venueOrderId,
  });
}
