/**
 * The risk gate counts attempts under way (found in review: three attempts started a few
 * milliseconds apart each passed a total-exposure limit their sum broke, and a second
 * attempt passed a balance the first was about to spend); arming needs an authenticated
 * answer (balance) from both venues; both balances are kept (a race dropped one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import { notTradableMessage, type AccountLimits, type Opportunity } from '../../../source/engine/detector.js';
import { createExecution, type Execution } from '../../../source/engine/execution/create-execution.js';
import type { ExecutionSettings } from '../../../source/engine/execution/settings.js';
import { AuthVenueError } from '../../../source/venues/errors.js';
import { PaperVenue } from '../../../source/venues/paper/paper-venue.js';
import type { TradingVenue } from '../../../source/venues/trading.js';
import { book, C, fakeClock, forwardTo, kalshiMarketAs, lv, openTestDb, opportunityOn, polyMarketAs } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

/** Three pairs of markets, each with the default books' shape (about $9.24 a 10-contract trade). */
const K: Market[] = ['A', 'B', 'C'].map((x) => kalshiMarketAs(`KXTEST-26JUN-${x}`));
const P: Market[] = ['a', 'b', 'c'].map((x) => polyMarketAs(`0x${x.repeat(64)}`));
const books = new Map(
  [...K.map((m) => book(m, [lv('0.40', 20)], [lv('0.62', 50)])), ...P.map((m) => book(m, [lv('0.48', 50)], [lv('0.50', 20)]))].map((b) => [b.marketId, b]),
);

function opportunityOf(i: number, account?: AccountLimits): Opportunity {
  return opportunityOn(K[i] as Market, P[i] as Market, books, account);
}

async function setup(
  settings: Partial<ExecutionSettings>,
  options: { kalshiBalance?: bigint; wrapKalshi?: (v: PaperVenue) => TradingVenue; onAccountChange?: () => void } = {},
): Promise<{ exec: Execution; armed: boolean; reason: string | null; clock: ReturnType<typeof fakeClock> }> {
  const clock = fakeClock();
  const t = await openTestDb(clock.now);
  cleanups.push(t.cleanup);
  const kalshi = new PaperVenue({ id: 'kalshi', bookSource: (id) => books.get(id), now: clock.now, ...(options.kalshiBalance !== undefined ? { startingBalance: options.kalshiBalance } : {}) });
  const polymarket = new PaperVenue({ id: 'polymarket', bookSource: (id) => books.get(id), now: clock.now });
  const exec = createExecution({
    db: t.db,
    sessionId: t.sessionId,
    venues: { kalshi: options.wrapKalshi ? options.wrapKalshi(kalshi) : kalshi, polymarket },
    now: clock.now,
    sleep: clock.sleep,
    settings: { pollIntervalMs: 100, pollDeadlineMs: 2_000, cooldownMs: 1_000, maxQuoteAgeMs: 60_000, maxTradeNotional: 100n * C, ...settings },
    resolveMarket: (venue, id) => [...K, ...P].find((m) => m.venue === venue && m.id === id),
    paper: true,
    ...(options.onAccountChange ? { onAccountChange: options.onAccountChange } : {}),
  });
  const r = await exec.reconcile();
  return { exec, armed: r.armed, reason: r.armed ? null : r.reason, clock };
}

describe('risk gate with attempts under way', () => {
  it('attempts started together share the total-exposure limit: only those that fit are sent', async () => {
    const opportunities = [0, 1, 2].map((i) => opportunityOf(i));
    const notional = (opportunities[0] as Opportunity).totalCost;
    // room for two trades, not three
    const { exec, armed } = await setup({ maxTotalExposure: 2n * notional + notional / 2n });
    expect(armed).toBe(true);
    const started = await Promise.all(opportunities.map((o, i) => exec.start(o, o.size, `q${i}`)));
    const kinds = started.map((s) => s.result.kind);
    expect(kinds.filter((k) => k === 'submitted')).toHaveLength(2);
    const refused = started.find((s) => s.result.kind === 'refused');
    expect(refused?.result).toMatchObject({ reason: expect.stringContaining('open exposure would be') });
    await exec.idle();
    // after the two trades, what they hold is counted from the positions: a fourth does not fit either
    const again = await exec.start(opportunities[2] as Opportunity, (opportunities[2] as Opportunity).size, 'q3');
    expect(again.result).toMatchObject({ kind: 'refused', reason: expect.stringContaining('open exposure would be') });
  });

  it('an attempt under way is spent from the balance: a second one that the balance cannot also pay is refused before anything is sent', async () => {
    const [a, b] = [opportunityOf(0), opportunityOf(1)];
    const kalshiLeg = a.legs[0].cost + a.legs[0].fee;
    // enough Kalshi money for one attempt's leg, not two
    const { exec, armed } = await setup({ maxTotalExposure: 1_000n * C }, { kalshiBalance: kalshiLeg + kalshiLeg / 2n });
    expect(armed).toBe(true);
    const [first, second] = await Promise.all([exec.start(a, a.size, 'q1'), exec.start(b, b.size, 'q2')]);
    expect(first.result.kind).toBe('submitted');
    expect(second.result).toMatchObject({ kind: 'refused', reason: expect.stringContaining('kalshi balance') });
    await exec.idle();
  });

  it('both venues balances are kept after they are read together (the Kalshi one is checked too)', async () => {
    const a = opportunityOf(0);
    const { exec, armed } = await setup({ maxTotalExposure: 1_000n * C }, { kalshiBalance: a.legs[0].cost / 2n });
    expect(armed).toBe(true);
    const started = await exec.start(a, a.size, 'q1');
    expect(started.result).toMatchObject({ kind: 'refused', reason: expect.stringContaining('kalshi balance') });
  });
});

describe("the account view: opportunities sized to what the risk gate lets through", () => {
  it('a venue balance below the full trade cuts the size to one whose leg it pays, and the gate passes that size', async () => {
    const full = opportunityOf(0);
    const kalshiLeg = full.legs[0].cost + full.legs[0].fee;
    const { exec, armed } = await setup({ maxTotalExposure: 1_000n * C }, { kalshiBalance: kalshiLeg / 2n });
    expect(armed).toBe(true);
    expect(exec.check(full, full.size)).toMatchObject({ ok: false, code: 'balance' });
    const account = exec.accountView()(K[0] as Market, P[0] as Market);
    expect(account.kalshi).toBe(kalshiLeg / 2n);
    const sized = opportunityOf(0, account);
    expect(sized.size < full.size).toBe(true);
    expect(sized.legs[0].cost + sized.legs[0].fee <= kalshiLeg / 2n).toBe(true);
    expect(exec.check(sized, sized.size)).toEqual({ ok: true });
    expect((await exec.start(sized, sized.size, 'q1')).result.kind).toBe('submitted');
    await exec.idle();
  });

  it('a balance read that fails makes opportunities not tradable (shown at the size the rest allows), as the gate would refuse them', async () => {
    let failing = false;
    const { exec, armed, clock } = await setup(
      { maxTotalExposure: 1_000n * C },
      { wrapKalshi: (v) => forwardTo(v, { balance: () => (failing ? Promise.reject(new Error('503 from kalshi')) : v.balance()) }) },
    );
    expect(armed).toBe(true);
    expect(exec.accountView()(K[0] as Market, P[0] as Market).balanceUnknown).toBeUndefined();
    failing = true;
    // the balances are read again after an attempt: the Kalshi read fails
    await (await exec.start(opportunityOf(1), opportunityOf(1).size, 'q1')).completion;
    await exec.idle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const account = exec.accountView()(K[0] as Market, P[0] as Market);
    expect(account).toMatchObject({ balanceUnknown: true, kalshi: undefined });
    const shown = opportunityOf(0, account);
    expect(shown).toMatchObject({ size: opportunityOf(0).size, tradable: false, notTradable: ['balance-unknown'] });
    expect(notTradableMessage(shown)).toContain("a venue's balance could not be read");
    expect(exec.check(shown, shown.size)).toMatchObject({ ok: false, code: 'balance' });
    // nothing tradable means no attempt reads the balances again: the account view does, at most every 10 s
    failing = false;
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    exec.accountView();
    await settle();
    expect(exec.accountView()(K[0] as Market, P[0] as Market).balanceUnknown).toBe(true); // read 10 s after the last try, not before
    clock.advance(10_000);
    exec.accountView();
    await settle();
    const again = exec.accountView()(K[0] as Market, P[0] as Market);
    expect(again.balanceUnknown).toBeUndefined();
    expect(opportunityOf(0, again).tradable).toBe(true);
  });

  it('a slow balance read answered after a newer one is not applied over it', async () => {
    let mode: 'fail' | 'slow' | 'fast' | 'ok' = 'ok';
    let releaseSlow: (v: { available: bigint }) => void = () => undefined;
    let slowReads = 0;
    const { exec, clock } = await setup(
      { maxTotalExposure: 1_000n * C },
      {
        wrapKalshi: (v) =>
          forwardTo(v, {
            balance: async () => {
              if (mode === 'fail') throw new Error('503 from kalshi');
              if (mode === 'slow') {
                slowReads += 1;
                return new Promise((resolve) => (releaseSlow = (b) => resolve({ ...b, currency: 'USD' } as never)));
              }
              if (mode === 'fast') return { available: 100n * C, currency: 'USD' } as never;
              return v.balance();
            },
          }),
      },
    );
    mode = 'fail';
    await (await exec.start(opportunityOf(1), opportunityOf(1).size, 'q1')).completion;
    await exec.idle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(exec.accountView()(K[0] as Market, P[0] as Market).balanceUnknown).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // the account view's read hangs; reconciliation's newer read answers first
    mode = 'slow';
    clock.advance(10_000);
    exec.accountView();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(slowReads).toBe(1);
    mode = 'fast';
    expect((await exec.reconcile()).armed).toBe(true);
    expect(exec.accountView()(K[0] as Market, P[0] as Market).kalshi).toBe(100n * C);
    releaseSlow({ available: 5n * C });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(exec.accountView()(K[0] as Market, P[0] as Market).kalshi).toBe(100n * C);
  });

  it("says when what the account can pay for moved: balances read, and an attempt's reservation released", async () => {
    let changes = 0;
    const { exec } = await setup({ maxTotalExposure: 1_000n * C }, { onAccountChange: () => (changes += 1) });
    expect(changes).toBeGreaterThanOrEqual(1); // arming read the balances
    const before = changes;
    const o = opportunityOf(0);
    await (await exec.start(o, o.size, 'q1')).completion;
    await exec.idle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // the balances read after the attempt, then the reservation released
    expect(changes).toBeGreaterThanOrEqual(before + 2);
  });

  it('after a trade, what total exposure has left bounds the next one (held positions and attempts under way count)', async () => {
    const first = opportunityOf(0);
    const { exec } = await setup({ maxTotalExposure: first.totalCost + first.totalCost / 2n });
    expect((await exec.start(first, first.size, 'q1')).result.kind).toBe('submitted');
    // under way: its cost is already counted
    const during = exec.accountView()(K[1] as Market, P[1] as Market);
    expect(during.capital).toBe(first.totalCost / 2n);
    await exec.idle();
    await new Promise((resolve) => setTimeout(resolve, 0)); // the reservation ends once the balances were read again
    const after = exec.accountView()(K[1] as Market, P[1] as Market);
    expect(after.capital !== undefined && after.capital <= first.totalCost / 2n + C / 100n).toBe(true);
    const next = opportunityOf(1);
    expect(exec.check(next, next.size)).toMatchObject({ ok: false, code: 'total-exposure' });
    const sized = opportunityOf(1, after);
    expect(sized.tradable).toBe(true);
    expect(sized.totalCost <= (after.capital ?? 0n)).toBe(true);
    expect(exec.check(sized, sized.size)).toEqual({ ok: true });
  });
});

describe('arming needs both venues to answer', () => {
  it('keys refused by a venue (its balance read fails) keep trading read-only with the venue and the cause', async () => {
    const refused = (v: PaperVenue): TradingVenue =>
      forwardTo(v, {
        balance: () => Promise.reject(new AuthVenueError('401 Unauthorized: INCORRECT_API_KEY_SIGNATURE', { venue: 'kalshi', endpoint: 'GET /portfolio/balance', status: 401 })),
      });
    const { exec, armed, reason } = await setup({}, { wrapKalshi: refused });
    expect(armed).toBe(false);
    expect(reason).toMatch(/kalshi did not answer an authenticated read \(balance\).*401/);
    expect(exec.armed).toBe(false);
    const o = opportunityOf(0);
    expect((await exec.start(o, o.size, 'q')).result).toMatchObject({ kind: 'refused', reason: expect.stringContaining('not armed') });
  });
});
