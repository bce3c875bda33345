/**
 * Paper trading as a venue ("paper mode is a venue, not a flag"): implements the
 * TradingVenue port and fills immediate-or-cancel / fill-or-kill orders against the
 * latest book it is given (`bookSource`), level by level at the book's prices, with the
 * venue's own fee function (domain/fees.ts). It keeps its own orders, fills, positions
 * and balance; deterministic (ids from a counter, time from the injected clock).
 *
 * - Buying an outcome takes that outcome's asks up to the limit price.
 * - Selling an outcome takes the other outcome's asks mirrored (a bid for YES at p is an
 *   ask for NO at 1 − p), down to the limit price; only what is held can be sold.
 * - What it took from a book is remembered per market until a *newer* book arrives for
 *   that market (later venue time, else later receive time): repeated paper orders do not
 *   refill from liquidity they already took; a copy of the same book keeps the depletion.
 * - With a `store`, its own orders, fills, positions, balance and id counter survive a
 *   restart (like a real venue's memory): saved after every change, durably, before it
 *   answers; start-up reconciliation then reads them back through the same port calls as
 *   for a real venue.
 * - `feeInShares`: simulate a venue that collects the taker fee of a buy in shares (the
 *   shares credited are fewer than matched; the cash paid is price × matched).
 * - GTC orders fill what crosses now and rest the remainder (never matched later).
 * - Positions are per outcome (YES and NO are not netted, even for Kalshi).
 *
 * Faults for tests (`injectFault`): reject, partial fill, timeout after the order was
 * executed (or before it reached the venue), 429, duplicate client id, pending for a
 * number of polls, failing reads.
 */
import { feeFor, type KalshiFeeRounding } from '../../domain/fees.js';
import { isOnPriceGrid, type Market, type VenueId } from '../../domain/market.js';
import { divRound, formatDecimal, notional, ONE, type Money, type Price, type Size } from '../../domain/money.js';
import type { Level, OrderBook } from '../../domain/order-book.js';
import { z } from 'zod';
import { RejectedVenueError, RetryableVenueError } from '../errors.js';
import {
  DuplicateOrderError,
  UnknownOutcomeError,
  type CancelResult,
  type Fill,
  type FillsQuery,
  type OrderIntent,
  type OrderRef,
  type OrderState,
  type Position,
  type TradingVenue,
  type VenueBalance,
} from '../trading.js';

export type PaperFault =
  /** The venue refuses the order (nothing filled). */
  | { readonly kind: 'reject'; readonly reason?: string }
  /** Fill at most this many contracts, the rest is canceled (IOC). */
  | { readonly kind: 'partial'; readonly maxFill: Size }
  /** The order executes, but the answer is lost: placeOrder throws UnknownOutcomeError. */
  | { readonly kind: 'timeout-after-execution'; readonly revealOrderId?: boolean }
  /** The request never reached the venue, but the caller cannot know: UnknownOutcomeError. */
  | { readonly kind: 'timeout-before-execution' }
  /** 429: not accepted. */
  | { readonly kind: 'rate-limited'; readonly retryAfterMs?: number }
  /** The order executes, and the answer is a duplicate-client-id error (as after a lost first answer). */
  | { readonly kind: 'duplicate-after-execution' }
  /** The order executes, but reads show it `pending` with nothing filled for this many polls. */
  | { readonly kind: 'pending-for-polls'; readonly polls: number };

export interface PaperVenueOptions {
  readonly id: VenueId;
  /** The latest book of a market (the engine's books, or the simulated venue's). */
  readonly bookSource: (marketId: string) => OrderBook | undefined;
  readonly now: () => number;
  /** Starting cash (scale 1e6), default $10,000. */
  readonly startingBalance?: Money;
  readonly kalshiFeeRounding?: KalshiFeeRounding;
  /** Prefix of the ids it mints (client, order, fill), default `paper-<venue>`. */
  readonly idPrefix?: string;
  /** Where the venue keeps its memory across restarts (see PaperVenueStore); none = in memory only. */
  readonly store?: PaperVenueStore;
  /** Collect the taker fee of a buy in shares instead of cash (Polymarket, older docs copy). */
  readonly feeInShares?: boolean;
}

/**
 * The paper venue's durable memory (the app passes one backed by its database).
 * `save` must write synchronously (the latest call holds the latest state). With
 * `durable`, it may return a promise that resolves once the state is on disk: the venue
 * awaits it before answering an order, as a real venue has recorded an order before
 * answering. Without (a client id minted), the write only has to be ordered before the
 * caller's next write, so an id persisted by the caller is never minted again.
 */
export interface PaperVenueStore {
  /** The state saved by an earlier run, or undefined on the first run. */
  load(): string | undefined;
  save(state: string, durable: boolean): void | Promise<void>;
}

/** The saved state cannot be read: the paper venue refuses to answer (reconciliation stays read-only). */
export class PaperStateError extends Error {
  override readonly name = 'PaperStateError';
}

interface PaperOrder {
  state: OrderState;
  readonly marketId: string;
  /** Reads answer `pending` this many more times. */
  hiddenPolls: number;
}

/** What was taken from a market's book view, until a newer book arrives. */
interface BookView {
  readonly book: OrderBook;
  readonly taken: Map<string, Size>;
}

/**
 * `b` is newer than `a`: a later venue time when both have one (an equal venue time is
 * the same book, even received again later), else a later receive time.
 */
export function isNewerBook(b: OrderBook, a: OrderBook): boolean {
  if (b === a) return false;
  if (b.venueTime !== null && a.venueTime !== null) return b.venueTime > a.venueTime;
  return b.receivedAt > a.receivedAt;
}

// ---- saved state (JSON; bigints as decimal strings), parsed with zod at load ----------------

const big = z.string().regex(/^-?\d+$/).transform((t) => BigInt(t));
const bigOrNull = big.nullable();
const outcome = z.enum(['yes', 'no']);
const action = z.enum(['buy', 'sell']);
const venueId = z.enum(['kalshi', 'polymarket']);
const orderStateSchema = z.object({
  venue: venueId,
  venueOrderId: z.string(),
  clientOrderId: z.string().nullable(),
  marketId: z.string(),
  outcome,
  action,
  status: z.enum(['open', 'pending', 'filled', 'canceled', 'rejected', 'unknown']),
  venueStatus: z.string(),
  limitPrice: bigOrNull,
  requestedSize: bigOrNull,
  filledSize: big,
  remainingSize: bigOrNull,
  averagePrice: bigOrNull,
  fees: bigOrNull,
  updatedAt: z.number().nullable(),
});
const fillSchema = z.object({
  venue: venueId,
  tradeId: z.string(),
  venueOrderId: z.string(),
  marketId: z.string(),
  outcome,
  action,
  price: big,
  size: big,
  fee: bigOrNull,
  isTaker: z.boolean().nullable(),
  time: z.number(),
  final: z.boolean(),
  failed: z.boolean(),
  venueStatus: z.string(),
});
const savedStateSchema = z.object({
  version: z.literal(1),
  venue: venueId,
  seq: z.number().int().nonnegative(),
  balance: big,
  orders: z.array(z.object({ state: orderStateSchema, marketId: z.string(), hiddenPolls: z.number().int().nonnegative() })),
  fills: z.array(fillSchema),
  positions: z.array(z.object({ marketId: z.string(), yes: big, no: big })),
});

function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function rejected(venue: VenueId, message: string): RejectedVenueError {
  return new RejectedVenueError(message, { venue, endpoint: 'paper placeOrder', status: 400 });
}

export class PaperVenue implements TradingVenue {
  readonly id: VenueId;
  readonly #options: PaperVenueOptions;
  readonly #prefix: string;
  readonly #orders = new Map<string, PaperOrder>();
  readonly #byClientId = new Map<string, string>();
  readonly #fills: Fill[] = [];
  readonly #positions = new Map<string, { yes: Size; no: Size }>();
  readonly #views = new Map<string, BookView>();
  readonly #faults: PaperFault[] = [];
  #balance: Money;
  #seq = 0;
  #failReads = 0;
  /** null until the saved state was read (lazily, so a damaged state fails the first call, not the app). */
  #restored: true | PaperStateError | null = null;
  /** Every order the venue received (after faults that stop a request): for tests and the benchmark. */
  readonly received: OrderIntent[] = [];
  onReceive: ((intent: OrderIntent) => void) | null = null;

  /** See TradingVenue.buyFeeMayBeInShares. */
  readonly buyFeeMayBeInShares: boolean;

  constructor(options: PaperVenueOptions) {
    this.id = options.id;
    this.buyFeeMayBeInShares = options.feeInShares === true;
    this.#options = options;
    this.#prefix = options.idPrefix ?? `paper-${options.id}`;
    this.#balance = options.startingBalance ?? 10_000_000_000n;
  }

  /** Queue a fault for the next order(s). */
  injectFault(fault: PaperFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.#faults.push(fault);
  }

  /** The next `times` reads (getOrder, findOrder, fills, positions, balance) throw a retryable error. */
  failReads(times: number): void {
    this.#failReads = times;
  }

  get availableBalance(): Money {
    this.#restore();
    return this.#balance;
  }

  newClientOrderId(): string {
    this.#restore();
    this.#seq += 1;
    // Saved (not awaited) before the caller records the id: a restart never mints it again.
    void this.#save(false);
    return `${this.#prefix}-c${this.#seq}`;
  }

  /** Read the saved state once (throws PaperStateError, every time, when it cannot be read). */
  #restore(): void {
    if (this.#restored === true) return;
    if (this.#restored instanceof PaperStateError) throw this.#restored;
    const text = this.#options.store?.load();
    if (text === undefined) {
      this.#restored = true;
      return;
    }
    let parsed: z.infer<typeof savedStateSchema>;
    try {
      const r = savedStateSchema.safeParse(JSON.parse(text));
      if (!r.success) {
        const issue = r.error.issues[0];
        throw new Error(`${issue?.path.join('.') || '(state)'}: ${issue?.message ?? 'invalid'}`);
      }
      parsed = r.data;
      if (parsed.venue !== this.id) throw new Error(`saved for ${parsed.venue}, not ${this.id}`);
    } catch (error) {
      this.#restored = new PaperStateError(`paper ${this.id} venue: saved state unreadable: ${(error as Error).message}`);
      throw this.#restored;
    }
    this.#seq = parsed.seq;
    this.#balance = parsed.balance;
    for (const o of parsed.orders) {
      this.#orders.set(o.state.venueOrderId, { state: o.state, marketId: o.marketId, hiddenPolls: o.hiddenPolls });
      if (o.state.clientOrderId !== null) this.#byClientId.set(o.state.clientOrderId, o.state.venueOrderId);
    }
    this.#fills.push(...parsed.fills);
    for (const p of parsed.positions) this.#positions.set(p.marketId, { yes: p.yes, no: p.no });
    this.#restored = true;
  }

  /** Save the whole state (synchronous write; resolves when durable). */
  async #save(durable = true): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    const state = {
      version: 1,
      venue: this.id,
      seq: this.#seq,
      balance: this.#balance,
      orders: [...this.#orders.values()].map((o) => ({ state: o.state, marketId: o.marketId, hiddenPolls: o.hiddenPolls })),
      fills: this.#fills,
      positions: [...this.#positions].map(([marketId, p]) => ({ marketId, yes: p.yes, no: p.no })),
    };
    await store.save(toJsonText(state), durable);
  }

  #nextId(kind: string): string {
    this.#seq += 1;
    return `${this.#prefix}-${kind}${this.#seq}`;
  }

  #read(endpoint: string): void {
    this.#restore();
    if (this.#failReads > 0) {
      this.#failReads -= 1;
      throw new RetryableVenueError('paper venue read failed (injected)', { venue: this.id, endpoint, status: 503, reason: 'server' });
    }
  }

  async placeOrder(intent: OrderIntent): Promise<OrderState> {
    this.#restore();
    const fault = this.#faults.shift();
    if (fault?.kind === 'rate-limited') {
      throw new RetryableVenueError('too many requests (paper)', {
        venue: this.id,
        endpoint: 'paper placeOrder',
        status: 429,
        reason: 'rate-limited',
        retryAfterMs: fault.retryAfterMs,
      });
    }
    if (fault?.kind === 'timeout-before-execution') {
      throw new UnknownOutcomeError('order outcome unknown: timeout (paper)', {
        venue: this.id,
        endpoint: 'paper placeOrder',
        reason: 'timeout',
        clientOrderId: intent.clientOrderId,
        venueOrderId: null,
      });
    }
    this.received.push(intent);
    this.onReceive?.(intent);
    if (this.#byClientId.has(intent.clientOrderId)) {
      throw new DuplicateOrderError(`an order with client id ${intent.clientOrderId} already exists`, {
        venue: this.id,
        endpoint: 'paper placeOrder',
        status: 409,
        clientOrderId: intent.clientOrderId,
      });
    }
    if (fault?.kind === 'reject') throw rejected(this.id, fault.reason ?? 'rejected (injected)');
    const state = this.#execute(intent, fault?.kind === 'partial' ? fault.maxFill : null);
    const order: PaperOrder = { state, marketId: intent.market.id, hiddenPolls: fault?.kind === 'pending-for-polls' ? fault.polls : 0 };
    this.#orders.set(state.venueOrderId, order);
    this.#byClientId.set(intent.clientOrderId, state.venueOrderId);
    // Recorded (durably, with a store) before the venue answers.
    await this.#save();
    if (fault?.kind === 'timeout-after-execution') {
      throw new UnknownOutcomeError('order outcome unknown: timeout (paper)', {
        venue: this.id,
        endpoint: 'paper placeOrder',
        reason: 'timeout',
        clientOrderId: intent.clientOrderId,
        venueOrderId: fault.revealOrderId ? state.venueOrderId : null,
      });
    }
    if (fault?.kind === 'duplicate-after-execution') {
      throw new DuplicateOrderError(`an order with client id ${intent.clientOrderId} already exists`, {
        venue: this.id,
        endpoint: 'paper placeOrder',
        status: 409,
        clientOrderId: intent.clientOrderId,
      });
    }
    if (order.hiddenPolls > 0) return this.#pendingView(state);
    return state;
  }

  #pendingView(state: OrderState): OrderState {
    return { ...state, status: 'pending', venueStatus: 'delayed', filledSize: 0n, remainingSize: null, averagePrice: null, fees: null };
  }

  /** The levels this order can take, best first, in the outcome's own prices. */
  #ladder(book: OrderBook, intent: OrderIntent): { levels: Level[]; source: 'yes' | 'no'; mirrored: boolean } {
    if (intent.action === 'buy') {
      const asks = intent.outcome === 'yes' ? book.yesAsks : book.noAsks;
      return { levels: asks.filter((l) => l.price <= intent.limitPrice), source: intent.outcome, mirrored: false };
    }
    // Sell YES = meet a YES bid = take a NO ask at 1 − p (and the other way round).
    const other = intent.outcome === 'yes' ? 'no' : 'yes';
    const asks = other === 'yes' ? book.yesAsks : book.noAsks;
    return {
      levels: asks.filter((l) => ONE - l.price >= intent.limitPrice).map((l) => ({ price: ONE - l.price, size: l.size })),
      source: other,
      mirrored: true,
    };
  }

  /** The market's book view: what was taken stays taken until a newer book arrives. */
  #viewOf(marketId: string, book: OrderBook): BookView {
    const current = this.#views.get(marketId);
    if (current && !isNewerBook(book, current.book)) return current;
    const view: BookView = { book, taken: new Map() };
    this.#views.set(marketId, view);
    return view;
  }

  #execute(intent: OrderIntent, maxFill: Size | null): OrderState {
    const market = intent.market;
    const base = {
      venue: this.id,
      venueOrderId: this.#nextId('o'),
      clientOrderId: intent.clientOrderId,
      marketId: market.id,
      outcome: intent.outcome,
      action: intent.action,
      limitPrice: intent.limitPrice,
      requestedSize: intent.size,
      updatedAt: this.#options.now(),
    } as const;
    const refuse = (why: string): OrderState => ({
      ...base,
      status: 'rejected',
      venueStatus: `rejected: ${why}`,
      filledSize: 0n,
      remainingSize: 0n,
      averagePrice: null,
      fees: null,
    });
    if (market.venue !== this.id) return refuse(`market ${market.id} is not a ${this.id} market`);
    if (intent.size <= 0n || (market.sizeIncrement > 0n && intent.size % market.sizeIncrement !== 0n)) return refuse('size not on the size increment');
    if (intent.size < market.minOrderSize) return refuse(`size below the minimum ${formatDecimal(market.minOrderSize)}`);
    if (!isOnPriceGrid(intent.limitPrice, market.priceRanges)) return refuse(`limit ${formatDecimal(intent.limitPrice)} is off the price grid`);
    const book = this.#options.bookSource(market.id);
    const position = this.#positions.get(market.id) ?? { yes: 0n, no: 0n };
    let want = maxFill !== null && maxFill < intent.size ? maxFill : intent.size;
    if (intent.action === 'sell' && position[intent.outcome] < want) {
      if (position[intent.outcome] <= 0n) return refuse('nothing held to sell');
      want = position[intent.outcome];
    }
    const plan: { price: Price; size: Size; key: string }[] = [];
    const view = book ? this.#viewOf(market.id, book) : undefined;
    if (book && view) {
      const ladder = this.#ladder(book, intent);
      const taken = view.taken;
      let left = want;
      for (const l of ladder.levels) {
        if (left <= 0n) break;
        const bookPrice = ladder.mirrored ? ONE - l.price : l.price;
        const key = `${ladder.source}@${bookPrice}`;
        const free = l.size - (taken.get(key) ?? 0n);
        if (free <= 0n) continue;
        let take = free < left ? free : left;
        if (market.sizeIncrement > 0n) take -= take % market.sizeIncrement;
        if (take <= 0n) continue;
        plan.push({ price: l.price, size: take, key });
        left -= take;
      }
    }
    const planned = plan.reduce((n, p) => n + p.size, 0n);
    if (intent.timeInForce === 'fok' && planned < intent.size) {
      return { ...base, status: 'canceled', venueStatus: 'killed (fill-or-kill)', filledSize: 0n, remainingSize: 0n, averagePrice: null, fees: 0n };
    }
    // Fees per fill, with the venue's own function; an unknown fee fails closed.
    const fees: Money[] = [];
    for (const p of plan) {
      const f = feeFor(market.fee, p.price, p.size, 'taker', this.#options.kalshiFeeRounding ?? 'centicent');
      if (!f.known) return refuse(`fee unknown: ${f.reason}`);
      fees.push(f.fee);
    }
    // Fee in shares on a buy: the shares worth the fee at the fill price (rounded up) are
    // withheld; the cash paid is price × matched; the fill shows no cash fee (as Polymarket's trades).
    const inShares = this.#options.feeInShares === true && intent.action === 'buy';
    const withheld = inShares ? plan.reduce((n, p, i) => n + (p.price > 0n ? divRound((fees[i] as Money) * ONE, p.price, 'ceil') : 0n), 0n) : 0n;
    const feeTotal = inShares ? 0n : fees.reduce((n, f) => n + f, 0n);
    const cash = plan.reduce((n, p) => n + notional(p.price, p.size, intent.action === 'buy' ? 'ceil' : 'floor'), 0n);
    if (intent.action === 'buy' && cash + feeTotal > this.#balance) return refuse('insufficient balance');
    const taken = view?.taken;
    const time = this.#options.now();
    plan.forEach((p, i) => {
      taken?.set(p.key, (taken.get(p.key) ?? 0n) + p.size);
      this.#fills.push({
        venue: this.id,
        tradeId: this.#nextId('f'),
        venueOrderId: base.venueOrderId,
        marketId: market.id,
        outcome: intent.outcome,
        action: intent.action,
        price: p.price,
        size: p.size,
        fee: inShares ? null : (fees[i] as Money),
        isTaker: true,
        time,
        final: true,
        failed: false,
        venueStatus: 'paper',
      });
    });
    if (intent.action === 'buy') {
      this.#balance -= cash + feeTotal;
      position[intent.outcome] += planned - withheld;
    } else {
      this.#balance += cash - feeTotal;
      position[intent.outcome] -= planned;
    }
    this.#positions.set(market.id, position);
    const done = planned === intent.size;
    const resting = intent.timeInForce === 'gtc' && !done;
    return {
      ...base,
      status: done ? 'filled' : resting ? 'open' : 'canceled',
      venueStatus: done ? 'filled' : resting ? 'resting' : 'canceled (immediate-or-cancel remainder)',
      filledSize: planned,
      remainingSize: resting ? intent.size - planned : 0n,
      averagePrice: planned > 0n ? divRound(plan.reduce((n, p) => n + p.price * p.size, 0n), planned, 'half-even') : null,
      fees: inShares ? null : feeTotal,
    };
  }

  #view(order: PaperOrder): OrderState {
    if (order.hiddenPolls > 0) {
      order.hiddenPolls -= 1;
      return this.#pendingView(order.state);
    }
    return order.state;
  }

  async getOrder(ref: OrderRef): Promise<OrderState | null> {
    this.#read('paper getOrder');
    const o = this.#orders.get(ref.venueOrderId);
    return o ? this.#view(o) : null;
  }

  async findOrder(market: Market, clientOrderId: string): Promise<OrderState | null> {
    this.#read('paper findOrder');
    const id = this.#byClientId.get(clientOrderId);
    const o = id === undefined ? undefined : this.#orders.get(id);
    return o && o.marketId === market.id ? this.#view(o) : null;
  }

  async cancelOrder(ref: OrderRef): Promise<CancelResult> {
    this.#restore();
    const o = this.#orders.get(ref.venueOrderId);
    if (!o || o.state.status !== 'open') return { kind: 'not-cancelable', reason: o ? `order is ${o.state.status}` : 'unknown order' };
    const canceledSize = o.state.remainingSize;
    o.state = { ...o.state, status: 'canceled', venueStatus: 'canceled', remainingSize: 0n, updatedAt: this.#options.now() };
    await this.#save();
    return { kind: 'canceled', canceledSize };
  }

  async fills(query: FillsQuery): Promise<Fill[]> {
    this.#read('paper fills');
    return this.#fills.filter((f) => f.time >= query.sinceMs && (query.market === undefined || f.marketId === query.market.id));
  }

  async positions(markets: readonly Market[]): Promise<Position[]> {
    this.#read('paper positions');
    return markets.map((m) => {
      const p = this.#positions.get(m.id) ?? { yes: 0n, no: 0n };
      return { venue: this.id, marketId: m.id, yes: p.yes, no: p.no };
    });
  }

  async balance(): Promise<VenueBalance> {
    this.#read('paper balance');
    return { venue: this.id, available: this.#balance, shards: [], receivedAt: this.#options.now() };
  }

  async close(): Promise<void> {}
}
