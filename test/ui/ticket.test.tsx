/** The trade ticket: the exact quote is confirmed; requote, refusal, errors, cancel and size changes. */
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketQuote } from '../../source/app/actions.js';
import { ONE } from '../../source/domain/money.js';
import { d } from './helpers/fixtures.js';
import { harness, type Harness } from './helpers/harness.js';
import { KEYS } from './helpers/terminal.js';

let open: Harness | null = null;
afterEach(() => {
  open?.t.unmount();
  open = null;
});

/** Open the ticket on the Fed pair (second row by net profit). */
async function ticket(options: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = harness(options);
  open = h;
  await h.press('j', KEYS.enter);
  expect(h.frame()).toContain('Trade ticket');
  return h;
}

function confirmed(h: Harness): TicketQuote[] {
  return h.actions.calls.filter((c) => c.name === 'confirm').map((c) => c.args[0] as TicketQuote);
}

describe('trade ticket', () => {
  it('y confirms exactly the quote shown, then closes with the attempt id', async () => {
    const h = await ticket();
    expect(h.frame()).toContain('Quote q-1');
    await h.press('y');
    const [quote] = confirmed(h);
    expect(quote?.quoteId).toBe('q-1');
    expect(quote?.opportunityId).toContain('KXFEDDECISION-26JUN-C25');
    expect(quote?.size).toBe(d('300'));
    expect(h.frame()).not.toContain('Trade ticket');
    expect(h.frame()).toContain('Submitted att-1: see Orders & fills (4).');
  });

  it('a requote shows what moved and asks again; y then confirms the new quote', async () => {
    const h = await ticket();
    const shown = (h.actions.quote(/* the same opportunity */ confirmedId(h)) as { kind: 'quote'; quote: TicketQuote }).quote;
    const moved: TicketQuote = {
      ...shown,
      quoteId: 'q-moved',
      opportunity: {
        ...shown.opportunity,
        legs: [{ ...shown.opportunity.legs[0], vwap: d('0.42'), worstPrice: d('0.43') }, shown.opportunity.legs[1]],
        netProfit: d('10.5'),
      },
    };
    h.actions.calls.length = 0;
    h.actions.confirmResults = [{ kind: 'requote', reason: 'kalshi book moved', quote: moved }];
    await h.press('y');
    const frame = h.frame();
    expect(frame).toContain('The quote moved: kalshi book moved. Nothing was sent.');
    expect(frame).toContain('Changed: kalshi VWAP 0.41 → 0.42 · kalshi worst 0.41 → 0.43 ·');
    expect(frame).toContain('net +$13.67 →');
    expect(frame).toContain('+$10.50');
    expect(frame).toContain('y confirm the NEW quote');
    await h.press('y');
    expect(confirmed(h).map((q) => q.quoteId)).toEqual(['q-1', 'q-moved']);
    expect(h.frame()).toContain('Submitted att-1');
  });

  it('a requote without a new quote (stale books) cannot be confirmed; r quotes again', async () => {
    const h = await ticket();
    h.actions.confirmResults = [{ kind: 'requote', reason: 'quotes went stale', quote: null }];
    await h.press('y');
    expect(h.frame()).toContain('No quote at this size: quotes went stale');
    expect(h.frame()).toContain('r quote again');
    // the ticket's key line says it once
    expect(h.frame().split('\n').find((line) => line.includes('n / Esc cancel'))?.match(/\br (?:quote again|requote)\b/g)).toHaveLength(1);
    await h.press('y');
    expect(confirmed(h)).toHaveLength(1);
    await h.press('r');
    expect(h.frame()).toContain('Quote q-2');
    expect(h.frame()).toContain('y confirm this quote');
  });

  it('a refusal says why and does not submit again on y', async () => {
    const h = await ticket();
    h.actions.confirmResults = [{ kind: 'refused', reason: 'risk: notional above $250 per trade' }];
    await h.press('y');
    expect(h.frame()).toContain('Refused: risk: notional above $250 per trade');
    await h.press('y');
    expect(confirmed(h)).toHaveLength(1);
  });

  it('an error from confirm is shown on the ticket', async () => {
    const h = await ticket();
    h.actions.confirmResults = [new Error('venue timeout: outcome unknown, reconciling')];
    await h.press('y');
    expect(h.frame()).toContain('Error: venue timeout: outcome unknown, reconciling');
  });

  it('one confirmation at a time; cancelling while it runs still reports the outcome', async () => {
    const h = await ticket();
    h.actions.holdConfirm = true;
    await h.press('y', 'y', '+');
    expect(confirmed(h)).toHaveLength(1);
    expect(h.frame()).toContain('Submitting…');
    await h.press(KEYS.escape);
    expect(h.frame()).not.toContain('Trade ticket');
    h.actions.releaseConfirm();
    await h.press();
    expect(h.frame()).toContain('Submitted att-1');
  });

  it('n and Esc cancel without confirming', async () => {
    for (const key of ['n', KEYS.escape]) {
      const h = await ticket();
      await h.press(key);
      expect(h.frame()).not.toContain('Trade ticket');
      expect(confirmed(h)).toHaveLength(0);
      h.t.unmount();
    }
  });

  it('size: + and − step by one contract, digits type a size, Backspace edits, too large is explained', async () => {
    const h = await ticket();
    await h.press('-', '-');
    expect(h.frame()).toContain('Size 298 contracts');
    await h.press('+');
    expect(h.frame()).toContain('Size 299 contracts');
    await h.press('2', '5');
    expect(h.actions.calls.at(-1)?.args[1]).toBe(25n * ONE);
    expect(h.frame()).toContain('Total cost $23.86');
    await h.press(KEYS.backspace);
    expect(h.actions.calls.at(-1)?.args[1]).toBe(2n * ONE);
    await h.press('0', '0', '0');
    // more than the books offer: the quote is for what they do, and the ticket says so
    expect(h.actions.calls.at(-1)?.args[1]).toBe(2000n * ONE);
    expect(h.frame()).toContain('y trades 300: you asked for 2,000, and 300 is the best this quote offers');
    // − never goes below one contract
    await h.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await h.press('1', '-');
    expect(h.actions.calls.at(-1)?.args[1]).toBe(ONE);
    expect(h.frame()).not.toContain('you asked for');
    // a second '.' is not taken: the field shows what was quoted
    await h.press(KEYS.backspace, '1', '0', '.', '5', '.', '5');
    expect(h.frame()).toContain('Size 10.55 contracts');
    expect(h.actions.calls.at(-1)?.args[1]).toBe(10_550_000n);
    await h.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    // y trades the size quoted, not the size asked for
    await h.press('2', '0', '0', '0');
    await h.press('y');
    expect(confirmed(h).map((q) => q.size)).toEqual([300n * ONE]);
  });

  it('at 80 columns the size y trades, when less than asked, is wrapped into view, not cut; a leading zero typed is dropped', async () => {
    const h = await ticket({ columns: 80 });
    await h.press('5', '0', '0', '0');
    const frame = h.frame();
    expect(frame).toContain('y trades 300: you asked for 5,000');
    expect(frame.replace(/[│\s]+/g, ' ')).toContain("(books' depth, fees, per-trade limit)");
    await h.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, '0', '9');
    expect(h.frame()).toContain('Size 9 contracts');
    expect(h.actions.calls.at(-1)?.args[1]).toBe(9n * ONE);
  });

  it('Backspace with nothing typed edits the size shown, and digits then extend it', async () => {
    const h = await ticket();
    await h.press('-');
    expect(h.frame()).toContain('Size 299 contracts');
    await h.press(KEYS.backspace);
    expect(h.actions.calls.at(-1)?.args[1]).toBe(29n * ONE);
    await h.press('5');
    expect(h.actions.calls.at(-1)?.args[1]).toBe(295n * ONE);
    expect(h.frame()).toContain('295');
  });

  it('quote ages grow with the snapshot time and the stale flag shows', async () => {
    const h = await ticket();
    h.clock.advance(6_000);
    h.store.update((dr) => {
      for (const [id, o] of dr.opportunities) dr.opportunities.set(id, { ...o, notTradable: ['stale-quote'], tradable: false });
    });
    await h.press();
    expect(h.frame()).toContain('Quote q-1 at 14:00:00 (6.0s ago)');
    await h.press('r');
    expect(h.frame()).toContain('Not tradable now: quote too old');
    // y does not promise a trade: it re-reads the books and trades only if they make the quote tradable
    expect(h.frame()).toContain('y recheck & confirm if tradable');
    expect(h.frame()).not.toContain('y confirm this quote');
    h.actions.confirmResults = [{ kind: 'refused', reason: 'not tradable: quote too old' }];
    await h.press('y');
    expect(h.frame()).toContain('Refused: not tradable: quote too old');
  });

  it('a quote on a pair nobody approved does not offer y, and says how to approve it', async () => {
    const h = harness();
    open = h;
    h.store.update((dr) => {
      for (const [id, o] of dr.opportunities) dr.opportunities.set(id, { ...o, notTradable: ['not-approved'], tradable: false });
    });
    h.clock.advance(1_000); // the store publishes at a bounded rate
    await h.press();
    await h.press('j', KEYS.enter);
    expect(h.frame()).toContain('Not tradable now: pair not approved');
    expect(h.frame()).toContain('approve the pair to trade it (2, a)');
    expect(h.frame()).not.toMatch(/y (?:confirm|recheck)/);
  });

  it('monitor mode explains instead of quoting; a closed opportunity is not quoted', async () => {
    const m = harness({ session: { mode: 'monitor' } });
    open = m;
    await m.press(KEYS.enter);
    expect(m.frame()).toContain('--mode paper');
    expect(m.actions.calls).toHaveLength(0);
    m.t.unmount();

    const h = harness();
    open = h;
    h.clock.advance(100);
    h.store.update((dr) => {
      const id = [...dr.opportunities.keys()].find((k) => k.startsWith('KXBTCMAX'))!;
      const o = dr.opportunities.get(id)!;
      dr.opportunities.delete(id);
      dr.closed.push({ opportunity: o, closedAt: h.clock.now() });
    });
    await h.press(KEYS.enter);
    expect(h.frame()).toContain('That opportunity has closed.');
    expect(h.actions.calls).toHaveLength(0);
  });
});

function confirmedId(h: Harness): string {
  const first = h.actions.calls.find((c) => c.name === 'quote');
  return first?.args[0] as string;
}
