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
import { feeFor, type FeeModel, type KalshiFeeRounding } from './fees.js';
import { isOnPriceGrid, type Market } from './market.js';
import { divRound, ONE, SCALE, type Money, type Price, type Size } from './money.js';
import type { Level } from './order-book.js';

export type Side = 'yes' | 'no';

export interface LegInput {
  readonly market: Market;
  /** The outcome this leg buys. */
  readonly side: Side;
  /** Asks to buy `side`, ascending (best first). */
  readonly asks: readonly Level[];
}

export interface ArbitrageLimits {
  /** Most contracts per leg. */
  readonly maxSize?: Size | undefined;
  /** Most money both legs may cost together, fees included. */
  readonly maxCapital?: Money | undefined;
}

export interface FeeSettings {
  readonly kalshiRounding: KalshiFeeRounding;
}

export interface LegFill {
  readonly market: Market;
  readonly side: Side;
  readonly size: Size;
  /** The levels taken, best first, each with the size taken there. */
  readonly fills: readonly Level[];
  /** Σ price × size over the fills (before fees). */
  readonly cost: Money;
  /** Σ of each fill's fee, rounded per fill as the venue rounds it. */
  readonly fee: Money;
  /** cost / size, rounded up. */
  readonly vwap: Price;
  /** The highest price taken: the limit price to send. */
  readonly worstPrice: Price;
}

export interface Arbitrage {
  readonly size: Size;
  readonly legs: readonly [LegFill, LegFill];
  /** Both legs' cost plus both legs' fees. */
  readonly totalCost: Money;
  readonly totalFees: Money;
  /** What the position pays at settlement whatever the outcome: size × $1. */
  readonly payout: Money;
  readonly netProfit: Money;
}

export type ArbitrageResult =
  | { readonly kind: 'opportunity'; readonly arbitrage: Arbitrage }
  | { readonly kind: 'none'; readonly reason: NoArbitrageReason; readonly detail: string };

export type NoArbitrageReason =
  | 'fee-unknown'
  | 'grid-unknown'
  | 'no-depth'
  | 'below-minimum-size'
  | 'not-profitable'
  | 'limit';

function none(reason: NoArbitrageReason, detail: string): ArbitrageResult {
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
function profitAt(a: PreparedLeg, b: PreparedLeg, size: Size, fees: FeeSettings): { total: bigint; profit: bigint } | null {
  const ca = costAt(a, size, fees);
  const cb = costAt(b, size, fees);
  if (!ca || !cb) return null;
  const total = ca.cost + ca.fee + cb.cost + cb.fee;
  return { total, profit: size - total };
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
 */
export function bestArbitrage(
  a: LegInput,
  b: LegInput,
  limits: ArbitrageLimits,
  fees: FeeSettings,
): ArbitrageResult {
  for (const leg of [a, b]) {
    const problem = feeProblem(leg.market.fee);
    if (problem) return none('fee-unknown', `${leg.market.venue} ${leg.market.id}: fee unknown (${problem})`);
    if (leg.market.priceRanges.length === 0) return none('grid-unknown', `${leg.market.venue} ${leg.market.id}: price grid unknown`);
  }
  const la = usableLevels(a.market, a.asks);
  const lb = usableLevels(b.market, b.asks);
  const bestA = la[0];
  const bestB = lb[0];
  if (!bestA || !bestB) return none('no-depth', 'an order book side is empty');
  if (bestA.price + bestB.price >= ONE) {
    return none('not-profitable', 'best asks sum to $1 or more before fees');
  }

  const step = commonSizeStep(a.market.sizeIncrement, b.market.sizeIncrement);
  const minSize = roundUpToStep(
    [a.market.minOrderSize, b.market.minOrderSize, step].reduce((m, x) => (x > m ? x : m), 0n),
    step,
  );
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

  if (limits.maxCapital !== undefined) {
    const atMin = profitAt(pa, pb, minSize, fees);
    if (!atMin || atMin.total > limits.maxCapital) return none('limit', 'the minimum order costs more than the capital limit');
    const top = [...candidates].reduce((m, x) => (x > m ? x : m), minSize);
    const atTop = profitAt(pa, pb, top, fees);
    if (!atTop || atTop.total > limits.maxCapital) {
      // Cost grows with size: the largest affordable size by binary search over steps.
      let lo = minSize / step;
      let hi = top / step;
      while (lo < hi) {
        const mid = (lo + hi + 1n) / 2n;
        const r = profitAt(pa, pb, mid * step, fees);
        if (r && r.total <= limits.maxCapital) lo = mid;
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
