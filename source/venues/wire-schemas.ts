/**
 * zod building blocks shared by the venue schemas. Money stays a string at the
 * boundary (checked to be a decimal) and becomes a bigint in the parser.
 */
import { z } from 'zod';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A decimal number written as a JSON string: "0.5600", "10.00", ".48". */
export const decimalString = z.string().regex(DECIMAL, 'expected a decimal number string');

/** A decimal that may arrive as a JSON string or a JSON number (kept as its text). */
export const decimalLike = z.union([
  decimalString,
  z
    .number()
    .refine((n) => Number.isFinite(n), 'expected a finite number')
    .transform((n) => numberToDecimalText(n)),
]);

/**
 * The JSON text of a number, e.g. 0.03 → "0.03", 1e-7 → "0.0000001".
 * This reads the decimal the venue wrote; it is never used for arithmetic.
 */
export function numberToDecimalText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // expand exponent notation without float arithmetic
  const [mantissa = '0', expText = '0'] = s.toLowerCase().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '');
  const [intPart = '0', fracPart = ''] = digits.split('.');
  const all = intPart + fracPart;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${all}`;
  else if (point >= all.length) out = all + '0'.repeat(point - all.length);
  else out = `${all.slice(0, point)}.${all.slice(point)}`;
  return negative ? `-${out}` : out;
}

/** RFC 3339 / ISO-8601 timestamp string that Date.parse understands. */
export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO-8601 time');

/** A string holding a JSON array of strings (Polymarket `outcomes`, `clobTokenIds`). */
export const jsonStringArray = z.string().transform((s, ctx) => {
  try {
    const v: unknown = JSON.parse(s);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    /* fall through */
  }
  ctx.addIssue({ code: 'custom', message: 'expected a JSON-encoded array of strings' });
  return z.NEVER;
});
