/**
 * The detector: for one pair and the latest books of its two markets, the
 * best arbitrage in each direction with every figure a trader needs (size,
 * VWAP and worst price per leg, fees, cost, payout, net profit, ROI, return
 * annualised to the later close date, quote ages), and whether it may be
 * traded: approved pair, fresh quotes, known fees, thresholds met.
 *
 * Pure: time comes in as `now`.
 */
import {
  bestArbitrageNumbers,
  directionsFor,
  capitalDecided,
  type ArbitrageFigures,
  type ArbitrageNumbers,
  type ArbitrageLimits,
  type Direction,
  type FeeSettings,
  type LegInput,
  type Relation,
  type Side,
} from '../domain/arbitrage.js';
import type { KalshiFeeRounding } from '../domain/fees.js';
import type { Market } from '../domain/market.js';
import { bigOfSafe, divRound, floorDivSafe, SCALE, type Money, type Size } from '../domain/money.js';
import { bookFigures, bookFiguresAt, LADDER_LEVELS, ladderOffset, ladderSlab, type OrderBook } from '../domain/order-book.js';

export const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const YEAR_MS_BIG = BigInt(YEAR_MS);

/** A Kalshi/Polymarket pair in the detector's terms: YES/NO are each market's own sides. */
export interface DetectorPair {
  /** Stable key of the pair, e.g. "KXFED-26JUN-T4.00|0xabc…". */
  readonly key: string;
  readonly kalshi: Market;
  readonly polymarket: Market;
  /** same: Kalshi YES = Polymarket YES; inverse: Kalshi YES = Polymarket NO. */
  readonly relation: Relation;
  /** Approved by a person (or by config / the demo): only these are tradable. */
  readonly approved: boolean;
  /** Matcher confidence in [0, 1] at scale 10^6. */
  readonly confidence: bigint;
  readonly warnings: readonly string[];
}

export interface DetectorThresholds {
  readonly minNetProfit: Money;
  /** Ratio at scale 10^6 (0.01 = 10_000n). */
  readonly minRoi: bigint;
  readonly minAnnualizedReturn: bigint;
  readonly maxSizePerTrade: Size;
  readonly maxCapitalPerPair: Money;
  readonly staleQuoteMs: number;
}

export interface DetectorSettings {
  readonly thresholds: DetectorThresholds;
  readonly kalshiFeeRounding: KalshiFeeRounding;
}

/**
 * What the trading account can pay for now on one pair (paper and execute
 * modes): opportunities are sized to fit it, so that the size shown is one
 * the risk gate lets through. Undefined figures are not known and limit nothing.
 */
export interface AccountLimits {
  /** Most both legs may cost together, fees included: the least of what the pair, a trade and total exposure have left. */
  readonly capital?: Money | undefined;
  /** Money free on each venue (its balance less what attempts under way may spend). */
  readonly kalshi?: Money | undefined;
  readonly polymarket?: Money | undefined;
  /** A venue's balance could not be read (its last read failed): nothing is tradable until it is (the risk gate refuses). */
  readonly balanceUnknown?: boolean;
}

export interface OpportunityLeg {
  readonly venue: 'kalshi' | 'polymarket';
  readonly market: Market;
  readonly side: Side;
  readonly size: Size;
  readonly vwap: Money;
  readonly worstPrice: Money;
  readonly cost: Money;
  readonly fee: Money;
  /** now − local receive time of this leg's book. */
  readonly quoteAgeMs: number;
  /** The venue's own book time, when it sent one. */
  readonly venueTime: number | null;
  readonly receivedAt: number;
}

export type NotTradableReason =
  | 'not-approved'
  | 'stale-quote'
  | 'below-min-profit'
  | 'below-min-roi'
  | 'below-min-annualized'
  | 'close-time-unknown'
  | 'market-not-open'
  | 'account-limit'
  | 'balance-unknown';

export interface Opportunity {
  /** pair key + direction: stable across refreshes, the episode key. */
  readonly id: string;
  readonly pairKey: string;
  /** e.g. "YES kalshi + NO polymarket". */
  readonly direction: string;
  readonly size: Size;
  readonly legs: readonly [OpportunityLeg, OpportunityLeg];
  readonly totalFees: Money;
  readonly totalCost: Money;
  readonly payout: Money;
  readonly netProfit: Money;
  /** netProfit / totalCost at scale 10^6, rounded down. */
  readonly roi: bigint;
  /** Simple annualised return: roi × year / time to the later close, scale 10^6; null when a close time is unknown. */
  readonly annualizedReturn: bigint | null;
  /** The later of the two close times (capital is locked until then). */
  readonly lockedUntil: number | null;
  readonly confidence: bigint;
  readonly warnings: readonly string[];
  readonly tradable: boolean;
  readonly notTradable: readonly NotTradableReason[];
  /** When these figures were computed. */
  readonly computedAt: number;
}

export interface DetectionMiss {
  readonly pairKey: string;
  readonly direction: string;
  readonly reason: string;
}

function legOf(arbLeg: ArbitrageFigures['legs'][number], book: OrderBook, now: number): OpportunityLeg {
  return leg(arbLeg.market, arbLeg.side, arbLeg.size, arbLeg.vwap, arbLeg.worstPrice, arbLeg.cost, arbLeg.fee, book, now);
}

/** One leg of an opportunity, its quote's age and times from `book`. */
function leg(market: Market, side: Side, size: Size, vwap: bigint, worstPrice: bigint, cost: Money, fee: Money, book: OrderBook, now: number): OpportunityLeg {
  return {
    venue: market.venue,
    market,
    side,
    size,
    vwap,
    worstPrice,
    cost,
    fee,
    quoteAgeMs: Math.max(0, now - book.receivedAt),
    venueTime: book.venueTime,
    receivedAt: book.receivedAt,
  };
}

/** Simple annualised return at scale 10^6, rounded down; null when the horizon is unknown. */
export function annualize(roi: bigint, now: number, lockedUntil: number | null): bigint | null {
  if (lockedUntil === null) return null;
  // Less than a day left counts as a day: no division blow-ups near the close.
  const horizon = BigInt(Math.max(lockedUntil - now, 24 * 60 * 60 * 1000));
  return divRound(roi * YEAR_MS_BIG, horizon, 'floor');
}

// ---- the same figures on safe integers when they fit (hot path) -------------
//
// `floorDivSafe` is exact for integer operands 0 ≤ n ≤ 2^52, 0 < d ≤ 2^52; a
// product of exact integers found ≤ 2^51 in floating point is exact. Number(x)
// of a bigint is monotone and exact below 2^53, so a converted value found
// inside those bounds was converted exactly. Anything else takes the bigint
// formula, so the figures never depend on the path taken.

const S = 1_000_000;
const SAFE = 2 ** 52;
const CHECK = 2 ** 51;

/** ⌊netProfit × 10^6 / totalCost⌋ on safe integers, or NaN when the operands leave the bounds. */
function roiNumber(netProfit: number, totalCost: number): number {
  const n = netProfit * S;
  return n >= 0 && n <= CHECK && totalCost > 0 && totalCost <= SAFE ? floorDivSafe(n, totalCost) : Number.NaN;
}

/** ⌊roi × year / horizon⌋ (`annualize`) on safe integers, or NaN when the operands leave the bounds. */
function annualizedNumber(roi: number, now: number, lockedUntil: number): number {
  const horizon = Math.max(lockedUntil - now, 24 * 60 * 60 * 1000);
  const n = roi * YEAR_MS;
  return n >= 0 && n <= CHECK && Number.isSafeInteger(horizon) && horizon <= SAFE ? floorDivSafe(n, horizon) : Number.NaN;
}

/** divRound(netProfit × 10^6, totalCost, 'floor'). */
function roiOf(netProfit: Money, totalCost: Money): bigint {
  const roi = roiNumber(Number(netProfit), Number(totalCost));
  return roi === roi ? bigOfSafe(roi) : divRound(netProfit * SCALE, totalCost, 'floor');
}

/** `annualize(roi, …)` with the roi also as a number (`roiNumber`; NaN sends it to the bigint formula). */
function annualizedOf(roiN: number, roi: bigint, now: number, lockedUntil: number | null): bigint | null {
  if (lockedUntil === null) return null;
  const a = annualizedNumber(roiN, now, lockedUntil);
  return a === a ? bigOfSafe(a) : annualize(roi, now, lockedUntil);
}

/** `roiOf` and `annualize` of figures the fast path found as numbers (exact integers in micros). */
function ratiosOf(netProfit: number, totalCost: number, now: number, lockedUntil: number | null): void {
  const roi = roiNumber(netProfit, totalCost);
  RATIOS.roi = roi === roi ? bigOfSafe(roi) : divRound(bigOfSafe(netProfit) * SCALE, bigOfSafe(totalCost), 'floor');
  RATIOS.annualized = annualizedOf(roi, RATIOS.roi, now, lockedUntil);
}

/** `ratiosOf`'s answer (read at once). */
const RATIOS: { roi: bigint; annualized: bigint | null } = { roi: 0n, annualized: null };

/** Arbitrage limits and fee settings per settings object (settings are immutable values). */
const limitsOf = new WeakMap<DetectorSettings, { readonly limits: ArbitrageLimits; readonly fees: FeeSettings }>();

/** The settings asked about last and their answer (the engine passes the same settings pair after pair). */
let lastSettings: DetectorSettings | undefined;
let lastArbitrageSettings: { readonly limits: ArbitrageLimits; readonly fees: FeeSettings } | undefined;

function arbitrageSettings(settings: DetectorSettings): { readonly limits: ArbitrageLimits; readonly fees: FeeSettings } {
  if (settings === lastSettings && lastArbitrageSettings !== undefined) return lastArbitrageSettings;
  let found = limitsOf.get(settings);
  if (found === undefined) {
    const t = settings.thresholds;
    found = {
      limits: { maxSize: t.maxSizePerTrade, maxCapital: t.maxCapitalPerPair },
      fees: { kalshiRounding: settings.kalshiFeeRounding },
    };
    limitsOf.set(settings, found);
  }
  lastSettings = settings;
  lastArbitrageSettings = found;
  return found;
}

/** The settings' limits narrowed to what the account can pay for (the Kalshi leg is always the search's first). */
function accountLimitsOf(limits: ArbitrageLimits, account: AccountLimits): ArbitrageLimits {
  const capital = account.capital;
  if (capital === undefined && account.kalshi === undefined && account.polymarket === undefined) return limits;
  const maxCapital = limits.maxCapital;
  return {
    maxSize: limits.maxSize,
    maxCapital: capital === undefined ? maxCapital : maxCapital === undefined || capital < maxCapital ? capital : maxCapital,
    maxCostA: account.kalshi,
    maxCostB: account.polymarket,
  };
}

interface DirectionPlan {
  readonly first: Side;
  readonly second: Side;
  /** e.g. "YES kalshi + NO polymarket". */
  readonly label: string;
  /** Appended to the pair key to make the opportunity id. */
  readonly suffix: string;
}

function plan(relation: Relation): readonly [DirectionPlan, DirectionPlan] {
  const one = (d: Direction): DirectionPlan => ({
    first: d.first,
    second: d.second,
    label: `${d.first.toUpperCase()} kalshi + ${d.second.toUpperCase()} polymarket`,
    suffix: `#${d.first}-${d.second}`,
  });
  const [a, b] = directionsFor(relation);
  return [one(a), one(b)];
}

/** The two directions of each relation with their labels, built once. */
const PLANS: Readonly<Record<Relation, readonly [DirectionPlan, DirectionPlan]>> = { same: plan('same'), inverse: plan('inverse') };

function lockedUntilOf(pair: DetectorPair): number | null {
  const kClose = pair.kalshi.closeTime;
  const pClose = pair.polymarket.closeTime;
  return kClose === null || pClose === null ? null : Math.max(kClose, pClose);
}

/**
 * A book received "in the future" (more than this ahead of now): the clock stepped back, and
 * its age cannot be known — stale, never fresh (its age was taken as 0 until the clock caught up).
 */
export const CLOCK_STEP_SLACK_MS = 1_000;

/** A quote whose age is known and within the limit. */
export function quoteFresh(ageMs: number, staleQuoteMs: number): boolean {
  return ageMs <= staleQuoteMs && ageMs >= -CLOCK_STEP_SLACK_MS;
}

/** Past its close time: the venue takes no orders any more, whatever the last catalog said. */
function closedAt(m: Market, now: number): boolean {
  return m.closeTime !== null && m.closeTime <= now;
}

/** Why an opportunity may not be traded (empty: tradable). `ageA`/`ageB`: now − receive time, unclamped. */
function notTradableOf(
  pair: DetectorPair,
  t: DetectorThresholds,
  ageA: number,
  ageB: number,
  netProfit: Money,
  roi: bigint,
  annualizedReturn: bigint | null,
  now: number,
  unaffordable: boolean,
): NotTradableReason[] {
  const notTradable: NotTradableReason[] = [];
  if (!pair.approved) notTradable.push('not-approved');
  if (pair.kalshi.status !== 'open' || pair.polymarket.status !== 'open' || closedAt(pair.kalshi, now) || closedAt(pair.polymarket, now)) {
    notTradable.push('market-not-open');
  }
  if (!quoteFresh(ageA, t.staleQuoteMs) || !quoteFresh(ageB, t.staleQuoteMs)) notTradable.push('stale-quote');
  if (unaffordable) notTradable.push('account-limit');
  if (netProfit < t.minNetProfit) notTradable.push('below-min-profit');
  if (roi < t.minRoi) notTradable.push('below-min-roi');
  if (t.minAnnualizedReturn > 0n) {
    if (annualizedReturn === null) notTradable.push('close-time-unknown');
    else if (annualizedReturn < t.minAnnualizedReturn) notTradable.push('below-min-annualized');
  }
  return notTradable;
}

/** The opportunity from the bigint figures (inputs the fast path hands to the reference). */
function fromFigures(pair: DetectorPair, dir: DirectionPlan, a: ArbitrageFigures, kBook: OrderBook, pBook: OrderBook, now: number, t: DetectorThresholds, unaffordable: boolean): Opportunity {
  const roi = roiOf(a.netProfit, a.totalCost);
  const lockedUntil = lockedUntilOf(pair);
  const annualizedReturn = annualizedOf(Number(roi), roi, now, lockedUntil); // (a ratio, exact below 2^53)
  const legs = [legOf(a.legs[0], kBook, now), legOf(a.legs[1], pBook, now)] as const;
  return opportunityOf(pair, dir, legs, a.totalFees, a.totalCost, a.netProfit, roi, annualizedReturn, lockedUntil, now, t, unaffordable);
}

/**
 * The same opportunity from the fast path's numbers, without the intermediate
 * bigint figures: every sum below is of exact integers under 2^47, so it is exact.
 */
function fromNumbers(pair: DetectorPair, dir: DirectionPlan, a: ArbitrageNumbers, kBook: OrderBook, pBook: OrderBook, now: number, t: DetectorThresholds, unaffordable: boolean): Opportunity {
  const totalFees = a.feeA + a.feeB;
  const totalCost = a.costA + a.costB + totalFees;
  const net = a.size - totalCost;
  const lockedUntil = lockedUntilOf(pair);
  ratiosOf(net, totalCost, now, lockedUntil);
  const size = a.sizeBig;
  const legs = [
    leg(pair.kalshi, dir.first, size, a.vwapA, bigOfSafe(a.worstA), bigOfSafe(a.costA), bigOfSafe(a.feeA), kBook, now),
    leg(pair.polymarket, dir.second, size, a.vwapB, bigOfSafe(a.worstB), bigOfSafe(a.costB), bigOfSafe(a.feeB), pBook, now),
  ] as const;
  return opportunityOf(pair, dir, legs, bigOfSafe(totalFees), bigOfSafe(totalCost), bigOfSafe(net), RATIOS.roi, RATIOS.annualized, lockedUntil, now, t, unaffordable);
}

/** The opportunity of two equal legs paying $1 a contract, with its figures and why it may not be traded. */
function opportunityOf(
  pair: DetectorPair,
  dir: DirectionPlan,
  legs: readonly [OpportunityLeg, OpportunityLeg],
  totalFees: Money,
  totalCost: Money,
  netProfit: Money,
  roi: bigint,
  annualizedReturn: bigint | null,
  lockedUntil: number | null,
  now: number,
  t: DetectorThresholds,
  /** Found only without the account's limits: the account cannot pay for its minimum order. */
  unaffordable: boolean,
): Opportunity {
  const notTradable = notTradableOf(pair, t, now - legs[0].receivedAt, now - legs[1].receivedAt, netProfit, roi, annualizedReturn, now, unaffordable);
  const size = legs[0].size;
  return {
    id: pair.key + dir.suffix,
    pairKey: pair.key,
    direction: dir.label,
    size,
    legs,
    totalFees,
    totalCost,
    payout: size,
    netProfit,
    roi,
    annualizedReturn,
    lockedUntil,
    confidence: pair.confidence,
    warnings: pair.warnings,
    tradable: notTradable.length === 0,
    notTradable,
    computedAt: now,
  };
}

/**
 * Where `touchLadders` leaves what it read, so that the reads are not dropped
 * as dead code; nothing reads it.
 */
let touched = 0;

/**
 * Reads the four ladders' figures (the first cache line of each) before
 * either direction is searched: fresh books are usually out of the CPU's
 * caches, and four independent loads in a row wait for memory once, where
 * the searches would wait for each ladder in turn. Reads only; no state.
 */
function touchLadders(kBook: OrderBook, pBook: OrderBook): void {
  touched = first(kBook, 'yes') + first(kBook, 'no') + first(pBook, 'yes') + first(pBook, 'no');
}

/** A ladder's first figure (its level count), 0 without figures. */
function first(book: OrderBook, side: Side): number {
  const given = bookFigures(book, side);
  if (given !== undefined) return given[bookFiguresAt(book, side) + LADDER_LEVELS] as number;
  const ladder = side === 'yes' ? book.yesAsks : book.noAsks;
  const slab = ladderSlab(ladder);
  return slab === undefined ? 0 : (slab[ladderOffset(ladder) + LADDER_LEVELS] as number);
}

/** One leg's ladder for the search, with the figures the book keeps of it (`orderBook`), when it does. */
function setLadder(leg: MutableLegInput, book: OrderBook, side: Side): void {
  leg.asks = side === 'yes' ? book.yesAsks : book.noAsks;
  leg.figures = bookFigures(book, side);
  leg.at = bookFiguresAt(book, side);
}

/** The inputs of one direction's search, written afresh for each search (it is synchronous and keeps none of them). */
type MutableLegInput = { -readonly [K in keyof LegInput]: LegInput[K] };
const KALSHI_LEG: MutableLegInput = { market: undefined as unknown as Market, side: 'yes', asks: [], figures: undefined, at: 0 };
const POLYMARKET_LEG: MutableLegInput = { market: undefined as unknown as Market, side: 'no', asks: [], figures: undefined, at: 0 };

/** One direction of a pair: its opportunity, or why it has none. */
function detectDirection(
  pair: DetectorPair,
  dir: DirectionPlan,
  kBook: OrderBook,
  pBook: OrderBook,
  now: number,
  t: DetectorThresholds,
  limits: ArbitrageLimits,
  fees: FeeSettings,
  /** `limits` narrowed to the account (`accountLimitsOf`), or `limits` itself without an account. */
  affordable: ArbitrageLimits,
): Opportunity | DetectionMiss {
  const kLeg = KALSHI_LEG;
  kLeg.market = pair.kalshi;
  kLeg.side = dir.first;
  setLadder(kLeg, kBook, dir.first);
  const pLeg = POLYMARKET_LEG;
  pLeg.market = pair.polymarket;
  pLeg.side = dir.second;
  setLadder(pLeg, pBook, dir.second);
  let result = bestArbitrageNumbers(kLeg, pLeg, affordable, fees);
  let unaffordable = false;
  if (result.kind === 'none' && affordable !== limits && capitalDecided()) {
    // The account cannot pay for the minimum order, or for a size that earns: still show the
    // opportunity the settings allow (a trader sees what a deposit would take), never as tradable.
    const plain = bestArbitrageNumbers(kLeg, pLeg, limits, fees);
    if (plain.kind !== 'none') {
      result = plain;
      unaffordable = true;
    }
  }
  if (result.kind === 'none') return { pairKey: pair.key, direction: dir.label, reason: result.detail };
  return result.kind === 'numbers'
    ? fromNumbers(pair, dir, result, kBook, pBook, now, t, unaffordable)
    : fromFigures(pair, dir, result.arbitrage, kBook, pBook, now, t, unaffordable);
}

function balanceUnknown(o: Opportunity): Opportunity {
  return { ...o, tradable: false, notTradable: [...o.notTradable, 'balance-unknown'] };
}

function isOpportunity(found: Opportunity | DetectionMiss): found is Opportunity {
  return 'legs' in found;
}

/**
 * Both directions of one pair: opportunities found, and why the other direction had none.
 * (Each array is built at its final length: this runs for every pair on every book update.)
 */
export function detectPair(
  pair: DetectorPair,
  books: { readonly kalshi: OrderBook | undefined; readonly polymarket: OrderBook | undefined },
  now: number,
  settings: DetectorSettings,
  /** What the trading account can pay for on this pair (paper and execute modes); sizes are cut to fit. */
  account?: AccountLimits,
): { opportunities: Opportunity[]; misses: DetectionMiss[] } {
  const [d0, d1] = PLANS[pair.relation];
  const kBook = books.kalshi;
  const pBook = books.polymarket;
  if (!kBook || !pBook) {
    const reason = `no book yet for ${!kBook ? 'kalshi' : 'polymarket'}`;
    return { opportunities: [], misses: [d0, d1].map((dir) => ({ pairKey: pair.key, direction: dir.label, reason })) };
  }
  const t = settings.thresholds;
  const { limits, fees } = arbitrageSettings(settings);
  touchLadders(kBook, pBook);
  const affordable = account === undefined ? limits : accountLimitsOf(limits, account);
  let r0 = detectDirection(pair, d0, kBook, pBook, now, t, limits, fees, affordable);
  let r1 = detectDirection(pair, d1, kBook, pBook, now, t, limits, fees, affordable);
  if (account?.balanceUnknown === true) {
    // sized without the unread venue's balance; shown, never tradable (the gate would refuse it)
    if (isOpportunity(r0)) r0 = balanceUnknown(r0);
    if (isOpportunity(r1)) r1 = balanceUnknown(r1);
  }
  if (isOpportunity(r0)) {
    return isOpportunity(r1) ? { opportunities: [r0, r1], misses: [] } : { opportunities: [r0], misses: [r1] };
  }
  return isOpportunity(r1) ? { opportunities: [r1], misses: [r0] } : { opportunities: [], misses: [r0, r1] };
}

/** Why an opportunity may not be traded, in words: "not tradable: quote too old; net profit below minimum". */
export function notTradableMessage(o: Pick<Opportunity, 'notTradable'>): string {
  return `not tradable: ${o.notTradable.map(describeNotTradable).join('; ')}`;
}

/** Human words for a not-tradable reason (status bar, ticket, NDJSON). */
export function describeNotTradable(reason: NotTradableReason): string {
  switch (reason) {
    case 'not-approved':
      return 'pair not approved';
    case 'stale-quote':
      return 'quote too old';
    case 'below-min-profit':
      return 'net profit below minimum';
    case 'below-min-roi':
      return 'ROI below minimum';
    case 'below-min-annualized':
      return 'annualised return below minimum';
    case 'close-time-unknown':
      return 'close time unknown (cannot annualise)';
    case 'market-not-open':
      return 'a market is not open (closed, past its close time, or paused)';
    case 'account-limit':
      return 'the account cannot pay for a size that earns (free balance or capital left)';
    case 'balance-unknown':
      return "a venue's balance could not be read (trading waits until it is)";
  }
}

