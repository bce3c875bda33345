/**
 * Display of prices, sizes, money and ratios (all bigint at scale 10^6).
 * Pure; display only: nothing here feeds back into arithmetic.
 */
import { divRound, formatDecimal, formatUsd, parseDecimal, SCALE, type Money, type Price, type Size } from '../../domain/money.js';

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function withGrouping(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [intPart = '0', frac] = body.split('.');
  const grouped = group(intPart) + (frac !== undefined ? `.${frac}` : '');
  return negative ? `-${grouped}` : grouped;
}

/** A price in dollars per contract: at least 2 decimals, up to the 6 it carries ("0.41", "0.415"). */
export function formatPrice(price: Price): string {
  return formatDecimal(price, { minDp: 2 });
}

/**
 * An average price for a narrow column: to 4 decimals at most (half-even), trailing zeros
 * trimmed to 2 ("0.2008" for 0.200833, "0.55"): an average of fills can have 6.
 */
export function formatAvgPrice(price: Price): string {
  const four = formatDecimal(price, { dp: 4 });
  return formatDecimal(parseDecimal(four), { minDp: 2 });
}

/** Contracts: whole numbers grouped ("1,250"), fractions to 2 dp ("12.5" stays "12.50"). */
export function formatSize(size: Size): string {
  if (size % SCALE === 0n) return withGrouping(formatDecimal(size));
  return withGrouping(formatDecimal(size, { dp: 2, rounding: 'floor' }));
}

/** Money without the currency sign, 2 dp, grouped ("1,234.57", "-0.12"). For table cells headed "$". */
export function formatAmount(money: Money, dp = 2): string {
  return withGrouping(formatDecimal(money, { dp }));
}

/** Money with the sign, grouped ("$1,234.57", "-$0.12"). */
export function formatMoney(money: Money, dp = 2): string {
  const s = formatUsd(money, dp);
  const negative = s.startsWith('-');
  const body = withGrouping(negative ? s.slice(2) : s.slice(1));
  return negative ? `-$${body}` : `$${body}`;
}

/** Signed money, "+$7.57" / "-$1.20" / "$0.00", for P&L. */
export function formatPnl(money: Money, dp = 2): string {
  const s = formatMoney(money, dp);
  return money > 0n && s !== formatMoney(0n, dp) ? `+${s}` : s;
}

/**
 * A ratio at scale 10^6 as a percentage: "3.2%", "145%", "1.2k%"; null (unknown) as "n/a".
 * One decimal below 100 %, none above, thousands as "k" (one decimal below 10k %).
 */
export function formatPercent(ratio: bigint | null): string {
  if (ratio === null) return 'n/a';
  const pct = ratio * 100n; // percent at scale 10^6
  const mag = pct < 0n ? -pct : pct;
  if (mag >= 1_000n * 1_000n * SCALE) return `${pct < 0n ? '-' : ''}>999k%`;
  if (mag >= 10_000n * SCALE) return `${formatDecimal(divRound(pct, 1_000n, 'half-even'), { dp: 0 })}k%`;
  if (mag >= 1_000n * SCALE) return `${formatDecimal(divRound(pct, 1_000n, 'half-even'), { dp: 1 })}k%`;
  if (mag >= 100n * SCALE) return `${formatDecimal(pct, { dp: 0 })}%`;
  return `${formatDecimal(pct, { dp: 1 })}%`;
}

/** A confidence in [0, 1] at scale 10^6 as a whole percentage ("93%"), rounded down. */
export function formatConfidence(confidence: bigint): string {
  return `${divRound(confidence * 100n, SCALE, 'floor')}%`;
}
