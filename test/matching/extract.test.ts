/** Normalisation and extraction: aliases, dates and deadlines, numbers with comparators, tags. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyAliases, canonicalNumber, fold, normaliseToTokens, prepare } from '../../source/matching/normalize.js';
import { formatDay, kalshiGameDate, scanDates, scanQuantities, scanTags, teamsOf } from '../../source/matching/extract.js';
import { codeMatchesName } from '../../source/matching/market-doc.js';

const deadline = (text: string): string | null => {
  const d = scanDates(prepare(fold(text))).deadline;
  return d === null ? null : formatDay(d);
};
const quantities = (text: string) =>
  scanQuantities(scanDates(prepare(fold(text))).rest).map((q) => `${q.cmp} ${q.text}${q.hiText ? `-${q.hiText}` : ''}${q.unit ? ` ${q.unit}` : ''}`);

describe('normalisation', () => {
  it('folds case, accents, quotes and spaces', () => {
    expect(fold('  FC Köln’s  “Grêmio”\tWINS ')).toBe('fc koln\'s "gremio" wins');
  });
  it('maps aliases to one token', () => {
    expect(normaliseToTokens('Federal Reserve')).toEqual(['fed']);
    expect(normaliseToTokens('the Fed')).toEqual(['fed']);
    expect(normaliseToTokens('Democratic Party')).toEqual(normaliseToTokens('Dems'));
    expect(normaliseToTokens('GOP')).toEqual(normaliseToTokens('Republicans'));
    expect(normaliseToTokens('Korea Republic')).toEqual(normaliseToTokens('South Korea'));
    expect(normaliseToTokens('FC Internazionale Milano')).toEqual(normaliseToTokens('Inter'));
    expect(normaliseToTokens('Sport Lisboa e Benfica')).toEqual(normaliseToTokens('SL Benfica'));
    expect(normaliseToTokens('1. FC Köln')).toEqual(normaliseToTokens('FC Koeln'));
    expect(normaliseToTokens('U.S.')).toEqual(normaliseToTokens('United States'));
  });
  it('reads districts, units and ordinals', () => {
    expect(prepare(fold('House race for NC-1'))).toContain('dist_nc01');
    expect(prepare(fold('the NC-01 House seat'))).toContain('dist_nc01');
    expect(prepare(fold('AK-AL'))).toContain('dist_akal');
    expect(prepare(fold('between 100m and 105m'))).toBe('between 100 million and 105 million');
    expect(prepare(fold('Cut 25bps'))).toBe('cut 25 bp');
    expect(prepare(fold('win the 1st Half'))).toBe('win the first half');
    expect(prepare(fold('O/U 2.5'))).toBe('overunder 2.5');
  });
  it('is idempotent and case-blind (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const once = fold(s);
        expect(fold(once)).toBe(once);
        expect(normaliseToTokens(s.toUpperCase())).toEqual(normaliseToTokens(s.toLowerCase()));
      }),
    );
  });
  it('canonical numbers drop trailing zeros and signs of zero', () => {
    expect(canonicalNumber('1.50')).toBe('1.5');
    expect(canonicalNumber('45.00')).toBe('45');
    expect(canonicalNumber('-0.0')).toBe('0');
    expect(canonicalNumber('+007')).toBe('7');
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 4 }), (n, zeros) => {
        const text = `${n}.${'0'.repeat(zeros)}`.replace(/\.$/, '');
        expect(canonicalNumber(text)).toBe(String(n));
      }),
    );
  });
});

describe('dates and deadlines', () => {
  it('"by end of 2026" = "in 2026" = "before 2027" = "before Jan 1, 2027" = "by December 31, 2026"', () => {
    for (const t of ['engaged by end of 2026?', 'engaged in 2026?', 'exist before 2027?', 'reserve before Jan 1, 2027?', 'hike rates by December 31, 2026?']) {
      expect(deadline(t), t).toBe('2026-12-31');
    }
  });
  it('"before July 2026" = "by June 30" (year unknown), "before Jan 20, 2029"', () => {
    expect(deadline('exist before July 2026')).toBe('2026-06-30');
    expect(deadline('exist by June 30?')).toBe('????-06-30');
    expect(deadline('impeached before Jan 20, 2029?')).toBe('2029-01-19');
    expect(deadline('reach $0.15 in May?')).toBe('????-05-31');
  });
  it('a year that names an edition is not a deadline', () => {
    expect(deadline('win Group A in the 2026 FIFA World Cup?')).toBeNull();
    expect(scanDates(prepare(fold('the 2025-26 Primeira Liga season'))).years).toEqual([2025, 2026]);
  });
  it('game dates from Kalshi sports event tickers and "win on"', () => {
    expect(kalshiGameDate('KXEPL1H-26MAY17NEWWHU')).toBe('2026-05-17');
    expect(kalshiGameDate('KXCOPPERW-26MAY1517')).toBeNull();
    expect(scanDates(prepare(fold('Will SS Lazio win on 2026-05-13?'))).onDate).toBe('2026-05-13');
  });
});

describe('numbers with comparator and unit', () => {
  it('reads comparators before and after the number', () => {
    expect(quantities('be above -0.2%?')).toEqual(['gt -0.2 pct']);
    expect(quantities('at least 2.7%')).toEqual(['ge 2.7 pct']);
    expect(quantities('200 or more launches')).toEqual(['ge 200']);
    expect(quantities('less than 0.5%')).toEqual(['lt 0.5 pct']);
    expect(quantities('above $5.39 USD/Lbs')).toEqual(['gt 5.39 usd']);
    expect(quantities('Cut more than 50bps')).toEqual(['gt 50 bp']);
    expect(quantities('Will 10 Fed rate cuts happen in 2026?')).toEqual(['eq 10']);
  });
  it('reads buckets, lines and spreads', () => {
    expect(quantities('between 100 and 104.99 million')).toEqual(['between 100-104.99 million']);
    expect(quantities('between 120-139 launches')).toEqual(['between 120-139']);
    expect(quantities('Brighton FC vs. Man United FC: O/U 4.5')).toEqual(['line 4.5']);
    expect(quantities('Spread: Girona FC (-1.5)')).toEqual(['gt 1.5']);
    expect(quantities('Girona wins by over 1.5 goals?')).toEqual(['gt 1.5']);
  });
  it('ignores years, times, districts and scores', () => {
    expect(quantities('on May 15, 2026 at 5:00 PM EDT')).toEqual([]);
    expect(quantities('House race for IL-17')).toEqual([]);
    expect(quantities('Will Anaheim Ducks win 4-2 in the series?')).toEqual([]);
  });
});

describe('statistic tags and teams', () => {
  const tags = (t: string): readonly string[] => scanTags(applyAliases(prepare(fold(t)))).tags;
  it('tells the statistic apart', () => {
    expect(tags('Will Augsburg win the 1st Half?')).toEqual(['first_half']);
    expect(tags('Sevilla FC leading at halftime?')).toEqual(['first_half']);
    expect(tags('Will over 2.5 goals be scored?')).toEqual(['total']);
    expect(tags('Burnley FC vs. Aston Villa FC: O/U 10.5 Total Corners')).toEqual(['corners']);
    expect(tags('Will Doris Matsui place first in the 2026 CA-07 primary?')).toEqual(['primary_first']);
    expect(tags('Will Doris Matsui advance from the CA-07 primary election?')).toEqual(['primary_advance']);
    expect(tags('Will Atlanta Braves win the 2026 National League Championship Series?')).toEqual([]);
  });
  it('splits event titles into the two teams', () => {
    expect(teamsOf('Lazio vs Inter')).toEqual(['Lazio', 'Inter']);
    expect(teamsOf('Aston Villa at Burnley: Totals')).toEqual(['Aston Villa', 'Burnley']);
    expect(teamsOf('NHL Playoffs: Who Will Win Series? - Ducks vs. Golden Knights ')).toEqual(['Ducks', 'Golden Knights']);
    expect(teamsOf('1. FC Köln vs. 1. FC Heidenheim 1846 - More Markets')).toEqual(['1. FC Köln', '1. FC Heidenheim 1846']);
    expect(teamsOf('Who will win Top Chef Season 23?')).toBeNull();
  });
  it('reads ticker team codes', () => {
    expect(codeMatchesName('KOE', 'FC Köln')).toBe(true);
    expect(codeMatchesName('BMU', 'Bayern Munich')).toBe(true);
    expect(codeMatchesName('VGK', 'Vegas Golden Knights')).toBe(true);
    expect(codeMatchesName('WHU', 'Newcastle')).toBe(false);
    expect(codeMatchesName('FCH', 'FC Köln')).toBe(false);
  });
});
