/**
 * Fixed-point decimal arithmetic for prices, sizes and money.
 *
 * Every amount in arb-tui is a `bigint` holding an integer number of millionths
 * (scale 10^6, "micros"):
 *
 * | quantity            | unit               | 1 unit = |  covers                                   |
 * |---------------------|--------------------|----------|-------------------------------------------|
 * | `Price`             | dollars / contract | 0.000001 | Kalshi 4-dp prices, Polymarket ticks to 0.0001 |
 * | `Size`              | contracts (shares) | 0.000001 | Kalshi 0.01-contract sizes, Polymarket 6-dp amounts |
 * | `Money`             | dollars            | 0.000001 | Kalshi 6-dp fees, Polymarket 6-decimal pUSD |
 *
 * One shared scale keeps the arithmetic uniform: `price × size` is a product at
 * scale 10^12 that `notional()` brings back to 10^6 with an explicit rounding.
 * Values are parsed straight from the venues' decimal strings; floats are never
 * involved. Every operation that can lose precision takes a `Rounding`.
 */

export type Price = bigint;
export type Size = bigint;
export type Money = bigint;

export const SCALE_DIGITS = 6;
export const SCALE = 1_000_000n;
/** $1.00, the payout of a winning binary contract. */
export const ONE: Price = SCALE;
export const ZERO = 0n;

/**
 * Rounding directions.
 * - `floor` / `ceil`: towards −∞ / +∞ (use `ceil` for what we pay, `floor` for what we receive).
 * - `half-even`: banker's rounding, for display only.
 * - `exact`: throw when the value does not fit the target precision.
 */
export type Rounding = 'floor' | 'ceil' | 'half-even' | 'exact';

export class DecimalError extends Error {
  override readonly name = 'DecimalError';
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Parse a decimal string ("0.5600", "10.00", ".48", "-3.00", "1e-3" is rejected)
 * into an integer at `scale` decimal digits (default 6).
 * Digits beyond the scale are rounded with `rounding` (default `exact`: throw).
 */
export function parseDecimal(text: string, rounding: Rounding = 'exact', scaleDigits = SCALE_DIGITS): bigint {
  const trimmed = text.trim();
  const m = DECIMAL_RE.exec(trimmed);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new DecimalError(`not a decimal number: ${JSON.stringify(text)}`);
  }
  const negative = m[1] === '-';
  const intPart = m[2] === '' ? '0' : (m[2] as string);
  const frac = m[3] ?? '';
  const kept = frac.length >= scaleDigits ? frac.slice(0, scaleDigits) : frac.padEnd(scaleDigits, '0');
  const dropped = frac.length > scaleDigits ? frac.slice(scaleDigits) : '';
  // One conversion of the digit string "<int><kept>" (exact, whatever its length).
  let value = BigInt(intPart + kept);
  if (dropped !== '' && /[1-9]/.test(dropped)) {
    if (rounding === 'exact') {
      throw new DecimalError(`${JSON.stringify(text)} has more than ${scaleDigits} decimal places`);
    }
    // value is the magnitude truncated; adjust by direction of the signed number
    const rest = BigInt(dropped);
    const half = 5n * 10n ** BigInt(dropped.length - 1);
    let up: boolean;
    if (rounding === 'half-even') {
      up = rest > half || (rest === half && value % 2n === 1n);
    } else if (rounding === 'ceil') {
      up = !negative;
    } else {
      up = negative;
    }
    if (up) value += 1n;
  }
  return negative ? -value : value;
}

/** Parse a decimal that must not be negative. */
export function parseNonNegative(text: string, rounding: Rounding = 'exact'): bigint {
  const v = parseDecimal(text, rounding);
  if (v < 0n) throw new DecimalError(`expected a non-negative number, got ${JSON.stringify(text)}`);
  return v;
}

/**
 * Divide with an explicit rounding direction (for any signs).
 */
export function divRound(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) throw new DecimalError('division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const q = numerator / denominator; // truncates towards zero
  const r = numerator - q * denominator; // one division, not two
  if (r === 0n) return q;
  switch (rounding) {
    case 'exact':
      throw new DecimalError(`${numerator}/${denominator} is not exact`);
    case 'floor':
      return numerator < 0n ? q - 1n : q;
    case 'ceil':
      return numerator > 0n ? q + 1n : q;
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      const away = numerator < 0n ? q - 1n : q + 1n;
      if (twice > denominator) return away;
      if (twice < denominator) return q;
      return q % 2n === 0n ? q : away;
    }
  }
}

/** price × size → money, rounded as told (ceil for what we pay). */
export function notional(price: Price, size: Size, rounding: Rounding): Money {
  return divRound(price * size, SCALE, rounding);
}

/** a × b at scale 6, rounded. */
export function mul(a: bigint, b: bigint, rounding: Rounding): bigint {
  return divRound(a * b, SCALE, rounding);
}

/** a ÷ b at scale 6, rounded. */
export function div(a: bigint, b: bigint, rounding: Rounding): bigint {
  return divRound(a * SCALE, b, rounding);
}

/** Round a scale-6 value onto a grid of `step` units (e.g. step 100n = $0.0001). */
export function roundToStep(value: bigint, step: bigint, rounding: Rounding): bigint {
  if (step <= 0n) throw new DecimalError('step must be positive');
  return divRound(value, step, rounding) * step;
}

export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/**
 * Render a scale-6 integer as a decimal string.
 * `dp` fixes the number of decimals (rounded with `rounding`, default half-even);
 * without `dp` trailing zeros are trimmed (at least `minDp` decimals are kept).
 */
export function formatDecimal(
  value: bigint,
  options: { dp?: number; minDp?: number; rounding?: Rounding } = {},
): string {
  let v = value;
  let digits = SCALE_DIGITS;
  if (options.dp !== undefined) {
    if (options.dp < 0 || options.dp > SCALE_DIGITS || !Number.isInteger(options.dp)) {
      throw new DecimalError(`dp must be an integer in 0..${SCALE_DIGITS}`);
    }
    v = divRound(v, 10n ** BigInt(SCALE_DIGITS - options.dp), options.rounding ?? 'half-even');
    digits = options.dp;
  }
  const negative = v < 0n;
  const mag = negative ? -v : v;
  const s = mag.toString().padStart(digits + 1, '0');
  const intPart = s.slice(0, s.length - digits);
  let frac = s.slice(s.length - digits);
  if (options.dp === undefined) {
    const keep = options.minDp ?? 0;
    frac = frac.replace(/0+$/, '');
    if (frac.length < keep) frac = frac.padEnd(keep, '0');
  }
  const body = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  return negative && (mag !== 0n) ? `-${body}` : body;
}

/** "$1.2345" style, for display. */
export function formatUsd(value: Money, dp = 2): string {
  const s = formatDecimal(value, { dp });
  return s.startsWith('-') ? `-$${s.slice(1)}` : `$${s}`;
}

/**
 * A ratio of two scale-6 values as a JS number, for display of percentages only.
 * Never feed the result back into money arithmetic.
 */
export function ratioForDisplay(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) return Number.NaN;
  const scaled = divRound(numerator * 1_000_000_000n, denominator, 'half-even');
  return Number(scaled) / 1e9;
}

// ---- exact integer arithmetic on JS numbers (hot paths only) ------------------

/** 2^52: the largest operand the safe-number helpers below accept. */
export const SAFE_OPERAND = 2 ** 52;

/**
 * ⌊n / d⌋ for integers 0 ≤ n ≤ 2^52 and 0 < d ≤ 2^52, exactly.
 *
 * Proof: t = n/d ≤ 2^52, and the float quotient fl(t) is within t·2^-53 ≤ 1/2
 * of t and never below an integer at or under t (rounding is monotone and
 * integers ≤ 2^53 are representable), so q = ⌊fl(t)⌋ is ⌊t⌋ or ⌊t⌋ + 1. Then
 * q·d ≤ n + d ≤ 2^53 and r = n − q·d ∈ [−d, d) are exact, and one correction
 * gives ⌊t⌋. Callers guarantee the bounds; nothing here is a float result.
 */
export function floorDivSafe(n: number, d: number): number {
  const q = Math.floor(n / d);
  return n - q * d < 0 ? q - 1 : q;
}

// Eight bytes seen as two 32-bit halves and as one signed 64-bit integer: `bigOfSafe` writes the halves and reads the bigint.
const WORD = new ArrayBuffer(8);
const WORD_HALVES = new Uint32Array(WORD);
const WORD_HIGH = new Int32Array(WORD);
const WORD_BIG = new BigInt64Array(WORD);
/** Whether the low half comes first in memory (true on every platform Node ships for but s390x). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_32 = 2 ** 32;

/**
 * BigInt(x) for an integer |x| ≤ 2^53, exactly, without V8's slow path for
 * numbers that are not small integers (BigInt of a double is a runtime call,
 * ~30 ns; this is ~2 ns: the hot paths turn a dozen figures into bigints per
 * opportunity). hi = ⌊x / 2^32⌋ is exact (division by a power of two), and
 * so is lo = x − hi·2^32 ∈ [0, 2^32); hi ∈ [−2^21, 2^21] fits the signed high
 * word, so the 64-bit two's-complement value read back is hi·2^32 + lo = x.
 * Anything else (not an integer, too large, big-endian) goes to BigInt itself.
 */
export function bigOfSafe(x: number): bigint {
  if (!LITTLE_ENDIAN || !(x >= -SAFE_OPERAND * 2 && x <= SAFE_OPERAND * 2) || Math.floor(x) !== x) return BigInt(x);
  const hi = Math.floor(x / TWO_32);
  WORD_HALVES[0] = x - hi * TWO_32;
  WORD_HIGH[1] = hi;
  return WORD_BIG[0] as bigint;
}

/** gcd of two non-negative safe integers (exact: `%` of safe integers is). */
export function gcdSafe(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** ⌈n / d⌉ for integers 0 ≤ n ≤ 2^52 and 0 < d ≤ 2^52, exactly (see `floorDivSafe`). */
export function ceilDivSafe(n: number, d: number): number {
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  }
  return r > 0 ? q + 1 : q;
}
