/**
 * Fills booked while matched but not final (Polymarket MATCHED → MINED → CONFIRMED) are
 * followed until they settle; one that fails on chain raises an alert (found in review:
 * MATCHED was taken as filled and never looked at again).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fill } from '../../../source/venues/trading.js';
import { C, forwardTo, opportunity, paperExecution, paperWorld } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function attempt(later: (fills: Fill[]) => Fill[]) {
  const world = await paperWorld(cleanups);
  const { t, books, poly } = world;
  let reads = 0;
  // the venue first says matched (not final), then what `later` says
  const venue = forwardTo(poly, {
    fills: async (q) => {
      reads += 1;
      const fills = await poly.fills(q);
      return reads === 1 ? fills.map((f) => ({ ...f, final: false, venueStatus: 'MATCHED' })) : later(fills);
    },
  });
  const alerts: string[] = [];
  const exec = paperExecution(world, { venues: { polymarket: venue }, settings: { pollIntervalMs: 100, pollDeadlineMs: 2_000, maxQuoteAgeMs: 60_000 }, onAlert: (m) => alerts.push(m) });
  expect((await exec.reconcile()).armed).toBe(true);
  const report = await (await exec.start(opportunity(books), 10n * C, 'q')).completion;
  expect(report?.status).toBe('complete');
  return { t, alerts, reads: () => reads, tradeId: report?.tradeId };
}

describe('fills matched but not final', () => {
  it('a fill that fails on chain afterwards raises an alert naming the trade and the shares not delivered', async () => {
    const { t, alerts, tradeId } = await attempt((fills) => fills.map((f) => ({ ...f, final: false, failed: true, venueStatus: 'FAILED' })));
    await until(() => alerts.length > 0);
    expect(alerts).toEqual([expect.stringMatching(new RegExp(`^trade ${tradeId}: polymarket reports 10 NO of .* failed after matching`))]);
    expect(t.db.repos.audit.list().some((e) => e.kind === 'fill-failed')).toBe(true);
  });

  it('fills that settle (CONFIRMED) are audited as settled, with no alert', async () => {
    const { t, alerts, reads } = await attempt((fills) => fills.map((f) => ({ ...f, final: true, venueStatus: 'CONFIRMED' })));
    await until(() => t.db.repos.audit.list().some((e) => e.kind === 'fills-settled'));
    expect(t.db.repos.audit.list().some((e) => e.kind === 'fills-settled')).toBe(true);
    expect(alerts).toEqual([]);
    expect(reads()).toBeGreaterThanOrEqual(2);
  });
});
