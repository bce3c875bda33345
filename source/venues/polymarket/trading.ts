/**
 * Polymarket CLOB V2 trading client, implementing the TradingVenue port.
 *
 * - Orders are EIP-712 signed for the market's exchange (signing.ts), with exact
 *   integer amounts; the order id is the order's EIP-712 hash, computed before sending,
 *   so an order whose POST timed out can be looked up (`UnknownOutcomeError.venueOrderId`).
 *   Polymarket has no client order ids: the salt is derived from ours, and this client
 *   remembers client id → order hash (`prepareOrder` lets the caller persist the hash
 *   before sending).
 * - Signature types 0–3: maker = funder (or the EOA), signer = the EOA, except type 3
 *   (POLY_1271 deposit wallet) where signer = maker = the wallet. Type 3 orders also need an
 *   EIP-1271 wrapped signature this client does not build: the app refuses type 3 in
 *   execute mode (app/trading.ts).
 * - Every call carries L2 HMAC headers, computed right before the request; reads are
 *   retried here with fresh headers; writes never.
 * - `delayed`, `unmatched` and unknown statuses become `pending` / `unknown`: poll.
 * - Immediate-or-cancel is a GTC limit order for exactly the size, whatever rests of it
 *   cancelled at once (`sendPrepared`, `getOrder`). Polymarket's own FAK/FOK orders are
 *   "market orders": a BUY is an amount of pUSD to spend (at most 2 decimals; shares at
 *   most 4), so an exact share count at a limit price is refused unless size × price has two
 *   decimals, and one that matches better prices than its limit buys more shares than asked
 *   (py-clob-client-v2 #89, rs-clob-client-v2 #79): an arbitrage leg must be exactly as
 *   large as the other. Fill-or-kill is refused (it cannot be expressed as a share count).
 * - Size units: `/data/orders` and `/data/trades` sizes are decimal shares in live
 *   captures but 6-decimal fixed math in some docs examples; see `readShares`.
 */
import type { Hex } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { z } from 'zod';
import type { PolymarketApiCredentials, PolymarketCredentials } from '../../credentials/store.js';
import type { Market, PolymarketMarketRef } from '../../domain/market.js';
import { divRound, formatDecimal, parseDecimal, SCALE, type Money, type Price, type Size } from '../../domain/money.js';
import { HttpClient, type QueryValue, type RateLimitOptions, type RetryOptions } from '../../lib/http-client.js';
import { MalformedVenueError, RejectedVenueError, RetryableVenueError } from '../errors.js';
import {
  classifyWriteError,
  OrderInputError,
  type CancelResult,
  type Fill,
  type FillsQuery,
  type OrderIntent,
  type OrderRef,
  type OrderState,
  type OrderStatus,
  type Outcome,
  type Position,
  type StagedOrder,
  type TradingClientDeps,
  type TradingVenue,
  type VenueBalance,
} from '../trading.js';
import type { VenueTraffic } from '../venue.js';
import { deriveOrCreateApiCredentials, l2Headers, walletAccount } from './auth.js';
import { classifyPolymarketError } from './errors.js';
import {
  exchangeDomainFor,
  exchangeDomainSeparator,
  exactOrderAmounts,
  orderDigest,
  POLYGON_CHAIN_ID,
  POLYMARKET_EXCHANGES,
  saltFromClientOrderId,
  signOrderDigest,
  BYTES32_ZERO,
  type ExchangeDomain,
  type OrderStruct,
} from './signing.js';
import {
  balanceAllowanceSchema,
  cancelResponseSchema,
  getOrderResponseSchema,
  postOrderResponseSchema,
  tradesPageSchema,
  type OpenOrderWire,
  type PostOrderResponse,
  type TradeWire,
} from './trading-schemas.js';

const VENUE = 'polymarket';
/** CLOB cursor meaning "no more pages". */
const END_CURSOR = 'LTE=';

export interface PolymarketTradingSettings {
  readonly clobUrl: string;
  readonly timeoutMs: number;
  readonly rateLimit: RateLimitOptions;
  /** Reads only. */
  readonly retry: RetryOptions;
  readonly chainId?: number;
  /** Exchange addresses (tests may point at others); default Polygon mainnet. */
  readonly exchanges?: { readonly ctfV2: Hex; readonly negRiskV2: Hex; readonly v3: Hex };
  readonly maxPages?: number;
}

export const DEFAULT_POLYMARKET_TRADING_SETTINGS: Omit<PolymarketTradingSettings, 'clobUrl'> = {
  timeoutMs: 5_000,
  rateLimit: { requests: 40, intervalMs: 1_000, concurrency: 4 },
  retry: { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 2_000 },
};

/** An order built and hashed, not signed yet (always sent as GTC: see the header). */
interface BuiltOrder {
  readonly struct: OrderStruct;
  readonly venueOrderId: Hex;
  /** Immediate-or-cancel sent as GTC: what rests is cancelled at once. */
  readonly cancelRest: boolean;
}

/** What an order needs from its market, computed once per market (domain, separator, tokens, tick). */
interface MarketStatics {
  readonly ref: PolymarketMarketRef;
  readonly tick: Price;
  readonly minOrderSize: Size;
  readonly domain: ExchangeDomain;
  readonly separator: Hex;
  readonly yesToken: bigint;
  readonly noToken: bigint;
}

export interface PreparedOrder {
  readonly intent: OrderIntent;
  /** The order hash: the CLOB order id. Persist it before sending. */
  readonly venueOrderId: Hex;
  readonly struct: OrderStruct;
  /** The exact JSON body to POST (signed by the HMAC as is). */
  readonly body: string;
  /** Immediate-or-cancel sent as GTC: what rests is cancelled at once. */
  readonly cancelRest: boolean;
}

function polyRef(market: Market): PolymarketMarketRef {
  if (market.ref.venue !== 'polymarket') throw new OrderInputError(`market ${market.id} is not a Polymarket market`);
  return market.ref;
}

function tickOf(market: Market): Price {
  const step = market.priceRanges[0]?.step;
  if (step === undefined) throw new OrderInputError(`market ${market.id} has no known tick size`);
  return step;
}

function stripPrefix(status: string): string {
  return status.toUpperCase().replace(/^(ORDER_STATUS_|TRADE_STATUS_)/, '');
}

/** Status words of `POST /order` and `/data/order(s)`. */
export function orderStatusFrom(word: string): OrderStatus {
  switch (stripPrefix(word)) {
    case 'LIVE':
      return 'open';
    case 'MATCHED':
      return 'filled';
    case 'DELAYED':
      return 'pending';
    case 'CANCELED':
    case 'CANCELLED':
    case 'CANCELED_MARKET_RESOLVED':
      return 'canceled';
    case 'INVALID':
      return 'rejected';
    default:
      return 'unknown';
  }
}

/**
 * Shares from a size field whose unit is not settled (docs: 6-decimal fixed math
 * "100000000"; live captures: decimal shares "200.0000"). A decimal point means shares;
 * an integer is read as fixed math when it is ≥ 1e6 (a million-share order is outside
 * anything we send), otherwise as shares.
 */
export function readShares(text: string): Size {
  const t = text.trim();
  if (t.includes('.')) return parseDecimal(t, 'exact');
  const n = BigInt(t);
  return n >= 1_000_000n ? n : n * SCALE;
}

/**
 * An order's `original_size` and `size_matched` in one unit: the unit the original size
 * is in (see `readShares`), so that a match below one share in fixed math ("500000" of
 * "100000000") is not read as 500,000 shares.
 */
export function readOrderSizes(original: string, matched: string): { original: Size; matched: Size } {
  const o = original.trim();
  const m = matched.trim();
  const originalSize = readShares(o);
  if (o.includes('.') || m.includes('.')) return { original: originalSize, matched: readShares(m) };
  const fixedMath = BigInt(o) >= 1_000_000n;
  return { original: originalSize, matched: fixedMath ? BigInt(m) : BigInt(m) * SCALE };
}

/**
 * A trade's size (`size`, `matched_amount`) with its order's size when known: an integer
 * that read as shares would exceed the order is fixed math ("500000" = 0.5 share).
 */
export function readTradeShares(text: string, orderSize: Size | null): Size {
  const t = text.trim();
  const read = readShares(t);
  if (t.includes('.') || orderSize === null || read <= orderSize) return read;
  const fixed = BigInt(t);
  return fixed <= orderSize ? fixed : read;
}

/**
 * An amount of the `POST /order` answer (`makingAmount` / `takingAmount`), read against
 * the order's own raw amount: decimal units when that fits within the order, else raw
 * 6-decimal units.
 */
export function readAmount(text: string, orderRaw: bigint, size?: Size): bigint {
  const t = text.trim();
  const asDecimal = parseDecimal(t, 'floor');
  // Neither the shares nor the cash of an order of `size` shares can exceed `size` (a share
  // pays at most $1): a sale that matched better than its limit brings more cash than its
  // own raw amount, and is still decimal dollars.
  const bound = size !== undefined && size > orderRaw ? size : orderRaw;
  if (t.includes('.') || asDecimal <= bound) return asDecimal;
  return BigInt(t);
}

function dec(text: string, endpoint: string, field: string, reader: (t: string) => bigint = (t) => parseDecimal(t, 'exact')): bigint {
  try {
    return reader(text);
  } catch (error) {
    throw new MalformedVenueError(`malformed response: ${field}: ${(error as Error).message}`, { venue: VENUE, endpoint, field });
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class PolymarketTradingClient implements TradingVenue {
  readonly id = 'polymarket' as const;
  readonly clob: HttpClient;
  readonly address: Hex;
  private readonly account: PrivateKeyAccount;
  private readonly credentials: PolymarketCredentials;
  private readonly api: PolymarketApiCredentials;
  private readonly settings: PolymarketTradingSettings;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly newId: () => string;
  private readonly byClientId = new Map<string, Hex>();
  private readonly tokens = new Map<string, { marketId: string; outcome: Outcome }>();
  private readonly marketStatics = new Map<string, MarketStatics>();
  /** Hashes of immediate-or-cancel orders (sent as GTC): found resting, they are cancelled. */
  private readonly cancelIfResting = new Set<string>();
  /** Sizes of the orders this client built, by lower-case hash (to read trade sizes in their unit). */
  private readonly orderSizes = new Map<string, Size>();
  /** Polymarket's taker fee on a buy may be collected in shares (older docs copy, §5). */
  readonly buyFeeMayBeInShares = true;

  /** Build a client, deriving (or creating) the L2 API credentials when none are stored. */
  static async connect(settings: PolymarketTradingSettings, credentials: PolymarketCredentials, deps: TradingClientDeps = {}): Promise<PolymarketTradingClient> {
    if (credentials.api !== null) return new PolymarketTradingClient(settings, credentials, credentials.api, deps);
    const bootstrap = PolymarketTradingClient.http(settings, deps);
    try {
      const api = await deriveOrCreateApiCredentials(bootstrap, walletAccount(credentials), settings.chainId ?? POLYGON_CHAIN_ID, deps.now ?? Date.now);
      return new PolymarketTradingClient(settings, credentials, api, deps);
    } finally {
      await bootstrap.close();
    }
  }

  private static http(settings: PolymarketTradingSettings, deps: TradingClientDeps): HttpClient {
    return new HttpClient({
      venue: VENUE,
      baseUrl: settings.clobUrl,
      timeoutMs: settings.timeoutMs,
      rateLimit: settings.rateLimit,
      retry: settings.retry,
      classifyError: classifyPolymarketError,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    });
  }

  constructor(settings: PolymarketTradingSettings, credentials: PolymarketCredentials, api: PolymarketApiCredentials, deps: TradingClientDeps = {}) {
    this.settings = settings;
    this.credentials = credentials;
    this.api = api;
    this.account = walletAccount(credentials);
    this.address = this.account.address;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? defaultSleep;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.clob = PolymarketTradingClient.http(settings, { ...deps, now: this.now });
  }

  /** The address holding funds and positions (the order's `maker`). */
  get makerAddress(): Hex {
    return (this.credentials.funder ?? this.address) as Hex;
  }

  /** The address in the order's `signer` field. */
  get signerAddress(): Hex {
    return this.credentials.signatureType === 3 ? this.makerAddress : this.address;
  }

  /** The L2 API key (the order's `owner`); not secret by itself. */
  get apiKey(): string {
    return this.api.key;
  }

  newClientOrderId(): string {
    return this.newId();
  }

  private remember(market: Market): PolymarketMarketRef {
    const ref = polyRef(market);
    this.tokens.set(ref.yesTokenId, { marketId: market.id, outcome: 'yes' });
    this.tokens.set(ref.noTokenId, { marketId: market.id, outcome: 'no' });
    return ref;
  }

  private headers(method: string, path: string, body?: string): Record<string, string> {
    return l2Headers(this.address, this.api, this.now(), method, path, body);
  }

  private async signedRead<T>(path: string, label: string, schema: z.ZodType<T>, query?: Readonly<Record<string, QueryValue>>, signal?: AbortSignal): Promise<{ data: T; receivedAt: number }> {
    const maxRetries = Math.max(0, this.settings.retry.maxRetries);
    for (let attempt = 1; ; attempt += 1) {
      try {
        // CCv2 signs the endpoint path without the query string.
        const r = await this.clob.get(path, { label, schema, retry: false, headers: () => this.headers('GET', path), ...(query ? { query } : {}), signal });
        return { data: r.data, receivedAt: r.receivedAt };
      } catch (error) {
        if (!(error instanceof RetryableVenueError) || attempt > maxRetries || signal?.aborted) throw error;
        await this.sleep(this.clob.backoffDelay(attempt, error.retryAfterMs));
      }
    }
  }

  /** Per-market static order data, cached (recomputed when the market's ref or tick changes). */
  private statics(market: Market): MarketStatics {
    const ref = this.remember(market);
    const tick = tickOf(market);
    const cached = this.marketStatics.get(market.id);
    if (
      cached &&
      cached.tick === tick &&
      cached.minOrderSize === market.minOrderSize &&
      cached.ref.yesTokenId === ref.yesTokenId &&
      cached.ref.noTokenId === ref.noTokenId &&
      cached.ref.negRisk === ref.negRisk &&
      cached.ref.protocolVersion === ref.protocolVersion
    ) {
      return cached;
    }
    const domain = exchangeDomainFor(ref, this.settings.chainId ?? POLYGON_CHAIN_ID, this.settings.exchanges ?? POLYMARKET_EXCHANGES);
    const statics: MarketStatics = {
      ref,
      tick,
      minOrderSize: market.minOrderSize,
      domain,
      separator: exchangeDomainSeparator(domain),
      yesToken: BigInt(ref.yesTokenId),
      noToken: BigInt(ref.noTokenId),
    };
    this.marketStatics.set(market.id, statics);
    return statics;
  }

  /** Build an order (exact amounts, struct, hash) without signing it: cheap and synchronous. */
  private build(intent: OrderIntent): BuiltOrder {
    if (intent.timeInForce === 'fok') {
      throw new OrderInputError('fill-or-kill is not available on Polymarket here: its FOK orders are amounts of pUSD, not a number of shares');
    }
    const m = this.statics(intent.market);
    if (intent.size < m.minOrderSize) {
      throw new OrderInputError(`size below the market minimum of ${formatDecimal(m.minOrderSize)} shares`);
    }
    const amounts = exactOrderAmounts(intent.action, intent.size, intent.limitPrice, m.tick);
    const struct: OrderStruct = {
      salt: saltFromClientOrderId(intent.clientOrderId),
      maker: this.makerAddress,
      signer: this.signerAddress,
      tokenId: intent.outcome === 'yes' ? m.yesToken : m.noToken,
      makerAmount: amounts.makerAmount,
      takerAmount: amounts.takerAmount,
      side: amounts.side,
      signatureType: this.credentials.signatureType,
      timestamp: BigInt(this.now()),
      metadata: BYTES32_ZERO,
      builder: BYTES32_ZERO,
    };
    const venueOrderId = orderDigest(m.separator, struct);
    this.byClientId.set(intent.clientOrderId, venueOrderId);
    this.orderSizes.set(venueOrderId.toLowerCase(), intent.size);
    // immediate-or-cancel: a limit order for exactly this many shares, the rest cancelled once answered
    return { struct, venueOrderId, cancelRest: intent.timeInForce === 'ioc' };
  }

  private bodyOf(struct: OrderStruct, signature: Hex): string {
    return JSON.stringify({
      order: {
        salt: Number(struct.salt),
        maker: struct.maker,
        signer: struct.signer,
        tokenId: struct.tokenId.toString(),
        makerAmount: struct.makerAmount.toString(),
        takerAmount: struct.takerAmount.toString(),
        side: struct.side === 0 ? 'BUY' : 'SELL',
        signatureType: struct.signatureType,
        timestamp: struct.timestamp.toString(),
        expiration: '0',
        metadata: struct.metadata,
        builder: struct.builder,
        signature,
      },
      owner: this.api.key,
      orderType: 'GTC',
      deferExec: false,
      postOnly: false,
    });
  }

  /**
   * Stage an order: built and hashed now (the hash is the order id, to persist with the
   * intent), signed by `ready()` (EIP-712, may run while the intent is flushed), sent by
   * `send()` with fresh L2 HMAC headers. The same signed order is resent after a 429.
   */
  stageOrder(intent: OrderIntent): StagedOrder {
    const built = this.build(intent);
    let prepared: PreparedOrder | null = null;
    let signing: Promise<PreparedOrder> | null = null;
    const sign = (): Promise<PreparedOrder> =>
      (signing ??= signOrderDigest(this.account, built.venueOrderId).then((signature) => {
        prepared = this.preparedOf(intent, built, signature);
        return prepared;
      }));
    return {
      intent,
      venueOrderId: built.venueOrderId,
      ready: () => sign().then(() => undefined),
      // Already signed: the request starts in this tick (no await before the POST).
      send: (signal) => (prepared !== null ? this.sendPrepared(prepared, signal) : sign().then((p) => this.sendPrepared(p, signal))),
    };
  }

  /** Build and sign an order without sending it. */
  async prepareOrder(intent: OrderIntent): Promise<PreparedOrder> {
    const built = this.build(intent);
    return this.preparedOf(intent, built, await signOrderDigest(this.account, built.venueOrderId));
  }

  /** A built order with its signature: the exact body to POST. */
  private preparedOf(intent: OrderIntent, built: BuiltOrder, signature: Hex): PreparedOrder {
    return {
      intent,
      venueOrderId: built.venueOrderId,
      struct: built.struct,
      body: this.bodyOf(built.struct, signature),
      cancelRest: built.cancelRest,
    };
  }

  /** A cheap authenticated read (collateral balance) that opens or keeps the CLOB connection warm. */
  async warmUp(signal?: AbortSignal): Promise<void> {
    try {
      await this.balanceOf({ asset_type: 'COLLATERAL' }, signal);
    } catch {
      // a failed warm-up changes nothing: the order will open its own connection
    }
  }

  /** Send a prepared order (once). */
  async sendPrepared(prepared: PreparedOrder, signal?: AbortSignal): Promise<OrderState> {
    const label = 'POST /order';
    const { intent } = prepared;
    let data: PostOrderResponse;
    try {
      const r = await this.clob.post('/order', {
        label,
        body: prepared.body,
        schema: postOrderResponseSchema,
        retry: false,
        headers: () => this.headers('POST', '/order', prepared.body),
        signal,
      });
      data = r.data;
    } catch (error) {
      // 503 "Trading is currently disabled / cancel-only": a definite refusal.
      if (error instanceof RetryableVenueError && /trading is currently (disabled|cancel-only)/i.test(error.message)) {
        throw new RejectedVenueError(error.message, { venue: VENUE, endpoint: label, status: error.status, code: error.code, cause: error });
      }
      throw classifyWriteError(error, { clientOrderId: intent.clientOrderId, venueOrderId: prepared.venueOrderId });
    }
    if (!data.success || (typeof data.errorMsg === 'string' && data.errorMsg !== '')) {
      throw new RejectedVenueError(data.errorMsg || 'order not accepted', { venue: VENUE, endpoint: label, status: 200, code: 'not-accepted' });
    }
    const venueOrderId = data.orderID && data.orderID !== '' ? data.orderID : prepared.venueOrderId;
    const answered = this.answerState(prepared, data, venueOrderId, label);
    if (!prepared.cancelRest) return answered;
    this.cancelIfResting.add(venueOrderId.toLowerCase());
    // Matched in full, refused, or not known yet (delayed, no amounts): nothing rests for sure.
    // A delayed order is cancelled if it is found resting when polled (`getOrder`).
    if (answered.status !== 'open') return answered;
    return this.cancelRestOf(answered, intent, signal);
  }

  /**
   * What the `POST /order` answer says. Its amounts are what matched, in decimal units or
   * raw 6-decimal units (`readAmount`); they are often empty strings (a resting or refused
   * order), and the docs' example of a resting ("live") order carries the order's own
   * amounts: a live order's fills are not read from the answer (0 until polled), and a
   * "matched" answer without amounts is unknown (polled), never taken as nothing filled.
   */
  private answerState(prepared: PreparedOrder, data: PostOrderResponse, venueOrderId: string, label: string): OrderState {
    const { intent } = prepared;
    const s = prepared.struct;
    const sharesRaw = s.side === 0 ? s.takerAmount : s.makerAmount;
    const cashRaw = s.side === 0 ? s.makerAmount : s.takerAmount;
    const present = (t: string | undefined): t is string => t !== undefined && t.trim() !== '';
    const amountsKnown = present(data.takingAmount) && present(data.makingAmount);
    const sharesText = s.side === 0 ? data.takingAmount : data.makingAmount;
    const cashText = s.side === 0 ? data.makingAmount : data.takingAmount;
    const shares = amountsKnown ? dec(sharesText as string, label, s.side === 0 ? 'takingAmount' : 'makingAmount', (t) => readAmount(t, sharesRaw, intent.size)) : 0n;
    const cash = amountsKnown ? dec(cashText as string, label, s.side === 0 ? 'makingAmount' : 'takingAmount', (t) => readAmount(t, cashRaw, intent.size)) : 0n;
    const word = data.status ?? '';
    let status = orderStatusFrom(word);
    if (word.toLowerCase() === 'unmatched') status = 'unknown';
    if (status === 'filled' && !amountsKnown) status = 'unknown';
    // part matched: the rest rests (a GTC order; an immediate-or-cancel one has it cancelled next)
    if (status === 'filled' && shares < intent.size) status = 'open';
    // a resting order: what matched of it is read by polling, not from this answer
    const filled = status === 'filled' || status === 'canceled' || (status === 'open' && word.toLowerCase() !== 'live') ? shares : 0n;
    return {
      venue: VENUE,
      venueOrderId,
      clientOrderId: intent.clientOrderId,
      marketId: intent.market.id,
      outcome: intent.outcome,
      action: intent.action,
      status,
      venueStatus: word,
      limitPrice: intent.limitPrice,
      requestedSize: intent.size,
      filledSize: filled,
      remainingSize: status === 'open' ? intent.size - filled : status === 'filled' || status === 'canceled' ? 0n : null,
      averagePrice: filled > 0n && cash > 0n ? divRound(cash * SCALE, shares, 'half-even') : null,
      fees: null,
      updatedAt: null,
    };
  }

  /**
   * An immediate-or-cancel order found resting: cancel what rests, then read what it
   * became. When the cancel or the read fails, the answer is `unknown` (the caller polls;
   * `getOrder` cancels it again if it still rests).
   */
  private async cancelRestOf(answered: OrderState, intent: OrderIntent, signal?: AbortSignal): Promise<OrderState> {
    const { venueOrderId } = answered;
    const unknown: OrderState = { ...answered, status: 'unknown', venueStatus: 'cancel-pending', filledSize: 0n, remainingSize: null, averagePrice: null };
    try {
      await this.cancelOrder({ market: intent.market, venueOrderId }, signal);
      const after = await this.readOrder({ market: intent.market, venueOrderId }, signal);
      if (after === null || after.status === 'open') return unknown;
      return { ...after, clientOrderId: intent.clientOrderId };
    } catch {
      return unknown;
    }
  }

  async placeOrder(intent: OrderIntent, signal?: AbortSignal): Promise<OrderState> {
    return this.sendPrepared(await this.prepareOrder(intent), signal);
  }

  orderFromWire(o: OpenOrderWire, market: Market, endpoint: string): OrderState {
    const ref = this.remember(market);
    const outcome: Outcome | null = o.asset_id === ref.yesTokenId ? 'yes' : o.asset_id === ref.noTokenId ? 'no' : null;
    if (outcome === null) {
      throw new MalformedVenueError(`malformed response: asset_id: not a token of market ${market.id}`, { venue: VENUE, endpoint, field: 'asset_id' });
    }
    const original = dec(o.original_size, endpoint, 'original_size', readShares);
    const matched = dec(o.size_matched, endpoint, 'size_matched', (t) => readOrderSizes(o.original_size, t).matched);
    const status = orderStatusFrom(o.status);
    return {
      venue: VENUE,
      venueOrderId: o.id,
      clientOrderId: [...this.byClientId].find(([, h]) => h.toLowerCase() === o.id.toLowerCase())?.[0] ?? null,
      marketId: market.id,
      outcome,
      action: o.side.toUpperCase() === 'BUY' ? 'buy' : 'sell',
      status,
      venueStatus: o.status,
      limitPrice: dec(o.price, endpoint, 'price'),
      requestedSize: original,
      filledSize: matched,
      remainingSize: status === 'open' ? original - matched : status === 'filled' || status === 'canceled' ? 0n : null,
      averagePrice: null,
      fees: null,
      updatedAt: null,
    };
  }

  /**
   * The order as the venue has it. An immediate-or-cancel order of this client found resting
   * (after a delayed match, or a cancel that failed) is cancelled first, then read again.
   */
  async getOrder(ref: OrderRef, signal?: AbortSignal): Promise<OrderState | null> {
    const state = await this.readOrder(ref, signal);
    if (state === null || state.status !== 'open' || !this.cancelIfResting.has(ref.venueOrderId.toLowerCase())) return state;
    await this.cancelOrder(ref, signal);
    return this.readOrder(ref, signal);
  }

  private async readOrder(ref: OrderRef, signal?: AbortSignal): Promise<OrderState | null> {
    const label = 'GET /data/order/{id}';
    try {
      const r = await this.signedRead(`/data/order/${encodeURIComponent(ref.venueOrderId)}`, label, getOrderResponseSchema, undefined, signal);
      return r.data === null ? null : this.orderFromWire(r.data, ref.market, label);
    } catch (error) {
      if (error instanceof RejectedVenueError && error.status === 404) return null;
      throw error;
    }
  }

  /** Orders built by this process are found by their hash; others cannot be matched to a client id. */
  async findOrder(market: Market, clientOrderId: string, _sinceMs: number, signal?: AbortSignal): Promise<OrderState | null> {
    const hash = this.byClientId.get(clientOrderId);
    if (hash === undefined) return null;
    return this.getOrder({ market, venueOrderId: hash }, signal);
  }

  /** Record a client id → order hash pair persisted by a previous run (reconciliation). */
  rememberOrder(clientOrderId: string, venueOrderId: Hex): void {
    this.byClientId.set(clientOrderId, venueOrderId);
  }

  async cancelOrder(ref: OrderRef, signal?: AbortSignal): Promise<CancelResult> {
    const label = 'DELETE /order';
    const body = JSON.stringify({ orderID: ref.venueOrderId });
    const maxRetries = Math.max(0, this.settings.retry.maxRetries);
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A cancel is idempotent: retried with fresh headers.
        const r = await this.clob.request('DELETE', '/order', { label, body, schema: cancelResponseSchema, retry: false, headers: () => this.headers('DELETE', '/order', body), signal });
        const canceled = (r.data.canceled ?? []).some((id) => id.toLowerCase() === ref.venueOrderId.toLowerCase());
        if (canceled) return { kind: 'canceled', canceledSize: null };
        const reason = Object.entries(r.data.not_canceled ?? {}).find(([id]) => id.toLowerCase() === ref.venueOrderId.toLowerCase())?.[1];
        return { kind: 'not-cancelable', reason: typeof reason === 'string' ? reason : 'not canceled' };
      } catch (error) {
        if (!(error instanceof RetryableVenueError) || attempt > maxRetries || signal?.aborted) throw error;
        await this.sleep(this.clob.backoffDelay(attempt, error.retryAfterMs));
      }
    }
  }

  /** The size of one of our orders (scale 1e6): given by the caller, else built by this client, else unknown. */
  private orderSize(venueOrderId: string, given: ReadonlyMap<string, Size> | undefined): Size | null {
    const id = venueOrderId.toLowerCase();
    return given?.get(id) ?? this.orderSizes.get(id) ?? null;
  }

  private fillsFromTrade(t: TradeWire, endpoint: string, field: string, sizes?: ReadonlyMap<string, Size>): Fill[] {
    const status = stripPrefix(t.status);
    const final = status === 'CONFIRMED';
    const failed = status === 'FAILED';
    const time = Number(t.match_time) * 1000;
    const base = { venue: VENUE, final, failed, venueStatus: status, time } as const;
    const tokenOf = (assetId: string, f: string): { marketId: string; outcome: Outcome } => {
      const known = this.tokens.get(assetId);
      if (!known) throw new OrderInputError(`${endpoint} ${f}: token ${assetId} belongs to no market given to this client; pass the market`);
      return known;
    };
    const mine = (owner?: string, maker?: string): boolean =>
      owner === this.api.key || (maker !== undefined && maker.toLowerCase() === this.makerAddress.toLowerCase());
    if (t.trader_side !== 'MAKER') {
      const tok = tokenOf(t.asset_id, `${field}.asset_id`);
      return [
        {
          ...base,
          tradeId: t.id,
          venueOrderId: t.taker_order_id,
          marketId: tok.marketId,
          outcome: tok.outcome,
          action: t.side.toUpperCase() === 'BUY' ? 'buy' : 'sell',
          price: dec(t.price, endpoint, `${field}.price`),
          size: dec(t.size, endpoint, `${field}.size`, (x) => readTradeShares(x, this.orderSize(t.taker_order_id, sizes))),
          fee: null,
          isTaker: true,
        },
      ];
    }
    return (t.maker_orders ?? [])
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => mine(m.owner, m.maker_address))
      .map(({ m, i }) => {
        const tok = tokenOf(m.asset_id, `${field}.maker_orders[${i}].asset_id`);
        const side = (m.side ?? (t.side.toUpperCase() === 'BUY' ? 'SELL' : 'BUY')).toUpperCase();
        return {
          ...base,
          tradeId: `${t.id}:${m.order_id}`,
          venueOrderId: m.order_id,
          marketId: tok.marketId,
          outcome: tok.outcome,
          action: side === 'BUY' ? ('buy' as const) : ('sell' as const),
          price: dec(m.price, endpoint, `${field}.maker_orders[${i}].price`),
          size: dec(m.matched_amount, endpoint, `${field}.maker_orders[${i}].matched_amount`, (x) => readTradeShares(x, this.orderSize(m.order_id, sizes))),
          fee: null as Money | null,
          isTaker: false,
        };
      });
  }

  async fills(query: FillsQuery): Promise<Fill[]> {
    const label = 'GET /data/trades';
    const ref = query.market ? this.remember(query.market) : null;
    const out: Fill[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < (this.settings.maxPages ?? 100); page += 1) {
      const r = await this.signedRead(
        '/data/trades',
        label,
        tradesPageSchema,
        {
          market: query.market?.id,
          maker_address: this.makerAddress,
          after: Math.floor(query.sinceMs / 1000),
          next_cursor: cursor,
        },
        query.signal,
      );
      r.data.data.forEach((t, i) => {
        if (ref !== null && t.market !== query.market?.id) return;
        for (const f of this.fillsFromTrade(t, label, `data[${i}]`, query.orderSizes)) {
          if (f.time < query.sinceMs || seen.has(f.tradeId)) continue;
          seen.add(f.tradeId);
          out.push(f);
        }
      });
      const next = r.data.next_cursor;
      // stop at the end cursor, an empty page, or a cursor the server repeats; a page with
      // none of ours (maker trades of others) does not end the list (found in review)
      if (!next || next === END_CURSOR || next === cursor || r.data.data.length === 0) break;
      if (page + 1 >= (this.settings.maxPages ?? 100)) {
        throw new MalformedVenueError(`malformed response: next_cursor: more than ${this.settings.maxPages ?? 100} pages (the list never ended): not read as complete`, { venue: VENUE, endpoint: label, field: 'next_cursor' });
      }
      cursor = next;
    }
    return out;
  }

  private async balanceOf(query: Readonly<Record<string, QueryValue>>, signal?: AbortSignal): Promise<{ value: bigint; receivedAt: number }> {
    const label = 'GET /balance-allowance';
    const r = await this.signedRead('/balance-allowance', label, balanceAllowanceSchema, { ...query, signature_type: this.credentials.signatureType }, signal);
    // 6-decimal fixed math as an integer string (CCv2); a decimal point means dollars/shares.
    const t = r.data.balance;
    return { value: t.includes('.') ? dec(t, label, 'balance') : BigInt(t), receivedAt: r.receivedAt };
  }

  async positions(markets: readonly Market[], signal?: AbortSignal): Promise<Position[]> {
    const out: Position[] = [];
    for (const market of markets) {
      const ref = this.remember(market);
      const assetType = ref.protocolVersion === 'v2' ? 'CONDITIONAL-V2' : 'CONDITIONAL';
      const [yes, no] = await Promise.all([
        this.balanceOf({ asset_type: assetType, token_id: ref.yesTokenId }, signal),
        this.balanceOf({ asset_type: assetType, token_id: ref.noTokenId }, signal),
      ]);
      out.push({ venue: VENUE, marketId: market.id, yes: yes.value, no: no.value });
    }
    return out;
  }

  async balance(signal?: AbortSignal): Promise<VenueBalance> {
    const b = await this.balanceOf({ asset_type: 'COLLATERAL' }, signal);
    return { venue: VENUE, available: b.value, shards: [], receivedAt: b.receivedAt };
  }

  traffic(): VenueTraffic {
    return this.clob.traffic();
  }

  close(): Promise<void> {
    return this.clob.close();
  }
}
