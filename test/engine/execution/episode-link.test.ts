/**
 * A trade is linked to the opportunity episode it was made on (trades.opportunity_id), and the
 * episode closes as executed (found in review: trades named no episode, every episode expired).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../../source/app/recorder.js';
import { C, opportunity, paperExecution, paperWorld, T0 } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('trades and opportunity episodes', () => {
  it("the executor's trade names the episode open for the opportunity's direction; the episode closes as executed", async () => {
    const world = await paperWorld(cleanups);
    const { clock, t, books } = world;
    const recorder = new Recorder(t.db, t.sessionId);
    const o = opportunity(books);
    recorder.record({ type: 'opportunity-opened', opportunity: o }, T0);
    const [episode] = t.db.repos.opportunities.listBySession(t.sessionId);
    const exec = paperExecution(world, { settings: { pollIntervalMs: 100, pollDeadlineMs: 500, maxQuoteAgeMs: 60_000 } });
    expect((await exec.reconcile()).armed).toBe(true);
    const started = await exec.start(o, 5n * C, 'q');
    const report = await started.completion;
    const trade = t.db.repos.trades.get(report?.tradeId ?? -1);
    expect(trade?.opportunityId).toBe(episode?.id);
    recorder.record({ type: 'opportunity-closed', opportunity: o, reason: 'gone' }, clock.now());
    expect(t.db.repos.opportunities.get(episode!.id)).toMatchObject({ outcome: 'executed', outcomeReason: `trade ${trade!.id} made on it; gone` });
  });
});
