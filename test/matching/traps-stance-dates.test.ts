/**
 * Synthetic traps for the stance and date vetoes, in the style of traps.test.ts:
 * the true pair is proposed, the look-alike that asks the opposite or another
 * question with the same words (negation, "lose" vs "win", "remain" vs "leave",
 * "place second" vs "win", popular vote vs election) or is another game or
 * window (dates the market's own text does not state: its event's other
 * markets, its close time) is not, and `explain` names the reason.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Market } from '../../source/domain/market.js';
import { matchMarkets } from '../../source/matching/matcher.js';
import { scanStance } from '../../source/matching/extract.js';
import { applyAliases, fold, prepare } from '../../source/matching/normalize.js';
import { parseSavedKalshi } from '../../source/venues/kalshi/saved.js';
import { parseSavedPolymarket } from '../../source/venues/polymarket/saved.js';
import { kalshiMarket, polyMarket } from './market-factory.js';

function run(kalshi: Market[], poly: Market[]) {
  const { matcher, proposals } = matchMarkets(kalshi, poly);
  const proposed = (k: string, p: string) => proposals.find((c) => c.kalshiTicker === k && c.polymarketConditionId === p);
  const vetoes = (k: string, p: string): string => {
    const c = matcher.explain(k, p);
    expect(c?.relation, `${k} ~ ${p}`).toBe('different');
    return c?.vetoes.join(' ') ?? '';
  };
  return { matcher, proposals, proposed, vetoes };
}

const one = (ticker: string, title: string, closeTime?: string): Market =>
  kalshiMarket({ ticker, event: ticker, eventTitle: title, title, ...(closeTime === undefined ? {} : { closeTime }) });
const poly = (id: string, question: string, closeTime?: string): Market =>
  polyMarket({ id, event: id, eventTitle: question, question, ...(closeTime === undefined ? {} : { closeTime }) });

/** The stance the matcher reads from a title (as the market reader prepares it). */
const stanceOf = (text: string, numbered = false) => scanStance(applyAliases(prepare(fold(text))), numbered);

describe('negation trap', () => {
  it('"not cut" on one side only is vetoed; negated on both sides is the same question', () => {
    const r = run(
      [one('KXFEDNOCUT-26', 'Will the Fed not cut rates in 2026?'), one('KXFEDCUT-26', 'Will the Fed cut rates in 2026?')],
      [poly('0xcut', 'Will the Fed cut rates in 2026?'), poly('0xnocut', 'Will the Fed not cut rates in 2026?')],
    );
    expect(r.proposed('KXFEDCUT-26', '0xcut')?.relation).toBe('same');
    expect(r.proposed('KXFEDNOCUT-26', '0xnocut')?.relation).toBe('same');
    expect(r.proposals).toHaveLength(2);
    expect(r.vetoes('KXFEDNOCUT-26', '0xcut')).toMatch(/negation on one side only: Kalshi says "not", Polymarket does not/);
    expect(r.vetoes('KXFEDCUT-26', '0xnocut')).toMatch(/negation on one side only: Polymarket says "not", Kalshi does not/);
  });
  it('"fails to", "won\'t", "never", "no" are negations', () => {
    const r = run(
      [one('KXBILL-26', 'Will the Senate pass the farm bill in 2026?')],
      [poly('0xfail', 'Will the Senate fail to pass the farm bill in 2026?'), poly('0xwont', "Won't the Senate pass the farm bill in 2026?")],
    );
    expect(r.proposals).toHaveLength(0);
    expect(r.vetoes('KXBILL-26', '0xfail')).toMatch(/Polymarket says "fail to"/);
    expect(r.vetoes('KXBILL-26', '0xwont')).toMatch(/Polymarket says "won't"/);
    expect(stanceOf('Will Elon Musk never visit Mars?').negation).toBe('never');
    expect(stanceOf('Will there be no recession in 2026?').negation).toBe('no');
  });
  it('comparators, deadlines, "no change" and names that hold "no" are not negations', () => {
    expect(stanceOf('Will CPI be no more than 3%?', true).negation).toBeNull();
    expect(stanceOf('Will the deal close no later than June 30?').negation).toBeNull();
    expect(stanceOf('Will there be a no-hitter in May?').negation).toBeNull();
    expect(stanceOf('Will the Bank of Russia make no change to the key rate?').negation).toBeNull();
    expect(stanceOf('Will a candidate not listed above win the Kansas Senate race?').negation).toBeNull();
    expect(stanceOf('Will Notre Dame win?').negation).toBeNull();
    const r = run(
      [one('KXCPI-26MAY-T3', 'Will CPI inflation in May 2026 be no more than 3%?')],
      [poly('0xle3', 'Will CPI inflation in May 2026 be 3% or less?')],
    );
    expect(r.proposed('KXCPI-26MAY-T3', '0xle3')?.relation).toBe('same');
  });
});

describe('antonym trap', () => {
  it('"lose" vs "win" is vetoed', () => {
    const r = run(
      [one('KXTRUMPLOSE-26', 'Will Trump lose his lawsuit against the New York Times in 2026?')],
      [poly('0xwin', 'Will Trump win his lawsuit against the New York Times in 2026?')],
    );
    expect(r.proposals).toHaveLength(0);
    expect(r.vetoes('KXTRUMPLOSE-26', '0xwin')).toMatch(/opposite outcome: Kalshi "lose" \(lose\) vs Polymarket "win" \(win\)/);
  });
  it('"remain" vs "leave" is vetoed; "leave" vs "out as" is the same question', () => {
    const r = run(
      [one('KXPOWELL-26', 'Will Powell remain Fed chair through June 2026?'), one('KXPOWELLOUT-26', 'Will Powell leave as Fed chair before July 2026?')],
      [poly('0xleave', 'Will Powell leave as Fed chair by June 30, 2026?'), poly('0xout', 'Powell out as Fed chair by June 30, 2026?')],
    );
    expect(r.vetoes('KXPOWELL-26', '0xleave')).toMatch(/opposite tenure: Kalshi "remain" \(stay\/remain\) vs Polymarket "leave" \(leave\/out\)/);
    expect(r.vetoes('KXPOWELL-26', '0xout')).toMatch(/opposite tenure/);
    expect(r.proposals.map((c) => c.kalshiTicker)).toEqual(['KXPOWELLOUT-26']);
    // "knocked out by" is not leaving an office
    expect(stanceOf('Will Arsenal be knocked out by PSG?').poles).toBe(0);
  });
  it('"pass" vs "reject" and "approve" vs "fail" are vetoed', () => {
    const r = run(
      [one('KXBILLPASS-26', 'Will the Senate pass the SAVE Act in 2026?'), one('KXFDA-26', 'Will the FDA approve the new obesity drug in 2026?')],
      [poly('0xreject', 'Will the Senate reject the SAVE Act in 2026?'), poly('0xfda', 'Will the new obesity drug fail FDA review in 2026?')],
    );
    expect(r.proposals).toHaveLength(0);
    expect(r.vetoes('KXBILLPASS-26', '0xreject')).toMatch(/opposite adoption: Kalshi "pass" .* vs Polymarket "reject"/);
    expect(r.vetoes('KXFDA-26', '0xfda')).toMatch(/opposite adoption: Kalshi "approve" .* vs Polymarket "fail"/);
  });
  it('"above" vs "below" with no number is vetoed; with numbers the comparators decide (inverse)', () => {
    const r = run(
      [one('KXCPIEXP-26MAY', 'Will May 2026 CPI come in above expectations?'), one('KXCPI-26MAY-T3', 'Will CPI inflation in May 2026 be above 3%?')],
      [poly('0xbelow', 'Will May 2026 CPI come in below expectations?'), poly('0xle3', 'Will CPI inflation in May 2026 be 3% or below?')],
    );
    expect(r.vetoes('KXCPIEXP-26MAY', '0xbelow')).toMatch(/opposite level: Kalshi "above" .* vs Polymarket "below"/);
    expect(r.proposed('KXCPI-26MAY-T3', '0xle3')?.relation).toBe('inverse');
  });
});

describe('finishing position trap', () => {
  it('"place second" vs "win" is vetoed; "runner-up" = "finish second"', () => {
    const r = run(
      [
        one('KXCAPRIMARY-07SECOND26-DMAT', 'Will Doris Matsui place second in the 2026 CA-07 primary?'),
        one('KXBALLON-26-SECOND', "Will Harry Kane finish 2nd in the 2026 Ballon d'Or?"),
      ],
      [poly('0xwin', 'Will Doris Matsui win the 2026 CA-07 primary?'), poly('0xrunner', "Will Harry Kane be the 2026 Ballon d'Or runner-up?")],
    );
    expect(r.vetoes('KXCAPRIMARY-07SECOND26-DMAT', '0xwin')).toMatch(/finishing position differs: Kalshi second vs Polymarket win \(first\)/);
    // the same position written two ways: no veto (the wording differs too much to propose it on text alone)
    const same = r.matcher.explain('KXBALLON-26-SECOND', '0xrunner');
    expect([same?.relation, same?.vetoes]).toEqual(['same', []]);
    expect(r.proposals).toHaveLength(0);
  });
  it('third vs second is vetoed; rounds, draft picks and third parties are not positions', () => {
    const r = run(
      [one('KXF1-26MON-THIRD', 'Will Lando Norris finish third at the 2026 Monaco Grand Prix?')],
      [poly('0xsecond', 'Will Lando Norris finish in second place at the 2026 Monaco Grand Prix?')],
    );
    expect(r.vetoes('KXF1-26MON-THIRD', '0xsecond')).toMatch(/finishing position differs: Kalshi third vs Polymarket second/);
    expect(stanceOf('Will Ace Reese be picked 3rd in the Pro Baseball Draft?').position).toBeNull();
    expect(stanceOf('Ducks vs Golden Knights 2nd Round series winner?').position).toBeNull();
    expect(stanceOf('Will a third party candidate win a Senate seat?').position).toBeNull();
    expect(stanceOf('Will Max Verstappen place 4th at the Monaco Grand Prix?').position).toBe('ord4');
  });
});

describe('statistic trap: popular vote', () => {
  it('winning the popular vote is not winning the election', () => {
    const r = run(
      [one('KXPOPVOTE-28-D', 'Will the Democratic nominee win the popular vote in the 2028 presidential election?')],
      [poly('0xelection', 'Will the Democratic nominee win the 2028 presidential election?'), poly('0xpop', 'Will the Democratic nominee win the popular vote in 2028?')],
    );
    expect(r.vetoes('KXPOPVOTE-28-D', '0xelection')).toMatch(/statistic differs: Kalshi \[.*popular_vote.*\] vs Polymarket \[(?!.*popular_vote)/);
    expect(r.proposed('KXPOPVOTE-28-D', '0xpop')).toBeDefined();
  });
});

describe('game date trap: a market that states no date', () => {
  const game = (code: 'NYC' | 'CLB' | 'TIE', day: string) =>
    kalshiMarket({ ticker: `KXMLSGAME-26MAY${day}NYCCLB-${code}`, event: `KXMLSGAME-26MAY${day}NYCCLB`, eventTitle: 'New York City vs Columbus', title: 'New York City vs Columbus Winner?' });
  const event = 'New York City FC vs. Columbus Crew';
  const pm = (id: string, question: string, eventTitle = event, closeTime?: string) =>
    polyMarket({ id, event: eventTitle, eventTitle, question, ...(closeTime === undefined ? {} : { closeTime }) });

  it('reads the date of a draw market from its event’s other markets', () => {
    const kalshi = [game('NYC', '24'), game('CLB', '24'), game('TIE', '24'), game('TIE', '10')];
    const r = run(kalshi, [
      pm('0xnyc', 'Will New York City FC win on 2026-05-10?'),
      pm('0xclb', 'Will Columbus Crew win on 2026-05-10?'),
      pm('0xdraw', `Will ${event} end in a draw?`),
    ]);
    const c = r.proposed('KXMLSGAME-26MAY10NYCCLB-TIE', '0xdraw');
    expect(c?.reasons.join(' ')).toMatch(/same game date 2026-05-10 \(Polymarket: from its event's other markets\)/);
    expect(r.vetoes('KXMLSGAME-26MAY24NYCCLB-TIE', '0xdraw')).toMatch(
      /game date differs: Kalshi 2026-05-24 vs Polymarket 2026-05-10 \(Polymarket: from its event's other markets\)/,
    );
    expect(r.proposals.map((x) => x.key)).toEqual(['KXMLSGAME-26MAY10NYCCLB-TIE|0xdraw']);
  });

  it('reads it from the event title', () => {
    const titled = `${event} (May 10, 2026)`;
    const r = run([game('TIE', '24')], [pm('0xdraw', `Will ${event} end in a draw?`, titled)]);
    expect(r.vetoes('KXMLSGAME-26MAY24NYCCLB-TIE', '0xdraw')).toMatch(/game date differs: .*from its event title/);
  });

  it('reads it from the Polymarket close time: more than 2 days off vetoes, the game night passes', () => {
    const r = run(
      [game('TIE', '24')],
      [pm('0xlate', `Will ${event} end in a draw?`, event, '2026-05-25T04:00:00Z'), pm('0xearly', `Will ${event} end in a draw?`, `${event} `, '2026-05-10T23:00:00Z')],
    );
    expect(r.proposed('KXMLSGAME-26MAY24NYCCLB-TIE', '0xlate')?.reasons.join(' ')).toMatch(/Polymarket closes 2026-05-25, by the Kalshi game date 2026-05-24/);
    expect(r.vetoes('KXMLSGAME-26MAY24NYCCLB-TIE', '0xearly')).toMatch(/game date differs: Kalshi game on 2026-05-24, Polymarket closes 2026-05-10/);
  });

  it('with no date anywhere on Polymarket, warns', () => {
    const r = run([game('TIE', '24')], [pm('0xdraw', `Will ${event} end in a draw?`)]);
    expect(r.proposed('KXMLSGAME-26MAY24NYCCLB-TIE', '0xdraw')?.warnings.join(' ')).toMatch(/Polymarket states no game date .* 2026-05-24/);
  });

  it('a Kalshi market that closes before the Polymarket game is another contract', () => {
    const r = run(
      [kalshiMarket({ ticker: 'KXNYCWIN-A', event: 'KXNYCWIN-A', eventTitle: 'New York City vs Columbus', title: 'Will New York City win against Columbus?', closeTime: '2026-05-11T04:00:00Z' })],
      [pm('0xnyc', 'Will New York City FC win on 2026-05-24?')],
    );
    expect(r.vetoes('KXNYCWIN-A', '0xnyc')).toMatch(/game date differs: Kalshi closes 2026-05-11, before the Polymarket game on 2026-05-24/);
  });
});

describe('close time trap', () => {
  it('dated contracts whose close times are more than 14 days apart are vetoed; a few days apart warns', () => {
    const r = run(
      [one('KXSHUTDOWN-26', 'Will the US government shut down in 2026?', '2027-01-01T04:59:00Z')],
      [
        poly('0xsame', 'Will the US government shut down in 2026?', '2026-12-27T00:00:00Z'),
        poly('0xother', 'Will the US government shut down in 2026?', '2026-06-30T00:00:00Z'),
      ],
    );
    const c = r.proposed('KXSHUTDOWN-26', '0xsame');
    expect(c?.warnings.join(' ')).toMatch(/close dates 5 days apart: Kalshi 2027-01-01 vs Polymarket 2026-12-27/);
    expect(r.vetoes('KXSHUTDOWN-26', '0xother')).toMatch(/close dates differ: Kalshi 2027-01-01 vs Polymarket 2026-06-30 \(185 days apart\)/);
  });
  it('a deadline on one side, a close time far from it on the other, is vetoed', () => {
    const r = run(
      [one('KXIMPEACH-28', 'Will Trump be impeached before 2029?')],
      [poly('0ximp', 'Will Trump be impeached?', '2026-12-31T00:00:00Z')],
    );
    expect(r.vetoes('KXIMPEACH-28', '0ximp')).toMatch(/close date differs: Polymarket closes 2026-12-31, \d+ days before the Kalshi deadline 2028-12-31/);
  });
  it('undated contracts with close times far apart only warn', () => {
    const r = run(
      [one('KXMARS-99', 'Will Elon Musk visit Mars in his lifetime?', '2099-08-01T04:59:00Z')],
      [poly('0xmars', 'Will Elon Musk visit Mars in his lifetime?', '2070-01-01T00:00:00Z')],
    );
    expect(r.proposed('KXMARS-99', '0xmars')?.warnings.join(' ')).toMatch(/close dates \d+ days apart/);
  });
});

describe('deadline without a year', () => {
  const k = [
    kalshiMarket({ ticker: 'KXALIENS-28-JUL27', event: 'KXALIENS-28', eventTitle: 'Will the U.S. confirm that aliens exist?', title: 'Will the U.S. confirm that aliens exist before July 2027' }),
    kalshiMarket({ ticker: 'KXALIENS-28-JUL26', event: 'KXALIENS-28', eventTitle: 'Will the U.S. confirm that aliens exist?', title: 'Will the U.S. confirm that aliens exist before July 2026' }),
  ];
  it('takes the year of the market’s close time', () => {
    const r = run(k, [poly('0xjun', 'Will the US confirm that aliens exist by June 30?', '2026-06-30T12:00:00Z')]);
    expect(r.proposed('KXALIENS-28-JUL26', '0xjun')?.warnings.join(' ')).toMatch(/Polymarket deadline gives no year: 2026 read from its close time/);
    expect(r.vetoes('KXALIENS-28-JUL27', '0xjun')).toMatch(/deadline differs: Kalshi 2027-06-30 vs Polymarket 2026-06-30/);
  });
  it('else the year of its event title', () => {
    const r = run(k, [polyMarket({ id: '0xjun', event: 'e', eventTitle: 'Aliens confirmed in 2027?', question: 'Will the US confirm that aliens exist by June 30?' })]);
    expect(r.proposed('KXALIENS-28-JUL27', '0xjun')?.warnings.join(' ')).toMatch(/2027 read from its event title/);
    expect(r.vetoes('KXALIENS-28-JUL26', '0xjun')).toMatch(/deadline differs/);
  });
  it('else the one year of its event’s other markets (a ladder ending "before 2027")', () => {
    const ladder = ['Will the US confirm that aliens exist by June 30?', 'Will the US confirm that aliens exist before 2027?'].map((question, i) =>
      polyMarket({ id: `0xl${i}`, event: 'ladder', eventTitle: 'Will the US confirm that aliens exist by...?', question }),
    );
    const r = run(k, ladder);
    expect(r.proposed('KXALIENS-28-JUL26', '0xl0')?.warnings.join(' ')).toMatch(/2026 read from its event's other markets/);
    expect(r.vetoes('KXALIENS-28-JUL27', '0xl0')).toMatch(/deadline differs: Kalshi 2027-06-30 vs Polymarket 2026-06-30/);
  });
});

describe('real catalog: another Lazio vs Inter game', () => {
  const dir = fileURLToPath(new URL('../fixtures/matching/catalog-2026-05/', import.meta.url));
  const kalshiRaw = JSON.parse(readFileSync(`${dir}kalshi-events.json`, 'utf8')) as { events: unknown[]; cursor: string };
  // the Serie A game of the same teams four days after the Coppa Italia final the catalog holds
  const ev = 'KXSERIEAGAME-26MAY17LAZINT';
  const serieA = {
    event_ticker: ev,
    title: 'Lazio vs Inter',
    markets: ['LAZ', 'INT', 'TIE'].map((s) => ({ ticker: `${ev}-${s}`, event_ticker: ev, title: 'Lazio vs Inter Winner?' })),
  };
  const kalshi = parseSavedKalshi({ ...kalshiRaw, events: [...kalshiRaw.events, serieA] });
  const polymarket = parseSavedPolymarket(JSON.parse(readFileSync(`${dir}polymarket-events.json`, 'utf8')));
  const draw = polymarket.find((m) => m.title === 'Will SS Lazio vs. FC Internazionale Milano end in a draw?');

  it('the draw market (no date of its own) stays with the Coppa Italia game of its event’s date', () => {
    expect(draw).toBeDefined();
    const r = run(kalshi, polymarket);
    const id = draw?.id ?? '';
    expect(r.proposed('KXCOPPAITALIAGAME-26MAY13LAZINT-TIE', id)?.relation).toBe('same');
    expect(r.vetoes(`${ev}-TIE`, id)).toMatch(/game date differs: Kalshi 2026-05-17 vs Polymarket 2026-05-13 \(Polymarket: from its event's other markets\)/);
    expect(r.proposals.filter((c) => c.kalshiTicker.startsWith(ev))).toEqual([]);
  });
});
