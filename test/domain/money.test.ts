import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bigOfSafe,
  ceilDivSafe,
  DecimalError,
  divRound,
  floorDivSafe,
  formatDecimal,
  formatUsd,
  notional,
  parseDecimal,
  ratioForDisplay,
  roundToStep,
  SCALE,
} from '../../source/domain/money.js';

describe('parseDecimal', () => {
  it('reads venue decimal strings exactly', () => {
    expect(parseDecimal('0.5600')).toBe(560_000n);
    expect(parseDecimal('10.00')).toBe(10_000_000n);
    expect(parseDecimal('.48')).toBe(480_000n);
    expect(parseDecimal('0.017500')).toBe(17_500n);
    expect(parseDecimal('-3.00')).toBe(-3_000_000n);
    expect(parseDecimal('7')).toBe(7_000_000n);
    expect(parseDecimal('+1.5')).toBe(1_500_000n);
    expect(parseDecimal('1.')).toBe(1_000_000n);
    expect(parseDecimal('0.000001')).toBe(1n);
  });

  it('rejects what is not a plain decimal', () => {
    for (const bad of ['', '.', 'abc', '1e-3', '1,5', 'NaN', 'Infinity', '0x10', '1.2.3', '--1', ' ']) {
      expect(() => parseDecimal(bad), bad).toThrow(DecimalError);
    }
  });

  it('refuses to drop digits silently, rounds when told', () => {
    expect(() => parseDecimal('0.1234567')).toThrow(/more than 6 decimal places/);
    expect(parseDecimal('0.1234567', 'floor')).toBe(123_456n);
    expect(parseDecimal('0.1234561', 'ceil')).toBe(123_457n);
    expect(parseDecimal('-0.1234561', 'ceil')).toBe(-123_456n);
    expect(parseDecimal('-0.1234561', 'floor')).toBe(-123_457n);
    expect(parseDecimal('0.0000005', 'half-even')).toBe(0n);
    expect(parseDecimal('0.0000015', 'half-even')).toBe(2n);
    expect(parseDecimal('0.00000051', 'half-even')).toBe(1n);
    // trailing zeros beyond the scale are not precision
    expect(parseDecimal('0.50000000')).toBe(500_000n);
  });

  it('round-trips through formatDecimal for any 6-dp value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (v) => {
        expect(parseDecimal(formatDecimal(v))).toBe(v);
      }),
    );
  });

  it('agrees with integer arithmetic on random digit strings', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.stringMatching(/^\d{0,6}$/),
        fc.boolean(),
        (whole, frac, neg) => {
          const text = `${neg ? '-' : ''}${whole}.${frac}`;
          const expected = whole * SCALE + BigInt((frac || '0').padEnd(6, '0'));
          expect(parseDecimal(text)).toBe(neg ? -expected : expected);
        },
      ),
    );
  });
});

describe('divRound', () => {
  it('rounds in the stated direction for every sign', () => {
    expect(divRound(7n, 2n, 'floor')).toBe(3n);
    expect(divRound(7n, 2n, 'ceil')).toBe(4n);
    expect(divRound(-7n, 2n, 'floor')).toBe(-4n);
    expect(divRound(-7n, 2n, 'ceil')).toBe(-3n);
    expect(divRound(7n, -2n, 'floor')).toBe(-4n);
    expect(divRound(5n, 2n, 'half-even')).toBe(2n);
    expect(divRound(7n, 2n, 'half-even')).toBe(4n);
    expect(divRound(-5n, 2n, 'half-even')).toBe(-2n);
    expect(divRound(8n, 2n, 'exact')).toBe(4n);
    expect(() => divRound(7n, 2n, 'exact')).toThrow(DecimalError);
    expect(() => divRound(1n, 0n, 'floor')).toThrow(/division by zero/);
  });

  it('floor ≤ exact quotient ≤ ceil, and they differ by at most one', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 10n }), (n, d) => {
        const f = divRound(n, d, 'floor');
        const c = divRound(n, d, 'ceil');
        expect(f * d <= n).toBe(true);
        expect(c * d >= n).toBe(true);
        expect(c - f <= 1n).toBe(true);
        const h = divRound(n, d, 'half-even');
        expect(h === f || h === c).toBe(true);
      }),
    );
  });
});

describe('arithmetic', () => {
  it('notional rounds against us when asked', () => {
    // 3 contracts at 0.333333 = 0.999999 exactly
    expect(notional(333_333n, 3_000_000n, 'exact')).toBe(999_999n);
    // 0.01 contracts at 0.555555 = 0.00555555 → 0.005556 ceil / 0.005555 floor
    expect(notional(555_555n, 10_000n, 'ceil')).toBe(5_556n);
    expect(notional(555_555n, 10_000n, 'floor')).toBe(5_555n);
  });

  it('addition and subtraction are exact (no float artefacts)', () => {
    expect(formatDecimal(parseDecimal('0.1') + parseDecimal('0.2'))).toBe('0.3');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), (a, b) => {
        expect(parseDecimal(formatDecimal(a)) + parseDecimal(formatDecimal(b))).toBe(a + b);
      }),
    );
  });

  it('notional(ceil) - notional(floor) is 0 or 1 micro and brackets the exact product', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 999_999n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (p, s) => {
        const up = notional(p, s, 'ceil');
        const down = notional(p, s, 'floor');
        expect(up * SCALE >= p * s).toBe(true);
        expect(down * SCALE <= p * s).toBe(true);
        expect(up - down <= 1n).toBe(true);
      }),
    );
  });

  it('roundToStep snaps onto a grid', () => {
    expect(roundToStep(17_472n, 100n, 'ceil')).toBe(17_500n);
    expect(roundToStep(17_472n, 10_000n, 'ceil')).toBe(20_000n);
    expect(roundToStep(17_472n, 10_000n, 'floor')).toBe(10_000n);
  });
});

describe('formatting', () => {
  it('renders fixed and trimmed decimals', () => {
    expect(formatDecimal(560_000n, { dp: 4 })).toBe('0.5600');
    expect(formatDecimal(560_000n)).toBe('0.56');
    expect(formatDecimal(0n)).toBe('0');
    expect(formatDecimal(1n)).toBe('0.000001');
    expect(formatDecimal(-1n)).toBe('-0.000001');
    expect(formatDecimal(-4n, { dp: 2 })).toBe('0.00');
    expect(formatDecimal(1_005_000n, { dp: 2 })).toBe('1.00');
    expect(formatDecimal(1_015_000n, { dp: 2 })).toBe('1.02');
    expect(formatDecimal(1_015_000n, { dp: 2, rounding: 'floor' })).toBe('1.01');
    expect(formatDecimal(500_000n, { minDp: 2 })).toBe('0.50');
    expect(formatUsd(-1_234_500n)).toBe('-$1.23');
    expect(formatUsd(1_750_000n)).toBe('$1.75');
    expect(() => formatDecimal(1n, { dp: 7 })).toThrow(DecimalError);
  });

  it('ratios are for display only and come out right', () => {
    expect(ratioForDisplay(1n, 4n)).toBe(0.25);
    expect(ratioForDisplay(1n, 0n)).toBeNaN();
  });
});

describe('floorDivSafe / ceilDivSafe (exact integer division on numbers ≤ 2^52)', () => {
  const operand = fc.oneof(
    fc.integer({ min: 0, max: 1_000_000 }),
    fc.bigInt({ min: 0n, max: 2n ** 52n }).map(Number),
    fc.bigInt({ min: 2n ** 52n - 1_000n, max: 2n ** 52n }).map(Number),
  );
  const divisor = fc.oneof(
    fc.integer({ min: 1, max: 1_000 }),
    fc.bigInt({ min: 1n, max: 2n ** 52n }).map(Number),
    fc.bigInt({ min: 2n ** 52n - 1_000n, max: 2n ** 52n }).map(Number),
  );

  it('agree with bigint division', () => {
    fc.assert(
      fc.property(operand, divisor, (n, d) => {
        expect(BigInt(floorDivSafe(n, d))).toBe(divRound(BigInt(n), BigInt(d), 'floor'));
        expect(BigInt(ceilDivSafe(n, d))).toBe(divRound(BigInt(n), BigInt(d), 'ceil'));
      }),
      { numRuns: 5_000 },
    );
    // just below a multiple, at the top of the range
    expect(floorDivSafe(2 ** 52 - 4, 2 ** 52 - 3)).toBe(0);
    expect(ceilDivSafe(2 ** 52 - 4, 2 ** 52 - 3)).toBe(1);
    expect(floorDivSafe(3 * 999_999_999_999 - 1, 999_999_999_999)).toBe(2);
    expect(ceilDivSafe(3 * 999_999_999_999 + 1, 999_999_999_999)).toBe(4);
    expect(ceilDivSafe(0, 7)).toBe(0);
  });
});

describe('bigOfSafe (BigInt of a number without the slow path)', () => {
  it('is BigInt(x) for every integer up to 2^53 in magnitude, negative values and the 32-bit edges included', () => {
    const integer = fc.oneof(
      fc.integer(),
      fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }).map(Number),
      fc.integer({ min: -64, max: 64 }).map((k) => 2 ** 32 + k),
      fc.integer({ min: -64, max: 64 }).map((k) => -(2 ** 32) + k),
    );
    fc.assert(
      fc.property(integer, (x) => {
        expect(bigOfSafe(x)).toBe(BigInt(x));
      }),
      { numRuns: 20_000 },
    );
    for (const x of [0, -0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, -(2 ** 32) + 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      expect(bigOfSafe(x)).toBe(BigInt(x));
    }
  });

  it('leaves everything else to BigInt: large integers convert, fractions and non-numbers throw as BigInt does', () => {
    expect(bigOfSafe(2 ** 60)).toBe(2n ** 60n);
    expect(bigOfSafe(-(2 ** 70))).toBe(-(2n ** 70n));
    expect(() => bigOfSafe(0.5)).toThrow(RangeError);
    expect(() => bigOfSafe(Number.NaN)).toThrow(RangeError);
    expect(() => bigOfSafe(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
