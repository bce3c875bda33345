import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnWidths } from '../../source/ui/components/table.js';
import { layoutFor, listRows, ordersSplit } from '../../source/ui/layout.js';
import { logRows, opportunityRows, pairLabel, pairRows, pnlTotals } from '../../source/ui/rows.js';
import { distinctLabels, explicitMarketLabel, marketLabel, outcomeOf, type Market } from '../../source/domain/market.js';
import { matchesFilter } from '../../source/ui/format/text.js';
import type { PairView } from '../../source/store/store.js';
import type { Opportunity } from '../../source/engine/detector.js';
import { cycleView, initialUiState, moveCursor, selectedIndex, setFilter, windowTop, type UiState } from '../../source/ui/state.js';
import { d, filledStore, manualClock, market, opportunitiesFor, PAIRS } from './helpers/fixtures.js';

describe('cursor and window', () => {
  it('the cursor follows its row when rows reorder, and keeps its place when the row goes', () => {
    let s = initialUiState();
    s = moveCursor(s, ['a', 'b', 'c', 'd'], { kind: 'by', delta: 2 }, 10);
    expect(s.positions.opportunities).toMatchObject({ key: 'c', index: 2 });
    expect(selectedIndex(s.positions.opportunities, ['c', 'a', 'b', 'd'])).toBe(0);
    expect(selectedIndex(s.positions.opportunities, ['a', 'b', 'd'])).toBe(2);
    expect(selectedIndex(s.positions.opportunities, ['a'])).toBe(0);
    expect(selectedIndex(s.positions.opportunities, [])).toBe(-1);
  });

  it('moves stay within the list; top and bottom jump', () => {
    let s = initialUiState();
    const keys = ['a', 'b', 'c'];
    s = moveCursor(s, keys, { kind: 'by', delta: -5 }, 10);
    expect(s.positions.opportunities.key).toBe('a');
    s = moveCursor(s, keys, { kind: 'bottom' }, 10);
    expect(s.positions.opportunities.key).toBe('c');
    s = moveCursor(s, keys, { kind: 'by', delta: 5 }, 10);
    expect(s.positions.opportunities.key).toBe('c');
    s = moveCursor(s, keys, { kind: 'top' }, 10);
    expect(s.positions.opportunities.key).toBe('a');
    expect(moveCursor(s, [], { kind: 'by', delta: 1 }, 10)).toBe(s);
  });

  it('the selected row is always inside the rendered window, which never runs past the list', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 30 }),
        (count, height, moves) => {
          const keys = Array.from({ length: count }, (_, i) => `k${i}`);
          let s: UiState = initialUiState();
          for (const m of moves) {
            s = moveCursor(s, keys, { kind: 'by', delta: m }, height);
            const pos = s.positions.opportunities;
            const sel = selectedIndex(pos, keys);
            const top = windowTop(pos.top, sel, height, count);
            expect(top).toBe(pos.top);
            expect(sel >= top && sel < top + height).toBe(true);
            expect(top + Math.min(height, count) <= count).toBe(true);
          }
        },
      ),
    );
  });

  it('a new filter starts at the first row; views cycle both ways', () => {
    let s = moveCursor(initialUiState(), ['a', 'b'], { kind: 'by', delta: 1 }, 10);
    s = setFilter(s, 'fed');
    expect(s.filters.opportunities).toBe('fed');
    expect(s.positions.opportunities.key).toBeNull();
    expect(cycleView(s, 1).view).toBe('pairs');
    expect(cycleView(s, -1).view).toBe('log');
  });
});

describe('layout', () => {
  it('80x24 is the minimum; the frame leaves the last line free', () => {
    expect(layoutFor(80, 24)).toEqual({ columns: 80, rows: 24, tooSmall: false, frameRows: 23, contentRows: 18 });
    expect(layoutFor(79, 24).tooSmall).toBe(true);
    expect(layoutFor(80, 23).tooSmall).toBe(true);
    expect(listRows('opportunities', 18)).toBe(17);
    expect(listRows('pairs', 18)).toBe(12);
    expect(ordersSplit(18)).toEqual({ orders: 8, fills: 8 });
  });

  it('table columns take whole characters and fill the width exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 300 }), fc.integer({ min: 1, max: 3 }), (width, flex) => {
        const cols = [
          { id: 'a', header: 'A', width: 5, cell: () => '' },
          ...Array.from({ length: flex }, (_, i) => ({ id: `f${i}`, header: 'F', width: 'flex' as const, cell: () => '' })),
          { id: 'b', header: 'B', width: 7, cell: () => '' },
        ];
        const widths = columnWidths(cols, width, true);
        expect(widths.every((w) => Number.isInteger(w) && w >= 1)).toBe(true);
        expect(widths.reduce((a, b) => a + b, 0) + cols.length - 1 + 2).toBe(width);
      }),
    );
  });
});

describe('rows', () => {
  it('opportunities sort by net profit or by annualised return (unknown last)', () => {
    const { store } = filledStore();
    const snap = store.getSnapshot();
    const byNet = opportunityRows(snap, 'net', '').map((r) => r.opportunity.netProfit);
    expect(byNet).toEqual([...byNet].sort((a, b) => (b > a ? 1 : b < a ? -1 : 0)));
    const byAnn = opportunityRows(snap, 'annualised', '').map((r) => r.opportunity.annualizedReturn);
    expect(byAnn[byAnn.length - 1]).toBeNull();
    const known = byAnn.filter((x): x is bigint => x !== null);
    expect(known).toEqual([...known].sort((a, b) => (b > a ? 1 : b < a ? -1 : 0)));
    expect(opportunityRows(snap, 'net', 'thunder').map((r) => r.key)).toEqual([expect.stringContaining('KXNBA')]);
  });

  it('a closed opportunity keeps its place (faded) until the store drops it', () => {
    const clock = manualClock();
    const { store } = filledStore({ clock });
    const before = opportunityRows(store.getSnapshot(), 'net', '').map((r) => r.key);
    const gone = before[1]!;
    clock.advance(200);
    store.update((dr) => {
      const o = dr.opportunities.get(gone)!;
      dr.opportunities.delete(gone);
      dr.closed.push({ opportunity: o, closedAt: clock.now() });
    });
    const during = opportunityRows(store.getSnapshot(), 'net', '');
    expect(during.map((r) => r.key)).toEqual(before);
    expect(during[1]?.closedAt).toBe(clock.now());
    clock.advance(3_500);
    expect(opportunityRows(store.getSnapshot(), 'net', '').map((r) => r.key)).toEqual(before.filter((k) => k !== gone));
  });

  it('an opportunity open again is listed once, as open', () => {
    const clock = manualClock();
    const { store } = filledStore({ clock });
    const o = opportunitiesFor(PAIRS[0]!, clock.now())[0]!;
    store.update((dr) => dr.closed.push({ opportunity: o, closedAt: clock.now() }));
    const rows = opportunityRows(store.getSnapshot(), 'net', '').filter((r) => r.key === o.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.closedAt).toBeNull();
  });

  it('pairs: candidates first, then approved, then rejected, by confidence', () => {
    const { store } = filledStore();
    expect(pairRows(store.getSnapshot(), '').map((p) => [p.status, p.confidence])).toEqual([
      ['candidate', d('0.81')],
      ['approved', d('0.97')],
      ['approved', d('0.93')],
      ['rejected', d('0.62')],
    ]);
  });

  it('pairs: a filter lists what a fresh scan of every pair lists, typed, extended, shortened or changed', () => {
    // the reference: every pair's text scanned anew, sorted as the Pairs view sorts
    const reference = (pairs: readonly PairView[], filter: string): string[] =>
      pairs
        .filter((p) =>
          matchesFilter([p.key, p.status, p.relation, explicitMarketLabel(p.kalshi), explicitMarketLabel(p.polymarket), ...p.reasons, ...p.warnings].join(' '), filter),
        )
        .sort((a, b) => ['candidate', 'approved', 'rejected'].indexOf(a.status) - ['candidate', 'approved', 'rejected'].indexOf(b.status) || Number(b.confidence - a.confidence) || (a.key < b.key ? -1 : 1))
        .map((p) => p.key);
    const words = ['Fed', 'cuts', 'Lazio', 'Inter', 'win', '2026', 'June', 'draw', 'Über', 'goals'];
    const view = (i: number): PairView => ({
      key: `KX-${i}|0x${i.toString(16)}`,
      kalshi: market('kalshi', `KX-${i}`, `${words[i % 10]} ${words[(i * 7) % 10]} ${i}?`),
      polymarket: market('polymarket', `0x${i.toString(16)}`, `Will ${words[(i * 3) % 10]} ${words[(i + 4) % 10]}?`),
      relation: i % 4 === 0 ? 'inverse' : 'same',
      polymarketOutcome: 'Yes',
      status: i % 5 === 0 ? 'rejected' : i % 3 === 0 ? 'candidate' : 'approved',
      confidence: d(`0.${String(50 + ((i * 37) % 50)).padStart(2, '0')}`),
      reasons: [`same outcome: ${words[(i * 5) % 10]?.toLowerCase()}`],
      warnings: i % 6 === 0 ? ['only Polymarket states the year'] : [],
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...'fedcutslazioin 2026übergoalswYEARx'.split('')).map((c) => ({ type: 'char' as const, c })),
            fc.constant({ type: 'backspace' as const }),
            fc.constant({ type: 'clear' as const }),
            fc.integer({ min: 0, max: 59 }).map((i) => ({ type: 'change' as const, i })),
          ),
          { maxLength: 25 },
        ),
        (edits) => {
          const { store } = filledStore();
          store.update((dr) => {
            for (let i = 0; i < 60; i += 1) dr.pairs.set(view(i).key, view(i));
          });
          store.flush();
          let filter = '';
          for (const e of edits) {
            if (e.type === 'char') filter += e.c;
            else if (e.type === 'backspace') filter = filter.slice(0, -1);
            else if (e.type === 'clear') filter = '';
            else {
              // a pair changes: its new view is searched by its new text
              const old = view(e.i);
              store.update((dr) => dr.pairs.set(old.key, { ...old, reasons: ['changed: goals fed'], status: 'candidate' }));
              store.flush();
            }
            const snap = store.getSnapshot();
            expect(pairRows(snap, filter).map((p) => p.key)).toEqual(reference(snap.pairs, filter));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('pairs: listed once per set of pairs and filter (the same rows while neither changes), anew when either does', () => {
    const { store } = filledStore();
    const snap = store.getSnapshot();
    const rows = pairRows(snap, '');
    expect(pairRows(snap, '')).toBe(rows);
    // a later snapshot with the same pairs: the same rows
    store.log('info', 'x');
    store.flush();
    expect(store.getSnapshot()).not.toBe(snap);
    expect(pairRows(store.getSnapshot(), '')).toBe(rows);
    // another filter, then back: listed anew, the same order
    const filtered = pairRows(store.getSnapshot(), 'zzz-no-such-pair');
    expect(filtered).toEqual([]);
    const again = pairRows(store.getSnapshot(), '');
    expect(again).toEqual(rows);
    // a pair decided: listed anew, in its new place
    const candidate = rows[0]!;
    store.update((d) => d.pairs.set(candidate.key, { ...candidate, status: 'rejected' }));
    store.flush();
    const after = pairRows(store.getSnapshot(), '');
    expect(after).not.toBe(again);
    expect(after.map((p) => p.status)).toEqual(['approved', 'approved', 'rejected', 'rejected']);
    expect(after.find((p) => p.key === candidate.key)?.status).toBe('rejected');
  });

  it('log rows are newest first with keys that survive new entries', () => {
    const clock = manualClock();
    const { store } = filledStore({ clock });
    const first = logRows(store.getSnapshot(), '');
    clock.advance(1_000);
    store.log('info', 'another');
    const second = logRows(store.getSnapshot(), '');
    expect(second[0]?.entry.message).toBe('another');
    expect(second.slice(1).map((r) => r.key)).toEqual(first.map((r) => r.key));
    expect(logRows(store.getSnapshot(), 'error').map((r) => r.entry.level)).toEqual(['error']);
  });

  it('P&L totals: cost, mark, unrealised on marked positions only, realised', () => {
    const { store } = filledStore();
    const positions = store.getSnapshot().positions;
    expect(pnlTotals(positions)).toEqual({ cost: d('95.43'), markValue: d('93'), unrealised: d('-2.43'), realised: d('1.25'), unmarked: 0 });
    const unmarked = positions.map((p, i) => (i === 0 ? { ...p, markValue: null } : p));
    expect(pnlTotals(unmarked)).toMatchObject({ markValue: d('50'), unrealised: d('-2.75'), unmarked: 1 });
  });
});

describe('pairLabel: rows of one event are told apart by their outcome', () => {
  const leg = (over: Partial<Market>) => ({ market: market('kalshi', 'KXEPL1H-26MAY16NEWWHU-TIE', 'Newcastle vs West Ham: First Half Winner?', { eventId: 'KXEPL1H-26MAY16NEWWHU', subtitle: null, ...over }) });
  const of = (over: Partial<Market>) => ({ legs: [leg(over), leg({})] }) as unknown as Opportunity;
  it('the subtitle first when the title does not say it; else the ticker part after the event; said even when the title names it (the market stands alone)', () => {
    expect(pairLabel(of({ subtitle: 'Tie' }))).toBe('Tie · Newcastle vs West Ham: First Half Winner?');
    expect(pairLabel(of({}))).toBe('TIE · Newcastle vs West Ham: First Half Winner?');
    expect(pairLabel(of({ subtitle: 'Newcastle' }))).toBe('Newcastle · Newcastle vs West Ham: First Half Winner?');
    expect(marketLabel(market('kalshi', 'KXEPL1H-26MAY16NEWWHU-NEW', 'Newcastle vs West Ham: First Half Winner?', { subtitle: 'Newcastle' }))).toBe('Newcastle vs West Ham: First Half Winner?');
    // a strike's index in the ticker ("…-1") is no outcome
    expect(explicitMarketLabel(market('kalshi', 'KXTOTAL-26MAY16PALCRU-1', 'Will over 1.5 goals be scored?', { eventId: 'KXTOTAL-26MAY16PALCRU', eventTitle: 'Will over 1.5 goals be scored?', subtitle: null }))).toBe('Will over 1.5 goals be scored?');
    expect(pairLabel(of({ id: 'KXFED-26JUN-T4.00', eventId: 'OTHER', title: 'Fed above 4.00%?', eventTitle: 'Fed above 4.00%?' }))).toBe('Fed above 4.00%?');
    expect(outcomeOf(market('kalshi', 'KXA-26-T1', 'Will T1 win?', { eventId: 'KXA-26', subtitle: null }))).toBeNull();
  });

  it('the event when the title does not name it: a title every game of a league shares is told apart by its game', () => {
    const goals = (eventTitle: string) => market('polymarket', '0x1', 'Will over 1.5 goals be scored?', { eventTitle });
    expect(marketLabel(goals('Palmeiras vs. Cruzeiro'))).toBe('Palmeiras vs. Cruzeiro · Will over 1.5 goals be scored?');
    expect(marketLabel(goals('Brighton vs. Man Utd'))).not.toBe(marketLabel(goals('Palmeiras vs. Cruzeiro')));
    // a title that contains its event is not repeated; a title that is a part of it is given its event
    expect(marketLabel(market('kalshi', 'KX-1', 'Lazio vs Inter Winner?', { eventTitle: 'Lazio vs Inter' }))).toBe('Lazio vs Inter Winner?');
    expect(marketLabel(market('polymarket', '0x2', 'Inter', { eventTitle: 'Lazio vs Inter Winner?' }))).toBe('Lazio vs Inter Winner? · Inter');
    // outcome, then event, then title
    expect(marketLabel(market('kalshi', 'KXEPL-26-TIE', 'First Half Winner?', { eventId: 'KXEPL-26', eventTitle: 'Newcastle vs West Ham', subtitle: null }))).toBe(
      'TIE · Newcastle vs West Ham · First Half Winner?',
    );
  });
});

describe('names of the markets of one list', () => {
  it('the short name where it is unique in the list, the name with its event where two would read the same', () => {
    const goals = (id: string, eventTitle: string) => market('polymarket', id, 'Will over 1.5 goals be scored?', { eventTitle });
    const labels = distinctLabels([goals('0x1', 'Palmeiras vs. Cruzeiro'), goals('0x2', 'Brighton vs. Man Utd'), market('polymarket', '0x3', 'Will over 2.5 goals be scored?', { eventTitle: 'Palmeiras vs. Cruzeiro' })]);
    expect(labels.get('polymarket|0x1')).toBe('Palmeiras vs. Cruzeiro · Will over 1.5 goals be scored?');
    expect(labels.get('polymarket|0x2')).toBe('Brighton vs. Man Utd · Will over 1.5 goals be scored?');
    expect(labels.get('polymarket|0x3')).toBe('Will over 2.5 goals be scored?');
    // the outcome in the title for every market of the event: the subtitle (or the ticker) says which
    const winner = (id: string, subtitle: string) => market('kalshi', id, 'Lazio vs Inter Winner?', { eventId: 'KXGAME', eventTitle: 'Lazio vs Inter', subtitle });
    const game = distinctLabels([winner('KXGAME-LAZ', 'Lazio'), winner('KXGAME-INT', 'Inter')]);
    expect([...game.values()]).toEqual(['Lazio · Lazio vs Inter Winner?', 'Inter · Lazio vs Inter Winner?']);
  });
});

describe('footer hints', () => {
  it('whole hints while they fit, none cut in the middle', async () => {
    const { fittingHints } = await import('../../source/ui/components/footer.js');
    expect(fittingHints(['↓/j move', 'q quit', 'K kill', 'e export'], 24)).toBe('↓/j move  q quit  K kill');
    expect(fittingHints(['↓/j move', 'q quit'], 5)).toBe('');
    expect(fittingHints(['a', 'b'], 80)).toBe('a  b');
  });
});

describe('an empty opportunities list says what it waits on', () => {
  it('venues not answering, no pair yet, or pairs watched (found in review: "pairs are being watched" with none and both venues down)', async () => {
    const { emptyOpportunities } = await import('../../source/ui/screens/opportunities.js');
    const venue = (state: string) => ({ state }) as never;
    const pair = (status: string) => ({ status }) as never;
    expect(emptyOpportunities({ venues: { kalshi: venue('unreachable'), polymarket: venue('connecting') }, pairs: [] })).toBe('No prices yet: kalshi and polymarket not answering (second line).');
    expect(emptyOpportunities({ venues: { kalshi: venue('live'), polymarket: venue('unreachable') }, pairs: [] })).toBe('No prices yet: polymarket not answering (second line).');
    expect(emptyOpportunities({ venues: { kalshi: venue('live'), polymarket: venue('live') }, pairs: [] })).toContain('No pairs yet');
    expect(emptyOpportunities({ venues: { kalshi: venue('live'), polymarket: venue('unreachable') }, pairs: [pair('approved'), pair('candidate')] })).toBe(
      'No opportunities right now. 2 pairs watched, 1 approved.',
    );
  });
});

describe('ticket lines in a small terminal', () => {
  it('the lines that must be seen (what happened, the kill switch, what y trades) stay; the others give way, in order', async () => {
    const { fitTicketLines } = await import('../../source/ui/screens/ticket.js');
    const line = (key: string) => ({ key, text: key, tone: 'plain' as const });
    const lines = ['title', 'k-event', 'pm-title', 'head', 'leg1', 'leg2', 'cost', 'net', 'ages', 'asked', 'asked.1', 'w0', 'w0.1', 'halted', 'phase', 'diff0'].map(line);
    expect(fitTicketLines(lines, 20).map((l) => l.key)).toEqual(lines.map((l) => l.key));
    expect(fitTicketLines(lines, 10).map((l) => l.key)).toEqual(['title', 'k-event', 'pm-title', 'head', 'leg1', 'asked', 'asked.1', 'halted', 'phase', 'diff0']);
    // fewer rows still: what happened and the kill switch first
    expect(fitTicketLines(lines, 4).map((l) => l.key)).toEqual(['asked', 'halted', 'phase', 'diff0']);
  });
});

describe('the pairs filter reads what the rows show', () => {
  it('a pair is found by its event and outcome, not only its titles', () => {
    const snapshot = {
      pairs: [
        { key: 'K|0x1', status: 'approved', relation: 'same', kalshi: market('kalshi', 'KXG-1', 'Will over 1.5 goals be scored?', { eventTitle: 'Palmeiras vs Cruzeiro' }), polymarket: market('polymarket', '0x1', 'O/U 1.5', { eventTitle: 'Palmeiras vs Cruzeiro' }), reasons: [], warnings: [] },
        { key: 'K|0x2', status: 'approved', relation: 'same', kalshi: market('kalshi', 'KXG-2', 'Will over 1.5 goals be scored?', { eventTitle: 'Brighton vs Man Utd' }), polymarket: market('polymarket', '0x2', 'O/U 1.5', { eventTitle: 'Brighton vs Man Utd' }), reasons: [], warnings: [] },
      ],
    } as never;
    expect(pairRows(snapshot, 'palmeiras').map((p) => p.key)).toEqual(['K|0x1']);
  });
});

describe('position names', () => {
  it('the short name where no other position of its venue reads the same, else the name with its event', async () => {
    const { positionNames } = await import('../../source/ui/screens/positions.js');
    const p = (marketId: string, shortTitle: string, title: string, venue: 'kalshi' | 'polymarket' = 'kalshi') => ({ venue, marketId, shortTitle, title }) as never;
    const rows = [
      p('K1', 'Will over 1.5 goals be scored?', 'Palmeiras vs Cruzeiro · Will over 1.5 goals be scored?'),
      p('K2', 'Will over 1.5 goals be scored?', 'Brighton vs Man Utd · Will over 1.5 goals be scored?'),
      p('K3', 'Will over 2.5 goals be scored?', 'Palmeiras vs Cruzeiro · Will over 2.5 goals be scored?'),
      p('0x1', 'Will over 1.5 goals be scored?', 'Palmeiras vs Cruzeiro · Will over 1.5 goals be scored?', 'polymarket'),
    ];
    const name = positionNames(rows);
    expect(rows.map(name)).toEqual([
      'Palmeiras vs Cruzeiro · Will over 1.5 goals be scored?',
      'Brighton vs Man Utd · Will over 1.5 goals be scored?',
      'Will over 2.5 goals be scored?',
      'Will over 1.5 goals be scored?',
    ]);
  });
});
