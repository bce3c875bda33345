/**
 * The same risk denial of a pair is written to the audit log once a minute at most:
 * headless auto-execution asks on every book update, and a pair refused for a while (the
 * kill switch, a sibling's unresolved attempt) would write a row each time (found in review).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KILL_SWITCH_KEY } from '../../../source/engine/execution/settings.js';
import { opportunity, paperExecution, paperWorld } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe('risk denials in the audit log', () => {
  it('the same denial of a pair: once a minute', async () => {
    const world = await paperWorld(cleanups);
    const { t, books, clock } = world;
    const exec = paperExecution(world, { settings: { maxQuoteAgeMs: 600_000 } });
    expect((await exec.reconcile()).armed).toBe(true);
    t.db.write((r) => r.state.set(KILL_SWITCH_KEY, 'on'));
    const denials = () => t.db.repos.audit.list().filter((e) => e.kind === 'risk-denied');
    for (let i = 0; i < 3; i += 1) expect((await exec.start(opportunity(books), opportunity(books).size, `q${i}`)).result.kind).toBe('refused');
    expect(denials()).toHaveLength(1);
    clock.advance(61_000);
    await exec.start(opportunity(books), opportunity(books).size, 'q3');
    expect(denials()).toHaveLength(2);
    expect(denials().map((d) => JSON.stringify(d.detail))).toEqual([expect.stringContaining('kill-switch'), expect.stringContaining('kill-switch')]);
  });
});
