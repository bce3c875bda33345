/**
 * The arbitrage arithmetic for one pair in one direction: buy one side on one
 * venue and the opposite outcome on the other, in equal contract counts, so
 * that exactly one leg pays $1 per contract whatever happens.
 *
 * Both ladders are walked jointly and the size that maximises net profit
 * after each venue's fees is chosen. Fees are charged per fill (one fill per
 * price level taken), each rounded as the venue rounds it. Sizes respect both
 * markets' minimum order size and size increment; every level taken must be on
 * the market's price grid. An unknown fee or price grid refuses to price.
 *
 * Pure: no I/O, no clock. Figures are exact integers at scale 10^6; the cost
 * of a fill (price × size) is exact because prices have ≤ 6 dp and sizes ≤ 2 dp
 * on both venues, and would be rounded up (against us) otherwise.
 */
import { feeFor, levelFeeFraction, takerFeeKernel, type FeeModel, type KalshiFeeRounding, type TakerFeeKernel } from './fees.js';
import { isOnPriceGrid, type Market } from './market.js';
import { bigOfSafe, ceilDivSafe, divRound, floorDivSafe, gcdSafe, ONE, SCALE, type Money, type Price, type Size } from './money.js';
import {
  LADDER_HEADER,
  LADDER_LEVELS,
  LADDER_MAX_SIZE,
  LADDER_SPACING,
  LADDER_STRIDE,
  ladderNumbersLength,
  ladderOffset,
  ladderSlab,
  type Level,
} from './order-book.js';

export type Side = 'yes' | 'no';

export interface LegInput {
  readonly market: Market;
  /** The outcome this leg buys. */
  readonly side: Side;
  /** Asks to buy `side`, ascending (best first). */
  readonly asks: readonly Level[];
  /**
   * The figures of `asks` (`ladderSlab(asks)`) and where they start (`ladderOffset(asks)`),
   * when the caller has them at hand (`OrderBook.yesFigures`): read instead of going
   * through the ladder. Undefined: read through the ladder.
   */
  readonly figures?: Float64Array | undefined;
  readonly at?: number;
}

export interface ArbitrageLimits {
  /** Most contracts per leg. */
  readonly maxSize?: Size | undefined;
  /** Most money both legs may cost together, fees included. */
  readonly maxCapital?: Money | undefined;
  /** Most money the first leg (`a`) may cost, fees included: the money its venue's account has free. */
  readonly maxCostA?: Money | undefined;
  /** Most money the second leg (`b`) may cost, fees included. */
  readonly maxCostB?: Money | undefined;
}

/** The figures of a leg's ladder: those the caller gave (`LegInput.figures`), else the ladder's own. */
function figuresOf(input: LegInput): Float64Array | undefined {
  return input.figures ?? ladderSlab(input.asks);
}

/** Where `figuresOf(input)` starts. */
function figuresAt(input: LegInput): number {
  return input.figures !== undefined ? (input.at ?? 0) : ladderOffset(input.asks);
}

/** Whether both legs of `size`, costing `totalA` and `totalB` with fees, fit the capital limits. */
function withinCapital(limits: ArbitrageLimits, totalA: bigint, totalB: bigint): boolean {
  return (
    (limits.maxCapital === undefined || totalA + totalB <= limits.maxCapital) &&
    (limits.maxCostA === undefined || totalA <= limits.maxCostA) &&
    (limits.maxCostB === undefined || totalB <= limits.maxCostB)
  );
}

/** Which capital limit the minimum order breaks first (total, then leg a, then leg b), as both implementations say it. */
function capitalRefusal(overTotal: boolean, overA: boolean): NoArbitrage {
  return overTotal ? CAPITAL_LIMIT : overA ? LEG_A_LIMIT : LEG_B_LIMIT;
}

export interface FeeSettings {
  readonly kalshiRounding: KalshiFeeRounding;
}

/** A leg's figures without the fills themselves (`bestArbitrageFigures`). */
export interface LegFigures {
  readonly market: Market;
  readonly side: Side;
  readonly size: Size;
  /** Σ price × size over the fills (before fees). */
  readonly cost: Money;
  /** Σ of each fill's fee, rounded per fill as the venue rounds it. */
  readonly fee: Money;
  /** cost / size, rounded up. */
  readonly vwap: Price;
  /** The highest price taken: the limit price to send. */
  readonly worstPrice: Price;
}

export interface LegFill extends LegFigures {
  /** The levels taken, best first, each with the size taken there. */
  readonly fills: readonly Level[];
}

/** An arbitrage's figures; `Arbitrage` adds each leg's fills. */
export interface ArbitrageFigures {
  readonly size: Size;
  readonly legs: readonly [LegFigures, LegFigures];
  /** Both legs' cost plus both legs' fees. */
  readonly totalCost: Money;
  readonly totalFees: Money;
  /** What the position pays at settlement whatever the outcome: size × $1. */
  readonly payout: Money;
  readonly netProfit: Money;
}

export interface Arbitrage extends ArbitrageFigures {
  readonly legs: readonly [LegFill, LegFill];
}

export interface NoArbitrage {
  readonly kind: 'none';
  readonly reason: NoArbitrageReason;
  readonly detail: string;
}

export type ArbitrageResult = { readonly kind: 'opportunity'; readonly arbitrage: Arbitrage } | NoArbitrage;

export type ArbitrageFiguresResult = { readonly kind: 'opportunity'; readonly arbitrage: ArbitrageFigures } | NoArbitrage;

export type NoArbitrageReason =
  | 'fee-unknown'
  | 'grid-unknown'
  | 'min-size-unknown'
  | 'no-depth'
  | 'below-minimum-size'
  | 'not-profitable'
  | 'limit';

function none(reason: NoArbitrageReason, detail: string): NoArbitrage {
  return { kind: 'none', reason, detail };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Smallest size step valid on both venues. */
export function commonSizeStep(a: Size, b: Size): Size {
  if (a <= 0n || b <= 0n) throw new RangeError('size increments must be positive');
  return (a / gcd(a, b)) * b;
}

/** The smallest size both venues take for one pair of legs: both minimums, on the common step. */
export function minimumPairSize(a: Market, b: Market): Size {
  const step = commonSizeStep(a.sizeIncrement, b.sizeIncrement);
  return roundUpToStep([a.minOrderSize, b.minOrderSize, step].reduce((m, x) => (x > m ? x : m), 0n), step);
}

function roundUpToStep(value: bigint, step: bigint): bigint {
  return divRound(value, step, 'ceil') * step;
}

function roundDownToStep(value: bigint, step: bigint): bigint {
  return divRound(value, step, 'floor') * step;
}

/** Levels usable for buying: on the price grid, priced in (0, 1), in order, up to the first off-grid level. */
function usableLevels(market: Market, asks: readonly Level[]): Level[] {
  const out: Level[] = [];
  for (const level of asks) {
    if (level.size <= 0n) continue;
    // An off-grid price cannot be sent as a limit price; stop rather than skip,
    // so the walk never jumps over liquidity it would take on the way.
    if (!isOnPriceGrid(level.price, market.priceRanges)) break;
    out.push(level);
  }
  return out;
}

/**
 * Cost and fees of buying `size` from `levels` (best first). Null when the
 * ladder is too thin or a fee cannot be priced.
 */
export function walkLeg(
  market: Market,
  side: Side,
  levels: readonly Level[],
  size: Size,
  fees: FeeSettings,
): LegFill | { readonly error: string } {
  let remaining = size;
  let cost = 0n;
  let fee = 0n;
  const fills: Level[] = [];
  for (const level of levels) {
    if (remaining === 0n) break;
    const take = level.size < remaining ? level.size : remaining;
    const fillFee = feeFor(market.fee, level.price, take, 'taker', fees.kalshiRounding);
    if (!fillFee.known) return { error: fillFee.reason };
    cost += divRound(level.price * take, SCALE, 'ceil');
    fee += fillFee.fee;
    fills.push({ price: level.price, size: take });
    remaining -= take;
  }
  if (remaining > 0n) return { error: 'not enough depth' };
  const last = fills[fills.length - 1];
  return {
    market,
    side,
    size,
    fills,
    cost,
    fee,
    vwap: size === 0n ? 0n : divRound(cost * SCALE, size, 'ceil'),
    worstPrice: last?.price ?? 0n,
  };
}

/**
 * One ladder prepared for fast evaluation: cumulative size, cost and fee of
 * the full levels, so the cost of any size needs one fee computation (the
 * partly taken level) instead of a walk.
 */
interface PreparedLeg {
  readonly input: LegInput;
  readonly levels: readonly Level[];
  /** cumSize[i] = Σ size of levels[0..i) (length = levels + 1). */
  readonly cumSize: readonly bigint[];
  readonly cumCost: readonly bigint[];
  readonly cumFee: readonly bigint[];
}

function prepare(leg: LegInput, levels: readonly Level[], fees: FeeSettings): PreparedLeg | string {
  const cumSize = [0n];
  const cumCost = [0n];
  const cumFee = [0n];
  for (const level of levels) {
    const f = feeFor(leg.market.fee, level.price, level.size, 'taker', fees.kalshiRounding);
    if (!f.known) return f.reason;
    cumSize.push((cumSize.at(-1) ?? 0n) + level.size);
    cumCost.push((cumCost.at(-1) ?? 0n) + divRound(level.price * level.size, SCALE, 'ceil'));
    cumFee.push((cumFee.at(-1) ?? 0n) + f.fee);
  }
  return { input: leg, levels, cumSize, cumCost, cumFee };
}

/** Cost and fee of buying `size` (≤ depth) from a prepared ladder; null when a fee cannot be priced. */
function costAt(leg: PreparedLeg, size: Size, fees: FeeSettings): { cost: bigint; fee: bigint } | null {
  let i = 0;
  while (i < leg.levels.length && (leg.cumSize[i + 1] ?? 0n) <= size) i += 1;
  const fullCost = leg.cumCost[i] ?? 0n;
  const fullFee = leg.cumFee[i] ?? 0n;
  const rest = size - (leg.cumSize[i] ?? 0n);
  if (rest === 0n) return { cost: fullCost, fee: fullFee };
  const level = leg.levels[i];
  if (!level) return null;
  const f = feeFor(leg.input.market.fee, level.price, rest, 'taker', fees.kalshiRounding);
  if (!f.known) return null;
  return { cost: fullCost + divRound(level.price * rest, SCALE, 'ceil'), fee: fullFee + f.fee };
}

/** Net profit of `size` on both legs, or null. */
function profitAt(a: PreparedLeg, b: PreparedLeg, size: Size, fees: FeeSettings): { total: bigint; totalA: bigint; totalB: bigint; profit: bigint } | null {
  const ca = costAt(a, size, fees);
  const cb = costAt(b, size, fees);
  if (!ca || !cb) return null;
  const totalA = ca.cost + ca.fee;
  const totalB = cb.cost + cb.fee;
  const total = totalA + totalB;
  return { total, totalA, totalB, profit: size - total };
}

/** What a very large fill costs per contract at `price`, fee included (the marginal cost, before rounding). */
function marginalCost(leg: PreparedLeg, price: Price, fees: FeeSettings): bigint | null {
  const big = 1_000_000n * ONE; // a million contracts: per-fill rounding becomes negligible
  const f = feeFor(leg.input.market.fee, price, big, 'taker', fees.kalshiRounding);
  if (!f.known) return null;
  return price + divRound(f.fee, 1_000_000n, 'ceil');
}

function evaluate(a: LegInput, la: readonly Level[], b: LegInput, lb: readonly Level[], size: Size, fees: FeeSettings): Arbitrage | null {
  const legA = walkLeg(a.market, a.side, la, size, fees);
  const legB = walkLeg(b.market, b.side, lb, size, fees);
  if ('error' in legA || 'error' in legB) return null;
  const totalFees = legA.fee + legB.fee;
  const totalCost = legA.cost + legB.cost + totalFees;
  const payout = divRound(size * ONE, SCALE, 'exact');
  return { size, legs: [legA, legB], totalCost, totalFees, payout, netProfit: payout - totalCost };
}

function feeProblem(model: FeeModel): string | null {
  return model.kind === 'unknown' ? model.reason : null;
}

/**
 * The most profitable equal-size purchase of `a` and `b` (which together pay
 * exactly $1 per contract), or why there is none.
 *
 * Buying more of a ladder only gets dearer per contract (prices ascend, and
 * price + fee grows with price), so the profit is concave in size up to the
 * per-fill rounding: walk the joint breakpoints while the next stretch still
 * earns (marginal cost of both legs below $1), price each breakpoint exactly
 * from prefix sums, and build the fills of the best only.
 *
 * This is the reference implementation, in bigint throughout: `bestArbitrage`
 * computes exactly the same result faster, and falls back to this one for
 * inputs outside its proven bounds. Tests hold the two equal.
 */
export function bestArbitrageReference(
  a: LegInput,
  b: LegInput,
  limits: ArbitrageLimits,
  fees: FeeSettings,
): ArbitrageResult {
  capitalCut = false;
  const refused = refusal(a, b);
  if (refused) return refused;
  const la = usableLevels(a.market, a.asks);
  const lb = usableLevels(b.market, b.asks);
  const bestA = la[0];
  const bestB = lb[0];
  if (!bestA || !bestB) return none('no-depth', 'an order book side is empty');
  if (bestA.price + bestB.price >= ONE) {
    return none('not-profitable', 'best asks sum to $1 or more before fees');
  }

  const step = commonSizeStep(a.market.sizeIncrement, b.market.sizeIncrement);
  const minSize = minimumPairSize(a.market, b.market);
  const pa = prepare(a, la, fees);
  if (typeof pa === 'string') return none('fee-unknown', `${a.market.venue} ${a.market.id}: ${pa}`);
  const pb = prepare(b, lb, fees);
  if (typeof pb === 'string') return none('fee-unknown', `${b.market.venue} ${b.market.id}: ${pb}`);
  const depthA = pa.cumSize.at(-1) ?? 0n;
  const depthB = pb.cumSize.at(-1) ?? 0n;
  let maxSize = roundDownToStep(depthA < depthB ? depthA : depthB, step);
  if (limits.maxSize !== undefined) maxSize = roundDownToStep(limits.maxSize < maxSize ? limits.maxSize : maxSize, step);
  if (maxSize < minSize) {
    return limits.maxSize !== undefined && limits.maxSize < minSize
      ? none('limit', 'the size limit is below the minimum order size')
      : none('below-minimum-size', 'not enough depth for the minimum order size');
  }

  // Walk the joint breakpoints while the stretch ahead still earns.
  const candidates = new Set<bigint>([minSize]);
  let i = 0;
  let j = 0;
  let reach = 0n;
  let ma: bigint | null = null;
  let mb: bigint | null = null;
  let lastI = -1;
  let lastJ = -1;
  while (i < la.length && j < lb.length) {
    // one marginal cost per level, not per stretch
    if (i !== lastI) {
      ma = marginalCost(pa, (la[i] as Level).price, fees);
      lastI = i;
    }
    if (j !== lastJ) {
      mb = marginalCost(pb, (lb[j] as Level).price, fees);
      lastJ = j;
    }
    if (ma === null || mb === null || ma + mb >= ONE) break;
    const endA = pa.cumSize[i + 1] ?? 0n;
    const endB = pb.cumSize[j + 1] ?? 0n;
    reach = endA < endB ? endA : endB;
    for (const sz of [roundDownToStep(reach, step), roundUpToStep(reach, step)]) {
      if (sz >= minSize && sz <= maxSize) candidates.add(sz);
    }
    if (endA === reach) i += 1;
    if (endB === reach) j += 1;
    if (reach >= maxSize) break;
  }
  // The last earning stretch may end beyond the size cap.
  if (reach >= maxSize) candidates.add(maxSize);

  if (limits.maxCapital !== undefined || limits.maxCostA !== undefined || limits.maxCostB !== undefined) {
    const atMin = profitAt(pa, pb, minSize, fees);
    if (!atMin) {
      capitalCut = true;
      return CAPITAL_LIMIT;
    }
    if (!withinCapital(limits, atMin.totalA, atMin.totalB)) {
      capitalCut = true;
      return capitalRefusal(
        limits.maxCapital !== undefined && atMin.total > limits.maxCapital,
        limits.maxCostA !== undefined && atMin.totalA > limits.maxCostA,
      );
    }
    const top = [...candidates].reduce((m, x) => (x > m ? x : m), minSize);
    const atTop = profitAt(pa, pb, top, fees);
    if (!atTop || !withinCapital(limits, atTop.totalA, atTop.totalB)) {
      // Each leg's cost grows with size: the largest affordable size by binary search over steps.
      capitalCut = true;
      let lo = minSize / step;
      let hi = top / step;
      while (lo < hi) {
        const mid = (lo + hi + 1n) / 2n;
        const r = profitAt(pa, pb, mid * step, fees);
        if (r && withinCapital(limits, r.totalA, r.totalB)) lo = mid;
        else hi = mid - 1n;
      }
      const affordable = lo * step;
      for (const c of [...candidates]) if (c > affordable) candidates.delete(c);
      candidates.add(affordable);
    }
  }

  let bestSize: bigint | null = null;
  let bestProfit = 0n;
  for (const size of candidates) {
    const r = profitAt(pa, pb, size, fees);
    if (!r) continue;
    if (bestSize === null || r.profit > bestProfit || (r.profit === bestProfit && size < bestSize)) {
      bestSize = size;
      bestProfit = r.profit;
    }
  }
  if (bestSize === null || bestProfit <= 0n) {
    return none('not-profitable', bestSize === null ? 'no size can be priced' : `best size ${bestSize} nets ${bestProfit} after fees`);
  }
  const best = evaluate(a, la, b, lb, bestSize, fees);
  if (!best) return none('not-profitable', 'no size can be priced');
  return { kind: 'opportunity', arbitrage: best };
}

// ---- the fast path ----------------------------------------------------------------
//
// `bestArbitrage` is `bestArbitrageReference` computed on safe-integer numbers
// instead of bigints, with the same candidates, the same tie-break and the same
// figures, bit for bit. Every quantity stays an exact integer:
//
//   prices     0 < P < 10^6                      (checked per level, else fallback)
//   sizes      every size priced ≤ 2^44 micros   (≈ 17.6 million contracts; else fallback)
//              level sizes < 2^50, cumulative sizes ≤ 2^52 (else fallback)
//   costs      ⌈P·C/10^6⌉ ≤ C, computed as P·⌊C/10^6⌋ + ⌈P·(C mod 10^6)/10^6⌉ when P·C is large
//   fees       step·⌈a·C/d⌉ with the level's reduced fraction a/d (fees.ts `levelFeeFraction`)
//              when a·C ≤ 2^52 (checked per fill), else `feeFor` itself in bigint;
//              the kernel bounds (multiplier ≤ 10, rate ≤ 1) keep a fee ≤ C + $0.01
//   totals     two legs' costs and fees ≤ 4·2^44 + small ≪ 2^53
//   divisions  `floorDivSafe` / `ceilDivSafe` (money.ts), exact for operands ≤ 2^52
//
// Inputs outside these bounds (or a fee model the kernel does not take) go to
// the reference implementation, so results never depend on the path taken.
//
// A ladder built by `normaliseAsks` carries these figures already (order-book.ts
// `LadderNumbers`: prices, sizes and running depth as exact numbers in one flat
// block, `ladderSlab` from `ladderOffset`, frozen with the ladder): it is read
// from them, its grid checked once (`usableCount`), with no bigint converted per
// level. Other ladders are converted level by level into the same layout, as far
// as the search reaches (`LegWork.more`). Figures are turned into bigints only
// for a direction that yields an opportunity, once (`bestArbitrageNumbers` leaves
// even that to its caller).

const S = 1_000_000;
const SAFE = 2 ** 52;
/** A float product ≤ 2^51 is an exact integer ≤ 2^52. */
const CHECK = 2 ** 51;
const MAX_FAST_SIZE = 2 ** 44;
const SAFE_BIG = 2n ** 52n;
const MAX_LEVEL_SIZE = 2 ** 50;
/** The size `marginalCost` prices (a million contracts). */
const MARGINAL_SIZE = 1_000_000n * ONE;

/** Thrown inside the fast path when an input leaves its bounds: the reference answers instead. */
const FALLBACK = Symbol('fallback');

interface FastMarket {
  /** Price grid as (start, end, step) triples, all safe integers, steps > 0. */
  readonly grid: Float64Array;
  /** Every grid price lies in (0, 1). */
  readonly gridInside: boolean;
  readonly minOrderSize: number;
  readonly sizeIncrement: number;
  /** Fee kernels by Kalshi rounding, filled on first use (null: not supported). */
  readonly kernels: Record<KalshiFeeRounding, FastKernel | null | undefined>;
}

/**
 * A fee kernel with its fractions by price (`levelFeeFraction`), memoised for
 * the prices of a 0.1¢ grid (slot = price / 1000) and shared by every market
 * whose kernel is equal (the fractions depend on the kernel's figures and the
 * price only). Other prices are computed on each use.
 */
interface FastKernel {
  readonly kernel: TakerFeeKernel;
  /** a, d, mn, md per slot; null past the table budget (then always computed). */
  readonly fractions: Float64Array | null;
  /** 1 once a slot is filled. */
  readonly filled: Uint8Array | null;
}

/** Micros per memoised price slot, and slots per table (prices 0 … 0.999). */
const FRACTION_SLOT = 1000;
const FRACTION_SLOTS = 1000;
/** Distinct kernels given a table (32 KB each); more kernels are computed without one. */
const MAX_FRACTION_TABLES = 256;
const fastKernels = new Map<string, FastKernel>();

function fastKernel(kernel: TakerFeeKernel): FastKernel {
  const key = `${kernel.zero ? 1 : 0}/${kernel.odd}/${kernel.twos}/${kernel.fives}/${kernel.exponent}/${kernel.denominatorDigits}/${kernel.step}/${kernel.marginalDigits}`;
  let found = fastKernels.get(key);
  if (found === undefined) {
    const table = fastKernels.size < MAX_FRACTION_TABLES;
    found = {
      kernel,
      fractions: table ? new Float64Array(4 * FRACTION_SLOTS) : null,
      filled: table ? new Uint8Array(FRACTION_SLOTS) : null,
    };
    if (table) fastKernels.set(key, found);
  }
  return found;
}

/** Per market, computed once: markets are immutable values. */
const fastMarkets = new WeakMap<Market, FastMarket | null>();

function safeBig(v: bigint): boolean {
  return v >= -SAFE_BIG && v <= SAFE_BIG;
}

/**
 * The last two markets asked about and their answers: the detector asks for
 * the same two markets in both directions of a pair, so most lookups end here
 * instead of in the WeakMap.
 */
let recentMarket0: Market | undefined;
let recentInfo0: FastMarket | null = null;
let recentMarket1: Market | undefined;
let recentInfo1: FastMarket | null = null;

function fastMarketOf(market: Market): FastMarket | null {
  if (market === recentMarket0) return recentInfo0;
  if (market === recentMarket1) return recentInfo1;
  const info = fastMarketLookup(market);
  recentMarket1 = recentMarket0;
  recentInfo1 = recentInfo0;
  recentMarket0 = market;
  recentInfo0 = info;
  return info;
}

function fastMarketLookup(market: Market): FastMarket | null {
  let info = fastMarkets.get(market);
  if (info !== undefined) return info;
  info = null;
  const grid = new Float64Array(market.priceRanges.length * 3);
  // an unknown minimum (0) takes the reference path, which refuses it
  let ok = market.minOrderSize > 0n && market.minOrderSize <= BigInt(MAX_FAST_SIZE);
  ok &&= market.sizeIncrement > 0n && market.sizeIncrement <= BigInt(MAX_FAST_SIZE);
  market.priceRanges.forEach((r, k) => {
    ok &&= safeBig(r.start) && safeBig(r.end) && r.step > 0n && r.step <= SAFE_BIG;
    grid[3 * k] = Number(r.start);
    grid[3 * k + 1] = Number(r.end);
    grid[3 * k + 2] = Number(r.step);
  });
  if (ok) {
    const gridInside = market.priceRanges.every((r) => r.start > 0n && r.end < ONE);
    info = { grid, gridInside, minOrderSize: Number(market.minOrderSize), sizeIncrement: Number(market.sizeIncrement), kernels: { cent: undefined, centicent: undefined, micro: undefined } };
  }
  fastMarkets.set(market, info);
  return info;
}

function kernelOf(info: FastMarket, fee: FeeModel, rounding: KalshiFeeRounding): FastKernel | null {
  let k = info.kernels[rounding];
  if (k === undefined) {
    const kernel = takerFeeKernel(fee, rounding);
    k = kernel && fastKernel(kernel);
    info.kernels[rounding] = k;
  }
  return k;
}

/** `isOnPriceGrid` on safe integers (p − start ∈ [0, 2^53] is exact, and so is `%`). */
function onGrid(grid: Float64Array, p: number): boolean {
  if (grid.length === 3) {
    // one band (the common case): int32 arithmetic when everything fits
    const start = grid[0] as number;
    const end = grid[1] as number;
    const step = grid[2] as number;
    if (p < start || p > end) return false;
    if (end - start < 0x7fffffff && step < 0x7fffffff) return ((p - start) | 0) % (step | 0) === 0;
    return (p - start) % step === 0;
  }
  for (let r = 0; r < grid.length; r += 3) {
    const start = grid[r] as number;
    if (p >= start && p <= (grid[r + 1] as number) && (p - start) % (grid[r + 2] as number) === 0) return true;
  }
  return false;
}

/**
 * How many of a normalised ladder's levels come before its first off-grid
 * price (`usableLevels`). On one band, the whole ladder is on it when its ends
 * are inside and the step divides both the first price's offset and the gcd
 * of the offsets between prices; otherwise each price is checked.
 */
function usableCount(numbers: Float64Array, base: number, grid: Float64Array): number {
  const n = numbers[base + LADDER_LEVELS] as number;
  if (n === 0) return 0;
  if (grid.length === 3) {
    const start = grid[0] as number;
    const step = grid[2] as number;
    const first = numbers[base + PRICE] as number;
    const last = numbers[base + PRICE + LADDER_STRIDE * (n - 1)] as number;
    const spacing = numbers[base + LADDER_SPACING] as number;
    if (first >= start && last <= (grid[1] as number)) {
      // first − start and the remainders are exact (safe integers, fastMarketOf); below
      // 2^31 (prices are under 10^6) they are taken on int32s, which skips a float remainder
      const offset = first - start;
      if (offset < 0x7fffffff && step < 0x7fffffff && spacing < 0x7fffffff) {
        if ((offset | 0) % (step | 0) === 0 && (spacing | 0) % (step | 0) === 0) return n;
      } else if (offset % step === 0 && spacing % step === 0) {
        return n;
      }
    }
  }
  let i = 0;
  while (i < n && onGrid(grid, numbers[base + PRICE + LADDER_STRIDE * i] as number)) i += 1;
  return i;
}

/** ⌈P·C / 10^6⌉ exactly, for 0 < P < 10^6 and 0 ≤ C ≤ 2^44. */
function fillCost(p: number, c: number): number {
  const prod = p * c;
  if (prod <= CHECK) return ceilDivSafe(prod, S);
  const whole = floorDivSafe(c, S);
  return p * whole + ceilDivSafe(p * (c - whole * S), S);
}

// A ladder's figures, flat (order-book.ts `LadderNumbers`): cum[i] at CUM + STRIDE·i,
// price[i] at PRICE + STRIDE·i; size[i] is cum[i + 1] − cum[i].
const CUM = LADDER_HEADER;
const PRICE = LADDER_HEADER + 1;
const STRIDE = LADDER_STRIDE;

/** divRound(cost × 10^6, size, 'ceil') for a cost and size the fast path priced. */
function vwapOf(cost: number, size: number, sizeBig: bigint): bigint {
  const costScaled = cost * S;
  return costScaled <= CHECK ? bigOfSafe(ceilDivSafe(costScaled, size)) : divRound(bigOfSafe(cost) * SCALE, sizeBig, 'ceil');
}

/** One ladder's working state; two instances are reused for every call (the search is synchronous). */
class LegWork {
  input!: LegInput;
  kernel!: TakerFeeKernel;
  fractions: Float64Array | null = null;
  filled: Uint8Array | null = null;
  grid!: Float64Array;
  rounding: KalshiFeeRounding = 'centicent';
  cap = 0;
  /**
   * The usable levels' figures, laid out as `LadderNumbers` (cum and price
   * per level): the ladder's own when it has them, else `own`. Only the levels
   * [0, n) and cum[n] are meaningful here (the header is not read).
   */
  data: Float64Array = new Float64Array(ladderNumbersLength(0));
  /** Where the figures start in `data` (0 for `own`). */
  base = 0;
  /** This leg's own buffer (written by `more` only, when the ladder has no figures). */
  private own = new Float64Array(ladderNumbersLength(0));
  /** Usable level i is `input.asks[i]` (the ladder's figures are read directly). */
  direct = false;
  cumCost = new Float64Array(1);
  cumFee = new Float64Array(1);
  /** Per level: a, d, mn, md (fees.ts `levelFeeFraction`). */
  frac = new Float64Array(0);
  /** Index in `input.asks` of each usable level. */
  src = new Int32Array(0);
  /** Usable levels found so far. */
  n = 0;
  /** Next index of `input.asks` to scan. */
  pos = 0;
  /** Every usable level has been scanned. */
  ended = false;
  /** Levels [0, cumReady) have cumCost / cumFee; [0, fracReady) have fractions. */
  cumReady = 0;
  fracReady = 0;
  /** The last `full` asked and answered (levels are only added behind it, so it stays true). */
  private lastFullSize = 0;
  private lastFull = 0;

  reset(input: LegInput, kernel: FastKernel, grid: Float64Array, rounding: KalshiFeeRounding): this {
    this.input = input;
    this.kernel = kernel.kernel;
    this.fractions = kernel.fractions;
    this.filled = kernel.filled;
    this.grid = grid;
    this.rounding = rounding;
    const numbers = figuresOf(input);
    const base = figuresAt(input);
    // the level count is the figures' own, when there are figures (`normaliseAsks` took them of every level)
    const want = numbers !== undefined ? (numbers[base + LADDER_LEVELS] as number) : input.asks.length;
    if (want > this.cap) {
      const cap = Math.max(want, 2 * this.cap, 16);
      this.cap = cap;
      this.own = new Float64Array(ladderNumbersLength(cap));
      this.cumCost = new Float64Array(cap + 1);
      this.cumFee = new Float64Array(cap + 1);
      this.frac = new Float64Array(4 * cap);
      this.src = new Int32Array(cap);
    }
    this.cumReady = 0;
    this.fracReady = 0;
    this.lastFullSize = 0;
    this.lastFull = 0;
    // Sizes beyond the bounds make `more` fall back when it reaches them: keep that path for them.
    if (numbers !== undefined && (numbers[base + LADDER_MAX_SIZE] as number) < MAX_LEVEL_SIZE) {
      // A normalised ladder (sizes > 0, prices in (0, 1), total ≤ 2^52): all of `more`'s
      // checks hold but the grid's, and its usable levels are the levels before the first off-grid one.
      this.data = numbers;
      this.base = base;
      this.direct = true;
      this.n = usableCount(numbers, base, grid);
      this.pos = want;
      this.ended = true;
      return this;
    }
    this.data = this.own;
    this.base = 0;
    this.direct = false;
    this.n = 0;
    this.pos = 0;
    this.ended = false;
    return this;
  }

  /**
   * Scan one more usable level (as `usableLevels`: skip empty levels, stop at
   * the first off-grid one); false when the ladder has no more.
   */
  more(): boolean {
    if (this.ended) return false; // (the ladder itself is not read again)
    const asks = this.input.asks;
    while (this.pos < asks.length) {
      const level = asks[this.pos] as Level;
      this.pos += 1;
      // Number(x) is monotone and exact below 2^53: a result ≤ 0 means x ≤ 0, one
      // strictly inside (−2^52, 2^52) means x is there and was converted exactly.
      const sz = Number(level.size);
      if (sz <= 0) continue;
      const p = Number(level.price);
      if (!(p > -SAFE && p < SAFE) || !onGrid(this.grid, p)) break; // stop at the first off-grid level
      if (p <= 0 || p >= S || !(sz < MAX_LEVEL_SIZE)) throw FALLBACK;
      const k = this.n;
      const own = this.own;
      const at = STRIDE * k;
      const c = (own[CUM + at] as number) + sz;
      if (c > SAFE) throw FALLBACK;
      own[PRICE + at] = p;
      own[CUM + at + STRIDE] = c;
      this.src[k] = this.pos - 1;
      this.n = k + 1;
      return true;
    }
    this.pos = asks.length;
    this.ended = true;
    return false;
  }

  /** Depth scanned so far (the whole depth once `ended`). */
  depth(): number {
    return this.data[this.base + CUM + STRIDE * this.n] as number;
  }

  /** Price of usable level i. */
  price(i: number): number {
    return this.data[this.base + PRICE + STRIDE * i] as number;
  }

  /** Σ size of usable levels [0, i). */
  cum(i: number): number {
    return this.data[this.base + CUM + STRIDE * i] as number;
  }

  level(i: number): Level {
    return this.input.asks[this.direct ? i : (this.src[i] as number)] as Level;
  }

  ensureFrac(k: number): void {
    const table = this.fractions;
    const filled = this.filled;
    const frac = this.frac;
    const data = this.data;
    const base = this.base;
    for (let i = this.fracReady; i <= k; i += 1) {
      const p = data[base + PRICE + STRIDE * i] as number;
      // 0 < p < 10^6 (checked by `more`): a multiple of FRACTION_SLOT has a slot below FRACTION_SLOTS
      const slot = p / FRACTION_SLOT;
      if (table === null || filled === null || (slot | 0) !== slot) {
        levelFeeFraction(this.kernel, p, frac, 4 * i);
        continue;
      }
      const at = 4 * slot;
      if (filled[slot] === 0) {
        levelFeeFraction(this.kernel, p, table, at);
        filled[slot] = 1;
      }
      frac[4 * i] = table[at] as number;
      frac[4 * i + 1] = table[at + 1] as number;
      frac[4 * i + 2] = table[at + 2] as number;
      frac[4 * i + 3] = table[at + 3] as number;
    }
    if (k >= this.fracReady) this.fracReady = k + 1;
  }

  /** Fee of one fill of `c` (≤ 2^44) at usable level `i` (fractions ready). */
  fee(i: number, c: number): number {
    const a = this.frac[4 * i] as number;
    if (a === 0) return 0;
    const prod = a * c; // NaN when the level's fraction is not safe
    if (prod <= CHECK) return ceilDivSafe(prod, this.frac[4 * i + 1] as number) * this.kernel.step;
    const f = feeFor(this.input.market.fee, this.level(i).price, BigInt(c), 'taker', this.rounding);
    if (!f.known || f.fee > SAFE_BIG) throw FALLBACK;
    return Number(f.fee);
  }

  /** `marginalCost` at usable level `i`. */
  marginal(i: number): number {
    this.ensureFrac(i);
    const p = this.price(i);
    const mn = this.frac[4 * i + 2] as number;
    if (mn === 0) return p;
    if (mn === mn) return p + ceilDivSafe(mn, this.frac[4 * i + 3] as number);
    const f = feeFor(this.input.market.fee, this.level(i).price, MARGINAL_SIZE, 'taker', this.rounding);
    if (!f.known) throw FALLBACK;
    const term = divRound(f.fee, 1_000_000n, 'ceil');
    if (term > SAFE_BIG) throw FALLBACK;
    return p + Number(term);
  }

  /** Prefix cost and fee of the first `k` usable levels, taken whole (each ≤ a size priced, so ≤ 2^44). */
  ensureCum(k: number): void {
    const data = this.data;
    const base = this.base;
    for (let i = this.cumReady; i < k; i += 1) {
      this.ensureFrac(i);
      const p = data[base + PRICE + STRIDE * i] as number;
      const c = (data[base + CUM + STRIDE * (i + 1)] as number) - (data[base + CUM + STRIDE * i] as number); // exact: both ≤ 2^52
      this.cumCost[i + 1] = (this.cumCost[i] as number) + fillCost(p, c);
      this.cumFee[i + 1] = (this.cumFee[i] as number) + this.fee(i, c);
    }
    if (k > this.cumReady) this.cumReady = k;
  }

  /** Levels taken whole by `size`. */
  full(size: number): number {
    const data = this.data;
    const base = this.base;
    // sizes mostly come in ascending order: go on from the last answer when it is below
    let i = size >= this.lastFullSize ? this.lastFull : 0;
    while (i < this.n && (data[base + CUM + STRIDE * (i + 1)] as number) <= size) i += 1;
    this.lastFullSize = size;
    this.lastFull = i;
    return i;
  }

  /** Cost plus fees of buying `size` (≤ depth, ≤ 2^44), as `costAt`. */
  total(size: number): number {
    if (size > MAX_FAST_SIZE) throw FALLBACK;
    const i = this.full(size);
    this.ensureCum(i);
    const t = (this.cumCost[i] as number) + (this.cumFee[i] as number);
    const rest = size - this.cum(i);
    if (rest === 0) return t;
    if (i >= this.n) throw FALLBACK; // beyond the depth: cannot happen for sizes ≤ maxSize
    this.ensureFrac(i);
    return t + fillCost(this.price(i), rest) + this.fee(i, rest);
  }

  /**
   * Makes the prefix sums and fee fractions that pricing any size up to `size`
   * (≤ the depth scanned, ≤ 2^44) reads ready, as `total(size)` would.
   */
  prepareUpTo(size: number): void {
    const i = this.full(size);
    this.ensureCum(i);
    if (i < this.n) this.ensureFrac(i);
  }

  /** Cost, fee and worst price of the last `take` (read them before the next call). */
  takenCost = 0;
  takenFee = 0;
  takenWorst = 0;

  /** Buys `size` (≥ 1, ≤ depth) as `walkLeg` does, into `takenCost`, `takenFee`, `takenWorst`. */
  take(size: number): void {
    if (size > MAX_FAST_SIZE) throw FALLBACK;
    const i = this.full(size);
    this.ensureCum(i);
    let cost = this.cumCost[i] as number;
    let fee = this.cumFee[i] as number;
    const rest = size - this.cum(i);
    let last = i - 1;
    if (rest > 0) {
      if (i >= this.n) throw FALLBACK;
      this.ensureFrac(i);
      cost += fillCost(this.price(i), rest);
      fee += this.fee(i, rest);
      last = i;
    }
    this.takenCost = cost;
    this.takenFee = fee;
    // the level's price exactly (0 < price < 10^6): no need to reach for its bigint
    this.takenWorst = this.price(last);
  }

  /** The figures of buying `size` (≥ 1, ≤ depth), as `walkLeg` computes them. */
  figures(size: number, sizeBig: bigint, side: Side): LegFigures {
    this.take(size);
    const cost = this.takenCost;
    return {
      market: this.input.market,
      side,
      size: sizeBig,
      cost: bigOfSafe(cost),
      fee: bigOfSafe(this.takenFee),
      vwap: vwapOf(cost, size, sizeBig),
      worstPrice: bigOfSafe(this.takenWorst),
    };
  }

  /** The fills of `size`, as `walkLeg` builds them. */
  build(size: number, sizeBig: bigint, side: Side): LegFill {
    const figures = this.figures(size, sizeBig, side);
    const i = this.full(size);
    const fills: Level[] = [];
    for (let k = 0; k < i; k += 1) {
      const l = this.level(k);
      fills.push({ price: l.price, size: l.size });
    }
    const rest = size - this.cum(i);
    if (rest > 0) fills.push({ price: this.level(i).price, size: bigOfSafe(rest) });
    const { market, cost, fee, vwap, worstPrice } = figures;
    return { market, side, size: sizeBig, fills, cost, fee, vwap, worstPrice };
  }
}

const LEG_A = new LegWork();
const LEG_B = new LegWork();
let candidates = new Float64Array(64);


const NO_DEPTH = Object.freeze(none('no-depth', 'an order book side is empty'));
const NOT_CROSSED = Object.freeze(none('not-profitable', 'best asks sum to $1 or more before fees'));

/** Set by each search: whether a capital limit (total or a leg's) refused the minimum order or cut the sizes tried. */
let capitalCut = false;

/**
 * Whether a capital limit decided the last search's answer (`bestArbitrage…`): it refused
 * the minimum order, or cut the sizes tried. Without it, wider capital limits give the same answer.
 */
export function capitalDecided(): boolean {
  return capitalCut;
}
const SIZE_LIMIT = Object.freeze(none('limit', 'the size limit is below the minimum order size'));
const BELOW_MINIMUM = Object.freeze(none('below-minimum-size', 'not enough depth for the minimum order size'));
const CAPITAL_LIMIT = Object.freeze(none('limit', 'the minimum order costs more than the capital limit'));
const LEG_A_LIMIT = Object.freeze(none('limit', "the minimum order's first leg costs more than its limit (the money free on its venue)"));
const LEG_B_LIMIT = Object.freeze(none('limit', "the minimum order's second leg costs more than its limit (the money free on its venue)"));

/**
 * The size cap `maxSize` of the reference, roundDown(min(depthA, depthB, cap), step),
 * found lazily: ladders are scanned only as far as a question about it needs.
 */
class SizeCap {
  private a!: LegWork;
  private b!: LegWork;
  private cap = 0;
  private step = 1;
  /** A lower bound of maxSize (exact once `exact`). */
  known = 0;
  exact = false;

  reset(a: LegWork, b: LegWork, cap: number, step: number): this {
    this.a = a;
    this.b = b;
    this.cap = cap;
    this.step = step;
    this.update();
    return this;
  }

  private update(): void {
    const da = this.a.depth();
    const db = this.b.depth();
    let m = da < db ? da : db;
    if (this.cap < m) m = this.cap;
    this.known = floorDivSafe(m, this.step) * this.step;
    // the minimum is settled when the term attaining it is final
    this.exact = m === this.cap || (m === da && this.a.ended) || (m === db && this.b.ended);
  }

  /** Is maxSize ≥ v? Scans the limiting ladder until the answer is certain. */
  atLeast(v: number): boolean {
    while (this.known < v) {
      if (this.exact) return false;
      const da = this.a.depth();
      const db = this.b.depth();
      // scan the ladder whose depth bounds the minimum (and is not final)
      if (!this.a.ended && (da <= db || this.b.ended)) this.a.more();
      else this.b.more();
      this.update();
    }
    return true;
  }

  /** maxSize itself. */
  value(): number {
    while (!this.exact) this.atLeast(Number.POSITIVE_INFINITY);
    return this.known;
  }
}

const SIZE_CAP = new SizeCap();

/**
 * A limit as a number that compares with safe integers exactly as the bigint
 * does: the value itself when it is safe, ±infinity beyond.
 */
function limitNumber(v: bigint): number {
  return v > SAFE_BIG ? Number.POSITIVE_INFINITY : v < -SAFE_BIG ? Number.NEGATIVE_INFINITY : Number(v);
}

/** The limits as numbers, converted again only when they change (callers pass the same limits call after call). */
const LIMITS = {
  sizeSource: undefined as bigint | undefined,
  capitalSource: undefined as bigint | undefined,
  /** +∞ without a size limit. */
  maxSize: Number.POSITIVE_INFINITY,
  maxCapital: Number.POSITIVE_INFINITY,
  legSourceA: undefined as bigint | undefined,
  legSourceB: undefined as bigint | undefined,
  /** +∞ without a limit on that leg. */
  maxCostA: Number.POSITIVE_INFINITY,
  maxCostB: Number.POSITIVE_INFINITY,
  /** Any of the three capital limits. */
  anyCapital: false,
};

function limitNumbers(limits: ArbitrageLimits): typeof LIMITS {
  const size = limits.maxSize;
  const capital = limits.maxCapital;
  if (size !== LIMITS.sizeSource) {
    LIMITS.sizeSource = size;
    LIMITS.maxSize = size === undefined ? Number.POSITIVE_INFINITY : limitNumber(size);
  }
  const costA = limits.maxCostA;
  const costB = limits.maxCostB;
  if (capital !== LIMITS.capitalSource || costA !== LIMITS.legSourceA || costB !== LIMITS.legSourceB) {
    LIMITS.capitalSource = capital;
    LIMITS.maxCapital = capital === undefined ? Number.POSITIVE_INFINITY : limitNumber(capital);
    LIMITS.legSourceA = costA;
    LIMITS.legSourceB = costB;
    LIMITS.maxCostA = costA === undefined ? Number.POSITIVE_INFINITY : limitNumber(costA);
    LIMITS.maxCostB = costB === undefined ? Number.POSITIVE_INFINITY : limitNumber(costB);
    LIMITS.anyCapital = capital !== undefined || costA !== undefined || costB !== undefined;
  }
  return LIMITS;
}

/**
 * A ladder's first usable price as \`LegWork.reset\` would find it when it reads
 * the ladder's figures directly (the first level, when it is on the grid), or
 * NaN when that takes more than a look (no figures, sizes beyond the bounds,
 * no usable level).
 */
function firstUsablePrice(input: LegInput, grid: Float64Array): number {
  const numbers = figuresOf(input);
  if (numbers === undefined) return Number.NaN;
  const base = figuresAt(input);
  if (!((numbers[base + LADDER_MAX_SIZE] as number) < MAX_LEVEL_SIZE) || (numbers[base + LADDER_LEVELS] as number) === 0) return Number.NaN;
  const p = numbers[base + PRICE] as number;
  return onGrid(grid, p) ? p : Number.NaN;
}

/**
 * false when both ladders' first usable levels are known at a look and their
 * prices sum to $1 or more: the answer \`fastSearch\` gives after preparing both
 * legs (NOT_CROSSED), without preparing them. Anything else: undefined.
 */
function crossedAtOnce(a: LegInput, gridA: Float64Array, b: LegInput, gridB: Float64Array): false | undefined {
  const pa = firstUsablePrice(a, gridA);
  if (pa !== pa) return undefined;
  const pb = firstUsablePrice(b, gridB);
  return pa + pb >= S ? false : undefined;
}

function fastSearch(
  a: LegInput,
  b: LegInput,
  ma: FastMarket,
  mb: FastMarket,
  ka: FastKernel,
  kb: FastKernel,
  limits: ArbitrageLimits,
  fees: FeeSettings,
): NoArbitrage | number {
  // The common answer first, from the ladders' figures alone: the best asks sum to $1 or more.
  if (crossedAtOnce(a, ma.grid, b, mb.grid) === false) return NOT_CROSSED;
  const A = LEG_A.reset(a, ka, ma.grid, fees.kalshiRounding);
  const B = LEG_B.reset(b, kb, mb.grid, fees.kalshiRounding);
  // fixed from here on: `more` writes into `own`, which `reset` sized for the whole ladder
  const dataA = A.data;
  const baseA = A.base;
  const dataB = B.data;
  const baseB = B.base;
  A.more();
  B.more();
  if (A.n === 0 || B.n === 0) return NO_DEPTH;
  if (A.price(0) + B.price(0) >= S) return NOT_CROSSED;
  // On a grid inside (0, 1) every usable price can be priced, so levels the
  // search never reaches cannot change the answer and are left unscanned.
  // Otherwise scan everything: the reference refuses ('fee-unknown') when any
  // usable level is priced at 0 or 1, and `more` hands such inputs to it.
  if (!ma.gridInside) while (A.more());
  if (!mb.gridInside) while (B.more());

  // sizes: as the reference, on safe integers (increments and minimums ≤ 2^44)
  const step = (ma.sizeIncrement / gcdSafe(ma.sizeIncrement, mb.sizeIncrement)) * mb.sizeIncrement;
  if (!(step <= MAX_FAST_SIZE)) throw FALLBACK;
  let floorSize = ma.minOrderSize > mb.minOrderSize ? ma.minOrderSize : mb.minOrderSize;
  if (step > floorSize) floorSize = step;
  const minSize = ceilDivSafe(floorSize, step) * step;
  const lim = limitNumbers(limits);
  // exact comparisons (limitNumbers); below the minimum the reference answers 'limit' whatever the depth
  if (lim.maxSize < minSize) return SIZE_LIMIT;
  const cap = SIZE_CAP.reset(A, B, lim.maxSize, step);
  if (!cap.atLeast(minSize)) return BELOW_MINIMUM;

  // the joint breakpoints while the stretch ahead still earns
  let cand = candidates;
  let nc = 0;
  cand[nc++] = minSize;
  let i = 0;
  let j = 0;
  let mA = 0;
  let mB = 0;
  let lastI = -1;
  let lastJ = -1;
  let capped = false;
  for (;;) {
    if (i >= A.n && !A.more()) break;
    if (j >= B.n && !B.more()) break;
    if (i !== lastI) {
      mA = A.marginal(i);
      lastI = i;
    }
    if (j !== lastJ) {
      mB = B.marginal(j);
      lastJ = j;
    }
    if (mA + mB >= S) break;
    // (the accessors' reads in place: this loop runs once per level reached)
    const endA = dataA[baseA + CUM + STRIDE * (i + 1)] as number;
    const endB = dataB[baseB + CUM + STRIDE * (j + 1)] as number;
    const reach = endA < endB ? endA : endB;
    const down = floorDivSafe(reach, step) * step;
    const up = down === reach ? down : down + step;
    if (nc + 3 > cand.length) {
      const grown = new Float64Array(2 * cand.length);
      grown.set(cand);
      cand = candidates = grown;
    }
    // once the cap is exact (ladders read in full), "at least v" is a comparison: the same answer
    // as cap.atLeast(v), without the call (2% of an evaluation's instructions, measured)
    if (down >= minSize && (cap.exact ? down <= cap.known : cap.atLeast(down))) cand[nc++] = down;
    if (up !== down && up >= minSize && (cap.exact ? up <= cap.known : cap.atLeast(up))) cand[nc++] = up;
    if (endA === reach) i += 1;
    if (endB === reach) j += 1;
    if (!(cap.exact ? reach + 1 <= cap.known : cap.atLeast(reach + 1))) {
      // reach ≥ maxSize: the last earning stretch ends beyond the size cap
      capped = true;
      break;
    }
  }
  if (capped) cand[nc++] = cap.value();

  // every candidate priced once; the capital limits then read each leg's cost of the smallest
  // (minSize, always cand[0]) and the largest, which bound the others' (cost grows with size)
  bestCandidate(A, B, cand, nc);
  if (lim.anyCapital) {
    // (+∞ stands for no limit: every cost is finite)
    const capital = lim.maxCapital;
    const capA = lim.maxCostA;
    const capB = lim.maxCostB;
    const overTotal = BEST.minCostA + BEST.minCostB > capital;
    const overA = BEST.minCostA > capA;
    if (overTotal || overA || BEST.minCostB > capB) {
      capitalCut = true;
      return capitalRefusal(overTotal, overA);
    }
    const top = BEST.top;
    if (BEST.topCostA + BEST.topCostB > capital || BEST.topCostA > capA || BEST.topCostB > capB) {
      capitalCut = true;
      let lo = minSize / step; // exact: both are multiples of step
      let hi = top / step;
      while (lo < hi) {
        const mid = Math.floor((lo + hi + 1) / 2);
        const totalA = A.total(mid * step);
        const totalB = B.total(mid * step);
        if (totalA + totalB <= capital && totalA <= capA && totalB <= capB) lo = mid;
        else hi = mid - 1;
      }
      const affordable = lo * step;
      let w = 0;
      for (let k = 0; k < nc; k += 1) if ((cand[k] as number) <= affordable) cand[w++] = cand[k] as number;
      nc = w;
      cand[nc++] = affordable;
      bestCandidate(A, B, cand, nc);
    }
  }
  const bestSize = BEST.size;
  const bestProfit = BEST.profit;
  if (bestProfit <= 0) return none('not-profitable', `best size ${bestSize} nets ${bestProfit} after fees`);
  return bestSize;
}

/** `bestCandidate`'s answer (read at once): the best size and its profit, and each leg's cost of the first and the largest candidates. */
const BEST = { size: -1, profit: 0, minCostA: 0, minCostB: 0, top: 0, topCostA: 0, topCostB: 0 };

/**
 * The most profitable of the `nc` candidate sizes (ties: the smaller), each
 * priced as `LegWork.total` prices it: the same sums of the same figures, read
 * in place in one loop (the candidates come in ascending order, so each leg's
 * level index only moves forward) instead of through `total` and the methods
 * behind it once per candidate and leg.
 */
function bestCandidate(A: LegWork, B: LegWork, cand: Float64Array, nc: number): void {
  let top = 0;
  for (let k = 0; k < nc; k += 1) if ((cand[k] as number) > top) top = cand[k] as number;
  if (top > MAX_FAST_SIZE) throw FALLBACK; // as `total` would on that candidate
  A.prepareUpTo(top);
  B.prepareUpTo(top);
  const dataA = A.data;
  const baseA = A.base;
  const nA = A.n;
  const cumCostA = A.cumCost;
  const cumFeeA = A.cumFee;
  const dataB = B.data;
  const baseB = B.base;
  const nB = B.n;
  const cumCostB = B.cumCost;
  const cumFeeB = B.cumFee;
  let i = 0;
  let j = 0;
  let previous = 0;
  let bestSize = -1;
  let bestProfit = 0;
  let minCostA = 0;
  let minCostB = 0;
  let topCostA = 0;
  let topCostB = 0;
  for (let k = 0; k < nc; k += 1) {
    const size = cand[k] as number;
    if (size < previous) {
      i = 0;
      j = 0;
    }
    previous = size;
    while (i < nA && (dataA[baseA + CUM + STRIDE * (i + 1)] as number) <= size) i += 1;
    while (j < nB && (dataB[baseB + CUM + STRIDE * (j + 1)] as number) <= size) j += 1;
    let totalA = (cumCostA[i] as number) + (cumFeeA[i] as number);
    const restA = size - (dataA[baseA + CUM + STRIDE * i] as number);
    if (restA !== 0) {
      if (i >= nA) throw FALLBACK; // beyond the depth: cannot happen for sizes ≤ maxSize
      totalA += fillCost(dataA[baseA + PRICE + STRIDE * i] as number, restA) + A.fee(i, restA);
    }
    let totalB = (cumCostB[j] as number) + (cumFeeB[j] as number);
    const restB = size - (dataB[baseB + CUM + STRIDE * j] as number);
    if (restB !== 0) {
      if (j >= nB) throw FALLBACK;
      totalB += fillCost(dataB[baseB + PRICE + STRIDE * j] as number, restB) + B.fee(j, restB);
    }
    const cost = totalA + totalB;
    if (k === 0) {
      minCostA = totalA;
      minCostB = totalB;
    }
    if (size === top) {
      topCostA = totalA;
      topCostB = totalB;
    }
    const profit = size - cost;
    if (bestSize < 0 || profit > bestProfit || (profit === bestProfit && size < bestSize)) {
      bestSize = size;
      bestProfit = profit;
    }
  }
  BEST.size = bestSize;
  BEST.profit = bestProfit;
  BEST.minCostA = minCostA;
  BEST.minCostB = minCostB;
  BEST.top = top;
  BEST.topCostA = topCostA;
  BEST.topCostB = topCostB;
}

/** The fee or grid refusals both implementations make first, in the same order. */
function refusal(a: LegInput, b: LegInput): NoArbitrage | null {
  for (const leg of [a, b]) {
    const problem = feeProblem(leg.market.fee);
    if (problem) return none('fee-unknown', `${leg.market.venue} ${leg.market.id}: fee unknown (${problem})`);
    if (leg.market.priceRanges.length === 0) return none('grid-unknown', `${leg.market.venue} ${leg.market.id}: price grid unknown`);
    // every venue has a positive minimum (one unit of its size grid at least): 0 means the
    // catalog did not say, and an order below the real minimum would be refused — after the other leg
    if (leg.market.minOrderSize <= 0n) return none('min-size-unknown', `${leg.market.venue} ${leg.market.id}: minimum order size unknown`);
  }
  return null;
}

/**
 * The most profitable equal-size purchase of `a` and `b` (which together pay
 * exactly $1 per contract), or why there is none: the same answer as
 * `bestArbitrageReference`, bit for bit, computed on safe integers (see above)
 * with ladders prepared lazily, only as far as the search reaches.
 */
export function bestArbitrage(a: LegInput, b: LegInput, limits: ArbitrageLimits, fees: FeeSettings): ArbitrageResult {
  return best(a, b, limits, fees, 'fills');
}

/**
 * `bestArbitrage` without building each leg's fills (the detector reports
 * figures only): the same figures, bit for bit, with less allocation.
 */
export function bestArbitrageFigures(a: LegInput, b: LegInput, limits: ArbitrageLimits, fees: FeeSettings): ArbitrageFiguresResult {
  return best(a, b, limits, fees, 'figures');
}

/**
 * An opportunity's figures for a caller that builds its own result from them
 * (the detector): what `ArbitrageFigures` holds, as exact integers in micros
 * (vwap and size also as the bigints the result needs). One object, reused by
 * every call: read it before the next.
 */
export interface ArbitrageNumbers {
  readonly kind: 'numbers';
  readonly size: number;
  readonly sizeBig: bigint;
  readonly costA: number;
  readonly feeA: number;
  readonly vwapA: bigint;
  readonly worstA: number;
  readonly costB: number;
  readonly feeB: number;
  readonly vwapB: bigint;
  readonly worstB: number;
}

const NUMBERS: { -readonly [K in keyof ArbitrageNumbers]: ArbitrageNumbers[K] } = {
  kind: 'numbers',
  size: 0,
  sizeBig: 0n,
  costA: 0,
  feeA: 0,
  vwapA: 0n,
  worstA: 0,
  costB: 0,
  feeB: 0,
  vwapB: 0n,
  worstB: 0,
};

/**
 * `bestArbitrageFigures` without building the result: when the fast path
 * finds the opportunity its figures come back as numbers (`ArbitrageNumbers`,
 * the same values exactly); anything else (no opportunity, or an input the
 * fast path hands to the reference) comes back as `bestArbitrageFigures` gives it.
 * Every figure is below 2^53: each leg's cost and fee ≤ 2^44 + $0.01 (see above).
 */
export function bestArbitrageNumbers(a: LegInput, b: LegInput, limits: ArbitrageLimits, fees: FeeSettings): ArbitrageNumbers | ArbitrageFiguresResult {
  return best(a, b, limits, fees, 'numbers');
}

/** What the entry points want of an opportunity the fast path found. */
type Answer = 'fills' | 'figures' | 'numbers';

/** The three entry points: the refusals, the fast search, the reference when the fast path hands over. */
function best(a: LegInput, b: LegInput, limits: ArbitrageLimits, fees: FeeSettings, answer: 'fills'): ArbitrageResult;
function best(a: LegInput, b: LegInput, limits: ArbitrageLimits, fees: FeeSettings, answer: 'figures'): ArbitrageFiguresResult;
function best(a: LegInput, b: LegInput, limits: ArbitrageLimits, fees: FeeSettings, answer: 'numbers'): ArbitrageNumbers | ArbitrageFiguresResult;
function best(a: LegInput, b: LegInput, limits: ArbitrageLimits, fees: FeeSettings, answer: Answer): ArbitrageNumbers | ArbitrageFiguresResult {
  capitalCut = false;
  if (a.market.fee.kind === 'unknown' || b.market.fee.kind === 'unknown' || a.market.priceRanges.length === 0 || b.market.priceRanges.length === 0) {
    return refusal(a, b) ?? bestArbitrageReference(a, b, limits, fees);
  }
  const ma = fastMarketOf(a.market);
  const mb = fastMarketOf(b.market);
  const ka = ma && kernelOf(ma, a.market.fee, fees.kalshiRounding);
  const kb = mb && kernelOf(mb, b.market.fee, fees.kalshiRounding);
  if (!ma || !mb || !ka || !kb) return bestArbitrageReference(a, b, limits, fees);
  try {
    const found = fastSearch(a, b, ma, mb, ka, kb, limits, fees);
    if (typeof found !== 'number') return found;
    const size = bigOfSafe(found);
    if (answer === 'numbers') return takenNumbers(found, size);
    const fills = answer === 'fills';
    const legA = fills ? LEG_A.build(found, size, a.side) : LEG_A.figures(found, size, a.side);
    const legB = fills ? LEG_B.build(found, size, b.side) : LEG_B.figures(found, size, b.side);
    const totalFees = legA.fee + legB.fee;
    const totalCost = legA.cost + legB.cost + totalFees;
    return { kind: 'opportunity', arbitrage: { size, legs: [legA, legB], totalCost, totalFees, payout: size, netProfit: size - totalCost } };
  } catch (error) {
    if (error === FALLBACK) return bestArbitrageReference(a, b, limits, fees);
    throw error;
  }
}

/** The figures of the `found` contracts both legs take, as numbers, in the one reused `NUMBERS`. */
function takenNumbers(found: number, size: bigint): ArbitrageNumbers {
  const out = NUMBERS;
  LEG_A.take(found);
  LEG_B.take(found);
  out.size = found;
  out.sizeBig = size;
  out.costA = LEG_A.takenCost;
  out.feeA = LEG_A.takenFee;
  out.vwapA = vwapOf(LEG_A.takenCost, found, size);
  out.worstA = LEG_A.takenWorst;
  out.costB = LEG_B.takenCost;
  out.feeB = LEG_B.takenFee;
  out.vwapB = vwapOf(LEG_B.takenCost, found, size);
  out.worstB = LEG_B.takenWorst;
  return out;
}

/** Which outcome each leg buys so that the two together pay $1 whatever happens. */
export type Relation = 'same' | 'inverse';

export interface Direction {
  /** Outcome bought on the first market. */
  readonly first: Side;
  /** Outcome bought on the second market. */
  readonly second: Side;
}

export function directionsFor(relation: Relation): readonly [Direction, Direction] {
  return relation === 'same'
    ? [
        { first: 'yes', second: 'no' },
        { first: 'no', second: 'yes' },
      ]
    : [
        { first: 'yes', second: 'yes' },
        { first: 'no', second: 'no' },
      ];
}
