/**
 * Positions rebuilt from their fills (`replayPosition`) after the venue voids one: the
 * same position as if the voided fill had never been recorded, whatever came before and
 * after it (buys at other prices, sells that realise P&L, fees).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyFill, findPosition, replayPosition } from '../../../source/engine/execution/ledger.js';
import type { FillInput } from '../../../source/persistence/repositories/orders.js';
import { openTestDb } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

const fillArb = fc.record({
  action: fc.constantFrom<'buy' | 'sell'>('buy', 'buy', 'sell'),
  price: fc.bigInt({ min: 1n, max: 999_999n }),
  size: fc.bigInt({ min: 1n, max: 50_000_000n }),
  fee: fc.bigInt({ min: 0n, max: 500_000n }),
});

describe('replayPosition', () => {
  it('after voiding one fill, equals the position built from the other fills alone (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fillArb, { minLength: 1, maxLength: 8 }), fc.nat(), async (fills, pick) => {
        const a = await openTestDb();
        const b = await openTestDb();
        cleanups.push(a.cleanup, b.cleanup);
        const voided = pick % fills.length;
        const input = (f: (typeof fills)[number], i: number): FillInput => ({
          venue: 'polymarket',
          venueFillId: `f${i}`,
          marketId: '0xm',
          side: 'yes',
          action: f.action,
          price: f.price,
          size: f.size,
          fee: f.fee,
          filledAt: 1_000 + i,
        });
        const replayed = a.db.write((r) => {
          fills.forEach((f, i) => applyFill(r, input(f, i)));
          expect(r.orders.voidFill('polymarket', `f${voided}`, 'FAILED', 5_000)).toBe(true);
          expect(r.orders.voidFill('polymarket', `f${voided}`, 'FAILED', 5_000)).toBe(false);
          return replayPosition(r, 'polymarket', '0xm', 'yes');
        });
        const direct = b.db.write((r) => {
          fills.forEach((f, i) => {
            if (i !== voided) applyFill(r, input(f, i));
          });
          return findPosition(r, 'polymarket', '0xm', 'yes');
        });
        const figures = (p: typeof replayed | undefined) => [p?.size ?? 0n, p?.cost ?? 0n, p?.realisedPnl ?? 0n];
        expect(figures(replayed)).toEqual(figures(direct));
      }),
      { numRuns: 40 },
    );
  });

  it('voiding a fill nobody recorded does nothing', async () => {
    const a = await openTestDb();
    cleanups.push(a.cleanup);
    expect(a.db.write((r) => r.orders.voidFill('kalshi', 'nope', 'FAILED'))).toBe(false);
  });
});
