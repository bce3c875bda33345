/**
 * Trading fees, as each venue defines them, with their rounding.
 *
 * Kalshi (fee schedule, July 2026; docs "fee rounding"):
 *   taker fee = round up( M × 0.07   × C × P × (1 − P) )
 *   maker fee = round up( M × 0.0175 × C × P × (1 − P) )   only on maker-fee series
 *   (× 0.035 on `quadratic_with_combo_maker_fees`). M is the series `fee_multiplier`,
 *   overridden per event by `fee_multiplier_override`. Rounding: a direct member is
 *   charged per fill rounded up to $0.0001 (the default here); `cent` rounds up to
 *   $0.01 as the published fee table does (most conservative); `micro` rounds up to
 *   $0.000001 as the September 2026 rounding page states before balance alignment.
 *
 * Polymarket (docs "Fees", 2026):
 *   taker fee = C × rate × (P × (1 − P))^exponent, makers pay nothing.
 *   rate and exponent are per market (CLOB market info `fd`, Gamma `feeSchedule`).
 *   Fees are rounded to 4 decimal places; we round up (against us).
 *
 * A fee that is not known is not zero: `FeeModel.kind === 'unknown'` makes every
 * fee function return an `unknown` result, and callers must refuse to price.
 */
import { divRound, ONE, SCALE, type Money, type Price, type Size } from './money.js';

export type KalshiFeeType =
  | 'quadratic'
  | 'quadratic_with_maker_fees'
  | 'quadratic_with_combo_maker_fees'
  | 'flat';

export type KalshiFeeRounding = 'cent' | 'centicent' | 'micro';

export interface KalshiFeeModel {
  readonly kind: 'kalshi';
  readonly feeType: KalshiFeeType;
  /** M at scale 10^6 (1.0 = 1_000_000n). */
  readonly multiplier: bigint;
  /** Where M came from. */
  readonly source: 'series' | 'event-override';
}

export interface PolymarketFeeModel {
  readonly kind: 'polymarket';
  /** rate at scale 10^6 (0.03 = 30_000n). */
  readonly rate: bigint;
  readonly exponent: number;
  readonly takerOnly: boolean;
  /** Where the figures came from. `disabled` = the market says fees are off. */
  readonly source: 'clob' | 'gamma' | 'disabled';
}

export interface UnknownFeeModel {
  readonly kind: 'unknown';
  readonly reason: string;
}

export type FeeModel = KalshiFeeModel | PolymarketFeeModel | UnknownFeeModel;

export type Liquidity = 'taker' | 'maker';

export type FeeResult =
  | { readonly known: true; readonly fee: Money }
  | { readonly known: false; readonly reason: string };

const KALSHI_TAKER_COEFF = 70_000n; // 0.07
const KALSHI_MAKER_COEFF = 17_500n; // 0.0175
const KALSHI_COMBO_MAKER_COEFF = 35_000n; // 0.035

const KALSHI_STEP: Record<KalshiFeeRounding, bigint> = {
  cent: 10_000n,
  centicent: 100n,
  micro: 1n,
};

const POLYMARKET_FEE_STEP = 100n; // $0.0001

/** 10^24 × step: from the five-factor product at scale 10^30 to units of the rounding step. */
const KALSHI_DENOMINATOR: Record<KalshiFeeRounding, bigint> = {
  cent: SCALE ** 4n * KALSHI_STEP.cent,
  centicent: SCALE ** 4n * KALSHI_STEP.centicent,
  micro: SCALE ** 4n * KALSHI_STEP.micro,
};

/** SCALE^(1 + 2e) × step for the supported exponents 0…4. */
const POLYMARKET_DENOMINATOR: readonly bigint[] = [0n, 1n, 2n, 3n, 4n].map((e) => SCALE ** (1n + 2n * e) * POLYMARKET_FEE_STEP);

function known(fee: Money): FeeResult {
  return { known: true, fee };
}

function unknown(reason: string): FeeResult {
  return { known: false, reason };
}

function checkInputs(price: Price, size: Size): string | null {
  if (price <= 0n || price >= ONE) return `price ${price} outside (0, 1)`;
  if (size < 0n) return 'negative size';
  return null;
}

/** Kalshi fee coefficient (scale 10^6) for a fee type and liquidity, null when not computable. */
export function kalshiCoefficient(feeType: KalshiFeeType, liquidity: Liquidity): bigint | null {
  if (feeType === 'flat') return null;
  if (liquidity === 'taker') return KALSHI_TAKER_COEFF;
  switch (feeType) {
    case 'quadratic':
      return 0n;
    case 'quadratic_with_maker_fees':
      return KALSHI_MAKER_COEFF;
    case 'quadratic_with_combo_maker_fees':
      return KALSHI_COMBO_MAKER_COEFF;
  }
}

/**
 * Kalshi fee for one fill of `size` contracts at `price`, rounded up to the granularity.
 */
export function kalshiFee(
  model: KalshiFeeModel,
  price: Price,
  size: Size,
  liquidity: Liquidity = 'taker',
  rounding: KalshiFeeRounding = 'centicent',
): FeeResult {
  const bad = checkInputs(price, size);
  if (bad) return unknown(bad);
  const coeff = kalshiCoefficient(model.feeType, liquidity);
  if (coeff === null) return unknown(`Kalshi fee type "${model.feeType}" uses a fee table arb-tui does not know`);
  if (model.multiplier < 0n) return unknown('negative fee multiplier');
  // every factor is at scale 10^6: five factors → scale 10^30; result at 10^6 → divide by 10^24
  const product = model.multiplier * coeff * size * price * (ONE - price);
  const step = KALSHI_STEP[rounding];
  const units = divRound(product, KALSHI_DENOMINATOR[rounding], 'ceil');
  return known(units * step);
}

/**
 * Polymarket fee for one taker fill of `size` shares at `price`, in dollars (pUSD),
 * rounded up to $0.0001.
 */
export function polymarketFee(
  model: PolymarketFeeModel,
  price: Price,
  size: Size,
  liquidity: Liquidity = 'taker',
): FeeResult {
  const bad = checkInputs(price, size);
  if (bad) return unknown(bad);
  if (model.source === 'disabled') return known(0n);
  if (liquidity === 'maker' && model.takerOnly) return known(0n);
  if (!Number.isInteger(model.exponent) || model.exponent < 0 || model.exponent > 4) {
    return unknown(`Polymarket fee exponent ${model.exponent} is not supported`);
  }
  if (model.rate < 0n) return unknown('negative fee rate');
  const e = BigInt(model.exponent);
  const pq = price * (ONE - price); // scale 10^12
  // size (10^6) × rate (10^6) × pq^e (10^(12e)) → scale 10^(12 + 12e); result at 10^6
  const product = size * model.rate * (e === 1n ? pq : pq ** e);
  const denominator = POLYMARKET_DENOMINATOR[model.exponent] as bigint;
  const units = divRound(product, denominator, 'ceil');
  return known(units * POLYMARKET_FEE_STEP);
}

/** The fee for one fill under any model; `unknown` models never produce a fee. */
export function feeFor(
  model: FeeModel,
  price: Price,
  size: Size,
  liquidity: Liquidity = 'taker',
  kalshiRounding: KalshiFeeRounding = 'centicent',
): FeeResult {
  switch (model.kind) {
    case 'kalshi':
      return kalshiFee(model, price, size, liquidity, kalshiRounding);
    case 'polymarket':
      return polymarketFee(model, price, size, liquidity);
    case 'unknown':
      return unknown(model.reason);
  }
}

/** Short human description of a fee model, e.g. "quadratic ×1" or "rate 0.03 e1". */
export function describeFeeModel(model: FeeModel): string {
  const fmt = (v: bigint): string => {
    const whole = v / SCALE;
    const frac = (v % SCALE).toString().padStart(6, '0').replace(/0+$/, '');
    return frac ? `${whole}.${frac}` : `${whole}`;
  };
  switch (model.kind) {
    case 'kalshi':
      return `${model.feeType} ×${fmt(model.multiplier)}${model.source === 'event-override' ? ' (event)' : ''}`;
    case 'polymarket':
      return model.source === 'disabled' ? 'no fees' : `rate ${fmt(model.rate)} e${model.exponent}${model.takerOnly ? ' taker' : ''}`;
    case 'unknown':
      return `unknown (${model.reason})`;
  }
}

// ---- the fee of one fill as one multiply and one exact division ----------------

/**
 * A taker fee model reduced to small integer constants, for hot loops that
 * price many fills at a few price levels (the arbitrage search).
 *
 * Both venues' taker fees are `step × ⌈base × u^e × C / 10^x⌉` with C the size
 * (scale 10^6) and u = P × (1 − P) (scale 10^12):
 *   Kalshi:     base = M × 0.07 (both scale 10^6), e = 1, 10^x = 10^24 × step;
 *   Polymarket: base = rate, e = exponent,            10^x = 10^(6+12e) × step.
 * The denominator's only prime factors are 2 and 5, so the fraction reduces
 * exactly by cancelling the 2s and 5s of the numerator (`levelFeeFraction`);
 * what remains is small for the prices venues quote, and the fee of a fill is
 * then one multiply and one exact division on safe integers.
 */
export interface TakerFeeKernel {
  /** Every fee is zero (multiplier or rate 0, or fees disabled). */
  readonly zero: boolean;
  /** `base` with its factors 2 and 5 removed (≤ 7·10^11, exact). */
  readonly odd: number;
  readonly twos: number;
  readonly fives: number;
  readonly exponent: number;
  /** x, the denominator being 10^x = 2^x · 5^x. */
  readonly denominatorDigits: number;
  /** The rounding step of one fee, in micros (1, 100 or 10 000). */
  readonly step: number;
  /** s with 10^s = 10^6 × step (for the marginal cost of a very large fill). */
  readonly marginalDigits: number;
}

/** Largest multiplier / rate the kernel takes (10 and 1.0): keeps every fee of a safe size a safe integer. */
const KERNEL_MAX_MULTIPLIER = 10n * SCALE;
const KERNEL_MAX_RATE = SCALE;

const LOG10_STEP: Record<KalshiFeeRounding, number> = { cent: 4, centicent: 2, micro: 0 };

function splitTwosFives(value: number): { odd: number; twos: number; fives: number } {
  let odd = value;
  let twos = 0;
  let fives = 0;
  while (odd % 10 === 0) {
    odd /= 10;
    twos += 1;
    fives += 1;
  }
  while (odd % 2 === 0) {
    odd /= 2;
    twos += 1;
  }
  while (odd % 5 === 0) {
    odd /= 5;
    fives += 1;
  }
  return { odd, twos, fives };
}

/**
 * The kernel of a model's taker fee, or null when the model is unknown, not
 * supported (Kalshi `flat`, odd exponents, negative figures) or beyond the
 * kernel's bounds (multiplier > 10, rate > 1): callers then use `feeFor`,
 * which also gives the reason.
 */
export function takerFeeKernel(model: FeeModel, kalshiRounding: KalshiFeeRounding): TakerFeeKernel | null {
  let base: bigint;
  let exponent: number;
  let log10Step: number;
  let zero: boolean;
  switch (model.kind) {
    case 'unknown':
      return null;
    case 'kalshi': {
      const coeff = kalshiCoefficient(model.feeType, 'taker');
      if (coeff === null || model.multiplier < 0n || model.multiplier > KERNEL_MAX_MULTIPLIER) return null;
      base = model.multiplier * coeff;
      exponent = 1;
      log10Step = LOG10_STEP[kalshiRounding];
      zero = base === 0n;
      break;
    }
    case 'polymarket':
      if (!Number.isInteger(model.exponent) || model.exponent < 0 || model.exponent > 4) return null;
      if (model.rate < 0n || model.rate > KERNEL_MAX_RATE) return null;
      base = model.rate;
      exponent = model.exponent;
      log10Step = 2;
      zero = model.source === 'disabled' || base === 0n;
      break;
  }
  const split = zero ? { odd: 0, twos: 0, fives: 0 } : splitTwosFives(Number(base));
  return {
    zero,
    odd: split.odd,
    twos: split.twos,
    fives: split.fives,
    exponent,
    denominatorDigits: model.kind === 'kalshi' ? 24 + log10Step : 6 + 12 * exponent + log10Step,
    step: 10 ** log10Step,
    marginalDigits: 6 + log10Step,
  };
}

let stripTwos = 0;
let stripFives = 0;

/** `value` (an integer in (0, 2^31)) without its factors 2 and 5, counted into stripTwos / stripFives. */
function stripSmall(value: number): number {
  const tz = 31 - Math.clz32(value & -value);
  let odd = value >>> tz;
  stripTwos += tz;
  while (odd % 5 === 0) {
    odd = (odd / 5) | 0;
    stripFives += 1;
  }
  return odd;
}

/** 2^51: products checked against it in floating point are exact integers ≤ 2^52. */
const CHECK_LIMIT = 2 ** 51;
/** 5^22 is the largest power of 5 a double holds exactly. */
const MAX_EXACT_FIVES = 22;
const MAX_TWOS = 63;
/** Exact powers by repeated multiplication (no reliance on Math.pow's rounding). */
const POW2: readonly number[] = Array.from({ length: MAX_TWOS + 1 }, (_, k) => k).map((k) => {
  let v = 1;
  for (let i = 0; i < k; i += 1) v *= 2;
  return v;
});
const POW5: readonly number[] = Array.from({ length: MAX_EXACT_FIVES + 1 }, (_, k) => k).map((k) => {
  let v = 1;
  for (let i = 0; i < k; i += 1) v *= 5;
  return v;
});

/**
 * The reduced fee fraction at one price (an integer 0 < price < 10^6, micros; NaN otherwise), written to
 * `out[at…at+3]`:
 *   a, d     with fee(C) = step × ⌈a·C / d⌉ for every size C;
 *   mn, md   with ⌈fee(price, 10^12) / 10^6⌉ = ⌈mn / md⌉ (the per-contract fee
 *            of a million contracts, as the arbitrage search's stopping rule uses it).
 * A pair is NaN when it is not exact in safe integers (then use `feeFor`).
 * For a zero kernel a = mn = 0 and d = md = 1.
 *
 * Exactness: a and d are products of exact integer factors ≥ 1 computed in
 * floating point; a result found ≤ 2^51 means the true product is ≤ 2^52,
 * so every partial product is below 2^53 and was exact. The marginal identity
 * holds because step divides 10^6 and ⌈⌈x⌉/k⌉ = ⌈x/k⌉ for integers k ≥ 1:
 * ⌈step·⌈A·10^12/D⌉ / 10^6⌉ = ⌈A·10^6·step / D⌉ = ⌈a·10^s / d⌉, reduced again by 2s and 5s.
 */
export function levelFeeFraction(kernel: TakerFeeKernel, price: number, out: Float64Array, at: number): void {
  if (!(Number.isInteger(price) && price > 0 && price < 1_000_000)) {
    out.fill(Number.NaN, at, at + 4);
    return;
  }
  if (kernel.zero) {
    out[at] = 0;
    out[at + 1] = 1;
    out[at + 2] = 0;
    out[at + 3] = 1;
    return;
  }
  const e = kernel.exponent;
  const x = kernel.denominatorDigits;
  let twos = kernel.twos;
  let fives = kernel.fives;
  let a = kernel.odd;
  if (e > 0) {
    // u = P·(10^6 − P): strip both factors (each < 2^20, int32 arithmetic), odd parts multiply exactly (< 10^12)
    stripTwos = 0;
    stripFives = 0;
    const uOdd = stripSmall(price) * stripSmall(1_000_000 - price);
    twos += e * stripTwos;
    fives += e * stripFives;
    for (let k = 0; k < e; k += 1) a *= uOdd;
  }
  const c2 = twos < x ? twos : x;
  const c5 = fives < x ? fives : x;
  const n5 = fives - c5;
  const d2 = x - c2;
  const d5 = x - c5;
  const n2 = twos - c2;
  a = n5 > MAX_EXACT_FIVES || n2 > MAX_TWOS ? Number.NaN : a * (POW2[n2] as number) * (POW5[n5] as number);
  const d = d5 > MAX_EXACT_FIVES || d2 > MAX_TWOS ? Number.NaN : (POW2[d2] as number) * (POW5[d5] as number);
  if (!(a <= CHECK_LIMIT && d <= CHECK_LIMIT)) {
    out[at] = Number.NaN;
    out[at + 1] = Number.NaN;
    out[at + 2] = Number.NaN;
    out[at + 3] = Number.NaN;
    return;
  }
  out[at] = a;
  out[at + 1] = d;
  const s = kernel.marginalDigits;
  const m2 = s < d2 ? s : d2;
  const m5 = s < d5 ? s : d5;
  // 10^s / (2^m2 · 5^m5): at most 2^s · 5^s with s ≤ 10, exact
  const mn = a * (POW2[s - m2] as number) * (POW5[s - m5] as number);
  const md = (POW2[d2 - m2] as number) * (POW5[d5 - m5] as number);
  if (mn <= CHECK_LIMIT) {
    out[at + 2] = mn;
    out[at + 3] = md;
  } else {
    out[at + 2] = Number.NaN;
    out[at + 3] = Number.NaN;
  }
}
