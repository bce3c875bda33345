/**
 * Synthetic traps, one per veto: the true pair is proposed, the look-alike
 * sibling (other threshold, date, district, candidate, line, half, comparator,
 * polarity) is not, and `explain` names the reason.
 */
import { describe, expect, it } from 'vitest';
import type { Market } from '../../source/domain/market.js';
import { matchMarkets } from '../../source/matching/matcher.js';
import { kalshiMarket, polyMarket } from './market-factory.js';

function run(kalshi: Market[], poly: Market[]) {
  const { matcher, proposals } = matchMarkets(kalshi, poly);
  const proposed = (k: string, p: string) => proposals.find((c) => c.kalshiTicker === k && c.polymarketConditionId === p);
  return { matcher, proposals, proposed };
}

describe('threshold trap', () => {
  const kalshi = ['100000', '105000', '110000'].map((n) =>
    kalshiMarket({ ticker: `KXBTCY-26DEC31-T${n}`, event: 'KXBTCY-26DEC31', eventTitle: 'Bitcoin price at the end of 2026', title: `Will Bitcoin be above $${Number(n).toLocaleString('en-US')} on Dec 31, 2026?` }),
  );
  const poly = [
    polyMarket({ id: '0xp105', event: 'e1', eventTitle: 'Bitcoin above ___ on December 31?', question: 'Will Bitcoin be above $105,000 on December 31, 2026?' }),
  ];
  it('pairs the same strike and vetoes the neighbouring strikes', () => {
    const r = run(kalshi, poly);
    expect(r.proposed('KXBTCY-26DEC31-T105000', '0xp105')?.relation).toBe('same');
    expect(r.proposals).toHaveLength(1);
    const trap = r.matcher.explain('KXBTCY-26DEC31-T100000', '0xp105');
    expect(trap?.relation).toBe('different');
    expect(trap?.vetoes.join(' ')).toMatch(/numbers differ/);
  });
});

describe('date trap', () => {
  const kalshi = [
    kalshiMarket({ ticker: 'KXRECOG-27', event: 'KXRECOG', eventTitle: 'When will the treaty be ratified?', title: 'Will the treaty be ratified before 2027?' }),
    kalshiMarket({ ticker: 'KXRECOG-26JUL', event: 'KXRECOG', eventTitle: 'When will the treaty be ratified?', title: 'Will the treaty be ratified before July 2026?' }),
  ];
  const poly = [polyMarket({ id: '0xend26', event: 'e2', eventTitle: 'Treaty ratified by end of 2026?', question: 'Treaty ratified by end of 2026?' })];
  it('"before 2027" = "by end of 2026"; "before July 2026" is vetoed', () => {
    const r = run(kalshi, poly);
    expect(r.proposed('KXRECOG-27', '0xend26')?.relation).toBe('same');
    const trap = r.matcher.explain('KXRECOG-26JUL', '0xend26');
    expect(trap?.relation).toBe('different');
    expect(trap?.vetoes.join(' ')).toMatch(/deadline differs: Kalshi 2026-06-30 vs Polymarket 2026-12-31/);
  });
  it('"in 2026" pairs with "before 2027" too, and another year is vetoed', () => {
    const r = run(
      [kalshiMarket({ ticker: 'KXX-26', event: 'KXX', eventTitle: 'Treaty ratified?', title: 'Will the treaty be ratified in 2026?' }),
       kalshiMarket({ ticker: 'KXX-28', event: 'KXX', eventTitle: 'Treaty ratified?', title: 'Will the treaty be ratified in 2028?' })],
      [polyMarket({ id: '0xb27', event: 'e', eventTitle: 'Treaty', question: 'Will the treaty be ratified before 2027?' })],
    );
    expect(r.proposed('KXX-26', '0xb27')).toBeDefined();
    expect(r.matcher.explain('KXX-28', '0xb27')?.vetoes.join(' ')).toMatch(/deadline differs/);
  });
});

describe('district trap', () => {
  const kalshi = ['D', 'R'].map((p) =>
    kalshiMarket({ ticker: `HOUSENC1-26-${p}`, event: 'HOUSENC1-26', eventTitle: 'NC-01 House winner?', title: `Will ${p === 'D' ? 'Democratic' : 'Republican'} win the House race for NC-1?` }),
  );
  const poly = [
    polyMarket({ id: '0xnc01r', event: 'p1', eventTitle: 'NC-01 House Election Winner', question: 'Will the Republican Party win the NC-01 House seat?' }),
    polyMarket({ id: '0xnc01d', event: 'p1', eventTitle: 'NC-01 House Election Winner', question: 'Will the Democratic Party win the NC-01 House seat?' }),
    polyMarket({ id: '0xnc02r', event: 'p2', eventTitle: 'NC-02 House Election Winner', question: 'Will the Republican Party win the NC-02 House seat?' }),
  ];
  it('NC-1 = NC-01; NC-02 is vetoed; the other party is vetoed', () => {
    const r = run(kalshi, poly);
    expect(r.proposed('HOUSENC1-26-R', '0xnc01r')).toBeDefined();
    expect(r.proposed('HOUSENC1-26-D', '0xnc01d')).toBeDefined();
    expect(r.proposals).toHaveLength(2);
    expect(r.matcher.explain('HOUSENC1-26-R', '0xnc02r')?.vetoes.join(' ')).toMatch(/district differs/);
    expect(r.matcher.explain('HOUSENC1-26-D', '0xnc01r')?.vetoes.join(' ')).toMatch(/party differs|outcome/);
  });
});

describe('candidate trap', () => {
  const names = ['Kathy Hochul', 'Andrew Cuomo', 'Antonio Delgado'];
  const kalshi = names.map((n, i) =>
    kalshiMarket({ ticker: `KXGOVNYNOMD-26-${i}`, event: 'KXGOVNYNOMD-26', eventTitle: 'New York Democratic Governor nominee?', title: `Will ${n} be the Democratic nominee for Governor in New York?` }),
  );
  const poly = [
    polyMarket({ id: '0xhochul', event: 'p', eventTitle: 'New York Democratic Governor Primary Winner', question: 'Will Kathy Hochul win the 2026 New York Democratic Gubernatorial Primary?' }),
    polyMarket({ id: '0xcanda', event: 'p', eventTitle: 'New York Democratic Governor Primary Winner', question: 'Will Candidate A win the 2026 New York Democratic Gubernatorial Primary?' }),
  ];
  it('pairs the same person only; another person and a placeholder are vetoed', () => {
    const r = run(kalshi, poly);
    expect(r.proposed('KXGOVNYNOMD-26-0', '0xhochul')).toBeDefined();
    expect(r.proposals).toHaveLength(1);
    expect(r.matcher.explain('KXGOVNYNOMD-26-1', '0xhochul')?.vetoes.join(' ')).toMatch(/not named by the Polymarket market/);
    expect(r.matcher.explain('KXGOVNYNOMD-26-1', '0xcanda')?.vetoes.join(' ')).toMatch(/placeholder/);
  });
  it('a sibling sharing a word of the name is vetoed as another outcome', () => {
    const r = run(
      [kalshiMarket({ ticker: 'KXPER-26-CAJ', event: 'KXPER-26', eventTitle: 'Liga 1 Peru Champion', title: 'Will UTC de Cajamarca win the Liga 1 Peru?' }),
       kalshiMarket({ ticker: 'KXPER-26-CAJ2', event: 'KXPER-26', eventTitle: 'Liga 1 Peru Champion', title: 'Will FC Cajamarca win the Liga 1 Peru?' })],
      [polyMarket({ id: '0xutc', event: 'p', eventTitle: 'Peru Liga 1: Winner', question: 'Will UTC Cajamarca win Peru Liga 1?' })],
    );
    expect(r.proposed('KXPER-26-CAJ', '0xutc')).toBeDefined();
    expect(r.matcher.explain('KXPER-26-CAJ2', '0xutc')?.vetoes.join(' ')).toMatch(/another Kalshi outcome/);
  });
});

describe('line trap', () => {
  const kalshi = ['1', '2', '3'].map((n) =>
    kalshiMarket({ ticker: `KXEPLTOTAL-26MAY24ARSCHE-${n}`, event: 'KXEPLTOTAL-26MAY24ARSCHE', eventTitle: 'Arsenal vs Chelsea: Total Goals', title: `Will over ${n}.5 goals be scored?` }),
  );
  const poly = [
    polyMarket({ id: '0xou25', event: 'p', eventTitle: 'Arsenal FC vs. Chelsea FC - More Markets', question: 'Arsenal FC vs. Chelsea FC: O/U 2.5' }),
    polyMarket({ id: '0xsp15', event: 'p', eventTitle: 'Arsenal FC vs. Chelsea FC - More Markets', question: 'Spread: Arsenal FC (-1.5)' }),
  ];
  it('over 2.5 = Over of O/U 2.5; other lines and the spread are vetoed', () => {
    const r = run(kalshi, poly);
    const c = r.proposed('KXEPLTOTAL-26MAY24ARSCHE-2', '0xou25');
    expect(c?.relation).toBe('same');
    expect(c?.polymarketOutcome).toBe('Over');
    expect(r.proposals).toHaveLength(1);
    expect(r.matcher.explain('KXEPLTOTAL-26MAY24ARSCHE-3', '0xou25')?.vetoes.join(' ')).toMatch(/numbers differ/);
    expect(r.matcher.explain('KXEPLTOTAL-26MAY24ARSCHE-1', '0xsp15')?.vetoes.join(' ')).toMatch(/statistic differs/);
  });
  it('another game with the same team is vetoed', () => {
    const r = run(
      [kalshiMarket({ ticker: 'KXSP-26MAY16BMUKOE-KOE2', event: 'KXSP-26MAY16BMUKOE', eventTitle: 'Bayern Munich vs FC Köln: Spread', title: 'FC Köln wins by over 2.5 goals?' })],
      [polyMarket({ id: '0xkoe', event: 'p', eventTitle: '1. FC Köln vs. 1. FC Heidenheim 1846 - More Markets', question: 'Spread: 1. FC Köln (-2.5)' })],
    );
    expect(r.proposals).toHaveLength(0);
    expect(r.matcher.explain('KXSP-26MAY16BMUKOE-KOE2', '0xkoe')?.vetoes.join(' ')).toMatch(/teams differ/);
  });
});

describe('half trap', () => {
  const kalshi = ['ARS', 'CHE', 'TIE'].map((s) =>
    kalshiMarket({ ticker: `KXEPL1H-26MAY24ARSCHE-${s}`, event: 'KXEPL1H-26MAY24ARSCHE', eventTitle: 'Arsenal vs Chelsea: First Half Winner', title: 'Arsenal vs Chelsea: First Half Winner?' }),
  );
  const poly = [
    polyMarket({ id: '0xht-ars', event: 'h', eventTitle: 'Arsenal FC vs. Chelsea FC - Halftime Result', question: 'Arsenal FC leading at halftime?' }),
    polyMarket({ id: '0xht-draw', event: 'h', eventTitle: 'Arsenal FC vs. Chelsea FC - Halftime Result', question: 'Arsenal FC vs. Chelsea FC: Draw at halftime?' }),
    polyMarket({ id: '0xft-ars', event: 'g', eventTitle: 'Arsenal FC vs. Chelsea FC', question: 'Will Arsenal FC win on 2026-05-24?' }),
  ];
  it('reads the outcome from the ticker; 1st-half winner ≠ full-time winner', () => {
    const r = run(kalshi, poly);
    expect(r.proposed('KXEPL1H-26MAY24ARSCHE-ARS', '0xht-ars')).toBeDefined();
    expect(r.proposed('KXEPL1H-26MAY24ARSCHE-TIE', '0xht-draw')).toBeDefined();
    expect(r.proposals).toHaveLength(2);
    expect(r.matcher.explain('KXEPL1H-26MAY24ARSCHE-ARS', '0xft-ars')?.vetoes.join(' ')).toMatch(/statistic differs: Kalshi \[first_half\]/);
    expect(r.matcher.explain('KXEPL1H-26MAY24ARSCHE-CHE', '0xht-ars')?.relation).toBe('different');
  });
});

describe('comparator trap', () => {
  const kalshi = [kalshiMarket({ ticker: 'KXCPI-26MAY-T3', event: 'KXCPI-26MAY', eventTitle: 'CPI in May 2026', title: 'Will CPI inflation in May 2026 be above 3%?' })];
  it('"above 3%" ≠ "3% or more"', () => {
    const r = run(kalshi, [polyMarket({ id: '0xge3', event: 'c', eventTitle: 'CPI May 2026', question: 'Will CPI inflation in May 2026 be 3% or more?' })]);
    expect(r.proposals).toHaveLength(0);
    expect(r.matcher.explain('KXCPI-26MAY-T3', '0xge3')?.vetoes.join(' ')).toMatch(/comparator differs: Kalshi above 3 pct vs Polymarket at least 3 pct/);
  });
  it('"above 3%" is the inverse of "3% or less": Kalshi YES = Polymarket No', () => {
    const r = run(kalshi, [polyMarket({ id: '0xle3', event: 'c', eventTitle: 'CPI May 2026', question: 'Will CPI inflation in May 2026 be 3% or less?' })]);
    const c = r.proposed('KXCPI-26MAY-T3', '0xle3');
    expect(c?.relation).toBe('inverse');
    expect(c?.polymarketOutcome).toBe('No');
    expect(c?.polymarketSide).toBe('no');
  });
  it('a bucket is not a threshold', () => {
    const r = run(kalshi, [polyMarket({ id: '0xb', event: 'c', eventTitle: 'CPI May 2026', question: 'Will CPI inflation in May 2026 be between 3% and 3.5%?' })]);
    expect(r.proposals).toHaveLength(0);
  });
});

describe('polarity', () => {
  const series = ['ANA', 'VGK'].map((s) =>
    kalshiMarket({ ticker: `KXNHLSERIES-26VGKANAR2-${s}`, event: 'KXNHLSERIES-26VGKANAR2', eventTitle: 'Series Winner: Vegas Golden Knights vs Anaheim Ducks', title: 'Vegas Golden Knights vs Anaheim Ducks 2026 2nd Round series winner?' }),
  );
  it('two-team market: which outcome is Kalshi YES, from the title order', () => {
    const r = run(series, [polyMarket({ id: '0xser', event: 's', eventTitle: 'NHL Playoffs: Who Will Win Series? - Ducks vs. Golden Knights', question: 'NHL Playoffs: Who Will Win Series? - Ducks vs. Golden Knights' })]);
    const ana = r.proposed('KXNHLSERIES-26VGKANAR2-ANA', '0xser');
    const vgk = r.proposed('KXNHLSERIES-26VGKANAR2-VGK', '0xser');
    expect([ana?.relation, ana?.polymarketOutcome]).toEqual(['same', 'Ducks']);
    expect([vgk?.relation, vgk?.polymarketOutcome]).toEqual(['inverse', 'Golden Knights']);
  });
  it('two-team market: the outcome labels from the data win over the title order', () => {
    const r = run(series, [polyMarket({ id: '0xser', event: 's', eventTitle: 'NHL Playoffs: Who Will Win Series? - Ducks vs. Golden Knights', question: 'NHL Playoffs: Who Will Win Series? - Ducks vs. Golden Knights', outcomes: ['Golden Knights', 'Ducks'] })]);
    expect(r.proposed('KXNHLSERIES-26VGKANAR2-VGK', '0xser')?.relation).toBe('same');
    expect(r.proposed('KXNHLSERIES-26VGKANAR2-ANA', '0xser')?.relation).toBe('inverse');
  });
  it('under on Kalshi = Under (the NO token) of an O/U market', () => {
    const r = run(
      [kalshiMarket({ ticker: 'KXU-26MAY24ARSCHE-2', event: 'KXU-26MAY24ARSCHE', eventTitle: 'Arsenal vs Chelsea: Total Goals', title: 'Will under 2.5 goals be scored?' })],
      [polyMarket({ id: '0xou', event: 'p', eventTitle: 'Arsenal FC vs. Chelsea FC - More Markets', question: 'Arsenal FC vs. Chelsea FC: O/U 2.5' })],
    );
    const c = r.proposed('KXU-26MAY24ARSCHE-2', '0xou');
    expect([c?.relation, c?.polymarketOutcome, c?.polymarketSide]).toEqual(['inverse', 'Under', 'no']);
  });
  it('a Kalshi team that is neither Polymarket outcome is vetoed', () => {
    const r = run(
      [kalshiMarket({ ticker: 'KXG-26MAY24ARSCHE-ARS', event: 'KXG-26MAY24ARSCHE', eventTitle: 'Arsenal vs Chelsea', title: 'Arsenal vs Chelsea Winner?' })],
      [polyMarket({ id: '0xg', event: 'g', eventTitle: 'Golden Knights vs. Ducks', question: 'Golden Knights vs. Ducks' })],
    );
    expect(r.proposals).toHaveLength(0);
  });
});
