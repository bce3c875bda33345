/**
 * The executor: runs arbitrage attempts through the attempt state machine
 * (domain/attempt.ts) against two TradingVenues (real clients or paper venues,
 * the same code), and reconciles open attempts at start-up.
 *
 * Order of things for one attempt:
 * 1. risk gate (pure, state read from the database and memory), pair marked in flight;
 * 2. client ids minted; orders staged where the venue can (`stageOrder`: built, checked,
 *    and for Polymarket hashed: the hash is the order id); the trade row, both orders as
 *    `pending` (with any known order id) and the audit entry are written with
 *    `writeCritical` (on disk) BEFORE any request; the orders are signed while that flush
 *    runs, and both are handed to the venues in the same tick once it has resolved;
 * 3. orders sent (both at once, or the less liquid leg first and then a hedge of exactly
 *    what filled); a timeout / 5xx / duplicate id / unreadable answer is *unknown*: the
 *    order is polled (`getOrder`, or `findOrder` by our client id) until a deadline,
 *    never sent again; a 429 was not accepted and is retried with the SAME client id
 *    (and the same signed order) until the deadline;
 * 4. fills recorded once by (venue, fill id), positions moved by new fills only;
 * 5. unequal fills: unwind only the excess at a bounded worst price, or alert;
 * 6. the trade row gets its classification, hedged size, realised P&L and the expected vs
 *    realised edge; cool-down, one-leg failure count and circuit breaker updated.
 * Every step is in the audit log (actor `engine`, subject `trade:<id>`).
 */
import { z } from 'zod';
import {
  applyEvent,
  AttemptTransitionError,
  classifyFills,
  excessOf,
  FINAL_STATUS_WORDS,
  initialAttempt,
  otherLeg,
  attemptStatusWord,
  type AttemptEvent,
  type AttemptOutcome,
  type AttemptState,
  type LegIndex,
  type LegMode,
} from '../../domain/attempt.js';
import { feeFor, type KalshiFeeRounding } from '../../domain/fees.js';
import { snapToPriceGrid, type Market, type VenueId } from '../../domain/market.js';
import { divRound, formatDecimal, min, mul, notional, ONE, roundToStep, SCALE, type Money, type Price, type Size } from '../../domain/money.js';
import { depthAtOrBelow, type OrderBook } from '../../domain/order-book.js';
import type { ArbDatabase } from '../../persistence/database.js';
import type { Repositories } from '../../persistence/repositories.js';
import type { FillRow, OrderRow, PositionRow } from '../../persistence/repositories/orders.js';
import type { TradeRow } from '../../persistence/repositories/trades.js';
import type { ConfirmResult } from '../../app/actions.js';
import { shortPairKey, splitPairKey } from '../../matching/candidate.js';
import { MalformedVenueError, RetryableVenueError } from '../../venues/errors.js';
import {
  DuplicateOrderError,
  UnknownOutcomeError,
  type Fill,
  type OrderIntent,
  type OrderState,
  type ShardBalance,
  type StagedOrder,
  type TradingVenue,
} from '../../venues/trading.js';
import type { AccountLimits, Opportunity } from '../detector.js';
import {
  applyFill,
  FINAL_ORDER_STATES,
  heldCost,
  heldCostByMarket,
  ORDER_TYPE_LEG0,
  ORDER_TYPE_LEG1,
  ORDER_TYPE_UNWIND,
  realisedToday,
  replayPosition,
  tradeFigures,
  type TradeFigures,
} from './ledger.js';
import { checkRisk, type RiskDecision, type RiskRequest, type RiskState } from './risk-gate.js';
import { CIRCUIT_BREAKER_KEY, KILL_SWITCH_KEY, PAIR_BLOCKED_PREFIX, type ExecutionSettings } from './settings.js';
import { fillView, orderView, positionView, type ExecutionUpdate } from './views.js';

export interface ExecutorDeps {
  readonly db: ArbDatabase;
  readonly sessionId: number;
  readonly venues: Readonly<Record<VenueId, TradingVenue>>;
  readonly now: () => number;
  /** Defaults to setTimeout; tests may pass a fake one. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly settings: ExecutionSettings;
  readonly onUpdate?: (update: ExecutionUpdate) => void;
  /** What the account can pay for moved (`accountView`): balances read again, an attempt's reservation released. */
  readonly onAccountChange?: () => void;
  /** Something a person must see now (one leg exposed, unresolved order, breaker tripped). */
  readonly onAlert?: (message: string) => void;
  /** Each attempt as it goes (started, then how it ended), for the log a person reads. */
  readonly onLog?: (level: 'info' | 'warn', message: string) => void;
  /** Latest books, to send the less liquid leg first in sequential mode. */
  readonly books?: (venue: VenueId, marketId: string) => OrderBook | undefined;
  /**
   * Markets by id, for reconciling attempts of an earlier run. May wait (the app's
   * catalogs load after start-up): reconciliation awaits the answer.
   */
  readonly resolveMarket?: (venue: VenueId, marketId: string) => Market | undefined | Promise<Market | undefined>;
  /** Rows shown as paper orders in the UI. */
  readonly paper?: boolean;
  readonly kalshiFeeRounding?: KalshiFeeRounding;
}

export interface ExecuteOptions {
  /** The ticket's override of the configured leg mode. */
  readonly legMode?: LegMode;
  readonly actor?: 'user' | 'engine';
}

export interface AttemptReport {
  readonly tradeId: number;
  readonly pairKey: string;
  /** Null while an order is unresolved (left for reconciliation). */
  readonly outcome: AttemptOutcome | null;
  readonly status: string;
  readonly state: AttemptState;
}

export interface ExecutionStart {
  readonly result: ConfirmResult;
  /** Resolves when the attempt ends (or is left unresolved); null when refused. */
  readonly completion: Promise<AttemptReport> | null;
}

export type ReconcileResult =
  | { readonly armed: true; readonly settled: number; readonly notes: readonly string[] }
  | { readonly armed: false; readonly reason: string };

type LegRole = LegIndex | 'unwind';

interface Staging {
  staged: StagedOrder | null;
  error: unknown;
}

interface LegRun {
  readonly role: LegRole;
  readonly venue: TradingVenue;
  readonly intent: OrderIntent;
  /** The venue's staged order (built and signed ahead), null for venues without stageOrder. */
  readonly staged: StagedOrder | null;
  venueOrderId: string | null;
  readonly sentAt: number;
}

interface AttemptRun {
  readonly tradeId: number;
  readonly pairKey: string;
  readonly markets: readonly [Market, Market];
  readonly opportunity: Opportunity;
  readonly size: Size;
  state: AttemptState;
}

const FINAL_STATUSES = new Set(['filled', 'canceled', 'rejected']);

/** app_state key prefix: shares a venue withheld from an order as its fee (see #recordFills). */
export const SHARES_WITHHELD_PREFIX = 'shares_withheld:';
/** When an order's fills that were matched but not final are read again (after the previous check). */
const SETTLEMENT_CHECKS_MS = [30_000, 90_000, 480_000, 1_200_000] as const;
/** While a venue's balance cannot be read, the account view reads the balances again at most this often. */
const BALANCE_RETRY_MS = 10_000;
/** The same risk denial of a pair is written to the audit log at most this often. */
const DENIAL_AUDIT_MS = 60_000;
/** Position reads when reading back the shares a buy received. */
const SHARE_READS = 3;

/**
 * The venue's fills of one order (ids compared without case), read from a minute before it
 * was sent; the order's size goes with the query, so that a venue can read the fills' sizes
 * in the order's unit even after a restart.
 */
async function orderFills(venue: TradingVenue, intent: OrderIntent, venueOrderId: string, sinceMs: number): Promise<Fill[]> {
  const id = venueOrderId.toLowerCase();
  const fills = await venue.fills({ sinceMs: sinceMs - 60_000, market: intent.market, orderSizes: new Map([[id, intent.size]]) });
  return fills.filter((f) => f.venueOrderId.toLowerCase() === id);
}

/** Shares the venue withheld from an order as its fee, as `#recordFills` kept them (0 when none). */
function sharesWithheld(r: Repositories, clientOrderId: string): Size {
  return BigInt(r.state.get(`${SHARES_WITHHELD_PREFIX}${clientOrderId}`) ?? '0');
}

/** Shares of an order the venue voided after matching (failed on chain): in its filled size, never held. */
function voidedSize(r: Repositories, clientOrderId: string): Size {
  return r.orders.voidedFillsForOrder(clientOrderId).reduce((n, f) => n + f.size, 0n);
}

/**
 * An order's shares already accounted for: its fills, what the venue withheld as its fee (in
 * its filled size too), and fills it voided after matching (in its filled size, never held).
 */
function bookedShares(r: Repositories, clientOrderId: string): Size {
  return r.orders.fillsForOrder(clientOrderId).reduce((n, f) => n + f.size, 0n) + voidedSize(r, clientOrderId) + sharesWithheld(r, clientOrderId);
}

/**
 * Whether an order's shares were booked as a fill derived from the order (its fills could not
 * be read then): the venue's own fills read later are those same shares.
 */
function hasDerivedFill(recordedIds: ReadonlySet<string>): boolean {
  for (const id of recordedIds) if (id.startsWith('derived:')) return true;
  return false;
}

/** An order's fill ids recorded so far, voided ones included (a fill is never booked twice). */
function recordedFillIds(r: Repositories, clientOrderId: string): Set<string> {
  return new Set([...r.orders.fillsForOrder(clientOrderId), ...r.orders.voidedFillsForOrder(clientOrderId)].map((f) => f.venueFillId));
}

/** A settlement watch left by a run is taken up again until this long after its order was sent. */
const SETTLEMENT_GIVE_UP_MS = 86_400_000;
/** app_state key prefix: an order whose fills are matched but not final, followed until they are (see #watchSettlement). */
export const SETTLEMENT_WATCH_PREFIX = 'settlement_watch:';

/** What app_state keeps of a settlement watch (checked when read back: the file is an external input). */
const SETTLEMENT_WATCH = z.object({ tradeId: z.number().int().nullable(), venueOrderId: z.string().min(1), sinceMs: z.number().finite() });
type SettlementWatch = z.infer<typeof SETTLEMENT_WATCH>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isFinal(s: OrderState): boolean {
  return FINAL_STATUSES.has(s.status);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const d = (error as { describe?: () => string }).describe;
    return typeof d === 'function' ? d.call(error) : `${error.name}: ${error.message}`;
  }
  return String(error);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The reservation of an attempt left unresolved, kept until reconciliation (see `#heldUntilReconciled`). */
interface HeldReservation {
  readonly tradeId: number;
  /** Balances were read after the attempt ended: what it spent is in them. */
  inBalances: boolean;
}

/** A Kalshi market's exchange shard (`exchange_index`), when its data says. */
function kalshiShardOf(market: Market): number | null {
  // -1 (or none) means "auto-route": the shard is not known here
  return market.ref.venue === 'kalshi' && market.ref.exchangeIndex !== null && market.ref.exchangeIndex >= 0 ? market.ref.exchangeIndex : null;
}

/** "KALSHI-TICKER|0xcondition" — the same key as the matcher's pairKey. */
export function pairKeyOf(kalshiMarketId: string, polymarketMarketId: string): string {
  return `${kalshiMarketId}|${polymarketMarketId}`;
}

export class Executor {
  readonly #deps: ExecutorDeps;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #inFlight = new Set<string>();
  /**
   * What attempts under way may still spend (their request's notional and leg costs), by
   * attempt: the risk gate counts it as held and as spent from the balances, so that attempts
   * started a few milliseconds apart cannot each pass limits their sum breaks. Released once
   * the attempt has ended and the balances were read again.
   */
  readonly #reserved = new Set<RiskRequest>();
  /**
   * Reservations of attempts left unresolved (an order's fate unknown) or ended by an
   * error: what they may have spent is in no position and in no balance read yet, so it
   * stays reserved until reconciliation has read the venues.
   */
  readonly #heldUntilReconciled = new Map<RiskRequest, HeldReservation>();
  /** Pairs whose attempt ended with an unresolved order: blocked until reconciled. */
  readonly #unresolved = new Set<string>();
  readonly #cooldownUntil = new Map<string, number>();
  readonly #oneLegFailures = new Map<string, number>();
  readonly #running = new Set<Promise<AttemptReport>>();
  /** The last risk denial written to the audit log, per pair. */
  readonly #lastDenial = new Map<string, { readonly code: string; readonly at: number }>();
  /** Calls of `start` not answered yet (an attempt's intent being written). */
  readonly #starting = new Set<Promise<ExecutionStart>>();
  /** Set by `stop`: why new attempts are refused. */
  #stopping: string | null = null;
  /** Attempts under way by trade id (a settlement watch waits for its trade's attempt to end). */
  readonly #attempts = new Map<number, Promise<AttemptReport>>();
  /** When the account view may read unknown balances again (see BALANCE_RETRY_MS), and whether its read is under way. */
  #balanceRetryAt = 0;
  #balanceRetrying = false;
  /** Orders whose settlement is being watched (one watch per order). */
  readonly #watching = new Set<string>();
  #consecutiveFailures = 0;
  #balances: Partial<Record<VenueId, Money | null>> = {};
  /** The last balance read's breakdown by exchange shard (Kalshi), null when that read failed. */
  #shards: Partial<Record<VenueId, readonly ShardBalance[] | null>> = {};
  #daily: { day: number; pnl: Money } | null = null;
  #armed = false;
  #readOnlyReason: string | null = 'not reconciled yet';

  constructor(deps: ExecutorDeps) {
    this.#deps = deps;
    this.#sleep = deps.sleep ?? defaultSleep;
  }

  get armed(): boolean {
    return this.#armed;
  }

  get readOnlyReason(): string | null {
    return this.#readOnlyReason;
  }

  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  /**
   * Resolves when every attempt started so far has ended, including those still being
   * started (their intent being written, their balances read): they send their orders
   * once that is done.
   */
  async idle(): Promise<void> {
    while (this.#starting.size > 0 || this.#running.size > 0) await Promise.allSettled([...this.#starting, ...this.#running]);
  }

  /**
   * The app is stopping: refuse every new attempt (with `reason`), then wait for those
   * under way to end, so that nothing is sent after the venues and the database are closed
   * (found in review: an attempt still writing its intent sent its orders after both were).
   */
  async stop(reason: string): Promise<void> {
    this.#stopping = reason;
    await this.idle();
  }

  // ------------------------------------------------------------------ helpers

  #now(): number {
    return this.#deps.now();
  }

  #audit(kind: string, tradeId: number | null, detail?: unknown, repos?: Repositories): void {
    const entry = {
      actor: 'engine' as const,
      kind,
      subject: tradeId === null ? null : `trade:${tradeId}`,
      detail,
      sessionId: this.#deps.sessionId,
      at: this.#now(),
    };
    if (repos) repos.audit.append(entry);
    else this.#deps.db.write((r) => r.audit.append(entry));
  }

  #alert(message: string, tradeId: number | null): void {
    this.#audit('alert', tradeId, { message });
    this.#deps.onAlert?.(message);
  }

  #emit(
    orders: readonly OrderRow[],
    fills: readonly FillRow[],
    positions: readonly PositionRow[],
    pairKey: string | null,
    titles: ReadonlyMap<string, Market>,
    /** `fills` are fills the venue voided (shown marked) */
    voided = false,
  ): void {
    const onUpdate = this.#deps.onUpdate;
    if (!onUpdate) return;
    const r = this.#deps.db.repos;
    onUpdate({
      orders: orders.map((o) => orderView(o, r.orders.fillsForOrder(o.clientOrderId), pairKey, this.#deps.paper ?? false, voidedSize(r, o.clientOrderId))),
      fills: fills.map((f) => fillView(f, voided)),
      positions: positions.map((p) => positionView(p, titles.get(`${p.venue}|${p.marketId}`) ?? null, pairKey)),
    });
  }

  /** The attempt's markets by `venue|id` (the positions it touches are named from them). */
  #titles(run: AttemptRun): Map<string, Market> {
    return new Map(run.markets.map((m) => [`${m.venue}|${m.id}`, m]));
  }

  #event(run: AttemptRun, event: AttemptEvent): void {
    try {
      run.state = applyEvent(run.state, event);
    } catch (error) {
      if (!(error instanceof AttemptTransitionError)) throw error;
      // A venue answer the state machine refuses (e.g. more filled than asked): a bug or a venue fault.
      this.#audit('invariant-violation', run.tradeId, { event, error: error.message });
      this.#deps.onAlert?.(`trade ${run.tradeId}: ${error.message}`);
    }
  }

  // ------------------------------------------------------------------ risk

  #isHalted(): boolean {
    return this.#deps.db.repos.state.get(KILL_SWITCH_KEY) === 'on';
  }

  #breakerTripped(): boolean {
    return this.#deps.db.repos.state.get(CIRCUIT_BREAKER_KEY) === 'tripped';
  }

  #dailyPnl(): Money {
    const day = Math.floor(this.#now() / 86_400_000);
    if (this.#daily === null || this.#daily.day !== day) {
      this.#daily = { day, pnl: realisedToday(this.#deps.db.repos, this.#now()) };
    }
    return this.#daily.pnl;
  }

  riskState(pairKey: string, markets: readonly [Market, Market]): RiskState {
    const r = this.#deps.db.repos;
    const positions = r.orders.positions();
    const pairMarkets = new Set(markets.map((m) => `${m.venue}|${m.id}`));
    return {
      now: this.#now(),
      halted: this.#isHalted(),
      breakerTripped: this.#breakerTripped(),
      consecutiveFailures: this.#consecutiveFailures,
      pairBlocked: r.state.get(`${PAIR_BLOCKED_PREFIX}${pairKey}`) === 'blocked',
      pairOneLegFailures: this.#oneLegFailures.get(pairKey) ?? 0,
      pairInFlight: this.#inFlight.has(pairKey) || this.#unresolved.has(pairKey),
      marketInFlight: this.#marketInFlight(pairKey, markets),
      pairCooldownUntil: this.#cooldownUntil.get(pairKey) ?? null,
      pairNotional: heldCost(positions, pairMarkets),
      totalExposure: heldCost(positions) + this.#reservedNotional(),
      dailyRealisedPnl: this.#dailyPnl(),
      balances: this.#balancesLeft(markets),
      ...this.#balanceScopes(markets),
    };
  }

  /**
   * Another pair whose attempt is in flight or unresolved on one of `markets` (a Kalshi
   * market paired with two Polymarket markets, or back): its key, else null. Both
   * attempts would be sized on the same book and race for its depth.
   */
  #marketInFlight(pairKey: string, markets: readonly [Market, Market]): string | null {
    const mine = (venue: VenueId, id: string): boolean => markets.some((m) => m.venue === venue && m.id === id);
    for (const busy of [this.#inFlight, this.#unresolved]) {
      for (const key of busy) {
        if (key === pairKey) continue;
        const other = splitPairKey(key);
        if (other !== null && (mine('kalshi', other.kalshi) || mine('polymarket', other.polymarket))) return shortPairKey(key);
      }
    }
    return null;
  }

  /**
   * What the account can pay for now, per pair, by the risk gate's own measures: the least
   * of what a trade, the pair and total exposure have left, and each venue's money left.
   * The detector sizes opportunities to it, so that the size shown passes the gate
   * (the gate still decides, at the moment of the trade). Reads the positions once.
   */
  accountView(): (kalshi: Market, polymarket: Market) => AccountLimits {
    const positions = this.#deps.db.repos.orders.positions();
    const s = this.#deps.settings;
    const exposureLeft = s.maxTotalExposure - heldCost(positions) - this.#reservedNotional();
    const tradeOrExposure = min(exposureLeft, s.maxTradeNotional);
    const balances = this.#balancesLeft();
    // unknown (null, a read failed) limits no size here, and makes nothing tradable (the gate refuses it at trade time)
    const kalshi = balances.kalshi ?? undefined;
    const polymarket = balances.polymarket ?? undefined;
    const balanceUnknown = balances.kalshi === null || balances.polymarket === null;
    // nothing is tradable while a balance is unknown, so no attempt would read it again: read it from here (throttled)
    if (balanceUnknown && this.#armed && this.#now() >= this.#balanceRetryAt && !this.#balanceRetrying) {
      this.#balanceRetryAt = this.#now() + BALANCE_RETRY_MS;
      this.#balanceRetrying = true;
      this.#balancesRead = this.refreshBalances().finally(() => {
        this.#balanceRetrying = false;
      });
    }
    // cost held per market, read once for every pair of the pass
    const heldByMarket = heldCostByMarket(positions);
    return (k, p) => {
      // (the two markets are on two venues: never the same market counted twice)
      const held = (heldByMarket.get(`${k.venue}|${k.id}`) ?? 0n) + (heldByMarket.get(`${p.venue}|${p.id}`) ?? 0n);
      // Kalshi collateral is per exchange shard: the pair can use what its market's shard holds
      const shard = kalshi === undefined ? undefined : this.#kalshiShardLeft(kalshiShardOf(k));
      const kalshiLeft = shard === undefined || kalshi === undefined ? kalshi : min(kalshi, shard);
      return { capital: min(s.maxPairNotional - held, tradeOrExposure), kalshi: kalshiLeft, polymarket, ...(balanceUnknown ? { balanceUnknown } : {}) };
    };
  }

  /**
   * What a Kalshi exchange shard has left (its balance less what attempts under way on it
   * may spend), when the last balance read broke the balance down by shard and the
   * market's shard is known; a shard the breakdown does not list holds nothing. Undefined
   * when not known (the account's total applies).
   */
  #kalshiShardLeft(shard: number | null): Money | undefined {
    const shards = this.#shards.kalshi;
    if (shard === null || shards === undefined || shards === null || shards.length === 0) return undefined;
    let left = shards.find((x) => x.exchangeIndex === shard)?.available ?? 0n;
    for (const r of this.#reserved) if (r.kalshiShard === shard && !this.#heldUntilReconciled.get(r)?.inBalances) left -= r.legCost.kalshi;
    return left;
  }

  /** Where the Kalshi balance the gate compares is held, when it is one shard's. */
  #balanceScopes(markets: readonly [Market, Market]): { balanceScopes?: Partial<Record<VenueId, string>> } {
    const k = markets.find((m) => m.venue === 'kalshi');
    const shard = k === undefined ? null : kalshiShardOf(k);
    return shard !== null && this.#kalshiShardLeft(shard) !== undefined ? { balanceScopes: { kalshi: `exchange shard ${shard}` } } : {};
  }

  /**
   * What attempts under way may still spend; for an attempt left unresolved, what it may
   * have spent beyond the fills already booked for it (those are in the positions: not
   * counted twice).
   */
  #reservedNotional(): Money {
    let sum = 0n;
    for (const r of this.#reserved) {
      const held = this.#heldUntilReconciled.get(r);
      if (held === undefined) sum += r.notional;
      else {
        const left = r.notional - this.#bookedBuyCost(held.tradeId);
        if (left > 0n) sum += left;
      }
    }
    return sum;
  }

  /** The cost (fees included) of the buy fills booked for a trade. */
  #bookedBuyCost(tradeId: number): Money {
    const r = this.#deps.db.repos;
    let cost = 0n;
    for (const o of r.orders.listByTrade(tradeId)) {
      for (const f of r.orders.fillsForOrder(o.clientOrderId)) if (f.action === 'buy') cost += notional(f.price, f.size, 'ceil') + f.fee;
    }
    return cost;
  }

  /**
   * The balances last read, less what attempts under way may still spend (unknown stays
   * unknown); with `markets`, Kalshi's is at most what the Kalshi market's exchange shard
   * has left (collateral is per shard).
   */
  #balancesLeft(markets?: readonly [Market, Market]): Partial<Record<VenueId, Money | null>> {
    const left: Partial<Record<VenueId, Money | null>> = { ...this.#balances };
    if (this.#reserved.size > 0) {
      for (const venue of ['kalshi', 'polymarket'] as const) {
        const known = left[venue];
        if (known === undefined || known === null) continue;
        let spent = 0n;
        // an unresolved attempt's spending is in the balances once they were read after it ended
        for (const r of this.#reserved) if (!this.#heldUntilReconciled.get(r)?.inBalances) spent += r.legCost[venue];
        left[venue] = known - spent;
      }
    }
    const k = markets?.find((m) => m.venue === 'kalshi');
    const total = left.kalshi;
    if (k !== undefined && total !== undefined && total !== null) {
      const shard = this.#kalshiShardLeft(kalshiShardOf(k));
      if (shard !== undefined) left.kalshi = min(total, shard);
    }
    return left;
  }

  static riskRequest(opportunity: Opportunity, size: Size): RiskRequest {
    const [k, p] = opportunity.legs;
    const scale = (v: Money): Money => (size === opportunity.size ? v : divRound(v * size, opportunity.size, 'ceil'));
    return {
      notional: scale(opportunity.totalCost),
      legCost: { kalshi: scale(k.cost + k.fee), polymarket: scale(p.cost + p.fee) },
      quoteReceivedAt: [k.receivedAt, p.receivedAt],
      kalshiShard: kalshiShardOf(k.market),
    };
  }

  /** The risk gate's decision for this opportunity now (no side effects). */
  check(opportunity: Opportunity, size: Size): RiskDecision {
    const markets = [opportunity.legs[0].market, opportunity.legs[1].market] as const;
    return checkRisk(this.#deps.settings, this.riskState(opportunity.pairKey, markets), Executor.riskRequest(opportunity, size));
  }

  // ------------------------------------------------------------------ execute

  /**
   * Start one attempt. Resolves once the intent is on disk and the orders are handed to
   * the venues (`submitted`), or with a refusal; the attempt goes on in `completion`.
   */
  async start(opportunity: Opportunity, size: Size, quoteId: string, options: ExecuteOptions = {}): Promise<ExecutionStart> {
    if (this.#stopping !== null) return { result: { kind: 'refused', reason: this.#stopping }, completion: null };
    const starting = this.#start(opportunity, size, quoteId, options);
    this.#starting.add(starting);
    try {
      return await starting;
    } finally {
      this.#starting.delete(starting);
    }
  }

  async #start(opportunity: Opportunity, size: Size, quoteId: string, options: ExecuteOptions): Promise<ExecutionStart> {
    const refuse = (reason: string): ExecutionStart => ({ result: { kind: 'refused', reason }, completion: null });
    if (!this.#armed) return refuse(`trading is not armed: ${this.#readOnlyReason ?? 'reconcile first'}`);
    const [k, p] = opportunity.legs;
    if (k.venue !== 'kalshi' || p.venue !== 'polymarket') return refuse('legs must be [kalshi, polymarket]');
    if (size <= 0n) return refuse('size must be positive');
    if (size > opportunity.size || size > k.size || size > p.size) return refuse('size exceeds the quoted size');
    const pairKey = opportunity.pairKey;
    const markets = [k.market, p.market] as const;
    const request = Executor.riskRequest(opportunity, size);
    // A balance read that failed after an earlier attempt: read again before deciding (the gate refuses unknown).
    if (this.#balances.kalshi === null || this.#balances.polymarket === null) await this.refreshBalances();
    const decision = checkRisk(this.#deps.settings, this.riskState(pairKey, markets), request);
    if (!decision.ok) {
      // the same denial of the same pair is written once a minute at most (auto-execution asks on every book update)
      const last = this.#lastDenial.get(pairKey);
      if (last === undefined || last.code !== decision.code || this.#now() - last.at >= DENIAL_AUDIT_MS) {
        this.#lastDenial.set(pairKey, { code: decision.code, at: this.#now() });
        this.#audit('risk-denied', null, { pairKey, quoteId, code: decision.code, reason: decision.reason });
      }
      return refuse(`risk gate: ${decision.reason}`);
    }
    this.#inFlight.add(pairKey);
    // each attempt's request is an object of its own: it is its reservation
    this.#reserved.add(request);
    const release = (): void => {
      this.#reserved.delete(request);
      this.#deps.onAccountChange?.();
    };
    try {
      const started = await this.#begin(opportunity, size, quoteId, options, markets);
      if (started.completion === null) release();
      else {
        // Held until the balances have been read after the attempt (what it spent is in them
        // then); an attempt left unresolved, or ended by an error, holds it until reconciled.
        void started.completion.then(
          async (report) => {
            if (report.status === 'unresolved' || report.status === 'error') {
              this.#heldUntilReconciled.set(request, { tradeId: report.tradeId, inBalances: false });
              return;
            }
            try {
              await this.#balancesRead;
            } finally {
              release();
            }
          },
          release,
        ).catch(() => undefined);
      }
      return started;
    } catch (error) {
      this.#inFlight.delete(pairKey);
      release();
      throw error;
    }
  }

  #firstLeg(opportunity: Opportunity): LegIndex {
    const books = this.#deps.books;
    if (!books) return 0;
    const depth = opportunity.legs.map((l) => {
      const b = books(l.venue, l.market.id);
      return b ? depthAtOrBelow(l.side === 'yes' ? b.yesAsks : b.noAsks, l.worstPrice) : null;
    });
    const [d0, d1] = depth;
    if (d0 == null || d1 == null) return 0;
    return d1 < d0 ? 1 : 0;
  }

  #intent(opportunity: Opportunity, leg: LegIndex, size: Size, clientOrderId: string): OrderIntent {
    const l = opportunity.legs[leg];
    return { clientOrderId, market: l.market, outcome: l.side, action: 'buy', size, limitPrice: l.worstPrice, timeInForce: 'ioc' };
  }

  /** Build the order where the venue can (synchronously: a refusal is known before anything is written). */
  #stage(venue: TradingVenue, intent: OrderIntent): Staging {
    if (!venue.stageOrder) return { staged: null, error: null };
    try {
      return { staged: venue.stageOrder(intent), error: null };
    } catch (error) {
      return { staged: null, error };
    }
  }

  /**
   * Orders whose record could not be saved before sending were never sent: marked so in
   * memory (with their trade, when given), so that the next save that succeeds does not
   * write them as pending (found in review). Best effort: the database may be what failed.
   */
  #neverSent(tradeId: number | null, clientOrderIds: readonly string[], why: string): void {
    try {
      this.#deps.db.write((r) => {
        const at = this.#now();
        for (const id of clientOrderIds) if (r.orders.get(id) !== undefined) r.orders.update(id, { state: 'not-placed', lastError: why, at });
        if (tradeId !== null) r.trades.update(tradeId, { status: 'failed', note: `not sent: ${why}`, at });
      });
    } catch {
      // the database itself refuses: reconciliation finds these orders unknown to the venue
    }
  }

  /** Sign ahead (runs while the intent is flushed); a failure rejects that leg locally, unsent. */
  async #ready(staging: Staging): Promise<void> {
    if (!staging.staged) return;
    try {
      await staging.staged.ready();
    } catch (error) {
      staging.staged = null;
      staging.error = error;
    }
  }

  async #begin(opportunity: Opportunity, size: Size, quoteId: string, options: ExecuteOptions, markets: readonly [Market, Market]): Promise<ExecutionStart> {
    const s = this.#deps.settings;
    const mode = options.legMode ?? s.legMode;
    const firstLeg = mode === 'sequential' ? this.#firstLeg(opportunity) : 0;
    const venues = [this.#deps.venues.kalshi, this.#deps.venues.polymarket] as const;
    const sendNow: LegIndex[] = mode === 'simultaneous' ? [0, 1] : [firstLeg];
    const intents = new Map<LegIndex, OrderIntent>();
    const prepared = new Map<LegIndex, Staging>();
    for (const i of sendNow) {
      const intent = this.#intent(opportunity, i, size, venues[i].newClientOrderId());
      intents.set(i, intent);
      // Built now (cheap, synchronous): a Polymarket order's hash is its id, persisted with the intent.
      prepared.set(i, this.#stage(venues[i], intent));
    }
    const expectedPnl = size === opportunity.size ? opportunity.netProfit : divRound(opportunity.netProfit * size, opportunity.size, 'floor');
    const expectedEdge = divRound(expectedPnl * SCALE, size, 'floor');
    const at = this.#now();
    const sessionId = this.#deps.sessionId;
    let tradeId: number;
    let rows: OrderRow[] = [];
    let readies: Promise<unknown> = Promise.resolve();
    // the trade's id once its transaction ran (in memory), before it is on disk
    let recorded: number | null = null;
    try {
      // The transaction runs now; while it is flushed to disk, both orders are signed
      // (nothing is sent before the flush has resolved).
      const flushed = this.#deps.db.writeCritical((r) => {
        const pair =
          r.pairs.find(markets[0].id, markets[1].id) ??
          r.pairs.ensureCandidate({
            kalshiMarketId: markets[0].id,
            polymarketMarketId: markets[1].id,
            relation: opportunity.legs[0].side === opportunity.legs[1].side ? 'inverse' : 'same',
            sessionId,
            at,
          });
        const id = r.trades.create({
          sessionId,
          pairId: pair.id,
          // the episode this trade is made on (the recorder's row for this direction of the pair, open now)
          opportunityId: r.opportunities.openEpisodeOf(sessionId, pair.id, opportunity.legs[0].side, opportunity.legs[1].side),
          status: 'intent',
          plannedSize: size,
          expectedEdge,
          expectedPnl,
          note: `quote ${quoteId}; ${mode}; unequal fills: ${s.unequalFills}`,
          at,
        });
        for (const i of sendNow) {
          const intent = intents.get(i) as OrderIntent;
          r.orders.insertPending({
            clientOrderId: intent.clientOrderId,
            sessionId,
            tradeId: id,
            venue: venues[i].id,
            marketId: intent.market.id,
            side: intent.outcome,
            action: 'buy',
            orderType: i === 0 ? ORDER_TYPE_LEG0 : ORDER_TYPE_LEG1,
            limitPrice: intent.limitPrice,
            size,
            at,
          });
          const venueOrderId = prepared.get(i)?.staged?.venueOrderId ?? null;
          if (venueOrderId !== null) r.orders.update(intent.clientOrderId, { venueOrderId, at });
          rows.push(r.orders.get(intent.clientOrderId) as OrderRow);
        }
        r.audit.append({
          actor: options.actor ?? 'user',
          kind: 'attempt-intent',
          subject: `trade:${id}`,
          sessionId,
          at,
          detail: {
            pairKey: opportunity.pairKey,
            opportunityId: opportunity.id,
            quoteId,
            size,
            mode,
            firstLeg: mode === 'sequential' ? firstLeg : null,
            unequalFills: s.unequalFills,
            expectedPnl,
            expectedEdge,
            legs: opportunity.legs.map((l, i) => ({
              venue: l.venue,
              marketId: l.market.id,
              side: l.side,
              limitPrice: l.worstPrice,
              clientOrderId: intents.get(i as LegIndex)?.clientOrderId ?? null,
            })),
          },
        });
        recorded = id;
        return id;
      });
      readies = Promise.all([...prepared.values()].map((staging) => this.#ready(staging)));
      tradeId = await flushed;
      await readies;
    } catch (error) {
      await readies.catch(() => undefined);
      this.#inFlight.delete(opportunity.pairKey);
      // The transaction ran in memory but could not be saved: a later save would write an
      // intent with pending orders that were never sent. Say what happened instead.
      if (recorded !== null) this.#neverSent(recorded, [...intents.values()].map((i) => i.clientOrderId), `the intent could not be saved: ${describeError(error)}`);
      return { result: { kind: 'refused', reason: `could not record the intent, nothing was sent: ${describeError(error)}` }, completion: null };
    }
    const run: AttemptRun = {
      tradeId,
      pairKey: opportunity.pairKey,
      markets,
      opportunity,
      size,
      state: initialAttempt({ quotedSize: size, mode, policy: s.unequalFills, firstLeg }),
    };
    // Hand both orders to the venues now, in this tick (no await between the sends).
    this.#event(run, mode === 'simultaneous' ? { type: 'legs-sent' } : { type: 'first-leg-sent' });
    const sentAt = this.#now();
    const legRuns = sendNow.map((i): LegRun => {
      const staged = prepared.get(i)?.staged ?? null;
      return { role: i, venue: venues[i], intent: intents.get(i) as OrderIntent, staged, venueOrderId: staged?.venueOrderId ?? null, sentAt };
    });
    const sends = legRuns.map((leg) => {
      const e = prepared.get(leg.role as LegIndex)?.error;
      return e ? this.#rejectLocally(run, leg, e) : this.#send(run, leg);
    });
    // The UI learns of the pending rows once the requests are on their way.
    this.#emit(rows, [], [], run.pairKey, this.#titles(run));
    this.#deps.onLog?.('info', `trade ${tradeId} started: ${formatDecimal(size)} × ${opportunity.direction} (${mode}), quote ${quoteId}, pair ${run.pairKey}`);
    rows = [];
    const completion = this.#drive(run, sends);
    this.#running.add(completion);
    this.#attempts.set(tradeId, completion);
    void completion.finally(() => {
      this.#running.delete(completion);
      this.#attempts.delete(tradeId);
    });
    return { result: { kind: 'submitted', attemptId: String(tradeId) }, completion };
  }

  async #rejectLocally(run: AttemptRun, leg: LegRun, error: unknown): Promise<OrderState | null> {
    this.#record(run, leg, { state: 'rejected', lastError: describeError(error) });
    this.#audit('order-rejected', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, error: describeError(error), sent: false });
    this.#legEvent(run, leg.role, 'rejected', 0n);
    return null;
  }

  async #drive(run: AttemptRun, sends: readonly Promise<OrderState | null>[]): Promise<AttemptReport> {
    try {
      this.#audit('legs-sent', run.tradeId, { mode: run.state.mode, legs: sends.length });
      await Promise.all(sends);
      if (run.state.phase === 'first-leg-sent') await this.#hedge(run);
      const unresolved = this.#unresolvedLegs(run);
      if (unresolved) return this.#leaveUnresolved(run, unresolved);
      // shares the venue already voided (failed on chain) when the fills were read are compared as not held
      // (never more than a leg matched: a venue whose matched size leaves failed shares out is read the same way)
      const [l0, l1] = run.state.legs;
      this.#event(run, {
        type: 'settle',
        voided: [min(this.#voidedOrderShares(run.tradeId, ORDER_TYPE_LEG0), l0.filled), min(this.#voidedOrderShares(run.tradeId, ORDER_TYPE_LEG1), l1.filled)],
      });
      if (run.state.phase === 'unequal') await this.#unequal(run);
      if (run.state.phase === 'unwinding') {
        const u = run.state.unwind;
        if (u && (u.status === 'sent' || u.status === 'resolving')) return this.#leaveUnresolved(run, 'the unwind order');
        this.#event(run, { type: 'finish', voided: min(this.#voidedOrderShares(run.tradeId, ORDER_TYPE_UNWIND), u?.filled ?? 0n) });
      }
      return await this.#finish(run);
    } catch (error) {
      // Database or programming failure mid-attempt: stop trading, leave the attempt for reconciliation.
      this.#unresolved.add(run.pairKey);
      this.#inFlight.delete(run.pairKey);
      try {
        this.#tripBreaker(`attempt ${run.tradeId} failed unexpectedly: ${describeError(error)}`);
        this.#audit('attempt-error', run.tradeId, { error: describeError(error) });
      } catch (dbError) {
        // the database itself may be what failed: the attempt still ends (its completion never rejects), and a person is told
        try {
          this.#deps.onAlert?.(`attempt ${run.tradeId} failed unexpectedly (${describeError(error)}) and could not be recorded (${describeError(dbError)}): check the venues`);
        } catch {
          // nothing more can be done here; the attempt still ends
        }
      }
      return { tradeId: run.tradeId, pairKey: run.pairKey, outcome: null, status: 'error', state: run.state };
    }
  }

  #unresolvedLegs(run: AttemptRun): string | null {
    const bad = run.state.legs.map((l, i) => (l.status === 'sent' || l.status === 'resolving' ? `leg ${i}` : null)).filter((x) => x !== null);
    return bad.length > 0 ? bad.join(' and ') : null;
  }

  async #leaveUnresolved(run: AttemptRun, what: string): Promise<AttemptReport> {
    this.#unresolved.add(run.pairKey);
    this.#inFlight.delete(run.pairKey);
    this.#deps.db.write((r) => {
      r.trades.update(run.tradeId, { status: 'unresolved', note: `${what} unresolved after ${this.#deps.settings.pollDeadlineMs} ms: reconcile`, at: this.#now() });
    });
    this.#alert(`trade ${run.tradeId}: ${what} still unknown after polling; pair ${run.pairKey} blocked until reconciled`, run.tradeId);
    this.#countFailure(run.pairKey, true);
    await this.#deps.db.flushNow().catch(() => undefined);
    return { tradeId: run.tradeId, pairKey: run.pairKey, outcome: null, status: 'unresolved', state: run.state };
  }

  async #hedge(run: AttemptRun): Promise<void> {
    const first = run.state.legs[run.state.firstLeg];
    if (first.filled === 0n || (first.status !== 'filled' && first.status !== 'partial')) return;
    const hedgeLeg = otherLeg(run.state.firstLeg);
    const venue = hedgeLeg === 0 ? this.#deps.venues.kalshi : this.#deps.venues.polymarket;
    // what the first leg delivered: matched, less what the venue already voided (failed on chain)
    const delivered = first.filled - this.#voidedOrderShares(run.tradeId, run.state.firstLeg === 0 ? ORDER_TYPE_LEG0 : ORDER_TYPE_LEG1);
    if (delivered <= 0n) return;
    const intent = this.#intent(run.opportunity, hedgeLeg, delivered, venue.newClientOrderId());
    await this.#sendFollowUp(run, venue, intent, {
      role: hedgeLeg,
      orderType: hedgeLeg === 0 ? ORDER_TYPE_LEG0 : ORDER_TYPE_LEG1,
      status: 'hedge-sent',
      kind: 'hedge-intent',
      detail: { leg: hedgeLeg, size: intent.size, limitPrice: intent.limitPrice, clientOrderId: intent.clientOrderId },
      event: { type: 'hedge-sent' },
    });
  }

  /**
   * A follow-up order of an attempt (the hedge of a sequential attempt, or the
   * unwind of an excess): written as pending with its intent in the audit log,
   * on disk before the request; then sent, or rejected locally when it cannot
   * be expressed on the venue.
   */
  async #sendFollowUp(
    run: AttemptRun,
    venue: TradingVenue,
    intent: OrderIntent,
    what: {
      readonly role: LegRun['role'];
      readonly orderType: string;
      readonly status: string;
      readonly kind: string;
      readonly detail: Record<string, unknown>;
      readonly event: Extract<AttemptEvent, { type: 'hedge-sent' | 'unwind-sent' }>;
    },
  ): Promise<void> {
    const prep = this.#stage(venue, intent);
    const flushed = this.#deps.db.writeCritical((r) => {
      r.orders.insertPending({
        clientOrderId: intent.clientOrderId,
        sessionId: this.#deps.sessionId,
        tradeId: run.tradeId,
        venue: venue.id,
        marketId: intent.market.id,
        side: intent.outcome,
        action: intent.action,
        orderType: what.orderType,
        limitPrice: intent.limitPrice,
        size: intent.size,
        at: this.#now(),
      });
      if (prep.staged?.venueOrderId != null) r.orders.update(intent.clientOrderId, { venueOrderId: prep.staged.venueOrderId });
      r.trades.update(run.tradeId, { status: what.status, at: this.#now() });
      r.audit.append({
        actor: 'engine',
        kind: what.kind,
        subject: `trade:${run.tradeId}`,
        sessionId: this.#deps.sessionId,
        at: this.#now(),
        detail: what.detail,
      });
      return r.orders.get(intent.clientOrderId) as OrderRow;
    });
    // Signed while the intent is flushed; sent only once it is on disk.
    const readied = this.#ready(prep);
    let row: OrderRow;
    try {
      row = await flushed;
    } catch (error) {
      // saved in memory only: the order was never sent (the attempt fails on this error)
      if (this.#deps.db.repos.orders.get(intent.clientOrderId) !== undefined) {
        this.#neverSent(null, [intent.clientOrderId], `the order could not be saved before sending: ${describeError(error)}`);
      }
      throw error;
    } finally {
      await readied;
    }
    this.#event(run, what.event);
    const leg: LegRun = { role: what.role, venue, intent, staged: prep.staged, venueOrderId: prep.staged?.venueOrderId ?? null, sentAt: this.#now() };
    const sent = prep.error ? this.#rejectLocally(run, leg, prep.error) : this.#send(run, leg);
    this.#emit([row], [], [], run.pairKey, this.#titles(run));
    await sent;
  }

  /** Average buy price (fees excluded) of a leg's fills, null when none. */
  #entryPrice(tradeId: number, venue: VenueId): Price | null {
    const r = this.#deps.db.repos;
    let size = 0n;
    let cost = 0n;
    for (const o of r.orders.listByTrade(tradeId)) {
      if (o.venue !== venue || o.action !== 'buy') continue;
      for (const f of r.orders.fillsForOrder(o.clientOrderId)) {
        size += f.size;
        cost += f.price * f.size;
      }
    }
    return size > 0n ? divRound(cost, size, 'half-even') : null;
  }

  /** `per` summed over the trade's orders that `keep` picks. */
  #sumOverOrders(tradeId: number, keep: (o: OrderRow) => boolean, per: (r: Repositories, clientOrderId: string) => Size): Size {
    const r = this.#deps.db.repos;
    let total = 0n;
    for (const o of r.orders.listByTrade(tradeId)) if (keep(o)) total += per(r, o.clientOrderId);
    return total;
  }

  /** Shares the venue withheld as its fee on this trade's buys there (kept per order by `#recordFills`). */
  #withheldShares(tradeId: number, venue: VenueId): Size {
    return this.#sumOverOrders(tradeId, (o) => o.venue === venue && o.action === 'buy', sharesWithheld);
  }

  /** Shares a trade's orders of one type (a leg's, or the unwind's) matched that the venue then voided (failed on chain). */
  #voidedOrderShares(tradeId: number, orderType: string): Size {
    return this.#sumOverOrders(tradeId, (o) => o.orderType === orderType, voidedSize);
  }

  async #unequal(run: AttemptRun): Promise<void> {
    const excess = excessOf(run.state);
    if (!excess) return;
    const market = run.markets[excess.leg];
    const outcome = run.opportunity.legs[excess.leg].side;
    // Matched is not always held: shares the venue withheld as its fee are not there to sell
    // (shares it voided were taken off the legs' fills when they settled).
    const withheld = this.#withheldShares(run.tradeId, market.venue);
    const gone = min(withheld, excess.size);
    const held = excess.size - gone;
    // On the market's size grid: a remainder below one step (withheld shares are counted in
    // millionths) cannot be sold, and is too little to count as an unhedged leg.
    const step = market.sizeIncrement;
    const size = step > 0n ? roundToStep(held, step, 'floor') : held;
    const dust = held - size;
    const entry = this.#entryPrice(run.tradeId, market.venue) ?? run.opportunity.legs[excess.leg].worstPrice;
    const floor = entry - this.#deps.settings.unwindMaxSlippage;
    const limit = floor > 0n ? snapToPriceGrid(floor, market.priceRanges, 'ceil') : snapToPriceGrid(1n, market.priceRanges, 'ceil');
    const detail = {
      leg: excess.leg,
      size: excess.size,
      venue: market.venue,
      marketId: market.id,
      side: outcome,
      entryPrice: entry,
      ...(gone > 0n || dust > 0n ? { withheldAsFee: gone, belowSizeStep: dust, sellable: size } : {}),
    };
    if (size === 0n) {
      // nothing held in excess but withheld shares and a remainder below the size step
      this.#event(run, { type: 'alert', gone: gone + dust });
      this.#audit('excess-not-held', run.tradeId, detail);
      return;
    }
    const tooSmall = size < market.minOrderSize;
    if (run.state.policy === 'alert' || limit === null || limit >= ONE || tooSmall) {
      this.#event(run, { type: 'alert', gone });
      this.#alert(
        `trade ${run.tradeId}: ${formatDecimal(held)} ${outcome.toUpperCase()} on ${market.venue} ${market.id} not hedged` +
          (run.state.policy === 'alert'
            ? ' (policy: alert)'
            : tooSmall
              ? ` (below the venue's minimum order of ${formatDecimal(market.minOrderSize)}: cannot be sold back)`
              : ' (no valid unwind price)'),
        run.tradeId,
      );
      this.#audit('one-leg-exposed', run.tradeId, detail);
      return;
    }
    const venue = this.#deps.venues[market.venue];
    const intent: OrderIntent = { clientOrderId: venue.newClientOrderId(), market, outcome, action: 'sell', size, limitPrice: limit, timeInForce: 'ioc' };
    await this.#sendFollowUp(run, venue, intent, {
      role: 'unwind',
      orderType: ORDER_TYPE_UNWIND,
      status: 'unwinding',
      kind: 'unwind-intent',
      detail: { ...detail, limitPrice: limit, maxSlippage: this.#deps.settings.unwindMaxSlippage, clientOrderId: intent.clientOrderId },
      event: { type: 'unwind-sent', size, gone: gone + dust },
    });
  }

  async #finish(run: AttemptRun): Promise<AttemptReport> {
    const r0 = this.#deps.db.repos;
    const outcome = run.state.outcome ?? classifyFills(run.size, run.state.legs[0].filled, run.state.legs[1].filled, null);
    const status = attemptStatusWord(run.state);
    const figures = tradeFigures(r0, run.tradeId);
    const expected = r0.trades.get(run.tradeId)?.expectedEdge ?? 0n;
    // Fills the venue already said failed (matched, then refused on chain) were recorded voided and
    // settled as not held (the outcome counts without them): say so.
    const voidedShares = this.#sumOverOrders(run.tradeId, (o) => o.action === 'buy', voidedSize);
    const voidedSold = this.#sumOverOrders(run.tradeId, (o) => o.action === 'sell', voidedSize);
    if (voidedShares > 0n || voidedSold > 0n) {
      const what = [
        ...(voidedShares > 0n ? [`${formatDecimal(voidedShares)} matched then failed at the venue (voided, not held)`] : []),
        ...(voidedSold > 0n ? [`${formatDecimal(voidedSold)} sold back then failed at the venue (voided, still held)`] : []),
      ].join('; ');
      this.#alert(
        `trade ${run.tradeId}: ${what}` + (outcome.exposed ? `; ${formatDecimal(outcome.exposed.size)} contracts on leg ${outcome.exposed.leg} are not hedged: check the venue` : ''),
        run.tradeId,
      );
    }
    // Booked (received) shares can be fewer than matched (a fee withheld in shares): the hedge is what we hold.
    const hedged = figures.hedged < outcome.hedged ? figures.hedged : outcome.hedged;
    const shortBy = outcome.hedged - hedged;
    const note =
      `${status}: hedged ${formatDecimal(hedged)} of ${formatDecimal(run.size)}; expected edge ${formatDecimal(expected)}/contract, ` +
      `realised ${figures.realisedEdge === null ? 'n/a' : `${formatDecimal(figures.realisedEdge)}/contract`}` +
      (outcome.exposed ? `; ${formatDecimal(outcome.exposed.size)} exposed on leg ${outcome.exposed.leg}` : '') +
      (voidedShares > 0n ? `; ${formatDecimal(voidedShares)} matched then failed at the venue (voided)` : '') +
      (voidedSold > 0n ? `; ${formatDecimal(voidedSold)} sold back then failed at the venue (voided, still held)` : '') +
      (shortBy > 0n ? `; ${formatDecimal(shortBy)} shares withheld as fee: not hedged` : '');
    if (shortBy > 0n) this.#alert(`trade ${run.tradeId}: the venue withheld ${formatDecimal(shortBy)} shares as its fee; that many contracts of the other leg are not hedged`, run.tradeId);
    await this.#deps.db.writeCritical((r) => {
      r.trades.update(run.tradeId, { status, hedgedSize: hedged, realisedPnl: figures.realisedPnl, note, at: this.#now() });
      r.audit.append({
        actor: 'engine',
        kind: 'attempt-done',
        subject: `trade:${run.tradeId}`,
        sessionId: this.#deps.sessionId,
        at: this.#now(),
        detail: {
          classification: outcome.classification,
          hedged,
          matchedHedged: outcome.hedged,
          exposed: outcome.exposed,
          filled: run.state.legs.map((l) => l.filled),
          unwound: run.state.unwind?.filled ?? 0n,
          expectedEdge: expected,
          realisedEdge: figures.realisedEdge,
          realisedPnl: figures.realisedPnl,
        },
      });
    });
    if (this.#daily !== null && figures.realisedPnl !== null) this.#daily = { ...this.#daily, pnl: this.#daily.pnl + figures.realisedPnl };
    this.#cooldownUntil.set(run.pairKey, this.#now() + this.#deps.settings.cooldownMs);
    const c = outcome.classification;
    if (c === 'complete' || c === 'hedged-partial') this.#consecutiveFailures = 0;
    else this.#countFailure(run.pairKey, c === 'one-leg-exposed' || c === 'unwound');
    this.#inFlight.delete(run.pairKey);
    this.#deps.onLog?.(c === 'complete' ? 'info' : 'warn', `trade ${run.tradeId} ${note}`);
    this.#balancesRead = this.refreshBalances();
    return { tradeId: run.tradeId, pairKey: run.pairKey, outcome, status, state: run.state };
  }

  #countFailure(pairKey: string, oneLeg: boolean): void {
    this.#consecutiveFailures += 1;
    if (oneLeg) {
      const n = (this.#oneLegFailures.get(pairKey) ?? 0) + 1;
      this.#oneLegFailures.set(pairKey, n);
      if (n >= this.#deps.settings.maxOneLegFailuresPerPair) {
        this.#deps.db.write((r) => r.state.set(`${PAIR_BLOCKED_PREFIX}${pairKey}`, 'blocked'));
        this.#alert(`pair ${pairKey} blocked after ${n} one-leg failures`, null);
      }
    }
    if (this.#consecutiveFailures >= this.#deps.settings.circuitBreakerFailures) {
      this.#tripBreaker(`${this.#consecutiveFailures} consecutive failed attempts`);
    }
  }

  #tripBreaker(reason: string): void {
    if (this.#breakerTripped()) return;
    this.#deps.db.write((r) => r.state.set(CIRCUIT_BREAKER_KEY, 'tripped'));
    this.#alert(`circuit breaker tripped: ${reason}; no new attempts until reset`, null);
  }

  /** Reset the circuit breaker (a person's decision). */
  async resetCircuitBreaker(): Promise<void> {
    this.#consecutiveFailures = 0;
    await this.#deps.db.writeCritical((r) => {
      r.state.set(CIRCUIT_BREAKER_KEY, 'reset');
      r.audit.append({ actor: 'user', kind: 'circuit-breaker-reset', sessionId: this.#deps.sessionId, at: this.#now() });
    });
  }

  /**
   * Reads an order's fills again after 30 s, 2, 10 and 30 minutes until all are final. A
   * fill the venue reports failed (a "ghost fill": matched, then refused on chain) did not
   * happen: it is voided (kept in the database, left out of every total), the position is
   * rebuilt without it, the trade is classified again from the fills left, and an alert says
   * what is now held and not hedged. The watch is kept in app_state until the fills are
   * final, so a restart takes it up again (`reconcile`). Runs beside the app (its timers do
   * not keep it alive) and stops when the database closes.
   */
  #watchSettlement(tradeId: number | null, venue: TradingVenue, intent: OrderIntent, venueOrderId: string, sinceMs: number): void {
    if (this.#watching.has(intent.clientOrderId)) return;
    this.#watching.add(intent.clientOrderId);
    const wait = this.#deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
    const subject = { clientOrderId: intent.clientOrderId, venueOrderId, venue: venue.id, marketId: intent.market.id };
    const key = `${SETTLEMENT_WATCH_PREFIX}${intent.clientOrderId}`;
    const watch: SettlementWatch = { tradeId, venueOrderId, sinceMs };
    this.#deps.db.write((r) => r.state.set(key, JSON.stringify(watch)));
    // failed fills that could not be voided (booked under a derived id), alerted once
    const alerted = new Set<string>();
    void (async () => {
      for (const ms of SETTLEMENT_CHECKS_MS) {
        await wait(ms);
        if (this.#deps.db.closed) return;
        let fills: Fill[];
        try {
          fills = await orderFills(venue, intent, venueOrderId, sinceMs);
        } catch {
          continue;
        }
        if (this.#deps.db.closed) return;
        const failed = fills.filter((f) => f.failed && !alerted.has(f.tradeId));
        if (failed.length > 0) {
          // the attempt decides its trade's figures while it runs: correct them once it has ended
          const running = tradeId === null ? undefined : this.#attempts.get(tradeId);
          if (running !== undefined) await running.catch(() => undefined);
          if (this.#deps.db.closed) return;
          for (const id of this.#fillsFailed(tradeId, venue, intent, subject, failed)) alerted.add(id);
        }
        if (fills.length > 0 && fills.every((f) => f.final || f.failed)) {
          this.#deps.db.write((r) => {
            r.state.delete(key);
            if (fills.some((f) => !f.failed)) this.#audit('fills-settled', tradeId, subject, r);
          });
          return;
        }
      }
      if (!this.#deps.db.closed) this.#audit('fills-not-settled', tradeId, subject);
    })()
      .catch(() => undefined)
      .finally(() => this.#watching.delete(intent.clientOrderId));
  }

  /**
   * Take up the settlement watches a previous run left (fills matched but not final then).
   * A watch that cannot be taken up (unreadable, its order unknown, its market no longer
   * listed) is dropped, with an audit entry saying why; none of it stops reconciliation.
   */
  async #resumeSettlementWatches(): Promise<void> {
    const r = this.#deps.db.repos;
    for (const [key, value] of r.state.withPrefix(SETTLEMENT_WATCH_PREFIX)) {
      const clientOrderId = key.slice(SETTLEMENT_WATCH_PREFIX.length);
      const drop = (reason: string, tradeId: number | null = null): void =>
        this.#deps.db.write((rr) => {
          rr.state.delete(key);
          this.#audit('settlement-watch-dropped', tradeId, { clientOrderId, reason }, rr);
        });
      const parsed = SETTLEMENT_WATCH.safeParse(parseJson(value));
      const order = r.orders.get(clientOrderId);
      if (!parsed.success) {
        drop('unreadable watch record');
        continue;
      }
      const watch = parsed.data;
      if (order === undefined) {
        drop('order not in the database', watch.tradeId);
        continue;
      }
      if (this.#now() - watch.sinceMs > SETTLEMENT_GIVE_UP_MS) {
        drop('not final a day after the order: no longer followed', watch.tradeId);
        this.#alert(`order ${clientOrderId}: its fills were still not final at ${order.venue} a day after it was sent; no longer followed: check them at the venue`, watch.tradeId);
        continue;
      }
      let market: Market | undefined;
      try {
        market = await this.#deps.resolveMarket?.(order.venue, order.marketId);
      } catch (error) {
        this.#audit('settlement-watch-not-resumed', watch.tradeId, { clientOrderId, reason: describeError(error) });
        continue;
      }
      if (!market) {
        drop(`market ${order.venue} ${order.marketId} is not among the open markets`, watch.tradeId);
        continue;
      }
      const intent: OrderIntent = {
        clientOrderId,
        market,
        outcome: order.side,
        action: order.action,
        size: order.size,
        limitPrice: order.limitPrice,
        timeInForce: 'ioc',
      };
      this.#watchSettlement(watch.tradeId, this.#deps.venues[order.venue], intent, watch.venueOrderId, watch.sinceMs);
    }
  }

  /**
   * Void the booked fills the venue reports failed, rebuild the position and the trade, and
   * say what is held now. Returns the ids of the failed fills dealt with (voided now or before,
   * or alerted as booked under another id).
   */
  #fillsFailed(tradeId: number | null, venue: TradingVenue, intent: OrderIntent, subject: Record<string, string>, failed: readonly Fill[]): string[] {
    const market = intent.market;
    const at = this.#now();
    const done = this.#deps.db.write((r) => {
      const booked = new Map(r.orders.fillsForOrder(intent.clientOrderId).map((f) => [f.venueFillId, f] as const));
      const voidedBefore = new Set(r.orders.voidedFillsForOrder(intent.clientOrderId).map((f) => f.venueFillId));
      const voided: FillRow[] = [];
      // failed fills booked under another id (derived from the order when its fills could not be read)
      const unmatched: Fill[] = [];
      for (const f of failed) {
        if (voidedBefore.has(f.tradeId)) continue;
        const row = booked.get(f.tradeId);
        if (row === undefined) unmatched.push(f);
        else if (r.orders.voidFill(venue.id, row.venueFillId, f.venueStatus, at)) voided.push(row);
      }
      if (voided.length === 0 && unmatched.length === 0) return null;
      const position = voided.length > 0 ? replayPosition(r, venue.id, market.id, intent.outcome) : null;
      const trade = tradeId !== null && voided.length > 0 ? r.trades.get(tradeId) : undefined;
      const judged = trade === undefined ? null : this.#classifyTrade(r, trade);
      // a trade not settled yet (an order of it unresolved) keeps its status: reconciliation still has to read it
      const settled = trade !== undefined && FINAL_STATUS_WORDS.has(trade.status);
      if (trade !== undefined && judged !== null) {
        const note = `${trade.note === null ? '' : `${trade.note}; `}${venue.id} voided ${formatDecimal(voided.reduce((n, f) => n + f.size, 0n))} matched after the fact`;
        r.trades.update(trade.id, {
          ...(settled ? { status: judged.outcome.classification } : {}),
          hedgedSize: judged.outcome.hedged,
          realisedPnl: judged.figures.realisedPnl,
          note,
          at,
        });
      }
      const pair = trade === undefined ? undefined : r.pairs.get(trade.pairId);
      this.#audit(
        'fill-failed',
        tradeId,
        {
          ...subject,
          failed: failed.map((f) => ({ id: f.tradeId, size: f.size, status: f.venueStatus })),
          voided: voided.map((f) => ({ id: f.venueFillId, size: f.size, price: f.price, fee: f.fee })),
          notVoided: unmatched.map((f) => f.tradeId),
          ...(position ? { positionAfter: position.size } : {}),
          ...(judged ? { status: judged.outcome.classification, hedged: judged.outcome.hedged, exposed: judged.outcome.exposed, previous: trade?.status } : {}),
        },
        r,
      );
      return {
        voided,
        unmatched,
        position,
        judged,
        // a new one-leg exposure of a settled trade counts as a failure (an unsettled one was counted when left unresolved)
        newlyExposed: settled && trade?.status !== 'one-leg-exposed' && judged?.outcome.classification === 'one-leg-exposed',
        pairKey: pair ? pairKeyOf(pair.kalshiMarketId, pair.polymarketMarketId) : null,
        order: r.orders.get(intent.clientOrderId),
      };
    });
    if (done === null) return failed.map((f) => f.tradeId);
    const { unmatched, position, judged, pairKey, order } = done;
    const titles = new Map([[`${venue.id}|${market.id}`, market]]);
    this.#emit(order ? [order] : [], done.voided, position ? [position] : [], pairKey, titles, true);
    if (done.voided.length > 0) {
      // what was counted as realised today, and the cash a failed buy leaves, are read again
      this.#daily = null;
      this.#balancesRead = this.refreshBalances();
      if (done.newlyExposed && pairKey !== null) this.#countFailure(pairKey, true);
    }
    const size = failed.reduce((n, f) => n + f.size, 0n);
    const what = `trade ${tradeId ?? '?'}: ${venue.id} reports ${formatDecimal(size)} ${intent.outcome.toUpperCase()} of ${market.id} failed after matching (not delivered)`;
    if (unmatched.length > 0) {
      this.#alert(`${what}: they are booked as held and the other leg is not hedged by them; check the venue and your positions`, tradeId);
    } else {
      const held = `booked position now ${formatDecimal(position?.size ?? 0n)} ${intent.outcome.toUpperCase()}`;
      const oversold = judged !== null && judged.oversold > 0n ? `; ${formatDecimal(judged.oversold)} were sold back that were never delivered: check the venue` : '';
      const exposed = judged?.outcome.exposed ? `; ${formatDecimal(judged.outcome.exposed.size)} contracts on leg ${judged.outcome.exposed.leg} are not hedged: check the venue` : '';
      this.#alert(`${what}: voided, ${held}${judged ? `, trade ${judged.outcome.classification}` : ''}${exposed}${oversold}`, tradeId);
    }
    return failed.map((f) => f.tradeId);
  }

  /**
   * A trade's figures and classification from its fills as recorded (voided fills left out).
   * `oversold`: contracts an unwind sold beyond what its leg holds (possible only once a
   * bought fill was voided after the unwind): not counted as sold.
   */
  #classifyTrade(r: Repositories, trade: TradeRow): { figures: TradeFigures; outcome: AttemptOutcome; oversold: Size } {
    const figures = tradeFigures(r, trade.id);
    const unwindLeg: LegIndex | null = figures.unwound[0] > 0n ? 0 : figures.unwound[1] > 0n ? 1 : null;
    if (unwindLeg === null) return { figures, outcome: classifyFills(trade.plannedSize, figures.filled[0], figures.filled[1], null), oversold: 0n };
    const sold = figures.sold[unwindLeg];
    const outcome = classifyFills(trade.plannedSize, figures.filled[0], figures.filled[1], { leg: unwindLeg, sold });
    return { figures, outcome, oversold: figures.unwound[unwindLeg] - sold };
  }


  /** Unblock a pair blocked after one-leg failures (a person's decision). */
  async unblockPair(pairKey: string): Promise<void> {
    this.#oneLegFailures.delete(pairKey);
    await this.#deps.db.writeCritical((r) => {
      r.state.set(`${PAIR_BLOCKED_PREFIX}${pairKey}`, 'unblocked');
      r.audit.append({ actor: 'user', kind: 'pair-unblocked', subject: pairKey, sessionId: this.#deps.sessionId, at: this.#now() });
    });
  }

  /** The latest balance read (after an attempt ends): reservations are released when it is done. */
  #balancesRead: Promise<void> = Promise.resolve();

  /** Why the last balance read of a venue failed (null when it succeeded). */
  #balanceErrors: Partial<Record<VenueId, string>> = {};

  /** Balance reads started and applied, per venue: a read answered after a later one started is not applied over it. */
  readonly #balanceReads: Record<VenueId, { started: number; applied: number }> = { kalshi: { started: 0, applied: 0 }, polymarket: { started: 0, applied: 0 } };

  async refreshBalances(): Promise<void> {
    // reservations of unresolved attempts that ended before these reads: their spending is in them
    const ended = [...this.#heldUntilReconciled.values()];
    await Promise.all(
      (['kalshi', 'polymarket'] as const).map(async (v) => {
        const reads = this.#balanceReads[v];
        const seq = (reads.started += 1);
        let available: Money | null;
        let shards: readonly ShardBalance[] | null = null;
        let failure: string | null = null;
        try {
          const read = await this.#deps.venues[v].balance();
          available = read.available;
          shards = read.shards;
        } catch (error) {
          // unknown: the risk gate refuses to trade on a venue whose balance it cannot read
          available = null;
          failure = describeError(error);
        }
        // a slower, older read must not undo a newer one (a balance from before a trade)
        if (seq < reads.applied) return;
        reads.applied = seq;
        // read first, then copy: `{ ...this.#balances, [v]: await … }` copies before the await,
        // and the two venues' reads would each drop the other's answer
        this.#balances = { ...this.#balances, [v]: available };
        this.#shards = { ...this.#shards, [v]: shards };
        if (failure === null) delete this.#balanceErrors[v];
        else this.#balanceErrors[v] = failure;
      }),
    );
    if (this.#balances.kalshi != null && this.#balances.polymarket != null) for (const held of ended) held.inBalances = true;
    this.#deps.onAccountChange?.();
  }

  /**
   * Both venues answered an authenticated read (their balances): keys accepted, venue
   * reachable. Arming without it could send one leg to a venue that then refuses the other.
   */
  #venuesAnswered(): void {
    const failed = (['kalshi', 'polymarket'] as const).filter((v) => this.#balances[v] === null || this.#balances[v] === undefined);
    if (failed.length === 0) return;
    throw new Error(failed.map((v) => `${v} did not answer an authenticated read (balance): ${this.#balanceErrors[v] ?? 'no answer'}`).join('; '));
  }

  // ------------------------------------------------------------------ one order

  #legEvent(run: AttemptRun, role: LegRole, kind: 'report' | 'unknown' | 'rejected', filled: Size, final = true): void {
    if (role === 'unwind') {
      if (kind === 'report') this.#event(run, { type: 'unwind-report', filled, final });
      else this.#event(run, { type: kind === 'unknown' ? 'unwind-unknown' : 'unwind-rejected' });
      return;
    }
    if (kind === 'report') this.#event(run, { type: 'leg-report', leg: role, filled, final });
    else this.#event(run, { type: kind === 'unknown' ? 'leg-unknown' : 'leg-rejected', leg: role });
  }

  #legFilled(run: AttemptRun, role: LegRole): Size {
    return role === 'unwind' ? (run.state.unwind?.filled ?? 0n) : run.state.legs[role].filled;
  }

  #record(run: AttemptRun, leg: LegRun, update: { state: string; lastError?: string | null; filledSize?: Size; venueOrderId?: string | null }): void {
    const row = this.#deps.db.write((r) => r.orders.update(leg.intent.clientOrderId, { ...update, at: this.#now() }));
    this.#emit([row], [], [], run.pairKey, this.#titles(run));
  }

  /** Send once (429 / not-sent: same client id again until the deadline), then resolve by polling. */
  async #send(run: AttemptRun, leg: LegRun): Promise<OrderState | null> {
    const deadline = this.#now() + this.#deps.settings.pollDeadlineMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A staged order resends the same signed order (same client id / hash) with fresh request auth.
        const state = leg.staged ? await leg.staged.send() : await leg.venue.placeOrder(leg.intent);
        this.#audit('order-answer', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, status: state.status, venueStatus: state.venueStatus, filled: state.filledSize });
        await this.#apply(run, leg, state);
        if (isFinal(state)) return state;
        return await this.#poll(run, leg, deadline);
      } catch (error) {
        const notAccepted =
          error instanceof RetryableVenueError && !(error instanceof UnknownOutcomeError) && (error.reason === 'rate-limited' || error.reason === 'network');
        if (notAccepted) {
          const wait = Math.max(error.retryAfterMs ?? 0, this.#deps.settings.pollIntervalMs);
          this.#audit('order-not-accepted', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, attempt, error: describeError(error), retryInMs: wait });
          if (this.#now() + wait < deadline) {
            await this.#sleep(wait);
            continue;
          }
          this.#record(run, leg, { state: 'rejected', lastError: describeError(error) });
          this.#legEvent(run, leg.role, 'rejected', 0n);
          return null;
        }
        if (error instanceof UnknownOutcomeError || error instanceof DuplicateOrderError || error instanceof MalformedVenueError) {
          if (error instanceof UnknownOutcomeError && error.venueOrderId) leg.venueOrderId = error.venueOrderId;
          const kind = error instanceof DuplicateOrderError ? 'duplicate-client-id' : 'order-outcome-unknown';
          this.#audit(kind, run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, venueOrderId: leg.venueOrderId, error: describeError(error) });
          this.#record(run, leg, { state: 'unknown', lastError: describeError(error) });
          this.#legEvent(run, leg.role, 'unknown', 0n);
          return await this.#poll(run, leg, deadline);
        }
        this.#audit('order-rejected', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, error: describeError(error) });
        this.#record(run, leg, { state: 'rejected', lastError: describeError(error) });
        this.#legEvent(run, leg.role, 'rejected', 0n);
        return null;
      }
    }
  }

  async #poll(run: AttemptRun, leg: LegRun, deadline: number): Promise<OrderState | null> {
    const market = leg.intent.market;
    let polls = 0;
    while (this.#now() < deadline) {
      await this.#sleep(this.#deps.settings.pollIntervalMs);
      polls += 1;
      try {
        const state =
          leg.venueOrderId !== null
            ? await leg.venue.getOrder({ market, venueOrderId: leg.venueOrderId })
            : await leg.venue.findOrder(market, leg.intent.clientOrderId, leg.sentAt - 60_000);
        if (state === null) continue;
        this.#audit('order-polled', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, polls, status: state.status, filled: state.filledSize });
        await this.#apply(run, leg, state);
        if (isFinal(state)) return state;
      } catch (error) {
        this.#audit('poll-error', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, error: describeError(error) });
      }
    }
    // Still working at the deadline (resting, delayed): an immediate-or-cancel order must not
    // be left on the book. Cancel what rests and read it once more; only then is it unresolved.
    if (leg.venueOrderId !== null) {
      try {
        const ref = { market, venueOrderId: leg.venueOrderId };
        const cancel = await leg.venue.cancelOrder(ref);
        this.#audit('order-cancel-at-deadline', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, result: cancel.kind });
        const state = await leg.venue.getOrder(ref);
        if (state !== null) {
          await this.#apply(run, leg, state);
          if (isFinal(state)) return state;
        }
      } catch (error) {
        this.#audit('cancel-at-deadline-failed', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, error: describeError(error) });
      }
    }
    this.#audit('order-unresolved', run.tradeId, { role: leg.role, clientOrderId: leg.intent.clientOrderId, polls });
    return null;
  }

  /** Apply a venue answer: order row, attempt event, fills and positions (once final). */
  async #apply(run: AttemptRun, leg: LegRun, state: OrderState): Promise<void> {
    leg.venueOrderId = state.venueOrderId;
    const stored = this.#deps.db.repos.orders.get(leg.intent.clientOrderId);
    const filled = state.filledSize > (stored?.filledSize ?? 0n) ? state.filledSize : (stored?.filledSize ?? 0n);
    this.#record(run, leg, { state: state.status, venueOrderId: state.venueOrderId, filledSize: filled, lastError: null });
    const before = this.#legFilled(run, leg.role);
    const reported = filled > before ? filled : before;
    if (state.status === 'rejected' && reported === 0n) this.#legEvent(run, leg.role, 'rejected', 0n);
    else this.#legEvent(run, leg.role, 'report', reported, isFinal(state));
    if (isFinal(state) && filled > 0n) await this.#recordFills(run.tradeId, leg.venue, leg.intent, state, leg.sentAt, run.pairKey, this.#titles(run));
  }

  /**
   * Record the order's fills: the venue's own fill list when it has them (idempotent by
   * fill id), else one fill derived from the order's filled size and average price
   * (id `derived:<order>:<filled>`), so positions always match the order's filled size.
   *
   * On a venue that may collect a buy's taker fee in shares (`buyFeeMayBeInShares`), the
   * shares actually received are read back from the venue's position first; the shares
   * withheld are booked as a fee (their value at the fill price) and the fill's size is
   * what was received, so positions, hedged size and realised edge never count shares we
   * do not hold. The withheld count per order is kept in app_state (`shares_withheld:<id>`).
   */
  async #recordFills(
    tradeId: number | null,
    venue: TradingVenue,
    intent: OrderIntent,
    state: OrderState,
    sinceMs: number,
    pairKey: string | null,
    titles: ReadonlyMap<string, Market>,
  ): Promise<void> {
    let venueFills: Fill[] = [];
    // fills the venue already says failed (matched, then refused on chain): recorded voided, never held
    let failedFills: Fill[] = [];
    try {
      const all = await orderFills(venue, intent, state.venueOrderId, sinceMs);
      venueFills = all.filter((f) => !f.failed);
      failedFills = all.filter((f) => f.failed);
    } catch (error) {
      this.#audit('fills-read-failed', tradeId, { clientOrderId: intent.clientOrderId, error: describeError(error) });
    }
    const market = intent.market;
    const estimateFee = (price: Price, size: Size): Money => {
      if (price <= 0n || price >= ONE) return 0n;
      const f = feeFor(market.fee, price, size, 'taker', this.#deps.kalshiFeeRounding ?? 'centicent');
      return f.known ? f.fee : 0n;
    };
    // Kalshi reads a sell back as a buy of the other outcome: bring it back to the intent's terms.
    const mirrored = (outcome: 'yes' | 'no', action: 'buy' | 'sell'): boolean => outcome !== intent.outcome && action === 'buy' && intent.action === 'sell';
    const withheldKey = `${SHARES_WITHHELD_PREFIX}${intent.clientOrderId}`;
    // What would be recorded now (read only), to know the shares the venue should have credited.
    const planned = (): { price: Price; size: Size; fee: Money | null; id: string; filledAt: number; isTaker: boolean | null }[] => {
      const r = this.#deps.db.repos;
      const prior = recordedFillIds(r, intent.clientOrderId);
      const out: { price: Price; size: Size; fee: Money | null; id: string; filledAt: number; isTaker: boolean | null }[] = [];
      // A fill derived from the order (its fills could not be read then) stands for the shares
      // it covers: the venue's own fills read later are the same shares, never added on top.
      const derivedBefore = hasDerivedFill(prior);
      for (const f of derivedBefore ? [] : venueFills) {
        if (prior.has(f.tradeId)) continue;
        out.push({ price: mirrored(f.outcome, f.action) ? ONE - f.price : f.price, size: f.size, fee: f.fee, id: f.tradeId, filledAt: f.time, isTaker: f.isTaker });
      }
      // the failed ones are in the order's filled size too (matched), never held: no derived fill for them
      const failedNew = derivedBefore ? 0n : failedFills.reduce((n, f) => n + (prior.has(f.tradeId) ? 0n : f.size), 0n);
      const have = bookedShares(r, intent.clientOrderId) + out.reduce((n, f) => n + f.size, 0n) + failedNew;
      if (have < state.filledSize) {
        let avg = state.averagePrice ?? intent.limitPrice;
        if (state.averagePrice !== null && state.outcome !== intent.outcome) avg = ONE - state.averagePrice;
        const id = `derived:${state.venueOrderId}:${state.filledSize}`;
        if (!prior.has(id)) out.push({ price: avg, size: state.filledSize - have, fee: null, id, filledAt: state.updatedAt ?? this.#now(), isTaker: true });
      }
      return out;
    };
    let withheld = 0n;
    if (intent.action === 'buy' && venue.buyFeeMayBeInShares === true) {
      const gross = planned().reduce((n, f) => n + f.size, 0n);
      if (gross > 0n) withheld = await this.#sharesWithheld(tradeId, venue, intent, gross);
    }
    const newFills: FillRow[] = [];
    // fills the venue already said failed, recorded voided now
    const voidedNow: FillRow[] = [];
    const positions: PositionRow[] = [];
    const at = this.#now();
    this.#deps.db.write((r) => {
      const prior = recordedFillIds(r, intent.clientOrderId);
      const base = { venue: venue.id, clientOrderId: intent.clientOrderId, venueOrderId: state.venueOrderId, sessionId: this.#deps.sessionId, marketId: market.id, side: intent.outcome, action: intent.action } as const;
      const fills = planned();
      // The withheld shares come off the largest new fills (each keeps at least one unit).
      const w = fills.map(() => 0n);
      let left = withheld;
      for (const i of fills.map((_, i) => i).sort((a, b) => ((fills[b]?.size ?? 0n) > (fills[a]?.size ?? 0n) ? 1 : -1))) {
        if (left <= 0n) break;
        const room = (fills[i]?.size ?? 0n) - 1n;
        const take = room < left ? room : left;
        if (take > 0n) {
          w[i] = take;
          left -= take;
        }
      }
      const applied = withheld - left;
      fills.forEach((f, i) => {
        const wi = w[i] ?? 0n;
        let fee: Money;
        if (wi > 0n) fee = mul(f.price, wi, 'ceil'); // the fee was the withheld shares, worth this at the fill price
        else if (f.fee !== null) fee = f.fee;
        else if (withheld > 0n) fee = 0n; // this venue took its fee in shares: no cash fee on the other fills
        else if (f.id.startsWith('derived:') && state.fees !== null) {
          const feesSoFar = r.orders.fillsForOrder(intent.clientOrderId).reduce((n, x) => n + x.fee, 0n);
          fee = state.fees >= feesSoFar ? state.fees - feesSoFar : estimateFee(f.price, f.size);
        } else fee = estimateFee(f.price, f.size);
        const p = applyFill(r, { ...base, venueFillId: f.id, price: f.price, size: f.size - wi, fee, isTaker: f.isTaker, filledAt: f.filledAt, receivedAt: at });
        if (p) positions.push(p);
      });
      if (applied > 0n) {
        r.state.set(withheldKey, String(sharesWithheld(r, intent.clientOrderId) + applied));
      }
      // failed before they were ever booked: kept, voided at once (they move no position)
      if (!hasDerivedFill(prior)) {
        for (const f of failedFills) {
          if (prior.has(f.tradeId)) continue;
          const price = mirrored(f.outcome, f.action) ? ONE - f.price : f.price;
          r.orders.recordFill({ ...base, venueFillId: f.tradeId, price, size: f.size, fee: f.fee ?? 0n, isTaker: f.isTaker, filledAt: f.time, receivedAt: at });
          r.orders.voidFill(venue.id, f.tradeId, f.venueStatus, at);
        }
        for (const f of r.orders.voidedFillsForOrder(intent.clientOrderId)) if (!prior.has(f.venueFillId)) voidedNow.push(f);
        if (voidedNow.length > 0) {
          this.#audit(
            'fill-failed',
            tradeId,
            { clientOrderId: intent.clientOrderId, venueOrderId: state.venueOrderId, venue: venue.id, marketId: market.id, voidedWhenFirstRead: voidedNow.map((f) => ({ id: f.venueFillId, size: f.size, status: failedFills.find((x) => x.tradeId === f.venueFillId)?.venueStatus ?? null })) },
            r,
          );
        }
      }
      for (const f of r.orders.fillsForOrder(intent.clientOrderId)) if (!prior.has(f.venueFillId)) newFills.push(f);
      if (newFills.length > 0) {
        r.audit.append({
          actor: 'engine',
          kind: 'fills-recorded',
          subject: tradeId === null ? null : `trade:${tradeId}`,
          sessionId: this.#deps.sessionId,
          at,
          detail: { clientOrderId: intent.clientOrderId, fills: newFills.map((f) => ({ id: f.venueFillId, price: f.price, size: f.size, fee: f.fee })), ...(applied > 0n ? { sharesWithheldAsFee: applied } : {}) },
        });
      }
    });
    const row = this.#deps.db.repos.orders.get(intent.clientOrderId);
    this.#emit(row ? [row] : [], newFills, positions, pairKey, titles);
    if (voidedNow.length > 0) this.#emit([], voidedNow, [], pairKey, titles, true);
    // Matched is not settled (Polymarket: MATCHED → MINED → CONFIRMED, or FAILED on chain): follow
    // the fills booked before they were final until they are (once booked: a failure voids a booked fill).
    if (venueFills.some((f) => !f.final)) this.#watchSettlement(tradeId, venue, intent, state.venueOrderId, sinceMs);
  }

  /**
   * Shares of `gross` (matched, not yet booked) that the venue did not credit, read back
   * from its position: received = venue position − our booked position. Accepted when
   * 0 ≤ withheld ≤ 10 % of gross (any taker fee schedule is far below) and smaller than
   * the largest fill; otherwise re-read a few times (the credit may lag), then book the
   * gross and raise an alert (reconciliation will show the mismatch).
   */
  async #sharesWithheld(tradeId: number | null, venue: TradingVenue, intent: OrderIntent, gross: Size): Promise<Size> {
    const market = intent.market;
    const ours = (this.#deps.db.repos.orders.positions().find((p) => p.venue === venue.id && p.marketId === market.id && p.side === intent.outcome)?.size ?? 0n);
    let last: string = 'not read';
    for (let read = 1; read <= SHARE_READS; read += 1) {
      if (read > 1) await this.#sleep(this.#deps.settings.pollIntervalMs);
      try {
        const pos = (await venue.positions([market])).find((p) => p.marketId === market.id);
        const theirs = pos ? pos[intent.outcome] : 0n;
        const received = theirs - ours;
        const withheld = gross - received;
        if (withheld >= 0n && withheld * 10n <= gross) {
          this.#audit('shares-read-back', tradeId, { clientOrderId: intent.clientOrderId, matched: gross, received, withheld, venuePosition: theirs, bookedBefore: ours });
          return withheld;
        }
        last = `venue holds ${formatDecimal(theirs)}, we had ${formatDecimal(ours)} booked before ${formatDecimal(gross)} matched`;
      } catch (error) {
        last = describeError(error);
      }
    }
    this.#audit('shares-read-back-inconclusive', tradeId, { clientOrderId: intent.clientOrderId, matched: gross, reason: last });
    this.#alert(`order ${intent.clientOrderId}: shares received could not be read back (${last}); booked ${formatDecimal(gross)} as matched`, tradeId);
    return 0n;
  }

  // ------------------------------------------------------------------ reconciliation

  /**
   * Start-up recovery: load attempts not finished in the database, ask the venues what
   * became of their orders, record fills and positions, classify each attempt, compare
   * positions with the venues', read balances, and only then arm trading. On any failure
   * trading stays disarmed (read-only) with the reason.
   */
  async reconcile(): Promise<ReconcileResult> {
    this.#armed = false;
    this.#readOnlyReason = 'reconciling';
    const notes: string[] = [];
    try {
      const r = this.#deps.db.repos;
      const open: TradeRow[] = [];
      for (const s of r.sessions.list()) for (const t of r.trades.listBySession(s.id)) if (!FINAL_STATUS_WORDS.has(t.status)) open.push(t);
      const touched = new Map<string, Market>();
      for (const trade of open) {
        const settled = await this.#reconcileTrade(trade, touched);
        notes.push(settled);
      }
      // Positions: the venue's word against ours, for every market we touched.
      for (const venueId of ['kalshi', 'polymarket'] as const) {
        const markets = [...touched.values()].filter((m) => m.venue === venueId);
        if (markets.length === 0) continue;
        const theirs = await this.#deps.venues[venueId].positions(markets);
        for (const m of markets) {
          const pos = theirs.find((p) => p.marketId === m.id);
          for (const side of ['yes', 'no'] as const) {
            const ours = r.orders.positions().find((p) => p.venue === venueId && p.marketId === m.id && p.side === side)?.size ?? 0n;
            const venueSize = pos ? pos[side] : 0n;
            if (ours !== venueSize) {
              const msg = `${venueId} ${m.id} ${side.toUpperCase()}: we hold ${formatDecimal(ours)}, the venue says ${formatDecimal(venueSize)}`;
              notes.push(`position mismatch: ${msg}`);
              this.#audit('position-mismatch', null, { venue: venueId, marketId: m.id, side, ours, venue_size: venueSize });
            }
          }
        }
      }
      await this.refreshBalances();
      this.#venuesAnswered();
      await this.#resumeSettlementWatches();
      this.#daily = null;
      this.#unresolved.clear();
      // the venues' orders, fills and balances are read: what unresolved attempts spent is in them now
      for (const request of this.#heldUntilReconciled.keys()) this.#reserved.delete(request);
      this.#heldUntilReconciled.clear();
      await this.#deps.db.writeCritical((rr) =>
        rr.audit.append({ actor: 'engine', kind: 'reconciled', sessionId: this.#deps.sessionId, at: this.#now(), detail: { attempts: open.length, notes } }),
      );
      this.#armed = true;
      this.#readOnlyReason = null;
      return { armed: true, settled: open.length, notes };
    } catch (error) {
      const reason = `reconciliation failed: ${describeError(error)}`;
      this.#readOnlyReason = reason;
      try {
        this.#audit('reconcile-failed', null, { reason });
        await this.#deps.db.flushNow();
      } catch {
        // keep the first failure as the reason
      }
      return { armed: false, reason };
    }
  }

  async #reconcileTrade(trade: TradeRow, touched: Map<string, Market>): Promise<string> {
    const r = this.#deps.db.repos;
    const resolve = this.#deps.resolveMarket;
    const pair = r.pairs.get(trade.pairId);
    const pairKey = pair ? pairKeyOf(pair.kalshiMarketId, pair.polymarketMarketId) : null;
    const orders = r.orders.listByTrade(trade.id);
    for (const o of orders) {
      const market = await resolve?.(o.venue, o.marketId);
      if (!market) throw new Error(`market ${o.venue} ${o.marketId} of trade ${trade.id} is not among the venue's open markets (closed or delisted?): cannot reconcile it`);
      touched.set(`${o.venue}|${o.marketId}`, market);
      const venue = this.#deps.venues[o.venue];
      const intent: OrderIntent = {
        clientOrderId: o.clientOrderId,
        market,
        outcome: o.side,
        action: o.action,
        size: o.size,
        limitPrice: o.limitPrice,
        timeInForce: 'ioc',
      };
      const titles = new Map([[`${o.venue}|${o.marketId}`, market]]);
      if (FINAL_ORDER_STATES.has(o.state)) {
        // Final but maybe missing fills (killed between the answer and the fills). Shares the
        // venue withheld as its fee count as booked (they are in the order's filled size).
        if (bookedShares(r, o.clientOrderId) < o.filledSize && o.venueOrderId) {
          const state = await venue.getOrder({ market, venueOrderId: o.venueOrderId });
          if (state) await this.#recordFills(trade.id, venue, intent, state, o.createdAt, pairKey, titles);
        }
        continue;
      }
      let state =
        o.venueOrderId !== null
          ? await venue.getOrder({ market, venueOrderId: o.venueOrderId })
          : await venue.findOrder(market, o.clientOrderId, o.createdAt - 60_000);
      if (state !== null && (state.status === 'open' || state.status === 'pending' || state.status === 'unknown')) {
        // An order still working after a restart: cancel what rests, then read it again.
        if (state.status === 'open') {
          const c = await venue.cancelOrder({ market, venueOrderId: state.venueOrderId });
          this.#audit('reconcile-cancel', trade.id, { clientOrderId: o.clientOrderId, result: c.kind });
          state = (await venue.getOrder({ market, venueOrderId: state.venueOrderId })) ?? state;
        }
      }
      if (state === null) {
        // The venue does not know it: the request never arrived (or the order cannot be found by id).
        const row = this.#deps.db.write((rr) => {
          rr.audit.append({ actor: 'engine', kind: 'reconcile-order', subject: `trade:${trade.id}`, sessionId: this.#deps.sessionId, at: this.#now(), detail: { clientOrderId: o.clientOrderId, found: false } });
          return rr.orders.update(o.clientOrderId, { state: 'not-placed', lastError: 'not found at the venue during reconciliation', at: this.#now() });
        });
        this.#emit([row], [], [], pairKey, titles);
        continue;
      }
      const filled = state.filledSize > o.filledSize ? state.filledSize : o.filledSize;
      const row = this.#deps.db.write((rr) => {
        rr.audit.append({
          actor: 'engine',
          kind: 'reconcile-order',
          subject: `trade:${trade.id}`,
          sessionId: this.#deps.sessionId,
          at: this.#now(),
          detail: { clientOrderId: o.clientOrderId, found: true, status: state.status, venueStatus: state.venueStatus, filled },
        });
        return rr.orders.update(o.clientOrderId, { state: state.status, venueOrderId: state.venueOrderId, filledSize: filled, at: this.#now() });
      });
      this.#emit([row], [], [], pairKey, titles);
      if (filled > 0n) await this.#recordFills(trade.id, venue, intent, state, o.createdAt, pairKey, titles);
    }
    // Classify from what the venues said.
    const after = r.orders.listByTrade(trade.id);
    const stillOpen = after.filter((o) => !FINAL_ORDER_STATES.has(o.state));
    const { figures, outcome } = this.#classifyTrade(r, trade);
    const status = stillOpen.length > 0 ? 'unresolved' : outcome.classification;
    const note =
      `reconciled at start-up: ${status}; hedged ${formatDecimal(outcome.hedged)} of ${formatDecimal(trade.plannedSize)}; expected edge ` +
      `${formatDecimal(trade.expectedEdge)}/contract, realised ${figures.realisedEdge === null ? 'n/a' : `${formatDecimal(figures.realisedEdge)}/contract`}` +
      (outcome.exposed ? `; ${formatDecimal(outcome.exposed.size)} exposed on leg ${outcome.exposed.leg}` : '');
    await this.#deps.db.writeCritical((rr) => {
      rr.trades.update(trade.id, { status, hedgedSize: outcome.hedged, realisedPnl: figures.realisedPnl, note, at: this.#now() });
      rr.audit.append({
        actor: 'engine',
        kind: 'attempt-reconciled',
        subject: `trade:${trade.id}`,
        sessionId: this.#deps.sessionId,
        at: this.#now(),
        detail: { previous: trade.status, status, hedged: outcome.hedged, exposed: outcome.exposed, realisedPnl: figures.realisedPnl, realisedEdge: figures.realisedEdge },
      });
    });
    if (stillOpen.length > 0) throw new Error(`trade ${trade.id}: ${stillOpen.length} order(s) still working at the venue`);
    if (outcome.exposed && pairKey) {
      this.#alert(`trade ${trade.id} (reconciled): ${formatDecimal(outcome.exposed.size)} contracts on leg ${outcome.exposed.leg} are not hedged`, trade.id);
    }
    return `trade ${trade.id}: ${trade.status} → ${status}`;
  }
}

