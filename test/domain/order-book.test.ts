import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asksFromOppositeBids, BookError, depthAtOrBelow, normaliseAsks } from '../../source/domain/order-book.js';
import { isOnPriceGrid, snapToPriceGrid, uniformGrid } from '../../source/domain/market.js';
import { ONE, parseDecimal } from '../../source/domain/money.js';

const d = parseDecimal;

describe('order book normalisation', () => {
  it('turns NO bids into YES asks at 1 − p, best first', () => {
    // Kalshi wire order: ascending, best bid last
    const noBids = [
      { price: d('0.40'), size: d('5') },
      { price: d('0.45'), size: d('2') },
      { price: d('0.48'), size: d('3') },
    ];
    const yesAsks = asksFromOppositeBids(noBids);
    expect(yesAsks).toEqual([
      { price: d('0.52'), size: d('3') },
      { price: d('0.55'), size: d('2') },
      { price: d('0.60'), size: d('5') },
    ]);
  });

  it('sorts whatever the wire order, merges equal prices and drops empty levels', () => {
    const asks = normaliseAsks([
      { price: d('0.9'), size: d('1') },
      { price: d('0.1'), size: d('0') },
      { price: d('0.5'), size: d('1') },
      { price: d('0.5'), size: d('2.5') },
    ]);
    expect(asks).toEqual([
      { price: d('0.5'), size: d('3.5') },
      { price: d('0.9'), size: d('1') },
    ]);
  });

  it('rejects prices outside (0, 1) and negative sizes', () => {
    expect(() => normaliseAsks([{ price: ONE, size: 1n }])).toThrow(BookError);
    expect(() => normaliseAsks([{ price: 0n, size: 1n }])).toThrow(BookError);
    expect(() => normaliseAsks([{ price: 1n, size: -1n }])).toThrow(BookError);
  });

  it('is sorted, unique and conserves size for any input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ price: fc.bigInt({ min: 1n, max: ONE - 1n }), size: fc.bigInt({ min: 0n, max: 10n ** 9n }) }), { maxLength: 60 }),
        (levels) => {
          const out = normaliseAsks(levels);
          for (let i = 1; i < out.length; i++) expect((out[i - 1]?.price ?? 0n) < (out[i]?.price ?? 0n)).toBe(true);
          const total = (xs: readonly { size: bigint }[]): bigint => xs.reduce((a, l) => a + l.size, 0n);
          expect(total(out)).toBe(total(levels));
          expect(out.every((l) => l.size > 0n)).toBe(true);
        },
      ),
    );
  });

  it('measures depth at or below a limit', () => {
    const asks = normaliseAsks([
      { price: d('0.5'), size: d('1') },
      { price: d('0.6'), size: d('2') },
      { price: d('0.7'), size: d('4') },
    ]);
    expect(depthAtOrBelow(asks, d('0.6'))).toBe(d('3'));
    expect(depthAtOrBelow(asks, d('0.4'))).toBe(0n);
  });
});

describe('price grid', () => {
  const kalshiTapered = [
    { start: d('0.0001'), end: d('0.01'), step: d('0.0001') },
    { start: d('0.01'), end: d('0.99'), step: d('0.01') },
    { start: d('0.99'), end: d('0.9999'), step: d('0.0001') },
  ];

  it('accepts prices on any band and rejects off-grid ones', () => {
    expect(isOnPriceGrid(d('0.0042'), kalshiTapered)).toBe(true);
    expect(isOnPriceGrid(d('0.56'), kalshiTapered)).toBe(true);
    expect(isOnPriceGrid(d('0.565'), kalshiTapered)).toBe(false);
    expect(isOnPriceGrid(d('0.9995'), kalshiTapered)).toBe(true);
    expect(isOnPriceGrid(d('1'), kalshiTapered)).toBe(false);
    expect(isOnPriceGrid(d('0.5'), [])).toBe(false);
  });

  it('snaps towards the requested side', () => {
    expect(snapToPriceGrid(d('0.565'), kalshiTapered, 'floor')).toBe(d('0.56'));
    expect(snapToPriceGrid(d('0.565'), kalshiTapered, 'ceil')).toBe(d('0.57'));
    expect(snapToPriceGrid(d('0.00005'), kalshiTapered, 'floor')).toBeNull();
    const grid = uniformGrid(d('0.01'), ONE);
    expect(snapToPriceGrid(d('0.995'), grid, 'ceil')).toBeNull();
    expect(snapToPriceGrid(d('0.995'), grid, 'floor')).toBe(d('0.99'));
  });

  it('snapped prices are on the grid and on the right side', () => {
    const grid = uniformGrid(d('0.001'), ONE);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: ONE - 1n }), (p) => {
        const f = snapToPriceGrid(p, grid, 'floor');
        const c = snapToPriceGrid(p, grid, 'ceil');
        if (f !== null) {
          expect(f <= p).toBe(true);
          expect(isOnPriceGrid(f, grid)).toBe(true);
        }
        if (c !== null) {
          expect(c >= p).toBe(true);
          expect(isOnPriceGrid(c, grid)).toBe(true);
        }
      }),
    );
  });
});
