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
