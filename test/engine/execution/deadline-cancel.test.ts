/**
 * An immediate-or-cancel leg still working when polling ends (resting after a delayed
 * match, or a venue that kept it on the book) is cancelled and read once more before the
 * attempt is called unresolved (found in review: it was left working, alerted, never cancelled).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CancelResult, OrderIntent, OrderRef, OrderState } from '../../../source/venues/trading.js';
import { C, forwardTo, opportunity, paperExecution, paperWorld } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('a leg still working at the poll deadline', () => {
  it('is cancelled and read again: 4 of 10 matched, the rest cancelled; the attempt ends (the other leg unwound), nothing left unresolved', async () => {
    const world = await paperWorld(cleanups);
    const { t, books, poly } = world;
    let state: OrderState | null = null;
    const cancels: OrderRef[] = [];
    // Polymarket answers "live": 4 matched, 6 resting; it stays so until cancelled
    const resting = forwardTo(poly, {
      placeOrder: async (intent: OrderIntent): Promise<OrderState> => {
        state = {
          venue: 'polymarket',
          venueOrderId: '0xrest',
          clientOrderId: intent.clientOrderId,
          marketId: intent.market.id,
          outcome: intent.outcome,
          action: intent.action,
          status: 'open',
          venueStatus: 'live',
          limitPrice: intent.limitPrice,
          requestedSize: intent.size,
          filledSize: 4n * C,
          remainingSize: intent.size - 4n * C,
          averagePrice: intent.limitPrice,
          fees: null,
          updatedAt: null,
        };
        return state;
      },
      getOrder: async () => state,
      cancelOrder: async (ref: OrderRef): Promise<CancelResult> => {
        cancels.push(ref);
        if (state) state = { ...state, status: 'canceled', venueStatus: 'CANCELED', remainingSize: 0n };
        return { kind: 'canceled', canceledSize: null };
      },
      fills: async () => [],
    });
    const exec = paperExecution(world, { venues: { polymarket: resting }, settings: { pollIntervalMs: 100, pollDeadlineMs: 500, maxQuoteAgeMs: 60_000 } });
    expect((await exec.reconcile()).armed).toBe(true);
    const started = await exec.start(opportunity(books), 10n * C, 'q');
    const report = await started.completion;
    expect(cancels).toEqual([expect.objectContaining({ venueOrderId: '0xrest' })]);
    expect(report?.status).not.toBe('unresolved');
    const orders = t.db.repos.orders.listByTrade(report?.tradeId ?? -1);
    expect(orders.find((o) => o.venue === 'polymarket' && o.action === 'buy')).toMatchObject({ state: 'canceled', filledSize: 4n * C });
    expect(t.db.repos.audit.list().some((e) => e.kind === 'order-cancel-at-deadline')).toBe(true);
  });
});
