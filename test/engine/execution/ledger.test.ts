/**
 * Positions rebuilt from their fills (`replayPosition`) after the venue voids one: the
 * same position as if the voided fill had never been recorded, whatever came before and
 * after it (buys at other prices, sells that realise P&L, fees).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyFill, findPosition, replayPosition, tradeFigures } from '../../../source/engine/execution/ledger.js';
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
      fc.asyncProperty(fc.array(fillArb, { minLength: 1, maxLength: 8 }), fc.nat(), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 8, maxLength: 8 }), async (fills, pick, times) => {
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
          // venue times in another order than the fills were recorded: the replay follows the recording
          filledAt: 1_000 + (times[i] ?? 0),
        });
        const replayed = a.db.write((r) => {
          fills.forEach((f, i) => applyFill(r, input(f, i)));
          // with nothing voided, the replay is the position as the fills moved it
          const live = findPosition(r, 'polymarket', '0xm', 'yes');
          expect(replayPosition(r, 'polymarket', '0xm', 'yes')).toMatchObject({ size: live?.size, cost: live?.cost, realisedPnl: live?.realisedPnl });
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

  it("a trade whose bought fill was voided after an unwind sold it counts no sale beyond what the leg holds", async () => {
    const a = await openTestDb();
    cleanups.push(a.cleanup);
    const C = 1_000_000n;
    const figures = a.db.write((r) => {
      const trade = r.trades.create({ sessionId: a.sessionId, pairId: a.pairId, plannedSize: 10n * C, expectedEdge: 0n, expectedPnl: 0n, at: 1 });
      const order = (id: string, venue: 'kalshi' | 'polymarket', type: string, action: 'buy' | 'sell') =>
        r.orders.insertPending({ clientOrderId: id, sessionId: a.sessionId, tradeId: trade, venue, marketId: `${venue}-m`, side: 'yes', action, orderType: type, limitPrice: 500_000n, size: 10n * C, at: 1 });
      order('l0', 'kalshi', 'ioc:leg0', 'buy');
      order('l1', 'polymarket', 'ioc:leg1', 'buy');
      order('u', 'polymarket', 'ioc:unwind', 'sell');
      const fill = (id: string, clientOrderId: string, venue: 'kalshi' | 'polymarket', action: 'buy' | 'sell', size: bigint) =>
        applyFill(r, { venue, venueFillId: id, clientOrderId, marketId: `${venue}-m`, side: 'yes', action, price: 500_000n, size, fee: 0n, filledAt: 2 });
      fill('k', 'l0', 'kalshi', 'buy', 4n * C);
      fill('p', 'l1', 'polymarket', 'buy', 10n * C);
      fill('s', 'u', 'polymarket', 'sell', 6n * C);
      r.orders.voidFill('polymarket', 'p', 'FAILED');
      return tradeFigures(r, trade);
    });
    // the sale of 6 never-held contracts earns nothing and hedges nothing
    expect(figures).toMatchObject({ filled: [4n * C, 0n], unwound: [0n, 6n * C], hedged: 0n, realisedPnl: null });
  });

  it('after a voided buy, a later sale counts only what is held, in the replay as when the sale is recorded after the void', async () => {
    const a = await openTestDb();
    cleanups.push(a.cleanup);
    const C = 1_000_000n;
    const position = a.db.write((r) => {
      const fill = (id: string, action: 'buy' | 'sell', size: bigint, price: bigint, fee: bigint) =>
        applyFill(r, { venue: 'polymarket', venueFillId: id, marketId: '0xm', side: 'yes', action, price, size, fee, filledAt: 1 });
      fill('b1', 'buy', 4n * C, 400_000n, 0n);
      fill('b2', 'buy', 10n * C, 500_000n, 0n);
      fill('s', 'sell', 6n * C, 600_000n, 60_000n);
      r.orders.voidFill('polymarket', 'b2', 'FAILED');
      return replayPosition(r, 'polymarket', '0xm', 'yes');
    });
    // 4 held at 0.40 sold at 0.60 less 4/6 of the fee: +0.80 − 0.04
    expect(position).toMatchObject({ size: 0n, cost: 0n, realisedPnl: 760_000n });
    // the same sale recorded after the void (a restart's reconciliation books it then)
    const b = await openTestDb();
    cleanups.push(b.cleanup);
    const later = b.db.write((r) => {
      const fill = (id: string, action: 'buy' | 'sell', size: bigint, price: bigint, fee: bigint) =>
        applyFill(r, { venue: 'polymarket', venueFillId: id, marketId: '0xm', side: 'yes', action, price, size, fee, filledAt: 1 });
      fill('b1', 'buy', 4n * C, 400_000n, 0n);
      fill('b2', 'buy', 10n * C, 500_000n, 0n);
      r.orders.voidFill('polymarket', 'b2', 'FAILED');
      replayPosition(r, 'polymarket', '0xm', 'yes');
      return fill('s', 'sell', 6n * C, 600_000n, 60_000n);
    });
    expect(later).toMatchObject({ size: 0n, cost: 0n, realisedPnl: 760_000n });
  });

  it('voiding a fill nobody recorded does nothing', async () => {
    const a = await openTestDb();
    cleanups.push(a.cleanup);
    expect(a.db.write((r) => r.orders.voidFill('kalshi', 'nope', 'FAILED'))).toBe(false);
  });
});
