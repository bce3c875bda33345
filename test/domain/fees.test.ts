import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  describeFeeModel,
  feeFor,
  kalshiFee,
  levelFeeFraction,
  polymarketFee,
  takerFeeKernel,
  type FeeResult,
  type KalshiFeeModel,
  type PolymarketFeeModel,
} from '../../source/domain/fees.js';
import { formatDecimal, parseDecimal } from '../../source/domain/money.js';

const k = (feeType: KalshiFeeModel['feeType'] = 'quadratic', multiplier = '1'): KalshiFeeModel => ({
  kind: 'kalshi',
  feeType,
  multiplier: parseDecimal(multiplier),
  source: 'series',
});
const pm = (rate: string, exponent = 1, takerOnly = true): PolymarketFeeModel => ({
  kind: 'polymarket',
  rate: parseDecimal(rate),
  exponent,
  takerOnly,
  source: 'clob',
});
const d = parseDecimal;
function fee(r: FeeResult): string {
  if (!r.known) throw new Error(`fee unknown: ${r.reason}`);
  return formatDecimal(r.fee, { dp: 6 });
}

describe('Kalshi fees (fee schedule and recorded fills)', () => {
  it('matches the published worked examples', () => {
    // "100 @ $0.50 = $1.75"
    expect(fee(kalshiFee(k(), d('0.50'), d('100')))).toBe('1.750000');
    // "100 @ $0.25 = $1.3125 (table prints $1.32)"
    expect(fee(kalshiFee(k(), d('0.25'), d('100')))).toBe('1.312500');
    expect(fee(kalshiFee(k(), d('0.25'), d('100'), 'taker', 'cent'))).toBe('1.320000');
    // "1 @ $0.50 = $0.0175 (table prints $0.02)"
    expect(fee(kalshiFee(k(), d('0.50'), d('1')))).toBe('0.017500');
    expect(fee(kalshiFee(k(), d('0.50'), d('1'), 'taker', 'cent'))).toBe('0.020000');
    // fee rounding page: 1 @ $0.055 → model $0.00363825 → trade fee $0.003639
    expect(fee(kalshiFee(k(), d('0.055'), d('1'), 'taker', 'micro'))).toBe('0.003639');
  });

  it('matches recorded demo fills (fills.json fee_cost) and a production fill', () => {
    expect(fee(kalshiFee(k(), d('0.52'), d('1')))).toBe('0.017500');
    expect(fee(kalshiFee(k(), d('0.99'), d('1')))).toBe('0.000700');
    expect(fee(kalshiFee(k(), d('0.54'), d('5')))).toBe('0.087000');
  });

  it('applies the multiplier and maker coefficients by fee type', () => {
    expect(fee(kalshiFee(k('quadratic', '0.5'), d('0.50'), d('100')))).toBe('0.875000');
    expect(fee(kalshiFee(k('quadratic', '0'), d('0.50'), d('100')))).toBe('0.000000');
    expect(fee(kalshiFee(k('quadratic'), d('0.50'), d('100'), 'maker'))).toBe('0.000000');
    expect(fee(kalshiFee(k('quadratic_with_maker_fees'), d('0.50'), d('100'), 'maker'))).toBe('0.437500');
    expect(fee(kalshiFee(k('quadratic_with_combo_maker_fees'), d('0.50'), d('100'), 'maker'))).toBe('0.875000');
  });

  it('fails closed on a flat fee table and bad inputs', () => {
    expect(kalshiFee(k('flat'), d('0.5'), d('1')).known).toBe(false);
    expect(kalshiFee(k(), d('1'), d('1')).known).toBe(false);
    expect(kalshiFee(k(), 0n, d('1')).known).toBe(false);
    expect(kalshiFee(k('quadratic', '-1'), d('0.5'), d('1')).known).toBe(false);
  });

  it('never undercharges: fee ≥ exact formula, and within one rounding step of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('cent', 'centicent', 'micro') as fc.Arbitrary<'cent' | 'centicent' | 'micro'>,
        (p4, c100, rounding) => {
          const price = BigInt(p4) * 100n; // 4-dp price
          const size = BigInt(c100) * 10_000n; // 0.01-contract sizes
          const r = kalshiFee(k(), price, size, 'taker', rounding);
          expect(r.known).toBe(true);
          if (!r.known) return;
          // exact fee at scale 10^30 vs charged fee at 10^6
          const exact = 70_000n * 1_000_000n * size * price * (1_000_000n - price);
          const charged = r.fee * 10n ** 24n;
          const step = { cent: 10_000n, centicent: 100n, micro: 1n }[rounding] * 10n ** 24n;
          expect(charged >= exact).toBe(true);
          expect(charged - exact < step).toBe(true);
        },
      ),
    );
  });

  it('is monotone in size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (p, a, b) => {
        const price = BigInt(p) * 10_000n;
        const lo = BigInt(Math.min(a, b)) * 10_000n;
        const hi = BigInt(Math.max(a, b)) * 10_000n;
        const fl = kalshiFee(k(), price, lo);
        const fh = kalshiFee(k(), price, hi);
        if (fl.known && fh.known) expect(fl.fee <= fh.fee).toBe(true);
      }),
    );
  });
});

describe('Polymarket fees', () => {
  it('follows C × rate × p × (1 − p) with the category rates of the fee page', () => {
    // crypto 0.07: peak effective rate rate/4 = 1.75% at p = 0.5
    expect(fee(polymarketFee(pm('0.07'), d('0.5'), d('100')))).toBe('1.750000');
    // sports 0.03 at 0.40: 100 × 0.03 × 0.24 = 0.72
    expect(fee(polymarketFee(pm('0.03'), d('0.40'), d('100')))).toBe('0.720000');
    // rounded up to $0.0001: 1 × 0.04 × 0.33 × 0.67 = 0.008844 → 0.0089
    expect(fee(polymarketFee(pm('0.04'), d('0.33'), d('1')))).toBe('0.008900');
  });

  it('supports the older exponent form (p(1−p))^e', () => {
    // rate 0.25, exponent 2, 100 @ 0.5: 100 × 0.25 × 0.0625 = 1.5625
    expect(fee(polymarketFee(pm('0.25', 2), d('0.5'), d('100')))).toBe('1.562500');
  });

  it('charges makers nothing on taker-only markets and nothing when fees are disabled', () => {
    expect(fee(polymarketFee(pm('0.07'), d('0.5'), d('100'), 'maker'))).toBe('0.000000');
    const disabled: PolymarketFeeModel = { ...pm('0'), source: 'disabled' };
    expect(fee(polymarketFee(disabled, d('0.5'), d('100')))).toBe('0.000000');
  });

  it('fails closed on exponents it cannot compute', () => {
    expect(polymarketFee(pm('0.07', 1.5), d('0.5'), d('1')).known).toBe(false);
    expect(polymarketFee(pm('-0.07'), d('0.5'), d('1')).known).toBe(false);
  });
});

describe('feeFor', () => {
  it('never prices an unknown fee', () => {
    const r = feeFor({ kind: 'unknown', reason: 'series not found' }, d('0.5'), d('1'));
    expect(r).toEqual({ known: false, reason: 'series not found' });
  });

  it('dispatches by model', () => {
    expect(fee(feeFor(k(), d('0.5'), d('100')))).toBe('1.750000');
    expect(fee(feeFor(pm('0.07'), d('0.5'), d('100')))).toBe('1.750000');
  });

  it('describes models for people', () => {
    expect(describeFeeModel(k('quadratic', '0.5'))).toBe('quadratic ×0.5');
    expect(describeFeeModel(pm('0.03'))).toBe('rate 0.03 e1 taker');
    expect(describeFeeModel({ kind: 'unknown', reason: 'x' })).toBe('unknown (x)');
  });
});

describe('takerFeeKernel and levelFeeFraction (the fee as one multiply and one exact division)', () => {
  const S = 1_000_000;
  /** step × ⌈a·C / d⌉ in bigint: what the fraction claims the fee is. */
  const viaFraction = (out: Float64Array, step: number, size: bigint): bigint => {
    const a = BigInt(out[0] as number);
    const den = BigInt(out[1] as number);
    return ((a * size + den - 1n) / den) * BigInt(step);
  };
  const roundings = ['cent', 'centicent', 'micro'] as const;
  const model: fc.Arbitrary<KalshiFeeModel | PolymarketFeeModel> = fc.oneof(
    fc.record({
      kind: fc.constant('kalshi' as const),
      feeType: fc.constantFrom('quadratic' as const, 'quadratic_with_maker_fees' as const, 'quadratic_with_combo_maker_fees' as const),
      multiplier: fc.oneof(fc.constantFrom(0n, 250_000n, 500_000n, 1_000_000n, 2_000_000n), fc.bigInt({ min: 0n, max: 10_000_000n })),
      source: fc.constant('series' as const),
    }),
    fc.record({
      kind: fc.constant('polymarket' as const),
      rate: fc.oneof(fc.constantFrom(0n, 20_000n, 30_000n, 72_000n, 1_000_000n), fc.bigInt({ min: 0n, max: 1_000_000n })),
      exponent: fc.constantFrom(0, 1, 2, 3, 4),
      takerOnly: fc.boolean(),
      source: fc.constantFrom('clob' as const, 'gamma' as const, 'disabled' as const),
    }),
  );
  const price = fc.oneof(
    fc.integer({ min: 1, max: 99 }).map((c) => c * 10_000),
    fc.integer({ min: 1, max: 999 }).map((m) => m * 1_000),
    fc.integer({ min: 1, max: S - 1 }),
  );
  const size = fc.oneof(fc.bigInt({ min: 0n, max: 100_000_000n }), fc.bigInt({ min: 0n, max: 2n ** 44n }));

  it('gives feeFor\'s fee for every size, and its marginal per-contract fee, whenever it is exact', () => {
    let exact = 0;
    fc.assert(
      fc.property(model, fc.constantFrom(...roundings), price, fc.array(size, { minLength: 1, maxLength: 5 }), (m, rounding, p, sizes) => {
        const kernel = takerFeeKernel(m, rounding);
        expect(kernel).not.toBeNull();
        if (!kernel) return;
        const out = new Float64Array(4);
        levelFeeFraction(kernel, p, out, 0);
        if (Number.isNaN(out[0])) return; // not safe: callers use feeFor
        exact += 1;
        expect(out[0]! <= 2 ** 51 && out[1]! <= 2 ** 51).toBe(true);
        for (const c of sizes) {
          const r = feeFor(m, BigInt(p), c, 'taker', rounding);
          expect(r.known).toBe(true);
          if (r.known) expect(viaFraction(out, kernel.step, c)).toBe(r.fee);
        }
        const big = feeFor(m, BigInt(p), 1_000_000n * 1_000_000n, 'taker', rounding);
        if (!Number.isNaN(out[2]) && big.known) {
          const mn = BigInt(out[2] as number);
          const md = BigInt(out[3] as number);
          expect((mn + md - 1n) / md).toBe((big.fee + 999_999n) / 1_000_000n);
        }
      }),
      { numRuns: 2_000 },
    );
    expect(exact).toBeGreaterThan(500); // the exact case is the common one
  });

  it('reduces venue prices to small fractions (Kalshi 0.07 × 0.4 × 0.6 per contract = 21/125000 per micro-contract, in $0.0001)', () => {
    const kernel = takerFeeKernel(k(), 'centicent');
    const out = new Float64Array(4);
    if (!kernel) throw new Error('kernel expected');
    levelFeeFraction(kernel, 400_000, out, 0);
    // and the per-contract fee of a large fill: 21·10^8 / 125000 = 16800 micros = $0.0168 exactly
    expect([...out]).toEqual([21, 125_000, 16_800, 1]);
  });

  it('refuses models it cannot take, leaving them to feeFor', () => {
    expect(takerFeeKernel({ kind: 'unknown', reason: 'x' }, 'centicent')).toBeNull();
    expect(takerFeeKernel(k('flat'), 'centicent')).toBeNull();
    expect(takerFeeKernel(k('quadratic', '-1'), 'centicent')).toBeNull();
    expect(takerFeeKernel(k('quadratic', '10.000001'), 'centicent')).toBeNull();
    expect(takerFeeKernel(pm('0.07', 1.5), 'centicent')).toBeNull();
    expect(takerFeeKernel(pm('0.07', 5), 'centicent')).toBeNull();
    expect(takerFeeKernel(pm('1.000001'), 'centicent')).toBeNull();
    expect(takerFeeKernel(pm('-0.01'), 'centicent')).toBeNull();
    expect(takerFeeKernel({ ...pm('0.5'), source: 'disabled' }, 'centicent')?.zero).toBe(true);
  });

  it('marks prices it cannot reduce (not an integer in (0, 1)) as not exact', () => {
    const kernel = takerFeeKernel(k(), 'centicent');
    if (!kernel) throw new Error('kernel expected');
    for (const p of [0, S, -1, 0.5, 1.5e6]) {
      const out = new Float64Array(4);
      levelFeeFraction(kernel, p, out, 0);
      expect(Number.isNaN(out[0])).toBe(true);
    }
  });
});
